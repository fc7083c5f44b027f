//! Stance of one claim: the stance.toml cue that governs its trigger (see the file's note for
//! `governs`, `reach`, `dominant`, `distancing`, `crosses`), else `asserted`.

use sitrep_language::Span;

use super::lexicon::{Governs, Hit, STANCE};
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
    let mut best: Option<(bool, usize, usize, &Hit)> = None;
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
        } else if info.governs == Governs::Following && h.end <= trigger.start && h.start >= lim.start {
            Some(d.ti.words_between(h.end, trigger.start))
        } else if info.governs == Governs::Preceding && h.start >= trigger.end && h.end <= lim.end {
            Some(d.ti.words_between(trigger.end, h.start))
        } else {
            None
        };
        let Some(dist) = dist.filter(|&w| w <= info.reach) else { continue };
        let key = (info.dominant, dist, h.end - h.start);
        let better = match best {
            None => true,
            Some((dom, bd, blen, _)) => {
                (key.0 && !dom) || (key.0 == dom && (key.1 < bd || (key.1 == bd && key.2 > blen)))
            }
        };
        if better {
            best = Some((key.0, key.1, key.2, h));
        }
    }
    match best {
        Some((_, _, _, h)) => {
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

/// The stretch of `sent` around `trigger` between the nearest breaks on either side.
fn bounds(breaks: &[Hit], sent: Span, trigger: Span) -> Span {
    let start = breaks.iter().filter(|b| b.end <= trigger.start).map(|b| b.end).max().unwrap_or(sent.start);
    let end = breaks.iter().filter(|b| b.start >= trigger.end).map(|b| b.start).min().unwrap_or(sent.end);
    Span::new(start, end)
}
