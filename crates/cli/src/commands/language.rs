//! `sitrep mentions` and `sitrep gazetteer import|stats|lookup`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};
use sitrep_language::gazetteer::geonames::{read_admin_codes, read_dump, AdminCodes};
use sitrep_store::Store;

use super::process::{load_gazetteer, load_pipeline, process};
use crate::table;

#[derive(clap::Args)]
pub struct MentionsArgs {
    /// Article id, unique id prefix, or the file it was read from.
    doc: String,
    /// Only these kinds (place, time, quantity, sentence, paragraph); repeatable.
    #[arg(long = "kind")]
    kinds: Vec<String>,
    /// Print JSON Lines instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn mentions(db: &Path, lexicons: Option<&Path>, args: MentionsArgs) -> Result<ExitCode> {
    let mut store = Store::open(db)?;
    let Some(id) = store.resolve_article_id(&args.doc)? else {
        bail!("no article matches {:?}: give an id, a unique id prefix or the file name (see `sitrep docs`)", args.doc);
    };
    if store.mentions(&id, &["sentence"])?.is_empty() {
        // First look at an article that `sitrep extract` has not reached yet.
        let pipeline = load_pipeline(&store, lexicons)?;
        process(&mut store, &pipeline, std::slice::from_ref(&id), false, false)?;
    }
    let default_kinds = ["place", "time", "quantity"];
    let kinds: Vec<&str> = if args.kinds.is_empty() { default_kinds.to_vec() } else { args.kinds.iter().map(String::as_str).collect() };
    let rows = store.mentions(&id, &kinds)?;
    if args.json {
        for r in &rows {
            println!("{}", serde_json::to_string(r)?);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = table::new(&["kind", "chars", "text", "value"]);
    for r in &rows {
        t.add_row(vec![r.kind.clone(), format!("{}..{}", r.start, r.end), table::clip(&r.text, 40), describe(&r.kind, &r.data)]);
    }
    println!("{t}");
    eprintln!("{} mention(s) in {id}", rows.len());
    Ok(ExitCode::SUCCESS)
}

/// The one-line reading of a mention for the table.
fn describe(kind: &str, d: &serde_json::Value) -> String {
    let s = |k: &str| d[k].as_str().map(str::to_string);
    let n = |k: &str| d[k].as_f64().map(|v| if v.fract() == 0.0 { format!("{v:.0}") } else { v.to_string() });
    match kind {
        "place" => {
            let mut out = format!("{} ({})", s("name").unwrap_or_default(), s("feature").unwrap_or_default());
            if let Some(a) = s("admin1") {
                out.push_str(&format!(", {a}"));
            }
            if let Some(c) = s("country") {
                out.push_str(&format!(", {c}"));
            }
            match (d["lat"].as_f64(), d["lon"].as_f64()) {
                (Some(lat), Some(lon)) => out.push_str(&format!(" {lat:.3},{lon:.3}")),
                _ => out.push_str(" (no coordinates)"),
            }
            if let Some(u) = d["uncertainty_km"].as_f64() {
                out.push_str(&format!(" ±{u:.0} km"));
            }
            if let Some(r) = s("relation") {
                out.push_str(&format!(" [{r}]"));
            }
            out.push_str(&format!("  {}", s("gazetteer_id").unwrap_or_else(|| "not in gazetteer".into())));
            out
        }
        "time" => {
            let interval = match (s("start"), s("end")) {
                (Some(a), Some(b)) if a == b => format!(" = {a}"),
                (Some(a), Some(b)) => format!(" = {a} .. {b}"),
                _ => String::new(),
            };
            format!("{} {}{interval}{}", s("timex_type").unwrap_or_default(), s("value").unwrap_or_default(), if d["relative"] == true { " (relative)" } else { "" })
        }
        "quantity" => {
            let mut parts = Vec::new();
            for (k, label) in [("value", "="), ("min", "≥"), ("max", "≤")] {
                if let Some(v) = n(k) {
                    parts.push(format!("{label}{v}"));
                }
            }
            format!("{} {}", parts.join(" "), s("unit").unwrap_or_default())
        }
        _ => String::new(),
    }
}

#[derive(clap::Subcommand)]
pub enum GazetteerCommand {
    /// Import GeoNames dumps (allCountries.zip, per-country zips such as UA.zip, or
    /// their .txt) on top of the embedded gazetteer. Give admin1CodesASCII.txt and
    /// admin2Codes.txt (.xz accepted) in the same call to get area names.
    /// Importing the same file again changes nothing.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Counts of the embedded and imported gazetteer.
    Stats,
    /// Every entry a name resolves to, most populous first.
    Lookup {
        name: String,
        #[arg(long)]
        json: bool,
    },
}

pub fn gazetteer(db: &Path, cmd: GazetteerCommand) -> Result<ExitCode> {
    let mut store = Store::open(db)?;
    match cmd {
        GazetteerCommand::Import { files } => import(&mut store, &files),
        GazetteerCommand::Stats => {
            let gaz = load_gazetteer(&store)?;
            let st = gaz.stats();
            let (rows, imports) = store.gazetteer_import_count()?;
            println!("embedded rows:   {}", st.embedded_rows);
            println!("embedded names:  {}", st.embedded_names);
            println!("imported rows:   {rows} (from {imports} file(s))");
            println!("replaced rows:   {}", st.replaced_rows);
            println!("total rows:      {}", st.total_rows);
            Ok(ExitCode::SUCCESS)
        }
        GazetteerCommand::Lookup { name, json } => {
            let gaz = load_gazetteer(&store)?;
            let mut hits = gaz.lookup(&name);
            hits.sort_by(|a, b| b.population.cmp(&a.population).then(a.id.cmp(&b.id)));
            if json {
                for h in &hits {
                    println!("{}", serde_json::to_string(h)?);
                }
            } else {
                let mut t = table::new(&["id", "name", "feature", "admin1", "country", "lat, lon", "population"]);
                for h in &hits {
                    let coords = match (h.lat, h.lon) {
                        (Some(a), Some(b)) => format!("{a:.4}, {b:.4}"),
                        _ => "—".into(),
                    };
                    t.add_row(vec![
                        h.id.clone(),
                        h.name.clone(),
                        format!("{:?} {}", h.feature, h.feature_code).to_lowercase(),
                        h.admin1.clone().unwrap_or_else(|| "—".into()),
                        h.country.clone(),
                        coords,
                        h.population.to_string(),
                    ]);
                }
                println!("{t}");
            }
            if hits.is_empty() {
                eprintln!("no gazetteer entry for {name:?}");
                return Ok(ExitCode::from(2));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn is_admin_table(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    name.starts_with("admin1codes") || name.starts_with("admin2codes")
}

fn file_sha256(p: &Path) -> Result<String> {
    let mut f = std::fs::File::open(p).with_context(|| format!("opening {}", p.display()))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

fn import(store: &mut Store, files: &[PathBuf]) -> Result<ExitCode> {
    let mut admin = AdminCodes::default();
    for f in files.iter().filter(|f| is_admin_table(f)) {
        admin.extend(read_admin_codes(f)?);
        eprintln!("read {} admin codes from {}", admin.len(), f.display());
    }
    let mut failed = false;
    for f in files.iter().filter(|f| !is_admin_table(f)) {
        let sha = file_sha256(f)?;
        if let Some(rows) = store.gazetteer_import_seen(&sha)? {
            eprintln!("{}: already imported ({rows} rows), nothing changed", f.display());
            continue;
        }
        let pb = ProgressBar::new_spinner();
        pb.set_style(ProgressStyle::with_template("{spinner} {msg} {pos} rows ({per_sec})").unwrap());
        pb.set_message(f.display().to_string());
        let mut batch = Vec::with_capacity(5000);
        let (mut rows, mut bad) = (0i64, 0usize);
        for entry in read_dump(f)?.with_admin_codes(admin.clone()) {
            match entry {
                Ok(e) => {
                    batch.push((e.id.clone(), e.name.clone(), serde_json::to_string(&e)?));
                    rows += 1;
                }
                Err(e) => {
                    bad += 1;
                    if bad <= 10 {
                        pb.suspend(|| eprintln!("skipped {e:#}"));
                    }
                }
            }
            if batch.len() == 5000 {
                store.put_gazetteer_entries(&f.display().to_string(), &batch)?;
                pb.inc(batch.len() as u64);
                batch.clear();
            }
        }
        store.put_gazetteer_entries(&f.display().to_string(), &batch)?;
        pb.finish_and_clear();
        store.record_gazetteer_import(&f.display().to_string(), &sha, rows)?;
        eprintln!("{}: imported {rows} rows{}", f.display(), if bad > 0 { format!(", skipped {bad} bad rows") } else { String::new() });
        failed |= bad > 0;
    }
    Ok(if failed { ExitCode::from(2) } else { ExitCode::SUCCESS })
}
