//! Mentions: sentences, paragraphs, places, times and quantities of an article.

use anyhow::{Context, Result};
use rusqlite::{params, OptionalExtension};
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

/// A mention as it is written: `data` already serialized, so that the extractor can do
/// that work in parallel and the single writer only inserts.
#[derive(Debug, Clone, PartialEq)]
pub struct MentionText {
    pub kind: &'static str,
    pub seq: i64,
    pub start: i64,
    pub end: i64,
    pub text: String,
    /// The mention as JSON text.
    pub data: String,
}

/// The mentions stored for an article: a JSON array of `[kind, seq, start, end, text, data]`.
fn decode(json: &str) -> Result<Vec<MentionRow>> {
    type Packed = (String, i64, i64, i64, String, serde_json::Value);
    let packed: Vec<Packed> = serde_json::from_str(json).context("stored mentions are not valid JSON")?;
    let row = |(kind, seq, start, end, text, data): Packed| MentionRow { kind, seq, start, end, text, data };
    Ok(packed.into_iter().map(row).collect())
}

fn encode<'a>(rows: impl Iterator<Item = &'a MentionText>) -> String {
    use std::fmt::Write;
    let mut out = String::from("[");
    for (i, r) in rows.enumerate() {
        if i > 0 {
            out.push(',');
        }
        // `data` is JSON already; the rest is written as JSON values around it.
        let text = serde_json::to_string(&r.text).expect("a string serializes");
        write!(out, "[\"{}\",{},{},{},{},{}]", r.kind, r.seq, r.start, r.end, text, r.data)
            .expect("writing to a String");
    }
    out.push(']');
    out
}

impl Store {
    /// Replace all mentions of an article (re-extraction rewrites them whole).
    pub fn replace_mentions(tx: &rusqlite::Transaction, article_id: &str, rows: &[MentionText]) -> Result<()> {
        let quotes = encode(rows.iter().filter(|r| r.kind == "quote"));
        let others = encode(rows.iter().filter(|r| r.kind != "quote"));
        let mut stmt = tx.prepare_cached(
            "INSERT OR REPLACE INTO article_mentions (article_id, quotes, mentions) VALUES (?1, ?2, ?3)",
        )?;
        stmt.execute(params![article_id, quotes, others])?;
        Ok(())
    }

    /// Direct quotations with their speakers, of one article or all, in text order.
    pub fn quotes(&self, article_id: Option<&str>) -> Result<Vec<(String, MentionRow)>> {
        let mut stmt = self.conn().prepare(
            "SELECT article_id, quotes FROM article_mentions WHERE ?1 IS NULL OR article_id = ?1 ORDER BY article_id",
        )?;
        let rows = stmt.query_map([article_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, json) = row?;
            let mut quotes = decode(&json)?;
            quotes.sort_by_key(|m| m.start);
            out.extend(quotes.into_iter().map(|q| (id.clone(), q)));
        }
        Ok(out)
    }

    /// Mentions of an article in text order; `kinds` empty means all kinds.
    pub fn mentions(&self, article_id: &str, kinds: &[&str]) -> Result<Vec<MentionRow>> {
        let mut stmt =
            self.conn().prepare_cached("SELECT quotes, mentions FROM article_mentions WHERE article_id = ?1")?;
        let stored: Option<(String, String)> =
            stmt.query_row([article_id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        let Some((quotes, others)) = stored else { return Ok(Vec::new()) };
        let mut out = decode(&others)?;
        out.extend(decode(&quotes)?);
        out.retain(|m| kinds.is_empty() || kinds.contains(&m.kind.as_str()));
        out.sort_by(|a, b| (a.start, &a.kind, a.seq).cmp(&(b.start, &b.kind, b.seq)));
        Ok(out)
    }
}
