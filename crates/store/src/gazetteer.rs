//! Imported gazetteer rows (GeoNames dumps), kept in the database so that every later
//! run resolves places with them, on top of the embedded default.

use anyhow::Result;
use rusqlite::{params, OptionalExtension};

use crate::Store;

impl Store {
    /// Whether a file with this SHA-256 was imported before (imports are idempotent).
    pub fn gazetteer_import_seen(&self, sha256: &str) -> Result<Option<i64>> {
        Ok(self
            .conn()
            .query_row("SELECT rows FROM gazetteer_imports WHERE sha256 = ?1", [sha256], |r| r.get(0))
            .optional()?)
    }

    /// Store a batch of entries (`id`, `name`, JSON); the same id replaces the old row.
    pub fn put_gazetteer_entries(&mut self, source: &str, rows: &[(String, String, String)]) -> Result<()> {
        let tx = self.conn_mut().transaction()?;
        {
            let mut stmt =
                tx.prepare_cached("INSERT OR REPLACE INTO gazetteer (id, name, entry, source) VALUES (?1,?2,?3,?4)")?;
            for (id, name, entry) in rows {
                stmt.execute(params![id, name, entry, source])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn record_gazetteer_import(&self, path: &str, sha256: &str, rows: i64) -> Result<()> {
        self.conn().execute(
            "INSERT OR REPLACE INTO gazetteer_imports (path, sha256, rows) VALUES (?1,?2,?3)",
            params![path, sha256, rows],
        )?;
        Ok(())
    }

    /// Every imported entry as JSON, for laying over the embedded gazetteer.
    pub fn gazetteer_entries(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn().prepare("SELECT entry FROM gazetteer ORDER BY id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn gazetteer_import_count(&self) -> Result<(i64, i64)> {
        Ok(self.conn().query_row(
            "SELECT (SELECT count(*) FROM gazetteer), (SELECT count(*) FROM gazetteer_imports)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }
}
