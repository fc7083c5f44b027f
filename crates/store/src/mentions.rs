//! Mentions: sentences, paragraphs, places, times and quantities of an article.

use anyhow::Result;
use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::Store;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MentionRow {
    pub kind: String,
    pub seq: i64,
    /// Character offsets, end exclusive.
    pub start: i64,
    pub end: i64,
    pub text: String,
    pub data: serde_json::Value,
}

/// A mention from the columns `kind, seq, start, end, text, data` starting at `first`.
fn row_to_mention(r: &rusqlite::Row, first: usize) -> rusqlite::Result<MentionRow> {
    let data: String = r.get(first + 5)?;
    Ok(MentionRow {
        kind: r.get(first)?,
        seq: r.get(first + 1)?,
        start: r.get(first + 2)?,
        end: r.get(first + 3)?,
        text: r.get(first + 4)?,
        data: serde_json::from_str(&data).unwrap_or(serde_json::Value::Null),
    })
}

impl Store {
    /// Replace all mentions of an article (re-extraction rewrites them whole).
    pub fn replace_mentions(tx: &rusqlite::Transaction, article_id: &str, rows: &[MentionRow]) -> Result<()> {
        tx.execute("DELETE FROM mentions WHERE article_id = ?1", [article_id])?;
        let mut stmt = tx.prepare_cached(
            "INSERT INTO mentions (article_id, kind, seq, start, end, text, data) VALUES (?1,?2,?3,?4,?5,?6,?7)",
        )?;
        for r in rows {
            stmt.execute(params![article_id, r.kind, r.seq, r.start, r.end, r.text, r.data.to_string()])?;
        }
        Ok(())
    }

    /// Direct quotations with their speakers, of one article or all, in text order.
    pub fn quotes(&self, article_id: Option<&str>) -> Result<Vec<(String, MentionRow)>> {
        let mut stmt = self.conn().prepare(
            "SELECT article_id, kind, seq, start, end, text, data FROM mentions
             WHERE kind = 'quote' AND (?1 IS NULL OR article_id = ?1) ORDER BY article_id, start",
        )?;
        let rows = stmt.query_map([article_id], |r| Ok((r.get(0)?, row_to_mention(r, 1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Mentions of an article in text order; `kinds` empty means all kinds.
    pub fn mentions(&self, article_id: &str, kinds: &[&str]) -> Result<Vec<MentionRow>> {
        let mut stmt = self.conn().prepare(
            "SELECT kind, seq, start, end, text, data FROM mentions WHERE article_id = ?1 ORDER BY start, kind, seq",
        )?;
        let rows = stmt.query_map([article_id], |r| row_to_mention(r, 0))?;
        let mut out = Vec::new();
        for row in rows {
            let row = row?;
            if kinds.is_empty() || kinds.contains(&row.kind.as_str()) {
                out.push(row);
            }
        }
        Ok(out)
    }
}
