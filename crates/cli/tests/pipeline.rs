//! End-to-end tests of the language and claims commands: `gazetteer`, `mentions`,
//! `extract`, `claims`, `export`, `explain`, `quotes`, on temp databases with the real
//! binary.

mod common;

use common::*;
use predicates::prelude::*;

fn ingested_examples() -> Env {
    let env = Env::new();
    env.sitrep().arg("ingest").arg(examples()).assert().success();
    env
}

fn extracted_examples() -> Env {
    let env = ingested_examples();
    env.sitrep().args(["extract", "--quiet"]).assert().success();
    env
}

fn export_jsonl(env: &Env) -> Vec<serde_json::Value> {
    let out = env.sitrep().args(["export", "--format", "jsonl"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn gazetteer_lookup_on_the_embedded_default() {
    let env = Env::new();
    env.sitrep()
        .args(["gazetteer", "lookup", "Sudzha"])
        .assert()
        .success()
        .stdout(predicate::str::contains("RU").and(predicate::str::contains("51.")));
    env.sitrep().args(["gazetteer", "lookup", "Nowhereville Qx"]).assert().code(2);
    env.sitrep().args(["gazetteer", "stats"]).assert().success().stdout(predicate::str::contains("embedded rows"));
}

#[test]
fn geonames_import_is_streamed_idempotent_and_used() {
    let Some(shared) = shared() else { return };
    let g = shared.join("geonames");
    let env = Env::new();
    let import = |env: &Env| {
        env.sitrep()
            .args(["gazetteer", "import"])
            .arg(g.join("UA.zip"))
            .arg(g.join("admin1CodesASCII.txt"))
            .arg(g.join("admin2Codes.txt.xz"))
            .output()
            .unwrap()
    };
    let first = import(&env);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stderr(&first).contains("imported 45086 rows"), "{}", stderr(&first));
    let again = import(&env);
    assert!(stderr(&again).contains("already imported"), "{}", stderr(&again));
    // A village only the full dump has, with its admin names.
    let out = env.sitrep().args(["gazetteer", "lookup", "Kostiantynopolske", "--json"]).output().unwrap();
    let hits: Vec<serde_json::Value> = String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let hit = hits.iter().find(|h| h["id"] == "geonames:702071").expect("geonames:702071 after import");
    assert_eq!(hit["admin1"], "Donetsk Oblast", "admin names as the gazetteer writes them");
    // The destroyed village of Sokil is kept (PPLW).
    let out = env.sitrep().args(["gazetteer", "lookup", "Sokil", "--json"]).output().unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("PPLW"));
}

#[test]
fn mentions_show_places_times_and_quantities_with_spans() {
    let env = ingested_examples();
    let out = env.sitrep().args(["mentions", "2025-03-13-sudzha-withdrawal", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Vec<serde_json::Value> = String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let show = env.sitrep().args(["show", "2025-03-13-sudzha-withdrawal", "--json"]).output().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    let text: Vec<char> = doc["article"]["text"].as_str().unwrap().chars().collect();
    for r in &rows {
        // Spans are character offsets into the clean text.
        let (a, b) = (r["start"].as_u64().unwrap() as usize, r["end"].as_u64().unwrap() as usize);
        assert_eq!(text[a..b].iter().collect::<String>(), r["text"].as_str().unwrap());
    }
    let sudzha = rows.iter().find(|r| r["kind"] == "place" && r["text"] == "Sudzha").expect("Sudzha");
    assert_eq!(sudzha["data"]["country"], "RU");
    let rub = rows.iter().find(|r| r["kind"] == "place" && r["text"] == "Rubanshchina").expect("Rubanshchina kept");
    assert!(rub["data"]["gazetteer_id"].is_null());
    assert!(rub["data"]["uncertainty_km"].as_f64().is_some(), "located near Sudzha with an uncertainty: {rub}");
    let march12 = rows.iter().find(|r| r["kind"] == "time" && r["text"].as_str().unwrap().contains("March 12")).expect("March 12");
    assert_eq!(march12["data"]["start"], "2025-03-12");
    // The table form reads well.
    env.sitrep()
        .args(["mentions", "2025-03-13-sudzha-withdrawal"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Sudzha").and(predicate::str::contains("2025-03-12")));
}

#[test]
fn extract_is_incremental_and_all_redoes() {
    let env = ingested_examples();
    env.sitrep().args(["extract", "--quiet"]).assert().success().stderr(predicate::str::contains("processed 6 article(s)"));
    env.sitrep().args(["extract", "--quiet"]).assert().success().stderr(predicate::str::contains("nothing to do"));
    let before = export_jsonl(&env);
    env.sitrep().args(["extract", "--quiet", "--all"]).assert().success().stderr(predicate::str::contains("processed 6 article(s)"));
    assert_eq!(export_jsonl(&env), before, "re-extraction gives the same claims and ids");
}

#[test]
fn export_follows_the_contract() {
    let env = extracted_examples();
    let claims = export_jsonl(&env);
    assert!(!claims.is_empty());
    let keys = [
        "claim_id", "doc_id", "outlet", "url", "published", "published_inferred", "sentence", "span", "type", "agent",
        "target", "place", "when", "quantity", "source", "stance", "quote", "event_id",
    ];
    for c in &claims {
        let obj = c.as_object().unwrap();
        let mut got: Vec<&str> = obj.keys().map(String::as_str).collect();
        got.sort();
        let mut want = keys.to_vec();
        want.sort();
        assert_eq!(got, want, "{c}");
        for k in ["name", "kind", "side"] {
            assert!(c["source"].get(k).is_some());
        }
        if !c["place"].is_null() {
            for k in ["name", "gazetteer_id", "lat", "lon", "feature", "admin1", "country"] {
                assert!(c["place"].get(k).is_some(), "{c}");
            }
        }
    }
    // The headline claims of the example corpus.
    let has = |ty: &str, place: &str| claims.iter().any(|c| c["type"] == ty && c["place"]["name"].as_str().is_some_and(|p| p.contains(place)));
    assert!(has("withdrawal", "Sudzha"), "withdrawal from Sudzha");
    assert!(has("capture", "Rubanshchina") && has("capture", "Zaoleshenka"), "one capture claim per village");
    assert!(claims.iter().any(|c| c["type"] == "encirclement" && c["stance"] == "denied"), "the denied encirclement");
}

#[test]
fn export_formats_csv_and_geojson() {
    let env = extracted_examples();
    let n = export_jsonl(&env).len();
    let out = env.sitrep().args(["export", "--format", "csv"]).output().unwrap();
    let mut rdr = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = rdr.headers().unwrap().clone();
    assert!(headers.iter().any(|h| h == "place.name") && headers.iter().any(|h| h == "source.kind"));
    assert_eq!(rdr.records().count(), n);
    let file = env.path("claims.geojson");
    env.sitrep().args(["export", "--format", "geojson", "--out"]).arg(&file).assert().success();
    let gj: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(gj["type"], "FeatureCollection");
    let features = gj["features"].as_array().unwrap();
    assert!(!features.is_empty() && features.len() <= n);
    assert_eq!(features[0]["geometry"]["type"], "Point");
}

#[test]
fn claims_filters() {
    let env = extracted_examples();
    let all = export_jsonl(&env).len();
    let count = |args: &[&str]| {
        let mut cmd = env.sitrep();
        cmd.args(["export", "--format", "jsonl"]).args(args);
        String::from_utf8(cmd.output().unwrap().stdout).unwrap().lines().count()
    };
    let captures = count(&["--type", "capture"]);
    assert!(captures > 0 && captures < all);
    assert!(count(&["--place", "sudzha"]) > 0);
    assert!(count(&["--since", "2025-03-01", "--until", "2025-03-31"]) > 0);
    assert_eq!(count(&["--since", "2030-01-01"]), 0);
    assert!(count(&["--stance", "denied"]) > 0);
    env.sitrep().args(["claims", "--type", "capture"]).assert().success().stdout(predicate::str::contains("capture"));
    env.sitrep().args(["claims", "--since", "March"]).assert().code(1).stderr(predicate::str::contains("not a date"));
}

#[test]
fn explain_shows_why() {
    let env = extracted_examples();
    let claims = export_jsonl(&env);
    let c = claims.iter().find(|c| c["type"] == "withdrawal" && c["sentence"].as_str().unwrap().contains("withdrew")).unwrap();
    env.sitrep()
        .args(["explain", &c["claim_id"].as_str().unwrap()[..8], "--plain"])
        .assert()
        .success()
        .stdout(predicate::str::contains("[trigger: withdr").and(predicate::str::contains("extract/triggers.toml: withdrawal")));
}

#[test]
fn quotes_with_speakers() {
    let env = extracted_examples();
    let out = env.sitrep().args(["quotes", "--json"]).output().unwrap();
    let quotes: Vec<serde_json::Value> = String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let q = quotes.iter().find(|q| q["text"].as_str().unwrap().contains("no unit was surrounded")).expect("the spokesman's quote");
    assert_eq!(q["speaker"]["name"], "Andriy Kolos");
    // Scare quotes of a few words are not quotations.
    assert!(!quotes.iter().any(|q| q["text"] == "more favourable positions"));
    env.sitrep().args(["quotes", "--speaker", "kolos"]).assert().success().stdout(predicate::str::contains("Andriy Kolos"));
}

#[test]
fn export_golden_file() {
    // The export of the example corpus is pinned: a change in extraction shows up as a
    // diff of this file. Regenerate with SITREP_BLESS=1 after checking the diff.
    let env = extracted_examples();
    let out = env.sitrep().args(["export", "--format", "jsonl"]).output().unwrap();
    let got = String::from_utf8(out.stdout).unwrap();
    let golden = repo_root().join("crates/cli/tests/golden/examples.jsonl");
    if std::env::var_os("SITREP_BLESS").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &got).unwrap();
    }
    let want = std::fs::read_to_string(&golden).expect("golden file missing: run with SITREP_BLESS=1");
    assert_eq!(got, want, "export differs from {}", golden.display());
}

/// 600 articles take the bulk path of `extract` (filter indexes deferred, log copied by
/// the checkpointer): the same claims as one article alone gives, and the indexes back.
#[test]
fn a_bulk_extraction_writes_every_claim_and_rebuilds_the_indexes() {
    let env = Env::new();
    let villages = ["Sudzha", "Kupiansk", "Toretsk", "Pokrovsk", "Kherson", "Kharkiv"];
    for i in 0..600usize {
        let place = villages[i % villages.len()];
        let text = format!(
            "Report {i}\n\nRussian forces recaptured {place} on {} March 2025, the defence ministry said in report {i}.\n",
            i % 28 + 1
        );
        env.write(&format!("bulk/{:03}/{i}.txt", i / 100), text);
    }
    env.sitrep().args(["ingest", "--quiet"]).arg(env.path("bulk")).assert().success();
    env.sitrep().args(["extract", "--quiet"]).assert().success().stderr(predicate::str::contains("processed 600 article(s)"));
    let claims = export_jsonl(&env);
    let captures: Vec<&serde_json::Value> = claims.iter().filter(|c| c["type"] == "capture").collect();
    assert_eq!(captures.len(), 600, "one capture claim per article");
    assert!(captures.iter().all(|c| c["agent"] == "RUSMIL" && c["place"]["name"].is_string()));
    let db = rusqlite::Connection::open(env.db()).unwrap();
    let mut stmt = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'claims' AND sql IS NOT NULL ORDER BY name").unwrap();
    let indexes: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    assert_eq!(indexes, ["claims_article", "claims_place", "claims_type", "claims_when"]);
    // The first article alone, in a store of its own, gives the same record.
    let one = Env::new();
    one.sitrep().args(["ingest", "--quiet"]).arg(env.path("bulk/000/0.txt")).assert().success();
    one.sitrep().args(["extract", "--quiet"]).assert().success();
    let alone = export_jsonl(&one);
    let first = alone.iter().find(|c| c["type"] == "capture").expect("a capture claim");
    let same = captures.iter().find(|c| c["claim_id"] == first["claim_id"]).expect("the same claim in the bulk run");
    assert_eq!(same["sentence"], first["sentence"]);
    assert_eq!(same["place"], first["place"]);
}
