//! The readers end to end, through `read_input`, on sample files written for these tests.

use std::io::Write;

use sitrep_ingest::{read_input, Article, Format, IngestError, ItemResult};

fn data(name: &str) -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/").to_string() + name).unwrap()
}

fn only_article(items: Vec<ItemResult>) -> Article {
    match <[ItemResult; 1]>::try_from(items) {
        Ok([Ok(a)]) => a,
        other => panic!("expected one article, got {other:?}"),
    }
}

fn only_error(items: Vec<ItemResult>) -> IngestError {
    match <[ItemResult; 1]>::try_from(items) {
        Ok([Err((_, e))]) => e,
        other => panic!("expected one error, got {other:?}"),
    }
}

#[test]
fn html_article_page() {
    let a = only_article(read_input("article.html", &data("article.html")));
    assert_eq!(a.format, Format::Html);
    assert_eq!(a.title.as_deref(), Some("Power restored in Zaporizhzhia after overnight strike"));
    assert_eq!(a.url.as_deref(), Some("https://www.riverside-chronicle.example/news/2025/06/14/zaporizhzhia-power"));
    assert_eq!(a.outlet.as_deref(), Some("Riverside Chronicle"), "JSON-LD publisher, as there is no og:site_name");
    assert_eq!(a.published.as_deref(), Some("2025-06-14"), "datePublished as written, not the modified time or the UTC date");
    let paragraphs: Vec<&str> = a.text.split("\n\n").collect();
    assert!(paragraphs.iter().any(|p| p.starts_with("Electricity was restored to most districts")), "{:?}", a.text);
    assert!(paragraphs.iter().any(|p| p.starts_with("Zaporizhzhia, a regional capital")), "{:?}", a.text);
    assert!(a.text.contains("\"energy facilities used by the Ukrainian military\""));
    for junk in [
        "Subscribe", "Log in", "Economy", "Opinion", "Share on", "Photo:", "Read more", "Advertisement", "Tags:",
        "Leave a Reply", "Your email address", "Most read", "Ferry service", "Sign up", "Privacy policy", "All rights reserved", "dataLayer",
    ] {
        assert!(!a.text.contains(junk), "kept {junk:?} in {:?}", a.text);
    }
}

#[test]
fn windows_1251_page_is_decoded_by_its_declaration() {
    let utf8 = String::from_utf8(data("article-ru.html")).unwrap();
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(&utf8);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err());
    let a = only_article(read_input("ru.html", &bytes));
    assert_eq!(a.title.as_deref(), Some("Обстрел Белгорода: повреждены жилые дома"));
    assert_eq!(a.outlet.as_deref(), Some("Вечерний Пример"));
    assert_eq!(a.published.as_deref(), Some("2025-02-03"));
    assert!(a.text.contains("В понедельник вечером в Белгороде были повреждены несколько жилых домов"), "{:?}", a.text);
    assert!(a.text.contains("перехватили над областью восемь ракет"));
    for junk in ["Читайте также", "Фото:", "Подписывайтесь", "Контакты", "©"] {
        assert!(!a.text.contains(junk), "kept {junk:?} in {:?}", a.text);
    }
    // The same page saved as UTF-8 (its declaration now wrong) reads the same.
    assert_eq!(only_article(read_input("ru-utf8.html", utf8.as_bytes())).text, a.text);
}

#[test]
fn truncated_html_page_keeps_the_text_before_the_cut() {
    let page = String::from_utf8(data("article.html")).unwrap();
    let cut = &page[..page.find("The Russian defence ministry").unwrap()];
    let a = only_article(read_input("cut.html", cut.as_bytes()));
    assert!(a.text.contains("Electricity was restored to most districts"), "{:?}", a.text);
    assert!(a.text.contains("the other hit the substation."));
    assert_eq!(a.published.as_deref(), Some("2025-06-14"));
}

#[test]
fn rss_feed() {
    let items = read_input("feed.rss", &data("feed.rss"));
    assert_eq!(items.len(), 3);
    let a = items[0].as_ref().unwrap();
    assert_eq!((a.format, a.origin.as_str()), (Format::Feed, "feed.rss#1"));
    assert_eq!(a.title.as_deref(), Some("Power restored in Zaporizhzhia after overnight strike"));
    assert_eq!(a.outlet.as_deref(), Some("Riverside Chronicle"));
    assert_eq!(a.published.as_deref(), Some("2025-06-14"));
    assert_eq!(a.url.as_deref(), Some("https://www.riverside-chronicle.example/news/2025/06/14/zaporizhzhia-power"));
    assert_eq!(
        a.text,
        "Electricity was restored to most districts of Zaporizhzhia by Saturday morning, hours after a missile strike damaged a substation, the regional administration said.\n\n\
         The governor said about 3,000 households remained without power and that there were no casualties."
    );
    let c = items[2].as_ref().unwrap();
    assert_eq!(c.text, "The council voted to add 40 shelters near schools.\n\nWork starts in July.");
    assert_eq!(c.published.as_deref(), Some("2025-06-12"));
}

#[test]
fn atom_feed() {
    let items = read_input("feed.atom", &data("feed.atom"));
    assert_eq!(items.len(), 2);
    let a = items[0].as_ref().unwrap();
    assert_eq!(a.published.as_deref(), Some("2025-07-02"));
    assert_eq!(a.url.as_deref(), Some("https://bordermonitor.example/2025/07/02/sumy-drone"));
    assert_eq!(a.outlet.as_deref(), Some("Border Monitor"));
    assert_eq!(a.text, "Debris from a downed drone fell on a village north of Sumy overnight, the regional administration said.\n\nA barn caught fire; nobody was hurt.");
    let b = items[1].as_ref().unwrap();
    assert_eq!((b.published.as_deref(), b.origin.as_str()), (Some("2025-07-01"), "feed.atom#2"));
}

#[test]
fn truncated_feed_yields_its_complete_items_then_an_error() {
    let feed = String::from_utf8(data("feed.rss")).unwrap();
    let cut = &feed[..feed.find("<title>City council").unwrap() + 12];
    let items = read_input("cut.rss", cut.as_bytes());
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(items[0].is_ok() && items[1].is_ok());
    match &items[2] {
        Err((origin, IngestError::Malformed { format: "feed", detail })) => {
            assert_eq!(origin, "cut.rss");
            assert!(detail.contains("cut off after item 2"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
    let msg = items[2].as_ref().unwrap_err().1.to_string();
    assert!(msg.starts_with("malformed feed: "), "{msg}");
}

#[test]
fn jsonl_good_and_bad_lines() {
    let items = read_input("articles.jsonl", &data("articles.jsonl"));
    assert_eq!(items.len(), 6, "{items:?}");
    let a = items[0].as_ref().unwrap();
    assert_eq!((a.format, a.origin.as_str()), (Format::JsonLines, "articles.jsonl:1"));
    assert_eq!(a.published.as_deref(), Some("2025-05-01"));
    assert_eq!(a.outlet.as_deref(), Some("desk.example"));
    let b = items[1].as_ref().unwrap();
    assert_eq!(b.text, "Officials in Kherson reported shelling of the Korabel district.");
    assert_eq!((b.outlet.as_deref(), b.published.as_deref()), (Some("Desk"), Some("2025-05-02")));
    let errors: Vec<(String, String)> = items[2..].iter().map(|r| r.as_ref().map(|_| ()).unwrap_err()).map(|(o, e)| (o.clone(), e.to_string())).collect();
    assert_eq!(errors[0].0, "articles.jsonl:4", "line numbers count the blank line");
    assert!(errors[0].1.contains("no `text` or `html` field"), "{}", errors[0].1);
    assert!(errors[1].1.contains("not JSON"), "{}", errors[1].1);
    assert!(errors[2].1.contains("`published` must be a string, not a number"), "{}", errors[2].1);
    assert_eq!(errors[3].0, "articles.jsonl:7");
    assert!(errors[3].1.contains("truncated"), "{}", errors[3].1);
}

#[test]
fn empty_whitespace_and_binary_inputs_are_whole_input_errors() {
    assert_eq!(only_error(read_input("e", b"")), IngestError::Empty);
    assert_eq!(only_error(read_input("e", b" \n\t\r\n ")), IngestError::Empty);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"<html><body><p>compressed</p></body></html>").unwrap();
    assert_eq!(only_error(read_input("page.html.gz", &gz.finish().unwrap())), IngestError::Binary("gzip".into()));
    assert!(matches!(only_error(read_input("x.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0")), IngestError::Binary(_)));
}

#[test]
fn markup_without_text_is_no_text() {
    assert!(matches!(only_error(read_input("blank.html", b"<!DOCTYPE html><html><head><title></title></head><body></body></html>")), IngestError::NoText(_)));
    assert!(matches!(only_error(read_input("nav.html", b"<html><body><nav><a href='/'>Home</a><a href='/a'>About</a></nav></body></html>")), IngestError::NoText(_)));
}

#[test]
fn hostile_inputs_do_not_panic() {
    let deep = format!("<html><body>{}<p>Deep text about shelling in Nikopol.</p>{}</body></html>", "<div>".repeat(5000), "</div>".repeat(5000));
    let odd = "<html><body><p>\u{200b}\u{feff}e\u{301}\u{1F1FA}\u{1F1E6} Kyiv\u{0} \u{202e}mirrored\u{202c} text</p></body></html>";
    let nested_json = format!(r#"<html><head><script type="application/ld+json">{}{}</script></head><body><p>x</p></body></html>"#, "[".repeat(3000), "]".repeat(3000));
    let inputs: Vec<(&str, Vec<u8>)> = vec![
        ("deep.html", deep.into_bytes()),
        ("odd.html", odd.as_bytes().to_vec()),
        ("json-ld.html", nested_json.into_bytes()),
        ("unclosed.html", b"<html><body><p>Text that never ends <b><i><a href=\"".to_vec()),
        ("attrs.html", b"<html><body><p a=1 a=2 b=\"\xff\">broken bytes \xc3</p>".to_vec()),
        ("feed.rss", b"<rss version=\"2.0\"><channel><item><title>\xd0\x9a</title><description>&bogus; &#xD800;</description></item></channel></rss>".to_vec()),
        ("x.jsonl", b"{\"text\": \"\\ud800 lone surrogate\"}\n{\"text\": \"\xff\"}\n{}\n[]\n\"s\"\n".to_vec()),
        ("tags.txt", "<".repeat(10_000).into_bytes()),
    ];
    for (origin, bytes) in inputs {
        let items = read_input(origin, &bytes);
        assert!(!items.is_empty(), "{origin}");
    }
}
