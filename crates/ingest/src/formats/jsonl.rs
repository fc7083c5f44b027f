//! JSON Lines: one article per line, `{"text": ...}` or `{"html": ...}` with optional
//! `title`, `url`, `outlet`, `published` (the keys read for each field, aliases included,
//! are data: `lexicons/ingest/jsonl_fields.toml`).
//!
//! A bad line is an error for that line only (`path:LINE`), so one broken record in a
//! dump of thousands costs one record. Two whole-file shapes that start like JSON Lines
//! are also read: a JSON array of article objects, and a JSON Feed.

use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::dates::normalize_date;
use crate::formats::{clean_text, host_of};
use crate::{Article, Format, IngestError, ItemResult};

#[derive(Deserialize)]
struct FieldsFile {
    fields: Fields,
}

#[derive(Deserialize)]
struct Fields {
    text: Vec<String>,
    html: Vec<String>,
    title: Vec<String>,
    url: Vec<String>,
    outlet: Vec<String>,
    published: Vec<String>,
}

fn fields() -> &'static Fields {
    static FIELDS: OnceLock<FieldsFile> = OnceLock::new();
    // The embedded file is checked by this crate's tests: failing here is a build defect.
    &FIELDS
        .get_or_init(|| crate::Lexicons::embedded().parse("ingest/jsonl_fields.toml").unwrap_or_else(|e| panic!("{e:#}")))
        .fields
}

pub fn read(origin: &str, text: &str) -> Vec<ItemResult> {
    let text = text.trim_start_matches('\u{feff}');
    if let Some(items) = read_whole(origin, text) {
        return items;
    }
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            let line_origin = format!("{origin}:{}", i + 1);
            let result = parse_line(line.trim()).and_then(|obj| article(&line_origin, &obj));
            result.map_err(|e| (line_origin, e))
        })
        .collect()
}

/// A file whose first line is not a whole JSON value but which is one JSON document:
/// a pretty-printed object, an array of objects, or a JSON Feed.
fn read_whole(origin: &str, text: &str) -> Option<Vec<ItemResult>> {
    let first = text.lines().find(|l| !l.trim().is_empty())?;
    if serde_json::from_str::<Value>(first.trim()).is_ok() {
        return None;
    }
    let whole: Value = serde_json::from_str(text).ok()?;
    Some(match whole {
        Value::Object(obj) if obj.get("version").and_then(Value::as_str).is_some_and(|v| v.contains("jsonfeed.org")) => {
            crate::formats::feed::read(origin, text)
        }
        Value::Object(obj) => vec![article(origin, &obj).map_err(|e| (origin.to_string(), e))],
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                let item_origin = format!("{origin}#{}", i + 1);
                let result = match v {
                    Value::Object(obj) => article(&item_origin, &obj),
                    other => Err(malformed(format!("array item is {}, not an object", kind(&other)))),
                };
                result.map_err(|e| (item_origin, e))
            })
            .collect(),
        other => vec![Err((origin.to_string(), malformed(format!("the file is one JSON {}, not objects", kind(&other)))))],
    })
}

fn parse_line(line: &str) -> Result<Map<String, Value>, IngestError> {
    match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(obj)) => Ok(obj),
        Ok(other) => Err(malformed(format!("the line is {}, not a JSON object", kind(&other)))),
        Err(e) if e.is_eof() => Err(malformed("truncated: the line ends before its JSON object closes".into())),
        Err(e) => Err(malformed(format!("not JSON: {e}"))),
    }
}

fn article(origin: &str, obj: &Map<String, Value>) -> Result<Article, IngestError> {
    let f = fields();
    let title = string_field(obj, &f.title)?.filter(|s| !s.is_empty());
    let url = string_field(obj, &f.url)?.filter(|s| !s.is_empty());
    let outlet = string_field(obj, &f.outlet)?.filter(|s| !s.is_empty());
    let published = match string_field(obj, &f.published)?.filter(|s| !s.is_empty()) {
        Some(raw) => Some(normalize_date(&raw).ok_or_else(|| {
            malformed(format!("unrecognised date {raw:?} (use e.g. 2025-03-21, 2025-03-21T10:30:00+03:00 or 21 March 2025)"))
        })?),
        None => None,
    };
    let text = string_field(obj, &f.text)?.map(|t| clean_text(&t));
    let html = string_field(obj, &f.html)?.filter(|h| !h.is_empty());
    let mut art = match (text, html) {
        (Some(text), _) if !text.is_empty() => {
            Article { title: None, url: None, outlet: None, published: None, text, format: Format::JsonLines, origin: origin.to_string() }
        }
        (_, Some(html)) => {
            let page = crate::formats::html::read(origin, &html).map_err(|(_, e)| e)?;
            Article { format: Format::JsonLines, ..page }
        }
        (Some(_), None) => return Err(IngestError::NoText(format!("`{}` is empty", present_key(obj, &f.text)))),
        (None, None) => return Err(malformed(format!("no `{}` or `{}` field", f.text[0], f.html[0]))),
    };
    // The line's own fields beat what an HTML page says about itself.
    art.title = title.or(art.title);
    art.url = url.or(art.url);
    art.published = published.or(art.published);
    art.outlet = outlet.or(art.outlet).or_else(|| art.url.as_deref().and_then(host_of));
    Ok(art)
}

/// The first of `keys` that is present and not null, as a trimmed string (maybe empty).
fn string_field(obj: &Map<String, Value>, keys: &[String]) -> Result<Option<String>, IngestError> {
    for key in keys {
        match obj.get(key) {
            None | Some(Value::Null) => continue,
            Some(Value::String(s)) => return Ok(Some(s.trim().to_string())),
            Some(other) => return Err(malformed(format!("`{key}` must be a string, not {}", kind(other)))),
        }
    }
    Ok(None)
}

fn present_key<'a>(obj: &Map<String, Value>, keys: &'a [String]) -> &'a str {
    keys.iter().find(|k| obj.get(k.as_str()).is_some_and(|v| !v.is_null())).map_or("text", String::as_str)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn malformed(detail: String) -> IngestError {
    IngestError::Malformed { format: "jsonl", detail }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail(r: &ItemResult) -> String {
        match r {
            Err((_, e)) => e.to_string(),
            Ok(a) => panic!("expected an error, got {a:?}"),
        }
    }

    #[test]
    fn good_lines_become_articles_with_their_fields() {
        let input = concat!(
            r#"{"text": "Kyiv said 40 drones were downed overnight.\r\n\r\nThe attack targeted energy sites.", "title": "Overnight attack", "url": "https://www.kyivdesk.example/1", "published": "2025-03-21T01:15:00+02:00"}"#,
            "\n\n",
            r#"{"text": "Second report.", "outlet": "Desk", "published": "21 March 2025", "extra": [1, 2]}"#,
            "\n"
        );
        let items = read("dump.jsonl", input);
        assert_eq!(items.len(), 2);
        let a = items[0].as_ref().unwrap();
        assert_eq!(a.origin, "dump.jsonl:1");
        assert_eq!(a.text, "Kyiv said 40 drones were downed overnight.\n\nThe attack targeted energy sites.");
        assert_eq!(a.title.as_deref(), Some("Overnight attack"));
        assert_eq!(a.outlet.as_deref(), Some("kyivdesk.example"), "outlet falls back to the URL host");
        assert_eq!(a.published.as_deref(), Some("2025-03-21"));
        assert_eq!(a.format, Format::JsonLines);
        let b = items[1].as_ref().unwrap();
        assert_eq!(b.origin, "dump.jsonl:3", "line numbers count the blank line");
        assert_eq!((b.outlet.as_deref(), b.published.as_deref()), (Some("Desk"), Some("2025-03-21")));
    }

    #[test]
    fn html_lines_go_through_the_html_reader_and_line_fields_win() {
        let line = serde_json::json!({
            "html": "<html><head><meta property='og:title' content='Page title'><meta property='og:site_name' content='Page Outlet'></head><body><article><p>Ukrainian forces repelled an assault near Chasiv Yar, the brigade said.</p></article></body></html>",
            "title": "Line title"
        })
        .to_string();
        let items = read("h.jsonl", &line);
        let a = items[0].as_ref().unwrap();
        assert_eq!(a.text, "Ukrainian forces repelled an assault near Chasiv Yar, the brigade said.");
        assert_eq!(a.title.as_deref(), Some("Line title"));
        assert_eq!(a.outlet.as_deref(), Some("Page Outlet"));
        assert_eq!(a.format, Format::JsonLines);
    }

    #[test]
    fn bad_lines_are_errors_for_that_line_only() {
        let input = [
            r#"{"text": "Good one."}"#,
            r#"not json at all"#,
            r#"{"title": "no body"}"#,
            r#"{"text": 42}"#,
            r#"{"text": "ok", "title": ["a"]}"#,
            r#"["an", "array"]"#,
            r#"{"text": "ok", "published": "sometime"}"#,
            r#"{"text": "   "}"#,
            r#"{"text": "Good two."}"#,
            r#"{"text": "cut off in the mid"#,
        ]
        .join("\n");
        let items = read("d.jsonl", &input);
        assert_eq!(items.len(), 10);
        assert_eq!(items[0].as_ref().unwrap().text, "Good one.");
        assert_eq!(items[8].as_ref().unwrap().text, "Good two.");
        assert_eq!(items[1].as_ref().unwrap_err().0, "d.jsonl:2");
        assert!(detail(&items[1]).contains("not JSON"), "{}", detail(&items[1]));
        assert!(detail(&items[2]).contains("no `text` or `html` field"), "{}", detail(&items[2]));
        assert!(detail(&items[3]).contains("`text` must be a string, not a number"), "{}", detail(&items[3]));
        assert!(detail(&items[4]).contains("`title` must be a string, not an array"), "{}", detail(&items[4]));
        assert!(detail(&items[5]).contains("not a JSON object"), "{}", detail(&items[5]));
        assert!(detail(&items[6]).contains("unrecognised date \"sometime\""), "{}", detail(&items[6]));
        assert!(matches!(&items[7], Err((_, IngestError::NoText(_)))));
        assert_eq!(items[9].as_ref().unwrap_err().0, "d.jsonl:10");
        assert!(detail(&items[9]).contains("truncated"), "{}", detail(&items[9]));
    }

    #[test]
    fn news_export_field_names_are_read() {
        let line = r#"{"maintext": "Body text.", "headline": "H", "date_publish": "2025-03-21 10:30:00", "source_domain": "example.org", "publishedAt": null}"#;
        let a = read("np.jsonl", line).remove(0).unwrap();
        assert_eq!((a.text.as_str(), a.title.as_deref(), a.published.as_deref(), a.outlet.as_deref()), ("Body text.", Some("H"), Some("2025-03-21"), Some("example.org")));
    }

    #[test]
    fn pretty_printed_object_and_array_are_read_whole() {
        let a = read("one.json", "{\n  \"text\": \"Spread over lines.\",\n  \"title\": \"T\"\n}\n");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].as_ref().unwrap().text, "Spread over lines.");
        let items = read("many.json", "[\n {\"text\": \"One.\"},\n 7,\n {\"text\": \"Three.\"}\n]");
        assert_eq!(items.len(), 3);
        assert_eq!(items[2].as_ref().unwrap().origin, "many.json#3");
        assert!(detail(&items[1]).contains("not an object"));
    }

    #[test]
    fn json_feed_is_read_as_a_feed() {
        let feed = r#"{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "Frontline Notes",
  "items": [{"id": "1", "url": "https://frontline.example/1", "content_text": "Shelling was reported in Nikopol.", "date_published": "2025-02-10T09:00:00+02:00"}]
}"#;
        let items = read("f.json", feed);
        let a = items[0].as_ref().unwrap();
        assert_eq!((a.text.as_str(), a.outlet.as_deref(), a.published.as_deref()), ("Shelling was reported in Nikopol.", Some("Frontline Notes"), Some("2025-02-10")));
    }
}
