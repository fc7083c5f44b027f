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

/// Elements that, as the first element of a document, make it an HTML page (or a
/// fragment of one: a saved `<div>` or `<article>`).
const HTML_ROOTS: &[&str] = &[
    "html", "head", "body", "meta", "title", "link", "base", "script", "style", "div", "p", "article", "section",
    "main", "header", "nav", "span", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "a", "b", "i", "em",
    "strong", "font", "center", "br", "img", "figure", "form", "noscript", "iframe", "blockquote", "pre",
];

/// Decide the format of decoded text. Only the first few KB are looked at.
pub fn detect(origin: &str, text: &str) -> Format {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let mut cut = text.len().min(4096);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let head_trim = &text[..cut];
    let lower = head_trim.to_ascii_lowercase();
    if lower.starts_with('{') || (lower.starts_with('[') && lower[1..].trim_start().starts_with(['{', ']'])) {
        return Format::JsonLines;
    }
    if lower.starts_with('<') {
        if lower.starts_with("<!doctype html") {
            return Format::Html;
        }
        // The root element decides: an XML prolog can front both feeds and XHTML, and an
        // HTML page may mention `<feed` or `<rss` further down.
        match root_element(&lower).as_deref() {
            Some("rss" | "feed" | "rdf:rdf" | "rdf") => return Format::Feed,
            Some(name) if HTML_ROOTS.contains(&name) => return Format::Html,
            _ => {}
        }
    } else if lower.contains("<html") || lower.contains("<!doctype html") {
        // A saved page with a stray line before the markup.
        return Format::Html;
    }
    let ext = origin.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" | "xhtml" if lower.contains('<') => Format::Html,
        "rss" | "atom" | "xml" if lower.contains('<') => Format::Feed,
        "jsonl" | "ndjson" | "json" if lower.contains('{') => Format::JsonLines,
        _ => Format::Text,
    }
}

/// Name of the first element, after any XML declaration, processing instructions,
/// comments and doctype. `head` is lower-cased.
fn root_element(head: &str) -> Option<String> {
    let mut rest = head.trim_start();
    loop {
        if let Some(r) = rest.strip_prefix("<?") {
            rest = r.split_once("?>")?.1.trim_start();
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.split_once("-->")?.1.trim_start();
        } else if let Some(r) = rest.strip_prefix("<!") {
            rest = r.split_once('>')?.1.trim_start();
        } else {
            let r = rest.strip_prefix('<')?;
            let name: String = r.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_')).collect();
            return (!name.is_empty()).then_some(name);
        }
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

    #[test]
    fn the_root_element_decides() {
        // An HTML page that links its feed is still HTML.
        let page = "<?xml version=\"1.0\"?>\n<!-- saved -->\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><link rel=\"alternate\" type=\"application/rss+xml\"/><feed-widget/></head></html>";
        assert_eq!(detect("p", page), Format::Html);
        assert_eq!(detect("f", "<?xml version=\"1.0\"?>\n<?xml-stylesheet href=\"s.xsl\"?>\n<!-- c --><rss version=\"2.0\">"), Format::Feed);
        assert_eq!(detect("f", "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"), Format::Feed);
        assert_eq!(detect("frag", "<div class=\"story\"><p>Text.</p></div>"), Format::Html);
        assert_eq!(detect("x", "<<Breaking>> Kyiv said..."), Format::Text);
        assert_eq!(detect("saved", "Saved from the web\n<!DOCTYPE html><html><body>x</body></html>"), Format::Html);
    }

    #[test]
    fn json_arrays_and_json_extension() {
        assert_eq!(detect("a", "[\n  {\"text\": \"x\"}\n]"), Format::JsonLines);
        assert_eq!(detect("a.txt", "[Updated] Kyiv said..."), Format::Text);
        assert_eq!(detect("a.json", "  \n{\"text\": \"x\"}"), Format::JsonLines);
    }
}
