#!/usr/bin/env bash
# The device-list API benchmark (GET /api/v1/devices at 1,000,000 devices on PostgreSQL): a fresh database of its
# own (camsweep_bench_api, dropped at the end), filled in bulk SQL, the real server in-process on 127.0.0.1, each
# case timed over HTTP with 1 and 8 clients against the bar (p95 under 50 ms). See docs/benchmarks.md.
#   bash bench/api/run.sh                       # 1,000,000 devices: writes bench/results/api-1000000.json
#   bash bench/api/run.sh --build               # the same, of the working tree built apart (dist/ is left alone)
#   bash bench/api/run.sh --devices 10000       # a smoke run (30 requests a case): bench/results/api-10000.json
#   bash bench/api/run.sh --keep                # keep the database (--reuse: measure it again without a fill)
#   bash bench/api/run.sh --try 'restricted=false::CREATE INDEX bench_x ON devices (...)'   # tried, then dropped
# Other options: --requests 300 (30 under 100,000 devices) --warmup 20 --clients 8 --deep-page 5000 --phase-seconds 60
# --only REGEX --pg URL --database camsweep_bench_<name>.
# Needs a built camsweep (npm run build, or --build) and PostgreSQL at 127.0.0.1:5432 (trust auth). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/../.."
devices=1000000
args=()
build=
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=1 ;;
    --devices) devices=${2:-}; args+=("$1" "${2:-}"); shift ;;
    *) args+=("$1") ;;
  esac
  shift
done
if [ -n "$build" ]; then
  # A package root of its own: the tree's migrations, knowledge and modules, and its own compiled dist/.
  root=$(mktemp -d /tmp/camsweep-bench-api.XXXXXX)
  trap 'rm -rf "$root"' EXIT
  for f in package.json migrations knowledge corpus lab bin node_modules; do ln -s "$PWD/$f" "$root/$f"; done
  # Type errors in work under way elsewhere in the tree do not stop the build: tsc emits it all the same.
  npx tsc -p tsconfig.build.json --outDir "$root/dist" || echo "bench/api: tsc reported type errors (built anyway)" >&2
  export CAMSWEEP_DIST=$root
fi
[ -f "${CAMSWEEP_DIST:-.}/dist/server/app.js" ] || { echo "build camsweep first (npm run build, or --build)"; exit 1; }
mkdir -p bench/results
out=bench/results/api-$devices.json
node bench/api/bench.mjs "${args[@]}" --out "$out.tmp"
mv "$out.tmp" "$out"
node bench/api/summarize.mjs "$out"
