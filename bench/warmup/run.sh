#!/usr/bin/env bash
# An engine's first seconds under a test suite's mix (bench/warmup/mixed.lua: PUT, GET, SendMessage, ReceiveMessage
# in turns), per JIT setting, side by side: each variant started fresh N times (alternated), timed to /health, then to
# its first 1,000 calls made one after another (a test suite's first calls), then driven in consecutive 1-second wrk
# runs, at 1 and at 8 connections. A CI job starts an engine per job or shard and ends it minutes later, so how soon
# the engine runs optimized code counts as much as its steady rate. Writes bench/results/warmup.md and
# bench/results/warmup-<connections>conn.tsv.
#
# Usage: bench/warmup/run.sh [starts (default 5)]
#   KUMO_WARMUP_CONNS (default "1 8"), KUMO_WARMUP_SECONDS (default 8), KUMO_WARMUP_FIRST (default 1000 calls)
set -euo pipefail
cd "$(dirname "$0")/../.."
starts=${1:-5}
out=artifacts/bench
command -v wrk >/dev/null || { echo "bench/warmup needs wrk (apt-get install wrk)" >&2; exit 2; }
dotnet publish src/Kumo.Embedded -c Release -o "$out/engine-jit" -p:PublishAot=false >/dev/null
# The published engine, then other JIT settings as DOTNET_* variables, which override its runtimeconfig properties.
jit="dotnet $out/engine-jit/kumo-embedded.dll"
config=$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["runtimeOptions"]["configProperties"]; print(", ".join(k.removeprefix("System.Runtime.") + "=" + str(v) for k,v in sorted(p.items()) if "Tiered" in k))' "$out/engine-jit/kumo-embedded.runtimeconfig.json")
variants=(
  "engine as published ($config)||$jit"
  "TieredPGO off, delay 100 ms (the runtime's default delay; published before)|DOTNET_TieredPGO=0 DOTNET_TC_CallCountingDelayMs=100|$jit"
  "TieredPGO off, delay 0|DOTNET_TieredPGO=0 DOTNET_TC_CallCountingDelayMs=0|$jit"
  "TieredPGO on, delay 100 ms (the runtime's defaults)|DOTNET_TieredPGO=1 DOTNET_TC_CallCountingDelayMs=100|$jit"
)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
tables=()
for conns in ${KUMO_WARMUP_CONNS:-1 8}; do
  tables+=("### ${conns} connection(s)" "" "$(python3 bench/warmup/measure.py --starts "$starts" --conns "$conns" --seconds "${KUMO_WARMUP_SECONDS:-8}" \
    --first "${KUMO_WARMUP_FIRST:-1000}" --tsv "bench/results/warmup-${conns}conn.tsv" "${variants[@]}")" "")
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "# An engine's first seconds, per JIT setting"
  echo
  echo "Recorded $(date -u '+%Y-%m-%d %H:%M') UTC by \`bench/warmup/run.sh $starts\` ($(nproc) cores): each variant started fresh $starts times (alternated start by start), timed to its first \`/health\` answer, then to its first ${KUMO_WARMUP_FIRST:-1000} calls of a test suite's mix made one after another on one connection (Python's http.client, as a test's SDK client waits for each answer), then driven by wrk with the mix (\`bench/warmup/mixed.lua\`: PutObject of a new 4 KiB object, GetObject, SendMessage, ReceiveMessage in turns) in consecutive 1-second runs. Times and req/s are medians over starts; the ratio is the median over starts of the variant's wrk requests in the whole window ÷ the published engine's in the same start. Load average before: $load_before; after: $load_after (read the ratios). Raw rows: \`bench/results/warmup-<connections>conn.tsv\`."
  echo
  printf '%s\n' "${tables[@]}"
} > bench/results/warmup.md
cat bench/results/warmup.md
