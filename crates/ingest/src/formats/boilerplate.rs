//! Lines of site furniture that survive main-text extraction ("Read more", "Leave a
//! Reply", photo credits, share buttons). The patterns are data, in
//! `lexicons/ingest/boilerplate.toml`; this only applies them, line by line.

use std::sync::OnceLock;

use regex::RegexSet;
use serde::Deserialize;

#[derive(Deserialize)]
struct BoilerplateFile {
    patterns: Patterns,
}

#[derive(Deserialize)]
struct Patterns {
    lines: Vec<String>,
}

fn patterns() -> &'static RegexSet {
    static SET: OnceLock<RegexSet> = OnceLock::new();
    SET.get_or_init(|| {
        // The embedded file is checked by this crate's tests, so a failure here is a
        // build defect, not bad input.
        let file: BoilerplateFile = crate::Lexicons::embedded()
            .parse("ingest/boilerplate.toml")
            .unwrap_or_else(|e| panic!("{e:#}"));
        RegexSet::new(file.patterns.lines.iter().map(|p| format!("(?i){p}")))
            .unwrap_or_else(|e| panic!("lexicon file ingest/boilerplate.toml: {e}"))
    })
}

/// Whether a whole line (trimmed) is boilerplate.
pub fn is_boilerplate(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty() && patterns().is_match(line)
}

/// Drop boilerplate lines, keeping the other lines and the blank lines between them, so
/// paragraph breaks survive for `clean_text`.
pub fn strip_boilerplate(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        if !is_boilerplate(line) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_lines_are_boilerplate() {
        for line in [
            "Subscribe",
            "Sign up for our daily briefing",
            "Discover more from Front Line Notes | War News, Maps, Analysis",
            "Read more: Drone strike hits Odesa port",
            "Leave a Reply",
            "Leave a Reply Cancel reply",
            "Your email address will not be published. Required fields are marked *",
            "Photo: Ivan Petrenko / Reuters",
            "Photo credit: the regional administration",
            "A destroyed bridge near the village. (AP Photo/Jane Doe)",
            "Jane Doe/AFP via Getty Images",
            "Share on Telegram",
            "Advertisement",
            "Back to Gallery",
            "Читайте также: Обстрел Харькова",
            "Фото: пресс-служба ВСУ",
            "Підписуйтесь на наш Telegram-канал",
            "The post Shelling reported near Kherson appeared first on Example News.",
        ] {
            assert!(is_boilerplate(line), "{line}");
        }
    }

    #[test]
    fn article_sentences_mentioning_the_words_survive() {
        for line in [
            "Russian forces said they would read more reports before responding.",
            "The ministry asked residents to subscribe to air-raid alerts, officials said on Friday, and to stay in shelters.",
            "Subscribers to the local channel reported explosions in the city centre.",
            "A photo published by the governor showed the damaged school.",
            "Ukraine's General Staff said 23 clashes took place near Pokrovsk.",
            "Listen to the sirens, the mayor told residents, and go to the shelters at once.",
        ] {
            assert!(!is_boilerplate(line), "{line}");
        }
    }

    #[test]
    fn stripping_keeps_paragraph_breaks() {
        let text = "First paragraph.\n\nRead more: Something else\n\nSecond paragraph.\nAdvertisement\n";
        assert_eq!(crate::formats::clean_text(&strip_boilerplate(text)), "First paragraph.\n\nSecond paragraph.");
    }
}
