#!/usr/bin/env bash
# Pipeline benchmark on a generated corpus (scripts/gen_corpus.py: our own sentences,
# rearranged), release build, fresh SQLite database:
#   1. ingest  ARTICLES files of ~5 KB          (issue target: >= 3,000 articles/s, < 300 MB)
#   2. extract language layer + claims into SQLite (target: >= 5 MB/s of text per core)
# sitrep prints its own throughput (articles/s, MB/s); /usr/bin/time adds peak memory.
#   bash scripts/bench-pipeline.sh [ARTICLES]    (default 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-20000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --locked -p sitrep
bin="${CARGO_TARGET_DIR:-target}/release/sitrep"
python3 scripts/gen_corpus.py "$work/corpus" --articles "$n"
echo "corpus: $n articles, $(du -sh --apparent-size "$work/corpus" | cut -f1) of text; $(nproc) cores"
fmt="peak memory %M KB, wall %e s, user %U s, sys %S s"
echo "== ingest"
/usr/bin/time -f "$fmt" "$bin" --db "$work/bench.db" ingest --quiet "$work/corpus"
echo "== extract"
/usr/bin/time -f "$fmt" "$bin" --db "$work/bench.db" extract --quiet
