use std::sync::OnceLock;

use super::*;
use crate::testkit::Fixture;
use crate::SourceKind;

fn attributor() -> &'static Attributor {
    static A: OnceLock<Attributor> = OnceLock::new();
    A.get_or_init(|| Attributor::new(&sitrep_lexicon::Lexicons::embedded()).unwrap())
}

/// A naive sentence splitter for these tests while `sitrep_language::sentences::split` is a stub:
/// a sentence ends after `.`, `?` or `!` (and any closing quotes or brackets) when white space
/// and an upper-case letter or an opening quote follow, and at every line break. Abbreviations
/// with inner dots ("U.S.") and common titles ("Mr.") do not end a sentence.
fn naive_sentences(text: &str) -> Vec<Span> {
    const TITLES: [&str; 10] = ["Mr", "Ms", "Mrs", "Dr", "St", "Gen", "Lt", "Col", "Sgt", "Prof"];
    let mut out = Vec::new();
    let mut start = 0;
    let push = |out: &mut Vec<Span>, a: usize, b: usize| {
        let s = &text[a..b];
        let lead = s.len() - s.trim_start().len();
        let trail = s.len() - s.trim_end().len();
        if lead + trail < s.len() {
            out.push(Span::new(a + lead, b - trail));
        }
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        if c == '\n' {
            push(&mut out, start, i);
            start = i + 1;
        } else if matches!(c, '.' | '?' | '!') {
            let word_start = text[..i].rfind(|ch: char| ch.is_whitespace()).map_or(0, |p| p + 1);
            let word = &text[word_start..i];
            let abbreviation = c == '.' && (word.contains('.') || TITLES.contains(&word));
            let mut j = k + 1;
            while j < chars.len() && matches!(chars[j].1, '"' | '”' | '’' | '»' | ')' | '\'') {
                j += 1;
            }
            let end = chars.get(j).map_or(text.len(), |&(p, _)| p);
            let mut n = j;
            let mut saw_space = false;
            while n < chars.len() && chars[n].1.is_whitespace() && chars[n].1 != '\n' {
                saw_space = true;
                n += 1;
            }
            let next = chars.get(n).map(|&(_, ch)| ch);
            if !abbreviation && saw_space && next.is_some_and(|ch| ch.is_uppercase() || matches!(ch, '"' | '“' | '«')) {
                push(&mut out, start, end);
                start = end;
                k = j;
                continue;
            }
        }
        k += 1;
    }
    push(&mut out, start, text.len());
    out
}

/// A fixture with sentences from `naive_sentences`.
fn fixture(text: &str) -> Fixture {
    let mut f = Fixture::new(text, &[]);
    f.sentences = naive_sentences(text);
    f
}

#[test]
fn splits_on_sentence_ends_and_lines_but_not_abbreviations() {
    let t = "A U.S. official spoke. “Then we left,” he said. Was it? Yes!\nNext line";
    let got: Vec<&str> = naive_sentences(t).iter().map(|s| s.text(t)).collect();
    assert_eq!(got, ["A U.S. official spoke.", "“Then we left,” he said.", "Was it?", "Yes!", "Next line"]);
    assert!(naive_sentences("").is_empty());
    let _ = naive_sentences("é. É. ’");
}

/// Attribution of the trigger `needle` (its `nth` occurrence) in `text`.
fn at_nth(text: &str, needle: &str, nth: usize) -> Attribution {
    let f = fixture(text);
    let doc = f.doc();
    let d = attributor().analyse(&doc);
    let start = text.match_indices(needle).nth(nth).unwrap_or_else(|| panic!("{needle:?} not in text")).0;
    let trigger = Span::new(start, start + needle.len());
    let s = f.sentences.iter().position(|s| s.contains(&trigger)).expect("trigger in a sentence");
    d.attribute(s, trigger)
}

fn at(text: &str, needle: &str) -> Attribution {
    at_nth(text, needle, 0)
}


fn src(a: &Attribution) -> (&str, SourceKind, Option<&str>) {
    (a.source.name.as_str(), a.source.kind, a.source.side.as_deref())
}

fn rules(a: &Attribution) -> Vec<&str> {
    a.evidence.iter().map(|e| e.rule.as_str()).collect()
}

fn has_rule(a: &Attribution, needle: &str) -> bool {
    a.evidence.iter().any(|e| e.rule.contains(needle))
}

// ---- reporting patterns ----

#[test]
fn x_said_before_the_clause() {
    let a = at("Governor Ivan Koval said Russian troops shelled Bilopillia overnight.", "shelled");
    assert_eq!(src(&a), ("Ivan Koval", SourceKind::Official, None));
    assert_eq!(a.stance, Stance::Asserted);
    assert!(has_rule(&a, "extract/reporting.toml: before-clause ← said"), "{:?}", rules(&a));
}

#[test]
fn x_said_on_friday_that() {
    let a = at("Ukrainian President Volodymyr Zelenskyy said on Friday that Russian forces had massed near Kupiansk.", "massed");
    assert_eq!(src(&a), ("Volodymyr Zelensky", SourceKind::Official, Some("UKR")));
}

#[test]
fn according_to_before_and_after_the_clause() {
    let a = at("According to the Institute for the Study of War, Russian units advanced near Velyka Novosilka.", "advanced");
    assert_eq!(src(&a), ("Institute for the Study of War", SourceKind::Analyst, Some("USA")));
    let a = at("Russian units advanced near Velyka Novosilka, according to ISW.", "advanced");
    assert_eq!(a.source.name, "Institute for the Study of War");
    assert!(has_rule(&a, "according to"));
}

#[test]
fn x_announced_that() {
    let a = at("Russia's Defence Ministry announced that its troops had captured Kurakhove.", "captured");
    assert_eq!(src(&a), ("Russian Ministry of Defence", SourceKind::Official, Some("RUS")));
    assert!(has_rule(&a, "extract/reporting.toml: before-clause ← announced"));
    assert!(has_rule(&a, "extract/sources.toml: Russian Ministry of Defence ← Russia's Defence Ministry"), "{:?}", rules(&a));
}

#[test]
fn a_post_modifier_between_speaker_and_verb_is_skipped() {
    let a = at("A Ukrainian soldier involved in the construction told a local outlet that trenches are dug further inland.", "trenches");
    assert_eq!(a.source.name, "Ukrainian soldier");
    let a = at("A Ukrainian official familiar with the matter said the counteroffensive near Kursk had stalled.", "counteroffensive");
    assert_eq!(src(&a), ("A Ukrainian official", SourceKind::AnonymousOfficial, Some("UKR")));
    // Punctuation ends the search: the clause before the comma is not the speaker.
    let a = at("Troops involved in the assault retreated, and commanders said little.", "assault");
    assert_eq!(a.source.kind, SourceKind::Outlet);
    let a = at("The two sides exchanged 390 prisoners each on Friday, officials in both countries said.", "exchanged");
    assert_eq!(a.source.kind, SourceKind::AnonymousOfficial);
    // The happening's own place is no post-modifier of a speaker.
    let a = at("Fighting in Kursk continued and Russia said nothing.", "Fighting");
    assert_eq!(a.source.kind, SourceKind::Outlet);
}

#[test]
fn x_told_an_outlet_before_and_after() {
    let t = "Ukrainian military analyst Petro Bondar told Radio Svoboda that the assault on Siversk had stalled.";
    let a = at(t, "assault");
    assert_eq!(src(&a), ("Petro Bondar", SourceKind::Analyst, Some("UKR")));
    let t = "Petro Bondar is a Ukrainian military analyst. “The assault on Siversk has stalled for now,” Bondar told Radio Svoboda.";
    let a = at(t, "assault");
    assert_eq!(a.source.name, "Petro Bondar");
    assert!(a.quote.is_some());
}

#[test]
fn stated_in_an_interview_with_a_pronoun_speaker() {
    let t = "ISW analyst Grace Whitfield noted that the pace had slowed. “Russian brigades are being shifted toward Pokrovsk every week,” she stated in an interview with CNN.";
    let a = at(t, "shifted");
    assert_eq!(src(&a), ("Grace Whitfield", SourceKind::Analyst, Some("USA")));
    assert!(has_rule(&a, "pronoun she"), "{:?}", rules(&a));
    let a = at(t, "slowed");
    assert_eq!(a.source.name, "Grace Whitfield");
    assert!(has_rule(&a, "before-clause ← noted"));
}

#[test]
fn they_note_that_in_the_present_tense() {
    // A plural speaker in the present tense ("they note", "analysts assess") is a speaker
    // too, and "they" is the last plural source.
    let t = "The Institute for the Study of War said Russian units were regrouping near Sumy. However, they also note that capturing Sumy would take months.";
    let a = at(t, "capturing");
    assert_eq!(a.source.name, "Institute for the Study of War", "{:?}", rules(&a));
    assert!(has_rule(&a, "pronoun they"), "{:?}", rules(&a));
    let a = at("Western analysts assess that Russian forces advanced near Pokrovsk.", "advanced");
    assert_eq!(a.source.kind, SourceKind::Analyst, "{:?}", rules(&a));
    // "a note" is no verb of saying.
    let a = at("A diplomatic note that Russian forces advanced near Pokrovsk was leaked.", "advanced");
    assert_eq!(a.source.kind, SourceKind::Outlet, "{:?}", rules(&a));
}

#[test]
fn x_reported_on_friday_that() {
    let t = "The General Staff of the Armed Forces of Ukraine reported on Friday that 14 Russian assaults were repelled near Toretsk.";
    let a = at(t, "repelled");
    assert_eq!(src(&a), ("General Staff of the Armed Forces of Ukraine", SourceKind::Military, Some("UKR")));
}

#[test]
fn x_claimed_and_x_wrote() {
    let a = at("Moscow's defence ministry claimed that Ukrainian forces had withdrawn from Dachne.", "withdrawn");
    assert_eq!(a.source.name, "Russian Ministry of Defence");
    assert_eq!(a.stance, Stance::Asserted);
    let a = at("Donald Trump wrote on social media that the fighting around Kursk must stop.", "fighting");
    assert_eq!(src(&a), ("Donald Trump", SourceKind::Official, Some("USA")));
}

#[test]
fn x_said_after_the_clause() {
    let a = at("Russian drones struck a fuel depot in Sumy overnight, Ukraine's air force said.", "struck");
    assert_eq!(src(&a), ("Ukrainian Air Force", SourceKind::Military, Some("UKR")));
    assert!(has_rule(&a, "extract/reporting.toml: after-clause ← said"), "{:?}", rules(&a));
    let a = at("Russian drones struck a fuel depot in Sumy overnight, the regional military administration said on Sunday.", "struck");
    assert_eq!(a.source.name, "regional military administration");
    assert_eq!(a.source.kind, SourceKind::Official);
}

#[test]
fn inverted_said_x() {
    let a = at("Russian troops were massing near Huliaipole, said Ukrainian officer Roman Tkachenko.", "massing");
    assert_eq!(src(&a), ("Roman Tkachenko", SourceKind::Military, Some("UKR")));
    assert!(has_rule(&a, "inverted ← said"));
}

#[test]
fn rejecting_a_demand_is_a_refusal_not_a_denial() {
    let (s, _) = stance_of("Kyiv has repeatedly rejected Russian demands that it withdraw from the four regions.", "demands");
    assert_eq!(s, Stance::Asserted);
    let (s, r) = stance_of("Ukraine rejected a Russian proposal to withdraw its troops from Zaporizhzhia.", "withdraw");
    assert_eq!((s, r[0].as_str()), (Stance::Planned, "extract/stance.toml: planned ← proposal to"));
    // Rejecting claims is denying what they say.
    let (s, _) = stance_of("The Kremlin rejected claims that Russian troops had shelled the plant.", "shelled");
    assert_eq!(s, Stance::Denied);
}

#[test]
fn a_second_speaker_after_a_conjunction_speaks_for_itself() {
    let t = "Russia says it has retaken Sudzha as Ukraine denies its troops are encircled.";
    assert_eq!(src(&at(t, "retaken")), ("Russia", SourceKind::Official, Some("RUS")));
    let a = at(t, "encircled");
    assert_eq!(src(&a), ("Ukraine", SourceKind::Official, Some("UKR")));
    assert_eq!(a.stance, Stance::Denied);
}

#[test]
fn a_participle_of_saying_keeps_the_speaker_and_ends_a_denial() {
    let t = "Ukraine's General Staff denied that its units had been surrounded, saying they were withdrawing to better positions.";
    let a = at(t, "surrounded");
    assert_eq!((a.source.name.as_str(), a.stance), ("General Staff of the Armed Forces of Ukraine", Stance::Denied));
    let a = at(t, "withdrawing");
    assert_eq!((a.source.name.as_str(), a.stance), ("General Staff of the Armed Forces of Ukraine", Stance::Asserted));
    assert!(has_rule(&a, "participle ← saying"), "{:?}", rules(&a));
    let a = at("Zelensky said Russia was massing troops near Sumy, adding that Russia could attack Kharkiv next.", "attack");
    assert_eq!((a.source.name.as_str(), a.stance), ("Volodymyr Zelensky", Stance::Possible));
}

#[test]
fn a_name_after_a_title_with_of_is_the_speaker() {
    let a = at("Zelensky's chief of staff Andriy Yermak said Russian troops shelled Kharkiv.", "shelled");
    assert_eq!(a.source.name, "Andriy Yermak");
    let a = at("The head of the Glushkovo district Pavel Zolotaryov said Ukrainian drones struck a depot.", "struck");
    assert_eq!(a.source.name, "Pavel Zolotaryov");
    // After "to", the name is the affiliation: the adviser speaks, on Ukraine's side.
    let a = at("An adviser to Volodymyr Zelensky said Russian troops shelled Kharkiv.", "shelled");
    assert_ne!(a.source.name, "Volodymyr Zelensky");
    assert_eq!(a.source.side.as_deref(), Some("UKR"));
}

#[test]
fn a_name_between_commas_after_its_role_is_the_speaker() {
    let a = at("The commander of the brigade, Oleksandr Sak, said Russian troops shelled Kharkiv.", "shelled");
    assert_eq!((a.source.name.as_str(), a.source.kind), ("Oleksandr Sak", SourceKind::Military));
    let a = at("The head of Ukraine's Center for Countering Disinformation, Andriy Kovalenko, said Russian troops shelled Sumy.", "shelled");
    assert_eq!(src(&a), ("Andrii Kovalenko", SourceKind::Official, Some("UKR")));
}

#[test]
fn a_relative_clause_between_speaker_and_verb_is_skipped() {
    let a = at("A Ukrainian commander, who asked not to be named, told reporters that Russian infantry had suffered heavy losses near Chasiv Yar.", "losses");
    assert_eq!((a.source.kind, a.source.side.as_deref()), (SourceKind::Military, Some("UKR")), "{:?}", a.source);
    let a = at("Russia's Defence Ministry, which gave no details, said its troops had captured Toretsk.", "captured");
    assert_eq!(a.source.name, "Russian Ministry of Defence");
}

#[test]
fn a_passive_verb_of_saying_names_its_speaker_after_by() {
    let a = at("Moscow's claims of capturing Kurakhove were dismissed by Ukraine's General Staff as propaganda.", "capturing");
    assert_eq!(src(&a), ("General Staff of the Armed Forces of Ukraine", SourceKind::Military, Some("UKR")));
    assert_eq!(a.stance, Stance::Denied);
    assert!(has_rule(&a, "passive ← dismissed by"), "{:?}", rules(&a));
    // Without "by" the passive names nobody: the outlet speaks.
    let a = at("Russian forces captured Kurakhove, it was reported.", "captured");
    assert_eq!(a.source.kind, SourceKind::Outlet);
}

#[test]
fn an_apposition_after_a_name_may_open_with_a_country() {
    let t = "Iryna Vereshchuk, Ukraine's deputy prime minister, said about 1,500 civilians had been evacuated from Vovchansk. She added that the evacuation of Kupiansk would continue.";
    let a = at(t, "evacuated");
    assert_eq!(src(&a), ("Iryna Vereshchuk", SourceKind::Official, Some("UKR")));
    // ... and "she" is her in the next sentence.
    assert_eq!(at(t, "evacuation").source.name, "Iryna Vereshchuk");
}

#[test]
fn apposition_gives_role_and_side_or_the_body() {
    let t = "Andriy Marchenko, a spokesman for Ukraine's southern defence forces, said the shelling of Kherson had intensified.";
    let a = at(t, "shelling");
    assert_eq!(src(&a), ("Andriy Marchenko", SourceKind::Official, Some("UKR")));
    let a = at("A spokesman for the Russian Defence Ministry said the strikes hit fuel depots near Odesa.", "strikes");
    assert_eq!(a.source.name, "Russian Ministry of Defence");
    let a = at("A Kremlin spokesperson said the attack on Kursk would not go unanswered.", "attack");
    assert_eq!(src(&a), ("Kremlin", SourceKind::Official, Some("RUS")));
}

#[test]
fn a_quote_across_sentences_belongs_to_its_speaker() {
    let t = "Ukrainian military analyst Petro Bondar described the week. “We held the bridge for three days. Then the artillery stopped. Now the assault on Chasiv Yar has begun,” Bondar said. Russian troops also shelled Kostiantynivka.";
    for trigger in ["held", "stopped", "assault"] {
        let a = at(t, trigger);
        assert_eq!(a.source.name, "Petro Bondar", "{trigger}");
        let q = a.quote.expect("inside a quotation");
        assert!(q.span.text(t).starts_with("We held") && q.span.text(t).ends_with("has begun,"));
        assert_eq!(q.speaker.map(|s| s.name).as_deref(), Some("Petro Bondar"));
    }
    assert_eq!(at(t, "shelled").source.kind, SourceKind::Outlet);
}

#[test]
fn carry_over_follows_gender() {
    let t = "Analyst Olena Hrytsenko said the front near Lyman was quiet. Ukrainian commander Dmytro Savchuk said his unit had been resupplied.\nShe added that Russian troops would attack Lyman soon. He emphasized that Ukrainian forces had repelled two assaults near Lyman.";
    let she = at(t, "attack");
    assert_eq!(she.source.name, "Olena Hrytsenko");
    assert!(has_rule(&she, "last female speaker"));
    let he = at(t, "repelled");
    assert_eq!(src(&he), ("Dmytro Savchuk", SourceKind::Military, Some("UKR")));
    assert!(has_rule(&he, "last male speaker"));
}

#[test]
fn nobody_cited_is_the_outlet() {
    let a = at("Russian forces shelled Nikopol on Tuesday, damaging a school.", "shelled");
    assert_eq!(a.source, Source::outlet());
    assert_eq!(a.stance, Stance::Asserted);
    assert!(a.quote.is_none());
    // A verb of saying in the passive names nobody.
    let a = at("New clashes were reported near Kupiansk.", "clashes");
    assert_eq!(a.source.kind, SourceKind::Outlet);
    // A claim after a region break is the outlet's again.
    let a = at("Zelensky dismissed reports that Ukrainian troops were encircled, even as Russian forces advanced near Sudzha.", "advanced");
    assert_eq!(a.source.kind, SourceKind::Outlet);
}

// ---- names ----

#[test]
fn aliases_normalise_to_canonical_names() {
    let cases = [
        ("Russia's Defence Ministry", "Russian Ministry of Defence"),
        ("Russia’s Defense Ministry", "Russian Ministry of Defence"),
        ("The Russian Defense Ministry", "Russian Ministry of Defence"),
        ("Moscow's defence ministry", "Russian Ministry of Defence"),
        ("The Russian MoD", "Russian Ministry of Defence"),
        ("Ukraine's General Staff", "General Staff of the Armed Forces of Ukraine"),
        ("The Ukrainian General Staff", "General Staff of the Armed Forces of Ukraine"),
        ("Ukraine's military", "General Staff of the Armed Forces of Ukraine"),
        ("The Washington-based think tank", "Institute for the Study of War"),
        ("ISW", "Institute for the Study of War"),
        ("The Kremlin", "Kremlin"),
        ("Zelenskyy", "Volodymyr Zelensky"),
        ("President Zelenskiy", "Volodymyr Zelensky"),
        ("Kremlin spokesman Dmitry Peskov", "Dmitry Peskov"),
        ("Kursk's acting governor Alexander Khinshtein", "Alexander Khinshtein"),
        ("Commander-in-Chief Oleksandr Syrsky", "Oleksandr Syrskyi"),
    ];
    for (alias, canonical) in cases {
        let t = format!("{alias} said that Russian troops had entered Toretsk.");
        let a = at(&t, "entered");
        assert_eq!(a.source.name, canonical, "{alias}");
        assert_eq!(a.source.span.map(|s| s.text(&t)), Some(alias), "{alias}");
    }
}

#[test]
fn a_surname_maps_back_to_the_full_name_first_introduced() {
    let t = "Ukrainian analyst Taras Melnyk said Russian units were regrouping near Pokrovsk. Melnyk added that an assault on Myrnohrad was likely.";
    let a = at(t, "assault");
    assert_eq!(src(&a), ("Taras Melnyk", SourceKind::Analyst, Some("UKR")));
    // Also when the surname comes first (a headline) and the full name only later.
    let t = "Melnyk warned of new assaults.\nThe Ukrainian analyst Taras Melnyk spoke on Monday.";
    assert_eq!(at(t, "assaults").source.name, "Taras Melnyk");
}

#[test]
fn kind_from_title_and_side_from_nationality() {
    let a = at("Russian war blogger Igor Petrov wrote that Russian troops had crossed the Oskil river.", "crossed");
    assert_eq!(src(&a), ("Igor Petrov", SourceKind::Media, Some("RUS")));
    let a = at("Polish general Marek Nowak said Russia was massing troops in Belarus.", "massing");
    assert_eq!(src(&a), ("Marek Nowak", SourceKind::Military, Some("POL")));
    let a = at("Pro-Kremlin Telegram channels reported that Russian forces had entered Chasiv Yar.", "entered");
    assert_eq!(src(&a), ("Pro-Kremlin Telegram channels", SourceKind::Media, Some("RUS")));
}

#[test]
fn anonymous_officials_take_the_side_of_their_country() {
    let a = at("Russian forces have nearly surrounded the town, according to a U.S. military official.", "surrounded");
    assert_eq!(src(&a), ("a U.S. military official", SourceKind::AnonymousOfficial, Some("USA")));
    let a = at("Russian forces stepped up attacks near Sudzha, two Western officials said.", "attacks");
    assert_eq!(src(&a), ("two Western officials", SourceKind::AnonymousOfficial, None));
    let a = at("A senior Ukrainian official told Reuters that the counteroffensive near Kursk had stalled.", "counteroffensive");
    assert_eq!(src(&a), ("A senior Ukrainian official", SourceKind::AnonymousOfficial, Some("UKR")));
}

#[test]
fn definite_descriptions_refer_back_or_forward() {
    let t = "Russia's Defence Ministry said its troops had taken Kurakhove. The ministry also claimed that Russian units had secured Dachne.";
    assert_eq!(at(t, "secured").source.name, "Russian Ministry of Defence");
    let t = "The president said Ukraine would hold Kursk.";
    // Nobody named: the phrase as written, not a guess.
    assert_eq!(at(t, "hold").source.name, "The president");
    let t = "Russian troops near Kupiansk, official says\nRussian troops have pushed toward Kupiansk, according to a U.S. defence official.";
    let a = at(t, "troops");
    assert_eq!(a.source.name, "a U.S. defence official");
    assert!(has_rule(&a, "named later"));
}

#[test]
fn a_country_as_speaker_becomes_its_body_quoted_nearby() {
    let t = "Ukraine denied that its troops were surrounded near Pokrovsk.\n“There is no encirclement of our units,” Ukraine's General Staff said on Friday.";
    let a = at(t, "surrounded");
    assert_eq!(a.source.name, "General Staff of the Armed Forces of Ukraine");
    assert_eq!(a.stance, Stance::Denied);
    let a = at("Russia announced that it had captured Toretsk.", "captured");
    assert_eq!(src(&a), ("Russia", SourceKind::Official, Some("RUS")));
    // Not an analyst of the same side: DeepState is not Ukraine's government.
    let t = "Ukraine rejected a Russian proposal to withdraw its troops from Zaporizhzhia.\nRussian troops advanced near Pokrovsk, according to DeepState.";
    let a = at(t, "withdraw");
    assert_eq!(src(&a), ("Ukraine", SourceKind::Official, Some("UKR")));
}

// ---- stance ----

fn stance_of(text: &str, trigger: &str) -> (Stance, Vec<String>) {
    let a = at(text, trigger);
    (a.stance, a.evidence.iter().filter(|e| e.part == "stance").map(|e| e.rule.clone()).collect())
}

#[test]
fn asserted_is_the_default_and_for_confirmations() {
    let (s, r) = stance_of("Russia's Defence Ministry confirmed that its forces had captured Kurakhove.", "captured");
    assert_eq!(s, Stance::Asserted);
    assert_eq!(r, ["default: asserted (no stance cue in scope)"]);
}

#[test]
fn denied_cues() {
    let cases = [
        ("Zelensky denied that Ukrainian troops were encircled in Kursk.", "encircled", "denied"),
        ("The General Staff dismissed reports that Russian forces had captured Velyka Novosilka.", "captured", "dismissed"),
        ("The Kremlin rejected claims that Russian troops had shelled the plant.", "shelled", "rejected"),
        ("Reports of an encirclement near Pokrovsk are false, Ukraine's General Staff said.", "encirclement", "are false"),
        ("Claims that Ukrainian units were routed near Toretsk were fabricated, the ministry said.", "routed", "fabricated"),
        ("Syrskyi insisted that his brigades are not trapped near the river.", "trapped", "are not"),
        ("ISW said it had seen no signs of an offensive toward Zaporizhzhia.", "offensive", "no signs of"),
        ("“There is no encirclement,” Syrskyi said.", "encirclement", "there is no"),
        // A negated claim of knowledge governs its whole "that" clause, over commas.
        ("No one can say that, somewhere near Belgorod, Russia has massed 50,000 troops.", "massed", "no one can say that"),
        // A denial governs the whole denied clause, over a nearer modal.
        ("Zelensky denied that Russia could encircle the troops in Kursk.", "encircle", "denied"),
        // A passive denial after the claim, over the distancing "claims of".
        ("Moscow's claims of capturing the town of Kurakhove were dismissed by Kyiv as propaganda.", "capturing", "were dismissed"),
    ];
    for (t, trigger, cue) in cases {
        let (s, r) = stance_of(t, trigger);
        assert_eq!(s, Stance::Denied, "{t}");
        assert_eq!(r[0], format!("extract/stance.toml: denied ← {cue}"), "{t}");
    }
}

#[test]
fn the_thing_denied_is_the_claim_even_with_distancing_words() {
    let t = "“Reports of the alleged encirclement of our units near Kurakhove are false,” Ukraine's General Staff said in a statement.";
    let a = at(t, "encirclement");
    assert_eq!(a.source.name, "General Staff of the Armed Forces of Ukraine");
    assert_eq!(a.stance, Stance::Denied);
}

#[test]
fn unconfirmed_cues() {
    let cases = [
        ("Ukraine's military has not confirmed the withdrawal from Kurakhove.", "withdrawal", "has not confirmed"),
        ("Ukraine's military has not officially confirmed the withdrawal from Kurakhove.", "withdrawal", "has not confirmed"),
        ("The capture of Dachne could not be verified.", "capture", "could not be verified"),
        ("Reporters could not independently verify the strike on Dnipro.", "strike", "could not independently verify"),
        ("Russian troops reportedly entered Pokrovsk on Monday.", "entered", "reportedly"),
        ("The alleged strike on Odesa drew condemnation.", "strike", "alleged"),
        ("Unverified footage showed Russian tanks advancing near Lyman.", "advancing", "unverified"),
        ("Russia's claimed capture of Toretsk came after months of fighting.", "capture", "'s claimed"),
        ("About 11,000 North Korean troops are believed to be fighting in the Kursk region.", "fighting", "are believed to"),
        ("Kremlin spokesman Dmitry Peskov declined to comment on the capture of Toretsk.", "capture", "declined to comment on"),
        ("Neither side has said how many soldiers were killed in the fighting near Pokrovsk.", "killed", "neither side has said"),
    ];
    for (t, trigger, cue) in cases {
        let (s, r) = stance_of(t, trigger);
        assert_eq!(s, Stance::Unconfirmed, "{t}");
        assert_eq!(r[0], format!("extract/stance.toml: unconfirmed ← {cue}"), "{t}");
    }
    assert_eq!(at("Ukraine's military has not confirmed the withdrawal from Kurakhove.", "withdrawal").source.name,
               "General Staff of the Armed Forces of Ukraine");
}

#[test]
fn distancing_words_do_not_change_a_cited_source_s_stance() {
    let (s, _) = stance_of("Russia's Defence Ministry confirmed the alleged attack on Belgorod.", "attack");
    assert_eq!(s, Stance::Asserted);
}

#[test]
fn possible_cues() {
    let cases = [
        ("ISW said Russian forces could attack Zaporizhzhia in the spring.", "attack", "could"),
        ("Analysts said Russia may launch an offensive on Sumy.", "offensive", "may"),
        ("Officials said Russian jets might strike Kharkiv again.", "strike", "might"),
        ("If Russian troops cross the Oskil river, Kupiansk would be exposed.", "cross", "if"),
        ("Russian forces would then advance toward Kramatorsk.", "advance", "would"),
        ("Officials warned of a potential assault on Sumy.", "assault", "potential"),
        ("Analysts said Russian units have the capability to retake Sudzha within weeks.", "retake", "capability to"),
        // The conditional governs the event that is its subject, and what follows it.
        ("Zolotaryov replied that capturing Sumy itself would be a good start.", "capturing", "would be"),
        ("Analysts note that the capture of Sumy would be highly unlikely this year.", "capture", "would be"),
        ("Ukrainian troops would be forced to withdraw from Sudzha.", "withdraw", "would be"),
        ("Kyiv is wary of talks, fearing that Moscow may use a truce to regroup and launch new offensives.", "offensives", "fearing that"),
        // A condition governs its whole clause, however long.
        ("If Russian forces succeed in reclaiming all of the region and then advancing into Sumy, Kyiv would suffer.", "advancing", "if"),
        // What is urged has not happened.
        ("Zelensky urged Western partners to supply more air defence systems.", "supply", "urged"),
        ("A local official called on Moscow to seize the whole of the Sumy region.", "seize", "called on"),
    ];
    for (t, trigger, cue) in cases {
        let (s, r) = stance_of(t, trigger);
        assert_eq!(s, Stance::Possible, "{t}");
        assert_eq!(r[0], format!("extract/stance.toml: possible ← {cue}"), "{t}");
    }
}

#[test]
fn planned_cues() {
    let cases = [
        ("Zelensky said Russia was preparing an offensive on Zaporizhzhia.", "offensive", "preparing"),
        ("Russia is readying a new assault on Sumy, Zelensky claimed.", "assault", "readying"),
        ("Russia plans to seize the rest of Donetsk region, Peskov said.", "seize", "plans to"),
        ("“They will try to advance toward Sumy,” Syrskyi said.", "advance", "will try"),
        ("Moscow intends to capture Kostiantynivka by summer, a Ukrainian commander said.", "capture", "intends to"),
        ("Putin threatened to strike Kyiv.", "strike", "threatened to"),
        ("The operation aims to push Russian troops back from Kharkiv.", "push", "aims to"),
        ("Russia is expected to launch a summer offensive.", "launch", "is expected to"),
        ("Russian forces are trying to encircle the town of Kostiantynivka.", "encircle", "trying to"),
    ];
    for (t, trigger, cue) in cases {
        let (s, r) = stance_of(t, trigger);
        assert_eq!(s, Stance::Planned, "{t}");
        assert_eq!(r[0], format!("extract/stance.toml: planned ← {cue}"), "{t}");
    }
    let a = at("Russia is readying a new assault on Sumy, Zelensky claimed.", "assault");
    assert_eq!(a.source.name, "Volodymyr Zelensky");
    let a = at("Moscow intends to capture Kostiantynivka by summer, a Ukrainian commander said.", "capture");
    assert_eq!(src(&a), ("Ukrainian commander", SourceKind::Military, Some("UKR")));
}

#[test]
fn a_conditional_after_an_event_reaches_back_only_to_its_subject() {
    // Too far back: the event is reported, the conditional is about its meaning.
    let (s, _) = stance_of("Russian forces captured the town near Pokrovsk in what would be a major gain.", "captured");
    assert_eq!(s, Stance::Asserted);
    let (s, _) = stance_of("Russian forces captured Sudzha, which would be a blow to Kyiv.", "captured");
    assert_eq!(s, Stance::Asserted);
    // At equal distance the cue before the trigger wins: the loss is unverified, not conditional.
    let (s, _) = stance_of("Kyiv has not commented, but if verified, the loss of Pokrovsk would mark a turn.", "loss");
    assert_eq!(s, Stance::Unconfirmed);
    // "if confirmed" after the event qualifies it too.
    let (s, _) = stance_of("The capture of Toretsk, if confirmed, would give Moscow a foothold.", "capture");
    assert_eq!(s, Stance::Unconfirmed);
}

#[test]
fn cues_govern_only_their_clause_and_the_nearest_wins() {
    let (s, _) = stance_of("Russia may hold talks next month, but its troops captured Kurakhove on Monday.", "captured");
    assert_eq!(s, Stance::Asserted);
    let (s, _) = stance_of("Russian troops could strike again. On Monday they captured Kurakhove.", "captured");
    assert_eq!(s, Stance::Asserted);
    // "May" the month is not "may".
    let (s, _) = stance_of("In May, Russian troops captured Ocheretyne.", "captured");
    assert_eq!(s, Stance::Asserted);
    // The nearest cue wins: preparing an attack is planned, even if it "may" be so.
    let (s, _) = stance_of("The Kremlin may be preparing an attack on Sumy.", "attack");
    assert_eq!(s, Stance::Planned);
    // Too far away: "not" reaches two words.
    let (s, _) = stance_of("Russia did not say when or how its troops entered Pokrovsk.", "entered");
    assert_eq!(s, Stance::Asserted);
}

#[test]
fn a_non_confirmation_refers_back_without_changing_earlier_claims() {
    let t = "Russia's Defence Ministry said its forces had recaptured Nikolaevo-Darino.\nUkraine's General Staff has not confirmed the loss of this village.";
    let f = fixture(t);
    let doc = f.doc();
    let d = attributor().analyse(&doc);
    let r = d.reservations();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].source.name, "General Staff of the Armed Forces of Ukraine");
    assert_eq!(r[0].stance, Stance::Unconfirmed);
    assert_eq!(r[0].sentences, 0..1);
    let a = at(t, "recaptured");
    assert_eq!(a.source.name, "Russian Ministry of Defence");
    assert_eq!(a.stance, Stance::Asserted);
    assert!(has_rule(&a, "unconfirmed ← has not confirmed (by General Staff of the Armed Forces of Ukraine"), "{:?}", rules(&a));
    let a = at(t, "loss");
    assert_eq!(a.source.name, "General Staff of the Armed Forces of Ukraine");
    assert_eq!(a.stance, Stance::Unconfirmed);
}

// ---- quotations ----

fn quotes_of(t: &str) -> Vec<(String, Option<String>)> {
    let f = fixture(t);
    let doc = f.doc();
    let d = attributor().analyse(&doc);
    d.quotes().iter().map(|q| (q.span.text(t).to_string(), q.speaker.as_ref().map(|s| s.name.clone()))).collect()
}

#[test]
fn quotes_list_speakers_and_skip_scare_quotes() {
    let t = "Putin proposed a so-called “sanitary zone” along the border. “We will push them back from the border regions,” Putin said.";
    let q = quotes_of(t);
    assert_eq!(q, [("We will push them back from the border regions,".to_string(), Some("Vladimir Putin".to_string()))]);
}

#[test]
fn a_quote_without_a_verb_takes_the_paragraph_s_speaker() {
    let t = "Ukrainian analyst Taras Melnyk said the attacks were intensifying. “Every night there are new strikes on Kharkiv and nobody knows where the next one lands.”";
    let q = quotes_of(t);
    assert_eq!(q[0].1.as_deref(), Some("Taras Melnyk"));
    let a = at(t, "strikes");
    assert_eq!(a.source.name, "Taras Melnyk");
    assert!(has_rule(&a, "nearest speaker of the paragraph"));
}

#[test]
fn a_quote_after_according_to_and_across_paragraphs() {
    let t = "According to Syrskyi, “the enemy lost four battalions near Pokrovsk this week.”";
    assert_eq!(quotes_of(t)[0].1.as_deref(), Some("Oleksandr Syrskyi"));
    let t = "“The first wave came at dawn near Toretsk and we held.\n“The second wave broke on our mines before noon,” the commander said.\nUkrainian commander Yurii Lysenko spoke by phone.";
    let q = quotes_of(t);
    assert_eq!(q.len(), 1);
    assert!(q[0].0.contains("first wave") && q[0].0.contains("second wave"));
    let a = at(t, "wave");
    assert!(a.quote.is_some());
    let t = "Le ministre a dit: «nos troupes ont repoussé trois assauts près de Koupiansk».";
    assert_eq!(quotes_of(t).len(), 1);
}

// ---- robustness and the dev corpus ----

#[test]
fn bad_input_never_panics() {
    let big = "Zelensky said “Russia attacked Sumy again today,” he said. ".repeat(2000);
    for t in ["", " ", "“", "”", "\"\"\"", "é’s said", "said", "according to", ", said", "A, B, said.", "’s claimed", "He said.", big.as_str(), "Это «цитата из текста» сказал он.", "She\u{a0}said “x y z w”"] {
        let f = fixture(t);
        let doc = f.doc();
        let d = attributor().analyse(&doc);
        let _ = d.quotes();
        for (i, s) in f.sentences.iter().enumerate() {
            let _ = d.attribute(i, *s);
            let _ = d.attribute(i, Span::new(s.start, s.start));
        }
        let _ = d.attribute(usize::MAX, Span::new(usize::MAX - 1, usize::MAX));
        let _ = d.attribute(0, Span::new(t.len(), t.len() + 10));
    }
}

fn dev_corpus() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/dev");
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "txt")).collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|p| Some((p.file_name()?.to_string_lossy().into_owned(), std::fs::read_to_string(&p).ok()?)))
        .collect()
}

#[test]
fn dev_corpus_attributes_quotes_to_their_speakers() {
    let corpus = dev_corpus();
    if corpus.is_empty() {
        eprintln!("dev corpus absent; skipped");
        return;
    }
    let speakers_of = |prefix: &str| -> Vec<String> {
        let (_, text) = corpus.iter().find(|(n, _)| n.starts_with(prefix)).expect("dev article");
        let f = fixture(text);
        let doc = f.doc();
        let d = attributor().analyse(&doc);
        for (i, s) in f.sentences.iter().enumerate() {
            let _ = d.attribute(i, *s);
        }
        d.quotes().iter().filter_map(|q| q.speaker.as_ref().map(|s| s.name.clone())).collect()
    };
    for (name, text) in &corpus {
        let f = fixture(text);
        let doc = f.doc();
        let d = attributor().analyse(&doc);
        for (i, s) in f.sentences.iter().enumerate() {
            let a = d.attribute(i, *s);
            assert!(!a.source.name.is_empty(), "{name}");
        }
    }
    let s000 = speakers_of("000_");
    assert!(s000.iter().filter(|s| *s == "Oleksiy Hetman").count() >= 1, "{s000:?}");
    assert!(s000.iter().any(|s| s == "Ivan Stupak") && s000.iter().any(|s| s == "Yan Matveev"), "{s000:?}");
    let s002 = speakers_of("002_");
    assert!(s002.iter().filter(|s| *s == "Angelica Evans").count() >= 3, "{s002:?}");
    let s003 = speakers_of("003_");
    assert!(s003.iter().any(|s| s == "General Staff of the Armed Forces of Ukraine"), "{s003:?}");
}

/// Throughput, not a timed test: `cargo test --release -p sitrep-extract attribution_throughput -- --ignored --nocapture`.
/// Each article is analysed on its own, as in production, and every sentence is attributed once.
#[test]
#[ignore]
fn attribution_throughput() {
    let mut corpus: Vec<String> = dev_corpus().into_iter().map(|(_, t)| t).collect();
    if corpus.is_empty() {
        corpus.push("Ukrainian analyst Taras Melnyk said Russian units were regrouping near Pokrovsk, according to ISW. “They will try again,” he said.\n".repeat(40));
    }
    let fixtures: Vec<Fixture> = corpus.iter().map(|t| fixture(t)).collect();
    let _ = attributor();
    let rounds = (5_000_000 / corpus.iter().map(String::len).sum::<usize>()).max(1);
    let (mut bytes, mut n) = (0usize, 0usize);
    // CPU time of this thread (Linux), since the machine may be shared: wall time understates speed.
    let cpu_ns = || -> Option<f64> {
        std::fs::read_to_string("/proc/thread-self/schedstat").ok()?.split_whitespace().next()?.parse().ok()
    };
    let cpu0 = cpu_ns();
    let start = std::time::Instant::now();
    for _ in 0..rounds {
        for f in &fixtures {
            let doc = f.doc();
            let d = attributor().analyse(&doc);
            for (i, s) in f.sentences.iter().enumerate() {
                n += d.attribute(i, Span::new(s.start, s.start)).evidence.len();
            }
            bytes += f.text.len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!("{bytes} bytes in {rounds} rounds, {n} evidence items: {:.1} MB/s wall", bytes as f64 / secs / 1e6);
    if let (Some(a), Some(b)) = (cpu0, cpu_ns()) {
        println!("{:.1} MB per CPU-second", bytes as f64 / ((b - a) / 1e9) / 1e6);
    }
}

#[test]
fn non_confirmation_and_neither_nor_govern_their_clause() {
    let (s, r) = stance_of("There is no confirmation of claims about an imminent assault on Kharkiv.", "assault");
    assert_eq!((s, r[0].as_str()), (Stance::Unconfirmed, "extract/stance.toml: unconfirmed ← there is no confirmation of"));
    let (s, _) = stance_of("Neither Kyiv nor its allies have seen any preparation for an offensive on Chernihiv.", "offensive");
    assert_eq!(s, Stance::Denied);
    let (s, r) = stance_of("The ministry has neither confirmed nor denied the strike on Mykolaiv.", "strike");
    assert_eq!((s, r[0].as_str()), (Stance::Unconfirmed, "extract/stance.toml: unconfirmed ← has neither confirmed nor denied"));
}

#[test]
fn the_attributor_can_be_shared_across_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Attributor>();
}

#[test]
fn sentence_indices_are_the_callers_even_with_a_bad_span() {
    let text = "Russian troops shelled Nikopol. Zelensky said Russian troops shelled Kherson.";
    let mut f = fixture(text);
    f.sentences.insert(0, Span::new(5, 10_000));
    let doc = f.doc();
    let d = attributor().analyse(&doc);
    let p = text.rfind("shelled").unwrap();
    assert_eq!(d.attribute(2, Span::new(p, p + 7)).source.name, "Volodymyr Zelensky");
}


