//! A crude word tokeniser for place recognition: enough to know where words start and end,
//! whether they are capitalised, open a sentence, or are joined by a hyphen. (Sentence
//! splitting proper belongs to `crate::sentences`; this only needs local cues.)

use std::borrow::Cow;

use crate::gazetteer::normalize::fold_word;
use crate::is_apostrophe;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gap {
    /// Start of text.
    None,
    /// Only spaces or tabs (no line break).
    Space,
    /// A hyphen, with or without spaces.
    Hyphen,
    /// Anything else: punctuation, a line break.
    Other,
}

#[derive(Debug, Clone)]
pub(crate) struct Tok<'a> {
    pub start: usize,
    pub end: usize,
    /// The word through the gazetteer normaliser (empty for long lower-case words,
    /// which are never looked up).
    pub folded: Cow<'a, str>,
    /// Starts with an upper-case letter.
    pub cap: bool,
    /// Every letter upper-case (and more than one letter).
    pub all_caps: bool,
    pub letters: usize,
    /// Opens a sentence or stands in a title-case line (so its capital says nothing).
    pub initial: bool,
    /// `Ukraine's`: the `'s` is cut off (not in the span).
    pub possessive: bool,
    /// What separates this token from the previous one.
    pub gap: Gap,
}

impl Tok<'_> {
    pub fn is_number(&self) -> bool {
        self.letters == 0 && !self.folded.is_empty()
    }
}


fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑')
}

/// Tokens of `text`, with the flags above.
pub(crate) fn tokenize(text: &str) -> Vec<Tok<'_>> {
    let mut toks: Vec<Tok> = Vec::with_capacity(text.len() / 6);
    let bytes = text.as_bytes();
    let mut pos = 0;
    while pos < text.len() {
        // ASCII punctuation and spaces, most of what lies between words, byte by byte.
        let b = bytes[pos];
        if b.is_ascii() && !b.is_ascii_alphanumeric() {
            pos += 1;
            continue;
        }
        let Some(c) = text[pos..].chars().next() else { break };
        if !c.is_alphanumeric() {
            pos += c.len_utf8();
            continue;
        }
        let start = pos;
        let mut end = pos + c.len_utf8();
        // A word: letters and digits, with apostrophes between letters (Kup'yans'k).
        while end < text.len() {
            let b = bytes[end];
            if b.is_ascii_alphanumeric() {
                end += 1;
                continue;
            }
            if b.is_ascii() && b != b'\'' && b != b'`' {
                break;
            }
            let Some(ch) = text[end..].chars().next() else { break };
            if ch.is_alphanumeric() || is_combining(ch) {
                end += ch.len_utf8();
            } else if is_apostrophe(ch) && text[end + ch.len_utf8()..].chars().next().is_some_and(char::is_alphabetic) {
                end += ch.len_utf8();
            } else {
                break;
            }
        }
        let mut word_end = end;
        let mut possessive = false;
        let word = &text[start..end];
        let mut wc = word.chars().rev();
        if let (Some(s), Some(a)) = (wc.next(), wc.next()) {
            if (s == 's' || s == 'S') && is_apostrophe(a) && word.chars().count() >= 4 {
                word_end = end - s.len_utf8() - a.len_utf8();
                possessive = true;
            }
        }
        toks.push(make_tok(text, start, word_end, possessive));
        pos = end;
    }
    merge_initialisms(text, &mut toks);
    for k in 0..toks.len() {
        let prev_end = if k == 0 { 0 } else { toks[k - 1].end };
        toks[k].gap = if k == 0 { Gap::None } else { gap_kind(&text[prev_end..toks[k].start], toks[k - 1].possessive) };
        toks[k].initial = opens_sentence(&text[..toks[k].start]);
    }
    mark_title_lines(text, &mut toks);
    toks
}

fn is_combining(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

fn make_tok(text: &str, start: usize, end: usize, possessive: bool) -> Tok<'_> {
    let w = &text[start..end];
    let letters = if w.is_ascii() {
        w.bytes().filter(u8::is_ascii_alphabetic).count()
    } else {
        w.chars().filter(|c| c.is_alphabetic()).count()
    };
    let cap = w.chars().next().is_some_and(char::is_uppercase);
    // Only capitalised words and short ones (particles inside names, "on", "upon") are
    // ever looked up; folding the rest would be wasted work.
    let folded = if cap || letters <= 5 || w.chars().all(|c| c.is_ascii_digit()) { fold_word(w) } else { Cow::Borrowed("") };
    let all_caps = letters > 1 && w.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
    Tok { start, end, folded, cap, all_caps, letters, initial: false, possessive, gap: Gap::None }
}

/// `U.S.` / `U.K.`: single capitals joined by full stops become one token.
fn merge_initialisms<'a>(text: &'a str, toks: &mut Vec<Tok<'a>>) {
    let single = |t: &Tok| t.letters == 1 && t.cap && t.end - t.start <= 4;
    if !toks.windows(2).any(|w| single(&w[0]) && single(&w[1]) && w[1].start == w[0].end + 1) {
        return;
    }
    let mut out: Vec<Tok<'a>> = Vec::with_capacity(toks.len());
    let mut k = 0;
    while k < toks.len() {
        if single(&toks[k]) && text[toks[k].end..].starts_with('.') {
            let mut m = k;
            while m + 1 < toks.len() && single(&toks[m + 1]) && toks[m + 1].start == toks[m].end + 1 {
                m += 1;
            }
            if m > k {
                let end = if text[toks[m].end..].starts_with('.') { toks[m].end + 1 } else { toks[m].end };
                let mut t = make_tok(text, toks[k].start, end, false);
                t.all_caps = true;
                t.letters = m - k + 1;
                out.push(t);
                k = m + 1;
                continue;
            }
        }
        out.push(toks[k].clone());
        k += 1;
    }
    *toks = out;
}

fn gap_kind(gap: &str, after_possessive: bool) -> Gap {
    if after_possessive {
        return Gap::Other;
    }
    let trimmed = gap.trim_matches(|c: char| c == ' ' || c == '\t');
    if gap.is_empty() {
        Gap::Other
    } else if trimmed.is_empty() {
        Gap::Space
    } else if trimmed.chars().count() == 1 && trimmed.chars().all(is_hyphen) {
        Gap::Hyphen
    } else {
        Gap::Other
    }
}

/// True when only white space, quotes and brackets stand between a sentence end (or
/// the start of the text, or a line break) and this point.
fn opens_sentence(before: &str) -> bool {
    for c in before.chars().rev() {
        match c {
            '\n' | '\r' => return true,
            '.' | '!' | '?' | ':' | ';' | '•' | '|' => return true,
            c if c.is_whitespace() => continue,
            '"' | '“' | '”' | '‘' | '’' | '\'' | '«' | '»' | '(' | '[' | '—' | '–' | '-' | '*' => continue,
            _ => return false,
        }
    }
    true
}

/// In a title-case headline a capital tells nothing.
fn mark_title_lines(text: &str, toks: &mut [Tok<'_>]) {
    let mut k = 0;
    while k < toks.len() {
        let line_end = text[toks[k].start..].find('\n').map_or(text.len(), |p| toks[k].start + p);
        let mut m = k;
        while m < toks.len() && toks[m].start < line_end {
            m += 1;
        }
        let line_start = toks[k].start;
        // Every word of four letters or more capitalised ("Why Is Kursk a Critical
        // Battleground"), which a sentence with a verb in it almost never is.
        let long: Vec<&Tok> = toks[k..m].iter().filter(|t| t.letters >= 4).collect();
        if line_end - line_start <= 200 && long.len() >= 3 && long.iter().all(|t| t.cap) {
            for t in &mut toks[k..m] {
                t.initial = true;
            }
        }
        k = m.max(k + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn possessives_hyphens_and_initialisms() {
        let text = "Ukraine’s Sumy region, the Kursk-Sumy border and the U.S. envoy";
        let t = tokenize(text);
        assert_eq!(&text[t[0].start..t[0].end], "Ukraine");
        assert!(t[0].possessive);
        assert_eq!(t[1].gap, Gap::Other, "no name runs across a possessive");
        let kursk = t.iter().position(|x| &text[x.start..x.end] == "Kursk").unwrap();
        assert_eq!(t[kursk + 1].gap, Gap::Hyphen);
        let us = t.iter().find(|x| &text[x.start..x.end] == "U.S.").expect("U.S. is one token");
        assert_eq!(us.folded, "us");
        assert!(t[0].initial && !t[1].initial);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in ["", "’s", "A.", "É’s x", "\u{301}abc", "x\u{200d}y", "ß’S", "-", "’’’", "A.B.C"] {
            let _ = tokenize(s);
        }
    }

    #[test]
    fn title_case_lines_are_initial() {
        let text = "Is Kursk Now the Decisive Front of This War?\nTroops left Kursk on Friday.";
        let t = tokenize(text);
        let first_kursk = t.iter().find(|x| &text[x.start..x.end] == "Kursk").unwrap();
        assert!(first_kursk.initial);
        let second = t.iter().rev().find(|x| &text[x.start..x.end] == "Kursk").unwrap();
        assert!(!second.initial);
    }
}
