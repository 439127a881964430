#!/usr/bin/env bash
# How steady is the cluster while planned changes run on a busy machine? Runs the end-to-end
# planned-change tests (three daemons, 200 TCP connections and 50 UDP flows, a join, a restart, a
# drainstop, a weight change) a number of times and counts, from the daemons' logs, what makes a
# cluster churn: lease lapses (event 1209), releases of everything (1210, with their causes) and
# loop rounds longer than a heartbeat period (1206). Prints the test results and one summary line.
# Compare two builds by running it on each, one right after the other (docs/benchmarks.md).
#
# Usage: sudo bench/planned-change-events.sh [runs=3]     (from the repository root, after a build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
logs=$(mktemp -d)
copier=

cleanup() {
  [ -n "$copier" ] && kill "$copier" 2>/dev/null || true
  rm -rf "$logs"
}
trap cleanup EXIT INT TERM

# The labs remove their logs when a test ends: copy them while they run.
(
  while true; do
    for f in /run/opennlb-lab/*/h*.nlbd.log; do
      if [ -f "$f" ]; then cp "$f" "$logs/$(basename "$(dirname "$f")")-$(basename "$f")" 2>/dev/null || true; fi
    done
    sleep 0.5
  done
) &
copier=$!

for i in $(seq 1 "$runs"); do
  # A failed test is a result here, not a reason to stop.
  dotnet test test/OpenNlb.EndToEnd.Tests --no-build -nologo --filter "FullyQualifiedName~PlannedChangeTests" \
    | grep -E "Passed!|Failed!|^\s+Failed |Error Message" -A1 | cut -c1-300 || true
  # Each run's logs apart: the next run's labs have the same names.
  for f in "$logs"/*.log; do
    if [ -f "$f" ]; then mv "$f" "$f.run$i"; fi
  done
done

count() { cat "$logs"/*.run* 2>/dev/null | grep -c "$1" || true; }
echo
echo "over $runs runs: lease lapses (1209) $(count 'nlbd\[1209\]'), releases of everything (1210) $(count 'nlbd\[1210\]'), slow loop rounds (1206) $(count 'nlbd\[1206\]')"
cat "$logs"/*.run* 2>/dev/null | grep 'nlbd\[1210\]' | sed 's/.*: //; s/holds map [0-9/]*, this host [0-9/]*/holds another map/' \
  | sort | uniq -c | sort -rn | sed 's/^/  /' || true
