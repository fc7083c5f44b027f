//! The grammar of time expressions, over tokens. It finds candidates and says what
//! they mean (an `Expr`); `resolve` turns that meaning into a TimeML value and an
//! interval. Words come from the lexicons; only the shapes of expressions are here.
//!
//! At each token every rule is tried and the longest candidate wins; the scan then goes
//! on after it, so candidates never overlap.

use super::lex::{CalUnit, Cat, Phrases, TimeLex, TRIGGERS};
use super::tokens::{Kind, Tokens};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Amount {
    N(f64),
    /// "several days", "the coming weeks"
    Vague,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Window {
    /// "the past 11 days": up to the publication date.
    Past,
    /// "the next two weeks": from the publication date.
    Future,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    /// A day of a month; the year as written, if written.
    Day {
        y: Option<i16>,
        m: i8,
        d: i8,
    },
    /// A month; `rel` for "last July" (-1), "this July" (0), "next July" (1).
    Month {
        y: Option<i16>,
        m: i8,
        rel: Option<i32>,
    },
    Year(i16),
    Decade(i16),
    Century(i16),
    Season {
        s: usize,
        y: Option<i16>,
        rel: Option<i32>,
    },
    /// A quarter (or half, `half`) of a year; `year_rel` for "of last year".
    Quarter {
        q: i8,
        y: Option<i16>,
        half: bool,
        year_rel: Option<i32>,
    },
    Weekday {
        wd: i8,
        rel: Option<i32>,
    },
    /// "the weekend", placed by tense.
    Weekend,
    /// Days from the publication date: "yesterday" = -1.
    Deictic(i32),
    /// "last week" (Week, -1). `anaphoric`: from the last date mentioned ("the
    /// following day"). `implicit`: the period was not named as this/last/next ("the end
    /// of the year").
    Relative {
        unit: CalUnit,
        offset: i32,
        anaphoric: bool,
        implicit: bool,
    },
    /// "three years ago" (sign -1), "two days later" (sign 1, from the last date
    /// mentioned).
    Shifted {
        unit: usize,
        n: Amount,
        sign: i32,
        from_reference: bool,
    },
    Duration {
        unit: usize,
        n: Amount,
        window: Option<Window>,
    },
    /// PRESENT_REF, PAST_REF, FUTURE_REF.
    Reference(String),
    /// A SET value, already in TimeML form.
    Set(String),
    Clock {
        h: u8,
        m: u8,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cand {
    /// Token range, end exclusive.
    pub s: usize,
    pub e: usize,
    pub expr: Expr,
    /// Index into `TimeLex::parts`.
    pub part: Option<usize>,
    /// TimeML part-of-day code (MO, AF, EV, NI).
    pub day_part: Option<String>,
    /// Index into `TimeLex::modifiers`.
    pub modifier: Option<usize>,
    /// A clock time on the day the expression names: "15:00 GMT Saturday".
    pub clock: Option<(u8, u8)>,
}

impl Cand {
    fn new(s: usize, e: usize, expr: Expr) -> Self {
        Cand { s, e, expr, part: None, day_part: None, modifier: None, clock: None }
    }

    fn day_sized(&self) -> bool {
        matches!(self.expr, Expr::Day { .. } | Expr::Weekday { .. } | Expr::Deictic(_) | Expr::Relative { unit: CalUnit::Day, .. })
    }
}

/// Which way an undated reference points, from the tense around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tense {
    Past,
    Future,
    /// No cue: weekdays look back, dates take the nearest occurrence.
    Unknown,
}

pub(crate) struct Grammar<'a> {
    pub t: &'a Tokens<'a>,
    pub lex: &'a TimeLex,
}

fn longest(a: Option<Cand>, b: Option<Cand>) -> Option<Cand> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.e > a.e { b } else { a }),
        (a, None) => a,
        (None, b) => b,
    }
}

impl<'a> Grammar<'a> {
    /// All candidates in the text, in order, not overlapping.
    pub(crate) fn candidates(&self) -> Vec<Cand> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.t.len() {
            match self.parse_at(i) {
                Some(c) if c.e > i && c.e > c.s => {
                    i = c.e;
                    out.push(c);
                }
                _ => i += 1,
            }
        }
        out
    }

    // ---- token helpers ------------------------------------------------------------

    /// A sentence ends, or a line breaks, between token `a` and token `b`. A dotted
    /// abbreviation before a capital ("10:30 a.m. The") ends one too.
    pub(crate) fn sentence_break_between(&self, a: usize, b: usize) -> bool {
        let b = b.min(self.t.len());
        let last = a.saturating_sub(1);
        (last..b).any(|k| {
            let w = self.w(k);
            (k >= a && matches!(w, "." | "!" | "?")) || (w.len() > 1 && w.ends_with('.') && self.capital(k + 1))
        }) || (a + 1..b).any(|k| self.t.toks[k].break_before)
    }

    pub(crate) fn has(&self, i: usize, c: Cat) -> bool {
        i < self.t.len() && self.t.mask(i) & c.bit() != 0
    }
    fn w(&self, i: usize) -> &str {
        self.t.lower(i).unwrap_or("")
    }
    fn num(&self, i: usize) -> Option<(u32, u8)> {
        let t = self.t.toks.get(i)?;
        (t.kind == Kind::Num).then_some((t.num, t.digits))
    }
    fn glued(&self, i: usize) -> bool {
        i < self.t.len() && self.t.glued(i)
    }
    fn capital(&self, i: usize) -> bool {
        self.t.toks.get(i).is_some_and(|t| t.capital)
    }
    fn ascii_word(&self, i: usize) -> bool {
        self.w(i).is_ascii()
    }
    fn at<T>(&self, i: usize, c: Cat, ph: &'a Phrases<T>) -> Option<(usize, &'a T)> {
        if self.has(i, c) {
            ph.at(self.t, i)
        } else {
            None
        }
    }
    fn prev_has(&self, i: usize, c: Cat) -> bool {
        i > 0 && self.has(i - 1, c)
    }
    /// The token starts a sentence (or a line).
    fn sentence_start(&self, i: usize) -> bool {
        if i == 0 || self.t.toks[i].break_before {
            return true;
        }
        let mut k = i;
        // Skip opening quotes and brackets.
        while k > 0 && matches!(self.w(k - 1), "\"" | "“" | "'" | "‘" | "(" | "[") {
            k -= 1;
        }
        k == 0 || matches!(self.w(k - 1), "." | "!" | "?" | ":" | "—" | "–") || self.t.toks[k].break_before
    }

    // ---- pieces -------------------------------------------------------------------

    /// A month word; English month names must be capitalised. Swallows the dot of an
    /// abbreviation ("Sept. 12").
    fn month(&self, i: usize) -> Option<(usize, i8, bool)> {
        let (mut e, &m) = self.at(i, Cat::Month, &self.lex.months)?;
        if self.ascii_word(i) && !self.capital(i) {
            return None;
        }
        let ambiguous = self.at(i, Cat::AmbiguousMonth, &self.lex.ambiguous_months).is_some_and(|(ae, _)| ae == e);
        if self.w(e) == "." && self.glued(e) && self.w(i).chars().count() <= 4 && self.num(e + 1).is_some() {
            e += 1;
        }
        Some((e, m, ambiguous))
    }

    /// A day of the month: "12", "12th", "twelfth", "twenty-first".
    fn day_number(&self, i: usize) -> Option<(usize, i8)> {
        if let Some((n, d)) = self.num(i) {
            if d > 2 || !(1..=31).contains(&n) {
                return None;
            }
            let mut e = i + 1;
            if self.glued(e) && self.at(e, Cat::OrdinalSuffix, &self.lex.ordinal_suffixes).is_some() {
                e += 1;
            }
            // "12:30" is a time, "12.5" a number, "12,000" a count.
            if self.glued(e) && matches!(self.w(e), ":" | "." | ",") && self.num(e + 1).is_some() && self.glued(e + 1) {
                return None;
            }
            return Some((e, n as i8));
        }
        self.ordinal_word(i).filter(|(_, n)| (1..=31).contains(n)).map(|(e, n)| (e, n as i8))
    }

    /// "first", "twenty-first", "twenty first", or a digit ordinal "1st".
    fn ordinal(&self, i: usize) -> Option<(usize, u32)> {
        if let Some((n, d)) = self.num(i) {
            if d <= 3 && self.glued(i + 1) && self.at(i + 1, Cat::OrdinalSuffix, &self.lex.ordinal_suffixes).is_some() {
                return Some((i + 2, n));
            }
            return None;
        }
        self.ordinal_word(i)
    }

    fn ordinal_word(&self, i: usize) -> Option<(usize, u32)> {
        if let Some((e, &n)) = self.at(i, Cat::Ordinal, &self.lex.ordinals) {
            return Some((e, n));
        }
        let (e, &tens) = self.at(i, Cat::Cardinal, &self.lex.cardinals)?;
        if !(20..100).contains(&tens) || tens % 10 != 0 {
            return None;
        }
        let j = if self.w(e) == "-" && self.glued(e) { e + 1 } else { e };
        let (e2, &u) = self.at(j, Cat::Ordinal, &self.lex.ordinals)?;
        (u < 10).then_some((e2, tens + u))
    }

    /// A four-digit year inside a date ("March 12, 2025"), with a following year word
    /// ("2025 года", "2025 р.").
    fn year4(&self, i: usize) -> Option<(usize, i16)> {
        let (y, d) = self.num(i)?;
        if d != 4 || !(1000..=2999).contains(&y) {
            return None;
        }
        let mut e = i + 1;
        if self.glued(e) && matches!(self.w(e), "," | ".") && self.num(e + 1).is_some_and(|(_, d)| d == 3) {
            return None;
        }
        if let Some((ye, _)) = self.at(e, Cat::YearWord, &self.lex.year_words) {
            e = ye;
            if self.w(e) == "." && self.glued(e) {
                e += 1;
            }
        }
        Some((e, y as i16))
    }

    /// A number of units: "three", "24", "1.5", "twenty-five", "a", "a few", "a couple
    /// of", "several", "one and a half". The flag says it was the article "a"/"an".
    fn amount(&self, i: usize) -> Option<(usize, Amount, bool)> {
        let (mut e, mut n, article) = if let Some((v, _)) = self.num(i) {
            let mut e = i + 1;
            let mut v = v as f64;
            // thousands: "1,000"
            while self.w(e) == "," && self.glued(e) && self.glued(e + 1) && self.num(e + 1).is_some_and(|(_, d)| d == 3) {
                v = v * 1000.0 + self.num(e + 1).unwrap().0 as f64;
                e += 2;
            }
            // decimals: "1.5"
            if self.w(e) == "." && self.glued(e) && self.glued(e + 1) {
                if let Some((f, d)) = self.num(e + 1) {
                    v += f as f64 / 10f64.powi(d as i32);
                    e += 2;
                }
            }
            (e, Amount::N(v), false)
        } else if self.at(i, Cat::Vague, &self.lex.vague).is_some() {
            (i + 1, Amount::Vague, false)
        } else if let Some((e, &v)) = self.at(i, Cat::Cardinal, &self.lex.cardinals) {
            let article = matches!(self.w(i), "a" | "an");
            if article {
                // "a few", "a couple of", "a dozen"
                if self.at(e, Cat::Vague, &self.lex.vague).is_some() {
                    return Some((e + 1, Amount::Vague, false));
                }
                if self.at(e, Cat::AfterArticle, &self.lex.after_article).is_some() {
                    if let Some((e2, &v2)) = self.at(e, Cat::Cardinal, &self.lex.cardinals) {
                        let e2 = if self.w(e2) == "of" { e2 + 1 } else { e2 };
                        return Some((e2, Amount::N(v2 as f64), false));
                    }
                }
            }
            let mut v = v;
            let mut e = e;
            // "twenty-five", "twenty five"
            if (20..100).contains(&v) && v % 10 == 0 {
                let j = if self.w(e) == "-" && self.glued(e) { e + 1 } else { e };
                if let Some((e2, &u)) = self.at(j, Cat::Cardinal, &self.lex.cardinals) {
                    if (1..10).contains(&u) && !matches!(self.w(j), "a" | "an") {
                        v += u;
                        e = e2;
                    }
                }
            }
            // "couple of days"
            if self.w(i) == "couple" && self.w(e) == "of" {
                e += 1;
            }
            (e, Amount::N(v as f64), article)
        } else {
            return None;
        };
        // "one and a half", "two and one half"
        if let Amount::N(v) = n {
            if self.w(e) == "and" && matches!(self.w(e + 1), "a" | "one") && self.has(e + 2, Cat::Half) {
                n = Amount::N(v + 0.5);
                e += 3;
            }
        }
        Some((e, n, article))
    }

    /// A unit word: (end, unit index, singular form).
    fn unit(&self, i: usize) -> Option<(usize, usize, bool)> {
        self.at(i, Cat::Unit, &self.lex.unit_words).map(|(e, &(u, sing))| (e, u, sing))
    }

    /// A bare four-digit number read as a year ("in 2022", "2009-2010"), not as a count
    /// ("2000 troops") or part of a longer number.
    fn bare_year(&self, i: usize, after_part: bool) -> Option<(usize, i16)> {
        let (y, d) = self.num(i)?;
        let [lo, hi] = self.lex.bare_year_range;
        if d != 4 || y < lo.max(0) as u32 || y > hi.max(0) as u32 {
            return None;
        }
        let (e, y) = self.year4(i)?;
        if after_part {
            return Some((e, y));
        }
        if self.glued(i) && i > 0 {
            let p = self.w(i - 1);
            if matches!(p, "$" | "€" | "£" | "¥" | "#" | "№") || (matches!(p, "," | "." | ":") && i >= 2 && self.num(i - 2).is_some())
            {
                return None;
            }
        }
        if self.glued(e) && matches!(self.w(e), "." | ":" | "%") && (self.w(e) == "%" || self.num(e + 1).is_some()) {
            return None;
        }
        if self.unit(e).is_some() {
            return None;
        }
        if self.prev_has(i, Cat::DatePrep) || self.prev_has(i, Cat::Month) {
            return Some((e, y));
        }
        let next_is_noun = self.t.toks.get(e).is_some_and(|t| t.kind == Kind::Word && !t.capital) && !self.has(e, Cat::YearWord);
        let after_number = self.prev_has(i, Cat::Cardinal) && !matches!(self.w(i.wrapping_sub(1)), "a" | "an");
        if next_is_noun && (y % 100 == 0 || self.prev_has(i, Cat::Modifier) || after_number || self.prev_has(i, Cat::Vague)) {
            return None;
        }
        Some((e, y))
    }

    // ---- rules --------------------------------------------------------------------

    /// Whether any rule can start at token `i`: most tokens are turned away here by
    /// their word-list mask alone.
    fn may_start(&self, i: usize) -> bool {
        let tok = &self.t.toks[i];
        let w = self.w(i);
        match tok.kind {
            Kind::Num => true,
            Kind::Punct => matches!(w, "'" | "’"),
            Kind::Word if w == "the" => {
                self.t.toks.get(i + 1).is_some_and(|n| n.kind == Kind::Num)
                    || self.t.may_trigger(i + 1)
                    || matches!(self.w(i + 1), "'" | "’")
                    || self.at(i, Cat::Part, &self.lex.part_words).is_some()
                    || self.at(i, Cat::Reference, &self.lex.references).is_some()
                    || self.at(i, Cat::Same, &self.lex.same).is_some()
            }
            Kind::Word => (self.lex.may_trigger(w) && self.t.mask(i) & TRIGGERS != 0) || w == "q",
        }
    }

    fn parse_at(&self, i: usize) -> Option<Cand> {
        if !self.may_start(i) {
            return None;
        }
        // Each rule only where its first word can be: the mask says which.
        let tok = &self.t.toks[i];
        let num = tok.kind == Kind::Num;
        let the = self.w(i) == "the";
        let quote = tok.kind == Kind::Punct;
        let mask = self.t.mask(i);
        let any = |cats: &[Cat]| cats.iter().any(|&c| mask & c.bit() != 0);
        use Cat::*;
        let mut best = None;
        if num {
            best = longest(best, self.iso(i));
            best = longest(best, self.clock(i));
        }
        if any(&[Month, Weekday]) {
            best = longest(best, self.month_first(i, false));
        }
        if num || the || any(&[Ordinal, Cardinal, Weekday]) {
            best = longest(best, self.day_first(i));
        }
        if num || the || quote || any(&[Qualifier, Ordinal]) {
            best = longest(best, self.year_or_decade(i, false));
        }
        if the || any(&[Season, Relative]) {
            best = longest(best, self.season(i, false));
        }
        if num || the || any(&[Ordinal, Cardinal]) || self.w(i) == "q" {
            best = longest(best, self.quarter(i));
        }
        if any(&[Weekday, Relative]) {
            best = longest(best, self.weekday(i));
        }
        if the || any(&[Relative, Same]) {
            best = longest(best, self.relative_unit(i));
        }
        if any(&[Deictic]) {
            best = longest(best, self.deictic(i));
        }
        if any(&[Relative]) {
            best = longest(best, self.relative_day_part(i));
            best = longest(best, self.relative_month(i));
        }
        if the {
            best = longest(best, self.part_of_day_of(i));
        }
        if any(&[Reference]) {
            best = longest(best, self.reference(i));
        }
        if num || the || any(&[Cardinal, Vague, Half, Unit, Relative, PluralLeadInside, Modifier]) {
            best = longest(best, self.duration(i));
        }
        if any(&[SetAdverb, SetQuantifier]) {
            best = longest(best, self.set(i));
        }
        if any(&[ClockWord]) {
            best = longest(best, self.clock(i));
        }
        if the || any(&[Part]) {
            best = longest(best, self.part_of_period(i));
        }
        let mut best = best?;
        // "Thursday night", "yesterday morning"
        if best.day_part.is_none() && best.day_sized() {
            if let Some((e, code)) = self.at(best.e, Cat::DayPart, &self.lex.day_parts) {
                best.day_part = Some(code.clone());
                best.e = e;
            }
        }
        // A clock time and a day side by side are one time: "15:00 GMT Saturday",
        // "Saturday 15:00".
        if let Expr::Clock { h, m } = best.expr {
            if let Some(day) = self.day_point(best.e) {
                return Some(Cand { s: best.s, clock: Some((h, m)), ..day });
            }
        } else if best.day_sized() && best.day_part.is_none() && best.clock.is_none() {
            if let Some(Cand { e, expr: Expr::Clock { h, m }, .. }) = self.clock(best.e) {
                best.e = e;
                best.clock = Some((h, m));
            }
        }
        Some(best)
    }

    /// A day-sized expression at `i`: a date, a weekday, "today".
    fn day_point(&self, i: usize) -> Option<Cand> {
        let c = longest(longest(self.month_first(i, false), self.day_first(i)), longest(self.weekday(i), self.deictic(i)))?;
        (c.day_sized() && c.day_part.is_none()).then_some(c)
    }

    /// 2025-03-12, 2025/03/12, 12.03.2025
    fn iso(&self, i: usize) -> Option<Cand> {
        let (a, ad) = self.num(i)?;
        let g = |k: usize| self.glued(k);
        if ad == 4 {
            let sep = self.w(i + 1);
            if !matches!(sep, "-" | "/") || !g(i + 1) || !g(i + 2) || !g(i + 3) || !g(i + 4) || self.w(i + 3) != sep {
                return None;
            }
            let (m, md) = self.num(i + 2)?;
            let (d, dd) = self.num(i + 4)?;
            if md > 2 || dd > 2 || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
                return None;
            }
            return Some(Cand::new(i, i + 5, Expr::Day { y: Some(a as i16), m: m as i8, d: d as i8 }));
        }
        if ad <= 2 && self.w(i + 1) == "." && self.w(i + 3) == "." && (1..=4).all(|k| g(i + k)) {
            let (m, md) = self.num(i + 2)?;
            let (y, yd) = self.num(i + 4)?;
            if md > 2 || yd != 4 || !(1..=12).contains(&m) || !(1..=31).contains(&a) {
                return None;
            }
            return Some(Cand::new(i, i + 5, Expr::Day { y: Some(y as i16), m: m as i8, d: a as i8 }));
        }
        None
    }

    /// An optional leading weekday before a date: "Thursday, March 20".
    fn leading_weekday(&self, i: usize) -> usize {
        if let Some((e, _)) = self.at(i, Cat::Weekday, &self.lex.weekdays) {
            let k = if self.w(e) == "," { e + 1 } else { e };
            let starts_date = self.month(k).is_some() || self.day_number(k).is_some() || self.w(k) == "the";
            if starts_date && (!self.ascii_word(i) || self.capital(i)) {
                return k;
            }
        }
        i
    }

    /// "March 12", "March 12, 2025", "March 2025", "March of 2025", "March".
    fn month_first(&self, i: usize, after_part: bool) -> Option<Cand> {
        let j = self.leading_weekday(i);
        let (e, m, ambiguous) = self.month(j)?;
        if let Some((e2, d)) = self.day_number(e) {
            let k = if self.w(e2) == "," { e2 + 1 } else { e2 };
            if let Some((e3, y)) = self.year4(k) {
                // "On March 12, 2000 troops crossed": a round count, not the year.
                let count = k > e2 && y % 100 == 0 && self.t.toks.get(e3).is_some_and(|t| t.kind == Kind::Word && !t.capital);
                if !count {
                    return Some(Cand::new(i, e3, Expr::Day { y: Some(y), m, d }));
                }
            }
            return Some(Cand::new(i, e2, Expr::Day { y: None, m, d }));
        }
        if j != i {
            return None;
        }
        let k = if matches!(self.w(e), "," | "of") { e + 1 } else { e };
        if let Some((e3, y)) = self.year4(k) {
            return Some(Cand::new(i, e3, Expr::Month { y: Some(y), m, rel: None }));
        }
        if ambiguous && !(after_part || self.prev_has(i, Cat::DatePrep)) {
            return None;
        }
        Some(Cand::new(i, e, Expr::Month { y: None, m, rel: None }))
    }

    /// "12 March", "12 March 2025", "the 12th of March", "12 марта 2025 года".
    fn day_first(&self, i: usize) -> Option<Cand> {
        let mut j = self.leading_weekday(i);
        let the = self.w(j) == "the";
        if the {
            j += 1;
        }
        let (e, d) = self.day_number(j)?;
        let of = self.w(e) == "of";
        if (the || self.num(j).is_none()) && !of {
            return None;
        }
        let (e2, m, _) = self.month(if of { e + 1 } else { e })?;
        let k = if self.w(e2) == "," { e2 + 1 } else { e2 };
        if let Some((e3, y)) = self.year4(k) {
            return Some(Cand::new(i, e3, Expr::Day { y: Some(y), m, d }));
        }
        Some(Cand::new(i, e2, Expr::Day { y: None, m, d }))
    }

    /// "2022", "the 1990s", "1990's", "the '90s", "the 20th century".
    fn year_or_decade(&self, i: usize, after_part: bool) -> Option<Cand> {
        let the = self.w(i) == "the";
        let j = if the { i + 1 } else { i };
        let quote = matches!(self.w(j), "'" | "’");
        if quote {
            let (n, d) = self.num(j + 1)?;
            if d == 2 && n % 10 == 0 && self.glued(j + 1) && self.w(j + 2) == "s" && self.glued(j + 2) {
                let century = if n >= 30 { 1900 } else { 2000 };
                return Some(Cand::new(i, j + 3, Expr::Decade(century + n as i16)));
            }
            return None;
        }
        if let Some((y, 4)) = self.num(j) {
            if y % 10 == 0 && y < 3000 {
                let s_at = if matches!(self.w(j + 1), "'" | "’") && self.glued(j + 1) { j + 2 } else { j + 1 };
                if self.w(s_at) == "s" && self.glued(s_at) {
                    return Some(Cand::new(i, s_at + 1, Expr::Decade(y as i16)));
                }
            }
        }
        if let Some((e, n)) = self.ordinal(j) {
            if let Some((e2, u, _)) = self.unit(e) {
                if self.lex.units[u].calendar == Some(CalUnit::Century) && (1..=30).contains(&n) {
                    return Some(Cand::new(i, e2, Expr::Century(((n - 1) * 100) as i16)));
                }
            }
        }
        if the {
            return None;
        }
        // "fiscal 2013"
        let (k, qualified) = match self.at(i, Cat::Qualifier, &self.lex.qualifiers) {
            Some((e, _)) if self.num(e).is_some() => (e, true),
            _ => (i, false),
        };
        let (e, y) = self.bare_year(k, after_part || qualified)?;
        Some(Cand::new(i, e, Expr::Year(y)))
    }

    /// "spring 2024", "the spring of 2024", "this spring", "last winter", "in winter".
    fn season(&self, i: usize, after_part: bool) -> Option<Cand> {
        let the = self.w(i) == "the";
        let mut j = if the { i + 1 } else { i };
        let mut rel = None;
        if !the {
            if let Some((e, &r)) = self.at(j, Cat::Relative, &self.lex.relative) {
                rel = Some(r);
                j = e;
            }
        }
        let (e, &s) = self.at(j, Cat::Season, &self.lex.season_words)?;
        let k = if self.w(e) == "of" { e + 1 } else { e };
        if let Some((e2, y)) = self.year4(k) {
            return Some(Cand::new(i, e2, Expr::Season { s, y: Some(y), rel: None }));
        }
        // "the Arab Spring", "the fall of Kherson": names and nouns, not seasons.
        if (self.capital(j) && !self.sentence_start(j)) || self.w(e) == "of" {
            return None;
        }
        if rel.is_none() && !the && !after_part && !self.prev_has(i, Cat::DatePrep) {
            return None;
        }
        Some(Cand::new(i, e, Expr::Season { s, y: None, rel }))
    }

    /// "the first quarter", "the second half of 2024", "first-quarter", "Q1 2025".
    fn quarter(&self, i: usize) -> Option<Cand> {
        let the = self.w(i) == "the";
        let j = if the { i + 1 } else { i };
        let (q, k) = if self.w(j) == "q" && self.glued(j + 1) {
            (self.num(j + 1).filter(|&(_, d)| d == 1)?.0, j + 2)
        } else {
            let (e, n) = self.ordinal(j)?;
            let k = if self.w(e) == "-" && self.glued(e) { e + 1 } else { e };
            (n, k)
        };
        let (end, half) = if self.w(j) == "q" {
            (k, false)
        } else if let Some((e, u, true)) = self.unit(k) {
            if self.lex.units[u].calendar != Some(CalUnit::Quarter) {
                return None;
            }
            (e, false)
        } else if self.has(k, Cat::Half) {
            (k + 1, true)
        } else {
            return None;
        };
        if q == 0 || q > if half { 2 } else { 4 } {
            return None;
        }
        let (q, mut e) = (q as i8, end);
        let mut y = None;
        let mut year_rel = None;
        let k = if self.w(e) == "of" { e + 1 } else { e };
        let k2 = self.at(k, Cat::Qualifier, &self.lex.qualifiers).map_or(k, |(e, _)| e);
        if let Some((e2, yy)) = self.year4(k2) {
            y = Some(yy);
            e = e2;
        } else if self.w(e) == "of" {
            // "of this year", "of last year", "of the year"
            let (k3, r) = match self.at(k, Cat::Relative, &self.lex.relative) {
                Some((e3, &r)) => (e3, Some(r)),
                None if self.w(k) == "the" => (k + 1, Some(0)),
                None => (k, None),
            };
            if let (Some(r), Some((e3, u, true))) = (r, self.unit(k3)) {
                if self.lex.units[u].calendar == Some(CalUnit::Year) {
                    year_rel = Some(r);
                    e = e3;
                }
            }
        }
        Some(Cand::new(i, e, Expr::Quarter { q, y, half, year_rel }))
    }

    /// "Thursday", "last Thursday", "next Friday".
    fn weekday(&self, i: usize) -> Option<Cand> {
        let (j, rel) = match self.at(i, Cat::Relative, &self.lex.relative) {
            Some((e, &r)) => (e, Some(r)),
            None => (i, None),
        };
        let (e, &wd) = self.at(j, Cat::Weekday, &self.lex.weekdays)?;
        if self.ascii_word(j) && !self.capital(j) {
            return None;
        }
        Some(Cand::new(i, e, Expr::Weekday { wd, rel }))
    }

    /// "last week", "this month", "next year", "the following day", "that day",
    /// "the weekend", "over the past week" (a duration).
    fn relative_unit(&self, i: usize) -> Option<Cand> {
        if let Some((e, _)) = self.at(i, Cat::Same, &self.lex.same) {
            let (e2, u, true) = self.unit(e)? else { return None };
            let unit = self.lex.units[u].calendar?;
            return Some(Cand::new(i, e2, Expr::Relative { unit, offset: 0, anaphoric: true, implicit: false }));
        }
        let the = self.w(i) == "the";
        let j = if the { i + 1 } else { i };
        if the {
            if let Some((e, u, true)) = self.unit(j) {
                if self.lex.units[u].calendar == Some(CalUnit::Weekend) {
                    return Some(Cand::new(i, e, Expr::Weekend));
                }
            }
        }
        let (e, &r) = self.at(j, Cat::Relative, &self.lex.relative)?;
        // "this fiscal year"
        let e = self.at(e, Cat::Qualifier, &self.lex.qualifiers).map_or(e, |(q, _)| q);
        let (e2, u, true) = self.unit(e)? else { return None };
        let unit = self.lex.units[u].calendar?;
        let anaphoric = the && (self.has(j, Cat::Anaphoric) || (r == 1 && unit == CalUnit::Day));
        if the && r != 0 && self.prev_has(i, Cat::DurationSignal) && self.lex.units[u].duration {
            // "over the past week", "over the next decade": a stretch of time, not a
            // calendar period. From the last date mentioned ("over the following
            // decade") it has no window on the publication date.
            let window = match (anaphoric, r < 0) {
                (true, _) => None,
                (false, true) => Some(Window::Past),
                (false, false) => Some(Window::Future),
            };
            return Some(Cand::new(i, e2, Expr::Duration { unit: u, n: Amount::N(1.0), window }));
        }
        Some(Cand::new(i, e2, Expr::Relative { unit, offset: r, anaphoric, implicit: false }))
    }

    /// "today", "yesterday", "tonight", "overnight".
    fn deictic(&self, i: usize) -> Option<Cand> {
        let (e, (offset, part)) = self.at(i, Cat::Deictic, &self.lex.deictic)?;
        let mut c = Cand::new(i, e, Expr::Deictic(*offset));
        c.day_part = part.clone();
        Some(c)
    }

    /// "this morning", "last night".
    fn relative_day_part(&self, i: usize) -> Option<Cand> {
        let (e, &r) = self.at(i, Cat::Relative, &self.lex.relative)?;
        if !(-1..=0).contains(&r) {
            return None;
        }
        let (e2, code) = self.at(e, Cat::DayPart, &self.lex.day_parts)?;
        let mut c = Cand::new(i, e2, Expr::Deictic(r));
        c.day_part = Some(code.clone());
        Some(c)
    }

    /// "the night of March 11", "the morning of Thursday".
    fn part_of_day_of(&self, i: usize) -> Option<Cand> {
        if self.w(i) != "the" {
            return None;
        }
        let (e, code) = self.at(i + 1, Cat::DayPart, &self.lex.day_parts)?;
        if self.w(e) != "of" {
            return None;
        }
        let inner = self.day_point(e + 1)?;
        Some(Cand { s: i, day_part: Some(code.clone()), ..inner })
    }

    /// "now", "currently", "recently", "the past", "the future".
    fn reference(&self, i: usize) -> Option<Cand> {
        let (e, v) = self.at(i, Cat::Reference, &self.lex.references)?;
        // "now-defunct"
        if self.w(e) == "-" && self.glued(e) {
            return None;
        }
        Some(Cand::new(i, e, Expr::Reference(v.clone())))
    }

    /// "six months", "the past 11 days", "more than three years", "a 10-year", "two
    /// weeks ago", "a day later", "in the coming days", "for years", "recent months".
    fn duration(&self, i: usize) -> Option<Cand> {
        let mut j = i;
        let mut window = None;
        let mut s = i;
        let mut vague_plural_ok = false;
        if self.w(i) == "the" {
            if let Some((e, &r)) = self.at(i + 1, Cat::Relative, &self.lex.relative) {
                if r != 0 {
                    window = Some(if r < 0 { Window::Past } else { Window::Future });
                    j = e;
                    vague_plural_ok = true;
                }
            }
        } else if let Some((e, &r)) = self.at(i, Cat::Relative, &self.lex.relative) {
            // "in coming days": without "the", only before a plural unit.
            if r != 0 {
                if let Some((_, _, false)) = self.unit(e) {
                    window = Some(if r < 0 { Window::Past } else { Window::Future });
                    j = e;
                    vague_plural_ok = true;
                }
            }
        } else if let Some((e, _)) = self.at(i, Cat::PluralLeadInside, &self.lex.plural_leads_inside) {
            window = Some(Window::Past);
            j = e;
        }
        // "the 90 years": the determiner belongs to the expression.
        if self.w(i) == "the" && window.is_none() && (self.num(i + 1).is_some() || self.has(i + 1, Cat::Cardinal)) {
            j = i + 1;
        }
        // A plural unit alone is a vague duration: "for weeks", "minutes before"; not
        // when a number before it was refused ("ages 6 months").
        let after_number = i > 0 && (self.num(i - 1).is_some() || self.has(i - 1, Cat::Cardinal) || self.has(i - 1, Cat::Vague));
        if j == i && !self.glued(i) && !after_number {
            vague_plural_ok = true;
        }
        let mut modifier = None;
        if let Some((e, &m)) = self.at(j, Cat::Modifier, &self.lex.modifier_words) {
            if self.amount(e).is_some() || self.has(e, Cat::Half) {
                modifier = Some(m);
                if !self.lex.modifiers[m].in_extent && s == j {
                    s = e;
                }
                j = e;
            }
        }
        let (e, mut n, article) = if self.has(j, Cat::Half) && matches!(self.w(j + 1), "a" | "an") {
            (j + 2, Amount::N(0.5), false)
        } else if let Some(a) = self.amount(j) {
            a
        } else if (vague_plural_ok || window.is_some()) && matches!(self.unit(j), Some((_, _, false))) {
            (j, Amount::Vague, false)
        } else {
            return None;
        };

        let hyphen = self.w(e) == "-" && self.glued(e) && self.glued(e + 1);
        let k = if hyphen { e + 1 } else { e };
        let (mut e2, u, singular) = self.unit(k)?;
        // "Six Days War": a capitalised bare unit inside a sentence is a name.
        if e == j && self.capital(k) && !self.sentence_start(k) {
            return None;
        }
        if !self.lex.units[u].duration || (article && !singular) {
            return None;
        }
        if e == j && singular {
            return None;
        }
        // "a year and a half"
        if let Amount::N(v) = n {
            if self.w(e2) == "and" && matches!(self.w(e2 + 1), "a" | "one") && self.has(e2 + 2, Cat::Half) {
                n = Amount::N(v + 0.5);
                e2 += 3;
            }
        }
        // Ages are not durations: "a 10-year-old", "six months old", "aged 6 months".
        let age_after = self.has(e2, Cat::Age) || (self.w(e2) == "-" && self.has(e2 + 1, Cat::Age));
        if age_after || (s > 0 && self.has(s - 1, Cat::Age)) {
            return None;
        }
        // "twice a day", "three times a week"
        if article && s > 0 && self.has(s - 1, Cat::Frequency) {
            return Some(Cand::new(s, e2, Expr::Set(self.duration_value(u, Amount::N(1.0)))));
        }
        let expr = if let Some((e3, _)) = self.at(e2, Cat::Ago, &self.lex.ago) {
            e2 = e3;
            Expr::Shifted { unit: u, n, sign: -1, from_reference: false }
        } else if window.is_none() && !self.has(e2 + 1, Cat::Comparison) && (self.has(e2, Cat::After) || self.has(e2, Cat::Before)) {
            let sign = if self.has(e2, Cat::After) { 1 } else { -1 };
            e2 += 1;
            Expr::Shifted { unit: u, n, sign, from_reference: true }
        } else {
            Expr::Duration { unit: u, n, window }
        };
        let mut c = Cand::new(s, e2, expr);
        c.modifier = modifier;
        Some(c)
    }

    /// TimeML duration value: P3Y, PT24H, P18M (1.5 years), PXD.
    pub(crate) fn duration_value(&self, u: usize, n: Amount) -> String {
        duration_value(self.lex, u, n)
    }

    /// "every day", "each week", "every other day", "every Monday", "daily", "annually".
    fn set(&self, i: usize) -> Option<Cand> {
        if let Some((e, &u)) = self.at(i, Cat::SetAdverb, &self.lex.set_adverbs) {
            return Some(Cand::new(i, e, Expr::Set(self.duration_value(u, Amount::N(1.0)))));
        }
        let (mut j, _) = self.at(i, Cat::SetQuantifier, &self.lex.set_quantifiers)?;
        let mut mult = 1.0;
        if self.w(j) == "other" {
            mult = 2.0;
            j += 1;
        }
        if let Some((e, Amount::N(n), false)) = self.amount(j) {
            if let Some((e2, u, _)) = self.unit(e) {
                return Some(Cand::new(i, e2, Expr::Set(self.duration_value(u, Amount::N(n * mult)))));
            }
        }
        if let Some((e, u, true)) = self.unit(j) {
            return Some(Cand::new(i, e, Expr::Set(self.duration_value(u, Amount::N(mult)))));
        }
        if let Some((e, &wd)) = self.at(j, Cat::Weekday, &self.lex.weekdays) {
            return Some(Cand::new(i, e, Expr::Set(format!("XXXX-WXX-{wd}"))));
        }
        if let Some((e, m, _)) = self.month(j) {
            return Some(Cand::new(i, e, Expr::Set(format!("XXXX-{m:02}"))));
        }
        if let Some((e, &s)) = self.at(j, Cat::Season, &self.lex.season_words) {
            return Some(Cand::new(i, e, Expr::Set(format!("XXXX-{}", self.lex.seasons[s].code))));
        }
        if let Some((e, code)) = self.at(j, Cat::DayPart, &self.lex.day_parts) {
            return Some(Cand::new(i, e, Expr::Set(format!("XXXX-XX-XXT{code}"))));
        }
        None
    }

    /// "10:30 a.m.", "10 pm", "22:00 GMT", "0800 GMT", "at noon".
    fn clock(&self, i: usize) -> Option<Cand> {
        if let Some((e, &(h, m))) = self.at(i, Cat::ClockWord, &self.lex.clock_words) {
            if self.prev_has(i, Cat::ClockPrep) || self.has(e, Cat::TimeZone) {
                let e = self.at(e, Cat::TimeZone, &self.lex.time_zones).map_or(e, |(z, _)| z);
                return Some(Cand::new(i, e, Expr::Clock { h, m }));
            }
            return None;
        }
        let (h, hd) = self.num(i)?;
        let mut e = i + 1;
        let mut m = 0;
        let mut colon = false;
        if self.w(e) == ":" && self.glued(e) && self.glued(e + 1) {
            let (mm, md) = self.num(e + 1)?;
            if md != 2 || mm > 59 {
                return None;
            }
            m = mm;
            colon = true;
            e += 2;
        }
        let am = self.at(e, Cat::Am, &self.lex.am);
        let pm = self.at(e, Cat::Pm, &self.lex.pm);
        let h24 = if let Some((ae, _)) = am.or(pm) {
            if hd > 2 || !(1..=12).contains(&h) {
                return None;
            }
            e = ae;
            if pm.is_some() {
                h % 12 + 12
            } else {
                h % 12
            }
        } else if colon {
            if hd > 2 || h > 24 || !(self.prev_has(i, Cat::ClockPrep) || self.has(e, Cat::TimeZone)) {
                return None;
            }
            h
        } else if hd == 4 && self.has(e, Cat::TimeZone) && h / 100 <= 24 && h % 100 < 60 {
            m = h % 100;
            h / 100
        } else {
            return None;
        };
        if let Some((z, _)) = self.at(e, Cat::TimeZone, &self.lex.time_zones) {
            e = z;
        }
        Some(Cand::new(i, e, Expr::Clock { h: h24 as u8, m: m as u8 }))
    }

    /// "early March", "mid-January", "late 2024", "the end of last year", "the early
    /// 1990s", "earlier this month", "late Saturday", "late last July".
    fn part_of_period(&self, i: usize) -> Option<Cand> {
        let the = self.w(i) == "the" && self.at(i, Cat::Part, &self.lex.part_words).is_none();
        let pi = if the { i + 1 } else { i };
        let (e, &p) = self.at(pi, Cat::Part, &self.lex.part_words)?;
        let j = if self.w(e) == "-" && self.glued(e) { e + 1 } else { e };
        let mut inner = None;
        inner = longest(inner, self.month_first(j, true));
        inner = longest(inner, self.year_or_decade(j, true));
        inner = longest(inner, self.season(j, true));
        inner = longest(inner, self.quarter(j));
        inner = longest(inner, self.weekday(j));
        inner = longest(inner, self.relative_unit(j));
        inner = longest(inner, self.deictic(j));
        inner = longest(inner, self.relative_month(j));
        // "the end of the year", "end of month": the current one.
        if inner.is_none() {
            let k = if self.w(j) == "the" { j + 1 } else { j };
            if let Some((e2, u, true)) = self.unit(k) {
                if let Some(unit) = self.lex.units[u].calendar {
                    inner = Some(Cand::new(j, e2, Expr::Relative { unit, offset: 0, anaphoric: false, implicit: true }));
                }
            }
        }
        let inner = inner?;
        if the && !matches!(inner.expr, Expr::Decade(_) | Expr::Century(_)) {
            return None;
        }
        if self.lex.parts[p].cut.is_some() && !matches!(inner.expr, Expr::Relative { offset: 0, anaphoric: false, .. } | Expr::Deictic(0)) {
            return None;
        }
        // Only calendar expressions take a part: not "late three years".
        if matches!(inner.expr, Expr::Duration { .. } | Expr::Shifted { .. } | Expr::Set(_) | Expr::Clock { .. } | Expr::Reference(_)) {
            return None;
        }
        Some(Cand { s: i, part: Some(p), ..inner })
    }

    /// "last July", "this March", "next January".
    fn relative_month(&self, i: usize) -> Option<Cand> {
        let (e, &r) = self.at(i, Cat::Relative, &self.lex.relative)?;
        let (e2, m, _) = self.month(e)?;
        Some(Cand::new(i, e2, Expr::Month { y: None, m, rel: Some(r) }))
    }

    // ---- tense --------------------------------------------------------------------

    /// The tense around tokens `s..e`: the nearest future or past cue within the clause.
    /// A cue to the right past a comma waits for the left side: "will deliver four systems
    /// by the end of the year, the minister said" is future ("said" is the report's).
    pub(crate) fn tense(&self, s: usize, e: usize) -> Tense {
        const REACH: usize = 12;
        let mut past_comma: Option<Tense> = None;
        for d in 1..=REACH {
            // left
            if d <= s {
                let k = s - d;
                if self.clause_break(k) || (k + 1 < self.t.len() && self.t.toks[k + 1].break_before) {
                    return past_comma.unwrap_or_else(|| self.tense_right(e, d, REACH));
                }
                if let Some(t) = self.cue(k) {
                    return t;
                }
            }
            // right
            let k = e + d - 1;
            if past_comma.is_none() && k < self.t.len() && !self.blocked_right(e, k) {
                if let Some(t) = self.cue(k) {
                    if !(e..k).any(|x| self.w(x) == ",") {
                        return t;
                    }
                    past_comma = Some(t);
                }
            }
        }
        past_comma.unwrap_or(Tense::Unknown)
    }

    fn tense_right(&self, e: usize, from: usize, reach: usize) -> Tense {
        for d in from..=reach {
            let k = e + d - 1;
            if k >= self.t.len() || self.blocked_right(e, k) {
                break;
            }
            if let Some(t) = self.cue(k) {
                return t;
            }
        }
        Tense::Unknown
    }

    /// A clause break between `e` and `k` (inclusive of `k`).
    fn blocked_right(&self, e: usize, k: usize) -> bool {
        (e..=k).any(|x| self.clause_break(x) || (x > e && self.t.toks[x].break_before))
    }

    fn clause_break(&self, k: usize) -> bool {
        self.has(k, Cat::ClauseBreak) && self.at(k, Cat::ClauseBreak, &self.lex.clause_breaks).is_some()
    }

    fn cue(&self, k: usize) -> Option<Tense> {
        if self.at(k, Cat::Future, &self.lex.future).is_some() {
            return Some(Tense::Future);
        }
        let w = self.w(k);
        let suffix = self.lex.past_suffix.as_str();
        let past = self.at(k, Cat::Past, &self.lex.past).is_some()
            || (!suffix.is_empty()
                && w.len() >= suffix.len() + 3
                && w.ends_with(suffix)
                && !self.capital(k)
                && self.lex.past_suffix_exceptions.at(self.t, k).is_none());
        if !past {
            return None;
        }
        // "will be held", "would have fought": a participle after a future auxiliary.
        let future_aux = (1..=3).any(|b| k >= b && self.at(k - b, Cat::Future, &self.lex.future).is_some());
        Some(if future_aux { Tense::Future } else { Tense::Past })
    }
}

/// TimeML duration value: P3Y, PT24H, P18M (1.5 years), PXD, PXDE.
pub(crate) fn duration_value(lex: &TimeLex, u: usize, n: Amount) -> String {
    let unit = &lex.units[u];
    let t = if unit.time { "T" } else { "" };
    let n = match n {
        Amount::Vague => return format!("P{t}X{}", unit.vague_code),
        Amount::N(n) => n * unit.multiple as f64,
    };
    if n.fract() == 0.0 {
        return format!("P{t}{}{}", n as u64, unit.code);
    }
    // A fraction goes down a unit where one exists: 1.5 years = P18M, 2.5 days = PT60H.
    let down = match (unit.time, unit.code.as_str()) {
        (false, "Y") => Some((12.0, "", "M")),
        (false, "W") => Some((7.0, "", "D")),
        (false, "D") => Some((24.0, "T", "H")),
        (true, "H") => Some((60.0, "T", "M")),
        (true, "M") => Some((60.0, "T", "S")),
        _ => None,
    };
    match down {
        Some((k, t2, code)) if (n * k).fract().abs() < 1e-9 => format!("P{t2}{}{code}", (n * k).round() as u64),
        _ => format!("P{t}{}{}", trim_float(n), unit.code),
    }
}

fn trim_float(n: f64) -> String {
    let s = format!("{n:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
