//! Helpers shared by the end-to-end tests: a temp database and the real `sitrep` binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env { dir: tempfile::tempdir().unwrap() }
    }
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("sitrep.db")
    }
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, bytes).unwrap();
        p
    }
    /// `sitrep --db <temp db> ARGS...`
    pub fn sitrep(&self) -> Command {
        let mut c = Command::cargo_bin("sitrep").unwrap();
        c.arg("--db").arg(self.db()).env_remove("SITREP_DB").env_remove("SITREP_LEXICONS");
        c
    }
    pub fn docs_json(&self) -> Vec<serde_json::Value> {
        let out = self.sitrep().args(["docs", "--json"]).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

pub fn examples() -> PathBuf {
    repo_root().join("examples/corpus")
}

/// `../shared` beside the repository, when this machine has it.
pub fn shared() -> Option<PathBuf> {
    let p = repo_root().join("../shared");
    p.is_dir().then_some(p)
}

pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
