//! `sitrep extract`, `claims`, `export`, `explain` and `quotes`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde_json::Value;
use sitrep_store::{Checkpointer, ClaimFilter, ClaimRow, Store};

use super::process::{load_pipeline, process};
use crate::table;

#[derive(clap::Args)]
pub struct ExtractArgs {
    /// Redo every article (after a lexicon or gazetteer change), not only new ones.
    #[arg(long)]
    all: bool,
    #[arg(long, short)]
    quiet: bool,
}

/// From how many articles on `sitrep extract` defers the claims' filter indexes.
const BULK_EXTRACTION: usize = 500;

pub fn extract(db: &Path, lexicons: Option<&Path>, args: ExtractArgs) -> Result<ExitCode> {
    let mut store = Store::open(db)?;
    let started = Instant::now();
    let pipeline = load_pipeline(&store, lexicons)?;
    let ids = store.articles_to_process(sitrep_extract::pipeline::PIPELINE_VERSION, args.all)?;
    if ids.is_empty() {
        eprintln!("nothing to do: every article is processed (use --all to redo them)");
        return Ok(ExitCode::SUCCESS);
    }
    // A big batch is written as `sitrep ingest` writes: the log copied into the database
    // by a thread of its own, and the claims without their filter indexes, which are
    // sorted in at the end. For a few articles neither pays.
    let bulk = ids.len() >= BULK_EXTRACTION;
    let checkpointer = if bulk {
        store.tune_for_bulk_writes()?;
        store.defer_claim_filter_indexes()?;
        Some(Checkpointer::start(db)?)
    } else {
        None
    };
    let done = process(&mut store, &pipeline, &ids, !args.quiet, bulk)?;
    if bulk {
        store.restore_claim_filter_indexes()?;
        drop(checkpointer);
    }
    let secs = started.elapsed().as_secs_f64().max(1e-6);
    eprintln!(
        "processed {} article(s), {:.1} MB in {:.2} s ({:.0} articles/s, {:.2} MB/s): {} claim(s), {} mention(s)",
        done.articles,
        done.bytes as f64 / 1e6,
        secs,
        done.articles as f64 / secs,
        done.bytes as f64 / 1e6 / secs,
        done.claims,
        done.mentions
    );
    super::reconcile::run_reconcile(&mut store, lexicons)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args, Clone)]
pub struct FilterArgs {
    /// Event type (capture, withdrawal, strike, ...).
    #[arg(long = "type")]
    claim_type: Option<String>,
    /// Place name (substring, case-insensitive).
    #[arg(long)]
    place: Option<String>,
    /// Source name (substring, case-insensitive).
    #[arg(long)]
    source: Option<String>,
    /// Claims about happenings on or after this date (YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Claims about happenings on or before this date (YYYY-MM-DD).
    #[arg(long)]
    until: Option<String>,
    /// asserted, denied, unconfirmed, possible or planned.
    #[arg(long)]
    stance: Option<String>,
    /// Only this article (id, prefix or file name).
    #[arg(long)]
    doc: Option<String>,
}

impl FilterArgs {
    fn to_filter(&self, store: &Store) -> Result<ClaimFilter> {
        super::check_date("--since", &self.since)?;
        super::check_date("--until", &self.until)?;
        let article_id = match &self.doc {
            Some(d) => Some(store.resolve_article_id(d)?.with_context(|| format!("no article matches {d:?}"))?),
            None => None,
        };
        Ok(ClaimFilter {
            claim_type: self.claim_type.clone(),
            place: self.place.clone(),
            source: self.source.clone(),
            stance: self.stance.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            article_id,
            limit: None,
        })
    }
}

#[derive(clap::Args)]
pub struct ClaimsArgs {
    #[command(flatten)]
    filter: FilterArgs,
    /// At most this many claims.
    #[arg(long)]
    limit: Option<i64>,
}

pub fn claims(db: &Path, args: ClaimsArgs) -> Result<ExitCode> {
    let store = Store::open(db)?;
    let mut f = args.filter.to_filter(&store)?;
    f.limit = args.limit;
    let rows = store.claims(&f)?;
    let mut t = table::new(&["claim", "type", "agent", "place", "when", "source", "stance", "sentence"]);
    for c in &rows {
        let when = match (&c.when_start, &c.when_end) {
            (Some(a), Some(b)) if a != b => format!("{a}..{b}"),
            (Some(a), _) => a.clone(),
            _ => "—".into(),
        };
        t.add_row(vec![
            c.id[..8].to_string(),
            c.claim_type.clone(),
            c.agent.clone().unwrap_or_else(|| "—".into()),
            c.place_name.clone().unwrap_or_else(|| "—".into()),
            when,
            table::clip(&c.source_name, 28),
            c.stance.clone(),
            table::clip(c.record["sentence"].as_str().unwrap_or(""), 60),
        ]);
    }
    println!("{t}");
    eprintln!("{} claim(s)", rows.len());
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::ValueEnum, Clone, Copy)]
pub enum ExportFormat {
    Jsonl,
    Csv,
    Geojson,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "jsonl")]
    format: ExportFormat,
    /// Write here instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    filter: FilterArgs,
}

/// The contract's record with the reconciler's event id.
fn full_record(c: &ClaimRow) -> Value {
    let mut r = c.record.clone();
    r["event_id"] = c.event_id.clone().map(Value::String).unwrap_or(Value::Null);
    r
}

/// The CSV columns: the record's fields, nested objects flattened with dotted names.
const CSV_COLUMNS: &[&str] = &[
    "claim_id", "doc_id", "outlet", "url", "published", "published_inferred", "sentence", "span.start", "span.end",
    "type", "agent", "target", "place.name", "place.gazetteer_id", "place.lat", "place.lon", "place.feature",
    "place.admin1", "place.country", "when.start", "when.end", "when.text", "quantity.value", "quantity.min",
    "quantity.max", "quantity.unit", "quantity.text", "source.name", "source.kind", "source.side", "stance", "quote",
    "event_id",
];

fn csv_cell(record: &Value, column: &str) -> String {
    let v = match column {
        "span.start" => &record["span"][0],
        "span.end" => &record["span"][1],
        _ => {
            let mut v = record;
            for part in column.split('.') {
                v = &v[part];
            }
            v
        }
    };
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn export(db: &Path, args: ExportArgs) -> Result<ExitCode> {
    let store = Store::open(db)?;
    let rows = store.claims(&args.filter.to_filter(&store)?)?;
    let mut out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(std::io::BufWriter::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?)),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    // Export in a stable order: article, then position in the article.
    let mut rows = rows;
    rows.sort_by(|a, b| (&a.article_id, a.seq).cmp(&(&b.article_id, b.seq)));
    match args.format {
        ExportFormat::Jsonl => {
            for c in &rows {
                writeln!(out, "{}", serde_json::to_string(&full_record(c))?)?;
            }
        }
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(CSV_COLUMNS)?;
            for c in &rows {
                let r = full_record(c);
                w.write_record(CSV_COLUMNS.iter().map(|col| csv_cell(&r, col)))?;
            }
            w.flush()?;
        }
        ExportFormat::Geojson => {
            let features: Vec<geojson::Feature> = rows
                .iter()
                .filter_map(|c| {
                    let (lat, lon) = (c.lat?, c.lon?);
                    let record = full_record(c);
                    let properties = record.as_object().cloned();
                    Some(geojson::Feature {
                        bbox: None,
                        geometry: Some(geojson::Geometry::new_point([lon, lat])),
                        id: Some(geojson::feature::Id::String(c.id.clone())),
                        properties,
                        foreign_members: None,
                    })
                })
                .collect();
            let fc = geojson::FeatureCollection { bbox: None, features, foreign_members: None };
            writeln!(out, "{}", serde_json::to_string(&fc)?)?;
        }
    }
    out.flush()?;
    if let Some(p) = &args.out {
        eprintln!("wrote {} claim(s) to {}", rows.len(), p.display());
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// Claim id or unique prefix (see `sitrep claims`).
    claim: String,
    /// No terminal colours.
    #[arg(long)]
    plain: bool,
}

/// ANSI colours per part, so the sentence shows which words did what.
const PART_STYLES: &[(&str, &str)] = &[
    ("trigger", "\x1b[1;31m"),
    ("agent", "\x1b[1;34m"),
    ("target", "\x1b[34m"),
    ("place", "\x1b[1;32m"),
    ("when", "\x1b[1;35m"),
    ("quantity", "\x1b[1;36m"),
    ("source", "\x1b[1;33m"),
    ("stance", "\x1b[4;33m"),
    ("quote", "\x1b[3m"),
];

pub fn explain(db: &Path, args: ExplainArgs) -> Result<ExitCode> {
    let store = Store::open(db)?;
    let Some(c) = store.claim(&args.claim)? else {
        bail!("no claim matches {:?} (see `sitrep claims`)", args.claim);
    };
    let text = store.article_text(&c.article_id)?.unwrap_or_default();
    let chars: Vec<char> = text.chars().collect();
    let color = !args.plain && std::io::IsTerminal::is_terminal(&std::io::stdout());
    // Collect the highlighted character ranges inside the sentence.
    let mut marks: Vec<(i64, i64, &str)> = Vec::new();
    let span_of = |v: &Value| -> Option<(i64, i64)> { Some((v[0].as_i64()?, v[1].as_i64()?)) };
    for (part, _) in PART_STYLES {
        if let Some((a, b)) = span_of(&c.detail[*part]) {
            marks.push((a, b, part));
        }
    }
    for e in c.detail["evidence"].as_array().into_iter().flatten() {
        if let (Some((a, b)), Some(part)) = (span_of(&e["span"]), e["part"].as_str()) {
            if !marks.iter().any(|m| m.2 == part) {
                if let Some((p, _)) = PART_STYLES.iter().find(|(p, _)| *p == part) {
                    marks.push((a, b, p));
                }
            }
        }
    }
    let (s0, s1) = (c.sent_start.max(0) as usize, (c.sent_end.max(0) as usize).min(chars.len()));
    let mut sentence = String::new();
    for i in s0..s1 {
        let i64i = i as i64;
        for (a, _, part) in &marks {
            if *a == i64i {
                if color {
                    sentence.push_str(PART_STYLES.iter().find(|(p, _)| p == part).unwrap().1);
                } else {
                    sentence.push_str(&format!("[{part}: "));
                }
            }
        }
        sentence.push(chars[i]);
        for (_, b, _) in &marks {
            if *b == i64i + 1 {
                sentence.push_str(if color { "\x1b[0m" } else { "]" });
            }
        }
    }
    let r = &c.record;
    println!("claim {}  (article {}, characters {}..{})", c.id, c.article_id, c.sent_start, c.sent_end);
    println!();
    println!("  {sentence}");
    println!();
    let show = |label: &str, v: &Value| println!("  {label:<9} {}", if v.is_null() { "—".to_string() } else { v.to_string() });
    show("type", &r["type"]);
    show("agent", &r["agent"]);
    show("target", &r["target"]);
    show("place", &r["place"]);
    if let Some(by) = c.detail["place_resolved_by"].as_str() {
        println!("  {:<9} {by}", "");
    }
    show("when", &r["when"]);
    show("quantity", &r["quantity"]);
    show("source", &r["source"]);
    show("stance", &r["stance"]);
    show("quote", &r["quote"]);
    println!();
    println!("  why:");
    for e in c.detail["evidence"].as_array().into_iter().flatten() {
        println!("    {:<9} {}", e["part"].as_str().unwrap_or(""), e["rule"].as_str().unwrap_or(""));
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct QuotesArgs {
    /// Only this article (id, prefix or file name).
    #[arg(long)]
    doc: Option<String>,
    /// Speaker name (substring, case-insensitive).
    #[arg(long)]
    speaker: Option<String>,
    #[arg(long)]
    json: bool,
}

pub fn quotes(db: &Path, args: QuotesArgs) -> Result<ExitCode> {
    let store = Store::open(db)?;
    let article = match &args.doc {
        Some(d) => Some(store.resolve_article_id(d)?.with_context(|| format!("no article matches {d:?}"))?),
        None => None,
    };
    let rows = store.quotes(article.as_deref())?;
    let speaker_filter = args.speaker.as_deref().map(str::to_lowercase);
    let mut t = table::new(&["article", "speaker", "quote"]);
    let mut n = 0;
    for (article_id, m) in rows {
        let speaker = m.data["speaker"]["name"].as_str().unwrap_or("unattributed").to_string();
        if speaker_filter.as_ref().is_some_and(|f| !speaker.to_lowercase().contains(f)) {
            continue;
        }
        n += 1;
        if args.json {
            println!("{}", serde_json::json!({"doc_id": article_id, "speaker": m.data["speaker"], "text": m.text, "span": [m.start, m.end]}));
        } else {
            t.add_row(vec![article_id[..8].to_string(), speaker, table::clip(&m.text, 90)]);
        }
    }
    if !args.json {
        println!("{t}");
    }
    eprintln!("{n} quotation(s)");
    Ok(ExitCode::SUCCESS)
}
