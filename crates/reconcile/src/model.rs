//! What the reconciler reads (one row per stored claim) and what it produces.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A stored claim, reduced to what reconciliation compares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimInput {
    pub id: String,
    pub article_id: String,
    /// Ingest order of the article and position of the claim in it: the oldest claim of
    /// an event names the event, so adding articles never renames an existing event.
    pub order: (i64, i64),
    pub outlet: Option<String>,
    /// The article's publication date (YYYY-MM-DD).
    pub published: Option<String>,
    pub claim_type: String,
    pub stance: String,
    pub agent: Option<String>,
    pub target: Option<String>,
    pub place: Option<PlaceRef>,
    /// `when` of the claim: start and end dates (YYYY-MM-DD).
    pub when: Option<(String, String)>,
    pub quantity: Option<QuantityRef>,
    pub source: SourceRef,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceRef {
    pub name: String,
    pub gazetteer_id: Option<String>,
    /// CLAIMS.md feature: country, region, district, city, town, village, other.
    pub feature: Option<String>,
    pub admin1: Option<String>,
    /// ISO alpha-2.
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuantityRef {
    pub value: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub unit: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SourceRef {
    pub name: String,
    pub kind: String,
    pub side: Option<String>,
}

impl SourceRef {
    /// Who says so, for a reader: the attributed source, or the outlet when it speaks in
    /// its own voice.
    pub fn speaker(&self, outlet: Option<&str>) -> String {
        if self.kind == "outlet" {
            outlet.unwrap_or("the outlet").to_string()
        } else {
            self.name.clone()
        }
    }
}

/// Claims from one or more articles judged to be about the same happening.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    /// The most specific place among its claims (None: no claim names one).
    pub place: Option<PlaceRef>,
    /// The area the situation report files it under: the first-level area, else the
    /// country, else the place's own name, else "Unlocated".
    pub area: String,
    pub agent: Option<String>,
    /// The event's time: the span of its claims' dated intervals.
    pub start: Option<String>,
    pub end: Option<String>,
    /// Whether any claim dates it in the text (otherwise the time is the articles'
    /// publication window).
    pub dated: bool,
    pub claims: Vec<String>,
    /// Claims per stance.
    pub stances: BTreeMap<String, usize>,
    pub corroboration: Corroboration,
    /// Ids of contradictions that involve this event's claims.
    pub contradictions: Vec<String>,
}

/// Who stands behind an event: syndicated copies are stored as one article, so each
/// article counts once.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Corroboration {
    /// Distinct attributed sources (a person, ministry, analyst; not the outlet's own voice).
    pub sources: usize,
    /// Distinct outlets that carried a claim of the event.
    pub outlets: usize,
    pub articles: usize,
    /// Distinct sources per category (russian_official, ukrainian_official,
    /// western_official, other_official, independent_analyst, media), counting outlets
    /// that speak in their own voice as media.
    pub by_side: BTreeMap<String, usize>,
    /// Sources that affirm the event (asserted) and those that deny it.
    pub affirmed_by: Vec<String>,
    pub denied_by: Vec<String>,
    pub outlet_names: Vec<String>,
}

/// Two claims that cannot both be true.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contradiction {
    pub id: String,
    /// `denial` (asserted vs denied of one event), `quantity` (disjoint numbers for one
    /// measure) or `control` (opposite controllers of one place at one time).
    pub kind: String,
    pub summary: String,
    pub place: Option<String>,
    pub a: ClaimRef,
    pub b: ClaimRef,
}

/// A claim as cited by a contradiction, ledger row or number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimRef {
    pub claim_id: String,
    pub event_id: String,
    pub source: SourceRef,
    /// Corroboration category of the source.
    pub category: String,
    pub stance: String,
    pub outlet: Option<String>,
    pub when: Option<String>,
}

/// Who is claimed to control one place, over time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlLedger {
    pub place: PlaceRef,
    pub area: String,
    /// The controller claimed by the latest entry.
    pub current: Option<String>,
    pub entries: Vec<ControlEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlEntry {
    /// Country code of the side claimed to control the place from `since` on.
    pub controller: String,
    pub since: String,
    /// `text` when a claim dates the change, `published` when only the articles'
    /// publication dates bound it.
    pub date_basis: String,
    pub event_id: String,
    /// `capture` (the controller took it) or `withdrawal` (the other side left it).
    pub via: String,
    pub claimed_by: Vec<ClaimRef>,
    pub denied_by: Vec<ClaimRef>,
    pub unconfirmed_by: Vec<ClaimRef>,
    pub corroboration: Corroboration,
}

/// The values claimed for one measure ("PRKMIL troops, deployment").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    pub key: String,
    pub label: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub agent: Option<String>,
    pub unit: String,
    /// The area most of its values are about (None: none names a place).
    pub area: Option<String>,
    /// Every area its values name.
    pub areas: Vec<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub disputed: bool,
    pub values: Vec<NumberClaim>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumberClaim {
    #[serde(flatten)]
    pub claim: ClaimRef,
    pub value: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub text: String,
}

impl ClaimRef {
    pub fn speaker(&self) -> String {
        self.source.speaker(self.outlet.as_deref())
    }
}

/// Everything one reconciliation run produces.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reconciliation {
    pub events: Vec<Event>,
    /// (claim id, event id) for every input claim.
    pub assignments: Vec<(String, String)>,
    pub contradictions: Vec<Contradiction>,
    pub control: Vec<ControlLedger>,
    pub numbers: Vec<Measure>,
}
