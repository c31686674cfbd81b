#!/usr/bin/env bash
# Side by side on loopback: the embedded engine (JIT, in memory and with KUMO_DATA_DIR; Native AOT in memory with
# KUMO_PEERS_AOT=1, with a data dir too with KUMO_PEERS_AOT=2) against the emulators a user could pick instead (npm, pinned in package.json: s3rver for S3,
# fauxqs for S3 and SQS), driven by one load generator (wrk) at 1 and 8 connections; each round starts every target
# and runs each operation on one target after another. Per run: req/s, p99 and max latency, errors, CPU per request, RSS; RSS is also sampled every second.
# Then: multipart upload of a 64 MiB object, long-poll wake-up latency, and a memory phase (100,000 distinct
# 4 KiB PUTs, then a delete of everything). Writes bench/results/peers.md (raw rows in bench/results/peers-*.tsv).
# The HTTP ceiling: bare-kestrel (bench/MinimalKestrel, JIT; bare-kestrel-aot with KUMO_PEERS_AOT) and bare-node
# (bench/peers/bare-node.mjs, node's http module) answer the S3 PUT, GET and PUT+DELETE and the SQS SendMessage and receive+delete with no emulator
# behind them, so the results say what share of its framework's rate each target reaches (those operations only);
# bare-c (bench/peers/bare-c.c: one epoll loop in C, no framework) answers them for the least any server can do here.
#
# Usage: bench/peers/run.sh [rounds (default 3)]
#   KUMO_PEERS_DURATION=2s per wrk run; KUMO_PEERS_AOT=1|2 also publishes and runs the Native AOT engine and bare Kestrel
#   (KUMO_PEERS_AOT_PUBLISHED=1 reuses artifacts/bench/engine-aot and artifacts/bench/minimal-aot);
#   KUMO_PEERS_TARGETS="kumo-mem fauxqs bare-kestrel ..." runs only those targets (default: all of the above);
#   KUMO_PEERS_FILL=100000 objects in the memory phase (0 skips it);
#   KUMO_PEERS_BEFORE=<folder of an earlier kumo-embedded.dll> adds kumo-before-mem and kumo-before-data beside ours;
#   KUMO_PEERS_FLOOR=1 adds bare-kestrel-store: bare Kestrel whose SendMessage does the least a correct one can (parse,
#   check, MD5, id, keep the message, answer: bench/MinimalKestrel/StoredSend.cs), the floor under any SQS server on Kestrel,
#   and bare-socket and bare-socket-store: the same program answering without Kestrel (bench/MinimalKestrel/BareSocket.cs:
#   a thread per connection, blocking recv/send, the head parsed by hand), the fixed answers and the same floor, for what
#   .NET itself costs without an HTTP framework;
#   KUMO_PEERS_PGO_OFF=1 adds kumo-pgo-off-mem: the JIT engine in memory with the JIT it shipped with before
#   (DOTNET_TieredPGO=0, DOTNET_TC_CallCountingDelayMs=100) instead of its own dynamic PGO with no call-counting delay
#   (bench/results/warmup.md);
#   KUMO_PEERS_PHASES="s3-put sqs-send" runs only those operations (default: all, listed at "all_phases=") and
#   KUMO_PEERS_CONNS="1" only those connection counts (default: 1 8), for a focused run with more rounds;
#   KUMO_PEERS_NAME=peers names the result files (bench/results/<name>.md and <name>-*.tsv), so a focused run keeps the full one.
# Needs: node + npm (the peers), wrk (apt-get install wrk), curl, python3; for bare-c a C compiler and OpenSSL's headers
# (apt-get install gcc libssl-dev).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
rounds=${1:-3}
duration=${KUMO_PEERS_DURATION:-2s}
fill=${KUMO_PEERS_FILL:-100000}
connection_counts=${KUMO_PEERS_CONNS:-1 8}
name=${KUMO_PEERS_NAME:-peers}
# The operations of a round, in order (each on every target in turn: see the round loop below).
all_phases="s3-put s3-get s3-list s3-put+delete multipart sqs-send sqs-receive+delete longpoll"
phases=${KUMO_PEERS_PHASES:-$all_phases}
for phase in $phases; do
  [[ " $all_phases " == *" $phase "* ]] || { echo "bench/peers: KUMO_PEERS_PHASES names '$phase'; the operations are: $all_phases" >&2; exit 2; }
done
results="$root/bench/results"
work=$(mktemp -d "${TMPDIR:-/tmp}/kumo-peers.XXXXXX")
# Rows gather in the work folder and replace the recorded ones only when the run completes (see the end), so a run
# that fails or is stopped leaves bench/results as it was.
runs="$work/$name-runs.tsv"
samples="$work/$name-samples.tsv"
rss_log="$work/$name-rss.tsv"
memory="$work/$name-memory.tsv"
server=
sampler=
# The round's running targets: target -> pid, port, RSS sampler.
declare -A pid_of=() port_of=() sampler_of=() queue_of=()
cleanup() {
  local target
  for target in "${!sampler_of[@]}"; do kill "${sampler_of[$target]}" 2>/dev/null || true; done
  for target in "${!pid_of[@]}"; do kill "${pid_of[$target]}" 2>/dev/null || true; wait "${pid_of[$target]}" 2>/dev/null || true; done
  if [ -n "$sampler" ]; then kill "$sampler" 2>/dev/null || true; fi
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "bench/peers: wrk is missing (apt-get install wrk)" >&2; exit 2; }
(cd bench/peers && npm ci --ignore-scripts --no-audit --no-fund >/dev/null)
all_targets="kumo-mem kumo-data"
[ -n "${KUMO_PEERS_BEFORE:-}" ] && all_targets="$all_targets kumo-before-mem kumo-before-data"
[ "${KUMO_PEERS_PGO_OFF:-0}" != 0 ] && all_targets="$all_targets kumo-pgo-off-mem"
[ "${KUMO_PEERS_AOT:-0}" != 0 ] && all_targets="$all_targets kumo-aot-mem"
[ "${KUMO_PEERS_AOT:-0}" = 2 ] && all_targets="$all_targets kumo-aot-data"
all_targets="$all_targets s3rver fauxqs bare-kestrel"
[ "${KUMO_PEERS_FLOOR:-0}" != 0 ] && all_targets="$all_targets bare-kestrel-store bare-socket bare-socket-store"
[ "${KUMO_PEERS_AOT:-0}" != 0 ] && all_targets="$all_targets bare-kestrel-aot"
all_targets="$all_targets bare-node bare-c"
targets=${KUMO_PEERS_TARGETS:-$all_targets}
wants() { case " $targets " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
if wants kumo-mem || wants kumo-data || wants kumo-pgo-off-mem; then
  dotnet publish src/Kumo.Embedded -c Release -o artifacts/bench/engine-jit -p:PublishAot=false >/dev/null
fi
if { wants kumo-aot-mem || wants kumo-aot-data; } && [ "${KUMO_PEERS_AOT_PUBLISHED:-0}" != 1 ]; then
  dotnet publish src/Kumo.Embedded -c Release -o artifacts/bench/engine-aot -r linux-x64 -p:PublishAot=true >/dev/null
fi
if wants bare-kestrel || wants bare-kestrel-store || wants bare-socket || wants bare-socket-store; then
  dotnet publish bench/MinimalKestrel -c Release -o artifacts/bench/minimal-jit -p:PublishAot=false >/dev/null
fi
if wants bare-kestrel-aot && [ "${KUMO_PEERS_AOT_PUBLISHED:-0}" != 1 ]; then
  dotnet publish bench/MinimalKestrel -c Release -o artifacts/bench/minimal-aot -r linux-x64 -p:PublishAot=true >/dev/null
fi
jit="$root/artifacts/bench/engine-jit/kumo-embedded.dll"
aot="$root/artifacts/bench/engine-aot/kumo-embedded"
if wants bare-c; then
  mkdir -p artifacts/bench
  if ! cc -O2 -Wall -Werror -o artifacts/bench/bare-c bench/peers/bare-c.c -lcrypto; then
    # Named in KUMO_PEERS_TARGETS: a run that cannot have it fails; by default it is left out, saying why.
    [ -n "${KUMO_PEERS_TARGETS:-}" ] && { echo "bench/peers: bare-c did not build: it needs a C compiler and OpenSSL's headers (apt-get install gcc libssl-dev)" >&2; exit 2; }
    echo "bench/peers: bare-c did not build (apt-get install gcc libssl-dev to have it): running without that ceiling" >&2
    targets=${targets/ bare-c/}
  fi
fi
bare_jit="$root/artifacts/bench/minimal-jit/MinimalKestrel.dll"
bare_aot="$root/artifacts/bench/minimal-aot/MinimalKestrel"
# A ceiling target answers only the S3 PUT, GET and DELETE and the SQS SendMessage, ReceiveMessage and DeleteMessage.
ceiling() { case "$1" in bare-*) return 0 ;; *) return 1 ;; esac; }
before_dir=${KUMO_PEERS_BEFORE:-}

source bench/wrk-helpers.sh
rss_mib() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo NaN; }
ticks_per_second=$(getconf CLK_TCK)

# start <target> <port> <label>: starts the target in the background on 127.0.0.1:<port>; sets $server.
start() {
  local target=$1 port=$2 label=$3
  case "$target" in
    kumo-mem) KUMO_PORT=$port KUMO_LOG_LEVEL=warn dotnet "$jit" >"$work/$target.log" 2>&1 & ;;
    kumo-data) KUMO_PORT=$port KUMO_LOG_LEVEL=warn KUMO_DATA_DIR="$work/data-$target-$label" dotnet "$jit" >"$work/$target.log" 2>&1 & ;;
    kumo-pgo-off-mem) DOTNET_TieredPGO=0 DOTNET_TC_CallCountingDelayMs=100 KUMO_PORT=$port KUMO_LOG_LEVEL=warn dotnet "$jit" >"$work/$target.log" 2>&1 & ;;
    kumo-before-mem) KUMO_PORT=$port KUMO_LOG_LEVEL=warn dotnet "$before_dir/kumo-embedded.dll" >"$work/$target.log" 2>&1 & ;;
    kumo-before-data) KUMO_PORT=$port KUMO_LOG_LEVEL=warn KUMO_DATA_DIR="$work/data-$target-$label" dotnet "$before_dir/kumo-embedded.dll" >"$work/$target.log" 2>&1 & ;;
    kumo-aot-mem) KUMO_PORT=$port KUMO_LOG_LEVEL=warn "$aot" >"$work/$target.log" 2>&1 & ;;
    kumo-aot-data) KUMO_PORT=$port KUMO_LOG_LEVEL=warn KUMO_DATA_DIR="$work/data-$target-$label" "$aot" >"$work/$target.log" 2>&1 & ;;
    s3rver) node bench/peers/node_modules/s3rver/bin/s3rver.js -d "$work/data-s3rver-$label" -a 127.0.0.1 -p "$port" --silent >"$work/$target.log" 2>&1 & ;;
    bare-kestrel) KUMO_PORT=$port dotnet "$bare_jit" >"$work/$target.log" 2>&1 & ;;
    bare-kestrel-store) KUMO_BARE_SEND=store KUMO_PORT=$port dotnet "$bare_jit" >"$work/$target.log" 2>&1 & ;;
    bare-socket) KUMO_BARE_SERVER=socket KUMO_PORT=$port dotnet "$bare_jit" >"$work/$target.log" 2>&1 & ;;
    bare-socket-store) KUMO_BARE_SERVER=socket KUMO_BARE_SEND=store KUMO_PORT=$port dotnet "$bare_jit" >"$work/$target.log" 2>&1 & ;;
    bare-kestrel-aot) KUMO_PORT=$port "$bare_aot" >"$work/$target.log" 2>&1 & ;;
    bare-node) node bench/peers/bare-node.mjs "$port" >"$work/$target.log" 2>&1 & ;;
    bare-c) "$root/artifacts/bench/bare-c" "$port" >"$work/$target.log" 2>&1 & ;;
    fauxqs) bench/peers/fauxqs.sh "$port" >"$work/$target.log" 2>&1 & ;;
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

stop() {
  if [ -n "$sampler" ]; then kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; sampler=; fi
  kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=
}

# sample <round> <target>: appends the server's RSS every second to $rss_log until stopped.
sample() {
  local round=$1 target=$2 pid=$server started=$SECONDS
  ( while kill -0 "$pid" 2>/dev/null; do printf '%s\t%s\t%s\t%s\n' "$round" "$target" "$((SECONDS - started))" "$(rss_mib "$pid")" >>"$rss_log"; sleep 1; done ) &
  sampler=$!
}

# settle <target>: waits (at most 4 s) until the target's server has been idle for one 0.2 s poll (six for a target with
# a data dir: its checkpoints start on a 1 s tick), so what a run leaves behind (a checkpoint, JIT tiering, a
# collection) is charged to that run's CPU column and never runs in the next target's window.
settle() {
  local pid=${pid_of[$1]} polls=1 quiet=0 a b _
  case "$1" in *-data) polls=6 ;; esac
  for _ in $(seq 1 20); do
    a=$(cpu_ticks "$pid"); sleep 0.2; b=$(cpu_ticks "$pid")
    if [ $((b - a)) -le 1 ]; then quiet=$((quiet + 1)); else quiet=0; fi
    [ "$quiet" -ge "$polls" ] && return 0
  done
}

# takes_part <phase> <target>: whether the target runs the phase (a ceiling: see above; s3rver has no SQS).
takes_part() {
  case "$1" in
    s3-list|multipart) ! ceiling "$2" ;;
    sqs-send) [ "$2" != s3rver ] ;;
    sqs-receive+delete) [ "$2" != s3rver ] ;;
    longpoll) [ "$2" != s3rver ] ;;
    *) return 0 ;;
  esac
}

# warm <phase> <target> <port>: 1 s of the phase's own load at 2 connections (a probe: its own operation) right before its recorded runs, not
# recorded (a receive phase is warmed by sending, which also adds messages), so every target is measured hot however
# long it sat idle while the others ran (without it, fauxqs reached 0.43 of bare node for PUT and SendMessage at
# 1 connection, against 0.53 and 0.65 when measured right after its start).
warm() {
  local phase=$1 target=$2 port=$3 script
  case "$phase" in
    sqs-receive+delete) script=send.lua ;;
    # The probes are warmed by their own operation, unrecorded: 5 wake-ups (a first long poll in a fresh engine
    # compiles its path: 38 ms, then 1-8 ms until it is tiered up); one 16 MiB upload in two parts.
    longpoll) ceiling "$target" || python3 bench/peers/probe.py longpoll "$port" "$(create_queue "$port" warm)" 5 >/dev/null
      settle "$target"; return 0 ;;
    multipart) python3 bench/peers/probe.py multipart "$port" 16 1 >/dev/null; settle "$target"; return 0 ;;
    *) script=$(script_of "$phase") ;;
  esac
  QUEUE_URL=${queue_of[$target]:-} wrk -t1 -c2 -d1s -s "bench/peers/$script" "http://127.0.0.1:$port" >/dev/null
  settle "$target"
}

# script_of <phase>: the wrk script of a load phase; fails for a probe phase (multipart, longpoll).
script_of() {
  case "$1" in
    s3-put) echo put.lua ;; s3-get) echo get.lua ;; s3-list) echo list.lua ;; s3-put+delete) echo delete.lua ;;
    sqs-send) echo send.lua ;; sqs-receive+delete) echo receive.lua ;;
    *) return 1 ;;
  esac
}

# load <round> <target> <op> <port> <script>: wrk at each of $connection_counts; appends a row per run to $runs.
load() {
  local round=$1 target=$2 op=$3 port=$4 script=$5 connections threads out rps p99 max non2xx socket requests before after cpu received
  for connections in $connection_counts; do
    {
      threads=$([ "$connections" = 1 ] && echo 1 || echo 2)
      before=$(cpu_ticks "$server")
      out=$(wrk -t"$threads" -c"$connections" -d"$duration" --timeout 2s --latency -s "bench/peers/$script" "http://127.0.0.1:$port")
      settle "$target"
      after=$(cpu_ticks "$server")
      rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
      requests=$(awk '/requests in/ { print $1 }' <<<"$out")
      p99=$(awk '$1 == "99%" { print $2 }' <<<"$out" | to_ms)
      max=$(awk '$1 == "Latency" { print $4 }' <<<"$out" | to_ms)
      non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<<"$out"); non2xx=${non2xx:-0}
      socket=$(awk -F'[ ,]+' '/Socket errors:/ { print $4 + $6 + $8 + $10 }' <<<"$out"); socket=${socket:-0}
      received=$(awk '/^received / { print $2 }' <<<"$out"); received=${received:-}
      cpu=$(awk -v t="$((after - before))" -v r="$requests" -v hz="$ticks_per_second" 'BEGIN { printf "%.1f", (r > 0 ? t * 1e6 / hz / r : 0) }')
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$target" "$op" "$connections" "$rps" "$p99" "$max" "$((non2xx + socket))" "$(rss_mib "$server")" "$cpu" "$received" >>"$runs"
      echo "round $round $target $op c=$connections: $rps req/s, p99 $p99 ms, max $max ms, errors $((non2xx + socket)), CPU $cpu us/req, RSS $(rss_mib "$server") MiB${received:+, received $received}"
    }
  done
}

# probe <round> <target> <metric> <probe.py arguments...>: one sample row per value; a failure is a row of metric "<metric>_error".
probe() {
  local round=$1 target=$2 metric=$3 value
  shift 3
  python3 bench/peers/probe.py "$@" | while read -r value; do
    case "$value" in
      error*) printf '%s\t%s\t%s_error\t%s\n' "$round" "$target" "$metric" "${value#error }" >>"$samples"; echo "round $round $target $metric: $value" ;;
      *) printf '%s\t%s\t%s\t%s\n' "$round" "$target" "$metric" "$value" >>"$samples" ;;
    esac
  done
}

mkdir -p "$results"
head -c 4096 /dev/zero | tr '\0' x >"$work/seed.bin"
printf 'round\ttarget\top\tconnections\trps\tp99_ms\tmax_ms\terrors\trss_mib\tcpu_us_per_req\treceived\n' >"$runs"
printf 'round\ttarget\tmetric\tvalue\n' >"$samples"
printf 'round\ttarget\tseconds\trss_mib\n' >"$rss_log"
printf 'target\tphase\trss_mib\tpss_mib\tanon_mib\tobjects\ttmpfs_mib\n' >"$memory"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started_at=$SECONDS
# A round starts every target, then runs each operation on every target in turn (the order reversed from one
# operation to the next and from one round to the next), so runs of one operation are seconds apart, not minutes:
# this machine's slow spells last about a minute and would otherwise fall on every operation of one or two targets.
for round in $(seq 1 "$rounds"); do
  for target in $targets; do
    port=$(free_port)
    start "$target" "$port" "$round"
    sample "$round" "$target"
    pid_of[$target]=$server port_of[$target]=$port sampler_of[$target]=$sampler
    server= sampler=
    printf '%s\t%s\tidle_rss_mib\t%s\n' "$round" "$target" "$(rss_mib "${pid_of[$target]}")" >>"$samples"
    curl -sf -o /dev/null -X PUT "http://127.0.0.1:$port/bench"
    curl -sf -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$work/seed.bin" "http://127.0.0.1:$port/bench/seed"
    # Warm-up (JIT tiers, V8 optimisation) for every target alike, 2 s of PUT and GET; not recorded.
    wrk -t1 -c2 -d1s -s bench/peers/put.lua "http://127.0.0.1:$port" >/dev/null
    wrk -t1 -c2 -d1s -s bench/peers/get.lua "http://127.0.0.1:$port" >/dev/null
    settle "$target"
  done
  order=$targets
  [ $((round % 2)) = 0 ] && order=$(tr ' ' '\n' <<<"$targets" | tac | tr '\n' ' ')
  for phase in $phases; do
    for target in $order; do
      takes_part "$phase" "$target" || continue
      server=${pid_of[$target]} port=${port_of[$target]}
      if [ "$phase" = sqs-send ]; then
        # A ceiling answers any queue URL; an emulator gets the queue created.
        if ceiling "$target"; then queue_of[$target]="http://127.0.0.1:$port/000000000000/bench"
        else queue_of[$target]=$(create_queue "$port" bench); fi
      fi
      warm "$phase" "$target" "$port"
      case "$phase" in
        multipart) probe "$round" "$target" multipart_64MiB_s multipart "$port" 64 2; settle "$target" ;;
        longpoll)
          # A ceiling has no queue to wait on: it answers only the idle send, the floor of a wake-up on its framework.
          if ceiling "$target"; then queue="http://127.0.0.1:$port/000000000000/wake"
          else queue=$(create_queue "$port" wake); probe "$round" "$target" longpoll_wake_ms longpoll "$port" "$queue" 5; fi
          probe "$round" "$target" idle_send_ms idle "$port" "$queue" 5; settle "$target" ;;
        *) QUEUE_URL=${queue_of[$target]:-} load "$round" "$target" "$phase" "$port" "$(script_of "$phase")" ;;
      esac
    done
    order=$(tr ' ' '\n' <<<"$order" | tac | tr '\n' ' ')
  done
  for target in $targets; do
    printf '%s\t%s\tend_rss_mib\t%s\n' "$round" "$target" "$(rss_mib "${pid_of[$target]}")" >>"$samples"
    server=${pid_of[$target]} sampler=${sampler_of[$target]}
    stop
    unset "pid_of[$target]" "port_of[$target]" "sampler_of[$target]" "queue_of[$target]"
  done
done

# Memory: 100,000 distinct 4 KiB objects, then a delete of everything. The fill rate of the rounds sets wrk's
# duration (wrk cannot stop on a request count; the rest of the run is idle).
smaps() { awk '/^Pss:/ { p = $2 } /^Anonymous:/ { a = $2 } END { printf "%.1f\t%.1f", p / 1024, a / 1024 }' "/proc/$1/smaps_rollup" 2>/dev/null || printf 'NaN\tNaN'; }
tmpfs_mib() { du -sm /dev/shm/kumo-embedded-"$1"-* 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }
if [ "$fill" -gt 0 ]; then
  for target in $targets; do
    if [ "$target" = s3rver ] || ceiling "$target"; then continue; fi
    port=$(free_port)
    start "$target" "$port" memory
    sample memory "$target"
    sleep 2
    printf '%s\tidle\t%s\t%s\t\t%s\n' "$target" "$(rss_mib "$server")" "$(smaps "$server")" "$(tmpfs_mib "$server")" >>"$memory"
    curl -sf -o /dev/null -X PUT "http://127.0.0.1:$port/bench"
    rate=$(awk -v t="$target" '$2 == t && $3 == "s3-put" && $4 == 8 { print $5 }' "$runs" | sort -n | head -1)
    seconds=$(awk -v n="$fill" -v r="${rate:-1000}" 'BEGIN { s = int(n / (r > 0 ? r : 1000) * 2) + 5; print (s > 240 ? 240 : s) }')
    FILL=$fill THREADS=2 wrk -t2 -c8 -d"${seconds}s" --timeout 2s -s bench/peers/fill.lua "http://127.0.0.1:$port" >/dev/null
    printf '%s\tafter %s PUTs\t%s\t%s\t\t%s\n' "$target" "$fill" "$(rss_mib "$server")" "$(smaps "$server")" "$(tmpfs_mib "$server")" >>"$memory"
    objects=$(python3 bench/peers/probe.py deleteall "$port" bench)
    sleep 5
    printf '%s\tafter deleting everything\t%s\t%s\t%s\t%s\n' "$target" "$(rss_mib "$server")" "$(smaps "$server")" "$objects" "$(tmpfs_mib "$server")" >>"$memory"
    echo "memory $target: $(tail -1 "$memory")"
    stop
  done
fi

for rows in "$runs" "$samples" "$rss_log" "$memory"; do
  cp "$rows" "$results/.${rows##*/}.tmp" && mv -f "$results/.${rows##*/}.tmp" "$results/${rows##*/}"
done
python3 bench/peers/summarize.py "$results" "$duration" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" "$((SECONDS - started_at))" "$name"
echo "Wrote $results/$name.md"
