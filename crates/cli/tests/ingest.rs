//! End-to-end tests of `sitrep ingest`, `docs` and `show` on temp databases.

mod common;

use common::*;
use predicates::prelude::*;

#[test]
fn example_corpus_ingests_in_every_format() {
    let env = Env::new();
    let out = env.sitrep().args(["ingest"]).arg(examples()).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let docs = env.docs_json();
    let formats: std::collections::BTreeSet<_> = docs.iter().map(|d| d["format"].as_str().unwrap().to_string()).collect();
    assert_eq!(formats.into_iter().collect::<Vec<_>>(), ["feed", "html", "jsonl", "text"]);
    // The HTML page's metadata came from its meta tags.
    let html = docs.iter().find(|d| d["format"] == "html").unwrap();
    assert_eq!(html["outlet"], "Border Monitor");
    assert_eq!(html["published"], "2025-03-14");
    // Each feed item is an article with its own date.
    let feed_dates: Vec<_> = docs.iter().filter(|d| d["format"] == "feed").map(|d| d["published"].as_str().unwrap()).collect();
    assert_eq!(feed_dates, ["2025-02-20", "2025-02-26", "2025-03-22"]);
}

#[test]
fn syndicated_copy_is_stored_once_with_both_outlets() {
    let env = Env::new();
    let out = env.sitrep().args(["ingest"]).arg(examples()).output().unwrap();
    assert!(stderr(&out).contains("1 duplicate(s) (1 near-identical)"), "{}", stderr(&out));
    let show = env.sitrep().args(["show", "2025-03-13-sudzha-withdrawal", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    let outlets: Vec<_> = v["copies"].as_array().unwrap().iter().map(|c| c["outlet"].as_str().unwrap()).collect();
    assert_eq!(outlets, ["Frontline Ledger", "Eastern Wire"]);
}

#[test]
fn reingest_changes_nothing_and_says_so() {
    let env = Env::new();
    env.sitrep().arg("ingest").arg(examples()).assert().success();
    let before = env.docs_json();
    env.sitrep()
        .arg("ingest")
        .arg(examples())
        .assert()
        .success()
        .stderr(predicate::str::contains("0 stored").and(predicate::str::contains("nothing changed")));
    assert_eq!(env.docs_json(), before);
}

#[test]
fn stdin_is_an_input() {
    let env = Env::new();
    env.sitrep()
        .args(["ingest", "-"])
        .write_stdin("date 2025-04-01\nRussian forces shelled Kupiansk on Monday, officials said.\n")
        .assert()
        .success();
    let docs = env.docs_json();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["published"], "2025-04-01");
    assert_eq!(docs[0]["origin"], "-");
}

#[test]
fn bad_inputs_are_reported_skipped_and_the_batch_goes_on() {
    let env = Env::new();
    env.write("in/01-empty.txt", "");
    env.write("in/02-blank.txt", "  \n\n ");
    env.write("in/03-binary.bin", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01");
    env.write("in/04-gzip.txt", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcb\x48\xcd\xc9\xc9\x07\x00");
    env.write("in/05-bad-jsonl.jsonl", "{\"text\": \"Russian drones struck Kharkiv overnight, the mayor said.\"}\n{not json\n{\"title\": \"no body\"}\n");
    env.write("in/06-truncated-feed.xml", "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><title>A");
    env.write("in/07-good.txt", "Ukrainian forces repelled an assault near Pokrovsk on Tuesday, the General Staff said.");
    env.write("in/08-truncated.html", "<html><head><title>Cut</title></head><body><article><p>Russian troops attacked positions near Toretsk on Sunday, the brigade said in a statement on its channel.</p><p>The fighting went on for");
    let huge = env.path("in/09-huge.txt");
    std::fs::File::create(&huge).unwrap().set_len(200 * 1024 * 1024).unwrap();
    let out = env.sitrep().arg("ingest").arg(env.path("in")).arg(env.path("missing-folder")).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "exit status says something was rejected");
    let err = stderr(&out);
    for (file, why) in [
        ("01-empty.txt", "empty input"),
        ("02-blank.txt", "empty input"),
        ("03-binary.bin", "binary data"),
        ("04-gzip.txt", "gzip"),
        ("05-bad-jsonl.jsonl:2", "jsonl"),
        ("05-bad-jsonl.jsonl:3", "jsonl"),
        ("06-truncated-feed.xml", "feed"),
        ("09-huge.txt", "too large"),
        ("missing-folder", "no such file"),
    ] {
        let line = err.lines().find(|l| l.starts_with("rejected ") && l.contains(file));
        let line = line.unwrap_or_else(|| panic!("no rejection line for {file} in:\n{err}"));
        assert!(line.to_lowercase().contains(why), "{line:?} should say {why:?}");
    }
    // The good items around the bad ones were stored: good.txt, the truncated page and
    // the first JSONL line.
    let docs = env.docs_json();
    assert_eq!(docs.len(), 3, "{docs:#?}\n{err}");
}

#[test]
fn legacy_cyrillic_encodings_are_decoded() {
    let env = Env::new();
    let text = "Российские войска атаковали позиции у Суджи, сообщило Министерство обороны.";
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(text);
    let (koi8, _, _) = encoding_rs::KOI8_R.encode("Украинские военные отступили из Суджи, сообщил Генеральный штаб.");
    env.write("ru/a.txt", &cp1251);
    env.write("ru/b.txt", &koi8);
    env.sitrep().arg("ingest").arg(env.path("ru")).assert().success();
    let show = env.sitrep().args(["show", "a"]).output().unwrap();
    assert!(String::from_utf8(show.stdout).unwrap().contains(text));
}

#[test]
fn a_folder_of_fifty_thousand_files() {
    let env = Env::new();
    let dir = env.path("many");
    for i in 0..50_000u32 {
        let sub = dir.join(format!("{:03}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&sub).unwrap();
        }
        std::fs::write(sub.join(format!("{i}.txt")), format!("Report {i}: shelling near village number {i} was reported on day {}.", i % 28 + 1)).unwrap();
    }
    let out = env.sitrep().args(["ingest", "--quiet"]).arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("50000 stored"), "{}", stderr(&out));
}

#[test]
fn killed_mid_batch_leaves_whole_articles_and_a_rerun_completes() {
    let env = Env::new();
    let dir = env.path("k");
    for i in 0..5_000u32 {
        env.write(&format!("k/{i}.txt"), format!("Dispatch {i}: troops moved {i} metres toward the river crossing at dawn."));
    }
    let bin = assert_cmd::cargo::cargo_bin("sitrep");
    let mut child = std::process::Command::new(&bin)
        .arg("--db")
        .arg(env.db())
        .args(["ingest", "--quiet", "--batch", "50"])
        .arg(&dir)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let _ = child.kill();
    let _ = child.wait();
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    let orphans: i64 = conn
        .query_row("SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_copies c WHERE c.article_id = a.id)", [], |r| r.get(0))
        .unwrap();
    assert_eq!(orphans, 0, "every stored article has its copy row: no half-written article");
    drop(conn);
    env.sitrep().args(["ingest", "--quiet"]).arg(&dir).assert().success();
    assert_eq!(env.docs_json().len(), 5_000);
}

#[test]
fn dev_corpus_ingests_as_is_with_its_date_header() {
    let Some(shared) = shared() else { return };
    let env = Env::new();
    env.sitrep().arg("ingest").arg(shared.join("corpus/dev")).assert().success();
    let out = env.sitrep().args(["show", "000_0cfe8bfdc038bcab", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["article"]["published"], "2025-03-21");
    assert!(!v["article"]["text"].as_str().unwrap().starts_with("date"), "the header is not part of the text");
    assert_eq!(env.docs_json().len(), 5);
}

#[test]
fn docs_and_show_read_well() {
    let env = Env::new();
    env.sitrep().arg("ingest").arg(examples()).assert().success();
    env.sitrep()
        .arg("docs")
        .assert()
        .success()
        .stdout(predicate::str::contains("Border Monitor").and(predicate::str::contains("2025-03-14")));
    env.sitrep()
        .args(["show", "2025-03-14-encirclement-dispute"])
        .assert()
        .success()
        .stdout(predicate::str::contains("outlet:    Border Monitor").and(predicate::str::contains("encircled")));
    env.sitrep().args(["show", "nope"]).assert().code(1).stderr(predicate::str::contains("no article matches"));
}

#[test]
fn help_reads_well() {
    let env = Env::new();
    env.sitrep()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("ledger of claims").and(predicate::str::contains("ingest")))
        // The typical session keeps one command per line.
        .stdout(predicate::str::contains("\n  sitrep docs                    # list what was stored\n"));
}
