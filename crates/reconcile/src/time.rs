//! Dates as day numbers, and closed day intervals.

use jiff::civil::{date, Date};

const EPOCH: Date = date(1970, 1, 1);

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (None when it is not one).
pub fn day_number(s: &str) -> Option<i32> {
    let d: Date = s.get(..10)?.parse().ok()?;
    Some((d - EPOCH).get_days())
}

pub fn date_string(day: i32) -> String {
    EPOCH.checked_add(jiff::Span::new().days(day as i64)).map(|d| d.to_string()).unwrap_or_default()
}

/// A closed interval of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub start: i32,
    pub end: i32,
}

impl Interval {
    pub fn new(start: i32, end: i32) -> Self {
        Interval { start: start.min(end), end: start.max(end) }
    }
    pub fn len(&self) -> i32 {
        self.end - self.start
    }
    pub fn overlaps(&self, o: &Interval, slack: i32) -> bool {
        self.start <= o.end + slack && o.start <= self.end + slack
    }
    pub fn hull(&self, o: &Interval) -> Interval {
        Interval { start: self.start.min(o.start), end: self.end.max(o.end) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip() {
        let d = day_number("2025-03-12").unwrap();
        assert_eq!(date_string(d), "2025-03-12");
        assert_eq!(day_number("2025-03-13").unwrap() - d, 1);
        assert_eq!(day_number("not a date"), None);
    }

    #[test]
    fn overlap_allows_slack() {
        let a = Interval::new(10, 12);
        assert!(a.overlaps(&Interval::new(13, 14), 1));
        assert!(!a.overlaps(&Interval::new(14, 15), 1));
    }
}
