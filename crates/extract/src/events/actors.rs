//! Actors: CAMEO-style codes from the phrases of extract/actors.toml, pronouns resolved
//! against the sentence and the article so far, and the choice of agent and target for a
//! trigger from where the actors stand around it (subject, object, "by" phrase, possessor).

use std::collections::BTreeMap;

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use sitrep_language::{is_apostrophe, possessive_ending, PlaceMention, Span};

use super::arguments::Clause;
use super::lexicon::{Grammar, Role, Roles};
use super::text::{token_at_or_after, tokens_before, PhraseMatcher, Token, WordSet};

pub(crate) const ACTORS: &str = "extract/actors.toml";

/// The role half of an actor code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ActorRole {
    Mil,
    Gov,
    Int,
    Cvl,
    /// A country as such ("Russia", "the Kremlin"): MIL or GOV depending on the event.
    State,
}

impl ActorRole {
    fn parse(s: &str) -> Option<ActorRole> {
        Some(match s {
            "MIL" => ActorRole::Mil,
            "GOV" => ActorRole::Gov,
            "INT" => ActorRole::Int,
            "CVL" => ActorRole::Cvl,
            "STATE" => ActorRole::State,
            _ => return None,
        })
    }

    fn code(self, state_role: ActorRole) -> &'static str {
        match self {
            ActorRole::Mil => "MIL",
            ActorRole::Gov => "GOV",
            ActorRole::Int => "INT",
            ActorRole::Cvl => "CVL",
            ActorRole::State => state_role.code(ActorRole::Mil),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anaphor {
    /// "they": the latest actor.
    Group,
    /// "it": only an actor earlier in the same sentence.
    SameSentence,
    /// "its forces", "these units": the latest actor's country, as MIL.
    Military,
    /// "he", "she": the latest office holder.
    Person,
    /// "its", "their" before a trigger.
    Possessive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A country, its capital or its people, used bare: "Russia", "Kyiv".
    Name,
    /// "Russian", only before a noun trigger.
    Demonym,
    Person,
    Group(ActorRole),
    /// Civilians without a demonym: their country comes from the sentence's places.
    Civilian,
    Anaphor(Anaphor),
    /// An outlet's name and such: no actor, but its words are no place either.
    NotActor,
}

/// What a matched phrase is on its own, or how it joins the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Atom {
    Alone(Kind),
    /// "forces", "authorities": an actor after a country's name or demonym; alone, only
    /// civilian words are one.
    Noun { role: ActorRole, civilian: bool },
    /// "its", "these": with a MIL noun a military pronoun; alone, a possessive one if so.
    Determiner { possessive: bool },
}

struct Entry {
    atom: Atom,
    country: Option<usize>,
}

struct Country {
    code: String,
    alpha2: String,
}

pub(crate) struct Actors {
    matcher: PhraseMatcher,
    phrases: Vec<String>,
    entries: Vec<Entry>,
    countries: Vec<Country>,
    next_words: WordSet,
    attributive: WordSet,
}

#[derive(Deserialize)]
struct ActorsFile {
    nouns: BTreeMap<String, Vec<String>>,
    civilians: CiviliansFile,
    anaphors: AnaphorsFile,
    attributive: AttributiveFile,
    not_actors: NotActorsFile,
    country: Vec<CountryFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AttributiveFile {
    next_words: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CiviliansFile {
    words: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnaphorsFile {
    group: Vec<String>,
    same_sentence: Vec<String>,
    military_determiners: Vec<String>,
    person: Vec<String>,
    possessive: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NotActorsFile {
    phrases: Vec<String>,
    next_words: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountryFile {
    code: String,
    alpha2: String,
    names: Vec<String>,
    #[serde(default)]
    demonyms: Vec<String>,
    #[serde(default)]
    people: Vec<String>,
    #[serde(default)]
    phrases: BTreeMap<String, Vec<String>>,
}

impl Actors {
    pub fn load(lex: &sitrep_lexicon::Lexicons) -> Result<Actors> {
        let file: ActorsFile = lex.parse(ACTORS)?;
        let mut table = PhraseTable::default();
        // The first entry of a phrase wins, so the most specific kinds go first.
        for p in &file.not_actors.phrases {
            table.add(p, Atom::Alone(Kind::NotActor), None);
        }
        let mut countries = Vec::new();
        for (ci, c) in file.country.iter().enumerate() {
            if c.code.len() != 3 || c.alpha2.len() != 2 {
                bail!("{ACTORS}: country {:?}: code must be ISO alpha-3 and alpha2 ISO alpha-2", c.code);
            }
            countries.push(Country { code: c.code.clone(), alpha2: c.alpha2.clone() });
            let country = Some(ci);
            for (role, phrases) in &c.phrases {
                let r = ActorRole::parse(role).with_context(|| format!("{ACTORS}: country {}: role {role}", c.code))?;
                for p in phrases {
                    table.add(p, Atom::Alone(Kind::Group(r)), country);
                }
            }
            for p in &c.people {
                table.add(p, Atom::Alone(Kind::Person), country);
            }
            for n in &c.names {
                table.add(n, Atom::Alone(Kind::Name), country);
            }
            for d in &c.demonyms {
                table.add(d, Atom::Alone(Kind::Demonym), country);
            }
        }
        for (words, a) in [(&file.anaphors.group, Anaphor::Group), (&file.anaphors.same_sentence, Anaphor::SameSentence), (&file.anaphors.person, Anaphor::Person)] {
            for w in words {
                table.add(w, Atom::Alone(Kind::Anaphor(a)), None);
            }
        }
        let possessive = WordSet::new(&file.anaphors.possessive);
        let mut buf = String::new();
        for d in file.anaphors.military_determiners.iter().chain(&file.anaphors.possessive) {
            table.add(d, Atom::Determiner { possessive: possessive.has(d, &mut buf) }, None);
        }
        let civilians = WordSet::new(&file.civilians.words);
        for (role, words) in &file.nouns {
            let r = ActorRole::parse(role).with_context(|| format!("{ACTORS}: [nouns] {role} is not MIL, GOV, INT, CVL or STATE"))?;
            for w in words {
                table.add(w, Atom::Noun { role: r, civilian: civilians.has(w, &mut buf) }, None);
            }
        }
        for w in &file.civilians.words {
            table.add(w, Atom::Noun { role: ActorRole::Cvl, civilian: true }, None);
        }
        let matcher = PhraseMatcher::new(&table.phrases).with_context(|| format!("{ACTORS}: phrases"))?;
        Ok(Actors {
            matcher,
            phrases: table.phrases,
            entries: table.entries,
            countries,
            next_words: WordSet::new(&file.not_actors.next_words),
            attributive: WordSet::new(&file.attributive.next_words),
        })
    }

    /// The actor phrases of a sentence: matched words, with "NAME's NOUN", "NAME NOUN",
    /// "DEMONYM NOUN", "PERSON's NOUN" and "DETERMINER MIL-NOUN" joined into one phrase.
    fn phrases_in(&self, s: &SentenceView) -> Vec<(Kind, Option<usize>, Span)> {
        let text = s.text;
        let found = self.matcher.find(text, s.span, &self.phrases);
        let mut out = Vec::with_capacity(found.len());
        let mut i = 0;
        while i < found.len() {
            let (id, sp) = found[i];
            let e = &self.entries[id];
            if let Some(&(nid, nsp)) = found.get(i + 1) {
                if let Atom::Noun { role, .. } = self.entries[nid].atom {
                    let gap = &text[sp.end..nsp.start];
                    let plain = !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\u{a0}');
                    let poss = ["'s ", "’s "].contains(&gap);
                    let plural = text[sp.start..sp.end].ends_with('s');
                    let joined = match e.atom {
                        Atom::Alone(Kind::Name) if !plural && (plain || poss) => Some(Kind::Group(role)),
                        Atom::Alone(Kind::Person) if poss => Some(Kind::Group(role)),
                        Atom::Alone(Kind::Demonym) if plain => Some(Kind::Group(role)),
                        Atom::Determiner { .. } if plain && role == ActorRole::Mil => Some(Kind::Anaphor(Anaphor::Military)),
                        _ => None,
                    };
                    if let Some(kind) = joined {
                        out.push((kind, e.country, Span::new(sp.start, nsp.end)));
                        i += 2;
                        continue;
                    }
                }
            }
            let alone = match e.atom {
                Atom::Alone(k) => Some(k),
                Atom::Noun { civilian: true, .. } => Some(Kind::Civilian),
                Atom::Determiner { possessive: true } => Some(Kind::Anaphor(Anaphor::Possessive)),
                Atom::Noun { .. } | Atom::Determiner { .. } => None,
            };
            if let Some(k) = alone {
                out.push((k, e.country, sp));
            }
            i += 1;
        }
        out
    }

    fn country_of_alpha2(&self, alpha2: &str) -> Option<usize> {
        self.countries.iter().position(|c| c.alpha2.eq_ignore_ascii_case(alpha2))
    }

    /// The actor mentions of one sentence, anaphors resolved against the sentence and
    /// `memory` (the article so far).
    pub fn mentions(&self, s: &SentenceView, grammar: &Grammar, memory: &Memory) -> Vec<Mention> {
        let text = s.text;
        let mut buf = String::new();
        let mut out: Vec<Mention> = Vec::new();
        let mut recent_group: Option<Referent> = None;
        let mut recent_person: Option<Referent> = None;
        for (kind, country, span) in self.phrases_in(s) {
            let after_tok = token_at_or_after(s.tokens, span.end);
            let before_tok = tokens_before(s.tokens, span.start);
            let rest = &text[span.end..s.span.end];
            let possessive = possessive_ending(rest).is_some() || (text[span.start..span.end].ends_with('s') && rest.starts_with(is_apostrophe));
            let next_word = (after_tok < s.tokens.len() && only_space(&text[span.end..s.tokens[after_tok].start])).then(|| s.word(after_tok));
            // "Russian military analyst", "Ukrainian military Telegram channels".
            if kind != Kind::NotActor && next_word.is_some_and(|w| self.next_words.has(w, &mut buf)) {
                continue;
            }
            let attributive = next_word.is_some_and(|w| self.attributive.has(w, &mut buf));
            let prev_word = before_tok.checked_sub(1).map(|i| s.word(i));
            let after_prep = prev_word.is_some_and(|w| grammar.prepositions.has(w, &mut buf));
            // "thousands of Ukrainian troops" is a subject; "the withdrawal of Ukrainian troops" is not.
            let quantified = prev_word.is_some_and(|w| w.eq_ignore_ascii_case("of"))
                && before_tok >= 2
                && (grammar.quantifiers.has(s.word(before_tok - 2), &mut buf) || s.word(before_tok - 2).starts_with(|c: char| c.is_ascii_digit()));
            let subject_blocked = after_prep && !quantified && !prev_word.is_some_and(|w| grammar.subject_prepositions.has(w, &mut buf));
            let political_prep = prev_word.is_some_and(|w| grammar.political_prepositions.has(w, &mut buf));
            let party_prep = prev_word.is_some_and(|w| grammar.party_prepositions.has(w, &mut buf));
            // "Russia's Kursk region": the country qualifies a place; it is no actor.
            if kind == Kind::Name && possessive && after_tok < s.tokens.len() && s.places.iter().any(|p| p.span.start == s.tokens[after_tok].start) {
                continue;
            }
            let speaker = kind != Kind::NotActor && self.is_speaker(s, grammar, span, before_tok, after_tok, &mut buf);
            let mut m = Mention { span, kind, country, role: ActorRole::State, possessive, attributive, after_prep, subject_blocked, political_prep, party_prep, speaker, antecedent: None };
            match kind {
                Kind::Group(r) => m.role = r,
                Kind::Civilian => {
                    m.role = ActorRole::Cvl;
                    m.country = s.places.iter().find_map(|p| p.country.as_deref().and_then(|a| self.country_of_alpha2(a)));
                    if m.country.is_none() {
                        continue;
                    }
                }
                Kind::Anaphor(a) => {
                    let referent = match a {
                        Anaphor::Group | Anaphor::Possessive | Anaphor::Military => recent_group.clone().or_else(|| memory.group.clone()),
                        Anaphor::SameSentence => recent_group.clone(),
                        Anaphor::Person => recent_person.clone().or_else(|| memory.person.clone()),
                    };
                    let Some(r) = referent else { continue };
                    m.country = Some(r.country);
                    m.role = if a == Anaphor::Military { ActorRole::Mil } else { r.role };
                    m.antecedent = Some(r.span);
                }
                Kind::Name | Kind::Demonym | Kind::Person | Kind::NotActor => {}
            }
            if let Some(country) = m.country {
                let referent = Referent { country, role: m.role, span: m.antecedent.unwrap_or(m.span) };
                match m.kind {
                    Kind::Person | Kind::Anaphor(Anaphor::Person) => recent_person = Some(referent),
                    Kind::Name | Kind::Group(_) | Kind::Anaphor(Anaphor::Group | Anaphor::SameSentence | Anaphor::Military) => recent_group = Some(referent),
                    _ => {}
                }
            }
            out.push(m);
        }
        out
    }

    /// An actor followed by a verb of saying ("Russian officials said") or after "according
    /// to" is the one who says so, not a party to the event.
    fn is_speaker(&self, s: &SentenceView, g: &Grammar, span: Span, before_tok: usize, after_tok: usize, buf: &mut String) -> bool {
        if g.speaker_markers.ends_at(s.text, s.tokens, before_tok, buf).is_some() {
            return true;
        }
        let mut prev_end = span.end;
        for k in after_tok..(after_tok + g.speech_window).min(s.tokens.len()) {
            let t = s.tokens[k];
            if !only_space(&s.text[prev_end..t.start]) {
                return false;
            }
            if g.speech_verbs.has(s.word(k), buf) {
                return true;
            }
            prev_end = t.end;
        }
        false
    }

    /// The actor code of a mention for an event whose country role is `state_role`.
    pub fn code(&self, m: &Mention, state_role: ActorRole) -> Option<String> {
        let c = m.country?;
        Some(format!("{}{}", self.countries[c].code, m.role.code(state_role)))
    }

    /// Agent and target of a trigger (see `Roles`).
    pub fn link(&self, s: &SentenceView, g: &Grammar, ms: &[Mention], q: &LinkQuery) -> Parties {
        let mut buf = String::new();
        let trig = q.trigger;
        let usable = |m: &Mention| !m.speaker && m.kind != Kind::NotActor && m.country.is_some();

        // Possessor: "Russia's offensive", "Russian shelling", "their retreat".
        let possessor = ms.iter().position(|m| {
            usable(m)
                && !m.attributive
                && m.span.start >= q.previous_trigger_end
                && m.span.end <= trig.start
                && ((m.possessive || matches!(m.kind, Kind::Demonym | Kind::Anaphor(Anaphor::Possessive))) && premodifier_gap_ok(s, g, m.span.end, trig.start, &mut buf)
                    // "The U.S. assistance": a name right before a noun trigger.
                    || (m.kind == Kind::Name && only_space(&s.text[m.span.end..trig.start])))
        });

        // "by Russian forces" right after the trigger.
        let after = token_at_or_after(s.tokens, trig.end);
        let by = (after < s.tokens.len() && g.by.has(s.word(after), &mut buf))
            .then(|| {
                let from = s.tokens[after].end;
                let until = s.tokens.get(after + 3).map_or(s.span.end, |t| t.end);
                ms.iter().position(|m| usable(m) && m.span.start >= from && m.span.start < until && !matches!(m.kind, Kind::Anaphor(Anaphor::Possessive | Anaphor::SameSentence)))
            })
            .flatten();

        let subject_ok = |i: usize, m: &Mention| {
            Some(i) != possessor
                && usable(m)
                && !m.attributive
                && !m.subject_blocked
                && m.span.end <= trig.start
                && !matches!(m.kind, Kind::Demonym | Kind::Anaphor(Anaphor::Possessive))
                && !(m.kind == Kind::Name && m.after_prep)
                // "claimed it had been repelled": "it" is the attack, not a side.
                && !(q.passive && m.kind == Kind::Anaphor(Anaphor::SameSentence))
        };
        let in_clause = |m: &Mention| q.clause.contains(&m.span);
        let mut subject = ms.iter().enumerate().rev().find(|&(i, m)| subject_ok(i, m) && in_clause(m)).map(|(i, _)| i);
        let mut subject_how = "subject";
        if subject.is_none() {
            subject = ms.iter().enumerate().rev().find(|&(i, m)| subject_ok(i, m)).map(|(i, _)| i);
            subject_how = "subject of the sentence";
        }
        // "Russian forces surrounded Ukrainian troops and shelled Sumy": the object of an
        // earlier verb of the clause is not the subject of the next; they share a subject.
        if let Some(si) = subject {
            if let Some(&(_, Some(shared))) = q.earlier.iter().find(|&&(obj, _)| obj == si) {
                let (from, to) = (token_at_or_after(s.tokens, ms[si].span.end), tokens_before(s.tokens, trig.start));
                if !(from..to.max(from)).any(|k| g.subordinators.has(s.word(k), &mut buf)) {
                    subject = Some(shared);
                    subject_how = "shared subject";
                }
            }
        }

        let object = if q.passive {
            None
        } else {
            ms.iter().enumerate().position(|(i, m)| {
                usable(m)
                    && m.span.start >= trig.end
                    && m.span.end <= q.object_limit
                    && Some(i) != by
                    && tokens_before(s.tokens, m.span.start).saturating_sub(after) <= g.object_gap
                    // "the offensive was launched after the Trump administration suspended
                    // aid": past a subordinator begins another clause, with its own subject.
                    && !(after..tokens_before(s.tokens, m.span.start)).any(|k| g.subordinators.has(s.word(k), &mut buf))
                    // "shelling in the region, Ukrainian authorities ...": no object across punctuation.
                    && s.text[trig.end..m.span.start].chars().all(|c| c.is_alphanumeric() || c.is_whitespace() || matches!(c, '-' | '\'' | '’'))
                    && match m.kind {
                        Kind::Demonym | Kind::Anaphor(Anaphor::Possessive | Anaphor::SameSentence) => false,
                        Kind::Name => q.political && !m.possessive && (!m.after_prep || m.political_prep),
                        _ => true,
                    }
            })
        };

        let roles = q.roles;
        let subject_role = if q.passive {
            roles.passive_subject
        } else if object.is_some() {
            roles.subject
        } else {
            roles.subject_alone
        };
        let subject_how = if q.passive { "passive subject" } else { subject_how };
        // "the withdrawal of Ukrainian troops": the "of" phrase of a noun trigger comes first.
        let of_object = object.filter(|_| after < s.tokens.len() && g.of_words.has(s.word(after), &mut buf));
        let object = object.filter(|_| of_object.is_none());
        let positions = [
            (possessor, roles.possessor, "possessor"),
            (by, roles.by, "by"),
            (of_object, roles.object, "of phrase"),
            (subject, subject_role, subject_how),
            (object, roles.object, "object"),
        ];
        let pick = |want: Role| positions.iter().find_map(|&(i, r, how)| i.filter(|_| r == want).map(|i| (i, how)));
        let mut agent = pick(Role::Agent);
        let mut target = pick(Role::Target).filter(|&(t, _)| Some(t) != agent.map(|(a, _)| a));
        // Civilians are never the agent; where the type says so they are the target.
        if let Some((a, how)) = agent {
            if ms[a].role == ActorRole::Cvl {
                agent = None;
                if target.is_none() && q.civilians_as_target {
                    target = Some((a, how));
                }
            }
        }
        let party = |(i, how): (usize, &str)| {
            let m = &ms[i];
            let code = self.code(m, q.state_role)?;
            let via = m.antecedent.map(|a| format!(" → {}", &s.text[a.start..a.end])).unwrap_or_default();
            Some(Party { code: code.clone(), mention: i, rule: format!("{ACTORS}: {code} ← {}{via} ({how})", &s.text[m.span.start..m.span.end]) })
        };
        let agent = agent.and_then(party);
        let target = target.and_then(party).filter(|t| agent.as_ref().is_none_or(|a| a.code != t.code));
        Parties { agent, target, subject, object: object.or(of_object) }
    }
}

/// Between a possessor or demonym and its trigger: at most `premodifier_gap` plain words.
fn premodifier_gap_ok(s: &SentenceView, g: &Grammar, from: usize, to: usize, buf: &mut String) -> bool {
    let first = token_at_or_after(s.tokens, from);
    let last = tokens_before(s.tokens, to);
    if last < first || last - first > g.premodifier_gap {
        return false;
    }
    let gap_text = &s.text[from..to];
    if gap_text.chars().any(|c| !(c.is_alphanumeric() || c.is_whitespace() || c == '-' || c == '\'' || c == '’')) {
        return false;
    }
    (first..last).all(|k| !g.premodifier_stops.has(s.word(k), buf))
}

fn only_space(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// What the finder knows about one sentence while it works on it.
pub(crate) struct SentenceView<'a> {
    pub text: &'a str,
    pub span: Span,
    pub tokens: &'a [Token],
    /// The document's place mentions that lie in this sentence, in text order.
    pub places: Vec<&'a PlaceMention>,
}

impl SentenceView<'_> {
    pub fn word(&self, k: usize) -> &str {
        let t = self.tokens[k];
        &self.text[t.start..t.end]
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Mention {
    pub span: Span,
    pub kind: Kind,
    /// After resolution: the country (of the antecedent, for a pronoun).
    pub country: Option<usize>,
    pub role: ActorRole,
    pub possessive: bool,
    /// Used as an adjective: "Russian military supply lines".
    pub attributive: bool,
    pub after_prep: bool,
    /// After a preposition that keeps it from being a subject.
    pub subject_blocked: bool,
    pub political_prep: bool,
    /// After "by", "for", "with", ...: a bare name there is a party, not a place.
    pub party_prep: bool,
    pub speaker: bool,
    /// For a pronoun: the mention it stands for.
    pub antecedent: Option<Span>,
}

#[derive(Debug, Clone)]
pub(crate) struct Referent {
    country: usize,
    role: ActorRole,
    span: Span,
}

/// What pronouns of later sentences may stand for: the subject of the latest sentence that
/// named a group actor, and the latest office holder named.
#[derive(Debug, Default)]
pub(crate) struct Memory {
    group: Option<Referent>,
    person: Option<Referent>,
}

impl Memory {
    /// Remember a sentence's subject: its first actor that is not after a preposition.
    pub fn update(&mut self, ms: &[Mention]) {
        if let Some(m) = ms.iter().find(|m| {
            !m.after_prep
                && m.role != ActorRole::Cvl
                && matches!(m.kind, Kind::Name | Kind::Group(_) | Kind::Anaphor(Anaphor::Group | Anaphor::SameSentence | Anaphor::Military))
        }) {
            if let Some(country) = m.country {
                self.group = Some(Referent { country, role: m.role, span: m.antecedent.unwrap_or(m.span) });
            }
        }
        if let Some(m) = ms.iter().rev().find(|m| matches!(m.kind, Kind::Person | Kind::Anaphor(Anaphor::Person))) {
            if let Some(country) = m.country {
                self.person = Some(Referent { country, role: m.role, span: m.antecedent.unwrap_or(m.span) });
            }
        }
    }
}

pub(crate) struct LinkQuery<'c> {
    pub trigger: Span,
    pub clause: &'c Clause,
    /// Where the sentence's previous trigger ends: a possessor stands after it.
    pub previous_trigger_end: usize,
    /// An object must end before this (the next trigger of the clause, or its end).
    pub object_limit: usize,
    pub passive: bool,
    pub roles: Roles,
    pub state_role: ActorRole,
    /// The event's country role is GOV: a bare country name may be its object.
    pub political: bool,
    pub civilians_as_target: bool,
    /// Earlier triggers of the same clause: (object mention, subject mention).
    pub earlier: Vec<(usize, Option<usize>)>,
}

pub(crate) struct Party {
    pub code: String,
    /// Index into the sentence's mentions.
    pub mention: usize,
    pub rule: String,
}

pub(crate) struct Parties {
    pub agent: Option<Party>,
    pub target: Option<Party>,
    pub subject: Option<usize>,
    pub object: Option<usize>,
}

#[derive(Default)]
struct PhraseTable {
    phrases: Vec<String>,
    entries: Vec<Entry>,
    seen: std::collections::HashSet<String>,
}

impl PhraseTable {
    /// The first entry of a phrase wins.
    fn add(&mut self, phrase: &str, atom: Atom, country: Option<usize>) {
        let phrase = phrase.trim();
        if phrase.is_empty() || !self.seen.insert(phrase.to_lowercase()) {
            return;
        }
        self.phrases.push(phrase.to_string());
        self.entries.push(Entry { atom, country });
    }
}
