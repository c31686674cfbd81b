#!/usr/bin/env bash
# An engine's first seconds under a test suite's mix (bench/warmup/mixed.lua: PUT, GET, SendMessage, ReceiveMessage
# in turns), per JIT setting, side by side: each variant started fresh N times (alternated), timed to /health, then
# driven in consecutive 1-second wrk runs. A CI job starts an engine per job or shard and ends it minutes later, so
# how soon the engine runs optimized code counts as much as its steady rate. Writes bench/results/warmup.md and
# bench/results/warmup.tsv.
#
# Usage: bench/warmup/run.sh [starts (default 5)]   KUMO_WARMUP_CONNS (default 8), KUMO_WARMUP_SECONDS (default 6)
set -euo pipefail
cd "$(dirname "$0")/../.."
starts=${1:-5}
out=artifacts/bench
command -v wrk >/dev/null || { echo "bench/warmup needs wrk (apt-get install wrk)" >&2; exit 2; }
dotnet publish src/Kumo.Embedded -c Release -o "$out/engine-jit" -p:PublishAot=false >/dev/null
# The published engine, then each JIT setting as its DOTNET_* twin of the runtimeconfig property.
jit="dotnet $out/engine-jit/kumo-embedded.dll"
config=$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["runtimeOptions"]["configProperties"]; print(" ".join(f"{k}={v}" for k,v in sorted(p.items()) if "Tiered" in k))' "$out/engine-jit/kumo-embedded.runtimeconfig.json")
variants=(
  "engine as published ($config)||$jit"
  "TieredPGO=1|DOTNET_TieredPGO=1|$jit"
  "TieredPGO=0 as a variable (as published since issue 15: the spread between two runs of one setting)|DOTNET_TieredPGO=0|$jit"
  "TieredPGO=0, TC_CallCountingDelayMs=0|DOTNET_TieredPGO=0 DOTNET_TC_CallCountingDelayMs=0|$jit"
)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
table=$(python3 bench/warmup/measure.py --starts "$starts" --conns "${KUMO_WARMUP_CONNS:-8}" --seconds "${KUMO_WARMUP_SECONDS:-6}" --tsv bench/results/warmup.tsv "${variants[@]}")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "# An engine's first seconds, per JIT setting"
  echo
  echo "Recorded $(date -u '+%Y-%m-%d %H:%M') UTC by \`bench/warmup/run.sh $starts\`: each variant started fresh $starts times (alternated start by start), timed to its first \`/health\` answer, then driven by wrk at ${KUMO_WARMUP_CONNS:-8} connections with a test suite's mix (\`bench/warmup/mixed.lua\`: PutObject of a new 4 KiB object, GetObject, SendMessage, ReceiveMessage in turns) in consecutive 1-second runs. req/s per second are medians over starts; the ratio is the median over starts of the variant's requests in the whole window ÷ the published engine's in the same start. Load average before: $load_before; after: $load_after (a shared 2-core machine: read the ratios). Raw rows: \`bench/results/warmup.tsv\`."
  echo
  echo "$table"
} > bench/results/warmup.md
cat bench/results/warmup.md
