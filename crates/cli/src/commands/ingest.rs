//! `sitrep ingest`: read inputs in parallel, store them in transactions, report.
//!
//! Inputs are processed in chunks (`--batch` files, or at most `CHUNK_BYTES` of
//! input): a chunk is read, parsed and fingerprinted on all cores, then stored in one
//! transaction by a writer thread while the next chunk is parsed.
//! Memory therefore stays bounded whatever the corpus size, and an article is reported
//! as stored only after its transaction has committed, so killing the process loses
//! nothing that was reported.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use sitrep_ingest::walk::{self, Input};
use sitrep_ingest::{IngestError, MAX_INPUT_BYTES};
use sitrep_store::{read_fingerprinted, Checkpointer, Fingerprinted, FingerprintedItem, InsertOutcome, Store};

/// Upper bound on the input bytes held in memory at once.
const CHUNK_BYTES: u64 = 64 * 1024 * 1024;

/// The writer restarts the write-ahead log after this many batches (the checkpointer
/// thread has copied most of it by then), which bounds the log to a few batches' pages.
const WAL_RESTART_BATCHES: usize = 4;

#[derive(clap::Args)]
pub struct Args {
    /// Files, folders (read recursively) or `-` for standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Files per transaction.
    // Each transaction rewrites pages all over the dedup indexes, so fewer, larger ones
    // write much less: 2,000 files of ~5 KB ingest twice as fast as 500.
    #[arg(long, default_value_t = 2000)]
    batch: usize,
    /// No progress bar and no per-item lines; only the summary and errors.
    #[arg(long, short)]
    quiet: bool,
    /// Print one JSON object per item (its outcome) on standard output.
    #[arg(long)]
    json: bool,
}

#[derive(Default)]
struct Tally {
    inputs: usize,
    bytes: u64,
    items: usize,
    stored: usize,
    duplicates: usize,
    near: usize,
    unchanged: usize,
    rejected: usize,
}

pub fn run(db: &Path, args: Args) -> Result<ExitCode> {
    let mut store = Store::open(db)?;
    store.tune_for_bulk_writes()?;
    let _checkpointer = Checkpointer::start(db)?;
    let started = Instant::now();
    let mut tally = Tally::default();

    // Listing first gives the progress bar a length; only paths are held, not contents.
    let mut inputs = Vec::new();
    let mut walk_errors = Vec::new();
    for item in walk::inputs(&args.paths) {
        match item {
            Ok(i) => inputs.push(i),
            Err(e) => walk_errors.push(e),
        }
    }
    let pb = if args.quiet { ProgressBar::hidden() } else { ProgressBar::new(inputs.len() as u64) };
    pb.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} files ({per_sec}, eta {eta})")
            .unwrap(),
    );
    let report_reject = |pb: &ProgressBar, origin: &str, why: &str| pb.suspend(|| eprintln!("rejected {origin}: {why}"));
    for (origin, why) in &walk_errors {
        tally.rejected += 1;
        report_reject(&pb, origin, why);
    }

    let batch = args.batch.max(1);
    // Parsing (all cores) and writing (one SQLite connection) overlap: while the writer
    // thread stores chunk N, the parsers work on chunk N+1.
    let (send, recv) = std::sync::mpsc::sync_channel::<(Vec<Fingerprinted>, u64)>(1);
    let written = std::thread::scope(|scope| -> Result<Tally> {
        let pb_writer = pb.clone();
        let json = args.json;
        let writer = scope.spawn(move || -> Result<Tally> {
            let mut t = Tally::default();
            for (n, (articles, files)) in recv.into_iter().enumerate() {
                let outcomes = store.insert_fingerprinted(&articles)?;
                if n % WAL_RESTART_BATCHES == WAL_RESTART_BATCHES - 1 {
                    store.restart_wal()?;
                }
                for (a, o) in articles.iter().zip(&outcomes) {
                    match o {
                        InsertOutcome::Stored { .. } => t.stored += 1,
                        InsertOutcome::Unchanged { .. } => t.unchanged += 1,
                        InsertOutcome::Duplicate { near, .. } => {
                            t.duplicates += 1;
                            t.near += *near as usize;
                        }
                    }
                    if json {
                        let mut v = serde_json::to_value(o)?;
                        v["origin"] = a.article.origin.clone().into();
                        println!("{v}");
                    }
                }
                pb_writer.inc(files);
            }
            Ok(t)
        });
        let mut start = 0;
        while start < inputs.len() {
            // Cut the next chunk by count and by bytes.
            let mut end = start;
            let mut chunk_bytes = 0u64;
            let mut sizes = Vec::new();
            while end < inputs.len() && end - start < batch && (end == start || chunk_bytes < CHUNK_BYTES) {
                let size = input_size(&inputs[end]);
                chunk_bytes += size;
                sizes.push(size);
                end += 1;
            }
            let parsed: Vec<(u64, Vec<Result<Fingerprinted, (String, IngestError)>>)> = inputs[start..end]
                .par_iter()
                .zip(sizes.par_iter())
                .map(|(input, &size)| {
                    read_one(input, size)
                })
                .collect();
            let mut articles = Vec::new();
            for (bytes, items) in parsed {
                tally.inputs += 1;
                tally.bytes += bytes;
                for item in items {
                    tally.items += 1;
                    match item {
                        Ok(a) => articles.push(a),
                        Err((origin, e)) => {
                            tally.rejected += 1;
                            report_reject(&pb, &origin, &e.to_string());
                            if args.json {
                                println!("{}", serde_json::json!({"origin": origin, "outcome": "rejected", "reason": e.to_string()}));
                            }
                        }
                    }
                }
            }
            if send.send((articles, (end - start) as u64)).is_err() {
                break; // the writer stopped on an error, which join() reports
            }
            start = end;
        }
        drop(send);
        writer.join().expect("the writer thread panicked")
    })?;
    tally.stored = written.stored;
    tally.unchanged = written.unchanged;
    tally.duplicates = written.duplicates;
    tally.near = written.near;
    pb.finish_and_clear();

    let secs = started.elapsed().as_secs_f64().max(1e-6);
    let mb = tally.bytes as f64 / 1e6;
    eprintln!(
        "read {} input(s), {} article(s), {:.1} MB in {:.2} s ({:.0} articles/s, {:.1} MB/s): {} stored, {} duplicate(s){}, {} unchanged, {} rejected",
        tally.inputs,
        tally.items,
        mb,
        secs,
        tally.items as f64 / secs,
        mb / secs,
        tally.stored,
        tally.duplicates,
        if tally.near > 0 { format!(" ({} near-identical)", tally.near) } else { String::new() },
        tally.unchanged,
        tally.rejected,
    );
    if tally.items > 0 && tally.unchanged == tally.items - tally.rejected && tally.stored == 0 && tally.duplicates == 0 {
        eprintln!("nothing changed: every article was already stored");
    }
    Ok(if tally.rejected > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

fn input_size(input: &Input) -> u64 {
    match input {
        Input::File(p) => std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
        Input::Stdin => 0,
    }
}

/// Read, parse and fingerprint one input whose size on disk (`input_size`) is known;
/// never fails, errors become rejected items.
fn read_one(input: &Input, size: u64) -> (u64, Vec<FingerprintedItem>) {
    let origin = input.origin();
    let reject = |e: IngestError| (0u64, vec![Err((origin.clone(), e))]);
    let bytes = match input {
        Input::File(p) => {
            if size > MAX_INPUT_BYTES {
                return reject(IngestError::TooLarge { size, limit: MAX_INPUT_BYTES });
            }
            match std::fs::read(p) {
                Ok(b) => b,
                Err(e) => return reject(IngestError::Io(e.to_string())),
            }
        }
        Input::Stdin => {
            let mut buf = Vec::new();
            if let Err(e) = std::io::stdin().lock().take(MAX_INPUT_BYTES + 1).read_to_end(&mut buf) {
                return reject(IngestError::Io(e.to_string()));
            }
            if buf.len() as u64 > MAX_INPUT_BYTES {
                return reject(IngestError::TooLarge { size: buf.len() as u64, limit: MAX_INPUT_BYTES });
            }
            buf
        }
    };
    (bytes.len() as u64, read_fingerprinted(&origin, &bytes))
}
