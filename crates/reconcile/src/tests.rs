//! Reconciliation rules, on claims written for these tests.

use sitrep_lexicon::Lexicons;

use crate::model::*;
use crate::{reconcile, Rules};

fn rules() -> Rules {
    Rules::load(&Lexicons::embedded()).unwrap()
}

fn place(name: &str, id: &str, feature: &str, admin1: &str, country: &str, lat: f64, lon: f64) -> PlaceRef {
    PlaceRef {
        name: name.into(),
        gazetteer_id: Some(id.into()),
        feature: Some(feature.into()),
        admin1: Some(admin1.into()),
        country: Some(country.into()),
        lat: Some(lat),
        lon: Some(lon),
    }
}

// Coordinates are only compared with each other here; they are not a gazetteer.
fn sudzha() -> PlaceRef {
    place("Sudzha", "test:sudzha", "town", "Kursk Oblast", "RU", 51.19, 35.27)
}
fn kursk_oblast() -> PlaceRef {
    place("Kursk Oblast", "test:kursk-oblast", "region", "Kursk Oblast", "RU", 51.7, 36.3)
}
fn sumy_oblast() -> PlaceRef {
    place("Sumy Oblast", "test:sumy-oblast", "region", "Sumy Oblast", "UA", 51.1, 34.0)
}

/// A claim builder with sensible defaults.
struct C(ClaimInput);

impl C {
    fn new(id: &str, article: i64, ty: &str) -> C {
        C(ClaimInput {
            id: id.into(),
            article_id: format!("art{article}"),
            order: (article, 0),
            outlet: Some(format!("Outlet {article}")),
            published: Some("2025-03-14".into()),
            claim_type: ty.into(),
            stance: "asserted".into(),
            agent: None,
            target: None,
            place: None,
            when: None,
            quantity: None,
            source: SourceRef { name: "outlet".into(), kind: "outlet".into(), side: None },
        })
    }
    fn agent(mut self, a: &str) -> C {
        self.0.agent = Some(a.into());
        self
    }
    fn at(mut self, p: PlaceRef) -> C {
        self.0.place = Some(p);
        self
    }
    fn on(mut self, start: &str, end: &str) -> C {
        self.0.when = Some((start.into(), end.into()));
        self
    }
    fn published(mut self, d: &str) -> C {
        self.0.published = Some(d.into());
        self
    }
    fn stance(mut self, s: &str) -> C {
        self.0.stance = s.into();
        self
    }
    fn by(mut self, name: &str, kind: &str, side: Option<&str>) -> C {
        self.0.source = SourceRef { name: name.into(), kind: kind.into(), side: side.map(str::to_string) };
        self
    }
    fn quantity(mut self, value: Option<f64>, min: Option<f64>, max: Option<f64>, text: &str) -> C {
        self.0.quantity = Some(QuantityRef { value, min, max, unit: Some("troops".into()), text: text.into() });
        self
    }
}

fn event_of<'a>(r: &'a Reconciliation, claim: &str) -> &'a Event {
    let id = &r.assignments.iter().find(|(c, _)| c == claim).unwrap().1;
    r.events.iter().find(|e| &e.id == id).unwrap()
}

/// The encirclement dispute: a U.S. official and the U.S. president assert it, Ukraine's
/// general staff denies it.
fn encirclement() -> Vec<ClaimInput> {
    vec![
        C::new("a1", 1, "encirclement")
            .agent("RUSMIL")
            .at(kursk_oblast())
            .by("a U.S. military official", "anonymous_official", Some("USA"))
            .0,
        C::new("a2", 2, "encirclement").agent("RUSMIL").at(sudzha()).by("Donald Trump", "official", Some("USA")).0,
        C::new("a3", 3, "encirclement")
            .at(kursk_oblast())
            .stance("denied")
            .by("General Staff of the Armed Forces of Ukraine", "military", Some("UKR"))
            .0,
    ]
}

#[test]
fn claims_about_one_happening_form_one_event_with_sources_by_side() {
    let r = reconcile(encirclement(), &rules());
    let e = event_of(&r, "a1");
    assert_eq!(e.claims.len(), 3, "{e:#?}");
    assert_eq!(e.place.as_ref().unwrap().name, "Sudzha", "the most specific place names the event");
    assert_eq!(e.corroboration.sources, 3);
    assert_eq!(e.corroboration.outlets, 3);
    assert_eq!(e.corroboration.by_side.get("western_official"), Some(&2));
    assert_eq!(e.corroboration.by_side.get("ukrainian_official"), Some(&1));
    assert_eq!(e.corroboration.denied_by, vec!["General Staff of the Armed Forces of Ukraine".to_string()]);
}

#[test]
fn asserted_against_denied_is_a_contradiction_per_pair_of_sources() {
    let r = reconcile(encirclement(), &rules());
    let denials: Vec<_> = r.contradictions.iter().filter(|c| c.kind == "denial").collect();
    assert_eq!(denials.len(), 2, "{denials:#?}");
    for c in &denials {
        assert_eq!(c.b.source.name, "General Staff of the Armed Forces of Ukraine");
        assert_eq!(c.b.stance, "denied");
        assert!(c.summary.contains("denies"), "{}", c.summary);
    }
    assert!(event_of(&r, "a1").contradictions.len() == 2);
}

#[test]
fn a_denial_of_another_sides_action_is_no_contradiction() {
    let mut claims = encirclement();
    claims[2].agent = Some("UKRMIL".into());
    let r = reconcile(claims, &rules());
    assert!(r.contradictions.iter().all(|c| c.kind != "denial"), "{:#?}", r.contradictions);
}

#[test]
fn different_places_types_and_times_stay_apart() {
    let claims = vec![
        C::new("b1", 1, "capture").agent("RUSMIL").at(sudzha()).on("2025-03-13", "2025-03-13").0,
        C::new("b2", 2, "capture").agent("RUSMIL").at(sumy_oblast()).on("2025-03-13", "2025-03-13").0,
        C::new("b3", 3, "strike").agent("RUSMIL").at(sudzha()).on("2025-03-13", "2025-03-13").0,
        C::new("b4", 4, "capture").agent("RUSMIL").at(sudzha()).on("2025-05-01", "2025-05-01").0,
        C::new("b5", 5, "capture").agent("UKRMIL").at(sudzha()).on("2025-03-13", "2025-03-13").0,
        // One day apart: within the slack, so the same event as b1.
        C::new("b6", 6, "capture").agent("RUSMIL").at(sudzha()).on("2025-03-14", "2025-03-14").0,
    ];
    let r = reconcile(claims, &rules());
    let ids: Vec<&str> = ["b1", "b2", "b3", "b4", "b5", "b6"].iter().map(|c| event_of(&r, c).id.as_str()).collect();
    assert_eq!(ids[0], ids[5]);
    let distinct: std::collections::BTreeSet<&str> = ids[..5].iter().copied().collect();
    assert_eq!(distinct.len(), 5, "{ids:?}");
}

#[test]
fn a_vague_interval_joins_an_event_without_stretching_it() {
    let claims = vec![
        C::new("v1", 1, "capture").agent("RUSMIL").at(sudzha()).on("2025-03-13", "2025-03-13").0,
        C::new("v2", 2, "capture").agent("RUSMIL").at(sudzha()).on("2025-01-01", "2025-12-31").0,
        C::new("v3", 3, "capture").agent("RUSMIL").at(sudzha()).on("2025-09-01", "2025-09-01").0,
    ];
    let r = reconcile(claims, &rules());
    assert_eq!(event_of(&r, "v1").id, event_of(&r, "v2").id);
    assert_ne!(event_of(&r, "v1").id, event_of(&r, "v3").id, "the year-long claim must not chain March to September");
    assert_eq!(event_of(&r, "v1").start.as_deref(), Some("2025-03-13"));
}

#[test]
fn event_ids_are_stable_when_articles_are_added() {
    let base = encirclement();
    let first = reconcile(base.clone(), &rules());
    let mut more = base.clone();
    more.push(
        C::new("a4", 4, "encirclement")
            .agent("RUSMIL")
            .at(kursk_oblast())
            .by("Russian Ministry of Defence", "military", Some("RUS"))
            .0,
    );
    more.push(C::new("z9", 5, "strike").agent("RUSMIL").at(sumy_oblast()).on("2025-03-10", "2025-03-10").0);
    let second = reconcile(more.clone(), &rules());
    for (claim, event) in &first.assignments {
        assert_eq!(&event_of(&second, claim).id, event, "claim {claim} changed event");
    }
    assert_eq!(event_of(&second, "a4").id, event_of(&second, "a1").id);
    // Same input in another order: same result.
    more.reverse();
    assert_eq!(reconcile(more, &rules()).assignments.len(), second.assignments.len());
    assert_eq!(second, reconcile(second_input(), &rules()));
    fn second_input() -> Vec<ClaimInput> {
        let mut v = encirclement();
        v.push(
            C::new("a4", 4, "encirclement")
                .agent("RUSMIL")
                .at(kursk_oblast())
                .by("Russian Ministry of Defence", "military", Some("RUS"))
                .0,
        );
        v.push(C::new("z9", 5, "strike").agent("RUSMIL").at(sumy_oblast()).on("2025-03-10", "2025-03-10").0);
        v.reverse();
        v
    }
}

#[test]
fn every_claim_gets_an_event() {
    let claims = crate::synthetic::claims(5_000);
    let r = reconcile(claims.clone(), &rules());
    assert_eq!(r.assignments.len(), claims.len());
    let total: usize = r.events.iter().map(|e| e.claims.len()).sum();
    assert_eq!(total, claims.len());
    assert!(r.events.len() < claims.len(), "some claims must group");
}

/// The Sudzha history: Ukraine takes it in August 2024; the outlet reports the withdrawal
/// on 12 March 2025; Russia's defence ministry claims it; Ukraine's general staff has not
/// confirmed.
fn sudzha_history() -> Vec<ClaimInput> {
    let mod_ = ("Russian Ministry of Defence", "military", Some("RUS"));
    let gs = ("General Staff of the Armed Forces of Ukraine", "military", Some("UKR"));
    vec![
        C::new("s1", 1, "capture")
            .agent("UKRMIL")
            .at(sudzha())
            .on("2024-08-01", "2024-08-31")
            .published("2025-03-13")
            .0,
        C::new("s2", 1, "withdrawal")
            .agent("UKRMIL")
            .at(sudzha())
            .on("2025-03-12", "2025-03-12")
            .published("2025-03-13")
            .0,
        C::new("s3", 2, "capture").agent("RUSMIL").at(sudzha()).published("2025-03-13").by(mod_.0, mod_.1, mod_.2).0,
        C::new("s4", 2, "withdrawal").at(sudzha()).stance("unconfirmed").published("2025-03-13").by(gs.0, gs.1, gs.2).0,
    ]
}

#[test]
fn control_ledger_follows_captures_and_withdrawals() {
    let r = reconcile(sudzha_history(), &rules());
    let l = r.control.iter().find(|l| l.place.name == "Sudzha").expect("a ledger for Sudzha");
    let seq: Vec<(&str, &str, &str)> =
        l.entries.iter().map(|e| (e.since.as_str(), e.controller.as_str(), e.via.as_str())).collect();
    assert_eq!(
        seq,
        vec![("2024-08-01", "UKR", "capture"), ("2025-03-12", "RUS", "withdrawal"), ("2025-03-13", "RUS", "capture")]
    );
    assert_eq!(l.current.as_deref(), Some("RUS"));
    let withdrawal = &l.entries[1];
    assert_eq!(withdrawal.date_basis, "text");
    assert_eq!(withdrawal.unconfirmed_by.len(), 1);
    assert_eq!(withdrawal.unconfirmed_by[0].source.side.as_deref(), Some("UKR"));
    assert_eq!(l.entries[2].date_basis, "published", "the ministry's claim is dated only by its report");
    assert_eq!(l.entries[2].claimed_by[0].category, "russian_official");
}

#[test]
fn opposite_control_claims_from_opposite_sides_contradict() {
    let mut claims = sudzha_history();
    claims.push(
        C::new("s5", 3, "capture")
            .agent("UKRMIL")
            .at(sudzha())
            .on("2025-03-13", "2025-03-13")
            .by("General Staff of the Armed Forces of Ukraine", "military", Some("UKR"))
            .0,
    );
    let r = reconcile(claims, &rules());
    let control: Vec<_> = r.contradictions.iter().filter(|c| c.kind == "control").collect();
    assert_eq!(control.len(), 1, "{:#?}", r.contradictions);
    let sides = [control[0].a.source.side.as_deref(), control[0].b.source.side.as_deref()];
    assert!(sides.contains(&Some("RUS")) && sides.contains(&Some("UKR")));
}

#[test]
fn numbers_give_ranges_and_disjoint_values_contradict() {
    let claims = vec![
        C::new("n1", 1, "deployment")
            .agent("PRKMIL")
            .at(kursk_oblast())
            .quantity(Some(11_000.0), None, None, "about 11,000")
            .by("South Korean intelligence", "official", Some("KOR"))
            .0,
        C::new("n2", 2, "deployment")
            .agent("PRKMIL")
            .at(kursk_oblast())
            .quantity(Some(12_000.0), None, None, "around 12,000")
            .by("Ukrainian military intelligence", "military", Some("UKR"))
            .0,
        C::new("n3", 3, "deployment")
            .agent("RUSMIL")
            .at(kursk_oblast())
            .quantity(Some(78_000.0), None, None, "78,000")
            .by("Volodymyr Zelensky", "official", Some("UKR"))
            .0,
        C::new("n4", 4, "deployment")
            .agent("RUSMIL")
            .at(sumy_oblast())
            .quantity(None, None, Some(60_000.0), "up to 60,000")
            .by("Institute for the Study of War", "analyst", Some("USA"))
            .0,
        C::new("n5", 5, "deployment")
            .agent("RUSMIL")
            .at(sumy_oblast())
            .quantity(Some(200_000.0), None, None, "200,000")
            .stance("possible")
            .by("an analyst", "analyst", None)
            .0,
    ];
    let r = reconcile(claims, &rules());
    let prk = r.numbers.iter().find(|m| m.agent.as_deref() == Some("PRKMIL")).unwrap();
    assert_eq!(
        (prk.min, prk.max, prk.disputed),
        (Some(11_000.0), Some(12_000.0), false),
        "close figures are a range, not a dispute"
    );
    let rus = r.numbers.iter().find(|m| m.agent.as_deref() == Some("RUSMIL")).unwrap();
    assert!(rus.disputed);
    assert_eq!(rus.values.len(), 3);
    let q: Vec<_> = r.contradictions.iter().filter(|c| c.kind == "quantity").collect();
    assert_eq!(q.len(), 1, "78,000 vs up to 60,000 only; the possible 200,000 contradicts nothing: {q:#?}");
    let ids = [q[0].a.claim_id.as_str(), q[0].b.claim_id.as_str()];
    assert!(ids.contains(&"n3") && ids.contains(&"n4"));
}

#[test]
fn far_apart_fronts_do_not_contradict() {
    let far = place("Pokrovsk", "test:pokrovsk", "town", "Donetsk Oblast", "UA", 48.28, 37.18);
    let claims = vec![
        C::new("f1", 1, "deployment")
            .agent("RUSMIL")
            .at(kursk_oblast())
            .quantity(Some(78_000.0), None, None, "78,000")
            .by("A", "official", Some("UKR"))
            .0,
        C::new("f2", 2, "deployment")
            .agent("RUSMIL")
            .at(far)
            .quantity(Some(10_000.0), None, None, "10,000")
            .by("B", "official", Some("USA"))
            .0,
    ];
    let r = reconcile(claims, &rules());
    assert!(r.contradictions.is_empty(), "{:#?}", r.contradictions);
}

#[test]
fn numbers_months_apart_do_not_contradict_but_undated_ones_are_compared() {
    let q = |id: &str, art: i64, v: f64, published: Option<&str>| {
        let mut c = C::new(id, art, "deployment")
            .agent("RUSMIL")
            .at(kursk_oblast())
            .quantity(Some(v), None, None, "n troops")
            .by(&format!("source {id}"), "official", Some("UKR"))
            .0;
        c.published = published.map(str::to_string);
        c
    };
    let dated = vec![q("m1", 1, 50_000.0, Some("2024-09-01")), q("m2", 2, 78_000.0, Some("2025-03-14"))];
    assert!(reconcile(dated, &rules()).contradictions.is_empty(), "a force grows over six months");
    let undated = vec![q("u1", 1, 50_000.0, None), q("u2", 2, 78_000.0, None)];
    assert_eq!(reconcile(undated, &rules()).contradictions.len(), 1, "without any date, the figures are compared");
}
