#!/usr/bin/env bash
# Sourced by the lab benchmarks: measure the daemon as the package ships it, a Release build
# (./nlb otherwise starts the Debug nlbd it builds for development, whose loop is slower).
# NLBD=/path/to/nlbd measures another build instead.
if [ -z "${NLBD:-}" ]; then
  echo "building nlbd (Release)..." >&2
  if ! out=$(dotnet build src/nlbd -c Release -nologo -v quiet -clp:"ErrorsOnly;NoSummary" 2>&1); then
    printf '%s\n' "$out" >&2
    exit 1
  fi
  export NLBD="$PWD/artifacts/bin/nlbd/release/nlbd"
fi
echo "nlbd: $NLBD" >&2
