//! Calendar periods (a day, an ISO week, a month, a season, ...) with their TimeML value
//! and their first and last day. All arithmetic is jiff's; a period that would leave
//! jiff's range gives `None`, never a panic.

use jiff::civil::{Date, ISOWeekDate, Weekday};
use jiff::Span;

use super::lex::{CalUnit, Season};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Period {
    Day(Date),
    /// ISO week, by its Monday.
    Week(Date),
    /// Saturday and Sunday of an ISO week, by the Saturday.
    Weekend(Date),
    Month(i16, i8),
    Quarter(i16, i8),
    Half(i16, i8),
    /// A season by index into the season list; the year is the year of its last month
    /// (2025-WI runs from December 2024 to February 2025).
    Season(i16, usize),
    Year(i16),
    /// By its first year: 1990 is "the 1990s", TimeML `199`.
    Decade(i16),
    /// By its first year: 1900 is TimeML `19`, the years 1900-1999.
    Century(i16),
}

pub(crate) fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(Span::new().try_days(n).ok()?).ok()
}

pub(crate) fn add_months(d: Date, n: i64) -> Option<Date> {
    d.checked_add(Span::new().try_months(n).ok()?).ok()
}

fn ymd(y: i16, m: i8, d: i8) -> Option<Date> {
    Date::new(y, m, d).ok()
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub(crate) fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map(|s| s.get_days() as i64).unwrap_or(0)
}

pub(crate) fn weekday_number(d: Date) -> i8 {
    d.weekday().to_monday_one_offset()
}

fn monday_of(d: Date) -> Option<Date> {
    add_days(d, -(weekday_number(d) as i64 - 1))
}

impl Period {
    /// The period of granularity `unit` that holds `d`.
    pub(crate) fn containing(unit: CalUnit, d: Date) -> Option<Period> {
        let y = d.year();
        Some(match unit {
            CalUnit::Day => Period::Day(d),
            CalUnit::Week => Period::Week(monday_of(d)?),
            CalUnit::Weekend => Period::Weekend(add_days(monday_of(d)?, 5)?),
            CalUnit::Month => Period::Month(y, d.month()),
            CalUnit::Quarter => Period::Quarter(y, (d.month() - 1) / 3 + 1),
            CalUnit::Half => Period::Half(y, (d.month() - 1) / 6 + 1),
            CalUnit::Year => Period::Year(y),
            CalUnit::Decade => Period::Decade(y - y.rem_euclid(10)),
            CalUnit::Century => Period::Century(y - y.rem_euclid(100)),
        })
    }

    /// First and last day, both inclusive.
    pub(crate) fn interval(&self, seasons: &[Season]) -> Option<(Date, Date)> {
        match *self {
            Period::Day(d) => Some((d, d)),
            Period::Week(m) => Some((m, add_days(m, 6)?)),
            Period::Weekend(s) => Some((s, add_days(s, 1)?)),
            Period::Month(y, m) => {
                let a = ymd(y, m, 1)?;
                Some((a, a.last_of_month()))
            }
            Period::Quarter(y, q) => month_range(y, (q - 1) * 3 + 1, q * 3),
            Period::Half(y, h) => month_range(y, (h - 1) * 6 + 1, h * 6),
            Period::Season(y, s) => {
                let months = &seasons.get(s)?.months;
                let (first, last) = (*months.first()?, *months.last()?);
                let start_year = if first > last { y.checked_sub(1)? } else { y };
                Some((ymd(start_year, first, 1)?, ymd(y, last, 1)?.last_of_month()))
            }
            Period::Year(y) => Some((ymd(y, 1, 1)?, ymd(y, 12, 31)?)),
            Period::Decade(y) => Some((ymd(y, 1, 1)?, ymd(y.checked_add(9)?, 12, 31)?)),
            Period::Century(y) => Some((ymd(y, 1, 1)?, ymd(y.checked_add(99)?, 12, 31)?)),
        }
    }

    /// TimeML value: `2025-03-12`, `2025-W12`, `2025-W12-WE`, `2025-03`, `2025-Q1`,
    /// `2025-H1`, `2025-SP`, `2025`, `199`, `19`.
    pub(crate) fn value(&self, seasons: &[Season]) -> String {
        match *self {
            Period::Day(d) => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            Period::Week(m) => {
                let w = m.iso_week_date();
                format!("{:04}-W{:02}", w.year(), w.week())
            }
            Period::Weekend(s) => {
                let w = s.iso_week_date();
                format!("{:04}-W{:02}-WE", w.year(), w.week())
            }
            Period::Month(y, m) => format!("{y:04}-{m:02}"),
            Period::Quarter(y, q) => format!("{y:04}-Q{q}"),
            Period::Half(y, h) => format!("{y:04}-H{h}"),
            Period::Season(y, s) => format!("{y:04}-{}", seasons.get(s).map_or("XX", |s| s.code.as_str())),
            Period::Year(y) => format!("{y:04}"),
            Period::Decade(y) => format!("{:03}", y / 10),
            Period::Century(y) => format!("{:02}", y / 100),
        }
    }

    /// The period `n` steps later (earlier when negative), of the same granularity.
    pub(crate) fn shift(&self, n: i64, seasons: &[Season]) -> Option<Period> {
        Some(match *self {
            Period::Day(d) => Period::Day(add_days(d, n)?),
            Period::Week(m) => Period::Week(add_days(m, 7 * n)?),
            Period::Weekend(s) => Period::Weekend(add_days(s, 7 * n)?),
            Period::Month(y, m) => {
                let d = add_months(ymd(y, m, 1)?, n)?;
                Period::Month(d.year(), d.month())
            }
            Period::Quarter(y, q) => {
                let d = add_months(ymd(y, (q - 1) * 3 + 1, 1)?, 3 * n)?;
                Period::Quarter(d.year(), (d.month() - 1) / 3 + 1)
            }
            Period::Half(y, h) => {
                let d = add_months(ymd(y, (h - 1) * 6 + 1, 1)?, 6 * n)?;
                Period::Half(d.year(), (d.month() - 1) / 6 + 1)
            }
            Period::Season(..) => {
                let mut p = *self;
                for _ in 0..n.unsigned_abs() {
                    let (a, b) = p.interval(seasons)?;
                    let next = if n > 0 { add_days(b, 1)? } else { add_days(a, -1)? };
                    p = season_containing(next, seasons)?;
                }
                p
            }
            Period::Year(y) => Period::Year(i16::try_from(y as i64 + n).ok()?),
            Period::Decade(y) => Period::Decade(i16::try_from(y as i64 + 10 * n).ok()?),
            Period::Century(y) => Period::Century(i16::try_from(y as i64 + 100 * n).ok()?),
        })
    }
}

fn month_range(y: i16, first: i8, last: i8) -> Option<(Date, Date)> {
    Some((ymd(y, first, 1)?, ymd(y, last, 1)?.last_of_month()))
}

/// The season that holds `d`, if the season list covers its month.
pub(crate) fn season_containing(d: Date, seasons: &[Season]) -> Option<Period> {
    let (i, s) = seasons.iter().enumerate().find(|(_, s)| s.months.contains(&d.month()))?;
    let (first, last) = (*s.months.first()?, *s.months.last()?);
    // In a season that wraps past December, its first months belong to the next year's season.
    let y = if first > last && d.month() >= first { d.year().checked_add(1)? } else { d.year() };
    Some(Period::Season(y, i))
}

/// The date of ISO weekday `wd` (1 = Monday) in the ISO week of `d`.
pub(crate) fn weekday_in_week(d: Date, wd: i8) -> Option<Date> {
    let w = d.iso_week_date();
    let weekday = Weekday::from_monday_one_offset(wd).ok()?;
    Some(ISOWeekDate::new(w.year(), w.week(), weekday).ok()?.date())
}

/// The nearest day with weekday `wd` on or before `d` (`strict`: before `d`).
pub(crate) fn weekday_on_or_before(d: Date, wd: i8, strict: bool) -> Option<Date> {
    let mut back = (weekday_number(d) - wd).rem_euclid(7) as i64;
    if strict && back == 0 {
        back = 7;
    }
    add_days(d, -back)
}

/// The nearest day with weekday `wd` on or after `d` (`strict`: after `d`).
pub(crate) fn weekday_on_or_after(d: Date, wd: i8, strict: bool) -> Option<Date> {
    let mut ahead = (wd - weekday_number(d)).rem_euclid(7) as i64;
    if strict && ahead == 0 {
        ahead = 7;
    }
    add_days(d, ahead)
}
