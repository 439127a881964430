#!/usr/bin/env bash
# Does a busy machine make OpenNLB see a live host as dead? Runs a three-host lab cluster with
# the default heartbeat settings while every core is kept busy (one `sha256sum /dev/zero` hog per
# core, at the same nice level as nlbd), for a given time, and counts the hosts that were dropped
# from the cluster although none died: "host N left" lines in the nlbd logs.
#
# Usage: sudo bench/false-failover.sh [minutes=10] [hogs-per-core=1]     (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
per_core=${2:-1}
. bench/release-nlbd.sh
lab=bff
nlb=./nlb
hogs=()

cleanup() {
  for pid in "${hogs[@]}"; do kill "$pid" 2>/dev/null || true; done
  "$nlb" lab down --name "$lab" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM
cleanup
"$nlb" lab up --name "$lab" --hosts 3 --clients 1 >/dev/null
sleep 3
before=$(cat /run/opennlb-lab/$lab/h*.nlbd.log | grep -c 'nlbd\[1101\]' || true)
cores=$(nproc)
for _ in $(seq 1 $((cores * per_core))); do
  sha256sum /dev/zero >/dev/null &
  hogs+=("$!")
done
echo "$((cores * per_core)) CPU hogs on $cores cores for $minutes min; three nlbd with the default heartbeat settings"
load_start=$(date +%s)
sleep $((minutes * 60))
load=$(cut -d' ' -f1 /proc/loadavg)
for pid in "${hogs[@]}"; do kill "$pid" 2>/dev/null || true; done
hogs=()
after=$(cat /run/opennlb-lab/$lab/h*.nlbd.log | grep -c 'nlbd\[1101\]' || true)
convergences=$(for h in 1 2 3; do grep -o '"convergences": [0-9]*' /run/opennlb-lab/$lab/h$h.state.json | grep -o '[0-9]*$'; done | paste -sd' ')
echo "loaded for $(( $(date +%s) - load_start )) s, load average at the end $load"
echo "false failovers (a live host dropped by another): $((after - before))"
echo "convergences per host over the whole run: $convergences"
grep -h 'nlbd\[1101\]' /run/opennlb-lab/$lab/h*.nlbd.log | tail -5 || true
