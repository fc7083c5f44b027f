//! Time expressions: found in the text, typed and valued as TimeML TIMEX3, and placed
//! as an interval of days against the article's publication date (the *anchor*).
//!
//! Words (months in English, Russian and Ukrainian, weekdays, number words, units,
//! parts of periods, relative and tense cue words, seasons) are data in
//! `lexicons/time/*.toml`; the grammar and the calendar arithmetic (jiff) are here.
//!
//! # Conventions
//!
//! * **Extent** follows TimeML: prepositions stay outside ("on *Thursday*", "since
//!   *mid-January*", "over *the past 11 days*"); determiners, "ago", "early/mid/late"
//!   and "almost"/"nearly" are inside; "about", "more than" and the like are outside
//!   (they are the TIMEX3 `mod`, see `cues.toml`).
//! * **Weekdays** ("on Thursday") mean the latest such day on or before the anchor; a
//!   future cue nearest in the clause ("will meet on Thursday") makes it the first on or
//!   after the anchor. A weekday equal to the anchor's is the anchor itself either way:
//!   wire copy names the day of publication by its weekday ("said Friday"), not "today".
//!   "last Thursday" is strictly before the anchor, "next Thursday" strictly after,
//!   "this Thursday" the one in the anchor's ISO week.
//! * **Day and month without a year** ("On March 12"): in past context the latest such
//!   date no more than two days after the anchor; in future context the first no more
//!   than two days before it; with no tense cue, the nearest one. A month or season
//!   alone ("in March", "last winter") is chosen the same way at its own size.
//! * **Tense** is the nearest cue word within the clause (`tense.toml`): "will",
//!   "scheduled", "said", "was", words ending in "-ed", ...
//! * **Intervals** are whole days, both ends inclusive. "this week/month/year" is the
//!   calendar period, cut at the anchor by tense (past: up to it; future: from it).
//!   "early/mid/late" take days 1-10/10-20/20-end of a month, months 1-4/5-8/9-12 of a
//!   year (`cues.toml`). "earlier this month" runs to the anchor, "later this month"
//!   from it. "since X" runs from X's start to the anchor. "the past 11 days" is
//!   anchor-11..anchor, "the past 24 hours" anchor-1..anchor, "in the coming days" the
//!   anchor to a unit's `vague_span` later. A night ("Saturday night", "the night of
//!   March 11", "overnight" = anchor-1) runs into the next day.
//! * **"N units ago"** has the value of the calendar unit that holds anchor − N
//!   ("seven months ago" from 2025-03-21 = `2024-08`) and that unit's interval; "more
//!   than N units ago" is the window anchor−(N+1)..anchor−N units ("more than seven
//!   months ago" = 2024-07-21..2024-08-21); "almost N units ago" anchor−N..anchor−(N−1).
//! * **Durations** ("six months", P6M) have no interval unless a window places them.
//!   `PRESENT_REF` ("now") is the anchor day; `PAST_REF` ("recently") has no interval.
//! * **Without an anchor**, absolute dates resolve; a day or month without a year takes
//!   the last year written before it in the text; the rest get TimeML values with X's
//!   (`XXXX-WXX-4`, `XXXX-03-12`) and no interval.
//! * `relative` is true when the value needed the anchor. A day and month whose year is
//!   also written out in a full date elsewhere in the text counts as absolute.
//! * "the following day", "that day", "two days later" count from the last day
//!   mentioned before them (or the anchor when none was).

mod calendar;
mod grammar;
mod lex;
mod resolve;
mod tokens;

#[cfg(test)]
mod tests;

use jiff::civil::Date;

use crate::{Span, TimeMention};
use grammar::{Cand, Expr, Grammar, Tense};
use lex::{Cat, TimeLex};
use resolve::{resolve, Ctx, Resolved};

/// Finds and normalises time expressions. Build once (it compiles the lexicons) and
/// share: `find` takes `&self`.
#[derive(Debug, Clone)]
pub struct TimeTagger {
    lex: TimeLex,
}

/// How many tokens apart a clock time and a date may be and still go together
/// ("at 10:30 a.m. on Thursday").
const CLOCK_DATE_REACH: usize = 8;

impl TimeTagger {
    pub fn new(lex: &sitrep_lexicon::Lexicons) -> anyhow::Result<Self> {
        Ok(TimeTagger { lex: TimeLex::load(lex)? })
    }

    /// The time expressions of `text`, in order, not overlapping, normalised against
    /// `anchor` (the publication date) when given.
    pub fn find(&self, text: &str, anchor: Option<Date>) -> Vec<TimeMention> {
        let toks = tokens::tokenize(text, Some(&self.lex));
        let g = Grammar { t: &toks, lex: &self.lex };
        self.mentions(&g, &g.candidates(), anchor)
    }

    /// [`find`](Self::find) for an article that may lack a publication date: without
    /// `published`, the date [`infer_publication_date`](Self::infer_publication_date)
    /// gives anchors the expressions. Returns the mentions, the anchor used, and whether
    /// it was inferred. The text is tokenized and parsed once for both.
    pub fn find_with_date(&self, text: &str, published: Option<Date>) -> (Vec<TimeMention>, Option<Date>, bool) {
        let toks = tokens::tokenize(text, Some(&self.lex));
        let g = Grammar { t: &toks, lex: &self.lex };
        let cands = g.candidates();
        let (anchor, inferred) = match published {
            Some(d) => (Some(d), false),
            None => {
                let d = Self::inferred_date(&g, &cands);
                (d, d.is_some())
            }
        };
        (self.mentions(&g, &cands, anchor), anchor, inferred)
    }

    fn mentions(&self, g: &Grammar, cands: &[Cand], anchor: Option<Date>) -> Vec<TimeMention> {
        let toks = g.t;
        let resolved = self.resolve_all(g, cands, anchor);
        cands
            .iter()
            .zip(resolved)
            .filter_map(|(c, r)| {
                let r = r?;
                let (start, end) = match r.interval {
                    Some((a, b)) => (Some(a.to_string()), Some(b.to_string())),
                    None => (None, None),
                };
                Some(TimeMention {
                    span: Span::new(toks.toks[c.s].start, toks.toks[c.e - 1].end),
                    timex_type: r.timex_type,
                    value: r.value,
                    start,
                    end,
                    relative: r.relative,
                })
            })
            .collect()
    }

    /// A publication date for an article that has none, from its own dates: the latest
    /// day written out in full (with its year) outside future context, moved forward
    /// just enough that every weekday the text names in past context ("on Thursday")
    /// falls on or after it, at most six days. That follows wire style, which names the
    /// days of the last week by weekday and older ones by date. `None` when the text
    /// writes out no full date. The caller should mark the date as inferred.
    pub fn infer_publication_date(&self, text: &str) -> Option<Date> {
        let toks = tokens::tokenize(text, Some(&self.lex));
        let g = Grammar { t: &toks, lex: &self.lex };
        Self::inferred_date(&g, &g.candidates())
    }

    fn inferred_date(g: &Grammar, cands: &[Cand]) -> Option<Date> {
        let latest = cands
            .iter()
            .filter_map(|c| match c.expr {
                Expr::Day { y: Some(y), m, d } if g.tense(c.s, c.e) != Tense::Future => Date::new(y, m, d).ok(),
                _ => None,
            })
            .max()?;
        let base_wd = calendar::weekday_number(latest);
        let ahead = cands
            .iter()
            .filter_map(|c| match c.expr {
                Expr::Weekday { wd, rel: None | Some(-1) } if g.tense(c.s, c.e) != Tense::Future => {
                    Some((wd - base_wd).rem_euclid(7) as i64)
                }
                _ => None,
            })
            .max()
            .unwrap_or(0);
        calendar::add_days(latest, ahead)
    }

    fn resolve_all(&self, g: &Grammar, cands: &[Cand], anchor: Option<Date>) -> Vec<Option<Resolved>> {
        let explicit_years: Vec<i16> = cands
            .iter()
            .filter_map(|c| match c.expr {
                Expr::Day { y: Some(y), .. } | Expr::Month { y: Some(y), .. } => Some(y),
                _ => None,
            })
            .collect();
        let mut out: Vec<Option<Resolved>> = Vec::with_capacity(cands.len());
        let mut reference: Option<Date> = None;
        // The last year written out, and the token where: without an anchor it dates a
        // later "March 12" of the same paragraph only. Across paragraphs, a history aside
        // ("the liberation of Kherson in November 2022") would date the news after it.
        let mut written_year: Option<(i16, usize)> = None;
        let year_for = |c: &Cand, written: Option<(i16, usize)>| {
            let last = c.s.min(g.t.toks.len().saturating_sub(1));
            written.filter(|&(_, at)| !(at + 1..=last).any(|k| g.t.toks[k].break_before)).map(|(y, _)| y)
        };
        // Clock times wait for the dates around them.
        for c in cands {
            if matches!(c.expr, Expr::Clock { .. }) {
                out.push(None);
                continue;
            }
            let text_year = year_for(c, written_year);
            let r = resolve(c, &self.ctx(g, c, anchor, reference, text_year, &explicit_years, None));
            if let Some(d) = r.as_ref().and_then(|r| r.day) {
                reference = Some(d);
            }
            if let Expr::Day { y: Some(y), .. } | Expr::Month { y: Some(y), .. } | Expr::Year(y) = c.expr {
                written_year = Some((y, c.s));
            }
            out.push(r);
        }
        for k in 0..cands.len() {
            if !matches!(cands[k].expr, Expr::Clock { .. }) {
                continue;
            }
            let near = |j: usize| -> Option<(Date, bool)> {
                let (a, b) = if j < k { (&cands[j], &cands[k]) } else { (&cands[k], &cands[j]) };
                let gap_ok = b.s.saturating_sub(a.e) <= CLOCK_DATE_REACH && !g.sentence_break_between(a.e, b.s);
                let r = out[j].as_ref()?;
                gap_ok.then_some((r.day?, r.relative))
            };
            let clock_day = k.checked_sub(1).and_then(near).or_else(|| (k + 1 < cands.len()).then(|| near(k + 1)).flatten());
            let text_year = year_for(&cands[k], written_year);
            out[k] = resolve(&cands[k], &self.ctx(g, &cands[k], anchor, reference, text_year, &explicit_years, clock_day));
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn ctx<'a>(
        &'a self,
        g: &Grammar,
        c: &Cand,
        anchor: Option<Date>,
        reference: Option<Date>,
        text_year: Option<i16>,
        explicit_years: &'a [i16],
        clock_day: Option<(Date, bool)>,
    ) -> Ctx<'a> {
        let needs_tense = matches!(
            c.expr,
            Expr::Day { y: None, .. }
                | Expr::Month { y: None, rel: None, .. }
                | Expr::Season { y: None, .. }
                | Expr::Quarter { y: None, .. }
                | Expr::Weekday { rel: None, .. }
                | Expr::Weekend
                | Expr::Relative { .. }
        );
        Ctx {
            lex: &self.lex,
            anchor,
            reference,
            text_year,
            explicit_years,
            tense: if needs_tense { g.tense(c.s, c.e) } else { Tense::Unknown },
            since: c.s > 0 && g.has(c.s - 1, Cat::Since),
            clock_day,
        }
    }
}
