#!/usr/bin/env bash
# How much slower a server's request path runs after a silence, its code and data gone cold: the part of a long-poll
# wake-up (which starts with a SendMessage reaching an idle server) that is the server's own. For each gap (1 ms to
# 300 ms) SendMessages are sent after that much silence (bench/peers/probe.py quiet), and perf's system-call
# tracepoints time each on the server's side, from the receive that completed the request to the send of its answer:
# no client, no wake-up and no network time in it. Targets: the engine (JIT, in memory) and bare-socket (the same
# runtime and the same thread-per-connection receive and send, answering with fixed bytes: bench/MinimalKestrel).
#
# Usage: bench/peers/cold.sh [requests per gap, default 40]; records bench/results/cold-path.md.
# Needs: perf with syscall tracepoints (root), wrk, curl, python3; publishes both programs.
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${1:-40}
source bench/wrk-helpers.sh
[ "$(perf list 2>/dev/null | grep -c 'syscalls:sys_enter_sendto')" -gt 0 ] \
  || { echo "bench/peers/cold.sh: perf has no syscall tracepoints here (run as root with perf installed)" >&2; exit 2; }
dotnet publish src/Kumo.Embedded -c Release -o artifacts/bench/engine-jit -p:PublishAot=false >/dev/null
dotnet publish bench/MinimalKestrel -c Release -o artifacts/bench/minimal-jit -p:PublishAot=false >/dev/null
work=$(mktemp -d)
pids=()
cleanup() { [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
KUMO_PORT=4680 KUMO_LOG_LEVEL=warn dotnet artifacts/bench/engine-jit/kumo-embedded.dll >/dev/null 2>&1 & pids+=($!)
KUMO_PORT=4681 KUMO_BARE_SERVER=socket dotnet artifacts/bench/minimal-jit/MinimalKestrel.dll >/dev/null 2>&1 & pids+=($!)
for port in 4680 4681; do
  await_health "$port" "the server on port $port" || exit 1
done
queues=("$(create_queue 4680 cold)" "http://127.0.0.1:4681/000000000000/cold")
for k in 0 1; do  # warm: every method of the path tiered up
  QUEUE_URL=${queues[$k]} wrk -t1 -c1 -d3s -s bench/peers/send.lua "http://127.0.0.1:$((4680 + k))" >/dev/null
done
# One perf session per gap, both targets in turn; a thread's name tells them apart (kumo-http, bare-socket).
for gap in 0.001 0.01 0.1 0.3; do
  perf record -q -e syscalls:sys_exit_recvmsg,syscalls:sys_enter_sendto -a -o "$work/$gap.data" -- sleep 3600 >/dev/null 2>&1 &
  recorder=$!
  sleep 1
  for k in 0 1; do python3 bench/peers/probe.py quiet "$((4680 + k))" "${queues[$k]}" "$gap" "$count"; done
  kill -INT $recorder; wait $recorder || true
  perf script -i "$work/$gap.data" -F comm,time,event 2>/dev/null | awk -v gap="$gap" '
    $1 == "kumo-http" || $1 == "bare-socket" {
      t = $2 + 0
      if ($3 ~ /exit_recvmsg/) { last[$1] = t } else if ($1 in last) { printf "%s\t%s\t%.1f\n", gap, $1, (t - last[$1]) * 1e6; delete last[$1] }
    }' >> "$work/rows.tsv"
done
out=bench/results/cold-path.md
python3 - "$work/rows.tsv" "$count" "$(git rev-parse --short HEAD)" > "$out" <<'PY'
import collections, statistics as st, sys, datetime
rows, count, commit = sys.argv[1], sys.argv[2], sys.argv[3]
by = collections.defaultdict(list)
for line in open(rows):
    gap, name, micros = line.rstrip("\n").split("\t")
    by[(float(gap), name)].append(float(micros))
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
print("# Cold path: a SendMessage's time on the server's side after a silence\n")
print(f"Recorded {now} at `{commit}` by `bench/peers/cold.sh {count}`: after 3 s of warm-up load, SendMessages on one")
print("connection each after the gap's silence; perf's syscall tracepoints time each on the server, from the receive that")
print("completed the request to the send of its answer (µs; median, IQR, count). `kumo-http` is the engine (JIT, in")
print("memory), `bare-socket` the same runtime answering fixed bytes (bench/MinimalKestrel/BareSocket.cs).\n")
print("| silence before the request | engine µs | bare-socket µs | engine ÷ its own 1 ms figure |")
print("|---|---|---|---|")
def cell(v):
    q = st.quantiles(v, n=4) if len(v) > 1 else [v[0]] * 3
    return f"{st.median(v):.0f} ({q[0]:.0f}–{q[2]:.0f}, n={len(v)})"
base = st.median(by[(0.001, "kumo-http")]) if by[(0.001, "kumo-http")] else None
for gap in sorted({g for g, _ in by}):
    e, b = by[(gap, "kumo-http")], by[(gap, "bare-socket")]
    if not e or not b:
        raise SystemExit(f"cold.sh: no timings for a gap of {gap} s (engine {len(e)}, bare-socket {len(b)})")
    print(f"| {gap * 1000:g} ms | {cell(e)} | {cell(b)} | {st.median(e) / base:.1f}× |")
PY
cat "$out"
