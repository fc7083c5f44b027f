//! Schema and migrations. Each migration is applied once, in order, inside a
//! transaction; `PRAGMA user_version` records how far a database has come.

use anyhow::Result;
use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
    // 1: articles and the outlets that carried them.
    r#"
    CREATE TABLE articles (
        id            TEXT PRIMARY KEY,      -- 16 hex digits of the clean text's SHA-256
        content_hash  TEXT NOT NULL UNIQUE,  -- full SHA-256 of the clean text
        minhash       BLOB NOT NULL,         -- 64 x u32 MinHash signature (little-endian)
        title         TEXT,
        url           TEXT,
        outlet        TEXT,
        published     TEXT,                  -- YYYY-MM-DD
        published_inferred INTEGER NOT NULL DEFAULT 0,
        format        TEXT NOT NULL,
        origin        TEXT NOT NULL,         -- first path/URL it was read from
        text          TEXT NOT NULL,         -- clean text; spans point into it
        words         INTEGER NOT NULL,
        chars         INTEGER NOT NULL,
        ingested_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
        processed_version INTEGER            -- pipeline version that last extracted it; NULL = not yet
    );
    -- LSH bands of each article's MinHash: near-duplicate candidates share one.
    CREATE TABLE article_bands (
        band       INTEGER NOT NULL,
        hash       INTEGER NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (band, hash, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX articles_published ON articles(published);

    -- Every copy seen: the original and each syndicated or near-identical copy.
    CREATE TABLE article_copies (
        article_id    TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        content_hash  TEXT NOT NULL,         -- hash of this copy's own clean text
        outlet        TEXT,
        url           TEXT,
        title         TEXT,
        published     TEXT,
        origin        TEXT NOT NULL,
        relation      TEXT NOT NULL CHECK (relation IN ('original','exact','near')),
        similarity    REAL NOT NULL DEFAULT 1.0,   -- estimated Jaccard to the stored article
        PRIMARY KEY (article_id, content_hash, origin)
    );
    CREATE INDEX article_copies_hash ON article_copies(content_hash);
    "#,
];

pub fn migrate(conn: &Connection) -> Result<()> {
    let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))? as usize;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
