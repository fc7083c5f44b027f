//! Tests of the event finder, with sentences written for them.

use std::sync::OnceLock;

use sitrep_language::{Feature, TimexType};

use super::*;
use crate::testkit::Fixture;

fn finder() -> &'static EventFinder {
    static F: OnceLock<EventFinder> = OnceLock::new();
    F.get_or_init(|| EventFinder::new(&sitrep_lexicon::Lexicons::embedded()).unwrap_or_else(|e| panic!("{e:#}")))
}

fn run(f: &Fixture) -> Vec<EventCandidate> {
    finder().find(&f.doc())
}

/// (type, agent, target, place name) of each candidate.
fn summary(f: &Fixture) -> Vec<(EventType, Option<String>, Option<String>, Option<String>)> {
    run(f).into_iter().map(|c| (c.event_type, c.agent, c.target, c.place.map(|i| f.places[i].name.clone()))).collect()
}

#[test]
fn scratch() {
    let texts: &[(&str, &[&str])] = &[
        ("Russian forces recaptured the villages of Rubanshchina and Zaoleshenka, both near Sudzha.", &["Rubanshchina", "Zaoleshenka", "Sudzha"]),
        ("Sudzha was recaptured by Russian forces on Thursday.", &["Sudzha"]),
        ("Ukrainian troops withdrew from Sudzha and retreated to Sumy.", &["Sudzha", "Sumy"]),
    ];
    for (t, p) in texts {
        let f = Fixture::new(t, p).naive_sentences();
        for c in run(&f) {
            eprintln!("{t}\n  {:?} agent={:?} target={:?} place={:?}", c.event_type, c.agent, c.target, c.place.map(|i| &f.places[i].name));
            for e in &c.evidence { eprintln!("    {} {}", e.part, e.rule); }
        }
    }
    let _ = (Feature::Town, TimexType::Date, summary);
}

#[test]
fn scratch_corpus() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/dev");
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    let names = ["Sudzha", "Kursk region", "Kursk", "Sumy region", "Sumy", "Belgorod region", "Belgorod", "Toretsk", "Pokrovsk", "Kupiansk", "Moscow", "Kyiv", "Russia", "Ukraine", "Rubanshchina", "Zaoleshenka", "Kharkiv", "Donetsk", "Zaporizhzhia", "Luhansk", "Kherson", "Istanbul", "Washington", "Glushkovsky district"];
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap();
        let f = Fixture::new(&text, &names).whole_word_places().longest_places().naive_sentences();
        let f = ["Russia", "Moscow", "Kursk region", "Kursk", "Belgorod region", "Sudzha"].iter().fold(f, |f, n| f.resolved(n, if n.contains("region") { Feature::Region } else if *n == "Russia" { Feature::Country } else { Feature::Town }, "RU"));
        eprintln!("=== {}", p.display());
        let mut last = usize::MAX;
        for c in run(&f) {
            if c.sentence != last {
                let s = f.sentences[c.sentence];
                eprintln!("--- {}", &f.text[s.start..s.end]);
                last = c.sentence;
            }
            eprintln!("  {:?} [{}] agent={:?} target={:?} place={:?} when={:?} q={:?}", c.event_type, &f.text[c.trigger.start..c.trigger.end], c.agent, c.target, c.place.map(|i| &f.places[i].name), c.when, c.quantity);
        }
    }
}
