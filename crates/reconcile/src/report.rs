//! The situation report: per area, the timeline of events with their corroboration and
//! contradictions, the control ledger and the disputed numbers, with a footnote citing
//! the outlet and sentence of every claim it mentions. Rendered from what the store
//! holds (run reconciliation first), as Markdown or as a standalone HTML page.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use anyhow::Result;
use sitrep_store::{EventFilter, Store};

use crate::model::{ClaimRef, Contradiction, ControlLedger, Event, Measure};

#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// Only areas (first-level area, country or place) whose name contains this.
    pub region: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    /// Most events listed per area (the best corroborated are kept).
    pub max_events_per_area: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
}

/// A small document model, so Markdown and HTML say the same thing.
enum Inline {
    Text(String),
    Strong(String),
    Warn(String),
    Note(usize),
}

enum Block {
    Heading(u8, String),
    Para(Vec<Inline>),
    List(Vec<Vec<Inline>>),
}

struct Notes<'s> {
    store: &'s Store,
    by_claim: BTreeMap<String, usize>,
    /// (outlet, published, sentence, claim id) per footnote.
    list: Vec<(String, String, String, String)>,
}

impl Notes<'_> {
    fn cite(&mut self, claim_id: &str) -> Result<Inline> {
        if let Some(&n) = self.by_claim.get(claim_id) {
            return Ok(Inline::Note(n));
        }
        let Some(c) = self.store.claim(claim_id)? else {
            return Ok(Inline::Text(String::new()));
        };
        let outlet = c.record["outlet"].as_str().unwrap_or("unknown outlet").to_string();
        let published = c.record["published"].as_str().unwrap_or("undated").to_string();
        let sentence = c.record["sentence"].as_str().unwrap_or("").to_string();
        self.list.push((outlet, published, sentence, c.id.clone()));
        let n = self.list.len();
        self.by_claim.insert(claim_id.to_string(), n);
        Ok(Inline::Note(n))
    }
}

fn thousands(v: f64) -> String {
    if v.fract() != 0.0 || v.abs() >= 1e15 {
        return format!("{v}");
    }
    let digits = format!("{}", v.abs() as u64);
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if v < 0.0 {
        out.insert(0, '-');
    }
    out
}

fn when_of(e: &Event) -> String {
    let (s, t) = (e.start.as_deref().unwrap_or("undated"), e.end.as_deref().unwrap_or(""));
    let d = if t.is_empty() || s == t { s.to_string() } else { format!("{s} – {t}") };
    match (e.dated, &e.end) {
        (true, _) => d,
        (false, Some(end)) => format!("reported by {end}"),
        (false, None) => "undated".into(),
    }
}

fn in_area(area: &str, place: Option<&str>, o: &ReportOptions) -> bool {
    match &o.region {
        None => true,
        Some(r) => {
            let r = r.to_lowercase();
            area.to_lowercase().contains(&r) || place.is_some_and(|p| p.to_lowercase().contains(&r))
        }
    }
}

fn in_period(start: Option<&str>, end: Option<&str>, o: &ReportOptions) -> bool {
    let end = end.or(start);
    o.since.as_deref().is_none_or(|s| end.is_some_and(|e| e >= s))
        && o.until.as_deref().is_none_or(|u| start.is_some_and(|s| s <= u))
}

/// Render the situation report.
pub fn render(store: &Store, o: &ReportOptions, format: Format) -> Result<String> {
    let filter = EventFilter { since: o.since.clone(), until: o.until.clone(), ..Default::default() };
    let events: Vec<Event> = store
        .events(&filter)?
        .into_iter()
        .filter_map(|r| serde_json::from_value::<Event>(r.data).ok())
        .filter(|e| in_area(&e.area, e.place.as_ref().map(|p| p.name.as_str()), o))
        .collect();
    let contradictions: Vec<Contradiction> =
        store.contradictions(None)?.into_iter().filter_map(|r| serde_json::from_value(r.data).ok()).collect();
    let ledgers: Vec<ControlLedger> = store
        .control(None)?
        .into_iter()
        .filter_map(|r| serde_json::from_value::<ControlLedger>(r.data).ok())
        .filter(|l| in_area(&l.area, Some(&l.place.name), o))
        .filter(|l| l.entries.iter().any(|en| in_period(Some(&en.since), Some(&en.since), o)))
        .collect();
    let measures: Vec<Measure> = store
        .numbers(false)?
        .into_iter()
        .filter_map(|r| serde_json::from_value::<Measure>(r.data).ok())
        .filter(|m| m.values.len() > 1 || m.disputed)
        .filter(|m| in_area(m.area.as_deref().unwrap_or("Unlocated"), None, o))
        .collect();
    let contradiction_by_id: BTreeMap<&str, &Contradiction> =
        contradictions.iter().map(|c| (c.id.as_str(), c)).collect();
    let event_ids: BTreeSet<&str> = events.iter().map(|e| e.id.as_str()).collect();

    let mut notes = Notes { store, by_claim: BTreeMap::new(), list: Vec::new() };
    let mut blocks = Vec::new();
    blocks.push(Block::Heading(1, "Situation report".into()));
    let period = match (&o.since, &o.until) {
        (Some(s), Some(u)) => format!("{s} to {u}"),
        (Some(s), None) => format!("since {s}"),
        (None, Some(u)) => format!("until {u}"),
        (None, None) => "all dates".into(),
    };
    let articles = store.count_articles()?;
    let corroborated = events.iter().filter(|e| e.corroboration.articles > 1).count();
    let shown_contradictions = contradictions
        .iter()
        .filter(|c| event_ids.contains(c.a.event_id.as_str()) || event_ids.contains(c.b.event_id.as_str()))
        .count();
    blocks.push(Block::Para(vec![Inline::Text(format!(
        "{} event(s) in {} area(s), {period}{}, from {articles} stored article(s); {corroborated} reported by more than one article; {shown_contradictions} contradiction(s). \
         Actors and controllers are CAMEO-style codes (RUS Russia, UKR Ukraine, PRK North Korea, USA United States; MIL armed forces, GOV government). \
         Footnotes cite the outlet and the sentence of each claim.",
        events.len(),
        events.iter().map(|e| e.area.as_str()).collect::<BTreeSet<_>>().len(),
        o.region.as_deref().map(|r| format!(", areas matching \"{r}\"")).unwrap_or_default(),
    ))]));

    // Areas: most events first, "Unlocated" last.
    let mut by_area: BTreeMap<&str, Vec<&Event>> = BTreeMap::new();
    for e in &events {
        by_area.entry(&e.area).or_default().push(e);
    }
    for l in &ledgers {
        by_area.entry(&l.area).or_default();
    }
    let mut areas: Vec<(&str, Vec<&Event>)> = by_area.into_iter().collect();
    areas.sort_by_key(|(a, evs)| (*a == "Unlocated", std::cmp::Reverse(evs.len()), a.to_string()));

    for (area, mut evs) in areas {
        blocks.push(Block::Heading(2, area.to_string()));
        if let Some(max) = o.max_events_per_area {
            if evs.len() > max {
                let mut ranked = evs.clone();
                ranked.sort_by_key(|e| {
                    (std::cmp::Reverse(e.corroboration.articles + e.corroboration.sources), e.id.clone())
                });
                let keep: BTreeSet<&str> = ranked[..max].iter().map(|e| e.id.as_str()).collect();
                blocks.push(Block::Para(vec![Inline::Text(format!(
                    "{} of {} events, the best corroborated.",
                    max,
                    evs.len()
                ))]));
                evs.retain(|e| keep.contains(e.id.as_str()));
            }
        }
        if !evs.is_empty() {
            blocks.push(Block::Heading(3, "Timeline".into()));
            // In the order a reader sees the dates: a dated event by its start, one that
            // only its reports date by the latest report.
            evs.sort_by_key(|e| (if e.dated { e.start.clone() } else { e.end.clone() }, e.id.clone()));
            let mut items = Vec::new();
            for e in evs {
                let mut line = vec![Inline::Strong(format!(
                    "{} — {}{}",
                    when_of(e),
                    e.event_type,
                    e.place.as_ref().map(|p| format!(", {}", p.name)).unwrap_or_default()
                ))];
                let c = &e.corroboration;
                let stances = e.stances.iter().map(|(s, n)| format!("{s} {n}")).collect::<Vec<_>>().join(", ");
                let sides = c
                    .by_side
                    .iter()
                    .map(|(s, n)| format!("{} {n}", s.replace('_', " ")))
                    .collect::<Vec<_>>()
                    .join(", ");
                line.push(Inline::Text(format!(
                    " ({}). {} claim(s): {stances}; {} source(s), {} outlet(s){}.",
                    e.agent.as_deref().unwrap_or("actor unknown"),
                    e.claims.len(),
                    c.sources,
                    c.outlets,
                    if sides.is_empty() { String::new() } else { format!(" — {sides}") },
                )));
                if !c.affirmed_by.is_empty() {
                    line.push(Inline::Text(format!(" Affirmed by {}.", c.affirmed_by.join(", "))));
                }
                if !c.denied_by.is_empty() {
                    line.push(Inline::Warn(format!(" Denied by {}.", c.denied_by.join(", "))));
                }
                for cid in &e.contradictions {
                    if let Some(k) = contradiction_by_id.get(cid.as_str()) {
                        line.push(Inline::Warn(format!(" Contradiction ({}): {}.", k.kind, k.summary)));
                    }
                }
                for id in e.claims.iter().take(4) {
                    line.push(Inline::Text(" ".into()));
                    line.push(notes.cite(id)?);
                }
                if e.claims.len() > 4 {
                    line.push(Inline::Text(format!(" (+{} more)", e.claims.len() - 4)));
                }
                items.push(line);
            }
            blocks.push(Block::List(items));
        }

        let area_ledgers: Vec<&ControlLedger> = ledgers.iter().filter(|l| l.area == area).collect();
        if !area_ledgers.is_empty() {
            blocks.push(Block::Heading(3, "Control".into()));
            let mut items = Vec::new();
            for l in area_ledgers {
                let mut line = vec![Inline::Strong(format!(
                    "{}: last claimed held by {}.",
                    l.place.name,
                    l.current.as_deref().unwrap_or("unknown")
                ))];
                // The state when the period begins, then the changes within it.
                let first = match &o.since {
                    Some(since) => l.entries.iter().rposition(|en| en.since < *since).unwrap_or(0),
                    None => 0,
                };
                let shown = l.entries[first..].iter().filter(|en| o.until.as_ref().is_none_or(|u| en.since <= *u));
                for en in shown {
                    let by = en
                        .claimed_by
                        .iter()
                        .map(ClaimRef::speaker)
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect::<Vec<_>>()
                        .join(", ");
                    let basis = if en.date_basis == "text" { "" } else { " (date of the reports)" };
                    line.push(Inline::Text(format!(
                        " Since {}{basis}: {} (by {}), claimed by {by}.",
                        en.since, en.controller, en.via
                    )));
                    let denied = en.denied_by.iter().map(ClaimRef::speaker).collect::<BTreeSet<_>>();
                    if !denied.is_empty() {
                        line.push(Inline::Warn(format!(
                            " Denied by {}.",
                            denied.into_iter().collect::<Vec<_>>().join(", ")
                        )));
                    }
                    let unconfirmed = en.unconfirmed_by.iter().map(ClaimRef::speaker).collect::<BTreeSet<_>>();
                    if !unconfirmed.is_empty() {
                        line.push(Inline::Warn(format!(
                            " Not confirmed by {}.",
                            unconfirmed.into_iter().collect::<Vec<_>>().join(", ")
                        )));
                    }
                    for r in en.claimed_by.iter().chain(&en.denied_by).chain(&en.unconfirmed_by).take(4) {
                        line.push(Inline::Text(" ".into()));
                        line.push(notes.cite(&r.claim_id)?);
                    }
                }
                items.push(line);
            }
            blocks.push(Block::List(items));
        }

        let area_measures: Vec<&Measure> =
            measures.iter().filter(|m| m.area.as_deref().unwrap_or("Unlocated") == area).collect();
        if !area_measures.is_empty() {
            blocks.push(Block::Heading(3, "Numbers".into()));
            let mut items = Vec::new();
            for m in area_measures {
                let range = match (m.min, m.max) {
                    (Some(a), Some(b)) if a != b => format!("{} to {}", thousands(a), thousands(b)),
                    (Some(a), _) | (None, Some(a)) => thousands(a),
                    _ => "no bound".into(),
                };
                let mut line = vec![Inline::Strong(format!("{}: {range}.", m.label))];
                if m.disputed {
                    line.push(Inline::Warn(" Disputed.".into()));
                }
                for v in m.values.iter().take(8) {
                    line.push(Inline::Text(format!(
                        " “{}” — {}, {}{}",
                        v.text,
                        v.claim.speaker(),
                        v.claim.stance,
                        v.claim.when.as_deref().map(|w| format!(", {w}")).unwrap_or_default()
                    )));
                    line.push(notes.cite(&v.claim.claim_id)?);
                    line.push(Inline::Text(";".into()));
                }
                items.push(line);
            }
            blocks.push(Block::List(items));
        }
    }

    Ok(match format {
        Format::Markdown => markdown(&blocks, &notes.list),
        Format::Html => html(&blocks, &notes.list),
    })
}

fn markdown(blocks: &[Block], notes: &[(String, String, String, String)]) -> String {
    let inline = |parts: &[Inline]| {
        let mut s = String::new();
        for p in parts {
            match p {
                Inline::Text(t) => s.push_str(t),
                Inline::Strong(t) => write!(s, "**{t}**").unwrap(),
                Inline::Warn(t) => write!(s, " ⚠ {}", t.trim_start()).unwrap(),
                Inline::Note(n) => write!(s, "[^{n}]").unwrap(),
            }
        }
        s
    };
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Heading(l, t) => writeln!(out, "{} {t}\n", "#".repeat(*l as usize)).unwrap(),
            Block::Para(p) => writeln!(out, "{}\n", inline(p)).unwrap(),
            Block::List(items) => {
                for i in items {
                    writeln!(out, "- {}", inline(i)).unwrap();
                }
                out.push('\n');
            }
        }
    }
    if !notes.is_empty() {
        out.push_str("---\n\n");
        for (n, (outlet, published, sentence, id)) in notes.iter().enumerate() {
            writeln!(
                out,
                "[^{}]: {outlet}, {published}: “{}” (claim {})",
                n + 1,
                sentence.replace('\n', " "),
                &id[..id.len().min(8)]
            )
            .unwrap();
        }
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn html(blocks: &[Block], notes: &[(String, String, String, String)]) -> String {
    let inline = |parts: &[Inline]| {
        let mut s = String::new();
        for p in parts {
            match p {
                Inline::Text(t) => s.push_str(&esc(t)),
                Inline::Strong(t) => write!(s, "<strong>{}</strong>", esc(t)).unwrap(),
                Inline::Warn(t) => write!(s, " <span class=\"warn\">⚠ {}</span>", esc(t.trim_start())).unwrap(),
                Inline::Note(n) => write!(s, "<sup><a href=\"#fn{n}\" id=\"ref{n}\">{n}</a></sup>").unwrap(),
            }
        }
        s
    };
    let mut out = String::from(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Situation report</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:56rem;margin:1rem auto;padding:0 1rem;color:#1b1b1b}\
         .warn{color:#a4262c}li{margin:.4rem 0}ol.notes{font-size:.9rem;color:#444}h2{border-bottom:1px solid #ddd}</style></head><body>\n",
    );
    for b in blocks {
        match b {
            Block::Heading(l, t) => writeln!(out, "<h{l}>{}</h{l}>", esc(t)).unwrap(),
            Block::Para(p) => writeln!(out, "<p>{}</p>", inline(p)).unwrap(),
            Block::List(items) => {
                out.push_str("<ul>\n");
                for i in items {
                    writeln!(out, "<li>{}</li>", inline(i)).unwrap();
                }
                out.push_str("</ul>\n");
            }
        }
    }
    if !notes.is_empty() {
        out.push_str("<h2>Sources</h2>\n<ol class=\"notes\">\n");
        for (n, (outlet, published, sentence, id)) in notes.iter().enumerate() {
            let n = n + 1;
            writeln!(
                out,
                "<li id=\"fn{n}\">{}, {}: “{}” <a href=\"#ref{n}\">↩</a> <code>{}</code></li>",
                esc(outlet),
                esc(published),
                esc(sentence),
                esc(&id[..id.len().min(8)])
            )
            .unwrap();
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(thousands(78000.0), "78,000");
        assert_eq!(thousands(950.0), "950");
        assert_eq!(thousands(1_234_567.0), "1,234,567");
        assert_eq!(thousands(2.5), "2.5");
    }
}
