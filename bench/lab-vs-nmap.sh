#!/usr/bin/env bash
# camsweep scan vs nmap -sV on the device lab (loopback only): wall time for the same hosts and ports,
# and how many devices each names with a maker. One run; see docs/benchmarks.md.
# Needs: a built camsweep (npm install) and Debian's nmap (apt-get install nmap).
set -euo pipefail
cd "$(dirname "$0")/.."
RANGE=${RANGE:-127.77.240.0/24}
PORTS=80,443,554,8000,8080,8443,37777
. bench/lab.sh
n=$(echo $hosts | wc -w)

ms() { date +%s%3N; }
t0=$(ms)
node bin/camsweep.js scan $hosts --allow "$RANGE" -p "$PORTS" --json --no-store --no-progress >"$out/camsweep.jsonl"
t1=$(ms)
nmap -sV -Pn -n -p "$PORTS" -oX "$out/nmap.xml" $hosts >/dev/null
t2=$(ms)

node bench/summarize.mjs "$out/camsweep.jsonl" "$out/nmap.xml" "$n" $((t1 - t0)) $((t2 - t1)) "$(nmap --version | head -1)" \
  | tee "bench/results/lab-vs-nmap.json"
