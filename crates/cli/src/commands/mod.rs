pub mod docs;
pub mod ingest;
