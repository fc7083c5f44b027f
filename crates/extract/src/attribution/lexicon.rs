//! The attribution lexicons (reporting.toml, sources.toml, stance.toml) and the automatons
//! compiled from them once, in `Attributor::new`.

use anyhow::{bail, Context, Result};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Deserialize;

use sitrep_language::is_apostrophe;

use crate::word_starts::WordStartPhrases;
use crate::{SourceKind, Stance};

pub(crate) const REPORTING: &str = "extract/reporting.toml";
pub(crate) const SOURCES: &str = "extract/sources.toml";
pub(crate) const STANCE: &str = "extract/stance.toml";

// ---- file formats ----

#[derive(Deserialize)]
struct ReportingFile {
    verb: Vec<VerbGroup>,
    patterns: Patterns,
    pronouns: PronounFile,
    gender: GenderFile,
}

#[derive(Deserialize)]
struct Patterns {
    according_to: Vec<String>,
    auxiliaries: Vec<String>,
    adjunct_starts: Vec<String>,
    complementisers: Vec<String>,
    #[serde(default)]
    passive_agents: Vec<String>,
    #[serde(default)]
    speaker_conjunctions: Vec<String>,
    #[serde(default)]
    relative_openers: Vec<String>,
    region_breaks: Vec<String>,
    not_names: Vec<String>,
    determiners: Vec<String>,
    modifiers: Vec<String>,
    place_nouns: Vec<String>,
    postmodifiers: Vec<String>,
}

#[derive(Deserialize)]
struct VerbGroup {
    forms: Vec<String>,
    #[serde(default)]
    object: bool,
    #[serde(default)]
    noun_too: bool,
}

#[derive(Deserialize)]
struct PronounFile {
    male: Vec<String>,
    female: Vec<String>,
    plural: Vec<String>,
    body: Vec<String>,
}

#[derive(Deserialize)]
struct GenderFile {
    male: Vec<String>,
    female: Vec<String>,
}

#[derive(Deserialize)]
struct SourcesFile {
    spellings: Spellings,
    source: Vec<SourceEntry>,
    title: Vec<TitleGroup>,
    no_side: NoSide,
    nation: Vec<NationEntry>,
    first_names: GenderFile,
}

#[derive(Deserialize)]
struct NoSide {
    words: Vec<String>,
}

#[derive(Deserialize)]
struct Spellings {
    pairs: Vec<[String; 2]>,
}

#[derive(Deserialize, Clone)]
pub(crate) struct SourceEntry {
    pub name: String,
    pub kind: SourceKind,
    #[serde(default)]
    pub side: Option<String>,
    #[serde(default)]
    pub generic: bool,
    #[serde(default)]
    pub gender: Option<Gender>,
    #[serde(default)]
    pub titles: Vec<String>,
    pub aliases: Vec<String>,
}

#[derive(Deserialize)]
struct TitleGroup {
    kind: SourceKind,
    #[serde(default)]
    body: bool,
    #[serde(default)]
    member: bool,
    words: Vec<String>,
}

#[derive(Deserialize)]
struct NationEntry {
    side: String,
    iso2: String,
    adjectives: Vec<String>,
    nouns: Vec<String>,
}

#[derive(Deserialize)]
struct StanceFile {
    scope: Scope,
    cue: Vec<CueGroup>,
}

#[derive(Deserialize)]
struct Scope {
    inserts: Vec<String>,
    clause_breaks: Vec<String>,
    anaphors: Vec<String>,
    #[serde(default)]
    refused: Vec<String>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Governs {
    Following,
    Preceding,
    /// Either side: "would be captured", "capturing Sumy would be a good start".
    Both,
}

impl Governs {
    pub fn following(self) -> bool {
        matches!(self, Governs::Following | Governs::Both)
    }
    pub fn preceding(self) -> bool {
        matches!(self, Governs::Preceding | Governs::Both)
    }
}

#[derive(Deserialize)]
struct CueGroup {
    stance: Stance,
    governs: Governs,
    reach: usize,
    /// For governs = "both": the reach towards a trigger before the cue (else `reach`).
    #[serde(default)]
    reach_back: Option<usize>,
    #[serde(default)]
    dominant: bool,
    #[serde(default)]
    distancing: bool,
    #[serde(default)]
    reservation: bool,
    #[serde(default)]
    crosses: bool,
    /// Whether the scope's insert words may stand between the phrase's words.
    #[serde(default)]
    inserts: bool,
    phrases: Vec<String>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Gender {
    Male,
    Female,
}

// ---- compiled forms ----

#[derive(Debug, Clone, Copy)]
pub(crate) struct TitleInfo {
    pub kind: SourceKind,
    pub body: bool,
    pub member: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct CueInfo {
    pub stance: Stance,
    pub governs: Governs,
    pub reach: usize,
    pub reach_back: usize,
    pub dominant: bool,
    pub distancing: bool,
    pub reservation: bool,
    pub crosses: bool,
    /// The phrase as written in the lexicon, for evidence.
    pub phrase: String,
}

#[derive(Debug, Clone)]
pub(crate) enum VerbInfo {
    Saying { form: String, object: bool, noun_too: bool },
    AccordingTo { phrase: String },
}

#[derive(Debug, Clone)]
pub(crate) struct NationInfo {
    /// ISO alpha-3, None for `no_side` words.
    pub side: Option<String>,
    /// An adjective ("Ukrainian") rather than a country noun ("Ukraine").
    pub adjective: bool,
}

/// How a phrase set treats letter case.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Case {
    /// As written.
    Exact,
    /// Case-insensitive, except that an all-capitals pattern ("ISW", "AP") matches only capitals.
    Insensitive,
    /// Case-insensitive, but a capitalised match in mid-sentence is a name ("May"), not a phrase.
    LowerInSentence,
}

/// A phrase list with its case rule; `payload[pattern]` says which entry each (expanded)
/// pattern stands for. Matching walks an automaton from each word start, keeping at each
/// start the longest phrase that passes the checks (`crate::word_starts`).
pub(crate) struct PhraseSet<T> {
    /// Its own automaton, for a set searched on its own (the anaphors, in short
    /// stretches); the sets searched over a whole text share [`TextScanner`]'s instead.
    standalone: Option<WordStartPhrases>,
    patterns: Vec<String>,
    payload: Vec<T>,
    case: Case,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub id: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-'
}

impl<T> PhraseSet<T> {
    fn build(entries: Vec<(String, T)>, case: Case) -> Result<Self> {
        let (patterns, payload): (Vec<String>, Vec<T>) = entries.into_iter().unzip();
        Ok(PhraseSet { standalone: None, patterns, payload, case })
    }

    fn build_standalone(entries: Vec<(String, T)>, case: Case) -> Result<Self> {
        let mut set = Self::build(entries, case)?;
        set.standalone = Some(WordStartPhrases::new(&set.patterns, case != Case::Exact).context("building a phrase automaton")?);
        Ok(set)
    }

    pub fn payload(&self, id: usize) -> &T {
        &self.payload[id]
    }

    /// All matches in `text` that sit on word boundaries and respect the set's case rule,
    /// leftmost first; at one start the longest phrase that passes both checks.
    pub fn find_all(&self, text: &str) -> Vec<Hit> {
        let Some(phrases) = &self.standalone else {
            unreachable!("a phrase set without its own automaton is searched through TextScanner")
        };
        phrases
            .scan(text, (0, text.len()), is_word_char, |f| self.accepts(text, f.start, f.end, f.pattern))
            .into_iter()
            .map(|f| Hit { start: f.start, end: f.end, id: f.pattern })
            .collect()
    }
}

/// What the shared scanner needs of a phrase set, whatever its payload type.
trait SharedSet {
    fn patterns(&self) -> &[String];
    /// Whether the match of pattern `id` at `text[s..e]` sits on word boundaries and
    /// respects the set's case rule.
    fn accepts(&self, text: &str, s: usize, e: usize, id: usize) -> bool;
}

impl<T> SharedSet for PhraseSet<T> {
    fn patterns(&self) -> &[String] {
        &self.patterns
    }

    fn accepts(&self, text: &str, s: usize, e: usize, id: usize) -> bool {
        let pat = &self.patterns[id];
        let first = pat.chars().next().unwrap_or(' ');
        let last = pat.chars().last().unwrap_or(' ');
        if is_word_char(first) && text[..s].chars().next_back().is_some_and(is_word_char) {
            return false;
        }
        if is_word_char(last) && text[e..].chars().next().is_some_and(is_word_char) {
            return false;
        }
        let found = &text[s..e];
        match self.case {
            // The shared automaton ignores ASCII case; an exact set checks the bytes.
            Case::Exact => found == pat,
            Case::Insensitive => {
                let caps = pat.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase());
                !(caps && pat.chars().any(|c| c.is_alphabetic()) && found != pat)
            }
            Case::LowerInSentence => {
                if !found.chars().next().is_some_and(|c| c.is_uppercase()) {
                    return true;
                }
                let before = text[..s].trim_end();
                before.is_empty()
                    || before.ends_with(['.', '!', '?', '"', '“', '«', '(', '\n', ':', '—'])
                    || text[..s].ends_with('\n')
            }
        }
    }
}

/// The phrase sets that every text is searched for, compiled into one automaton so a
/// text is walked once, not once per set (each walk costs a table lookup per byte,
/// mostly a cache miss in tables of megabytes).
pub(crate) struct TextScanner {
    phrases: WordStartPhrases,
    /// Per phrase of the automaton: its set (the position of its field in [`TextHits`])
    /// and its index in that set.
    owner: Vec<u8>,
    local: Vec<u32>,
}

/// Matches of each shared set in one text, leftmost first.
#[derive(Default)]
pub(crate) struct TextHits {
    pub verbs: Vec<Hit>,
    pub aliases: Vec<Hit>,
    pub nations: Vec<Hit>,
    pub cues: Vec<Hit>,
    pub clause_breaks: Vec<Hit>,
    pub region_breaks: Vec<Hit>,
}

impl TextScanner {
    const SETS: usize = 6;

    fn new(lex: &Lex) -> Result<Self> {
        let (mut all, mut owner, mut local) = (Vec::new(), Vec::new(), Vec::new());
        for (set, phrases) in lex.shared_sets().iter().enumerate() {
            for (i, p) in phrases.patterns().iter().enumerate() {
                all.push(p.as_str());
                owner.push(set as u8);
                local.push(i as u32);
            }
        }
        Ok(TextScanner { phrases: WordStartPhrases::new(&all, true)?, owner, local })
    }
}

impl Lex {
    /// The shared sets, in the order of [`TextHits`]'s fields.
    fn shared_sets(&self) -> [&dyn SharedSet; TextScanner::SETS] {
        [&self.verbs, &self.aliases, &self.nations, &self.cues, &self.clause_breaks, &self.region_breaks]
    }

    /// Every shared set's whole-word matches in `text`, in one walk.
    pub fn scan_text(&self, text: &str) -> TextHits {
        let sc = self.scanner.as_ref().expect("Lex::load builds the scanner");
        let shared = self.shared_sets();
        let accept = |set: usize, f: &crate::word_starts::Found| shared[set].accepts(text, f.start, f.end, sc.local[f.pattern] as usize);
        let mut sets = sc.phrases.scan_sets(text, (0, text.len()), is_word_char, &sc.owner, TextScanner::SETS, accept).into_iter().map(|found| {
            found.into_iter().map(|f| Hit { start: f.start, end: f.end, id: sc.local[f.pattern] as usize }).collect::<Vec<_>>()
        });
        let mut next = || sets.next().unwrap_or_default();
        TextHits { verbs: next(), aliases: next(), nations: next(), cues: next(), clause_breaks: next(), region_breaks: next() }
    }
}

/// Spelling variants of a phrase: each apostrophe/spelling pair in either form.
fn variants(phrase: &str, pairs: &[[String; 2]]) -> Vec<String> {
    let mut out = vec![phrase.to_string()];
    for [a, b] in pairs {
        let mut more = Vec::new();
        for v in &out {
            let lower = v.to_lowercase();
            for (x, y) in [(a, b), (b, a)] {
                if lower.contains(x.as_str()) {
                    more.push(replace_ci(v, x, y));
                }
            }
        }
        out.extend(more);
    }
    out.sort();
    out.dedup();
    out
}

/// Replace every ASCII-case-insensitive occurrence of `from` in `s` by `to`, keeping the case of
/// the first letter ("Defence" → "Defense").
fn replace_ci(s: &str, from: &str, to: &str) -> String {
    let lower = s.to_lowercase();
    if lower.len() != s.len() {
        return s.replace(from, to);
    }
    let mut out = String::new();
    let mut i = 0;
    while let Some(pos) = lower[i..].find(from) {
        let at = i + pos;
        out.push_str(&s[i..at]);
        let orig_first = s[at..].chars().next().unwrap_or(' ');
        let mut rep = to.to_string();
        if orig_first.is_uppercase() {
            let mut cs = rep.chars();
            if let Some(f) = cs.next() {
                rep = f.to_uppercase().chain(cs).collect();
            }
        }
        out.push_str(&rep);
        i = at + from.len();
    }
    out.push_str(&s[i..]);
    out
}

/// A word as written and, when it starts in lower case, capitalised ("pro-Kremlin" at the start
/// of a sentence is "Pro-Kremlin").
fn with_capital(w: &str) -> Vec<String> {
    let mut cs = w.chars();
    match cs.next() {
        Some(f) if f.is_lowercase() => vec![w.to_string(), f.to_uppercase().chain(cs).collect()],
        _ => vec![w.to_string()],
    }
}

/// A cue phrase with at most one insert word between two of its words
/// ("has not confirmed" → "has not officially confirmed").
fn with_inserts(phrase: &str, inserts: &[String]) -> Vec<String> {
    let words: Vec<&str> = phrase.split(' ').collect();
    let mut out = vec![phrase.to_string()];
    for gap in 1..words.len() {
        for ins in inserts {
            let mut w = words.clone();
            w.insert(gap, ins);
            out.push(w.join(" "));
        }
    }
    out
}

fn lower_set(words: &[String]) -> HashSet<String> {
    words.iter().map(|w| norm(w)).collect()
}

/// Lower case with the typographic apostrophe folded, for word lookups.
pub(crate) fn norm(w: &str) -> String {
    // Nearly every word of English news is ASCII: one copy, no Unicode case tables.
    if w.is_ascii() {
        return w.to_ascii_lowercase();
    }
    w.to_lowercase().chars().map(|c| if is_apostrophe(c) { '\'' } else { c }).collect()
}

pub(crate) struct Lex {
    /// Built last, from the sets below (`Lex::scan_text`).
    scanner: Option<TextScanner>,
    pub verbs: PhraseSet<VerbInfo>,
    pub aliases: PhraseSet<(usize, String)>,
    pub sources: Vec<SourceEntry>,
    pub nations: PhraseSet<NationInfo>,
    pub iso2_to_side: HashMap<String, String>,
    pub cues: PhraseSet<usize>,
    pub cue_info: Vec<CueInfo>,
    pub clause_breaks: PhraseSet<()>,
    pub region_breaks: PhraseSet<()>,
    pub anaphors: PhraseSet<()>,
    /// "rejected Russian demands": after a denial verb these nouns make it a refusal.
    pub refused: HashSet<String>,
    pub titles: HashMap<String, TitleInfo>,
    pub auxiliaries: HashSet<String>,
    pub adjunct_starts: HashSet<String>,
    pub complementisers: HashSet<String>,
    /// "by": after a passive verb of saying, the speaker follows ("were dismissed by Kyiv").
    pub passive_agents: HashSet<String>,
    /// "as", "while": before a second speaker in a reported clause, that speaker is not
    /// reported by the first ("Russia says ... as Ukraine denies ...").
    pub speaker_conjunctions: HashSet<String>,
    /// "who", "which": open a relative clause between a speaker and its verb.
    pub relative_openers: HashSet<String>,
    pub not_names: HashSet<String>,
    pub determiners: HashSet<String>,
    pub modifiers: HashSet<String>,
    pub place_nouns: HashSet<String>,
    pub postmodifiers: HashSet<String>,
    pub pron_male: HashSet<String>,
    pub pron_female: HashSet<String>,
    pub pron_plural: HashSet<String>,
    pub pron_body: HashSet<String>,
    pub gender_titles: HashMap<String, Gender>,
    pub first_names: HashMap<String, Gender>,
}

impl Lex {
    pub fn load(lex: &sitrep_lexicon::Lexicons) -> Result<Lex> {
        let rep: ReportingFile = lex.parse(REPORTING)?;
        let pat = &rep.patterns;
        let src: SourcesFile = lex.parse(SOURCES)?;
        let st: StanceFile = lex.parse(STANCE)?;
        let scope = &st.scope;
        let pairs = &src.spellings.pairs;

        let mut verb_entries = Vec::new();
        for g in &rep.verb {
            for f in &g.forms {
                verb_entries.push((f.clone(), VerbInfo::Saying { form: f.clone(), object: g.object, noun_too: g.noun_too }));
            }
        }
        for p in &pat.according_to {
            verb_entries.push((p.clone(), VerbInfo::AccordingTo { phrase: p.clone() }));
        }
        let verbs = PhraseSet::build(verb_entries, Case::LowerInSentence).context(REPORTING)?;

        let mut alias_entries = Vec::new();
        for (i, s) in src.source.iter().enumerate() {
            if s.aliases.is_empty() {
                bail!("{SOURCES}: source {:?} has no aliases", s.name);
            }
            for a in s.aliases.iter().chain(std::iter::once(&s.name)) {
                for v in variants(a, pairs) {
                    alias_entries.push((v, (i, a.clone())));
                }
            }
        }
        let aliases = PhraseSet::build(alias_entries, Case::Insensitive).context(SOURCES)?;

        let mut nation_entries = Vec::new();
        let mut iso2_to_side = HashMap::default();
        for n in &src.nation {
            iso2_to_side.insert(n.iso2.clone(), n.side.clone());
            for a in &n.adjectives {
                for v in with_capital(a) {
                    nation_entries.push((v, NationInfo { side: Some(n.side.clone()), adjective: true }));
                }
            }
            for a in &n.nouns {
                for v in variants(a, pairs) {
                    nation_entries.push((v, NationInfo { side: Some(n.side.clone()), adjective: false }));
                }
            }
        }
        for w in &src.no_side.words {
            for v in with_capital(w) {
                nation_entries.push((v, NationInfo { side: None, adjective: true }));
            }
        }
        nation_entries.sort_by(|a, b| a.0.cmp(&b.0));
        nation_entries.dedup_by(|a, b| a.0 == b.0);
        let nations = PhraseSet::build(nation_entries, Case::Exact).context(SOURCES)?;

        let mut titles = HashMap::default();
        // Multi-word titles are looked up whole and by their last word ("think tank" → "tank"),
        // unless that word has an entry of its own.
        let mut heads = Vec::new();
        for g in &src.title {
            let info = TitleInfo { kind: g.kind, body: g.body, member: g.member };
            for w in &g.words {
                titles.insert(norm(w), info);
                if let Some(last) = w.rsplit(' ').next().filter(|_| w.contains(' ')) {
                    heads.push((norm(last), info));
                }
            }
        }
        for (h, info) in heads {
            titles.entry(h).or_insert(info);
        }

        // An expanded pattern that is also a phrase of its own ("could not verify" + "independently")
        // stands for that phrase.
        let mut cue_patterns: HashMap<String, (usize, bool)> = HashMap::default();
        let mut cue_info = Vec::new();
        for g in &st.cue {
            for p in &g.phrases {
                let id = cue_info.len();
                cue_info.push(CueInfo {
                    stance: g.stance,
                    governs: g.governs,
                    reach: g.reach,
                    reach_back: g.reach_back.unwrap_or(g.reach),
                    dominant: g.dominant,
                    distancing: g.distancing,
                    reservation: g.reservation,
                    crosses: g.crosses,
                    phrase: p.clone(),
                });
                for v in variants(p, pairs) {
                    let expanded = if g.inserts { with_inserts(&v, &scope.inserts) } else { vec![v] };
                    for (n, w) in expanded.into_iter().enumerate() {
                        let explicit = n == 0;
                        let slot = cue_patterns.entry(w.to_lowercase()).or_insert((id, explicit));
                        if explicit && !slot.1 {
                            *slot = (id, true);
                        }
                    }
                }
            }
        }
        let mut cue_entries: Vec<(String, usize)> = cue_patterns.into_iter().map(|(w, (id, _))| (w, id)).collect();
        cue_entries.sort();
        let cues = PhraseSet::build(cue_entries, Case::LowerInSentence).context(STANCE)?;
        let unit = |v: &[String]| v.iter().map(|p| (p.clone(), ())).collect::<Vec<_>>();
        let clause_breaks = PhraseSet::build(unit(&scope.clause_breaks), Case::Insensitive).context(STANCE)?;
        let anaphors = PhraseSet::build_standalone(unit(&scope.anaphors), Case::Insensitive).context(STANCE)?;
        let region_breaks = PhraseSet::build(unit(&pat.region_breaks), Case::Insensitive).context(REPORTING)?;

        let mut gender_titles = HashMap::default();
        for w in &rep.gender.male {
            gender_titles.insert(norm(w), Gender::Male);
        }
        for w in &rep.gender.female {
            gender_titles.insert(norm(w), Gender::Female);
        }
        let mut first_names = HashMap::default();
        for w in &src.first_names.male {
            first_names.insert(w.clone(), Gender::Male);
        }
        for w in &src.first_names.female {
            first_names.insert(w.clone(), Gender::Female);
        }

        let mut lex = Lex {
            scanner: None,
            verbs,
            aliases,
            sources: src.source,
            nations,
            iso2_to_side,
            cues,
            cue_info,
            clause_breaks,
            region_breaks,
            anaphors,
            refused: lower_set(&scope.refused),
            titles,
            auxiliaries: lower_set(&pat.auxiliaries),
            adjunct_starts: lower_set(&pat.adjunct_starts),
            complementisers: lower_set(&pat.complementisers),
            passive_agents: lower_set(&pat.passive_agents),
            speaker_conjunctions: lower_set(&pat.speaker_conjunctions),
            relative_openers: lower_set(&pat.relative_openers),
            not_names: pat.not_names.iter().cloned().collect(),
            determiners: lower_set(&pat.determiners),
            modifiers: lower_set(&pat.modifiers),
            place_nouns: lower_set(&pat.place_nouns),
            postmodifiers: lower_set(&pat.postmodifiers),
            pron_male: lower_set(&rep.pronouns.male),
            pron_female: lower_set(&rep.pronouns.female),
            pron_plural: lower_set(&rep.pronouns.plural),
            pron_body: lower_set(&rep.pronouns.body),
            gender_titles,
            first_names,
        };
        lex.scanner = Some(TextScanner::new(&lex)?);
        Ok(lex)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_variants_cover_apostrophes_and_defence() {
        let pairs = [["defence".to_string(), "defense".to_string()], ["’".to_string(), "'".to_string()]];
        let v = variants("Russia's Defence Ministry", &pairs);
        assert!(v.contains(&"Russia’s Defense Ministry".to_string()), "{v:?}");
        assert!(v.contains(&"Russia's Defense Ministry".to_string()));
        assert!(v.contains(&"Russia’s Defence Ministry".to_string()));
    }

    #[test]
    fn inserts_go_between_words() {
        let v = with_inserts("has not confirmed", &["yet".to_string()]);
        assert!(v.contains(&"has not yet confirmed".to_string()));
        assert!(v.contains(&"has yet not confirmed".to_string()));
    }
}
