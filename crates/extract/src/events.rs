//! Event typing, actors and argument linking: from an analysed article to event
//! candidates, one per (event type, place) in a sentence.
//!
//! - Triggers (extract/triggers.toml): verbs and nouns per event type, found with one
//!   Aho-Corasick automaton, whole words only; rules about the words around a trigger
//!   change its type ("captured" + soldiers → prisoners, "attack" + drone → strike).
//! - Actors (extract/actors.toml): CAMEO-style codes; the agent and target come from where
//!   the actors stand around the trigger (subject, object, passive "by", possessor), with
//!   pronouns resolved against the article so far.
//! - Arguments (extract/grammar.toml): the place, time and quantity of the language layer
//!   that belong to the trigger, its own clause first.
//!
//! Every part filled carries an `Evidence` naming the lexicon file and entry that fired.
//! Sources, stance and quotations are attribution's work; the caller joins the two.

mod actors;
mod arguments;
mod lexicon;
mod text;
#[cfg(test)]
mod tests;

use anyhow::Result;
use serde::{Deserialize, Serialize};
use sitrep_language::{Feature, PlaceMention, QuantityMention, Span, TimeMention};

use crate::{Document, EventType, Evidence};
use actors::{Actors, LinkQuery, Memory, Mention, SentenceView};
use arguments::{PlaceQuery, PlaceSlots};
use lexicon::{type_name, Grammar, Triggers, TRIGGERS};
use text::{token_at_or_after, tokenize, tokens_before};

/// One event found in one sentence, before attribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventCandidate {
    /// Index into `Document::sentences`.
    pub sentence: usize,
    pub trigger: Span,
    pub event_type: EventType,
    /// CAMEO-style actor code (`RUSMIL`), or None.
    pub agent: Option<String>,
    pub target: Option<String>,
    /// Index into `Document::places`.
    pub place: Option<usize>,
    /// Index into `Document::times`.
    pub when: Option<usize>,
    /// Index into `Document::quantities`.
    pub quantity: Option<usize>,
    pub evidence: Vec<Evidence>,
}

/// Finds event candidates in documents. Build it once (it compiles the lexicons into
/// automatons) and share it across threads.
pub struct EventFinder {
    triggers: Triggers,
    grammar: Grammar,
    actors: Actors,
}

impl EventFinder {
    pub fn new(lex: &sitrep_lexicon::Lexicons) -> Result<Self> {
        Ok(EventFinder { triggers: lexicon::load_triggers(lex)?, grammar: lexicon::load_grammar(lex)?, actors: Actors::load(lex)? })
    }

    /// The event candidates of `doc`, in text order.
    pub fn find(&self, doc: &Document) -> Vec<EventCandidate> {
        let text = doc.text;
        let places = sorted_by_start(doc.places, |p| p.span);
        let times = sorted_by_start(doc.times, |t| t.span);
        let quantities = sorted_by_start(doc.quantities, |q| q.span);
        // Settlements in text order, for "the town".
        let settlements: Vec<usize> = places.iter().copied().filter(|&i| matches!(doc.places[i].feature, Feature::City | Feature::Town | Feature::Village)).collect();
        let latest_settlement = |pos: usize| {
            let k = settlements.partition_point(|&i| doc.places[i].span.end <= pos);
            k.checked_sub(1).map(|k| settlements[k])
        };

        let mut out = Vec::new();
        let mut memory = Memory::default();
        for (si, &sentence) in doc.sentences.iter().enumerate() {
            if !valid_span(text, sentence) {
                continue;
            }
            let tokens = tokenize(text, sentence);
            let in_sentence = |sp: Span| sentence.contains(&sp);
            let sent_places: Vec<(usize, &PlaceMention)> = within(&places, doc.places, sentence, |p| p.span).into_iter().filter(|(_, p)| in_sentence(p.span) && valid_span(text, p.span)).collect();
            let view = SentenceView { text, span: sentence, tokens: &tokens, places: sent_places.iter().map(|&(_, p)| p).collect() };
            let mentions = self.actors.mentions(&view, &self.grammar, &memory);
            if !is_question(text, sentence) {
                let sent_times: Vec<(usize, &TimeMention)> = within(&times, doc.times, sentence, |t| t.span).into_iter().filter(|(_, t)| in_sentence(t.span) && valid_span(text, t.span)).collect();
                let sent_quantities: Vec<(usize, &QuantityMention)> =
                    within(&quantities, doc.quantities, sentence, |q| q.span).into_iter().filter(|(_, q)| in_sentence(q.span) && valid_span(text, q.span)).collect();
                let args = SentenceArgs { view: &view, mentions: &mentions, places: &sent_places, times: &sent_times, quantities: &sent_quantities, all_places: doc.places, latest_settlement: &latest_settlement };
                out.extend(self.sentence_events(si, &args));
            }
            memory.update(&mentions);
        }
        out
    }

    fn sentence_events(&self, si: usize, a: &SentenceArgs) -> Vec<EventCandidate> {
        let s = a.view;
        let g = &self.grammar;
        let found = self.triggers.matcher.find(s.text, s.span, &self.triggers.phrases);
        if found.is_empty() {
            return Vec::new();
        }
        let clauses = arguments::clauses(g, s.text, s.span);
        let whole = arguments::Clause::whole(s.span);
        let clause_of = |sp: Span| clauses.iter().position(|c| c.contains(&Span::new(sp.start, sp.start))).map_or((usize::MAX, &whole), |i| (i, &clauses[i]));
        let mut blocked: Vec<Span> = a.mentions.iter().map(|m| m.span).collect();
        blocked.sort();
        let slots = PlaceSlots::new(s, g, a.places, &blocked);
        let mut uncounted = arguments::parentheses(s.text, s.span);
        uncounted.extend(a.times.iter().map(|(_, t)| t.span).chain(a.quantities.iter().map(|(_, q)| q.span)));

        let typed: Vec<(usize, Span, EventType, Option<&lexicon::Rule>)> = found
            .iter()
            .filter(|&&(_, trig)| !names_a_thing(s, trig))
            .filter_map(|&(pid, trig)| {
                let fam_index = self.triggers.family_of[pid];
                self.classify(&self.triggers.families[fam_index], s, a, trig).map(|(t, rule)| (fam_index, trig, t, rule))
            })
            .collect();

        // An argument in a relative clause with an event of its own is that event's, and
        // one of the clause it hangs on is not the relative clause's ("pushing back against
        // Ukrainian troops in Kursk, where they have held ground since an offensive seven
        // months ago": the seven months are the offensive's). Coordinated clauses (", and
        // retreated to Sumy") share their arguments.
        let trigger_clauses: Vec<usize> = typed.iter().map(|&(_, trig, _, _)| clause_of(trig).0).filter(|&c| c != usize::MAX).collect();
        let foreign_to = |own: usize| -> Vec<Span> {
            let own_relative = clauses.get(own).is_some_and(|c| c.relative);
            clauses
                .iter()
                .enumerate()
                .filter(|&(c, cl)| c != own && (cl.relative || own_relative) && trigger_clauses.contains(&c))
                .flat_map(|(_, cl)| cl.parts.iter().copied())
                .collect()
        };
        let mut cands: Vec<EventCandidate> = Vec::new();
        // Per clause: (object mention, subject mention) of the triggers so far.
        let mut earlier: Vec<(usize, usize, Option<usize>)> = Vec::new();
        for (k, &(fam_index, trig, event_type, rule)) in typed.iter().enumerate() {
            let fam = &self.triggers.families[fam_index];
            let phrase = &s.text[trig.start..trig.end];
            let cfg = self.triggers.type_config(event_type);
            let (clause_id, clause) = clause_of(trig);
            // The object of a trigger comes before the next trigger of another type
            // ("suspended military and intelligence assistance to Kyiv" is one aid event).
            let object_limit = typed[k + 1..].iter().find(|&&(_, _, t, _)| t != event_type).map(|&(_, n, _, _)| n.start).filter(|&n| n < clause.end_after(trig.start)).unwrap_or(clause.end_after(trig.start));
            let passive = self.is_passive(s, trig);
            let query = LinkQuery {
                trigger: trig,
                clause,
                previous_trigger_end: k.checked_sub(1).map_or(s.span.start, |p| typed[p].1.end),
                object_limit,
                passive,
                roles: cfg.roles.with(&fam.roles),
                state_role: cfg.state_role,
                political: cfg.state_role == actors::ActorRole::Gov,
                civilians_as_target: cfg.civilians_as_target,
                earlier: earlier.iter().filter(|(c, _, _)| *c == clause_id).map(|&(_, o, sub)| (o, sub)).collect(),
            };
            let parties = self.actors.link(s, g, a.mentions, &query);
            if let Some(o) = parties.object {
                earlier.push((clause_id, o, parties.subject));
            }

            let mut evidence = Vec::new();
            let tname = type_name(event_type);
            let how = rule.map(|r| format!(" (rule: {})", r.describe)).unwrap_or_default();
            evidence.push(Evidence { part: "trigger".into(), span: Some(trig), rule: format!("{TRIGGERS}: {tname} ← {}{how}", phrase.to_lowercase()) });
            // A country named as a party ("Russia recaptured", "seized by Kyiv", "talks with
            // Russia") is no place of the event, unless it is the trigger's direct object
            // ("invaded Ukraine"), nor is one chosen as agent or target.
            let direct_object = |m: &Mention| m.span.start >= trig.end && tokens_before(s.tokens, m.span.start).saturating_sub(tokens_before(s.tokens, trig.end)) == 0;
            let mut used_spans: Vec<Span> = a
                .mentions
                .iter()
                .filter(|m| m.kind == actors::Kind::Name && (m.party_prep || (query.political && m.political_prep) || (!m.after_prep && !direct_object(m))))
                .map(|m| m.span)
                .collect();
            for (part, p) in [("agent", &parties.agent), ("target", &parties.target)] {
                if let Some(p) = p {
                    let m: &Mention = &a.mentions[p.mention];
                    used_spans.push(m.span);
                    evidence.push(Evidence { part: part.into(), span: Some(m.span), rule: p.rule.clone() });
                }
            }
            let foreign = foreign_to(clause_id);
            let when = arguments::choose_time(s, g, a.times, trig, clause, &foreign);
            if let Some((i, rule)) = &when {
                evidence.push(Evidence { part: "when".into(), span: Some(a.times.iter().find(|(j, _)| j == i).map_or(trig, |(_, t)| t.span)), rule: rule.clone() });
            }
            let quantity = arguments::choose_quantity(s, a.quantities, cfg, trig, clause);
            if let Some((i, rule)) = &quantity {
                evidence.push(Evidence { part: "quantity".into(), span: Some(a.quantities.iter().find(|(j, _)| j == i).map_or(trig, |(_, q)| q.span)), rule: rule.clone() });
            }
            let place_query = PlaceQuery { trigger: trig, clause, pref: cfg.place, excluded: used_spans, uncounted: &uncounted, foreign: &foreign };
            let chosen = slots.choose(s, g, &place_query, a.all_places, a.latest_settlement);
            let base = EventCandidate {
                sentence: si,
                trigger: trig,
                event_type,
                agent: parties.agent.as_ref().map(|p| p.code.clone()),
                target: parties.target.as_ref().map(|p| p.code.clone()),
                place: None,
                when: when.map(|(i, _)| i),
                quantity: quantity.map(|(i, _)| i),
                evidence,
            };
            match chosen {
                None => cands.push(base),
                Some(ch) => {
                    for &pi in &ch.indices {
                        let mut c = base.clone();
                        c.place = Some(pi);
                        c.evidence.push(Evidence { part: "place".into(), span: Some(a.all_places[pi].span), rule: ch.rule.clone() });
                        cands.push(c);
                    }
                }
            }
        }
        one_per_type_and_place(cands, a.all_places)
    }

    /// The event type of a trigger: the first rule of its family that hits, else the
    /// family's default. None when a rule says "none" or nothing gives a type.
    fn classify<'f>(&self, fam: &'f lexicon::Family, s: &SentenceView, a: &SentenceArgs, trig: Span) -> Option<(EventType, Option<&'f lexicon::Rule>)> {
        let first = token_at_or_after(s.tokens, trig.start);
        let end = tokens_before(s.tokens, trig.end).max(first);
        let mut buf = String::new();
        for rule in &fam.rules {
            let range = match rule.side {
                lexicon::Side::After => end..(end + rule.window).min(s.tokens.len()),
                lexicon::Side::Before => first.saturating_sub(rule.window)..first,
            };
            if range.is_empty() {
                continue;
            }
            let window = Span::new(s.tokens[range.start].start, s.tokens[range.end - 1].end);
            let hit = match rule.cond {
                lexicon::Cond::Class(c) => range.clone().any(|k| self.triggers.classes[c].has(s.word(k), &mut buf)),
                lexicon::Cond::Place => a.places.iter().any(|(_, p)| window.start <= p.span.start && p.span.start < window.end),
                lexicon::Cond::Quantity => a.quantities.iter().any(|(_, q)| window.start <= q.span.start && q.span.start < window.end),
            };
            if hit {
                return rule.outcome.map(|t| (t, Some(rule)));
            }
        }
        fam.default.map(|t| (t, None))
    }

    /// "was recaptured", "were not completely surrounded": an auxiliary, then adverbs,
    /// then the trigger, which is no "-ing" form.
    fn is_passive(&self, s: &SentenceView, trig: Span) -> bool {
        let g = &self.grammar;
        let mut buf = String::new();
        let first = token_at_or_after(s.tokens, trig.start);
        if first >= s.tokens.len() {
            return false;
        }
        let word = text::lower_into(s.word(first), &mut buf).to_string();
        if g.progressive_suffixes.iter().any(|suf| word.ends_with(suf.as_str())) {
            return false;
        }
        let mut k = first;
        while k > 0 {
            k -= 1;
            let w = s.word(k);
            if g.auxiliaries.has(w, &mut buf) {
                return true;
            }
            let lw = text::lower_into(w, &mut buf);
            let adverb = g.adverb_suffixes.iter().any(|suf| lw.len() > suf.len() + 2 && lw.ends_with(suf.as_str()));
            if !(adverb || g.adverbs.has(w, &mut buf)) {
                return false;
            }
        }
        false
    }
}

struct SentenceArgs<'a> {
    view: &'a SentenceView<'a>,
    mentions: &'a [Mention],
    places: &'a [(usize, &'a PlaceMention)],
    times: &'a [(usize, &'a TimeMention)],
    quantities: &'a [(usize, &'a QuantityMention)],
    all_places: &'a [PlaceMention],
    latest_settlement: &'a dyn Fn(usize) -> Option<usize>,
}

/// One claim per (type, place) in a sentence: duplicates are merged (the first keeps its
/// trigger; parts it lacks come from the others), and a placeless candidate goes into a
/// placed one of its type. Candidates whose agents disagree stay apart. Two mentions of
/// one place (same gazetteer id, or same name when unresolved) are one place.
fn one_per_type_and_place(cands: Vec<EventCandidate>, places: &[PlaceMention]) -> Vec<EventCandidate> {
    let compatible = |a: &EventCandidate, b: &EventCandidate| a.event_type == b.event_type && (a.agent.is_none() || b.agent.is_none() || a.agent == b.agent);
    let place_key = |c: &EventCandidate| c.place.map(|i| places[i].gazetteer_id.clone().unwrap_or_else(|| places[i].name.to_lowercase()));
    let mut out: Vec<EventCandidate> = Vec::new();
    for c in cands {
        let key = place_key(&c);
        match out.iter_mut().find(|o| place_key(o) == key && compatible(o, &c)) {
            Some(o) => merge(o, c),
            None => out.push(c),
        }
    }
    let mut i = 0;
    while i < out.len() {
        if out[i].place.is_none() {
            if let Some(k) = (0..out.len()).find(|&k| k != i && out[k].place.is_some() && compatible(&out[k], &out[i])) {
                let c = out.remove(i);
                let k = if k > i { k - 1 } else { k };
                merge(&mut out[k], c);
                continue;
            }
        }
        i += 1;
    }
    out.sort_by_key(|c| c.trigger.start);
    out
}

fn merge(into: &mut EventCandidate, from: EventCandidate) {
    let mut take = |part: &str| {
        for e in from.evidence.iter().filter(|e| e.part == part) {
            into.evidence.push(e.clone());
        }
    };
    if into.agent.is_none() && from.agent.is_some() && from.agent != into.target {
        into.agent = from.agent.clone();
        take("agent");
    }
    if into.target.is_none() && from.target.is_some() && from.target != into.agent {
        into.target = from.target.clone();
        take("target");
    }
    if into.when.is_none() && from.when.is_some() {
        into.when = from.when;
        take("when");
    }
    if into.quantity.is_none() && from.quantity.is_some() {
        into.quantity = from.quantity;
        take("quantity");
    }
}

/// Questions and headlines phrased as questions carry no claim.
fn is_question(text: &str, sentence: Span) -> bool {
    text[sentence.start..sentence.end].trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '”' | '’' | '\'' | '»' | ')' | ']')).ends_with('?')
}

fn valid_span(text: &str, s: Span) -> bool {
    s.start <= s.end && s.end <= text.len() && text.is_char_boundary(s.start) && text.is_char_boundary(s.end)
}

/// Indices of `items` sorted by span start (the language layer gives them in order, but
/// the finder does not rely on it).
fn sorted_by_start<T>(items: &[T], span: impl Fn(&T) -> Span) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..items.len()).collect();
    idx.sort_by_key(|&i| span(&items[i]));
    idx
}

/// The items (by sorted index) whose span starts inside `range`.
fn within<'a, T>(order: &[usize], items: &'a [T], range: Span, span: impl Fn(&T) -> Span) -> Vec<(usize, &'a T)> {
    let lo = order.partition_point(|&i| span(&items[i]).start < range.start);
    let hi = order.partition_point(|&i| span(&items[i]).start < range.end);
    order[lo..hi.max(lo)].iter().map(|&i| (i, &items[i])).collect()
}

/// A trigger written with a capital inside a sentence is part of a name ("Defence Talks",
/// "Operation Liberation"), not the word; except where the sentence is a title-case
/// headline, or the trigger opens the sentence or a quotation or clause in it.
/// All-capital words (acronyms, shouted headlines) are left to the lexicon.
fn names_a_thing(s: &actors::SentenceView, trig: Span) -> bool {
    let word = &s.text[trig.start..trig.end];
    if !word.chars().next().is_some_and(char::is_uppercase) || !word.chars().any(char::is_lowercase) {
        return false;
    }
    let before = s.text[s.span.start..trig.start.max(s.span.start)].trim_end();
    if before.is_empty() || before.ends_with(['“', '"', '‘', '\'', '«', '(', ':', '—', '–', '-']) {
        return false;
    }
    let initial = |w: &str| w.chars().next().filter(|c| c.is_alphabetic());
    let words: Vec<char> = (0..s.tokens.len()).filter_map(|k| initial(s.word(k))).collect();
    let capitalised = words.iter().filter(|c| c.is_uppercase()).count();
    capitalised * 2 < words.len()
}
