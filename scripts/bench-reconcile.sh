#!/usr/bin/env bash
# Reconciliation benchmark: the growth curve on synthetic claims (in memory, 20k to 200k),
# then `sitrep reconcile` end to end (SQLite reads and writes) on the claims extracted
# from a generated corpus. Usage: scripts/bench-reconcile.sh [ARTICLES]  (default 3000,
# about 200,000 claims).
set -euo pipefail
cd "$(dirname "$0")/.."
articles="${1:-3000}"
cargo build --release --locked -p sitrep
cargo build --release --locked -p sitrep-reconcile --example scale
bin="${CARGO_TARGET_DIR:-target}/release"
echo "== in memory (synthetic claims)"
for n in 20000 50000 100000 200000; do
  /usr/bin/time -f "   peak %M KB" "$bin"/examples/scale "$n"
done
echo "== sitrep reconcile on extracted claims ($articles generated articles)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 scripts/gen_corpus.py "$work/corpus" --articles "$articles" >/dev/null
db="$work/bench.db"
"$bin"/sitrep --db "$db" ingest -q "$work/corpus" 2>/dev/null || true
"$bin"/sitrep --db "$db" extract -q 2>&1 | grep -v reconciled || true
/usr/bin/time -f "   wall %e s, peak %M KB" "$bin"/sitrep --db "$db" reconcile
