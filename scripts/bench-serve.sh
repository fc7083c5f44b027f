#!/usr/bin/env bash
# Load benchmark of `sitrep serve` (a benchmark, not a test): a database of ~100,000
# claims from a generated corpus (scripts/gen_corpus.py: ~1,500 articles), the release
# server on a loopback port, and 50 concurrent clients (wrk, Debian package `wrk`)
# fetching filtered claim pages (type, date range, bounding box, place, stance, side,
# paged), for DURATION seconds. Prints wrk's latency distribution (p50, p99) and
# requests/s. The issue's target: p99 under 50 ms.
#   bash scripts/bench-serve.sh [ARTICLES] [DURATION]    (defaults 1500, 20)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1500}"
duration="${2:-20}"
command -v wrk >/dev/null || { echo "bench-serve: needs wrk (apt-get install wrk)" >&2; exit 1; }
work="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cargo build --release --locked -p sitrep
bin="${CARGO_TARGET_DIR:-target}/release/sitrep"
python3 scripts/gen_corpus.py "$work/corpus" --articles "$n"
"$bin" --db "$work/bench.db" ingest --quiet "$work/corpus"
"$bin" --db "$work/bench.db" extract --quiet
"$bin" --db "$work/bench.db" serve --addr 127.0.0.1:0 > "$work/addr" 2> "$work/server.log" &
server=$!
for _ in $(seq 100); do [ -s "$work/addr" ] && break; sleep 0.1; done
base="$(head -1 "$work/addr")"; base="${base%/}"
curl -sf "$base/api/health"; echo
# The filtered pages the clients rotate through, each a real query on the database.
cat > "$work/pages.lua" <<'LUA'
local pages = {
  "/api/claims?type=capture",
  "/api/claims?type=strike&since=2025-03-01&until=2025-03-31",
  "/api/claims?type=withdrawal&offset=200",
  "/api/claims?since=2025-04-01&until=2025-04-15&limit=20",
  "/api/claims?bbox=35.0,50.0,38.5,52.0",
  "/api/claims?place=Kupiansk",
  "/api/claims?type=advance&stance=asserted",
  "/api/claims?type=evacuation&limit=100",
  "/api/claims?type=deployment&total=true",
  "/api/claims?offset=1000",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", pages[(i % #pages) + 1])
end
LUA
for p in $(grep -o '"/api[^"]*"' "$work/pages.lua" | tr -d '"'); do
  printf '%-62s %s\n' "$p" "$(curl -s -o /dev/null -w '%{http_code} %{size_download} bytes %{time_total} s' "$base$p")"
done
echo "== 50 concurrent clients, ${duration} s, $(nproc) cores (server and wrk share them)"
wrk --latency -t2 -c50 -d"${duration}s" -s "$work/pages.lua" "$base"
