//! Run the HTML reader over the article-extraction benchmark pages and report how many
//! yield text, and how fast. Scoring is not done here.
//!
//! ```text
//! cargo run --release -p sitrep-ingest --example html_bench [-- [HTML_DIR] [--out predictions.json]]
//! ```
//!
//! HTML_DIR defaults to the shared benchmark (`shared/bench/article-extraction/html`, beside
//! the repository) and holds `<id>.html.gz` (or plain `.html`) pages. `--out` writes the
//! texts as `{"<id>": {"articleBody": "..."}}`, the benchmark's prediction shape.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sitrep_ingest::{read_input, IngestError};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/bench/article-extraction/html"));
    let mut out: Option<PathBuf> = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = args.next().map(PathBuf::from),
            _ => dir = PathBuf::from(arg),
        }
    }
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("no benchmark pages at {}: nothing to do", dir.display());
        return;
    };
    let mut pages: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| is_page(p)).collect();
    pages.sort();

    let (mut with_text, mut no_text, mut other_errors, mut panics) = (0usize, 0usize, 0usize, 0usize);
    let (mut bytes_in, mut chars_out) = (0usize, 0usize);
    let mut with_date = 0usize;
    let mut reading = Duration::ZERO;
    let mut predictions = serde_json::Map::new();
    for path in &pages {
        let bytes = match load(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{}: cannot read: {e}", path.display());
                other_errors += 1;
                continue;
            }
        };
        bytes_in += bytes.len();
        let id = path.file_name().unwrap().to_string_lossy().trim_end_matches(".gz").trim_end_matches(".html").to_string();
        let origin = format!("{id}.html");
        let start = Instant::now();
        let result = std::panic::catch_unwind(|| read_input(&origin, &bytes));
        reading += start.elapsed();
        let body = match result.as_deref() {
            Err(_) => {
                panics += 1;
                eprintln!("{id}: PANIC");
                String::new()
            }
            Ok([Ok(article)]) => {
                with_text += 1;
                chars_out += article.text.chars().count();
                with_date += usize::from(article.published.is_some());
                article.text.clone()
            }
            Ok([Err((_, IngestError::NoText(why)))]) => {
                no_text += 1;
                eprintln!("{id}: no text ({why})");
                String::new()
            }
            Ok(other) => {
                other_errors += 1;
                eprintln!("{id}: {other:?}");
                String::new()
            }
        };
        predictions.insert(id, serde_json::json!({ "articleBody": body }));
    }
    let secs = reading.as_secs_f64().max(1e-9);
    println!("pages: {}", pages.len());
    println!("yielded text: {with_text}  (with a publication date: {with_date})");
    println!("no text: {no_text}  other errors: {other_errors}  panics: {panics}");
    println!("read {:.1} MB in {:.2} s: {:.1} pages/s, {:.1} MB/s", bytes_in as f64 / 1e6, secs, pages.len() as f64 / secs, bytes_in as f64 / 1e6 / secs);
    println!("mean text length: {:.0} chars", chars_out as f64 / with_text.max(1) as f64);
    if let Some(out) = out {
        std::fs::write(&out, serde_json::to_string(&predictions).unwrap()).expect("writing predictions");
        println!("predictions written to {}", out.display());
    }
}

fn is_page(p: &Path) -> bool {
    let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    name.ends_with(".html.gz") || name.ends_with(".html")
}

fn load(path: &Path) -> std::io::Result<Vec<u8>> {
    let raw = std::fs::read(path)?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut out)?;
        Ok(out)
    } else {
        Ok(raw)
    }
}
