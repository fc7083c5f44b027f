//! A small tokenizer for the time grammar: runs of letters, runs of ASCII digits, and
//! single punctuation characters, each with its byte span and lower-cased text.
//!
//! Written by hand because the grammar needs exactly these cuts ("12th" -> "12" "th",
//! "mid-January" -> "mid" "-" "january", "a.m." kept whole) and per-token flags (a space
//! or a line break before it), which a general word segmenter would not give as cheaply.

use super::lex::TimeLex;

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
    /// Range of the lower-cased text in `Tokens::lower_buf`.
    lo: (u32, u32),
    /// Word lists this token starts an entry of (see `Cat`).
    pub mask: u64,
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

#[derive(Debug, Default)]
pub(crate) struct Tokens {
    pub toks: Vec<Tok>,
    lower_buf: String,
}

impl Tokens {
    pub fn len(&self) -> usize {
        self.toks.len()
    }
    pub fn lower(&self, i: usize) -> Option<&str> {
        let t = self.toks.get(i)?;
        Some(&self.lower_buf[t.lo.0 as usize..t.lo.1 as usize])
    }
    /// Token `i` follows token `i - 1` with no space between.
    pub fn glued(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| !t.space_before) && i > 0
    }
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic() || c == '\u{2bc}'
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Cut `text` into tokens; with a lexicon, also set each token's mask.
pub(crate) fn tokenize(text: &str, lex: Option<&TimeLex>) -> Tokens {
    let mut out = Tokens { toks: Vec::with_capacity(text.len() / 5), lower_buf: String::with_capacity(text.len()) };
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
        let (end, kind, num, digits) = if c0.is_ascii_digit() {
            let mut end = i + 1;
            while end < n && b[end].is_ascii_digit() {
                end += 1;
            }
            let run = &text[i..end];
            out.lower_buf.push_str(run);
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
                out.lower_buf.push_str(word);
                let len = out.lower_buf.len();
                out.lower_buf[lo_start as usize..len].make_ascii_lowercase();
            } else {
                out.lower_buf.extend(word.chars().flat_map(char::to_lowercase));
            }
            (end, Kind::Word, 0, 0)
        } else {
            let end = i + c.len_utf8();
            out.lower_buf.push(c);
            (end, Kind::Punct, 0, 0)
        };
        out.toks.push(Tok {
            start: i,
            end,
            kind,
            lo: (lo_start, out.lower_buf.len() as u32),
            mask: 0,
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
    if let Some(lex) = lex {
        for k in 0..out.toks.len() {
            if out.toks[k].kind == Kind::Num {
                continue;
            }
            let lo = out.toks[k].lo;
            out.toks[k].mask = lex.mask(&out.lower_buf[lo.0 as usize..lo.1 as usize]);
        }
    }
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
                let lo = t.toks[j].lo;
                let piece = t.lower_buf[lo.0 as usize..lo.1 as usize].to_string();
                t.lower_buf.push_str(&piece);
            }
            merged.push(Tok { end: t.toks[last].end, lo: (lo_start, t.lower_buf.len() as u32), ..t.toks[k] });
            k = last + 1;
        } else {
            merged.push(t.toks[k]);
            k += 1;
        }
    }
    t.toks = merged;
}
