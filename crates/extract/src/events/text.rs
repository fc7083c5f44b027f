//! Words and phrases: the tokenizer the rules count words with, whole-word phrase search
//! over Aho-Corasick automatons, and lowercase word sets.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use anyhow::{Context, Result};
use rustc_hash::FxHashSet;
use sitrep_language::{is_apostrophe, Span};

/// A word of a sentence, as a byte span into the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
}

/// A hyphen between two letters or digits joins them into one word ("long-range",
/// "pro-Russian"), so a phrase never matches half of a compound.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Words of `text[span]`: letters and digits, joined by an inner hyphen, and digits by an
/// inner comma or point ("40,000", "1.5"). A possessive "'s" is dropped, so it does not
/// count as a word in rule windows.
pub(crate) fn tokenize(text: &str, span: Span) -> Vec<Token> {
    let s = &text[span.start..span.end];
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    let mut start: Option<usize> = None;
    let mut prev: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let joins = match (prev, next) {
            (Some(p), Some(n)) if start.is_some() => {
                (c == '-' && is_word_char(p) && is_word_char(n)) || ((c == ',' || c == '.') && p.is_ascii_digit() && n.is_ascii_digit())
            }
            _ => false,
        };
        if is_word_char(c) || joins {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(st) = start.take() {
            out.push(Token { start: span.start + st, end: span.start + i });
        }
        prev = Some(c);
    }
    if let Some(st) = start {
        out.push(Token { start: span.start + st, end: span.end });
    }
    // Drop the "s" of a possessive "'s".
    out.retain(|t| {
        let word = &text[t.start..t.end];
        !(word == "s" && text[..t.start].chars().next_back().is_some_and(is_apostrophe))
    });
    out
}

/// Index of the first token that starts at or after `pos`.
pub(crate) fn token_at_or_after(tokens: &[Token], pos: usize) -> usize {
    tokens.partition_point(|t| t.start < pos)
}

/// Index one past the last token that ends at or before `pos`.
pub(crate) fn tokens_before(tokens: &[Token], pos: usize) -> usize {
    tokens.partition_point(|t| t.end <= pos)
}

/// Lowercases `s` into `buf` (reused to spare an allocation per word).
pub(crate) fn lower_into<'b>(s: &str, buf: &'b mut String) -> &'b str {
    buf.clear();
    if s.is_ascii() {
        buf.push_str(s);
        buf.make_ascii_lowercase();
    } else {
        for c in s.chars() {
            buf.extend(c.to_lowercase());
        }
    }
    buf
}

/// A set of lowercase words or word sequences ("according to"). (Fx hashing: the keys
/// are short trusted words, looked up several times per word of text.)
#[derive(Debug, Default)]
pub(crate) struct WordSet {
    single: FxHashSet<String>,
    multi: Vec<Vec<String>>,
}

impl WordSet {
    pub fn new<S: AsRef<str>>(words: &[S]) -> WordSet {
        let mut set = WordSet::default();
        for w in words {
            let parts: Vec<String> = w.as_ref().split_whitespace().map(|p| p.to_lowercase()).collect();
            match parts.len() {
                0 => {}
                1 => {
                    set.single.insert(parts.into_iter().next().unwrap_or_default());
                }
                _ => set.multi.push(parts),
            }
        }
        set
    }

    /// Whether the one word `word` is in the set.
    pub fn has(&self, word: &str, buf: &mut String) -> bool {
        // Most words of a text are lowercase already: no copy for them.
        if word.bytes().all(|b| b.is_ascii_lowercase() || !b.is_ascii_alphabetic() && b.is_ascii()) {
            self.single.contains(word)
        } else {
            self.single.contains(lower_into(word, buf))
        }
    }

    /// Whether the words of `text` ending at token `end` (exclusive) end with an entry;
    /// returns how many tokens the entry spans.
    pub fn ends_at(&self, text: &str, tokens: &[Token], end: usize, buf: &mut String) -> Option<usize> {
        let mut best: Option<usize> = None;
        for parts in &self.multi {
            if parts.len() <= end
                && parts.iter().rev().enumerate().all(|(k, p)| {
                    let t = tokens[end - 1 - k];
                    text[t.start..t.end].eq_ignore_ascii_case(p) || lower_into(&text[t.start..t.end], buf) == p
                })
            {
                best = best.max(Some(parts.len()));
            }
        }
        if best.is_none() && end > 0 && self.has(&text[tokens[end - 1].start..tokens[end - 1].end], buf) {
            best = Some(1);
        }
        best
    }

    /// Whether the words of `text` starting at token `start` begin with an entry; returns
    /// how many tokens the entry spans.
    pub fn starts_at(&self, text: &str, tokens: &[Token], start: usize, buf: &mut String) -> Option<usize> {
        let mut best: Option<usize> = None;
        for parts in &self.multi {
            if start + parts.len() <= tokens.len()
                && parts.iter().enumerate().all(|(k, p)| {
                    let t = tokens[start + k];
                    text[t.start..t.end].eq_ignore_ascii_case(p) || lower_into(&text[t.start..t.end], buf) == p
                })
            {
                best = best.max(Some(parts.len()));
            }
        }
        if best.is_none() && start < tokens.len() && self.has(&text[tokens[start].start..tokens[start].end], buf) {
            best = Some(1);
        }
        best
    }
}

/// Whole-word phrase search: an automaton over many phrases, case-insensitive except for
/// acronyms (words without lowercase letters and with two or more capitals, like "US" in
/// "the US"), which must match exactly so that "us" is not the United States.
pub(crate) struct PhraseMatcher {
    ac: AhoCorasick,
    /// Per phrase: byte ranges of its acronym words.
    acronyms: Vec<Vec<(usize, usize)>>,
}

fn acronym_ranges(p: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in p.char_indices().chain(std::iter::once((p.len(), ' '))) {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                let w: &str = &p[s..i];
                if !w.chars().any(char::is_lowercase) && w.chars().filter(|c| c.is_uppercase()).count() >= 2 {
                    out.push((s, i));
                }
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    out
}

impl PhraseMatcher {
    pub fn new<S: AsRef<str>>(phrases: &[S]) -> Result<PhraseMatcher> {
        let acronyms = phrases.iter().map(|p| acronym_ranges(p.as_ref())).collect();
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            // A few hundred phrases: a DFA costs a few MB and scans fastest.
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(phrases.iter().map(|p| p.as_ref()))
            .context("building phrase automaton")?;
        Ok(PhraseMatcher { ac, acronyms })
    }

    /// Non-overlapping whole-word matches in `text[span]`, leftmost first, longest at
    /// each start: (phrase index, byte span into `text`), in one streaming pass. A match
    /// inside a word ("aid" in "said") is dropped; one that reaches across words from
    /// inside one makes the search start again at the next word, so it hides nothing.
    /// A shorter phrase at the start of a failed longer one is missed ("Russian" in
    /// "Russian military-backed"; rare).
    pub fn find(&self, text: &str, span: Span, phrases: &[String]) -> Vec<(usize, Span)> {
        let hay = &text[..span.end];
        let mut out = Vec::new();
        let mut at = span.start;
        'search: while at < span.end {
            for m in self.ac.find_iter(aho_corasick::Input::new(hay).span(at..span.end)) {
                let (s, e) = (m.start(), m.end());
                let id = m.pattern().as_usize();
                // ASCII-case-insensitive matching keeps byte lengths, so offsets line up.
                let found = &text.as_bytes()[s..e];
                if whole_word(text, span, s, e) && self.acronyms[id].iter().all(|&(a, b)| found.get(a..b) == phrases[id].as_bytes().get(a..b)) {
                    out.push((id, Span::new(s, e)));
                } else if text[s..e].chars().any(|c| !is_word_char(c)) {
                    let rest = &text[s..span.end];
                    let word_end = rest.find(|c: char| !is_word_char(c) && c != '-').map_or(rest.len(), |k| k.max(rest.chars().next().map_or(1, char::len_utf8)));
                    at = s + word_end;
                    continue 'search;
                }
            }
            break;
        }
        out
    }
}

/// Whether `text[s..e]` is not part of a longer word of the span `within`.
fn whole_word(text: &str, within: Span, s: usize, e: usize) -> bool {
    let before = text[within.start..s].chars().next_back();
    let after = text[e..within.end].chars().next();
    let first = text[s..e].chars().next();
    let last = text[s..e].chars().next_back();
    let joined_before = match before {
        Some(c) if is_word_char(c) => first.is_some_and(is_word_char),
        // A joining hyphen: "pro-Russian", "counter-offensive".
        Some('-') => text[within.start..s].chars().rev().nth(1).is_some_and(is_word_char),
        _ => false,
    };
    let joined_after = match after {
        Some(c) if is_word_char(c) => last.is_some_and(is_word_char),
        Some('-') => text[e..within.end].chars().nth(1).is_some_and(is_word_char),
        _ => false,
    };
    !joined_before && !joined_after
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text, Span::new(0, text.len())).iter().map(|t| &text[t.start..t.end]).collect()
    }

    #[test]
    fn tokens_keep_compounds_and_numbers_and_drop_possessive_s() {
        assert_eq!(words("Russia's long-range strikes hit 40,000 targets."), vec!["Russia", "long-range", "strikes", "hit", "40,000", "targets"]);
        assert_eq!(words("Kyiv’s troops' retreat — fast"), vec!["Kyiv", "troops", "retreat", "fast"]);
        assert!(words("").is_empty());
        assert_eq!(words("Ünïcödé ström"), vec!["Ünïcödé", "ström"]);
    }

    #[test]
    fn phrases_match_whole_words_and_acronyms_exactly() {
        let phrases: Vec<String> = ["attack", "drone attack", "US", "Russian", "the US", "aid"].iter().map(|s| s.to_string()).collect();
        let m = PhraseMatcher::new(&phrases).unwrap();
        let text = "A drone attack on us, a counterattack, pro-Russian units, US troops, Attack, the us, The US, said.";
        let all = Span::new(0, text.len());
        let found: Vec<&str> = m.find(text, all, &phrases).iter().map(|&(_, s)| &text[s.start..s.end]).collect();
        assert_eq!(found, vec!["drone attack", "US", "Attack", "The US"]);
    }
}
