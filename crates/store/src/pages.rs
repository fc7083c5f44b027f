//! Paginated, filtered queries for the HTTP server (`sitrep serve`): claims with more
//! filters than the CLI's (`side`, `bbox`, text search, exact place id), a stable sort,
//! limit and offset, markers per place, counts per day, and pages of articles.
//!
//! As everywhere in the store, every value from a request is a bound parameter: the SQL
//! text is assembled only from the fixed clause strings below, never from input.

use anyhow::Result;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, OptionalExtension};
use serde::Serialize;

use crate::articles::row_to_article;
use crate::claims::COLUMNS;
use crate::{ArticleRow, Store};

/// Filters, sort and page of a claims listing; `None` means no restriction.
#[derive(Debug, Clone, Default)]
pub struct ClaimQuery {
    pub claim_type: Option<String>,
    /// Case-insensitive substring of the place name.
    pub place: Option<String>,
    /// Exact gazetteer id of the place (`geonames:486816`).
    pub place_id: Option<String>,
    /// `[west, south, east, north]` in degrees: claims whose place lies inside.
    pub bbox: Option<[f64; 4]>,
    /// Case-insensitive substring of the source name.
    pub source: Option<String>,
    /// The source's side, ISO 3166 alpha-3 (`UKR`, `RUS`).
    pub side: Option<String>,
    pub stance: Option<String>,
    /// Claims whose time interval ends on or after this date (YYYY-MM-DD).
    pub since: Option<String>,
    /// Claims whose time interval starts on or before this date.
    pub until: Option<String>,
    pub article_id: Option<String>,
    pub event_id: Option<String>,
    /// Case-insensitive substring of the claim's sentence.
    pub text: Option<String>,
    pub sort: ClaimSort,
    pub limit: i64,
    pub offset: i64,
}

/// Sort orders of a claims listing. Each ends on the claim's unique (article, seq), so
/// pages never overlap or skip rows between requests on an unchanged database.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ClaimSort {
    /// By the claim's time, earliest first; undated claims last.
    #[default]
    When,
    /// Latest first; undated claims last.
    WhenDesc,
    /// By place name, then time.
    Place,
    /// In article order: article id, then position in the article.
    Article,
}

impl ClaimSort {
    pub fn parse(s: &str) -> Option<ClaimSort> {
        Some(match s {
            "when" => ClaimSort::When,
            "-when" => ClaimSort::WhenDesc,
            "place" => ClaimSort::Place,
            "article" => ClaimSort::Article,
            _ => return None,
        })
    }
    fn order_by(self) -> &'static str {
        match self {
            ClaimSort::When => " ORDER BY when_start IS NULL, when_start, article_id, seq",
            ClaimSort::WhenDesc => " ORDER BY when_start IS NULL, when_start DESC, article_id, seq",
            ClaimSort::Place => " ORDER BY place_name IS NULL, place_name, when_start IS NULL, when_start, article_id, seq",
            ClaimSort::Article => " ORDER BY article_id, seq",
        }
    }
}

/// A claim as stored, with its JSON columns left as text: the server passes them through
/// without parsing and re-serialising them.
#[derive(Debug, Clone)]
pub struct ClaimText {
    pub id: String,
    pub article_id: String,
    pub seq: i64,
    pub claim_type: String,
    pub stance: String,
    pub agent: Option<String>,
    pub target: Option<String>,
    pub sent_start: i64,
    pub sent_end: i64,
    pub place_name: Option<String>,
    pub place_id: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub when_start: Option<String>,
    pub when_end: Option<String>,
    pub source_name: String,
    pub source_kind: String,
    pub source_side: Option<String>,
    /// The export record (CLAIMS.md) as JSON text.
    pub record: String,
    /// Spans and evidence as JSON text.
    pub detail: String,
    pub event_id: Option<String>,
}

/// Claims at one place, for map markers.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlaceCount {
    pub place_id: Option<String>,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub claims: i64,
    /// The best-corroborated event among these claims (after reconciliation): its
    /// distinct attributed sources plus distinct outlets.
    pub corroboration: Option<i64>,
    /// Claims per event type, most frequent first.
    pub types: Vec<(String, i64)>,
}

/// An event as a page of claims links to it.
#[derive(Debug, Clone)]
pub struct EventLinks {
    pub claims: i64,
    pub sources: i64,
    pub outlets: i64,
    pub contradictions: Vec<crate::ContradictionRow>,
}

/// Claims whose time starts on one day.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DayCount {
    pub day: String,
    pub claims: i64,
}

pub(crate) fn row_to_claim_text(r: &rusqlite::Row) -> rusqlite::Result<ClaimText> {
    Ok(ClaimText {
        id: r.get(0)?,
        article_id: r.get(1)?,
        seq: r.get(2)?,
        claim_type: r.get(3)?,
        stance: r.get(4)?,
        agent: r.get(5)?,
        target: r.get(6)?,
        sent_start: r.get(7)?,
        sent_end: r.get(8)?,
        place_name: r.get(9)?,
        place_id: r.get(10)?,
        lat: r.get(11)?,
        lon: r.get(12)?,
        when_start: r.get(13)?,
        when_end: r.get(14)?,
        source_name: r.get(15)?,
        source_kind: r.get(16)?,
        source_side: r.get(17)?,
        record: r.get(18)?,
        detail: r.get(19)?,
        event_id: r.get(20)?,
    })
}

/// The WHERE clause of a query (fixed clause strings) and its bound values, in order.
fn where_clause(q: &ClaimQuery) -> (String, Vec<Value>) {
    let mut sql = String::from(" WHERE 1=1");
    let mut args: Vec<Value> = Vec::new();
    let mut text = |clause: &str, v: &Option<String>, args: &mut Vec<Value>| {
        if let Some(v) = v {
            sql.push_str(clause);
            args.push(Value::Text(v.clone()));
        }
    };
    text(" AND type = ?", &q.claim_type, &mut args);
    text(" AND stance = ?", &q.stance, &mut args);
    text(" AND instr(lower(place_name), lower(?)) > 0", &q.place, &mut args);
    text(" AND place_id = ?", &q.place_id, &mut args);
    text(" AND instr(lower(source_name), lower(?)) > 0", &q.source, &mut args);
    text(" AND source_side = ?", &q.side, &mut args);
    text(" AND coalesce(when_end, when_start) >= ?", &q.since, &mut args);
    text(" AND when_start <= ?", &q.until, &mut args);
    text(" AND article_id = ?", &q.article_id, &mut args);
    text(" AND id IN (SELECT claim_id FROM claim_events WHERE event_id = ?)", &q.event_id, &mut args);
    text(" AND instr(lower(json_extract(record, '$.sentence')), lower(?)) > 0", &q.text, &mut args);
    if let Some([west, south, east, north]) = q.bbox {
        sql.push_str(" AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?");
        args.extend([south, north, west, east].map(Value::Real));
    }
    (sql, args)
}

impl Store {
    /// Create (once; a no-op afterwards) the indexes that serve the default claim order
    /// (`ClaimSort::When`), alone and within an event type, so a filtered page reads
    /// its rows in order and stops after one page instead of sorting every match.
    /// Columns after the sort key make the date filters index-only.
    pub fn ensure_page_indexes(&self) -> Result<()> {
        self.conn().execute_batch(
            "CREATE INDEX IF NOT EXISTS claims_page_when ON claims(when_start IS NULL, when_start, article_id, seq, when_end);
             CREATE INDEX IF NOT EXISTS claims_page_type ON claims(type, when_start IS NULL, when_start, article_id, seq, when_end);
             CREATE INDEX IF NOT EXISTS contradictions_page_a ON contradictions(event_a);
             CREATE INDEX IF NOT EXISTS contradictions_page_b ON contradictions(event_b);",
        )?;
        Ok(())
    }

    /// One page of claims matching `q`, in its sort order.
    pub fn claims_page(&self, q: &ClaimQuery) -> Result<Vec<ClaimText>> {
        let (filter, mut args) = where_clause(q);
        let order = q.sort.order_by();
        // The page's rows are chosen on the narrow columns first, then only those rows'
        // wide JSON columns are read, one row each: sorting whole rows would carry
        // every record along.
        let sql = format!("SELECT rowid FROM claims{filter}{order} LIMIT ? OFFSET ?");
        args.push(Value::Integer(q.limit.max(0)));
        args.push(Value::Integer(q.offset.max(0)));
        let tx = self.conn().unchecked_transaction()?; // one snapshot for both steps
        let rowids: Vec<i64> = {
            let mut stmt = tx.prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(args), |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut out = Vec::with_capacity(rowids.len());
        {
            let mut stmt = tx.prepare_cached(&format!("SELECT {COLUMNS} FROM claims WHERE rowid = ?1"))?;
            for id in rowids {
                out.extend(stmt.query_row([id], row_to_claim_text).optional()?);
            }
        }
        tx.commit()?;
        Ok(out)
    }

    /// How many claims match `q` (its sort and page are ignored).
    pub fn count_claims_matching(&self, q: &ClaimQuery) -> Result<i64> {
        let (filter, args) = where_clause(q);
        let mut stmt = self.conn().prepare_cached(&format!("SELECT count(*) FROM claims{filter}"))?;
        Ok(stmt.query_row(params_from_iter(args), |r| r.get(0))?)
    }

    /// Claims matching `q` grouped by located place (its sort and page are ignored),
    /// most claims first, then by name.
    pub fn claim_places(&self, q: &ClaimQuery) -> Result<Vec<PlaceCount>> {
        let (filter, args) = where_clause(q);
        let sql = format!(
            "SELECT place_id, place_name, avg(lat), avg(lon), type, count(*),
                    max((SELECT e.sources + e.outlets FROM claim_events ce JOIN events e ON e.id = ce.event_id
                         WHERE ce.claim_id = claims.id)) FROM claims{filter}
             AND lat IS NOT NULL AND lon IS NOT NULL AND place_name IS NOT NULL
             GROUP BY coalesce(place_id, place_name), type"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, f64>(2)?,
                r.get::<_, f64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, Option<i64>>(6)?,
            ))
        })?;
        let mut places: Vec<PlaceCount> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for row in rows {
            let (place_id, name, lat, lon, claim_type, n, corroboration) = row?;
            let key = place_id.clone().unwrap_or_else(|| name.clone());
            let i = *index.entry(key).or_insert_with(|| {
                places.push(PlaceCount { place_id, name, lat, lon, claims: 0, corroboration: None, types: Vec::new() });
                places.len() - 1
            });
            places[i].claims += n;
            places[i].corroboration = places[i].corroboration.max(corroboration);
            places[i].types.push((claim_type, n));
        }
        for p in &mut places {
            p.types.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
        places.sort_by(|a, b| b.claims.cmp(&a.claims).then_with(|| a.name.cmp(&b.name)));
        Ok(places)
    }

    /// Claims matching `q` counted by the day their time starts (undated claims are not
    /// counted), in date order.
    pub fn claim_days(&self, q: &ClaimQuery) -> Result<Vec<DayCount>> {
        let (filter, args) = where_clause(q);
        let sql = format!(
            "SELECT substr(when_start, 1, 10) AS day, count(*) FROM claims{filter} AND when_start IS NOT NULL
             GROUP BY day ORDER BY day"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| Ok(DayCount { day: r.get(0)?, claims: r.get(1)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// For each event id: its size and corroboration, and the contradictions that
    /// involve it (for the links on a page of claims).
    pub fn event_links(&self, event_ids: &[String]) -> Result<std::collections::HashMap<String, EventLinks>> {
        let mut out = std::collections::HashMap::new();
        let mut ev = self.conn().prepare_cached("SELECT claims, sources, outlets FROM events WHERE id = ?1")?;
        let mut cx = self.conn().prepare_cached(
            "SELECT id, kind, event_a, event_b, data FROM contradictions WHERE event_a = ?1
             UNION SELECT id, kind, event_a, event_b, data FROM contradictions WHERE event_b = ?1 ORDER BY id",
        )?;
        for id in event_ids {
            if out.contains_key(id) {
                continue;
            }
            let Some((claims, sources, outlets)) =
                ev.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?
            else {
                continue;
            };
            let contradictions = cx
                .query_map([id], |r| {
                    let data: String = r.get(4)?;
                    Ok(crate::ContradictionRow {
                        id: r.get(0)?,
                        kind: r.get(1)?,
                        event_a: r.get(2)?,
                        event_b: r.get(3)?,
                        data: serde_json::from_str(&data).unwrap_or(serde_json::Value::Null),
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            out.insert(id.clone(), EventLinks { claims, sources, outlets, contradictions });
        }
        Ok(out)
    }

    /// One page of stored articles, by publication date (undated last), then id.
    pub fn articles_page(&self, limit: i64, offset: i64) -> Result<Vec<ArticleRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id,title,url,outlet,published,published_inferred,format,origin,words,chars,ingested_at
             FROM articles ORDER BY published IS NULL, published, id LIMIT ?1 OFFSET ?2",
        )?;
        let rows = stmt.query_map([limit.max(0), offset.max(0)], |r| row_to_article(r, false))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ReconciledTables;

    fn claim(id: &str, seq: i64, t: &str, place: Option<(&str, f64, f64)>, when: Option<&str>, side: Option<&str>) -> ClaimText {
        ClaimText {
            id: id.into(),
            article_id: "a1".into(),
            seq,
            claim_type: t.into(),
            stance: "asserted".into(),
            agent: None,
            target: None,
            sent_start: 0,
            sent_end: 10,
            place_name: place.map(|p| p.0.to_string()),
            place_id: place.map(|p| format!("test:{}", p.0)),
            lat: place.map(|p| p.1),
            lon: place.map(|p| p.2),
            when_start: when.map(str::to_string),
            when_end: when.map(str::to_string),
            source_name: "outlet".into(),
            source_kind: "outlet".into(),
            source_side: side.map(str::to_string),
            record: serde_json::json!({"sentence": format!("Sentence {id} about {t}.")}).to_string(),
            detail: "{}".into(),
            event_id: None,
        }
    }

    fn store() -> Store {
        let mut s = Store::open_in_memory().unwrap();
        let a = sitrep_ingest::Article {
            title: None,
            url: None,
            outlet: None,
            published: Some("2025-03-01".into()),
            text: "Text of the test article.".into(),
            format: sitrep_ingest::Format::Text,
            origin: "a1.txt".into(),
        };
        let id = s.insert_articles(&[a]).unwrap()[0].id().to_string();
        let mut claims = vec![
            claim("c1", 0, "capture", Some(("Sudzha", 51.19, 35.27)), Some("2025-03-12"), Some("RUS")),
            claim("c2", 1, "strike", Some(("Sumy", 50.9, 34.8)), Some("2025-03-10"), Some("UKR")),
            claim("c3", 2, "capture", Some(("Sudzha", 51.19, 35.27)), None, Some("RUS")),
            claim("c4", 3, "withdrawal", None, Some("2025-03-14"), None),
        ];
        for c in &mut claims {
            c.article_id = id.clone();
        }
        let tx = s.conn_mut().transaction().unwrap();
        Store::replace_claims(&tx, &id, &claims).unwrap();
        tx.commit().unwrap();
        s
    }

    fn ids(rows: &[ClaimText]) -> Vec<&str> {
        rows.iter().map(|c| c.id.as_str()).collect()
    }

    #[test]
    fn pages_are_sorted_stably_and_do_not_overlap() {
        let s = store();
        let q = |offset| ClaimQuery { limit: 2, offset, ..Default::default() };
        assert_eq!(ids(&s.claims_page(&q(0)).unwrap()), ["c2", "c1"]);
        assert_eq!(ids(&s.claims_page(&q(2)).unwrap()), ["c4", "c3"], "undated last");
        assert!(s.claims_page(&q(4)).unwrap().is_empty());
        let desc = ClaimQuery { limit: 10, sort: ClaimSort::WhenDesc, ..Default::default() };
        assert_eq!(ids(&s.claims_page(&desc).unwrap()), ["c4", "c1", "c2", "c3"]);
        // The listing indexes change the plan, not the answer.
        s.ensure_page_indexes().unwrap();
        s.ensure_page_indexes().unwrap();
        assert_eq!(ids(&s.claims_page(&q(0)).unwrap()), ["c2", "c1"]);
        let typed = ClaimQuery { limit: 10, claim_type: Some("capture".into()), ..Default::default() };
        assert_eq!(ids(&s.claims_page(&typed).unwrap()), ["c1", "c3"]);
    }

    #[test]
    fn filters_by_bbox_side_text_and_dates() {
        let s = store();
        let page = |q: ClaimQuery| ids(&s.claims_page(&ClaimQuery { limit: 10, ..q }).unwrap()).join(",");
        // Around Sudzha only (west, south, east, north).
        assert_eq!(page(ClaimQuery { bbox: Some([35.0, 51.0, 35.5, 51.5]), ..Default::default() }), "c1,c3");
        assert_eq!(page(ClaimQuery { side: Some("UKR".into()), ..Default::default() }), "c2");
        assert_eq!(page(ClaimQuery { text: Some("ABOUT STRIKE".into()), ..Default::default() }), "c2");
        assert_eq!(
            page(ClaimQuery { since: Some("2025-03-11".into()), until: Some("2025-03-13".into()), ..Default::default() }),
            "c1"
        );
        // A value that looks like SQL is only ever a value.
        assert_eq!(page(ClaimQuery { place: Some("x' OR 1=1 --".into()), ..Default::default() }), "");
        assert_eq!(s.count_claims_matching(&ClaimQuery { claim_type: Some("capture".into()), ..Default::default() }).unwrap(), 2);
    }

    #[test]
    fn places_and_days_aggregate_the_filtered_claims() {
        let s = store();
        let places = s.claim_places(&ClaimQuery::default()).unwrap();
        assert_eq!(places.len(), 2);
        assert_eq!((places[0].name.as_str(), places[0].claims), ("Sudzha", 2));
        assert_eq!(places[0].types, vec![("capture".to_string(), 2)]);
        let days = s.claim_days(&ClaimQuery { claim_type: Some("capture".into()), ..Default::default() }).unwrap();
        assert_eq!(days, vec![DayCount { day: "2025-03-12".into(), claims: 1 }]);
        assert_eq!(s.articles_page(10, 0).unwrap().len(), 1);
        assert!(s.articles_page(10, 1).unwrap().is_empty());
    }

    /// Claims carry the event reconciliation put them in, can be listed by it, and a
    /// re-extracted article's claims are new again (the listing commands re-reconcile).
    #[test]
    fn event_assignments_are_read_filtered_and_dropped_on_re_extraction() {
        let mut s = store();
        assert!(s.reconciliation_stale().unwrap());
        let event = |c: &str| if c == "c3" { "e1" } else { "e2" }.to_string();
        let assignments = ["c1", "c2", "c3", "c4"].map(|c| (c.to_string(), event(c))).to_vec();
        let tables = ReconciledTables { assignments, ..Default::default() };
        s.replace_reconciliation(&tables).unwrap();
        assert!(!s.reconciliation_stale().unwrap());
        let by_event =
            s.claims_page(&ClaimQuery { limit: 10, event_id: Some("e1".into()), ..Default::default() }).unwrap();
        assert_eq!(ids(&by_event), ["c3"]);
        assert_eq!(by_event[0].event_id.as_deref(), Some("e1"));
        let article = by_event[0].article_id.clone();
        let again: Vec<ClaimText> = s.claims_page(&ClaimQuery { limit: 10, ..Default::default() }).unwrap();
        let tx = s.conn_mut().transaction().unwrap();
        Store::replace_claims(&tx, &article, &again).unwrap();
        tx.commit().unwrap();
        assert!(s.reconciliation_stale().unwrap(), "re-extracted claims await reconciliation");
        let all = s.claims_page(&ClaimQuery { limit: 10, ..Default::default() }).unwrap();
        assert!(all.iter().all(|c| c.event_id.is_none()));
    }
}
