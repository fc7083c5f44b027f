//! Tests of the event finder, with sentences written for them.

use std::sync::OnceLock;

use sitrep_language::{Feature, TimexType};

use super::*;
use crate::testkit::Fixture;
use EventType::*;

fn finder() -> &'static EventFinder {
    static F: OnceLock<EventFinder> = OnceLock::new();
    F.get_or_init(|| EventFinder::new(&sitrep_lexicon::Lexicons::embedded()).unwrap_or_else(|e| panic!("{e:#}")))
}

fn run(f: &Fixture) -> Vec<EventCandidate> {
    finder().find(&f.doc())
}

fn fixture(text: &str, places: &[&str]) -> Fixture {
    Fixture::new(text, places).whole_word_places().longest_places().naive_sentences()
}

/// (type, agent, target, place name) of each candidate.
type Row = (EventType, Option<String>, Option<String>, Option<String>);

fn rows(f: &Fixture) -> Vec<Row> {
    run(f).into_iter().map(|c| (c.event_type, c.agent, c.target, c.place.map(|i| f.places[i].name.clone()))).collect()
}

fn row(t: EventType, agent: Option<&str>, target: Option<&str>, place: Option<&str>) -> Row {
    (t, agent.map(String::from), target.map(String::from), place.map(String::from))
}

fn types(f: &Fixture) -> Vec<EventType> {
    run(f).into_iter().map(|c| c.event_type).collect()
}

/// The single candidate of type `t`.
fn only(f: &Fixture, t: EventType) -> EventCandidate {
    let all: Vec<EventCandidate> = run(f).into_iter().filter(|c| c.event_type == t).collect();
    assert_eq!(all.len(), 1, "{:?} in {:?}: {all:#?}", t, f.text);
    all.into_iter().next().unwrap()
}

// ---------------------------------------------------------------- lexicons

#[test]
fn embedded_lexicons_load() {
    EventFinder::new(&sitrep_lexicon::Lexicons::embedded()).unwrap();
}

#[test]
fn every_event_type_has_a_trigger() {
    let t = &finder().triggers;
    let mut reachable: Vec<EventType> = t.families.iter().flat_map(|f| f.default.into_iter().chain(f.rules.iter().filter_map(|r| r.outcome))).collect();
    reachable.sort();
    reachable.dedup();
    assert_eq!(reachable, ALL_TYPES.to_vec());
}

const ALL_TYPES: [EventType; 16] = [GroundAttack, Advance, Capture, Withdrawal, Encirclement, Strike, Repelled, Deployment, Casualties, Prisoners, Evacuation, Fortification, Aid, Diplomacy, Threat, Weapons];

#[test]
fn type_names_are_the_export_names() {
    for t in ALL_TYPES {
        assert_eq!(serde_json::to_value(t).unwrap(), serde_json::Value::String(lexicon::type_name(t).into()));
    }
}

#[test]
fn a_phrase_in_two_families_fails_to_load() {
    let dir = tempfile_dir();
    let mut text = sitrep_lexicon::Lexicons::embedded().raw(lexicon::TRIGGERS).unwrap().to_string();
    text.push_str("\n[[trigger]]\ntype = \"strike\"\nphrases = [\"recaptured\"]\n");
    std::fs::create_dir_all(dir.join("extract")).unwrap();
    std::fs::write(dir.join("extract/triggers.toml"), text).unwrap();
    let lex = sitrep_lexicon::Lexicons::load(Some(&dir)).unwrap();
    let err = EventFinder::new(&lex).err().expect("duplicate phrase accepted");
    assert!(format!("{err:#}").contains("recaptured"), "{err:#}");
    std::fs::remove_dir_all(&dir).ok();
}

fn tempfile_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("sitrep-events-test-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn a_new_trigger_word_needs_no_code() {
    let dir = tempfile_dir().join("added");
    let mut text = sitrep_lexicon::Lexicons::embedded().raw(lexicon::TRIGGERS).unwrap().to_string();
    text.push_str("\n[[trigger]]\ntype = \"strike\"\nphrases = [\"zapped\"]\n");
    std::fs::create_dir_all(dir.join("extract")).unwrap();
    std::fs::write(dir.join("extract/triggers.toml"), text).unwrap();
    let finder = EventFinder::new(&sitrep_lexicon::Lexicons::load(Some(&dir)).unwrap()).unwrap();
    let f = fixture("Russian forces zapped Kherson.", &["Kherson"]);
    let found = finder.find(&f.doc());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].event_type, Strike);
    std::fs::remove_dir_all(&dir).ok();
}

// ---------------------------------------------------------------- one family each

#[test]
fn ground_attack() {
    let f = fixture("Russian troops launched an assault on Vovchansk at dawn.", &["Vovchansk"]);
    assert_eq!(rows(&f), vec![row(GroundAttack, Some("RUSMIL"), None, Some("Vovchansk"))]);
    let f = fixture("Ukrainian units mounted a raid across the river near Krynky.", &["Krynky"]);
    assert_eq!(rows(&f), vec![row(GroundAttack, Some("UKRMIL"), None, Some("Krynky"))]);
}

#[test]
fn advance() {
    let f = fixture("Ukrainian units advanced three kilometers near Robotyne.", &["Robotyne"]).quantity("three kilometers", 3.0, "km");
    let c = only(&f, Advance);
    assert_eq!(c.agent.as_deref(), Some("UKRMIL"));
    assert_eq!(c.place, Some(f.place("Robotyne")));
    assert_eq!(c.quantity, Some(0));
    let f = fixture("Russian forces have gained ground west of Avdiivka.", &["Avdiivka"]);
    assert_eq!(types(&f), vec![Advance]);
}

#[test]
fn advance_is_not_a_diplomatic_move() {
    let f = fixture("The envoys hope to advance a ceasefire agreement this month.", &[]);
    assert!(!types(&f).contains(&Advance));
}

#[test]
fn capture() {
    let f = fixture("Russian forces retook Pishchane after a week of fighting.", &["Pishchane"]);
    assert_eq!(only(&f, Capture).agent.as_deref(), Some("RUSMIL"));
    let f = fixture("Ukrainian troops seized control of Novoivanovka.", &["Novoivanovka"]);
    assert_eq!(rows(&f), vec![row(Capture, Some("UKRMIL"), None, Some("Novoivanovka"))]);
}

#[test]
fn withdrawal() {
    let f = fixture("Ukrainian troops pulled back from Avdiivka overnight.", &["Avdiivka"]);
    assert_eq!(rows(&f), vec![row(Withdrawal, Some("UKRMIL"), None, Some("Avdiivka"))]);
}

#[test]
fn encirclement() {
    let f = fixture("Russian units have encircled Ukrainian brigades near Pokrovsk.", &["Pokrovsk"]).relation("Pokrovsk", "near");
    assert_eq!(rows(&f), vec![row(Encirclement, Some("RUSMIL"), Some("UKRMIL"), Some("Pokrovsk"))]);
    let f = fixture("The surrounding villages were quiet.", &[]);
    assert!(types(&f).is_empty());
}

#[test]
fn strike() {
    let f = fixture("A Russian drone attack hit Odesa on Tuesday night.", &["Odesa"]);
    assert_eq!(rows(&f), vec![row(Strike, Some("RUSMIL"), None, Some("Odesa"))]);
    let f = fixture("Russian artillery shelled Nikopol again.", &["Nikopol"]);
    assert_eq!(types(&f), vec![Strike]);
}

#[test]
fn repelled() {
    let f = fixture("Ukrainian defenders repelled a Russian assault on Chasiv Yar.", &["Chasiv Yar"]);
    assert_eq!(only(&f, Repelled).agent.as_deref(), Some("UKRMIL"));
    let attack = only(&f, GroundAttack);
    assert_eq!(attack.agent.as_deref(), Some("RUSMIL"));
    assert_eq!(attack.place, Some(f.place("Chasiv Yar")));
    // A phrasal verb split by its object.
    let f = fixture("Ukrainian troops pushed Russian units back from two villages near Kupiansk.", &["Kupiansk"]);
    let c = only(&f, Repelled);
    assert_eq!((c.agent.as_deref(), c.target.as_deref(), c.place), (Some("UKRMIL"), Some("RUSMIL"), Some(f.place("Kupiansk"))));
    let f = fixture("Russian troops pushed toward Kupiansk.", &["Kupiansk"]);
    assert!(!types(&f).contains(&Repelled));
    // Drones destroyed in the air: an attack defeated; a tank destroyed by drones: a loss.
    let f = fixture("Air defence units destroyed 54 Ukrainian drones over the Belgorod region.", &["Belgorod region"]);
    assert_eq!(types(&f), vec![Repelled]);
    let f = fixture("A Russian tank was destroyed by drones near Pokrovsk.", &["Pokrovsk"]);
    assert_eq!(types(&f), vec![Casualties]);
    let f = fixture("Ukrainian air defences shot down 36 drones over Kharkiv.", &["Kharkiv"]).quantity("36 drones", 36.0, "drones");
    assert_eq!(only(&f, Repelled).quantity, Some(0));
}

#[test]
fn a_target_hit_is_a_strike() {
    let f = fixture("Ukraine hit a military airfield in the Saratov region.", &["Saratov region"]);
    assert_eq!(only(&f, Strike).place, Some(f.place("Saratov region")));
    let f = fixture("The economy was hit hard by sanctions.", &[]);
    assert!(types(&f).is_empty(), "{:?}", types(&f));
}

#[test]
fn deployment() {
    let f = fixture("Russia has deployed 20,000 troops to Belgorod.", &["Belgorod"]).quantity("20,000 troops", 20000.0, "troops");
    let c = only(&f, Deployment);
    assert_eq!(c.agent.as_deref(), Some("RUSMIL"));
    assert_eq!(c.place, Some(f.place("Belgorod")));
    assert_eq!(c.quantity, Some(0));
    let f = fixture("Pyongyang sent soldiers to Kursk region last autumn.", &["Kursk region"]);
    assert_eq!(rows(&f), vec![row(Deployment, Some("PRKMIL"), None, Some("Kursk region"))]);
    let f = fixture("Pyongyang sent a letter to Kursk region.", &["Kursk region"]);
    assert!(types(&f).is_empty());
}

#[test]
fn casualties() {
    // The side that suffered is the agent, whatever the voice.
    let f = fixture("Ukrainian forces killed 300 Russian soldiers near Bakhmut.", &["Bakhmut"]);
    assert_eq!(rows(&f), vec![row(Casualties, Some("RUSMIL"), Some("UKRMIL"), Some("Bakhmut"))]);
    let f = fixture("About 500 North Korean soldiers were wounded in Kursk region.", &["Kursk region"]);
    assert_eq!(rows(&f), vec![row(Casualties, Some("PRKMIL"), None, Some("Kursk region"))]);
    let f = fixture("Russian losses near Vuhledar were heavy.", &["Vuhledar"]);
    assert_eq!(rows(&f), vec![row(Casualties, Some("RUSMIL"), None, Some("Vuhledar"))]);
    // Equipment lost stands for its side, the side that suffered the loss.
    let f = fixture("The Ukrainian brigade destroyed two Russian tanks near Robotyne.", &["Robotyne"]);
    assert_eq!(rows(&f), vec![row(Casualties, Some("RUSMIL"), Some("UKRMIL"), Some("Robotyne"))]);
}

#[test]
fn prisoners() {
    let f = fixture("Ukrainian forces captured 45 Russian soldiers near Sudzha.", &["Sudzha"]);
    assert_eq!(rows(&f), vec![row(Prisoners, Some("UKRMIL"), Some("RUSMIL"), Some("Sudzha"))]);
    let f = fixture("Dozens of Ukrainian soldiers were taken prisoner near Kupiansk.", &["Kupiansk"]);
    assert_eq!(rows(&f), vec![row(Prisoners, None, Some("UKRMIL"), Some("Kupiansk"))]);
    let f = fixture("The two sides carried out a prisoner exchange on Friday.", &[]);
    assert_eq!(types(&f), vec![Prisoners]);
    let f = fixture("Ukrainian soldiers were captured by Russian forces near Kupiansk.", &["Kupiansk"]);
    assert_eq!(types(&f), vec![Prisoners]);
    // A reported surrender; a demanded one is a threat.
    let f = fixture("Kovalenko said reports of mass surrender near Kupiansk were false.", &["Kupiansk"]);
    assert_eq!(types(&f), vec![Prisoners]);
    let f = fixture("Moscow demanded the surrender of the garrison at Kupiansk.", &["Kupiansk"]);
    assert!(types(&f).contains(&Threat) && !types(&f).contains(&Prisoners), "{:?}", types(&f));
    // A place as the subject of the passive is a place taken.
    let f = fixture("The village of Novoselivka was captured by Russian forces on Tuesday.", &["Novoselivka"]);
    assert_eq!(rows(&f), vec![row(Capture, Some("RUSMIL"), None, Some("Novoselivka"))]);
    let f = fixture("Fighting raged around Novoselivka. The village was captured by Russian troops.", &["Novoselivka"]);
    let c = only(&f, Capture);
    assert_eq!((c.agent.as_deref(), c.place), (Some("RUSMIL"), Some(f.place("Novoselivka"))));
}

#[test]
fn evacuation() {
    let f = fixture("Ukrainian authorities evacuated 1,200 residents from Kupiansk.", &["Kupiansk"]).quantity("1,200 residents", 1200.0, "people");
    let c = only(&f, Evacuation);
    assert_eq!(c.agent.as_deref(), Some("UKRGOV"));
    assert_eq!(c.place, Some(f.place("Kupiansk")));
    assert_eq!(c.quantity, Some(0));
}

#[test]
fn fortification() {
    // Two triggers of one type and no place: one candidate.
    let f = fixture("Ukraine is digging trenches and building anti-tank barriers.", &[]);
    assert_eq!(rows(&f), vec![row(Fortification, Some("UKRMIL"), None, None)]);
    let f = fixture("Ukraine reinforced its defenses around Zaporizhzhia.", &["Zaporizhzhia"]);
    assert_eq!(types(&f), vec![Fortification]);
}

#[test]
fn aid() {
    let f = fixture("The United States suspended military aid to Kyiv on March 3.", &["Kyiv"]).time("on March 3", TimexType::Date, "2025-03-03", Some(("2025-03-03", "2025-03-03")));
    let c = only(&f, Aid);
    assert_eq!(c.agent.as_deref(), Some("USAGOV"));
    assert_eq!(c.target.as_deref(), Some("UKRGOV"));
    // Kyiv is the receiving party here, not where anything happened.
    assert_eq!(c.place, None);
    assert_eq!(c.when, Some(0));
    let f = fixture("Germany pledged new deliveries for Ukraine.", &["Ukraine"]);
    assert_eq!(only(&f, Aid).agent.as_deref(), Some("DEUGOV"));
    let f = fixture("Washington resumed intelligence sharing with Kyiv.", &["Kyiv", "Washington"]);
    assert_eq!(only(&f, Aid).agent.as_deref(), Some("USAGOV"));
}

#[test]
fn diplomacy() {
    let f = fixture("The U.S. envoy met Vladimir Putin in Moscow on Thursday.", &["Moscow"]);
    assert_eq!(rows(&f), vec![row(Diplomacy, Some("USAGOV"), Some("RUSGOV"), Some("Moscow"))]);
    let f = fixture("Delegations held talks in Istanbul.", &["Istanbul"]);
    assert_eq!(rows(&f), vec![row(Diplomacy, None, None, Some("Istanbul"))]);
}

#[test]
fn threat() {
    // "threatened to seize": one threat claim, not a capture.
    let f = fixture("The Kremlin threatened to seize Odesa.", &["Odesa"]);
    assert_eq!(rows(&f), vec![row(Threat, Some("RUSGOV"), None, Some("Odesa"))]);
    let f = fixture("Putin proposed a buffer zone in Kharkiv region.", &["Kharkiv region"]);
    assert_eq!(rows(&f), vec![row(Threat, Some("RUSGOV"), None, Some("Kharkiv region"))]);
}

#[test]
fn weapons() {
    let f = fixture("Ukraine tested a new long-range drone in March.", &[]);
    assert_eq!(types(&f), vec![Weapons]);
    let f = fixture("Inspectors tested the water supply in Kherson.", &["Kherson"]);
    assert!(types(&f).is_empty());
    let f = fixture("Kyiv announced the deployment of a new cruise missile.", &[]);
    assert_eq!(types(&f), vec![Weapons]);
}

// ---------------------------------------------------------------- disambiguation

#[test]
fn captured_people_are_prisoners_and_captured_places_are_captures() {
    let f = fixture("Ukrainian forces captured Russian servicemen.", &[]);
    assert_eq!(types(&f), vec![Prisoners]);
    let f = fixture("Russian forces captured Toretsk from Ukrainian troops.", &["Toretsk"]);
    assert_eq!(rows(&f), vec![row(Capture, Some("RUSMIL"), Some("UKRMIL"), Some("Toretsk"))]);
}

#[test]
fn an_attack_by_drone_or_missile_is_a_strike() {
    let f = fixture("Russian forces attacked Kharkiv with missiles.", &["Kharkiv"]);
    assert_eq!(types(&f), vec![Strike]);
    let f = fixture("Russian forces attacked Kharkiv from the north.", &["Kharkiv"]);
    assert_eq!(types(&f), vec![GroundAttack]);
}

#[test]
fn lost_places_are_withdrawals_and_lost_soldiers_casualties() {
    let f = fixture("Ukraine lost Vuhledar in October.", &["Vuhledar"]);
    assert_eq!(rows(&f), vec![row(Withdrawal, Some("UKRMIL"), None, Some("Vuhledar"))]);
    let f = fixture("Russia lost 120 tanks near Vuhledar.", &["Vuhledar"]);
    assert_eq!(rows(&f), vec![row(Casualties, Some("RUSMIL"), None, Some("Vuhledar"))]);
    let f = fixture("Moscow wants to retake the lost ground.", &[]);
    assert!(!types(&f).contains(&Withdrawal));
}

#[test]
fn taken_alone_is_no_trigger() {
    let f = fixture("Measures were taken in Kharkiv.", &["Kharkiv"]);
    assert!(types(&f).is_empty());
    let f = fixture("Russian forces have taken back Kupiansk.", &["Kupiansk"]);
    assert_eq!(types(&f), vec![Capture]);
}

#[test]
fn questions_carry_no_claim() {
    let f = fixture("Will Russian forces capture Pokrovsk? Russian forces shelled Pokrovsk.", &["Pokrovsk"]);
    let found = run(&f);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].event_type, Strike);
    assert_eq!(found[0].sentence, 1);
}

#[test]
fn a_hypothetical_happening_is_no_claim() {
    // Talk of what may come: no event took place.
    for text in [
        "The possibility of a ceasefire in Kursk remains uncertain.",
        "Kyiv hopes to keep the land as leverage in future peace talks.",
        "Sanctions could weaken Kyiv's position in peace talks.",
        "In the context of peace negotiations, Kursk matters.",
        "Kyiv asked for help to safeguard Sumy from future attacks.",
        "Ukrainian units are capable of launching counteroffensives near Kursk.",
        "Russia has had the capability to retake Sudzha for weeks.",
        "Kyiv remains wary of any premature negotiations over Kursk.",
        "Any diplomatic solution must respect the borders of Sumy.",
    ] {
        let places: Vec<&str> = ["Kursk", "Sumy", "Sudzha"].into_iter().filter(|p| text.contains(p)).collect();
        let f = fixture(text, &places);
        assert!(types(&f).is_empty(), "{text}: {:?}", types(&f));
    }
    // The same words as reports still count.
    let f = fixture("Russia and Ukraine held peace talks in Istanbul.", &["Istanbul"]);
    assert_eq!(types(&f), vec![Diplomacy]);
    let f = fixture("Russian forces launched new attacks on Sumy.", &["Sumy"]);
    assert_eq!(types(&f), vec![GroundAttack]);
}

#[test]
fn what_someone_acts_against_did_not_happen() {
    for text in [
        "Kyiv wanted a buffer zone to prevent further incursions into Sumy.",
        "The operation aims to deter new Russian advances toward Kharkiv.",
        "Ukrainian forces withdrew from Sudzha to avoid encirclement.",
        "Ukrainian troops prevented the capture of Sumy.",
        "Soldiers hid in the forest near Kharkiv to avoid capture.",
    ] {
        let places: Vec<&str> = ["Sumy", "Kharkiv", "Sudzha"].into_iter().filter(|p| text.contains(p)).collect();
        let f = fixture(text, &places);
        assert!(!types(&f).iter().any(|t| matches!(t, GroundAttack | Advance | Encirclement | Capture | Prisoners)), "{text}: {:?}", types(&f));
    }
    // Unless preventing it failed.
    let f = fixture("Ukrainian units failed to prevent Russian advances near Pokrovsk.", &["Pokrovsk"]);
    assert_eq!(types(&f), vec![Advance]);
    let f = fixture("The brigade failed to avoid encirclement near Pokrovsk.", &["Pokrovsk"]);
    assert_eq!(types(&f), vec![Encirclement]);
}

#[test]
fn a_demanded_or_refused_withdrawal_is_no_withdrawal() {
    let f = fixture("Putin has attached several demands, including the withdrawal of Ukrainian troops from Kherson.", &["Kherson"]);
    assert!(!types(&f).contains(&Withdrawal), "{:?}", types(&f));
    assert!(types(&f).contains(&Threat), "{:?}", types(&f));
    let f = fixture("Moscow threatened to seize Sumy if Ukraine refused to withdraw its forces from Donetsk.", &["Sumy", "Donetsk"]);
    assert!(!types(&f).contains(&Withdrawal), "{:?}", types(&f));
    let f = fixture("Ukrainian troops withdrew from Sudzha.", &["Sudzha"]);
    assert_eq!(types(&f), vec![Withdrawal]);
}

#[test]
fn the_adjective_advanced_is_no_advance() {
    for text in [
        "Ukraine asked for more advanced air defense systems for Kharkiv.",
        "The advanced use of technology near Kharkiv surprised analysts.",
        "Kyiv received advanced weapons in Kharkiv.",
    ] {
        let f = fixture(text, &["Kharkiv"]);
        assert!(!types(&f).contains(&Advance), "{text}: {:?}", types(&f));
    }
    let f = fixture("Russian troops advanced toward Kharkiv.", &["Kharkiv"]);
    assert_eq!(types(&f), vec![Advance]);
}

#[test]
fn take_in_a_fixed_phrase_is_no_capture() {
    for text in [
        "Russia may be trying to take advantage of Ukraine's shortages.",
        "Heavy fighting is taking place in Kursk.",
        "Soldiers from Kursk took part in the parade.",
    ] {
        let places: Vec<&str> = ["Ukraine", "Kursk"].into_iter().filter(|p| text.contains(p)).collect();
        let f = fixture(text, &places);
        assert!(!types(&f).contains(&Capture), "{text}: {:?}", types(&f));
    }
    let f = fixture("Russian forces took Sudzha.", &["Sudzha"]);
    assert_eq!(types(&f), vec![Capture]);
}

#[test]
fn readying_an_attack_is_a_ground_attack() {
    // Its stance (planned) is attribution's business; the type is ground_attack.
    let f = fixture("Russia is readying a new attack on Sumy region.", &["Sumy region"]);
    assert_eq!(rows(&f), vec![row(GroundAttack, Some("RUSMIL"), None, Some("Sumy region"))]);
}

#[test]
fn words_inside_compounds_do_not_fire() {
    let f = fixture("Pro-Russian bloggers posted counter-offensive memes and self-strike jokes.", &[]);
    assert_eq!(types(&f), vec![GroundAttack]);
    assert_eq!(&f.text[run(&f)[0].trigger.start..run(&f)[0].trigger.end], "counter-offensive");
}

// ---------------------------------------------------------------- actors

#[test]
fn agent_of_an_active_verb_is_its_subject() {
    let f = fixture("Russia struck Lviv overnight.", &["Russia", "Lviv"]);
    // "Russia" is the actor here, not the place.
    assert_eq!(rows(&f), vec![row(Strike, Some("RUSMIL"), None, Some("Lviv"))]);
}

#[test]
fn agent_of_a_passive_is_its_by_phrase() {
    let f = fixture("Sudzha was retaken by Russian forces.", &["Sudzha"]);
    assert_eq!(rows(&f), vec![row(Capture, Some("RUSMIL"), None, Some("Sudzha"))]);
    let f = fixture("Ukrainian brigades are fully surrounded by the Russian army.", &[]);
    assert_eq!(rows(&f), vec![row(Encirclement, Some("RUSMIL"), Some("UKRMIL"), None)]);
}

#[test]
fn possessives_name_the_side() {
    let f = fixture("Kyiv's troops withdrew from Krynky.", &["Kyiv", "Krynky"]);
    assert_eq!(rows(&f), vec![row(Withdrawal, Some("UKRMIL"), None, Some("Krynky"))]);
    let f = fixture("Moscow’s army advanced toward Kupiansk.", &["Moscow", "Kupiansk"]);
    assert_eq!(rows(&f), vec![row(Advance, Some("RUSMIL"), None, Some("Kupiansk"))]);
    let f = fixture("Ukraine's incursion into Kursk region surprised everyone.", &["Ukraine", "Kursk region"]);
    assert_eq!(rows(&f), vec![row(GroundAttack, Some("UKRMIL"), None, Some("Kursk region"))]);
}

#[test]
fn pronouns_carry_the_actor_over_sentences() {
    let f = fixture("Ukrainian troops crossed the border in August. They captured Sudzha within days.", &["Sudzha"]);
    let c = only(&f, Capture);
    assert_eq!(c.agent.as_deref(), Some("UKRMIL"));
    assert!(c.evidence.iter().any(|e| e.part == "agent" && e.rule.contains("They → Ukrainian troops")), "{:?}", c.evidence);
    let f = fixture("Russia moved reserves north. Its forces then stormed Vovchansk.", &["Vovchansk"]);
    assert_eq!(only(&f, GroundAttack).agent.as_deref(), Some("RUSMIL"));
    let f = fixture("Russia's Defence Ministry said its forces recaptured Olgovka.", &["Olgovka"]);
    assert_eq!(rows(&f), vec![row(Capture, Some("RUSMIL"), None, Some("Olgovka"))]);
}

#[test]
fn a_pronoun_without_an_actor_before_it_names_nobody() {
    let f = fixture("They captured Sudzha within days.", &["Sudzha"]);
    assert_eq!(rows(&f), vec![row(Capture, None, None, Some("Sudzha"))]);
}

#[test]
fn target_is_the_other_side_where_the_text_names_it() {
    let f = fixture("Moscow's army pushed back against Ukrainian troops in Kursk region.", &["Kursk region"]);
    assert_eq!(rows(&f), vec![row(GroundAttack, Some("RUSMIL"), Some("UKRMIL"), Some("Kursk region"))]);
}

#[test]
fn an_actor_of_a_later_clause_is_no_object() {
    let f = fixture("The offensive was launched after Ukrainian troops left Sumy.", &["Sumy"]);
    let attack = only(&f, GroundAttack);
    assert_eq!(attack.target, None);
}

#[test]
fn the_speaker_is_no_party() {
    let f = fixture("Russian forces captured Toretsk, Ukrainian officials said.", &["Toretsk"]);
    assert_eq!(rows(&f), vec![row(Capture, Some("RUSMIL"), None, Some("Toretsk"))]);
    let f = fixture("According to Ukrainian officials, troops shelled Horlivka.", &["Horlivka"]);
    assert_eq!(rows(&f), vec![row(Strike, None, None, Some("Horlivka"))]);
}

#[test]
fn civilians_are_never_the_agent() {
    let f = fixture("Russian shelling killed four civilians in Kherson.", &["Kherson"]).resolved("Kherson", Feature::City, "UA");
    let strike = only(&f, Strike);
    assert_eq!(strike.agent.as_deref(), Some("RUSMIL"));
    let dead = only(&f, Casualties);
    assert_eq!(dead.agent, None);
    assert_eq!(dead.target.as_deref(), Some("UKRCVL"));
}

#[test]
fn government_and_military_roles_follow_the_event() {
    let f = fixture("The Kremlin demanded that Ukraine withdraw from Zaporizhzhia.", &["Ukraine", "Zaporizhzhia"]);
    assert_eq!(only(&f, Threat).agent.as_deref(), Some("RUSGOV"));
    // The demanded withdrawal is the Kremlin's threat, not a withdrawal.
    assert!(!types(&f).contains(&Withdrawal));
    let f = fixture("Ukraine withdrew from Zaporizhzhia.", &["Ukraine", "Zaporizhzhia"]);
    assert_eq!(only(&f, Withdrawal).agent.as_deref(), Some("UKRMIL"));
    let f = fixture("North Korean troops stormed positions near Sudzha.", &["Sudzha"]);
    assert_eq!(only(&f, GroundAttack).agent.as_deref(), Some("PRKMIL"));
    let f = fixture("South Korean intelligence tested new spy drones.", &[]);
    assert_eq!(only(&f, Weapons).agent.as_deref(), Some("KORINT"));
}

#[test]
fn adjectival_and_affiliation_uses_are_no_actors() {
    let f = fixture("A Russian military analyst said Ukrainian forces advanced near Robotyne.", &["Robotyne"]);
    assert_eq!(only(&f, Advance).agent.as_deref(), Some("UKRMIL"));
    let f = fixture("The plan was to cut Russian military supply lines and create a buffer zone.", &[]);
    assert_eq!(only(&f, Threat).agent, None);
}

#[test]
fn acronyms_match_only_in_capitals() {
    let f = fixture("US forces deployed to Poland.", &["Poland"]);
    assert_eq!(only(&f, Deployment).agent.as_deref(), Some("USAMIL"));
    let f = fixture("Let us deploy patience.", &[]);
    assert_eq!(only(&f, Deployment).agent, None);
}

#[test]
fn a_capitalised_trigger_inside_a_sentence_is_part_of_a_name() {
    let f = fixture("Discover more from Defence Talks, a news site about the war.", &[]);
    assert!(types(&f).is_empty(), "{:?}", types(&f));
    // Still the word where it opens the sentence or a quotation, or in a title-case headline.
    let f = fixture("Talks between Kyiv and Moscow resumed in Istanbul.", &["Kyiv", "Moscow", "Istanbul"]);
    assert_eq!(types(&f), [Diplomacy]);
    let f = fixture("Russian Forces Recapture Sudzha", &["Sudzha"]);
    assert_eq!(types(&f), [Capture]);
}

#[test]
fn coordinated_verbs_share_their_subject() {
    let f = fixture("Russian forces surrounded Ukrainian troops and shelled Kurakhove.", &["Kurakhove"]);
    assert_eq!(only(&f, Strike).agent.as_deref(), Some("RUSMIL"));
    // Not across a subordinate clause.
    let f = fixture("Russian delegates threatened Ukraine if Ukraine withdrew from Kherson.", &["Ukraine", "Kherson"]);
    assert_eq!(only(&f, Withdrawal).agent.as_deref(), Some("UKRMIL"));
}

// ---------------------------------------------------------------- one claim per (type, place)

#[test]
fn one_candidate_per_place_of_a_list() {
    let f = fixture("Russian forces recaptured the villages of Rubanshchina and Zaoleshenka, both near Sudzha.", &["Rubanshchina", "Zaoleshenka", "Sudzha"])
        .relation("Sudzha", "near");
    assert_eq!(
        rows(&f),
        vec![row(Capture, Some("RUSMIL"), None, Some("Rubanshchina")), row(Capture, Some("RUSMIL"), None, Some("Zaoleshenka"))]
    );
    let f = fixture("Russia demanded a pullout from Kherson, Zaporizhzhia and Donetsk.", &["Kherson", "Zaporizhzhia", "Donetsk"]);
    let places: Vec<Option<String>> = rows(&f).into_iter().filter(|r| r.0 == Threat).map(|r| r.3).collect();
    assert_eq!(places, vec![Some("Kherson".into()), Some("Zaporizhzhia".into()), Some("Donetsk".into())]);
}

#[test]
fn a_comma_without_a_conjunction_makes_no_list() {
    let f = fixture("Russian troops advanced into Sumy, Kharkiv officials warned.", &["Sumy", "Kharkiv"]);
    let places: Vec<Option<String>> = rows(&f).into_iter().map(|r| r.3).collect();
    assert_eq!(places, vec![Some("Sumy".into())]);
}

#[test]
fn one_event_without_a_place_is_one_candidate() {
    let f = fixture("Ukrainian forces withdrew and retreated quickly.", &[]);
    assert_eq!(rows(&f), vec![row(Withdrawal, Some("UKRMIL"), None, None)]);
}

#[test]
fn different_types_in_a_sentence_give_different_candidates() {
    let f = fixture("Russian forces shelled Kharkiv and captured Vovchansk.", &["Kharkiv", "Vovchansk"]);
    assert_eq!(rows(&f), vec![row(Strike, Some("RUSMIL"), None, Some("Kharkiv")), row(Capture, Some("RUSMIL"), None, Some("Vovchansk"))]);
}

#[test]
fn the_same_type_twice_at_one_place_is_one_candidate() {
    let f = fixture("Russian forces attacked Kupiansk and assaulted Kupiansk again.", &["Kupiansk"]);
    assert_eq!(rows(&f), vec![row(GroundAttack, Some("RUSMIL"), None, Some("Kupiansk"))]);
}

// ---------------------------------------------------------------- arguments

#[test]
fn the_same_clause_beats_the_same_sentence() {
    let f = fixture("Russian forces shelled Kharkiv on Monday, while Ukrainian troops advanced near Kupiansk.", &["Kharkiv", "Kupiansk"])
        .time("on Monday", TimexType::Date, "2025-03-17", Some(("2025-03-17", "2025-03-17")));
    let strike = only(&f, Strike);
    assert_eq!(strike.place, Some(f.place("Kharkiv")));
    assert_eq!(strike.when, Some(0));
    let advance = only(&f, Advance);
    assert_eq!(advance.agent.as_deref(), Some("UKRMIL"));
    assert_eq!(advance.place, Some(f.place("Kupiansk")));
    // No time in its own clause: the sentence's.
    assert_eq!(advance.when, Some(0));
    assert!(advance.evidence.iter().any(|e| e.part == "when" && e.rule.contains("same sentence")));
    assert!(strike.evidence.iter().any(|e| e.part == "when" && e.rule.contains("same clause")));
}

#[test]
fn a_relative_clause_with_its_own_event_keeps_its_arguments() {
    let f = fixture("Russian forces shelled Kharkiv, where Ukrainian troops had advanced on Monday.", &["Kharkiv"])
        .time("on Monday", TimexType::Date, "2025-03-17", Some(("2025-03-17", "2025-03-17")));
    assert_eq!(only(&f, Strike).when, None);
    assert_eq!(only(&f, Advance).when, Some(0));
    // A relative clause without an event of its own lends its time.
    let f = fixture("Russian forces shelled Kharkiv, which lies near the border, on Monday.", &["Kharkiv"])
        .time("on Monday", TimexType::Date, "2025-03-17", Some(("2025-03-17", "2025-03-17")));
    assert_eq!(only(&f, Strike).when, Some(0));
}

#[test]
fn a_relative_clause_keeps_its_places() {
    let f = fixture("Sumy region, which borders Kursk region, was shelled again.", &["Sumy region", "Kursk region"]);
    assert_eq!(only(&f, Strike).place, Some(f.place("Sumy region")));
}

#[test]
fn movement_from_x_into_y_is_at_y_and_a_withdrawal_from_x_at_x() {
    let f = fixture("Ukrainian forces launched an incursion from Sumy into Russia's Belgorod region.", &["Sumy", "Russia", "Belgorod region"]);
    assert_eq!(rows(&f), vec![row(GroundAttack, Some("UKRMIL"), None, Some("Belgorod region"))]);
    let f = fixture("Ukrainian troops withdrew from Sudzha toward Sumy.", &["Sudzha", "Sumy"]);
    assert_eq!(rows(&f), vec![row(Withdrawal, Some("UKRMIL"), None, Some("Sudzha"))]);
}

#[test]
fn near_x_is_at_x() {
    let f = fixture("Heavy fighting continued southeast of Pokrovsk.", &["Pokrovsk"]).relation("Pokrovsk", "southeast of");
    let c = only(&f, GroundAttack);
    assert_eq!(c.place, Some(f.place("Pokrovsk")));
    assert!(c.evidence.iter().any(|e| e.part == "place" && e.rule.contains("southeast of")), "{:?}", c.evidence);
}

#[test]
fn a_neighbour_is_not_the_place() {
    // The places the region borders are not where the shelling was.
    let f = fixture("This region, which borders both Kursk and Belgorod, has been a target of Russian shelling.", &["Kursk", "Belgorod"]);
    assert_eq!(rows(&f), vec![row(Strike, Some("RUSMIL"), None, None)]);
    let f = fixture("Russian forces shelled villages bordering Kharkiv, Sumy and Chernihiv.", &["Kharkiv", "Sumy", "Chernihiv"]);
    assert_eq!(only(&f, Strike).place, None);
    // A list after a preposition keeps each place: "toward Pokrovsk and Kupiansk".
    let f = fixture("Russian troops advanced toward Pokrovsk and Kupiansk.", &["Pokrovsk", "Kupiansk"]);
    let places: Vec<Option<String>> = rows(&f).into_iter().map(|r| r.3).collect();
    assert_eq!(places, vec![Some("Pokrovsk".into()), Some("Kupiansk".into())]);
}

#[test]
fn a_qualifying_place_is_not_the_place() {
    let f = fixture("Russian troops entered the town of Sudzha, Kursk region, and the village of Martynovka.", &["Sudzha", "Kursk region", "Martynovka"]);
    let places: Vec<Option<String>> = rows(&f).into_iter().map(|r| r.3).collect();
    assert_eq!(places, vec![Some("Sudzha".into())]);
    let f = fixture("Russia’s Kursk region came under attack.", &["Russia", "Kursk region"]);
    assert_eq!(only(&f, GroundAttack).place, Some(f.place("Kursk region")));
    // News text mistypes the apostrophe (a left quote, a modifier letter): still a possessive.
    for apostrophe in ['‘', 'ʼ', '`'] {
        let text = format!("Ukraine launched fresh offensives in Russia{apostrophe}s southern Kursk region.");
        let f = fixture(&text, &["Russia", "Kursk region"]);
        assert_eq!(only(&f, GroundAttack).place, Some(f.place("Kursk region")), "{text}");
    }
}

#[test]
fn places_in_titles_and_affiliations_are_skipped() {
    let f = fixture("The acting governor of Belgorod region reported a drone strike.", &["Belgorod region"]);
    assert_eq!(only(&f, Strike).place, None);
    let f = fixture("A Washington-based group said Russian troops advanced.", &["Washington"]);
    assert_eq!(only(&f, Advance).place, None);
    let f = fixture("Ukraine's General Staff said Russian troops massed.", &["Ukraine"]);
    assert_eq!(only(&f, Deployment).place, None);
}

#[test]
fn the_town_is_the_latest_settlement() {
    let f = fixture("Fighting raged around Sudzha for days. Russian forces have now taken back the town.", &["Sudzha"]);
    let c = only(&f, Capture);
    assert_eq!(c.place, Some(f.place("Sudzha")));
    assert!(c.evidence.iter().any(|e| e.part == "place" && e.rule.contains("the town")));
    // A quantity between trigger and anaphor does not count toward its window.
    let f = fixture("Fighting raged around Sudzha for days. Officials evacuated about 2,300 people from the town.", &["Sudzha"]).quantity("about 2,300 people", 2300.0, "people");
    assert_eq!(only(&f, Evacuation).place, Some(f.place("Sudzha")));
    // "the city of Kherson" names its own place.
    let f = fixture("Fighting raged around Kharkiv. Russian forces have been shelling the city of Kherson for months.", &["Kharkiv", "Kherson"]);
    assert_eq!(only(&f, Strike).place, Some(f.place("Kherson")));
    let f = fixture("Fighting raged around Kharkiv. Russian forces shelled the town Kupiansk.", &["Kharkiv", "Kupiansk"]);
    assert_eq!(only(&f, Strike).place, Some(f.place("Kupiansk")));
}

#[test]
fn a_report_time_is_not_the_time_of_the_happening() {
    let f = fixture("Russian forces captured Toretsk, the ministry said on Friday.", &["Toretsk"]).time("on Friday", TimexType::Date, "2025-03-14", Some(("2025-03-14", "2025-03-14")));
    assert_eq!(only(&f, Capture).when, None);
    let f = fixture("Russian forces captured Toretsk on Friday.", &["Toretsk"]).time("on Friday", TimexType::Date, "2025-03-14", Some(("2025-03-14", "2025-03-14")));
    assert_eq!(only(&f, Capture).when, Some(0));
    // A wire dateline dates the filing.
    let f = fixture("KYIV, June 5 (Reuters) - Russian forces captured Toretsk, the ministry said.", &["Toretsk"]).time("June 5", TimexType::Date, "2025-06-05", Some(("2025-06-05", "2025-06-05")));
    assert_eq!(only(&f, Capture).when, None);
    let f = fixture("KHARKIV, Ukraine, June 5 (AP) — Russian forces captured Toretsk.", &["Toretsk"]).time("June 5", TimexType::Date, "2025-06-05", Some(("2025-06-05", "2025-06-05")));
    assert_eq!(only(&f, Capture).when, None);
    let f = fixture("On June 5, Russian forces captured Toretsk.", &["Toretsk"]).time("June 5", TimexType::Date, "2025-06-05", Some(("2025-06-05", "2025-06-05")));
    assert_eq!(only(&f, Capture).when, Some(0));
}

#[test]
fn a_duration_serves_as_time_only_when_it_can_be_placed_and_no_date_is_there() {
    let f = fixture("Over the past week, Russian forces advanced near Pokrovsk.", &["Pokrovsk"]).time("Over the past week", TimexType::Duration, "P1W", Some(("2025-03-14", "2025-03-21")));
    assert_eq!(only(&f, Advance).when, Some(0));
    let f = fixture("For six months, Ukrainian troops occupied Sudzha.", &["Sudzha"]).time("six months", TimexType::Duration, "P6M", None);
    assert_eq!(only(&f, Capture).when, None);
}

#[test]
fn a_quantity_must_fit_the_event_type() {
    let f = fixture("Russia stationed 78,000 troops within 30 kilometers of Kharkiv.", &["Kharkiv"])
        .quantity("78,000 troops", 78000.0, "troops")
        .quantity("30 kilometers", 30.0, "km");
    let c = only(&f, Deployment);
    assert_eq!(c.quantity.map(|i| f.quantities[i].unit.clone()), Some(Some("troops".into())));
    let f = fixture("Ukrainian units advanced 30 kilometers with 500 troops.", &[]).quantity("30 kilometers", 30.0, "km").quantity("500 troops", 500.0, "troops");
    assert_eq!(only(&f, Advance).quantity.map(|i| f.quantities[i].unit.clone()), Some(Some("km".into())));
}

// ---------------------------------------------------------------- evidence

#[test]
fn every_part_names_the_rule_that_filled_it() {
    let f = fixture("Russian forces recaptured Sudzha on Thursday.", &["Sudzha"]).time("on Thursday", TimexType::Date, "2025-03-13", Some(("2025-03-13", "2025-03-13")));
    let c = only(&f, Capture);
    let rule = |part: &str| c.evidence.iter().find(|e| e.part == part).map(|e| e.rule.clone()).unwrap_or_default();
    assert_eq!(rule("trigger"), "extract/triggers.toml: capture ← recaptured");
    assert_eq!(rule("agent"), "extract/actors.toml: RUSMIL ← Russian forces (subject)");
    assert!(rule("place").starts_with("extract/grammar.toml: place ← Sudzha"), "{}", rule("place"));
    assert!(rule("when").starts_with("extract/grammar.toml: when ← on Thursday"), "{}", rule("when"));
    let trigger = c.evidence.iter().find(|e| e.part == "trigger").unwrap();
    assert_eq!(trigger.span.map(|s| &f.text[s.start..s.end]), Some("recaptured"));
    let f = fixture("Ukrainian forces captured 45 Russian soldiers.", &[]);
    let c = only(&f, Prisoners);
    assert!(c.evidence[0].rule.contains("prisoners ← captured (rule: personnel after)"), "{}", c.evidence[0].rule);
}

// ---------------------------------------------------------------- robustness

#[test]
fn bad_input_never_panics() {
    for text in ["", " ", "?", "’s", "Russian", "attack", "—", "🚀 attack 🚀 on Ки́ев", "by by by", "of of", "the town", "US US U.S.", "captured\u{0}captured"] {
        let f = Fixture::new(text, &[]).naive_sentences();
        let _ = run(&f);
    }
    // Spans off the text or inside a character are skipped, not sliced.
    let text = "Ки́ев was shelled.";
    let mut f = Fixture::new(text, &[]);
    f.sentences = vec![Span::new(0, 1), Span::new(3, 1000), Span::new(5, 2), Span::new(0, text.len())];
    let found = run(&f);
    assert_eq!(found.len(), 1);
    // A long text of triggers and actors.
    let long = "Russian forces attacked Ukrainian troops near Sudzha, and they withdrew. ".repeat(2000);
    let f = fixture(&long, &["Sudzha"]);
    assert_eq!(run(&f).len(), 4000);
}

// ---------------------------------------------------------------- the dev corpus

#[test]
fn dev_corpus_reads_without_panic_and_finds_the_expected_events() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/dev");
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let names = ["Sudzha", "Kursk region", "Kursk", "Sumy region", "Sumy", "Belgorod region", "Belgorod", "Toretsk", "Pokrovsk", "Kupiansk", "Kyiv", "Moscow", "Russia", "Ukraine"];
    let mut seen = std::collections::HashMap::new();
    for e in entries.filter_map(|e| e.ok()) {
        let path = e.path();
        if path.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let f = fixture(&text, &names);
        let found = run(&f);
        let stem = path.file_name().unwrap().to_string_lossy().chars().take(3).collect::<String>();
        seen.insert(stem, found.into_iter().map(|c| (c.event_type, c.place.map(|i| f.places[i].name.clone()))).collect::<Vec<_>>());
    }
    if let Some(found) = seen.get("000") {
        assert!(found.contains(&(Withdrawal, Some("Sudzha".into()))), "{found:?}");
    }
    if let Some(found) = seen.get("003") {
        assert!(found.iter().any(|(t, _)| *t == Encirclement), "{found:?}");
        assert!(found.iter().any(|(t, _)| *t == Aid), "{found:?}");
    }
    if let Some(found) = seen.get("002") {
        assert!(found.contains(&(Capture, Some("Toretsk".into()))), "{found:?}");
        assert!(found.iter().any(|(t, _)| *t == Prisoners), "{found:?}");
    }
}

