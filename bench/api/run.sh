#!/usr/bin/env bash
# The device-list API benchmark (GET /api/v1/devices at 1,000,000 devices on PostgreSQL): a fresh database of its
# own (camsweep_bench_api, dropped at the end), filled in bulk SQL, the real server in-process on 127.0.0.1, each
# case timed over HTTP with 1 and 8 clients against the bar (p95 under 50 ms). See bench/api/RESULTS.md.
#   bash bench/api/run.sh                       # 1,000,000 devices: writes bench/results/api-1000000.json
#   bash bench/api/run.sh --devices 10000       # a smoke run (30 requests a case): bench/results/api-10000.json
#   bash bench/api/run.sh --keep                # keep the database (--reuse: measure it again without a fill)
#   bash bench/api/run.sh --try 'restricted=false::CREATE INDEX bench_x ON devices (...)'   # tried, then dropped
# Other options: --requests 300 (30 under 100,000 devices) --warmup 20 --clients 8 --deep-page 5000 --phase-seconds 60 --only REGEX --pg URL.
# Needs a built camsweep (npm run build) and PostgreSQL at 127.0.0.1:5432 (trust auth). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f dist/server/app.js ] || { echo "build camsweep first (npm run build)"; exit 1; }
devices=1000000
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [ "${args[$i]}" = --devices ] && devices=${args[$((i + 1))]:-}
done
mkdir -p bench/results
out=bench/results/api-$devices.json
node bench/api/bench.mjs "$@" --out "$out.tmp"
mv "$out.tmp" "$out"
node bench/api/summarize.mjs "$out"
