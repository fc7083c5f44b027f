//! HTML pages: main-content extraction and metadata. (Filled in by the HTML reader work.)

use crate::{IngestError, ItemResult};

pub fn read(origin: &str, _html: &str) -> ItemResult {
    Err((origin.to_string(), IngestError::Malformed { format: "html", detail: "HTML reader not built yet".into() }))
}
