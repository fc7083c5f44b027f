//! Reading GeoNames dumps (https://download.geonames.org/export/dump/): `allCountries.zip`,
//! per-country zips (`UA.zip` with member `UA.txt`), or the plain `.txt`, streamed row by
//! row; and the `admin1CodesASCII.txt` / `admin2Codes.txt` tables (plain or `.xz`) that
//! turn a row's admin codes into names.
//!
//! Every row is kept, including `PPLW` (destroyed) and `PPLQ` (abandoned) places: front-line
//! news is full of them. Which feature classes to import is the caller's choice.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Context, Result};

use super::GazEntry;
use crate::Feature;

/// GeoNames admin code → name: `UA.05` → `Donetsk`, `UA.05.1416` → `Pokrovsk Raion`.
#[derive(Debug, Clone, Default)]
pub struct AdminCodes {
    names: HashMap<String, String>,
}

impl AdminCodes {
    pub fn get(&self, code: &str) -> Option<&str> {
        self.names.get(code).map(String::as_str)
    }
    pub fn len(&self) -> usize {
        self.names.len()
    }
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
    /// Add another table's codes (admin1 and admin2 come in separate files).
    pub fn extend(&mut self, other: AdminCodes) {
        self.names.extend(other.names);
    }
}

/// Open a file, unpacking `.xz` on the fly.
fn open_maybe_xz(path: &Path) -> Result<Box<dyn Read>> {
    let f = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xz")) {
        Ok(Box::new(liblzma::read::XzDecoder::new(BufReader::new(f))))
    } else {
        Ok(Box::new(BufReader::new(f)))
    }
}

fn tsv_reader<R: Read>(r: R) -> csv::Reader<R> {
    // GeoNames fields are never quoted and contain stray quote characters.
    csv::ReaderBuilder::new().delimiter(b'\t').has_headers(false).quoting(false).flexible(true).comment(Some(b'#')).from_reader(r)
}

/// Read `admin1CodesASCII.txt` or `admin2Codes.txt` (or their `.xz`):
/// `code<TAB>name<TAB>asciiname<TAB>geonameid`.
pub fn read_admin_codes(path: &Path) -> Result<AdminCodes> {
    let mut names = HashMap::new();
    for (i, rec) in tsv_reader(open_maybe_xz(path)?).into_records().enumerate() {
        let rec = rec.with_context(|| format!("{} line {}", path.display(), i + 1))?;
        if let (Some(code), Some(name)) = (rec.get(0), rec.get(1)) {
            if !code.is_empty() && !name.is_empty() {
                names.insert(code.to_string(), name.to_string());
            }
        }
    }
    Ok(AdminCodes { names })
}

/// A stream of GeoNames rows as [`GazEntry`]s.
pub struct DumpReader {
    records: csv::StringRecordsIntoIter<Box<dyn Read>>,
    admin: Arc<AdminCodes>,
    line: u64,
    source: String,
}

impl DumpReader {
    /// Fill `admin1`/`admin2` with names from these tables (else they stay `None`).
    pub fn with_admin_codes(mut self, codes: AdminCodes) -> Self {
        self.admin = Arc::new(codes);
        self
    }
}

impl Iterator for DumpReader {
    type Item = Result<GazEntry>;
    fn next(&mut self) -> Option<Self::Item> {
        let rec = self.records.next()?;
        self.line += 1;
        Some(match rec {
            Ok(r) => parse_record(&r, &self.admin).with_context(|| format!("{} row {}", self.source, self.line)),
            Err(e) => Err(anyhow::Error::new(e).context(format!("{} row {}", self.source, self.line))),
        })
    }
}

/// Stream a GeoNames dump: a `.zip` (its `.txt` member other than `readme.txt`:
/// `allCountries.txt`, `UA.txt`, ...), or a plain or `.xz` text file.
pub fn read_dump(path: &Path) -> Result<DumpReader> {
    let is_zip = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    let reader: Box<dyn Read> = if is_zip { open_zip_member(path)? } else { open_maybe_xz(path)? };
    Ok(DumpReader {
        records: tsv_reader(reader).into_records(),
        admin: Arc::default(),
        line: 0,
        source: path.display().to_string(),
    })
}

/// The gazetteer member of a GeoNames zip, as an owned streaming reader: the zip
/// directory tells where the member's data starts; the file is then read from there
/// through a deflate decoder (so the iterator need not borrow a `ZipArchive`).
fn open_zip_member(path: &Path) -> Result<Box<dyn Read>> {
    let f = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut archive = zip::ZipArchive::new(BufReader::new(f)).with_context(|| format!("reading zip {}", path.display()))?;
    let mut chosen = None;
    for i in 0..archive.len() {
        let m = archive.by_index_raw(i)?;
        let name = m.name().to_string();
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".txt") && !lower.ends_with("readme.txt") {
            chosen = Some((name, m.data_start(), m.compressed_size(), m.compression()));
            break;
        }
    }
    let Some((name, start, size, method)) = chosen else {
        bail!("{}: no gazetteer .txt member (expected e.g. allCountries.txt or UA.txt)", path.display());
    };
    let mut f = File::open(path)?;
    f.seek(SeekFrom::Start(start))?;
    let raw = BufReader::with_capacity(1 << 16, f).take(size);
    match method {
        zip::CompressionMethod::Stored => Ok(Box::new(raw)),
        zip::CompressionMethod::Deflated => Ok(Box::new(BufReader::new(flate2::read::DeflateDecoder::new(raw)))),
        other => bail!("{}: member {name} uses compression {other:?}, which sitrep does not read", path.display()),
    }
}

/// Feature of a GeoNames row from its class, code and population.
pub fn feature_of(class: &str, code: &str, population: u64) -> Feature {
    match (class, code) {
        ("A", c) if c.starts_with("PCL") => Feature::Country,
        ("A", "ADM1") | ("A", "ADM1H") => Feature::Region,
        ("A", "ADM2") | ("A", "ADM2H") => Feature::District,
        ("P", "PPLX") => Feature::Other,
        ("P", "PPLC") | ("P", "PPLA") => Feature::City,
        ("P", _) => settlement_size(population),
        _ => Feature::Other,
    }
}

/// The size classes the embedded table uses (scripts/build_gazetteer.py).
pub fn settlement_size(population: u64) -> Feature {
    match population {
        p if p >= 100_000 => Feature::City,
        p if p >= 5_000 => Feature::Town,
        _ => Feature::Village,
    }
}

fn parse_record(r: &csv::StringRecord, admin: &AdminCodes) -> Result<GazEntry> {
    if r.len() < 19 {
        bail!("expected 19 tab-separated columns, found {}", r.len());
    }
    let f = |i: usize| r.get(i).unwrap_or("").trim();
    let id: u64 = f(0).parse().with_context(|| format!("bad geonameid {:?}", f(0)))?;
    let lat: f64 = f(4).parse().with_context(|| format!("bad latitude {:?}", f(4)))?;
    let lon: f64 = f(5).parse().with_context(|| format!("bad longitude {:?}", f(5)))?;
    let population: u64 = f(14).parse().unwrap_or(0);
    let country = f(8).to_string();
    let a1 = f(10);
    let a2 = f(11);
    let admin1 = if a1.is_empty() { None } else { admin.get(&format!("{country}.{a1}")).map(str::to_string) };
    let admin2 = if a2.is_empty() { None } else { admin.get(&format!("{country}.{a1}.{a2}")).map(str::to_string) };
    let name = f(1).to_string();
    let ascii = Some(f(2).to_string()).filter(|a| !a.is_empty() && *a != name);
    let mut alternate_names: Vec<String> = Vec::new();
    for a in f(3).split(',') {
        let a = a.trim();
        if !a.is_empty() && a != name && !alternate_names.iter().any(|x| x == a) {
            alternate_names.push(a.to_string());
        }
    }
    Ok(GazEntry {
        id: format!("geonames:{id}"),
        geonames_id: Some(id),
        name,
        ascii,
        alternate_names,
        lat: Some(lat),
        lon: Some(lon),
        feature: feature_of(f(6), f(7), population),
        feature_code: f(7).to_string(),
        country,
        admin1,
        admin2,
        population,
        same_as: Vec::new(),
        demonyms: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const ROWS: &str = "9112925\tSokil\tSokil\tSokil,Сокіл\t48.23216\t37.55409\tP\tPPLW\tUA\t\t05\t1416\t\t\t0\t\t150\tEurope/Kyiv\t2026-04-17\n\
704422\tPokrovsk\tPokrovsk\tKrasnoarmeysk,Красноармейск,\"Grishino\t48.28014\t37.17706\tP\tPPLA2\tUA\t\t05\t1416\t\t\t60127\t\t190\tEurope/Kyiv\t2026-04-17\n\
709716\tDonetsk Oblast\tDonetsk Oblast\tДонецька область\t48\t37.5\tA\tADM1\tUA\t\t05\t\t\t\t4100000\t\t200\tEurope/Kyiv\t2026-01-01\n";

    fn admin() -> AdminCodes {
        let dir = tempfile::tempdir().unwrap();
        let a1 = dir.path().join("admin1CodesASCII.txt");
        std::fs::write(&a1, "UA.05\tDonetsk\tDonetsk\t709716\n").unwrap();
        let a2 = dir.path().join("admin2Codes.txt");
        std::fs::write(&a2, "UA.05.1416\tPokrovsk Raion\tPokrovsk Raion\t12345\n").unwrap();
        let mut codes = read_admin_codes(&a1).unwrap();
        codes.extend(read_admin_codes(&a2).unwrap());
        codes
    }

    fn check(entries: &[GazEntry]) {
        assert_eq!(entries.len(), 3);
        let sokil = &entries[0];
        assert_eq!(sokil.id, "geonames:9112925");
        assert_eq!(sokil.feature_code, "PPLW", "destroyed places are kept");
        assert_eq!(sokil.feature, Feature::Village);
        assert_eq!(sokil.admin1.as_deref(), Some("Donetsk"));
        assert_eq!(sokil.admin2.as_deref(), Some("Pokrovsk Raion"));
        assert_eq!(sokil.alternate_names, vec!["Сокіл".to_string()]);
        let pokrovsk = &entries[1];
        assert!(pokrovsk.alternate_names.contains(&"\"Grishino".to_string()), "a stray quote is data, not quoting");
        assert_eq!(pokrovsk.population, 60127);
        assert_eq!(pokrovsk.feature, Feature::Town);
        assert_eq!(entries[2].feature, Feature::Region);
    }

    #[test]
    fn reads_a_plain_dump_with_admin_names() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("UA.txt");
        std::fs::write(&p, ROWS).unwrap();
        let entries: Vec<GazEntry> = read_dump(&p).unwrap().with_admin_codes(admin()).collect::<Result<_>>().unwrap();
        check(&entries);
    }

    #[test]
    fn reads_a_zipped_dump_skipping_the_readme() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("UA.zip");
        let mut z = zip::ZipWriter::new(File::create(&p).unwrap());
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        z.start_file("readme.txt", opts).unwrap();
        z.write_all(b"not data\n").unwrap();
        z.start_file("UA.txt", opts).unwrap();
        z.write_all(ROWS.as_bytes()).unwrap();
        z.finish().unwrap();
        let entries: Vec<GazEntry> = read_dump(&p).unwrap().with_admin_codes(admin()).collect::<Result<_>>().unwrap();
        check(&entries);
    }

    #[test]
    fn a_short_row_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.txt");
        std::fs::write(&p, "123\tX\n\n709716\tY\tY\t\tnotanumber\t1\tP\tPPL\tUA\t\t\t\t\t\t0\t\t\t\t\n").unwrap();
        let rows: Vec<Result<GazEntry>> = read_dump(&p).unwrap().collect();
        assert!(rows.iter().all(|r| r.is_err()));
        assert!(read_dump(&dir.path().join("missing.zip")).is_err());
    }

    #[test]
    fn reads_the_shared_ukraine_dump_when_present() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/geonames");
        let zip = Path::new(dir).join("UA.zip");
        if !zip.exists() {
            eprintln!("skipped: {} not present", zip.display());
            return;
        }
        let mut codes = read_admin_codes(&Path::new(dir).join("admin1CodesASCII.txt")).unwrap();
        codes.extend(read_admin_codes(&Path::new(dir).join("admin2Codes.txt.xz")).unwrap());
        let entries: Vec<GazEntry> = read_dump(&zip).unwrap().with_admin_codes(codes).collect::<Result<_>>().unwrap();
        assert_eq!(entries.len(), 45_086);
        let sokil = entries.iter().find(|e| e.id == "geonames:9112925").unwrap();
        assert_eq!(sokil.feature_code, "PPLW");
        assert_eq!(sokil.admin2.as_deref(), Some("Pokrovsk Raion"));
        assert_eq!(entries.iter().filter(|e| e.feature_code == "PPLW").count(), 19);
    }
}
