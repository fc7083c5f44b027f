//! The scoreboard: every benchmark found, run through its adapter, as one table of
//! lines — sitrep's figure, the published reference figures with their sources, and the
//! project's aim — printed for a terminal, written as JSON and as the Markdown table
//! that README.md carries between `<!-- scoreboard:begin -->` and
//! `<!-- scoreboard:end -->`, and checked against the floors of `eval/floors.toml`.
//!
//! Reference figures and aims are data (`eval/references.toml`), compiled in. Every
//! figure is held in the unit the table prints: fractions for article extraction and
//! claims, percent for TempEval-3 and geoparsing accuracy, km for errors.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::articles::ArticleReport;
use crate::claims::ClaimsReport;
use crate::geoparsing::GeoReport;
use crate::tempeval::TempEvalReport;
use crate::throughput::ThroughputReport;

/// How a figure is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// 0.958
    Fraction,
    /// 86.67
    Percent2,
    /// 63.6
    Percent1,
    /// 520 km
    Km,
    /// 54.9
    Rate,
}

impl Unit {
    pub fn format(self, v: f64) -> String {
        match self {
            Unit::Fraction => format!("{v:.3}"),
            Unit::Percent2 => format!("{v:.2}"),
            Unit::Percent1 => format!("{v:.1}"),
            Unit::Km if v < 10.0 => format!("{v:.1} km"),
            Unit::Km => format!("{v:.0} km"),
            Unit::Rate if v < 10.0 => format!("{v:.2}"),
            Unit::Rate => format!("{v:.1}"),
        }
    }
}

/// A published figure of another system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    pub line: String,
    pub system: String,
    pub value: f64,
    pub source: String,
    /// The article-extraction reference output this figure can be recomputed from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// The figure this scorer computes from that stored output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rescored: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
struct ReferencesFile {
    #[serde(default)]
    reference: Vec<Reference>,
    #[serde(default)]
    aims: BTreeMap<String, f64>,
}

/// The published figures and aims of `eval/references.toml`.
pub struct References {
    pub references: Vec<Reference>,
    pub aims: BTreeMap<String, f64>,
}

impl References {
    pub fn embedded() -> References {
        Self::parse(include_str!("../../../eval/references.toml")).unwrap_or_else(|e| panic!("eval/references.toml: {e:#}"))
    }

    pub fn parse(toml_text: &str) -> Result<References> {
        let f: ReferencesFile = toml::from_str(toml_text)?;
        Ok(References { references: f.reference, aims: f.aims })
    }
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// Stable id, used by the floors (`article.f1`, `geo.gwn.resolution.acc161`).
    pub id: String,
    pub benchmark: String,
    pub figure: String,
    pub unit: Unit,
    /// `None` when the figure could not be measured; `note` says why.
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub higher_is_better: bool,
    /// Speed figures are reported, never held to a floor.
    pub speed: bool,
    #[serde(default)]
    pub references: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aim: Option<f64>,
}

impl Line {
    fn new(id: &str, benchmark: &str, figure: &str, unit: Unit, value: Option<f64>) -> Line {
        Line {
            id: id.into(),
            benchmark: benchmark.into(),
            figure: figure.into(),
            unit,
            value,
            note: None,
            higher_is_better: unit != Unit::Km,
            speed: false,
            references: Vec::new(),
            aim: None,
        }
    }

    fn speed(mut self) -> Line {
        self.speed = true;
        self
    }

    fn note(mut self, note: impl Into<String>) -> Line {
        self.note = Some(note.into());
        self
    }

    /// sitrep's figure as printed, or why there is none.
    pub fn shown(&self) -> String {
        match self.value {
            Some(v) => self.unit.format(v),
            None => self.note.clone().unwrap_or_else(|| "not measured".into()),
        }
    }

    /// Against the aim, or else against the best published reference, in plain words.
    pub fn status(&self) -> String {
        let cmp = if self.higher_is_better { "≥" } else { "≤" };
        let better = |a: f64, b: f64| if self.higher_is_better { a >= b } else { a <= b };
        let Some(v) = self.value else {
            return self.aim.map(|a| format!("aim {cmp} {}", self.unit.format(a))).unwrap_or_default();
        };
        if let Some(aim) = self.aim {
            return if better(v, aim) {
                format!("meets aim {cmp} {}", self.unit.format(aim))
            } else {
                format!("**short of aim {cmp} {}** by {}", self.unit.format(aim), self.unit.format((aim - v).abs()))
            };
        }
        let published = self.references.iter().filter(|r| r.source != RUN_HERE);
        let best = published.reduce(|a, b| if better(a.value, b.value) { a } else { b });
        match best {
            Some(r) if !better(v, r.value) => format!("**below {}** by {}", r.system, self.unit.format((r.value - v).abs())),
            Some(_) => "above the references".into(),
            None => String::new(),
        }
    }
}

/// The whole run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Board {
    /// `YYYY-MM-DD` of the run.
    pub date: String,
    /// `git describe` of the tree measured, when known.
    pub commit: Option<String>,
    /// `release` or `debug`: speed figures of a debug build mean little.
    pub build: String,
    pub cores: usize,
    pub lines: Vec<Line>,
    /// Remarks printed under the table.
    pub notes: Vec<String>,
    /// Benchmarks that were found but could not be run, with the reason.
    pub errors: Vec<String>,
    /// The adapters' full reports, by benchmark.
    pub details: BTreeMap<String, serde_json::Value>,
}

/// Benchmark folders found on the given paths.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub articles: Option<PathBuf>,
    pub tempeval: Option<PathBuf>,
    /// Geoparsing corpora: (line id part, display name, file).
    pub geoparsing: Vec<(String, String, PathBuf)>,
    /// A folder holding `score.py`.
    pub eval: Option<PathBuf>,
}

const GEO_CORPORA: [(&str, &str, &str); 3] = [("gwn", "GeoWebNews", "GWN.xml"), ("lgl", "LGL", "lgl.xml"), ("trnews", "TR-News", "TR-News.xml")];

/// Look for benchmarks in each path, in the folder itself and one and two levels down
/// (so `../shared`, `../shared/bench` and `../shared/bench/tempeval3` all work). The
/// first find of each benchmark wins.
pub fn discover(paths: &[PathBuf]) -> Found {
    let mut found = Found::default();
    let mut candidates = Vec::new();
    for p in paths {
        candidates.push(p.clone());
        for sub in subdirs(p) {
            candidates.push(sub.clone());
            candidates.extend(subdirs(&sub));
        }
    }
    for c in candidates {
        if found.articles.is_none() && crate::articles::is_benchmark(&c) {
            found.articles = Some(c.clone());
        }
        if found.tempeval.is_none() && c.join("te3-platinum").is_dir() && c.join("te3-input").is_dir() {
            found.tempeval = Some(c.clone());
        }
        if found.geoparsing.is_empty() {
            for (id, name, file) in GEO_CORPORA {
                let hit = [format!("{file}.xz"), file.to_string()].into_iter().map(|f| c.join(f)).find(|f| f.is_file());
                if let Some(f) = hit {
                    found.geoparsing.push((id.into(), name.into(), f));
                }
            }
        }
        if found.eval.is_none() && c.join("score.py").is_file() {
            found.eval = Some(c.clone());
        }
    }
    found
}

fn subdirs(p: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> =
        std::fs::read_dir(p).map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()).collect()).unwrap_or_default();
    v.sort();
    v
}

impl Board {
    /// Attach the references and aims to the lines, and re-score the stored
    /// reference outputs' figures where the article report has them.
    pub fn finish(&mut self, refs: &References, articles: Option<&ArticleReport>) {
        for line in &mut self.lines {
            let id = line.id.clone();
            line.aim = refs.aims.get(&id).copied();
            line.references.extend(refs.references.iter().filter(|r| r.line == id).cloned().map(|mut r| {
                if let (Some(out), Some(a)) = (&r.output, articles) {
                    r.rescored = a.reference_outputs.get(out).map(|m| match id.as_str() {
                        "article.f1" => m.f1,
                        "article.precision" => m.precision,
                        "article.recall" => m.recall,
                        _ => m.accuracy,
                    });
                }
                r
            }));
        }
        let checked: Vec<&Reference> = self.lines.iter().flat_map(|l| &l.references).filter(|r| r.rescored.is_some()).collect();
        if !checked.is_empty() {
            let off: Vec<String> = checked
                .iter()
                .filter(|r| format!("{:.3}", r.rescored.unwrap_or(f64::NAN)) != format!("{:.3}", r.value))
                .map(|r| format!("{} {} (published {:.3}, rescored {:.4})", r.system, r.line, r.value, r.rescored.unwrap_or(f64::NAN)))
                .collect();
            if off.is_empty() {
                self.notes.push(format!(
                    "Article extraction: this scorer, run on the benchmark's stored reference outputs, reproduces all {} published figures above to the third decimal.",
                    checked.len()
                ));
            } else {
                self.notes.push(format!("Article extraction: the scorer does NOT reproduce: {}.", off.join("; ")));
            }
        }
    }

    pub fn line(&self, id: &str) -> Option<&Line> {
        self.lines.iter().find(|l| l.id == id)
    }

    /// The table for a terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let mut last = "";
        for l in &self.lines {
            if l.benchmark != last {
                let _ = writeln!(out, "{}", l.benchmark);
                last = &l.benchmark;
            }
            let refs = l.references.iter().map(|r| format!("{} {}", r.system, l.unit.format(r.value))).collect::<Vec<_>>().join(", ");
            let _ = writeln!(out, "  {:<50} {:>10}   {:<70} {}", l.figure, l.shown(), refs, l.status().replace("**", ""));
        }
        for n in &self.notes {
            let _ = writeln!(out, "note: {n}");
        }
        for e in &self.errors {
            let _ = writeln!(out, "ERROR: {e}");
        }
        out
    }

    /// The Markdown table and its notes, as README.md carries them.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let commit = self.commit.as_deref().map(|c| format!(", tree {c}")).unwrap_or_default();
        let _ = writeln!(
            out,
            "Generated by `cargo run --release -p sitrep-eval --bin scoreboard -- --write` on {} ({} build, {} cores{commit}); do not edit by hand.\n",
            self.date, self.build, self.cores
        );
        out.push_str("| benchmark | figure | sitrep | reference | source | against aim or reference |\n|---|---|---|---|---|---|\n");
        let mut last = "";
        for l in &self.lines {
            let bench = if l.benchmark == last { String::new() } else { l.benchmark.clone() };
            last = &l.benchmark;
            // The headline figures (those with an aim) in bold.
            let sitrep = if l.value.is_some() && l.aim.is_some() { format!("**{}**", l.shown()) } else { l.shown() };
            let refs = l.references.iter().map(|r| format!("{} {}", r.system, l.unit.format(r.value))).collect::<Vec<_>>().join("; ");
            let mut sources: Vec<&str> = l.references.iter().map(|r| r.source.as_str()).collect();
            sources.dedup();
            let _ = writeln!(out, "| {bench} | {} | {sitrep} | {refs} | {} | {} |", l.figure, sources.join("; "), l.status());
        }
        if !self.notes.is_empty() || !self.errors.is_empty() {
            out.push('\n');
        }
        for n in &self.notes {
            let _ = writeln!(out, "- {n}");
        }
        for e in &self.errors {
            let _ = writeln!(out, "- **Could not run**: {e}");
        }
        out
    }
}

pub const BEGIN: &str = "<!-- scoreboard:begin -->";
pub const END: &str = "<!-- scoreboard:end -->";

/// `readme` with the text between the scoreboard markers replaced by `table`.
pub fn splice(readme: &str, table: &str) -> Result<String> {
    let (Some(b), Some(e)) = (readme.find(BEGIN), readme.find(END)) else {
        bail!("no {BEGIN} ... {END} markers");
    };
    if e < b {
        bail!("{END} comes before {BEGIN}");
    }
    Ok(format!("{}{BEGIN}\n{}{}", &readme[..b], table.trim_end().to_string() + "\n", &readme[e..]))
}

// ---- floors ----

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Floors {
    /// Figures that must stay at or above these values.
    #[serde(default)]
    pub floors: BTreeMap<String, f64>,
    /// Figures (errors in km) that must stay at or below these values.
    #[serde(default)]
    pub ceilings: BTreeMap<String, f64>,
}

impl Floors {
    pub fn load(path: &Path) -> Result<Floors> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    }
}

/// Outcome of holding the board to the floors.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Check {
    /// One line per figure held to a floor or ceiling.
    pub report: Vec<String>,
    pub failures: usize,
}

/// Hold every quality figure to its floor or ceiling. A figure whose benchmark was not
/// found, or that could not be measured for a stated reason (no gold yet), is skipped
/// with a line saying so; a benchmark that failed to run is a failure.
pub fn check(board: &Board, floors: &Floors) -> Check {
    let mut c = Check::default();
    let bounds = floors.floors.iter().map(|(k, v)| (k, *v, true)).chain(floors.ceilings.iter().map(|(k, v)| (k, *v, false)));
    for (id, bound, is_floor) in bounds {
        let (cmp, word) = if is_floor { ("≥", "floor") } else { ("≤", "ceiling") };
        match board.line(id) {
            Some(l) if l.speed => c.report.push(format!("ignored  {id}: a speed figure is never held to a {word}")),
            Some(Line { value: Some(v), unit, .. }) => {
                let ok = if is_floor { *v >= bound } else { *v <= bound };
                c.failures += usize::from(!ok);
                c.report.push(format!("{}  {id} = {} ({word} {cmp} {})", if ok { "ok    " } else { "FAILED" }, unit.format(*v), unit.format(bound)));
            }
            Some(l) => c.report.push(format!("skipped  {id}: {}", l.shown())),
            None => c.report.push(format!("skipped  {id}: benchmark not found")),
        }
    }
    for l in &board.lines {
        if !l.speed && l.value.is_some() && !floors.floors.contains_key(&l.id) && !floors.ceilings.contains_key(&l.id) {
            c.report.push(format!("no floor {}", l.id));
        }
    }
    for e in &board.errors {
        c.failures += 1;
        c.report.push(format!("FAILED  {e}"));
    }
    c
}

// ---- lines from each adapter's report ----

/// The source of a comparison figure measured by the scoreboard itself, not published.
pub const RUN_HERE: &str = "this run, same pages";

pub fn article_lines(r: &ArticleReport) -> Vec<Line> {
    let b = format!("Article extraction, {} pages", r.pages);
    let m = &r.sitrep.metrics;
    let mut f1 = Line::new("article.f1", &b, "F1 (4-word shingles, macro)", Unit::Fraction, Some(m.f1));
    f1.references.push(Reference {
        line: "article.f1".into(),
        system: concat!("rs-trafilatura ", env!("SITREP_RS_TRAFILATURA_VERSION"), " alone, run here").into(),
        value: r.rs_trafilatura.metrics.f1,
        source: RUN_HERE.into(),
        output: None,
        rescored: None,
    });
    vec![
        f1,
        Line::new("article.precision", &b, "precision", Unit::Fraction, Some(m.precision)),
        Line::new("article.recall", &b, "recall", Unit::Fraction, Some(m.recall)),
        Line::new("article.accuracy", &b, "accuracy (exact token match)", Unit::Fraction, Some(m.accuracy)),
        Line::new("article.pages_per_s", &b, "pages/s per core (per CPU second)", Unit::Rate, Some(r.sitrep.pages_per_s)).speed(),
    ]
}

pub fn tempeval_lines(r: &TempEvalReport) -> Vec<Line> {
    let b = format!("TempEval-3 platinum, {} documents, {} timexes", r.documents, r.counts.gold);
    let pct = |x: f64| Some(100.0 * x);
    vec![
        Line::new("tempeval.value_f1", &b, "value F1", Unit::Percent2, pct(r.value_f1)),
        Line::new("tempeval.strict_f1", &b, "strict extent F1", Unit::Percent2, pct(r.strict.f1)),
        Line::new("tempeval.relaxed_f1", &b, "relaxed extent F1", Unit::Percent2, pct(r.relaxed.f1)),
        Line::new("tempeval.type_accuracy", &b, "type accuracy", Unit::Percent2, pct(r.type_accuracy)),
    ]
}

pub fn geo_lines(id: &str, name: &str, r: &GeoReport) -> Vec<Line> {
    let b = format!("{name}, {} articles, {} toponyms with coordinates", r.articles, r.resolution.n);
    let k = |s: &str| format!("geo.{id}.{s}");
    let pct = |x: f64| Some(100.0 * x);
    vec![
        Line::new(&k("resolution.acc161"), &b, "resolution on gold toponyms: acc@161 km", Unit::Percent1, pct(r.resolution.acc_161)),
        Line::new(&k("resolution.exact"), &b, "resolution: exact GeoNames id", Unit::Percent1, r.resolution.exact.map(|e| 100.0 * e)),
        Line::new(&k("resolution.mean_km"), &b, "resolution: mean error", Unit::Km, r.resolution.mean_km),
        Line::new(&k("resolution.median_km"), &b, "resolution: median error", Unit::Km, r.resolution.median_km),
        Line::new(&k("e2e.acc161"), &b, "end to end (recognition + resolution): acc@161 km", Unit::Percent1, pct(r.end_to_end.acc_161)),
        Line::new(&k("e2e.tagging_f1"), &b, "end to end: toponym tagging F1", Unit::Fraction, Some(r.tagging.f1)),
    ]
}

pub const CLAIMS_BENCH: &str = "Claims, dev gold (score.py)";

/// The claims lines; `None` report means there is no gold yet, said plainly.
pub fn claims_lines(r: Option<&ClaimsReport>, gold_dir: &str) -> Vec<Line> {
    let Some(r) = r else {
        let why = format!("no gold: {gold_dir} holds no *.jsonl");
        return vec![
            Line::new("claims.f1", CLAIMS_BENCH, "claims F1", Unit::Fraction, None).note(why.clone()),
            Line::new("claims.strict", CLAIMS_BENCH, "strict (place, when, source, stance right)", Unit::Fraction, None).note(why),
        ];
    };
    let mut lines = vec![
        Line::new("claims.f1", CLAIMS_BENCH, "claims F1", Unit::Fraction, Some(r.f1)),
        Line::new("claims.precision", CLAIMS_BENCH, "precision", Unit::Fraction, Some(r.precision)),
        Line::new("claims.recall", CLAIMS_BENCH, "recall", Unit::Fraction, Some(r.recall)),
        Line::new("claims.strict", CLAIMS_BENCH, "strict (place, when, source, stance right)", Unit::Fraction, Some(r.strict)),
    ];
    if let Some(w) = r.when_absolute {
        lines.push(Line::new("claims.when_absolute", CLAIMS_BENCH, "when, absolute dates only", Unit::Fraction, Some(w)));
    }
    for (field, v) in &r.fields {
        lines.push(Line::new(&format!("claims.field.{field}"), CLAIMS_BENCH, &format!("field accuracy: {field}"), Unit::Fraction, Some(*v)));
    }
    lines
}

pub fn throughput_lines(r: &ThroughputReport) -> Vec<Line> {
    let b = format!("Pipeline throughput (ingest + extract into SQLite), {} generated articles, {:.1} MB", r.articles, r.bytes as f64 / 1e6);
    vec![
        Line::new("throughput.mb_per_cpu_s", &b, "MB/s per core (per CPU second)", Unit::Rate, Some(r.mb_per_cpu_s)).speed(),
        Line::new("throughput.articles_per_cpu_s", &b, "articles/s per core", Unit::Rate, Some(r.articles_per_cpu_s)).speed(),
        Line::new("throughput.mb_per_s", &b, &format!("MB/s wall, {} cores", r.cores), Unit::Rate, Some(r.mb_per_s)).speed(),
        Line::new("throughput.articles_per_s", &b, &format!("articles/s wall, {} cores", r.cores), Unit::Rate, Some(r.articles_per_s)).speed(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::articles::{Metrics, Run};

    fn board() -> Board {
        let a = ArticleReport {
            pages: 3,
            sitrep: Run { metrics: Metrics { documents: 3, precision: 0.9, recall: 0.99, f1: 0.943, accuracy: 0.3 }, pages_per_s: 40.0, empty: 0 },
            rs_trafilatura: Run { metrics: Metrics { documents: 3, precision: 0.9, recall: 0.98, f1: 0.938, accuracy: 0.3 }, pages_per_s: 50.0, empty: 0 },
            reference_outputs: [("rs_trafilatura".to_string(), Metrics { documents: 3, precision: 0.95, recall: 0.99, f1: 0.97, accuracy: 0.287 })].into(),
        };
        let mut b = Board { date: "2026-01-02".into(), build: "release".into(), cores: 2, ..Board::default() };
        b.lines.extend(article_lines(&a));
        b.lines.extend(claims_lines(None, "gold/dev"));
        let refs = References::parse(
            r#"[[reference]]
line = "article.f1"
system = "rs_trafilatura x"
value = 0.970
output = "rs_trafilatura"
source = "bench README"
[aims]
"article.f1" = 0.97
"claims.f1" = 0.8
"#,
        )
        .unwrap();
        b.finish(&refs, Some(&a));
        b
    }

    #[test]
    fn lines_carry_references_aims_and_plain_status() {
        let b = board();
        let f1 = b.line("article.f1").unwrap();
        assert_eq!(f1.references.len(), 2, "the run-here comparison and the published figure");
        assert_eq!(f1.references[1].rescored, Some(0.97));
        assert_eq!(f1.status(), "**short of aim ≥ 0.970** by 0.027");
        let claims = b.line("claims.f1").unwrap();
        assert_eq!(claims.value, None);
        assert!(claims.shown().starts_with("no gold"), "{}", claims.shown());
        assert_eq!(claims.status(), "aim ≥ 0.800");
        assert!(b.notes[0].contains("reproduces all 1 published"), "{:?}", b.notes);
    }

    #[test]
    fn markdown_has_one_row_per_line_and_the_sources() {
        let md = board().to_markdown();
        let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| ")).collect();
        assert_eq!(rows.len(), 1 + 5 + 2, "header + article + claims:\n{md}");
        assert!(rows[1].contains("| Article extraction, 3 pages | F1 (4-word shingles, macro) | **0.943** |"), "{}", rows[1]);
        assert!(rows[2].contains("| precision | 0.900 |"), "only figures with an aim are bold: {}", rows[2]);
        assert!(rows[1].contains("rs_trafilatura x 0.970") && rows[1].contains("bench README"), "{}", rows[1]);
        assert!(rows[2].starts_with("|  | precision |"), "the benchmark is named once: {}", rows[2]);
        assert!(md.contains("no gold: gold/dev holds no *.jsonl"));
    }

    #[test]
    fn splicing_replaces_only_between_the_markers() {
        let readme = format!("# T\n\nbefore\n{BEGIN}\nold table\n{END}\nafter\n");
        let out = splice(&readme, "| new |\n").unwrap();
        assert_eq!(out, format!("# T\n\nbefore\n{BEGIN}\n| new |\n{END}\nafter\n"));
        assert_eq!(splice(&out, "| new |").unwrap(), out, "idempotent");
        assert!(splice("no markers", "x").is_err());
        assert!(splice(&format!("{END} {BEGIN}"), "x").is_err());
    }

    #[test]
    fn floors_fail_below_skip_unmeasured_and_ignore_speed() {
        let b = board();
        let floors: Floors = toml::from_str(
            r#"[floors]
"article.f1" = 0.95
"article.recall" = 0.9
"article.pages_per_s" = 1000.0
"claims.f1" = 0.5
"tempeval.value_f1" = 80.0
"#,
        )
        .unwrap();
        let c = check(&b, &floors);
        assert_eq!(c.failures, 1, "{:#?}", c.report);
        assert!(c.report.iter().any(|l| l.starts_with("FAILED  article.f1 = 0.943")), "{:#?}", c.report);
        assert!(c.report.iter().any(|l| l.starts_with("ok      article.recall")));
        assert!(c.report.iter().any(|l| l.starts_with("ignored  article.pages_per_s")));
        assert!(c.report.iter().any(|l| l.starts_with("skipped  claims.f1: no gold")));
        assert!(c.report.iter().any(|l| l == "skipped  tempeval.value_f1: benchmark not found"));
        assert!(c.report.iter().any(|l| l == "no floor article.precision"));
        let ceilings: Floors = toml::from_str("[ceilings]\n\"article.f1\" = 0.9\n").unwrap();
        assert_eq!(check(&b, &ceilings).failures, 1);
        let mut broken = b.clone();
        broken.errors.push("TempEval-3: parse error".into());
        assert_eq!(check(&broken, &Floors::default()).failures, 1, "a benchmark that fails to run fails the check");
    }

    #[test]
    fn finds_benchmarks_at_any_of_the_usual_depths() {
        let shared = tempfile::tempdir().unwrap();
        let s = shared.path();
        for d in ["bench/article-extraction/html", "bench/tempeval3/te3-input", "bench/tempeval3/te3-platinum", "bench/geoparsing", "eval"] {
            std::fs::create_dir_all(s.join(d)).unwrap();
        }
        std::fs::write(s.join("bench/article-extraction/ground-truth.json.xz"), "").unwrap();
        std::fs::write(s.join("bench/geoparsing/GWN.xml.xz"), "").unwrap();
        std::fs::write(s.join("bench/geoparsing/lgl.xml"), "").unwrap();
        std::fs::write(s.join("eval/score.py"), "").unwrap();
        let all = discover(&[s.to_path_buf()]);
        assert_eq!(all.articles, Some(s.join("bench/article-extraction")));
        assert_eq!(all.tempeval, Some(s.join("bench/tempeval3")));
        assert_eq!(all.geoparsing.iter().map(|g| g.0.as_str()).collect::<Vec<_>>(), vec!["gwn", "lgl"]);
        assert_eq!(all.eval, Some(s.join("eval")));
        assert_eq!(discover(&[s.join("bench/tempeval3")]).tempeval, Some(s.join("bench/tempeval3")));
        assert_eq!(discover(&[s.join("bench"), s.join("eval")]), all);
        assert_eq!(discover(&[s.join("nothing-here")]), Found::default());
    }

    #[test]
    fn the_embedded_references_parse_and_name_known_lines() {
        let r = References::embedded();
        assert!(r.references.len() >= 20);
        assert_eq!(r.aims.get("tempeval.value_f1"), Some(&82.6));
        assert!(r.references.iter().all(|x| !x.source.is_empty() && !x.system.is_empty()));
    }
}
