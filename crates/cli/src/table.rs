//! Readable terminal tables (comfy-table), shared by every listing command.

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};

pub fn new(headers: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic).set_header(headers.to_vec());
    // comfy-table measures the terminal itself when attached; `COLUMNS` overrides, and
    // a pipe gets a fixed width so that output is stable for scripts and tests.
    let columns = std::env::var("COLUMNS").ok().and_then(|c| c.parse::<u16>().ok());
    match columns {
        Some(w) => {
            t.set_width(w);
        }
        None if !std::io::IsTerminal::is_terminal(&std::io::stdout()) => {
            t.set_width(160);
        }
        None => {}
    }
    t
}

/// Cut a string to at most `max` characters, marking the cut.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}
