//! Runs the splitter and the quantity tagger over the shared dev corpus, when it is there
//! (it is others' writing and never copied into the repository; the test skips without it).

use sitrep_language::quantity::QuantityTagger;
use sitrep_language::sentences::{paragraphs, split};
use sitrep_language::{QuantityMention, Span};

const DEV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/dev");

fn dev_docs() -> Option<Vec<String>> {
    let dir = std::fs::read_dir(DEV).ok()?;
    let mut paths: Vec<_> = dir.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "txt")).collect();
    paths.sort();
    let docs: Vec<String> = paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect();
    if docs.is_empty() {
        eprintln!("skipping: no dev corpus at {DEV}");
        return None;
    }
    Some(docs)
}

fn assert_on_char_boundaries(doc: &str, span: &Span) {
    assert!(span.start < span.end && span.end <= doc.len(), "{span:?}");
    assert!(doc.is_char_boundary(span.start) && doc.is_char_boundary(span.end), "{span:?}");
}

#[test]
fn sentences_over_the_dev_corpus_cover_the_text_and_respect_abbreviations() {
    let Some(docs) = dev_docs() else { return };
    for doc in &docs {
        let sentences = split(doc);
        assert!(!sentences.is_empty());
        let mut covered = vec![false; doc.len()];
        let mut last_end = 0;
        for s in &sentences {
            assert_on_char_boundaries(doc, s);
            assert!(s.start >= last_end, "sentences overlap or go backwards");
            let text = s.text(doc);
            assert_eq!(text, text.trim());
            covered[s.start..s.end].iter_mut().for_each(|c| *c = true);
            last_end = s.end;
        }
        for (i, c) in doc.char_indices() {
            assert!(c.is_whitespace() || covered[i], "character {c:?} at {i} is in no sentence");
        }
        for pair in sentences.windows(2) {
            let (a, b) = (pair[0].text(doc), pair[1].text(doc));
            let same_line = !doc[pair[0].end..pair[1].start].contains('\n');
            if same_line {
                // A sentence inside a line never starts in lowercase, and never ends on a
                // title or a dotted initialism that a lowercase word follows.
                assert!(!b.starts_with(|c: char| c.is_lowercase()), "split before lowercase: {a:?} | {b:?}");
                for title in ["Mr.", "Mrs.", "Dr.", "Gen.", "Lt.", "Col.", "Sgt.", "St."] {
                    assert!(!a.ends_with(&format!(" {title}")), "split after {title}: {a:?}");
                }
            }
        }
        for p in paragraphs(doc) {
            assert_on_char_boundaries(doc, &p);
            assert!(!p.text(doc).contains("\n\n"));
        }
    }
    // "U.S." inside a sentence, before a lowercase word or a name, is no boundary.
    let all: Vec<(&str, Span)> = docs.iter().flat_map(|d| split(d).into_iter().map(move |s| (d.as_str(), s))).collect();
    assert!(all.iter().any(|(d, s)| s.text(d).contains(" U.S. ")), "expected a sentence running through \"U.S.\"");
    assert!(all.iter().all(|(d, s)| !s.text(d).ends_with(" U.S.")));
}

#[test]
fn quantities_over_the_dev_corpus() {
    let Some(docs) = dev_docs() else { return };
    let tagger = QuantityTagger::new(&sitrep_lexicon::Lexicons::embedded()).unwrap();
    let mut all: Vec<QuantityMention> = Vec::new();
    for doc in &docs {
        let found = tagger.find(doc);
        for q in &found {
            assert_on_char_boundaries(doc, &q.span);
        }
        assert!(found.windows(2).all(|w| w[0].span.end <= w[1].span.start), "quantities overlap");
        all.extend(found);
    }
    let has = |pred: &dyn Fn(&QuantityMention) -> bool, what: &str| assert!(all.iter().any(pred), "no quantity with {what} in the dev corpus: {all:#?}");
    let unit = |q: &QuantityMention, u: &str| q.unit.as_deref() == Some(u);
    has(&|q| q.value == Some(78000.0) && q.approximate && unit(q, "troops"), "value ~78000 troops");
    has(&|q| q.max == Some(60000.0) && q.value.is_none(), "max 60000");
    has(&|q| q.value == Some(5.0) && unit(q, "km"), "value 5 km");
    has(&|q| q.value == Some(1000.0) && unit(q, "km"), "value 1000 km");
    has(&|q| q.min == Some(100.0) && unit(q, "settlements"), "min 100 settlements");
    has(&|q| q.min == Some(300.0) && unit(q, "people"), "min 300 people");
    has(&|q| q.value == Some(200000.0) && unit(q, "troops"), "value 200000 troops (-strong)");
    has(&|q| q.value == Some(4000.0) && q.approximate && unit(q, "troops"), "value ~4000 troops");
    has(&|q| q.value == Some(3.0) && unit(q, "tons"), "value 3 tons");
    has(&|q| q.min == Some(1000.0) && q.approximate && unit(q, "troops"), "min 1000 troops (thousands of)");
    has(&|q| q.min == Some(0.5) && unit(q, "share"), "min 0.5 share (more than half)");
    // Years, durations and the conversions in brackets are not quantities.
    for q in &all {
        for v in [q.value, q.min, q.max].into_iter().flatten() {
            assert!(![2022.0, 2024.0, 2025.0, 621.0].contains(&v), "{q:#?}");
        }
        assert!(!q.unit.as_deref().is_some_and(|u| ["days", "months", "years", "miles"].contains(&u)), "{q:#?}");
    }
}
