//! Direct quotations: pairs of double quotation marks (straight, curly, guillemets, mixed as
//! extracted text often has them), possibly across sentences and, when each new paragraph reopens
//! the quote, across paragraphs. Quoted stretches of one to three words are scare quotes
//! ("buffer zone"), not quotations.

use sitrep_language::Span;

use super::text::{is_quote_mark, locate};

/// Scare quotes have at most this many words.
const SCARE_MAX_WORDS: usize = 3;

#[derive(Debug, Clone, Copy)]
pub(crate) struct QuoteSpan {
    /// Start of the opening mark.
    pub open: usize,
    /// End of the closing mark.
    pub close_end: usize,
    /// The quoted words, without the marks.
    pub inner: Span,
}

#[derive(PartialEq)]
enum Role {
    Open,
    Close,
}

fn role(text: &str, i: usize, c: char, open_now: bool) -> Role {
    match c {
        '“' | '„' | '«' | '‟' => Role::Open,
        '”' | '»' => Role::Close,
        _ => {
            let prev = text[..i].chars().next_back();
            let next = text[i + c.len_utf8()..].chars().next();
            let space_before = prev.is_none_or(|p| p.is_whitespace() || "([{—–-/".contains(p));
            let space_after = next.is_none_or(|n| n.is_whitespace() || ",.;:!?)]}—–".contains(n));
            match (space_before, space_after) {
                (true, false) => Role::Open,
                (false, true) => Role::Close,
                _ if open_now => Role::Close,
                _ => Role::Open,
            }
        }
    }
}

/// Quotations of `text`, in order. `blocks` are the paragraph blocks: a quotation still open at
/// the end of a block goes on only if the next block starts with an opening mark.
pub(crate) fn find(text: &str, blocks: &[Span]) -> Vec<QuoteSpan> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut open_block: Option<usize> = None;
    for (i, c) in text.char_indices().filter(|&(_, c)| is_quote_mark(c)) {
        let block = locate(blocks, i);
        if let (Some(_), Some(ob)) = (open, open_block) {
            if block != Some(ob) {
                // A new block: the quote continues only if this mark opens the block.
                let reopens = block
                    .and_then(|b| blocks.get(b))
                    .is_some_and(|b| b.start == i && role(text, i, c, false) == Role::Open);
                let adjacent = block.is_some_and(|b| b == ob + 1);
                if reopens && adjacent {
                    open_block = block;
                    continue;
                }
                open = None;
                open_block = None;
            }
        }
        match role(text, i, c, open.is_some()) {
            Role::Open => {
                // An opening mark while a quote is open in the same block: the earlier mark was
                // unbalanced; start again here.
                open = Some(i);
                open_block = block;
            }
            Role::Close => {
                if let Some(o) = open.take() {
                    open_block = None;
                    let mark_len = text[o..].chars().next().map_or(1, char::len_utf8);
                    let inner = Span::new(o + mark_len, i);
                    let words = text[inner.start..inner.end].split_whitespace().count();
                    if words > SCARE_MAX_WORDS {
                        out.push(QuoteSpan { open: o, close_end: i + c.len_utf8(), inner });
                    }
                }
            }
        }
    }
    out
}

/// The quotation whose inner span contains `pos`.
pub(crate) fn containing(quotes: &[QuoteSpan], pos: usize) -> Option<usize> {
    let i = quotes.partition_point(|q| q.inner.start <= pos);
    let i = i.checked_sub(1)?;
    (pos < quotes[i].inner.end).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::text::blocks;

    fn quoted(text: &str) -> Vec<&str> {
        let b = blocks(text, &[]);
        find(text, &b).iter().map(|q| q.inner.text(text)).collect()
    }

    #[test]
    fn straight_curly_mixed_and_guillemets() {
        assert_eq!(quoted("He said “we will hold the line there.” Then"), ["we will hold the line there."]);
        assert_eq!(quoted("He said \"we will hold the line there,\" and left"), ["we will hold the line there,"]);
        assert_eq!(quoted("\"We will hold the line there,” he said."), ["We will hold the line there,"]);
        assert_eq!(quoted("Il a dit «nous tiendrons cette ligne là»."), ["nous tiendrons cette ligne là"]);
    }

    #[test]
    fn scare_quotes_are_not_quotations() {
        assert!(quoted("a so-called “security belt” along the river").is_empty());
        assert!(quoted("troops were “neutralised” overnight").is_empty());
    }

    #[test]
    fn a_quote_reopened_in_the_next_paragraph_goes_on() {
        let t = "“The first part of what I say runs long.\n“And the second part ends here,” she said.";
        let q = quoted(t);
        assert_eq!(q.len(), 1);
        assert!(q[0].starts_with("The first") && q[0].ends_with("ends here,"));
    }

    #[test]
    fn an_unclosed_quote_ends_with_its_paragraph() {
        let t = "“This quote never closes at all.\nA new paragraph with “four words in quotes” here.";
        assert_eq!(quoted(t), ["four words in quotes"]);
    }
}
