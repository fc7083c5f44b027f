//! Plain text with an optional metadata header.
//!
//! Two header shapes are read: the dev corpus's first line `date 2025-03-21` (which may
//! run straight on into the first sentence), and mail-style `title:`/`url:`/`outlet:`/
//! `date:` lines at the top (a bare `date 2025-03-21` line among them counts too). Header
//! lines are removed from the clean text.

use std::sync::OnceLock;

use regex::Regex;

use crate::dates::normalize_date;
use crate::formats::{clean_text, host_of};
use crate::{Article, Format, IngestError, ItemResult};

fn leading_date() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^\s*date:?[ \t]+(\d{4}-\d{2}-\d{2})(?:[ \t]+|\s*$|\s*\n)").unwrap())
}

fn header_line() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // `key: value`, or a bare `date 2025-03-21` line as in the first shape.
        Regex::new(r"(?i)^(?:(title|url|link|outlet|source|site|date|published|author)[ \t]*:[ \t]*(.*)|(date|published)[ \t]+(\d{4}-\d{2}-\d{2})[ \t]*)$").unwrap()
    })
}

pub fn read(origin: &str, raw: &str) -> ItemResult {
    let raw = raw.trim_start_matches('\u{feff}');
    let mut art = Article {
        title: None,
        url: None,
        outlet: None,
        published: None,
        text: String::new(),
        format: Format::Text,
        origin: origin.to_string(),
    };
    let mut body = raw;
    if let Some(m) = leading_date().captures(body) {
        art.published = normalize_date(&m[1]);
        body = &body[m.get(0).unwrap().end()..];
    } else {
        // Mail-style header: consecutive `key: value` lines at the very top.
        let mut consumed = 0usize;
        let mut saw_header = false;
        for line in body.split_inclusive('\n') {
            let trimmed = line.trim_end_matches(['\n', '\r']);
            if let Some(c) = header_line().captures(trimmed) {
                saw_header = true;
                let (key, value) = match (c.get(1), c.get(3)) {
                    (Some(k), _) => (k.as_str(), c[2].trim().to_string()),
                    (None, Some(k)) => (k.as_str(), c[4].to_string()),
                    (None, None) => unreachable!("the regex has two alternatives"),
                };
                if !value.is_empty() {
                    match key.to_ascii_lowercase().as_str() {
                        "title" => art.title = Some(value),
                        "url" | "link" => art.url = Some(value),
                        "outlet" | "source" | "site" => art.outlet = Some(value),
                        "date" | "published" => art.published = normalize_date(&value),
                        _ => {}
                    }
                }
                consumed += line.len();
            } else if saw_header && trimmed.trim().is_empty() {
                consumed += line.len();
                break;
            } else {
                break;
            }
        }
        body = &body[consumed..];
    }
    art.text = clean_text(body);
    if art.text.trim().is_empty() {
        return Err((origin.to_string(), IngestError::NoText("only a header".into())));
    }
    if art.outlet.is_none() {
        art.outlet = art.url.as_deref().and_then(host_of);
    }
    if art.title.is_none() {
        // A first line without a closing full stop reads as a headline.
        let first = art.text.lines().next().unwrap_or("").trim();
        if !first.is_empty() && first.chars().count() <= 200 && !first.ends_with(['.', '!', '?', '"', '”']) {
            art.title = Some(first.to_string());
        }
    }
    Ok(art)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_corpus_date_line_running_into_text() {
        let a = read("a.txt", " date 2025-03-21 Russian troops advanced near Sudzha.\n\nMore.").unwrap();
        assert_eq!(a.published.as_deref(), Some("2025-03-21"));
        assert_eq!(a.text, "Russian troops advanced near Sudzha.\n\nMore.");
    }

    #[test]
    fn date_line_on_its_own() {
        let a = read("a.txt", "date 2025-05-23\nHeadline about Sumy\nBody text.").unwrap();
        assert_eq!(a.published.as_deref(), Some("2025-05-23"));
        assert_eq!(a.title.as_deref(), Some("Headline about Sumy"));
        assert!(a.text.starts_with("Headline about Sumy\n"));
    }

    #[test]
    fn mail_style_header() {
        let a = read(
            "b.txt",
            "Title: Fighting near Kupiansk\nURL: https://www.example.org/news/1\nDate: March 21, 2025\n\nThe text.",
        )
        .unwrap();
        assert_eq!(a.title.as_deref(), Some("Fighting near Kupiansk"));
        assert_eq!(a.url.as_deref(), Some("https://www.example.org/news/1"));
        assert_eq!(a.outlet.as_deref(), Some("example.org"));
        assert_eq!(a.published.as_deref(), Some("2025-03-21"));
        assert_eq!(a.text, "The text.");
    }

    #[test]
    fn bare_date_line_among_header_lines() {
        let a = read("d.txt", "Title: Shelling of Kherson\ndate 2025-04-10\n\nThe text.").unwrap();
        assert_eq!(a.title.as_deref(), Some("Shelling of Kherson"));
        assert_eq!(a.published.as_deref(), Some("2025-04-10"));
        assert_eq!(a.text, "The text.");
    }

    #[test]
    fn unknown_date_stays_unknown_and_text_is_kept() {
        let a = read("c.txt", "date: sometime in spring\n\nThe text.").unwrap();
        assert_eq!(a.published, None);
        assert_eq!(a.text, "The text.");
    }

    #[test]
    fn header_without_body_is_rejected() {
        assert!(matches!(read("d.txt", "title: x\nurl: y\n"), Err((_, IngestError::NoText(_)))));
    }

    #[test]
    fn no_header_means_no_metadata() {
        let a = read("e.txt", "Kyiv said the attack was repelled.").unwrap();
        assert_eq!((a.published, a.title, a.outlet), (None, None, None));
    }
}
