//! Throughput of the time tagger on real text, single-threaded.
//!
//!     cargo run --release -p sitrep-eval --bin timebench -- [FILE_OR_DIR ...]
//!
//! Without arguments it reads the shared dev corpus (`../shared/corpus/dev/*.txt`).
//! Prints MB/s over at least two seconds of tagging.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use sitrep_language::time::TimeTagger;

fn texts(path: &Path, out: &mut Vec<String>) -> Result<()> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for p in entries {
            if p.is_file() {
                out.push(std::fs::read_to_string(&p)?);
            }
        }
    } else {
        out.push(std::fs::read_to_string(path)?);
    }
    Ok(())
}

fn main() -> Result<()> {
    let mut paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        paths.push(PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/dev")));
    }
    let mut docs = Vec::new();
    for p in &paths {
        texts(p, &mut docs)?;
    }
    let bytes: usize = docs.iter().map(String::len).sum();
    if bytes == 0 {
        bail!("no text to tag");
    }
    let tagger = TimeTagger::new(&sitrep_lexicon::Lexicons::embedded())?;
    let anchor = "2025-03-21".parse().ok();
    let (mut done, mut mentions) = (0usize, 0usize);
    // A fixed number of passes (for instruction counts) instead of two seconds.
    let passes: Option<usize> = std::env::var("TIMEBENCH_PASSES").ok().and_then(|p| p.parse().ok());
    let start = Instant::now();
    let mut pass = 0;
    while passes.map_or(start.elapsed() < Duration::from_secs(2), |p| pass < p) {
        pass += 1;
        for d in &docs {
            mentions += tagger.find(d, anchor).len();
        }
        done += bytes;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} documents, {} bytes; tagged {:.1} MB in {:.2} s: {:.1} MB/s, {} mentions per pass",
        docs.len(),
        bytes,
        done as f64 / 1e6,
        secs,
        done as f64 / 1e6 / secs,
        mentions * bytes / done.max(1)
    );
    Ok(())
}
