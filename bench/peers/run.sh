#!/usr/bin/env bash
# Side by side on loopback: the embedded engine (JIT, in memory and with KUMO_DATA_DIR) against the emulators a user
# could pick instead (npm, pinned in package.json: s3rver for S3, fauxqs for S3 and SQS), driven by one load generator
# (wrk) at 1 and 8 connections, alternating the targets round by round. Records every run and the medians, the
# per-round ratios to the best peer, errors, p99 latency and RSS in bench/results/peers.md (raw rows in peers.tsv).
#
# Usage: bench/peers/run.sh [rounds (default 3)]      KUMO_PEERS_DURATION=5s per wrk run
# Needs: node + npm (the peers), wrk (apt-get install wrk), curl, python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
rounds=${1:-3}
duration=${KUMO_PEERS_DURATION:-5s}
results="$root/bench/results"
tsv="$results/peers.tsv"
work=$(mktemp -d "${TMPDIR:-/tmp}/kumo-peers.XXXXXX")
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "bench/peers: wrk is missing (apt-get install wrk)" >&2; exit 2; }
(cd bench/peers && npm ci --ignore-scripts --no-audit --no-fund >/dev/null)
dotnet publish src/Kumo.Embedded -c Release -o artifacts/bench/engine-jit -p:PublishAot=false >/dev/null
engine="$root/artifacts/bench/engine-jit/kumo-embedded.dll"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
rss_mib() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo NaN; }

# start <target> <port> <round>: starts the target in the background on 127.0.0.1:<port>; sets $server.
start() {
  local target=$1 port=$2 round=$3
  case "$target" in
    kumo-mem) KUMO_PORT=$port KUMO_LOG_LEVEL=warn dotnet "$engine" >"$work/$target.log" 2>&1 & ;;
    kumo-data) KUMO_PORT=$port KUMO_LOG_LEVEL=warn KUMO_DATA_DIR="$work/data-$target-$round" dotnet "$engine" >"$work/$target.log" 2>&1 & ;;
    s3rver) node bench/peers/node_modules/s3rver/bin/s3rver.js -d "$work/data-s3rver-$round" -a 127.0.0.1 -p "$port" --silent >"$work/$target.log" 2>&1 & ;;
    # fauxqs keeps everything in memory; it listens on all interfaces whatever it is told (only loopback is used here).
    fauxqs) (cd bench/peers && exec node --input-type=module -e "import { startFauxqs } from 'fauxqs'; await startFauxqs({ port: $port, host: '127.0.0.1', logger: false });") >"$work/$target.log" 2>&1 & ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
  esac
  server=$!
  for _ in $(seq 1 200); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" || true)" != 000 ] && return 0
    sleep 0.05
  done
  echo "bench/peers: $target did not answer on port $port within 10 s; its log:" >&2
  cat "$work/$target.log" >&2
  exit 1
}

stop() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=; }

# load <round> <target> <op> <port> <script>: wrk at 1 and 8 connections; appends a row per run to $tsv.
load() {
  local round=$1 target=$2 op=$3 port=$4 script=$5 connections threads out rps p99 non2xx socket
  for connections in 1 8; do
    threads=$([ "$connections" = 1 ] && echo 1 || echo 2)
    out=$(wrk -t"$threads" -c"$connections" -d"$duration" --timeout 2s --latency -s "bench/peers/$script" "http://127.0.0.1:$port")
    rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
    p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; print v }' <<<"$out")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<<"$out"); non2xx=${non2xx:-0}
    socket=$(awk -F'[ ,]+' '/Socket errors:/ { print $4 + $6 + $8 + $10 }' <<<"$out"); socket=${socket:-0}
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$target" "$op" "$connections" "$rps" "$p99" "$((non2xx + socket))" "$(rss_mib "$server")" >>"$tsv"
    echo "round $round $target $op c=$connections: $rps req/s, p99 $p99 ms, errors $((non2xx + socket)), RSS $(rss_mib "$server") MiB"
  done
}

mkdir -p "$results"
head -c 4096 /dev/zero | tr '\0' x >"$work/seed.bin"
printf 'round\ttarget\top\tconnections\trps\tp99_ms\terrors\trss_mib\n' >"$tsv"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq 1 "$rounds"); do
  for target in kumo-mem kumo-data s3rver fauxqs; do
    port=$(free_port)
    start "$target" "$port" "$round"
    curl -sf -o /dev/null -X PUT "http://127.0.0.1:$port/bench"
    curl -sf -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$work/seed.bin" "http://127.0.0.1:$port/bench/seed"
    load "$round" "$target" s3-put "$port" put.lua
    load "$round" "$target" s3-get "$port" get.lua
    if [ "$target" != s3rver ]; then
      queue_url=$(curl -sf -X POST -H 'Content-Type: application/x-amz-json-1.0' -H 'X-Amz-Target: AmazonSQS.CreateQueue' \
        -d '{"QueueName":"bench"}' "http://127.0.0.1:$port/" | python3 -c 'import json,sys; print(json.load(sys.stdin)["QueueUrl"])')
      QUEUE_URL=$queue_url load "$round" "$target" sqs-send "$port" send.lua
    fi
    stop
  done
done

python3 bench/peers/summarize.py "$tsv" "$results/peers.md" "$duration" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)"
echo "Wrote $results/peers.md"
