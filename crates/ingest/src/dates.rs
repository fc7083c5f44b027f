//! Publication dates from metadata, in the many shapes sites and feeds write them,
//! normalised to `YYYY-MM-DD`. Parsing is jiff's; this only tries the shapes in turn.

use jiff::civil::Date;

/// `2025-03-21`, `2025-03-21T10:30:00Z`, `2025-03-21T10:30:00+03:00`, RFC 2822
/// (`Fri, 21 Mar 2025 10:30:00 +0000`), `March 21, 2025`, `21 March 2025`, `2025/03/21`.
/// Returns `None` for anything else: an unknown date is left unknown, never guessed.
pub fn normalize_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        return Some(ts.to_zoned(jiff::tz::TimeZone::UTC).date().to_string());
    }
    if let Ok(z) = jiff::fmt::rfc2822::parse(s) {
        return Some(z.date().to_string());
    }
    if s.len() >= 10 {
        if let Ok(d) = s[..10].replace('/', "-").parse::<Date>() {
            if s.len() == 10 || !s.as_bytes()[10].is_ascii_digit() {
                return Some(d.to_string());
            }
        }
    }
    for fmt in ["%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b. %d, %Y"] {
        if let Ok(d) = Date::strptime(fmt, s) {
            return Some(d.to_string());
        }
    }
    None
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
            ("Fri, 21 Mar 2025 10:30:00 +0000", "2025-03-21"),
            ("March 21, 2025", "2025-03-21"),
            ("21 March 2025", "2025-03-21"),
            ("2025/03/21", "2025-03-21"),
        ] {
            assert_eq!(normalize_date(raw).as_deref(), Some(want), "{raw}");
        }
    }

    #[test]
    fn unknown_dates_stay_unknown() {
        for raw in ["", "yesterday", "2025-13-45", "soon", "20250321"] {
            assert_eq!(normalize_date(raw), None, "{raw}");
        }
    }
}
