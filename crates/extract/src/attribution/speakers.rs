//! Speaker noun phrases: finding them around a verb of saying, and resolving them to one
//! entity per real speaker of the document (known sources through sources.toml aliases, new
//! people by the full name they are first introduced with, pronouns and "the ministry" back to
//! earlier speakers).

use std::cell::Cell;

use rustc_hash::FxHashMap as HashMap;
use sitrep_language::{possessive_ending, strip_possessive, PlaceMention, Span};

use super::lexicon::{norm, Gender, Hit, Lex, TitleInfo, SOURCES, REPORTING};
use super::text::{TokKind, TokenIndex};
use crate::SourceKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cls {
    Det,
    Prep,
    And,
    Title,
    Nation,
    Alias,
    Name,
    /// Capitalised but never a name ("However", "Telegram").
    NotName,
    Pronoun,
    Modifier,
    /// "region", "district": ends a speaker's affiliation, never heads the speaker.
    PlaceNoun,
    Other,
    Punct(char),
    Quote,
}

/// An apposition between commas is a short role phrase.
const APPOS_MAX_TOKENS: usize = 16;

const PREPOSITIONS: [&str; 7] = ["of", "for", "at", "with", "from", "in", "to"];

#[derive(Debug, Clone)]
pub(crate) struct Entity {
    pub name: String,
    pub kind: SourceKind,
    pub side: Option<String>,
    pub gender: Option<Gender>,
    /// Head nouns the text may refer back with ("president", "ministry").
    pub titles: Vec<String>,
    pub person: bool,
    pub plural: bool,
    /// A country speaking as a whole ("Russia said").
    pub generic: bool,
    pub surname: Option<String>,
    /// Stands in for a definite description not yet resolved ("official says" in a headline).
    pub pending: Option<String>,
}

#[derive(Default)]
pub(crate) struct Registry {
    pub ents: Vec<Entity>,
    by_known: HashMap<usize, usize>,
    by_name: HashMap<String, usize>,
    /// (position, entity) of each speaker and sentence-subject person, in text order.
    pub mentions: Vec<(usize, usize)>,
    full_names: HashMap<String, Option<String>>,
}

impl Registry {
    fn add(&mut self, e: Entity) -> usize {
        let id = self.ents.len();
        if e.pending.is_none() {
            self.by_name.insert(norm(&e.name), id);
        }
        self.ents.push(e);
        id
    }

    pub fn mention(&mut self, pos: usize, id: usize) {
        self.mentions.push((pos, id));
    }

    fn recent(&self, pos: usize) -> impl Iterator<Item = (usize, &Entity)> {
        self.mentions.iter().rev().filter(move |(p, _)| *p < pos).map(|&(_, id)| (id, &self.ents[id]))
    }
}

/// A resolved speaker phrase.
pub(crate) struct Resolved {
    pub entity: usize,
    pub rules: Vec<String>,
}

pub(crate) struct Ctx<'a> {
    pub text: &'a str,
    pub lex: &'a Lex,
    pub ti: &'a TokenIndex,
    pub places: &'a [PlaceMention],
    alias_hits: Vec<Hit>,
    nation_hits: Vec<Hit>,
    /// Per token: index into alias_hits / nation_hits of a hit covering it.
    alias_at: Vec<Option<u32>>,
    nation_at: Vec<Option<u32>>,
    /// Each token's class, computed on first use (most tokens are never looked at).
    cls_cache: Vec<Cell<Option<Cls>>>,
}

fn mark(ti: &TokenIndex, hits: &[Hit]) -> Vec<Option<u32>> {
    let mut at = vec![None; ti.toks.len()];
    for (h, hit) in hits.iter().enumerate() {
        let (a, b) = ti.range(Span::new(hit.start, hit.end));
        for slot in &mut at[a..b] {
            *slot = Some(h as u32);
        }
    }
    at
}

impl<'a> Ctx<'a> {
    /// `aliases` and `nations`: the text's matches of those sets (`Lex::scan_text`).
    pub fn new(text: &'a str, lex: &'a Lex, ti: &'a TokenIndex, places: &'a [PlaceMention], aliases: Vec<Hit>, nations: Vec<Hit>) -> Self {
        // A hit must cover whole tokens ("Russia" inside "Russia’s" does, as the possessive
        // token's stem; a hit ending inside a word does not).
        let whole = |hits: Vec<Hit>| -> Vec<Hit> {
            hits.into_iter()
                .filter(|h| {
                    let (a, b) = ti.range(Span::new(h.start, h.end));
                    b > a || {
                        let i = ti.at_or_after(h.start);
                        ti.toks.get(i).is_some_and(|t| t.start == h.start)
                    }
                })
                .collect()
        };
        let alias_hits = whole(aliases);
        let nation_hits = whole(nations);
        let mut alias_at = mark(ti, &alias_hits);
        let mut nation_at = mark(ti, &nation_hits);
        // A possessive token ("Russia’s") carries the hit of its stem.
        for (hits, at) in [(&alias_hits, &mut alias_at), (&nation_hits, &mut nation_at)] {
            for (h, hit) in hits.iter().enumerate() {
                let i = ti.at_or_after(hit.start);
                if let Some(t) = ti.toks.get(i) {
                    if t.start == hit.start && t.end > hit.end && is_possessive_tail(&text[hit.end..t.end]) {
                        at[i] = Some(h as u32);
                    }
                }
            }
        }
        let cls_cache = vec![Cell::new(None); ti.toks.len()];
        Ctx { text, lex, ti, places, alias_hits, nation_hits, alias_at, nation_at, cls_cache }
    }

    pub fn word(&self, i: usize) -> &'a str {
        let t = &self.ti.toks[i];
        &self.text[t.start..t.end]
    }

    pub fn lower(&self, i: usize) -> String {
        norm(self.word(i))
    }

    fn stem(&self, i: usize) -> String {
        let w = self.lower(i);
        match w.strip_suffix("'s") {
            Some(s) => s.to_string(),
            None => w,
        }
    }

    pub fn possessive(&self, i: usize) -> bool {
        let w = self.word(i);
        strip_possessive(w).is_some()
    }

    pub fn alias_of(&self, i: usize) -> Option<&Hit> {
        self.alias_at.get(i).copied().flatten().map(|h| &self.alias_hits[h as usize])
    }

    fn nation_of(&self, i: usize) -> Option<&super::lexicon::NationInfo> {
        let h = self.nation_at.get(i).copied().flatten()?;
        Some(self.lex.nations.payload(self.nation_hits[h as usize].id))
    }

    /// Source-table index of the alias covering token i.
    pub fn known_of(&self, i: usize) -> Option<(usize, &str)> {
        self.alias_of(i).map(|h| {
            let (k, a) = self.lex.aliases.payload(h.id);
            (*k, a.as_str())
        })
    }

    pub fn cls(&self, i: usize) -> Cls {
        if let Some(c) = self.cls_cache[i].get() {
            return c;
        }
        let c = self.classify(i);
        self.cls_cache[i].set(Some(c));
        c
    }

    fn classify(&self, i: usize) -> Cls {
        match self.ti.toks[i].kind {
            TokKind::Punct(c) => return Cls::Punct(c),
            TokKind::Quote => return Cls::Quote,
            TokKind::Word => {}
        }
        if self.alias_of(i).is_some() {
            return Cls::Alias;
        }
        let w = self.lower(i);
        let lex = self.lex;
        if lex.pron_male.contains(&w) || lex.pron_female.contains(&w) || lex.pron_plural.contains(&w) || lex.pron_body.contains(&w) {
            return Cls::Pronoun;
        }
        if lex.determiners.contains(&w) {
            return Cls::Det;
        }
        if PREPOSITIONS.contains(&w.as_str()) {
            return Cls::Prep;
        }
        if w == "and" {
            return Cls::And;
        }
        if self.nation_of(i).is_some() {
            return Cls::Nation;
        }
        let stem = self.stem(i);
        if lex.titles.contains_key(&stem) {
            return Cls::Title;
        }
        let word = self.word(i);
        if word.chars().next().is_some_and(char::is_uppercase) {
            let bare = strip_possessive(word).unwrap_or(word);
            return if lex.not_names.contains(bare) { Cls::NotName } else { Cls::Name };
        }
        if lex.modifiers.contains(&stem) {
            return Cls::Modifier;
        }
        if lex.place_nouns.contains(&stem) {
            return Cls::PlaceNoun;
        }
        Cls::Other
    }

    fn alias_start(&self, i: usize) -> usize {
        let h = self.alias_of(i).expect("alias token");
        self.ti.at_or_after(h.start)
    }

    fn alias_end(&self, i: usize) -> usize {
        let h = self.alias_of(i).expect("alias token");
        let mut j = i;
        while j < self.ti.toks.len() && self.ti.toks[j].start < h.end {
            j += 1;
        }
        j
    }

    fn is_head(&self, i: usize) -> bool {
        matches!(self.cls(i), Cls::Title | Cls::Name | Cls::Alias | Cls::Nation) && !self.possessive(i)
            || self.cls(i) == Cls::Pronoun
    }

    /// A speaker phrase ending just before token `end`, not reaching below `floor`.
    pub fn np_back(&self, end: usize, floor: usize) -> Option<(usize, usize)> {
        if end <= floor {
            return None;
        }
        if self.cls(end - 1) == Cls::Pronoun {
            return Some((end - 1, end));
        }
        let mut j = end;
        while j > floor {
            match self.cls(j - 1) {
                Cls::Alias => j = self.alias_start(j - 1).max(floor),
                Cls::Title | Cls::Nation | Cls::Name | Cls::NotName | Cls::Modifier | Cls::Prep | Cls::And | Cls::PlaceNoun => j -= 1,
                Cls::Det => {
                    j -= 1;
                    if !(j > floor && matches!(self.cls(j - 1), Cls::Prep | Cls::And)) {
                        break;
                    }
                }
                _ => break,
            }
        }
        let mut a = j;
        while a < end && matches!(self.cls(a), Cls::Prep | Cls::And | Cls::NotName) {
            a += 1;
        }
        (a < end && self.ends_phrase(a, end)).then_some((a, end))
    }

    /// A phrase ends on its head, or on the place noun of its affiliation ("governor of Kursk region").
    fn ends_phrase(&self, a: usize, b: usize) -> bool {
        self.is_head(b - 1) || (self.cls(b - 1) == Cls::PlaceNoun && (a..b).any(|i| self.cls(i) == Cls::Prep))
    }

    /// A speaker phrase starting at token `start`, within [start, ceil).
    pub fn np_forward(&self, start: usize, ceil: usize) -> Option<(usize, usize)> {
        if start >= ceil {
            return None;
        }
        if self.cls(start) == Cls::Pronoun || matches!(self.lower(start).as_str(), "him" | "her" | "them") {
            return Some((start, start + 1));
        }
        let mut j = start;
        while j < ceil {
            match self.cls(j) {
                Cls::Alias => j = self.alias_end(j).min(ceil),
                Cls::Det if j == start || matches!(self.cls(j - 1), Cls::Prep | Cls::And) => j += 1,
                Cls::Title | Cls::Nation | Cls::Name | Cls::Modifier | Cls::NotName | Cls::PlaceNoun => j += 1,
                Cls::Prep | Cls::And
                    if j + 1 < ceil && matches!(self.cls(j + 1), Cls::Det | Cls::Name | Cls::Alias | Cls::Nation | Cls::Title) =>
                {
                    j += 1
                }
                _ => break,
            }
        }
        let mut b = j;
        while b > start && !self.ends_phrase(start, b) {
            b -= 1;
        }
        (b > start).then_some((start, b))
    }

    /// ", a spokesman for the Kremlin," forward from the comma at `comma`: an apposition naming a
    /// role, up to the next comma or the end of the sentence.
    pub fn appos_forward(&self, comma: usize, ceil: usize) -> Option<(usize, usize)> {
        if comma + 1 >= ceil || self.cls(comma) != Cls::Punct(',') {
            return None;
        }
        let end = (comma + 1..ceil).find(|&i| matches!(self.cls(i), Cls::Punct(_) | Cls::Quote)).unwrap_or(ceil);
        (end - comma <= APPOS_MAX_TOKENS && self.is_appos(comma + 1, end)).then_some((comma + 1, end))
    }

    /// The apposition ending at the comma `comma` (", a spokesman for Ukraine's southern forces,"):
    /// its token range and the comma that opens it.
    pub fn appos_back(&self, comma: usize, floor: usize) -> Option<(usize, usize, usize)> {
        let open = self.opening_comma(comma, floor)?;
        (comma - open <= APPOS_MAX_TOKENS && self.is_appos(open + 1, comma)).then_some((open + 1, comma, open))
    }

    /// The comma that opens the stretch ending at `comma`: the nearest punctuation before
    /// it, if that is a comma.
    fn opening_comma(&self, comma: usize, floor: usize) -> Option<usize> {
        let open = (floor..comma).rev().find(|&i| matches!(self.cls(i), Cls::Punct(_) | Cls::Quote))?;
        (self.cls(open) == Cls::Punct(',')).then_some(open)
    }

    /// A name of one to four words between the comma before `comma` and `comma`: its first
    /// and end token, and the opening comma.
    pub fn name_between_commas(&self, comma: usize, floor: usize) -> Option<(usize, usize, usize)> {
        let open = (floor..comma).rev().find(|&i| !matches!(self.cls(i), Cls::Name | Cls::Alias))?;
        (self.cls(open) == Cls::Punct(',') && (1..=4).contains(&(comma - open - 1))).then_some((open + 1, comma, open))
    }

    /// The opening comma of a relative clause that ends at `comma` (", who asked not to be
    /// named,"), at most `RELATIVE_MAX_TOKENS` words; its opening words are in reporting.toml.
    pub fn relative_between_commas(&self, comma: usize, floor: usize) -> Option<usize> {
        const RELATIVE_MAX_TOKENS: usize = 12;
        let open = self.opening_comma(comma, floor)?;
        (comma - open <= RELATIVE_MAX_TOKENS && open + 1 < comma && self.lex.relative_openers.contains(&self.lower(open + 1))).then_some(open)
    }

    /// An apposition is a role phrase: it starts with a determiner, modifier, title or a
    /// country's possessive ("Ukraine's deputy prime minister") and names a title within its
    /// first words.
    pub fn is_appos(&self, a: usize, b: usize) -> bool {
        a < b
            && (matches!(self.cls(a), Cls::Det | Cls::Modifier | Cls::Title) || (matches!(self.cls(a), Cls::Nation | Cls::Alias) && self.possessive(a)))
            && (a..b.min(a + 5)).any(|i| self.cls(i) == Cls::Title)
            && !(a..b).any(|i| self.cls(i) == Cls::Pronoun)
    }

    fn span_of(&self, a: usize, b: usize) -> Span {
        Span::new(self.ti.toks[a].start, self.ti.toks[b - 1].end)
    }

    fn title_at(&self, i: usize) -> Option<(String, TitleInfo)> {
        if i > 0 {
            let bigram = format!("{} {}", self.stem(i - 1), self.stem(i));
            if let Some(t) = self.lex.titles.get(&bigram) {
                return Some((bigram, *t));
            }
        }
        let s = self.stem(i);
        self.lex.titles.get(&s).map(|t| (s, *t))
    }

    /// Side from nationality words in tokens [a, b): an adjective anywhere, or a country noun as a
    /// possessive. Outer None: no nationality word; Some(None): a word with no side ("Western").
    fn nation_side(&self, a: usize, b: usize) -> Option<Option<String>> {
        for i in a..b {
            if let Some(n) = self.nation_of(i) {
                if n.adjective || self.possessive(i) {
                    return Some(n.side.clone());
                }
            }
        }
        None
    }

    fn place_side(&self, span: Span) -> Option<String> {
        self.places
            .iter()
            .filter(|p| span.contains(&p.span))
            .find_map(|p| p.country.as_ref().and_then(|c| self.lex.iso2_to_side.get(c)).cloned())
    }

    /// The first alias in [a, b) that is not the phrase's own head: the speaker's affiliation.
    fn affiliation(&self, a: usize, b: usize) -> Option<(usize, String)> {
        let mut i = a;
        let mut generic = None;
        while i < b {
            if let Some((k, alias)) = self.known_of(i) {
                if self.lex.sources[k].generic {
                    generic.get_or_insert((k, alias.to_string()));
                } else {
                    return Some((k, alias.to_string()));
                }
                i = self.alias_end(i);
            } else {
                i += 1;
            }
        }
        generic
    }
}

fn is_possessive_tail(s: &str) -> bool {
    possessive_ending(s).is_some_and(|n| n == s.len())
}

/// The parts of a speaker phrase.
pub(crate) struct Phrase {
    pub a: usize,
    pub b: usize,
    pub appos: Option<(usize, usize)>,
}

pub(crate) fn resolve(cx: &Ctx, reg: &mut Registry, ph: &Phrase, pos: usize) -> Option<Resolved> {
    let (a, mut b) = (ph.a, ph.b);
    // Two coordinated speakers ("two Western officials and a military analyst"): the first.
    // "military and political officials" coordinates modifiers, not speakers.
    for k in a + 1..b.saturating_sub(1) {
        if cx.cls(k) == Cls::And
            && matches!(cx.cls(k + 1), Cls::Det | Cls::Nation | Cls::Name | Cls::Alias | Cls::Title)
            && cx.is_head(k - 1)
        {
            b = k;
            break;
        }
    }
    let mut rules = Vec::new();
    if b - a == 1 && cx.cls(a) == Cls::Pronoun {
        let w = cx.lower(a);
        let id = resolve_pronoun(cx, reg, &w, pos)?;
        let which = if cx.lex.pron_male.contains(&w) {
            "last male speaker"
        } else if cx.lex.pron_female.contains(&w) {
            "last female speaker"
        } else if cx.lex.pron_plural.contains(&w) {
            "last group or body"
        } else {
            "last body"
        };
        rules.push(format!("{REPORTING}: pronoun {w} ← {which}"));
        return Some(Resolved { entity: id, rules });
    }
    // Head part and prepositional part ("a spokesman | for the Kremlin").
    let mut p = (a + 1..b).find(|&i| cx.cls(i) == Cls::Prep).unwrap_or(b);
    // ... unless a full name ends the phrase right after a noun of the prepositional part:
    // "chief of staff Andriy Yermak", "the head of the Glushkovo district Pavel Zolotaryov"
    // are those people; a name right after the preposition ("for the Kremlin") is not.
    if p < b {
        let mut r = b;
        while r > p + 1 && matches!(cx.cls(r - 1), Cls::Name | Cls::Alias) {
            r -= 1;
        }
        if b - r >= 2 && r > p + 1 && !matches!(cx.cls(r - 1), Cls::Prep | Cls::Det | Cls::Nation | Cls::And) {
            p = b;
        }
    }
    let (ha, hb) = (a, p);
    if !cx.is_head(hb - 1) {
        return None;
    }
    let last = hb - 1;
    let (aa, ab) = ph.appos.unwrap_or((b, b));
    let side_of = |rules: &mut Vec<String>, own_alias: Option<usize>| -> Option<String> {
        for (x, y) in [(ha, hb), (aa, ab)] {
            if let Some(s) = cx.nation_side(x, y) {
                rules.push(format!("{SOURCES}: nationality → {}", s.as_deref().unwrap_or("null")));
                return s;
            }
        }
        for (x, y) in [(ha, hb), (p.min(b), b), (aa, ab)] {
            if let Some((k, alias)) = cx.affiliation(x, y) {
                if Some(k) != own_alias {
                    rules.push(format!("{SOURCES}: affiliation ← {alias}"));
                    return cx.lex.sources[k].side.clone();
                }
            }
        }
        let whole = cx.span_of(a, b.max(ab));
        cx.place_side(whole)
    };

    // A known source as head ("Russia’s Defence Ministry", "Ukrainian President Volodymyr Zelensky").
    if let Some((k, alias)) = cx.known_of(last) {
        let titles: Vec<String> = (ha..hb).filter_map(|i| cx.title_at(i).map(|t| t.0)).collect();
        let id = known_entity(cx, reg, k);
        reg.ents[id].titles.extend(titles);
        rules.push(format!("{SOURCES}: {} ← {alias}", reg.ents[id].name));
        return Some(Resolved { entity: id, rules });
    }

    match cx.cls(last) {
        Cls::Name => {
            // A person: the run of name tokens at the end of the head part.
            let mut r = last;
            while r > ha && cx.cls(r - 1) == Cls::Name && !cx.possessive(r - 1) {
                r -= 1;
            }
            let tokens: Vec<&str> = (r..hb).map(|i| cx.word(i)).collect();
            let mut full = tokens.join(" ");
            let surname = tokens.last().map(|s| s.to_string()).unwrap_or_default();
            let existing = if tokens.len() == 1 {
                reg.ents.iter().rposition(|e| e.person && e.surname.as_deref() == Some(surname.as_str())).or_else(|| {
                    if let Some(f) = full_name(cx, reg, &surname) {
                        full = f;
                    }
                    reg.by_name.get(&norm(&full)).copied()
                })
            } else {
                reg.by_name.get(&norm(&full)).copied()
            };
            // Role: the last title before the name, else in the apposition.
            // In the apposition, the title of its head part ("a spokesman | for ... forces").
            let appos_head_end = (aa..ab).find(|&i| cx.cls(i) == Cls::Prep).unwrap_or(ab);
            let title = (ha..r)
                .rev()
                .find_map(|i| cx.title_at(i))
                .or_else(|| (aa..appos_head_end).rev().find_map(|i| cx.title_at(i)));
            let gender = title_gender(cx, ha, hb).or_else(|| title_gender(cx, aa, ab));
            let id = match existing {
                Some(id) => {
                    rules.push(format!("{SOURCES}: person {} (as first introduced)", reg.ents[id].name));
                    id
                }
                None => {
                    let first = full.split(' ').next().unwrap_or("");
                    let side = side_of(&mut rules, None);
                    let kind = match &title {
                        Some((w, t)) => {
                            rules.push(format!("{SOURCES}: title {w} → {}", kind_name(t.kind)));
                            if t.kind == SourceKind::AnonymousOfficial { SourceKind::Official } else { t.kind }
                        }
                        None => (ha..b.max(ab))
                            .find_map(|i| cx.known_of(i).filter(|(k, _)| !cx.lex.sources[*k].generic))
                            .map(|(k, _)| cx.lex.sources[k].kind)
                            .unwrap_or(SourceKind::Official),
                    };
                    rules.push(format!("{SOURCES}: person {full} (full name as first introduced)"));
                    let g = cx.lex.first_names.get(first).copied().filter(|_| full.contains(' '));
                    reg.add(Entity {
                        name: full.clone(),
                        kind,
                        side,
                        gender: g,
                        titles: Vec::new(),
                        person: true,
                        plural: false,
                        generic: false,
                        surname: Some(surname.clone()),
                        pending: None,
                    })
                }
            };
            let e = &mut reg.ents[id];
            if let Some((w, _)) = title {
                e.titles.push(w);
            }
            if e.gender.is_none() {
                e.gender = gender;
            }
            Some(Resolved { entity: id, rules })
        }
        Cls::Title => {
            let (head, info) = cx.title_at(last)?;
            let det = (cx.cls(ha) == Cls::Det).then(|| cx.lower(ha));
            let head_word = cx.lower(last);
            let plural = head_word.ends_with('s') && !head_word.ends_with("ss") && !info.body
                || matches!(head_word.as_str(), "forces" | "troops" | "authorities" | "channels" | "units");
            let bare = (ha..hb).all(|i| matches!(cx.cls(i), Cls::Det | Cls::Nation | Cls::Title));
            let definite = bare && ph.appos.is_none() && p == b && (det.as_deref() == Some("the") || (det.is_none() && !plural));
            let aff = cx.affiliation(ha, hb).or_else(|| cx.affiliation(p.min(b), b));
            // An unnamed spokesperson or analyst of a known body speaks for it.
            if let Some((k, alias)) = aff.as_ref().filter(|(k, _)| info.member && !cx.lex.sources[*k].generic) {
                let id = known_entity(cx, reg, *k);
                rules.push(format!("{SOURCES}: unnamed {head} of {} ← {alias}", reg.ents[id].name));
                return Some(Resolved { entity: id, rules });
            }
            if definite {
                let nation = (ha..hb).find(|&i| cx.cls(i) == Cls::Nation).map(|i| cx.word(i).to_string());
                if let Some(id) = definite_ref(reg, &head, nation.as_deref(), pos) {
                    rules.push(format!("{SOURCES}: the {head} → {} (earlier speaker)", reg.ents[id].name));
                    return Some(Resolved { entity: id, rules });
                }
                if nation.is_none() {
                    // Perhaps named later (a headline's "official says"): resolved after the pass.
                    let id = reg.add(Entity {
                        name: cx.span_of(a, b).text(cx.text).to_string(),
                        kind: info.kind,
                        side: None,
                        gender: None,
                        titles: vec![head.clone()],
                        person: !info.body,
                        plural,
                        generic: false,
                        surname: None,
                        pending: Some(head.clone()),
                    });
                    return Some(Resolved { entity: id, rules });
                }
            }
            let side = side_of(&mut rules, None);
            let gender = title_gender(cx, ha, hb);
            let (name, kind) = if info.kind == SourceKind::AnonymousOfficial {
                rules.push(format!("{SOURCES}: anonymous ← {head}"));
                (cx.span_of(a, b).text(cx.text).to_string(), SourceKind::AnonymousOfficial)
            } else {
                let mut s = a;
                while s < b && cx.cls(s) == Cls::Det {
                    s += 1;
                }
                rules.push(format!("{SOURCES}: title {head} → {}", kind_name(info.kind)));
                (cx.span_of(s.min(b - 1), b).text(cx.text).to_string(), info.kind)
            };
            let id = match reg.by_name.get(&norm(&name)) {
                Some(&id) => id,
                None => reg.add(Entity {
                    name,
                    kind,
                    side,
                    gender,
                    titles: vec![head],
                    person: !info.body && !plural,
                    plural,
                    generic: false,
                    surname: None,
                    pending: None,
                }),
            };
            Some(Resolved { entity: id, rules })
        }
        Cls::Nation => {
            // A country not in the source table speaking as a whole ("Britain said").
            let side = cx.nation_of(last)?.side.clone()?;
            let name = cx.word(last).to_string();
            let id = match reg.by_name.get(&norm(&name)) {
                Some(&id) => id,
                None => reg.add(Entity {
                    name,
                    kind: SourceKind::Official,
                    side: Some(side),
                    gender: None,
                    titles: Vec::new(),
                    person: false,
                    plural: false,
                    generic: true,
                    surname: None,
                    pending: None,
                }),
            };
            rules.push(format!("{SOURCES}: country as speaker"));
            Some(Resolved { entity: id, rules })
        }
        _ => None,
    }
}

pub(crate) fn kind_name(k: SourceKind) -> &'static str {
    match k {
        SourceKind::Official => "official",
        SourceKind::Military => "military",
        SourceKind::Analyst => "analyst",
        SourceKind::Media => "media",
        SourceKind::AnonymousOfficial => "anonymous_official",
        SourceKind::Outlet => "outlet",
    }
}

fn title_gender(cx: &Ctx, a: usize, b: usize) -> Option<Gender> {
    (a..b).find_map(|i| cx.lex.gender_titles.get(&cx.lower(i)).copied())
}

pub(crate) fn known_entity(cx: &Ctx, reg: &mut Registry, k: usize) -> usize {
    if let Some(&id) = reg.by_known.get(&k) {
        return id;
    }
    let s = &cx.lex.sources[k];
    let person = s.gender.is_some();
    let id = reg.add(Entity {
        name: s.name.clone(),
        kind: s.kind,
        side: s.side.clone(),
        gender: s.gender,
        titles: s.titles.iter().map(|t| norm(t)).collect(),
        person,
        plural: false,
        generic: s.generic,
        surname: person.then(|| s.name.rsplit(' ').next().unwrap_or(&s.name).to_string()),
        pending: None,
    });
    reg.by_known.insert(k, id);
    id
}

fn resolve_pronoun(cx: &Ctx, reg: &mut Registry, w: &str, pos: usize) -> Option<usize> {
    let lex = cx.lex;
    let want = if lex.pron_male.contains(w) {
        Some(Gender::Male)
    } else if lex.pron_female.contains(w) {
        Some(Gender::Female)
    } else {
        None
    };
    let found = if let Some(g) = want {
        // The most recent person not known to be of the other gender.
        reg.recent(pos).find(|(_, e)| e.person && e.gender.is_none_or(|x| x == g)).map(|(id, _)| id)
    } else if lex.pron_plural.contains(w) {
        reg.recent(pos).find(|(_, e)| e.plural || (!e.person && !e.generic)).map(|(id, _)| id)
    } else {
        reg.recent(pos).find(|(_, e)| !e.person && !e.plural).map(|(id, _)| id)
    }?;
    if let Some(g) = want {
        reg.ents[found].gender.get_or_insert(g);
    }
    Some(found)
}

fn definite_ref(reg: &Registry, head: &str, nation: Option<&str>, pos: usize) -> Option<usize> {
    let last_word = head.rsplit(' ').next().unwrap_or(head);
    reg.recent(pos)
        .find(|(_, e)| {
            e.pending.is_none()
                && e.titles.iter().any(|t| t == head || t.rsplit(' ').next() == Some(last_word))
                && nation.is_none_or(|n| e.name.contains(n))
        })
        .map(|(id, _)| id)
}

/// The full name a surname stands for: "Hetman" → "Oleksiy Hetman", from the first place in the
/// document where a name word precedes it.
fn full_name(cx: &Ctx, reg: &mut Registry, surname: &str) -> Option<String> {
    if let Some(f) = reg.full_names.get(surname) {
        return f.clone();
    }
    let toks = &cx.ti.toks;
    let found = (1..toks.len()).find_map(|i| {
        (cx.word(i) == surname && cx.cls(i - 1) == Cls::Name && !cx.possessive(i - 1))
            .then(|| format!("{} {}", cx.word(i - 1), surname))
    });
    reg.full_names.insert(surname.to_string(), found.clone());
    found
}

/// After the pass: definite descriptions that named nobody earlier ("official says" in a
/// headline) take the first later speaker with that title.
pub(crate) fn resolve_pending(reg: &mut Registry, id: usize, pos: usize) -> Option<usize> {
    let head = reg.ents[id].pending.clone()?;
    let last_word = head.rsplit(' ').next().unwrap_or(&head).to_string();
    reg.mentions
        .iter()
        .filter(|(p, e)| *p > pos && reg.ents[*e].pending.is_none())
        .map(|&(_, e)| e)
        .find(|&e| reg.ents[e].titles.iter().any(|t| t.rsplit(' ').next() == Some(last_word.as_str())))
}
