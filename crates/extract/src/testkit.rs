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
