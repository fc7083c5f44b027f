//! The name normaliser: the one fold applied both to gazetteer names (when the index is
//! built, by `build.rs`, which includes this file) and to text (when it is looked up), so
//! that spellings of one name meet on one key.
//!
//! Steps, per word:
//! 1. Unicode NFKD, combining marks dropped: `Kup'jans'k` → `Kup'jans'k`, `Sūriyā` →
//!    `Suriya`, Cyrillic `й`/`ё`/`ї` → `и`/`е`/`і`.
//! 2. Lower case.
//! 3. Apostrophes of every kind (`' ’ ‘ ʼ ʹ ′ ` ´`), the Cyrillic soft and hard signs and
//!    full stops are dropped: `Kostyantynopol's'ke` → `kostyantynopolske`, `Луганськ` →
//!    `луганск`, `St.` → `st`.
//! 4. Latin transliteration variants are folded: `i` before a vowel is `y` (`Kupiansk` and
//!    `Kupyansk` → `kupyansk`; `Kostiantynopolske` → `kostyantynopolske`), and a word-final
//!    `yi`/`iy`/`yy`/`ii`/`ij`/`yj` is `y` (`Toretskyi`, `Toretskiy`, `Toretsky`).
//!
//! Words are split at white space, hyphens, dashes, slashes, commas and parentheses and
//! joined by one space; a run of one-letter words is closed up (`U. S.` → `us`).
//!
//! The fold is deliberately coarse: it may put two different names on one key (the
//! resolver then chooses among the candidates), but it must never split one name's
//! spellings apart.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Characters that separate words in a name.
pub fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '/' | ',' | '(' | ')' | '_' | '"' | '«' | '»' | '“' | '”')
}

/// Characters dropped inside a word.
pub fn is_dropped(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | 'ʹ' | '′' | '`' | '´' | 'ʻ' | '.' | 'ь' | 'ъ')
}

fn is_latin_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'o' | 'u')
}

/// Fold one word (no separators inside) and append it to `out`.
pub fn fold_word_into(word: &str, out: &mut String) {
    let start = out.len();
    if word.is_ascii() {
        // Fast path (most words of English text): no decomposition needed.
        out.extend(word.bytes().filter(|&b| !is_dropped(b as char)).map(|b| b.to_ascii_lowercase() as char));
    } else {
        for c in word.nfkd() {
            if is_combining_mark(c) {
                continue;
            }
            for l in c.to_lowercase() {
                if !is_dropped(l) {
                    out.push(l);
                }
            }
        }
    }
    if out.as_bytes()[start..].is_ascii() {
        fold_latin_variants(out, start);
    }
}

/// One word folded, borrowed when folding changes nothing (a lower-case ASCII word
/// with no apostrophe and no transliteration variant, which most words of prose are).
pub fn fold_word(word: &str) -> std::borrow::Cow<'_, str> {
    let b = word.as_bytes();
    let unchanged = word.is_ascii() && !b.iter().any(|&c| c.is_ascii_uppercase() || is_dropped(c as char)) && !needs_latin_fold(b);
    if unchanged {
        std::borrow::Cow::Borrowed(word)
    } else {
        let mut s = String::with_capacity(word.len());
        fold_word_into(word, &mut s);
        std::borrow::Cow::Owned(s)
    }
}

fn needs_latin_fold(word: &[u8]) -> bool {
    let n = word.len();
    (0..n.saturating_sub(1)).any(|i| word[i] == b'i' && is_latin_vowel(word[i + 1] as char))
        || n >= 4 && matches!(&word[n - 2..], b"yi" | b"iy" | b"yy" | b"ii" | b"ij" | b"yj")
}

/// Step 4, on the ASCII word `out[start..]`, in place.
fn fold_latin_variants(out: &mut String, start: usize) {
    let word = &out.as_bytes()[start..];
    let n = word.len();
    if !needs_latin_fold(word) {
        return;
    }
    let tail = n >= 4 && matches!(&word[n - 2..], b"yi" | b"iy" | b"yy" | b"ii" | b"ij" | b"yj");
    let mut folded: String = word
        .iter()
        .enumerate()
        .map(|(i, &b)| if b == b'i' && i + 1 < n && is_latin_vowel(word[i + 1] as char) { 'y' } else { b as char })
        .collect();
    if tail {
        folded.truncate(n - 2);
        folded.push('y');
    }
    out.truncate(start);
    out.push_str(&folded);
}

/// The lookup key of a name (see the module notes). Empty for a name with no letters.
pub fn normalize(name: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for w in name.split(is_separator) {
        let mut f = String::new();
        fold_word_into(w, &mut f);
        if !f.is_empty() {
            words.push(f);
        }
    }
    join_words(&words)
}

/// Join folded words with one space, closing up runs of one-letter words.
pub fn join_words<S: AsRef<str>>(words: &[S]) -> String {
    let mut out = String::new();
    let mut prev_single = false;
    for w in words {
        let w = w.as_ref();
        let single = w.chars().count() == 1;
        if !out.is_empty() && !(single && prev_single) {
            out.push(' ');
        }
        out.push_str(w);
        prev_single = single;
    }
    out
}
