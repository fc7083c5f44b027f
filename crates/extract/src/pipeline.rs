//! The whole per-article pipeline: language layer, then claims, then the export record
//! of the contract (CLAIMS.md). Pure functions of the article: no database here, so the
//! CLI can run many articles in parallel and write the results in one transaction.

use rustc_hash::FxHashMap;
use anyhow::Result;
use serde::Serialize;
use sitrep_language::gazetteer::Gazetteer;
use sitrep_language::places::PlaceTagger;
use sitrep_language::quantity::QuantityTagger;
use sitrep_language::time::TimeTagger;
use sitrep_language::{sentences, PlaceMention, QuantityMention, Span, TimeMention};
use sitrep_lexicon::Lexicons;

use crate::attribution::{Attributor, Reservation};
use crate::events::EventFinder;
use crate::{Claim, Document, Evidence, Quote};

/// Bump when extraction output changes, so `sitrep extract` redoes old articles.
pub const PIPELINE_VERSION: i64 = 1;

/// The article as the pipeline needs it.
#[derive(Debug, Clone)]
pub struct ArticleInput<'a> {
    pub id: &'a str,
    pub text: &'a str,
    pub outlet: Option<&'a str>,
    pub url: Option<&'a str>,
    /// `YYYY-MM-DD` from metadata.
    pub published: Option<&'a str>,
}

/// Everything found in one article. Spans are byte offsets; `CharMap` converts.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub sentences: Vec<Span>,
    pub paragraphs: Vec<Span>,
    pub places: Vec<PlaceMention>,
    pub times: Vec<TimeMention>,
    pub quantities: Vec<QuantityMention>,
    /// The publication date used as anchor (`YYYY-MM-DD`), from metadata or inferred.
    pub published: Option<String>,
    pub published_inferred: bool,
    pub claims: Vec<Claim>,
    /// Direct quotations with their speakers.
    pub quotes: Vec<Quote>,
}

pub struct Pipeline {
    places: PlaceTagger,
    times: TimeTagger,
    quantities: QuantityTagger,
    events: EventFinder,
    attributor: Attributor,
}

impl Pipeline {
    pub fn new(gazetteer: &Gazetteer, lex: &Lexicons) -> Result<Pipeline> {
        Ok(Pipeline {
            places: PlaceTagger::new(gazetteer, lex)?,
            times: TimeTagger::new(lex)?,
            quantities: QuantityTagger::new(lex)?,
            events: EventFinder::new(lex)?,
            attributor: Attributor::new(lex)?,
        })
    }

    /// The language layer alone (what `sitrep mentions` shows), without claims.
    pub fn analyse_language(&self, a: &ArticleInput) -> Analysis {
        let text = a.text;
        let given = a.published.and_then(|d| d.parse::<jiff::civil::Date>().ok());
        let (times, published, inferred) = self.times.find_with_date(text, given);
        Analysis {
            sentences: sentences::split(text),
            paragraphs: sentences::paragraphs(text),
            places: self.places.find(text),
            times,
            quantities: self.quantities.find(text),
            published: published.map(|d| d.to_string()),
            published_inferred: inferred,
            claims: Vec::new(),
            quotes: Vec::new(),
        }
    }

    pub fn analyse(&self, a: &ArticleInput) -> Analysis {
        let mut an = self.analyse_language(a);
        let published = an.published.as_deref().and_then(|d| d.parse().ok());
        let doc = Document {
            doc_id: a.id,
            text: a.text,
            outlet: a.outlet,
            published,
            sentences: &an.sentences,
            paragraphs: &an.paragraphs,
            places: &an.places,
            times: &an.times,
            quantities: &an.quantities,
        };
        let attribution = self.attributor.analyse(&doc);
        let mut claims = Vec::new();
        let mut furniture = FurnitureLines::default();
        for cand in self.events.find(&doc) {
            if furniture.holds(a.text, doc.sentences[cand.sentence]) {
                continue;
            }
            let at = attribution.attribute(cand.sentence, cand.trigger);
            let mut evidence = cand.evidence;
            evidence.extend(at.evidence);
            claims.push(Claim {
                sentence: doc.sentences[cand.sentence],
                trigger: cand.trigger,
                event_type: cand.event_type,
                agent: cand.agent,
                target: cand.target,
                place: cand.place,
                when: cand.when,
                quantity: cand.quantity,
                source: at.source,
                stance: at.stance,
                quote: at.quote,
                evidence,
            });
        }
        place_reservations(&mut claims, attribution.reservations(), doc.sentences, doc.places);
        an.claims = claims;
        an.quotes = attribution.quotes().to_vec();
        an
    }
}

/// A non-confirmation that refers back ("Ukraine's military has not confirmed the loss of
/// these areas") is about the places of the claims it refers to: its own placeless claim
/// becomes one claim per such place, so that the control ledger can say which places the
/// body has not confirmed. Capture and withdrawal count as one family (the loss of a place
/// is the other side's capture); other types must match.
fn place_reservations(claims: &mut Vec<Claim>, reservations: &[Reservation], sentences: &[Span], places: &[PlaceMention]) {
    use crate::EventType::{Capture, Withdrawal};
    let family = |a: crate::EventType, b: crate::EventType| a == b || matches!((a, b), (Capture | Withdrawal, Capture | Withdrawal));
    let sentence_of = |span: Span| sentences.iter().position(|s| *s == span);
    let mut out = Vec::with_capacity(claims.len());
    for c in claims.iter() {
        let own = c.place.is_none().then(|| {
            reservations.iter().find(|r| {
                c.sentence.start <= r.cue.start && r.cue.end <= c.sentence.end && r.source.name == c.source.name && r.stance == c.stance
            })
        });
        let Some(Some(r)) = own else {
            out.push(c.clone());
            continue;
        };
        let mut seen: Vec<&str> = Vec::new();
        let mut targets = Vec::new();
        for o in claims.iter() {
            let (Some(p), Some(si)) = (o.place, sentence_of(o.sentence)) else { continue };
            if r.sentences.contains(&si) && family(o.event_type, c.event_type) && !seen.contains(&places[p].name.as_str()) {
                seen.push(&places[p].name);
                targets.push(p);
            }
        }
        if targets.is_empty() {
            out.push(c.clone());
        }
        for p in targets {
            let mut placed = c.clone();
            placed.place = Some(p);
            placed.evidence.push(Evidence {
                part: "place".into(),
                span: Some(places[p].span),
                rule: format!("place: {} (named by a claim this non-confirmation refers back to)", places[p].name),
            });
            out.push(placed);
        }
    }
    *claims = out;
}

/// Byte offsets to the character (Unicode scalar) offsets of the public contract.
pub struct CharMap {
    /// Character offset at each byte offset (a char's continuation bytes repeat it).
    at_byte: Vec<u32>,
}

impl CharMap {
    pub fn new(text: &str) -> CharMap {
        let mut at_byte = Vec::with_capacity(text.len() + 1);
        for (ci, c) in text.chars().enumerate() {
            for _ in 0..c.len_utf8() {
                at_byte.push(ci as u32);
            }
        }
        at_byte.push(text.chars().count() as u32);
        CharMap { at_byte }
    }
    pub fn char_at(&self, byte: usize) -> i64 {
        self.at_byte[byte.min(self.at_byte.len() - 1)] as i64
    }
    pub fn span(&self, s: Span) -> [i64; 2] {
        [self.char_at(s.start), self.char_at(s.end)]
    }
}

/// A stable claim id: the same article, spans, type and place always give the same id.
pub fn claim_id(doc_id: &str, claim: &Claim, place: Option<&PlaceMention>) -> String {
    use sha2::{Digest, Sha256};
    let key = format!(
        "{doc_id}|{}|{}|{}|{:?}|{}",
        claim.sentence.start,
        claim.trigger.start,
        claim.trigger.end,
        claim.event_type,
        place.map(|p| p.name.as_str()).unwrap_or("")
    );
    Sha256::digest(key.as_bytes()).iter().take(8).map(|b| format!("{b:02x}")).collect()
}

// The records below are typed rather than built as `serde_json::Value`s: extraction
// writes two per claim, and a `Value` object is a B-tree of owned keys. Fields are
// declared in alphabetical order, the order a `Value` object serializes in, so the stored
// JSON is the same bytes as when it was built from `json!`.

/// The `place` object of the contract.
#[derive(Serialize)]
pub struct RecordPlace<'a> {
    pub admin1: Option<&'a str>,
    pub country: Option<&'a str>,
    pub feature: sitrep_language::Feature,
    pub gazetteer_id: Option<&'a str>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub name: &'a str,
}

#[derive(Serialize)]
pub struct RecordQuantity<'a> {
    pub max: Option<f64>,
    pub min: Option<f64>,
    pub text: &'a str,
    pub unit: Option<&'a str>,
    pub value: Option<f64>,
}

#[derive(Serialize)]
pub struct RecordSource<'a> {
    pub kind: crate::SourceKind,
    pub name: &'a str,
    pub side: Option<&'a str>,
}

#[derive(Serialize)]
pub struct RecordWhen<'a> {
    pub end: Option<&'a str>,
    pub start: Option<&'a str>,
    pub text: &'a str,
}

/// The export record of CLAIMS.md for one claim (without `event_id`, which the
/// reconciler assigns).
#[derive(Serialize)]
pub struct ExportRecord<'a> {
    pub agent: Option<&'a str>,
    pub claim_id: String,
    pub doc_id: &'a str,
    pub outlet: Option<&'a str>,
    pub place: Option<RecordPlace<'a>>,
    pub published: Option<&'a str>,
    pub published_inferred: bool,
    pub quantity: Option<RecordQuantity<'a>>,
    pub quote: Option<&'a str>,
    pub sentence: &'a str,
    pub source: RecordSource<'a>,
    pub span: [i64; 2],
    pub stance: crate::Stance,
    pub target: Option<&'a str>,
    #[serde(rename = "type")]
    pub event_type: crate::EventType,
    pub url: Option<&'a str>,
    pub when: Option<RecordWhen<'a>>,
}

pub fn export_record<'a>(a: &ArticleInput<'a>, an: &'a Analysis, claim: &'a Claim, chars: &CharMap) -> ExportRecord<'a> {
    let place = claim.place.map(|i| &an.places[i]);
    let when = claim.when.map(|i| &an.times[i]).filter(|t| t.start.is_some());
    let quantity = claim.quantity.map(|i| &an.quantities[i]);
    ExportRecord {
        agent: claim.agent.as_deref(),
        claim_id: claim_id(a.id, claim, place),
        doc_id: a.id,
        outlet: a.outlet,
        place: place.map(|p| RecordPlace {
            admin1: p.admin1.as_deref(),
            country: p.country.as_deref(),
            feature: p.feature,
            gazetteer_id: p.gazetteer_id.as_deref(),
            lat: p.lat,
            lon: p.lon,
            name: &p.name,
        }),
        published: an.published.as_deref(),
        published_inferred: an.published_inferred,
        quantity: quantity.map(|q| RecordQuantity { max: q.max, min: q.min, text: q.span.text(a.text), unit: q.unit.as_deref(), value: q.value }),
        quote: claim.quote.as_ref().map(|q| q.span.text(a.text)),
        sentence: claim.sentence.text(a.text),
        source: RecordSource { kind: claim.source.kind, name: &claim.source.name, side: claim.source.side.as_deref() },
        span: chars.span(claim.sentence),
        stance: claim.stance,
        target: claim.target.as_deref(),
        event_type: claim.event_type,
        url: a.url,
        when: when.map(|t| RecordWhen { end: t.end.as_deref().or(t.start.as_deref()), start: t.start.as_deref(), text: t.span.text(a.text) }),
    }
}

#[derive(Serialize)]
pub struct DetailEvidence<'a> {
    pub part: &'a str,
    pub rule: &'a str,
    pub span: Option<[i64; 2]>,
}

/// What `sitrep explain` needs beyond the record: spans (as characters) and evidence.
#[derive(Serialize)]
pub struct ExplainDetail<'a> {
    pub evidence: Vec<DetailEvidence<'a>>,
    pub place: Option<[i64; 2]>,
    pub place_resolved_by: Option<&'a str>,
    pub quantity: Option<[i64; 2]>,
    pub quote: Option<[i64; 2]>,
    pub source: Option<[i64; 2]>,
    pub trigger: [i64; 2],
    pub when: Option<[i64; 2]>,
}

pub fn explain_detail<'a>(an: &'a Analysis, claim: &'a Claim, chars: &CharMap) -> ExplainDetail<'a> {
    let span = |s: Option<Span>| s.map(|s| chars.span(s));
    ExplainDetail {
        evidence: claim.evidence.iter().map(|e| DetailEvidence { part: &e.part, rule: &e.rule, span: span(e.span) }).collect(),
        place: span(claim.place.map(|i| an.places[i].span)),
        place_resolved_by: claim.place.map(|i| an.places[i].resolved_by.as_str()),
        quantity: span(claim.quantity.map(|i| an.quantities[i].span)),
        quote: span(claim.quote.as_ref().map(|q| q.span)),
        source: span(claim.source.span),
        trigger: chars.span(claim.trigger),
        when: span(claim.when.map(|i| an.times[i].span)),
    }
}

/// Whether the sentence stands on a line of site furniture ("Discover more from <site>",
/// "Subscribe to get the latest posts"): HTML pages lose such lines at ingest, but plain
/// text keeps them, because its clean text (and so its id) is the file as written. The
/// patterns are the ingest ones (`lexicons/ingest/boilerplate.toml`), whole lines only.
/// Each line is tested once per article: an article's candidates share a few dozen lines,
/// and some patterns (`.*$`) read a whole paragraph-long line.
#[derive(Default)]
struct FurnitureLines {
    tested: FxHashMap<usize, bool>,
}

impl FurnitureLines {
    fn holds(&mut self, text: &str, sentence: Span) -> bool {
        let start = text[..sentence.start].rfind('\n').map_or(0, |p| p + 1);
        *self.tested.entry(start).or_insert_with(|| {
            let end = text[start..].find('\n').map_or(text.len(), |p| start + p);
            sitrep_ingest::formats::boilerplate::is_boilerplate(&text[start..end])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_non_confirmation_takes_the_places_it_refers_back_to() {
        let gaz = Gazetteer::embedded().unwrap();
        let p = Pipeline::new(&gaz, &Lexicons::embedded()).unwrap();
        let text = "Russia's Defence Ministry said its forces had recaptured the villages of Bukhtarivka and \
                    Zelenoyarka, both near Sudzha.\n\nUkraine's military has not confirmed the loss of these areas.";
        let a = ArticleInput { id: "t", text, outlet: None, url: None, published: Some("2025-03-13") };
        let an = p.analyse(&a);
        let unconfirmed: Vec<&str> = an
            .claims
            .iter()
            .filter(|c| c.stance == crate::Stance::Unconfirmed)
            .map(|c| c.place.map(|i| an.places[i].name.as_str()).unwrap_or("—"))
            .collect();
        assert_eq!(unconfirmed, ["Bukhtarivka", "Zelenoyarka"], "{:#?}", an.claims);
    }

    /// A plain-text file pasted from a web page keeps its furniture lines; a site name in
    /// one ("Peace Talks Weekly") is not a claim, the article's sentences still are.
    #[test]
    fn furniture_lines_of_plain_text_give_no_claims() {
        let gaz = Gazetteer::embedded().unwrap();
        let p = Pipeline::new(&gaz, &Lexicons::embedded()).unwrap();
        let text = "Ukrainian forces withdrew from Sudzha on Tuesday, the general staff said.\n\n\
                    Discover more from Peace Talks Weekly | Ceasefire Negotiations and Prisoner Exchange News\n\n\
                    Subscribe to get news of every attack and negotiation sent to your email.";
        let a = ArticleInput { id: "t", text, outlet: None, url: None, published: Some("2025-03-13") };
        let an = p.analyse(&a);
        let sentences: Vec<&str> = an.claims.iter().map(|c| &text[c.sentence.start..c.sentence.end]).collect();
        assert!(!sentences.is_empty());
        assert!(sentences.iter().all(|s| s.starts_with("Ukrainian forces withdrew")), "{sentences:?}");
    }

    #[test]
    fn char_map_counts_scalars_not_bytes() {
        let text = "Суджа — town";
        let m = CharMap::new(text);
        let b = text.find("town").unwrap();
        assert_eq!(m.char_at(b), 8);
        assert_eq!(m.span(Span::new(0, "Суджа".len())), [0, 5]);
        assert_eq!(m.char_at(text.len()), 12);
    }
}
