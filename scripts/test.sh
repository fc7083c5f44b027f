#!/usr/bin/env bash
# The test command of the README: every crate's unit, integration and end-to-end tests,
# then the scoreboard's regression guard when the shared benchmarks are there.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --locked --no-fail-fast

# The scoreboard (crates/eval) on ../shared/bench and ../shared/eval, with the binaries
# the tests just built (no second, release build): fails when a quality figure falls
# below its floor in eval/floors.toml. Throughput is not measured here (a debug build's
# speed means nothing); the README's figures come from the release command.
if [ -d ../shared/bench ]; then
  target="${CARGO_TARGET_DIR:-target}"
  "$target/debug/scoreboard" --check --throughput 0
else
  echo "scoreboard: ../shared/bench not present, skipped"
fi
