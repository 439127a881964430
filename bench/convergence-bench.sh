#!/usr/bin/env bash
# OpenNLB convergence benchmark: in one run on a three-host lab, failover times over many crashes
# (nlbd killed with SIGKILL and the host's cable pulled at once; p50, p99, max), the connections
# broken by each planned change (a host joining, a host drainstopped and started again, a load
# weight changed) with 200 long-lived TCP connections and 50 UDP flows, the heartbeat bytes per
# second per host, and the same for the static nftables recipe where it applies. One table at the
# end. See docs/benchmarks.md.
#
# Usage: sudo bench/convergence-bench.sh [crashes=20] [nlb bench convergence options...]
#        e.g. bench/convergence-bench.sh 40 --mode multicast --name conv2
set -euo pipefail
cd "$(dirname "$0")/.."
crashes=${1:-20}
shift || true
. bench/release-nlbd.sh
exec ./nlb bench convergence --crashes "$crashes" "$@"
