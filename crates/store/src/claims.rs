//! Claims: stored per article (re-extraction replaces an article's claims whole) and
//! queried with filters. Every filter is a bound parameter: no SQL is built from input.

use anyhow::Result;
use rusqlite::{params, params_from_iter, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::pages::ClaimText;
use crate::Store;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimRow {
    pub id: String,
    pub article_id: String,
    pub seq: i64,
    pub claim_type: String,
    pub stance: String,
    pub agent: Option<String>,
    pub target: Option<String>,
    pub sent_start: i64,
    pub sent_end: i64,
    pub place_name: Option<String>,
    pub place_id: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub when_start: Option<String>,
    pub when_end: Option<String>,
    pub source_name: String,
    pub source_kind: String,
    pub source_side: Option<String>,
    /// The export record of the contract, without `event_id`.
    pub record: serde_json::Value,
    /// Evidence and spans, for `sitrep explain`.
    pub detail: serde_json::Value,
    pub event_id: Option<String>,
}

/// Filters for listing claims; `None` means no restriction.
#[derive(Debug, Clone, Default)]
pub struct ClaimFilter {
    pub claim_type: Option<String>,
    /// Case-insensitive substring of the place name.
    pub place: Option<String>,
    /// Case-insensitive substring of the source name.
    pub source: Option<String>,
    pub stance: Option<String>,
    /// Claims whose time interval ends on or after this date (YYYY-MM-DD).
    pub since: Option<String>,
    /// Claims whose time interval starts on or before this date.
    pub until: Option<String>,
    pub article_id: Option<String>,
    pub limit: Option<i64>,
}

/// The columns a claim is written with.
macro_rules! stored_columns {
    () => {
        "id, article_id, seq, type, stance, agent, target, sent_start, sent_end, place_name, place_id, \
         lat, lon, when_start, when_end, source_name, source_kind, source_side, record, detail"
    };
}

/// What `ClaimRow`/`ClaimText` read, in order: the stored columns and the claim's event
/// (from `claim_events`), selected `FROM claims`.
pub(crate) const COLUMNS: &str =
    concat!(stored_columns!(), ", (SELECT event_id FROM claim_events WHERE claim_id = claims.id) AS event_id");

fn row_to_claim(r: &rusqlite::Row) -> rusqlite::Result<ClaimRow> {
    crate::pages::row_to_claim_text(r).map(ClaimRow::from)
}

impl From<ClaimText> for ClaimRow {
    /// Parse the JSON columns (`Null` where a stored value is not JSON).
    fn from(c: ClaimText) -> ClaimRow {
        ClaimRow {
            id: c.id,
            article_id: c.article_id,
            seq: c.seq,
            claim_type: c.claim_type,
            stance: c.stance,
            agent: c.agent,
            target: c.target,
            sent_start: c.sent_start,
            sent_end: c.sent_end,
            place_name: c.place_name,
            place_id: c.place_id,
            lat: c.lat,
            lon: c.lon,
            when_start: c.when_start,
            when_end: c.when_end,
            source_name: c.source_name,
            source_kind: c.source_kind,
            source_side: c.source_side,
            record: serde_json::from_str(&c.record).unwrap_or(serde_json::Value::Null),
            detail: serde_json::from_str(&c.detail).unwrap_or(serde_json::Value::Null),
            event_id: c.event_id,
        }
    }
}

impl Store {
    /// Replace an article's claims (inside the caller's transaction). They come as text
    /// (`ClaimText`: JSON columns serialized), which the caller can make in parallel.
    pub fn replace_claims(tx: &rusqlite::Transaction, article_id: &str, claims: &[ClaimText]) -> Result<()> {
        // The old claims' event assignments go too: the claims are new until reconciled.
        tx.execute(
            "DELETE FROM claim_events WHERE claim_id IN (SELECT id FROM claims WHERE article_id = ?1)",
            [article_id],
        )?;
        tx.execute("DELETE FROM claims WHERE article_id = ?1", [article_id])?;
        let mut stmt = tx.prepare_cached(concat!(
            "INSERT OR REPLACE INTO claims (",
            stored_columns!(),
            ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20)"
        ))?;
        for c in claims {
            stmt.execute(params![
                c.id, c.article_id, c.seq, c.claim_type, c.stance, c.agent, c.target, c.sent_start, c.sent_end,
                c.place_name, c.place_id, c.lat, c.lon, c.when_start, c.when_end, c.source_name, c.source_kind,
                c.source_side, c.record, c.detail
            ])?;
        }
        Ok(())
    }

    /// Record a publication date inferred from the text (only where metadata gave none).
    pub fn set_inferred_date(tx: &rusqlite::Transaction, article_id: &str, date: &str) -> Result<()> {
        tx.execute(
            "UPDATE articles SET published = ?2, published_inferred = 1 WHERE id = ?1 AND (published IS NULL OR published_inferred = 1)",
            params![article_id, date],
        )?;
        Ok(())
    }

    /// Mark an article as processed by pipeline `version`.
    pub fn mark_processed(tx: &rusqlite::Transaction, article_id: &str, version: i64) -> Result<()> {
        tx.execute("UPDATE articles SET processed_version = ?2 WHERE id = ?1", params![article_id, version])?;
        Ok(())
    }

    /// Ids of articles not yet processed by pipeline `version` (all of them with `all`).
    pub fn articles_to_process(&self, version: i64, all: bool) -> Result<Vec<String>> {
        let mut stmt = self.conn().prepare(
            "SELECT id FROM articles WHERE ?2 OR processed_version IS NULL OR processed_version != ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![version, all], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn claims(&self, f: &ClaimFilter) -> Result<Vec<ClaimRow>> {
        let mut sql = format!("SELECT {COLUMNS} FROM claims WHERE 1=1");
        let mut args: Vec<String> = Vec::new();
        let mut add = |clause: &str, value: &Option<String>, args: &mut Vec<String>| {
            if let Some(v) = value {
                args.push(v.clone());
                sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
            }
        };
        add(" AND type = ?", &f.claim_type, &mut args);
        add(" AND stance = ?", &f.stance, &mut args);
        add(" AND instr(lower(place_name), lower(?)) > 0", &f.place, &mut args);
        add(" AND instr(lower(source_name), lower(?)) > 0", &f.source, &mut args);
        add(" AND coalesce(when_end, when_start) >= ?", &f.since, &mut args);
        add(" AND when_start <= ?", &f.until, &mut args);
        add(" AND article_id = ?", &f.article_id, &mut args);
        sql.push_str(" ORDER BY coalesce(when_start, '9999'), article_id, seq");
        if let Some(l) = f.limit {
            sql.push_str(&format!(" LIMIT {}", l.max(0)));
        }
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args.iter()), row_to_claim)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One claim by id or unique id prefix.
    pub fn claim(&self, id_or_prefix: &str) -> Result<Option<ClaimRow>> {
        // A full id (every citation in a report, every contradiction) is one indexed
        // probe; only a prefix needs the LIKE scan.
        let mut exact = self.conn().prepare_cached(&format!("SELECT {COLUMNS} FROM claims WHERE id = ?1"))?;
        if let Some(row) = exact.query_row([id_or_prefix], row_to_claim).optional()? {
            return Ok(Some(row));
        }
        let pattern = format!("{}%", id_or_prefix);
        let mut stmt = self.conn().prepare(&format!("SELECT {COLUMNS} FROM claims WHERE id LIKE ?1 LIMIT 2"))?;
        let rows: Vec<ClaimRow> = stmt.query_map([pattern], row_to_claim)?.collect::<rusqlite::Result<_>>()?;
        Ok(if rows.len() == 1 { rows.into_iter().next() } else { None })
    }

    pub fn count_claims(&self) -> Result<i64> {
        Ok(self.conn().query_row("SELECT count(*) FROM claims", [], |r| r.get(0))?)
    }

    pub fn article_text(&self, id: &str) -> Result<Option<String>> {
        Ok(self.conn().query_row("SELECT text FROM articles WHERE id = ?1", [id], |r| r.get(0)).optional()?)
    }
}
