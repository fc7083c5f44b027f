//! TempEval-3 Task A (time expressions): read TimeML, run the `TimeTagger` on each
//! document's TEXT with its DCT as the anchor, and score against the gold TIMEX3s as the
//! official TempEval-3 scorer does (UzZaman et al. 2013, section 4.1):
//!
//! * extents are compared on tokens: **strict** when the token ranges are equal,
//!   **relaxed** when they share a token;
//! * a gold and a system timex pair up one to one (the official scorer's id
//!   normalisation does the same): each gold takes the first unpaired system timex it
//!   overlaps, preferring one with the same extent;
//! * P = matched / system, R = matched / gold, F1 their harmonic mean, pooled over all
//!   documents, for strict and relaxed matching;
//! * `type` and `value` are compared as exact strings over relaxed pairs: attribute
//!   P = correct / system, R = correct / gold, F1 their harmonic mean, and accuracy =
//!   attribute F1 / relaxed F1 (= correct / relaxed pairs). Value F1 is the headline.
//!
//! Only TIMEX3s inside TEXT count; the DCT is input.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use jiff::civil::Date;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use serde::{Deserialize, Serialize};
use sitrep_language::time::TimeTagger;

/// A TIMEX3 inside TEXT, with byte offsets into the tag-free text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timex {
    pub start: usize,
    pub end: usize,
    pub timex_type: String,
    pub value: String,
}

/// One TimeML document: its id, creation time, tag-free TEXT and the TIMEX3s in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimemlDoc {
    pub id: String,
    pub dct: Option<Date>,
    pub text: String,
    pub timexes: Vec<Timex>,
}

fn attr(e: &BytesStart, name: &[u8]) -> Result<Option<String>> {
    for a in e.attributes() {
        let a = a?;
        if a.key.as_ref() == name {
            return Ok(Some(a.normalized_value(XmlVersion::Implicit1_0)?.into_owned()));
        }
    }
    Ok(None)
}

/// Parse a TimeML document (a TempEval-3 input or gold file).
pub fn parse_timeml(xml: &str) -> Result<TimemlDoc> {
    let mut reader = Reader::from_str(xml);
    let mut path: Vec<Vec<u8>> = Vec::new();
    let mut id = String::new();
    let mut dct = None;
    let mut text = String::new();
    let mut timexes = Vec::new();
    let mut open: Option<Timex> = None;
    loop {
        let in_text = path.iter().any(|p| p == b"TEXT");
        match reader.read_event().context("reading TimeML")? {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_vec();
                if name == b"TIMEX3" {
                    if path.iter().any(|p| p == b"DCT") {
                        let v = attr(&e, b"value")?.unwrap_or_default();
                        dct = v.get(..10).and_then(|d| d.parse().ok());
                    } else if in_text {
                        if open.is_some() {
                            bail!("nested TIMEX3 in TEXT");
                        }
                        open = Some(Timex {
                            start: text.len(),
                            end: text.len(),
                            timex_type: attr(&e, b"type")?.unwrap_or_default(),
                            value: attr(&e, b"value")?.unwrap_or_default(),
                        });
                    }
                }
                path.push(name);
            }
            Event::End(e) => {
                if e.local_name().as_ref() == b"TIMEX3" {
                    if let Some(mut t) = open.take() {
                        t.end = text.len();
                        timexes.push(t);
                    }
                }
                path.pop();
            }
            Event::Text(t) => {
                let s = t.xml10_content()?;
                if in_text {
                    text.push_str(&s);
                } else if path.last().is_some_and(|p| p == b"DOCID") {
                    id.push_str(s.trim());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref()? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.decode()?;
                        quick_xml::escape::resolve_predefined_entity(&name).with_context(|| format!("unknown entity &{name};"))?.to_string()
                    }
                };
                if in_text {
                    text.push_str(&resolved);
                } else if path.last().is_some_and(|p| p == b"DOCID") {
                    id.push_str(&resolved);
                }
            }
            Event::CData(c) if in_text => text.push_str(&c.decode()?),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(TimemlDoc { id, dct, text, timexes })
}

/// Token ranges as the official scorer sees them: white-space separated words with
/// leading and trailing punctuation split off, as a Penn-Treebank tokenizer does.
pub fn score_tokens(text: &str) -> Vec<(usize, usize)> {
    const LEADING: &[char] = &['"', '\'', '(', '[', '{', '“', '‘', '`'];
    const TRAILING: &[char] = &['"', '\'', ')', ']', '}', '”', '’', ',', '.', ';', ':', '!', '?'];
    let mut out = Vec::new();
    let mut chunk_start = None;
    let push_chunk = |s: usize, e: usize, out: &mut Vec<(usize, usize)>| {
        let word = &text[s..e];
        let lead = word.len() - word.trim_start_matches(LEADING).len();
        let mut tail = Vec::new();
        let mut core_end = e;
        // Keep the dot of abbreviations ("a.m.", "U.S."): a word with an inner dot.
        loop {
            let core = &text[s + lead..core_end];
            let Some(c) = core.chars().last() else { break };
            let abbreviation = c == '.' && core[..core.len() - 1].contains('.');
            if !TRAILING.contains(&c) || abbreviation || core.len() == c.len_utf8() {
                break;
            }
            core_end -= c.len_utf8();
            tail.push((core_end, core_end + c.len_utf8()));
        }
        for (k, c) in text[s..s + lead].char_indices() {
            out.push((s + k, s + k + c.len_utf8()));
        }
        if core_end > s + lead {
            // Split a clitic "'s" off the word, as the treebank does.
            let core = &text[s + lead..core_end];
            match core.rfind(['\'', '’']) {
                Some(k) if k > 0 && core[k..].chars().count() == 2 && core.ends_with(['s', 'S']) => {
                    out.push((s + lead, s + lead + k));
                    out.push((s + lead + k, core_end));
                }
                _ => out.push((s + lead, core_end)),
            }
        }
        out.extend(tail.into_iter().rev());
    };
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = chunk_start.take() {
                push_chunk(s, i, &mut out);
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(i);
        }
    }
    if let Some(s) = chunk_start {
        push_chunk(s, text.len(), &mut out);
    }
    out
}

/// The first and last token a byte span touches, or `None` when it touches none.
fn token_range(tokens: &[(usize, usize)], start: usize, end: usize) -> Option<(usize, usize)> {
    let first = tokens.partition_point(|t| t.1 <= start);
    let mut last = None;
    for (k, t) in tokens.iter().enumerate().skip(first) {
        if t.0 >= end {
            break;
        }
        last = Some(k);
    }
    last.map(|l| (first, l))
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    fn new(matched: usize, system: usize, gold: usize) -> Prf {
        let precision = if system == 0 { 0.0 } else { matched as f64 / system as f64 };
        let recall = if gold == 0 { 0.0 } else { matched as f64 / gold as f64 };
        let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        Prf { precision, recall, f1 }
    }
}

/// Raw counts, pooled over documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub gold: usize,
    pub system: usize,
    pub strict: usize,
    pub relaxed: usize,
    pub type_correct: usize,
    pub value_correct: usize,
}

/// Task A figures, in the definitions of the TempEval-3 scorer (fractions, not percent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TempEvalReport {
    pub documents: usize,
    pub counts: Counts,
    pub strict: Prf,
    pub relaxed: Prf,
    pub type_f1: f64,
    pub type_accuracy: f64,
    pub value_f1: f64,
    pub value_accuracy: f64,
}

impl TempEvalReport {
    pub fn from_counts(documents: usize, c: Counts) -> Self {
        let relaxed = Prf::new(c.relaxed, c.system, c.gold);
        let type_f1 = Prf::new(c.type_correct, c.system, c.gold).f1;
        let value_f1 = Prf::new(c.value_correct, c.system, c.gold).f1;
        let accuracy = |n: usize| if c.relaxed == 0 { 0.0 } else { n as f64 / c.relaxed as f64 };
        TempEvalReport {
            documents,
            counts: c,
            strict: Prf::new(c.strict, c.system, c.gold),
            relaxed,
            type_f1,
            type_accuracy: accuracy(c.type_correct),
            value_f1,
            value_accuracy: accuracy(c.value_correct),
        }
    }
}

/// One disagreement, for reading what went wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disagreement {
    pub document: String,
    /// `missed`, `spurious`, `extent`, `type`, `value`.
    pub kind: String,
    pub gold_text: Option<String>,
    pub gold: Option<String>,
    pub system_text: Option<String>,
    pub system: Option<String>,
}

/// Score one document's system timexes against its gold ones (same text).
pub fn score_document(id: &str, text: &str, gold: &[Timex], system: &[Timex], errors: &mut Vec<Disagreement>) -> Counts {
    let tokens = score_tokens(text);
    let ranges = |ts: &[Timex]| -> Vec<Option<(usize, usize)>> { ts.iter().map(|t| token_range(&tokens, t.start, t.end)).collect() };
    let gold_r = ranges(gold);
    let sys_r = ranges(system);
    let mut c = Counts { gold: gold_r.iter().flatten().count(), system: sys_r.iter().flatten().count(), ..Counts::default() };
    let mut taken = vec![false; system.len()];
    let describe = |t: &Timex| format!("{} {}", t.timex_type, t.value);
    for (g, gr) in gold.iter().zip(&gold_r) {
        let Some(gr) = gr else { continue };
        let overlapping = |k: usize| !taken[k] && sys_r[k].is_some_and(|sr| sr.0 <= gr.1 && gr.0 <= sr.1);
        let pick =
            (0..system.len()).find(|&k| overlapping(k) && sys_r[k] == Some(*gr)).or_else(|| (0..system.len()).find(|&k| overlapping(k)));
        let Some(k) = pick else {
            errors.push(Disagreement {
                document: id.into(),
                kind: "missed".into(),
                gold_text: Some(text[g.start..g.end].into()),
                gold: Some(describe(g)),
                system_text: None,
                system: None,
            });
            continue;
        };
        taken[k] = true;
        let s = &system[k];
        c.relaxed += 1;
        let mut report = |kind: &str| {
            errors.push(Disagreement {
                document: id.into(),
                kind: kind.into(),
                gold_text: Some(text[g.start..g.end].into()),
                gold: Some(describe(g)),
                system_text: Some(text[s.start..s.end].into()),
                system: Some(describe(s)),
            })
        };
        if sys_r[k] == Some(*gr) {
            c.strict += 1;
        } else {
            report("extent");
        }
        if s.timex_type == g.timex_type {
            c.type_correct += 1;
        } else {
            report("type");
        }
        if s.value == g.value {
            c.value_correct += 1;
        } else {
            report("value");
        }
    }
    for (k, s) in system.iter().enumerate() {
        if !taken[k] && sys_r[k].is_some() {
            errors.push(Disagreement {
                document: id.into(),
                kind: "spurious".into(),
                gold_text: None,
                gold: None,
                system_text: Some(text[s.start..s.end].into()),
                system: Some(describe(s)),
            });
        }
    }
    c
}

/// The tagger's timexes for a text, in TimeML terms.
pub fn system_timexes(tagger: &TimeTagger, text: &str, anchor: Option<Date>) -> Vec<Timex> {
    tagger
        .find(text, anchor)
        .into_iter()
        .map(|m| Timex {
            start: m.span.start,
            end: m.span.end,
            timex_type: serde_json::to_value(m.timex_type).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
            value: m.value,
        })
        .collect()
}

fn read_docs(dir: &Path) -> Result<BTreeMap<String, TimemlDoc>> {
    let mut docs = BTreeMap::new();
    let mut paths: Vec<_> = std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?.collect::<Result<_, _>>()?;
    paths.sort_by_key(|e| e.path());
    for e in paths {
        let p = e.path();
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !(name.ends_with(".tml") || name.ends_with(".TE3input")) {
            continue;
        }
        let xml = std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
        let doc = parse_timeml(&xml).with_context(|| format!("parsing {}", p.display()))?;
        docs.insert(doc.id.clone(), doc);
    }
    Ok(docs)
}

/// Run the tagger over a TempEval-3 folder (with `te3-input/` and `te3-platinum/`,
/// documents paired by DOCID) and score it; also returns every disagreement.
pub fn evaluate_with_errors(dir: &Path) -> Result<(TempEvalReport, Vec<Disagreement>)> {
    let inputs = read_docs(&dir.join("te3-input"))?;
    let golds = read_docs(&dir.join("te3-platinum"))?;
    if golds.is_empty() {
        bail!("no gold TimeML documents in {}", dir.join("te3-platinum").display());
    }
    let tagger = TimeTagger::new(&sitrep_lexicon::Lexicons::embedded())?;
    let mut total = Counts::default();
    let mut errors = Vec::new();
    for (id, gold) in &golds {
        let input = inputs.get(id).with_context(|| format!("no input document with DOCID {id}"))?;
        // The same text once tags are stripped, up to white space at either end.
        let lead_in = input.text.len() - input.text.trim_start().len();
        let lead_gold = gold.text.len() - gold.text.trim_start().len();
        if input.text.trim() != gold.text.trim() {
            bail!("{id}: input and gold TEXT differ");
        }
        let shift = |t: &Timex| Timex { start: t.start - lead_gold + lead_in, end: t.end - lead_gold + lead_in, ..t.clone() };
        let gold_timexes: Vec<Timex> = gold.timexes.iter().map(shift).collect();
        let system = system_timexes(&tagger, &input.text, input.dct.or(gold.dct));
        let c = score_document(id, &input.text, &gold_timexes, &system, &mut errors);
        total.gold += c.gold;
        total.system += c.system;
        total.strict += c.strict;
        total.relaxed += c.relaxed;
        total.type_correct += c.type_correct;
        total.value_correct += c.value_correct;
    }
    Ok((TempEvalReport::from_counts(golds.len(), total), errors))
}

/// Run the tagger over a TempEval-3 folder and score it.
pub fn evaluate(dir: &Path) -> Result<TempEvalReport> {
    evaluate_with_errors(dir).map(|(r, _)| r)
}

#[cfg(test)]
mod tests;
