//! RSS (0.9x, 1.0, 2.0), Atom and JSON Feed, parsed by feed-rs: one article per item.
//!
//! An item's HTML (content:encoded, an HTML description or summary) goes through the
//! fragment path of the HTML reader: every paragraph is kept, since a feed item's body
//! is short by nature, but boilerplate lines ("The post ... appeared first on ...") go.
//!
//! A feed cut off mid-file (an interrupted download) still gives the items that were
//! complete before the cut, followed by one error naming the cut.

use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, Utc};
use feed_rs::model::{Entry, Feed, Link, Text};
use regex::Regex;

use crate::dates::normalize_date;
use crate::formats::html::{fragment_to_text, inline_text};
use crate::formats::{clean_text, host_of};
use crate::{Article, Format, IngestError, ItemResult};

pub fn read(origin: &str, xml: &str) -> Vec<ItemResult> {
    let xml = without_encoding_declaration(xml);
    match parse(&xml) {
        Ok(feed) => {
            let mut items = articles(origin, &feed);
            if items.is_empty() {
                items.push(Err((origin.to_string(), IngestError::NoText("the feed has no items".into()))));
            }
            items
        }
        Err(e) => match salvage(&xml) {
            Some(feed) if !feed.entries.is_empty() => {
                let n = feed.entries.len();
                let mut items = articles(origin, &feed);
                let detail = format!("cut off after item {n} (the {n} complete items before the cut were read): {e}");
                items.push(Err((origin.to_string(), IngestError::Malformed { format: "feed", detail })));
                items
            }
            _ => vec![Err((origin.to_string(), IngestError::Malformed { format: "feed", detail: e }))],
        },
    }
}

fn parse(xml: &str) -> Result<Feed, String> {
    feed_rs::parser::Builder::new()
        .timestamp_parser(local_date_timestamp)
        .build()
        .parse(xml.as_bytes())
        .map_err(|e| match e {
            feed_rs::parser::ParseFeedError::ParseError(feed_rs::parser::ParseErrorKind::NoFeedRoot) => {
                "no RSS, Atom or JSON Feed root element".to_string()
            }
            other => other.to_string(),
        })
}

/// feed-rs hands dates over as UTC instants, which would move an item published at 01:15
/// in Kyiv to the previous day. So the date is read here, as written (see
/// [`normalize_date`]), and handed to feed-rs as midnight UTC of that date, which
/// [`item_date`] reads back unchanged.
fn local_date_timestamp(raw: &str) -> Option<DateTime<Utc>> {
    let date = NaiveDate::parse_from_str(&normalize_date(raw)?, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc())
}

fn item_date(ts: Option<DateTime<Utc>>) -> Option<String> {
    ts.map(|t| t.date_naive().format("%Y-%m-%d").to_string())
}

/// The text was decoded to UTF-8 already; an `encoding="windows-1251"` left in the XML
/// declaration would make feed-rs decode it a second time into mojibake.
fn without_encoding_declaration(xml: &str) -> std::borrow::Cow<'_, str> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r#"^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']"#).unwrap());
    re.replace(xml.trim_start_matches('\u{feff}'), "$1")
}

/// A truncated feed re-closed after its last complete item, if there is one.
fn salvage(xml: &str) -> Option<Feed> {
    let head: String = xml.chars().take(4096).collect::<String>().to_ascii_lowercase();
    let (item_end, closing) = if head.contains("<rdf:rdf") {
        ("</item>", "</rdf:RDF>")
    } else if head.contains("<rss") {
        ("</item>", "</channel></rss>")
    } else if head.contains("<feed") {
        ("</entry>", "</feed>")
    } else {
        return None;
    };
    let cut = xml.rfind(item_end)? + item_end.len();
    parse(&format!("{}{closing}", &xml[..cut])).ok()
}

fn articles(origin: &str, feed: &Feed) -> Vec<ItemResult> {
    let feed_outlet = feed
        .title
        .as_ref()
        .map(|t| inline_text(&t.content))
        .filter(|t| !t.is_empty())
        .or_else(|| page_link(&feed.links).and_then(host_of));
    feed.entries.iter().enumerate().map(|(i, entry)| article(&format!("{origin}#{}", i + 1), entry, feed_outlet.as_deref())).collect()
}

fn article(origin: &str, entry: &Entry, feed_outlet: Option<&str>) -> ItemResult {
    let url = page_link(&entry.links).map(str::to_string).or_else(|| entry.id.starts_with("http").then(|| entry.id.clone()));
    let content = entry.content.as_ref().and_then(|c| {
        let body = c.body.as_deref()?;
        Some(if c.content_type.to_string() == "text/plain" { clean_text(body) } else { fragment_to_text(body) })
    });
    let summary = entry.summary.as_ref().map(text_body);
    // The longer of the two: some feeds put the whole story in the description and a
    // teaser in content:encoded, others the reverse.
    let text = [content, summary].into_iter().flatten().max_by_key(|t| t.chars().count()).unwrap_or_default();
    if text.is_empty() {
        return Err((origin.to_string(), IngestError::NoText("feed item has no content or summary".into())));
    }
    Ok(Article {
        title: entry.title.as_ref().map(|t| inline_text(&t.content)).filter(|t| !t.is_empty()),
        outlet: feed_outlet.map(str::to_string).or_else(|| url.as_deref().and_then(host_of)),
        url,
        published: item_date(entry.published.or(entry.updated)),
        text,
        format: Format::Feed,
        origin: origin.to_string(),
    })
}

fn text_body(t: &Text) -> String {
    if t.content_type.to_string() == "text/plain" && !t.content.contains('<') {
        clean_text(&t.content)
    } else {
        fragment_to_text(&t.content)
    }
}

/// The link to the item's page: not its feed (`self`), a file (`enclosure`) or comments.
fn page_link(links: &[Link]) -> Option<&str> {
    links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate") && l.href.starts_with("http"))
        .map(|l| l.href.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Eastern Front Daily</title>
  <link>https://eastfront.example/</link>
  <description>News</description>
  <item>
    <title>Drone attack on Odesa port</title>
    <link>https://eastfront.example/2025/03/21/odesa</link>
    <guid isPermaLink="false">ef-1001</guid>
    <pubDate>Fri, 21 Mar 2025 01:15:00 +0300</pubDate>
    <description>&lt;p&gt;Russian drones struck port infrastructure in Odesa overnight, the regional governor said.&lt;/p&gt;&lt;p&gt;Two people were injured.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Evacuation ordered in Kupiansk district</title>
    <link>https://eastfront.example/2025/03/22/kupiansk</link>
    <pubDate>Sat, 22 Mar 2025 10:00:00 GMT</pubDate>
    <description>Short teaser.</description>
    <content:encoded><![CDATA[<p>Authorities ordered the evacuation of families with children from eleven villages in the Kupiansk district.</p>
<p>The regional administration said shelling had intensified.</p>
<p>The post Evacuation ordered in Kupiansk district appeared first on Eastern Front Daily.</p>]]></content:encoded>
  </item>
  <item>
    <title>Headline only</title>
    <link>https://eastfront.example/3</link>
  </item>
</channel>
</rss>"#;

    const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Border Watch</title>
  <link rel="self" href="https://borderwatch.example/feed.atom"/>
  <link rel="alternate" href="https://borderwatch.example/"/>
  <updated>2025-04-02T08:00:00Z</updated>
  <id>urn:uuid:feed</id>
  <entry>
    <title type="html">Shelling in Belgorod &amp;amp; Kursk regions</title>
    <link rel="alternate" type="text/html" href="https://borderwatch.example/a/1"/>
    <link rel="replies" href="https://borderwatch.example/a/1#comments"/>
    <id>urn:uuid:1</id>
    <updated>2025-04-02T00:30:00+03:00</updated>
    <summary type="html">&lt;p&gt;Officials reported shelling of border villages.&lt;/p&gt;</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Officials in Belgorod reported shelling of four border villages.</p><p>No casualties were reported.</p></div></content>
  </entry>
  <entry>
    <title>Plain summary entry</title>
    <link href="https://borderwatch.example/a/2"/>
    <id>urn:uuid:2</id>
    <published>2025-04-01T12:00:00Z</published>
    <updated>2025-04-03T12:00:00Z</updated>
    <summary>Plain text summary about a ceasefire proposal.</summary>
  </entry>
</feed>"#;

    #[test]
    fn rss_items_become_articles() {
        let items = read("feed.xml", RSS);
        assert_eq!(items.len(), 3);
        let a = items[0].as_ref().unwrap();
        assert_eq!(a.origin, "feed.xml#1");
        assert_eq!(a.title.as_deref(), Some("Drone attack on Odesa port"));
        assert_eq!(a.url.as_deref(), Some("https://eastfront.example/2025/03/21/odesa"));
        assert_eq!(a.outlet.as_deref(), Some("Eastern Front Daily"));
        assert_eq!(a.published.as_deref(), Some("2025-03-21"), "the local date, not the UTC one");
        assert_eq!(a.text, "Russian drones struck port infrastructure in Odesa overnight, the regional governor said.\n\nTwo people were injured.");
        assert_eq!(a.format, Format::Feed);

        let b = items[1].as_ref().unwrap();
        assert_eq!(b.published.as_deref(), Some("2025-03-22"));
        assert!(b.text.starts_with("Authorities ordered the evacuation"), "content:encoded beats the teaser: {:?}", b.text);
        assert!(!b.text.contains("appeared first on"), "{:?}", b.text);

        let (origin, err) = items[2].as_ref().unwrap_err();
        assert_eq!(origin, "feed.xml#3");
        assert!(matches!(err, IngestError::NoText(_)));
    }

    #[test]
    fn atom_entries_become_articles() {
        let items = read("atom.xml", ATOM);
        assert_eq!(items.len(), 2);
        let a = items[0].as_ref().unwrap();
        assert_eq!(a.title.as_deref(), Some("Shelling in Belgorod & Kursk regions"));
        assert_eq!(a.url.as_deref(), Some("https://borderwatch.example/a/1"));
        assert_eq!(a.outlet.as_deref(), Some("Border Watch"));
        assert_eq!(a.published.as_deref(), Some("2025-04-02"), "updated, as written, when there is no published");
        assert_eq!(a.text, "Officials in Belgorod reported shelling of four border villages.\n\nNo casualties were reported.");
        let b = items[1].as_ref().unwrap();
        assert_eq!(b.published.as_deref(), Some("2025-04-01"), "published beats updated");
        assert_eq!(b.text, "Plain text summary about a ceasefire proposal.");
    }

    #[test]
    fn truncated_feed_keeps_the_complete_items_and_reports_the_cut() {
        let cut = &RSS[..RSS.find("The regional administration said").unwrap()];
        let items = read("cut.xml", cut);
        assert_eq!(items.len(), 2, "{items:?}");
        assert_eq!(items[0].as_ref().unwrap().title.as_deref(), Some("Drone attack on Odesa port"));
        match &items[1] {
            Err((origin, IngestError::Malformed { format: "feed", detail })) => {
                assert_eq!(origin, "cut.xml");
                assert!(detail.contains("cut off after item 1"), "{detail}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn feed_cut_before_any_item_is_one_error() {
        let cut = &RSS[..RSS.find("<item>").unwrap() + 10];
        let items = read("cut.xml", cut);
        assert_eq!(items.len(), 1);
        assert!(matches!(&items[0], Err((_, IngestError::Malformed { format: "feed", .. }))), "{items:?}");
    }

    #[test]
    fn not_a_feed_is_malformed_with_a_clear_message() {
        let items = read("x.xml", "<?xml version=\"1.0\"?><urlset><url><loc>https://x.example/</loc></url></urlset>");
        match &items[..] {
            [Err((_, IngestError::Malformed { format: "feed", detail }))] => assert!(detail.contains("no RSS, Atom"), "{detail}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn declared_legacy_encoding_is_not_applied_twice() {
        let xml = RSS.replace("encoding=\"UTF-8\"", "encoding=\"windows-1251\"").replace("Eastern Front Daily", "Восточный фронт");
        let items = read("ru.xml", &xml);
        assert_eq!(items[0].as_ref().unwrap().outlet.as_deref(), Some("Восточный фронт"));
    }

    #[test]
    fn empty_channel_is_no_text() {
        let items = read("e.xml", "<rss version=\"2.0\"><channel><title>Nothing</title></channel></rss>");
        assert!(matches!(&items[..], [Err((_, IngestError::NoText(_)))]));
    }
}
