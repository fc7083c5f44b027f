//! Event finding speed: `cargo bench -p sitrep-extract`. Input: the dev corpus when it is
//! there (read at run time, never copied), else a text made of sentences written here;
//! sentences split after ". ", places found by plain search of a few names.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sitrep_extract::events::EventFinder;
use sitrep_extract::Document;
use sitrep_language::{Feature, PlaceMention, Span};

const NAMES: &[&str] = &["Sudzha", "Kursk region", "Sumy", "Belgorod", "Toretsk", "Pokrovsk", "Kupiansk", "Kyiv", "Moscow", "Kharkiv"];

const OWN: &str = "Russian forces recaptured the villages of Malaya Loknya and Olgovka near Sudzha on Monday. \
Ukrainian troops withdrew from Sudzha and retreated toward Sumy, while Russian artillery shelled Kharkiv. \
The Kremlin threatened to seize Kupiansk, officials said. They also said 300 soldiers were killed near Pokrovsk. \
Washington resumed military aid to Kyiv after talks in Moscow. Ukraine is digging trenches around Kharkiv. ";

fn text() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/dev");
    let mut corpus = String::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        let mut paths: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            corpus.push_str(&std::fs::read_to_string(p).unwrap_or_default());
            corpus.push('\n');
        }
    }
    let unit = if corpus.is_empty() { OWN.to_string() } else { corpus };
    unit.repeat((1 << 20) / unit.len() + 1)
}

fn sentences(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices(". ").chain(text.match_indices('\n')) {
        if i + 1 > start {
            out.push(Span::new(start, i + 1));
        }
        start = i + 1;
    }
    out.sort();
    out.retain(|s| s.end <= text.len());
    out
}

fn places(text: &str) -> Vec<PlaceMention> {
    let mut out: Vec<PlaceMention> = NAMES
        .iter()
        .flat_map(|n| text.match_indices(n).map(move |(i, _)| (i, *n)))
        .map(|(i, n)| PlaceMention {
            span: Span::new(i, i + n.len()),
            name: n.to_string(),
            gazetteer_id: None,
            lat: None,
            lon: None,
            feature: Feature::Town,
            admin1: None,
            country: None,
            relation: None,
            anchor: None,
            uncertainty_km: None,
            resolved_by: "bench".into(),
        })
        .collect();
    out.sort_by_key(|p| p.span);
    out
}

fn bench(c: &mut Criterion) {
    let finder = EventFinder::new(&sitrep_lexicon::Lexicons::embedded()).unwrap();
    let text = text();
    let sents = sentences(&text);
    let places = places(&text);
    let doc = Document { doc_id: "bench", text: &text, outlet: None, published: None, sentences: &sents, paragraphs: &[], places: &places, times: &[], quantities: &[] };
    let mut g = c.benchmark_group("events");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    g.bench_function("find", |b| b.iter(|| finder.find(&doc).len()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
