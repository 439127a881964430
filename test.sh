#!/usr/bin/env bash
# Runs every test project of OpenNLB and ends with one line: "N passed, N failed, N skipped".
# Unit tests need nothing; the end-to-end tests need root (network namespaces, nftables) and
# skip, with the reason, without it. Installs what it needs (Debian packages, NuGet restore).
set -uo pipefail
cd "$(dirname "$0")"

scripts/install-deps.sh || echo "warning: could not install packages; tests that need them will skip" >&2

# Leftovers of an interrupted earlier run would collide with new labs.
if [ "$(id -u)" -eq 0 ]; then
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^onlb-t' || true); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ! dotnet build OpenNlb.slnx -c Debug -nologo -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

log=$(mktemp)
status=0
projects_run=(test/OpenNlb.Core.Tests test/OpenNlb.Cli.Tests test/OpenNlb.EndToEnd.Tests)
for project in "${projects_run[@]}"; do
  echo "== $project"
  dotnet test "$project" --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee -a "$log" \
    | grep -Ev '^\s*(Passed |$)' || true
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done

# Each test project ends with a block: "Total tests: N", then "Passed: N", "Failed: N" and
# "Skipped: N" for the counts that are not zero.
read -r passed failed skipped projects < <(awk '
  /^Total tests: /         { n++ }
  /^ +Passed: +[0-9]+$/    { p += $2 }
  /^ +Failed: +[0-9]+$/    { f += $2 }
  /^ +Skipped: +[0-9]+$/   { s += $2 }
  END { printf "%d %d %d %d\n", p, f, s, n }' "$log")
rm -f "$log"
if [ "$projects" -ne "${#projects_run[@]}" ]; then
  echo "expected results from ${#projects_run[@]} test projects, got $projects"
  status=1
  failed=$((failed + 1))
fi
# A failed test fails the run even when the runner's exit code was lost in the pipeline.
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
