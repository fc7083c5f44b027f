//! Words and punctuation of a document, with byte spans, and the lookups the attribution
//! pass needs (which sentence, which paragraph block, how many words between two points).

use sitrep_language::{is_apostrophe, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokKind {
    Word,
    /// A double quotation mark of any style.
    Quote,
    Punct(char),
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    pub kind: TokKind,
}

pub(crate) fn is_quote_mark(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '«' | '»' | '‟')
}

/// Characters that may stand inside a word when a letter or digit follows ("Russia’s",
/// "Washington-based", "U.S").
fn joins(c: char) -> bool {
    matches!(c, '-' | '.' | '&') || is_apostrophe(c)
}

pub(crate) fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_alphanumeric() {
            let mut end = i + c.len_utf8();
            let mut has_dot = false;
            while let Some(&(j, d)) = it.peek() {
                if d.is_alphanumeric() {
                    end = j + d.len_utf8();
                    it.next();
                } else if joins(d) && text[j + d.len_utf8()..].chars().next().is_some_and(char::is_alphanumeric) {
                    has_dot |= d == '.';
                    end = j + d.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
            // "U.S." keeps its final dot.
            if has_dot && text[end..].starts_with('.') {
                it.next();
                end += 1;
            }
            toks.push(Tok { start: i, end, kind: TokKind::Word });
        } else if is_quote_mark(c) {
            toks.push(Tok { start: i, end: i + c.len_utf8(), kind: TokKind::Quote });
        } else {
            toks.push(Tok { start: i, end: i + c.len_utf8(), kind: TokKind::Punct(c) });
        }
    }
    toks
}

/// Paragraph blocks: the document's paragraphs, each further cut at single line breaks (many
/// extracted articles put one paragraph per line).
pub(crate) fn blocks(text: &str, paragraphs: &[Span]) -> Vec<Span> {
    let whole = [Span::new(0, text.len())];
    let paras: &[Span] = if paragraphs.is_empty() { &whole } else { paragraphs };
    let mut out = Vec::new();
    for p in paras {
        if p.end > text.len() || !text.is_char_boundary(p.start) || !text.is_char_boundary(p.end) {
            continue;
        }
        let mut start = p.start;
        for (i, _) in text[p.start..p.end].match_indices('\n') {
            push_trimmed(text, start, p.start + i, &mut out);
            start = p.start + i + 1;
        }
        push_trimmed(text, start, p.end, &mut out);
    }
    out
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(Span::new(start + lead, end - trail));
    }
}

/// Index of the span in sorted, disjoint `spans` that contains `pos`, else the last one that
/// starts before it.
pub(crate) fn locate(spans: &[Span], pos: usize) -> Option<usize> {
    let i = spans.partition_point(|s| s.start <= pos);
    i.checked_sub(1)
}

pub(crate) struct TokenIndex {
    pub toks: Vec<Tok>,
    /// words_before[i]: number of word tokens among toks[..i].
    words_before: Vec<u32>,
}

impl TokenIndex {
    pub fn new(text: &str) -> Self {
        let toks = tokenize(text);
        let mut words_before = Vec::with_capacity(toks.len() + 1);
        let mut n = 0u32;
        for t in &toks {
            words_before.push(n);
            if t.kind == TokKind::Word {
                n += 1;
            }
        }
        words_before.push(n);
        TokenIndex { toks, words_before }
    }

    /// First token starting at or after `pos`.
    pub fn at_or_after(&self, pos: usize) -> usize {
        self.toks.partition_point(|t| t.start < pos)
    }

    /// Token range [a, b) of the tokens inside `span`.
    pub fn range(&self, span: Span) -> (usize, usize) {
        let a = self.at_or_after(span.start);
        let b = self.toks.partition_point(|t| t.end <= span.end);
        (a, b.max(a))
    }

    /// Words that start in [from, to).
    pub fn words_between(&self, from: usize, to: usize) -> usize {
        if to <= from {
            return 0;
        }
        let a = self.at_or_after(from);
        let b = self.at_or_after(to);
        (self.words_before[b] - self.words_before[a]) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| &text[t.start..t.end]).collect()
    }

    #[test]
    fn keeps_abbreviations_possessives_and_hyphens_whole() {
        assert_eq!(
            words("a U.S. official, Russia’s army and a Washington-based group."),
            ["a", "U.S.", "official", ",", "Russia’s", "army", "and", "a", "Washington-based", "group", "."]
        );
        assert_eq!(words("“Go,” he said"), ["“", "Go", ",", "”", "he", "said"]);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for t in ["", "’", "a’", "U.", "«»", "é’é", "x-", "-x", "..."] {
            let _ = tokenize(t);
            let _ = blocks(t, &[]);
        }
    }

    #[test]
    fn blocks_split_paragraphs_at_line_breaks() {
        let t = "One. Two.\nThree.\n\nFour.";
        let b = blocks(t, &[Span::new(0, 16), Span::new(18, 23)]);
        let got: Vec<&str> = b.iter().map(|s| s.text(t)).collect();
        assert_eq!(got, ["One. Two.", "Three.", "Four."]);
    }
}
