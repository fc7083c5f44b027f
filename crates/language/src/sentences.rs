//! Sentence splitting for news prose. (Filled in by the sentences work.)
use crate::Span;

/// Sentences of `text`, in order, as byte spans without surrounding white space.
pub fn split(text: &str) -> Vec<Span> {
    if text.trim().is_empty() { vec![] } else { vec![Span::new(0, text.len())] }
}
