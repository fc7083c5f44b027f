//! Stance of one claim: the stance.toml cue that governs its trigger (see the file's note for
//! `governs`, `reach`, `dominant`, `distancing`, `crosses`), else `asserted`.

use std::cmp::Reverse;

use sitrep_language::Span;

use super::lexicon::{Hit, STANCE};
use super::DocAttribution;
use crate::{Evidence, Stance};

pub(crate) fn name(s: Stance) -> &'static str {
    match s {
        Stance::Asserted => "asserted",
        Stance::Denied => "denied",
        Stance::Unconfirmed => "unconfirmed",
        Stance::Possible => "possible",
        Stance::Planned => "planned",
    }
}

/// Hits of `hits` (sorted by start) that start inside `span`.
fn within(hits: &[Hit], span: Span) -> &[Hit] {
    let a = hits.partition_point(|h| h.start < span.start);
    let b = hits.partition_point(|h| h.start < span.end);
    &hits[a..b.max(a)]
}

pub(crate) fn choose(d: &DocAttribution, sent: Span, trigger: Span, outlet_voice: bool) -> (Stance, Evidence) {
    // The trigger's clause, and the wider stretch up to region breaks.
    let clause = bounds(within(&d.clause_breaks, sent), sent, trigger);
    let region = bounds(within(&d.region_breaks, sent), sent, trigger);
    let mut best: Option<((bool, Reverse<usize>, bool, usize), &Hit)> = None;
    for h in within(&d.cue_hits, sent) {
        if h.end > sent.end {
            continue;
        }
        let info = &d.lex.cue_info[*d.lex.cues.payload(h.id)];
        if info.distancing && !outlet_voice {
            continue;
        }
        let wide = info.dominant || info.crosses;
        let lim = if wide { region } else { clause };
        let dist = if h.start < trigger.end && trigger.start < h.end {
            Some(0)
        } else if info.governs.following() && h.end <= trigger.start && h.start >= lim.start {
            Some(d.ti.words_between(h.end, trigger.start)).filter(|&w| w <= info.reach)
        } else if info.governs.preceding() && h.start >= trigger.end && h.end <= lim.end {
            Some(d.ti.words_between(trigger.end, h.start)).filter(|&w| w <= info.reach_back)
        } else {
            None
        };
        let Some(dist) = dist else { continue };
        // "rejected Russian demands that ...", "rejected a proposal to withdraw": a refusal,
        // not a denial that something happened.
        if info.stance == Stance::Denied && h.end <= trigger.start && refused_between(d, h.end, trigger.end) {
            continue;
        }
        // Dominance, then nearness; at equal distance the cue before the trigger, whose scope
        // runs rightwards over it ("if verified, the loss of Toretsk would represent ..." is
        // unconfirmed), then the longer phrase.
        let key = (info.dominant, Reverse(dist), h.end <= trigger.start, h.end - h.start);
        if best.as_ref().is_none_or(|(k, _)| key > *k) {
            best = Some((key, h));
        }
    }
    match best {
        Some((_, h)) => {
            let info = &d.lex.cue_info[*d.lex.cues.payload(h.id)];
            let rule = format!("{STANCE}: {} ← {}", name(info.stance), info.phrase);
            (info.stance, Evidence { part: "stance".into(), span: Some(Span::new(h.start, h.end)), rule })
        }
        None => (
            Stance::Asserted,
            Evidence { part: "stance".into(), span: None, rule: "default: asserted (no stance cue in scope)".into() },
        ),
    }
}

/// Whether a word of stance.toml's `refused` list stands in `from..to`.
fn refused_between(d: &DocAttribution, from: usize, to: usize) -> bool {
    let a = d.ti.at_or_after(from);
    d.ti.toks[a..].iter().take_while(|t| t.end <= to).any(|t| d.lex.refused.contains(&d.text[t.start..t.end].to_lowercase()))
}

/// The stretch of `sent` around `trigger` between the nearest breaks on either side.
fn bounds(breaks: &[Hit], sent: Span, trigger: Span) -> Span {
    let start = breaks.iter().filter(|b| b.end <= trigger.start).map(|b| b.end).max().unwrap_or(sent.start);
    let end = breaks.iter().filter(|b| b.start >= trigger.end).map(|b| b.start).min().unwrap_or(sent.end);
    Span::new(start, end)
}
