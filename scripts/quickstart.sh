#!/usr/bin/env bash
# The README's main job on the embedded default (SQLite, nothing to install): build
# sitrep, ingest the example corpus into a fresh database, list what was stored, extract
# places, times and claims (which also reconciles them across articles), and print the
# situation report.
set -euo pipefail
cd "$(dirname "$0")/.."
db="${SITREP_DB:-target/example.db}"
cargo build --release --locked -p sitrep
rm -f "$db" "$db-wal" "$db-shm"
sitrep="${CARGO_TARGET_DIR:-target}/release/sitrep"
"$sitrep" --db "$db" ingest examples/corpus
"$sitrep" --db "$db" docs
"$sitrep" --db "$db" extract
"$sitrep" --db "$db" report
echo "database: $db (try: $sitrep --db $db claims, contradictions, control Sudzha, numbers, explain <claim>, export --format jsonl)" >&2
