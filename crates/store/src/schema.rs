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
    // 2: what the language layer and the extractor find.
    r#"
    CREATE TABLE mentions (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        kind       TEXT NOT NULL CHECK (kind IN ('sentence','paragraph','place','time','quantity','quote')),
        seq        INTEGER NOT NULL,
        start      INTEGER NOT NULL,   -- character offsets into the clean text, end exclusive
        end        INTEGER NOT NULL,
        text       TEXT NOT NULL,
        data       TEXT NOT NULL,      -- the mention as JSON (byte spans inside are converted)
        PRIMARY KEY (article_id, kind, seq)
    ) WITHOUT ROWID;

    -- GeoNames rows a user imported, laid over the embedded gazetteer.
    CREATE TABLE gazetteer (
        id     TEXT PRIMARY KEY,       -- geonames:<id>
        name   TEXT NOT NULL,
        entry  TEXT NOT NULL,          -- the entry as JSON
        source TEXT NOT NULL           -- the file it came from
    );
    CREATE TABLE gazetteer_imports (
        path        TEXT NOT NULL,
        sha256      TEXT NOT NULL PRIMARY KEY,
        rows        INTEGER NOT NULL,
        imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );

    CREATE TABLE claims (
        id          TEXT PRIMARY KEY,  -- stable hash of article, spans, type and place
        article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        seq         INTEGER NOT NULL,
        type        TEXT NOT NULL,
        stance      TEXT NOT NULL,
        agent       TEXT,
        target      TEXT,
        sent_start  INTEGER NOT NULL,  -- character offsets of the sentence
        sent_end    INTEGER NOT NULL,
        place_name  TEXT,
        place_id    TEXT,
        lat         REAL,
        lon         REAL,
        when_start  TEXT,
        when_end    TEXT,
        source_name TEXT NOT NULL,
        source_kind TEXT NOT NULL,
        source_side TEXT,
        record      TEXT NOT NULL,     -- the export record (CLAIMS.md) as JSON, without event_id
        detail      TEXT NOT NULL,     -- evidence and spans for `sitrep explain`, as JSON
        event_id    TEXT               -- unused since migration 5 (see claim_events)
    );
    CREATE INDEX claims_article ON claims(article_id, seq);
    CREATE INDEX claims_type ON claims(type);
    CREATE INDEX claims_when ON claims(when_start);
    CREATE INDEX claims_place ON claims(place_name);
    CREATE INDEX claims_event ON claims(event_id);
    "#,
    // 3: what reconciliation finds across articles; rebuilt whole by each run.
    r#"
    CREATE TABLE events (
        id          TEXT PRIMARY KEY,  -- "e" + the oldest claim's id: stable as articles are added
        type        TEXT NOT NULL,
        area        TEXT NOT NULL,     -- first-level area (or country, or place) the report files it under
        place_name  TEXT,
        place_id    TEXT,
        lat         REAL,
        lon         REAL,
        start       TEXT,              -- YYYY-MM-DD
        end         TEXT,
        agent       TEXT,
        claims      INTEGER NOT NULL,
        sources     INTEGER NOT NULL,  -- distinct attributed sources
        outlets     INTEGER NOT NULL,  -- distinct outlets
        data        TEXT NOT NULL      -- the whole event (claims, stances, corroboration) as JSON
    );
    CREATE INDEX events_start ON events(start);
    CREATE INDEX events_type ON events(type);
    CREATE TABLE contradictions (
        id       TEXT PRIMARY KEY,
        kind     TEXT NOT NULL,        -- denial, control, quantity
        event_a  TEXT NOT NULL,
        event_b  TEXT NOT NULL,
        data     TEXT NOT NULL
    );
    CREATE TABLE control (
        place_key  TEXT PRIMARY KEY,
        place_name TEXT NOT NULL,
        area       TEXT NOT NULL,
        current    TEXT,               -- country code claimed to hold it last
        data       TEXT NOT NULL
    );
    CREATE TABLE numbers (
        key      TEXT PRIMARY KEY,     -- type|agent|unit|area
        label    TEXT NOT NULL,
        disputed INTEGER NOT NULL,
        data     TEXT NOT NULL
    );
    CREATE TABLE reconcile_runs (
        id          INTEGER PRIMARY KEY,
        finished_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
        claims      INTEGER NOT NULL,
        events      INTEGER NOT NULL,
        contradictions INTEGER NOT NULL
    );
    "#,
    // 4: an article's mentions in one row instead of one row each. They are only ever read
    // per article, and a row per mention made writing them half the cost of extraction
    // (200+ mentions per article). Quotations get a column of their own, so that
    // `sitrep quotes` over the whole store does not read every article's mentions.
    r#"
    CREATE TABLE article_mentions (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        quotes     TEXT NOT NULL,      -- JSON array of the quote mentions, as below
        mentions   TEXT NOT NULL       -- JSON array of the others: [kind, seq, start, end, text, data], in text order
    );
    INSERT INTO article_mentions (article_id, quotes, mentions)
    SELECT article_id,
           json_group_array(json_array(kind, seq, start, end, text, json(data))) FILTER (WHERE kind = 'quote'),
           json_group_array(json_array(kind, seq, start, end, text, json(data))) FILTER (WHERE kind != 'quote')
    FROM (SELECT * FROM mentions ORDER BY article_id, start, kind, seq)
    GROUP BY article_id;
    DROP TABLE mentions;
    "#,
    // 5: claim-to-event assignments in a narrow table of their own. Reconciliation
    // rewrites them all on every run; as a column of `claims` each update rewrote a whole
    // claim row (its JSON record and evidence), most of the run's time.
    r#"
    CREATE TABLE claim_events (
        claim_id TEXT PRIMARY KEY,     -- claims.id; no foreign key, re-extraction deletes its rows itself
        event_id TEXT NOT NULL         -- events.id
    ) WITHOUT ROWID;
    INSERT INTO claim_events (claim_id, event_id) SELECT id, event_id FROM claims WHERE event_id IS NOT NULL;
    CREATE INDEX claim_events_event ON claim_events(event_id);
    DROP INDEX claims_event;
    -- The old column stays (SQLite's DROP COLUMN trips over the comments in the CREATE
    -- TABLE above) but is no longer read or written.
    UPDATE claims SET event_id = NULL WHERE event_id IS NOT NULL;
    "#,
    // 6: the near-duplicate check reads each LSH candidate's signature and length; from
    // the table that is a second B-tree probe plus a walk over the text's overflow pages
    // (`chars` is stored after `text`), which made ingest slow down as the corpus grew.
    r#"
    CREATE INDEX articles_signature ON articles(id, chars, minhash);
    "#,
    // 7: the near-duplicate index, laid out for appending. Keyed by article id, both the
    // signature index and the LSH bands took each new article's entries at random places
    // all over B-trees that outgrow the page cache, so every batch rewrote most of their
    // pages and ingest slowed down as the corpus grew. Signatures are now appended in
    // storing order (`seq`), and each band entry is two integers: a quarter of the size.
    r#"
    CREATE TABLE article_signatures (
        seq        INTEGER PRIMARY KEY,  -- storing order; what article_lsh points at
        article_id TEXT NOT NULL REFERENCES articles(id),
        chars      INTEGER NOT NULL,
        minhash    BLOB NOT NULL         -- as articles.minhash
    );
    CREATE TABLE article_lsh (
        bucket INTEGER NOT NULL,         -- band number << 56 | the band's hash, low 56 bits
        seq    INTEGER NOT NULL,         -- article_signatures.seq
        PRIMARY KEY (bucket, seq)
    ) WITHOUT ROWID;
    INSERT INTO article_signatures (article_id, chars, minhash)
    SELECT id, chars, minhash FROM articles ORDER BY rowid;
    INSERT OR IGNORE INTO article_lsh (bucket, seq)
    SELECT (b.band << 56) | (b.hash & 0x00FFFFFFFFFFFFFF), s.seq
    FROM article_bands b JOIN article_signatures s ON s.article_id = b.article_id;
    DROP TABLE article_bands;
    DROP INDEX articles_signature;
    "#,
];

/// The indexes of `claims` that serve the listing filters only (`--type`, `--since`,
/// `--place`), as migration 2 made them. A bulk extraction drops them and builds them
/// again at its end ([`crate::Store::defer_claim_filter_indexes`]): one sort per index
/// instead of three B-tree inserts per claim. Opening a database builds any that an
/// interrupted run left missing.
pub(crate) const CLAIM_FILTER_INDEXES: [(&str, &str); 3] =
    [("claims_type", "claims(type)"), ("claims_when", "claims(when_start)"), ("claims_place", "claims(place_name)")];

/// Build whichever of the filter indexes is missing. `when_free`: only if the database
/// can be written at once; when another process is writing (a bulk extraction that
/// dropped them on purpose and builds them when it ends), go on without them rather than
/// wait. These indexes only speed up listings, so a reader that opens meanwhile needs
/// neither to wait for the writer nor to fail.
pub(crate) fn ensure_claim_filter_indexes(conn: &Connection, when_free: bool) -> Result<()> {
    for (name, on) in CLAIM_FILTER_INDEXES {
        let present: bool =
            conn.query_row("SELECT count(*) > 0 FROM sqlite_master WHERE type = 'index' AND name = ?1", [name], |r| r.get(0))?;
        if present {
            continue;
        }
        let create = format!("CREATE INDEX IF NOT EXISTS {name} ON {on}");
        if !when_free {
            conn.execute_batch(&create)?;
            continue;
        }
        let attempt = conn.busy_timeout(std::time::Duration::ZERO).and_then(|()| {
            let built = conn.execute_batch(&create);
            conn.busy_timeout(crate::BUSY_TIMEOUT)?;
            built
        });
        match attempt {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) =>
            {
                return Ok(());
            }
            other => other?,
        }
    }
    Ok(())
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    /// An empty folder of its own for one test, and a database path in it.
    fn fresh_dir(name: &str, file: &str) -> (std::path::PathBuf, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(file);
        let _ = std::fs::remove_file(&path);
        (dir, path)
    }

    /// A database as a binary of schema `version` wrote it: the first migrations only.
    fn database_at_version(path: &std::path::Path, version: usize) -> Connection {
        let conn = Connection::open(path).unwrap();
        for sql in &MIGRATIONS[..version] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", version as i64).unwrap();
        conn
    }

    /// A database written before migration 4 (one row per mention) keeps every mention,
    /// in text order, with quotations still found by `quotes`.
    fn claim_indexes(store: &Store) -> Vec<String> {
        let mut stmt = store.conn().prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'claims' AND sql IS NOT NULL ORDER BY name").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    }

    #[test]
    fn filter_indexes_deferred_by_a_bulk_run_come_back_at_its_end_or_at_the_next_open() {
        let (dir, path) = fresh_dir("sitrep-deferred-indexes", "d.db");
        let all = ["claims_article", "claims_place", "claims_type", "claims_when"];
        let store = Store::open(&path).unwrap();
        assert_eq!(claim_indexes(&store), all);
        store.defer_claim_filter_indexes().unwrap();
        assert_eq!(claim_indexes(&store), ["claims_article"]);
        store.restore_claim_filter_indexes().unwrap();
        assert_eq!(claim_indexes(&store), all);
        // A run interrupted after the drop: the next open builds them.
        store.defer_claim_filter_indexes().unwrap();
        drop(store);
        assert_eq!(claim_indexes(&Store::open(&path).unwrap()), all);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_reader_opening_during_a_bulk_write_goes_on_without_the_filter_indexes() {
        let (dir, path) = fresh_dir("sitrep-indexes-busy", "d.db");
        Store::open(&path).unwrap().defer_claim_filter_indexes().unwrap();
        // Another process is writing: it holds the write lock.
        let writer = Connection::open(&path).unwrap();
        writer.execute_batch("BEGIN IMMEDIATE").unwrap();
        let reader = Store::open(&path).expect("opening does not fail while another process writes");
        assert_eq!(claim_indexes(&reader), ["claims_article"]);
        writer.execute_batch("COMMIT").unwrap();
        drop(reader);
        assert_eq!(claim_indexes(&Store::open(&path).unwrap()).len(), 4, "built at the next open");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn mentions_rows_become_one_row_per_article() {
        let (dir, path) = fresh_dir("sitrep-migrate", "v3.db");
        {
            let conn = database_at_version(&path, 3);
            conn.execute_batch(
                r#"INSERT INTO articles (id, content_hash, minhash, format, origin, text, words, chars)
                   VALUES ('a1', 'h1', x'00', 'text', 'test', 'Troops left Sudzha. "We held," he said.', 7, 40);
                   INSERT INTO mentions VALUES ('a1', 'sentence', 0, 0, 19, 'Troops left Sudzha.', '{}');
                   INSERT INTO mentions VALUES ('a1', 'place', 0, 12, 18, 'Sudzha', '{"name":"Sudzha"}');
                   INSERT INTO mentions VALUES ('a1', 'quote', 0, 20, 30, '"We held,"', '{"speaker":null}');"#,
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let kinds: Vec<(String, i64)> =
            store.mentions("a1", &[]).unwrap().into_iter().map(|m| (m.kind, m.start)).collect();
        assert_eq!(kinds, [("sentence".to_string(), 0), ("place".to_string(), 12), ("quote".to_string(), 20)]);
        let place = &store.mentions("a1", &["place"]).unwrap()[0];
        assert_eq!((place.text.as_str(), place.data["name"].as_str()), ("Sudzha", Some("Sudzha")));
        let quotes = store.quotes(None).unwrap();
        assert_eq!(quotes.len(), 1);
        assert_eq!((quotes[0].0.as_str(), quotes[0].1.text.as_str()), ("a1", "\"We held,\""));
        drop(store);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A database written before migration 7 (LSH bands keyed by article id) still finds
    /// near copies of what it holds: the migrated buckets are the ones new articles probe.
    #[test]
    fn old_lsh_bands_still_find_near_copies() {
        use sitrep_ingest::fingerprint::MinHash;
        let (dir, path) = fresh_dir("sitrep-migrate-lsh", "v6.db");
        let text = "Russian forces recaptured the village near the border on Tuesday, the ministry said. \
            Ukrainian commanders said their units had pulled back to prepared positions after days of shelling. \
            Local officials reported that civilians were being evacuated from three settlements in the district.";
        {
            let conn = database_at_version(&path, 6);
            let minhash = MinHash::of(text);
            conn.execute(
                "INSERT INTO articles (id, content_hash, minhash, format, origin, text, words, chars)
                 VALUES ('a1', 'h1', ?1, 'text', 'a.txt', ?2, 40, ?3)",
                rusqlite::params![minhash.to_bytes(), text, text.chars().count() as i64],
            )
            .unwrap();
            for (band, hash) in minhash.bands().iter().enumerate() {
                conn.execute("INSERT INTO article_bands VALUES (?1, ?2, 'a1')", rusqlite::params![band as i64, hash])
                    .unwrap();
            }
        }
        let mut store = Store::open(&path).unwrap();
        let copy = sitrep_ingest::Article {
            title: None,
            url: None,
            outlet: Some("Copy".into()),
            published: None,
            text: format!("Wire report\n\n{text}"),
            format: sitrep_ingest::Format::Text,
            origin: "b.txt".into(),
        };
        let out = store.insert_articles(&[copy]).unwrap();
        assert!(
            matches!(&out[0], crate::InsertOutcome::Duplicate { id, near: true, .. } if id == "a1"),
            "{:?}",
            out[0]
        );
        drop(store);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
