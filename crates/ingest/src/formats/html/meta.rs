//! Page metadata (title, canonical URL, outlet, publication date) from `<meta>` tags,
//! `<link>`s, JSON-LD and a few DOM conventions. Which sources are read, and in which
//! order, is data: `lexicons/ingest/html_meta.toml`.

use std::collections::HashMap;
use std::sync::OnceLock;

use dom_query::{Document, Selection};
use regex::Regex;
use serde::Deserialize;
use serde_json::Value;

use crate::dates::normalize_date;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageMeta {
    pub title: Option<String>,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
}

#[derive(Deserialize)]
struct MetaFile {
    sources: MetaSources,
    jsonld: JsonLdTypes,
    dates: DateLabels,
}

#[derive(Deserialize)]
struct DateLabels {
    labels: Vec<String>,
}

#[derive(Deserialize)]
struct MetaSources {
    title: Vec<String>,
    url: Vec<String>,
    outlet: Vec<String>,
    published: Vec<String>,
}

#[derive(Deserialize)]
struct JsonLdTypes {
    types: Vec<String>,
}

fn lexicon() -> &'static MetaFile {
    static FILE: OnceLock<MetaFile> = OnceLock::new();
    // The embedded file is checked by this crate's tests: failing here is a build defect.
    FILE.get_or_init(|| crate::Lexicons::embedded().parse("ingest/html_meta.toml").unwrap_or_else(|e| panic!("{e:#}")))
}

fn sources() -> &'static MetaSources {
    &lexicon().sources
}

/// Read the metadata of a parsed page.
pub fn page_meta(doc: &Document) -> PageMeta {
    let page = Page::new(doc);
    let src = sources();
    let url = first_valid(&page, &src.url, |v| is_absolute_http(&v).then_some(v));
    let outlet = first_valid(&page, &src.outlet, |v| (v.chars().count() <= 120).then_some(v));
    let title = first_valid(&page, &src.title, Some).map(|t| strip_site_suffix(t, outlet.as_deref()));
    let published = first_valid(&page, &src.published, |v| normalize_date(without_date_label(&v)));
    let published = reconcile_with_url_date(published, url.as_deref().and_then(url_date));
    PageMeta { title, url, outlet, published }
}

/// The date in an article URL's path (`/2025/03/21/`, `/2025-03-21/`), which news CMSs
/// set from the publication time in the outlet's own zone.
fn url_date(url: &str) -> Option<jiff::civil::Date> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"/((?:19|20)\d\d)(?:/(\d{1,2})/(\d{1,2})|-(\d\d)-(\d\d))(?:/|$)").unwrap());
    let path = url.split(['?', '#']).next()?;
    let c = re.captures(path)?;
    let month = c.get(2).or_else(|| c.get(4))?.as_str().parse().ok()?;
    let day = c.get(3).or_else(|| c.get(5))?.as_str().parse().ok()?;
    jiff::civil::Date::new(c[1].parse().ok()?, month, day).ok()
}

/// Many sites write their timestamps in UTC, which puts an evening story in New York on
/// the next day. When the URL's date is the day before or after the metadata's, the URL
/// has the outlet's local date and wins; with no metadata date, the URL's is taken; when
/// they are further apart (a story republished later) the metadata's stands.
fn reconcile_with_url_date(published: Option<String>, from_url: Option<jiff::civil::Date>) -> Option<String> {
    let Some(from_url) = from_url else { return published };
    let Some(meta) = published.as_deref().and_then(|d| d.parse::<jiff::civil::Date>().ok()) else {
        return Some(from_url.to_string());
    };
    let apart = (meta - from_url).get_days().abs();
    Some(if apart <= 1 { from_url } else { meta }.to_string())
}

fn first_valid(page: &Page, sources: &[String], accept: impl Fn(String) -> Option<String>) -> Option<String> {
    sources.iter().find_map(|source| page.values(source).into_iter().map(|v| collapse_ws(&v)).filter(|v| !v.is_empty()).find_map(&accept))
}

/// The parts of a page metadata is read from, indexed once.
struct Page<'a> {
    doc: &'a Document,
    /// `<meta>` content by lower-cased property/name/itemprop; the first tag wins.
    metas: HashMap<String, String>,
    jsonld: JsonLd,
}

impl<'a> Page<'a> {
    fn new(doc: &'a Document) -> Self {
        let mut metas = HashMap::new();
        for node in doc.select("meta[content]").nodes() {
            let Some(content) = node.attr("content") else { continue };
            for key_attr in ["property", "name", "itemprop"] {
                if let Some(key) = node.attr(key_attr) {
                    metas.entry(key.trim().to_lowercase()).or_insert_with(|| content.to_string());
                }
            }
        }
        let scripts = doc.select(r#"script[type="application/ld+json"]"#).nodes().iter().map(|n| n.text().to_string()).collect::<Vec<_>>();
        Page { doc, metas, jsonld: JsonLd::parse(&scripts, &lexicon().jsonld.types) }
    }

    /// Candidate values of one source, best first.
    fn values(&self, source: &str) -> Vec<String> {
        if let Some(name) = source.strip_prefix("meta:") {
            return self.metas.get(&name.to_lowercase()).cloned().into_iter().collect();
        }
        if let Some(rel) = source.strip_prefix("link:") {
            return self
                .doc
                .select("link[rel][href]")
                .nodes()
                .iter()
                .filter(|n| n.attr("rel").is_some_and(|r| r.split_ascii_whitespace().any(|x| x.eq_ignore_ascii_case(rel))))
                .filter_map(|n| n.attr("href").map(|h| h.to_string()))
                .take(1)
                .collect();
        }
        if let Some(path) = source.strip_prefix("jsonld:") {
            return self.jsonld.lookup(None, path).into_iter().collect();
        }
        if let Some(rest) = source.strip_prefix("jsonld[") {
            if let Some((ty, path)) = rest.split_once("]:") {
                return self.jsonld.lookup(Some(ty), path).into_iter().collect();
            }
            return Vec::new();
        }
        if let Some(name) = source.strip_prefix("itemprop:") {
            let nodes = self.doc.select("[itemprop]");
            let matching = nodes.nodes().iter().filter(|n| n.attr("itemprop").is_some_and(|p| p.trim().eq_ignore_ascii_case(name)));
            return matching.take(3).filter_map(|n| element_value(&Selection::from(*n))).collect();
        }
        if let Some(selector) = source.strip_prefix("css:") {
            let Some(sel) = self.doc.try_select(selector) else { return Vec::new() };
            return sel.nodes().iter().take(3).filter_map(|n| element_value(&Selection::from(*n))).collect();
        }
        match source {
            "title" => self.doc.select("title").nodes().first().map(|n| n.text().to_string()).into_iter().collect(),
            "time" => self.article_time().into_iter().collect(),
            _ => Vec::new(),
        }
    }

    /// The `<time datetime>` that dates the article: one marked as the publication time,
    /// else the first inside `<article>`/`<main>`, else the page's only one. A page with
    /// many loose `<time>`s (a news list, a sidebar) gives none.
    fn article_time(&self) -> Option<String> {
        let datetime = |s: Selection| s.nodes().first().and_then(|n| n.attr("datetime")).map(|d| d.to_string());
        datetime(self.doc.select("time[datetime][pubdate], time[datetime][itemprop=datePublished]"))
            .or_else(|| datetime(self.doc.select("article time[datetime], main time[datetime]")))
            .or_else(|| {
                let all = self.doc.select("time[datetime]");
                (all.length() == 1).then(|| datetime(all)).flatten()
            })
    }
}

/// What an element says: `content`, `datetime`, `value` (a hidden input), else its
/// text if short.
fn element_value(el: &Selection) -> Option<String> {
    if let Some(v) = el.attr("content").or_else(|| el.attr("datetime")).or_else(|| el.attr("value")) {
        return Some(v.to_string());
    }
    let text = el.text();
    (text.trim().chars().count() <= 100).then(|| text.to_string())
}

/// JSON-LD objects of the page, flattened out of arrays, `@graph` and `mainEntity`.
struct JsonLd {
    /// (rank of its type in the lexicon's list, or `None` when unlisted; object)
    objects: Vec<(Option<usize>, Vec<String>, Value)>,
    by_id: HashMap<String, Value>,
}

impl JsonLd {
    fn parse(scripts: &[String], ranked_types: &[String]) -> Self {
        let mut flat = Vec::new();
        for script in scripts {
            if let Some(v) = parse_lenient(script) {
                flatten(v, &mut flat, 0);
            }
        }
        let mut by_id = HashMap::new();
        let mut objects = Vec::new();
        for obj in flat {
            if let Some(id) = obj.get("@id").and_then(Value::as_str) {
                // Keep the fullest description of an id (a bare `{"@id": ...}` is a reference).
                let fuller = by_id.get(id).is_none_or(|old: &Value| old.as_object().map_or(0, |o| o.len()) < obj.as_object().map_or(0, |o| o.len()));
                if fuller {
                    by_id.insert(id.to_string(), obj.clone());
                }
            }
            let types = types_of(&obj);
            let rank = types.iter().filter_map(|t| ranked_types.iter().position(|r| r.eq_ignore_ascii_case(t))).min();
            objects.push((rank, types, obj));
        }
        // Best-ranked type first; the page order among equals.
        objects.sort_by_key(|(rank, _, _)| rank.unwrap_or(usize::MAX));
        JsonLd { objects, by_id }
    }

    /// The value at `path` in the best object that has one: of type `only` if given,
    /// else of any ranked type.
    fn lookup(&self, only: Option<&str>, path: &str) -> Option<String> {
        self.objects
            .iter()
            .filter(|(rank, types, _)| match only {
                Some(t) => types.iter().any(|x| x.eq_ignore_ascii_case(t)),
                None => rank.is_some(),
            })
            .find_map(|(_, _, obj)| self.resolve(obj, path))
    }

    fn resolve(&self, obj: &Value, path: &str) -> Option<String> {
        let mut cur = obj.clone();
        for step in path.split('.') {
            cur = first_of(cur);
            let next = match cur.get(step) {
                Some(v) => v.clone(),
                // A reference (`"publisher": {"@id": "#org"}`): look the full object up.
                None => {
                    let id = cur.get("@id").and_then(Value::as_str)?;
                    self.by_id.get(id)?.get(step)?.clone()
                }
            };
            cur = next;
        }
        match first_of(cur) {
            // JSON-LD strings often carry HTML entities (`&#8217;`, `&amp;`).
            Value::String(s) => Some(super::inline_text(&s)),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

fn first_of(v: Value) -> Value {
    match v {
        Value::Array(mut items) if !items.is_empty() => items.swap_remove(0),
        other => other,
    }
}

fn flatten(v: Value, out: &mut Vec<Value>, depth: usize) {
    // Real pages nest two or three levels; the bound only guards against hostile input.
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(items) => items.into_iter().for_each(|i| flatten(i, out, depth + 1)),
        Value::Object(mut map) => {
            for key in ["@graph", "mainEntity"] {
                if let Some(inner) = map.remove(key) {
                    flatten(inner, out, depth + 1);
                }
            }
            if map.contains_key("@type") || map.contains_key("@id") {
                out.push(Value::Object(map));
            }
        }
        _ => {}
    }
}

/// `@type` as bare names: `"NewsArticle"`, `["Article", "NewsArticle"]`, `"http://schema.org/NewsArticle"`.
fn types_of(obj: &Value) -> Vec<String> {
    let bare = |s: &str| s.rsplit(['/', ':', '#']).next().unwrap_or(s).to_string();
    match obj.get("@type") {
        Some(Value::String(s)) => vec![bare(s)],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(bare).collect(),
        _ => Vec::new(),
    }
}

/// JSON-LD as sites write it: wrapped in HTML comments or CDATA, with trailing commas,
/// comments and raw line breaks inside strings (serde_json_lenient's quirks mode).
fn parse_lenient(script: &str) -> Option<Value> {
    let s = script.trim();
    let s = s.strip_prefix("<!--").unwrap_or(s).trim();
    let s = s.strip_suffix("-->").unwrap_or(s).trim();
    let s = s.strip_prefix("//<![CDATA[").or_else(|| s.strip_prefix("<![CDATA[")).unwrap_or(s).trim();
    let s = s.strip_suffix("//]]>").or_else(|| s.strip_suffix("]]>")).unwrap_or(s).trim();
    let s = s.strip_suffix(';').unwrap_or(s);
    serde_json_lenient::from_str_lenient(s).ok()
}

/// `Published: 12 January 2025` -> `12 January 2025`.
fn without_date_label(value: &str) -> &str {
    for label in &lexicon().dates.labels {
        let head = value.get(..label.len());
        if head.is_some_and(|h| h.eq_ignore_ascii_case(label) || h.to_lowercase() == *label) {
            return value[label.len()..].trim_start_matches([':', ' ', '\u{a0}']);
        }
    }
    value
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_absolute_http(url: &str) -> bool {
    (url.starts_with("http://") || url.starts_with("https://")) && crate::formats::host_of(url).is_some()
}

/// `Headline | The Outlet` -> `Headline`, only when the suffix is the outlet's own name.
fn strip_site_suffix(title: String, outlet: Option<&str>) -> String {
    let Some(outlet) = outlet else { return title };
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · "] {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            if tail.trim().eq_ignore_ascii_case(outlet.trim()) && !head.trim().is_empty() {
                return head.trim().to_string();
            }
        }
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(html: &str) -> PageMeta {
        page_meta(&Document::from(html))
    }

    #[test]
    fn open_graph_and_article_tags() {
        let m = meta(
            r#"<html><head><title>Strike on Kharkiv | Example Post</title>
            <meta property="og:title" content="Strike on Kharkiv kills two">
            <meta property="og:site_name" content="Example Post">
            <meta property="og:url" content="https://www.examplepost.org/news/strike">
            <meta property="article:published_time" content="2025-03-21T01:15:00+02:00">
            <meta property="article:modified_time" content="2025-03-23T09:00:00Z">
            </head><body></body></html>"#,
        );
        assert_eq!(m.title.as_deref(), Some("Strike on Kharkiv kills two"));
        assert_eq!(m.outlet.as_deref(), Some("Example Post"));
        assert_eq!(m.url.as_deref(), Some("https://www.examplepost.org/news/strike"));
        assert_eq!(m.published.as_deref(), Some("2025-03-21"));
    }

    #[test]
    fn json_ld_graph_with_publisher_reference() {
        let m = meta(
            r##"<html><head><title>Page</title>
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","@id":"https://ex.org/#site","name":"Example Site","url":"https://ex.org/"},
              {"@type":"Organization","@id":"https://ex.org/#org","name":"Example Media Group"},
              {"@type":"NewsArticle","headline":"Drones hit Odesa port &#8211; officials","datePublished":"2025-05-02T23:40:00+03:00",
               "publisher":{"@id":"https://ex.org/#org"},"mainEntityOfPage":{"@id":"https://ex.org/2025/05/02/odesa"}}
            ]}</script></head><body></body></html>"##,
        );
        assert_eq!(m.title.as_deref(), Some("Drones hit Odesa port – officials"));
        assert_eq!(m.outlet.as_deref(), Some("Example Media Group"));
        assert_eq!(m.published.as_deref(), Some("2025-05-02"));
        assert_eq!(m.url.as_deref(), Some("https://ex.org/2025/05/02/odesa"));
    }

    #[test]
    fn json_ld_wrapped_in_a_comment_with_raw_newlines_and_trailing_commas() {
        let m = meta(
            "<html><head><script type=\"application/ld+json\"><!--\n[{\"@type\": [\"NewsArticle\"], \"headline\": \"Line one\nline two\", \"datePublished\": \"March 4, 2025\",}, ]\n--></script></head></html>",
        );
        assert_eq!(m.title.as_deref(), Some("Line one line two"));
        assert_eq!(m.published.as_deref(), Some("2025-03-04"));
    }

    #[test]
    fn canonical_link_beats_og_url_and_relative_ones_are_skipped() {
        let m = meta(r#"<head><link rel="canonical" href="https://ex.org/a"><meta property="og:url" content="https://ex.org/b"></head>"#);
        assert_eq!(m.url.as_deref(), Some("https://ex.org/a"));
        let m = meta(r#"<head><link rel="canonical" href="/a"><meta property="og:url" content="https://ex.org/b"></head>"#);
        assert_eq!(m.url.as_deref(), Some("https://ex.org/b"));
    }

    #[test]
    fn title_element_loses_the_outlet_suffix() {
        let m = meta(r#"<head><title>Fighting near Pokrovsk – Example Daily</title><meta name="application-name" content="Example Daily"></head>"#);
        assert_eq!(m.title.as_deref(), Some("Fighting near Pokrovsk"));
        // Without a known outlet the title is kept whole.
        let m = meta("<head><title>Fighting near Pokrovsk – Day 3</title></head>");
        assert_eq!(m.title.as_deref(), Some("Fighting near Pokrovsk – Day 3"));
    }

    #[test]
    fn dates_from_meta_names_time_elements_and_bylines() {
        assert_eq!(meta(r#"<head><meta name="DC.date.issued" content="2024-11-30"></head>"#).published.as_deref(), Some("2024-11-30"));
        assert_eq!(meta(r#"<head><meta name="pubdate" content="20241130"></head>"#).published, None);
        let html = r#"<body><aside><time datetime="2020-01-01">old</time></aside>
            <article><h1>x</h1><time datetime="2024-12-01T08:00:00+02:00">1 Dec</time></article></body>"#;
        assert_eq!(meta(html).published.as_deref(), Some("2024-12-01"));
        let html = r#"<body><p class="post-date-line">Published: Monday, January 13th, 2025 at 11:08 a.m.</p></body>"#;
        assert_eq!(meta(html).published.as_deref(), Some("2025-01-13"));
        let html = r#"<body><div class="article_date">January 12, 2025 - 11:28 AMT</div><input class="published_date" type="hidden" value="2025-01-11 23:41:18"></body>"#;
        assert_eq!(meta(html).published.as_deref(), Some("2025-01-11"), "the hidden input is listed first");
        let html = r#"<body><span class="post-date">Updated: 14 January 2025</span></body>"#;
        assert_eq!(meta(html).published, None, "an update date is not a publication date");
    }

    #[test]
    fn a_utc_timestamp_yields_to_the_local_date_in_the_url() {
        let page = |url: &str, date: &str| {
            meta(&format!(r#"<head><link rel="canonical" href="{url}"><meta property="article:published_time" content="{date}"></head>"#)).published
        };
        assert_eq!(page("https://ex.org/2025/03/20/story/", "2025-03-21T02:30:00Z").as_deref(), Some("2025-03-20"));
        assert_eq!(page("https://ex.org/news/story/2025-03-20/slug", "2025-03-21T02:30:00Z").as_deref(), Some("2025-03-20"));
        assert_eq!(page("https://ex.org/2025/3/20/12345/slug", "").as_deref(), Some("2025-03-20"), "no metadata date: the URL's");
        assert_eq!(page("https://ex.org/2024/01/05/story/", "2025-03-21T02:30:00Z").as_deref(), Some("2025-03-21"), "far apart: metadata");
        assert_eq!(page("https://ex.org/report-2025-03-20-final", "2025-03-22").as_deref(), Some("2025-03-22"), "not a path segment");
        assert_eq!(page("https://ex.org/2025/13/40/x", "").as_deref(), None);
    }

    #[test]
    fn loose_times_in_a_list_give_no_date() {
        let html = r#"<body><ul><li><time datetime="2025-01-01">a</time></li><li><time datetime="2025-01-02">b</time></li></ul></body>"#;
        assert_eq!(meta(html).published, None);
    }

    #[test]
    fn broken_json_ld_is_ignored() {
        let m = meta(r#"<head><script type="application/ld+json">{"@type": "NewsArticle", "headline": </script><title>Kept</title></head>"#);
        assert_eq!(m.title.as_deref(), Some("Kept"));
    }

    #[test]
    fn every_css_source_in_the_lexicon_parses() {
        for s in sources().title.iter().chain(&sources().url).chain(&sources().outlet).chain(&sources().published) {
            if let Some(sel) = s.strip_prefix("css:") {
                assert!(dom_query::Matcher::new(sel).is_ok(), "{s}");
            } else {
                let known = ["meta:", "link:", "jsonld:", "jsonld[", "itemprop:"].iter().any(|p| s.starts_with(p)) || matches!(s.as_str(), "title" | "time");
                assert!(known, "unknown source kind {s}");
            }
        }
    }
}
