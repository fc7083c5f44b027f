//! Sentence and paragraph splitting for news prose.
//!
//! Hand-written rules rather than a crate, because none fits: `unicode-segmentation`
//! (UAX #29) breaks after "U.S." and "Mr."; `punkt` is a port of NLTK's trainer with
//! English-only parameters, no Cyrillic, and returns slices rather than spans with our
//! guarantees; `srx` needs an SRX rule file (LanguageTool's is LGPL and English-centred)
//! and knows nothing of line structure. The rules below are few and the abbreviation
//! knowledge is data (`lexicons/sentences/*.toml`).
//!
//! The rules, in order:
//! 1. Every `\n` ends a sentence (clean text puts headlines, captions and paragraphs on
//!    lines of their own).
//! 2. Within a line, a candidate end is a run of `.`, `?`, `!`, `…`, then any closing
//!    quotes or brackets (they stay with the sentence), then white space.
//!    A full stop glued between a lowercase letter and a capitalised word also ends one
//!    ("on Friday.Russian Defence Ministry via Reuters": a caption credit glued on by
//!    HTML extraction).
//! 3. No end when the next word begins in lowercase ("U.S. lawmakers", "“Why?” he asked").
//! 4. `?`, `!` and ellipses end the sentence otherwise. A single full stop does too,
//!    unless the word it closes is an abbreviation: `never_end` ones never end a
//!    sentence, `before_number` ones not before a number, and `ambiguous` ones and
//!    dotted initialisms ("U.S.", "a.m.", "J.") only before a frequent sentence opener
//!    ("the U.S. The …" ends; "the U.S. Army" does not).
//!
//! Full stops inside quotes end sentences as anywhere else: `"We will hold. They will
//! fail," he said.` is two sentences, the closing quote staying with the second.

use std::collections::HashSet;
use std::sync::OnceLock;

use anyhow::Result;
use serde::Deserialize;

use crate::Span;

#[derive(Deserialize)]
struct AbbreviationFile {
    abbreviations: Abbreviations,
}

#[derive(Deserialize)]
struct Abbreviations {
    never_end: Vec<String>,
    before_number: Vec<String>,
    ambiguous: Vec<String>,
}

#[derive(Deserialize)]
struct StarterFile {
    starters: Starters,
}

#[derive(Deserialize)]
struct Starters {
    words: Vec<String>,
}

/// A sentence splitter built from the `sentences/` lexicons.
pub struct SentenceSplitter {
    never_end: HashSet<String>,
    before_number: HashSet<String>,
    ambiguous: HashSet<String>,
    starters: HashSet<String>,
}

/// Closing quotes and brackets that stay with the sentence they close.
fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '“' | '»' | ')' | ']' | '}')
}

/// Opening punctuation to look past when reading the first word of the next sentence.
fn is_opening(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '„' | '«' | '(' | '[' | '{' | '¿' | '¡')
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '?' | '!' | '…')
}

/// Entries as written, plus the capitalised form of lowercase ones (a sentence may open
/// with "E.g." or "Т.е.").
fn entry_set(words: &[String]) -> HashSet<String> {
    let mut set = HashSet::with_capacity(words.len() * 2);
    for w in words {
        set.insert(w.clone());
        let mut chars = w.chars();
        if let Some(first) = chars.next() {
            if first.is_lowercase() {
                set.insert(first.to_uppercase().chain(chars).collect());
            }
        }
    }
    set
}

/// "U.S.", "a.m.", "J.", "т.д.": one or more groups of a single letter and a full stop.
fn is_dotted_initialism(word: &str) -> bool {
    let mut chars = word.chars();
    let mut groups = 0;
    loop {
        match (chars.next(), chars.next()) {
            (None, _) => return groups > 0,
            (Some(l), Some('.')) if l.is_alphabetic() => groups += 1,
            _ => return false,
        }
    }
}

fn is_single_initial(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some(l), Some('.'), None) if l.is_uppercase())
}

impl SentenceSplitter {
    pub fn new(lex: &sitrep_lexicon::Lexicons) -> Result<Self> {
        let abbr = lex.parse::<AbbreviationFile>("sentences/abbreviations.toml")?.abbreviations;
        let starters = lex.parse::<StarterFile>("sentences/starters.toml")?.starters;
        Ok(SentenceSplitter {
            never_end: entry_set(&abbr.never_end),
            before_number: entry_set(&abbr.before_number),
            ambiguous: entry_set(&abbr.ambiguous),
            starters: starters.words.into_iter().collect(),
        })
    }

    /// Sentences of `text`, in order, as byte spans without surrounding white space.
    /// Together they hold every non-blank character of the text exactly once.
    pub fn split(&self, text: &str) -> Vec<Span> {
        let mut out = Vec::with_capacity(text.len() / 100 + 1);
        let mut line_start = 0;
        for line in text.split('\n') {
            self.split_line(text, line_start, line_start + line.len(), &mut out);
            line_start += line.len() + 1;
        }
        out
    }

    fn split_line(&self, text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
        let bytes = text.as_bytes();
        let mut sentence_start = start;
        let mut i = start;
        while i < end {
            // Terminators are ASCII or '…' (E2 80 A6), so testing bytes never lands
            // inside a character.
            let b = bytes[i];
            if !(matches!(b, b'.' | b'?' | b'!') || (b == 0xE2 && text[i..end].starts_with('…'))) {
                i += 1;
                continue;
            }
            let run_start = i;
            let mut run_end = i;
            for (k, c) in text[i..end].char_indices() {
                if !is_terminator(c) {
                    break;
                }
                run_end = i + k + c.len_utf8();
            }
            let mut j = run_end;
            for (k, c) in text[run_end..end].char_indices() {
                if !is_closing(c) {
                    break;
                }
                j = run_end + k + c.len_utf8();
            }
            let after = &text[j..end];
            let next_rel = after.find(|c: char| !c.is_whitespace());
            match next_rel {
                Some(0) if run_end == j && glued_caption(text, sentence_start, run_start, run_end, end) => {
                    push_trimmed(text, sentence_start, run_end, out);
                    sentence_start = run_end;
                }
                Some(0) | None => {} // glued to the next character ("5.5", "U.S.-led"), or line end
                Some(rel) => {
                    if self.ends_sentence(text, sentence_start, run_start, run_end, j + rel, end) {
                        push_trimmed(text, sentence_start, j, out);
                        sentence_start = j;
                    }
                }
            }
            i = j;
        }
        push_trimmed(text, sentence_start, end, out);
    }

    /// Whether the terminator run `run_start..run_end` ends a sentence, given the next
    /// word starts at `next`.
    fn ends_sentence(&self, text: &str, sentence_start: usize, run_start: usize, run_end: usize, next: usize, line_end: usize) -> bool {
        let next_word = text[next..line_end].split(char::is_whitespace).next().unwrap_or("");
        let Some(first_alnum) = next_word.chars().find(|c| c.is_alphanumeric()) else {
            return false; // a dash or a lone symbol continues the sentence
        };
        if first_alnum.is_lowercase() {
            return false;
        }
        let run = &text[run_start..run_end];
        if run != "." {
            return true; // '?', '!', '…', "..."
        }
        let word_start = text[sentence_start..run_start]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map(|(p, c)| sentence_start + p + c.len_utf8())
            .unwrap_or(sentence_start);
        let word = text[word_start..run_end].trim_start_matches(is_opening);
        if self.never_end.contains(word) {
            return false;
        }
        let next_bare = next_word.trim_start_matches(is_opening).trim_end_matches(|c: char| !c.is_alphanumeric());
        if self.ambiguous.contains(word) || is_dotted_initialism(word) {
            // "J. A. Smith": an initial followed by another initial is a name.
            let next_is_initial = is_single_initial(next_word.trim_end_matches(',').trim_start_matches(is_opening));
            return self.starters.contains(next_bare) && !(is_single_initial(word) && next_is_initial);
        }
        if first_alnum.is_numeric() {
            return !self.before_number.contains(word);
        }
        true
    }
}

/// "on Friday.Russian Defence Ministry via Reuters": a caption credit glued to the
/// sentence by HTML extraction. Only a full stop between a lowercase letter and a
/// capitalised word ("Xy") counts, which domain names ("kyivindependent.com") and
/// initialisms ("U.S.Army") are not.
fn glued_caption(text: &str, sentence_start: usize, run_start: usize, run_end: usize, line_end: usize) -> bool {
    if &text[run_start..run_end] != "." {
        return false;
    }
    let before = text[sentence_start..run_start].chars().next_back();
    let mut after = text[run_end..line_end].chars();
    matches!((before, after.next(), after.next()), (Some(b), Some(u), Some(l)) if b.is_lowercase() && u.is_uppercase() && l.is_lowercase())
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    let piece = &text[start..end];
    let trimmed_start = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if !trimmed.is_empty() {
        let s = start + trimmed_start;
        out.push(Span::new(s, s + trimmed.len()));
    }
}

fn default_splitter() -> &'static SentenceSplitter {
    static SPLITTER: OnceLock<SentenceSplitter> = OnceLock::new();
    SPLITTER.get_or_init(|| {
        SentenceSplitter::new(&sitrep_lexicon::Lexicons::embedded())
            .expect("the embedded sentences/ lexicons parse (checked by tests)")
    })
}

/// Sentences of `text`, in order, as byte spans without surrounding white space, using
/// the embedded lexicons (build a [`SentenceSplitter`] to use overridden ones).
pub fn split(text: &str) -> Vec<Span> {
    default_splitter().split(text)
}

/// Paragraphs of `text`: runs of lines separated by blank lines, as trimmed byte spans.
pub fn paragraphs(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut para_start = 0;
    let mut line_start = 0;
    for line in text.split('\n') {
        let line_end = line_start + line.len();
        if line.trim().is_empty() {
            push_trimmed(text, para_start, line_start, &mut out);
            para_start = line_end;
        }
        line_start = line_end + 1;
    }
    push_trimmed(text, para_start, text.len(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(text: &str) -> Vec<&str> {
        split(text).iter().map(|s| s.text(text)).collect()
    }

    #[test]
    fn plain_sentences_split_on_full_stops_questions_and_exclamations() {
        assert_eq!(
            sents("The bridge fell. Was it mined? Nobody knows! Engineers arrived…  Work began."),
            ["The bridge fell.", "Was it mined?", "Nobody knows!", "Engineers arrived…", "Work began."]
        );
        assert_eq!(sents("They waited... Then the shelling resumed."), ["They waited...", "Then the shelling resumed."]);
        assert_eq!(sents("Really?! Yes."), ["Really?!", "Yes."]);
    }

    #[test]
    fn titles_and_ranks_never_end_a_sentence() {
        assert_eq!(
            sents("Mr. Petrenko met Gen. Hodges and Lt. Col. Ames. Dr. Vance and Mrs. Orr left."),
            ["Mr. Petrenko met Gen. Hodges and Lt. Col. Ames.", "Dr. Vance and Mrs. Orr left."]
        );
        assert_eq!(sents("Sgt. Kowal walked down St. Andrew's descent."), ["Sgt. Kowal walked down St. Andrew's descent."]);
        assert_eq!(sents("Drones, e.g. Shaheds, i.e. cheap ones, vs. Missiles."), ["Drones, e.g. Shaheds, i.e. cheap ones, vs. Missiles."]);
    }

    #[test]
    fn dotted_initialisms_end_a_sentence_only_before_a_sentence_opener() {
        assert_eq!(sents("U.S. officials and U.K. envoys met. The U.S. Army agreed."), ["U.S. officials and U.K. envoys met.", "The U.S. Army agreed."]);
        assert_eq!(sents("The aid came from the U.S. The talks stalled."), ["The aid came from the U.S.", "The talks stalled."]);
        assert_eq!(sents("The strike hit at 4 a.m. Kyiv time. At 6 p.m. The sirens stopped."), ["The strike hit at 4 a.m. Kyiv time.", "At 6 p.m.", "The sirens stopped."]);
        assert_eq!(sents("The report by J. R. Hartley was read. J. A. Smith spoke."), ["The report by J. R. Hartley was read.", "J. A. Smith spoke."]);
    }

    #[test]
    fn months_and_numbering_abbreviations_hold_before_numbers() {
        assert_eq!(sents("It began on Jan. 5 and ended Sept. 30. Brigade No. 3 left."), ["It began on Jan. 5 and ended Sept. 30.", "Brigade No. 3 left."]);
        assert_eq!(sents("They arrived in Aug. The heat was brutal."), ["They arrived in Aug.", "The heat was brutal."]);
        assert_eq!(sents("He said no. Then he left."), ["He said no.", "Then he left."]);
    }

    #[test]
    fn numbers_and_unit_abbreviations() {
        assert_eq!(sents("The column advanced 5 km. The next day it stopped."), ["The column advanced 5 km.", "The next day it stopped."]);
        assert_eq!(sents("It moved 3.5 km in a day. 40 tanks followed."), ["It moved 3.5 km in a day.", "40 tanks followed."]);
        assert_eq!(sents("Prices rose 2.5% in 2024. In 2025 they fell."), ["Prices rose 2.5% in 2024.", "In 2025 they fell."]);
    }

    #[test]
    fn closing_quotes_and_brackets_stay_with_their_sentence() {
        assert_eq!(
            sents("\"We will hold. They will fail,\" he said. \"Never.\" She nodded."),
            ["\"We will hold.", "They will fail,\" he said.", "\"Never.\"", "She nodded."]
        );
        assert_eq!(sents("He called it “a trap.” Nobody replied."), ["He called it “a trap.”", "Nobody replied."]);
        assert_eq!(sents("“Why now?” he asked. (The answer came later.) It was late."), ["“Why now?” he asked.", "(The answer came later.)", "It was late."]);
        assert_eq!(sents("She said «хватит.» Потом ушла."), ["She said «хватит.»", "Потом ушла."]);
    }

    #[test]
    fn a_caption_credit_glued_to_a_sentence_is_split_off() {
        assert_eq!(sents("Troops rest near the front on Friday.Ministry of Defence via AP"), ["Troops rest near the front on Friday.", "Ministry of Defence via AP"]);
        assert_eq!(sents("See kyivindependent.com and the U.S.Army site."), ["See kyivindependent.com and the U.S.Army site."]);
    }

    #[test]
    fn every_line_break_ends_a_sentence() {
        let text = "Frontline update\nTroops held the line. Shelling continued\n\nA new paragraph starts";
        assert_eq!(sents(text), ["Frontline update", "Troops held the line.", "Shelling continued", "A new paragraph starts"]);
        assert_eq!(sents("line one\r\nline two"), ["line one", "line two"]);
    }

    #[test]
    fn cyrillic_sentences_and_abbreviations() {
        assert_eq!(
            sents("Обстрел начался в 2022 г. В городе нет света. Колонна прошла по ул. Садовой, т.е. через центр."),
            ["Обстрел начался в 2022 г.", "В городе нет света.", "Колонна прошла по ул. Садовой, т.е. через центр."]
        );
        assert_eq!(sents("Штаб в г. Курске. Глава В. В. Иванов уехал."), ["Штаб в г. Курске.", "Глава В. В. Иванов уехал."]);
        assert_eq!(sents("Вибухи пролунали в м. Суми. Потім настала тиша."), ["Вибухи пролунали в м. Суми.", "Потім настала тиша."]);
    }

    #[test]
    fn spans_are_trimmed_ordered_and_cover_every_visible_character_once() {
        let text = "  First one.   Second one!\n\n\tThird — “quoted.”  \n U.S. aid arrived. ";
        let spans = split(text);
        let mut covered = vec![false; text.len()];
        let mut last_end = 0;
        for s in &spans {
            assert!(s.start >= last_end && s.start < s.end);
            let piece = s.text(text);
            assert_eq!(piece, piece.trim());
            covered[s.start..s.end].iter_mut().for_each(|c| *c = true);
            last_end = s.end;
        }
        for (i, c) in text.char_indices() {
            if !c.is_whitespace() {
                assert!(covered[i], "byte {i} ({c:?}) is in no sentence");
            }
        }
    }

    #[test]
    fn odd_input_never_panics() {
        for text in ["", " ", "\n\n", ".", "...", "?!", "“", "U.S.", "a.\n.b", "…”", "Ж.", "é. É", "\u{a0}.\u{a0}X", ". . . A"] {
            for s in split(text) {
                assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
                assert!(!s.text(text).trim().is_empty());
            }
        }
        let long = "Word. ".repeat(20_000);
        assert_eq!(split(&long).len(), 20_000);
    }

    #[test]
    fn paragraphs_split_on_blank_lines_only() {
        let text = "Headline\nFirst para line two.\n\n  \nSecond para.\nStill second.\n\n";
        let paras: Vec<&str> = paragraphs(text).iter().map(|s| s.text(text)).collect();
        assert_eq!(paras, ["Headline\nFirst para line two.", "Second para.\nStill second."]);
        assert!(paragraphs("").is_empty());
        assert!(paragraphs("\n \n").is_empty());
    }

    #[test]
    fn the_lexicons_can_be_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sentences")).unwrap();
        std::fs::write(
            dir.path().join("sentences/abbreviations.toml"),
            "[about]\nsource = \"test\"\n[abbreviations]\nnever_end = [\"Pte.\"]\nbefore_number = []\nambiguous = []\n",
        )
        .unwrap();
        let lex = sitrep_lexicon::Lexicons::load(Some(dir.path())).unwrap();
        let splitter = SentenceSplitter::new(&lex).unwrap();
        let text = "Pte. Jones left. Mr. Smith stayed.";
        let got: Vec<&str> = splitter.split(text).iter().map(|s| s.text(text)).collect();
        assert_eq!(got, ["Pte. Jones left.", "Mr.", "Smith stayed."]);
    }
}

