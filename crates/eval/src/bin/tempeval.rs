//! Score the time tagger on TempEval-3 platinum.
//!
//!     cargo run -p sitrep-eval --bin tempeval -- [DIR] [--json] [--errors]
//!
//! DIR defaults to the shared benchmark folder next to the workspace
//! (`../shared/bench/tempeval3`).

use std::path::PathBuf;

use anyhow::Result;

fn main() -> Result<()> {
    let mut dir = None;
    let (mut json, mut errors) = (false, false);
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "--json" => json = true,
            "--errors" => errors = true,
            "-h" | "--help" => {
                println!("usage: tempeval [DIR] [--json] [--errors]");
                return Ok(());
            }
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let dir = dir.unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/bench/tempeval3")));
    let (report, disagreements) = sitrep_eval::tempeval::evaluate_with_errors(&dir)?;
    if errors {
        for d in &disagreements {
            println!(
                "{:<30} {:<8} gold {:<28} {:<24} | system {:<28} {}",
                d.document,
                d.kind,
                d.gold_text.as_deref().map(|t| format!("{t:?}")).unwrap_or_default(),
                d.gold.as_deref().unwrap_or(""),
                d.system_text.as_deref().map(|t| format!("{t:?}")).unwrap_or_default(),
                d.system.as_deref().unwrap_or(""),
            );
        }
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    let pct = |x: f64| 100.0 * x;
    let c = report.counts;
    println!("TempEval-3 Task A, {} documents: {} gold timexes, {} system timexes", report.documents, c.gold, c.system);
    println!("strict   P {:6.2}  R {:6.2}  F1 {:6.2}", pct(report.strict.precision), pct(report.strict.recall), pct(report.strict.f1));
    println!("relaxed  P {:6.2}  R {:6.2}  F1 {:6.2}", pct(report.relaxed.precision), pct(report.relaxed.recall), pct(report.relaxed.f1));
    println!("type     F1 {:6.2}  accuracy {:6.2}", pct(report.type_f1), pct(report.type_accuracy));
    println!("value    F1 {:6.2}  accuracy {:6.2}", pct(report.value_f1), pct(report.value_accuracy));
    Ok(())
}
