//! Score sitrep's place resolution on geoparsing benchmarks and print the report.
//!
//!     cargo run --release -p sitrep-eval --example geoparsing -- ../shared/bench/geoparsing/GWN.xml.xz [more files] [--json]

use std::path::Path;

use sitrep_eval::geoparsing::{evaluate, read_corpus, resolution_cases};
use sitrep_language::places::PlaceTagger;
use sitrep_language::gazetteer::Gazetteer;
use sitrep_lexicon::Lexicons;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    // --errors: one line per resolution-only miss (> 161 km or unlocated), for analysis.
    let errors = args.iter().any(|a| a == "--errors");
    // --tagging: one line per false positive ("FP") and per missed gold toponym ("FN").
    let tagging = args.iter().any(|a| a == "--tagging");
    let gaz = Gazetteer::embedded()?;
    let lex = Lexicons::load(None)?;
    for f in args.iter().filter(|a| !a.starts_with("--")) {
        if errors {
            let tagger = PlaceTagger::new(&gaz, &lex)?;
            let (articles, _) = read_corpus(Path::new(f))?;
            for c in resolution_cases(&articles, &tagger) {
                if c.error_km.is_none_or(|e| e > 161.0) {
                    println!("{}\t{:?}\t{:?}\t{:?}\t{:?}\t{:?}", c.name, c.gold_geonames_id, c.predicted, c.predicted_id, c.error_km.map(|e| e.round()), c.resolved_by);
                }
            }
            continue;
        }
        if tagging {
            let tagger = PlaceTagger::new(&gaz, &lex)?;
            let (articles, _) = read_corpus(Path::new(f))?;
            for a in &articles {
                let preds = tagger.find(&a.text);
                let overlaps = |x: &sitrep_language::Span, y: &sitrep_language::Span| x.start < y.end && y.start < x.end;
                for p in &preds {
                    if !a.toponyms.iter().any(|t| overlaps(&t.span, &p.span)) {
                        println!("FP\t{}\t{}", p.span.text(&a.text), p.resolved_by);
                    }
                }
                for t in a.toponyms.iter().filter(|t| t.lat.is_some()) {
                    if !preds.iter().any(|p| overlaps(&t.span, &p.span)) {
                        println!("FN\t{}\t{}", t.name, t.kind.as_deref().unwrap_or(""));
                    }
                }
            }
            continue;
        }
        let r = evaluate(Path::new(f), &gaz, &lex)?;
        if json {
            println!("{}", serde_json::to_string(&r)?);
            continue;
        }
        println!("{} ({} articles, {} gold spans with bad offsets dropped)", r.corpus, r.articles, r.bad_offsets);
        for (what, s) in [("resolution (gold spans)", &r.resolution), ("end to end", &r.end_to_end)] {
            println!(
                "  {what:<24} n={:<5} located={:<5} acc@161={:.1}%  exact={}  mean={} km  median={} km  AUC={:.3}",
                s.n,
                s.located,
                100.0 * s.acc_161,
                s.exact.map_or("-".into(), |e| format!("{:.1}% of {}", 100.0 * e, s.n_with_id)),
                s.mean_km.map_or("-".into(), |v| format!("{v:.0}")),
                s.median_km.map_or("-".into(), |v| format!("{v:.1}")),
                s.auc
            );
        }
        let t = &r.tagging;
        println!("  tagging: predicted {} gold {} P={:.3} R={:.3} F1={:.3}", t.predicted, t.gold, t.precision, t.recall, t.f1);
    }
    Ok(())
}
