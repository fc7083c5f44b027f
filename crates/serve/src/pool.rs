//! Read connections, reused across requests.
//!
//! Hand-written rather than r2d2/deadpool: what is pooled is a `sitrep_store::Store`
//! (the connection with the store's pragmas and migrations applied), and all the pool
//! needs is a locked stack of idle ones; a request that finds none idle opens its own,
//! and at most `max_idle` are kept.

use std::path::PathBuf;
use std::sync::Mutex;

use anyhow::Result;
use sitrep_store::Store;

pub struct Pool {
    db: PathBuf,
    idle: Mutex<Vec<Store>>,
    max_idle: usize,
}

impl Pool {
    pub fn new(db: PathBuf, max_idle: usize, first: Store) -> Pool {
        Pool { db, idle: Mutex::new(vec![first]), max_idle }
    }

    /// Run `f` on an idle connection (or a new one), then return it to the pool.
    pub fn with<T>(&self, f: impl FnOnce(&Store) -> T) -> Result<T> {
        let taken = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let store = match taken {
            Some(s) => s,
            None => Store::open(&self.db)?,
        };
        let out = f(&store);
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < self.max_idle {
            idle.push(store);
        }
        Ok(out)
    }
}
