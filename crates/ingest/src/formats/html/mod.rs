//! HTML pages: main-content extraction with rs-trafilatura, metadata from the page's
//! tags ([`meta`]), boilerplate lines dropped ([`crate::formats::boilerplate`]).
//!
//! When trafilatura finds no main block (a page of two short paragraphs, HTML cut off
//! early) the page's own paragraphs are taken instead, with navigation, headers,
//! footers, asides and link lists removed, so a page with text always yields text.
//!
//! Of trafilatura's own metadata only the title is used, as a last resort: on test pages
//! its site name came from a navigation bar ("Home World") and its date could be the
//! modification date, moved to UTC.

mod breaks;
pub mod meta;

use std::panic::{catch_unwind, AssertUnwindSafe};

use dom_query::{Document, NodeRef, Selection};

use crate::formats::boilerplate::strip_boilerplate;
use crate::formats::{clean_text, host_of};
use crate::{Article, Format, IngestError, ItemResult};

/// Elements that never hold article text, in a page or in a feed item's HTML.
const NEVER_TEXT: &str = "script, style, noscript, template, iframe, svg, canvas, object, embed, button, select, input, textarea, head";

/// Page furniture removed before the whole-page fallback reads paragraphs.
/// (Not `form`: ASP.NET pages wrap the whole body in one.)
const PAGE_FURNITURE: &str = "nav, header, footer, aside, menu, dialog, [role=navigation], [role=banner], [role=contentinfo], [role=complementary], [aria-hidden=true], [hidden]";

/// Deepest element nesting handed to rs-trafilatura, whose run time grows with the square
/// of the depth (seconds at a few thousand levels). Real pages nest well under a hundred;
/// deeper ones are hostile or broken and get the page-paragraph fallback.
const MAX_EXTRACTION_DEPTH: usize = 400;

pub fn read(origin: &str, html: &str) -> ItemResult {
    let doc = Document::from(html);
    let meta = meta::page_meta(&doc);
    let page_title = doc.select("title").nodes().first().map(|n| n.text().trim().to_string()).unwrap_or_default();
    let extracted = (nesting_depth(&doc) <= MAX_EXTRACTION_DEPTH).then(|| extract_main(html)).flatten();
    doc.select(NEVER_TEXT).remove();
    let mut text = match &extracted {
        Some(r) => clean_text(&strip_boilerplate(&breaks::restore(&r.content_text, &body_text(&doc)))),
        None => String::new(),
    };
    if !has_words_besides(&text, &page_title) {
        text = page_paragraphs(&doc);
    }
    if text.is_empty() {
        return Err((origin.to_string(), IngestError::NoText("the page has no paragraphs outside navigation and boilerplate".into())));
    }
    let found_title = extracted.and_then(|r| r.metadata.title).map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    let outlet = meta.outlet.or_else(|| meta.url.as_deref().and_then(host_of)).or_else(|| host_of(origin));
    Ok(Article {
        title: meta.title.or(found_title),
        url: meta.url,
        outlet,
        published: meta.published,
        text,
        format: Format::Html,
        origin: origin.to_string(),
    })
}

/// rs-trafilatura's main content. `None` if it fails or panics: it is third-party code
/// run on hostile input, and one bad page must not take down a batch.
///
/// The page URL is not passed: rs-trafilatura uses it only to guess the page type
/// (forum, product, ...), and on the article-extraction benchmark that guess turned one
/// news page into a listing and kept five times the text.
fn extract_main(html: &str) -> Option<rs_trafilatura::ExtractResult> {
    let options = rs_trafilatura::Options {
        // The crate truncates at this many *bytes*, which can split a character; the
        // input size is already bounded by MAX_INPUT_BYTES.
        max_extracted_len: usize::MAX,
        ..rs_trafilatura::Options::default()
    };
    catch_unwind(AssertUnwindSafe(|| rs_trafilatura::extract_with_options(html, &options))).ok()?.ok()
}

fn nesting_depth(doc: &Document) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(doc.root(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        stack.extend(node.children_it(false).filter(|c| c.is_element()).map(|c| (c, depth + 1)));
    }
    deepest
}

/// trafilatura's last-resort rescue of a page without a main block can return just the
/// `<title>`, repeated: that is not article text.
fn has_words_besides(text: &str, title: &str) -> bool {
    let rest = if title.is_empty() { text.to_string() } else { text.replace(title, " ") };
    rest.chars().any(char::is_alphanumeric)
}

/// Clean text of an HTML fragment (a feed item's content, a JSONL `html` field):
/// every paragraph kept, since a short body is still the whole body.
pub fn fragment_to_text(html: &str) -> String {
    let doc = Document::fragment(html);
    doc.select(NEVER_TEXT).remove();
    clean_text(&strip_boilerplate(&block_text(&doc.root())))
}

/// One line of text from a snippet that may hold entities or inline tags (a feed title
/// of type html, a JSON-LD string): entities decoded, tags dropped, spaces collapsed.
pub fn inline_text(s: &str) -> String {
    if !s.contains(['&', '<']) {
        return s.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    block_text(&Document::fragment(s).root()).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of the page's body, blocks apart, as a reader sees them.
fn body_text(doc: &Document) -> String {
    match doc.select("body").nodes().first() {
        Some(body) => block_text(body),
        None => block_text(&doc.root()),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Break {
    None,
    Space,
    Line,
    Block,
}

fn break_of(element: &str) -> Break {
    match element {
        "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "article" | "section" | "main" | "header"
        | "footer" | "aside" | "nav" | "figure" | "figcaption" | "ul" | "ol" | "dl" | "table" | "form" | "fieldset"
        | "address" | "details" | "summary" | "dialog" | "hr" | "center" | "caption" | "hgroup" | "body" | "html" => Break::Block,
        "li" | "tr" | "dt" | "dd" | "br" | "option" | "legend" => Break::Line,
        "td" | "th" => Break::Space,
        _ => Break::None,
    }
}

/// Text of a node with blocks separated by a blank line and `<br>`/`<li>`/`<tr>` lines
/// by a line break, runs of white space folded to one space. Written here rather than
/// using dom_query's `formatted_text`, whose time grows with the square of the text
/// length (seconds for a page of a few MB).
fn block_text(root: &NodeRef) -> String {
    enum Step<'a> {
        Open(NodeRef<'a>),
        Close(Break),
    }
    let mut out = String::new();
    let mut stack = vec![Step::Open(*root)];
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::Close(brk) => {
                push_break(&mut out, brk);
                continue;
            }
            Step::Open(node) => node,
        };
        if node.is_text() {
            push_text(&mut out, &node.text());
            continue;
        }
        let name = node.node_name().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
        let brk = break_of(&name);
        push_break(&mut out, brk);
        if name == "pre" {
            out.push_str(node.text().trim_matches('\n'));
            push_break(&mut out, Break::Block);
            continue;
        }
        if !(node.is_element() || node.is_document() || node.is_fragment()) {
            continue;
        }
        stack.push(Step::Close(brk));
        stack.extend(node.children_it(true).map(Step::Open));
    }
    out
}

fn push_text(out: &mut String, text: &str) {
    let after_word = !out.is_empty() && !out.ends_with(char::is_whitespace);
    if text.starts_with(char::is_whitespace) && after_word {
        out.push(' ');
    }
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    if text.ends_with(char::is_whitespace) && !out.ends_with(char::is_whitespace) && !out.is_empty() {
        out.push(' ');
    }
}

fn push_break(out: &mut String, brk: Break) {
    if brk == Break::None || out.is_empty() {
        return;
    }
    if brk == Break::Space {
        if !out.ends_with(char::is_whitespace) {
            out.push(' ');
        }
        return;
    }
    out.truncate(out.trim_end_matches(' ').len());
    let want = if brk == Break::Block { "\n\n" } else { "\n" };
    let have = out.len() - out.trim_end_matches('\n').len();
    for _ in have..want.len() {
        out.push('\n');
    }
}

/// The page's paragraphs without its furniture: the fallback when trafilatura finds none.
/// `doc` has had its [`NEVER_TEXT`] elements removed.
fn page_paragraphs(doc: &Document) -> String {
    doc.select(PAGE_FURNITURE).remove();
    for list in doc.select("ul, ol").nodes().iter().rev() {
        let list = Selection::from(*list);
        if mostly_links(&list) {
            list.remove();
        }
    }
    clean_text(&strip_boilerplate(&body_text(doc)))
}

/// A list whose text is mostly link text is a menu or a list of other stories.
fn mostly_links(list: &Selection) -> bool {
    let total = list.text().chars().filter(|c| !c.is_whitespace()).count();
    let linked: usize = list.select("a").nodes().iter().map(|a| a.text().chars().filter(|c| !c.is_whitespace()).count()).sum();
    total == 0 || linked * 2 > total
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Shelling damages school in Kherson | Southern Herald</title>
<meta property="og:site_name" content="Southern Herald">
<meta property="article:published_time" content="2025-04-11T06:20:00+03:00">
<link rel="canonical" href="https://southernherald.example/2025/04/11/kherson-school">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/war">War</a></li><li><a href="/politics">Politics</a></li><li><a href="/about">About us</a></li></ul></nav></header>
<main><article>
<h1>Shelling damages school in Kherson</h1>
<p class="byline">By A. Writer</p>
<p>Russian artillery struck a school in the Dniprovskyi district of Kherson early on Friday, the regional military administration said in a statement on its Telegram channel.</p>
<figure><img src="x.jpg"><figcaption>Photo: regional administration</figcaption></figure>
<p>No children were in the building at the time of the attack, the administration said, but a caretaker was wounded and taken to hospital with shrapnel injuries.</p>
<p>Read more: Evacuations continue from villages along the Dnipro river</p>
<p>Kherson has been shelled almost daily since Ukrainian forces retook the city in November 2022, and officials have urged residents of riverside districts to leave.</p>
<p>The governor said that fourteen settlements in the region came under fire over the past day, with houses, a shop and a power line damaged.</p>
<p>Subscribe</p>
</article></main>
<aside><h2>Most read</h2><ul><li><a href="/a">Another story about a different city</a></li><li><a href="/b">A second unrelated story</a></li></ul></aside>
<footer><p>© 2025 Southern Herald. All rights reserved.</p><p><a href="/privacy">Privacy policy</a></p></footer>
<div id="comments"><h3>Leave a Reply</h3><p>Your email address will not be published. Required fields are marked *</p></div>
</body></html>"#;

    #[test]
    fn article_page_text_and_metadata() {
        let a = read("page.html", ARTICLE).unwrap();
        assert_eq!(a.title.as_deref(), Some("Shelling damages school in Kherson"));
        assert_eq!(a.outlet.as_deref(), Some("Southern Herald"));
        assert_eq!(a.url.as_deref(), Some("https://southernherald.example/2025/04/11/kherson-school"));
        assert_eq!(a.published.as_deref(), Some("2025-04-11"));
        assert_eq!(a.format, Format::Html);
        for kept in ["Russian artillery struck a school", "No children were in the building", "fourteen settlements"] {
            assert!(a.text.contains(kept), "lost {kept:?} in {:?}", a.text);
        }
        for dropped in ["Home", "Politics", "Read more", "Subscribe", "Leave a Reply", "All rights reserved", "Photo:", "Another story", "Privacy"] {
            assert!(!a.text.contains(dropped), "kept {dropped:?} in {:?}", a.text);
        }
        assert!(a.text.contains("Telegram channel.\n\nNo children"), "paragraphs not separated by a blank line: {:?}", a.text);
    }

    #[test]
    fn short_page_falls_back_to_its_paragraphs() {
        let html = "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>\
            <p>Two drones were shot down over Belgorod overnight, the governor said.</p>\
            <footer>Contact us</footer></body></html>";
        let a = read("short.html", html).unwrap();
        assert_eq!(a.text, "Two drones were shot down over Belgorod overnight, the governor said.");
    }

    #[test]
    fn short_article_keeps_its_paragraphs_apart() {
        let html = "<html><body><article><p>Officials in Kherson reported shelling of the Korabel district.</p>\
            <p>Read more: Kherson evacuations</p><p>Two houses were damaged, the city administration said.</p></article></body></html>";
        let a = read("brief.html", html).unwrap();
        assert_eq!(a.text, "Officials in Kherson reported shelling of the Korabel district.\n\nTwo houses were damaged, the city administration said.");
    }

    #[test]
    fn truncated_html_still_yields_its_text() {
        let cut = &ARTICLE[..ARTICLE.find("The governor said").unwrap() + 30];
        let a = read("cut.html", cut).unwrap();
        assert!(a.text.contains("Russian artillery struck a school"), "{:?}", a.text);
        assert_eq!(a.published.as_deref(), Some("2025-04-11"));
    }

    #[test]
    fn page_without_article_text_is_no_text() {
        let html = "<html><head><title>Menu</title></head><body><nav><ul><li><a href='/'>Home</a></li><li><a href='/x'>World</a></li></ul></nav>\
            <footer><p>© 2025 Example</p></footer><script>var x = 'not text';</script></body></html>";
        assert!(matches!(read("nav.html", html), Err((_, IngestError::NoText(_)))));
        assert!(matches!(read("empty.html", "<html><body></body></html>"), Err((_, IngestError::NoText(_)))));
    }

    #[test]
    fn very_deep_nesting_still_yields_text() {
        let html = format!("<html><body>{}<p>Shelling was reported in Nikopol overnight.</p>{}</body></html>", "<div>".repeat(3000), "</div>".repeat(3000));
        assert_eq!(read("deep.html", &html).unwrap().text, "Shelling was reported in Nikopol overnight.");
    }

    #[test]
    fn outlet_falls_back_to_the_url_host() {
        let html = r#"<html><head><meta property="og:url" content="https://www.kyivnews.example/a/1"></head>
            <body><p>The air force said it downed 40 of 52 drones launched overnight.</p></body></html>"#;
        let a = read("x.html", html).unwrap();
        assert_eq!(a.outlet.as_deref(), Some("kyivnews.example"));
    }

    #[test]
    fn fragment_keeps_short_bodies_and_paragraphs() {
        let t = fragment_to_text("<p>One &amp; only.</p><p>Second<br>line.</p><script>x()</script><p>Read more</p>");
        assert_eq!(t, "One & only.\n\nSecond\nline.");
    }

    #[test]
    fn block_text_spaces_blocks_lines_and_inline_elements() {
        let doc = Document::fragment("<div><h2>Head</h2><p>One <b>bold</b>  word,<br>next <i>line</i> <b>here</b>.</p><ul><li>a</li><li>b</li></ul><table><tr><td>x</td><td>y</td></tr></table><pre>  keep\n  this</pre>tail</div>");
        assert_eq!(clean_text(&block_text(&doc.root())), "Head\n\nOne bold word,\nnext line here.\n\na\nb\n\nx y\n\n  keep\n  this\n\ntail");
    }

    #[test]
    fn inline_text_decodes_and_flattens() {
        assert_eq!(inline_text("Kyiv &amp; Lviv &#8211; <b>live</b>\n updates"), "Kyiv & Lviv – live updates");
        assert_eq!(inline_text("  plain   words "), "plain words");
    }

    #[test]
    fn cyrillic_page_does_not_panic_and_keeps_its_text() {
        let para = "Российские войска нанесли удар по Сумам в пятницу, сообщила областная военная администрация. ";
        let html = format!(
            "<html><head><meta charset='utf-8'><title>Удар по Сумам</title><meta property='og:site_name' content='Пример'></head><body><article><h1>Удар по Сумам</h1>{}</article></body></html>",
            (0..12).map(|i| format!("<p>{}{}</p>", para.repeat(3), i)).collect::<String>()
        );
        let a = read("ru.html", &html).unwrap();
        assert!(a.text.contains("Российские войска нанесли удар"));
        assert_eq!(a.outlet.as_deref(), Some("Пример"));
    }
}
