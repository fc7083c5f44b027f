//! A small tokenizer for the time grammar: runs of letters, runs of ASCII digits, and
//! single punctuation characters, each with its byte span and lower-cased text.
//!
//! Written by hand because the grammar needs exactly these cuts ("12th" -> "12" "th",
//! "mid-January" -> "mid" "-" "january", "a.m." kept whole) and per-token flags (a space
//! or a line break before it), which a general word segmenter would not give as cheaply.

use std::cell::Cell;

use super::lex::{TimeLex, TRIGGERS};
use crate::is_apostrophe;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Word,
    Num,
    Punct,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// Range of the lower-cased text in `Tokens::lower_buf`, or `None` when the text
    /// itself is already lower case (most tokens: no copy).
    lo: Option<(u32, u32)>,
    /// Value of a digit run (saturating) and its digit count.
    pub num: u32,
    pub digits: u8,
    /// White space right before the token.
    pub space_before: bool,
    /// A line break in the white space before the token.
    pub break_before: bool,
    /// The first letter is upper case.
    pub capital: bool,
}

#[derive(Debug)]
pub(crate) struct Tokens<'t> {
    pub toks: Vec<Tok>,
    text: &'t str,
    lower_buf: String,
    lex: Option<&'t TimeLex>,
    /// Word lists each token starts an entry of (see `Cat`), looked up when first asked
    /// for: most tokens are never asked.
    masks: Vec<Cell<u64>>,
}

const UNKNOWN: u64 = u64::MAX;

impl Tokens<'_> {
    pub fn len(&self) -> usize {
        self.toks.len()
    }
    pub fn lower(&self, i: usize) -> Option<&str> {
        let t = self.toks.get(i)?;
        Some(match t.lo {
            Some((a, b)) => &self.lower_buf[a as usize..b as usize],
            None => &self.text[t.start..t.end],
        })
    }
    /// The word-list mask of token `i`.
    pub fn mask(&self, i: usize) -> u64 {
        let Some(cell) = self.masks.get(i) else { return 0 };
        let m = cell.get();
        if m != UNKNOWN {
            return m;
        }
        let m = match (self.lex, self.toks[i].kind) {
            (Some(lex), Kind::Word | Kind::Punct) => lex.mask(self.lower(i).unwrap_or("")),
            _ => 0,
        };
        cell.set(m);
        m
    }

    /// Token `i` may start an expression by its word (a cheap test first).
    pub fn may_trigger(&self, i: usize) -> bool {
        match (self.lex, self.lower(i)) {
            (Some(lex), Some(w)) => lex.may_trigger(w) && self.mask(i) & TRIGGERS != 0,
            _ => false,
        }
    }

    /// Token `i` follows token `i - 1` with no space between.
    pub fn glued(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| !t.space_before) && i > 0
    }
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic() || c == '\u{2bc}'
}


/// Cut `text` into tokens; with a lexicon, also set each token's mask.
pub(crate) fn tokenize<'t>(text: &'t str, lex: Option<&'t TimeLex>) -> Tokens<'t> {
    let mut out = Tokens { toks: Vec::with_capacity(text.len() / 5), text, lower_buf: String::new(), lex, masks: Vec::new() };
    let b = text.as_bytes();
    let n = b.len();
    let mut space = true;
    let mut brk = true;
    let mut i = 0;
    // Bytes are scanned directly for ASCII, which is nearly all of English news text;
    // other characters are decoded one at a time.
    let char_at = |i: usize| text[i..].chars().next().unwrap_or(' ');
    while i < n {
        let c0 = b[i];
        let c = if c0 < 0x80 { c0 as char } else { char_at(i) };
        if c.is_whitespace() {
            space = true;
            brk |= c == '\n' || c == '\r' || c == '\u{2029}';
            i += c.len_utf8();
            continue;
        }
        let lo_start = out.lower_buf.len() as u32;
        let mut copied = false;
        let (end, kind, num, digits) = if c0.is_ascii_digit() {
            let mut end = i + 1;
            while end < n && b[end].is_ascii_digit() {
                end += 1;
            }
            let run = &text[i..end];
            let num = run.bytes().fold(0u32, |v, d| v.saturating_mul(10).saturating_add((d - b'0') as u32));
            (end, Kind::Num, num, run.len().min(255) as u8)
        } else if is_letter(c) {
            let mut end = i + c.len_utf8();
            let mut ascii = c0 < 0x80;
            while end < n {
                if b[end].is_ascii_alphabetic() {
                    end += 1;
                    continue;
                }
                if b[end] < 0x80 && b[end] != b'\'' {
                    break;
                }
                let d = char_at(end);
                if is_letter(d) {
                    ascii = false;
                    end += d.len_utf8();
                } else if is_apostrophe(d) && !c.is_ascii() {
                    // Ukrainian writes an apostrophe inside words ("п'ятниця"); English
                    // apostrophes ("year's") are cut off.
                    let after = end + d.len_utf8();
                    let next = text[after..].chars().next();
                    if next.is_some_and(|x| is_letter(x) && !x.is_ascii()) {
                        end = after;
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
            let word = &text[i..end];
            if ascii {
                if word.bytes().any(|b| b.is_ascii_uppercase()) {
                    out.lower_buf.push_str(word);
                    let len = out.lower_buf.len();
                    out.lower_buf[lo_start as usize..len].make_ascii_lowercase();
                    copied = true;
                }
            } else if word.chars().any(|c| c.to_lowercase().ne(std::iter::once(c))) {
                out.lower_buf.extend(word.chars().flat_map(char::to_lowercase));
                copied = true;
            }
            (end, Kind::Word, 0, 0)
        } else {
            (i + c.len_utf8(), Kind::Punct, 0, 0)
        };
        out.toks.push(Tok {
            start: i,
            end,
            kind,
            lo: copied.then_some((lo_start, out.lower_buf.len() as u32)),
            num,
            digits,
            space_before: space,
            break_before: brk,
            capital: c.is_uppercase(),
        });
        space = false;
        brk = false;
        i = end;
    }
    merge_dotted_abbreviations(&mut out);
    out.masks = vec![Cell::new(UNKNOWN); out.toks.len()];
    out
}

/// "a.m.", "p.m.", "u.s.": single letters each followed by a dot, glued together,
/// become one word token whose lower-cased text keeps the dots.
fn merge_dotted_abbreviations(t: &mut Tokens) {
    let n = t.toks.len();
    let letter = |t: &Tokens, k: usize| k < n && t.toks[k].kind == Kind::Word && t.toks[k].end - t.toks[k].start == 1;
    let dot = |t: &Tokens, k: usize| k < n && !t.toks[k].space_before && t.lower(k) == Some(".");
    let glued = |t: &Tokens, k: usize| k < n && !t.toks[k].space_before;
    if !(0..n).any(|k| letter(t, k) && dot(t, k + 1) && letter(t, k + 2) && glued(t, k + 2)) {
        return;
    }
    let mut merged = Vec::with_capacity(n);
    let mut k = 0;
    while k < n {
        if letter(t, k) && dot(t, k + 1) && letter(t, k + 2) && glued(t, k + 2) {
            let mut last = k + 2;
            if dot(t, last + 1) {
                last += 1;
            }
            while letter(t, last + 1) && glued(t, last + 1) && dot(t, last + 2) {
                last += 2;
            }
            let lo_start = t.lower_buf.len() as u32;
            for j in k..=last {
                let piece = t.lower(j).unwrap_or("").to_string();
                t.lower_buf.push_str(&piece);
            }
            merged.push(Tok { end: t.toks[last].end, lo: Some((lo_start, t.lower_buf.len() as u32)), ..t.toks[k] });
            k = last + 1;
        } else {
            merged.push(t.toks[k]);
            k += 1;
        }
    }
    t.toks = merged;
}
