//! The time lexicons (`lexicons/time/*.toml`) compiled into lookup tables.
//!
//! Every entry, one word or several, is tokenised with the same tokenizer as the text,
//! so "mid-way through" or "a.m." match however the text spaces them. Each first word
//! carries a bit mask of the word lists it starts an entry of; the grammar tests the
//! mask before it looks anything up, which keeps the per-token cost at one hash lookup.

use std::collections::HashMap;

use anyhow::{bail, Context, Result};
use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::tokens::{tokenize, Tokens};

#[derive(Deserialize)]
struct CalendarFile {
    months: HashMap<String, i8>,
    weekdays: HashMap<String, i8>,
    seasons: Vec<SeasonFile>,
    words: CalendarWords,
}

#[derive(Deserialize)]
struct CalendarWords {
    ambiguous_months: Vec<String>,
    year_words: Vec<String>,
    bare_year_range: [i16; 2],
    date_prepositions: Vec<String>,
}

#[derive(Deserialize)]
struct SeasonFile {
    code: String,
    months: Vec<i8>,
    words: Vec<String>,
}

#[derive(Deserialize)]
struct NumbersFile {
    cardinals: HashMap<String, u32>,
    ordinals: HashMap<String, u32>,
    words: NumberWords,
}

#[derive(Deserialize)]
struct NumberWords {
    ordinal_suffixes: Vec<String>,
    vague: Vec<String>,
    after_article: Vec<String>,
    half: Vec<String>,
}

#[derive(Deserialize)]
struct UnitsFile {
    units: Vec<UnitFile>,
}

#[derive(Deserialize)]
struct UnitFile {
    code: String,
    #[serde(default)]
    time: bool,
    #[serde(default = "one")]
    multiple: u32,
    vague_code: Option<String>,
    words: Vec<String>,
    calendar: Option<CalUnit>,
    vague_span: u32,
    #[serde(default)]
    set_adverbs: Vec<String>,
    #[serde(default = "yes")]
    duration: bool,
}

fn one() -> u32 {
    1
}
fn yes() -> bool {
    true
}

#[derive(Deserialize)]
struct CuesFile {
    relative: HashMap<String, i32>,
    deictic: HashMap<String, DeicticFile>,
    references: HashMap<String, String>,
    parts: Vec<PartFile>,
    day_parts: HashMap<String, String>,
    clock_words: HashMap<String, String>,
    modifiers: HashMap<String, ModifierFile>,
    words: CueWords,
}

#[derive(Deserialize)]
struct CueWords {
    anaphoric: Vec<String>,
    same: Vec<String>,
    period_qualifiers: Vec<String>,
    am: Vec<String>,
    pm: Vec<String>,
    time_zones: Vec<String>,
    clock_prepositions: Vec<String>,
    ago: Vec<String>,
    after_words: Vec<String>,
    before_words: Vec<String>,
    comparison_words: Vec<String>,
    since: Vec<String>,
    set_quantifiers: Vec<String>,
    frequency_words: Vec<String>,
    age_words: Vec<String>,
    duration_signals: Vec<String>,
    plural_leads_inside: Vec<String>,
}

#[derive(Deserialize)]
struct DeicticFile {
    offset: i32,
    part: Option<String>,
}

#[derive(Deserialize)]
struct PartFile {
    words: Vec<String>,
    month_days: Option<[i8; 2]>,
    year_months: Option<[i8; 2]>,
    week_days: Option<[i8; 2]>,
    share: Option<[f64; 2]>,
    cut: Option<Cut>,
}

#[derive(Deserialize)]
struct ModifierFile {
    #[serde(rename = "mod")]
    modifier: String,
    #[serde(default)]
    in_extent: bool,
}

#[derive(Deserialize)]
struct TenseFile {
    words: TenseWords,
}

#[derive(Deserialize)]
struct TenseWords {
    future: Vec<String>,
    past: Vec<String>,
    past_suffix: String,
    past_suffix_exceptions: Vec<String>,
    clause_breaks: Vec<String>,
}

/// The calendar granularity a unit resolves to ("three weeks ago" -> a week).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum CalUnit {
    Day,
    Week,
    Weekend,
    Month,
    Quarter,
    Half,
    Year,
    Decade,
    Century,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Cut {
    BeforeAnchor,
    AfterAnchor,
}

#[derive(Debug, Clone)]
pub(crate) struct Season {
    pub code: String,
    pub months: Vec<i8>,
}

#[derive(Debug, Clone)]
pub(crate) struct Unit {
    pub code: String,
    pub time: bool,
    pub multiple: u32,
    pub vague_code: String,
    pub calendar: Option<CalUnit>,
    pub vague_span: u32,
    pub duration: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub month_days: Option<[i8; 2]>,
    pub year_months: Option<[i8; 2]>,
    pub week_days: Option<[i8; 2]>,
    pub share: Option<[f64; 2]>,
    pub cut: Option<Cut>,
}

#[derive(Debug, Clone)]
pub(crate) struct Modifier {
    pub modifier: String,
    pub in_extent: bool,
}

/// Which word list an entry belongs to; also the bit of the first-word mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Cat {
    Month,
    AmbiguousMonth,
    Weekday,
    Season,
    YearWord,
    DatePrep,
    Cardinal,
    Ordinal,
    OrdinalSuffix,
    Vague,
    Half,
    Unit,
    SetAdverb,
    Relative,
    Anaphoric,
    Same,
    Deictic,
    Reference,
    Part,
    Qualifier,
    DayPart,
    ClockWord,
    Am,
    Pm,
    TimeZone,
    ClockPrep,
    Modifier,
    Ago,
    After,
    Before,
    Comparison,
    Since,
    SetQuantifier,
    Frequency,
    Age,
    DurationSignal,
    PluralLeadInside,
    AfterArticle,
    Future,
    Past,
    ClauseBreak,
}

impl Cat {
    pub(crate) const fn bit(self) -> u64 {
        1u64 << (self as u8)
    }
}

/// Word lists whose words can start an expression.
pub(crate) const TRIGGERS: u64 = Cat::Month.bit()
    | Cat::Weekday.bit()
    | Cat::Season.bit()
    | Cat::Cardinal.bit()
    | Cat::Ordinal.bit()
    | Cat::Vague.bit()
    | Cat::Half.bit()
    | Cat::Unit.bit()
    | Cat::SetAdverb.bit()
    | Cat::Relative.bit()
    | Cat::Deictic.bit()
    | Cat::Reference.bit()
    | Cat::Part.bit()
    | Cat::Qualifier.bit()
    | Cat::ClockWord.bit()
    | Cat::Modifier.bit()
    | Cat::SetQuantifier.bit()
    | Cat::PluralLeadInside.bit()
    | Cat::Same.bit();

/// One word list: entries of one or more lower-cased tokens, each with a payload.
#[derive(Debug, Clone)]
pub(crate) struct Phrases<T> {
    by_first: FxHashMap<String, Vec<(Vec<String>, T)>>,
}

impl<T> Default for Phrases<T> {
    fn default() -> Self {
        Phrases { by_first: FxHashMap::default() }
    }
}

impl<T> Phrases<T> {
    fn insert(&mut self, words: Vec<String>, value: T) {
        let list = self.by_first.entry(words[0].clone()).or_default();
        list.push((words, value));
        // Longest entries first, so the first match is the longest.
        list.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
    }

    /// The longest entry starting at token `i`: (end token, payload).
    pub(crate) fn at(&self, toks: &Tokens<'_>, i: usize) -> Option<(usize, &T)> {
        let first = toks.lower(i)?;
        let list = self.by_first.get(first)?;
        'entries: for (words, v) in list {
            if i + words.len() > toks.len() {
                continue;
            }
            for (k, w) in words.iter().enumerate().skip(1) {
                if toks.lower(i + k) != Some(w.as_str()) {
                    continue 'entries;
                }
            }
            return Some((i + words.len(), v));
        }
        None
    }
}

/// All time lexicons, ready for matching.
#[derive(Debug, Clone, Default)]
pub(crate) struct TimeLex {
    // Fx hashing: these are looked up once per token, and the keys are our own words.
    masks: FxHashMap<String, u64>,
    /// Which (first letter, second letter, length) the words of `masks` have, so that
    /// most words of a text are turned away before they are hashed.
    prefixes: Vec<u32>,
    /// The same for the words of `TRIGGERS` lists only.
    trigger_prefixes: Vec<u32>,
    pub months: Phrases<i8>,
    pub ambiguous_months: Phrases<()>,
    pub weekdays: Phrases<i8>,
    pub season_words: Phrases<usize>,
    pub seasons: Vec<Season>,
    pub year_words: Phrases<()>,
    pub date_preps: Phrases<()>,
    pub cardinals: Phrases<u32>,
    pub ordinals: Phrases<u32>,
    pub ordinal_suffixes: Phrases<()>,
    pub vague: Phrases<()>,
    pub half: Phrases<()>,
    pub unit_words: Phrases<(usize, bool)>,
    pub units: Vec<Unit>,
    pub set_adverbs: Phrases<usize>,
    pub relative: Phrases<i32>,
    pub anaphoric: Phrases<()>,
    pub same: Phrases<()>,
    pub deictic: Phrases<(i32, Option<String>)>,
    pub references: Phrases<String>,
    pub part_words: Phrases<usize>,
    pub parts: Vec<Part>,
    pub qualifiers: Phrases<()>,
    pub day_parts: Phrases<String>,
    pub clock_words: Phrases<(u8, u8)>,
    pub am: Phrases<()>,
    pub pm: Phrases<()>,
    pub time_zones: Phrases<()>,
    pub clock_preps: Phrases<()>,
    pub modifier_words: Phrases<usize>,
    pub modifiers: Vec<Modifier>,
    pub ago: Phrases<()>,
    pub after: Phrases<()>,
    pub before: Phrases<()>,
    pub comparison: Phrases<()>,
    pub since: Phrases<()>,
    pub set_quantifiers: Phrases<()>,
    pub frequency: Phrases<()>,
    pub age: Phrases<()>,
    pub duration_signals: Phrases<()>,
    pub plural_leads_inside: Phrases<()>,
    pub after_article: Phrases<()>,
    pub bare_year_range: [i16; 2],
    pub future: Phrases<()>,
    pub past: Phrases<()>,
    pub clause_breaks: Phrases<()>,
    pub past_suffix: String,
    pub past_suffix_exceptions: Phrases<()>,
}

impl TimeLex {
    pub(crate) fn load(lex: &sitrep_lexicon::Lexicons) -> Result<Self> {
        let cal: CalendarFile = lex.parse("time/calendar.toml")?;
        let cal_words = &cal.words;
        let num: NumbersFile = lex.parse("time/numbers.toml")?;
        let num_words = &num.words;
        let units: UnitsFile = lex.parse("time/units.toml")?;
        let cues: CuesFile = lex.parse("time/cues.toml")?;
        let cue_words = &cues.words;
        let tense: TenseFile = lex.parse("time/tense.toml")?;
        let tense = tense.words;
        let mut t = TimeLex::default();

        for (w, m) in &cal.months {
            if !(1..=12).contains(m) {
                bail!("time/calendar.toml: month {w:?} = {m} is not 1..=12");
            }
            t.add(Cat::Month, w, *m, |t| &mut t.months)?;
        }
        t.add_all(Cat::AmbiguousMonth, &cal_words.ambiguous_months, |t| &mut t.ambiguous_months)?;
        for (w, d) in &cal.weekdays {
            if !(1..=7).contains(d) {
                bail!("time/calendar.toml: weekday {w:?} = {d} is not 1..=7");
            }
            t.add(Cat::Weekday, w, *d, |t| &mut t.weekdays)?;
        }
        for (i, s) in cal.seasons.iter().enumerate() {
            if s.months.is_empty() || s.months.iter().any(|m| !(1..=12).contains(m)) {
                bail!("time/calendar.toml: season {} needs months in 1..=12", s.code);
            }
            for w in &s.words {
                t.add(Cat::Season, w, i, |t| &mut t.season_words)?;
            }
            t.seasons.push(Season { code: s.code.clone(), months: s.months.clone() });
        }
        t.add_all(Cat::YearWord, &cal_words.year_words, |t| &mut t.year_words)?;
        t.add_all(Cat::DatePrep, &cal_words.date_prepositions, |t| &mut t.date_preps)?;
        t.bare_year_range = cal_words.bare_year_range;

        for (w, n) in &num.cardinals {
            t.add(Cat::Cardinal, w, *n, |t| &mut t.cardinals)?;
        }
        for (w, n) in &num.ordinals {
            t.add(Cat::Ordinal, w, *n, |t| &mut t.ordinals)?;
        }
        t.add_all(Cat::OrdinalSuffix, &num_words.ordinal_suffixes, |t| &mut t.ordinal_suffixes)?;
        t.add_all(Cat::Vague, &num_words.vague, |t| &mut t.vague)?;
        t.add_all(Cat::Half, &num_words.half, |t| &mut t.half)?;
        t.add_all(Cat::AfterArticle, &num_words.after_article, |t| &mut t.after_article)?;

        for (i, u) in units.units.iter().enumerate() {
            for (k, w) in u.words.iter().enumerate() {
                // The first word of each unit is its singular ("a week", not "a weeks").
                t.add(Cat::Unit, w, (i, k == 0), |t| &mut t.unit_words)?;
            }
            for w in &u.set_adverbs {
                t.add(Cat::SetAdverb, w, i, |t| &mut t.set_adverbs)?;
            }
            t.units.push(Unit {
                code: u.code.clone(),
                time: u.time,
                multiple: u.multiple.max(1),
                vague_code: u.vague_code.clone().unwrap_or_else(|| u.code.clone()),
                calendar: u.calendar,
                vague_span: u.vague_span.max(1),
                duration: u.duration,
            });
        }

        for (w, n) in &cues.relative {
            t.add(Cat::Relative, w, *n, |t| &mut t.relative)?;
        }
        t.add_all(Cat::Anaphoric, &cue_words.anaphoric, |t| &mut t.anaphoric)?;
        t.add_all(Cat::Same, &cue_words.same, |t| &mut t.same)?;
        for (w, d) in &cues.deictic {
            t.add(Cat::Deictic, w, (d.offset, d.part.clone()), |t| &mut t.deictic)?;
        }
        for (w, r) in &cues.references {
            t.add(Cat::Reference, w, r.clone(), |t| &mut t.references)?;
        }
        for (i, p) in cues.parts.iter().enumerate() {
            for w in &p.words {
                t.add(Cat::Part, w, i, |t| &mut t.part_words)?;
            }
            t.parts.push(Part { month_days: p.month_days, year_months: p.year_months, week_days: p.week_days, share: p.share, cut: p.cut });
        }
        t.add_all(Cat::Qualifier, &cue_words.period_qualifiers, |t| &mut t.qualifiers)?;
        for (w, code) in &cues.day_parts {
            t.add(Cat::DayPart, w, code.clone(), |t| &mut t.day_parts)?;
        }
        for (w, hm) in &cues.clock_words {
            let parsed = hm.split_once(':').and_then(|(h, m)| Some((h.parse::<u8>().ok()?, m.parse::<u8>().ok()?)));
            let Some(hm) = parsed.filter(|(h, m)| *h <= 24 && *m < 60) else {
                bail!("time/cues.toml: clock word {w:?} = {hm:?} is not HH:MM");
            };
            t.add(Cat::ClockWord, w, hm, |t| &mut t.clock_words)?;
        }
        t.add_all(Cat::Am, &cue_words.am, |t| &mut t.am)?;
        t.add_all(Cat::Pm, &cue_words.pm, |t| &mut t.pm)?;
        t.add_all(Cat::TimeZone, &cue_words.time_zones, |t| &mut t.time_zones)?;
        t.add_all(Cat::ClockPrep, &cue_words.clock_prepositions, |t| &mut t.clock_preps)?;
        for (w, m) in &cues.modifiers {
            let i = t.modifiers.len();
            t.modifiers.push(Modifier { modifier: m.modifier.clone(), in_extent: m.in_extent });
            t.add(Cat::Modifier, w, i, |t| &mut t.modifier_words)?;
        }
        t.add_all(Cat::Ago, &cue_words.ago, |t| &mut t.ago)?;
        t.add_all(Cat::After, &cue_words.after_words, |t| &mut t.after)?;
        t.add_all(Cat::Before, &cue_words.before_words, |t| &mut t.before)?;
        t.add_all(Cat::Comparison, &cue_words.comparison_words, |t| &mut t.comparison)?;
        t.add_all(Cat::Since, &cue_words.since, |t| &mut t.since)?;
        t.add_all(Cat::SetQuantifier, &cue_words.set_quantifiers, |t| &mut t.set_quantifiers)?;
        t.add_all(Cat::Frequency, &cue_words.frequency_words, |t| &mut t.frequency)?;
        t.add_all(Cat::Age, &cue_words.age_words, |t| &mut t.age)?;
        t.add_all(Cat::DurationSignal, &cue_words.duration_signals, |t| &mut t.duration_signals)?;
        t.add_all(Cat::PluralLeadInside, &cue_words.plural_leads_inside, |t| &mut t.plural_leads_inside)?;

        t.add_all(Cat::Future, &tense.future, |t| &mut t.future)?;
        t.add_all(Cat::Past, &tense.past, |t| &mut t.past)?;
        t.add_all(Cat::ClauseBreak, &tense.clause_breaks, |t| &mut t.clause_breaks)?;
        t.past_suffix = tense.past_suffix.to_lowercase();
        // Exceptions are looked up directly, never as a first word of a phrase.
        for w in &tense.past_suffix_exceptions {
            t.past_suffix_exceptions.insert(vec![w.to_lowercase()], ());
        }
        Ok(t)
    }

    fn add_all(&mut self, cat: Cat, words: &[String], list: impl Fn(&mut Self) -> &mut Phrases<()>) -> Result<()> {
        for w in words {
            self.add(cat, w, (), &list)?;
        }
        Ok(())
    }

    fn add<T>(&mut self, cat: Cat, entry: &str, value: T, list: impl Fn(&mut Self) -> &mut Phrases<T>) -> Result<()> {
        let words = entry_words(entry).with_context(|| format!("time lexicon entry {entry:?} has no word"))?;
        *self.masks.entry(words[0].clone()).or_default() |= cat.bit();
        if let Some((slot, bit)) = prefix_slot(&words[0]) {
            for (filter, wanted) in [(&mut self.prefixes, true), (&mut self.trigger_prefixes, TRIGGERS & cat.bit() != 0)] {
                if filter.len() <= slot {
                    filter.resize(26 * 27, 0);
                }
                if wanted {
                    filter[slot] |= bit;
                }
            }
        }
        list(self).insert(words, value);
        Ok(())
    }

    /// Whether this lower-cased word may start an entry of a `TRIGGERS` list (false
    /// means surely not, without hashing).
    pub(crate) fn may_trigger(&self, lower: &str) -> bool {
        match prefix_slot(lower) {
            Some((slot, bit)) => self.trigger_prefixes.get(slot).is_some_and(|b| b & bit != 0),
            None => true,
        }
    }

    /// The bit mask of word lists whose entries start with this lower-cased word.
    pub(crate) fn mask(&self, lower: &str) -> u64 {
        if let Some((slot, bit)) = prefix_slot(lower) {
            if self.prefixes.get(slot).is_none_or(|b| b & bit == 0) {
                return 0;
            }
        }
        self.masks.get(lower).copied().unwrap_or(0)
    }
}

/// The prefix-filter slot and length bit of a lower-case ASCII-letter word; `None`
/// for other words, which always go to the hash map.
fn prefix_slot(w: &str) -> Option<(usize, u32)> {
    let b = w.as_bytes();
    let first = b.first().filter(|c| c.is_ascii_lowercase())?;
    let second = match b.get(1) {
        None => 26,
        Some(c) if c.is_ascii_lowercase() => (c - b'a') as usize,
        Some(_) => return None,
    };
    let bit = 1u32 << b.len().min(31);
    Some(((first - b'a') as usize * 27 + second, bit))
}

/// An entry's lower-cased tokens, as the text tokenizer would cut them.
fn entry_words(entry: &str) -> Option<Vec<String>> {
    let toks = tokenize(entry, None);
    let words: Vec<String> = (0..toks.len()).filter_map(|i| toks.lower(i).map(str::to_string)).collect();
    (!words.is_empty()).then_some(words)
}
