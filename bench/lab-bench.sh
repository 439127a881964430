#!/usr/bin/env bash
# OpenNLB lab benchmark: TCP throughput (iperf3, one stream) and short-connection rate (wrk, a new
# TCP connection per request) from a client to the VIP of a three-host cluster, measured in one run
# for three data planes, interleaved round by round so that a noisy machine hurts them alike:
#
#   opennlb  nlbd's ruleset (conntrack, bucket maps, unicast cluster MAC with source masking)
#   static   the filter a Linux user writes by hand instead (cf. ClusterLabs' IPaddr2 after
#            CLUSTERIP's removal): a fixed `jhash ... mod 3 != i drop` per host, no conntrack,
#            with the same unicast MAC trick so that the frames reach every host. Without
#            conntrack nothing reassembles fragments: it balances them wrongly (KB229064)
#   static+ct the same fixed filter placed as OpenNLB places its own (priority -300) plus a
#            conntrack rule, so that fragments are reassembled: what correctness costs by itself
#   direct   the client to one host's own address with no filter at all: the ceiling
#
# Usage: sudo bench/lab-bench.sh [rounds=3] [seconds=5]     (run from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
secs=${2:-5}
lab=bench
vip=192.0.2.100
nlb=./nlb
ex() { "$nlb" lab exec --name "$lab" "$@"; }

cleanup() { "$nlb" lab down --name "$lab" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM
cleanup
"$nlb" lab up --name "$lab" --hosts 3 --clients 1 >/dev/null
for h in 1 2 3; do ex "h$h" -- iperf3 -s -D; done   # bound to 0.0.0.0: serves VIP and DIP alike

wait_converged() {
  for _ in $(seq 1 100); do
    n=$( (grep -l '"state": "converged' /run/opennlb-lab/$lab/h*.state.json 2>/dev/null || true) | wc -l)
    [ "$n" -eq 3 ] && return 0
    sleep 0.1
  done
  echo "cluster did not converge" >&2; exit 1
}

static_on() {   # stop nlbd (it removes its VIP, MAC and tables) and install the static recipe
  for h in 1 2 3; do
    pid=$(cat /run/opennlb-lab/$lab/h$h.nlbd.pid); kill "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  done
  static_filter -150 ""
}

static_filter() {  # $1: priority of the filter, $2: extra chain (the conntrack rule) or ""
  for h in 1 2 3; do
    idx=$((h - 1))
    ex "h$h" -- sh -e -c "
      ip link set dev eth0 address 02:bf:c0:00:02:64
      ip addr replace $vip/32 dev eth0 noprefixroute
      nft delete table netdev static_mask 2>/dev/null || true
      nft delete table ip static_lb 2>/dev/null || true
      nft -f - <<NFT
table netdev static_mask {
  chain egress { type filter hook egress device \"eth0\" priority 0; policy accept;
    ether saddr 02:bf:c0:00:02:64 ether saddr set 02:0$h:c0:00:02:64
  }
}
table ip static_lb {
  chain pre { type filter hook prerouting priority $1; policy accept;
    ip daddr $vip tcp dport 80 jhash ip saddr . tcp sport mod 3 seed 0x1 != $idx drop
    ip daddr $vip tcp dport 5201 jhash ip saddr mod 3 seed 0x1 != $idx drop
    ip daddr $vip meta l4proto != tcp jhash ip saddr mod 3 seed 0x1 != $idx drop
  }
  $2
}
NFT"
  done
  ex c1 -- ip neigh flush all
}

static_off() {  # remove the static recipe: the hosts are plain hosts again (the "direct" ceiling)
  for h in 1 2 3; do
    mac=$(printf '02:00:c0:00:02:%02x' $((10 + h)))
    ex "h$h" -- sh -c "nft delete table netdev static_mask; nft delete table ip static_lb; ip addr del $vip/32 dev eth0; ip link set dev eth0 address $mac"
  done
  ex c1 -- ip neigh flush all
}

nlbd_on() {
  for h in 1 2 3; do
    ip netns exec "onlb-$lab-h$h" setsid "$(readlink -f artifacts/bin/nlbd/debug/nlbd)" \
      --config "/run/opennlb-lab/$lab/h$h.yaml" --state-file "/run/opennlb-lab/$lab/h$h.state.json" \
      >>"/run/opennlb-lab/$lab/h$h.nlbd.log" 2>&1 &
    echo $! >"/run/opennlb-lab/$lab/h$h.nlbd.pid"
  done
  sleep 0.3
  wait_converged
  settle
}

# Three .NET daemons that just started spend a few seconds compiling (tiered JIT) on the same two
# cores the benchmark uses; measuring then would charge their start-up to OpenNLB's data plane.
settle() { sleep 6; }

iperf() {  # Gbit/s received, one TCP stream
  ex c1 -- iperf3 -c "$1" -t "$secs" -J 2>/dev/null \
    | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e9, 3))'
}

rate() {   # new connections per second
  ex c1 -- wrk -t1 -c20 -d"${secs}s" -H 'Connection: close' "http://$1/" 2>/dev/null \
    | awk '/Requests\/sec/ { print $2 }'
}

wait_converged
settle
direct=192.0.2.11   # h1's own address

declare -A tput rate_
for r in $(seq 1 "$rounds"); do
  tput[opennlb,$r]=$(iperf $vip);     rate_[opennlb,$r]=$(rate $vip)
  static_on
  tput[static,$r]=$(iperf $vip);      rate_[static,$r]=$(rate $vip)
  static_filter -300 "chain track { type filter hook prerouting priority -150; policy accept; ip daddr $vip ct state established,related accept; }"
  tput[staticct,$r]=$(iperf $vip);    rate_[staticct,$r]=$(rate $vip)
  static_off
  tput[direct,$r]=$(iperf $direct);   rate_[direct,$r]=$(rate $direct)
  nlbd_on
  echo "round $r: opennlb ${tput[opennlb,$r]} Gbit/s ${rate_[opennlb,$r]} conn/s | static ${tput[static,$r]} Gbit/s ${rate_[static,$r]} conn/s | static+ct ${tput[staticct,$r]} Gbit/s ${rate_[staticct,$r]} conn/s | direct ${tput[direct,$r]} Gbit/s ${rate_[direct,$r]} conn/s" >&2
done

python3 - "$rounds" <<PY
import statistics, sys
r = int(sys.argv[1])
t = {k: [float(x) for x in v.split()] for k, v in {
  "opennlb": "$(for i in $(seq 1 "$rounds"); do printf '%s ' "${tput[opennlb,$i]}"; done)",
  "static":  "$(for i in $(seq 1 "$rounds"); do printf '%s ' "${tput[static,$i]}"; done)",
  "static+ct": "$(for i in $(seq 1 "$rounds"); do printf '%s ' "${tput[staticct,$i]}"; done)",
  "direct":  "$(for i in $(seq 1 "$rounds"); do printf '%s ' "${tput[direct,$i]}"; done)"}.items()}
c = {k: [float(x) for x in v.split()] for k, v in {
  "opennlb": "$(for i in $(seq 1 "$rounds"); do printf '%s ' "${rate_[opennlb,$i]}"; done)",
  "static":  "$(for i in $(seq 1 "$rounds"); do printf '%s ' "${rate_[static,$i]}"; done)",
  "static+ct": "$(for i in $(seq 1 "$rounds"); do printf '%s ' "${rate_[staticct,$i]}"; done)",
  "direct":  "$(for i in $(seq 1 "$rounds"); do printf '%s ' "${rate_[direct,$i]}"; done)"}.items()}
mt = {k: statistics.median(v) for k, v in t.items()}
mc = {k: statistics.median(v) for k, v in c.items()}
print(f"\nmedians of {r} interleaved rounds of ${secs} s (3 hosts, 1 client, unicast mode)")
print(f"{'data plane':<10} {'TCP Gbit/s':>11} {'vs static':>10} {'new conn/s':>11} {'vs static':>10}")
for k in ("opennlb", "static", "static+ct", "direct"):
    print(f"{k:<10} {mt[k]:>11.2f} {mt[k]/mt['static']:>10.3f} {mc[k]:>11.0f} {mc[k]/mc['static']:>10.3f}")
PY
