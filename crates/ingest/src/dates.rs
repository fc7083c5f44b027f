//! Publication dates from metadata, in the many shapes sites and feeds write them,
//! normalised to `YYYY-MM-DD`. Parsing is jiff's; this only tries the shapes in turn.
//!
//! The date kept is the one *written* in the source's own offset: a report stamped
//! `2025-03-21T01:15:00+03:00` is dated the 21st, as its readers in Kyiv saw it, not the
//! 20th (its UTC date). Relative expressions in the text ("yesterday", "on Friday") are
//! anchored to that local date later on.

use std::sync::OnceLock;

use jiff::civil::Date;
use regex::Regex;

/// `2025-03-21`, `2025-03-21T10:30:00Z`, `2025-03-21T10:30:00+03:00`, RFC 2822
/// (`Fri, 21 Mar 2025 10:30:00 +0000`, also with `GMT`/`UTC`/`EST` zones), `March 21, 2025`,
/// `Mar. 21, 2025 10:30 AM ET`, `21 March 2025`, `2025/03/21`, `21.03.2025`.
/// Returns `None` for anything else, and for placeholder dates (the Unix epoch, years
/// outside 1900–2100): an unknown date is left unknown, never guessed.
pub fn normalize_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    let date = iso_prefix(s)
        .or_else(|| jiff::fmt::rfc2822::parse(s).ok().map(|z| z.date()))
        .or_else(|| s.parse::<jiff::Timestamp>().ok().map(|ts| ts.to_zoned(jiff::tz::TimeZone::UTC).date()))
        .or_else(|| day_month_year(s))
        .or_else(|| month_day_year(s))
        .or_else(|| dotted_day_month_year(s))?;
    let placeholder = date.year() < 1900 || date.year() > 2100 || date == Date::constant(1970, 1, 1);
    (!placeholder).then(|| date.to_string())
}

/// `2025-03-21` or `2025/03/21`, alone or followed by a time: the date as written.
fn iso_prefix(s: &str) -> Option<Date> {
    let head = s.get(..10)?;
    let rest = &s[10..];
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    head.replace('/', "-").parse::<Date>().ok()
}

/// `21 March 2025`, `Fri, 21 Mar 2025 10:30:00 GMT`, `21 Mar. 2025`: leading weekday and
/// anything after the year (a time, a zone name jiff's RFC 2822 parser refuses) ignored.
fn day_month_year(s: &str) -> Option<Date> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"^(?:[A-Za-z]+\.?,?\s+)?(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})\b").unwrap());
    let c = re.captures(s)?;
    civil_from_parts(&c[3], &c[2], &c[1])
}

/// `March 21, 2025`, `Mar. 21, 2025 10:30 AM ET`, `Friday, March 21, 2025`.
fn month_day_year(s: &str) -> Option<Date> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^(?:[A-Za-z]+,\s+)?([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b").unwrap()
    });
    let c = re.captures(s)?;
    civil_from_parts(&c[3], &c[1], &c[2])
}

/// `21.03.2025` (day first: the dotted form is the European one).
fn dotted_day_month_year(s: &str) -> Option<Date> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\b").unwrap());
    let c = re.captures(s)?;
    Date::new(c[3].parse().ok()?, c[2].parse().ok()?, c[1].parse().ok()?).ok()
}

/// English month names and abbreviations are read by jiff's `%B`/`%b`.
fn civil_from_parts(year: &str, month: &str, day: &str) -> Option<Date> {
    let text = format!("{day} {month} {year}");
    Date::strptime("%d %B %Y", &text).or_else(|_| Date::strptime("%d %b %Y", &text)).ok()
}

#[cfg(test)]
mod tests {
    use super::normalize_date;

    #[test]
    fn shapes_seen_in_metadata() {
        for (raw, want) in [
            ("2025-03-21", "2025-03-21"),
            ("2025-03-21T22:30:00Z", "2025-03-21"),
            ("2025-03-21T10:30:00+03:00", "2025-03-21"),
            ("2025-03-21 10:30:00", "2025-03-21"),
            ("Fri, 21 Mar 2025 10:30:00 +0000", "2025-03-21"),
            ("Fri, 21 Mar 2025 10:30:00 GMT", "2025-03-21"),
            ("Fri, 21 Mar 2025 10:30:00 UTC", "2025-03-21"),
            ("Friday, 21 March 2025 10:30", "2025-03-21"),
            ("March 21, 2025", "2025-03-21"),
            ("Mar. 21, 2025 10:30 AM ET", "2025-03-21"),
            ("Friday, March 21, 2025", "2025-03-21"),
            ("21 March 2025", "2025-03-21"),
            ("2025/03/21", "2025-03-21"),
            ("21.03.2025", "2025-03-21"),
        ] {
            assert_eq!(normalize_date(raw).as_deref(), Some(want), "{raw}");
        }
    }

    #[test]
    fn the_written_local_date_is_kept_not_the_utc_one() {
        // 01:15 in Kyiv on the 21st is still the 20th in UTC.
        assert_eq!(normalize_date("2025-03-21T01:15:00+03:00").as_deref(), Some("2025-03-21"));
        assert_eq!(normalize_date("Fri, 21 Mar 2025 01:15:00 +0300").as_deref(), Some("2025-03-21"));
    }

    #[test]
    fn unknown_dates_stay_unknown() {
        for raw in ["", "yesterday", "2025-13-45", "soon", "20250321", "1970-01-01T00:00:00Z", "0001-01-01", "32.13.2025"] {
            assert_eq!(normalize_date(raw), None, "{raw}");
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        for raw in ["2025-03-2é", "ééééééééééé", "2025-03-21\u{301}", "Fri, 99 Foo 2025"] {
            let _ = normalize_date(raw);
        }
    }
}
