//! Paragraph breaks put back into extracted text from the page's own block structure.
//!
//! rs-trafilatura's fallback paths, and JSON-LD `articleBody`s, can run paragraphs
//! together: "...in the Korabel district.Two houses were damaged...". A sentence splitter
//! then sees one sentence where there were two. The page itself still has the blocks
//! apart, so each page line (a block, or a `<br>`/`<li>` line) of three or more words
//! whose opening words occur exactly once in the text marks a break there. Only breaks
//! are added; the words are left as they are.

use std::collections::HashMap;

/// Words (runs of letters and digits) of `text` with their byte ranges. A lower-case
/// letter followed by a capital also ends a word, so that paragraphs joined with no
/// space at all ("evacuationsTwo houses") still show their seam; page and text are cut
/// the same way, so "iPhone" matches itself either way.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    let mut prev_lower = false;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (true, Some(s)) if prev_lower && c.is_uppercase() => {
                out.push((s, i));
                start = Some(i);
            }
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
        prev_lower = c.is_lowercase();
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// Words of an opening long enough to be told apart from a chance match.
const OPENING_WORDS: usize = 4;
const MIN_LINE_WORDS: usize = 3;

/// `text` with a break before every place a line of `page` (formatted page text: blocks
/// separated by blank lines) starts, where that is certain.
pub fn restore(text: &str, page: &str) -> String {
    let tw = words(text);
    let word = |i: usize| &text[tw[i].0..tw[i].1];
    // Every opening a page line can have (its first 3 or 4 words) -> (times seen, first word index).
    let mut openings: HashMap<Vec<&str>, (usize, usize)> = HashMap::new();
    for n in MIN_LINE_WORDS..=OPENING_WORDS {
        for i in 0..tw.len().saturating_sub(n - 1) {
            let seen = openings.entry((i..i + n).map(word).collect()).or_insert((0, i));
            seen.0 += 1;
        }
    }
    // Byte offset in `text` where a break goes -> whether it starts a block ("\n\n") or a line.
    let mut breaks: HashMap<usize, bool> = HashMap::new();
    let mut starts_block = true;
    for line in page.lines() {
        if line.trim().is_empty() {
            starts_block = true;
            continue;
        }
        let lw: Vec<&str> = words(line).into_iter().map(|(s, e)| &line[s..e]).collect();
        let block = std::mem::replace(&mut starts_block, false);
        if lw.len() < MIN_LINE_WORDS {
            continue;
        }
        let key = &lw[..lw.len().min(OPENING_WORDS)];
        if let Some(&(1, j)) = openings.get(key) {
            if j > 0 && !text[tw[j - 1].1..tw[j].0].contains('\n') {
                let at = break_point(text, tw[j - 1].1, tw[j].0);
                *breaks.entry(at).or_insert(block) |= block;
            }
        }
    }
    if breaks.is_empty() {
        return text.to_string();
    }
    let mut points: Vec<(usize, bool)> = breaks.into_iter().collect();
    points.sort_unstable();
    let mut out = String::with_capacity(text.len() + points.len() * 2);
    let mut last = 0;
    for (at, block) in points {
        out.push_str(text[last..at].trim_end_matches([' ', '\t']));
        out.push_str(if block { "\n\n" } else { "\n" });
        last = at;
    }
    out.push_str(&text[last..]);
    out
}

/// Where, in the gap between two words, a new line starts: after the gap's spaces; with
/// no space, before an opening quote or bracket, else right at the next word.
fn break_point(text: &str, gap_start: usize, word_start: usize) -> usize {
    let gap = &text[gap_start..word_start];
    if let Some(i) = gap.rfind(char::is_whitespace) {
        let ws_len = gap[i..].chars().next().map_or(1, char::len_utf8);
        return gap_start + i + ws_len;
    }
    match gap.char_indices().last() {
        Some((i, '"' | '“' | '«' | '‘' | '(' | '[' | '„')) => gap_start + i,
        _ => word_start,
    }
}

#[cfg(test)]
mod tests {
    use super::restore;

    const PAGE: &str = "Menu\n\nOfficials in Kherson reported shelling of the Korabel district.\n\nTwo houses were damaged, the city said.\n\n\"We heard three blasts,\" a resident said.\nA second line after a break tag.";

    #[test]
    fn run_together_paragraphs_are_split_where_the_page_splits_them() {
        let text = "Officials in Kherson reported shelling of the Korabel district.Two houses were damaged, the city said. \"We heard three blasts,\" a resident said. A second line after a break tag.";
        assert_eq!(
            restore(text, PAGE),
            "Officials in Kherson reported shelling of the Korabel district.\n\nTwo houses were damaged, the city said.\n\n\"We heard three blasts,\" a resident said.\nA second line after a break tag."
        );
    }

    #[test]
    fn text_with_its_breaks_is_unchanged() {
        let text = "Officials in Kherson reported shelling of the Korabel district.\n\nTwo houses were damaged, the city said.";
        assert_eq!(restore(text, PAGE), text);
    }

    #[test]
    fn ambiguous_and_short_openings_add_nothing() {
        // "Two houses were damaged" occurs twice: no break is certain.
        let text = "Two houses were damaged in March. Two houses were damaged, the city said.";
        assert_eq!(restore(text, PAGE), text);
        assert_eq!(restore("Menu and more", PAGE), "Menu and more");
        assert_eq!(restore("", PAGE), "");
    }

    #[test]
    fn non_latin_text_splits_on_char_boundaries() {
        let page = "Удар по Сумам.\n\nВ пятницу вечером сообщили о взрывах.";
        assert_eq!(restore("Удар по Сумам.В пятницу вечером сообщили о взрывах.", page), "Удар по Сумам.\n\nВ пятницу вечером сообщили о взрывах.");
    }
}
