#!/usr/bin/env bash
# Ingest benchmark: 20,000 generated articles of ~5 KB into a fresh SQLite database,
# with a release build. Prints sitrep's own summary (articles/s, MB/s) and peak memory.
#   bash scripts/bench-ingest.sh [ARTICLES]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-20000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --locked -p sitrep
python3 scripts/gen_corpus.py "$work/corpus" --articles "$n"
echo "corpus: $n articles, $(du -sh "$work/corpus" | cut -f1) on disk"
/usr/bin/time -f "peak memory: %M KB, wall %e s, user %U s, sys %S s" \
  target/release/sitrep --db "$work/bench.db" ingest --quiet "$work/corpus"
