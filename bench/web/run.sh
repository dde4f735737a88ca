#!/usr/bin/env bash
# The overview's first render (issue 10: under 1 s at 100,000 devices), on PGlite and PostgreSQL: a filled
# inventory, the real server in-process on 127.0.0.1, Chromium timing the page, the API timed, its SQL explained.
# See docs/benchmarks.md.
#   bash bench/web/run.sh                                  # 100,000 devices, both: bench/results/web-overview-100000.json
#   bash bench/web/run.sh --devices 2000 --backend pglite  # a smoke run: bench/results/web-overview-2000.json
# Other options: --warm 10 --requests 50 (3 and 10 under 10,000 devices) --keep (the data directory or database) --pg postgres://postgres@127.0.0.1:5432 --database camsweep_bench_web.
# Needs a built camsweep (npm run build), Chromium at /usr/bin/chromium (or $CHROMIUM_PATH) and, for postgres,
# PostgreSQL at 127.0.0.1:5432 (trust auth). Loopback only; the database it makes is dropped at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f dist/server/app.js ] && [ -f dist/web/index.html ] || { echo "build camsweep first (npm run build)"; exit 1; }
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || { echo "no Chromium (apt-get install chromium)"; exit 1; }
devices=100000
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [ "${args[$i]}" = --devices ] && devices=${args[$((i + 1))]:-}
done
mkdir -p bench/results
out=bench/results/web-overview-$devices.json
node bench/web/bench.mjs "$@" --out "$out.tmp"
mv "$out.tmp" "$out"
node bench/web/summarize.mjs "$out"
