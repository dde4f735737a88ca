#!/usr/bin/env bash
# Identification throughput on one core (no peer does this offline, so the figure stands alone): the real captures
# of corpus/ replayed as devices, and the observations of a full scan of the device lab (loopback only).
# One run; see docs/benchmarks.md. Needs a built camsweep (npm install); taskset from util-linux pins one core.
set -euo pipefail
cd "$(dirname "$0")/.."
RANGE=${RANGE:-127.77.231.0/24}
. bench/lab.sh
node bin/camsweep.js scan $hosts --allow "$RANGE" --no-store --no-progress --no-summary \
  --save-observations "$out/lab.jsonl" >/dev/null
kill "$lab"; wait "$lab" 2>/dev/null || true

pin() { if command -v taskset >/dev/null; then taskset -c 0 "$@"; else "$@"; fi; }
corpus=$(pin node bench/identify.mjs --json)
scan=$(pin node bench/identify.mjs --json --observations "$out/lab.jsonl" --no-growth)
node -e 'const [c, s] = process.argv.slice(1).map(JSON.parse); console.log(JSON.stringify({ date: new Date().toISOString().slice(0, 10), corpus: c, labScan: s }, null, 1))' \
  "$corpus" "$scan" | tee bench/results/identify.json
