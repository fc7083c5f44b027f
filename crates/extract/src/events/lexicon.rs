//! The trigger and grammar lexicons (extract/triggers.toml, extract/grammar.toml), read
//! into the tables the finder runs on. The file formats are described in the files'
//! `[about]` notes.

use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use anyhow::{bail, Context, Result};
use regex::Regex;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::de::IntoDeserializer;
use serde::Deserialize;

use super::actors::ActorRole;
use super::text::{PhraseMatcher, WordSet};
use crate::EventType;

pub(crate) const TRIGGERS: &str = "extract/triggers.toml";
pub(crate) const GRAMMAR: &str = "extract/grammar.toml";

/// The side an actor position stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Agent,
    Target,
    Neither,
}

/// Which side each actor position stands for (see triggers.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Roles {
    pub subject: Role,
    pub object: Role,
    pub passive_subject: Role,
    pub by: Role,
    pub possessor: Role,
    pub subject_alone: Role,
}

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RoleOverrides {
    subject: Option<Role>,
    object: Option<Role>,
    passive_subject: Option<Role>,
    by: Option<Role>,
    possessor: Option<Role>,
    subject_alone: Option<Role>,
}

impl Roles {
    /// The house defaults: the subject acts, the object undergoes; in the passive the
    /// subject undergoes and the "by" phrase acts.
    fn defaults() -> Roles {
        Roles { subject: Role::Agent, object: Role::Target, passive_subject: Role::Target, by: Role::Agent, possessor: Role::Agent, subject_alone: Role::Agent }
    }

    pub fn with(self, o: &RoleOverrides) -> Roles {
        let subject = o.subject.unwrap_or(self.subject);
        Roles {
            subject,
            object: o.object.unwrap_or(self.object),
            passive_subject: o.passive_subject.unwrap_or(self.passive_subject),
            by: o.by.unwrap_or(self.by),
            possessor: o.possessor.unwrap_or(self.possessor),
            // Unless said otherwise, a subject alone stands for what a subject stands for.
            subject_alone: o.subject_alone.or(o.subject).unwrap_or(self.subject_alone),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PlacePref {
    /// Movement "from X into Y": Y.
    Destination,
    /// "withdrew from X": X.
    Origin,
    Nearest,
}

#[derive(Debug)]
pub(crate) struct TypeConfig {
    pub place: PlacePref,
    pub state_role: ActorRole,
    /// Lowercase units or counted nouns a quantity must have.
    pub quantity_units: HashSet<String>,
    pub roles: Roles,
    /// Civilians in the agent's position become the target (else they are dropped).
    pub civilians_as_target: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Before,
    After,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cond {
    Class(usize),
    Place,
    Quantity,
}

#[derive(Debug)]
pub(crate) struct Rule {
    pub side: Side,
    pub cond: Cond,
    pub window: usize,
    pub outcome: Option<EventType>,
    /// "personnel after", for evidence.
    pub describe: String,
}

#[derive(Debug)]
pub(crate) struct Family {
    pub default: Option<EventType>,
    pub rules: Vec<Rule>,
    pub roles: RoleOverrides,
}

pub(crate) struct Triggers {
    pub matcher: PhraseMatcher,
    pub phrases: Vec<String>,
    /// Family of each phrase.
    pub family_of: Vec<usize>,
    pub families: Vec<Family>,
    pub classes: Vec<WordSet>,
    types: HashMap<EventType, TypeConfig>,
    default_type: TypeConfig,
}

impl Triggers {
    pub fn type_config(&self, t: EventType) -> &TypeConfig {
        self.types.get(&t).unwrap_or(&self.default_type)
    }
}

#[derive(Deserialize)]
struct TriggersFile {
    classes: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    types: BTreeMap<String, TypeFile>,
    trigger: Vec<FamilyFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TypeFile {
    place: Option<String>,
    state_role: Option<String>,
    #[serde(default)]
    quantity_units: Vec<String>,
    #[serde(default)]
    roles: RolesFile,
    civilian_agent: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RolesFile {
    subject: Option<String>,
    object: Option<String>,
    passive_subject: Option<String>,
    by: Option<String>,
    possessor: Option<String>,
    subject_alone: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FamilyFile {
    #[serde(rename = "type")]
    ty: Option<String>,
    phrases: Vec<String>,
    #[serde(default)]
    rules: Vec<RuleFile>,
    #[serde(default)]
    roles: RolesFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    after: Option<String>,
    before: Option<String>,
    window: Option<usize>,
    #[serde(rename = "type")]
    ty: String,
}

/// An event type from its snake_case name, or None for "none".
fn parse_type(name: &str) -> Result<Option<EventType>> {
    if name == "none" {
        return Ok(None);
    }
    let de: serde::de::value::StrDeserializer<serde::de::value::Error> = name.into_deserializer();
    EventType::deserialize(de).map(Some).map_err(|_| anyhow::anyhow!("unknown event type {name:?}"))
}

/// The snake_case name of an event type, as in the export (a test checks it against serde).
pub(crate) fn type_name(t: EventType) -> &'static str {
    match t {
        EventType::GroundAttack => "ground_attack",
        EventType::Advance => "advance",
        EventType::Capture => "capture",
        EventType::Withdrawal => "withdrawal",
        EventType::Encirclement => "encirclement",
        EventType::Strike => "strike",
        EventType::Repelled => "repelled",
        EventType::Deployment => "deployment",
        EventType::Casualties => "casualties",
        EventType::Prisoners => "prisoners",
        EventType::Evacuation => "evacuation",
        EventType::Fortification => "fortification",
        EventType::Aid => "aid",
        EventType::Diplomacy => "diplomacy",
        EventType::Threat => "threat",
        EventType::Weapons => "weapons",
    }
}

fn parse_role(name: &Option<String>, what: &str) -> Result<Option<Role>> {
    Ok(match name.as_deref() {
        None => None,
        Some("agent") => Some(Role::Agent),
        Some("target") => Some(Role::Target),
        Some("none") => Some(Role::Neither),
        Some(other) => bail!("{what}: role {other:?} is not agent, target or none"),
    })
}

fn parse_roles(r: &RolesFile, what: &str) -> Result<RoleOverrides> {
    Ok(RoleOverrides {
        subject: parse_role(&r.subject, what)?,
        object: parse_role(&r.object, what)?,
        passive_subject: parse_role(&r.passive_subject, what)?,
        by: parse_role(&r.by, what)?,
        possessor: parse_role(&r.possessor, what)?,
        subject_alone: parse_role(&r.subject_alone, what)?,
    })
}

pub(crate) fn load_triggers(lex: &sitrep_lexicon::Lexicons) -> Result<Triggers> {
    let file: TriggersFile = lex.parse(TRIGGERS)?;
    let ctx = |m: String| format!("{TRIGGERS}: {m}");

    let mut class_index = HashMap::default();
    let mut classes = Vec::new();
    for (name, words) in &file.classes {
        if let Some(w) = words.iter().find(|w| w.split_whitespace().count() != 1 || w.to_lowercase() != **w) {
            bail!(ctx(format!("class {name}: {w:?} is not one lowercase word")));
        }
        class_index.insert(name.clone(), classes.len());
        classes.push(WordSet::new(words));
    }

    let default_type = TypeConfig { place: PlacePref::Nearest, state_role: ActorRole::Mil, quantity_units: HashSet::default(), roles: Roles::defaults(), civilians_as_target: false };
    let mut types = HashMap::default();
    for (name, t) in &file.types {
        let ty = parse_type(name).with_context(|| ctx(format!("[types.{name}]")))?.with_context(|| ctx("[types.none]".into()))?;
        let place = match t.place.as_deref() {
            None | Some("nearest") => PlacePref::Nearest,
            Some("destination") => PlacePref::Destination,
            Some("origin") => PlacePref::Origin,
            Some(o) => bail!(ctx(format!("[types.{name}] place {o:?} is not destination, origin or nearest"))),
        };
        let state_role = match t.state_role.as_deref() {
            None | Some("MIL") => ActorRole::Mil,
            Some("GOV") => ActorRole::Gov,
            Some(o) => bail!(ctx(format!("[types.{name}] state_role {o:?} is not MIL or GOV"))),
        };
        let roles = Roles::defaults().with(&parse_roles(&t.roles, &ctx(format!("[types.{name}]")))?);
        let quantity_units = t.quantity_units.iter().map(|u| u.to_lowercase()).collect();
        let civilians_as_target = match t.civilian_agent.as_deref() {
            None | Some("none") => false,
            Some("target") => true,
            Some(o) => bail!(ctx(format!("[types.{name}] civilian_agent {o:?} is not target or none"))),
        };
        types.insert(ty, TypeConfig { place, state_role, quantity_units, roles, civilians_as_target });
    }

    let mut phrases: Vec<String> = Vec::new();
    let mut family_of = Vec::new();
    let mut families = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::default();
    for (fi, f) in file.trigger.iter().enumerate() {
        let what = ctx(format!("trigger #{} ({})", fi + 1, f.phrases.first().map(String::as_str).unwrap_or("")));
        let default = match &f.ty {
            Some(t) => parse_type(t).with_context(|| what.clone())?,
            None => None,
        };
        let mut rules = Vec::new();
        for r in &f.rules {
            let (side, cond_name) = match (&r.after, &r.before) {
                (Some(a), None) => (Side::After, a),
                (None, Some(b)) => (Side::Before, b),
                _ => bail!("{what}: a rule needs exactly one of `after` and `before`"),
            };
            let cond = match cond_name.as_str() {
                "@place" => Cond::Place,
                "@quantity" => Cond::Quantity,
                c => Cond::Class(*class_index.get(c).with_context(|| format!("{what}: unknown class {c:?}"))?),
            };
            let window = r.window.unwrap_or(4);
            if window == 0 {
                bail!("{what}: a rule window must be at least 1");
            }
            let side_word = if side == Side::After { "after" } else { "before" };
            rules.push(Rule { side, cond, window, outcome: parse_type(&r.ty).with_context(|| what.clone())?, describe: format!("{cond_name} {side_word}") });
        }
        if default.is_none() && rules.iter().all(|r| r.outcome.is_none()) {
            bail!("{what}: a family without a type needs a rule that gives one");
        }
        let roles = parse_roles(&f.roles, &what)?;
        for p in &f.phrases {
            let key = p.trim().to_lowercase();
            if key.is_empty() {
                bail!("{what}: empty phrase");
            }
            if let Some(&other) = seen.get(&key) {
                if other != fi {
                    bail!("{what}: phrase {p:?} is also in trigger #{}", other + 1);
                }
                continue;
            }
            seen.insert(key, fi);
            phrases.push(p.trim().to_string());
            family_of.push(fi);
        }
        families.push(Family { default, rules, roles });
    }
    let matcher = PhraseMatcher::new(&phrases).with_context(|| ctx("phrases".into()))?;
    Ok(Triggers { matcher, phrases, family_of, families, classes, types, default_type })
}

pub(crate) struct Grammar {
    /// Clause breaks, then relative-clause openers, matched as written (case-insensitive).
    pub breaks: AhoCorasick,
    /// Patterns of `breaks` from this index on open a relative clause.
    pub relative_from: usize,
    pub auxiliaries: WordSet,
    pub adverbs: WordSet,
    pub adverb_suffixes: Vec<String>,
    pub progressive_suffixes: Vec<String>,
    pub by: WordSet,
    pub prepositions: WordSet,
    pub subject_prepositions: WordSet,
    pub quantifiers: WordSet,
    pub subordinators: WordSet,
    pub political_prepositions: WordSet,
    pub premodifier_gap: usize,
    pub premodifier_stops: WordSet,
    pub object_gap: usize,
    pub of_words: WordSet,
    pub speech_verbs: WordSet,
    pub speech_window: usize,
    pub speaker_markers: WordSet,
    pub origin: WordSet,
    pub destination: WordSet,
    /// Coordinators between places, as trimmed lowercase strings (",", "and", ", and").
    pub coordinators: HashSet<String>,
    pub titles: WordSet,
    /// "which borders Kursk": a place after one of these is a neighbour of what the
    /// sentence talks about, not where anything happened.
    pub neighbours: WordSet,
    pub affiliation_suffixes: Vec<String>,
    pub affiliation_next_words: WordSet,
    pub party_prepositions: WordSet,
    pub max_gap: usize,
    pub determiners: WordSet,
    pub place_anaphors: WordSet,
    pub anaphor_window: usize,
    pub report_gap: WordSet,
    /// What stands before and after a dateline's date in its sentence.
    pub dateline_before: Regex,
    pub dateline_after: Regex,
}

#[derive(Deserialize)]
struct GrammarFile {
    clauses: ClausesFile,
    passive: PassiveFile,
    actors: ActorsGrammarFile,
    speakers: SpeakersFile,
    places: PlacesFile,
    times: TimesFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClausesFile {
    breaks: Vec<String>,
    relative: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PassiveFile {
    auxiliaries: Vec<String>,
    adverbs: Vec<String>,
    adverb_suffixes: Vec<String>,
    progressive_suffixes: Vec<String>,
    by: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActorsGrammarFile {
    prepositions: Vec<String>,
    subject_prepositions: Vec<String>,
    quantifiers: Vec<String>,
    subordinators: Vec<String>,
    political_object_prepositions: Vec<String>,
    premodifier_gap: usize,
    premodifier_stops: Vec<String>,
    object_gap: usize,
    of_words: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpeakersFile {
    verbs: Vec<String>,
    speech_window: usize,
    markers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlacesFile {
    origin: Vec<String>,
    destination: Vec<String>,
    coordinators: Vec<String>,
    titles: Vec<String>,
    neighbours: Vec<String>,
    affiliation_suffixes: Vec<String>,
    affiliation_next_words: Vec<String>,
    party_prepositions: Vec<String>,
    max_gap: usize,
    determiners: Vec<String>,
    anaphors: Vec<String>,
    anaphor_window: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TimesFile {
    report_gap: Vec<String>,
    dateline_before: String,
    dateline_after: String,
}

pub(crate) fn load_grammar(lex: &sitrep_lexicon::Lexicons) -> Result<Grammar> {
    let g: GrammarFile = lex.parse(GRAMMAR)?;
    let patterns: Vec<&String> = g.clauses.breaks.iter().chain(&g.clauses.relative).collect();
    if patterns.iter().any(|b| b.is_empty()) {
        bail!("{GRAMMAR}: empty clause break");
    }
    let breaks = AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .build(&patterns)
        .with_context(|| format!("{GRAMMAR}: clause breaks"))?;
    let lower = |v: &[String]| v.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>();
    Ok(Grammar {
        breaks,
        relative_from: g.clauses.breaks.len(),
        auxiliaries: WordSet::new(&g.passive.auxiliaries),
        adverbs: WordSet::new(&g.passive.adverbs),
        adverb_suffixes: lower(&g.passive.adverb_suffixes),
        progressive_suffixes: lower(&g.passive.progressive_suffixes),
        by: WordSet::new(&g.passive.by),
        prepositions: WordSet::new(&g.actors.prepositions),
        subject_prepositions: WordSet::new(&g.actors.subject_prepositions),
        quantifiers: WordSet::new(&g.actors.quantifiers),
        subordinators: WordSet::new(&g.actors.subordinators),
        political_prepositions: WordSet::new(&g.actors.political_object_prepositions),
        premodifier_gap: g.actors.premodifier_gap,
        premodifier_stops: WordSet::new(&g.actors.premodifier_stops),
        object_gap: g.actors.object_gap,
        of_words: WordSet::new(&g.actors.of_words),
        speech_verbs: WordSet::new(&g.speakers.verbs),
        speech_window: g.speakers.speech_window,
        speaker_markers: WordSet::new(&g.speakers.markers),
        origin: WordSet::new(&g.places.origin),
        destination: WordSet::new(&g.places.destination),
        coordinators: g.places.coordinators.iter().map(|c| c.trim().to_lowercase()).collect(),
        titles: WordSet::new(&g.places.titles),
        neighbours: WordSet::new(&g.places.neighbours),
        affiliation_suffixes: g.places.affiliation_suffixes.clone(),
        affiliation_next_words: WordSet::new(&g.places.affiliation_next_words),
        party_prepositions: WordSet::new(&g.places.party_prepositions),
        max_gap: g.places.max_gap,
        determiners: WordSet::new(&g.places.determiners),
        place_anaphors: WordSet::new(&g.places.anaphors),
        anaphor_window: g.places.anaphor_window,
        report_gap: WordSet::new(&g.times.report_gap),
        dateline_before: Regex::new(&g.times.dateline_before).with_context(|| format!("{GRAMMAR}: times.dateline_before"))?,
        dateline_after: Regex::new(&g.times.dateline_after).with_context(|| format!("{GRAMMAR}: times.dateline_after"))?,
    })
}
