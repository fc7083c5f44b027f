//! Reconciliation of synthetic claims at 20k, 50k, 100k and 200k (the in-memory part;
//! `scripts/bench-reconcile.sh` measures the whole command with its SQLite reads and
//! writes).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sitrep_lexicon::Lexicons;
use sitrep_reconcile::{reconcile, synthetic, Rules};

fn bench(c: &mut Criterion) {
    let rules = Rules::load(&Lexicons::embedded()).unwrap();
    let mut g = c.benchmark_group("reconcile");
    g.sample_size(10);
    for n in [20_000, 50_000, 100_000, 200_000] {
        let claims = synthetic::claims(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &claims, |b, claims| {
            b.iter(|| reconcile(claims.clone(), &rules))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
