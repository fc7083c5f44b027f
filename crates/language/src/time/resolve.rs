//! From what an expression means (`Expr`) to its TimeML type and value and the
//! interval it places a happening in, against the publication date (the anchor).

use jiff::civil::Date;

use super::calendar::{self, add_days, add_months, days_between, Period};
use super::grammar::{duration_value, Amount, Cand, Expr, Tense, Window};
use super::lex::{CalUnit, Cut, TimeLex, Unit};
use crate::TimexType;

/// A day-and-month without a year in past context may still lie this many days after
/// the anchor (the report was filed late in the day, or the anchor is a feed date);
/// in future context, this many days before it.
const YEAR_INFERENCE_SLACK_DAYS: i64 = 2;

pub(crate) struct Ctx<'a> {
    pub lex: &'a TimeLex,
    pub anchor: Option<Date>,
    /// The last day mentioned before this expression (for "the following day").
    pub reference: Option<Date>,
    /// The last year written out before this expression (to date "March 12" without an anchor).
    pub text_year: Option<i16>,
    /// Years of the dates written out in full anywhere in the text.
    pub explicit_years: &'a [i16],
    pub tense: Tense,
    /// The expression follows "since": the happening runs on to the anchor.
    pub since: bool,
    /// For a clock time: the day it is on, from a date in the same sentence
    /// (with that date's `relative` flag).
    pub clock_day: Option<(Date, bool)>,
}

#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub timex_type: TimexType,
    pub value: String,
    pub interval: Option<(Date, Date)>,
    pub relative: bool,
    /// The single day the expression names, if it names one.
    pub day: Option<Date>,
}

enum Base {
    Period { p: Period, relative: bool },
    Value { ty: TimexType, value: String, interval: Option<(Date, Date)>, relative: bool },
}

fn unresolved(value: impl Into<String>) -> Base {
    Base::Value { ty: TimexType::Date, value: value.into(), interval: None, relative: true }
}

fn x_value(unit: CalUnit) -> &'static str {
    match unit {
        CalUnit::Day => "XXXX-XX-XX",
        CalUnit::Week => "XXXX-WXX",
        CalUnit::Weekend => "XXXX-WXX-WE",
        CalUnit::Month => "XXXX-XX",
        CalUnit::Quarter => "XXXX-QX",
        CalUnit::Half => "XXXX-HX",
        CalUnit::Year => "XXXX",
        CalUnit::Decade => "XXX",
        CalUnit::Century => "XX",
    }
}

/// Pick among candidate periods by tense: in past context the latest that has begun
/// by the anchor, in future context the earliest that has not ended, else the nearest.
fn pick_by_tense(cands: impl IntoIterator<Item = Period>, anchor: Date, tense: Tense, lex: &TimeLex, slack: i64) -> Option<Period> {
    let mut spans: Vec<(Period, Date, Date)> = cands.into_iter().filter_map(|p| p.interval(&lex.seasons).map(|(a, b)| (p, a, b))).collect();
    spans.sort_by_key(|s| s.1);
    match tense {
        Tense::Past => spans.iter().rev().find(|(_, a, _)| days_between(anchor, *a) <= slack).map(|s| s.0),
        Tense::Future => spans.iter().find(|(_, _, b)| days_between(*b, anchor) <= slack).map(|s| s.0),
        Tense::Unknown => {
            spans
                .iter()
                .min_by_key(|(_, a, b)| {
                    if *a <= anchor && anchor <= *b {
                        0
                    } else {
                        days_between(anchor, *a).abs().min(days_between(anchor, *b).abs())
                    }
                })
                .map(|s| s.0)
        }
    }
}

fn years_around(anchor: Date) -> impl Iterator<Item = i16> {
    let y = anchor.year();
    [y.checked_sub(1), Some(y), y.checked_add(1)].into_iter().flatten()
}

/// A shift by `n` units as (months, days). Hours and smaller become days, rounded
/// (`ceil` for windows, so "the past 12 hours" reaches back into yesterday).
fn unit_span(unit: &Unit, n: f64, ceil: bool) -> (i64, i64) {
    let n = n * unit.multiple as f64;
    let days = |d: f64| if ceil { d.ceil() as i64 } else { d.round() as i64 };
    match (unit.time, unit.code.as_str()) {
        (false, "Y") => ((n * 12.0).round() as i64, 0),
        (false, "Q") => ((n * 3.0).round() as i64, 0),
        (false, "M") if n.fract() == 0.0 => (n as i64, 0),
        (false, "M") => (0, days(n * 30.0)),
        (false, "W") | (false, "WE") => (0, days(n * 7.0)),
        (true, "H") => (0, days(n / 24.0)),
        (true, "M") => (0, days(n / 1440.0)),
        (true, _) => (0, 0),
        _ => (0, days(n)),
    }
}

fn shift_by(d: Date, (months, days): (i64, i64), sign: i64) -> Option<Date> {
    add_days(add_months(d, sign * months)?, sign * days)
}

fn modifier<'a>(lex: &'a TimeLex, c: &Cand) -> Option<&'a str> {
    c.modifier.map(|m| lex.modifiers[m].modifier.as_str())
}

pub(crate) fn resolve(c: &Cand, ctx: &Ctx) -> Option<Resolved> {
    let lex = ctx.lex;
    let seasons = &lex.seasons;
    let anchor = ctx.anchor;
    let base = match c.expr {
        Expr::Day { y: Some(y), m, d } => Base::Period { p: Period::Day(Date::new(y, m, d).ok()?), relative: false },
        Expr::Day { y: None, m, d } => match (anchor, ctx.text_year) {
            (Some(a), _) => {
                let days = years_around(a).filter_map(|y| Date::new(y, m, d).ok()).map(Period::Day);
                let p = pick_by_tense(days, a, ctx.tense, lex, YEAR_INFERENCE_SLACK_DAYS)?;
                let Period::Day(day) = p else { return None };
                Base::Period { p, relative: !ctx.explicit_years.contains(&day.year()) }
            }
            (None, Some(y)) => Base::Period { p: Period::Day(Date::new(y, m, d).ok()?), relative: false },
            (None, None) => {
                Date::new(2000, m, d).ok()?;
                unresolved(format!("XXXX-{m:02}-{d:02}"))
            }
        },
        Expr::Month { y: Some(y), m, .. } => Base::Period { p: Period::Month(y, m), relative: false },
        Expr::Month { y: None, m, rel } => match (anchor, ctx.text_year, rel) {
            (Some(a), _, None) => {
                let p = pick_by_tense(years_around(a).map(|y| Period::Month(y, m)), a, ctx.tense, lex, 0)?;
                let Period::Month(y, _) = p else { return None };
                Base::Period { p, relative: !ctx.explicit_years.contains(&y) }
            }
            (Some(a), _, Some(r)) => {
                let am = a.month();
                let y = match r.signum() {
                    -1 if m < am => a.year(),
                    -1 => a.year() - 1,
                    1 if m > am => a.year(),
                    1 => a.year() + 1,
                    _ => a.year(),
                };
                Base::Period { p: Period::Month(y, m), relative: true }
            }
            (None, Some(y), None) => Base::Period { p: Period::Month(y, m), relative: false },
            (None, _, _) => unresolved(format!("XXXX-{m:02}")),
        },
        Expr::Year(y) => Base::Period { p: Period::Year(y), relative: false },
        Expr::Decade(y) => Base::Period { p: Period::Decade(y), relative: false },
        Expr::Century(y) => Base::Period { p: Period::Century(y), relative: false },
        Expr::Season { s, y: Some(y), .. } => Base::Period { p: Period::Season(y, s), relative: false },
        Expr::Season { s, y: None, rel } => match anchor {
            None => unresolved(format!("XXXX-{}", seasons[s].code)),
            Some(a) => {
                let cands = years_around(a).chain(a.year().checked_add(2)).map(|y| Period::Season(y, s));
                let p = match rel {
                    None => pick_by_tense(cands, a, ctx.tense, lex, 0)?,
                    Some(0) => pick_by_tense(cands, a, Tense::Unknown, lex, 0)?,
                    Some(r) => {
                        let mut spans: Vec<(Period, Date, Date)> =
                            cands.filter_map(|p| p.interval(seasons).map(|(x, y)| (p, x, y))).collect();
                        spans.sort_by_key(|s| s.1);
                        if r < 0 {
                            spans.iter().rev().find(|s| s.2 < a)?.0
                        } else {
                            spans.iter().find(|s| s.1 > a)?.0
                        }
                    }
                };
                Base::Period { p, relative: true }
            }
        },
        Expr::Quarter { q, y, half, year_rel } => {
            let make = |y: i16| if half { Period::Half(y, q) } else { Period::Quarter(y, q) };
            match (y, year_rel, anchor) {
                (Some(y), _, _) => Base::Period { p: make(y), relative: false },
                (None, Some(r), Some(a)) => Base::Period { p: make(a.year().checked_add(r as i16)?), relative: true },
                (None, None, Some(a)) => {
                    Base::Period { p: pick_by_tense(years_around(a).map(make), a, ctx.tense, lex, 0)?, relative: true }
                }
                (None, _, None) => unresolved(format!("XXXX-{}{q}", if half { "H" } else { "Q" })),
            }
        }
        Expr::Weekday { wd, rel } => match anchor {
            None => unresolved(format!("XXXX-WXX-{wd}")),
            Some(a) => {
                let day = match rel {
                    None if ctx.tense == Tense::Future => calendar::weekday_on_or_after(a, wd, false)?,
                    None => calendar::weekday_on_or_before(a, wd, false)?,
                    Some(r) if r < 0 => calendar::weekday_on_or_before(a, wd, true)?,
                    Some(r) if r > 0 => calendar::weekday_on_or_after(a, wd, true)?,
                    Some(_) => calendar::weekday_in_week(a, wd)?,
                };
                Base::Period { p: Period::Day(day), relative: true }
            }
        },
        Expr::Weekend => match anchor {
            None => unresolved(x_value(CalUnit::Weekend)),
            Some(a) => {
                let saturday = if ctx.tense == Tense::Future {
                    add_days(calendar::weekday_on_or_after(a, 7, false)?, -1)?
                } else {
                    let sunday_or_saturday = if calendar::weekday_number(a) == 7 { add_days(a, -1)? } else { a };
                    calendar::weekday_on_or_before(sunday_or_saturday, 6, false)?
                };
                Base::Period { p: Period::Weekend(saturday), relative: true }
            }
        },
        Expr::Deictic(off) => match anchor {
            None => unresolved(x_value(CalUnit::Day)),
            Some(a) => Base::Period { p: Period::Day(add_days(a, off as i64)?), relative: true },
        },
        Expr::Relative { unit, offset, anaphoric, .. } => {
            let from = if anaphoric { ctx.reference.or(anchor) } else { anchor };
            match from {
                None => unresolved(x_value(unit)),
                Some(d) => Base::Period { p: Period::containing(unit, d)?.shift(offset as i64, seasons)?, relative: true },
            }
        }
        Expr::Shifted { unit, n, sign, from_reference } => {
            let u = &lex.units[unit];
            let cal = u.calendar.unwrap_or(CalUnit::Day);
            let from = if from_reference { ctx.reference.or(anchor) } else { anchor };
            match (from, n) {
                (None, Amount::Vague) => unresolved(if sign < 0 { "PAST_REF" } else { "FUTURE_REF" }),
                (None, _) => unresolved(x_value(cal)),
                (Some(d), Amount::Vague) => {
                    let reach = shift_by(d, unit_span(u, u.vague_span as f64, true), sign as i64)?;
                    let interval = if sign < 0 { (reach, d) } else { (d, reach) };
                    let value = if sign < 0 { "PAST_REF" } else { "FUTURE_REF" };
                    Base::Value { ty: TimexType::Date, value: value.into(), interval: Some(interval), relative: true }
                }
                (Some(d), Amount::N(k)) => {
                    let target = shift_by(d, unit_span(u, k, false), sign as i64)?;
                    let p = Period::containing(cal, target)?;
                    let window = match (sign, modifier(lex, c)) {
                        (-1, Some("MORE_THAN" | "EQUAL_OR_MORE")) => Some((shift_by(d, unit_span(u, k + 1.0, false), -1)?, target)),
                        (-1, Some("LESS_THAN" | "EQUAL_OR_LESS")) if k >= 1.0 => {
                            Some((target, shift_by(d, unit_span(u, k - 1.0, false), -1)?))
                        }
                        _ => p.interval(seasons),
                    };
                    Base::Value { ty: TimexType::Date, value: p.value(seasons), interval: window, relative: true }
                }
            }
        }
        Expr::Duration { unit, n, window } => {
            let u = &lex.units[unit];
            let value = duration_value(lex, unit, n);
            let interval = match (window, anchor) {
                (Some(w), Some(a)) => {
                    let k = match n {
                        Amount::N(k) => k,
                        Amount::Vague => u.vague_span as f64,
                    };
                    let span = unit_span(u, k, true);
                    Some(match w {
                        Window::Past => (shift_by(a, span, -1)?, a),
                        Window::Future => (a, shift_by(a, span, 1)?),
                    })
                }
                _ => None,
            };
            Base::Value { ty: TimexType::Duration, value, interval, relative: window.is_some() }
        }
        Expr::Reference(ref v) => {
            let interval = if v == "PRESENT_REF" { anchor.map(|a| (a, a)) } else { None };
            Base::Value { ty: TimexType::Date, value: v.clone(), interval, relative: true }
        }
        Expr::Set(ref v) => Base::Value { ty: TimexType::Set, value: v.clone(), interval: None, relative: false },
        Expr::Clock { h, m } => {
            let day = ctx.clock_day.or(anchor.map(|a| (a, true)));
            let time = format!("T{h:02}:{m:02}");
            match day {
                Some((d, rel)) => Base::Value {
                    ty: TimexType::Time,
                    value: format!("{}{time}", Period::Day(d).value(seasons)),
                    interval: Some((d, d)),
                    relative: rel,
                },
                None => Base::Value { ty: TimexType::Time, value: format!("XXXX-XX-XX{time}"), interval: None, relative: true },
            }
        }
    };

    let (mut ty, mut value, mut interval, relative, mut day) = match base {
        Base::Period { p, relative } => {
            let p = adjust_implicit(c, p, ctx).unwrap_or(p);
            let mut interval = p.interval(seasons);
            if let (Some(part), Some(iv)) = (c.part, interval) {
                interval = Some(part_window(lex, part, p, iv, anchor));
            } else if let (Some((a, b)), Some(anc), true) = (interval, anchor, names_this_period(&c.expr)) {
                // "this week" in a past sentence is the part of the week up to the
                // anchor; in a future one, the part from it.
                interval = Some(match ctx.tense {
                    Tense::Past if a <= anc => (a, b.min(anc)),
                    Tense::Future if anc <= b => (a.max(anc), b),
                    _ => (a, b),
                });
            }
            let day = match p {
                Period::Day(d) => Some(d),
                _ => None,
            };
            (TimexType::Date, p.value(seasons), interval, relative, day)
        }
        Base::Value { ty, value, interval, relative } => (ty, value, interval, relative, None),
    };

    if let Some(code) = &c.day_part {
        if ty == TimexType::Date {
            ty = TimexType::Time;
            value = format!("{value}T{code}");
            // A night runs into the next day.
            if code == "NI" {
                interval = interval.and_then(|(a, b)| Some((a, add_days(b, 1)?)));
            }
            day = None;
        }
    }
    if let Some((h, m)) = c.clock {
        if ty == TimexType::Date {
            ty = TimexType::Time;
            value = format!("{value}T{h:02}:{m:02}");
            day = None;
        }
    }
    if ctx.since {
        if let (Some((a, _)), Some(anc)) = (interval, anchor) {
            if a <= anc {
                interval = Some((a, anc));
            }
        }
    }
    Some(Resolved { timex_type: ty, value, interval, relative, day })
}

/// "this week", "this spring", "this March": the period that holds the anchor.
fn names_this_period(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Relative { offset: 0, anaphoric: false, implicit: false, .. }
            | Expr::Season { rel: Some(0), .. }
            | Expr::Month { rel: Some(0), .. }
    )
}

/// "the end of the year" in a past sentence, when this year's end is still ahead, is
/// last year's end; in a future sentence, a part already over is next year's.
fn adjust_implicit(c: &Cand, p: Period, ctx: &Ctx) -> Option<Period> {
    let (Expr::Relative { implicit: true, .. }, Some(part), Some(a)) = (&c.expr, c.part, ctx.anchor) else { return None };
    let (s, e) = part_window(ctx.lex, part, p, p.interval(&ctx.lex.seasons)?, Some(a));
    match ctx.tense {
        Tense::Past if s > a => p.shift(-1, &ctx.lex.seasons),
        Tense::Future if e < a => p.shift(1, &ctx.lex.seasons),
        _ => None,
    }
}

/// The part of period `p` (interval `iv`) that a part word covers.
fn part_window(lex: &TimeLex, part: usize, p: Period, iv: (Date, Date), anchor: Option<Date>) -> (Date, Date) {
    let part = &lex.parts[part];
    let (a, b) = iv;
    if let Some(cut) = part.cut {
        let Some(anc) = anchor else { return iv };
        return match cut {
            Cut::BeforeAnchor if a <= anc => (a, b.min(anc)),
            Cut::AfterAnchor if anc <= b => (a.max(anc), b),
            _ => iv,
        };
    }
    let window = match p {
        Period::Day(_) | Period::Weekend(_) => None,
        Period::Week(monday) => part.week_days.and_then(|[x, y]| Some((add_days(monday, x as i64 - 1)?, add_days(monday, y as i64 - 1)?))),
        Period::Month(..) => part.month_days.and_then(|[x, y]| {
            let last = a.days_in_month();
            Some((Date::new(a.year(), a.month(), x.clamp(1, last)).ok()?, Date::new(a.year(), a.month(), y.clamp(1, last)).ok()?))
        }),
        Period::Year(y) => part
            .year_months
            .and_then(|[x, z]| Some((Date::new(y, x.clamp(1, 12), 1).ok()?, Date::new(y, z.clamp(1, 12), 1).ok()?.last_of_month()))),
        _ => None,
    };
    window
        .or_else(|| {
            let [f0, f1] = part.share?;
            let len = days_between(a, b) + 1;
            let s = add_days(a, (f0 * len as f64).floor() as i64)?;
            let e = add_days(a, ((f1 * len as f64).ceil() as i64 - 1).max(0))?;
            Some((s, e.min(b)))
        })
        .unwrap_or(iv)
}
