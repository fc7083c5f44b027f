//! Throughput of the sentence splitter and the quantity tagger, in bytes per second, on
//! news-like text made by repeating sentences written for this benchmark (dense with
//! numbers, abbreviations and quotes: a hard case), and, when the shared dev corpus is
//! there, on its articles repeated to the same size (read at run time, never copied).
//!
//!     cargo bench -p sitrep-language --bench language

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use sitrep_language::quantity::QuantityTagger;
use sitrep_language::sentences::SentenceSplitter;

const PARAGRAPH: &str = "Frontline update from the northern sector\n\
Russian forces advanced about 3.5 km near the village of Novoselivka on Tuesday, the U.S. Institute said. \
Mr. Hale, a retired Lt. Col., told reporters that more than 20,000 North Korean troops had arrived since Jan. 12. \
\"We will hold. They will fail,\" the commander said. Approximately 4,000 civilians were evacuated, and up to 60,000 soldiers may be massing. \
The strike hit at 4 a.m. Kyiv time and destroyed three-ton depots. Between 10 and 15 tanks were lost... Officials gave no details!\n\n\
Ukraine said its troops pushed five kilometers (three miles) forward and took over 100 settlements in 2024. \
Thousands of residents fled, while dozens of drones struck the 47th brigade's positions at 10:30. \
Обстрел продолжался в 2022 г. В городе нет света, т.е. около 12 000 жителей остались без тепла. \
The 200,000-strong army lost more than half of the territory it seized, officials said on March 3.\n";

const SIZE: usize = 4 << 20; // about 4 MiB per run

const DEV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/dev");

fn repeated(sample: &str) -> String {
    let mut text = String::with_capacity(SIZE + sample.len());
    while text.len() < SIZE {
        text.push_str(sample);
        text.push_str("\n\n");
    }
    text
}

fn dev_corpus() -> Option<String> {
    let mut paths: Vec<_> = std::fs::read_dir(DEV).ok()?.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    let docs: Vec<String> = paths.iter().filter(|p| p.extension().is_some_and(|x| x == "txt")).filter_map(|p| std::fs::read_to_string(p).ok()).collect();
    (!docs.is_empty()).then(|| repeated(&docs.join("\n\n")))
}

fn bench(c: &mut Criterion) {
    let lex = sitrep_lexicon::Lexicons::embedded();
    let splitter = SentenceSplitter::new(&lex).unwrap();
    let tagger = QuantityTagger::new(&lex).unwrap();
    let mut inputs = vec![("dense", repeated(PARAGRAPH))];
    inputs.extend(dev_corpus().map(|t| ("dev-corpus", t)));
    for (name, text) in &inputs {
        let mut group = c.benchmark_group(format!("language/{name}"));
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.sample_size(10);
        group.bench_function("sentences::split", |b| b.iter(|| splitter.split(black_box(text)).len()));
        group.bench_function("quantity::find", |b| b.iter(|| tagger.find(black_box(text)).len()));
        group.bench_function("split+find", |b| b.iter(|| splitter.split(black_box(text)).len() + tagger.find(black_box(text)).len()));
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
