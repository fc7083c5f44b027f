//! Running the pipeline over stored articles (`sitrep extract`, `sitrep mentions`): the
//! work is in `sitrep_extract::stored`, shared with the server; this adds the progress bar.

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use sitrep_extract::pipeline::Pipeline;
pub use sitrep_extract::stored::{load_gazetteer, load_pipeline, Processed};
use sitrep_store::Store;

/// In a bulk run, the write-ahead log restarts after this many chunks (see
/// `Store::restart_wal`; a chunk writes some 30 MB of rows for generated news).
const WAL_RESTART_CHUNKS: usize = 2;

/// Process the given articles, write their mentions and claims, mark them processed.
/// `bulk`: the store is tuned for bulk writes with a `Checkpointer` running, so the log
/// is restarted now and then here.
pub fn process(store: &mut Store, pipeline: &Pipeline, ids: &[String], progress: bool, bulk: bool) -> Result<Processed> {
    let pb = if progress { ProgressBar::new(ids.len() as u64) } else { ProgressBar::hidden() };
    pb.set_style(ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} articles ({per_sec}, eta {eta})").unwrap());
    let mut chunks = 0;
    let done = sitrep_extract::stored::process(store, pipeline, ids, &mut |store, n| {
        pb.inc(n as u64);
        chunks += 1;
        if bulk && chunks % WAL_RESTART_CHUNKS == 0 {
            store.restart_wal()?;
        }
        Ok(())
    })?;
    pb.finish_and_clear();
    Ok(done)
}
