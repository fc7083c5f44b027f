//! Read connections, reused across requests.
//!
//! Hand-written rather than r2d2/deadpool: what is pooled is a `sitrep_store::Store`
//! (the connection with the store's pragmas, page cache and prepared statements), and
//! all the pool needs is a locked stack and a condition variable. At most `size`
//! connections exist; a request that finds none idle waits for one (opening a fresh
//! connection per request under load costs more than the query itself).

use std::path::PathBuf;
use std::sync::{Condvar, Mutex};

use anyhow::Result;
use sitrep_store::Store;

pub struct Pool {
    db: PathBuf,
    inner: Mutex<Inner>,
    returned: Condvar,
    size: usize,
}

struct Inner {
    idle: Vec<Store>,
    open: usize,
}

/// A read connection: the store's settings, with the whole file memory-mapped (reads
/// then copy no pages into the page cache; 256 MB, the store's default, covers only
/// part of a database of 100,000 claims).
pub fn open_reader(db: &std::path::Path) -> Result<Store> {
    let store = Store::open(db)?;
    store.conn().pragma_update(None, "mmap_size", 4i64 << 30)?;
    Ok(store)
}

impl Pool {
    pub fn new(db: PathBuf, size: usize, first: Store) -> Pool {
        Pool { db, inner: Mutex::new(Inner { idle: vec![first], open: 1 }), returned: Condvar::new(), size: size.max(1) }
    }

    /// Run `f` on an idle connection (opening one while fewer than `size` exist, else
    /// waiting for one), then give it back.
    pub fn with<T>(&self, f: impl FnOnce(&Store) -> T) -> Result<T> {
        let store = {
            let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                if let Some(s) = inner.idle.pop() {
                    break s;
                }
                if inner.open < self.size {
                    inner.open += 1;
                    drop(inner);
                    match open_reader(&self.db) {
                        Ok(s) => break s,
                        Err(e) => {
                            self.inner.lock().unwrap_or_else(|e| e.into_inner()).open -= 1;
                            self.returned.notify_one();
                            return Err(e);
                        }
                    }
                }
                inner = self.returned.wait(inner).unwrap_or_else(|e| e.into_inner());
            }
        };
        // Hand the connection back even if `f` panics, so the pool never shrinks.
        struct Back<'a>(&'a Pool, Option<Store>);
        impl Drop for Back<'_> {
            fn drop(&mut self) {
                if let Some(s) = self.1.take() {
                    self.0.inner.lock().unwrap_or_else(|e| e.into_inner()).idle.push(s);
                    self.0.returned.notify_one();
                }
            }
        }
        let back = Back(self, Some(store));
        Ok(f(back.1.as_ref().unwrap()))
    }
}
