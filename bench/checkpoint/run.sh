#!/usr/bin/env bash
# Latency while a checkpoint runs: SQS SendMessage (1 and 8 connections) and DynamoDB PutItem (8 connections) with
# KUMO_DATA_DIR, long enough (default 8 s after a 1 s warm-up) for the journal to pass the 4 MiB that triggers a
# checkpoint of the grown state, on the engine before the checkpoint moved off the lock (commit 1d2f723, published
# from git) and as it is now, alternated round by round; SendMessage in memory as the floor. Prints one line per run
# and a markdown table of medians (req/s, p50/p99/max latency).
#
# Usage: bench/checkpoint/run.sh [rounds (default 3)]   KUMO_CHECKPOINT_DURATION=8 seconds per run
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
rounds=${1:-3}
duration=${KUMO_CHECKPOINT_DURATION:-8}
before_rev=1d2f723
work=$(mktemp -d "${TMPDIR:-/tmp}/kumo-checkpoint.XXXXXX")
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
command -v wrk >/dev/null || { echo "bench/checkpoint: wrk is missing (apt-get install wrk)" >&2; exit 2; }
dotnet publish src/Kumo.Embedded -c Release -o artifacts/bench/engine-jit -p:PublishAot=false >/dev/null
git archive "$before_rev" src eng Directory.Build.props Directory.Packages.props global.json NuGet.config | tar -x -C "$work"
dotnet publish "$work/src/Kumo.Embedded" -c Release -o "$root/artifacts/bench/engine-checkpoint-before" -p:PublishAot=false >/dev/null
declare -A engines=([before]="$root/artifacts/bench/engine-checkpoint-before/kumo-embedded.dll" [now]="$root/artifacts/bench/engine-jit/kumo-embedded.dll")
source bench/wrk-helpers.sh
json() { curl -sf -X POST -H 'Content-Type: application/x-amz-json-1.0' -H "X-Amz-Target: $2" -d "$3" "http://127.0.0.1:$1/"; }
rows="$work/rows.tsv"
: >"$rows"

# run <round> <engine> <mode: data|memory> <op: sqs-send|putitem> <connections>
run() {
  local round=$1 engine=$2 mode=$3 op=$4 connections=$5 port dir url script out
  port=$(free_port)
  dir="$work/data-$round-$engine-$op-$connections"
  if [ "$mode" = data ]; then
    KUMO_PORT=$port KUMO_LOG_LEVEL=warn KUMO_DATA_DIR=$dir dotnet "${engines[$engine]}" >"$work/engine.log" 2>&1 &
  else
    KUMO_PORT=$port KUMO_LOG_LEVEL=warn dotnet "${engines[$engine]}" >"$work/engine.log" 2>&1 &
  fi
  server=$!
  for _ in $(seq 1 200); do curl -s -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.05; done
  if [ "$op" = sqs-send ]; then
    url=$(json "$port" AmazonSQS.CreateQueue '{"QueueName":"bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["QueueUrl"])')
    script=bench/peers/send.lua
  else
    url=
    json "$port" DynamoDB_20120810.CreateTable '{"TableName":"bench","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}' >/dev/null
    script=bench/checkpoint/putitem.lua
  fi
  QUEUE_URL=$url wrk -t1 -c2 -d1s -s "$script" "http://127.0.0.1:$port" >/dev/null
  out=$(QUEUE_URL=$url wrk -t"$([ "$connections" = 1 ] && echo 1 || echo 2)" -c"$connections" -d"${duration}s" --timeout 2s --latency -s "$script" "http://127.0.0.1:$port")
  kill "$server"; wait "$server" 2>/dev/null || true; server=
  local label="$engine${mode/data/}" rps p50 p99 max errors
  [ "$mode" = memory ] && label="$engine, in memory"
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out" | to_ms)
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out" | to_ms)
  max=$(awk '$1 == "Latency" { print $4 }' <<<"$out" | to_ms)
  errors=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<<"$out")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$op" "$connections" "$label" "$rps" "$p50" "$p99" "$max" "${errors:-0}" >>"$rows"
  echo "round $round $op c=$connections $label: $rps req/s, p50 $p50 ms, p99 $p99 ms, max $max ms, errors ${errors:-0}"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq 1 "$rounds"); do
  for connections in 1 8; do
    run "$round" before data sqs-send "$connections"
    run "$round" now data sqs-send "$connections"
    run "$round" now memory sqs-send "$connections"
  done
  run "$round" before data putitem 8
  run "$round" now data putitem 8
done
echo
echo "Load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$rows" <<'PY'
import csv, statistics, sys
from collections import defaultdict
groups = defaultdict(list)
for op, conns, label, rps, p50, p99, mx, errors in csv.reader(open(sys.argv[1]), delimiter="\t"):
    groups[(op, conns, label)].append((float(rps), float(p50), float(p99), float(mx), int(errors)))
print("| operation | conns | engine | median req/s | median p50 ms | median p99 ms | max ms | errors |")
print("|---|---:|---|---:|---:|---:|---:|---:|")
for (op, conns, label), runs in groups.items():
    med = lambda i: statistics.median(r[i] for r in runs)
    print(f"| {op} | {conns} | {label} | {med(0):,.0f} | {med(1):.2f} | {med(2):.1f} | {max(r[3] for r in runs):.1f} | {sum(r[4] for r in runs)} |")
PY
