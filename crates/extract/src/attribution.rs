//! Attribution (who says so), stance (how they hold it) and direct quotations.
//!
//! One pass per document (`Attributor::analyse`) finds the verbs of saying and "according to"
//! phrases (extract/reporting.toml), the speaker phrase of each, resolved to one entity per real
//! speaker (extract/sources.toml: known bodies and people by alias, new people by the full name
//! they are first introduced with, "he"/"she"/"the ministry" back to earlier speakers), and the
//! quotations with their speakers. `DocAttribution::attribute` then answers for one event
//! trigger: its source, its stance (extract/stance.toml cues in scope of the trigger), the
//! quotation it stands in, and the evidence.
//!
//! Conventions (shared/eval/ANNOTATION.md):
//! - Reported speech is a claim of the speaker; a trigger inside a quotation belongs to the
//!   quotation's speaker, every sentence of a multi-sentence quotation included; a quotation
//!   without a verb of saying takes the nearest speaker of its paragraph.
//! - Nobody cited: the outlet's own voice.
//! - Stance scope: a cue governs the trigger when it is in the trigger's clause, on the side its
//!   group says (`governs`) and within `reach` words; denial verbs and "... are false" are
//!   dominant: they govern the whole denied clause and win over nearer cues. Distancing cues
//!   ("reportedly", "alleged") apply only to claims in the outlet's own voice: a cited source's
//!   stance is given by its own words.
//! - Paragraph-scope non-confirmation ("Ukraine's military has not confirmed the loss of these
//!   areas"): the sentence itself is a claim of the non-confirming body with stance
//!   `unconfirmed`; the earlier claims it refers back to keep their own source and stance (the
//!   guide makes the source whoever says a claim, and the Russian ministry did assert its
//!   capture). The reservation is attached to those earlier claims as stance evidence and listed
//!   by `DocAttribution::reservations`, so that a reader or the reconciler can weigh it.

mod lexicon;
mod quotes;
mod speakers;
mod stance;
mod text;
#[cfg(test)]
mod tests;

use std::ops::Range;

use sitrep_language::Span;

use crate::{Document, Evidence, Quote, Source, SourceKind, Stance};
use lexicon::{Lex, VerbInfo, REPORTING, STANCE};
use quotes::QuoteSpan;
use speakers::{Cls, Ctx, Phrase, Registry};
use text::{locate, TokenIndex};

/// The compiled attribution lexicons; build once, share across threads.
pub struct Attributor {
    lex: Lex,
}

/// Who holds one claim, how, and why we think so.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    pub source: Source,
    pub stance: Stance,
    /// The direct quotation the trigger stands in, if any.
    pub quote: Option<Quote>,
    pub evidence: Vec<Evidence>,
}

/// A body's stated non-confirmation of earlier claims it refers back to ("has not confirmed the
/// loss of these areas").
#[derive(Debug, Clone, PartialEq)]
pub struct Reservation {
    /// The body that does not confirm.
    pub source: Source,
    pub stance: Stance,
    /// Where the cue stands.
    pub cue: Span,
    pub rule: String,
    /// Indices of the earlier sentences it refers back to.
    pub sentences: Range<usize>,
}

/// A verb of saying (or "according to") with its speaker and the stretch of its sentence it
/// governs.
#[derive(Debug, Clone)]
struct Frame {
    sentence: usize,
    np: Span,
    cue: Span,
    region: Span,
    entity: usize,
    rules: Vec<String>,
}

impl Frame {
    fn pos(&self) -> usize {
        self.np.start.min(self.cue.start)
    }
}

/// The attribution pass over one document.
pub struct DocAttribution<'a> {
    lex: &'a Lex,
    text: &'a str,
    ti: TokenIndex,
    sentences: Vec<Span>,
    frames: Vec<Frame>,
    sources: Vec<Source>,
    qspans: Vec<QuoteSpan>,
    quotes: Vec<Quote>,
    quote_rules: Vec<Vec<String>>,
    cue_hits: Vec<lexicon::Hit>,
    clause_breaks: Vec<lexicon::Hit>,
    region_breaks: Vec<lexicon::Hit>,
    reservations: Vec<Reservation>,
}

impl Attributor {
    pub fn new(lex: &sitrep_lexicon::Lexicons) -> anyhow::Result<Self> {
        Ok(Attributor { lex: Lex::load(lex)? })
    }

    pub fn analyse<'a>(&'a self, doc: &Document<'a>) -> DocAttribution<'a> {
        let lex = &self.lex;
        let text = doc.text;
        let ti = TokenIndex::new(text);
        let blocks = text::blocks(text, doc.paragraphs);
        let qspans = quotes::find(text, &blocks);
        // Indices must stay the caller's (`attribute` takes them): a span that does not fit the
        // text becomes empty instead of being dropped.
        let mut sentences: Vec<Span> = doc
            .sentences
            .iter()
            .map(|s| {
                let ok = s.start <= s.end && s.end <= text.len() && text.is_char_boundary(s.start) && text.is_char_boundary(s.end);
                if ok { *s } else { Span::new(0, 0) }
            })
            .collect();
        if sentences.is_empty() && !text.trim().is_empty() {
            sentences.push(Span::new(0, text.len()));
        }
        let lexicon::TextHits { verbs: verb_hits, aliases, nations, cues: cue_hits, clause_breaks, region_breaks } = lex.scan_text(text);

        let cx = Ctx::new(text, lex, &ti, doc.places, aliases, nations);
        let mut reg = Registry::default();
        let mut frames: Vec<Frame> = Vec::new();
        let mut vh = 0;
        for (si, sent) in sentences.iter().enumerate() {
            let (sa, sb) = ti.range(*sent);
            note_subject(&cx, &mut reg, sa, sb);
            while vh < verb_hits.len() && verb_hits[vh].start < sent.start {
                vh += 1;
            }
            let first_frame = frames.len();
            while vh < verb_hits.len() && verb_hits[vh].end <= sent.end {
                let h = verb_hits[vh];
                vh += 1;
                if quotes::containing(&qspans, h.start).is_some() {
                    continue;
                }
                if let Some(f) = frame_at(&cx, &mut reg, lex, h, si, *sent, (sa, sb), &region_breaks) {
                    reg.mention(f.pos(), f.entity);
                    frames.push(f);
                } else if let Some(f) = participle_frame(&cx, h, si, *sent, frames[first_frame..].last(), &region_breaks) {
                    frames.push(f);
                }
            }
            // A frame inside another's reported clause with no clause break between ("argued
            // that neither ... analysts have observed") is reported speech of the outer speaker;
            // after a break, the clause reported by the first frame ends where the next starts.
            // A conjunction before the second speaker breaks too: "Russia says it has retaken
            // Sudzha as Ukraine denies its troops are encircled".
            let mut k = first_frame + 1;
            while k < frames.len() {
                let (prev, next) = (&frames[k - 1], &frames[k]);
                let inside = prev.region.start <= next.pos() && next.pos() < prev.region.end && prev.cue.end <= next.pos();
                let np_tok = cx.ti.at_or_after(next.np.start);
                let conjoined = np_tok > 0 && lex.speaker_conjunctions.contains(&cx.lower(np_tok - 1));
                if inside && !conjoined && !text[prev.cue.end..next.pos()].contains([',', ';', ':', '—']) {
                    frames.remove(k);
                    continue;
                }
                if inside {
                    frames[k - 1].region.end = next.pos();
                }
                k += 1;
            }
        }

        // Definite descriptions first met before their referent ("official says" in a headline).
        for f in &mut frames {
            if let Some(id) = speakers::resolve_pending(&mut reg, f.entity, f.pos()) {
                f.rules.push(format!("{}: the {} → {} (named later)", lexicon::SOURCES, reg.ents[f.entity].titles[0], reg.ents[id].name));
                f.entity = id;
            }
        }
        // A country as speaker ("Ukraine denied ...") next to a statement of its own body
        // ("... Ukraine's general staff said") is that body: a state organ, not an analyst
        // or a news outlet of the same side.
        for k in 0..frames.len() {
            let e = &reg.ents[frames[k].entity];
            if !e.generic {
                continue;
            }
            let s = frames[k].sentence;
            let side = e.side.clone();
            let lo = frames.partition_point(|f| f.sentence + 2 < s);
            let hi = frames.partition_point(|f| f.sentence <= s + 2);
            let near = (lo..hi).find(|&j| {
                let o = &reg.ents[frames[j].entity];
                j != k && !o.person && !o.generic && o.pending.is_none() && o.side == side && side.is_some() && matches!(o.kind, SourceKind::Official | SourceKind::Military)
            });
            if let Some(j) = near {
                let id = frames[j].entity;
                let fr = &mut frames[k];
                fr.rules.push(format!("{}: country as speaker → {} (stated nearby)", lexicon::SOURCES, reg.ents[id].name));
                fr.entity = id;
            }
        }

        let sources: Vec<Source> = frames
            .iter()
            .map(|f| {
                let e = &reg.ents[f.entity];
                Source { name: e.name.clone(), kind: e.kind, side: e.side.clone(), span: Some(f.np) }
            })
            .collect();

        let (quotes, quote_rules) = quote_speakers(text, &sentences, &qspans, &frames, &sources, &blocks);

        let reservations = reservations(&Pass { lex, text, ti: &ti, sentences: &sentences, frames: &frames, sources: &sources, cue_hits: &cue_hits }, &cx, &mut reg, &blocks);
        drop(cx);
        DocAttribution {
            lex,
            text,
            ti,
            sentences,
            frames,
            sources,
            qspans,
            quotes,
            quote_rules,
            cue_hits,
            clause_breaks,
            region_breaks,
            reservations,
        }
    }
}

/// What the reservation search reads of the finished pass.
struct Pass<'p> {
    lex: &'p Lex,
    text: &'p str,
    ti: &'p TokenIndex,
    sentences: &'p [Span],
    frames: &'p [Frame],
    sources: &'p [Source],
    cue_hits: &'p [lexicon::Hit],
}

/// A person named at the start of a sentence ("Trump has expressed ...") is a candidate for a
/// following "he", even without a verb of saying.
fn note_subject(cx: &Ctx, reg: &mut Registry, sa: usize, sb: usize) {
    let mut a = sa;
    while a < sb && matches!(cx.cls(a), Cls::Quote | Cls::Punct(_)) {
        a += 1;
    }
    if a >= sb {
        return;
    }
    if let Some((start, end)) = cx.np_forward(a, sb) {
        let last = end - 1;
        if let Some((k, _)) = cx.known_of(last) {
            if cx.lex.sources[k].gender.is_some() {
                let id = speakers::known_entity(cx, reg, k);
                reg.mention(cx.ti.toks[start].start, id);
            }
        } else if cx.cls(last) == Cls::Name {
            let w = cx.word(last);
            if let Some(id) = reg.ents.iter().rposition(|e| e.person && e.surname.as_deref() == Some(w)) {
                reg.mention(cx.ti.toks[start].start, id);
            }
        }
    }
}

/// The speaker of a verb when a short post-modifier stands between them ("a Ukrainian
/// soldier involved in the construction told ...", "a person familiar with the matter
/// said", "officials speaking on condition of anonymity said"): the phrase before the
/// post-modifier's first word (reporting.toml `postmodifiers`), within one clause.
fn speaker_before_postmodifier(cx: &Ctx, verb: usize, floor: usize) -> Option<(usize, usize)> {
    const MAX_WORDS: usize = 7;
    let lowest = verb.saturating_sub(MAX_WORDS).max(floor + 1);
    for k in (lowest..verb).rev() {
        if matches!(cx.cls(k), Cls::Punct(_) | Cls::Quote) {
            return None;
        }
        // "familiar with the matter": the farther word may open it, so try each.
        if cx.lex.postmodifiers.contains(&cx.lower(k)) {
            if let Some(np) = cx.np_back(k, floor) {
                return Some(np);
            }
        }
    }
    None
}

/// ", saying they were withdrawing", ", adding that ...": a participle of saying after a
/// comma has the subject of the sentence's last frame, and reports what follows it (its
/// region break in reporting.toml ends the first frame's clause, and with it a denial).
fn participle_frame(cx: &Ctx, h: lexicon::Hit, si: usize, sent: Span, last: Option<&Frame>, region_breaks: &[lexicon::Hit]) -> Option<Frame> {
    let last = last?;
    let vi = cx.ti.at_or_after(h.start);
    let form = cx.lower(vi);
    if !(form.ends_with("ing") && vi > 0 && cx.cls(vi - 1) == Cls::Punct(',') && last.cue.end <= h.start) {
        return None;
    }
    let next = region_breaks.partition_point(|b| b.start < h.end);
    let stop = region_breaks.get(next).map_or(sent.end, |b| b.start.min(sent.end));
    let mut rules = vec![format!("{REPORTING}: participle ← {form} (the speaker of \"{}\")", &cx.text[last.np.start..last.np.end])];
    rules.extend(last.rules.iter().filter(|r| !r.starts_with(REPORTING)).cloned());
    Some(Frame { sentence: si, np: last.np, cue: Span::new(h.start, h.end), region: Span::new(h.end, stop), entity: last.entity, rules })
}

fn is_adverb(word: &str) -> bool {
    word.len() > 4 && word.ends_with("ly") && word.chars().all(|c| c.is_lowercase())
}

const BE: [&str; 7] = ["is", "are", "was", "were", "been", "being", "be"];

#[allow(clippy::too_many_arguments)]
fn frame_at(
    cx: &Ctx,
    reg: &mut Registry,
    lex: &Lex,
    h: lexicon::Hit,
    si: usize,
    sent: Span,
    (sa, sb): (usize, usize),
    region_breaks: &[lexicon::Hit],
) -> Option<Frame> {
    let ti = cx.ti;
    let vi = ti.at_or_after(h.start);
    let ve = ti.at_or_after(h.end);
    let cue = Span::new(h.start, h.end);
    let tok_start = |i: usize| ti.toks.get(i).map_or(sent.end, |t| t.start);
    let tok_end = |i: usize| ti.toks[i - 1].end;
    match lex.verbs.payload(h.id) {
        VerbInfo::AccordingTo { phrase } => {
            let (a, b) = cx.np_forward(ve, sb)?;
            let appos = (b < sb).then(|| cx.appos_forward(b, sb)).flatten();
            let backward = vi > sa && cx.cls(vi - 1) == Cls::Punct(',');
            let region = if backward { sent } else { Span::new(tok_end(b), sent.end) };
            let r = speakers::resolve(cx, reg, &Phrase { a, b, appos }, tok_start(a))?;
            let mut rules = vec![format!("{REPORTING}: according to ← {phrase}")];
            rules.extend(r.rules);
            Some(Frame { sentence: si, np: Span::new(tok_start(a), tok_end(b)), cue, region, entity: r.entity, rules })
        }
        VerbInfo::Saying { form, object, noun_too } => {
            // Passive: "were dismissed by Ukrainian officials" names its speaker after "by";
            // "was reported", "is said to" name none.
            if vi > sa && BE.contains(&cx.lower(vi - 1).as_str()) {
                if !(ve < sb && lex.passive_agents.contains(&cx.lower(ve))) {
                    return None;
                }
                let (a, b) = cx.np_forward(ve + 1, sb)?;
                let r = speakers::resolve(cx, reg, &Phrase { a, b, appos: None }, tok_start(a))?;
                let mut rules = vec![format!("{REPORTING}: passive ← {form} by")];
                rules.extend(r.rules);
                return Some(Frame { sentence: si, np: Span::new(tok_start(a), tok_end(b)), cue, region: sent, entity: r.entity, rules });
            }
            if *noun_too && !(ve < sb && lex.complementisers.contains(&cx.lower(ve))) {
                return None;
            }
            // Inverted: "..., said Ukrainian analyst Oleksiy Hetman."
            if vi > sa && matches!(cx.cls(vi - 1), Cls::Punct(',') | Cls::Quote) {
                if let Some((a, b)) = cx.np_forward(ve, sb) {
                    let closes = b >= sb || matches!(cx.cls(b), Cls::Punct('.' | ',' | ';' | '!' | '?'));
                    let named = (a..b).any(|i| matches!(cx.cls(i), Cls::Name | Cls::Alias | Cls::Title));
                    if closes && named && cx.cls(a) != Cls::Pronoun {
                        let r = speakers::resolve(cx, reg, &Phrase { a, b, appos: None }, tok_start(a))?;
                        let mut rules = vec![format!("{REPORTING}: inverted ← {form}")];
                        rules.extend(r.rules);
                        let np = Span::new(tok_start(a), tok_end(b));
                        return Some(Frame { sentence: si, np, cue, region: sent, entity: r.entity, rules });
                    }
                }
            }
            let mut i = vi;
            while i > sa {
                let w = cx.lower(i - 1);
                if lex.auxiliaries.contains(&w) || is_adverb(cx.word(i - 1)) {
                    i -= 1;
                } else {
                    break;
                }
            }
            let phrase = if i > sa && cx.cls(i - 1) == Cls::Punct(',') {
                if let Some((pa, pb, open)) = cx.appos_back(i - 1, sa) {
                    // "X, a spokesman for Y, said"
                    let (a, b) = cx.np_back(open, sa)?;
                    Phrase { a, b, appos: Some((pa, pb)) }
                } else if let Some((na, nb, open)) = cx.name_between_commas(i - 1, sa) {
                    // "The head of the centre, Andriy Kovalenko, said": the name between
                    // commas is the speaker, the phrase before it its role.
                    Phrase { a: na, b: nb, appos: cx.np_back(open, sa) }
                } else {
                    // "A drone unit commander, who asked not to be named, told ...": the
                    // speaker stands before the relative clause.
                    let open = cx.relative_between_commas(i - 1, sa)?;
                    let (a, b) = cx.np_back(open, sa)?;
                    Phrase { a, b, appos: None }
                }
            } else {
                let (a, b) = cx.np_back(i, sa).or_else(|| speaker_before_postmodifier(cx, i, sa))?;
                Phrase { a, b, appos: None }
            };
            let preceded = phrase.a > sa
                && matches!(cx.cls(phrase.a - 1), Cls::Punct(',' | '—' | '–') | Cls::Quote);
            // What follows the verb: reported content, or only an adjunct ("said on Sunday.").
            let mut r = ve;
            if *object {
                if let Some((_, b)) = cx.np_forward(r, sb) {
                    r = b;
                }
            }
            let clause_end = (r..sb).find(|&k| cx.cls(k) == Cls::Punct(',')).unwrap_or(sb);
            let has_comp = (r..clause_end).any(|k| lex.complementisers.contains(&cx.lower(k)));
            let adjunct_only = r >= sb
                || matches!(cx.cls(r), Cls::Punct(_) | Cls::Quote)
                || lex.adjunct_starts.contains(&cx.lower(r));
            let after = preceded && !has_comp && adjunct_only;
            let region = if after {
                sent
            } else {
                let next = region_breaks.partition_point(|b| b.start < h.end);
                let stop = region_breaks.get(next).map_or(sent.end, |b| b.start.min(sent.end));
                Span::new(h.end, stop)
            };
            let res = speakers::resolve(cx, reg, &phrase, tok_start(phrase.a))?;
            let pattern = if after { "after-clause" } else { "before-clause" };
            let mut rules = vec![format!("{REPORTING}: {pattern} ← {form}")];
            rules.extend(res.rules);
            let np = Span::new(tok_start(phrase.a), tok_end(phrase.b));
            Some(Frame { sentence: si, np, cue, region, entity: res.entity, rules })
        }
    }
}

/// Each quotation's speaker: the speaker right after it ("...," Hetman said), else a frame whose
/// reported clause contains it (According to Evans, "..."), else the nearest speaker of its
/// paragraph, else the last speaker of the paragraph before.
fn quote_speakers(
    text: &str,
    sentences: &[Span],
    qspans: &[QuoteSpan],
    frames: &[Frame],
    sources: &[Source],
    blocks: &[Span],
) -> (Vec<Quote>, Vec<Vec<String>>) {
    let mut quotes = Vec::new();
    let mut all_rules = Vec::new();
    // Frames by position, for binary searches.
    let mut order: Vec<usize> = (0..frames.len()).collect();
    order.sort_by_key(|&k| frames[k].pos());
    let first_at = |pos: usize| order.partition_point(|&k| frames[k].pos() < pos);
    for q in qspans {
        let mut pick: Option<(usize, String)> = None;
        if let Some(&k) = order.get(first_at(q.close_end)) {
            let gap = &text[q.close_end..frames[k].pos()];
            if gap.chars().all(|c| c == ' ' || ",.;:—–-".contains(c)) {
                pick = Some((k, "speaker after the quotation".into()));
            }
        }
        if pick.is_none() {
            if let Some(si) = locate(sentences, q.open) {
                let lo = frames.partition_point(|f| f.sentence < si);
                let hi = frames.partition_point(|f| f.sentence <= si);
                pick = (lo..hi)
                    .filter(|&k| {
                        let f = &frames[k];
                        f.region.start <= q.open && q.open < f.region.end && f.cue.start < q.open
                    })
                    .max_by_key(|&k| frames[k].cue.start)
                    .map(|k| (k, "quotation in the reported clause".into()));
            }
        }
        if pick.is_none() {
            if let Some(bi) = locate(blocks, q.open) {
                let block = blocks[bi];
                let prev_in = |lo: usize, hi: usize| {
                    let i = first_at(hi);
                    i.checked_sub(1).map(|i| order[i]).filter(|&k| frames[k].pos() >= lo)
                };
                pick = prev_in(block.start, q.open)
                    .or_else(|| order.get(first_at(q.close_end)).copied().filter(|&k| frames[k].pos() < block.end))
                    .map(|k| (k, "nearest speaker of the paragraph".into()));
                if pick.is_none() && bi > 0 {
                    let prev = blocks[bi - 1];
                    pick = prev_in(prev.start, prev.end).map(|k| (k, "last speaker of the paragraph before".into()));
                }
            }
        }
        let mut rules = Vec::new();
        let speaker = pick.map(|(k, why)| {
            rules.push(format!("{REPORTING}: quotation ← {why}"));
            rules.extend(frames[k].rules.iter().cloned());
            sources[k].clone()
        });
        quotes.push(Quote { span: q.inner, speaker });
        all_rules.push(rules);
    }
    (quotes, all_rules)
}

fn reservations(d: &Pass, cx: &Ctx, reg: &mut Registry, blocks: &[Span]) -> Vec<Reservation> {
    let mut out = Vec::new();
    for h in d.cue_hits.iter().filter(|h| d.lex.cue_info[*d.lex.cues.payload(h.id)].reservation) {
        let info = &d.lex.cue_info[*d.lex.cues.payload(h.id)];
        let Some(si) = locate(d.sentences, h.start) else { continue };
        let sent = d.sentences[si];
        if h.end > sent.end {
            continue;
        }
        let refers_back = d.lex.anaphors.find_all(&d.text[h.end..sent.end]).iter().any(|a| {
            d.ti.words_between(h.end, h.end + a.start) <= info.reach
        });
        if !refers_back {
            continue;
        }
        let lo = d.frames.partition_point(|f| f.sentence < si);
        let hi = d.frames.partition_point(|f| f.sentence <= si);
        let source = if let Some(k) = (lo..hi).find(|&k| d.frames[k].cue.start < h.end && h.start < d.frames[k].cue.end) {
            d.sources[k].clone()
        } else {
            let (sa, _) = cx.ti.range(sent);
            let i = cx.ti.at_or_after(h.start);
            let Some((a, b)) = cx.np_back(i, sa) else { continue };
            let Some(r) = speakers::resolve(cx, reg, &Phrase { a, b, appos: None }, cx.ti.toks[a].start) else { continue };
            let e = &reg.ents[r.entity];
            Source { name: e.name.clone(), kind: e.kind, side: e.side.clone(), span: Some(Span::new(cx.ti.toks[a].start, cx.ti.toks[b - 1].end)) }
        };
        // The sentences referred back to: up to three before, within this paragraph or the one before.
        let floor = locate(blocks, sent.start)
            .and_then(|b| b.checked_sub(1))
            .and_then(|b| locate(d.sentences, blocks[b].start))
            .unwrap_or(0);
        let lo = si.saturating_sub(3).max(floor);
        if lo < si {
            out.push(Reservation {
                source,
                stance: info.stance,
                cue: Span::new(h.start, h.end),
                rule: format!("{STANCE}: {} ← {}", stance::name(info.stance), info.phrase),
                sentences: lo..si,
            });
        }
    }
    out
}

impl<'a> DocAttribution<'a> {
    /// All direct quotations of the document, in order, with their speakers.
    pub fn quotes(&self) -> &[Quote] {
        &self.quotes
    }

    /// Non-confirmations that refer back to earlier claims (see the module notes).
    pub fn reservations(&self) -> &[Reservation] {
        &self.reservations
    }

    /// Source, stance, quotation and evidence for an event trigger in sentence `sentence`.
    pub fn attribute(&self, sentence: usize, trigger: Span) -> Attribution {
        let text_len = self.text.len();
        let sent = self.sentences.get(sentence).copied().unwrap_or(Span::new(0, text_len));
        let trigger = Span::new(trigger.start.min(text_len), trigger.end.min(text_len).max(trigger.start.min(text_len)));
        let mut evidence = Vec::new();
        let mut quote = None;
        let source = if let Some(qi) = quotes::containing(&self.qspans, trigger.start) {
            let q = &self.quotes[qi];
            quote = Some(q.clone());
            push_rules(&mut evidence, q.speaker.as_ref().and_then(|s| s.span), &self.quote_rules[qi]);
            q.speaker.clone().unwrap_or_else(|| {
                evidence.push(ev("source", None, "outlet: quotation without a speaker".into()));
                Source::outlet()
            })
        } else if let Some(k) = self.governing_frame(sentence, sent, trigger) {
            push_rules(&mut evidence, Some(self.frames[k].np), &self.frames[k].rules);
            self.sources[k].clone()
        } else {
            evidence.push(ev("source", None, "outlet: no reporting pattern governs the trigger".into()));
            Source::outlet()
        };
        let outlet_voice = source.kind == crate::SourceKind::Outlet;
        let (stance, why) = stance::choose(self, sent, trigger, outlet_voice);
        evidence.push(why);
        for r in &self.reservations {
            if r.sentences.contains(&sentence) && r.source.name != source.name {
                evidence.push(ev(
                    "stance",
                    Some(r.cue),
                    format!("{} (by {}; refers back to this claim, whose own stance is kept)", r.rule, r.source.name),
                ));
            }
        }
        Attribution { source, stance, quote, evidence }
    }

    fn governing_frame(&self, sentence: usize, sent: Span, trigger: Span) -> Option<usize> {
        let lo = self.frames.partition_point(|f| f.sentence < sentence);
        let hi = self.frames.partition_point(|f| f.sentence <= sentence);
        (lo..hi)
            .filter(|&k| {
                let f = &self.frames[k];
                f.sentence == sentence
                    && sent.contains(&f.cue)
                    && f.region.start <= trigger.start
                    && trigger.start < f.region.end
                    && !f.np.contains(&trigger)
                    && !(f.cue.start <= trigger.start && trigger.end <= f.cue.end)
            })
            .min_by_key(|&k| self.frames[k].cue.start.abs_diff(trigger.start))
    }
}

fn ev(part: &str, span: Option<Span>, rule: String) -> Evidence {
    Evidence { part: part.into(), span, rule }
}

fn push_rules(evidence: &mut Vec<Evidence>, span: Option<Span>, rules: &[String]) {
    for r in rules {
        evidence.push(ev("source", span, r.clone()));
    }
}
