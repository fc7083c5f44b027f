//! sitrep-eval: runs sitrep's language layer on public benchmarks and scores it the way
//! each benchmark's own scorer does.

pub mod tempeval;
