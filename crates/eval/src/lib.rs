//! sitrep-eval: adapters that read public benchmarks and score sitrep against them the
//! way each benchmark's own scorer does, and the scoreboard that runs them all
//! (`cargo run --release -p sitrep-eval --bin scoreboard`). The benchmark data stays
//! outside the project (`../shared/bench/`, `../shared/eval/`); only the adapters and
//! scorers live here.

pub mod articles;
pub mod claims;
pub mod geoparsing;
pub mod scoreboard;
pub mod tempeval;
pub mod throughput;
