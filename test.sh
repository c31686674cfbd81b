#!/usr/bin/env bash
# The one test command: restores, builds and tests every project of the solution, Aspire included.
#
# Then it runs the main job's smoke test (./run.sh --smoke: the sample AppHost under DCP, one order end to end).
# It ends with the line
#   N passed, N failed, N skipped
# summed over all test projects (the smoke test counts as one), and exits non-zero if anything failed or hung.
#
# Hang guard: each test assembly runs under the test platform's hang detection (--hangdump). An assembly
# still running after KUMO_TEST_HANG_TIMEOUT (default 5m) is dumped and ended, and the tests it was
# running are named here ("HUNG: ..."); the run fails within minutes instead of at CI's time limit.
#
# Usage: ./test.sh [extra arguments passed to the test runner, e.g. --filter-class ...]
#   ./test.sh --filter-trait "Suite=Smoke"   the smoke set (every change); ./test.sh alone runs everything (nightly)
# With a --filter* argument, a test assembly with no matching test passes (the test platform's exit code 8, "zero
# tests", is ignored), but the run fails if the filter selected no test at all.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The applications the Aspire tests start serve http on loopback: no trusted dev certificate is needed.
export ASPIRE_ALLOW_UNSECURED_TRANSPORT=true
hang_timeout=${KUMO_TEST_HANG_TIMEOUT:-5m}
state="$root/.kumo"
results="$state/test-results"
log="$state/test-output.log"
mkdir -p "$state"
rm -rf "$results"

# The AWS clients that are not the .NET SDK (boto3, the AWS CLI, the JS SDK v3) install while the solution builds.
eng/client-checks/install.sh >"$state/client-checks-install.log" 2>&1 &
clients_pid=$!

aspire_version=$(sed -n 's:.*<AspireVersion>\(.*\)</AspireVersion>.*:\1:p' Directory.Packages.props)
if ! dotnet restore Kumo.Aspire.sln; then
  echo "test.sh: restore failed. The solution needs Aspire $aspire_version (Aspire.Hosting, Aspire.Hosting.Testing, the AppHost SDK 13.6.4, DCP and the dashboard for this platform) and the other versions in Directory.Packages.props from the configured NuGet feeds; the errors above name what is missing (docs/architecture.md, 'Package versions')." >&2
  exit 1
fi
dotnet build Kumo.Aspire.sln --no-restore -c Debug

wait "$clients_pid" || true
cat "$state/client-checks-install.log"

filtered=false
for arg in "$@"; do case "$arg" in --filter*) filtered=true ;; esac; done
zero_tests=()
if [ "$filtered" = true ]; then zero_tests=(--ignore-exit-code 8); fi

set +e
dotnet test --solution Kumo.Aspire.sln --no-build -c Debug \
  --results-directory "$results" --hangdump --hangdump-timeout "$hang_timeout" --hangdump-type Mini "${zero_tests[@]}" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

failed=$(grep -E '^\s*failed:' "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0)
passed=$(grep -E '^\s*succeeded:' "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0)
skipped=$(grep -E '^\s*skipped:' "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0)
# The main job too: ./run.sh --smoke starts the sample AppHost under DCP and places an order through it.
smoke=passed
if ! ./run.sh --smoke 2>&1 | tee -a "$log"; then
  smoke=failed
  echo "FAILED: ./run.sh --smoke (the sample AppHost's main job; its log is .kumo/run/apphost.log)" >&2
fi
hung=0
while IFS= read -r -d '' hang_log; do
  while IFS= read -r line; do
    echo "HUNG: $line (still running after $hang_timeout; dump and log in $(dirname "$hang_log"))" >&2
    hung=$((hung + 1))
  done < "$hang_log"
done < <(find "$results" -name '*_hang.log' -print0 2>/dev/null)
if [ "$hung" -gt 0 ]; then
  failed=$((failed + hung))
fi
if [ "$filtered" = true ] && [ "$((passed + failed))" -eq 0 ]; then
  echo "test.sh: the filter ($*) selected no test in any assembly; check the trait or class name." >&2
  [ "$status" -ne 0 ] || status=1
fi
if [ "$smoke" = passed ]; then passed=$((passed + 1)); else failed=$((failed + 1)); [ "$status" -ne 0 ] || status=1; fi
# Each failed test again, with its message and the first frames of its stack (not its output), just above the last
# line: a CI log shown only by its tail still says which test failed and why.
recap=$(awk '
  /^failed [^ ]/ { grab = 1; lines = 0; frames = 0; print ""; print "FAILED: " substr($0, 8); next }
  grab && (/^  (Standard output|Error output)/ || /^[^ ]/) { grab = 0 }
  grab && /^    at / { if (++frames > 3) next }
  grab && ++lines <= 25 { print }
' "$log")
if [ -n "$recap" ]; then
  echo "Failed tests (repeated from above; their output is there):"
  echo "$recap"
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "The test runner exited with $status (see $log)." >&2
fi
exit "$status"
