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

/// How long a connection waits for another one's write lock.
pub(crate) const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

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
        conn.busy_timeout(BUSY_TIMEOUT)?;
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
        schema::ensure_claim_filter_indexes(&conn, true)?;
        Ok(Store { conn })
    }

    /// For a bulk extraction: drop the claims' filter indexes until
    /// [`restore_claim_filter_indexes`](Self::restore_claim_filter_indexes) (or the next
    /// open) builds them again. Cuts the writer's work per claim by half of its B-trees.
    pub fn defer_claim_filter_indexes(&self) -> Result<()> {
        for (name, _) in schema::CLAIM_FILTER_INDEXES {
            self.conn.execute_batch(&format!("DROP INDEX IF EXISTS {name}"))?;
        }
        Ok(())
    }

    pub fn restore_claim_filter_indexes(&self) -> Result<()> {
        schema::ensure_claim_filter_indexes(&self.conn, false)
    }

    /// Settings for a long bulk write (`sitrep ingest`, and `sitrep extract` of many
    /// articles), where every batch inserts all over the hash-keyed indexes (LSH bands,
    /// content hashes, ids):
    /// - a 64 MB page cache, which holds those indexes for a corpus of some 100,000 articles;
    /// - no memory-mapped reads: they were no faster here, and their pages count towards
    ///   the process's memory, up to the whole database (peak 380 MB at 50,000 articles);
    /// - no checkpoints by this connection: a [`Checkpointer`] does them on a thread of its
    ///   own (they were an eighth of the writer's time).
    pub fn tune_for_bulk_writes(&self) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -65_536)?;
        self.conn.pragma_update(None, "mmap_size", 0)?;
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        Ok(())
    }

    /// Copy what is left of the write-ahead log into the database and start the log
    /// afresh. A bulk writer calls this every few commits: with a [`Checkpointer`]
    /// copying the log meanwhile there is little left to copy, and without it the log of
    /// a writer that commits back to back never restarts (it had grown to 1.9 GB over
    /// 100,000 articles), and each new log page costs the file system a zeroed block.
    pub fn restart_wal(&self) -> Result<()> {
        self.conn.query_row("PRAGMA wal_checkpoint(RESTART)", [], |_| Ok(()))?;
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

/// Copies the write-ahead log into the database file from a second connection on a thread
/// of its own, so that a bulk writer (which turned its own checkpoints off) never waits
/// for them. A passive checkpoint takes no lock the writer needs; the writer still calls
/// [`Store::restart_wal`] now and then, which finds most of the log copied already.
/// Stops, after one last pass, when dropped.
pub struct Checkpointer {
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Checkpointer {
    /// How often the log is copied over while the writer runs.
    const INTERVAL: std::time::Duration = std::time::Duration::from_millis(250);

    pub fn start(path: &Path) -> Result<Checkpointer> {
        let conn = Connection::open(path).with_context(|| format!("opening database {}", path.display()))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::Builder::new().name("checkpoint".into()).spawn(move || loop {
            let last = !matches!(stopped.recv_timeout(Self::INTERVAL), Err(std::sync::mpsc::RecvTimeoutError::Timeout));
            // A failed pass (the database busy) is simply retried on the next tick; the
            // writer's connection checkpoints whatever is left when it closes.
            let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
            if last {
                break;
            }
        })?;
        Ok(Checkpointer { stop: Some(stop), thread: Some(thread) })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
