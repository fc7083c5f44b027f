//! sitrep-lexicon: rules and lexicons are data: TOML files under the workspace's `lexicons/` folder,
//! embedded at build time and overridable at run time with `SITREP_LEXICONS=DIR` (or
//! `--lexicons DIR`), where a file in DIR replaces the embedded file of the same path.
//!
//! Every file carries an `[about]` table saying where its facts come from; loading
//! fails loudly on a file without one, or on a TOML error, naming the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::de::DeserializeOwned;
use serde::Deserialize;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/lexicons.rs"));
}

/// Provenance note that every lexicon file must carry.
#[derive(Debug, Clone, Deserialize)]
pub struct About {
    /// Where the facts come from (a standard, a style guide, the corpus reading, ...).
    pub source: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Lexicons {
    files: BTreeMap<String, String>,
}

impl Lexicons {
    /// The lexicons built into the binary.
    pub fn embedded() -> Self {
        Lexicons { files: embedded::EMBEDDED.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect() }
    }

    /// The embedded lexicons, with files from `dir` (if given) laid over them.
    pub fn load(dir: Option<&Path>) -> Result<Self> {
        let mut lex = Self::embedded();
        let dir: Option<PathBuf> = dir.map(Path::to_path_buf).or_else(|| std::env::var_os("SITREP_LEXICONS").map(PathBuf::from));
        if let Some(dir) = dir {
            if !dir.is_dir() {
                bail!("lexicon folder {} does not exist", dir.display());
            }
            for entry in walk_toml(&dir)? {
                let rel = entry.strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/");
                let text = std::fs::read_to_string(&entry).with_context(|| format!("reading {}", entry.display()))?;
                lex.files.insert(rel, text);
            }
        }
        Ok(lex)
    }

    /// Paths of all files, e.g. `time/months.toml`.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    pub fn raw(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// Parse one file into `T`, after checking its `[about]` note.
    pub fn parse<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        let text = self.raw(path).with_context(|| format!("lexicon file {path} is missing"))?;
        #[derive(Deserialize)]
        struct Head {
            about: Option<About>,
        }
        let head: Head = toml::from_str(text).with_context(|| format!("lexicon file {path}"))?;
        if head.about.is_none() {
            bail!("lexicon file {path} has no [about] table saying where its facts come from");
        }
        toml::from_str(text).with_context(|| format!("lexicon file {path}"))
    }
}

fn walk_toml(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "toml") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_file_parses_and_says_where_it_comes_from() {
        let lex = Lexicons::embedded();
        assert!(lex.paths().count() > 0);
        for p in lex.paths() {
            let v: toml::Value = lex.parse(p).unwrap_or_else(|e| panic!("{e:#}"));
            assert!(v.get("about").and_then(|a| a.get("source")).is_some(), "{p}");
        }
    }

    #[test]
    fn a_folder_overrides_the_embedded_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("extra.toml"), "[about]\nsource = \"test\"\nwords = [\"x\"]\n").unwrap();
        let lex = Lexicons::load(Some(dir.path())).unwrap();
        assert!(lex.raw("extra.toml").is_some());
        let bad = tempfile::tempdir().unwrap();
        std::fs::write(bad.path().join("bad.toml"), "words = [\"x\"]\n").unwrap();
        let lex = Lexicons::load(Some(bad.path())).unwrap();
        let err = lex.parse::<toml::Value>("bad.toml").unwrap_err();
        assert!(format!("{err:#}").contains("no [about]"));
    }
}
