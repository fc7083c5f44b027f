//! Phrase lookup at word starts, for the attribution lexicons.
//!
//! Every phrase set here is matched whole-word, so a match can only begin where a word
//! begins or on a character that is not part of a word. [`WordStartPhrases`] walks an
//! Aho-Corasick automaton anchored at each such start, and [`WordStartPhrases::scan_sets`]
//! lets several phrase sets share one automaton and one walk per start: what it saves is
//! the separate scans of the text, one per set (for a single small set, the crate's own
//! unanchored search measured faster, so the event finder keeps it). The walk itself is
//! the `aho_corasick` crate's (its `Automaton` trait is public for this); what is ours is
//! only where walks begin and that every phrase ending on the path is reported, longest
//! first, so the caller's whole-word and case checks can fall back to a shorter phrase
//! at the same start.

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind, StartKind};
use anyhow::{Context, Result};

pub(crate) struct WordStartPhrases {
    dfa: DFA,
}

/// A phrase found at a start: its index in the list given to [`WordStartPhrases::new`]
/// and its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub pattern: usize,
    pub start: usize,
    pub end: usize,
}

impl WordStartPhrases {
    pub fn new<I, P>(phrases: I, ascii_case_insensitive: bool) -> Result<Self>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<[u8]>,
    {
        let dfa = DFA::builder()
            // Standard semantics keep the whole trie, so a walk sees every phrase that is
            // a prefix of a longer one.
            .match_kind(MatchKind::Standard)
            .start_kind(StartKind::Anchored)
            .ascii_case_insensitive(ascii_case_insensitive)
            .build(phrases)
            .context("building a phrase automaton")?;
        Ok(WordStartPhrases { dfa })
    }

    /// The phrases of `text[at..end]` that begin exactly at `at`, longest first, into
    /// `out` (cleared first).
    pub fn at(&self, text: &str, at: usize, end: usize, out: &mut Vec<Found>) {
        out.clear();
        let bytes = &text.as_bytes()[..end];
        let Ok(mut sid) = self.dfa.start_state(Anchored::Yes) else { return };
        for (i, &b) in bytes.iter().enumerate().skip(at) {
            sid = self.dfa.next_state(Anchored::Yes, sid, b);
            if self.dfa.is_special(sid) {
                if self.dfa.is_dead(sid) {
                    break;
                }
                if self.dfa.is_match(sid) {
                    for k in 0..self.dfa.match_len(sid) {
                        let pid = self.dfa.match_pattern(sid, k);
                        // A state's outputs can include a phrase that ends here but began
                        // later (a suffix of the path); only those that begin at `at` count.
                        if self.dfa.pattern_len(pid) == i + 1 - at {
                            out.push(Found { pattern: pid.as_usize(), start: at, end: i + 1 });
                        }
                    }
                }
            }
        }
        // Ends grow along the walk: reverse for longest first.
        out.reverse();
    }

    /// Scan `text[span]` left to right: at each possible start, offer the phrases found
    /// there (longest first) to `accept`; the first one it takes is kept and the scan
    /// goes on after it, so kept matches never overlap. A start is any character
    /// that is not inside a word (`is_word_char` before and at it); the span's edges
    /// count as word boundaries.
    pub fn scan(
        &self,
        text: &str,
        span: (usize, usize),
        is_word_char: impl Fn(char) -> bool,
        mut accept: impl FnMut(&Found) -> bool,
    ) -> Vec<Found> {
        let one_set = vec![0; self.dfa.patterns_len()];
        self.scan_sets(text, span, is_word_char, &one_set, 1, |_, f| accept(f)).pop().unwrap_or_default()
    }

    /// [`scan`](Self::scan) for several phrase sets compiled into one automaton, in one
    /// walk per start: `set_of[pattern]` names each phrase's set (below `sets`, at most
    /// 64), and each set keeps its own non-overlapping matches, exactly as if it were
    /// scanned alone.
    pub fn scan_sets(
        &self,
        text: &str,
        span: (usize, usize),
        is_word_char: impl Fn(char) -> bool,
        set_of: &[u8],
        sets: usize,
        mut accept: impl FnMut(usize, &Found) -> bool,
    ) -> Vec<Vec<Found>> {
        assert!(sets <= 64, "at most 64 phrase sets share one automaton");
        let (start, end) = span;
        let mut kept = vec![Vec::new(); sets];
        let mut skip_to = vec![start; sets];
        let mut here = Vec::new();
        let mut prev_word = false;
        for (off, c) in text[start..end].char_indices() {
            let p = start + off;
            let word = is_word_char(c);
            let can_start = !(prev_word && word);
            prev_word = word;
            if !can_start || c.is_whitespace() {
                continue;
            }
            self.at(text, p, end, &mut here);
            let mut decided = 0u64;
            for f in &here {
                let set = set_of[f.pattern] as usize;
                if decided & (1 << set) != 0 || p < skip_to[set] {
                    continue;
                }
                if accept(set, f) {
                    decided |= 1 << set;
                    skip_to[set] = f.end;
                    kept[set].push(*f);
                }
            }
        }
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(phrases: &[&str], text: &str) -> Vec<String> {
        let w = WordStartPhrases::new(phrases, true).unwrap();
        let boundary = |f: &Found| !text[f.end..].chars().next().is_some_and(char::is_alphanumeric);
        w.scan(text, (0, text.len()), char::is_alphanumeric, boundary).iter().map(|f| text[f.start..f.end].to_string()).collect()
    }

    #[test]
    fn finds_whole_words_only_and_never_inside_a_word() {
        assert_eq!(words(&["aid", "said"], "He said aid came; unsaid."), ["said", "aid"]);
    }

    #[test]
    fn the_longest_phrase_wins_and_a_shorter_one_is_the_fallback() {
        assert_eq!(words(&["drone", "drone attack"], "A drone attack, a drone attacker."), ["drone attack", "drone"]);
    }

    #[test]
    fn is_ascii_case_insensitive_and_keeps_matches_apart() {
        assert_eq!(words(&["the kremlin", "kremlin said"], "The Kremlin said"), ["The Kremlin"]);
    }

    #[test]
    fn a_phrase_may_start_on_punctuation_right_after_a_word() {
        assert_eq!(words(&[", according to"], "troops, according to officials"), [", according to"]);
    }

    #[test]
    fn sets_sharing_one_automaton_match_as_if_scanned_alone() {
        let phrases = ["said", "said on", "on friday", "friday"];
        let w = WordStartPhrases::new(phrases, true).unwrap();
        let text = "He said on Friday.";
        let found = w.scan_sets(text, (0, text.len()), char::is_alphanumeric, &[0, 0, 1, 1], 2, |_, _| true);
        let words = |set: usize| found[set].iter().map(|f| &text[f.start..f.end]).collect::<Vec<_>>();
        // Set 0's "said on" does not hide set 1's "on Friday", which overlaps it.
        assert_eq!((words(0), words(1)), (vec!["said on"], vec!["on Friday"]));
    }

    #[test]
    fn only_phrases_that_begin_at_the_start_are_reported() {
        let w = WordStartPhrases::new(["said", "aid"], false).unwrap();
        let mut out = Vec::new();
        w.at("said", 0, 4, &mut out);
        assert_eq!(out, [Found { pattern: 0, start: 0, end: 4 }]);
    }
}
