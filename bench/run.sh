#!/usr/bin/env bash
# Publishes what the benchmarks compare and runs them; results land in bench/results/*.md.
# Usage: bench/run.sh [startup|throughput|seeding|restore|first-answer|shards|peers|all] [iterations] [extra options]
#   extra options (seeding, restore): --scratch <dir> (default: the system temp dir), --label <text>, --out <file.md>
#   shards: --shards N (default 4) shard processes at once, beside 1 shard, interleaved; iterations = rounds (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
iterations=${2:-15}
artifacts=artifacts/bench
publish() { dotnet publish "$1" -c Release -o "$artifacts/$2" "${@:3}" -p:TreatWarningsAsErrors=true >/dev/null; }
if [ "$which" = all ] || [ "$which" = startup ] || [ "$which" = throughput ] || [ "$which" = seeding ] || [ "$which" = restore ] || [ "$which" = shards ]; then
  publish src/Kumo.Embedded engine-jit -p:PublishAot=false
fi
if [ "$which" = all ] || [ "$which" = startup ] || [ "$which" = seeding ]; then
  publish src/Kumo.Embedded engine-aot -r linux-x64 -p:PublishAot=true
fi
if [ "$which" = all ] || [ "$which" = startup ]; then
  publish bench/MinimalKestrel minimal-jit -p:PublishAot=false
  publish bench/MinimalKestrel minimal-aot -r linux-x64 -p:PublishAot=true
fi
dotnet build bench/Kumo.Benchmarks -c Release >/dev/null
bench() { dotnet bench/Kumo.Benchmarks/bin/Release/net10.0/Kumo.Benchmarks.dll "$1" --artifacts "$artifacts" --iterations "$2" "${@:3}"; }
case "$which" in
  peers) exec bench/peers/run.sh "${2:-3}" ;;
  startup) bench startup "$iterations" ;;
  throughput) bench throughput "$iterations" ;;
  seeding) bench seeding "${2:-10}" "${@:3}" ;;
  restore) bench restore "${2:-10}" --reseeds 3 "${@:3}" ;;
  first-answer) ASPIRE_ALLOW_UNSECURED_TRANSPORT=true bench first-answer "${2:-10}" "${@:3}" ;;
  shards) bench shards "${2:-5}" "${@:3}" ;;
  all) bench startup "$iterations"; bench throughput 5; bench seeding 10; bench restore 10 --reseeds 3; ASPIRE_ALLOW_UNSECURED_TRANSPORT=true bench first-answer 10; bench shards 5 ;;
  *) echo "unknown benchmark '$which' (startup|throughput|seeding|restore|first-answer|shards|peers|all)" >&2; exit 2 ;;
esac
