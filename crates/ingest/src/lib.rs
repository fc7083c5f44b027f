//! sitrep-ingest: turn bytes from files, folders, stdin or HTTP bodies into clean
//! [`Article`]s. Formats are detected by content ([`detect`]), text is decoded
//! ([`decode`]), and each reader returns one result per item, so one bad feed entry or
//! JSON line never hides the good ones around it.
//!
//! The article's `text` is the *clean text*: every later stage points into it with
//! character spans, so it is fixed here, once, and never rewritten afterwards.

pub mod dates;
pub mod decode;
pub mod detect;
pub mod fingerprint;
pub mod formats;
pub mod walk;

use serde::{Deserialize, Serialize};

pub use detect::Format;
pub use sitrep_lexicon::Lexicons;

/// Largest input that is read at all; bigger files are rejected with a clear error
/// rather than loaded into memory (a 200 MB file is almost always a mistake or a dump).
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// One article as read, before storage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub title: Option<String>,
    pub url: Option<String>,
    /// Site or outlet name ("The Moscow Times"), from metadata or the URL's host.
    pub outlet: Option<String>,
    /// Publication date as `YYYY-MM-DD`, when the metadata gives one.
    pub published: Option<String>,
    /// The clean main text: paragraphs separated by a blank line.
    pub text: String,
    pub format: Format,
    /// Where it came from: a path, `-` for stdin, `path#item` for a feed or JSONL item.
    pub origin: String,
}

/// Why an input or an item of it was rejected. The message is one line, for the user.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum IngestError {
    #[error("empty input")]
    Empty,
    #[error("binary data, not text ({0})")]
    Binary(String),
    #[error("not valid text in any supported encoding ({0})")]
    Undecodable(String),
    #[error("too large: {size} bytes (limit {limit})")]
    TooLarge { size: u64, limit: u64 },
    #[error("malformed {format}: {detail}")]
    Malformed { format: &'static str, detail: String },
    #[error("no article text found ({0})")]
    NoText(String),
    #[error("cannot read: {0}")]
    Io(String),
}

/// The outcome for one item of an input: an article, or why that item was rejected.
pub type ItemResult = Result<Article, (String, IngestError)>;

/// Read one input (the whole bytes of a file or stream) into its items.
///
/// A whole-input failure (empty, binary, undecodable) comes back as a single `Err`
/// item; a feed or JSONL file yields one result per entry/line.
pub fn read_input(origin: &str, bytes: &[u8]) -> Vec<ItemResult> {
    if bytes.is_empty() || bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return vec![Err((origin.to_string(), IngestError::Empty))];
    }
    let text = match decode::decode(bytes) {
        Ok(t) => t,
        Err(e) => return vec![Err((origin.to_string(), e))],
    };
    match detect::detect(origin, &text) {
        Format::Text => vec![formats::text::read(origin, &text)],
        Format::Html => vec![formats::html::read(origin, &text)],
        Format::Feed => formats::feed::read(origin, &text),
        Format::JsonLines => formats::jsonl::read(origin, &text),
    }
}
