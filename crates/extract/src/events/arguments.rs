//! Arguments: which of the language layer's places, times and quantities belong to a
//! trigger. The trigger's own clause beats the rest of the sentence; within it, the
//! grammar of extract/grammar.toml picks the place (destination or origin of a movement,
//! a list of places, "the town" for the latest settlement), keeps report times out of
//! `when`, and takes only quantities whose unit fits the event type.

use sitrep_language::{possessive_ending, Feature, PlaceMention, QuantityMention, Span, TimeMention, TimexType};

use super::actors::SentenceView;
use super::lexicon::{Grammar, PlacePref, TypeConfig, GRAMMAR};
use super::text::{lower_into, token_at_or_after, tokens_before};

/// A clause: one or more stretches of a sentence (a relative clause inside it splits it
/// in two: "Sumy region, which borders Kursk region, was shelled").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Clause {
    pub parts: Vec<Span>,
    /// Opened by a relative pronoun (", which ", ", where ").
    pub relative: bool,
}

impl Clause {
    pub fn whole(span: Span) -> Clause {
        Clause { parts: vec![span], relative: false }
    }

    pub fn contains(&self, s: &Span) -> bool {
        self.parts.iter().any(|p| p.contains(s))
    }

    /// The end of the stretch that holds `pos`.
    pub fn end_after(&self, pos: usize) -> usize {
        self.parts.iter().find(|p| p.start <= pos && pos < p.end).map_or(pos, |p| p.end)
    }
}

/// The clauses of a sentence: a clause ends where a break of grammar.toml begins; a
/// relative clause (", which ...") ends at the next comma, where the clause it interrupted
/// goes on.
pub(crate) fn clauses(g: &Grammar, text: &str, sentence: Span) -> Vec<Clause> {
    // (position, Some(true) opens a relative clause, Some(false) closes one, None breaks).
    let mut cuts: Vec<(usize, Option<bool>)> = Vec::new();
    let hay = &text[sentence.start..sentence.end];
    for m in g.breaks.find_iter(hay) {
        let relative = m.pattern().as_usize() >= g.relative_from;
        cuts.push((sentence.start + m.start(), relative.then_some(true)));
        if relative {
            if let Some(k) = hay[m.end()..].find(',') {
                cuts.push((sentence.start + m.end() + k, Some(false)));
            }
        }
    }
    cuts.sort_by_key(|&(at, _)| at);
    let mut clauses: Vec<Clause> = vec![Clause { parts: Vec::new(), relative: false }];
    let mut current = 0;
    let mut interrupted: Vec<usize> = Vec::new();
    let mut start = sentence.start;
    for (at, kind) in cuts {
        if at <= start || at >= sentence.end || !text.is_char_boundary(at) {
            continue;
        }
        clauses[current].parts.push(Span::new(start, at));
        start = at;
        current = match kind {
            Some(false) => interrupted.pop().unwrap_or(clauses.len()),
            Some(true) => {
                interrupted.push(current);
                clauses.len()
            }
            None => {
                interrupted.clear();
                clauses.len()
            }
        };
        if current == clauses.len() {
            clauses.push(Clause { parts: Vec::new(), relative: kind == Some(true) });
        }
    }
    clauses[current].parts.push(Span::new(start, sentence.end));
    clauses.retain(|c| !c.parts.is_empty());
    clauses
}

pub(crate) struct Chosen {
    /// Indices into the document's mentions; several for a list of places.
    pub indices: Vec<usize>,
    pub rule: String,
}


/// Whether a place mention follows `end` directly or after "of" ("the city of Kherson",
/// "the town Kupiansk"), so that the words before it are its relation, not an anaphor.
fn names_a_place(text: &str, end: usize, places: &[PlaceMention]) -> bool {
    let rest = text[end..].trim_start();
    let rest = rest.strip_prefix("of ").map_or(rest, str::trim_start);
    let at = text.len() - rest.len();
    places.iter().any(|p| p.span.start == at)
}

/// Byte distance between two spans (0 when they touch or overlap).
fn distance(a: Span, b: Span) -> usize {
    if a.end <= b.start {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
}

/// The places of a sentence that can be where something happened, with what the words
/// before each say about it.
pub(crate) struct PlaceSlots {
    /// (document index, preposition class) in text order.
    slots: Vec<Slot>,
}

#[derive(Clone, Copy)]
struct Slot {
    index: usize,
    span: Span,
    prep: Prep,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prep {
    Origin,
    Destination,
    Other,
}

fn is_settlement(f: Feature) -> bool {
    matches!(f, Feature::City | Feature::Town | Feature::Village)
}

impl PlaceSlots {
    /// `places` are the sentence's (document index, mention) in text order; `blocked` the
    /// spans of actor phrases and outlet names, whose places are affiliations.
    pub fn new(s: &SentenceView, g: &Grammar, places: &[(usize, &PlaceMention)], blocked: &[Span]) -> PlaceSlots {
        let mut buf = String::new();
        let mut slots = Vec::new();
        for (k, &(index, p)) in places.iter().enumerate() {
            // Inside "Kyiv's troops", "Ukraine's General Staff", "The Moscow Times".
            if blocked.iter().any(|b| b.contains(&p.span) && *b != p.span) {
                continue;
            }
            let rest = &s.text[p.span.end..s.span.end];
            if g.affiliation_suffixes.iter().any(|suf| rest.starts_with(suf.as_str())) {
                continue;
            }
            // "Russia's Kursk region", "Ukraine's ability": a possessive qualifies what follows.
            if possessive_ending(rest).is_some() {
                continue;
            }
            // "a Russia analyst".
            let next = token_at_or_after(s.tokens, p.span.end);
            if next < s.tokens.len() && s.text[p.span.end..s.tokens[next].start].chars().all(char::is_whitespace) && g.affiliation_next_words.has(s.word(next), &mut buf) {
                continue;
            }
            if let Some(&(_, prev)) = k.checked_sub(1).and_then(|i| places.get(i)) {
                // "the town of Sudzha, Kursk region": the region only qualifies the town.
                let between = s.text[prev.span.end..p.span.start.max(prev.span.end)].trim();
                if between == "," && matches!(p.feature, Feature::Region | Feature::Country) && is_settlement(prev.feature) {
                    continue;
                }
            }
            let (prep, only_qualifies) = words_before(s, g, p, places, &mut buf);
            if only_qualifies {
                continue;
            }
            slots.push(Slot { index, span: p.span, prep });
        }
        PlaceSlots { slots }
    }

    /// The place(s) of a trigger. `excluded` are spans used as actors ("Russia" as the
    /// agent is no place); `anaphor` resolves "the town" to a document place index.
    pub fn choose(&self, s: &SentenceView, g: &Grammar, ctx: &PlaceQuery, places: &[PlaceMention], anaphor: &dyn Fn(usize) -> Option<usize>) -> Option<Chosen> {
        let trig = ctx.trigger;
        let near = |sl: &Slot| {
            let (from, to) = if sl.span.start >= trig.end { (trig.end, sl.span.start) } else { (sl.span.end, trig.start) };
            let (a, b) = (token_at_or_after(s.tokens, from), tokens_before(s.tokens, to));
            let counted = (a..b.max(a)).filter(|&k| !ctx.uncounted.iter().any(|u| u.contains(&Span::new(s.tokens[k].start, s.tokens[k].end)))).count();
            counted <= g.max_gap
        };
        let usable: Vec<Slot> = self.slots.iter().copied().filter(|sl| !ctx.excluded.contains(&sl.span) && near(sl)).collect();
        let in_clause: Vec<Slot> = usable.iter().copied().filter(|sl| ctx.clause.contains(&sl.span)).collect();
        let after: Vec<Slot> = in_clause.iter().copied().filter(|sl| sl.span.start >= trig.end).collect();
        let name = |sl: &Slot| s.text[sl.span.start..sl.span.end].to_string();
        let mut pick: Option<(Slot, String)> = None;
        match ctx.pref {
            PlacePref::Destination => {
                if let Some(sl) = after.iter().find(|sl| sl.prep == Prep::Destination) {
                    pick = Some((*sl, "movement destination, same clause".into()));
                }
            }
            PlacePref::Origin => {
                if let Some(sl) = after.iter().find(|sl| sl.prep == Prep::Origin) {
                    pick = Some((*sl, "movement origin, same clause".into()));
                }
            }
            PlacePref::Nearest => {}
        }
        if pick.is_none() {
            // "have taken back the town": the latest settlement named before.
            let mut buf = String::new();
            let first = token_at_or_after(s.tokens, trig.end);
            let first_place = after.first().map_or(usize::MAX, |sl| sl.span.start);
            // Words of a quantity or time do not count: "evacuated about 2,300 people from the town".
            let counts = |k: usize| !ctx.uncounted.iter().any(|u| u.contains(&Span::new(s.tokens[k].start, s.tokens[k].end)));
            let mut counted = 0;
            for k in first..s.tokens.len() {
                if counts(k) {
                    counted += 1;
                    if counted > g.anaphor_window {
                        break;
                    }
                }
                if s.tokens[k].start >= first_place {
                    break;
                }
                if let Some(n) = g.place_anaphors.starts_at(s.text, s.tokens, k, &mut buf) {
                    // "the city of Kherson" names its place: no anaphor.
                    if names_a_place(s.text, s.tokens[k + n - 1].end, places) {
                        break;
                    }
                    if let Some(i) = anaphor(s.tokens[k].start) {
                        let phrase = &s.text[s.tokens[k].start..s.tokens[k + n - 1].end];
                        return Some(Chosen { indices: vec![i], rule: format!("{GRAMMAR}: place ← {phrase} → {} (place anaphor)", places[i].name) });
                    }
                }
            }
        }
        if pick.is_none() && after.is_empty() && !in_clause.iter().any(|sl| sl.span.end <= trig.start) {
            // "The village was captured by ...": the anaphor as the subject just before.
            let mut buf = String::new();
            let last = token_at_or_after(s.tokens, trig.start);
            let from = last.saturating_sub(g.anaphor_window + 2);
            for k in (from..last).rev() {
                if !ctx.clause.contains(&Span::new(s.tokens[k].start, s.tokens[k].end)) {
                    break;
                }
                let Some(n) = g.place_anaphors.starts_at(s.text, s.tokens, k, &mut buf) else { continue };
                if k + n + g.anaphor_window < last || names_a_place(s.text, s.tokens[k + n - 1].end, places) {
                    break;
                }
                if let Some(i) = anaphor(s.tokens[k].start) {
                    let phrase = &s.text[s.tokens[k].start..s.tokens[k + n - 1].end];
                    return Some(Chosen { indices: vec![i], rule: format!("{GRAMMAR}: place ← {phrase} → {} (place anaphor, before the trigger)", places[i].name) });
                }
            }
        }
        if pick.is_none() {
            pick = after.first().map(|sl| (*sl, "same clause, after the trigger".into()));
        }
        if pick.is_none() {
            pick = in_clause.iter().rev().find(|sl| sl.span.end <= trig.start).map(|sl| (*sl, "same clause, before the trigger".into()));
        }
        if pick.is_none() {
            pick = usable.iter().filter(|sl| !ctx.foreign.iter().any(|f| f.contains(&sl.span))).min_by_key(|sl| distance(sl.span, trig)).map(|sl| (*sl, "same sentence, nearest".into()));
        }
        let (first, how) = pick?;
        let list = self.coordinated(s, g, first, &usable, places);
        let names: Vec<String> = list.iter().map(name).collect();
        let relation = places[first.index].relation.as_deref().map(|r| format!(", relation \"{r}\"")).unwrap_or_default();
        let list_note = if list.len() > 1 { ", list" } else { "" };
        Some(Chosen { indices: list.iter().map(|sl| sl.index).collect(), rule: format!("{GRAMMAR}: place ← {} ({how}{relation}{list_note})", names.join(" + ")) })
    }

    /// The list `first` stands in: "the villages of Rubanshchina and Zaoleshenka", each
    /// its own claim.
    fn coordinated(&self, s: &SentenceView, g: &Grammar, first: Slot, usable: &[Slot], places: &[PlaceMention]) -> Vec<Slot> {
        // Whether b follows a in one list; Some(true) when joined by a conjunction.
        let joined = |a: &Slot, b: &Slot| -> Option<bool> {
            let mut between = s.text[a.span.end..b.span.start.max(a.span.end)].to_lowercase();
            if let Some(r) = places[b.index].relation.as_deref() {
                let r = r.to_lowercase();
                if between.trim_end().ends_with(&r) {
                    let cut = between.trim_end().len() - r.len();
                    between.truncate(cut);
                }
            }
            let mut between = between.trim().to_string();
            // "and the town of X": drop a determiner before the next name.
            for d in ["the", "a"] {
                if let Some(rest) = between.strip_suffix(d) {
                    if rest.ends_with(|c: char| c.is_whitespace() || c == ',') || rest.is_empty() {
                        between = rest.trim().to_string();
                    }
                }
            }
            g.coordinators.contains(between.as_str()).then_some(between != ",")
        };
        let pos = usable.iter().position(|sl| sl.index == first.index).unwrap_or(0);
        let mut lo = pos;
        while lo > 0 && joined(&usable[lo - 1], &usable[lo]).is_some() {
            lo -= 1;
        }
        // The run's last conjunction closes the list ("X, Y and Z"); what hangs on after it
        // by a bare comma is not part of it ("into Sumy, Ukraine's ability ...").
        let mut hi = pos;
        let mut closed: Option<usize> = None;
        let mut k = lo;
        while k + 1 < usable.len() {
            match joined(&usable[k], &usable[k + 1]) {
                Some(conj) => {
                    k += 1;
                    if conj {
                        closed = Some(k);
                    }
                }
                None => break,
            }
        }
        match closed {
            Some(c) if c >= pos => hi = c,
            _ => lo = pos,
        }
        usable[lo..=hi].to_vec()
    }
}

/// The preposition before a place ("from", "into", skipping its relation words,
/// determiners and qualifying places like "Russia's"), and whether the place only
/// qualifies something else: part of a title ("governor of Kursk region") or a neighbour
/// ("which borders both Kursk and Belgorod"; the words before a place of a list are
/// those before the list).
fn words_before(s: &SentenceView, g: &Grammar, p: &PlaceMention, places: &[(usize, &PlaceMention)], buf: &mut String) -> (Prep, bool) {
    let mut end = tokens_before(s.tokens, p.span.start);
    if let Some(r) = p.relation.as_deref() {
        let n = r.split_whitespace().count();
        let words: Vec<String> = r.split_whitespace().map(str::to_lowercase).collect();
        if n <= end && (0..n).all(|k| lower_into(s.word(end - n + k), buf) == words[k]) {
            end -= n;
        }
    }
    // Back over the determiners and the earlier places of a list ("both Kursk and").
    let in_place = |k: usize| places.iter().any(|(_, q)| q.span.start <= s.tokens[k].start && s.tokens[k].end <= q.span.end);
    while end > 0 {
        if in_place(end - 1) || g.determiners.has(s.word(end - 1), buf) {
            end -= 1;
        } else if end >= 2 && in_place(end - 2) && g.coordinators.contains(lower_into(s.word(end - 1), buf)) {
            end -= 1;
        } else {
            break;
        }
    }
    if end >= 2 && lower_into(s.word(end - 1), buf) == "of" && g.titles.has(s.word(end - 2), buf) {
        return (Prep::Other, true);
    }
    if end >= 1 && g.neighbours.has(s.word(end - 1), buf) {
        return (Prep::Other, true);
    }
    if g.destination.ends_at(s.text, s.tokens, end, buf).is_some() {
        (Prep::Destination, false)
    } else if g.origin.ends_at(s.text, s.tokens, end, buf).is_some() {
        (Prep::Origin, false)
    } else {
        (Prep::Other, false)
    }
}

pub(crate) struct PlaceQuery<'c> {
    pub trigger: Span,
    pub clause: &'c Clause,
    pub pref: PlacePref,
    pub excluded: Vec<Span>,
    /// Quantities, times and parentheses: their words do not count toward `max_gap`.
    pub uncounted: &'c [Span],
    /// Other clauses with an event of their own: no place for this one from there.
    pub foreign: &'c [Span],
}

/// The parenthesised stretches of a sentence.
pub(crate) fn parentheses(text: &str, sentence: Span) -> Vec<Span> {
    let mut out = Vec::new();
    let mut open = None;
    for (i, c) in text[sentence.start..sentence.end].char_indices() {
        match c {
            '(' => open = Some(sentence.start + i),
            ')' => {
                if let Some(o) = open.take() {
                    out.push(Span::new(o, sentence.start + i + 1));
                }
            }
            _ => {}
        }
    }
    out
}

/// The time of a trigger: a DATE or TIME in its clause, else in its sentence; a placeable
/// duration ("over the past 11 days") only when there is no date. Times that date a report
/// ("said on Thursday") are skipped.
pub(crate) fn choose_time(s: &SentenceView, g: &Grammar, times: &[(usize, &TimeMention)], trigger: Span, clause: &Clause, foreign: &[Span]) -> Option<(usize, String)> {
    let mut buf = String::new();
    let usable: Vec<(usize, &TimeMention)> = times
        .iter()
        .copied()
        .filter(|(_, t)| !dates_report(s, g, t.span, &mut buf) && !is_dateline(s, g, t.span) && !foreign.iter().any(|f| f.contains(&t.span)))
        .collect();
    let is_date = |t: &TimeMention| matches!(t.timex_type, TimexType::Date | TimexType::Time);
    let placeable = |t: &TimeMention| !is_date(t) && t.start.is_some();
    for (want, kind) in [(&is_date as &dyn Fn(&TimeMention) -> bool, "date"), (&placeable, "placeable duration")] {
        for (scope, where_) in [(clause, "same clause"), (&Clause::whole(s.span), "same sentence")] {
            if let Some(&(i, t)) = usable.iter().filter(|(_, t)| want(t) && scope.contains(&t.span)).min_by_key(|(_, t)| distance(t.span, trigger)) {
                return Some((i, format!("{GRAMMAR}: when ← {} ({kind}, {where_})", &s.text[t.span.start..t.span.end])));
            }
        }
    }
    None
}

/// "KYIV, June 5 (Reuters) - ...": the time of the filing.
fn is_dateline(s: &SentenceView, g: &Grammar, span: Span) -> bool {
    g.dateline_before.is_match(&s.text[s.span.start..span.start]) && g.dateline_after.is_match(&s.text[span.end..s.span.end])
}

/// "said on Thursday", "said in a statement Friday": the time of the saying.
fn dates_report(s: &SentenceView, g: &Grammar, span: Span, buf: &mut String) -> bool {
    let mut end = tokens_before(s.tokens, span.start);
    while end > 0 && g.report_gap.has(s.word(end - 1), buf) {
        end -= 1;
    }
    end > 0 && g.speech_verbs.has(s.word(end - 1), buf)
}

/// The quantity of a trigger: the nearest one whose unit (or counted noun) fits the event
/// type, in the clause, else in the sentence.
pub(crate) fn choose_quantity(s: &SentenceView, quantities: &[(usize, &QuantityMention)], cfg: &TypeConfig, trigger: Span, clause: &Clause) -> Option<(usize, String)> {
    let fits = |q: &QuantityMention| {
        [q.unit.as_deref(), q.noun.as_deref()].into_iter().flatten().any(|u| cfg.quantity_units.contains(&u.to_lowercase()))
    };
    for (scope, where_) in [(clause, "same clause"), (&Clause::whole(s.span), "same sentence")] {
        if let Some(&(i, q)) = quantities.iter().filter(|(_, q)| fits(q) && scope.contains(&q.span)).min_by_key(|(_, q)| distance(q.span, trigger)) {
            let unit = q.unit.as_deref().or(q.noun.as_deref()).unwrap_or("");
            return Some((i, format!("{}: quantity ← {} (unit {unit} fits, {where_})", super::lexicon::TRIGGERS, &s.text[q.span.start..q.span.end])));
        }
    }
    None
}
