//! Test fixtures: build a `Document` from a text without the full language layer.
//!
//! Sentences come from the real splitter (`sitrep_language::sentences`); places are the
//! names a test lists, found by plain search, unresolved (no coordinates): enough to
//! test that the extractor ties the right place to the right trigger.

use sitrep_language::{Feature, PlaceMention, Span};

pub struct Fixture {
    pub text: String,
    pub sentences: Vec<Span>,
    pub paragraphs: Vec<Span>,
    pub places: Vec<PlaceMention>,
}

impl Fixture {
    pub fn new(text: &str, place_names: &[&str]) -> Fixture {
        let mut places = Vec::new();
        for name in place_names {
            for (start, _) in text.match_indices(name) {
                places.push(PlaceMention {
                    span: Span::new(start, start + name.len()),
                    name: name.to_string(),
                    gazetteer_id: None,
                    lat: None,
                    lon: None,
                    feature: if name.contains("region") || name.contains("Oblast") { Feature::Region } else { Feature::Town },
                    admin1: None,
                    country: None,
                    relation: None,
                    anchor: None,
                    uncertainty_km: None,
                    resolved_by: "test fixture".into(),
                });
            }
        }
        places.sort_by_key(|p| p.span);
        Fixture {
            text: text.to_string(),
            sentences: sitrep_language::sentences::split(text),
            paragraphs: sitrep_language::sentences::paragraphs(text),
            places,
        }
    }

    pub fn doc(&self) -> crate::Document<'_> {
        crate::Document {
            doc_id: "test",
            text: &self.text,
            outlet: Some("Test Outlet"),
            published: Some(jiff::civil::date(2025, 3, 21)),
            sentences: &self.sentences,
            paragraphs: &self.paragraphs,
            places: &self.places,
            times: &[],
            quantities: &[],
        }
    }
}

/// A naive sentence splitter for tests while `sitrep_language::sentences::split` is a stub:
/// a sentence ends after `.`, `?` or `!` (and any closing quotes or brackets) when white space
/// and an upper-case letter or an opening quote follow, and at every line break. Abbreviations
/// with inner dots ("U.S.") and common titles ("Mr.") do not end a sentence.
pub fn naive_sentences(text: &str) -> Vec<Span> {
    const TITLES: [&str; 10] = ["Mr", "Ms", "Mrs", "Dr", "St", "Gen", "Lt", "Col", "Sgt", "Prof"];
    let mut out = Vec::new();
    let mut start = 0;
    let push = |out: &mut Vec<Span>, a: usize, b: usize| {
        let s = &text[a..b];
        let lead = s.len() - s.trim_start().len();
        let trail = s.len() - s.trim_end().len();
        if lead + trail < s.len() {
            out.push(Span::new(a + lead, b - trail));
        }
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        if c == '\n' {
            push(&mut out, start, i);
            start = i + 1;
        } else if matches!(c, '.' | '?' | '!') {
            let word_start = text[..i].rfind(|ch: char| ch.is_whitespace()).map_or(0, |p| p + 1);
            let word = &text[word_start..i];
            let abbreviation = c == '.' && (word.contains('.') || TITLES.contains(&word));
            let mut j = k + 1;
            while j < chars.len() && matches!(chars[j].1, '"' | '”' | '’' | '»' | ')' | '\'') {
                j += 1;
            }
            let end = chars.get(j).map_or(text.len(), |&(p, _)| p);
            let mut n = j;
            let mut saw_space = false;
            while n < chars.len() && chars[n].1.is_whitespace() && chars[n].1 != '\n' {
                saw_space = true;
                n += 1;
            }
            let next = chars.get(n).map(|&(_, ch)| ch);
            if !abbreviation && saw_space && next.is_some_and(|ch| ch.is_uppercase() || matches!(ch, '"' | '“' | '«')) {
                push(&mut out, start, end);
                start = end;
                k = j;
                continue;
            }
        }
        k += 1;
    }
    push(&mut out, start, text.len());
    out
}

impl Fixture {
    /// Like `new`, with sentences from `naive_sentences`.
    pub fn naive(text: &str, place_names: &[&str]) -> Fixture {
        let mut f = Fixture::new(text, place_names);
        f.sentences = naive_sentences(text);
        f
    }
}

#[cfg(test)]
mod naive_split_tests {
    use super::*;

    #[test]
    fn splits_on_sentence_ends_and_lines_but_not_abbreviations() {
        let t = "A U.S. official spoke. “Then we left,” he said. Was it? Yes!\nNext line";
        let got: Vec<&str> = naive_sentences(t).iter().map(|s| s.text(t)).collect();
        assert_eq!(got, ["A U.S. official spoke.", "“Then we left,” he said.", "Was it?", "Yes!", "Next line"]);
        assert!(naive_sentences("").is_empty());
        let _ = naive_sentences("é. É. ’");
    }
}
