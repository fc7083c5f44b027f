use super::*;

fn tagger() -> TimeTagger {
    TimeTagger::new(&sitrep_lexicon::Lexicons::embedded()).unwrap()
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

#[test]
#[ignore]
fn scratch() {
    let t = tagger();
    let text = std::env::var("T").unwrap_or_default();
    let anchor = std::env::var("A").ok().map(|a| d(&a));
    for m in t.find(&text, anchor) {
        println!("{:?} {:?} {} {:?}..{:?} rel={}", m.span.text(&text), m.timex_type, m.value, m.start, m.end, m.relative);
    }
}
