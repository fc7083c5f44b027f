//! Where the pipeline's time goes: each stage timed alone, single-threaded, over text files.
//!
//!     cargo run --release -p sitrep-extract --example stages -- [--repeat N] FILE...
//!
//! Prints MB/s per stage (CPU of one core), so a speed-up can be aimed at the slow stage.
//! `--repeat N` goes over the files N times, so that a profiler (`perf record`) sees the
//! stages rather than the start-up.

use std::time::{Duration, Instant};

use sitrep_extract::attribution::Attributor;
use sitrep_extract::events::EventFinder;
use sitrep_extract::pipeline::{explain_detail, export_record, ArticleInput, CharMap, Pipeline};
use sitrep_extract::Document;
use sitrep_language::gazetteer::Gazetteer;
use sitrep_language::places::PlaceTagger;
use sitrep_language::quantity::QuantityTagger;
use sitrep_language::sentences;
use sitrep_language::time::TimeTagger;

// mimalloc: the pipeline allocates many small strings and vectors per sentence, and the
// system allocator's malloc and free were a quarter of the analysis's instructions.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let mut paths: Vec<String> = std::env::args().skip(1).collect();
    let mut repeat = 1;
    if paths.first().is_some_and(|a| a == "--repeat") && paths.len() > 1 {
        repeat = paths[1].parse()?;
        paths.drain(..2);
    }
    // Each file as `sitrep ingest` reads it: its clean text and the publication date of
    // its metadata, so the stages see what `sitrep extract` sees.
    let mut files: Vec<(String, Option<String>)> = Vec::new();
    for path in &paths {
        let bytes = std::fs::read(path)?;
        for item in sitrep_ingest::read_input(path, &bytes) {
            match item {
                Ok(article) => files.push((article.text, article.published)),
                Err((origin, e)) => eprintln!("{origin}: skipped: {e}"),
            }
        }
    }
    let texts: Vec<&(String, Option<String>)> = std::iter::repeat(&files).take(repeat).flatten().collect();
    let bytes: usize = texts.iter().map(|(t, _)| t.len()).sum();
    let lex = sitrep_lexicon::Lexicons::embedded();
    let gaz = Gazetteer::embedded()?;
    let places = PlaceTagger::new(&gaz, &lex)?;
    let times = TimeTagger::new(&lex)?;
    let quantities = QuantityTagger::new(&lex)?;
    let events = EventFinder::new(&lex)?;
    let attributor = Attributor::new(&lex)?;
    let pipeline = Pipeline::new(&gaz, &lex)?;
    let mut total: Vec<(&str, Duration)> = Vec::new();
    let mut add = |name: &'static str, d: Duration| match total.iter_mut().find(|(n, _)| *n == name) {
        Some((_, t)) => *t += d,
        None => total.push((name, d)),
    };
    for &(text, given) in &texts {
        let given_date = given.as_deref().and_then(|d| d.parse::<jiff::civil::Date>().ok());
        let t = Instant::now();
        let sents = sentences::split(text);
        let paras = sentences::paragraphs(text);
        add("sentences", t.elapsed());
        let t = Instant::now();
        let pl = places.find(text);
        add("places", t.elapsed());
        let t = Instant::now();
        // Inferred from the text only when the metadata has no date, as the pipeline does.
        let published = given_date.or_else(|| times.infer_publication_date(text));
        let tm = times.find(text, published);
        add("times", t.elapsed());
        let t = Instant::now();
        let qs = quantities.find(text);
        add("quantities", t.elapsed());
        let doc = Document {
            doc_id: "stages",
            text,
            outlet: None,
            published,
            sentences: &sents,
            paragraphs: &paras,
            places: &pl,
            times: &tm,
            quantities: &qs,
        };
        let t = Instant::now();
        let at = attributor.analyse(&doc);
        add("attribution", t.elapsed());
        let t = Instant::now();
        let cands = events.find(&doc);
        add("events", t.elapsed());
        let t = Instant::now();
        for c in &cands {
            std::hint::black_box(at.attribute(c.sentence, c.trigger));
        }
        add("attribute claims", t.elapsed());
        let input = ArticleInput { id: "stages", text, outlet: None, url: None, published: given.as_deref() };
        let t = Instant::now();
        let an = pipeline.analyse(&input);
        add("whole analyse", t.elapsed());
        let t = Instant::now();
        let chars = CharMap::new(text);
        for c in &an.claims {
            // As `sitrep extract` stores them: the record and the explain detail, as JSON.
            std::hint::black_box(serde_json::to_string(&export_record(&input, &an, c, &chars)).unwrap());
            std::hint::black_box(serde_json::to_string(&explain_detail(&an, c, &chars)).unwrap());
        }
        add("export records", t.elapsed());
    }
    let show = |name: &str, d: Duration| println!("{name:<18} {:>8.3} s {:>8.1} MB/s", d.as_secs_f64(), bytes as f64 / 1e6 / d.as_secs_f64());
    // The language layer's own figure (issue target: 20 MB/s per core): its four stages.
    let language: Duration =
        total.iter().filter(|(n, _)| ["sentences", "places", "times", "quantities"].contains(n)).map(|(_, d)| *d).sum();
    for (name, d) in total {
        show(name, d);
    }
    show("language layer", language);
    println!("{} articles, {:.1} MB of text", texts.len(), bytes as f64 / 1e6);
    Ok(())
}
