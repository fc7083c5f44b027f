//! A real server for the tests: the example corpus ingested and extracted into a temp
//! SQLite database (through the same library calls as `sitrep ingest` and `sitrep
//! extract`), served on a loopback port picked by the OS.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;
use sitrep_store::Store;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// The example corpus, ingested and extracted once per test binary; each server gets
/// its own copy of the file.
fn template_db() -> &'static Path {
    static DB: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DB.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("examples.db");
        let mut store = Store::open(&db).unwrap();
        let root = repo_root();
        let mut files: Vec<PathBuf> = Vec::new();
        let mut stack = vec![root.join("examples/corpus")];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() { stack.push(p) } else { files.push(p) }
            }
        }
        files.sort();
        for f in files {
            let origin = f.strip_prefix(&root).unwrap().display().to_string();
            let report = store.ingest_bytes(&origin, &std::fs::read(&f).unwrap()).unwrap();
            assert!(report.rejected.is_empty(), "{:?}", report.rejected);
        }
        let ids = store.articles_to_process(sitrep_extract::pipeline::PIPELINE_VERSION, true).unwrap();
        let pipeline = sitrep_extract::stored::load_pipeline(&store, None).unwrap();
        sitrep_extract::stored::process(&mut store, &pipeline, &ids, &mut |_, _| Ok(())).unwrap();
        // As `sitrep extract` does: events, contradictions, control ledger, numbers.
        let rules = sitrep_reconcile::Rules::load(&sitrep_lexicon::Lexicons::load(None).unwrap()).unwrap();
        sitrep_reconcile::persist::run(&mut store, &rules).unwrap();
        drop(store); // closing checkpoints the WAL into the file
        (dir, db)
    })
    .1
}

/// How many claims the example corpus gives: the lines of the CLI's golden export.
pub fn example_claims() -> usize {
    std::fs::read_to_string(repo_root().join("crates/cli/tests/golden/examples.jsonl")).unwrap().lines().count()
}

pub struct Server {
    pub base: String,
    pub dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<anyhow::Result<()>>>,
}

pub struct Options {
    pub token: Option<&'static str>,
    pub max_body: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { token: None, max_body: sitrep_serve::DEFAULT_MAX_BODY }
    }
}

impl Server {
    pub fn start(opts: Options) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("sitrep.db");
        std::fs::copy(template_db(), &db).unwrap();
        let mut config = sitrep_serve::Config::new(db);
        config.token = opts.token.map(str::to_string);
        config.max_body = opts.max_body;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
                addr_tx.send(listener.local_addr()?).unwrap();
                sitrep_serve::serve(listener, config, async move {
                    stopped.await.ok();
                })
                .await
            })
        });
        let addr = addr_rx.recv().expect("the server did not start");
        Server { base: format!("http://{addr}"), dir, stop: Some(stop), thread: Some(thread) }
    }

    /// (articles, claims) stored, from `/api/health`.
    pub fn counts(&self) -> (i64, i64) {
        let (_, h) = self.get("/api/health");
        (h["articles"].as_i64().unwrap(), h["claims"].as_i64().unwrap())
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("sitrep.db")
    }

    /// Ask for shutdown, then wait until the server has finished.
    pub fn stop(&mut self) {
        if let Some(s) = self.stop.take() {
            s.send(()).ok();
        }
        if let Some(t) = self.thread.take() {
            t.join().unwrap().unwrap();
        }
    }

    pub fn get(&self, path: &str) -> (u16, Value) {
        response(ureq::get(&format!("{}{path}", self.base)).call())
    }

    pub fn get_text(&self, path: &str) -> (u16, String, String) {
        match ureq::get(&format!("{}{path}", self.base)).call() {
            Ok(r) | Err(ureq::Error::Status(_, r)) => {
                let ct = r.content_type().to_string();
                (r.status(), ct, r.into_string().unwrap())
            }
            Err(e) => panic!("{path}: {e}"),
        }
    }

    pub fn post(&self, path: &str, token: Option<&str>, body: &[u8]) -> (u16, Value) {
        let mut req = ureq::post(&format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
        response(req.send_bytes(body))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            s.send(()).ok();
        }
        if let Some(t) = self.thread.take() {
            t.join().ok();
        }
    }
}

fn response(r: Result<ureq::Response, ureq::Error>) -> (u16, Value) {
    match r {
        Ok(r) | Err(ureq::Error::Status(_, r)) => {
            let status = r.status();
            let ct = r.content_type().to_string();
            let body = r.into_string().unwrap();
            assert!(ct.starts_with("application/json"), "status {status}: content type {ct}, body {body}");
            (status, serde_json::from_str(&body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}")))
        }
        Err(e) => panic!("request failed: {e}"),
    }
}
