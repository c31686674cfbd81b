#!/usr/bin/env bash
# The 4 KiB PutObject's latency tail at one connection, measured two ways side by side: by wrk (its percentiles, as
# bench/peers/run.sh records them) and by a client that times each request from its write to its whole answer
# (bench/peers/probe.py putlatency). wrk's p99 carries a tail of its own, so the two differ; both are recorded.
# Targets: the engine (JIT, in memory), fauxqs, bare-socket. Rounds alternate the targets.
#
# Usage: bench/peers/latency.sh [rounds, default 3] [requests per client run, default 20000]; records
# bench/results/put-latency.md. Needs: wrk, curl, python3, node (fauxqs installed by bench/peers/run.sh's npm ci).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3} count=${2:-20000}
source bench/wrk-helpers.sh
dotnet publish src/Kumo.Embedded -c Release -o artifacts/bench/engine-jit -p:PublishAot=false >/dev/null
dotnet publish bench/MinimalKestrel -c Release -o artifacts/bench/minimal-jit -p:PublishAot=false >/dev/null
work=$(mktemp -d) pids=()
cleanup() { [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
labels=(kumo-mem fauxqs bare-socket)
commands=("dotnet artifacts/bench/engine-jit/kumo-embedded.dll" "bash bench/peers/fauxqs.sh" "env KUMO_BARE_SERVER=socket dotnet artifacts/bench/minimal-jit/MinimalKestrel.dll")
for k in 0 1 2; do
  port=$((4690 + k))
  read -r -a command <<< "${commands[$k]}"
  env KUMO_PORT=$port KUMO_LOG_LEVEL=warn "${command[@]}" >/dev/null 2>&1 & pids+=($!)
  await_health "$port" "${labels[$k]}" || exit 1
  curl -sf -X PUT "http://127.0.0.1:$port/bench" >/dev/null || true
  wrk -t1 -c1 -d2s -s bench/peers/put.lua "http://127.0.0.1:$port" >/dev/null
done
cat > "$work/p99.lua" <<'LUA'
dofile("bench/peers/put.lua")
done = function(summary, latency)
  io.write(string.format("%.0f %.0f %.0f %.0f %.0f\n", latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max))
end
LUA
for round in $(seq 1 "$rounds"); do
  for k in 0 1 2; do
    port=$((4690 + k))
    printf '%s\t%s\tclient\t%s\n' "$round" "${labels[$k]}" "$(python3 bench/peers/probe.py putlatency "$port" "$count")"
    printf '%s\t%s\twrk\t%s\n' "$round" "${labels[$k]}" "$(wrk -t1 -c1 -d2s -s "$work/p99.lua" "http://127.0.0.1:$port" | tail -1)"
  done
done > "$work/rows.tsv"
python3 - "$work/rows.tsv" "$rounds" "$count" "$(git rev-parse --short HEAD)" > bench/results/put-latency.md <<'PY'
import collections, datetime, statistics as st, sys
rows, rounds, count, commit = sys.argv[1:5]
by = collections.defaultdict(list)
for line in open(rows):
    _, label, how, values = line.rstrip("\n").split("\t")
    if not values.replace(" ", "").isdigit():
        raise SystemExit(f"latency.sh: {label} {how} gave {values!r}")
    by[(label, how)].append([float(v) for v in values.split()])
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
print("# 4 KiB PutObject latency at one connection: the client's view and wrk's\n")
print(f"Recorded {now} at `{commit}` by `bench/peers/latency.sh {rounds} {count}`: per round and target, {count} distinct")
print("PUTs timed one by one from their write to their whole answer (`probe.py putlatency`), then 2 s of wrk on the same")
print("connection count (1) with its percentiles. Medians over the rounds, µs. A shared 2-core VM: compare within a row.\n")
print("| target | measured by | p50 | p90 | p99 | p99.9 | max |")
print("|---|---|---:|---:|---:|---:|---:|")
for (label, how), runs in by.items():
    cols = [st.median(r[i] for r in runs) for i in range(5)]
    print(f"| {label} | {'each request timed' if how == 'client' else 'wrk'} | " + " | ".join(f"{c:,.0f}" for c in cols) + " |")
PY
cat bench/results/put-latency.md
