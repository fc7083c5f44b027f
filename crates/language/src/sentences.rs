//! Sentence splitting for news prose. (Filled in by the sentences work.)
use crate::Span;

/// Sentences of `text`, in order, as byte spans without surrounding white space.
pub fn split(text: &str) -> Vec<Span> {
    if text.trim().is_empty() { vec![] } else { vec![Span::new(0, text.len())] }
}

/// Paragraphs of `text` (blank-line separated), as byte spans.
pub fn paragraphs(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices("\n\n") {
        if text[start..i].trim().is_empty() {
            start = i + 2;
            continue;
        }
        out.push(Span::new(start, i));
        start = i + 2;
    }
    if !text[start..].trim().is_empty() {
        out.push(Span::new(start, text.len()));
    }
    out
}
