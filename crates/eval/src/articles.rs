//! Main-content extraction on the article-extraction benchmark (Zyte/ScrapingHub
//! `article-extraction-benchmark`): `ground-truth.json`, `html/<id>.html.gz`, and the
//! stored predictions of reference systems in `reference-outputs/<system>.json`
//! (each plain or `.xz`).
//!
//! The metric, as the benchmark's README defines it:
//!
//! 1. tokens are the matches of Python's `\w+` (Unicode, case-sensitive), in order;
//! 2. shingles are the runs of 4 tokens, as a multiset (a text of 1–3 tokens gives one
//!    shorter shingle, an empty text none);
//! 3. per document, tp/fp/fn over the shingle multisets, normalised by their sum;
//! 4. per-document precision is 1 when fp = fn = 0, 0 when tp = fp = 0, else
//!    tp / (tp + fp); recall likewise with fn;
//! 5. corpus precision is the mean over documents with tp + fp > 0, corpus recall the
//!    mean over documents with tp + fn > 0, F1 their harmonic mean (not a mean of F1s);
//! 6. accuracy is the share of documents whose token list equals the gold one.
//!
//! Python's `\w` is `str.isalnum()` plus `_`: letters (general category L*) and
//! numbers (N*), but not combining marks, which `regex`'s own `\w` includes. The
//! class below spells Python's definition out.
//!
//! sitrep's figure scores the clean text sitrep would store for each page: the page
//! goes through [`sitrep_ingest::read_input`] exactly as `sitrep ingest` reads a file.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Tokens as Python's `re.findall(r"\w+", text)` finds them.
pub fn tokens(text: &str) -> Vec<&str> {
    static WORD: OnceLock<Regex> = OnceLock::new();
    let word = WORD.get_or_init(|| Regex::new(r"[\p{L}\p{N}_]+").expect("valid pattern"));
    word.find_iter(text).map(|m| m.as_str()).collect()
}

/// The 4-token shingles of a token list, counted.
pub fn shingles<'a>(tokens: &[&'a str]) -> HashMap<Vec<&'a str>, usize> {
    let mut out = HashMap::new();
    if tokens.is_empty() {
        return out;
    }
    for i in 0..tokens.len().saturating_sub(3).max(1) {
        *out.entry(tokens[i..(i + 4).min(tokens.len())].to_vec()).or_insert(0) += 1;
    }
    out
}

/// One document's normalised counts and its precision and recall.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DocScore {
    pub tp: f64,
    pub fp: f64,
    pub fn_: f64,
    pub precision: f64,
    pub recall: f64,
    /// The token lists are equal.
    pub exact: bool,
}

/// Score one predicted text against its gold text.
pub fn score_document(gold: &str, predicted: &str) -> DocScore {
    let (gt, pt) = (tokens(gold), tokens(predicted));
    let (g, p) = (shingles(&gt), shingles(&pt));
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (k, &gc) in &g {
        let pc = p.get(k).copied().unwrap_or(0);
        tp += gc.min(pc);
        fn_ += gc.saturating_sub(pc);
    }
    for (k, &pc) in &p {
        fp += pc.saturating_sub(g.get(k).copied().unwrap_or(0));
    }
    let s = (tp + fp + fn_) as f64;
    let (tp, fp, fn_) = if s > 0.0 { (tp as f64 / s, fp as f64 / s, fn_ as f64 / s) } else { (0.0, 0.0, 0.0) };
    let precision = if fp == 0.0 && fn_ == 0.0 {
        1.0
    } else if tp == 0.0 && fp == 0.0 {
        0.0
    } else {
        tp / (tp + fp)
    };
    let recall = if fp == 0.0 && fn_ == 0.0 {
        1.0
    } else if tp == 0.0 && fn_ == 0.0 {
        0.0
    } else {
        tp / (tp + fn_)
    };
    DocScore { tp, fp, fn_, precision, recall, exact: gt == pt }
}

/// Corpus figures (fractions).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub documents: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub accuracy: f64,
}

/// Macro averages over documents, as step 5 and 6 define them.
pub fn aggregate(docs: &[DocScore]) -> Metrics {
    let mean = |xs: Vec<f64>| if xs.is_empty() { 0.0 } else { xs.iter().sum::<f64>() / xs.len() as f64 };
    let precision = mean(docs.iter().filter(|d| d.tp + d.fp > 0.0).map(|d| d.precision).collect());
    let recall = mean(docs.iter().filter(|d| d.tp + d.fn_ > 0.0).map(|d| d.recall).collect());
    let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
    let accuracy = if docs.is_empty() { 0.0 } else { docs.iter().filter(|d| d.exact).count() as f64 / docs.len() as f64 };
    Metrics { documents: docs.len(), precision, recall, f1, accuracy }
}

/// Score predicted bodies against gold bodies. The key sets must be equal, as the
/// benchmark's scorer requires.
pub fn score(gold: &BTreeMap<String, String>, predicted: &BTreeMap<String, String>) -> Result<Metrics> {
    if let Some(k) = gold.keys().find(|k| !predicted.contains_key(*k)) {
        bail!("no prediction for document {k} ({} predicted, {} gold)", predicted.len(), gold.len());
    }
    if let Some(k) = predicted.keys().find(|k| !gold.contains_key(*k)) {
        bail!("prediction for unknown document {k}");
    }
    let docs: Vec<DocScore> = gold.iter().map(|(k, g)| score_document(g, &predicted[k])).collect();
    Ok(aggregate(&docs))
}

/// Read a file that may be xz- or gzip-compressed (by extension).
pub fn read_maybe_compressed(path: &Path) -> Result<Vec<u8>> {
    let f = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut raw = Vec::new();
    match path.extension().and_then(|e| e.to_str()) {
        Some("xz") => liblzma::read::XzDecoder::new(f).read_to_end(&mut raw),
        Some("gz") => flate2::read::GzDecoder::new(f).read_to_end(&mut raw),
        _ => std::io::BufReader::new(f).read_to_end(&mut raw),
    }
    .with_context(|| format!("reading {}", path.display()))?;
    Ok(raw)
}

/// Parse a ground-truth or prediction file: `{id: {articleBody}}`, possibly wrapped as
/// `{"version": ..., "output": {...}}`. A missing or null `articleBody` is `""`.
pub fn parse_bodies(json: &str) -> Result<BTreeMap<String, String>> {
    let v: Value = serde_json::from_str(json).context("not JSON")?;
    let Value::Object(mut top) = v else { bail!("not a JSON object") };
    let map = match top.remove("output") {
        Some(Value::Object(inner)) if top.keys().all(|k| k == "version") => inner,
        Some(other) => {
            top.insert("output".into(), other);
            top
        }
        None => top,
    };
    let mut out = BTreeMap::new();
    for (id, entry) in map {
        let body = match &entry {
            Value::Object(o) => match o.get("articleBody") {
                Some(Value::String(s)) => s.clone(),
                None | Some(Value::Null) => String::new(),
                Some(_) => bail!("document {id}: articleBody is not a string"),
            },
            _ => bail!("document {id}: not an object"),
        };
        out.insert(id, body);
    }
    Ok(out)
}

/// `name.json.xz` or `name.json` in a folder.
fn find_json(dir: &Path, stem: &str) -> Option<PathBuf> {
    [format!("{stem}.json.xz"), format!("{stem}.json")].into_iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

/// Whether a folder holds this benchmark.
pub fn is_benchmark(dir: &Path) -> bool {
    find_json(dir, "ground-truth").is_some() && dir.join("html").is_dir()
}

/// The gold bodies of a benchmark folder.
pub fn read_ground_truth(dir: &Path) -> Result<BTreeMap<String, String>> {
    let p = find_json(dir, "ground-truth").with_context(|| format!("no ground-truth.json(.xz) in {}", dir.display()))?;
    let raw = read_maybe_compressed(&p)?;
    parse_bodies(std::str::from_utf8(&raw).with_context(|| format!("{} is not UTF-8", p.display()))?)
        .with_context(|| format!("parsing {}", p.display()))
}

/// The stored reference outputs, by system name (file stem).
pub fn read_reference_outputs(dir: &Path) -> Result<BTreeMap<String, BTreeMap<String, String>>> {
    let mut out = BTreeMap::new();
    let refs = dir.join("reference-outputs");
    if !refs.is_dir() {
        return Ok(out);
    }
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&refs)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
    paths.sort();
    for p in paths {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let Some(system) = name.strip_suffix(".json.xz").or_else(|| name.strip_suffix(".json")) else { continue };
        let raw = read_maybe_compressed(&p)?;
        let bodies = parse_bodies(std::str::from_utf8(&raw)?).with_context(|| format!("parsing {}", p.display()))?;
        out.insert(system.to_string(), bodies);
    }
    Ok(out)
}

/// The pages of a benchmark folder, by id: `html/<id>.html.gz` (or `.html`).
pub fn read_pages(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let html = dir.join("html");
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(&html).with_context(|| format!("reading {}", html.display()))? {
        let p = e?.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let Some(id) = name.strip_suffix(".html.gz").or_else(|| name.strip_suffix(".html")) else { continue };
        out.insert(id.to_string(), read_maybe_compressed(&p)?);
    }
    Ok(out)
}

/// The clean text `sitrep ingest` stores for a page; `""` when the page is rejected.
pub fn sitrep_text(id: &str, page: &[u8]) -> String {
    sitrep_ingest::read_input(&format!("{id}.html"), page).into_iter().find_map(Result::ok).map(|a| a.text).unwrap_or_default()
}

/// rs-trafilatura's own text for a page, with the options sitrep's reader uses and
/// none of sitrep's handling (for comparison: what our reader adds or loses).
pub fn rs_trafilatura_text(page: &[u8]) -> String {
    let html = String::from_utf8_lossy(page);
    let options = rs_trafilatura::Options { max_extracted_len: usize::MAX, ..rs_trafilatura::Options::default() };
    std::panic::catch_unwind(|| rs_trafilatura::extract_with_options(&html, &options))
        .ok()
        .and_then(Result::ok)
        .map(|r| r.content_text)
        .unwrap_or_default()
}

/// CPU time of the calling thread: pages per CPU second do not depend on what else
/// the machine is doing, as wall-clock pages per second would on a shared machine.
fn thread_cpu() -> Duration {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes into the struct it is given.
    if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) } != 0 {
        return Duration::ZERO;
    }
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// One extractor's run over the pages: figures, pages per CPU second (one page at a
/// time, so on one core), pages that gave no text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub metrics: Metrics,
    pub pages_per_s: f64,
    pub empty: usize,
}

/// Run an extractor over every page, one at a time (so pages/s is per core), and score it.
/// `pages_per_s` is per CPU second of this thread.
pub fn run_extractor(gold: &BTreeMap<String, String>, pages: &BTreeMap<String, Vec<u8>>, extract: impl Fn(&str, &[u8]) -> String) -> Result<Run> {
    let mut predicted = BTreeMap::new();
    let (wall, cpu) = (Instant::now(), thread_cpu());
    for id in gold.keys() {
        let page = pages.get(id).with_context(|| format!("no page html/{id}.html.gz"))?;
        predicted.insert(id.clone(), extract(id, page));
    }
    let cpu = thread_cpu().saturating_sub(cpu);
    // Wall time only where the thread clock is not available.
    let secs = if cpu.is_zero() { wall.elapsed() } else { cpu }.as_secs_f64().max(1e-9);
    let empty = predicted.values().filter(|t| tokens(t).is_empty()).count();
    Ok(Run { metrics: score(gold, &predicted)?, pages_per_s: gold.len() as f64 / secs, empty })
}

/// Everything the scoreboard reports for this benchmark.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticleReport {
    pub pages: usize,
    /// sitrep's HTML reader: the clean text it stores.
    pub sitrep: Run,
    /// rs-trafilatura alone, the same crate version, on the same pages.
    pub rs_trafilatura: Run,
    /// This scorer on the stored reference outputs, by system.
    pub reference_outputs: BTreeMap<String, Metrics>,
}

/// Score sitrep, rs-trafilatura alone, and every stored reference output.
pub fn evaluate(dir: &Path) -> Result<ArticleReport> {
    let gold = read_ground_truth(dir)?;
    let pages = read_pages(dir)?;
    let mut reference_outputs = BTreeMap::new();
    for (system, bodies) in read_reference_outputs(dir)? {
        reference_outputs.insert(system.clone(), score(&gold, &bodies).with_context(|| format!("reference output {system}"))?);
    }
    Ok(ArticleReport {
        pages: gold.len(),
        sitrep: run_extractor(&gold, &pages, sitrep_text)?,
        rs_trafilatura: run_extractor(&gold, &pages, |_, p| rs_trafilatura_text(p))?,
        reference_outputs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_follow_python_word_characters() {
        assert_eq!(tokens("Kyiv's mayor, 12 km—away_now!"), vec!["Kyiv", "s", "mayor", "12", "km", "away_now"]);
        // Combining marks are not word characters in Python: "e" + U+0301 splits.
        assert_eq!(tokens("cafe\u{301} bar"), vec!["cafe", "bar"]);
        // Numbers of every kind are: "½" and "²" join their words.
        assert_eq!(tokens("½ cup, 5m² room"), vec!["½", "cup", "5m²", "room"]);
        // Letters of any script, case kept.
        assert_eq!(tokens("Удар по Сумам; 北京 AND"), vec!["Удар", "по", "Сумам", "北京", "AND"]);
        assert!(tokens(" — , . ").is_empty());
    }

    #[test]
    fn shingles_are_four_token_runs_or_one_short_one() {
        let t = ["a", "b", "c", "d", "e"];
        let s = shingles(&t);
        assert_eq!(s.len(), 2);
        assert_eq!(s[&vec!["b", "c", "d", "e"]], 1);
        let short = shingles(&["x", "y"]);
        assert_eq!(short.into_iter().collect::<Vec<_>>(), vec![(vec!["x", "y"], 1)]);
        assert!(shingles(&[]).is_empty());
        let repeated = shingles(&["a", "b", "c", "d", "a", "b", "c", "d"]);
        assert_eq!(repeated[&vec!["a", "b", "c", "d"]], 2);
    }

    #[test]
    fn document_scores_follow_the_definitions() {
        let gold = "Shelling hit the port of Odesa on Friday night, officials said.";
        let same = score_document(gold, "Shelling hit the port of Odesa on Friday night — officials said!");
        assert_eq!((same.precision, same.recall, same.exact), (1.0, 1.0, true));
        // Extra text: recall stays 1, precision drops; normalisation keeps the ratio.
        let extra = score_document(gold, &format!("{gold} Subscribe to our newsletter for more."));
        assert_eq!(extra.recall, 1.0);
        // 11 gold tokens give 8 shingles; 6 more tokens give 6 more, all wrong.
        assert!((extra.precision - 8.0 / 14.0).abs() < 1e-12, "{extra:?}");
        assert!((extra.tp + extra.fp + extra.fn_ - 1.0).abs() < 1e-12);
        assert!(!extra.exact);
        // Nothing predicted: precision 0, recall 0, and the document counts only for recall.
        let none = score_document(gold, "");
        assert_eq!((none.precision, none.recall, none.tp + none.fp), (0.0, 0.0, 0.0));
        // Case matters.
        assert!(!score_document("Kyiv said", "kyiv said").exact);
    }

    #[test]
    fn corpus_figures_are_macro_averages_and_f1_of_them() {
        let docs = [
            DocScore { tp: 0.5, fp: 0.5, fn_: 0.0, precision: 0.5, recall: 1.0, exact: false },
            DocScore { tp: 1.0, fp: 0.0, fn_: 0.0, precision: 1.0, recall: 1.0, exact: true },
            // Empty prediction: excluded from precision, recall 0.
            DocScore { tp: 0.0, fp: 0.0, fn_: 1.0, precision: 0.0, recall: 0.0, exact: false },
        ];
        let m = aggregate(&docs);
        assert!((m.precision - 0.75).abs() < 1e-12);
        assert!((m.recall - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.f1 - 2.0 * 0.75 * (2.0 / 3.0) / (0.75 + 2.0 / 3.0)).abs() < 1e-12);
        assert!((m.accuracy - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn reads_plain_and_wrapped_files_and_requires_equal_keys() {
        let gold = parse_bodies(r#"{"a1": {"articleBody": "One two three four five.", "url": "http://x.example/1"}, "b2": {"articleBody": "Six seven.", "url": "u"}}"#).unwrap();
        let wrapped = parse_bodies(r#"{"version": "1.0", "output": {"a1": {"articleBody": "One two three four five."}, "b2": {}}}"#).unwrap();
        assert_eq!(wrapped["b2"], "", "missing articleBody counts as empty");
        let m = score(&gold, &wrapped).unwrap();
        assert_eq!(m.documents, 2);
        assert_eq!(m.precision, 1.0, "the empty prediction is left out of precision");
        assert_eq!(m.recall, 0.5);
        let mut fewer = wrapped.clone();
        fewer.remove("b2");
        assert!(score(&gold, &fewer).unwrap_err().to_string().contains("b2"));
        assert!(parse_bodies("[1, 2]").is_err());
        assert!(parse_bodies(r#"{"a": {"articleBody": 3}}"#).is_err());
    }

    fn shared_bench() -> Option<PathBuf> {
        let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/bench/article-extraction")).to_path_buf();
        if is_benchmark(&dir) {
            Some(dir)
        } else {
            eprintln!("skipped: {} not present", dir.display());
            None
        }
    }

    /// The scorer reproduces the benchmark's published figures from its stored
    /// reference outputs, to the third decimal (published in the benchmark's README,
    /// "Results of the latest evaluation": F1, precision, recall, accuracy).
    #[test]
    fn reproduces_the_published_figures_of_the_reference_outputs() {
        let Some(dir) = shared_bench() else { return };
        let published: [(&str, [f64; 4]); 8] = [
            ("rs_trafilatura", [0.970, 0.951, 0.990, 0.287]),
            ("trafilatura", [0.958, 0.938, 0.978, 0.293]),
            ("readability_js", [0.947, 0.914, 0.982, 0.166]),
            ("readability", [0.922, 0.913, 0.931, 0.315]),
            ("readability_rs", [0.873, 0.906, 0.843, 0.227]),
            ("dom_smoothie", [0.865, 0.785, 0.963, 0.055]),
            ("go_trafilatura", [0.960, 0.940, 0.980, 0.287]),
            ("html-text", [0.665, 0.500, 0.994, 0.000]),
        ];
        let gold = read_ground_truth(&dir).unwrap();
        assert_eq!(gold.len(), 181);
        let outputs = read_reference_outputs(&dir).unwrap();
        assert_eq!(outputs.len(), 8, "{:?}", outputs.keys());
        for (system, want) in published {
            let m = score(&gold, &outputs[system]).unwrap();
            let got = [m.f1, m.precision, m.recall, m.accuracy];
            for (name, (g, w)) in ["F1", "precision", "recall", "accuracy"].iter().zip(got.iter().zip(want)) {
                assert_eq!(format!("{g:.3}"), format!("{w:.3}"), "{system} {name}: {g}");
            }
        }
    }

    /// Every page is read: html/ holds exactly the gold documents.
    #[test]
    fn reads_every_page_of_the_shared_benchmark() {
        let Some(dir) = shared_bench() else { return };
        let gold = read_ground_truth(&dir).unwrap();
        let pages = read_pages(&dir).unwrap();
        assert!(gold.keys().eq(pages.keys()));
        assert!(pages.values().all(|p| p.len() > 1000));
    }
}
