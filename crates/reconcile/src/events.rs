//! Grouping claims into events, and what each event's sources amount to.
//!
//! Claims of one type are compared within blocks, so the work grows with the number of
//! claims, not its square:
//! 1. claims naming the same place (gazetteer id, or name when unresolved) are swept in
//!    time order; a claim joins an open group whose agent is compatible (equal, or one
//!    unknown) and whose time it overlaps, allowing `slack_days`;
//! 2. a region- or country-level group, or a placeless group with a known agent, then
//!    joins the one group inside it (same region or country; any place for placeless
//!    ones) that is compatible in agent and time, when there is exactly one: "Russia
//!    retook territory in Kursk region" is the Sudzha capture only if no other capture
//!    in Kursk Oblast competes;
//! 3. the event is named after its oldest claim (by ingest order), so adding articles
//!    extends or merges events without renaming the older ones.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use crate::model::{ClaimInput, Corroboration, Event, PlaceRef};
use crate::rules::Rules;
use crate::time::{day_number, Interval};

/// How specific a claim's place is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    None,
    Country,
    Region,
    Local,
}

/// A claim made comparable: its interval in day numbers and its place keys.
pub(crate) struct Prepared {
    pub interval: Option<Interval>,
    /// The claim's own text dates it (otherwise the interval is the publication window).
    pub dated: bool,
    pub wide: bool,
    pub level: Level,
    pub place_key: Option<String>,
    /// `RU/kursk oblast`: the first-level area the place lies in (or is).
    pub region_key: Option<String>,
    pub country: Option<String>,
}

pub(crate) fn prepare(c: &ClaimInput, rules: &Rules) -> Prepared {
    let explicit =
        c.when.as_ref().and_then(|(s, e)| Some(Interval::new(day_number(s)?, day_number(e).or(day_number(s))?)));
    let interval = explicit.or_else(|| {
        let p = day_number(c.published.as_deref()?)?;
        Some(Interval::new(p - rules.time.undated_window_days, p))
    });
    let wide = interval.is_some_and(|i| i.len() > rules.time.wide_interval_days);
    let (level, place_key, region_key, country) = match &c.place {
        None => (Level::None, None, None, None),
        Some(p) => {
            let level = match p.feature.as_deref() {
                Some("country") => Level::Country,
                Some("region") => Level::Region,
                _ => Level::Local,
            };
            let key = p.gazetteer_id.clone().unwrap_or_else(|| format!("name:{}", p.name.to_lowercase()));
            let country = p.country.clone();
            let region = match level {
                Level::Country | Level::None => None,
                _ => p.admin1.as_ref().map(|a| format!("{}/{}", country.as_deref().unwrap_or(""), a.to_lowercase())),
            };
            (level, Some(key), region, country)
        }
    };
    Prepared { interval, dated: explicit.is_some(), wide, level, place_key, region_key, country }
}

/// Union-find over claim indices; the root of a set is its oldest claim.
pub(crate) struct Groups {
    parent: Vec<usize>,
}

impl Groups {
    fn new(n: usize) -> Self {
        Groups { parent: (0..n).collect() }
    }
    pub fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }
    /// Merge; the smaller index (claims are sorted oldest first) stays the root.
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            let (lo, hi) = (a.min(b), a.max(b));
            self.parent[hi] = lo;
        }
    }
}

fn agents_compatible(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

/// An open group during a sweep.
struct Open {
    member: usize,
    agent: Option<String>,
    /// The span of its non-wide claims (or of its first claim when all are wide).
    core: Interval,
    core_from_wide: bool,
}

/// Sweep one block (claims sorted by start; undated ones last) into groups.
///
/// A claim with no time at all (its article has no date either) is compatible with any
/// time: it joins the single group of the block its agent fits, or else the block's
/// undated group for that agent.
/// Placeless claims without a time stay alone: nothing but their type and agent would
/// tie them to others.
fn sweep(block: &[usize], claims: &[ClaimInput], prep: &[Prepared], slack: i32, groups: &mut Groups) {
    let mut open: Vec<Open> = Vec::new();
    let mut formed: Vec<(usize, Option<String>)> = Vec::new();
    let mut undated: Vec<(usize, Option<String>)> = Vec::new();
    for &i in block {
        let agent = claims[i].agent.as_deref();
        let Some(iv) = prep[i].interval else {
            if prep[i].place_key.is_none() {
                continue;
            }
            let fits: Vec<usize> =
                formed.iter().filter(|(_, a)| agents_compatible(a.as_deref(), agent)).map(|(m, _)| *m).collect();
            if fits.len() == 1 {
                groups.union(fits[0], i);
            } else if let Some(u) = undated
                .iter()
                .position(|(_, a)| a.as_deref() == agent)
                .or_else(|| undated.iter().position(|(_, a)| agents_compatible(a.as_deref(), agent)))
            {
                groups.union(undated[u].0, i);
                if undated[u].1.is_none() {
                    undated[u].1 = agent.map(str::to_string);
                }
            } else {
                undated.push((i, agent.map(str::to_string)));
            }
            continue;
        };
        open.retain(|o| o.core.end + slack >= iv.start);
        let hit = open.iter_mut().find(|o| agents_compatible(o.agent.as_deref(), agent) && o.core.overlaps(&iv, slack));
        match hit {
            Some(o) => {
                groups.union(o.member, i);
                if o.agent.is_none() {
                    o.agent = agent.map(str::to_string);
                    if let Some(f) = formed.iter_mut().find(|f| f.0 == o.member) {
                        f.1 = o.agent.clone();
                    }
                }
                if !prep[i].wide {
                    o.core = if o.core_from_wide { iv } else { o.core.hull(&iv) };
                    o.core_from_wide = false;
                }
            }
            None => {
                open.push(Open { member: i, agent: agent.map(str::to_string), core: iv, core_from_wide: prep[i].wide });
                formed.push((i, agent.map(str::to_string)));
            }
        }
    }
}

/// A group after the sweeps, as the containment step sees it.
#[derive(Clone)]
struct Summary {
    root: usize,
    level: Level,
    agent: Option<String>,
    /// None: no claim of the group has a time (compatible with any).
    core: Option<Interval>,
}

fn overlaps(a: Option<Interval>, b: Option<Interval>, slack: i32) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.overlaps(&b, slack),
        _ => true,
    }
}

/// Claim index → event index (into the returned events' order), and the events' members.
pub(crate) fn group(claims: &[ClaimInput], prep: &[Prepared], rules: &Rules) -> Vec<Vec<usize>> {
    let slack = rules.time.slack_days;
    let mut groups = Groups::new(claims.len());

    // 1. Same type and same place; placeless claims with a known agent by (type, agent).
    let mut blocks: FxHashMap<(&str, &str, &str), Vec<usize>> = FxHashMap::default();
    for (i, c) in claims.iter().enumerate() {
        match (&prep[i].place_key, &c.agent) {
            (Some(k), _) => blocks.entry((&c.claim_type, k, "")).or_default().push(i),
            (None, Some(a)) => blocks.entry((&c.claim_type, "", a)).or_default().push(i),
            (None, None) => {}
        }
    }
    let mut keys: Vec<_> = blocks.keys().copied().collect();
    keys.sort_unstable();
    for k in keys {
        let block = blocks.get_mut(&k).unwrap();
        block.sort_by_key(|&i| (prep[i].interval.is_none(), prep[i].interval.map(|v| (v.start, v.end)), i));
        sweep(block, claims, prep, slack, &mut groups);
    }

    // 2. Containment: broader groups join the single compatible group inside them.
    let summaries = summarize(claims, prep, &mut groups);
    let mut by_region: FxHashMap<(&str, &str), Vec<usize>> = FxHashMap::default();
    let mut by_country: FxHashMap<(&str, &str), Vec<usize>> = FxHashMap::default();
    let mut by_type: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (s, sm) in summaries.iter().enumerate() {
        let c = &claims[sm.root];
        let p = &prep[sm.root];
        if sm.level == Level::Local {
            if let Some(r) = &p.region_key {
                by_region.entry((&c.claim_type, r)).or_default().push(s);
            }
        }
        if matches!(sm.level, Level::Local | Level::Region) {
            if let Some(cc) = &p.country {
                by_country.entry((&c.claim_type, cc)).or_default().push(s);
            }
        }
        if sm.level != Level::None {
            by_type.entry(&c.claim_type).or_default().push(s);
        }
    }
    for list in by_region.values_mut().chain(by_country.values_mut()).chain(by_type.values_mut()) {
        list.sort_by_key(|&s| (summaries[s].core.map(|c| c.start), summaries[s].root));
    }
    for sm in &summaries {
        let c = &claims[sm.root];
        let p = &prep[sm.root];
        let candidates = match sm.level {
            Level::Region => p.region_key.as_deref().and_then(|r| by_region.get(&(c.claim_type.as_str(), r))),
            Level::Country => p.country.as_deref().and_then(|cc| by_country.get(&(c.claim_type.as_str(), cc))),
            Level::None if sm.agent.is_some() => by_type.get(c.claim_type.as_str()),
            _ => None,
        };
        let Some(list) = candidates else { continue };
        if sm.core.is_none() {
            continue;
        }
        let strict_agent = sm.level == Level::None;
        if let Some(target) = single_match(list, &summaries, sm, slack, rules.time.wide_interval_days, strict_agent) {
            groups.union(sm.root, summaries[target].root);
        }
    }

    // Members per event, events in order of their oldest claim.
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..claims.len() {
        let r = groups.find(i);
        members.entry(r).or_default().push(i);
    }
    members.into_values().collect()
}

/// Most candidates a containment check looks at before calling the match ambiguous.
const CONTAINMENT_SCAN: usize = 256;

/// The one summary in `list` (sorted by start, undated first) compatible with `sm`, if
/// exactly one is.
fn single_match(
    list: &[usize],
    all: &[Summary],
    sm: &Summary,
    slack: i32,
    max_len: i32,
    strict_agent: bool,
) -> Option<usize> {
    // Candidates start no later than sm's end (+ slack) and, their cores being at most
    // `max_len` long when built from non-wide claims, no earlier than sm's start − max_len.
    let upper = match sm.core {
        Some(c) => list.partition_point(|&s| all[s].core.is_none_or(|o| o.start <= c.end + slack)),
        None => list.len(),
    };
    let mut found = None;
    for &s in list[..upper].iter().rev().take(CONTAINMENT_SCAN) {
        let o = &all[s];
        if o.root == sm.root || o.level <= sm.level && sm.level != Level::None {
            continue;
        }
        if let (Some(oc), Some(c)) = (o.core, sm.core) {
            if oc.start < c.start - max_len - slack {
                break;
            }
        }
        let agent_ok =
            if strict_agent { o.agent == sm.agent } else { agents_compatible(o.agent.as_deref(), sm.agent.as_deref()) };
        // Containment needs times on both sides: an undated group is compatible with any
        // time only within its own place.
        if agent_ok && o.core.is_some() && sm.core.is_some() && overlaps(o.core, sm.core, slack) {
            if found.is_some() {
                return None;
            }
            found = Some(s);
        }
    }
    found
}

fn summarize(claims: &[ClaimInput], prep: &[Prepared], groups: &mut Groups) -> Vec<Summary> {
    // Per root: level, agent, hull of non-wide intervals, hull of all intervals.
    type Acc = (Level, Option<String>, Option<Interval>, Option<Interval>);
    let mut by_root: BTreeMap<usize, Acc> = BTreeMap::new();
    for i in 0..claims.len() {
        let r = groups.find(i);
        let s = by_root.entry(r).or_insert((prep[i].level, None, None, None));
        s.0 = s.0.max(prep[i].level);
        if s.1.is_none() {
            s.1 = claims[i].agent.clone();
        }
        if let Some(iv) = prep[i].interval {
            if !prep[i].wide {
                s.2 = Some(s.2.map_or(iv, |c| c.hull(&iv)));
            }
            s.3 = Some(s.3.map_or(iv, |c| c.hull(&iv)));
        }
    }
    by_root
        .into_iter()
        .map(|(root, (level, agent, narrow, all))| Summary { root, level, agent, core: narrow.or(all) })
        .collect()
}

/// Build the event record of one group.
pub(crate) fn build_event(members: &[usize], claims: &[ClaimInput], prep: &[Prepared], rules: &Rules) -> Event {
    let anchor = &claims[members[0]];
    let id = format!("e{}", anchor.id.get(..15).unwrap_or(&anchor.id));
    // The most specific place, the most often named at that level, the oldest on ties.
    let mut place_votes: BTreeMap<(Level, &str), (usize, usize)> = BTreeMap::new();
    for &i in members {
        if let Some(k) = &prep[i].place_key {
            let v = place_votes.entry((prep[i].level, k.as_str())).or_insert((0, i));
            v.0 += 1;
        }
    }
    let place: Option<PlaceRef> = place_votes
        .iter()
        .max_by(|a, b| (a.0 .0, a.1 .0, std::cmp::Reverse(a.1 .1)).cmp(&(b.0 .0, b.1 .0, std::cmp::Reverse(b.1 .1))))
        .and_then(|(_, &(_, i))| claims[i].place.clone());
    let agent = members.iter().find_map(|&i| claims[i].agent.clone());
    // The event's time: what its claims' own words say (precise ones first), else the
    // publication windows of its articles.
    let pick = |dated: bool, wide: bool| -> Option<Interval> {
        members
            .iter()
            .filter(|&&i| prep[i].dated == dated && (wide || !prep[i].wide))
            .filter_map(|&i| prep[i].interval)
            .reduce(|a, b| a.hull(&b))
    };
    let span =
        pick(true, false).or_else(|| pick(true, true)).or_else(|| pick(false, false)).or_else(|| pick(false, true));
    let mut stances = BTreeMap::new();
    for &i in members {
        *stances.entry(claims[i].stance.clone()).or_insert(0) += 1;
    }
    Event {
        id,
        event_type: anchor.claim_type.clone(),
        area: area_of(place.as_ref()),
        place,
        agent,
        start: span.map(|s| crate::time::date_string(s.start)),
        end: span.map(|s| crate::time::date_string(s.end)),
        dated: members.iter().any(|&i| prep[i].dated),
        claims: members.iter().map(|&i| claims[i].id.clone()).collect(),
        stances,
        corroboration: corroborate(members.iter().map(|&i| &claims[i]), rules),
        contradictions: Vec::new(),
    }
}

/// The report's area of a place: its first-level area, else its country's name, else
/// its own name.
pub fn area_of(place: Option<&PlaceRef>) -> String {
    match place {
        None => "Unlocated".into(),
        Some(p) if p.feature.as_deref() == Some("country") => p.name.clone(),
        Some(p) => p.admin1.clone().unwrap_or_else(|| p.name.clone()),
    }
}

/// Independent support of a set of claims: each attributed source and each outlet once.
pub fn corroborate<'a>(claims: impl Iterator<Item = &'a ClaimInput>, rules: &Rules) -> Corroboration {
    let mut sources: BTreeMap<String, &'static str> = BTreeMap::new();
    let mut outlets: BTreeSet<String> = BTreeSet::new();
    let mut articles: BTreeSet<&str> = BTreeSet::new();
    let mut affirmed: BTreeSet<String> = BTreeSet::new();
    let mut denied: BTreeSet<String> = BTreeSet::new();
    let mut voices: BTreeSet<String> = BTreeSet::new();
    for c in claims {
        articles.insert(&c.article_id);
        let outlet = c
            .outlet
            .clone()
            .unwrap_or_else(|| format!("the outlet of article {}", c.article_id.get(..8).unwrap_or(&c.article_id)));
        outlets.insert(outlet.clone());
        let who = if c.source.kind == "outlet" {
            voices.insert(outlet.clone());
            outlet
        } else {
            sources.insert(c.source.name.clone(), rules.category(&c.source.kind, c.source.side.as_deref()));
            c.source.name.clone()
        };
        if rules.is_affirming(&c.stance) {
            affirmed.insert(who);
        } else if rules.is_denying(&c.stance) {
            denied.insert(who);
        }
    }
    let mut by_side: BTreeMap<String, usize> = BTreeMap::new();
    for cat in sources.values() {
        *by_side.entry(cat.to_string()).or_insert(0) += 1;
    }
    if !voices.is_empty() {
        *by_side.entry("media".into()).or_insert(0) += voices.len();
    }
    Corroboration {
        sources: sources.len(),
        outlets: outlets.len(),
        articles: articles.len(),
        by_side,
        affirmed_by: affirmed.into_iter().collect(),
        denied_by: denied.into_iter().collect(),
        outlet_names: outlets.into_iter().collect(),
    }
}
