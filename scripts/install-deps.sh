#!/usr/bin/env bash
# Installs the Debian packages OpenNLB's lab, tests and benchmarks use, if any is missing; the last
# four build the Debian package and test it in a clean root (docs/service.md).
# Idempotent and quiet when everything is there already.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }
for pair in nft:nftables conntrack:conntrack ip:iproute2 iperf3:iperf3 socat:socat curl:curl \
            ping:iputils-ping arping:iputils-arping tcpdump:tcpdump nc:netcat-openbsd wrk:wrk \
            debootstrap:debootstrap readelf:binutils groff:groff-base systemd-nspawn:systemd-container; do
  have "${pair%%:*}" || need+=("${pair#*:}")
done
[ -e /usr/lib/x86_64-linux-gnu/libnftables.so.1 ] || [ -e /usr/lib/aarch64-linux-gnu/libnftables.so.1 ] \
  || need+=(libnftables1)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages: ${need[*]} (run as root, or: sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
  echo "installing: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
