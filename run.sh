#!/usr/bin/env bash
# The main job: the sample AppHost (src/AppHost) under Aspire's orchestrator, with its dashboard — kumo seeded from
# src/AppHost/seed/kumo-seed.json and the OrderService sample wired to it.
#
#   ./run.sh           run until Ctrl+C; prints the dashboard's login URL
#   ./run.sh --smoke   start the same AppHost, place one order through the orchestrated OrderService, wait (bounded)
#                      for its receipt, print it, stop the AppHost and everything it started, exit 0
#
# kumo runs as the ghcr.io/sivchari/kumo container when a container runtime answers, and as the embedded engine
# otherwise (said on the first line). Everything is served over http on loopback (the AppHost's http launch profile),
# so no trusted development certificate is needed.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export ASPIRE_ALLOW_UNSECURED_TRANSPORT=true
mode=${1:-run}
case "$mode" in run|--smoke) ;; *) echo "usage: ./run.sh [--smoke]" >&2; exit 2 ;; esac
state="$root/.kumo/run"
mkdir -p "$state"
apphost_log="$state/apphost.log"
# The OrderService's port: the AppHost keeps the port of the service's launch profile.
orders=${KUMO_RUN_ORDERS_URL:-http://localhost:5080}
start_timeout=${KUMO_RUN_START_TIMEOUT:-180}

engine=${KUMO_ENGINE:-}
if [ -z "$engine" ]; then
  runtime=${ASPIRE_CONTAINER_RUNTIME:-docker}
  if "$runtime" info >/dev/null 2>&1; then
    engine=container
    echo "kumo: the ghcr.io/sivchari/kumo container ($runtime answers)."
  else
    engine=embedded
    echo "kumo: no container runtime answers ('$runtime info' failed): running kumo as the embedded engine instead (Kumo:Engine=embedded)."
  fi
fi

dotnet build src/AppHost -c Debug -v quiet -nologo
apphost=(dotnet run --project src/AppHost --no-build --launch-profile http -- "Kumo:Engine=$engine")

if [ "$mode" = run ]; then
  # The AppHost's own console, with the dashboard's login URL repeated once it is known.
  "${apphost[@]}" 2>&1 | tee "$apphost_log" | while IFS= read -r line; do
    printf '%s\n' "$line"
    if [ -z "${shown:-}" ] && [[ $line =~ (https?://[^[:space:]]+/login\?t=[^[:space:]]+) ]]; then
      shown=1
      printf '\nDashboard: %s\nOrderService: %s (POST /orders)\nCtrl+C stops the AppHost and everything it started.\n\n' "${BASH_REMATCH[1]}" "$orders"
    fi
  done
  exit "${PIPESTATUS[0]}"
fi

# --smoke: the AppHost in its own process group, so stopping it stops everything it started.
set -m
"${apphost[@]}" >"$apphost_log" 2>&1 &
pid=$!
set +m
stop_apphost() {
  if kill -0 "$pid" 2>/dev/null; then
    kill -INT -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "run.sh: the AppHost did not stop within 30 s of Ctrl+C; killing it. The last lines of its log ($apphost_log):" >&2
      tail -n 40 "$apphost_log" >&2 || true
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
}
trap stop_apphost EXIT
fail() {
  echo "run.sh --smoke: $1" >&2
  echo "--- last lines of $apphost_log:" >&2
  tail -n 30 "$apphost_log" >&2
  exit 1
}

deadline=$((SECONDS + start_timeout))
login=
until [ -n "$login" ]; do
  kill -0 "$pid" 2>/dev/null || fail "the AppHost exited before its dashboard started."
  [ $SECONDS -lt $deadline ] || fail "no dashboard login URL within ${start_timeout} s."
  login=$(grep -oE 'https?://[^[:space:]]+/login\?t=[^[:space:]]+' "$apphost_log" | head -n 1 || true)
  [ -n "$login" ] || sleep 0.5
done
echo "Dashboard: $login"

# The service starts once kumo is healthy and seeded (WaitFor); /alive answers when it runs.
until curl -sf "$orders/alive" >/dev/null 2>&1; do
  kill -0 "$pid" 2>/dev/null || fail "the AppHost exited before the OrderService answered."
  [ $SECONDS -lt $deadline ] || fail "the OrderService did not answer at $orders within ${start_timeout} s."
  sleep 0.5
done

answer=$(curl -sf -X POST "$orders/orders" -H 'content-type: application/json' \
  -d '{"customer":"Ada","lines":[{"sku":"book","quantity":2,"unitPrice":12.5}]}') || fail "POST $orders/orders failed."
id=$(grep -oE '"id":"[^"]+"' <<<"$answer" | cut -d'"' -f4)
echo "placed order $id through the orchestrated OrderService ($orders)"
deadline=$((SECONDS + 60))
status=
until grep -q '"status":"Processed"' <<<"$status"; do
  [ $SECONDS -lt $deadline ] || fail "order $id was not processed within 60 s; last answer: $status"
  sleep 0.2
  status=$(curl -sf "$orders/orders/$id" || true)
done
echo "processed: $status"

# Everything the AppHost started: its own process tree, and DCP (which detaches from it and watches the AppHost's pid
# through --monitor) with the sessions of the processes DCP runs (the engine, the service).
descendants() {
  local children
  children=$(ps -o pid= --ppid "$1" 2>/dev/null || true)
  for child in $children; do echo "$child"; descendants "$child"; done
}
tree=$(descendants "$pid")
dcp=$(for p in $tree; do pgrep -f -- "--monitor $p( |\$)" || true; done)
sessions=$(for p in $dcp; do ps -o sid= -p "$p"; descendants "$p" | xargs -r ps -o sid= -p; done 2>/dev/null | tr -d ' ' | sort -u)
in_sessions=$(ps -eo pid=,sid= | awk -v s=" $(tr '\n' ' ' <<<"$sessions")" 'index(s, " " $2 " ") { print $1 }')
started=$(printf '%s\n' $tree $dcp $in_sessions | grep -vx "$$" | sort -u)
stop_apphost
trap - EXIT
deadline=$((SECONDS + 30))
while :; do
  leftover=
  for p in $started; do
    if kill -0 "$p" 2>/dev/null; then leftover+="$p "; fi
  done
  [ -n "$leftover" ] && [ $SECONDS -lt $deadline ] || break
  sleep 0.5
done
if [ -n "$leftover" ]; then
  echo "run.sh --smoke: processes the AppHost started are still running 30 s after it stopped:" >&2
  for p in $leftover; do ps -o pid=,args= -p "$p" >&2 || true; done
  exit 1
fi
echo "The AppHost stopped, and the $(wc -w <<<"$started") processes it started (DCP, the engine, the service) with it. Smoke test passed."
