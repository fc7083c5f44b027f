//! The scoreboard binary end to end, on small benchmark folders written here in each
//! benchmark's own format (our own sentences): it finds them, prints the table, writes
//! the JSON, and `--check` fails when a figure falls below its floor.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const PAGE: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>Ferry service resumes | Harbour Gazette</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article><h1>Ferry service resumes</h1>
<p>The ferry between the two island villages resumed service on Monday after a storm had kept it in port for four days, the operator said.</p>
<p>Passengers waiting on the pier cheered when the first boat arrived, and the crew handed out hot tea to those who had waited since dawn.</p>
<p>The operator said it would add two extra crossings each day this week so that everyone stranded by the storm can get home.</p>
<p>Harbour officials said the breakwater was damaged in two places and that repairs would begin once the sea calmed further.</p>
</article><footer><p>Contact the newsroom</p></footer></body></html>"#;

const GOLD_BODY: &str = "The ferry between the two island villages resumed service on Monday after a storm had kept it in port for four days, the operator said.\n\nPassengers waiting on the pier cheered when the first boat arrived, and the crew handed out hot tea to those who had waited since dawn.\n\nThe operator said it would add two extra crossings each day this week so that everyone stranded by the storm can get home.\n\nHarbour officials said the breakwater was damaged in two places and that repairs would begin once the sea calmed further.";

const TIMEML_GOLD: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DOCID>ferry_doc</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2024-05-10" functionInDocument="CREATION_TIME">May 10, 2024</TIMEX3></DCT>
<TEXT>
The ferry resumed service <TIMEX3 tid="t1" type="DATE" value="2024-05-06">on Monday</TIMEX3> after <TIMEX3 tid="t2" type="DURATION" value="P4D">four days</TIMEX3> in port.
</TEXT>
</TimeML>
"#;

const TIMEML_INPUT: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DOCID>ferry_doc</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2024-05-10" functionInDocument="CREATION_TIME">May 10, 2024</TIMEX3></DCT>
<TEXT>
The ferry resumed service on Monday after four days in port.
</TEXT>
</TimeML>
"#;

fn write_gz(path: &Path, text: &str) {
    let f = std::fs::File::create(path).unwrap();
    let mut gz = flate2::write::GzEncoder::new(f, flate2::Compression::fast());
    gz.write_all(text.as_bytes()).unwrap();
    gz.finish().unwrap();
}

/// A shared folder with a one-page article benchmark, a one-document TempEval-3 and an
/// eval folder without gold.
fn shared_folder() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let art = d.path().join("bench/article-extraction");
    std::fs::create_dir_all(art.join("html")).unwrap();
    std::fs::create_dir_all(art.join("reference-outputs")).unwrap();
    let id = "a".repeat(64);
    write_gz(&art.join(format!("html/{id}.html.gz")), PAGE);
    let gold = serde_json::json!({ &id: { "articleBody": GOLD_BODY, "url": "https://harbour.example/ferry" } });
    std::fs::write(art.join("ground-truth.json"), gold.to_string()).unwrap();
    let half: String = GOLD_BODY.split("\n\n").take(2).collect::<Vec<_>>().join("\n\n");
    let output = serde_json::json!({ "version": "1", "output": { &id: { "articleBody": half } } });
    std::fs::write(art.join("reference-outputs/halfway.json"), output.to_string()).unwrap();
    let te = d.path().join("bench/tempeval3");
    std::fs::create_dir_all(te.join("te3-input")).unwrap();
    std::fs::create_dir_all(te.join("te3-platinum")).unwrap();
    std::fs::write(te.join("te3-input/ferry_doc.tml.TE3input"), TIMEML_INPUT).unwrap();
    std::fs::write(te.join("te3-platinum/ferry_doc.tml"), TIMEML_GOLD).unwrap();
    std::fs::create_dir_all(d.path().join("eval")).unwrap();
    std::fs::write(d.path().join("eval/score.py"), "raise SystemExit('not run without gold')\n").unwrap();
    d
}

fn scoreboard(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scoreboard")).args(args).current_dir(dir).output().unwrap()
}

#[test]
fn runs_what_it_finds_and_writes_the_json() {
    let shared = shared_folder();
    let json = shared.path().join("board.json");
    let out = scoreboard(&["--throughput", "0", "--json", json.to_str().unwrap(), shared.path().to_str().unwrap()], shared.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("Article extraction, 1 pages"), "{stdout}");
    assert!(stdout.contains("TempEval-3 platinum, 1 documents, 2 timexes"), "{stdout}");
    assert!(stdout.contains("no gold"), "{stdout}");
    let board: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let line = |id: &str| board["lines"].as_array().unwrap().iter().find(|l| l["id"] == id).cloned().unwrap_or_else(|| panic!("no line {id}"));
    // The page's four paragraphs are its gold body: sitrep's reader keeps all of them.
    assert_eq!(line("article.f1")["value"], 1.0);
    assert_eq!(line("article.recall")["value"], 1.0);
    assert!(line("tempeval.value_f1")["value"].as_f64().unwrap() > 99.0, "{}", line("tempeval.value_f1"));
    assert!(line("claims.f1")["value"].is_null());
    assert_eq!(line("throughput.mb_per_cpu_s")["note"], "not run (--throughput 0)");
    // The stored reference output is scored too: half the body, precision 1.
    assert_eq!(board["details"]["article_extraction"]["reference_outputs"]["halfway"]["precision"], 1.0);
}

#[test]
fn check_fails_below_a_floor_and_passes_above() {
    let shared = shared_folder();
    let floors = shared.path().join("floors.toml");
    let run = |floor: f64| {
        std::fs::write(&floors, format!("[about]\nsource = \"test\"\n\n[floors]\n\"article.f1\" = {floor}\n\"tempeval.value_f1\" = 50.0\n")).unwrap();
        scoreboard(&["--check", "--throughput", "0", "--floors", floors.to_str().unwrap(), shared.path().to_str().unwrap()], shared.path())
    };
    let ok = run(0.9);
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(ok.status.success(), "{stdout}");
    assert!(stdout.contains("ok      article.f1 = 1.000"), "{stdout}");
    assert!(stdout.contains("every quality figure is at or above its floor"), "{stdout}");
    let bad = run(1.5);
    let stdout = String::from_utf8_lossy(&bad.stdout);
    assert_eq!(bad.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FAILED  article.f1 = 1.000 (floor ≥ 1.500)"), "{stdout}");
}

#[test]
fn a_broken_benchmark_is_reported_and_fails_the_run() {
    let shared = shared_folder();
    std::fs::write(shared.path().join("bench/article-extraction/ground-truth.json"), "{ not json").unwrap();
    let out = scoreboard(&["--throughput", "0", shared.path().to_str().unwrap()], shared.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("ERROR: article extraction"), "{stdout}");
    // The other benchmarks still ran.
    assert!(stdout.contains("TempEval-3 platinum"), "{stdout}");
}
