//! One module per input format. Each returns articles whose `text` is final clean text.

pub mod boilerplate;
pub mod feed;
pub mod html;
pub mod jsonl;
pub mod text;

/// Normalise a plain-text body into clean text: LF line ends, trailing spaces trimmed,
/// runs of blank lines folded to one blank line (a paragraph break), no leading or
/// trailing blank lines. Applied once at ingest so spans stay stable afterwards.
pub fn clean_text(raw: &str) -> String {
    let raw = raw.trim_start_matches('\u{feff}').replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(raw.len());
    let mut blank_run = 0usize;
    for line in raw.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line.trim_start_matches(['\u{a0}']));
    }
    out
}

/// Host name of a URL without `www.`, the fallback outlet when no site name is given.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, r)| r)?;
    let host = rest.split(['/', '?', '#']).next()?.split('@').next_back()?.split(':').next()?;
    let host = host.trim_start_matches("www.").to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_folds_blank_lines_and_crlf() {
        assert_eq!(clean_text("\r\nA line.  \r\n\r\n\r\nNext para.\nSame para.\n\n"), "A line.\n\nNext para.\nSame para.");
    }

    #[test]
    fn host_of_strips_www_and_port() {
        assert_eq!(host_of("https://www.themoscowtimes.com:443/2025/03/21/x"), Some("themoscowtimes.com".into()));
        assert_eq!(host_of("not a url"), None);
    }
}
