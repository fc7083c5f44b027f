//! Claims on the hand-annotated gold of `../shared/eval/` (`score.py`, `gold/<set>/`).
//!
//! The claims are sitrep's own, made the way a user makes them: the `sitrep` binary
//! ingests the set's articles (`../shared/corpus/<set>/`) into a fresh database, imports
//! the GeoNames dumps of `../shared/geonames/` when they are there (as the language
//! issue measures the dev corpus), extracts, and exports JSON Lines; then the
//! benchmark's own scorer, `score.py --json`, grades the export. Its figures are read
//! back as they are, never recomputed here.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Where the gold, the articles and the scorer of one set are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimsBench {
    pub scorer: PathBuf,
    pub gold: PathBuf,
    pub corpus: PathBuf,
    /// GeoNames dumps to import first (may be empty).
    pub geonames: Vec<PathBuf>,
}

/// The set `name` of an eval folder (one holding `score.py`): gold in `gold/<name>`,
/// articles in `../corpus/<name>` beside it (the scorer's own default).
pub fn bench(eval_dir: &Path, name: &str) -> ClaimsBench {
    let shared = eval_dir.parent().unwrap_or(Path::new(".."));
    let gdir = shared.join("geonames");
    // Every dump zip there (UA.zip, allCountries.zip, ...), then the admin names, one file each.
    let mut geonames: Vec<PathBuf> = std::fs::read_dir(&gdir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "zip")).collect())
        .unwrap_or_default();
    geonames.sort();
    for names in [&["admin1CodesASCII.txt", "admin1CodesASCII.txt.xz"], &["admin2Codes.txt", "admin2Codes.txt.xz"]] {
        geonames.extend(names.iter().map(|f| gdir.join(f)).find(|p| p.is_file()));
    }
    ClaimsBench { scorer: eval_dir.join("score.py"), gold: eval_dir.join("gold").join(name), corpus: shared.join("corpus").join(name), geonames }
}

/// Number of gold files (`*.jsonl`) in a gold folder; 0 when it does not exist.
pub fn gold_files(gold: &Path) -> usize {
    std::fs::read_dir(gold)
        .map(|rd| rd.filter_map(Result::ok).filter(|e| e.path().extension().is_some_and(|x| x == "jsonl")).count())
        .unwrap_or(0)
}

/// The scorer's figures (fractions, as `score.py --json` prints them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClaimsReport {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub tp: u64,
    pub fp: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
    pub strict: f64,
    pub when_absolute: Option<f64>,
    /// Field accuracies on matched claims, by field name.
    pub fields: Vec<(String, f64)>,
    pub claims_exported: usize,
    pub unplaced_predictions: u64,
}

/// Read `score.py --json` output.
pub fn parse_score_json(json: &str) -> Result<ClaimsReport> {
    let v: Value = serde_json::from_str(json).context("score.py did not print JSON")?;
    let c = v.get("claims").context("no \"claims\" in the scorer's output")?;
    let f = |o: &Value, k: &str| o.get(k).and_then(Value::as_f64).with_context(|| format!("no number \"{k}\" in the scorer's output"));
    let u = |o: &Value, k: &str| o.get(k).and_then(Value::as_u64).unwrap_or(0);
    // In the scorer's own order (its FIELDS list); any field it adds later goes last.
    const ORDER: [&str; 10] = ["agent", "target", "place", "when", "when_overlap", "quantity", "source_name", "source_kind", "source_side", "stance"];
    let mut fields: Vec<(String, f64)> = v
        .get("fields")
        .and_then(Value::as_object)
        .map(|m| m.iter().filter_map(|(k, x)| Some((k.clone(), x.as_f64()?))).collect())
        .unwrap_or_default();
    fields.sort_by_key(|(k, _)| ORDER.iter().position(|o| o == k).unwrap_or(ORDER.len()));
    Ok(ClaimsReport {
        precision: f(c, "precision")?,
        recall: f(c, "recall")?,
        f1: f(c, "f1")?,
        tp: u(c, "tp"),
        fp: u(c, "fp"),
        fn_: u(c, "fn"),
        strict: f(&v, "strict")?,
        when_absolute: v.get("when_absolute").and_then(Value::as_f64),
        fields,
        claims_exported: 0,
        unplaced_predictions: u(&v, "unplaced_predictions"),
    })
}

fn run(cmd: &mut Command, what: &str, ok_codes: &[i32]) -> Result<String> {
    let out = cmd.output().with_context(|| format!("{what}: cannot start {:?}", cmd.get_program()))?;
    let code = out.status.code().unwrap_or(-1);
    if !ok_codes.contains(&code) {
        let err = String::from_utf8_lossy(&out.stderr);
        bail!("{what} failed (exit {code}): {}", err.lines().last().unwrap_or("").trim());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Make sitrep's claims for the set with the `sitrep` binary, and score them.
pub fn evaluate(b: &ClaimsBench, sitrep: &Path, python: &str) -> Result<ClaimsReport> {
    if !b.corpus.is_dir() {
        bail!("no articles for the gold at {}", b.corpus.display());
    }
    let work = tempfile::tempdir()?;
    let db = work.path().join("claims.db");
    let export = work.path().join("claims.jsonl");
    let sitrep_cmd = || {
        let mut c = Command::new(sitrep);
        c.arg("--db").arg(&db);
        c
    };
    if !b.geonames.is_empty() {
        run(sitrep_cmd().args(["gazetteer", "import"]).args(&b.geonames), "sitrep gazetteer import", &[0])?;
    }
    // Exit 2 means some input was rejected: the rest is stored, and the scorer counts what is missing.
    run(sitrep_cmd().args(["ingest", "--quiet"]).arg(&b.corpus), "sitrep ingest", &[0, 2])?;
    run(sitrep_cmd().args(["extract", "--quiet"]), "sitrep extract", &[0])?;
    run(sitrep_cmd().args(["export", "--format", "jsonl", "--out"]).arg(&export), "sitrep export", &[0])?;
    let exported = std::fs::read_to_string(&export)?.lines().filter(|l| !l.trim().is_empty()).count();
    let json = run(
        Command::new(python).arg(&b.scorer).arg("--gold").arg(&b.gold).arg("--corpus").arg(&b.corpus).arg("--pred").arg(&export).arg("--json"),
        "score.py",
        &[0],
    )?;
    let mut report = parse_score_json(&json)?;
    report.claims_exported = exported;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Shaped like score.py's --json output (the keys it prints), with made-up figures.
    const SCORE_JSON: &str = r#"{
 "claims": {"tp": 40, "fp": 10, "fn": 10, "precision": 0.8, "recall": 0.8, "f1": 0.8},
 "f1": 0.8,
 "fields": {"agent": 0.75, "target": 0.9, "place": 0.85, "when": 0.6, "when_overlap": 0.7, "quantity": 0.95,
            "source_name": 0.8, "source_kind": 0.82, "source_side": 0.9, "stance": 0.92},
 "strict": 0.45,
 "when_absolute": null,
 "per_type": {},
 "per_doc": {},
 "unplaced_predictions": 3
}"#;

    #[test]
    fn reads_the_scorers_json() {
        let r = parse_score_json(SCORE_JSON).unwrap();
        assert_eq!((r.precision, r.recall, r.f1, r.strict), (0.8, 0.8, 0.8, 0.45));
        assert_eq!((r.tp, r.fp, r.fn_, r.unplaced_predictions), (40, 10, 10, 3));
        assert_eq!(r.when_absolute, None);
        assert_eq!(r.fields.len(), 10);
        assert_eq!(r.fields[0], ("agent".to_string(), 0.75));
        assert_eq!(r.fields[9], ("stance".to_string(), 0.92), "in the scorer's order");
    }

    #[test]
    fn a_scorer_error_is_an_error() {
        assert!(parse_score_json("no gold claims (*.jsonl) in gold/dev").is_err());
        assert!(parse_score_json(r#"{"claims": {"precision": 1}}"#).is_err());
    }

    #[test]
    fn finds_gold_corpus_and_geonames_beside_the_eval_folder() {
        let shared = tempfile::tempdir().unwrap();
        let eval = shared.path().join("eval");
        std::fs::create_dir_all(eval.join("gold/dev")).unwrap();
        std::fs::create_dir_all(shared.path().join("geonames")).unwrap();
        for f in ["UA.zip", "admin1CodesASCII.txt", "admin2Codes.txt.xz", "admin2Codes.txt"] {
            std::fs::write(shared.path().join("geonames").join(f), "x").unwrap();
        }
        let b = bench(&eval, "dev");
        assert_eq!(b.gold, eval.join("gold/dev"));
        assert_eq!(b.corpus, shared.path().join("corpus/dev"));
        assert_eq!(b.geonames.len(), 3, "one admin2 file: {:?}", b.geonames);
        assert_eq!(gold_files(&b.gold), 0, "an empty gold folder is no gold");
        std::fs::write(b.gold.join("000.jsonl"), "{}\n").unwrap();
        std::fs::write(b.gold.join("docs.json"), "{}").unwrap();
        assert_eq!(gold_files(&b.gold), 1);
        assert_eq!(gold_files(&eval.join("gold/none")), 0);
    }
}
