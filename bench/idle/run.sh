#!/usr/bin/env bash
# What the JIT engine's idle resident set is made of, and what each runtime setting does to it, side by side:
# every variant started N times (alternated start by start), timed to its first /health answer, left idle 1 s,
# its /proc/<pid>/smaps split into runtime images, the app's assemblies, native libraries, JIT code, malloc heap and
# other anonymous memory (GC heap, loader heaps, stacks). Each variant changes one thing against the engine as
# published: a DOTNET_* variable (the same knob as the runtimeconfig property), a runtimeconfig property, a
# ReadyToRun compile, or Kestrel limited to HTTP/1.1. Bare Kestrel (bench/MinimalKestrel) is the floor of the
# framework; the Native AOT engine is there for reference. Raw rows: bench/results/idle-memory.tsv.
#
# Usage: bench/idle/run.sh [starts (default 5)]
#   KUMO_IDLE_AOT=0 leaves out the two Native AOT variants; KUMO_IDLE_PUBLISHED=1 reuses what artifacts/bench holds.
set -euo pipefail
cd "$(dirname "$0")/../.."
starts=${1:-5}
out=artifacts/bench
publish() { [ "${KUMO_IDLE_PUBLISHED:-0}" = 1 ] || dotnet publish "$1" -c Release -o "$out/$2" "${@:3}" >/dev/null; }
publish src/Kumo.Embedded engine-jit -p:PublishAot=false
publish src/Kumo.Embedded engine-r2r -p:PublishAot=false -r linux-x64 --self-contained false -p:PublishReadyToRun=true
publish bench/MinimalKestrel minimal-jit -p:PublishAot=false
if [ "${KUMO_IDLE_AOT:-1}" != 0 ]; then
  publish src/Kumo.Embedded engine-aot -r linux-x64 -p:PublishAot=true
  publish bench/MinimalKestrel minimal-aot -r linux-x64 -p:PublishAot=true
fi
# A runtimeconfig property has no DOTNET_* twin: a copy of the engine with the property added.
with_property() {
  rm -rf "$out/engine-$1" && cp -r "$out/engine-jit" "$out/engine-$1"
  python3 - "$out/engine-$1/kumo-embedded.runtimeconfig.json" "$2" <<'PY'
import json, sys
path, name = sys.argv[1:3]
config = json.load(open(path))
config["runtimeOptions"]["configProperties"][name] = True
json.dump(config, open(path, "w"), indent=2)
PY
}
with_property keys System.Resources.UseSystemResourceKeys
jit="dotnet $out/engine-jit/kumo-embedded.dll"
variants=(
  "engine as published||$jit"
  "ReadyToRun compile of the engine||dotnet $out/engine-r2r/kumo-embedded.dll"
  "TieredCompilation=0|DOTNET_TieredCompilation=0|$jit"
  "TieredPGO=0|DOTNET_TieredPGO=0|$jit"
  "TC_QuickJitForLoops=0|DOTNET_TC_QuickJitForLoops=0|$jit"
  "ReadyToRun=0 (framework code JITted)|DOTNET_ReadyToRun=0|$jit"
  "EnableWriteXorExecute=0|DOTNET_EnableWriteXorExecute=0|$jit"
  "ConcurrentGarbageCollection=false|DOTNET_gcConcurrent=0|$jit"
  "GCgen0size=1 MiB|DOTNET_GCgen0size=100000|$jit"
  "GCConserveMemory=5|DOTNET_GCConserveMemory=5|$jit"
  "server GC with DATAS|DOTNET_gcServer=1 DOTNET_GCDynamicAdaptationMode=1|$jit"
  "UseSystemResourceKeys=true||dotnet $out/engine-keys/kumo-embedded.dll"
  "bare Kestrel JIT (the floor)||dotnet $out/minimal-jit/MinimalKestrel.dll"
)
if [ "${KUMO_IDLE_AOT:-1}" != 0 ]; then
  variants+=("engine, Native AOT||$out/engine-aot/kumo-embedded" "bare Kestrel, Native AOT||$out/minimal-aot/MinimalKestrel")
fi
python3 bench/idle/measure.py --starts "$starts" --tsv bench/results/idle-memory.tsv "${variants[@]}"
