//! Running the pipeline over stored articles and writing what it finds: shared by
//! `sitrep extract`, `sitrep mentions` (which processes an article on first view) and
//! the server, which extracts the articles a `POST /api/documents` stored.
//!
//! Articles are analysed in parallel (rayon), chunk by chunk, and each chunk's mentions
//! and claims are written in one transaction together with the article's processed
//! mark, so an interrupted run leaves every article either fully processed or not.

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde_json::Value;
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
/// `after_chunk` runs after each chunk is committed, with the store and the chunk's
/// number of articles (a progress bar; a bulk writer's log restarts).
pub fn process(
    store: &mut Store,
    pipeline: &Pipeline,
    ids: &[String],
    after_chunk: &mut dyn FnMut(&Store, usize) -> Result<()>,
) -> Result<Processed> {
    let mut done = Processed { articles: 0, bytes: 0, claims: 0, mentions: 0 };
    std::thread::scope(|scope| -> Result<()> {
        let mut pending: Option<(usize, std::thread::ScopedJoinHandle<Vec<Analysed>>)> = None;
        for chunk in ids.chunks(CHUNK) {
            let articles: Vec<ArticleRow> =
                chunk.iter().filter_map(|id| store.get_article(id).transpose()).collect::<Result<_>>()?;
            let next = scope.spawn(move || articles.par_iter().map(|a| analyse(pipeline, a)).collect());
            if let Some((n, prev)) = pending.replace((chunk.len(), next)) {
                write(store, &prev.join().expect("analysis thread panicked"), &mut done)?;
                after_chunk(store, n)?;
            }
        }
        if let Some((n, last)) = pending {
            write(store, &last.join().expect("analysis thread panicked"), &mut done)?;
            after_chunk(store, n)?;
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

/// A mention's JSON: its own fields, with the character span in place of the byte span.
fn with_char_span<T: serde::Serialize>(mention: &T, chars: &CharMap, span: Span) -> String {
    let mut v = serde_json::to_value(mention).expect("a mention serializes");
    if let Some(obj) = v.as_object_mut() {
        obj.insert("span".into(), chars.span(span).into());
    }
    v.to_string()
}

/// The data of a quote mention.
#[derive(serde::Serialize)]
struct QuoteData<'a> {
    speaker: &'a Option<crate::Source>,
    span: [i64; 2],
}

fn mention_rows(text: &str, an: &Analysis, chars: &CharMap) -> Vec<MentionText> {
    let mut rows = Vec::new();
    let mut push = |kind: &'static str, seq: usize, span: Span, data: String| {
        let [start, end] = chars.span(span);
        rows.push(MentionText { kind, seq: seq as i64, start, end, text: span.text(text).to_string(), data });
    };
    for (i, s) in an.sentences.iter().enumerate() {
        push("sentence", i, *s, "{}".into());
    }
    for (i, s) in an.paragraphs.iter().enumerate() {
        push("paragraph", i, *s, "{}".into());
    }
    for (i, p) in an.places.iter().enumerate() {
        push("place", i, p.span, with_char_span(p, chars, p.span));
    }
    for (i, t) in an.times.iter().enumerate() {
        push("time", i, t.span, with_char_span(t, chars, t.span));
    }
    for (i, q) in an.quantities.iter().enumerate() {
        push("quantity", i, q.span, with_char_span(q, chars, q.span));
    }
    for (i, q) in an.quotes.iter().enumerate() {
        push("quote", i, q.span, serde_json::to_string(&QuoteData { speaker: &q.speaker, span: chars.span(q.span) }).expect("a quote serializes"));
    }
    rows
}

/// A unit enum's name as its JSON string holds it ("capture", "asserted").
fn json_str<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

fn claim_rows(input: &ArticleInput, an: &Analysis, chars: &CharMap) -> Vec<ClaimText> {
    let mut seen = std::collections::HashSet::new();
    let mut rows = Vec::new();
    for (seq, claim) in an.claims.iter().enumerate() {
        let record = export_record(input, an, claim, chars);
        if !seen.insert(record.claim_id.clone()) {
            continue;
        }
        let [sent_start, sent_end] = chars.span(claim.sentence);
        let own = |v: Option<&str>| v.map(str::to_string);
        rows.push(ClaimText {
            id: record.claim_id.clone(),
            article_id: input.id.to_string(),
            seq: seq as i64,
            claim_type: json_str(&record.event_type),
            stance: json_str(&record.stance),
            agent: own(record.agent),
            target: own(record.target),
            sent_start,
            sent_end,
            place_name: own(record.place.as_ref().map(|p| p.name)),
            place_id: own(record.place.as_ref().and_then(|p| p.gazetteer_id)),
            lat: record.place.as_ref().and_then(|p| p.lat),
            lon: record.place.as_ref().and_then(|p| p.lon),
            when_start: own(record.when.as_ref().and_then(|w| w.start)),
            when_end: own(record.when.as_ref().and_then(|w| w.end)),
            source_name: record.source.name.to_string(),
            source_kind: json_str(&record.source.kind),
            source_side: own(record.source.side),
            detail: serde_json::to_string(&explain_detail(an, claim, chars)).expect("a detail record serializes"),
            record: serde_json::to_string(&record).expect("an export record serializes"),
            event_id: None,
        });
    }
    rows
}
