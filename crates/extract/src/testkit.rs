//! Test fixtures: build a `Document` from a text without the full language layer.
//!
//! Sentences come from the real splitter (`sitrep_language::sentences`); places are the
//! names a test lists, found by plain search, unresolved (no coordinates): enough to
//! test that the extractor ties the right place to the right trigger.

use sitrep_language::{Feature, PlaceMention, QuantityMention, Span, TimeMention, TimexType};

pub struct Fixture {
    pub text: String,
    pub sentences: Vec<Span>,
    pub paragraphs: Vec<Span>,
    pub places: Vec<PlaceMention>,
    pub times: Vec<TimeMention>,
    pub quantities: Vec<QuantityMention>,
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
            times: Vec::new(),
            quantities: Vec::new(),
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
            times: &self.times,
            quantities: &self.quantities,
        }
    }
}

/// Builders for what `Fixture::new` leaves empty or plain: sentences split naively (the
/// real splitter lives in sitrep-language), times, quantities, and place details.
impl Fixture {
    /// Split after ". ", "? ", "! " (before an uppercase letter or a quotation mark) and at
    /// line breaks. Enough for test texts written with that in mind.
    pub fn naive_sentences(mut self) -> Fixture {
        let text = &self.text;
        let mut out = Vec::new();
        let mut start = 0;
        let push = |out: &mut Vec<Span>, s: usize, e: usize| {
            let piece = &text[s..e];
            let lead = piece.len() - piece.trim_start().len();
            let trail = piece.len() - piece.trim_end().len();
            if !piece.trim().is_empty() {
                out.push(Span::new(s + lead, e - trail));
            }
        };
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        for (k, &(i, c)) in chars.iter().enumerate() {
            let next_is_start = chars.get(k + 2).is_some_and(|&(_, n)| n.is_uppercase() || n == '"' || n == '“');
            if c == '\n' {
                push(&mut out, start, i);
                start = i + 1;
            } else if matches!(c, '.' | '?' | '!') && chars.get(k + 1).is_some_and(|&(_, n)| n == ' ') && next_is_start {
                push(&mut out, start, i + 1);
                start = i + 1;
            }
        }
        push(&mut out, start, text.len());
        self.sentences = out;
        self
    }

    /// A time mention over the first occurrence of `fragment`.
    pub fn time(mut self, fragment: &str, timex_type: TimexType, value: &str, interval: Option<(&str, &str)>) -> Fixture {
        let start = self.text.find(fragment).unwrap_or_else(|| panic!("{fragment:?} not in the text"));
        self.times.push(TimeMention {
            span: Span::new(start, start + fragment.len()),
            timex_type,
            value: value.into(),
            start: interval.map(|(s, _)| s.into()),
            end: interval.map(|(_, e)| e.into()),
            relative: false,
        });
        self.times.sort_by_key(|t| t.span);
        self
    }

    /// A quantity mention over the first occurrence of `fragment`.
    pub fn quantity(mut self, fragment: &str, value: f64, unit: &str) -> Fixture {
        let start = self.text.find(fragment).unwrap_or_else(|| panic!("{fragment:?} not in the text"));
        self.quantities.push(QuantityMention {
            span: Span::new(start, start + fragment.len()),
            value: Some(value),
            min: None,
            max: None,
            unit: Some(unit.into()),
            noun: None,
            approximate: false,
        });
        self.quantities.sort_by_key(|q| q.span);
        self
    }

    /// Set the relation words ("near") of every mention of `name`.
    pub fn relation(mut self, name: &str, relation: &str) -> Fixture {
        for p in self.places.iter_mut().filter(|p| p.name == name) {
            p.relation = Some(relation.into());
        }
        self
    }

    /// Set the feature and ISO alpha-2 country of every mention of `name`.
    pub fn resolved(mut self, name: &str, feature: Feature, country: &str) -> Fixture {
        for p in self.places.iter_mut().filter(|p| p.name == name) {
            p.feature = feature;
            p.country = Some(country.into());
        }
        self
    }

    /// Drop place mentions inside a longer word ("Russia" in "Russian").
    pub fn whole_word_places(mut self) -> Fixture {
        let text = &self.text;
        self.places.retain(|p| {
            !text[..p.span.start].chars().next_back().is_some_and(char::is_alphanumeric) && !text[p.span.end..].chars().next().is_some_and(char::is_alphanumeric)
        });
        self
    }

    /// Of overlapping place mentions ("Kursk" inside "Kursk region"), keep the longest.
    pub fn longest_places(mut self) -> Fixture {
        self.places.sort_by_key(|p| (p.span.start, std::cmp::Reverse(p.span.end)));
        let mut kept: Vec<PlaceMention> = Vec::new();
        for p in self.places {
            if kept.last().is_none_or(|k| p.span.start >= k.span.end) {
                kept.push(p);
            }
        }
        self.places = kept;
        self
    }

    /// Index into `places` of the first mention of `name`.
    pub fn place(&self, name: &str) -> usize {
        self.places.iter().position(|p| p.name == name).unwrap_or_else(|| panic!("no place {name:?}"))
    }
}
