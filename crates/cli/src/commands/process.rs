//! Running the pipeline over stored articles (`sitrep extract`, `sitrep mentions`): the
//! work is in `sitrep_extract::stored`, shared with the server; this adds the progress bar.

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use sitrep_extract::pipeline::Pipeline;
pub use sitrep_extract::stored::{load_gazetteer, load_pipeline, Processed};
use sitrep_store::Store;

/// Process the given articles, write their mentions and claims, mark them processed.
pub fn process(store: &mut Store, pipeline: &Pipeline, ids: &[String], progress: bool) -> Result<Processed> {
    let pb = if progress { ProgressBar::new(ids.len() as u64) } else { ProgressBar::hidden() };
    pb.set_style(ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} articles ({per_sec}, eta {eta})").unwrap());
    let done = sitrep_extract::stored::process(store, pipeline, ids, &mut |n| pb.inc(n as u64))?;
    pb.finish_and_clear();
    Ok(done)
}
