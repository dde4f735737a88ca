#!/usr/bin/env bash
# camsweep scan vs `nmap -sT -sV` on the namespace lab: the same range and ports, one tool after the other, from the
# scanner namespace (csw-scan), with a real round trip. Sizes: 24 (a /24, 100 devices), 20 (a /20, 1,000 devices),
# 16 (a /16, 1,000 devices). Usage: bash bench/scan/run.sh [24|20|16]...   (default: 24)
# Needs root, Linux, a built camsweep (npm install), and Debian's nmap, nftables, iproute2 and time
# (apt-get install -y nmap nftables iproute2 time). Writes bench/results/scan-<size>.json; see docs/benchmarks.md.
# Nothing leaves the lab's two namespaces: csw-scan's only route is the lab range.
set -euo pipefail
cd "$(dirname "$0")/../.."
RTT=${RTT:-20}
LOSS=${LOSS:-0}
FILTERED=${FILTERED:-2%}
SEED=${SEED:-1}
PORTS=${PORTS:-80,443,554,8000,8080,8443,37777}
TIMING=${TIMING:--T4}
MIX=${MIX:-lab/mixes/site.yaml}   # lab/mixes/site-calm.yaml: the same site without its misbehaving hosts
# The scanners run only in the lab's scanner namespace (the lab's default prefix, not settable here): its one route
# is the lab range over the link to the lab's namespace, so no probe can leave for a real network.
SCAN_NS=csw-scan
[ "$(id -u)" = 0 ] || { echo "bench/scan/run.sh needs root (it creates network namespaces)"; exit 1; }
for c in nmap nft ip /usr/bin/time; do command -v "$c" >/dev/null || { echo "missing $c (apt-get install -y nmap nftables iproute2 time)"; exit 1; }; done
[ -f dist/cli/main.js ] || { echo "build camsweep first (npm install)"; exit 1; }

# BENCH_OUT=DIR keeps each tool's raw output (DIR/<size>/), e.g. to score camsweep while a long nmap run goes on.
keep=${BENCH_OUT:-}
out=$(mktemp -d -t camsweep-bench-scan-XXXXXX)
lab=""
stop_lab() {
  if [ -n "$lab" ]; then kill -INT "$lab" 2>/dev/null || true; wait "$lab" 2>/dev/null || true; lab=""; fi
}
trap 'stop_lab; rm -rf "$out"' EXIT
# Refuses to run a scanner unless the scanner namespace exists, has no default route, and routes the range
# (and nothing else) over the lab's link: 10.80.0.0/x is private space, probed only inside these namespaces.
confined() {
  local routes
  routes=$(ip -n "$SCAN_NS" route show 2>/dev/null) || { echo "no namespace $SCAN_NS: refusing to scan"; exit 1; }
  if grep -q '^default' <<<"$routes" || ! grep -q "^$1 dev " <<<"$routes" \
    || [ "$(grep -vc -e "^$1 dev " -e ' proto kernel ' <<<"$routes")" != 0 ]; then
    echo "namespace $SCAN_NS does not route just $1; refusing to scan:"; echo "$routes"; exit 1
  fi
}
save() { [ -z "$keep" ] || { mkdir -p "$keep/$size" && cp "$out"/truth.jsonl "$out"/*.time "$out"/*.jsonl "$out"/*.err "$out"/*.xml "$keep/$size/" 2>/dev/null || true; }; }

for size in "${@:-24}"; do
  case $size in
    24) range=10.80.0.0/24 devices=100 ;;
    20) range=10.80.0.0/20 devices=1000 ;;
    16) range=10.80.0.0/16 devices=1000 ;;
    *) echo "unknown size $size (24, 20 or 16)"; exit 2 ;;
  esac
  rm -f "$out/truth.jsonl"
  node bin/camsweep.js lab --netns --range "$range" --devices "$devices" --mix "$MIX" --spread --seed "$SEED" \
    --rtt "$RTT" --loss "$LOSS" --filtered "$FILTERED" --truth "$out/truth.jsonl" >"$out/lab.txt" 2>&1 &
  lab=$!
  for _ in $(seq 300); do [ -f "$out/truth.jsonl" ] && break; kill -0 "$lab" 2>/dev/null || break; sleep 0.2; done
  [ -f "$out/truth.jsonl" ] || { echo "lab did not start"; cat "$out/lab.txt"; exit 1; }

  cam=(node bin/camsweep.js scan "$range" --allow "$range" -p "$PORTS" --json --no-store --no-progress $TIMING)
  nm=(nmap -sT -sV -n $TIMING -p "$PORTS" -oX "$out/nmap.xml" "$range")
  confined "$range"
  echo "/$size: $devices devices, camsweep..." >&2
  /usr/bin/time -v -o "$out/camsweep.time" ip netns exec "$SCAN_NS" "${cam[@]}" >"$out/camsweep.jsonl" 2>"$out/camsweep.err" || true
  save
  confined "$range"
  echo "/$size: nmap..." >&2
  /usr/bin/time -v -o "$out/nmap.time" ip netns exec "$SCAN_NS" "${nm[@]}" >/dev/null 2>"$out/nmap.err" || true
  stop_lab
  save

  node bench/scan/summarize.mjs result --size "$size" --range "$range" --devices "$devices" --rtt "$RTT" \
    --loss "$LOSS" --filtered "$FILTERED" --ports "$PORTS" --truth "$out/truth.jsonl" \
    --camsweep "$out/camsweep.jsonl" --camsweep-time "$out/camsweep.time" --camsweep-command "${cam[*]}" \
    --nmap "$out/nmap.xml" --nmap-time "$out/nmap.time" --nmap-command "${nm[*]}" \
    --nmap-version "$(nmap --version | head -1)" >"bench/results/scan-$size.json"
done
node bench/scan/summarize.mjs table bench/results/scan-*.json
