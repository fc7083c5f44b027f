//! Reconcile N synthetic claims in memory and print the time; run under
//! `/usr/bin/time -v` for peak memory (scripts/bench-reconcile.sh does both).

use std::time::Instant;

use sitrep_lexicon::Lexicons;
use sitrep_reconcile::{persist, reconcile, synthetic, Rules};

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let rules = Rules::load(&Lexicons::embedded()).expect("rules");
    let claims = synthetic::claims(n);
    let started = Instant::now();
    let r = reconcile(claims, &rules);
    let grouped = started.elapsed().as_secs_f64();
    let (events, contradictions, ledgers, measures) =
        (r.events.len(), r.contradictions.len(), r.control.len(), r.numbers.len());
    let tables = persist::tables(r).expect("tables");
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{n} claims: {:.2} s ({:.0} claims/s; reconcile {grouped:.2} s, table rows the rest), {} events, {} contradictions, {} ledgers, {} measures, {} rows",
        secs,
        n as f64 / secs,
        events,
        contradictions,
        ledgers,
        measures,
        tables.events.len() + tables.contradictions.len()
    );
}
