//! sitrep-extract: turn one analysed article into claims (see CLAIMS.md in the design
//! docs): what happened (event type, from trigger lexicons), who did it to whom (actor
//! codes), where, when and how many (the language layer's mentions, tied to the trigger
//! by the sentence's structure), who says so (attribution) and how they hold it (stance).
//!
//! Spans are byte offsets into the clean text, as in sitrep-language.

pub mod attribution;
pub(crate) mod word_starts;
pub mod events;
pub mod pipeline;
pub mod stored;
#[cfg(test)]
pub(crate) mod testkit;

use serde::{Deserialize, Serialize};
use sitrep_language::{PlaceMention, QuantityMention, Span, TimeMention};

/// Everything the extractor reads about one article.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    pub doc_id: &'a str,
    pub text: &'a str,
    pub outlet: Option<&'a str>,
    pub published: Option<jiff::civil::Date>,
    /// Sentences in order (byte spans), from `sitrep_language::sentences::split`.
    pub sentences: &'a [Span],
    /// Paragraphs in order, from `sitrep_language::sentences::paragraphs`.
    pub paragraphs: &'a [Span],
    pub places: &'a [PlaceMention],
    pub times: &'a [TimeMention],
    pub quantities: &'a [QuantityMention],
}

/// The 16 event types of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    GroundAttack,
    Advance,
    Capture,
    Withdrawal,
    Encirclement,
    Strike,
    Repelled,
    Deployment,
    Casualties,
    Prisoners,
    Evacuation,
    Fortification,
    Aid,
    Diplomacy,
    Threat,
    Weapons,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    Asserted,
    Denied,
    Unconfirmed,
    Possible,
    Planned,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Official,
    Military,
    Analyst,
    Media,
    AnonymousOfficial,
    /// The article speaks in its own voice.
    Outlet,
}

/// Who makes a claim, normalised through the source alias table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// Canonical name ("Russian Ministry of Defence"), or "outlet" for the article's voice.
    pub name: String,
    pub kind: SourceKind,
    /// ISO 3166 alpha-3, or None.
    pub side: Option<String>,
    /// Where the text names the source (None for the outlet's own voice).
    pub span: Option<Span>,
}

impl Source {
    pub fn outlet() -> Source {
        Source { name: "outlet".into(), kind: SourceKind::Outlet, side: None, span: None }
    }
}

/// A direct quotation and who said it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// Span of the quoted words, without the quotation marks.
    pub span: Span,
    pub speaker: Option<Source>,
}

/// Why a part of a claim was chosen: which lexicon file and entry fired, for
/// `sitrep explain`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// "trigger", "agent", "target", "place", "when", "quantity", "source", "stance".
    pub part: String,
    pub span: Option<Span>,
    /// e.g. "extract/triggers.toml: capture ← recaptured".
    pub rule: String,
}

/// One claim, before storage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub sentence: Span,
    pub trigger: Span,
    pub event_type: EventType,
    /// CAMEO-style actor code (`RUSMIL`), or None.
    pub agent: Option<String>,
    pub target: Option<String>,
    /// Index into `Document::places`.
    pub place: Option<usize>,
    /// Index into `Document::times`.
    pub when: Option<usize>,
    /// Index into `Document::quantities`.
    pub quantity: Option<usize>,
    pub source: Source,
    pub stance: Stance,
    pub quote: Option<Quote>,
    pub evidence: Vec<Evidence>,
}
