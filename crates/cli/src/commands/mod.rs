pub mod claims;
pub mod docs;
pub mod ingest;
pub mod language;
pub mod process;
pub mod reconcile;
