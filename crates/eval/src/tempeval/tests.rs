use super::*;

const GOLD: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DOCID>sample_doc</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2024-05-10" functionInDocument="CREATION_TIME">May 10, 2024</TIMEX3></DCT>
<TITLE>A made-up report</TITLE>
<TEXT>
The mayor <EVENT eid="e1" class="REPORTING">said</EVENT> <TIMEX3 tid="t1" type="DATE" value="2024-05-10">Friday</TIMEX3> that the bridge &amp; the dam were <EVENT eid="e2" class="OCCURRENCE">hit</EVENT> <TIMEX3 tid="t2" type="TIME" value="2024-05-05TMO">Sunday morning</TIMEX3>, after <TIMEX3 tid="t3" type="DURATION" value="P3W">three weeks</TIMEX3> of calm.
</TEXT>
<MAKEINSTANCE eventID="e1" eiid="ei1" tense="PAST"/>
</TimeML>
"#;

const INPUT: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DOCID>sample_doc</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2024-05-10" functionInDocument="CREATION_TIME">May 10, 2024</TIMEX3></DCT>
<TITLE>A made-up report</TITLE>
<TEXT>

The mayor said Friday that the bridge &amp; the dam were hit Sunday morning, after three weeks of calm.
</TEXT>
</TimeML>
"#;

fn timex(text: &str, needle: &str, ty: &str, value: &str) -> Timex {
    let start = text.find(needle).unwrap();
    Timex { start, end: start + needle.len(), timex_type: ty.into(), value: value.into() }
}

#[test]
fn timeml_text_is_tag_free_and_offsets_point_into_it() {
    let doc = parse_timeml(GOLD).unwrap();
    assert_eq!(doc.id, "sample_doc");
    assert_eq!(doc.dct, Some("2024-05-10".parse().unwrap()));
    assert!(doc.text.contains("said Friday that the bridge & the dam were hit Sunday morning"));
    assert!(!doc.text.contains('<'));
    let spans: Vec<(&str, &str, &str)> =
        doc.timexes.iter().map(|t| (&doc.text[t.start..t.end], t.timex_type.as_str(), t.value.as_str())).collect();
    assert_eq!(spans, [("Friday", "DATE", "2024-05-10"), ("Sunday morning", "TIME", "2024-05-05TMO"), ("three weeks", "DURATION", "P3W")]);
    // The DCT is input, not a timex to score.
    assert_eq!(doc.timexes.len(), 3);
    assert!(parse_timeml("<TimeML><TEXT><TIMEX3>a <TIMEX3>b</TIMEX3></TIMEX3></TEXT></TimeML>").is_err());
}

#[test]
fn tokens_split_punctuation_and_clitics_but_keep_abbreviations() {
    let text = "He said (Friday), at 10:30 a.m. in the U.S. It's Kyiv's mid-January.";
    let toks: Vec<&str> = score_tokens(text).iter().map(|&(a, b)| &text[a..b]).collect();
    assert_eq!(
        toks,
        ["He", "said", "(", "Friday", ")", ",", "at", "10:30", "a.m.", "in", "the", "U.S.", "It", "'s", "Kyiv", "'s", "mid-January", "."]
    );
    assert!(score_tokens("").is_empty());
    assert_eq!(score_tokens("  ...  ").len(), 1);
}

#[test]
fn strict_and_relaxed_matching_and_attributes() {
    let text = "The mayor said Friday that the dam was hit Sunday morning, after three weeks of calm, and again in May.";
    let gold = vec![
        timex(text, "Friday", "DATE", "2024-05-10"),
        timex(text, "Sunday morning", "TIME", "2024-05-05TMO"),
        timex(text, "three weeks", "DURATION", "P3W"),
        timex(text, "May", "DATE", "2024-05"),
    ];
    let system = vec![
        // exact and right
        timex(text, "Friday", "DATE", "2024-05-10"),
        // overlapping only, wrong type and value
        timex(text, "Sunday", "DATE", "2024-05-05"),
        // exact, right type, wrong value
        timex(text, "three weeks", "DURATION", "P21D"),
        // spurious
        timex(text, "The mayor", "DATE", "XXXX"),
    ];
    let mut errors = Vec::new();
    let c = score_document("d", text, &gold, &system, &mut errors);
    assert_eq!(c, Counts { gold: 4, system: 4, strict: 2, relaxed: 3, type_correct: 2, value_correct: 1 });
    let kinds: Vec<&str> = errors.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["extent", "type", "value", "value", "missed", "spurious"]);

    let r = TempEvalReport::from_counts(1, c);
    assert!((r.strict.f1 - 0.5).abs() < 1e-9);
    assert!((r.relaxed.precision - 0.75).abs() < 1e-9 && (r.relaxed.recall - 0.75).abs() < 1e-9);
    // value F1 = relaxed F1 x value accuracy
    assert!((r.value_f1 - r.relaxed.f1 * r.value_accuracy).abs() < 1e-9);
    assert!((r.value_f1 - 0.25).abs() < 1e-9);
    assert!((r.type_accuracy - 2.0 / 3.0).abs() < 1e-9);
}

#[test]
fn one_system_timex_matches_one_gold_timex() {
    let text = "It rained on Monday and Tuesday.";
    let gold = vec![timex(text, "Monday", "DATE", "X"), timex(text, "Tuesday", "DATE", "Y")];
    let system = vec![timex(text, "Monday and Tuesday", "DATE", "X")];
    let c = score_document("d", text, &gold, &system, &mut Vec::new());
    assert_eq!((c.relaxed, c.strict, c.value_correct), (1, 0, 1));
    // A gold timex prefers the system timex with its own extent.
    let system = vec![timex(text, "Monday and Tuesday", "DATE", "Z"), timex(text, "Tuesday", "DATE", "Y")];
    let c = score_document("d", text, &gold, &system, &mut Vec::new());
    assert_eq!((c.relaxed, c.strict, c.value_correct), (2, 1, 1));
}

#[test]
fn evaluate_pairs_documents_by_docid_and_runs_the_tagger() {
    let dir = std::env::temp_dir().join(format!("sitrep-tempeval-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("te3-input")).unwrap();
    std::fs::create_dir_all(dir.join("te3-platinum")).unwrap();
    std::fs::write(dir.join("te3-input/other_name.tml.TE3input"), INPUT).unwrap();
    std::fs::write(dir.join("te3-platinum/sample.tml"), GOLD).unwrap();
    let (r, errors) = evaluate_with_errors(&dir).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(r.documents, 1);
    assert_eq!(r.counts.gold, 3);
    // Friday (the DCT's weekday), Sunday morning (last Sunday) and three weeks.
    assert_eq!(r.counts.value_correct, 3, "{errors:?}");
    assert_eq!(r.counts.strict, 3, "{errors:?}");
    let json = serde_json::to_value(&r).unwrap();
    assert!(json["value_f1"].as_f64().is_some() && json["strict"]["precision"].as_f64().is_some());
}

#[test]
fn platinum_value_f1_stays_above_the_mark() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/bench/tempeval3"));
    if !dir.join("te3-platinum").is_dir() {
        eprintln!("TempEval-3 platinum not present; skipped");
        return;
    }
    let r = evaluate(dir).unwrap();
    assert_eq!((r.documents, r.counts.gold), (20, 138));
    // HeidelTime, the best system of 2013, had 77.61.
    assert!(r.value_f1 >= 0.826, "value F1 {:.4}", r.value_f1);
    assert!(r.relaxed.f1 >= 0.88, "relaxed F1 {:.4}", r.relaxed.f1);
}
