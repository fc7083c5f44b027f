//! End-to-end tests of reconciliation: `reconcile`, `events`, `contradictions`,
//! `control`, `numbers` and `report`, on the example corpus (whose articles mirror the
//! Kursk encirclement dispute, the Sudzha control history and the troop-number range),
//! with the real binary and a temp database.

mod common;

use common::*;
use predicates::prelude::*;

fn reconciled_examples() -> Env {
    let env = Env::new();
    env.sitrep().arg("ingest").arg(examples()).assert().success();
    // `extract` reconciles at the end.
    env.sitrep().args(["extract", "--quiet"]).assert().success().stderr(predicate::str::contains("reconciled"));
    env
}

fn json_lines(env: &Env, args: &[&str]) -> Vec<serde_json::Value> {
    let out = env.sitrep().args(args).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn every_exported_claim_has_an_event_and_ids_are_stable() {
    let env = reconciled_examples();
    let claims = json_lines(&env, &["export", "--format", "jsonl"]);
    assert!(claims.iter().all(|c| c["event_id"].as_str().is_some_and(|e| e.starts_with('e'))));
    env.sitrep().arg("reconcile").assert().success();
    assert_eq!(json_lines(&env, &["export", "--format", "jsonl"]), claims, "re-running gives the same ids");
}

#[test]
fn the_encirclement_is_asserted_and_denied() {
    let env = reconciled_examples();
    let cs = json_lines(&env, &["contradictions", "--kind", "denial", "--json"]);
    let enc: Vec<_> = cs.iter().filter(|c| c["summary"].as_str().unwrap().contains("encirclement")).collect();
    assert!(!enc.is_empty(), "{cs:#?}");
    for c in &enc {
        assert_eq!(c["b"]["source"]["name"], "General Staff of the Armed Forces of Ukraine");
        assert_eq!(c["b"]["stance"], "denied");
        assert_eq!(c["a"]["source"]["side"], "USA");
    }
    // The readable listing shows both sentences.
    env.sitrep()
        .arg("contradictions")
        .assert()
        .success()
        .stdout(predicate::str::contains("were false").and(predicate::str::contains("close to being encircled")));
    // The event counts its sources by side.
    let events = json_lines(&env, &["events", "--type", "encirclement", "--json"]);
    let e = events.iter().max_by_key(|e| e["claims"].as_array().unwrap().len()).unwrap();
    assert!(e["corroboration"]["by_side"]["western_official"].as_u64().unwrap() >= 1, "{e:#}");
    assert_eq!(e["corroboration"]["by_side"]["ukrainian_official"], 1);
}

#[test]
fn sudzha_control_history() {
    let env = reconciled_examples();
    let ledgers = json_lines(&env, &["control", "Sudzha", "--json"]);
    let l = ledgers.iter().find(|l| l["place"]["name"] == "Sudzha").expect("a ledger for Sudzha");
    let entries = l["entries"].as_array().unwrap();
    let seq: Vec<(&str, &str)> =
        entries.iter().map(|e| (e["controller"].as_str().unwrap(), e["since"].as_str().unwrap())).collect();
    assert_eq!(seq[0], ("UKR", "2024-08-01"), "{seq:?}");
    assert!(seq.contains(&("RUS", "2025-03-12")), "the withdrawal of 12 March hands it over: {seq:?}");
    assert_eq!(l["current"], "RUS");
    let by_mod = entries.iter().any(|e| {
        e["via"] == "capture"
            && e["claimed_by"].as_array().unwrap().iter().any(|c| c["source"]["name"] == "Russian Ministry of Defence")
    });
    assert!(by_mod, "Russia's defence ministry claims it: {entries:#?}");
    let unconfirmed = entries.iter().any(|e| {
        e["unconfirmed_by"].as_array().unwrap().iter().any(|c| c["source"]["name"] == "General Staff of the Armed Forces of Ukraine")
    });
    assert!(unconfirmed, "Ukraine has not confirmed: {entries:#?}");
    env.sitrep().args(["control", "sudzha"]).assert().success().stdout(predicate::str::contains("Sudzha"));
}

#[test]
fn troop_numbers_range_and_dispute() {
    let env = reconciled_examples();
    let measures = json_lines(&env, &["numbers", "--json"]);
    let prk = measures.iter().find(|m| m["agent"] == "PRKMIL" && m["type"] == "deployment").expect("North Korean troops");
    assert_eq!((prk["min"].as_f64(), prk["max"].as_f64()), (Some(11_000.0), Some(12_000.0)));
    assert_eq!(prk["disputed"], false);
    let rus = measures.iter().find(|m| m["agent"] == "RUSMIL" && m["type"] == "deployment").expect("Russian troops");
    assert_eq!(rus["disputed"], true);
    let q = json_lines(&env, &["contradictions", "--kind", "quantity", "--json"]);
    assert_eq!(q.len(), 1, "78,000 vs up to 60,000; the possible 200,000 does not count: {q:#?}");
    assert!(q[0]["summary"].as_str().unwrap().contains("78,000"));
    env.sitrep().args(["numbers", "--disputed"]).assert().success().stdout(predicate::str::contains("78,000"));
}

#[test]
fn report_in_markdown_and_html_cites_every_claim() {
    let env = reconciled_examples();
    let out = env.sitrep().arg("report").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("# Situation report"));
    for want in ["## Kursk Oblast", "### Timeline", "### Control", "### Numbers", "Sudzha", "[^1]: "] {
        assert!(md.contains(want), "missing {want:?} in\n{md}");
    }
    // Every footnote reference has its note, citing an outlet and a sentence.
    let refs = md.matches("[^").count();
    let notes = md.lines().filter(|l| l.starts_with("[^")).count();
    assert!(notes > 0 && refs > notes);
    assert!(md.contains("Frontline Ledger, 2025-03-13: “"), "{md}");

    let html = env.path("report.html");
    env.sitrep().args(["report", "--format", "html", "--region", "kursk", "--out"]).arg(&html).assert().success();
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!doctype html>") && page.contains("<h2>Kursk Oblast</h2>"));
    assert!(!page.contains("<h2>Kharkiv Oblast</h2>"), "--region keeps only matching areas");

    let bounded = env.sitrep().args(["report", "--since", "2025-05-01"]).output().unwrap();
    let bounded = String::from_utf8(bounded.stdout).unwrap();
    assert!(!bounded.contains("**2024-08"), "--since drops older events from the timeline:\n{bounded}");
    env.sitrep().args(["report", "--since", "March"]).assert().failure().stderr(predicate::str::contains("not a date"));
}

#[test]
fn listing_commands_reconcile_when_claims_changed() {
    let env = Env::new();
    env.sitrep().arg("ingest").arg(examples()).assert().success();
    env.sitrep().args(["extract", "--quiet"]).assert().success();
    // A new article after the last run: `events` reconciles before listing.
    let extra = env.write(
        "late.txt",
        "date: 2025-03-14\noutlet: Test Desk\n\nRussian forces recaptured Sudzha, the Russian Ministry of Defence said on Friday.\n",
    );
    env.sitrep().arg("ingest").arg(&extra).assert().success();
    env.sitrep().args(["extract", "--quiet"]).assert().success();
    let before = json_lines(&env, &["events", "--json"]).len();
    assert!(before > 0);
    env.sitrep().arg("events").assert().success().stderr(predicate::str::contains("event(s)"));
}
