#!/usr/bin/env bash
# Publishes what the benchmarks compare and runs them; results land in bench/results/*.md.
# Usage: bench/run.sh [startup|throughput|dynamodb|dynamodb-seeding|seeding|restore|first-answer|shards|durability|peers|idle-memory|warmup|checkpoint|all] [iterations] [extra options]
#   extra options (seeding, restore): --scratch <dir> (default: the system temp dir), --label <text>, --out <file.md>
#   shards: --shards N (default 4) shard processes at once, beside 1 shard, interleaved; iterations = rounds (default 5)
#   durability: [rounds of the cost comparison, default 5] [--kills N (default 20)] [--objects N (default 20000)]
#     compares the engine before the journal (commit bf3daf2, published from git) with both durability modes
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
iterations=${2:-15}
artifacts=artifacts/bench
publish() { dotnet publish "$1" -c Release -o "$artifacts/$2" "${@:3}" -p:TreatWarningsAsErrors=true >/dev/null; }
before_rev=bf3daf2
if [ "$which" = all ] || [ "$which" = startup ] || [ "$which" = throughput ] || [ "$which" = dynamodb ] || [ "$which" = dynamodb-seeding ] || [ "$which" = seeding ] || [ "$which" = restore ] || [ "$which" = shards ] || [ "$which" = durability ]; then
  publish src/Kumo.Embedded engine-jit -p:PublishAot=false
fi
if [ "$which" = all ] || [ "$which" = startup ] || [ "$which" = seeding ]; then
  publish src/Kumo.Embedded engine-aot -r linux-x64 -p:PublishAot=true
fi
if [ "$which" = all ] || [ "$which" = startup ]; then
  publish bench/MinimalKestrel minimal-jit -p:PublishAot=false
  publish bench/MinimalKestrel minimal-aot -r linux-x64 -p:PublishAot=true
fi
if [ "$which" = all ] || [ "$which" = durability ]; then
  # The engine as it was before the journal, for the side-by-side comparison.
  before_src=$(mktemp -d)
  git archive "$before_rev" src eng Directory.Build.props Directory.Packages.props global.json NuGet.config | tar -x -C "$before_src"
  dotnet publish "$before_src/src/Kumo.Embedded" -c Release -o "$PWD/$artifacts/engine-before" -p:PublishAot=false -p:TreatWarningsAsErrors=true >/dev/null
  rm -rf "$before_src"
fi
dotnet build bench/Kumo.Benchmarks -c Release >/dev/null
bench() { dotnet bench/Kumo.Benchmarks/bin/Release/net10.0/Kumo.Benchmarks.dll "$1" --artifacts "$artifacts" --iterations "$2" "${@:3}"; }
case "$which" in
  peers) exec bench/peers/run.sh "${2:-3}" ;;
  idle-memory) exec bench/idle/run.sh "${2:-5}" ;;
  warmup) exec bench/warmup/run.sh "${2:-5}" ;;
  checkpoint) exec bench/checkpoint/run.sh "${2:-3}" ;;
  startup) bench startup "$iterations" ;;
  throughput) bench throughput "$iterations" ;;
  dynamodb) bench dynamodb "${2:-5}" ;;
  dynamodb-seeding) bench dynamodb-seeding "${2:-5}" ;;
  seeding) bench seeding "${2:-10}" "${@:3}" ;;
  restore) bench restore "${2:-10}" --reseeds 3 "${@:3}" ;;
  first-answer) ASPIRE_ALLOW_UNSECURED_TRANSPORT=true bench first-answer "${2:-10}" "${@:3}" ;;
  shards) bench shards "${2:-5}" "${@:3}" ;;
  durability) bench durability "${2:-5}" "${@:3}" ;;
  all) bench startup "$iterations"; bench throughput 5; bench dynamodb 5; bench dynamodb-seeding 5; bench seeding 10; bench restore 10 --reseeds 3; ASPIRE_ALLOW_UNSECURED_TRANSPORT=true bench first-answer 10; bench shards 5; bench durability 5 ;;
  *) echo "unknown benchmark '$which' (startup|throughput|dynamodb|dynamodb-seeding|seeding|restore|first-answer|shards|durability|peers|idle-memory|checkpoint|all)" >&2; exit 2 ;;
esac
