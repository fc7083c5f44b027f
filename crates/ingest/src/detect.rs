//! Format detection by content first, extension second: a `.txt` that holds HTML is
//! read as HTML, and a feed saved as `.xml` or without extension is still a feed.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Html,
    Feed,
    #[serde(rename = "jsonl")]
    JsonLines,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Feed => "feed",
            Format::JsonLines => "jsonl",
        }
    }
}

/// Decide the format of decoded text. Only the first few KB are looked at.
pub fn detect(origin: &str, text: &str) -> Format {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let mut cut = text.len().min(4096);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let head_trim = &text[..cut];
    let lower = head_trim.to_ascii_lowercase();
    if lower.starts_with('{') {
        return Format::JsonLines;
    }
    if lower.starts_with('<') {
        // An XML prolog can front both feeds and XHTML: look for the root element.
        if lower.contains("<rss") || lower.contains("<feed") || lower.contains("<rdf:rdf") {
            return Format::Feed;
        }
        if lower.contains("<html") || lower.contains("<!doctype html") || lower.contains("<body")
            || lower.contains("<head") || lower.contains("<div") || lower.contains("<p")
            || lower.contains("<article")
        {
            return Format::Html;
        }
    }
    let ext = origin.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" | "xhtml" if lower.contains('<') => Format::Html,
        "rss" | "atom" | "xml" if lower.contains('<') => Format::Feed,
        "jsonl" | "ndjson" if lower.contains('{') => Format::JsonLines,
        _ => Format::Text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_beats_extension() {
        assert_eq!(detect("a.txt", "<!DOCTYPE html><html><body><p>x</p></body></html>"), Format::Html);
        assert_eq!(detect("feed", "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>"), Format::Feed);
        assert_eq!(detect("x.xml", "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">"), Format::Feed);
        assert_eq!(detect("a.html", "{\"text\": \"hello\"}\n"), Format::JsonLines);
        assert_eq!(detect("a.html", "date 2025-03-21 Plain words."), Format::Text);
        assert_eq!(detect("notes", "Kyiv said on Friday that..."), Format::Text);
    }
}
