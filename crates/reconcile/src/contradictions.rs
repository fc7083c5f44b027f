//! Claims that cannot both be true, and the control ledger and numbers they are read from.
//!
//! - `denial`: within one event, a source asserts what another denies.
//! - `control`: for one place and overlapping dates, sources of opposite blocs claim
//!   different controllers (a capture by one side, or a withdrawal of the other).
//! - `quantity`: for one measure (type, agent, unit and area), affirmed values whose
//!   ranges stay apart even after the tolerance, within `window_days` of each other.
//!   A `possible` or `planned` figure never contradicts.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use crate::events::{area_of, corroborate, Prepared};
use crate::model::{ClaimInput, ClaimRef, Contradiction, ControlEntry, ControlLedger, Event, Measure, NumberClaim};
use crate::rules::Rules;
use crate::time::{date_string, Interval};

/// Reports per event or measure are capped so that a very contested event cannot flood
/// the list: the first pairs (oldest claims first) stand for the rest.
const MAX_PAIRS_PER_GROUP: usize = 24;

pub(crate) struct Ctx<'a> {
    pub claims: &'a [ClaimInput],
    pub prep: &'a [Prepared],
    pub event_of: &'a [usize],
    pub events: &'a [Event],
    pub rules: &'a Rules,
}

impl Ctx<'_> {
    pub fn claim_ref(&self, i: usize) -> ClaimRef {
        let c = &self.claims[i];
        ClaimRef {
            claim_id: c.id.clone(),
            event_id: self.events[self.event_of[i]].id.clone(),
            source: c.source.clone(),
            category: self.rules.category(&c.source.kind, c.source.side.as_deref()).to_string(),
            stance: c.stance.clone(),
            outlet: c.outlet.clone(),
            when: self.prep[i].interval.filter(|_| self.prep[i].dated).map(|iv| {
                if iv.start == iv.end {
                    date_string(iv.start)
                } else {
                    format!("{}..{}", date_string(iv.start), date_string(iv.end))
                }
            }),
        }
    }

    /// Who says so: the attributed source, or the outlet when it speaks for itself.
    fn speaker(&self, i: usize) -> String {
        self.claims[i].source.speaker(self.claims[i].outlet.as_deref())
    }

    fn bloc(&self, i: usize) -> Option<&'static str> {
        self.claims[i].source.side.as_deref().and_then(|s| self.rules.bloc(s))
    }

    fn contradiction(&self, kind: &str, a: usize, b: usize, place: Option<String>, summary: String) -> Contradiction {
        let key = format!("{kind}|{}|{}", self.claims[a].id, self.claims[b].id);
        let id: String = Sha256::digest(key.as_bytes()).iter().take(6).map(|b| format!("{b:02x}")).collect();
        Contradiction {
            id: format!("c{id}"),
            kind: kind.into(),
            summary,
            place,
            a: self.claim_ref(a),
            b: self.claim_ref(b),
        }
    }
}

/// Asserted against denied, within each event.
pub(crate) fn denials(cx: &Ctx, members: &[Vec<usize>]) -> Vec<Contradiction> {
    let mut out = Vec::new();
    for (e, m) in members.iter().enumerate() {
        let affirm: Vec<usize> = m.iter().copied().filter(|&i| cx.rules.is_affirming(&cx.claims[i].stance)).collect();
        let deny: Vec<usize> = m.iter().copied().filter(|&i| cx.rules.is_denying(&cx.claims[i].stance)).collect();
        let mut seen = BTreeSet::new();
        for &a in &affirm {
            for &d in &deny {
                if seen.len() >= MAX_PAIRS_PER_GROUP {
                    break;
                }
                let (sa, sd) = (cx.speaker(a), cx.speaker(d));
                // A denial about another side's action is not a denial of this one.
                let (ga, gd) = (cx.claims[a].agent.as_deref(), cx.claims[d].agent.as_deref());
                if ga.is_some() && gd.is_some() && ga != gd {
                    continue;
                }
                if sa == sd || !seen.insert((sa.clone(), sd.clone())) {
                    continue;
                }
                let ev = &cx.events[e];
                let place = ev.place.as_ref().map(|p| p.name.clone());
                let at = place.as_deref().map(|p| format!(" in {p}")).unwrap_or_default();
                let summary = format!("{sa} asserts the {}{at}; {sd} denies it", ev.event_type);
                out.push(cx.contradiction("denial", a, d, place, summary));
            }
        }
    }
    out
}

/// The country claimed to control a claim's place after it, if the claim says so.
fn controller(cx: &Ctx, i: usize) -> Option<String> {
    let c = &cx.claims[i];
    cx.rules.controller_after(&c.claim_type, c.agent.as_deref()?)
}

/// Control ledgers per place, and control contradictions.
pub(crate) fn control(cx: &Ctx, members: &[Vec<usize>]) -> (Vec<ControlLedger>, Vec<Contradiction>) {
    // Capture and withdrawal events per place (the event's own, most specific place).
    let mut per_place: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (e, ev) in cx.events.iter().enumerate() {
        if !matches!(ev.event_type.as_str(), "capture" | "withdrawal") {
            continue;
        }
        let Some(p) = &ev.place else { continue };
        if p.feature.as_deref() == Some("country") {
            continue;
        }
        let key = p.gazetteer_id.clone().unwrap_or_else(|| format!("name:{}", p.name.to_lowercase()));
        per_place.entry(key).or_default().push(e);
    }
    let mut ledgers = Vec::new();
    let mut contradictions = Vec::new();
    for events in per_place.values() {
        let mut entries = Vec::new();
        let mut orphans: Vec<usize> = Vec::new();
        let mut articles: Vec<BTreeSet<&str>> = Vec::new();
        // (claim index, controller, interval) of the affirming claims at this place.
        let mut assertions: Vec<(usize, String, Interval)> = Vec::new();
        for &e in events {
            let m = &members[e];
            let affirm: Vec<usize> =
                m.iter().copied().filter(|&i| cx.rules.is_affirming(&cx.claims[i].stance)).collect();
            let mut votes: BTreeMap<String, usize> = BTreeMap::new();
            for &i in &affirm {
                if let Some(who) = controller(cx, i) {
                    *votes.entry(who.clone()).or_insert(0) += 1;
                    if let Some(iv) = cx.prep[i].interval {
                        assertions.push((i, who, iv));
                    }
                }
            }
            // An event whose affirming claims name no side says nothing about control by
            // itself; its denials and non-confirmations are kept for the entries below.
            let Some((who, _)) = votes.iter().max_by_key(|(w, n)| (**n, std::cmp::Reverse(w.to_string()))) else {
                orphans.push(e);
                continue;
            };
            articles.push(m.iter().map(|&i| cx.claims[i].article_id.as_str()).collect::<BTreeSet<_>>());
            let ev = &cx.events[e];
            let refs = |pred: &dyn Fn(&str) -> bool| -> Vec<ClaimRef> {
                m.iter().copied().filter(|&i| pred(&cx.claims[i].stance)).map(|i| cx.claim_ref(i)).collect()
            };
            entries.push(ControlEntry {
                controller: who.clone(),
                // A change only the reports date is known to have happened by the
                // latest report; one the text dates, from its start.
                since: if ev.dated { ev.start.clone() } else { ev.end.clone() }.unwrap_or_else(|| "undated".into()),
                date_basis: if ev.dated {
                    "text"
                } else if ev.start.is_some() {
                    "published"
                } else {
                    "none"
                }
                .into(),
                event_id: ev.id.clone(),
                via: ev.event_type.clone(),
                claimed_by: refs(&|s| cx.rules.is_affirming(s)),
                denied_by: refs(&|s| cx.rules.is_denying(s)),
                unconfirmed_by: refs(&|s| s == "unconfirmed"),
                corroboration: corroborate(affirm.iter().map(|&i| &cx.claims[i]), cx.rules),
            });
        }
        if entries.is_empty() {
            continue;
        }
        // "Ukraine has not confirmed the loss" is about the capture its article reports:
        // an event with only denials or non-confirmations attaches them to the entry that
        // shares an article with it, else to the entry nearest in time.
        for &o in &orphans {
            let m = &members[o];
            let own: BTreeSet<&str> = m.iter().map(|&i| cx.claims[i].article_id.as_str()).collect();
            let when = cx.events[o].end.clone().unwrap_or_default();
            let target = articles.iter().position(|a| !a.is_disjoint(&own)).unwrap_or_else(|| {
                (0..entries.len())
                    .min_by_key(|&k| {
                        let d = |x: &str| crate::time::day_number(x).unwrap_or(0);
                        (d(&entries[k].since) - d(&when)).abs()
                    })
                    .unwrap_or(0)
            });
            for &i in m {
                let r = cx.claim_ref(i);
                if cx.rules.is_denying(&cx.claims[i].stance) {
                    entries[target].denied_by.push(r);
                } else if cx.claims[i].stance == "unconfirmed" {
                    entries[target].unconfirmed_by.push(r);
                }
            }
        }
        // Undated changes first (their place in time is unknown), then by date.
        entries.sort_by(|a, b| {
            (a.date_basis != "none", &a.since, &a.event_id).cmp(&(b.date_basis != "none", &b.since, &b.event_id))
        });
        let place = cx.events[events[0]].place.clone().unwrap();
        ledgers.push(ControlLedger {
            area: area_of(Some(&place)),
            current: entries
                .iter()
                .rev()
                .find(|e| e.date_basis != "none")
                .or(entries.last())
                .map(|e| e.controller.clone()),
            place,
            entries,
        });

        // Opposite controllers at overlapping times, claimed by opposite blocs.
        assertions.sort_by_key(|(i, _, iv)| (iv.start, *i));
        let mut seen = BTreeSet::new();
        for (x, (a, wa, ia)) in assertions.iter().enumerate() {
            for (b, wb, ib) in &assertions[x + 1..] {
                if ib.start > ia.end + cx.rules.time.slack_days || seen.len() >= MAX_PAIRS_PER_GROUP {
                    break;
                }
                let (ba, bb) = (cx.bloc(*a), cx.bloc(*b));
                let opposite =
                    matches!((ba, bb), (Some("russian"), Some("ukrainian")) | (Some("ukrainian"), Some("russian")));
                if wa == wb || !opposite || !ia.overlaps(ib, cx.rules.time.slack_days) {
                    continue;
                }
                if !seen.insert((cx.event_of[*a].min(cx.event_of[*b]), cx.event_of[*a].max(cx.event_of[*b]))) {
                    continue;
                }
                let place = cx.claims[*a].place.as_ref().map(|p| p.name.clone());
                let summary = format!(
                    "{} says {wa} holds {}; {} says {wb} does",
                    cx.speaker(*a),
                    place.as_deref().unwrap_or("the place"),
                    cx.speaker(*b)
                );
                contradictions.push(cx.contradiction("control", *a, *b, place, summary));
            }
        }
    }
    (ledgers, contradictions)
}

/// Whether two claims' places are one front: the same area, near each other, or one
/// names no place.
fn same_front(cx: &Ctx, a: usize, b: usize) -> bool {
    let (Some(pa), Some(pb)) = (&cx.claims[a].place, &cx.claims[b].place) else {
        return true;
    };
    if area_of(Some(pa)) == area_of(Some(pb)) {
        return true;
    }
    match (pa.lat, pa.lon, pb.lat, pb.lon) {
        (Some(la), Some(lo), Some(lb), Some(mb)) => km_between(la, lo, lb, mb) <= cx.rules.numbers.same_area_km,
        _ => false,
    }
}

/// Great-circle distance (haversine, mean Earth radius).
fn km_between(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// Values per measure, and quantity contradictions.
pub(crate) fn numbers(cx: &Ctx) -> (Vec<Measure>, Vec<Contradiction>) {
    let mut measures: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, c) in cx.claims.iter().enumerate() {
        let Some(q) = &c.quantity else { continue };
        if q.value.is_none() && q.min.is_none() && q.max.is_none() {
            continue;
        }
        let unit = q.unit.as_deref().unwrap_or("");
        let key = format!("{}|{}|{}", c.claim_type, c.agent.as_deref().unwrap_or(""), unit);
        measures.entry(key).or_default().push(i);
    }
    let tol = cx.rules.numbers.tolerance;
    let range = |i: usize| {
        let q = cx.claims[i].quantity.as_ref().unwrap();
        let lo = q.min.or(q.value).unwrap_or(0.0);
        let hi = q.max.or(q.value).unwrap_or(f64::INFINITY);
        (lo, hi)
    };
    let counts = |i: usize| cx.rules.numbers.stances.iter().any(|s| *s == cx.claims[i].stance);
    let mut out = Vec::new();
    let mut contradictions = Vec::new();
    for (key, mut idx) in measures {
        idx.sort_by_key(|&i| (cx.prep[i].interval.map(|iv| iv.start).unwrap_or(i32::MIN), i));
        let mut disputed = false;
        let mut seen = BTreeSet::new();
        let affirmed: Vec<usize> = idx.iter().copied().filter(|&i| counts(i)).collect();
        for (x, &a) in affirmed.iter().enumerate() {
            for &b in affirmed[x + 1..].iter().take(64) {
                // Claims sort by start, undated ones (no time at all, not even a
                // publication date) first: those are compared with every other.
                if let (Some(ia), Some(ib)) = (cx.prep[a].interval, cx.prep[b].interval) {
                    if ib.start > ia.end + cx.rules.numbers.window_days {
                        break;
                    }
                }
                if !same_front(cx, a, b) {
                    continue;
                }
                let ((la, ha), (lb, hb)) = (range(a), range(b));
                let apart = ha * (1.0 + tol) < lb * (1.0 - tol) || hb * (1.0 + tol) < la * (1.0 - tol);
                let (sa, sb) = (cx.speaker(a), cx.speaker(b));
                if !apart || sa == sb || seen.len() >= MAX_PAIRS_PER_GROUP || !seen.insert((sa.clone(), sb.clone())) {
                    continue;
                }
                disputed = true;
                let qa = &cx.claims[a].quantity.as_ref().unwrap().text;
                let qb = &cx.claims[b].quantity.as_ref().unwrap().text;
                let summary = format!("{sa}: {qa}; {sb}: {qb}");
                contradictions.push(cx.contradiction(
                    "quantity",
                    a,
                    b,
                    cx.claims[a].place.as_ref().map(|p| p.name.clone()),
                    summary,
                ));
            }
        }
        let c0 = &cx.claims[idx[0]];
        let q0 = c0.quantity.as_ref().unwrap();
        let unit = q0.unit.clone().unwrap_or_default();
        let mut area_votes: BTreeMap<String, usize> = BTreeMap::new();
        for &i in &idx {
            if let Some(p) = &cx.claims[i].place {
                *area_votes.entry(area_of(Some(p))).or_insert(0) += 1;
            }
        }
        let area =
            area_votes.iter().max_by_key(|(a, n)| (**n, std::cmp::Reverse((*a).clone()))).map(|(a, _)| a.clone());
        let finite = |v: f64| v.is_finite().then_some(v);
        let lows = affirmed.iter().map(|&i| range(i).0).filter(|v| *v > 0.0);
        let highs = affirmed.iter().filter_map(|&i| finite(range(i).1));
        let label = format!(
            "{} {}, {}",
            c0.agent.as_deref().unwrap_or("unknown actor"),
            if unit.is_empty() { "count" } else { &unit },
            c0.claim_type,
        );
        out.push(Measure {
            label,
            event_type: c0.claim_type.clone(),
            agent: c0.agent.clone(),
            unit,
            areas: area_votes.into_keys().collect(),
            area,
            min: lows.reduce(f64::min),
            max: highs.reduce(f64::max),
            disputed,
            values: idx
                .iter()
                .map(|&i| {
                    let q = cx.claims[i].quantity.as_ref().unwrap();
                    NumberClaim { claim: cx.claim_ref(i), value: q.value, min: q.min, max: q.max, text: q.text.clone() }
                })
                .collect(),
            key,
        });
    }
    (out, contradictions)
}
