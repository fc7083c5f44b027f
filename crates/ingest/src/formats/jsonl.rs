//! JSON Lines: one article per line. (Filled in by the JSONL reader work.)

use crate::{IngestError, ItemResult};

pub fn read(origin: &str, _text: &str) -> Vec<ItemResult> {
    vec![Err((origin.to_string(), IngestError::Malformed { format: "jsonl", detail: "JSONL reader not built yet".into() }))]
}
