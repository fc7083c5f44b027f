//! Quantities: numbers with what they count ("approximately 4,000 North Korean troops").
//!
//! Mechanism only; every word list is data in `lexicons/quantity/*.toml`. The text is cut
//! once into tokens (words, numbers, single punctuation marks); a small hand-written
//! parser then reads, at each token that can open a quantity, an optional bound word, a
//! number expression, an optional range, an optional trailing bound and the counted noun.
//! (A parser rather than one big regex because the parts compose — "between 10 and 15
//! million", "more than half of the territory" — and because the counted noun is found
//! by looking at words, not characters.)
//!
//! # Conventions
//! - Plain count: "16,100" → `value`. Bounds: "over / more than / at least 300" → `min`;
//!   "up to / as many as / fewer than 60,000" → `max`; "approximately / about / around /
//!   some 4,000" → `value`, `approximate`; "nearly / almost 50" → `max` 50 and
//!   `approximate` (a little under 50; no point value is invented). "100 or more",
//!   "100+" → `min`; "100 or so" → `approximate`.
//! - Ranges: "between 10 and 15", "from 10 to 15", "10-15", "10 to 15" → `min` and `max`.
//! - Vague multiples (ACLED's lower-bound convention): "dozens of" → `min` 12, "hundreds"
//!   → 100, "thousands" → 1000, "tens of thousands" → 10000, "several thousand" → 1000;
//!   always `approximate`, never a `value`. "a dozen" is `value` 12.
//! - Fractions: "half of the territory" → `value` 0.5, unit `share`, noun `territory`;
//!   "more than half" → `min` 0.5. Ordinal-looking fractions need a count ("a third").
//! - Hyphenated measures: "three-ton" → 3 `tons`; "200,000-strong army" → 200000 `troops`
//!   (a formation noun follows) or `people` otherwise.
//! - A bracketed conversion belongs to the first quantity and is not a second one:
//!   "five kilometers (three miles)" → 5 `km`; when only the bracket is metric, its
//!   figures are used. Miles stay miles otherwise.
//! - The counted noun is looked for in a window of up to `max_words` (4) words after the
//!   number, or after "of" and a determiner for vague multiples and fractions. The window
//!   passes capitalised words ("North Korean"), lowercase words and hyphenated compounds,
//!   and "and"/"or" when a capitalised word follows ("Russian and North Korean troops");
//!   it stops at punctuation, numbers and the `breaks` words. A listed alias anywhere in
//!   the window wins (unit normalised, noun as written); otherwise the first plural-looking
//!   lowercase word, or else the last lowercase one, is the noun and the unit as written
//!   (a window used up without a plural gives no noun). A part takes the noun of its
//!   whole without spanning it: "54 of 72 drones" is 54 `drones` (span "54") and 72
//!   `drones`.
//! - Not quantities: ordinals and ids glued to letters ("47th", "Su-34", "FAB-3000"),
//!   numbers after id words ("No. 5"), years (four digits in the year range, unless a
//!   bound word precedes or a known unit directly follows them and no "in"/"since"/...
//!   precedes: "some 2000 troops" counts, "in 2024 troops" does not), day numbers next
//!   to a month ("March 12", "20 May"), clock times ("10:30", "10 a.m."), digit chains ("2025-03-21", "12/03"),
//!   durations ("six months", "30-day": time expressions are time.rs's), "one" without a
//!   known unit ("one of the"), and a lone number word with neither noun nor bound ("the
//!   two").
//! - Russian and Ukrainian: digits with their cue words ("около", "понад"), scale words
//!   ("тыс.", "млн"), units, durations and months are listed too; number words are
//!   English only.

use std::collections::{BTreeMap, HashMap};

use anyhow::{ensure, Result};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

use crate::{QuantityMention, Span};

// ---- lexicon file shapes -------------------------------------------------------------

#[derive(Deserialize)]
struct NumbersFile {
    numbers: NumberWords,
    fractions: Fractions,
    fuzzy: Fuzzy,
}

#[derive(Deserialize)]
struct NumberWords {
    words: HashMap<String, f64>,
    scales: HashMap<String, f64>,
    articles: Vec<String>,
    need_known_unit: Vec<String>,
}

#[derive(Deserialize)]
struct Fractions {
    values: HashMap<String, f64>,
    need_count: Vec<String>,
    blocked_after: Vec<String>,
}

#[derive(Deserialize)]
struct Fuzzy {
    values: HashMap<String, f64>,
    need_of: Vec<String>,
    before_scale: Vec<String>,
}

#[derive(Deserialize)]
struct ModifiersFile {
    before: BeforeCues,
    ranges: Ranges,
    after: AfterCues,
}

#[derive(Deserialize)]
struct BeforeCues {
    approximate: Vec<String>,
    at_least: Vec<String>,
    at_most: Vec<String>,
    nearly: Vec<String>,
    range_open: Vec<String>,
}

#[derive(Deserialize)]
struct Ranges {
    joiners: Vec<String>,
}

#[derive(Deserialize)]
struct AfterCues {
    at_least: Vec<String>,
    approximate: Vec<String>,
}

#[derive(Deserialize)]
struct UnitsFile {
    aliases: BTreeMap<String, Vec<String>>,
    currency: Currency,
    durations: WordList,
    strength: Strength,
    conversion: Conversion,
    fraction: FractionUnit,
}

#[derive(Deserialize)]
struct Currency {
    prefixes: Vec<String>,
}

#[derive(Deserialize)]
struct WordList {
    words: Vec<String>,
}

#[derive(Deserialize)]
struct Strength {
    suffixes: Vec<String>,
    formation_nouns: Vec<String>,
    formation_unit: String,
    other_unit: String,
}

#[derive(Deserialize)]
struct Conversion {
    preferred: Vec<String>,
}

#[derive(Deserialize)]
struct FractionUnit {
    unit: String,
}

#[derive(Deserialize)]
struct ContextFile {
    dates: Dates,
    times: Times,
    ids: Ids,
    window: Window,
}

#[derive(Deserialize)]
struct Dates {
    months: Vec<String>,
    year_min: f64,
    year_max: f64,
    year_after: Vec<String>,
}

#[derive(Deserialize)]
struct Times {
    after: Vec<String>,
}

#[derive(Deserialize)]
struct Ids {
    before: Vec<String>,
}

#[derive(Deserialize)]
struct Window {
    max_words: usize,
    breaks: Vec<String>,
    after_of: Vec<String>,
    not_noun_endings: Vec<String>,
}

// ---- tokens --------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Num,
    /// Letters and digits together ("47th", "1990s", "F16"): never a count.
    Mixed,
    Punct,
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
    kind: Kind,
    /// White space before this token.
    gap: bool,
    /// For `Num`: the value, whether it was written with neither separators nor decimals,
    /// its count of integer digits, and whether it starts with a superfluous zero.
    value: f64,
    plain: bool,
    digits: u8,
    leading_zero: bool,
}

impl Tok {
    fn new(start: usize, end: usize, kind: Kind, gap: bool) -> Self {
        Tok { start, end, kind, gap, value: 0.0, plain: false, digits: 0, leading_zero: false }
    }
}

/// Grouping separators besides the comma: space, no-break space, narrow no-break space,
/// thin space.
fn space_separator(text: &str, at: usize) -> Option<(usize, bool)> {
    let rest = &text.as_bytes()[at..];
    match rest {
        [b' ', ..] => Some((1, true)),
        [0xC2, 0xA0, ..] => Some((2, false)),
        [0xE2, 0x80, 0xAF, ..] | [0xE2, 0x80, 0x89, ..] => Some((3, false)),
        _ => None,
    }
}

fn three_digits_then_boundary(bytes: &[u8], at: usize) -> bool {
    at + 3 <= bytes.len()
        && bytes[at..at + 3].iter().all(u8::is_ascii_digit)
        && !bytes.get(at + 3).is_some_and(|b| b.is_ascii_digit())
}

/// Cuts `text` into tokens. `glued` holds lowercase unit words that may be written
/// straight after digits ("10km", "24h"), which then become a number and a word.
fn tokenize_into(text: &str, glued: &FxHashSet<String>, toks: &mut Vec<Tok>) {
    toks.clear();
    let bytes = text.as_bytes();
    let mut gap = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (c, len) = if b < 128 {
            (b as char, 1)
        } else {
            let c = text[i..].chars().next().unwrap_or('\u{FFFD}');
            (c, c.len_utf8())
        };
        if c.is_whitespace() {
            gap = true;
            i += len;
            continue;
        }
        if b.is_ascii_digit() {
            i = number_token(text, i, gap, glued, toks);
        } else if is_word_char(c) {
            let (end, has_digit) = alnum_run(text, i);
            toks.push(Tok::new(i, end, if has_digit { Kind::Mixed } else { Kind::Word }, gap));
            i = end;
        } else {
            toks.push(Tok::new(i, i + len, Kind::Punct, gap));
            i += len;
        }
        gap = false;
    }
}

/// Where the run of letters and digits from `from` ends, and whether it holds a digit.
fn alnum_run(text: &str, from: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut i = from;
    let mut has_digit = false;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 128 {
            if !b.is_ascii_alphanumeric() {
                break;
            }
            has_digit |= b.is_ascii_digit();
            i += 1;
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            if !is_word_char(c) {
                break;
            }
            has_digit |= !is_cyrillic_letter(c) && c.is_numeric();
            i += c.len_utf8();
        }
    }
    (i, has_digit)
}

/// `line` lowercased into `buf` with every byte offset kept: ASCII, Latin-1 and Cyrillic
/// capitals, whose lowercase forms are as long in UTF-8; other letters stay as they are.
/// Done on the UTF-8 bytes by hand because `char::to_lowercase` costs more than all the
/// rest of the tokenizing on lines with curly quotes.
fn lowercase_in_place<'b>(line: &'b str, buf: &'b mut Vec<u8>) -> &'b str {
    buf.clear();
    buf.extend_from_slice(line.as_bytes());
    buf.make_ascii_lowercase();
    if !line.is_ascii() {
        let mut i = 0;
        while i + 1 < buf.len() {
            let (lead, next) = (buf[i], buf[i + 1]);
            match (lead, next) {
                (0xC3, 0x80..=0x9E) if next != 0x97 => buf[i + 1] = next + 0x20, // À..Þ, not ×
                (0xD0, 0x80..=0x8F) => (buf[i], buf[i + 1]) = (0xD1, next + 0x10), // Ѐ..Џ
                (0xD0, 0x90..=0x9F) => buf[i + 1] = next + 0x20,                  // А..П
                (0xD0, 0xA0..=0xAF) => (buf[i], buf[i + 1]) = (0xD1, next - 0x20), // Р..Я
                (0xD2, 0x90) => buf[i + 1] = 0x91,                                 // Ґ
                _ => {}
            }
            i += 1;
        }
    }
    // Only two-byte sequences were rewritten into two-byte sequences, so this holds.
    std::str::from_utf8(buf).unwrap_or(line)
}

/// Letters and digits. Cyrillic letters and General Punctuation ('’', '“', '—') are
/// common in our input and answered without the Unicode tables.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if matches!(c, '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}') {
        return false;
    }
    is_cyrillic_letter(c) || c.is_alphanumeric()
}

/// The Russian and Ukrainian alphabets, answered without the Unicode tables (a fast
/// path: Cyrillic text is common input).
fn is_cyrillic_letter(c: char) -> bool {
    matches!(c, 'А'..='я' | 'Ё' | 'ё' | 'Є' | 'є' | 'І' | 'і' | 'Ї' | 'ї' | 'Ґ' | 'ґ')
}

fn alnum_end(text: &str, from: usize) -> usize {
    alnum_run(text, from).0
}

/// Reads a number starting at the ASCII digit at `start` and pushes its token(s);
/// returns where reading stopped.
fn number_token(text: &str, start: usize, gap: bool, glued: &FxHashSet<String>, toks: &mut Vec<Tok>) -> usize {
    let bytes = text.as_bytes();
    let mut end = start;
    while end < bytes.len() && bytes[end].is_ascii_digit() {
        end += 1;
    }
    let first_group = end - start;
    let mut grouped = false;
    loop {
        let (sep_len, plain_space) = match bytes.get(end) {
            Some(b',') => (1, false),
            _ => match space_separator(text, end) {
                Some(s) => s,
                None => break,
            },
        };
        let group = end + sep_len;
        if !three_digits_then_boundary(bytes, group) || (!grouped && first_group > 3) {
            break;
        }
        // An ordinary space groups digits only in the unmistakable cases ("12 000",
        // "5 000"), so "on March 3 100 drones" stays two numbers.
        if plain_space && !grouped && first_group < 2 && &bytes[group..group + 3] != b"000" {
            break;
        }
        end = group + 3;
        grouped = true;
    }
    let mut decimal = false;
    if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        end += 1;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
        decimal = true;
    }
    let mut digits = [0u8; 48];
    let mut n = 0;
    for &b in &bytes[start..end] {
        if b.is_ascii_digit() || b == b'.' {
            if n == digits.len() {
                n = 0; // absurdly long: an id, read as Mixed below
                break;
            }
            digits[n] = b;
            n += 1;
        }
    }
    let value = std::str::from_utf8(&digits[..n]).ok().and_then(|s| s.parse::<f64>().ok());
    // "1.2.3", "47th", "1990s", "10am": letters or more dots glued on make an id.
    let glued_on = text[end..].chars().next().filter(|c| c.is_alphanumeric() || *c == '.' && bytes.get(end + 1).is_some_and(u8::is_ascii_digit));
    if let (Some(value), None) = (value, glued_on) {
        toks.push(number(start, end, gap, value, grouped || decimal, first_group, bytes[start] == b'0'));
        return end;
    }
    if let (Some(value), Some(c)) = (value, glued_on) {
        if c.is_alphabetic() {
            let word_end = alnum_end(text, end);
            if glued.contains(&text[end..word_end].to_ascii_lowercase()) {
                toks.push(number(start, end, gap, value, grouped || decimal, first_group, bytes[start] == b'0'));
                toks.push(Tok::new(end, word_end, Kind::Word, false));
                return word_end;
            }
        }
    }
    let mut id_end = end;
    while let Some(c) = text[id_end..].chars().next() {
        if c.is_alphanumeric() || (c == '.' && bytes.get(id_end + 1).is_some_and(u8::is_ascii_digit)) {
            id_end += c.len_utf8();
        } else {
            break;
        }
    }
    toks.push(Tok::new(start, id_end, Kind::Mixed, gap));
    id_end
}

fn number(start: usize, end: usize, gap: bool, value: f64, separated: bool, digits: usize, zero: bool) -> Tok {
    Tok {
        start,
        end,
        kind: Kind::Num,
        gap,
        value,
        plain: !separated,
        digits: digits.min(255) as u8,
        leading_zero: zero && digits > 1,
    }
}

/// Multi-word phrases matched token by token in lowercase.
struct Phrases<T> {
    by_first: FxHashMap<String, Vec<(Vec<String>, T)>>,
}

impl<T> Phrases<T> {
    fn new() -> Self {
        Phrases { by_first: FxHashMap::default() }
    }

    fn add(&mut self, phrase: &str, value: T) {
        let lower = phrase.to_lowercase();
        let mut toks = Vec::new();
        tokenize_into(&lower, &FxHashSet::default(), &mut toks);
        let words: Vec<String> = toks.iter().map(|t| lower[t.start..t.end].to_string()).collect();
        let Some((first, rest)) = words.split_first() else { return };
        let entries = self.by_first.entry(first.clone()).or_default();
        entries.push((rest.to_vec(), value));
        entries.sort_by_key(|(rest, _)| std::cmp::Reverse(rest.len()));
    }

    /// The longest phrase starting at token `i`, and how many tokens it takes.
    fn match_at(&self, c: &Ctx, i: usize) -> Option<(&T, usize)> {
        let entries = self.by_first.get(c.low(i))?;
        entries
            .iter()
            .find(|(rest, _)| rest.iter().enumerate().all(|(k, w)| c.low(i + 1 + k) == w))
            .map(|(rest, v)| (v, rest.len() + 1))
    }
}

struct Ctx<'a> {
    text: &'a str,
    lower: &'a str,
    toks: &'a [Tok],
}

impl Ctx<'_> {
    fn low(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| &self.lower[t.start..t.end])
    }
    fn raw(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| &self.text[t.start..t.end])
    }
    fn kind(&self, i: usize) -> Option<Kind> {
        self.toks.get(i).map(|t| t.kind)
    }
    /// Token `i` exists and touches the one before it.
    fn attached(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| !t.gap)
    }
    fn capitalised_word(&self, i: usize) -> bool {
        self.kind(i) == Some(Kind::Word) && self.raw(i).chars().next().is_some_and(char::is_uppercase)
    }
}

// ---- the tagger ------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    Approximate,
    AtLeast,
    AtMost,
    Nearly,
    RangeOpen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumKind {
    Digits,
    Words,
    Fuzzy,
    Fraction,
}

#[derive(Debug, Clone, Copy)]
struct NumExpr {
    value: f64,
    kind: NumKind,
    /// First and one-past-last token.
    start: usize,
    end: usize,
    /// The scale word applied ("million"), 1 if none.
    scale: f64,
    took_of: bool,
    /// A single word listed in `need_known_unit` ("one").
    needs_known_unit: bool,
    /// A single number word ("two"), which alone is often a pronoun.
    lone_word: bool,
}

/// The last number word read while composing a number.
#[derive(PartialEq)]
enum Last {
    Start,
    Tens,
    Small,
    Hundred,
    Scale,
}

/// What the noun window found.
enum Head {
    Alias { unit: usize, start: usize, end: usize },
    Written { start: usize, end: usize },
    Duration,
    Nothing,
}

/// Finds quantities in text. Build once (it compiles the lexicons), use from any thread.
pub struct QuantityTagger {
    words: FxHashMap<String, f64>,
    scales: FxHashMap<String, f64>,
    articles: FxHashSet<String>,
    need_known_unit: FxHashSet<String>,
    fractions: FxHashMap<String, f64>,
    fraction_need_count: FxHashSet<String>,
    fraction_blocked_after: FxHashSet<String>,
    fuzzy: FxHashMap<String, f64>,
    fuzzy_need_of: FxHashSet<String>,
    before_scale: FxHashSet<String>,
    before: Phrases<Cue>,
    joiners: FxHashSet<String>,
    after: Phrases<Cue>,
    /// Canonical units, indexed by `Head::Alias::unit`.
    units: Vec<String>,
    aliases: Phrases<usize>,
    currency: FxHashMap<String, usize>,
    durations: FxHashSet<String>,
    strength_suffixes: FxHashSet<String>,
    formation_nouns: FxHashSet<String>,
    formation_unit: String,
    other_unit: String,
    preferred: FxHashSet<String>,
    fraction_unit: String,
    months: FxHashSet<String>,
    year_min: f64,
    year_max: f64,
    year_after: FxHashSet<String>,
    times: Phrases<()>,
    id_words: FxHashSet<String>,
    max_words: usize,
    breaks: FxHashSet<String>,
    after_of: FxHashSet<String>,
    not_noun_endings: Vec<String>,
    /// First words of everything that can open a quantity.
    openers: FxHashSet<String>,
    /// Unit words that may be glued to digits ("10km").
    glued: FxHashSet<String>,
}

fn looks_plural(word: &str) -> bool {
    word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us")
}

fn set(words: &[String]) -> FxHashSet<String> {
    words.iter().map(|w| w.to_lowercase()).collect()
}

fn lower_keys(map: HashMap<String, f64>) -> FxHashMap<String, f64> {
    map.into_iter().map(|(k, v)| (k.to_lowercase(), v)).collect()
}

impl QuantityTagger {
    pub fn new(lex: &sitrep_lexicon::Lexicons) -> Result<Self> {
        let numbers: NumbersFile = lex.parse("quantity/numbers.toml")?;
        let modifiers: ModifiersFile = lex.parse("quantity/modifiers.toml")?;
        let units: UnitsFile = lex.parse("quantity/units.toml")?;
        let context: ContextFile = lex.parse("quantity/context.toml")?;

        let mut before = Phrases::new();
        for (cue, list) in [
            (Cue::Approximate, &modifiers.before.approximate),
            (Cue::AtLeast, &modifiers.before.at_least),
            (Cue::AtMost, &modifiers.before.at_most),
            (Cue::Nearly, &modifiers.before.nearly),
            (Cue::RangeOpen, &modifiers.before.range_open),
        ] {
            for p in list {
                before.add(p, cue);
            }
        }
        let mut after = Phrases::new();
        for p in &modifiers.after.at_least {
            after.add(p, Cue::AtLeast);
        }
        for p in &modifiers.after.approximate {
            after.add(p, Cue::Approximate);
        }

        let mut unit_names = Vec::new();
        let mut aliases = Phrases::new();
        let mut glued = set(&units.durations.words);
        for (unit, forms) in &units.aliases {
            let id = unit_names.len();
            unit_names.push(unit.clone());
            for f in forms {
                aliases.add(f, id);
                if f.chars().all(|c| c.is_ascii_alphabetic()) {
                    glued.insert(f.to_lowercase());
                }
            }
        }
        let mut currency = FxHashMap::default();
        for p in &units.currency.prefixes {
            let id = units.aliases.iter().position(|(_, forms)| forms.contains(p));
            ensure!(id.is_some(), "quantity/units.toml: currency prefix {p:?} is no alias of any unit");
            currency.insert(p.clone(), id.unwrap_or_default());
        }
        let mut times = Phrases::new();
        for p in &context.times.after {
            times.add(p, ());
        }

        let mut openers: FxHashSet<String> = FxHashSet::default();
        openers.extend(numbers.numbers.words.keys().map(|k| k.to_lowercase()));
        openers.extend(numbers.numbers.articles.iter().map(|k| k.to_lowercase()));
        openers.extend(numbers.fractions.values.keys().map(|k| k.to_lowercase()));
        openers.extend(numbers.fuzzy.values.keys().map(|k| k.to_lowercase()));
        openers.extend(numbers.fuzzy.before_scale.iter().map(|k| k.to_lowercase()));
        openers.extend(before.by_first.keys().cloned());
        openers.extend(currency.keys().cloned());

        Ok(QuantityTagger {
            words: lower_keys(numbers.numbers.words),
            scales: lower_keys(numbers.numbers.scales),
            articles: set(&numbers.numbers.articles),
            need_known_unit: set(&numbers.numbers.need_known_unit),
            fractions: lower_keys(numbers.fractions.values),
            fraction_need_count: set(&numbers.fractions.need_count),
            fraction_blocked_after: set(&numbers.fractions.blocked_after),
            fuzzy: lower_keys(numbers.fuzzy.values),
            fuzzy_need_of: set(&numbers.fuzzy.need_of),
            before_scale: set(&numbers.fuzzy.before_scale),
            before,
            joiners: set(&modifiers.ranges.joiners),
            after,
            units: unit_names,
            aliases,
            currency,
            durations: set(&units.durations.words),
            strength_suffixes: set(&units.strength.suffixes),
            formation_nouns: set(&units.strength.formation_nouns),
            formation_unit: units.strength.formation_unit,
            other_unit: units.strength.other_unit,
            preferred: units.conversion.preferred.into_iter().collect(),
            fraction_unit: units.fraction.unit,
            months: context.dates.months.into_iter().collect(),
            year_min: context.dates.year_min,
            year_max: context.dates.year_max,
            year_after: set(&context.dates.year_after),
            times,
            id_words: set(&context.ids.before),
            max_words: context.window.max_words,
            breaks: set(&context.window.breaks),
            after_of: set(&context.window.after_of),
            not_noun_endings: context.window.not_noun_endings,
            openers,
            glued,
        })
    }

    /// Quantities in `text`, in order, not overlapping.
    pub fn find(&self, text: &str) -> Vec<QuantityMention> {
        let mut out = Vec::new();
        // Line by line: every line break ends a sentence, so no quantity spans one, and
        // the token buffer stays small and warm.
        let mut lower_buf = Vec::new();
        let mut toks = Vec::new();
        let mut line_start = 0;
        for line in text.split('\n') {
            // Listed words are matched in a lowercased copy with the same byte offsets.
            let lower = lowercase_in_place(line, &mut lower_buf);
            tokenize_into(line, &self.glued, &mut toks);
            let c = Ctx { text: line, lower, toks: &toks };
            let mut i = 0;
            while i < toks.len() {
                let may_open = match toks[i].kind {
                    Kind::Num => true,
                    Kind::Word | Kind::Punct => self.openers.contains(c.low(i)),
                    Kind::Mixed => false,
                };
                if may_open {
                    if let Some((mut q, next)) = self.parse_at(&c, i) {
                        q.span = Span::new(q.span.start + line_start, q.span.end + line_start);
                        out.push(q);
                        i = next;
                        continue;
                    }
                }
                i += 1;
            }
            line_start += line.len() + 1;
        }
        out
    }

    /// A quantity opening at token `i`, and the token after it.
    fn parse_at(&self, c: &Ctx, i: usize) -> Option<(QuantityMention, usize)> {
        if let Some((&cue, n)) = self.before.match_at(c, i) {
            if let Some(num) = self.number_at(c, i + n) {
                return self.finish(c, i, Some(cue), num);
            }
        }
        let num = self.number_at(c, i)?;
        self.finish(c, i, None, num)
    }

    /// A number expression at token `j`: digits (with a scale word), number words, a
    /// vague multiple or a fraction, with a currency symbol before it.
    fn number_at(&self, c: &Ctx, j: usize) -> Option<NumExpr> {
        let mut expr = NumExpr { value: 0.0, kind: NumKind::Digits, start: j, end: j, scale: 1.0, took_of: false, needs_known_unit: false, lone_word: false };
        let tok = *c.toks.get(j)?;
        match tok.kind {
            Kind::Num => {
                expr.value = tok.value;
                expr.end = j + 1;
                if let Some(&s) = self.scales.get(c.low(j + 1)) {
                    expr.value *= s;
                    expr.scale = s;
                    expr.end += 1;
                    // "12 тыс. человек": an abbreviated scale word's full stop.
                    let lowercase_next = c.kind(expr.end + 1) == Some(Kind::Word) && c.raw(expr.end + 1).chars().next().is_some_and(char::is_lowercase);
                    if c.raw(expr.end) == "." && c.attached(expr.end) && lowercase_next {
                        expr.end += 1;
                    }
                }
            }
            Kind::Punct if self.currency.contains_key(c.raw(j)) && c.attached(j + 1) && c.kind(j + 1) == Some(Kind::Num) => {
                let inner = self.number_at(c, j + 1)?;
                return Some(NumExpr { start: j, ..inner });
            }
            Kind::Word => self.word_number(c, j, &mut expr)?,
            _ => return None,
        }
        if matches!(expr.kind, NumKind::Fuzzy | NumKind::Fraction) && c.low(expr.end) == "of" {
            expr.took_of = true;
            expr.end += 1;
        }
        Some(expr)
    }

    fn word_number(&self, c: &Ctx, j: usize, expr: &mut NumExpr) -> Option<()> {
        let w = c.low(j);
        if self.articles.contains(w) {
            let next = c.low(j + 1);
            if self.scales.contains_key(next) {
                // "a dozen", "a hundred", "a million": compose from the scale word on.
                self.compose(c, j + 1, expr, 1.0)?;
                expr.start = j;
                return Some(());
            }
            if let Some(&f) = self.fractions.get(next) {
                expr.value = f;
                expr.kind = NumKind::Fraction;
                expr.end = j + 2;
                return Some(());
            }
            if self.before_scale.contains(next) {
                let &s = self.scales.get(c.low(j + 2))?;
                expr.value = s;
                expr.kind = NumKind::Fuzzy;
                expr.end = j + 3;
                return Some(());
            }
            return None;
        }
        if let Some(&base) = self.fuzzy.get(w) {
            let mut value = base;
            let mut end = j + 1;
            let mut chained = false;
            while c.low(end) == "of" {
                match self.fuzzy.get(c.low(end + 1)) {
                    Some(&more) => {
                        value *= more;
                        end += 2;
                        chained = true;
                    }
                    None => break,
                }
            }
            if self.fuzzy_need_of.contains(w) && !chained && c.low(end) != "of" {
                return None;
            }
            expr.value = value;
            expr.kind = NumKind::Fuzzy;
            expr.end = end;
            return Some(());
        }
        if self.before_scale.contains(w) {
            let &s = self.scales.get(c.low(j + 1))?;
            expr.value = s;
            expr.kind = NumKind::Fuzzy;
            expr.end = j + 2;
            return Some(());
        }
        if let Some(&f) = self.fractions.get(w) {
            if self.fraction_need_count.contains(w) || (j > 0 && self.fraction_blocked_after.contains(c.low(j - 1))) {
                return None;
            }
            expr.value = f;
            expr.kind = NumKind::Fraction;
            expr.end = j + 1;
            return Some(());
        }
        if self.words.contains_key(w) {
            self.compose(c, j, expr, 0.0)?;
            expr.needs_known_unit = expr.end == j + 1 && self.need_known_unit.contains(w);
            expr.lone_word = expr.end == j + 1;
            // "two thirds", "one-third"
            let frac_at = if c.low(expr.end) == "-" && c.attached(expr.end) && c.attached(expr.end + 1) { expr.end + 1 } else { expr.end };
            if let Some(&f) = self.fractions.get(c.low(frac_at)) {
                expr.value *= f;
                expr.kind = NumKind::Fraction;
                expr.end = frac_at + 1;
                expr.needs_known_unit = false;
                expr.lone_word = false;
            }
            return Some(());
        }
        None
    }

    /// "and" after a scale word ("hundred and twenty") or a hyphen between tens and units
    /// ("twenty-five"), when a number word follows.
    fn joins_number_words(&self, c: &Ctx, k: usize, last: &Last) -> bool {
        let next = self.words.get(c.low(k + 1));
        match c.low(k) {
            "and" => matches!(last, Last::Hundred | Last::Scale) && next.is_some(),
            "-" => *last == Last::Tens && c.attached(k) && c.attached(k + 1) && next.is_some_and(|&v| v < 10.0),
            _ => false,
        }
    }

    /// English number words from token `j` on: "twenty-five", "three hundred and twenty",
    /// "two dozen", "a hundred thousand" (`current` = 1 when an article stood for "one").
    fn compose(&self, c: &Ctx, j: usize, expr: &mut NumExpr, mut current: f64) -> Option<()> {
        let mut last = if current > 0.0 { Last::Small } else { Last::Start };
        let mut total = 0.0;
        let mut k = j;
        loop {
            let w = c.low(k);
            if let Some(&v) = self.words.get(w) {
                let fits = matches!(last, Last::Start | Last::Hundred | Last::Scale) || (last == Last::Tens && v < 10.0);
                if !fits {
                    break;
                }
                current += v;
                last = if v >= 20.0 { Last::Tens } else { Last::Small };
                k += 1;
            } else if let Some(&s) = self.scales.get(w) {
                // "hundred" and "dozen" multiply the count before them; "thousand" and up
                // close a group ("three hundred thousand", "two million five hundred").
                let fits = match last {
                    Last::Start => false,
                    Last::Hundred => s >= 1000.0,
                    Last::Scale => false,
                    _ => true,
                };
                if !fits {
                    break;
                }
                if s < 1000.0 {
                    current *= s;
                    last = Last::Hundred;
                } else {
                    total += current * s;
                    current = 0.0;
                    expr.scale = s;
                    last = Last::Scale;
                }
                k += 1;
            } else if self.joins_number_words(c, k, &last) {
                k += 1;
            } else {
                break;
            }
        }
        if k == j {
            return None;
        }
        expr.value = total + current;
        expr.kind = NumKind::Words;
        expr.end = k;
        Some(())
    }

    /// Completes a quantity whose number expression `num` opened at `i` (after `cue`):
    /// ranges, trailing bounds, units, and the checks that rule out dates, ids, times.
    fn finish(&self, c: &Ctx, i: usize, mut cue: Option<Cue>, num: NumExpr) -> Option<(QuantityMention, usize)> {
        let mut start = if cue.is_some() { i } else { num.start };
        let mut end = num.end;
        let mut value = num.value;

        // Ranges.
        let mut range = None;
        let joiner = c.low(end);
        if self.joiners.contains(joiner) && matches!(num.kind, NumKind::Digits | NumKind::Words) {
            let dash = !joiner.chars().all(char::is_alphabetic);
            let allowed = match cue {
                Some(Cue::RangeOpen) => (c.low(i) == "between") == (joiner == "and") && joiner != "-",
                _ => joiner == "to" || (dash && c.attached(end) && c.attached(end + 1)),
            };
            let second = if allowed { self.number_at(c, end + 1) } else { None };
            match second {
                Some(b) if matches!(b.kind, NumKind::Digits | NumKind::Words) => {
                    let a = if b.scale > 1.0 && num.scale == 1.0 { value * b.scale } else { value };
                    if self.year_like(c, &num) && self.year_like(c, &b) {
                        return None; // "2022-2023"
                    }
                    if b.value > a {
                        range = Some((a, b.value));
                        end = b.end;
                    } else if dash {
                        return None; // "2025-03-21", "3-2": not a count
                    }
                }
                _ if dash && c.attached(end + 1) && c.kind(end + 1) == Some(Kind::Num) => return None,
                _ => {}
            }
        }
        if cue == Some(Cue::RangeOpen) && range.is_none() {
            cue = None;
            start = num.start;
        }

        // Trailing bounds: "100 or more", "100+", "100 or so".
        let mut after = None;
        if let Some((&a, n)) = self.after.match_at(c, end) {
            if c.kind(end) != Some(Kind::Punct) || c.attached(end) {
                after = Some(a);
                end += n;
            }
        }

        if !self.counts_here(c, &num, cue, range.is_some()) {
            return None;
        }

        // Units.
        let mut unit: Option<String> = None;
        let mut noun: Option<(usize, usize)> = None;
        let mut known_unit = false;
        let mut strong = false;
        if let Some(&cur) = c.toks.get(num.start).filter(|t| t.kind == Kind::Punct).and_then(|_| self.currency.get(c.raw(num.start))) {
            unit = Some(self.units[cur].clone());
            known_unit = true;
        } else if c.low(end) == "-" && c.attached(end) && c.attached(end + 1) && c.kind(end + 1) == Some(Kind::Word) {
            let w = c.low(end + 1);
            if self.durations.contains(w) {
                return None; // "30-day"
            }
            if self.strength_suffixes.contains(w) {
                strong = true;
                end += 2;
            } else if let Some((&u, n)) = self.aliases.match_at(c, end + 1) {
                unit = Some(self.units[u].clone());
                noun = Some((end + 1, end + 1 + n));
                known_unit = true;
                end += 1 + n;
            } else if c.raw(end + 1).chars().all(|ch| ch.is_lowercase()) {
                unit = Some(c.raw(end + 1).to_string());
                noun = Some((end + 1, end + 2));
                end += 2;
            }
        }
        if unit.is_none() {
            let mut k = end;
            if num.took_of || matches!(num.kind, NumKind::Fraction | NumKind::Fuzzy) || strong {
                while self.after_of.contains(c.low(k)) {
                    k += 1;
                }
            }
            let mut head = self.head(c, k);
            let mut in_span = true;
            // "54 of 72 drones", "2 of its soldiers": the count borrows the noun of the
            // whole it is part of; the span stays on the count, so "72 drones" is a
            // quantity of its own.
            if matches!(head, Head::Nothing) && matches!(num.kind, NumKind::Digits | NumKind::Words) && c.low(k) == "of" {
                let mut whole = k + 1;
                while self.after_of.contains(c.low(whole)) {
                    whole += 1;
                }
                if c.kind(whole) == Some(Kind::Num) {
                    whole += 1;
                }
                head = self.head(c, whole);
                in_span = false;
            }
            match head {
                Head::Duration => return None,
                Head::Alias { unit: u, start: s, end: e } => {
                    unit = Some(self.units[u].clone());
                    noun = Some((s, e));
                    known_unit = true;
                }
                Head::Written { start: s, end: e } => {
                    unit = Some(c.text[c.toks[s].start..c.toks[e - 1].end].to_string());
                    noun = Some((s, e));
                }
                Head::Nothing => {}
            }
            if let Some((_, e)) = noun.filter(|_| in_span) {
                end = end.max(e);
            }
        }
        if strong {
            let head_is_formation = noun.is_some_and(|(s, e)| self.formation_nouns.contains(&c.lower[c.toks[s].start..c.toks[e - 1].end]));
            if !known_unit {
                unit = Some(if head_is_formation { self.formation_unit.clone() } else { self.other_unit.clone() });
            }
            known_unit = true;
        }
        if num.kind == NumKind::Fraction {
            if noun.is_none() && cue.is_none() {
                return None; // "cut in half"
            }
            unit = Some(self.fraction_unit.clone());
        }
        if num.needs_known_unit && !known_unit {
            return None;
        }
        // "the two met", "the two": a lone number word needs a bound, a known unit or a
        // plural noun to be a count.
        let plural_noun = noun.is_some_and(|(s, e)| looks_plural(&c.text[c.toks[s].start..c.toks[e - 1].end]));
        if num.lone_word && cue.is_none() && !strong && !known_unit && !(plural_noun && num.value > 1.0) {
            return None;
        }
        let after_year_word = num.start > 0 && self.year_after.contains(c.low(num.start - 1));
        if num.kind == NumKind::Digits && cue.is_none() && range.is_none() && self.year_like(c, &num) && (after_year_word || !(known_unit && noun.is_some_and(|(s, _)| s == num.end))) {
            return None;
        }

        // A bracketed conversion: "five kilometers (three miles)".
        if unit.is_some() && c.low(end) == "(" {
            if let Some((inner, inner_unit, inner_noun, close)) = self.conversion(c, end + 1) {
                if self.preferred.contains(self.units[inner_unit].as_str()) && !unit.as_deref().is_some_and(|u| self.preferred.contains(u)) {
                    value = inner.value;
                    range = None;
                    unit = Some(self.units[inner_unit].clone());
                    noun = Some(inner_noun);
                }
                end = close + 1;
            }
        }

        let (mut v, mut min, max, mut approximate) = match (range, num.kind, cue) {
            (Some((a, b)), _, _) => (None, Some(a), Some(b), cue == Some(Cue::Approximate)),
            (None, NumKind::Fuzzy, Some(Cue::AtMost)) => (None, None, Some(value), true),
            (None, NumKind::Fuzzy, _) => (None, Some(value), None, true),
            (None, _, Some(Cue::Approximate)) => (Some(value), None, None, true),
            (None, _, Some(Cue::AtLeast)) => (None, Some(value), None, false),
            (None, _, Some(Cue::AtMost)) => (None, None, Some(value), false),
            (None, _, Some(Cue::Nearly)) => (None, None, Some(value), true),
            (None, _, _) => (Some(value), None, None, false),
        };
        match after {
            Some(Cue::AtLeast) if range.is_none() && cue.is_none() => {
                min = v.take();
            }
            Some(Cue::Approximate) => approximate = true,
            _ => {}
        }
        if v.is_none() && min.is_none() && max.is_none() {
            v = Some(value);
        }
        let last = end.min(c.toks.len()) - 1;
        let q = QuantityMention {
            span: Span::new(c.toks[start].start, c.toks[last].end),
            value: v,
            min,
            max,
            unit,
            noun: noun.map(|(s, e)| c.text[c.toks[s].start..c.toks[e - 1].end].to_string()),
            approximate,
        };
        Some((q, last + 1))
    }

    fn year_like(&self, c: &Ctx, num: &NumExpr) -> bool {
        let t = &c.toks[num.start];
        num.kind == NumKind::Digits && t.kind == Kind::Num && t.plain && t.digits == 4 && num.scale == 1.0 && (self.year_min..=self.year_max).contains(&t.value)
    }

    /// False when the number at `num` is a date, a time, an id or part of a code.
    fn counts_here(&self, c: &Ctx, num: &NumExpr, cue: Option<Cue>, is_range: bool) -> bool {
        let first = num.start;
        let Some(t) = c.toks.get(first) else { return false };
        if t.kind == Kind::Num {
            let prev = first.checked_sub(1);
            let prev_raw = prev.map_or("", |p| c.raw(p));
            // Glued to what comes before: "Su-34", "FAB-3000", "2025-03-21", "10:30".
            if !t.gap {
                if let Some(p) = prev {
                    let code_mark = matches!(prev_raw, "-" | "/" | ":" | "." | "–");
                    if (code_mark && p > 0 && !c.toks[p].gap && c.kind(p - 1) != Some(Kind::Punct)) || c.kind(p) != Some(Kind::Punct) {
                        return false;
                    }
                }
            }
            // Leading zeros and digit groups after another number: codes and phone numbers.
            if t.leading_zero || prev.is_some_and(|p| matches!(c.kind(p), Some(Kind::Num | Kind::Mixed))) {
                return false;
            }
            // Glued to what follows: "10:30", "12/03/2025".
            if matches!(c.raw(num.end), ":" | "/") && c.attached(num.end) && c.attached(num.end + 1) && c.kind(num.end + 1) == Some(Kind::Num) {
                return false;
            }
            // Ids: "No. 5", "Resolution 2202", "#3".
            let id_before = |p: usize| self.id_words.contains(c.low(p));
            if cue.is_none() {
                if let Some(p) = prev {
                    if id_before(p) || (prev_raw == "." && p > 0 && c.attached(p) && id_before(p - 1)) {
                        return false;
                    }
                }
            }
            // Dates: "March 12", "12 March", "March 2024".
            let day_or_year = t.plain && (t.value.fract() == 0.0 && (1.0..=31.0).contains(&t.value) || self.year_like(c, num));
            if day_or_year && !is_range {
                let month_before = prev.is_some_and(|p| self.months.contains(c.raw(p)) || (c.raw(p) == "." && p > 0 && self.months.contains(c.raw(p - 1))));
                let month_after = self.months.contains(c.raw(first + 1)) || (c.low(first + 1) == "of" && self.months.contains(c.raw(first + 2)));
                if month_before || month_after {
                    return false;
                }
            }
            // Clock times: "10 a.m.", "0600 GMT".
            if self.times.match_at(c, num.end).is_some() {
                return false;
            }
        }
        true
    }

    /// The counted noun in the window starting at token `k`.
    fn head(&self, c: &Ctx, mut k: usize) -> Head {
        let mut words = 0;
        let mut first_plural = None;
        let mut last_lower = None;
        while words < self.max_words && k < c.toks.len() {
            if let Some((&u, n)) = self.aliases.match_at(c, k) {
                return Head::Alias { unit: u, start: k, end: k + n };
            }
            if c.kind(k) != Some(Kind::Word) {
                break;
            }
            let w = c.low(k);
            if self.durations.contains(w) {
                return Head::Duration; // "six months", "three more days"
            }
            if w == "and" || w == "or" {
                if c.capitalised_word(k + 1) {
                    k += 1;
                    continue;
                }
                break;
            }
            if self.breaks.contains(w) {
                break;
            }
            let mut e = k + 1;
            // Hyphenated compounds and model names: "long-range", "Shahed-136", "Kh-101".
            while c.raw(e) == "-" && c.attached(e) && c.attached(e + 1) && c.kind(e + 1) != Some(Kind::Punct) {
                e += 2;
            }
            let written = &c.text[c.toks[k].start..c.toks[e - 1].end];
            if written.chars().next().is_some_and(char::is_lowercase) {
                let verb_like = self.not_noun_endings.iter().any(|s| written.ends_with(s.as_str()));
                if verb_like && last_lower.is_some() {
                    break; // "territory initially seized"
                }
                if !verb_like {
                    last_lower = Some((k, e));
                    if looks_plural(written) && first_plural.is_none() {
                        first_plural = Some((k, e));
                    }
                }
            }
            words += 1;
            k = e;
        }
        // A window used up without a plural means the noun phrase goes on past it: its
        // head is unknown ("6 very old Soviet Grad-type rockets").
        let ended = words < self.max_words || c.kind(k) != Some(Kind::Word) || self.breaks.contains(c.low(k));
        match first_plural.or(last_lower.filter(|_| ended)) {
            Some((start, end)) => Head::Written { start, end },
            None => Head::Nothing,
        }
    }

    /// "(three miles)" at token `k`: the number, its unit, the unit's tokens and the
    /// closing bracket's token.
    fn conversion(&self, c: &Ctx, k: usize) -> Option<(NumExpr, usize, (usize, usize), usize)> {
        let at = self.before.match_at(c, k).map_or(k, |(_, n)| k + n);
        let inner = self.number_at(c, at)?;
        let (&u, n) = self.aliases.match_at(c, inner.end)?;
        let close = inner.end + n;
        (c.raw(close) == ")").then_some((inner, u, (inner.end, close), close))
    }
}

#[cfg(test)]
mod tests;
