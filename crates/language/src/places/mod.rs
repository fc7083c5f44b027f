//! Place recognition and resolution.
//!
//! **Recognition.** The text is cut into words; every run of up to [`MAX_WORDS`]
//! capitalised words (lower-case particles allowed inside: "Rostov-on-Don") is looked up,
//! longest first, in the gazetteer's normalised-name index. An Aho-Corasick automaton over
//! all ~830,000 spellings (~10 million bytes of patterns) would take well over 100 MB and
//! report lower-case hits we would throw away; capitalised n-grams against the `fst` index
//! keep memory at the index's size and cost a few lookups per capitalised word. Stop lists
//! (`lexicons/places/stoplist.toml`) and person cues keep people, weapons, months and
//! organisations out: a title or first name before a name, a surname right after another
//! capitalised word (remembered for the rest of the article: "John Kelly ... Kelly said"),
//! an organisation word after it ("The Moscow Times"). A sentence opener that the article
//! also writes in lower case is a common word ("More", "Still"). A name the gazetteer
//! lacks is still kept when the text marks it as a place ("the villages of Rubanshchina
//! and Zaoleshenka"; "X, a village in ...").
//!
//! **Resolution.** Each candidate is scored from its feature class and population (a
//! capital, `PPLC`, a little more; a match only through an alternate name a little less),
//! the area word after the name ("Sumy region" → the oblast), the type phrase before it
//! ("the city of"), an area right after it ("Paris, Texas"); then a document pass adds the
//! article's theatre (the countries and regions its other places resolve to) and nearness
//! to its other places, and gives a bare name the sense the article's explicit mentions of
//! it mostly have ("Kursk" after "Kursk region"). Places the gazetteer cannot locate take
//! the point of the place the text relates them to ("both near Sudzha"), with the
//! relation's uncertainty radius.

mod tokens;

// FxHash: these sets are probed for every capitalised word, and SipHash was a tenth of
// place tagging; their keys come from our own lexicons and the gazetteer, not an attacker.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use anyhow::Result;
use serde::Deserialize;
use sitrep_lexicon::Lexicons;

use crate::gazetteer::normalize::{join_words, normalize};
use crate::gazetteer::{GazEntry, Gazetteer, Slot};
use crate::{Feature, PlaceMention, Span};
use tokens::{tokenize, Gap, Tok};

/// Longest name looked up, in words ("Bosnia and Herzegovina" is 3).
pub const MAX_WORDS: usize = 6;

/// Span of text whose places are resolved together (a long news article).
pub const WINDOW_BYTES: usize = 40_000;

#[derive(Deserialize)]
struct StopFile {
    common_words: Vec<String>,
    not_places: Vec<String>,
    persons: Vec<String>,
    first_names: Vec<String>,
    titles: Vec<String>,
    months: Vec<String>,
    weekdays: Vec<String>,
    weapons: Vec<String>,
    demonyms: Vec<String>,
    organisation_followers: Vec<String>,
    short_codes: Vec<String>,
}

#[derive(Deserialize)]
struct AreasFile {
    region_words: Vec<String>,
    region_plurals: Vec<String>,
    district_words: Vec<String>,
    district_plurals: Vec<String>,
    settlement_words: Vec<String>,
    settlement_plurals: Vec<String>,
    name_particles: Vec<String>,
    list_joiners: Vec<String>,
}

#[derive(Deserialize)]
struct InflectionsFile {
    endings: Vec<Ending>,
}

#[derive(Deserialize)]
struct Ending {
    from: String,
    to: String,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
enum RelKind {
    Type,
    Near,
    Direction,
    Outskirts,
    In,
}

#[derive(Deserialize, Clone)]
struct RelationDef {
    phrase: String,
    kind: RelKind,
    #[serde(default)]
    feature: Option<String>,
    #[serde(default)]
    uncertainty_km: Option<f64>,
}

#[derive(Deserialize)]
struct RelationsFile {
    relation: Vec<RelationDef>,
    containment_km: HashMap<String, f64>,
}

/// What a word after (or a phrase before) the name says about the kind of place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Cue {
    Region,
    District,
    Settlement(Option<Feature>),
}

#[derive(Debug, Clone)]
struct Relation {
    /// As written in the text.
    text: String,
    kind: RelKind,
    feature: Option<Feature>,
    uncertainty_km: Option<f64>,
}

/// The located place an unknown toponym is placed through ("both near Sudzha").
#[derive(Debug, Clone)]
struct Anchor {
    name: String,
    lat: f64,
    lon: f64,
    uncertainty_km: f64,
    admin1: Option<String>,
    country: Option<String>,
}

#[derive(Debug, Clone)]
struct Mention {
    last_tok: usize,
    span: Span,
    key: String,
    cands: Vec<Slot>,
    /// From an area word after the name.
    cue: Option<Cue>,
    /// The cue came from a plural word, so it applies to the whole list before it.
    plural_cue: bool,
    relation: Option<Relation>,
    /// Index of the previous member of the list this mention belongs to.
    list_prev: Option<usize>,
    /// Keys of a region or country written right after the name ("Paris, Texas").
    qualifier: Option<String>,
    /// Chosen candidate.
    choice: Option<Slot>,
    why: String,
    anchor: Option<Anchor>,
}

/// What recognition learns about one document as it reads it.
#[derive(Default)]
struct DocContext<'t> {
    /// Surnames seen after a first name or title: the same word alone later is the
    /// person too ("John Kelly ... Kelly said").
    persons: HashSet<String>,
    _text: std::marker::PhantomData<&'t str>,
}

/// How far around a sentence opener to look for the same word in lower case.
const LOWER_CASE_REACH: usize = 6_000;

/// True when `word` (lower case) stands as a whole word within LOWER_CASE_REACH of `at`.
fn written_lower_near(text: &str, at: usize, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let mut from = at.saturating_sub(LOWER_CASE_REACH);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = (at + LOWER_CASE_REACH).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let window = &text[from..to];
    window.match_indices(word).any(|(i, _)| {
        let before = window[..i].chars().next_back();
        let after = window[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Finds and resolves places in text. Build once, use for many documents.
pub struct PlaceTagger {
    gaz: Gazetteer,
    stop_always: HashSet<String>,
    /// First words of multi-word stop phrases ("storm" of "Storm Shadow").
    stop_heads: HashSet<String>,
    /// Last words of type phrases ("of" of "the village of").
    type_tails: HashSet<String>,
    stop_initial: HashSet<String>,
    persons: HashSet<String>,
    first_names: HashSet<String>,
    titles: HashSet<String>,
    org_followers: HashSet<String>,
    short_codes: HashSet<String>,
    region_words: HashSet<String>,
    region_plurals: HashSet<String>,
    district_words: HashSet<String>,
    district_plurals: HashSet<String>,
    settlement_words: HashSet<String>,
    settlement_plurals: HashSet<String>,
    particles: HashSet<String>,
    joiners: HashSet<String>,
    /// Longest phrase first.
    relations: Vec<RelationDef>,
    /// Case endings of Cyrillic names (folded), longest first: (ending, replacement).
    endings: Vec<(String, String)>,
    containment_km: HashMap<String, f64>,
}

fn keys(words: &[String]) -> HashSet<String> {
    words.iter().map(|w| normalize(w)).filter(|k| !k.is_empty()).collect()
}

fn lower(words: &[String]) -> HashSet<String> {
    words.iter().map(|w| w.to_lowercase()).collect()
}

fn feature_word(s: &str) -> Option<Feature> {
    Some(match s {
        "city" => Feature::City,
        "town" => Feature::Town,
        "village" => Feature::Village,
        "region" => Feature::Region,
        "district" => Feature::District,
        "country" => Feature::Country,
        _ => return None,
    })
}

fn feature_key(f: Feature) -> &'static str {
    match f {
        Feature::Country => "country",
        Feature::Region => "region",
        Feature::District => "district",
        Feature::City => "city",
        Feature::Town => "town",
        Feature::Village => "village",
        Feature::Other => "other",
    }
}

fn is_settlement(f: Feature) -> bool {
    matches!(f, Feature::City | Feature::Town | Feature::Village)
}

const EARTH_RADIUS_KM: f64 = 6371.0088;

fn unit_vector(lat: f64, lon: f64) -> [f64; 3] {
    let (la, lo) = (lat.to_radians(), lon.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

/// Great-circle distance in km.
/// Whether `e`'s first-level area is the region `region` (by any of its names).
fn in_region(e: &GazEntry, region: &GazEntry) -> bool {
    e.country == region.country && e.admin1.as_deref().is_some_and(|n| n == region.name || region.names().any(|x| x == n))
}

/// The first member of the list mention `k` stands in.
fn first_of_list(ms: &[Mention], mut k: usize) -> usize {
    while let Some(p) = ms[k].list_prev {
        k = p;
    }
    k
}

pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

impl PlaceTagger {
    pub fn new(gaz: &Gazetteer, lex: &Lexicons) -> Result<Self> {
        let stop: StopFile = lex.parse("places/stoplist.toml")?;
        let areas: AreasFile = lex.parse("places/areas.toml")?;
        let rel: RelationsFile = lex.parse("places/relations.toml")?;
        let mut stop_always = keys(&stop.not_places);
        for list in [&stop.persons, &stop.months, &stop.weekdays, &stop.weapons, &stop.demonyms] {
            stop_always.extend(keys(list));
        }
        let infl: InflectionsFile = lex.parse("places/inflections.toml")?;
        let fold = |w: &str| {
            let mut f = String::new();
            crate::gazetteer::normalize::fold_word_into(w, &mut f);
            f
        };
        let mut endings: Vec<(String, String)> = infl.endings.iter().map(|e| (fold(&e.from), fold(&e.to))).filter(|(f, _)| !f.is_empty()).collect();
        endings.sort_by(|a, b| b.0.chars().count().cmp(&a.0.chars().count()));
        let mut relations = rel.relation;
        for r in &mut relations {
            r.phrase = r.phrase.to_lowercase();
        }
        relations.sort_by(|a, b| b.phrase.len().cmp(&a.phrase.len()).then(a.phrase.cmp(&b.phrase)));
        let stop_heads = stop_always.iter().filter_map(|k| k.split_once(' ').map(|(h, _)| h.to_string())).collect();
        let type_tails = relations.iter().filter(|r| r.kind == RelKind::Type).filter_map(|r| r.phrase.split_whitespace().last().map(normalize)).collect();
        Ok(PlaceTagger {
            gaz: gaz.clone(),
            stop_heads,
            type_tails,
            stop_always,
            stop_initial: keys(&stop.common_words),
            persons: keys(&stop.persons),
            first_names: keys(&stop.first_names),
            titles: keys(&stop.titles),
            org_followers: keys(&stop.organisation_followers),
            short_codes: stop.short_codes.iter().cloned().collect(),
            region_words: lower(&areas.region_words),
            region_plurals: lower(&areas.region_plurals),
            district_words: lower(&areas.district_words),
            district_plurals: lower(&areas.district_plurals),
            settlement_words: lower(&areas.settlement_words),
            settlement_plurals: lower(&areas.settlement_plurals),
            particles: keys(&areas.name_particles),
            joiners: lower(&areas.list_joiners),
            relations,
            endings,
            containment_km: rel.containment_km,
        })
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gaz
    }

    /// Places named in `text`, in text order, resolved where the gazetteer allows.
    pub fn find(&self, text: &str) -> Vec<PlaceMention> {
        let toks = tokenize(text);
        let mut mentions = self.recognise(text, &toks);
        self.resolve_in_windows(text, &mut mentions);
        mentions.iter().map(|m| self.to_place(text, m)).collect()
    }

    /// The document pass compares every name with every other, so a huge input (many
    /// articles run together) is resolved in windows of about [`WINDOW_BYTES`].
    fn resolve_in_windows(&self, text: &str, ms: &mut [Mention]) {
        let mut start = 0;
        while start < ms.len() {
            let limit = ms[start].span.start + WINDOW_BYTES;
            let mut end = start + 1;
            while end < ms.len() && ms[end].span.start < limit {
                end += 1;
            }
            self.resolve(text, &mut ms[start..end]);
            start = end;
        }
    }

    /// Resolve given spans as place names (for evaluation against gold toponyms): the
    /// same scoring and document pass as [`find`](Self::find), recognition skipped.
    pub fn resolve_spans(&self, text: &str, spans: &[Span]) -> Vec<PlaceMention> {
        let toks = tokenize(text);
        let mut mentions: Vec<Mention> = Vec::new();
        for s in spans {
            if s.start > s.end || s.end > text.len() || !text.is_char_boundary(s.start) || !text.is_char_boundary(s.end) {
                continue;
            }
            let first = toks.iter().position(|t| t.end > s.start).unwrap_or(toks.len());
            let last = toks.iter().rposition(|t| t.start < s.end).unwrap_or(0);
            if first >= toks.len() || last < first {
                continue;
            }
            let key = normalize(&text[s.start..s.end]);
            // A span the caller says is a place and that is a demonym ("Russian") stands
            // for its country, not for a namesake village.
            let demonym = self.gaz.demonym_slots(&key);
            let cands = if demonym.is_empty() { self.gaz.lookup_key(&key) } else { demonym };
            let mut m = self.new_mention(last, *s, key, cands);
            self.area_cue(text, &toks, &mut m);
            m.span = *s;
            m.relation = self.relation_before(text, m.span.start);
            mentions.push(m);
        }
        self.resolve(text, &mut mentions);
        mentions.iter().map(|m| self.to_place(text, m)).collect()
    }

    fn new_mention(&self, last: usize, span: Span, key: String, cands: Vec<Slot>) -> Mention {
        Mention { last_tok: last, span, key, cands, cue: None, plural_cue: false, relation: None, list_prev: None, qualifier: None, choice: None, why: String::new(), anchor: None }
    }

    fn key_of(&self, toks: &[Tok], a: usize, b: usize) -> String {
        let words: Vec<&str> = toks[a..=b].iter().map(|t| t.folded.as_ref()).collect();
        join_words(&words)
    }

    /// The last token a name starting at `a` may reach: joined by spaces or hyphens,
    /// lower-case words inside only if they are name particles, at most MAX_WORDS.
    fn reach(&self, toks: &[Tok], a: usize) -> usize {
        let mut b = a;
        while b + 1 < toks.len() && b + 1 - a < MAX_WORDS {
            let n = &toks[b + 1];
            if !matches!(n.gap, Gap::Space | Gap::Hyphen) || !(n.cap || n.is_number() || (!n.folded.is_empty() && self.particles.contains(n.folded.as_ref()))) {
                break;
            }
            b += 1;
        }
        b
    }

    /// Tokens a..=b (within reach) may form one name: it ends on a capitalised word or a
    /// number ("Kh-101").
    fn ends_name(toks: &[Tok], b: usize) -> bool {
        toks[b].cap || toks[b].is_number()
    }

    fn word<'t>(&self, text: &'t str, t: &Tok) -> &'t str {
        &text[t.start..t.end]
    }

    fn recognise(&self, text: &str, toks: &[Tok]) -> Vec<Mention> {
        let mut out: Vec<Mention> = Vec::new();
        let mut ctx = DocContext::default();
        let mut i = 0;
        while i < toks.len() {
            let t = &toks[i];
            if !t.cap {
                i += 1;
                continue;
            }
            let reach = self.reach(toks, i);
            // The longest run of words from here that is a name.
            let mut longest: Option<(usize, Vec<Slot>)> = None;
            let mut walk = self.gaz.key_walk();
            for b in i..=reach {
                if !walk.push(toks[b].folded.as_ref()) {
                    break;
                }
                if Self::ends_name(toks, b) {
                    let cands = walk.candidates();
                    if !cands.is_empty() {
                        longest = Some((b, cands));
                    }
                }
            }
            let mut found: Option<(usize, String, Vec<Slot>)> = longest.map(|(b, cands)| (b, self.key_of(toks, i, b), cands));
            // A Cyrillic word may be a case form even when the gazetteer knows it as
            // written (a junk alias "Белгородской" of a district): add the readings of its
            // base form.
            if found.as_ref().is_none_or(|f| f.0 == i) {
                if let Some((key, cands)) = self.inflected(toks, i) {
                    match found.as_mut() {
                        Some(f) => {
                            for c in cands {
                                if !f.2.contains(&c) {
                                    f.2.push(c);
                                }
                            }
                        }
                        None => found = Some((i, key, cands)),
                    }
                }
            }
            // Stop phrases ("Storm Shadow", "North") are skipped whole, unless a longer
            // name starts here ("North Korea").
            let found_len = found.as_ref().map_or(0, |f| f.0 + 1 - i);
            let stop_len = if self.stop_heads.contains(toks[i].folded.as_ref()) {
                (i..=reach.min(i + 2)).rev().find(|&b| Self::ends_name(toks, b) && self.stop_always.contains(&self.key_of(toks, i, b))).map_or(0, |b| b + 1 - i)
            } else {
                usize::from(self.stop_always.contains(toks[i].folded.as_ref()))
            };
            if stop_len > 0 && stop_len >= found_len {
                i += stop_len;
                continue;
            }
            match found {
                Some((b, key, cands)) if self.accept(text, toks, i, b, &key, &cands, &mut ctx) => {
                    let span = Span::new(toks[i].start, toks[b].end);
                    let mut m = self.new_mention(b, span, key, cands);
                    let next = self.area_cue(text, toks, &mut m);
                    m.relation = self.relation_before(text, m.span.start);
                    out.push(m);
                    i = next;
                }
                Some(_) => i += 1,
                None => {
                    // Not in the gazetteer: a place only if the text says so.
                    if let Some(m) = self.unknown_place(text, toks, i, &out) {
                        i = m.last_tok + 1;
                        out.push(m);
                    } else {
                        i += 1;
                    }
                }
            }
        }
        self.link_lists(text, &mut out);
        out
    }

    /// A Cyrillic word in a case form ("Курской", "Судже"): the first rewrite of its
    /// ending that the gazetteer knows.
    fn inflected(&self, toks: &[Tok], i: usize) -> Option<(String, Vec<Slot>)> {
        let w: &str = toks[i].folded.as_ref();
        if !w.chars().next().is_some_and(|c| matches!(c, '\u{0400}'..='\u{04FF}')) {
            return None;
        }
        for (from, to) in &self.endings {
            if let Some(stem) = w.strip_suffix(from.as_str()) {
                if stem.chars().count() < 3 {
                    continue;
                }
                let key = format!("{stem}{to}");
                let cands = self.gaz.lookup_key(&key);
                if !cands.is_empty() {
                    return Some((key, cands));
                }
            }
        }
        None
    }

    /// Stop lists and person cues for a gazetteer hit on tokens a..=b.
    #[allow(clippy::too_many_arguments)]
    fn accept<'t>(&self, text: &'t str, toks: &[Tok<'t>], a: usize, b: usize, key: &str, cands: &[Slot], ctx: &mut DocContext<'t>) -> bool {
        let t = &toks[a];
        if self.stop_always.contains(key) || (a == b && ctx.persons.contains(key)) {
            return false;
        }
        if t.initial && self.stop_initial.contains(key) {
            return false;
        }
        // A capitalised sentence opener that the article also writes in lower case is a
        // common word ("More", "Still"), whatever places share its spelling.
        if a == b && t.initial && written_lower_near(text, t.start, &self.word(text, t).to_lowercase()) {
            return false;
        }
        // Capitals: two letters only for listed codes ("US"); longer all-caps words only
        // when a candidate is written so ("USA", "DPRK") or the whole line shouts.
        if a == b && t.all_caps {
            let surface = self.word(text, t);
            if t.letters <= 2 && !self.short_codes.contains(surface.trim_end_matches('.').replace('.', "").as_str()) {
                return false;
            }
            if t.letters > 2 && !cands.iter().any(|&s| self.gaz.slot(s).names().any(|n| n == surface)) {
                return false;
            }
        }
        // Short words ("As", "On", "He") are names only when written exactly so
        // mid-sentence; an opener that short is a function word.
        if a == b && t.letters <= 3 && !t.all_caps {
            let surface = self.word(text, t);
            if t.initial || !cands.iter().any(|&s| self.gaz.slot(s).names().any(|n| n == surface)) {
                return false;
            }
        }
        // A first name followed by a capitalised word, or a title/first name before.
        let next = toks.get(b + 1).filter(|n| n.gap == Gap::Space && n.cap);
        if let Some(n) = next {
            if self.first_names.contains(key) || self.persons.contains(n.folded.as_ref()) {
                // Remember the other half, unless it is plainly a place ("Jordan Iran"
                // is not a person's name).
                if !self.is_strong_place(&n.folded) {
                    ctx.persons.insert(n.folded.to_string());
                }
                if a == b && !self.first_names.contains(key) {
                    ctx.persons.insert(key.to_string());
                }
                return false;
            }
            if self.org_followers.contains(n.folded.as_ref()) {
                return false;
            }
        }
        if a > 0 && toks[a].gap == Gap::Space && toks[a - 1].cap {
            let p = &toks[a - 1];
            if self.titles.contains(p.folded.as_ref()) || self.first_names.contains(p.folded.as_ref()) {
                if a == b && !self.is_strong_place(key) {
                    ctx.persons.insert(key.to_string());
                }
                return false;
            }
            // "Angelica Evans": a surname after another capitalised word that is not a
            // place, a stop word or a sentence opener.
            let prev_is_known = self.gaz.has_key(&p.folded) && !self.first_names.contains(p.folded.as_ref());
            if a == b && !p.initial && !prev_is_known && !self.stop_always.contains(p.folded.as_ref()) {
                if !self.is_strong_place(key) {
                    ctx.persons.insert(key.to_string());
                }
                return false;
            }
        }
        true
    }

    /// A name that is the very name (not an alternate) of a country, a first-level area
    /// or a city of 100,000.
    fn is_strong_place(&self, key: &str) -> bool {
        self.gaz.lookup_key(key).into_iter().any(|s| {
            let e = self.gaz.slot(s);
            normalize(&e.name) == key && (matches!(e.feature, Feature::Country | Feature::Region) || e.population >= 100_000)
        })
    }

    /// An area or settlement word after the mention ("Sumy region", "Kharkiv and Sumy
    /// regions", "Kursk city"); extends the span over a singular word. Returns the index
    /// of the first token after the mention.
    fn area_cue(&self, text: &str, toks: &[Tok], m: &mut Mention) -> usize {
        let b = m.last_tok;
        let Some(n) = toks.get(b + 1) else { return b + 1 };
        if toks[b].possessive {
            return b + 1;
        }
        let w = self.word(text, n).to_lowercase();
        let joined = matches!(n.gap, Gap::Space | Gap::Hyphen);
        if joined {
            let singular = if self.region_words.contains(&w) {
                Some(Cue::Region)
            } else if self.district_words.contains(&w) {
                Some(Cue::District)
            } else if self.settlement_words.contains(&w) {
                Some(Cue::Settlement(feature_word(&w)))
            } else {
                None
            };
            if let Some(c) = singular {
                m.cue = Some(c);
                m.span.end = n.end;
                return b + 2;
            }
        }
        // "Donetsk, Zaporizhzhia, Luhansk and Kherson — regions that ..."
        let gap = &text[toks[b].end..n.start];
        let gap_ok = joined || gap.trim().chars().all(|c| matches!(c, '—' | '–' | '-' | ','));
        if gap_ok {
            if self.region_plurals.contains(&w) {
                m.cue = Some(Cue::Region);
            } else if self.district_plurals.contains(&w) {
                m.cue = Some(Cue::District);
            } else if self.settlement_plurals.contains(&w) {
                m.cue = Some(Cue::Settlement(None));
            }
            m.plural_cue = m.cue.is_some();
        }
        b + 1
    }

    /// The relation phrase right before `start` ("the town of", "southeast of"), matched
    /// case-insensitively at a word boundary; an article after it is allowed.
    fn relation_before(&self, text: &str, start: usize) -> Option<Relation> {
        let mut from = start.saturating_sub(48);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let window = &text[from..start];
        let trimmed = window.trim_end();
        let low = trimmed.to_lowercase();
        // Lower-casing may change byte lengths; map back by character counts.
        let (core, had_article) = match low.strip_suffix(" the") {
            Some(c) => (c.to_string(), true),
            None => (low.clone(), false),
        };
        for r in &self.relations {
            if let Some(head) = core.strip_suffix(r.phrase.as_str()) {
                if head.chars().next_back().is_some_and(|c| c.is_alphanumeric()) {
                    continue;
                }
                let n_chars = r.phrase.chars().count() + if had_article { 4 } else { 0 };
                let written: String = {
                    let chars: Vec<char> = trimmed.chars().collect();
                    chars[chars.len().saturating_sub(n_chars)..].iter().collect()
                };
                return Some(Relation {
                    text: written,
                    kind: r.kind,
                    feature: r.feature.as_deref().and_then(feature_word),
                    uncertainty_km: r.uncertainty_km,
                });
            }
        }
        None
    }

    /// A capitalised word run the gazetteer lacks, kept when the text marks it as a place:
    /// a type phrase before it ("the village of X"), membership in a list that has one
    /// ("... of Rubanshchina and Zaoleshenka"), or a type word after it ("X, a village",
    /// "X village").
    fn unknown_place(&self, text: &str, toks: &[Tok], i: usize, so_far: &[Mention]) -> Option<Mention> {
        let t = &toks[i];
        if t.all_caps && t.letters <= 3 || self.stop_always.contains(t.folded.as_ref()) || self.stop_initial.contains(t.folded.as_ref()) {
            return None;
        }
        if self.first_names.contains(t.folded.as_ref()) || self.titles.contains(t.folded.as_ref()) {
            return None;
        }
        let mut b = i;
        while b + 1 < toks.len() && toks[b + 1].cap && matches!(toks[b + 1].gap, Gap::Space | Gap::Hyphen) && b - i < 3 {
            b += 1;
        }
        let span = Span::new(t.start, toks[b].end);
        // Cheap test first: every type phrase ends in one of a few words ("of").
        let after_type_word = i > 0 && self.type_tails.contains(toks[i - 1].folded.as_ref());
        let relation = if after_type_word { self.relation_before(text, span.start).filter(|r| r.kind == RelKind::Type) } else { None };
        let typed_list_relation = so_far.last().and_then(|prev| {
            let gap = text.get(prev.span.end..span.start).unwrap_or("x").trim().to_lowercase();
            let list_gap = gap == "," || self.joiners.contains(&gap) || gap.strip_prefix(',').is_some_and(|g| self.joiners.contains(g.trim()));
            prev.relation.clone().filter(|r| list_gap && r.kind == RelKind::Type)
        });
        let in_typed_list = typed_list_relation.is_some();
        let after = text.get(span.end..).unwrap_or("");
        // "X village" / "X, a village": not for a sentence opener ("The village was hit").
        let after_low: String = if t.initial || t.letters < 3 { String::new() } else { after.chars().take(24).collect::<String>().to_lowercase() };
        let typed_after = !after_low.is_empty() && self.settlement_words.iter().any(|w| {
            after_low.strip_prefix(", a ").or_else(|| after_low.strip_prefix(", the ")).or_else(|| after_low.strip_prefix(" ")).is_some_and(|r| r.starts_with(w.as_str()) && !r[w.len()..].starts_with(|c: char| c.is_alphanumeric()))
        });
        if relation.is_none() && !in_typed_list && !typed_after {
            return None;
        }
        let key = self.key_of(toks, i, b);
        let mut m = self.new_mention(b, span, key, Vec::new());
        m.relation = relation.or(typed_list_relation);
        if typed_after {
            m.cue = Some(Cue::Settlement(None));
        }
        Some(m)
    }

    /// Link coordinated mentions ("X, Y and Z", "X and Y"): a run of mentions joined by
    /// commas with a conjunction before the last. A relation before the first applies to
    /// all, and so does a plural area word after the last. A run of commas alone
    /// ("Sudzha, Kursk region") is an apposition, not a list.
    fn link_lists(&self, text: &str, ms: &mut [Mention]) {
        #[derive(PartialEq)]
        enum Link {
            Comma,
            Joiner,
            No,
        }
        let links: Vec<Link> = (1..ms.len())
            .map(|k| {
                let gap = text.get(ms[k - 1].span.end..ms[k].span.start).unwrap_or("x").trim().to_lowercase();
                let g = gap.strip_prefix(',').map(str::trim).unwrap_or(&gap);
                if self.joiners.contains(g) {
                    Link::Joiner
                } else if gap == "," {
                    Link::Comma
                } else {
                    Link::No
                }
            })
            .collect();
        let mut k = 0;
        while k < ms.len() {
            let mut end = k;
            while end < links.len() && links[end] == Link::Comma {
                end += 1;
            }
            if end < links.len() && links[end] == Link::Joiner {
                let last = end + 1;
                for j in k + 1..=last {
                    ms[j].list_prev = Some(j - 1);
                    if ms[j].relation.is_none() {
                        ms[j].relation = ms[k].relation.clone();
                    }
                }
                if ms[last].plural_cue {
                    for j in k..last {
                        if ms[j].cue.is_none() {
                            ms[j].cue = ms[last].cue;
                            ms[j].plural_cue = true;
                        }
                    }
                }
                k = last + 1;
            } else {
                k = end.max(k) + 1;
            }
        }
    }

    /// Whether `e` carries the mention's name as its own (not an alternate).
    fn named_exactly(&self, m: &Mention, e: &GazEntry) -> bool {
        m.key == normalize(&e.name) || e.ascii.as_deref().is_some_and(|a| m.key == normalize(a))
    }

    /// `exact_rival`: another settlement among the candidates has the name as its own.
    fn prior(&self, m: &Mention, e: &GazEntry, exact_rival: bool) -> f64 {
        let mut s = match e.feature {
            Feature::Country => 4.0,
            Feature::Region => 2.0,
            Feature::District => 0.5,
            Feature::City => 2.0,
            Feature::Town => 1.5,
            Feature::Village => 1.0,
            Feature::Other => 0.0,
        };
        s += 0.35 * ((e.population as f64) + 1.0).ln();
        if !e.has_coordinates() {
            s -= 1.5;
        }
        if matches!(e.feature_code.as_str(), "PPLX" | "PPLH") {
            s -= 2.0;
        }
        if e.feature_code == "PPLC" {
            s += 1.5;
        }
        // Found only through an alternate name (often a former or foreign one: a town in
        // Indiana once called Liverpool): less likely than a place of that very name, and
        // much less when such a place is among the candidates (Melitopol was once
        // Novoaleksandrovka; the villages named Novooleksandrivka are meant).
        if is_settlement(e.feature) && !self.named_exactly(m, e) {
            s -= if exact_rival { 2.0 } else { 1.0 };
        }
        let area = matches!(e.feature, Feature::Region | Feature::District);
        let type_cue = m.relation.as_ref().filter(|r| r.kind == RelKind::Type).and_then(|r| r.feature);
        match (m.cue, type_cue) {
            (Some(Cue::Region), _) | (None, Some(Feature::Region)) => {
                s += match e.feature {
                    Feature::Region => 10.0,
                    Feature::District => 2.0,
                    _ => -3.0,
                }
            }
            (Some(Cue::District), _) | (None, Some(Feature::District)) => {
                s += match e.feature {
                    Feature::District => 10.0,
                    Feature::Region => 1.0,
                    _ => -3.0,
                }
            }
            (Some(Cue::Settlement(_)), _) | (None, Some(_)) => {
                s += if is_settlement(e.feature) { 3.0 } else { -5.0 };
                // "the villages of Novooleksandrivka and Troitske": a village over a city.
                if type_cue == Some(e.feature) {
                    s += 1.5;
                }
            }
            (None, None) => {
                // A bare "Sumy": the oblast is only the city's namesake.
                if area && m.key != normalize(&e.name) {
                    s -= 3.0;
                }
            }
        }
        s
    }

    fn resolve(&self, text: &str, ms: &mut [Mention]) {
        // "Paris, Texas": a name followed by ", <area or country>" is qualified by it.
        for k in 0..ms.len().saturating_sub(1) {
            let gap = text.get(ms[k].span.end..ms[k + 1].span.start).unwrap_or("x");
            if gap.trim() == "," && ms[k + 1].cands.iter().any(|&s| matches!(self.gaz.slot(s).feature, Feature::Region | Feature::Country)) {
                ms[k].qualifier = Some(ms[k + 1].key.clone());
            }
        }
        // Mentions with the same name and cues score alike: work per group.
        type Sig = (String, Option<Cue>, Option<Feature>, Option<String>);
        let sig = |m: &Mention| -> Sig { (m.key.clone(), m.cue, m.relation.as_ref().filter(|r| r.kind == RelKind::Type).and_then(|r| r.feature), m.qualifier.clone()) };
        let mut groups: Vec<(Sig, Vec<usize>)> = Vec::new();
        let mut group_of: HashMap<Sig, usize> = HashMap::default();
        for (k, m) in ms.iter().enumerate() {
            if m.cands.is_empty() {
                continue;
            }
            let g = *group_of.entry(sig(m)).or_insert_with_key(|s| {
                groups.push((s.clone(), Vec::new()));
                groups.len() - 1
            });
            groups[g].1.push(k);
        }
        // Pass 1: priors only.
        let priors: Vec<Vec<f64>> = groups.iter().map(|(_, ks)| {
            let m = &ms[ks[0]];
            let exact_rival = m.cands.iter().any(|&s| {
                let e = self.gaz.slot(s);
                is_settlement(e.feature) && self.named_exactly(m, e)
            });
            m.cands.iter().map(|&s| self.prior(m, self.gaz.slot(s), exact_rival)).collect()
        }).collect();
        let first: Vec<Slot> = groups.iter().zip(&priors).map(|((_, ks), p)| {
            let cands = &ms[ks[0]].cands;
            let best = (0..cands.len()).max_by(|&a, &b| p[a].total_cmp(&p[b]).then(cands[b].cmp(&cands[a]))).expect("non-empty");
            cands[best]
        }).collect();
        // The article's theatre: countries and first-level areas of the first-pass
        // choices, and their points.
        let mut country_w: HashMap<&str, f64> = HashMap::default();
        let mut regions: HashSet<&str> = HashSet::default();
        let mut total = 0.0;
        // Unit vectors: nearness is then a dot product per pair, not a haversine.
        let mut points: Vec<(&str, [f64; 3])> = Vec::new();
        for (g, (sig, ks)) in groups.iter().enumerate() {
            let e = self.gaz.slot(first[g]);
            let single = ms[ks[0]].cands.len() == 1;
            let w = if single { 2.0 } else { 1.0 } * ks.len() as f64;
            if !e.country.is_empty() {
                *country_w.entry(e.country.as_str()).or_default() += w;
                total += w;
            }
            if e.feature == Feature::Region {
                regions.insert(e.name.as_str());
            } else if let Some(a) = e.admin1.as_deref().filter(|_| single) {
                regions.insert(a);
            }
            if let (Some(la), Some(lo)) = (e.lat, e.lon) {
                if e.feature != Feature::Country {
                    points.push((sig.0.as_str(), unit_vector(la, lo)));
                }
            }
        }
        // Pass 2: priors + theatre + nearness.
        let mut decided: Vec<(Slot, String)> = Vec::with_capacity(groups.len());
        for (g, (sig, ks)) in groups.iter().enumerate() {
            let m = &ms[ks[0]];
            let mut best: Option<(f64, Slot, &'static str)> = None;
            for (c, &s) in m.cands.iter().enumerate() {
                let e = self.gaz.slot(s);
                let mut score = priors[g][c];
                let mut why = "feature and population prior";
                if total > 0.0 {
                    score += 3.0 * country_w.get(e.country.as_str()).copied().unwrap_or(0.0) / total;
                }
                if e.feature != Feature::Region && e.admin1.as_deref().is_some_and(|a| regions.contains(a)) {
                    score += 2.0;
                    why = "in a region the article names";
                }
                if let Some(q) = &sig.3 {
                    if self.qualified_by(e, q) {
                        score += 6.0;
                        why = "qualified by the area after it";
                    }
                }
                if let (Some(la), Some(lo), true) = (e.lat, e.lon, m.cands.len() > 1) {
                    let v = unit_vector(la, lo);
                    let best_dot = points.iter().filter(|(key, _)| *key != sig.0).map(|(_, p)| v[0] * p[0] + v[1] * p[1] + v[2] * p[2]).fold(-1.0f64, f64::max);
                    let d = EARTH_RADIUS_KM * best_dot.clamp(-1.0, 1.0).acos();
                    let bonus = match d {
                        d if d < 50.0 => 2.5,
                        d if d < 150.0 => 2.0,
                        d if d < 400.0 => 1.0,
                        d if d < 1000.0 => 0.5,
                        _ => 0.0,
                    };
                    if bonus >= 2.0 && why == "feature and population prior" {
                        why = "near other places in the article";
                    }
                    score += bonus;
                }
                if best.is_none_or(|(b, bs, _)| score > b || (score == b && s < bs)) {
                    best = Some((score, s, why));
                }
            }
            let (_, s, why) = best.expect("non-empty candidates");
            let why = if m.cands.len() == 1 {
                "only candidate".into()
            } else if let Some(c) = m.cue {
                match c {
                    Cue::Region => "area word: region".into(),
                    Cue::District => "area word: district".into(),
                    Cue::Settlement(_) => "settlement word".into(),
                }
            } else if let Some(r) = m.relation.as_ref().filter(|r| r.kind == RelKind::Type) {
                format!("relation: {}", r.text)
            } else {
                why.to_string()
            };
            decided.push((s, why));
        }
        for ((_, ks), (s, why)) in groups.iter().zip(decided) {
            for &k in ks {
                ms[k].choice = Some(s);
                ms[k].why = why.clone();
            }
        }
        self.one_sense_per_article(ms);
        self.anchor_unlocated(text, ms);
    }

    /// True when `e` lies in a region or country that the key `q` names.
    fn qualified_by(&self, e: &GazEntry, q: &str) -> bool {
        self.gaz.lookup_key(q).into_iter().any(|s| {
            let a = self.gaz.slot(s);
            match a.feature {
                Feature::Country => a.country == e.country,
                Feature::Region => in_region(e, a),
                _ => false,
            }
        })
    }

    /// A bare name takes the sense (region or settlement) that the article's explicit
    /// mentions of the same name ("Kursk region", "the city of Sumy") mostly have; on a
    /// tie, the nearest explicit mention before it, or else the first one after it.
    fn one_sense_per_article(&self, ms: &mut [Mention]) {
        let is_typed = |m: &Mention| m.cue.is_some() || m.relation.as_ref().is_some_and(|r| r.kind == RelKind::Type);
        let explicit: Vec<(usize, String, Slot)> =
            ms.iter().enumerate().filter_map(|(k, m)| if is_typed(m) { m.choice.map(|s| (k, m.key.clone(), s)) } else { None }).collect();
        for k in 0..ms.len() {
            if is_typed(&ms[k]) || ms[k].choice.is_none() {
                continue;
            }
            let same: Vec<&(usize, String, Slot)> = explicit.iter().filter(|(_, key, _)| *key == ms[k].key).collect();
            if same.is_empty() {
                continue;
            }
            let mut votes: HashMap<Slot, usize> = HashMap::default();
            for (_, _, s) in &same {
                *votes.entry(*s).or_default() += 1;
            }
            let top = votes.values().copied().max().unwrap_or(0);
            let nearest = same.iter().rev().find(|(j, _, _)| *j < k).or_else(|| same.iter().find(|(j, _, _)| *j > k));
            let pick = match nearest {
                Some((j, _, s)) if votes[s] == top => Some((*j, *s)),
                _ => same.iter().find(|(_, _, s)| votes[s] == top).map(|(j, _, s)| (*j, *s)),
            };
            if let Some((j, s)) = pick {
                if ms[k].cands.contains(&s) && Some(s) != ms[k].choice {
                    let name = self.gaz.slot(s).name.clone();
                    ms[k].choice = Some(s);
                    ms[k].why = format!("same sense as the article's \"{}\" ({name})", &ms[j].key);
                }
            }
        }
    }

    /// Give places without coordinates the point of the place the text relates them to:
    /// the next located mention in the same sentence, right after the list they stand in,
    /// introduced by a spatial relation ("..., both near Sudzha", "..., a village in the
    /// Kursk region").
    ///
    /// A settlement that resolved to a namesake outside the region the text puts it in
    /// ("the villages of Novooleksandrivka and Troitske in the Donetsk region", with only
    /// namesakes elsewhere in the gazetteer) is such a place too: the one meant is missing.
    fn anchor_unlocated(&self, text: &str, ms: &mut [Mention]) {
        for k in 0..ms.len() {
            let located = ms[k].choice.is_some_and(|s| self.gaz.slot(s).has_coordinates());
            // The end of k's list.
            let mut end_k = k;
            while end_k + 1 < ms.len() && ms[end_k + 1].list_prev == Some(end_k) {
                end_k += 1;
            }
            let Some(a) = ms.get(end_k + 1) else { continue };
            let between = text.get(ms[end_k].span.end..a.span.start).unwrap_or("");
            if between.len() > 64 || between.contains(['.', '!', '?', '\n', ';']) {
                continue;
            }
            let Some(rel) = a.relation.as_ref().filter(|r| r.kind != RelKind::Type) else { continue };
            let Some(s) = a.choice else { continue };
            let e = self.gaz.slot(s);
            let (Some(la), Some(lo)) = (e.lat, e.lon) else { continue };
            // For a misplaced settlement: its candidate in the region, if any (often one of
            // the register's villages without coordinates).
            let mut in_region_choice = None;
            if located {
                let in_region = |c: Slot| in_region(self.gaz.slot(c), e);
                // Over a whole list only when a type word opens it ("the villages of A and B
                // in the Donetsk region"); "Regina, Winnipeg and Brandon in Manitoba" places
                // only Brandon.
                let list_typed = ms[first_of_list(ms, k)].relation.as_ref().is_some_and(|r| r.kind == RelKind::Type);
                // And only right after the name: "Regina was taken to a hospital in Manitoba"
                // says nothing of where Regina is.
                let adjacent = between.trim().eq_ignore_ascii_case(rel.text.trim());
                let misplaced = rel.kind == RelKind::In
                    && adjacent
                    && (k == end_k || list_typed)
                    && e.feature == Feature::Region
                    && ms[k].choice.is_some_and(|c| is_settlement(self.gaz.slot(c).feature) && self.gaz.slot(c).country == e.country && !in_region(c));
                if !misplaced {
                    continue;
                }
                in_region_choice = ms[k].cands.iter().copied().find(|&c| in_region(c) && is_settlement(self.gaz.slot(c).feature));
                if in_region_choice.is_some_and(|c| self.gaz.slot(c).has_coordinates()) {
                    ms[k].choice = in_region_choice;
                    ms[k].why = format!("in {}, as the text says", e.name);
                    continue;
                }
            }
            let unc = match rel.kind {
                RelKind::In => self.containment_km.get(feature_key(e.feature)).copied().unwrap_or(50.0),
                _ => rel.uncertainty_km.unwrap_or(15.0),
            };
            let mut why = format!("located through \"{} {}\"", rel.text, text.get(a.span.start..a.span.end).unwrap_or(""));
            if located {
                why = format!("its namesakes with coordinates lie outside {}; {why}", e.name);
            }
            // The anchor's first-level area and country are the best estimate of the
            // unknown place's: "near Sudzha" is in all likelihood in Kursk Oblast, RU.
            let admin1 = if e.feature == Feature::Region { Some(e.name.clone()) } else { e.admin1.clone() };
            let country = Some(e.country.clone()).filter(|c| !c.is_empty());
            ms[k].anchor = Some(Anchor { name: e.name.clone(), lat: la, lon: lo, uncertainty_km: unc, admin1, country });
            ms[k].why = why;
            if located {
                ms[k].choice = in_region_choice;
            }
        }
    }

    fn to_place(&self, text: &str, m: &Mention) -> PlaceMention {
        let surface = text.get(m.span.start..m.span.end).unwrap_or("").to_string();
        let relation = m.relation.as_ref().filter(|r| r.kind != RelKind::In).map(|r| r.text.clone());
        let kind_from_cue = match (m.cue, m.relation.as_ref().and_then(|r| r.feature)) {
            (Some(Cue::Region), _) => Feature::Region,
            (Some(Cue::District), _) => Feature::District,
            (Some(Cue::Settlement(Some(f))), _) => f,
            (_, Some(f)) => f,
            _ => Feature::Other,
        };
        match m.choice.map(|s| self.gaz.slot(s)) {
            Some(e) => {
                let (mut lat, mut lon, mut anchor, mut unc) = (e.lat, e.lon, None, None);
                if lat.is_none() {
                    if let Some(a) = &m.anchor {
                        lat = Some(a.lat);
                        lon = Some(a.lon);
                        anchor = Some(a.name.clone());
                        unc = Some(a.uncertainty_km);
                    }
                }
                let admin1 = if e.feature == Feature::Region { Some(e.name.clone()) } else { e.admin1.clone() };
                PlaceMention {
                    span: m.span,
                    name: e.name.clone(),
                    gazetteer_id: Some(e.id.clone()),
                    lat,
                    lon,
                    feature: e.feature,
                    admin1,
                    country: Some(e.country.clone()).filter(|c| !c.is_empty()),
                    relation,
                    anchor,
                    uncertainty_km: unc,
                    resolved_by: m.why.clone(),
                }
            }
            None => {
                let a = m.anchor.as_ref();
                let (lat, lon, anchor, unc) =
                    (a.map(|a| a.lat), a.map(|a| a.lon), a.map(|a| a.name.clone()), a.map(|a| a.uncertainty_km));
                PlaceMention {
                    span: m.span,
                    name: surface,
                    gazetteer_id: None,
                    lat,
                    lon,
                    feature: kind_from_cue,
                    admin1: a.and_then(|a| a.admin1.clone()),
                    country: a.and_then(|a| a.country.clone()),
                    relation,
                    anchor,
                    uncertainty_km: unc,
                    resolved_by: if m.why.is_empty() { "not in the gazetteer; unlocated".into() } else { format!("not in the gazetteer; {}", m.why) },
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
