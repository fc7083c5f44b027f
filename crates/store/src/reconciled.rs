//! Tables that reconciliation fills (events, contradictions, control ledger, numbers):
//! each run replaces them whole in one transaction, so readers see either the old
//! results or the new ones. Every filter is a bound parameter.

use anyhow::Result;
use rusqlite::{params, params_from_iter, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Store;

/// What reconciliation reads of one claim.
#[derive(Debug, Clone)]
pub struct ClaimFacts {
    pub id: String,
    pub article_id: String,
    /// Ingest order of the article (its rowid) and the claim's position in it.
    pub order: (i64, i64),
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub claim_type: String,
    pub stance: String,
    pub agent: Option<String>,
    pub target: Option<String>,
    /// The export record's `place` and `quantity` objects, as JSON text.
    pub place: Option<String>,
    pub quantity: Option<String>,
    pub when_start: Option<String>,
    pub when_end: Option<String>,
    pub source_name: String,
    pub source_kind: String,
    pub source_side: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    pub id: String,
    pub event_type: String,
    pub area: String,
    pub place_name: Option<String>,
    pub place_id: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub agent: Option<String>,
    pub claims: i64,
    pub sources: i64,
    pub outlets: i64,
    pub data: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContradictionRow {
    pub id: String,
    pub kind: String,
    pub event_a: String,
    pub event_b: String,
    pub data: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlRow {
    pub place_key: String,
    pub place_name: String,
    pub area: String,
    pub current: Option<String>,
    pub data: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasureRow {
    pub key: String,
    pub label: String,
    pub disputed: bool,
    pub data: Value,
}

/// One reconciliation run's results, ready to store: each row with its `data` left
/// `Null` beside the JSON text to store as `data` (200,000 claims' worth of
/// `serde_json::Value` trees would cost several times the memory of the text).
#[derive(Debug, Clone, Default)]
pub struct ReconciledTables {
    pub events: Vec<(EventRow, String)>,
    pub contradictions: Vec<(ContradictionRow, String)>,
    pub control: Vec<(ControlRow, String)>,
    pub numbers: Vec<(MeasureRow, String)>,
    /// (claim id, event id).
    pub assignments: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub event_type: Option<String>,
    /// Case-insensitive substring of the area or the place name.
    pub area: Option<String>,
    /// Events that end on or after this date.
    pub since: Option<String>,
    /// Events that start on or before this date.
    pub until: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

fn json(text: String) -> Value {
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

const EVENT_COLUMNS: &str =
    "id, type, area, place_name, place_id, lat, lon, start, end, agent, claims, sources, outlets, data";

fn row_to_event(r: &rusqlite::Row) -> rusqlite::Result<EventRow> {
    Ok(EventRow {
        id: r.get(0)?,
        event_type: r.get(1)?,
        area: r.get(2)?,
        place_name: r.get(3)?,
        place_id: r.get(4)?,
        lat: r.get(5)?,
        lon: r.get(6)?,
        start: r.get(7)?,
        end: r.get(8)?,
        agent: r.get(9)?,
        claims: r.get(10)?,
        sources: r.get(11)?,
        outlets: r.get(12)?,
        data: json(r.get(13)?),
    })
}

impl Store {
    /// Every claim, oldest article first, as reconciliation reads it, handed to `each`
    /// one at a time: a caller that keeps something smaller than the row never holds all
    /// rows at once.
    pub fn each_claim_fact(&self, mut each: impl FnMut(ClaimFacts) -> Result<()>) -> Result<()> {
        let mut stmt = self.conn().prepare(
            "SELECT c.id, c.article_id, a.rowid, c.seq, a.outlet, a.published, c.type, c.stance, c.agent, c.target,
                    json_extract(c.record, '$.place'), json_extract(c.record, '$.quantity'), c.when_start, c.when_end,
                    c.source_name, c.source_kind, c.source_side
             FROM claims c JOIN articles a ON a.id = c.article_id ORDER BY a.rowid, c.seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ClaimFacts {
                id: r.get(0)?,
                article_id: r.get(1)?,
                order: (r.get(2)?, r.get(3)?),
                outlet: r.get(4)?,
                published: r.get(5)?,
                claim_type: r.get(6)?,
                stance: r.get(7)?,
                agent: r.get(8)?,
                target: r.get(9)?,
                place: r.get(10)?,
                quantity: r.get(11)?,
                when_start: r.get(12)?,
                when_end: r.get(13)?,
                source_name: r.get(14)?,
                source_kind: r.get(15)?,
                source_side: r.get(16)?,
            })
        })?;
        for row in rows {
            each(row?)?;
        }
        Ok(())
    }

    /// Replace all reconciliation results, and every claim's event id, at once.
    pub fn replace_reconciliation(&mut self, t: &ReconciledTables) -> Result<()> {
        let tx = self.conn_mut().transaction()?;
        tx.execute_batch(
            "DELETE FROM events; DELETE FROM contradictions; DELETE FROM control; DELETE FROM numbers;
             DELETE FROM claim_events;",
        )?;
        {
            let mut ins = tx.prepare(&format!(
                "INSERT INTO events ({EVENT_COLUMNS}) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)"
            ))?;
            for (e, json) in &t.events {
                ins.execute(params![
                    e.id,
                    e.event_type,
                    e.area,
                    e.place_name,
                    e.place_id,
                    e.lat,
                    e.lon,
                    e.start,
                    e.end,
                    e.agent,
                    e.claims,
                    e.sources,
                    e.outlets,
                    json
                ])?;
            }
            let mut ins =
                tx.prepare("INSERT INTO contradictions (id, kind, event_a, event_b, data) VALUES (?1,?2,?3,?4,?5)")?;
            for (c, json) in &t.contradictions {
                ins.execute(params![c.id, c.kind, c.event_a, c.event_b, json])?;
            }
            let mut ins =
                tx.prepare("INSERT INTO control (place_key, place_name, area, current, data) VALUES (?1,?2,?3,?4,?5)")?;
            for (c, json) in &t.control {
                ins.execute(params![c.place_key, c.place_name, c.area, c.current, json])?;
            }
            let mut ins = tx.prepare("INSERT INTO numbers (key, label, disputed, data) VALUES (?1,?2,?3,?4)")?;
            for (m, json) in &t.numbers {
                ins.execute(params![m.key, m.label, m.disputed, json])?;
            }
            let mut ins = tx.prepare("INSERT OR REPLACE INTO claim_events (claim_id, event_id) VALUES (?1, ?2)")?;
            // In key order: claim ids are hashes, and a million inserts at random places of
            // the table's B-tree cost several times what appending at its end does.
            let mut assignments: Vec<&(String, String)> = t.assignments.iter().collect();
            assignments.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            for (claim, event) in assignments {
                ins.execute(params![claim, event])?;
            }
            tx.execute(
                "INSERT INTO reconcile_runs (claims, events, contradictions) VALUES (?1, ?2, ?3)",
                params![t.assignments.len() as i64, t.events.len() as i64, t.contradictions.len() as i64],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Whether the claims changed since the last reconciliation (or none ran yet).
    pub fn reconciliation_stale(&self) -> Result<bool> {
        let unassigned: i64 = self.conn().query_row(
            "SELECT count(*) FROM claims WHERE id NOT IN (SELECT claim_id FROM claim_events)",
            [],
            |r| r.get(0),
        )?;
        let last: Option<i64> = self
            .conn()
            .query_row("SELECT claims FROM reconcile_runs ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
            .optional()?;
        Ok(unassigned > 0 || last != Some(self.count_claims()?))
    }

    pub fn events(&self, f: &EventFilter) -> Result<Vec<EventRow>> {
        let mut sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE 1=1");
        let mut args: Vec<String> = Vec::new();
        let mut add = |clause: &str, value: &Option<String>, args: &mut Vec<String>| {
            if let Some(v) = value {
                args.push(v.clone());
                sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
            }
        };
        add(" AND type = ?", &f.event_type, &mut args);
        add(
            " AND (instr(lower(area), lower(?)) > 0 OR instr(lower(coalesce(place_name, '')), lower(?)) > 0)",
            &f.area,
            &mut args,
        );
        add(" AND coalesce(end, start) >= ?", &f.since, &mut args);
        add(" AND start <= ?", &f.until, &mut args);
        sql.push_str(" ORDER BY coalesce(start, '9999'), id");
        sql.push_str(&format!(" LIMIT {} OFFSET {}", f.limit.unwrap_or(-1), f.offset.unwrap_or(0).max(0)));
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args.iter()), row_to_event)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn event(&self, id: &str) -> Result<Option<EventRow>> {
        let mut stmt = self.conn().prepare(&format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = ?1"))?;
        Ok(stmt.query_row([id], row_to_event).optional()?)
    }

    /// Contradictions, optionally of one kind (denial, control, quantity).
    pub fn contradictions(&self, kind: Option<&str>) -> Result<Vec<ContradictionRow>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, kind, event_a, event_b, data FROM contradictions WHERE ?1 IS NULL OR kind = ?1 ORDER BY kind, id",
        )?;
        let rows = stmt.query_map([kind], |r| {
            Ok(ContradictionRow {
                id: r.get(0)?,
                kind: r.get(1)?,
                event_a: r.get(2)?,
                event_b: r.get(3)?,
                data: json(r.get(4)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Control ledgers, optionally for places whose name contains `place`.
    pub fn control(&self, place: Option<&str>) -> Result<Vec<ControlRow>> {
        let mut stmt = self.conn().prepare(
            "SELECT place_key, place_name, area, current, data FROM control
             WHERE ?1 IS NULL OR instr(lower(place_name), lower(?1)) > 0 ORDER BY area, place_name",
        )?;
        let rows = stmt.query_map([place], |r| {
            Ok(ControlRow {
                place_key: r.get(0)?,
                place_name: r.get(1)?,
                area: r.get(2)?,
                current: r.get(3)?,
                data: json(r.get(4)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Measures and their claimed values; `disputed_only` keeps those with a contradiction.
    pub fn numbers(&self, disputed_only: bool) -> Result<Vec<MeasureRow>> {
        let mut stmt = self.conn().prepare(
            "SELECT key, label, disputed, data FROM numbers WHERE NOT ?1 OR disputed ORDER BY disputed DESC, key",
        )?;
        let rows = stmt.query_map([disputed_only], |r| {
            Ok(MeasureRow { key: r.get(0)?, label: r.get(1)?, disputed: r.get(2)?, data: json(r.get(3)?) })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
