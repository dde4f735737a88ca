# Sourced by the benchmarks: starts the device lab on $RANGE (loopback only) in the background, sets $lab (its pid)
# and $hosts (its addresses), and removes everything on exit. Needs $RANGE set and the working directory at the root.
out=$(mktemp -d -t camsweep-bench-XXXXXX)
trap 'kill "$lab" 2>/dev/null || true; wait "$lab" 2>/dev/null || true; rm -rf "$out"' EXIT
node bin/camsweep.js lab --range "$RANGE" >"$out/lab.txt" 2>&1 &
lab=$!
for _ in $(seq 50); do grep -q "^127\." "$out/lab.txt" 2>/dev/null && break; sleep 0.2; done
hosts=$(grep -Eo '^127\.[0-9.]+' "$out/lab.txt" | tr '\n' ' ')
[ -n "$hosts" ] || { echo "lab did not start"; cat "$out/lab.txt"; exit 1; }
