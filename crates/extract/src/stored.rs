//! Running the pipeline over stored articles and writing what it finds: shared by
//! `sitrep extract`, `sitrep mentions` (which processes an article on first view) and
//! the server, which extracts the articles a `POST /api/documents` stored.
//!
//! Articles are analysed in parallel (rayon), chunk by chunk, and each chunk's mentions
//! and claims are written in one transaction together with the article's processed
//! mark, so an interrupted run leaves every article either fully processed or not.

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde_json::{json, Value};
use sitrep_language::gazetteer::{GazEntry, Gazetteer};
use sitrep_language::Span;
use sitrep_lexicon::Lexicons;
use sitrep_store::{ArticleRow, ClaimText, MentionText, Store};

use crate::pipeline::{explain_detail, export_record, Analysis, ArticleInput, CharMap, Pipeline, PIPELINE_VERSION};

const CHUNK: usize = 256;

/// One analysed article: id, mentions, claims, text bytes, inferred publication date.
/// Rows come already serialized, so the one writer thread only inserts.
type Analysed = (String, Vec<MentionText>, Vec<ClaimText>, usize, Option<String>);

/// The embedded gazetteer with the user's imported rows laid over it.
pub fn load_gazetteer(store: &Store) -> Result<Gazetteer> {
    let mut extra = Vec::new();
    for json in store.gazetteer_entries()? {
        let entry: GazEntry = serde_json::from_str(&json).context("a stored gazetteer row is not valid JSON")?;
        extra.push(entry);
    }
    let gaz = Gazetteer::embedded()?;
    Ok(if extra.is_empty() { gaz } else { gaz.with_entries(extra) })
}

pub fn load_pipeline(store: &Store, lexicons: Option<&std::path::Path>) -> Result<Pipeline> {
    let lex = Lexicons::load(lexicons)?;
    Pipeline::new(&load_gazetteer(store)?, &lex)
}

pub struct Processed {
    pub articles: usize,
    pub bytes: usize,
    pub claims: usize,
    pub mentions: usize,
}

/// Process the given articles, write their mentions and claims, mark them processed.
/// `progress` is told how many articles each committed chunk held.
///
/// Writing is serial (one SQLite connection) and costs about as much as analysing, so a
/// chunk is written while the next one is analysed on the rayon pool.
pub fn process(store: &mut Store, pipeline: &Pipeline, ids: &[String], progress: &mut dyn FnMut(usize)) -> Result<Processed> {
    let mut done = Processed { articles: 0, bytes: 0, claims: 0, mentions: 0 };
    std::thread::scope(|scope| -> Result<()> {
        let mut pending: Option<(usize, std::thread::ScopedJoinHandle<Vec<Analysed>>)> = None;
        for chunk in ids.chunks(CHUNK) {
            let articles: Vec<ArticleRow> =
                chunk.iter().filter_map(|id| store.get_article(id).transpose()).collect::<Result<_>>()?;
            let next = scope.spawn(move || articles.par_iter().map(|a| analyse(pipeline, a)).collect());
            if let Some((n, prev)) = pending.replace((chunk.len(), next)) {
                write(store, &prev.join().expect("analysis thread panicked"), &mut done)?;
                progress(n);
            }
        }
        if let Some((n, last)) = pending {
            write(store, &last.join().expect("analysis thread panicked"), &mut done)?;
            progress(n);
        }
        Ok(())
    })?;
    Ok(done)
}

fn analyse(pipeline: &Pipeline, a: &ArticleRow) -> Analysed {
    let text = a.text.as_deref().unwrap_or("");
    let input = ArticleInput {
        id: &a.id,
        text,
        outlet: a.outlet.as_deref(),
        url: a.url.as_deref(),
        // A date inferred on an earlier run is inferred again, not taken as metadata.
        published: if a.published_inferred { None } else { a.published.as_deref() },
    };
    let an = pipeline.analyse(&input);
    let chars = CharMap::new(text);
    let inferred = if an.published_inferred { an.published.clone() } else { None };
    (a.id.clone(), mention_rows(text, &an, &chars), claim_rows(&input, &an, &chars), text.len(), inferred)
}

/// One chunk's rows, with the articles' processed marks, in one transaction.
fn write(store: &mut Store, results: &[Analysed], done: &mut Processed) -> Result<()> {
    let tx = store.conn_mut().transaction()?;
    for (id, mentions, claims, bytes, inferred) in results {
        Store::replace_mentions(&tx, id, mentions)?;
        Store::replace_claims(&tx, id, claims)?;
        if let Some(date) = inferred {
            // An article without a publication date keeps the one the time layer
            // inferred from its text, marked as inferred.
            Store::set_inferred_date(&tx, id, date)?;
        }
        Store::mark_processed(&tx, id, PIPELINE_VERSION)?;
        done.articles += 1;
        done.bytes += bytes;
        done.claims += claims.len();
        done.mentions += mentions.len();
    }
    tx.commit()?;
    Ok(())
}

fn with_char_span(mut v: Value, chars: &CharMap, span: Span) -> Value {
    if let Some(obj) = v.as_object_mut() {
        obj.insert("span".into(), json!(chars.span(span)));
    }
    v
}

fn mention_rows(text: &str, an: &Analysis, chars: &CharMap) -> Vec<MentionText> {
    let mut rows = Vec::new();
    let mut push = |kind: &'static str, seq: usize, span: Span, data: Value| {
        let [start, end] = chars.span(span);
        let (text, data) = (span.text(text).to_string(), data.to_string());
        rows.push(MentionText { kind, seq: seq as i64, start, end, text, data });
    };
    for (i, s) in an.sentences.iter().enumerate() {
        push("sentence", i, *s, json!({}));
    }
    for (i, s) in an.paragraphs.iter().enumerate() {
        push("paragraph", i, *s, json!({}));
    }
    for (i, p) in an.places.iter().enumerate() {
        push("place", i, p.span, with_char_span(serde_json::to_value(p).unwrap(), chars, p.span));
    }
    for (i, t) in an.times.iter().enumerate() {
        push("time", i, t.span, with_char_span(serde_json::to_value(t).unwrap(), chars, t.span));
    }
    for (i, q) in an.quantities.iter().enumerate() {
        push("quantity", i, q.span, with_char_span(serde_json::to_value(q).unwrap(), chars, q.span));
    }
    for (i, q) in an.quotes.iter().enumerate() {
        push("quote", i, q.span, json!({ "speaker": q.speaker, "span": chars.span(q.span) }));
    }
    rows
}

fn claim_rows(input: &ArticleInput, an: &Analysis, chars: &CharMap) -> Vec<ClaimText> {
    let mut seen = std::collections::HashSet::new();
    let mut rows = Vec::new();
    for (seq, claim) in an.claims.iter().enumerate() {
        let record = export_record(input, an, claim, chars);
        let id = record["claim_id"].as_str().unwrap().to_string();
        if !seen.insert(id.clone()) {
            continue;
        }
        let [sent_start, sent_end] = chars.span(claim.sentence);
        let s = |v: &Value| v.as_str().map(str::to_string);
        rows.push(ClaimText {
            id,
            article_id: input.id.to_string(),
            seq: seq as i64,
            claim_type: s(&record["type"]).unwrap_or_default(),
            stance: s(&record["stance"]).unwrap_or_default(),
            agent: s(&record["agent"]),
            target: s(&record["target"]),
            sent_start,
            sent_end,
            place_name: s(&record["place"]["name"]),
            place_id: s(&record["place"]["gazetteer_id"]),
            lat: record["place"]["lat"].as_f64(),
            lon: record["place"]["lon"].as_f64(),
            when_start: s(&record["when"]["start"]),
            when_end: s(&record["when"]["end"]),
            source_name: s(&record["source"]["name"]).unwrap_or_default(),
            source_kind: s(&record["source"]["kind"]).unwrap_or_default(),
            source_side: s(&record["source"]["side"]),
            detail: explain_detail(an, claim, chars).to_string(),
            record: record.to_string(),
            event_id: None,
        });
    }
    rows
}
