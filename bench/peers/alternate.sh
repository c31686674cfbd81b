#!/usr/bin/env bash
# Paired comparison for a noisy machine: every server is started at once, then wrk alternates between them in short
# runs (one operation, one connection count), so each pair of runs sees the same minute of the machine. Prints, per
# server, the median rate and CPU per request, and against the first server the median of per-pair ratios (with the
# IQR and how many pairs it won) and of per-pair CPU differences. The method of bench/results/request-cost.md from
# section 23 on; bench/peers/run.sh stays the recorded side-by-side run.
#
# Usage: bench/peers/alternate.sh <pairs> <seconds per run> <lua script in bench/peers> "label|command" ...
#   Each command is started with KUMO_PORT=<its port> and KUMO_LOG_LEVEL=warn in its environment (a server that takes its
#   port otherwise needs a wrapper script); leading NAME=value words are more environment, e.g.
#   "floor|KUMO_BARE_SEND=store dotnet artifacts/bench/minimal-jit/MinimalKestrel.dll".
#   KUMO_ALTERNATE_CONNS=8 runs wrk with 8 connections (default 1). Raw rows: artifacts/bench/alternate.tsv
#   (pair, label, requests, CPU ticks). KUMO_ALTERNATE_NAME=<name> also records them: bench/results/<name>.md (the
#   summary, with the date, the commit and the servers' commands) and bench/results/<name>.tsv.
# Needs: wrk, curl, python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 4 ] || { sed -n '2,14p' "$0" >&2; exit 2; }
pairs=$1 seconds=$2 script=$3
shift 3
conns=${KUMO_ALTERNATE_CONNS:-1}
source bench/wrk-helpers.sh
mkdir -p artifacts/bench
rows=artifacts/bench/alternate.tsv
port=4650 labels=() pids=() ports=() queues=()
cleanup() { [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
head -c 4096 /dev/urandom > artifacts/bench/alternate-seed.bin
for spec in "$@"; do
  label=${spec%%|*}
  read -r -a command <<< "${spec#*|}"
  env KUMO_PORT=$port KUMO_LOG_LEVEL=warn "${command[@]}" >/dev/null 2>&1 &
  pids+=($!) labels+=("$label") ports+=($port)
  await_health "$port" "$label" || exit 1
  # A queue and a bucket with one object, for the SQS and S3 scripts; a ceiling answers these with fixed documents.
  queue=$(create_queue "$port" p 2>/dev/null || echo "http://127.0.0.1:$port/000000000000/p")
  curl -sf -X PUT "http://127.0.0.1:$port/bench" >/dev/null || true
  curl -sf -X PUT --data-binary @artifacts/bench/alternate-seed.bin "http://127.0.0.1:$port/bench/seed" >/dev/null || true
  queues+=("$queue")
  port=$((port + 1))
done
for k in "${!labels[@]}"; do  # warm-up, not recorded
  QUEUE_URL=${queues[$k]} wrk -t1 -c"$conns" -d3s -s "bench/peers/$script" "http://127.0.0.1:${ports[$k]}" >/dev/null
done
for pair in $(seq 1 "$pairs"); do
  for k in "${!labels[@]}"; do
    before=$(cpu_ticks "${pids[$k]}")
    requests=$(QUEUE_URL=${queues[$k]} wrk -t1 -c"$conns" -d"${seconds}s" -s "bench/peers/$script" "http://127.0.0.1:${ports[$k]}" | awk '/requests in/ { print $1 }')
    printf '%s\t%s\t%s\t%s\n' "$pair" "${labels[$k]}" "$requests" "$(( $(cpu_ticks "${pids[$k]}") - before ))"
  done
done > "$rows"
summary=artifacts/bench/alternate.txt
python3 - "$rows" "$seconds" "$(getconf CLK_TCK)" > "$summary" <<'PY'
import collections, statistics as st, sys
rows, seconds, ticks = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
by = collections.defaultdict(dict)
for line in open(rows):
    pair, label, requests, cpu = line.split("\t")
    by[label][pair] = (int(requests) / seconds, int(cpu) / ticks * 1e6 / int(requests))
labels = list(by)
first = labels[0]
print(f"{'server':16} {'req/s':>8} {'CPU µs/req':>10}   vs {first}: ratio of rates (IQR, pairs won), CPU difference")
for label in labels:
    shared = [p for p in by[label] if p in by[first]]
    ratios = [by[label][p][0] / by[first][p][0] for p in shared]
    cpu = [by[label][p][1] - by[first][p][1] for p in shared]
    q = st.quantiles(ratios, n=4) if len(ratios) > 1 else [ratios[0]] * 3
    print(f"{label:16} {st.median(v[0] for v in by[label].values()):8.0f} {st.median(v[1] for v in by[label].values()):10.1f}"
          f"   {st.median(ratios):.3f} ({q[0]:.3f}-{q[2]:.3f}, {sum(r > 1 for r in ratios)}/{len(ratios)}), {st.median(cpu):+.1f} µs")
PY
cat "$summary"
if [ -n "${KUMO_ALTERNATE_NAME:-}" ]; then
  name=$KUMO_ALTERNATE_NAME
  {
    echo "# $name"
    echo
    echo "Recorded $(date -u '+%Y-%m-%d %H:%M') UTC at \`$(git rev-parse --short HEAD)\` by \`bench/peers/alternate.sh $pairs $seconds $script\`"
    echo "($conns connection(s); every server up at once, wrk alternating between them, $pairs pairs of ${seconds}-s runs). Servers:"
    echo
    for spec in "$@"; do echo "- \`${spec%%|*}\`: \`${spec#*|}\`"; done
    echo
    echo '```'
    cat "$summary"
    echo '```'
    echo
    echo "Raw rows (pair, server, requests, CPU ticks): \`bench/results/$name.tsv\`."
  } > "bench/results/.$name.md.tmp"
  cp "$rows" "bench/results/.$name.tsv.tmp"
  mv "bench/results/.$name.tsv.tmp" "bench/results/$name.tsv"
  mv "bench/results/.$name.md.tmp" "bench/results/$name.md"
  echo "Wrote bench/results/$name.md"
fi
