//! Reading raw input bytes into stored articles: the piece `sitrep ingest` and the
//! server's `POST /api/documents` share (the same readers, fingerprints and insert).

use anyhow::Result;
use sitrep_ingest::{read_input, IngestError, MAX_INPUT_BYTES};

use crate::{Fingerprinted, InsertOutcome, Store};

/// One item of an input: an article ready to store, or why it was rejected (with the
/// item's origin).
pub type FingerprintedItem = Result<Fingerprinted, (String, IngestError)>;

/// Read one input's bytes with the ingest readers and fingerprint each article (the
/// expensive, parallelisable part; storing is [`Store::insert_fingerprinted`]).
pub fn read_fingerprinted(origin: &str, bytes: &[u8]) -> Vec<FingerprintedItem> {
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return vec![Err((origin.to_string(), IngestError::TooLarge { size: bytes.len() as u64, limit: MAX_INPUT_BYTES }))];
    }
    read_input(origin, bytes).into_iter().map(|item| item.map(Fingerprinted::new)).collect()
}

/// What storing one input did: each article's outcome (with the item's origin) and
/// each rejected item.
#[derive(Debug, Default)]
pub struct IngestReport {
    pub stored: Vec<(String, InsertOutcome)>,
    pub rejected: Vec<(String, IngestError)>,
}

impl Store {
    /// Read, fingerprint and store one input in one transaction.
    pub fn ingest_bytes(&mut self, origin: &str, bytes: &[u8]) -> Result<IngestReport> {
        let mut report = IngestReport::default();
        let mut articles = Vec::new();
        for item in read_fingerprinted(origin, bytes) {
            match item {
                Ok(a) => articles.push(a),
                Err(e) => report.rejected.push(e),
            }
        }
        let outcomes = self.insert_fingerprinted(&articles)?;
        report.stored = articles.into_iter().map(|a| a.article.origin).zip(outcomes).collect();
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feed_body_stores_its_items_and_reports_the_bad_ones() {
        let mut s = Store::open_in_memory().unwrap();
        let body = "{\"text\": \"Troops moved north of the river on Tuesday, officials said.\", \"published\": \"2025-03-02\"}\nnot json\n";
        let r = s.ingest_bytes("post.jsonl", body.as_bytes()).unwrap();
        assert_eq!(r.stored.len(), 1);
        assert!(matches!(r.stored[0].1, InsertOutcome::Stored { .. }));
        assert_eq!(r.rejected.len(), 1);
        let again = s.ingest_bytes("post.jsonl", body.as_bytes()).unwrap();
        assert!(matches!(again.stored[0].1, InsertOutcome::Unchanged { .. }));
        assert_eq!(s.count_articles().unwrap(), 1);
    }
}
