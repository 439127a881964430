#!/usr/bin/env bash
# OpenNLB cluster-section change benchmark: on a three-host lab with 200 long-lived TCP connections
# and 50 UDP flows, the port rules changed on every host and switched to live (`nlb reload` on
# each host), then changed back the only way there was before, nlbd restarted on every host: the
# baseline, in the same run. Connections broken, datagrams answered wrongly, twice or not at all,
# new flows after each, and how long new flows waited for the live switch. See docs/benchmarks.md.
#
# Usage: sudo bench/cluster-change.sh [nlb bench convergence options...]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/release-nlbd.sh
exec ./nlb bench convergence --cluster-change-only "$@"
