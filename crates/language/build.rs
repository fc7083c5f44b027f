//! Builds the gazetteer's name index at compile time from the committed
//! `data/gazetteer/entries.tsv.gz`: an `fst` map from normalised name to a run of row
//! numbers in a postings table. Doing it here (rather than committing the index) keeps
//! one normaliser, the one in `src/gazetteer/normalize.rs`, and makes a stale index
//! impossible; doing it here rather than at run time keeps loading fast.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

#[path = "src/gazetteer/normalize.rs"]
#[allow(dead_code)]
mod normalize;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let data = manifest.join("../../data/gazetteer/entries.tsv.gz");
    println!("cargo:rerun-if-changed={}", data.display());
    println!("cargo:rerun-if-changed=src/gazetteer/normalize.rs");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());

    let file = std::fs::File::open(&data).unwrap_or_else(|e| panic!("{}: {e}", data.display()));
    let reader = BufReader::with_capacity(1 << 20, flate2::read::GzDecoder::new(file));
    let mut pairs: Vec<(String, u32)> = Vec::with_capacity(1 << 21);
    let mut row: u32 = 0;
    let mut keys: Vec<String> = Vec::new();
    let mut demonyms = String::new();
    for line in reader.lines() {
        let line = line.expect("reading entries.tsv.gz");
        if line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        keys.clear();
        let names = [cols[2], cols[3]].into_iter().chain(cols[4].split('|'));
        for n in names {
            let k = normalize::normalize(n);
            if !k.is_empty() && !keys.contains(&k) {
                keys.push(k);
            }
        }
        for k in keys.drain(..) {
            pairs.push((k, row));
        }
        for d in cols.get(14).copied().unwrap_or("").split('|').filter(|d| !d.is_empty()) {
            demonyms.push_str(&format!("{}\t{row}\n", normalize::normalize(d)));
        }
        row += 1;
    }
    pairs.sort_unstable();

    let mut builder = fst::MapBuilder::memory();
    let mut postings: Vec<u8> = Vec::with_capacity(pairs.len() * 4);
    let mut i = 0;
    while i < pairs.len() {
        let mut j = i;
        while j < pairs.len() && pairs[j].0 == pairs[i].0 {
            j += 1;
        }
        let start = (postings.len() / 4) as u64;
        let len = (j - i) as u64;
        for p in &pairs[i..j] {
            postings.extend_from_slice(&p.1.to_le_bytes());
        }
        builder.insert(pairs[i].0.as_bytes(), (start << 20) | len).expect("sorted keys");
        i = j;
    }
    let fst = builder.into_inner().unwrap();
    std::fs::File::create(out.join("names.fst")).unwrap().write_all(&fst).unwrap();
    std::fs::File::create(out.join("postings.bin")).unwrap().write_all(&postings).unwrap();
    std::fs::write(out.join("rows.txt"), row.to_string()).unwrap();
    std::fs::write(out.join("demonyms.tsv"), demonyms).unwrap();
}
