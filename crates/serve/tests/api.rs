//! The API against a real server on a loopback port, over a real SQLite database
//! holding the example corpus.

mod common;

use std::collections::BTreeSet;

use common::*;
use serde_json::Value;

fn claims(s: &Server, query: &str) -> Vec<Value> {
    let (status, body) = s.get(&format!("/api/claims?limit=200&{query}"));
    assert_eq!(status, 200, "{query}: {body}");
    assert!(body["next_offset"].is_null(), "the example corpus fits one page");
    body["claims"].as_array().unwrap().clone()
}

fn ids(claims: &[Value]) -> Vec<String> {
    claims.iter().map(|c| c["claim_id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn openapi_document_matches_the_routes_and_each_route_answers() {
    let s = Server::start(Options::default());
    let (status, doc) = s.get("/api/openapi.json");
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((method.clone(), path.clone()));
        }
    }
    let served: BTreeSet<(String, String)> =
        sitrep_serve::ROUTES.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    assert_eq!(documented, served, "openapi.json and ROUTES differ");

    let claim_id = claims(&s, "")[0]["claim_id"].as_str().unwrap().to_string();
    let (_, docs) = s.get("/api/documents");
    let doc_id = docs["documents"][0]["id"].as_str().unwrap().to_string();
    let (_, events) = s.get("/api/events");
    let event_id = events["events"][0]["id"].as_str().unwrap().to_string();
    for (method, path) in &served {
        let id = if path.starts_with("/api/claims/") {
            &claim_id
        } else if path.starts_with("/api/events/") {
            &event_id
        } else {
            &doc_id
        };
        let url = path.replace("{id}", id);
        let (status, body) = match method.as_str() {
            "get" if url == "/api/report" => {
                let (status, ct, body) = s.get_text(&url);
                assert!(ct.starts_with("text/html"), "{ct}");
                (status, serde_json::Value::String(body))
            }
            "get" => s.get(&url),
            "post" => s.post(&url, None, b"text"),
            m => panic!("untested method {m}"),
        };
        // The read-only server refuses writes; every other route answers.
        let expected = if method == "post" { 403 } else { 200 };
        assert_eq!(status, expected, "{method} {url}: {body}");
    }
}

#[test]
fn claims_filter_by_type_place_bbox_side_stance_text_and_dates() {
    let s = Server::start(Options::default());
    let all = claims(&s, "");
    assert_eq!(all.len(), example_claims(), "every claim of the example corpus, as the CLI exports them");

    let captures = claims(&s, "type=capture");
    assert!(!captures.is_empty() && captures.len() < all.len());
    assert!(captures.iter().all(|c| c["type"] == "capture"));

    // A box around Sudzha (west, south, east, north) holds Sudzha's claims only.
    let boxed = claims(&s, "bbox=35.0,51.0,35.5,51.4");
    let inside = |c: &Value| {
        let (lat, lon) = (c["place"]["lat"].as_f64(), c["place"]["lon"].as_f64());
        matches!((lat, lon), (Some(lat), Some(lon)) if (51.0..=51.4).contains(&lat) && (35.0..=35.5).contains(&lon))
    };
    assert!(boxed.iter().any(|c| c["place"]["name"] == "Sudzha"));
    assert_eq!(boxed.len(), all.iter().filter(|c| inside(c)).count());
    assert!(boxed.iter().all(inside));

    let ukr = claims(&s, "side=ukr");
    assert!(!ukr.is_empty() && ukr.iter().all(|c| c["source"]["side"] == "UKR"));
    let denied = claims(&s, "stance=denied");
    assert!(denied.iter().all(|c| c["stance"] == "denied"));

    let text = claims(&s, "q=SURROUNDED");
    assert!(!text.is_empty());
    assert!(text.iter().all(|c| c["sentence"].as_str().unwrap().to_lowercase().contains("surrounded")));

    let dated = claims(&s, "since=2025-03-01&until=2025-03-31");
    assert!(!dated.is_empty());
    for c in &dated {
        assert!(c["when"]["end"].as_str().unwrap() >= "2025-03-01" && c["when"]["start"].as_str().unwrap() <= "2025-03-31");
    }
    // Every claim carries the spans the page highlights.
    for c in &all {
        let trigger = c["detail"]["trigger"].as_array().unwrap();
        let span = c["span"].as_array().unwrap();
        assert!(trigger[0].as_i64() >= span[0].as_i64() && trigger[1].as_i64() <= span[1].as_i64());
    }
}

#[test]
fn pages_are_stable_and_cover_the_listing_once() {
    let s = Server::start(Options::default());
    let all = ids(&claims(&s, ""));
    let n = all.len();
    let mut paged = Vec::new();
    let mut offset = 0;
    loop {
        let (status, body) = s.get(&format!("/api/claims?limit=5&offset={offset}&total=true"));
        assert_eq!(status, 200);
        assert_eq!(body["total"], n);
        paged.extend(ids(body["claims"].as_array().unwrap()));
        match body["next_offset"].as_i64() {
            Some(next) => offset = next,
            None => break,
        }
    }
    assert_eq!(paged, all);
    // Earliest first with undated claims last; the reverse order keeps them last too.
    let when: Vec<Option<String>> =
        claims(&s, "").iter().map(|c| c["when"]["start"].as_str().map(str::to_string)).collect();
    let dated: Vec<&String> = when.iter().flatten().collect();
    assert!(dated.windows(2).all(|w| w[0] <= w[1]));
    assert!(when.iter().skip_while(|w| w.is_some()).all(|w| w.is_none()));
    let desc: Vec<String> = claims(&s, "sort=-when").iter().filter_map(|c| c["when"]["start"].as_str().map(str::to_string)).collect();
    assert!(desc.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn bad_requests_get_clear_json_errors() {
    let s = Server::start(Options::default());
    for (query, status, words) in [
        ("/api/claims?limit=0", 400, "limit"),
        ("/api/claims?limit=201", 400, "limit"),
        ("/api/claims?offset=-1", 400, "offset"),
        ("/api/claims?bbox=1,2,3", 400, "bbox"),
        ("/api/claims?bbox=40,50,30,55", 400, "bbox"),
        ("/api/claims?since=2025-13-01", 400, "since"),
        ("/api/claims?since=2025-04-01&until=2025-03-01", 400, "after"),
        ("/api/claims?type=invasion", 400, "unknown type"),
        ("/api/claims?stance=sure", 400, "unknown stance"),
        ("/api/claims?side=Ukraine", 400, "alpha-3"),
        ("/api/claims?sort=random", 400, "sort"),
        ("/api/claims?colour=red", 400, "unknown field"),
        ("/api/claims/ffffffffffffffff", 404, "no claim"),
        ("/api/documents/ffffffffffff", 404, "no document"),
        ("/api/nothing-here", 404, "no such route"),
    ] {
        let (got, body) = s.get(query);
        assert_eq!(got, status, "{query}: {body}");
        assert_eq!(body["status"], status);
        assert!(body["error"].as_str().unwrap().contains(words), "{query}: {body}");
    }
    // A value that looks like SQL is only a value.
    assert!(claims(&s, "place=x'%20OR%201=1%20--").is_empty());
}

#[test]
fn a_document_comes_with_its_spans_into_its_text() {
    let s = Server::start(Options::default());
    let (status, body) = s.get("/api/documents/2025-03-13-sudzha-withdrawal");
    assert_eq!(status, 200, "{body}");
    let text: Vec<char> = body["document"]["text"].as_str().unwrap().chars().collect();
    let slice = |a: i64, b: i64| text[a as usize..b as usize].iter().collect::<String>();
    let mentions = body["mentions"].as_array().unwrap();
    assert!(mentions.iter().any(|m| m["kind"] == "place" && m["text"] == "Sudzha"));
    for m in mentions {
        assert_eq!(slice(m["start"].as_i64().unwrap(), m["end"].as_i64().unwrap()), m["text"].as_str().unwrap());
    }
    let claims = body["claims"].as_array().unwrap();
    assert!(!claims.is_empty());
    for c in claims {
        let [a, b] = [c["span"][0].as_i64().unwrap(), c["span"][1].as_i64().unwrap()];
        assert_eq!(slice(a, b), c["sentence"].as_str().unwrap());
        // The trigger is in the sentence; the other parts are in the article (a place
        // named by "the town" points back at its name in an earlier sentence).
        let t = &c["detail"]["trigger"];
        assert!(a <= t[0].as_i64().unwrap() && t[1].as_i64().unwrap() <= b);
        for part in ["place", "when", "quantity", "source"] {
            let p = &c["detail"][part];
            if p.is_array() {
                let [x, y] = [p[0].as_i64().unwrap(), p[1].as_i64().unwrap()];
                assert!(0 <= x && x < y && y as usize <= text.len(), "{part} span inside the text");
            }
        }
    }
    let (status, list) = s.get("/api/documents?limit=2");
    assert_eq!(status, 200);
    assert_eq!(list["documents"].as_array().unwrap().len(), 2);
    assert_eq!(list["total"], s.counts().0);
    assert_eq!(list["next_offset"], 2);
}

#[test]
fn places_and_timeline_count_the_filtered_claims() {
    let s = Server::start(Options::default());
    let (_, places) = s.get("/api/places");
    let places = places["places"].as_array().unwrap().clone();
    let sudzha = places.iter().find(|p| p["name"] == "Sudzha").unwrap();
    assert_eq!(sudzha["claims"].as_u64().unwrap() as usize, claims(&s, "place_id=geonames:486816").len());
    let (_, t) = s.get("/api/timeline");
    let dated: i64 = t["days"].as_array().unwrap().iter().map(|d| d["claims"].as_i64().unwrap()).sum();
    assert_eq!(dated + t["undated"].as_i64().unwrap(), s.counts().1);
    let (_, t) = s.get("/api/timeline?type=capture");
    let dated: i64 = t["days"].as_array().unwrap().iter().map(|d| d["claims"].as_i64().unwrap()).sum();
    assert_eq!(dated + t["undated"].as_i64().unwrap(), claims(&s, "type=capture").len() as i64);
}

const NEW_ARTICLE: &str = "title: Fighting near Kupiansk\noutlet: Test Wire\ndate: 2025-04-02\n\n\
    Ukrainian forces recaptured the village of Petropavlivka near Kupiansk on Tuesday, the General Staff said.\n\n\
    Russian troops shelled the town of Vovchansk overnight, regional officials said.\n";

#[test]
fn posting_needs_the_token_and_the_new_article_is_extracted() {
    let s = Server::start(Options { token: Some("test-token"), max_body: 4096 });
    let (articles, _) = s.counts();
    let (status, body) = s.get("/api/health");
    assert_eq!((status, body["writable"].as_bool()), (200, Some(true)));

    let (status, body) = s.post("/api/documents?name=kupiansk.txt", None, NEW_ARTICLE.as_bytes());
    assert_eq!(status, 401, "{body}");
    let (status, _) = s.post("/api/documents", Some("wrong-token"), NEW_ARTICLE.as_bytes());
    assert_eq!(status, 401);

    let (status, body) = s.post("/api/documents?name=kupiansk.txt", Some("test-token"), NEW_ARTICLE.as_bytes());
    assert_eq!(status, 201, "{body}");
    let item = &body["items"][0];
    assert_eq!(item["outcome"], "stored");
    assert!(item["claims"].as_i64().unwrap() >= 1, "{body}");
    let id = item["id"].as_str().unwrap();
    let new = claims(&s, &format!("doc={id}"));
    assert_eq!(new.len() as i64, item["claims"].as_i64().unwrap());
    assert!(new.iter().any(|c| c["type"] == "capture" && c["place"]["name"].as_str().is_some()), "{new:?}");
    assert!(new.iter().all(|c| c["event_id"].is_string()), "the new claims were reconciled into events");
    let (status, doc) = s.get(&format!("/api/documents/{id}"));
    assert_eq!(status, 200);
    assert_eq!(doc["document"]["outlet"], "Test Wire");

    // The same body again changes nothing.
    let (status, body) = s.post("/api/documents?name=kupiansk.txt", Some("test-token"), NEW_ARTICLE.as_bytes());
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["items"][0]["outcome"], "unchanged");
    // Nothing readable: 422 with the reason.
    let (status, body) = s.post("/api/documents", Some("test-token"), b"   \n");
    assert_eq!(status, 422, "{body}");
    assert!(body["error"].as_str().unwrap().contains("empty"));
    // Over the body limit: 413, and nothing stored.
    let big = "The front line did not move on Monday. ".repeat(200);
    let (status, body) = s.post("/api/documents", Some("test-token"), big.as_bytes());
    assert_eq!(status, 413, "{body}");
    let (_, health) = s.get("/api/health");
    assert_eq!(health["articles"], articles + 1);
}

#[test]
fn shutdown_waits_for_an_accepted_ingest() {
    let mut s = Server::start(Options { token: Some("t"), ..Options::default() });
    let (articles, claims_before) = s.counts();
    let base = s.base.clone();
    let poster = std::thread::spawn(move || {
        ureq::post(&format!("{base}/api/documents?name=late.txt"))
            .set("Authorization", "Bearer t")
            .send_string(NEW_ARTICLE)
            .map(|r| r.status())
            .map_err(|e| e.to_string())
    });
    // Once the article is committed the request is being served; its extraction (the
    // pipeline loads on the first ingest) is still to come when shutdown is asked.
    let db = s.db();
    let reader = sitrep_store::Store::open(&db).unwrap();
    let started = std::time::Instant::now();
    while reader.count_articles().unwrap() <= articles {
        assert!(started.elapsed().as_secs() < 60, "the ingest never started");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    s.stop();
    assert_eq!(poster.join().unwrap().unwrap(), 201, "the accepted request was answered");
    let store = sitrep_store::Store::open(&db).unwrap();
    let pending = store.articles_to_process(sitrep_extract::pipeline::PIPELINE_VERSION, false).unwrap();
    assert!(pending.is_empty(), "the new article was extracted before the server stopped");
    assert!(store.count_claims().unwrap() > claims_before);
}

#[test]
fn the_page_and_its_assets_are_served() {
    let s = Server::start(Options::default());
    let (status, ct, body) = s.get_text("/");
    assert_eq!((status, ct.as_str()), (200, "text/html"));
    assert!(body.contains("/assets/app.js"));
    for (path, ct) in [("/assets/app.js", "text/javascript"), ("/assets/app.css", "text/css"), ("/assets/basemap.json", "application/json")] {
        let (status, got, body) = s.get_text(path);
        assert_eq!((status, got.as_str()), (200, ct), "{path}");
        assert!(!body.is_empty());
    }
    let (_, _, basemap) = s.get_text("/assets/basemap.json");
    let basemap: Value = serde_json::from_str(&basemap).unwrap();
    assert!(basemap["areas"].as_array().unwrap().iter().any(|a| a["iso"] == "UA-63"), "Kharkiv oblast is drawn");
    assert_eq!(basemap["areas"].as_array().unwrap().iter().filter(|a| a["iso"] == "UA-43").count(), 1, "Crimea once");
    let (status, _, _) = s.get_text("/assets/nothing.js");
    assert_eq!(status, 404);
}

#[test]
fn reconciliation_routes_give_events_contradictions_control_numbers_and_the_report() {
    let s = Server::start(Options::default());
    // Events group claims; each lists its claims, and /api/events/{id} gives them whole.
    let (_, page) = s.get("/api/events?limit=200");
    let events = page["events"].as_array().unwrap();
    assert!(!events.is_empty());
    let total: usize = events.iter().map(|e| e["claims"].as_array().unwrap().len()).sum();
    assert_eq!(total, example_claims(), "every claim belongs to one event");
    let big = events.iter().max_by_key(|e| e["claims"].as_array().unwrap().len()).unwrap();
    let (status, one) = s.get(&format!("/api/events/{}", big["id"].as_str().unwrap()));
    assert_eq!(status, 200);
    assert_eq!(one["claims"].as_array().unwrap().len(), big["claims"].as_array().unwrap().len());
    assert!(one["claims"].as_array().unwrap().iter().all(|c| c["event_id"] == big["id"]));
    let (_, typed) = s.get("/api/events?type=capture");
    assert!(typed["events"].as_array().unwrap().iter().all(|e| e["type"] == "capture"));
    assert_eq!(s.get("/api/events?type=bogus").0, 400);
    assert_eq!(s.get("/api/events/nope").0, 404);

    // The encirclement dispute of the example corpus: asserted by some, denied by others.
    let (_, c) = s.get("/api/contradictions?kind=denial");
    let denials = c["contradictions"].as_array().unwrap();
    assert!(!denials.is_empty(), "{c}");
    for d in denials {
        assert_eq!(d["kind"], "denial");
        assert!(d["a"]["sentence"].is_string() && d["b"]["sentence"].is_string());
    }
    assert_eq!(s.get("/api/contradictions?kind=maybe").0, 400);
    // The claims involved link to each other.
    let a = denials[0]["a"]["claim_id"].as_str().unwrap();
    let b = denials[0]["b"]["claim_id"].as_str().unwrap();
    let linked = claims(&s, "links=true");
    let card = linked.iter().find(|x| x["claim_id"] == a).unwrap();
    assert!(card["links"]["contradictions"].as_array().unwrap().iter().any(|l| l["claim_id"] == b), "{}", card["links"]);
    assert!(card["links"]["event"]["claims"].as_i64().unwrap() >= 1);

    // Who holds Sudzha, since when, by whose claim.
    let (_, control) = s.get("/api/control?place=sudzha");
    let ledger = control["control"].as_array().unwrap();
    assert_eq!(ledger.len(), 1, "{control}");
    assert_eq!(ledger[0]["place"]["name"], "Sudzha");
    assert!(!ledger[0]["entries"].as_array().unwrap().is_empty());
    assert!(ledger[0]["current"].is_string());

    let (_, numbers) = s.get("/api/numbers");
    assert!(!numbers["numbers"].as_array().unwrap().is_empty());

    let (status, ct, md) = s.get_text("/api/report?format=md");
    assert_eq!((status, ct.as_str()), (200, "text/markdown"));
    assert!(md.contains("Sudzha"));
    let (status, ct, html) = s.get_text("/api/report?format=html&region=Kursk");
    assert_eq!((status, ct.as_str()), (200, "text/html"));
    assert!(html.contains("<html") && html.contains("Sudzha"));
    assert_eq!(s.get("/api/report?format=pdf").0, 400);
}
