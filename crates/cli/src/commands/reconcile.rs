//! `sitrep reconcile`, `events`, `contradictions`, `control`, `numbers` and `report`:
//! what many articles say, taken together (crates/reconcile).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use sitrep_lexicon::Lexicons;
use sitrep_reconcile::report::{Format, ReportOptions};
use sitrep_reconcile::{persist, ClaimRef, Contradiction, ControlLedger, Event, Measure, Rules};
use sitrep_store::{EventFilter, Store};

use super::check_date;
use crate::table;

/// Reconcile everything stored, with a one-line summary on stderr.
pub fn run_reconcile(store: &mut Store, lexicons: Option<&Path>) -> Result<()> {
    let started = Instant::now();
    let rules = Rules::load(&Lexicons::load(lexicons)?)?;
    let s = persist::run(store, &rules)?;
    eprintln!(
        "reconciled {} claim(s) into {} event(s) ({} with more than one claim) in {:.2} s: {} contradiction(s), {} place(s) in the control ledger, {} measure(s)",
        s.claims,
        s.events,
        s.multi_claim_events,
        started.elapsed().as_secs_f64(),
        s.contradictions,
        s.control_places,
        s.measures
    );
    Ok(())
}

/// Open the store, reconciling first when claims changed since the last run.
fn open_reconciled(db: &Path, lexicons: Option<&Path>) -> Result<Store> {
    let mut store = Store::open(db)?;
    if store.reconciliation_stale()? {
        run_reconcile(&mut store, lexicons)?;
    }
    Ok(store)
}

pub fn reconcile(db: &Path, lexicons: Option<&Path>) -> Result<ExitCode> {
    let mut store = Store::open(db)?;
    run_reconcile(&mut store, lexicons)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct EventsArgs {
    /// Event type (capture, withdrawal, strike, ...).
    #[arg(long = "type")]
    event_type: Option<String>,
    /// Area or place name (substring, case-insensitive).
    #[arg(long)]
    place: Option<String>,
    #[arg(long)]
    since: Option<String>,
    #[arg(long)]
    until: Option<String>,
    /// Only events with at least this many claims.
    #[arg(long, default_value_t = 1)]
    min_claims: usize,
    #[arg(long)]
    limit: Option<i64>,
    /// One JSON object per line instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn events(db: &Path, lexicons: Option<&Path>, args: EventsArgs) -> Result<ExitCode> {
    check_date("--since", &args.since)?;
    check_date("--until", &args.until)?;
    let store = open_reconciled(db, lexicons)?;
    let f = EventFilter {
        event_type: args.event_type,
        area: args.place,
        since: args.since,
        until: args.until,
        limit: None,
        offset: None,
    };
    let mut rows: Vec<Event> =
        store.events(&f)?.into_iter().filter_map(|r| serde_json::from_value(r.data).ok()).collect();
    rows.retain(|e| e.claims.len() >= args.min_claims);
    if let Some(l) = args.limit {
        rows.truncate(l.max(0) as usize);
    }
    if args.json {
        for e in &rows {
            println!("{}", serde_json::to_string(e)?);
        }
    } else {
        let mut t = table::new(&[
            "event", "type", "when", "place", "agent", "claims", "stances", "sources", "outlets", "by side", "⚠",
        ]);
        for e in &rows {
            let c = &e.corroboration;
            t.add_row(vec![
                e.id[..9.min(e.id.len())].to_string(),
                e.event_type.clone(),
                match (&e.start, &e.end) {
                    (Some(a), Some(b)) if a != b => {
                        format!("{a}..{b}{}", if e.dated { "" } else { " (reported)" })
                    }
                    (Some(a), _) => format!("{a}{}", if e.dated { "" } else { " (reported)" }),
                    _ => "—".into(),
                },
                e.place.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| "—".into()),
                e.agent.clone().unwrap_or_else(|| "—".into()),
                e.claims.len().to_string(),
                e.stances.iter().map(|(s, n)| format!("{s} {n}")).collect::<Vec<_>>().join(", "),
                c.sources.to_string(),
                c.outlets.to_string(),
                c.by_side.iter().map(|(s, n)| format!("{s} {n}")).collect::<Vec<_>>().join(", "),
                if e.contradictions.is_empty() { String::new() } else { e.contradictions.len().to_string() },
            ]);
        }
        println!("{t}");
    }
    eprintln!("{} event(s)", rows.len());
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct ContradictionsArgs {
    /// denial, control or quantity.
    #[arg(long)]
    kind: Option<String>,
    #[arg(long)]
    json: bool,
}

pub fn contradictions(db: &Path, lexicons: Option<&Path>, args: ContradictionsArgs) -> Result<ExitCode> {
    let store = open_reconciled(db, lexicons)?;
    let rows: Vec<Contradiction> = store
        .contradictions(args.kind.as_deref())?
        .into_iter()
        .filter_map(|r| serde_json::from_value(r.data).ok())
        .collect();
    if args.json {
        for c in &rows {
            println!("{}", serde_json::to_string(c)?);
        }
    } else {
        for c in &rows {
            println!("{} [{}] {}", c.id, c.kind, c.summary);
            for r in [&c.a, &c.b] {
                let claim = store.claim(&r.claim_id)?;
                let sentence =
                    claim.as_ref().and_then(|c| c.record["sentence"].as_str().map(str::to_string)).unwrap_or_default();
                println!(
                    "  {} ({}, {}, {}) claim {}: {}",
                    r.speaker(),
                    r.category.replace('_', " "),
                    r.stance,
                    r.outlet.as_deref().unwrap_or("no outlet"),
                    &r.claim_id[..8.min(r.claim_id.len())],
                    sentence
                );
            }
            println!();
        }
    }
    eprintln!("{} contradiction(s)", rows.len());
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct ControlArgs {
    /// Place name (substring, case-insensitive); every place when omitted.
    place: Option<String>,
    #[arg(long)]
    json: bool,
}

pub fn control(db: &Path, lexicons: Option<&Path>, args: ControlArgs) -> Result<ExitCode> {
    let store = open_reconciled(db, lexicons)?;
    let rows: Vec<ControlLedger> =
        store.control(args.place.as_deref())?.into_iter().filter_map(|r| serde_json::from_value(r.data).ok()).collect();
    if args.json {
        for l in &rows {
            println!("{}", serde_json::to_string(l)?);
        }
    } else {
        let mut t = table::new(&[
            "place",
            "since",
            "controller",
            "via",
            "claimed by",
            "support",
            "denied by",
            "not confirmed by",
        ]);
        for l in &rows {
            for e in &l.entries {
                let names = |v: &[ClaimRef]| {
                    let mut s: Vec<String> = v.iter().map(ClaimRef::speaker).collect();
                    s.dedup();
                    if s.is_empty() {
                        "—".into()
                    } else {
                        s.join(", ")
                    }
                };
                t.add_row(vec![
                    l.place.name.clone(),
                    match e.date_basis.as_str() {
                        "text" => e.since.clone(),
                        "published" => format!("{} (reported)", e.since),
                        _ => "undated".into(),
                    },
                    e.controller.clone(),
                    e.via.clone(),
                    names(&e.claimed_by),
                    format!("{} source(s), {} outlet(s)", e.corroboration.sources, e.corroboration.outlets),
                    names(&e.denied_by),
                    names(&e.unconfirmed_by),
                ]);
            }
        }
        println!("{t}");
    }
    eprintln!("{} place(s)", rows.len());
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct NumbersArgs {
    /// Only measures whose values contradict each other.
    #[arg(long)]
    disputed: bool,
    #[arg(long)]
    json: bool,
}

pub fn numbers(db: &Path, lexicons: Option<&Path>, args: NumbersArgs) -> Result<ExitCode> {
    let store = open_reconciled(db, lexicons)?;
    let rows: Vec<Measure> =
        store.numbers(args.disputed)?.into_iter().filter_map(|r| serde_json::from_value(r.data).ok()).collect();
    if args.json {
        for m in &rows {
            println!("{}", serde_json::to_string(m)?);
        }
    } else {
        let mut t = table::new(&["measure", "value", "source", "stance", "when", "claim"]);
        for m in &rows {
            for (k, v) in m.values.iter().enumerate() {
                let label = if k == 0 {
                    format!("{}{}", m.label, if m.disputed { " ⚠ disputed" } else { "" })
                } else {
                    String::new()
                };
                t.add_row(vec![
                    label,
                    v.text.clone(),
                    v.claim.speaker(),
                    v.claim.stance.clone(),
                    v.claim.when.clone().unwrap_or_else(|| "—".into()),
                    v.claim.claim_id[..8.min(v.claim.claim_id.len())].to_string(),
                ]);
            }
        }
        println!("{t}");
    }
    eprintln!("{} measure(s)", rows.len());
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::ValueEnum, Clone, Copy)]
pub enum ReportFormat {
    Md,
    Html,
}

#[derive(clap::Args)]
pub struct ReportArgs {
    /// Only areas (oblast, country or place) whose name contains this.
    #[arg(long)]
    region: Option<String>,
    #[arg(long)]
    since: Option<String>,
    #[arg(long)]
    until: Option<String>,
    #[arg(long, value_enum, default_value = "md")]
    format: ReportFormat,
    /// Most events per area (the best corroborated are kept).
    #[arg(long, default_value_t = 40)]
    max_events: usize,
    /// Write here instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn report(db: &Path, lexicons: Option<&Path>, args: ReportArgs) -> Result<ExitCode> {
    check_date("--since", &args.since)?;
    check_date("--until", &args.until)?;
    let store = open_reconciled(db, lexicons)?;
    let opts = ReportOptions {
        region: args.region,
        since: args.since,
        until: args.until,
        max_events_per_area: Some(args.max_events),
    };
    let format = match args.format {
        ReportFormat::Md => Format::Markdown,
        ReportFormat::Html => Format::Html,
    };
    let text = sitrep_reconcile::report::render(&store, &opts, format)?;
    match args.out {
        Some(p) => {
            std::fs::write(&p, text).with_context(|| format!("writing {}", p.display()))?;
            eprintln!("wrote {}", p.display());
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
