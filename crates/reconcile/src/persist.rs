//! Reading claims from the store and writing reconciliation results back.

use anyhow::{Context, Result};
use sitrep_store::{ClaimFacts, ContradictionRow, ControlRow, EventRow, MeasureRow, ReconciledTables, Store};

use crate::model::{ClaimInput, PlaceRef, QuantityRef, Reconciliation, SourceRef};
use crate::{reconcile, Rules};

/// What one run did, for the command line.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunSummary {
    pub claims: usize,
    pub events: usize,
    pub multi_claim_events: usize,
    pub contradictions: usize,
    pub control_places: usize,
    pub measures: usize,
}

pub fn claim_input(f: ClaimFacts) -> Result<ClaimInput> {
    let place: Option<PlaceRef> = match f.place {
        Some(p) => serde_json::from_str(&p).with_context(|| format!("claim {}: place is not valid JSON", f.id))?,
        None => None,
    };
    let quantity: Option<QuantityRef> = match f.quantity {
        Some(q) => serde_json::from_str(&q).with_context(|| format!("claim {}: quantity is not valid JSON", f.id))?,
        None => None,
    };
    let when = f.when_start.map(|s| {
        let e = f.when_end.unwrap_or_else(|| s.clone());
        (s, e)
    });
    Ok(ClaimInput {
        id: f.id,
        article_id: f.article_id,
        order: f.order,
        outlet: f.outlet,
        published: f.published,
        claim_type: f.claim_type,
        stance: f.stance,
        agent: f.agent,
        target: f.target,
        place,
        when,
        quantity,
        source: SourceRef { name: f.source_name, kind: f.source_kind, side: f.source_side },
    })
}

/// Every stored claim as reconciliation input, converted row by row (holding all rows
/// first, with their place and quantity JSON, had doubled the peak memory).
pub fn load_claims(store: &Store) -> Result<Vec<ClaimInput>> {
    let mut out = Vec::with_capacity(store.count_claims()?.max(0) as usize);
    store.each_claim_fact(|f| {
        out.push(claim_input(f)?);
        Ok(())
    })?;
    Ok(out)
}

/// The tables of a result, as the store keeps them (consumes it, to keep one copy).
pub fn tables(r: Reconciliation) -> Result<ReconciledTables> {
    let events = r
        .events
        .into_iter()
        .map(|e| {
            let json = to_json(&e);
            let row = EventRow {
                id: e.id.clone(),
                event_type: e.event_type.clone(),
                area: e.area.clone(),
                place_name: e.place.as_ref().map(|p| p.name.clone()),
                place_id: e.place.as_ref().and_then(|p| p.gazetteer_id.clone()),
                lat: e.place.as_ref().and_then(|p| p.lat),
                lon: e.place.as_ref().and_then(|p| p.lon),
                start: e.start.clone(),
                end: e.end.clone(),
                agent: e.agent.clone(),
                claims: e.claims.len() as i64,
                sources: e.corroboration.sources as i64,
                outlets: e.corroboration.outlets as i64,
                data: serde_json::Value::Null,
            };
            (row, json)
        })
        .collect();
    let contradictions = r
        .contradictions
        .into_iter()
        .map(|c| {
            let json = to_json(&c);
            let row = ContradictionRow {
                id: c.id.clone(),
                kind: c.kind.clone(),
                event_a: c.a.event_id.clone(),
                event_b: c.b.event_id.clone(),
                data: serde_json::Value::Null,
            };
            (row, json)
        })
        .collect();
    let control = r
        .control
        .into_iter()
        .map(|l| {
            let json = to_json(&l);
            let row = ControlRow {
                place_key: l
                    .place
                    .gazetteer_id
                    .clone()
                    .unwrap_or_else(|| format!("name:{}", l.place.name.to_lowercase())),
                place_name: l.place.name.clone(),
                area: l.area.clone(),
                current: l.current.clone(),
                data: serde_json::Value::Null,
            };
            (row, json)
        })
        .collect();
    let numbers = r
        .numbers
        .into_iter()
        .map(|m| {
            let row = MeasureRow {
                key: m.key.clone(),
                label: m.label.clone(),
                disputed: m.disputed,
                data: serde_json::Value::Null,
            };
            (row, to_json(&m))
        })
        .collect();
    Ok(ReconciledTables { events, contradictions, control, numbers, assignments: r.assignments })
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// Reconcile everything stored and replace the stored results.
pub fn run(store: &mut Store, rules: &Rules) -> Result<RunSummary> {
    let claims = load_claims(store)?;
    let n = claims.len();
    let r = reconcile(claims, rules);
    let summary = RunSummary {
        claims: n,
        events: r.events.len(),
        multi_claim_events: r.events.iter().filter(|e| e.claims.len() > 1).count(),
        contradictions: r.contradictions.len(),
        control_places: r.control.len(),
        measures: r.numbers.len(),
    };
    store.replace_reconciliation(&tables(r)?)?;
    Ok(summary)
}
