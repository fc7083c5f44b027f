//! sitrep-eval: adapters that read public benchmarks and score sitrep against them the
//! way each benchmark's own scorer does. The benchmark data stays outside the project
//! (`../shared/bench/` during development); only the adapters and scorers live here.

pub mod geoparsing;
pub mod tempeval;

