//! Readable terminal tables (comfy-table), shared by every listing command.

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};

pub fn new(headers: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic).set_header(headers.to_vec());
    if let Some((w, _)) = terminal_width() {
        t.set_width(w);
    }
    t
}

fn terminal_width() -> Option<(u16, u16)> {
    // comfy-table measures the terminal itself when attached; a pipe gets a fixed width
    // so that output is stable for scripts and tests.
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).map(|w| (w, 0)).or(Some((120, 0)))
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
