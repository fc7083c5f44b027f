use std::sync::OnceLock;

use super::*;

fn tagger() -> &'static QuantityTagger {
    static T: OnceLock<QuantityTagger> = OnceLock::new();
    T.get_or_init(|| QuantityTagger::new(&sitrep_lexicon::Lexicons::embedded()).unwrap())
}

fn find(text: &str) -> Vec<QuantityMention> {
    tagger().find(text)
}

/// The one quantity in `text`.
fn one(text: &str) -> QuantityMention {
    let found = find(text);
    assert_eq!(found.len(), 1, "{text:?} gave {found:#?}");
    found.into_iter().next().unwrap()
}

/// (span text, value, min, max, unit, approximate) of a quantity.
type Summary<'a> = (&'a str, Option<f64>, Option<f64>, Option<f64>, Option<String>, bool);

fn summary<'a>(text: &'a str, q: &QuantityMention) -> Summary<'a> {
    (q.span.text(text), q.value, q.min, q.max, q.unit.clone(), q.approximate)
}

fn check(text: &str, span: &str, value: Option<f64>, min: Option<f64>, max: Option<f64>, unit: Option<&str>, approximate: bool) {
    let q = one(text);
    assert_eq!(summary(text, &q), (span, value, min, max, unit.map(str::to_string), approximate), "in {text:?}");
}

#[test]
fn digits_with_separators() {
    check("Officials counted 16,100 graves.", "16,100 graves", Some(16100.0), None, None, Some("graves"), false);
    check("They found 12\u{a0}000 shells.", "12\u{a0}000 shells", Some(12000.0), None, None, Some("shells"), false);
    check("They found 12\u{202f}500 shells.", "12\u{202f}500 shells", Some(12500.0), None, None, Some("shells"), false);
    check("They found 12 000 shells.", "12 000 shells", Some(12000.0), None, None, Some("shells"), false);
    check("The fund holds 1,234.5 tonnes of grain.", "1,234.5 tonnes", Some(1234.5), None, None, Some("tons"), false);
    check("A loan of 1.5 million dollars was signed.", "1.5 million dollars", Some(1_500_000.0), None, None, Some("USD"), false);
    check("Aid worth $300 million arrived.", "$300 million", Some(300_000_000.0), None, None, Some("USD"), false);
    check("Turnout was 64%.", "64%", Some(64.0), None, None, Some("percent"), false);
}

#[test]
fn an_ordinary_space_groups_digits_only_when_unmistakable() {
    let text = "On the night of the 3 100 drones flew.";
    let found = find(text);
    assert!(found.iter().all(|q| q.value != Some(3100.0)), "{found:#?}");
}

#[test]
fn number_words() {
    check("Seventy-two prisoners were swapped.", "Seventy-two prisoners", Some(72.0), None, None, Some("prisoners"), false);
    check("They freed three hundred and twenty hostages.", "three hundred and twenty hostages", Some(320.0), None, None, Some("hostages"), false);
    check("Two million people fled.", "Two million people", Some(2_000_000.0), None, None, Some("people"), false);
    check("He saw a dozen drones.", "a dozen drones", Some(12.0), None, None, Some("drones"), false);
    check("They hit two dozen targets.", "two dozen targets", Some(24.0), None, None, Some("targets"), false);
    check("A hundred thousand residents left.", "A hundred thousand residents", Some(100_000.0), None, None, Some("people"), false);
    check("One soldier was hurt.", "One soldier", Some(1.0), None, None, Some("troops"), false);
}

#[test]
fn bounds_before_and_after_the_number() {
    check("Rescuers moved over 300 civilians.", "over 300 civilians", None, Some(300.0), None, Some("people"), false);
    check("The strike killed a woman and wounded 11 others.", "11 others", Some(11.0), None, None, Some("people"), false);
    check("The army took over 100 villages.", "over 100 villages", None, Some(100.0), None, Some("settlements"), false);
    check("At least four people died.", "At least four people", None, Some(4.0), None, Some("people"), false);
    check("More than 20,000 North Korean troops are there.", "More than 20,000 North Korean troops", None, Some(20000.0), None, Some("troops"), false);
    check("The force could reach up to 60,000, analysts think.", "up to 60,000", None, None, Some(60000.0), None, false);
    check("As many as 900 drones were launched.", "As many as 900 drones", None, None, Some(900.0), Some("drones"), false);
    check("Fewer than 50 residents stayed.", "Fewer than 50 residents", None, None, Some(50.0), Some("people"), false);
    check("Approximately 4,000 soldiers were wounded.", "Approximately 4,000 soldiers", Some(4000.0), None, None, Some("troops"), true);
    check("Some 800 fighters surrendered.", "Some 800 fighters", Some(800.0), None, None, Some("troops"), true);
    check("An estimated 9,000 Russian and Belarusian servicemen gathered.", "An estimated 9,000 Russian and Belarusian servicemen", Some(9000.0), None, None, Some("troops"), true);
    check("Nearly 50 tanks were lost.", "Nearly 50 tanks", None, None, Some(50.0), Some("tanks"), true);
    check("Almost 50 tanks were lost.", "Almost 50 tanks", None, None, Some(50.0), Some("tanks"), true);
    check("They fired 100 or more rockets.", "100 or more rockets", None, Some(100.0), None, Some("rockets"), false);
    check("They fired 100+ rockets.", "100+ rockets", None, Some(100.0), None, Some("rockets"), false);
    check("They fired 100 or so rockets.", "100 or so rockets", Some(100.0), None, None, Some("rockets"), true);
}

#[test]
fn ranges() {
    check("Between 10 and 15 tanks advanced.", "Between 10 and 15 tanks", None, Some(10.0), Some(15.0), Some("tanks"), false);
    check("Forecasts said 10-15 tanks.", "10-15 tanks", None, Some(10.0), Some(15.0), Some("tanks"), false);
    check("Forecasts said 10–15 tanks.", "10–15 tanks", None, Some(10.0), Some(15.0), Some("tanks"), false);
    check("Losses rose from 200 to 350 soldiers.", "from 200 to 350 soldiers", None, Some(200.0), Some(350.0), Some("troops"), false);
    check("It lost between 2 and 3 million tonnes.", "between 2 and 3 million tonnes", None, Some(2_000_000.0), Some(3_000_000.0), Some("tons"), false);
    check("About 30-40 fighters crossed.", "About 30-40 fighters", None, Some(30.0), Some(40.0), Some("troops"), true);
    // Without its partner "from" is no bound.
    check("They evacuated people from 300 homes.", "300 homes", Some(300.0), None, None, Some("homes"), false);
}

#[test]
fn vague_multiples_take_their_lower_bound() {
    check("Dozens of drones were downed.", "Dozens of drones", None, Some(12.0), None, Some("drones"), true);
    check("Thousands of Ukrainian troops were cut off.", "Thousands of Ukrainian troops", None, Some(1000.0), None, Some("troops"), true);
    check("Hundreds of residents queued.", "Hundreds of residents", None, Some(100.0), None, Some("people"), true);
    check("Tens of thousands of people marched.", "Tens of thousands of people", None, Some(10000.0), None, Some("people"), true);
    check("Hundreds of thousands of the refugees returned.", "Hundreds of thousands of the refugees", None, Some(100_000.0), None, Some("people"), true);
    check("Several thousand soldiers waited.", "Several thousand soldiers", None, Some(1000.0), None, Some("troops"), true);
    check("A few hundred marines landed.", "A few hundred marines", None, Some(100.0), None, Some("troops"), true);
    assert!(find("The tens were handed out.").is_empty());
}

#[test]
fn fractions_are_shares_of_the_counted_thing() {
    let text = "Russia retook more than half of the land seized earlier.";
    let q = one(text);
    assert_eq!(summary(text, &q), ("more than half of the land", None, Some(0.5), None, Some("share".into()), false));
    assert_eq!(q.noun.as_deref(), Some("land"));
    check("About a third of the villages are empty.", "About a third of the villages", Some(1.0 / 3.0), None, None, Some("share"), true);
    check("Two thirds of the residents left.", "Two thirds of the residents", Some(2.0 / 3.0), None, None, Some("share"), false);
    assert!(find("In the first half of 2024 it was calm.").is_empty());
    assert!(find("The third attack came at night.").is_empty());
    assert!(find("The bridge was cut in half.").is_empty());
}

#[test]
fn hyphenated_measures() {
    check("Jets dropped three-ton bombs.", "three-ton", Some(3.0), None, None, Some("tons"), false);
    check("A 10-kilometer stretch was mined.", "10-kilometer", Some(10.0), None, None, Some("km"), false);
    check("They built a 45,000-strong army.", "45,000-strong army", Some(45000.0), None, None, Some("troops"), false);
    check("A 5,000-strong crowd gathered.", "5,000-strong crowd", Some(5000.0), None, None, Some("people"), false);
    assert!(find("A 30-day truce began.").is_empty());
    assert!(find("A 65-year-old man was hurt.").is_empty());
}

#[test]
fn bracketed_conversions_belong_to_the_first_quantity() {
    check("The unit pushed five kilometers (three miles) ahead.", "five kilometers (three miles)", Some(5.0), None, None, Some("km"), false);
    check("The missile flies 1,000 kilometers (621 miles).", "1,000 kilometers (621 miles)", Some(1000.0), None, None, Some("km"), false);
    check("The column was six miles (10 kilometers) away.", "six miles (10 kilometers)", Some(10.0), None, None, Some("km"), false);
    check("The column was six miles away.", "six miles", Some(6.0), None, None, Some("miles"), false);
    check("Glued units count: 12km of trenches.", "12km", Some(12.0), None, None, Some("km"), false);
}

#[test]
fn the_counted_noun_is_found_past_adjectives() {
    let text = "Around 12,000 North Korean soldiers arrived.";
    let q = one(text);
    assert_eq!(q.unit.as_deref(), Some("troops"));
    assert_eq!(q.noun.as_deref(), Some("soldiers"));
    check("They captured 909 Russian military personnel.", "909 Russian military personnel", Some(909.0), None, None, Some("troops"), false);
    check("Crews destroyed 14 armored vehicles overnight.", "14 armored vehicles", Some(14.0), None, None, Some("vehicles"), false);
    check("He listed 3 police officers among them.", "3 police officers", Some(3.0), None, None, Some("officers"), false);
    check("It had 7 tanks destroyed.", "7 tanks", Some(7.0), None, None, Some("tanks"), false);
    check("Officials said 40 were killed.", "40", Some(40.0), None, None, None, false);
    check("The attack involved 40 Shahed-136 drones.", "40 Shahed-136 drones", Some(40.0), None, None, Some("drones"), false);
    // Beyond the window the noun is not taken.
    check("It fired 6 very old Soviet Grad-type rockets.", "6", Some(6.0), None, None, None, false);
}

#[test]
fn a_part_borrows_the_noun_of_its_whole() {
    let text = "Air defence shot down 54 of 72 drones, and 2 of its soldiers were hurt.";
    let found = find(text);
    let got: Vec<_> = found.iter().map(|q| (q.span.text(text), q.value, q.unit.as_deref())).collect();
    assert_eq!(got, [("54", Some(54.0), Some("drones")), ("72 drones", Some(72.0), Some("drones")), ("2", Some(2.0), Some("troops"))]);
}

#[test]
fn ordinals_years_dates_times_and_ids_are_not_quantities() {
    for text in [
        "The 47th brigade held.",
        "He came second in the vote.",
        "It happened in 2022 and again in 2025.",
        "On March 12 the town fell.",
        "On 20 May the town fell.",
        "Since Sept. 30 the town is quiet.",
        "The strike came at 10:30 local time.",
        "The strike came at 10 a.m. on Friday.",
        "Su-34 jets and FAB-3000 bombs were used.",
        "The report is dated 2025-03-21.",
        "It is dated 21/03/2025.",
        "Brigade No. 5 and Resolution 2202 were cited.",
        "Call +380 44 000 000 now.",
        "The war entered its third year in the 1990s style.",
        "One of the most daring raids ended.",
        "No one can say when. The two met.",
        "It lasted six months and three more days.",
        "Troops held the area for 11 days.",
        "",
    ] {
        let found = find(text);
        assert!(found.is_empty(), "{text:?} gave {found:#?}");
    }
}

#[test]
fn russian_and_ukrainian_counts() {
    check("Около 12 000 военных прибыли.", "Около 12 000 военных", Some(12000.0), None, None, Some("troops"), true);
    check("Эвакуированы более 5 тыс. человек.", "более 5 тыс. человек", None, Some(5000.0), None, Some("people"), false);
    check("Армія звільнила понад 20 сіл.", "понад 20 сіл", None, Some(20.0), None, Some("settlements"), false);
    assert!(find("Обстріл тривав 3 години, а 12 березня 2025 року все стихло.").is_empty());
}

#[test]
fn a_year_with_a_count_noun_or_a_bound_is_a_quantity() {
    check("Some 2000 troops moved in.", "Some 2000 troops", Some(2000.0), None, None, Some("troops"), true);
    check("They sent 1900 soldiers.", "1900 soldiers", Some(1900.0), None, None, Some("troops"), false);
    assert!(find("In 2024 troops left.").is_empty());
    check("It cost 5 million. Then more.", "5 million", Some(5_000_000.0), None, None, None, false);
}

#[test]
fn several_quantities_in_one_sentence_keep_their_order() {
    let text = "Of 40,000 losses, 16,100 were deaths and about 500 were captured.";
    let found = find(text);
    let values: Vec<_> = found.iter().map(|q| (q.value, q.approximate)).collect();
    assert_eq!(values, [(Some(40000.0), false), (Some(16100.0), false), (Some(500.0), true)]);
    assert!(found.windows(2).all(|w| w[0].span.end <= w[1].span.start));
}

#[test]
fn odd_input_never_panics() {
    let long_digits = "9".repeat(500);
    let texts = [
        "1", "1,", "1,00", ",000", "12 ", "1.", ".5", "$", "$$5", "-5", "5-", "5--6", "a", "a dozen", "between", "between 5 and",
        "tens of", "half", "(", "5 (", "5 km (3", "½", "٣ drones", "五 troops", "1\u{a0}", "1\u{202f}00", "ñ 5 ñ", "5km²", "0.5.6 km",
        &long_digits,
    ];
    for text in texts {
        for q in find(text) {
            assert!(text.is_char_boundary(q.span.start) && text.is_char_boundary(q.span.end), "{text:?}");
            assert!(q.span.start < q.span.end);
        }
    }
    let big = "About 4,000 troops and dozens of drones moved 5 km (3 miles). ".repeat(5000);
    assert_eq!(find(&big).len(), 15000);
}

#[test]
fn a_replacement_lexicon_changes_the_units() {
    let lex = sitrep_lexicon::Lexicons::embedded();
    let units = lex.raw("quantity/units.toml").unwrap().replace("settlements = [", "settlements = [\"hamlet-clusters\", ");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("quantity")).unwrap();
    std::fs::write(dir.path().join("quantity/units.toml"), units).unwrap();
    let tagger = QuantityTagger::new(&sitrep_lexicon::Lexicons::load(Some(dir.path())).unwrap()).unwrap();
    let found = tagger.find("They took 4 hamlet-clusters.");
    assert_eq!(found[0].unit.as_deref(), Some("settlements"));
}

#[test]
fn lowercasing_keeps_offsets_and_agrees_with_unicode_for_latin1_and_cyrillic() {
    let text = "ÀÉÞ×ß ЀЁЄІЇЏ АБВПРСЯ Ґ “Quote” Ωμέγα İ";
    let mut buf = Vec::new();
    let lower = lowercase_in_place(text, &mut buf).to_string();
    assert_eq!(lower.len(), text.len());
    for ((_, a), (_, b)) in text.char_indices().zip(lower.char_indices()) {
        let expected = if matches!(a, 'À'..='Þ' | 'Ѐ'..='Я' | 'Ґ' | 'A'..='Z') { a.to_lowercase().next().unwrap() } else { a };
        assert_eq!(b, expected, "{a}");
    }
}
