#!/usr/bin/env bash
# The one test command: restores, builds and tests the whole solution.
#
# Where the configured NuGet feeds cannot provide Aspire 13.1.x (Aspire.Hosting,
# Aspire.Hosting.Testing, the AppHost SDK), it builds and tests every project that does not need
# Aspire and prints one line naming what it skipped and why. It ends with the line
#   N passed, N failed, N skipped
# summed over all test projects, and exits non-zero if anything failed.
#
# Usage: ./test.sh [extra arguments passed to the test runner, e.g. --filter-class ...]
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
state="$root/.kumo"
mkdir -p "$state"
log="$state/test-output.log"

# Projects that need Aspire: they reference an Aspire package or use the Aspire AppHost SDK.
mapfile -t all_projects < <(dotnet sln Kumo.Aspire.sln list | grep -E '\.csproj$' | tr '\\' '/')
aspire_projects=()
core_projects=()
for p in "${all_projects[@]}"; do
  if grep -qE 'Include="Aspire\.|Sdk="Aspire\.AppHost\.Sdk' "$p"; then aspire_projects+=("$p"); else core_projects+=("$p"); fi
done

# shellcheck source=eng/aspire.sh
. "$root/eng/aspire.sh"
aspire_probe

solution=Kumo.Aspire.sln
if [ "$aspire_available" = true ]; then
  echo "Aspire $aspire_version restores from the configured feeds: building and testing all ${#all_projects[@]} projects."
else
  # A solution filter over every project that does not need Aspire.
  filter="$state/Kumo.Aspire.Core.slnf"
  {
    printf '{\n  "solution": {\n    "path": "../Kumo.Aspire.sln",\n    "projects": [\n'
    for i in "${!core_projects[@]}"; do
      sep=","; [ "$i" -eq $((${#core_projects[@]} - 1)) ] && sep=""
      printf '      "%s"%s\n' "${core_projects[$i]}" "$sep"
    done
    printf '    ]\n  }\n}\n'
  } > "$filter"
  solution="$filter"
  skipped_line="SKIPPED ${#aspire_projects[@]} Aspire projects (${aspire_projects[*]}): Aspire $aspire_version cannot be restored from the configured NuGet feeds ($aspire_reason); built and tested the other ${#core_projects[@]} projects."
fi

dotnet restore "$solution"
dotnet build "$solution" --no-restore -c Debug

set +e
dotnet test --solution "$solution" --no-build -c Debug "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

failed=$(grep -E '^\s*failed:' "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0)
passed=$(grep -E '^\s*succeeded:' "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0)
skipped=$(grep -E '^\s*skipped:' "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0)
if [ "$aspire_available" != true ]; then
  echo "$skipped_line"
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "The test runner exited with $status (see $log)." >&2
fi
exit "$status"
