//! The scoreboard: run every benchmark found and print sitrep's figures beside the
//! published ones.
//!
//!     cargo build --release -p sitrep -p sitrep-eval
//!     cargo run --release -p sitrep-eval --bin scoreboard -- [PATH...] [--write] [--check]
//!
//! See `--help`, and the README's "Benchmarks and quality" section.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;
use sitrep_eval::scoreboard::{self, Board, Floors, Line, References, Unit};
use sitrep_eval::{articles, claims, geoparsing, tempeval, throughput};

// mimalloc: the pipeline allocates many small strings and vectors per sentence, and the
// system allocator's malloc and free were a quarter of the analysis's instructions.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Run every benchmark found under the given folders (default: ../shared/bench and
/// ../shared/eval beside the workspace) and print one table: sitrep's figure, the
/// published reference figure and its source, and the project's aim, for each line.
#[derive(Parser)]
#[command(name = "scoreboard", version)]
struct Args {
    /// Folders to look in: a shared folder, a bench folder, or one benchmark's folder.
    paths: Vec<PathBuf>,
    /// Write the results into the repository: eval/scoreboard.json, and the table in
    /// README.md between its scoreboard markers.
    #[arg(long)]
    write: bool,
    /// Also write the JSON to this file.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Hold every quality figure to the floors file; exit 1 when one falls below.
    #[arg(long)]
    check: bool,
    /// The floors file for --check.
    #[arg(long, value_name = "FILE", default_value_os_t = repo().join("eval/floors.toml"))]
    floors: PathBuf,
    /// Articles to generate for the pipeline throughput line; 0 skips it.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    throughput: usize,
    /// The sitrep binary for the claims and throughput lines (default: the one built
    /// beside this program, or $SITREP_BIN).
    #[arg(long, value_name = "BIN", env = "SITREP_BIN")]
    sitrep: Option<PathBuf>,
    /// Python 3, for the claims scorer and the corpus generator.
    #[arg(long, value_name = "CMD", default_value = "python3")]
    python: String,
}

/// The workspace this program was built from.
fn repo() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    p.canonicalize().unwrap_or(p)
}

fn sitrep_binary(given: Option<PathBuf>) -> Option<PathBuf> {
    if given.is_some() {
        return given;
    }
    let exe = std::env::current_exe().ok()?;
    exe.ancestors().skip(1).take(2).map(|d| d.join(format!("sitrep{}", std::env::consts::EXE_SUFFIX))).find(|p| p.is_file())
}

/// A path as the README would write it: relative to the workspace (`../shared/...`).
fn shown(p: &Path) -> String {
    let repo = repo();
    if let Ok(rest) = p.strip_prefix(&repo) {
        return rest.display().to_string();
    }
    match repo.parent().and_then(|parent| p.strip_prefix(parent).ok()) {
        Some(rest) => format!("../{}", rest.display()),
        None => p.display().to_string(),
    }
}

fn timed<T>(what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    eprintln!("== {what}");
    let t = Instant::now();
    let r = f();
    eprintln!("   {:.1} s", t.elapsed().as_secs_f64());
    r.with_context(|| what.to_string())
}

fn git_describe(repo: &Path) -> Option<String> {
    let out = std::process::Command::new("git").arg("-C").arg(repo).args(["describe", "--always", "--dirty"]).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string()).filter(|s| !s.is_empty())
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("scoreboard: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<ExitCode> {
    let repo = repo();
    let shared = repo.parent().map_or_else(|| repo.join("../shared"), |p| p.join("shared"));
    let paths = if args.paths.is_empty() { vec![shared.join("bench"), shared.join("eval")] } else { args.paths.clone() };
    let found = scoreboard::discover(&paths);
    let sitrep = sitrep_binary(args.sitrep.clone());
    let mut board = Board {
        date: jiff::Zoned::now().date().to_string(),
        commit: git_describe(&repo),
        build: if cfg!(debug_assertions) { "debug" } else { "release" }.into(),
        cores: std::thread::available_parallelism().map_or(1, |c| c.get()),
        ..Board::default()
    };
    let mut article_report = None;
    let record = |board: &mut Board, key: &str, r: Result<(Vec<Line>, serde_json::Value)>| match r {
        Ok((lines, detail)) => {
            board.lines.extend(lines);
            board.details.insert(key.into(), detail);
        }
        Err(e) => board.errors.push(format!("{e:#}")),
    };

    if let Some(dir) = &found.articles {
        let r = timed(&format!("article extraction: {}", shown(dir)), || articles::evaluate(dir));
        if let Ok(a) = &r {
            article_report = Some(a.clone());
        }
        record(&mut board, "article_extraction", r.map(|a| (scoreboard::article_lines(&a), serde_json::to_value(&a).unwrap_or_default())));
    }
    if let Some(dir) = &found.tempeval {
        let r = timed(&format!("TempEval-3: {}", shown(dir)), || tempeval::evaluate(dir));
        record(&mut board, "tempeval3", r.map(|t| (scoreboard::tempeval_lines(&t), serde_json::to_value(&t).unwrap_or_default())));
    }
    if !found.geoparsing.is_empty() {
        let loaded = sitrep_language::gazetteer::Gazetteer::embedded().context("loading the embedded gazetteer");
        match loaded {
            Ok(gaz) => {
                let lex = sitrep_lexicon::Lexicons::embedded();
                for (id, name, file) in &found.geoparsing {
                    let r = timed(&format!("geoparsing {name}: {}", shown(file)), || geoparsing::evaluate(file, &gaz, &lex));
                    record(&mut board, &format!("geoparsing_{id}"), r.map(|g| (scoreboard::geo_lines(id, name, &g), serde_json::to_value(&g).unwrap_or_default())));
                }
            }
            Err(e) => board.errors.push(format!("{e:#}")),
        }
    }
    if let Some(dir) = &found.eval {
        let bench = claims::bench(dir, "dev");
        if claims::gold_files(&bench.gold) == 0 {
            eprintln!("== claims: no gold in {} (nothing to score yet)", shown(&bench.gold));
            board.lines.extend(scoreboard::claims_lines(None, &shown(&bench.gold)));
        } else {
            let r = match &sitrep {
                Some(bin) => timed(&format!("claims: {} with {}", shown(&bench.gold), shown(bin)), || claims::evaluate(&bench, bin, &args.python)),
                None => Err(anyhow::anyhow!("claims: gold is there but no sitrep binary was found (cargo build --release -p sitrep, or --sitrep BIN)")),
            };
            record(&mut board, "claims_dev", r.map(|c| (scoreboard::claims_lines(Some(&c), &shown(&bench.gold)), serde_json::to_value(&c).unwrap_or_default())));
        }
    }
    let throughput_bench = "Pipeline throughput (ingest + extract into SQLite)";
    let not_run = |why: String| Line {
        id: "throughput.mb_per_cpu_s".into(),
        benchmark: throughput_bench.into(),
        figure: "MB/s per core (per CPU second)".into(),
        unit: Unit::Rate,
        value: None,
        note: Some(why),
        higher_is_better: true,
        speed: true,
        references: Vec::new(),
        aim: None,
    };
    if args.throughput == 0 {
        board.lines.push(not_run("not run (--throughput 0)".into()));
    } else {
        match &sitrep {
            Some(bin) => {
                let generator = repo.join("scripts/gen_corpus.py");
                let r = timed(&format!("throughput: {} generated articles", args.throughput), || throughput::measure(bin, &generator, &args.python, args.throughput));
                record(&mut board, "throughput", r.map(|t| (scoreboard::throughput_lines(&t), serde_json::to_value(&t).unwrap_or_default())));
            }
            None => board.lines.push(not_run("not run: no sitrep binary beside the scoreboard (cargo build --release -p sitrep)".into())),
        }
    }
    if board.build == "debug" {
        board.notes.push("Debug build: the speed figures are not representative; run with --release.".into());
    }
    board.finish(&References::embedded(), article_report.as_ref());

    if found == scoreboard::Found::default() {
        eprintln!("no benchmarks found under {}", paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "));
    }
    println!("{}", board.to_text());

    let json = serde_json::to_string_pretty(&board)? + "\n";
    if let Some(p) = &args.json {
        std::fs::write(p, &json).with_context(|| format!("writing {}", p.display()))?;
    }
    if args.write {
        let out = repo.join("eval/scoreboard.json");
        std::fs::write(&out, &json).with_context(|| format!("writing {}", out.display()))?;
        let readme_path = repo.join("README.md");
        let readme = std::fs::read_to_string(&readme_path)?;
        let updated = scoreboard::splice(&readme, &board.to_markdown()).with_context(|| format!("updating {}", readme_path.display()))?;
        std::fs::write(&readme_path, updated)?;
        eprintln!("wrote {} and the table in {}", out.display(), readme_path.display());
    }
    let mut failed = !board.errors.is_empty();
    if args.check {
        let floors = Floors::load(&args.floors)?;
        let c = scoreboard::check(&board, &floors);
        println!("floors ({}):", args.floors.display());
        for l in &c.report {
            println!("  {l}");
        }
        if c.failures > 0 {
            println!("{} figure(s) below their floor or benchmark(s) that failed to run", c.failures);
            failed = true;
        } else {
            println!("every quality figure is at or above its floor");
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
