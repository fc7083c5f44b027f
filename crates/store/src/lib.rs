//! sitrep-store: the embedded SQLite database.
//!
//! One file (default `./sitrep.db`) holds everything: articles and the outlets that
//! carried them, the gazetteer entries a user imported, and the tables later stages
//! fill (mentions, claims, events). Writes happen in transactions, so a killed process
//! leaves either a whole article or none. WAL mode lets the server read while the CLI
//! writes.

mod articles;
mod claims;
mod gazetteer;
mod intake;
mod mentions;
mod reconciled;
mod pages;
mod schema;

pub use articles::{ArticleRow, Fingerprinted, InsertOutcome, OutletRow};
pub use claims::{ClaimFilter, ClaimRow};
pub use intake::{read_fingerprinted, FingerprintedItem, IngestReport};
pub use mentions::{MentionRow, MentionText};
pub use reconciled::{ClaimFacts, ContradictionRow, ControlRow, EventFilter, EventRow, MeasureRow, ReconciledTables};
pub use pages::{ClaimQuery, ClaimSort, ClaimText, DayCount, EventLinks, PlaceCount};

use std::path::Path;

use anyhow::{Context, Result};
use rusqlite::Connection;

pub struct Store {
    conn: Connection,
}

impl Store {
    /// Open (creating if needed) the database at `path` and bring its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path).with_context(|| format!("opening database {}", path.display()))?;
        Self::init(conn).with_context(|| format!("preparing database {}", path.display()))
    }

    /// A private in-memory database, for tests and one-off runs.
    pub fn open_in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // The default 2 MB page cache thrashes once the database outgrows it (ingest
        // then re-reads index pages ~70 times per article); a 32 MB cache and
        // memory-mapped reads keep the hot pages in memory at a bounded cost.
        conn.pragma_update(None, "cache_size", -32_768)?;
        conn.pragma_update(None, "mmap_size", 256 * 1024 * 1024)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        schema::migrate(&conn)?;
        Ok(Store { conn })
    }

    /// Settings for a long bulk write (`sitrep ingest`), where every batch inserts all over
    /// the hash-keyed indexes (LSH bands, content hashes, ids):
    /// - a 64 MB page cache, which holds those indexes for a corpus of some 50,000 articles;
    /// - no memory-mapped reads: they were no faster here, and their pages count towards
    ///   the process's memory, up to the whole database (peak 380 MB at 50,000 articles);
    /// - a checkpoint per 40 MB of WAL rather than 4 MB (after every commit), so an index
    ///   page that each batch dirties again is copied into the database once per several
    ///   commits, with one fsync.
    pub fn tune_for_bulk_ingest(&self) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -65_536)?;
        self.conn.pragma_update(None, "mmap_size", 0)?;
        self.conn.pragma_update(None, "wal_autocheckpoint", 10_000)?;
        Ok(())
    }

    /// The underlying connection, for the crates that own the later tables.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}
