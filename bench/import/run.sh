#!/usr/bin/env bash
# The import benchmark (issue 6, item 7): ROWS synthetic devices (default 1,000,000) as a CMDB CSV and as nmap -oX,
# each imported into a fresh inventory with GNU time -v (wall, CPU, peak RSS), then the inventory listed three ways.
# On the embedded PGlite always; on PostgreSQL too when DATABASE_URL's server answers (in a fresh schema, dropped
# after). No peer tool imports into an inventory like this, so the figures are absolute, against the issue's goal:
# a 1M-row import under 30 s and 512 MB, listing and filtering 1M devices interactive. See docs/benchmarks.md.
#   bash bench/import/run.sh [ROWS]          (or ROWS=20000 bash bench/import/run.sh)
# Needs a built camsweep (npm install / npm run build) and GNU time (apt-get install -y time); psql for PostgreSQL.
# Writes bench/results/import-<rows>.json and prints a table. Local files and a loopback database only.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${1:-${ROWS:-1000000}}
SEED=${SEED:-1}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/test}
FORMATS=${FORMATS:-csv nmap-xml}
[ -x /usr/bin/time ] || { echo "missing GNU time (apt-get install -y time)"; exit 1; }
[ -f dist/cli/main.js ] || { echo "build camsweep first (npm run build)"; exit 1; }
case $PG_URL in
  postgres://*@127.0.0.1:*|postgres://*@localhost:*|postgresql://*@127.0.0.1:*|postgresql://*@localhost:*) ;;
  *) echo "PG_URL must name a loopback server"; exit 2 ;;
esac

# psql quietly: no NOTICE per dropped table. Only psql gets PGOPTIONS, never camsweep's own connection.
pg() { PGOPTIONS="-c client_min_messages=warning" psql -q "$PG_URL" "$@"; }

tmp=$(mktemp -d -t camsweep-bench-import-XXXXXX)
schema=""
cleanup() {
  if [ -n "$schema" ]; then pg -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
commit=$(git rev-parse --short HEAD 2>/dev/null || true)   # at the start: the lead may commit during a long run
steps=$tmp/steps.jsonl
: >"$steps"

echo "generating $ROWS rows (seed $SEED) in $tmp ..." >&2
/usr/bin/time -v -o "$tmp/generate.time" node bench/import/generate.mjs --rows "$ROWS" --seed "$SEED" --out "$tmp" \
  >"$tmp/generated.json"

file_of() { case $1 in csv) echo "$tmp/assets-$ROWS.csv" ;; nmap-xml) echo "$tmp/nmap-$ROWS.xml" ;; esac; }

# step BACKEND FORMAT NAME CMD...: runs CMD under time -v; its stdout is counted in lines (a listing) or kept (an
# import's summary line), its stderr kept; one JSON line per step goes to $steps.
step() {
  local backend=$1 format=$2 name=$3; shift 3
  local base=$tmp/$backend-$format-${name// /_}
  echo "  $backend $format: $name ..." >&2
  if [ "$name" = import ]; then
    /usr/bin/time -v -o "$base.time" "$@" >"$base.out" 2>"$base.err" || true
  else
    # The listing goes to a pipe that counts its lines (a device per line): the count checks the listing is whole.
    { /usr/bin/time -v -o "$base.time" "$@" 2>"$base.err" || true; } | wc -l >"$base.out"
  fi
  node bench/import/summarize.mjs step --backend "$backend" --format "$format" --name "$name" \
    --time "$base.time" --out "$base.out" --err "$base.err" --command "$(sed "s|$tmp|\$TMP|g" <<<"$*")" >>"$steps"
}

# inventory BACKEND FORMAT: a fresh inventory with one organization and site, the import, whole and paged listings.
inventory() {
  local backend=$1 format=$2 dir=$tmp/$1-$2
  local cli=(node bin/camsweep.js)
  node bin/camsweep.js org add bench --name "Benchmark" --type federal-department --jurisdiction CA \
    --data-dir "$dir" >/dev/null
  node bin/camsweep.js site add s --org bench --name "Benchmark site" --data-dir "$dir" >/dev/null
  step "$backend" "$format" import "${cli[@]}" import "$format" "$(file_of "$format")" --site s --data-dir "$dir"
  # The assessment of every device (policy packs, vulnerabilities, risk) and the compliance status that reads it.
  step "$backend" "$format" "assess" "${cli[@]}" assess --as-of 2026-11-22 --data-dir "$dir"
  step "$backend" "$format" "status" "${cli[@]}" status --data-dir "$dir"
  # The removal program over all of them (issue 8): a saved three-phase plan, then the report in each format, and
  # the same CSV screened as if it were a purchase order (issue 9). REPORTS=0 skips these.
  if [ "${REPORTS:-1}" = 1 ]; then
    step "$backend" "$format" "plan" "${cli[@]}" plan --phases 3 --budget 5000000 --start 2026-12-01 --save \
      --data-dir "$dir"
    local f
    for f in html pdf csv xlsx cyclonedx netbox; do
      step "$backend" "$format" "report $f" "${cli[@]}" report --format "$f" --lang en --as-of 2026-11-22 \
        --out "$tmp/report-$backend.$f" --data-dir "$dir"
    done
    step "$backend" "$format" "report pdf bilingual" "${cli[@]}" report --format pdf --lang bilingual \
      --as-of 2026-11-22 --out "$tmp/report-$backend-bi.pdf" --data-dir "$dir"
    [ "$format" = csv ] && step "$backend" "$format" "screen" "${cli[@]}" screen "$(file_of csv)" --format jsonl \
      --data-dir "$dir"
  fi
  step "$backend" "$format" "devices" "${cli[@]}" devices --json --data-dir "$dir"
  step "$backend" "$format" "devices --restricted" "${cli[@]}" devices --restricted --json --data-dir "$dir"
  step "$backend" "$format" "devices --manufacturer hikvision" "${cli[@]}" devices --manufacturer hikvision --json \
    --data-dir "$dir"
  # Pages, as a person filters interactively: the first 50, 50 of one maker, and 50 from the middle of the list
  # (the cursor after half the devices, which the half listing prints on stderr).
  step "$backend" "$format" "devices --limit 50" "${cli[@]}" devices --limit 50 --json --data-dir "$dir"
  step "$backend" "$format" "devices --manufacturer axis --limit 50" "${cli[@]}" devices --manufacturer axis \
    --limit 50 --json --data-dir "$dir"
  step "$backend" "$format" "devices --limit half" "${cli[@]}" devices --limit $((ROWS / 2)) --json --data-dir "$dir"
  local cursor
  cursor=$(grep -o -- '--after [^ ]*' "$tmp/$backend-$format-devices_--limit_half.err" | cut -d' ' -f2 || true)
  [ -n "$cursor" ] && step "$backend" "$format" "devices --after middle --limit 50" "${cli[@]}" devices \
    --after "$cursor" --limit 50 --json --data-dir "$dir"
  rm -rf "$dir"
}

for format in $FORMATS; do
  (unset DATABASE_URL; inventory pglite "$format")
done

# NO_POSTGRES=1 skips PostgreSQL even when it answers (a 1M run on both backends takes most of an hour).
if [ -z "${NO_POSTGRES:-}" ] && command -v psql >/dev/null && pg -c "select 1" >/dev/null 2>&1; then
  for format in $FORMATS; do
    schema=csw_bench_import_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
    pg -c "CREATE SCHEMA $schema" >/dev/null
    sep='?'; [[ $PG_URL == *\?* ]] && sep='&'
    (export DATABASE_URL="$PG_URL${sep}options=-c%20search_path%3D$schema"; inventory postgres "$format")
    pg -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null
    schema=""
  done
  pg_version=$(pg -At -c "show server_version")
else
  echo "PostgreSQL at $PG_URL skipped or not reachable: PGlite only" >&2
  pg_version=""
fi

mkdir -p bench/results
node bench/import/summarize.mjs result --rows "$ROWS" --generated "$tmp/generated.json" --steps "$steps" \
  --generate-time "$tmp/generate.time" --commit "$commit" --postgres "$pg_version" >"bench/results/import-$ROWS.json"
node bench/import/summarize.mjs table "bench/results/import-$ROWS.json"
