//! The JSON API handlers. Query strings are parsed into typed filters here, with a
//! clear 400 for anything malformed; the store does the querying with bound
//! parameters only.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use sitrep_store::{ClaimQuery, ClaimSort, ClaimText, InsertOutcome, Store};

use crate::{ApiError, AppState, Writer, DEFAULT_PAGE, MAX_PAGE};

type ApiResult = Result<Response, ApiError>;

const OPENAPI: &str = include_str!("openapi.json");

/// Run `f` on a pooled read connection on a blocking thread.
async fn read<T: Send + 'static>(
    state: &Arc<AppState>,
    f: impl FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let _slot = state.read_slots.acquire().await.map_err(|e| ApiError::from(anyhow::anyhow!("{e}")))?;
    let state = state.clone();
    tokio::task::spawn_blocking(move || state.readers.with(f))
        .await
        .map_err(|e| ApiError::from(anyhow::anyhow!("a query task failed: {e}")))?
        .map_err(ApiError::from)?
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(t)| t).map_err(|e| ApiError::bad_request(format!("bad query string: {}", e.body_text())))
}

pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

pub async fn health(State(state): State<Arc<AppState>>) -> ApiResult {
    let writable = state.writer.is_some();
    let (articles, claims) = read(&state, |s| Ok((s.count_articles()?, s.count_claims()?))).await?;
    Ok(Json(json!({ "status": "ok", "articles": articles, "claims": claims, "writable": writable })).into_response())
}

pub async fn not_found(req: Request) -> ApiError {
    ApiError::not_found(format!("no such route: {} {}", req.method(), req.uri().path()))
}

pub async fn method_not_allowed(req: Request) -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, format!("{} is not allowed on {}", req.method(), req.uri().path()))
}

// ---- claims -----------------------------------------------------------------------

/// The query string of the claim listings. Every value is taken as text and checked
/// here, so a mistake gets a message naming the parameter.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimParams {
    #[serde(rename = "type")]
    claim_type: Option<String>,
    place: Option<String>,
    place_id: Option<String>,
    bbox: Option<String>,
    source: Option<String>,
    side: Option<String>,
    stance: Option<String>,
    since: Option<String>,
    until: Option<String>,
    doc: Option<String>,
    event: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
    total: Option<String>,
    links: Option<String>,
}

fn nonempty(v: &Option<String>) -> Option<String> {
    v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A value of one of the contract's enums (event type, stance), checked by its serde
/// names so the list of valid values lives in one place.
fn enum_value<T: serde::de::DeserializeOwned>(name: &str, v: &Option<String>, all: &[&str]) -> Result<Option<String>, ApiError> {
    match nonempty(v) {
        None => Ok(None),
        Some(s) => match serde_json::from_value::<T>(Value::String(s.clone())) {
            Ok(_) => Ok(Some(s)),
            Err(_) => Err(ApiError::bad_request(format!("unknown {name} {s:?}; one of: {}", all.join(", ")))),
        },
    }
}

const TYPES: &[&str] = &[
    "ground_attack", "advance", "capture", "withdrawal", "encirclement", "strike", "repelled", "deployment",
    "casualties", "prisoners", "evacuation", "fortification", "aid", "diplomacy", "threat", "weapons",
];
const STANCES: &[&str] = &["asserted", "denied", "unconfirmed", "possible", "planned"];

fn date(name: &str, v: &Option<String>) -> Result<Option<String>, ApiError> {
    match nonempty(v) {
        None => Ok(None),
        Some(s) => match s.parse::<jiff::civil::Date>() {
            Ok(d) if s.len() == 10 => Ok(Some(d.to_string())),
            _ => Err(ApiError::bad_request(format!("{name} must be a date YYYY-MM-DD, not {s:?}"))),
        },
    }
}

fn integer(name: &str, v: &Option<String>, default: i64, min: i64, max: i64) -> Result<i64, ApiError> {
    match nonempty(v) {
        None => Ok(default),
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(ApiError::bad_request(format!("{name} must be a whole number from {min} to {max}, not {s:?}"))),
        },
    }
}

fn bbox(v: &Option<String>) -> Result<Option<[f64; 4]>, ApiError> {
    let Some(s) = nonempty(v) else { return Ok(None) };
    let bad = || ApiError::bad_request(format!("bbox must be west,south,east,north in degrees, not {s:?}"));
    let parts: Vec<f64> = s.split(',').map(|p| p.trim().parse::<f64>()).collect::<Result<_, _>>().map_err(|_| bad())?;
    let [w, so, e, n] = <[f64; 4]>::try_from(parts).map_err(|_| bad())?;
    let ok = (-180.0..=180.0).contains(&w)
        && (-180.0..=180.0).contains(&e)
        && (-90.0..=90.0).contains(&so)
        && (-90.0..=90.0).contains(&n)
        && w <= e
        && so <= n;
    if !ok {
        return Err(bad());
    }
    Ok(Some([w, so, e, n]))
}

fn flag(name: &str, v: &Option<String>) -> Result<bool, ApiError> {
    match nonempty(v).as_deref() {
        None | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(s) => Err(ApiError::bad_request(format!("{name} must be true or false, not {s:?}"))),
    }
}

impl ClaimParams {
    fn to_query(&self) -> Result<ClaimQuery, ApiError> {
        let sort = match nonempty(&self.sort) {
            None => ClaimSort::default(),
            Some(s) => ClaimSort::parse(&s)
                .ok_or_else(|| ApiError::bad_request(format!("unknown sort {s:?}; one of: when, -when, place, article")))?,
        };
        let side = nonempty(&self.side).map(|s| s.to_ascii_uppercase());
        if let Some(s) = &side {
            if s.len() != 3 || !s.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(ApiError::bad_request(format!("side must be an ISO 3166 alpha-3 code such as UKR or RUS, not {s:?}")));
            }
        }
        let q = ClaimQuery {
            claim_type: enum_value::<sitrep_extract::EventType>("type", &self.claim_type, TYPES)?,
            place: nonempty(&self.place),
            place_id: nonempty(&self.place_id),
            bbox: bbox(&self.bbox)?,
            source: nonempty(&self.source),
            side,
            stance: enum_value::<sitrep_extract::Stance>("stance", &self.stance, STANCES)?,
            since: date("since", &self.since)?,
            until: date("until", &self.until)?,
            article_id: nonempty(&self.doc),
            event_id: nonempty(&self.event),
            text: nonempty(&self.q),
            sort,
            limit: integer("limit", &self.limit, DEFAULT_PAGE, 1, MAX_PAGE)?,
            offset: integer("offset", &self.offset, 0, 0, i64::MAX / 2)?,
        };
        if let (Some(a), Some(b)) = (&q.since, &q.until) {
            if a > b {
                return Err(ApiError::bad_request(format!("since ({a}) is after until ({b})")));
            }
        }
        Ok(q)
    }
}

/// A claim as the API gives it, as JSON text: the CLAIMS.md record (with `event_id`),
/// plus `detail` (the character spans of trigger, place, time, quantity, source and
/// quote in the article, and the rules that fired).
///
/// The stored record and detail are JSON objects written by the store; they are
/// spliced as text rather than parsed and re-serialised, which was most of the cost of
/// a page (the record never holds `event_id` or `detail` keys of its own).
pub fn claim_raw(c: &ClaimText) -> String {
    claim_raw_with(c, None)
}

/// `claim_raw` with one more member, `"links": <links>`, when given.
fn claim_raw_with(c: &ClaimText, links: Option<&str>) -> String {
    let record = c.record.trim_end();
    let (head, empty) = match record.strip_suffix('}') {
        Some(h) if record.starts_with('{') => (h, h.trim() == "{"),
        _ => ("{", true), // not an object: should not happen; keep the output valid
    };
    let detail = if c.detail.trim_start().starts_with('{') { c.detail.as_str() } else { "null" };
    let event = serde_json::to_string(&c.event_id).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(record.len() + detail.len() + 40);
    out.push_str(head);
    if !empty {
        out.push(',');
    }
    out.push_str("\"event_id\":");
    out.push_str(&event);
    out.push_str(",\"detail\":");
    out.push_str(detail);
    if let Some(l) = links {
        out.push_str(",\"links\":");
        out.push_str(l);
    }
    out.push('}');
    out
}

/// What a claim card links to: its event (size and corroboration) and the claims that
/// contradict this one.
fn links_json(c: &ClaimText, events: &std::collections::HashMap<String, sitrep_store::EventLinks>) -> String {
    let Some(e) = c.event_id.as_ref().and_then(|id| events.get(id).map(|l| (id, l))) else {
        return json!({ "event": null, "contradictions": [] }).to_string();
    };
    let (id, l) = e;
    let mut contra = Vec::new();
    for x in &l.contradictions {
        let (a, b) = (&x.data["a"], &x.data["b"]);
        let other = if a["claim_id"] == c.id.as_str() { b } else if b["claim_id"] == c.id.as_str() { a } else { continue };
        contra.push(json!({
            "id": x.id, "kind": x.kind, "summary": x.data["summary"],
            "claim_id": other["claim_id"], "source": other["source"]["name"], "outlet": other["outlet"],
        }));
    }
    json!({
        "event": { "id": id, "claims": l.claims, "sources": l.sources, "outlets": l.outlets },
        "contradictions": contra,
    })
    .to_string()
}

/// The same claim as a JSON value.
pub fn claim_json(c: ClaimText) -> Value {
    serde_json::from_str(&claim_raw(&c)).unwrap_or(Value::Null)
}

fn page_json(key: &str, items: Vec<Value>, limit: i64, offset: i64, more: bool, total: Option<i64>) -> Value {
    let mut v = json!({
        key: items,
        "limit": limit,
        "offset": offset,
        "next_offset": if more { Some(offset + limit) } else { None },
    });
    if let Some(t) = total {
        v["total"] = json!(t);
    }
    v
}

pub async fn claims(State(state): State<Arc<AppState>>, q: Result<Query<ClaimParams>, QueryRejection>) -> ApiResult {
    let params = query(q)?;
    let mut cq = params.to_query()?;
    let want_total = flag("total", &params.total)?;
    let want_links = flag("links", &params.links)?;
    let (limit, offset) = (cq.limit, cq.offset);
    let (rows, total, events) = read(&state, move |s| {
        // One row more than the page says whether there is a next page.
        cq.limit = limit + 1;
        let rows = s.claims_page(&cq)?;
        let total = if want_total { Some(s.count_claims_matching(&cq)?) } else { None };
        let events = if want_links {
            let ids: Vec<String> = rows.iter().filter_map(|c| c.event_id.clone()).collect();
            Some(s.event_links(&ids)?)
        } else {
            None
        };
        Ok((rows, total, events))
    })
    .await?;
    let more = rows.len() as i64 > limit;
    // The page is written as text around the spliced claims (see `claim_raw`).
    let mut body = String::with_capacity(rows.len() * 2500 + 100);
    body.push_str("{\"claims\":[");
    for (i, c) in rows.iter().take(limit as usize).enumerate() {
        if i > 0 {
            body.push(',');
        }
        match &events {
            Some(ev) => body.push_str(&claim_raw_with(c, Some(&links_json(c, ev)))),
            None => body.push_str(&claim_raw(c)),
        }
    }
    let mut tail = page_json("claims", Vec::new(), limit, offset, more, total);
    tail.as_object_mut().unwrap().remove("claims");
    body.push_str("],");
    body.push_str(&tail.to_string()[1..]);
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

pub async fn claim(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult {
    let key = id.clone();
    let found = read(&state, move |s| {
        let Some(row) = s.claim(&key)? else { return Ok(None) };
        let q = ClaimQuery { article_id: Some(row.article_id.clone()), sort: ClaimSort::Article, limit: i64::MAX / 4, ..Default::default() };
        Ok(s.claims_page(&q)?.into_iter().find(|c| c.id == row.id))
    })
    .await?;
    match found {
        Some(c) => Ok(Json(claim_json(c)).into_response()),
        None => Err(ApiError::not_found(format!("no claim {id:?} (give its id or a unique prefix)"))),
    }
}

pub async fn places(State(state): State<Arc<AppState>>, q: Result<Query<ClaimParams>, QueryRejection>) -> ApiResult {
    let cq = query(q)?.to_query()?;
    let places = read(&state, move |s| Ok(s.claim_places(&cq)?)).await?;
    let items: Vec<Value> = places
        .into_iter()
        .map(|p| {
            let types: Map<String, Value> = p.types.iter().map(|(t, n)| (t.clone(), json!(n))).collect();
            json!({ "place_id": p.place_id, "name": p.name, "lat": p.lat, "lon": p.lon, "claims": p.claims, "types": types })
        })
        .collect();
    Ok(Json(json!({ "places": items })).into_response())
}

pub async fn timeline(State(state): State<Arc<AppState>>, q: Result<Query<ClaimParams>, QueryRejection>) -> ApiResult {
    let cq = query(q)?.to_query()?;
    let (days, undated) = read(&state, move |s| {
        let days = s.claim_days(&cq)?;
        let all = s.count_claims_matching(&cq)?;
        let dated: i64 = days.iter().map(|d| d.claims).sum();
        Ok((days, all - dated))
    })
    .await?;
    Ok(Json(json!({ "days": days, "undated": undated })).into_response())
}

// ---- documents --------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageParams {
    limit: Option<String>,
    offset: Option<String>,
}

pub async fn documents(State(state): State<Arc<AppState>>, q: Result<Query<PageParams>, QueryRejection>) -> ApiResult {
    let p = query(q)?;
    let limit = integer("limit", &p.limit, DEFAULT_PAGE, 1, MAX_PAGE)?;
    let offset = integer("offset", &p.offset, 0, 0, i64::MAX / 2)?;
    let (rows, total) = read(&state, move |s| Ok((s.articles_page(limit + 1, offset)?, s.count_articles()?))).await?;
    let more = rows.len() as i64 > limit;
    let items: Vec<Value> = rows.into_iter().take(limit as usize).map(|r| json!(r)).collect();
    Ok(Json(page_json("documents", items, limit, offset, more, Some(total))).into_response())
}

/// One article: metadata, clean text, the outlets that carried it, its mentions
/// (places, times, quantities, quotations) and claims, all with character spans into
/// `text`, for highlighting.
pub async fn document(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult {
    let key = id.clone();
    let found = read(&state, move |s| {
        let Some(article) = s.get_article(&key)? else { return Ok(None) };
        let copies = s.article_copies(&article.id)?;
        let mentions = s.mentions(&article.id, &["place", "time", "quantity", "quote"])?;
        let q = ClaimQuery { article_id: Some(article.id.clone()), sort: ClaimSort::Article, limit: i64::MAX / 4, ..Default::default() };
        let claims = s.claims_page(&q)?;
        Ok(Some((article, copies, mentions, claims)))
    })
    .await?;
    let Some((article, copies, mentions, claims)) = found else {
        return Err(ApiError::not_found(format!("no document {id:?} (give its id, a unique prefix or its file name)")));
    };
    let mentions: Vec<Value> = mentions
        .into_iter()
        .map(|m| json!({ "kind": m.kind, "start": m.start, "end": m.end, "text": m.text, "data": m.data }))
        .collect();
    let claims: Vec<Value> = claims.into_iter().map(claim_json).collect();
    Ok(Json(json!({ "document": article, "copies": copies, "mentions": mentions, "claims": claims })).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostParams {
    /// A name for the input (a file name helps format detection: `feed.xml`).
    name: Option<String>,
}

/// `Authorization: Bearer <token>` compared in constant time (hand-written: a few
/// lines, not worth a crate).
fn authorised(headers: &HeaderMap, token: &str) -> bool {
    let Some(given) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else { return false };
    let Some(given) = given.strip_prefix("Bearer ").map(str::trim) else { return false };
    let (a, b) = (given.as_bytes(), token.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Ingest the request body (any format `sitrep ingest` reads) and extract the new
/// articles' claims. 201 when something new was stored, 200 when every article was
/// already known, 422 when every item was rejected.
pub async fn post_documents(
    State(state): State<Arc<AppState>>,
    q: Result<Query<PostParams>, QueryRejection>,
    request: Request,
) -> ApiResult {
    let (Some(writer), Some(token)) = (state.writer.clone(), state.token.as_deref()) else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "this server is read-only: start it with --token (or SITREP_TOKEN) to accept documents",
        ));
    };
    if !authorised(request.headers(), token) {
        return Err(ApiError::new(StatusCode::UNAUTHORIZED, "missing or wrong bearer token (Authorization: Bearer ...)"));
    }
    let params = query(q)?;
    let body = axum::body::to_bytes(request.into_body(), state.max_body).await.map_err(|_| {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, format!("request body over the limit of {} bytes", state.max_body))
    })?;
    let name = nonempty(&params.name).unwrap_or_else(|| "post".into());
    if name.len() > 200 || name.chars().any(char::is_control) {
        return Err(ApiError::bad_request("name must be a short file name"));
    }
    let origin = format!("api:{name}");
    // The work runs on a blocking thread holding the writer; if the client goes away,
    // it still finishes (and shutdown waits for it).
    let result = tokio::task::spawn_blocking(move || {
        let mut w = writer.lock().unwrap_or_else(|e| e.into_inner());
        ingest_and_extract(&mut w, &origin, &body)
    })
    .await
    .map_err(|e| ApiError::from(anyhow::anyhow!("the ingest task failed: {e}")))??;
    Ok(result)
}

fn ingest_and_extract(w: &mut Writer, origin: &str, body: &[u8]) -> ApiResult {
    let report = w.store.ingest_bytes(origin, body)?;
    let new_ids: Vec<String> = report
        .stored
        .iter()
        .filter(|(_, o)| matches!(o, InsertOutcome::Stored { .. }))
        .map(|(_, o)| o.id().to_string())
        .collect();
    if !new_ids.is_empty() {
        if w.pipeline.is_none() {
            w.pipeline = Some(sitrep_extract::stored::load_pipeline(&w.store, w.lexicons.as_deref())?);
        }
        let pipeline = w.pipeline.as_ref().unwrap();
        sitrep_extract::stored::process(&mut w.store, pipeline, &new_ids, &mut |_, _| Ok(()))?;
        // As `sitrep extract` does: events, contradictions, control and numbers follow.
        crate::reconcile(&mut w.store, w.lexicons.as_deref())?;
    }
    let mut items = Vec::new();
    for (item_origin, outcome) in &report.stored {
        let claims = w.store.count_claims_matching(&ClaimQuery { article_id: Some(outcome.id().to_string()), ..Default::default() })?;
        let mut v = serde_json::to_value(outcome).map_err(anyhow::Error::from)?;
        v["origin"] = json!(item_origin);
        v["claims"] = json!(claims);
        items.push(v);
    }
    let rejected: Vec<Value> =
        report.rejected.iter().map(|(o, e)| json!({ "origin": o, "reason": e.to_string() })).collect();
    let status = if !new_ids.is_empty() {
        StatusCode::CREATED
    } else if items.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut body = json!({ "items": items, "rejected": rejected });
    if status == StatusCode::UNPROCESSABLE_ENTITY {
        body["error"] = json!(format!(
            "nothing stored: {}",
            report.rejected.first().map(|(_, e)| e.to_string()).unwrap_or_else(|| "no article found".into())
        ));
        body["status"] = json!(422);
    }
    Ok((status, Json(body)).into_response())
}

// ---- reconciliation ---------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventParams {
    #[serde(rename = "type")]
    event_type: Option<String>,
    place: Option<String>,
    since: Option<String>,
    until: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

/// Events (claims from many articles about one happening), by start date: each with
/// its claim ids, stances, corroboration by side and contradictions.
pub async fn events(State(state): State<Arc<AppState>>, q: Result<Query<EventParams>, QueryRejection>) -> ApiResult {
    let p = query(q)?;
    let limit = integer("limit", &p.limit, DEFAULT_PAGE, 1, MAX_PAGE)?;
    let offset = integer("offset", &p.offset, 0, 0, i64::MAX / 2)?;
    let filter = sitrep_store::EventFilter {
        event_type: enum_value::<sitrep_extract::EventType>("type", &p.event_type, TYPES)?,
        area: nonempty(&p.place),
        since: date("since", &p.since)?,
        until: date("until", &p.until)?,
        limit: Some(limit + 1),
        offset: Some(offset),
    };
    let rows = read(&state, move |s| Ok(s.events(&filter)?)).await?;
    let more = rows.len() as i64 > limit;
    let items: Vec<Value> = rows.into_iter().take(limit as usize).map(|e| e.data).collect();
    Ok(Json(page_json("events", items, limit, offset, more, None)).into_response())
}

/// One event with its claims (whole) and its contradictions.
pub async fn event(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult {
    let key = id.clone();
    let found = read(&state, move |s| {
        let Some(e) = s.event(&key)? else { return Ok(None) };
        let q = ClaimQuery { event_id: Some(e.id.clone()), sort: ClaimSort::When, limit: i64::MAX / 4, ..Default::default() };
        let claims = s.claims_page(&q)?;
        let links = s.event_links(std::slice::from_ref(&e.id))?;
        Ok(Some((e, claims, links)))
    })
    .await?;
    let Some((e, claims, links)) = found else {
        return Err(ApiError::not_found(format!("no event {id:?}")));
    };
    let contradictions: Vec<Value> =
        links.into_values().flat_map(|l| l.contradictions).map(|c| c.data).collect();
    let claims: Vec<Value> = claims.into_iter().map(claim_json).collect();
    Ok(Json(json!({ "event": e.data, "claims": claims, "contradictions": contradictions })).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContradictionParams {
    kind: Option<String>,
}

/// Pairs of claims that cannot both be true, each with both claims' sentences.
pub async fn contradictions(
    State(state): State<Arc<AppState>>,
    q: Result<Query<ContradictionParams>, QueryRejection>,
) -> ApiResult {
    let p = query(q)?;
    let kind = nonempty(&p.kind);
    if let Some(k) = &kind {
        if !["denial", "control", "quantity"].contains(&k.as_str()) {
            return Err(ApiError::bad_request(format!("unknown kind {k:?}; one of: denial, control, quantity")));
        }
    }
    let items = read(&state, move |s| {
        let mut out = Vec::new();
        for c in s.contradictions(kind.as_deref())? {
            let mut v = c.data;
            for side in ["a", "b"] {
                let claim_id = v[side]["claim_id"].as_str().map(str::to_string);
                if let Some(claim) = claim_id.and_then(|id| s.claim(&id).transpose()).transpose()? {
                    v[side]["sentence"] = claim.record["sentence"].clone();
                    v[side]["doc_id"] = claim.record["doc_id"].clone();
                }
            }
            out.push(v);
        }
        Ok(out)
    })
    .await?;
    Ok(Json(json!({ "contradictions": items })).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlParams {
    place: Option<String>,
}

/// The control ledger: per place, who is claimed to hold it since when, by whom, and
/// who denies it.
pub async fn control(State(state): State<Arc<AppState>>, q: Result<Query<ControlParams>, QueryRejection>) -> ApiResult {
    let place = nonempty(&query(q)?.place);
    let rows = read(&state, move |s| Ok(s.control(place.as_deref())?)).await?;
    let items: Vec<Value> = rows.into_iter().map(|r| r.data).collect();
    Ok(Json(json!({ "control": items })).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberParams {
    disputed: Option<String>,
}

/// Per measure (troops deployed, casualties, ...), the values claimed, by whom and when.
pub async fn numbers(State(state): State<Arc<AppState>>, q: Result<Query<NumberParams>, QueryRejection>) -> ApiResult {
    let disputed = flag("disputed", &query(q)?.disputed)?;
    let rows = read(&state, move |s| Ok(s.numbers(disputed)?)).await?;
    let items: Vec<Value> = rows.into_iter().map(|r| r.data).collect();
    Ok(Json(json!({ "numbers": items })).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportParams {
    format: Option<String>,
    region: Option<String>,
    since: Option<String>,
    until: Option<String>,
}

/// The situation report, rendered by sitrep-reconcile as HTML (a whole page) or Markdown.
pub async fn report(State(state): State<Arc<AppState>>, q: Result<Query<ReportParams>, QueryRejection>) -> ApiResult {
    let p = query(q)?;
    let (format, content_type) = match nonempty(&p.format).as_deref() {
        None | Some("html") => (sitrep_reconcile::report::Format::Html, "text/html; charset=utf-8"),
        Some("md") | Some("markdown") => (sitrep_reconcile::report::Format::Markdown, "text/markdown; charset=utf-8"),
        Some(f) => return Err(ApiError::bad_request(format!("unknown format {f:?}; one of: html, md"))),
    };
    let options = sitrep_reconcile::report::ReportOptions {
        region: nonempty(&p.region),
        since: date("since", &p.since)?,
        until: date("until", &p.until)?,
        max_events_per_area: None,
    };
    let text = read(&state, move |s| Ok(sitrep_reconcile::report::render(s, &options, format)?)).await?;
    Ok(([(header::CONTENT_TYPE, content_type)], text).into_response())
}
