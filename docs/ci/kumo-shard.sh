#!/usr/bin/env bash
# Runs this shard's part of the test suite: the test projects at positions shard, shard+count, ... (1-based, in sorted
# order), one `dotnet test` each, with TRX and JUnit reports in TestResults/. Copy it next to your workflow.
#
# The shard comes from the same variables Kumo.Testing reads (docs/ci/README.md): KUMO_SHARD_INDEX/KUMO_SHARD_COUNT
# (GitHub Actions matrix), CI_NODE_INDEX/CI_NODE_TOTAL (GitLab parallel), SYSTEM_JOBPOSITIONINPHASE/
# SYSTEM_TOTALJOBSINPHASE (Azure Pipelines parallel); none set means one shard that runs everything.
#
# Usage: kumo-shard.sh [projects glob, default 'tests/*/*.csproj'] [-- extra dotnet test arguments]
#   e.g. kumo-shard.sh 'tests/*/*.csproj' -- --filter-trait "Suite=Smoke"
# A filter leaves some projects without a matching test; their "zero tests" exit code (8) is not a failure.
set -euo pipefail
pattern='tests/*/*.csproj'
if [ $# -gt 0 ] && [ "$1" != "--" ]; then pattern=$1; shift; fi
if [ $# -gt 0 ] && [ "$1" = "--" ]; then shift; fi
index=${KUMO_SHARD_INDEX:-${CI_NODE_INDEX:-${SYSTEM_JOBPOSITIONINPHASE:-1}}}
count=${KUMO_SHARD_COUNT:-${CI_NODE_TOTAL:-${SYSTEM_TOTALJOBSINPHASE:-1}}}
case "$index$count" in *[!0-9]*) echo "kumo-shard.sh: shard '$index' of '$count' is not two whole numbers; set KUMO_SHARD_INDEX (1-based) and KUMO_SHARD_COUNT." >&2; exit 2 ;; esac
if [ "$index" -lt 1 ] || [ "$index" -gt "$count" ]; then
  echo "kumo-shard.sh: shard index $index is outside 1..$count; KUMO_SHARD_INDEX is 1-based (GitHub's strategy.job-index is 0-based: use a matrix value)." >&2
  exit 2
fi
results=${KUMO_TEST_RESULTS:-$PWD/TestResults}
mapfile -t projects < <(compgen -G "$pattern" | LC_ALL=C sort)
if [ "${#projects[@]}" -eq 0 ]; then
  echo "kumo-shard.sh: no project matches '$pattern'." >&2
  exit 2
fi
status=0
ran=0
for i in "${!projects[@]}"; do
  if [ $(( i % count )) -ne $(( index - 1 )) ]; then continue; fi
  project=${projects[$i]}
  name=$(basename "$project" .csproj)
  ran=$((ran + 1))
  echo "kumo-shard.sh: shard $index/$count runs $project"
  dotnet test --project "$project" --no-build --results-directory "$results" \
    --report-xunit-trx --report-xunit-trx-filename "$name.trx" \
    --report-xunit-junit --report-xunit-junit-filename "$name.junit.xml" \
    --ignore-exit-code 8 "$@" || status=$?
done
echo "kumo-shard.sh: shard $index/$count ran $ran of ${#projects[@]} project(s); exit $status"
exit "$status"
