#!/usr/bin/env bash
# The main job: the sample app host — kumo seeded from src/AppHost/seed/kumo-seed.json, and the
# OrderService sample wired to it.
#
#   ./run.sh           run until Ctrl+C
#   ./run.sh --smoke   place one order, wait for its receipt, print it, stop (a check of the whole flow)
#
# With Aspire restorable from the configured feeds, it runs src/AppHost (dashboard included), on the
# kumo container when a Docker daemon answers and on the embedded engine otherwise. Without Aspire
# it runs the same topology without the dashboard: the embedded engine (strict kumo mode), seeded
# by kumoctl from the AppHost's manifest, and the sample service wired through the same
# environment variables the AppHost injects.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
mode=${1:-run}
case "$mode" in run|--smoke) ;; *) echo "usage: ./run.sh [--smoke]" >&2; exit 2 ;; esac
manifest=${KUMO_SEED_MANIFEST:-"$root/src/AppHost/seed/kumo-seed.json"}
state="$root/.kumo/run"
build="$state/bin"
mkdir -p "$state"

. "$root/eng/aspire.sh"
aspire_probe

dotnet build src/Kumo.Embedded -c Release -o "$build/engine" >/dev/null
if [ "$aspire_available" = true ] && [ "$mode" = run ]; then
  engine=container
  if ! docker info >/dev/null 2>&1; then
    engine=embedded
    export KUMO_EMBEDDED_PATH="$build/engine/kumo-embedded.dll"
    echo "No Docker daemon answers: running kumo as the embedded engine ($KUMO_EMBEDDED_PATH)."
  fi
  exec dotnet run --project src/AppHost -- "Kumo:Engine=$engine"
fi

if [ "$aspire_available" != true ]; then
  echo "Aspire $aspire_version cannot be restored from the configured NuGet feeds ($aspire_reason): running the app host's topology without Aspire (embedded engine + kumoctl seed + OrderService)."
fi
dotnet build src/Kumo.Cli -c Release -o "$build/kumoctl" >/dev/null
dotnet build samples/OrderService -c Release -o "$build/orders" >/dev/null

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits (bounded) for a line matching $2 in file $1 and prints it; fails with the file's tail.
await_line() {
  local file=$1 pattern=$2 what=$3 deadline=$((SECONDS + 60)) line
  while [ $SECONDS -lt $deadline ]; do
    if line=$(grep -m1 -E "$pattern" "$file" 2>/dev/null); then printf '%s\n' "$line"; return 0; fi
    sleep 0.1
  done
  echo "run.sh: $what did not start within 60 s; last lines of $file:" >&2
  tail -n 20 "$file" >&2
  return 1
}

rm -rf "$state/data"
KUMO_PORT=0 KUMO_DATA_DIR="$state/data" KUMO_STRICT_COMPAT=true KUMO_PARENT_PID=$$ \
  dotnet "$build/engine/kumo-embedded.dll" >"$state/engine.log" 2>&1 &
pids+=($!)
endpoint=$(await_line "$state/engine.log" '^KUMO_ENDPOINT=' "the engine" | cut -d= -f2)
echo "kumo (embedded engine, strict kumo mode): $endpoint   log: $state/engine.log"

dotnet "$build/kumoctl/kumoctl.dll" seed --endpoint "$endpoint" --manifest "$manifest" --run local --worker 0

ConnectionStrings__kumo="$endpoint" AWS_ENDPOINT_URL="$endpoint" AWS_ENDPOINT_URL_S3="$endpoint" AWS_ENDPOINT_URL_SQS="$endpoint" \
AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
AWS_REQUEST_CHECKSUM_CALCULATION=when_required AWS_RESPONSE_CHECKSUM_VALIDATION=when_required \
ASPNETCORE_ENVIRONMENT=Development Orders__WaitTimeSeconds=1 \
  dotnet "$build/orders/OrderService.dll" --urls http://127.0.0.1:0 >"$state/orders.log" 2>&1 &
pids+=($!)
orders=$(await_line "$state/orders.log" 'Now listening on: http://127\.0\.0\.1:[0-9]+' "the order service" | grep -oE 'http://127\.0\.0\.1:[0-9]+')
echo "orders (sample service): $orders   log: $state/orders.log"

if [ "$mode" = --smoke ]; then
  answer=$(curl -sf -X POST "$orders/orders" -H 'content-type: application/json' \
    -d '{"customer":"Ada","lines":[{"sku":"book","quantity":2,"unitPrice":12.5}]}')
  id=$(grep -oE '"id":"[^"]+"' <<<"$answer" | cut -d'"' -f4)
  echo "placed order $id"
  deadline=$((SECONDS + 30))
  while [ $SECONDS -lt $deadline ]; do
    status=$(curl -sf "$orders/orders/$id" || true)
    if grep -q '"status":"Processed"' <<<"$status"; then
      echo "processed: $status"
      compat=$(curl -sf "$endpoint/_kumo/compat")
      echo "requests real kumo would mishandle: $compat"
      grep -q '"total":0' <<<"$compat" || { echo "run.sh: the sample sent kumo-incompatible requests" >&2; exit 1; }
      exit 0
    fi
    sleep 0.2
  done
  echo "run.sh: order $id was not processed within 30 s; last answer: $status" >&2
  exit 1
fi

echo "Running. Try: curl -X POST $orders/orders -H 'content-type: application/json' -d '{\"customer\":\"Ada\",\"lines\":[{\"sku\":\"book\",\"quantity\":1,\"unitPrice\":10}]}'"
echo "Ctrl+C stops both."
wait -n "${pids[@]}"
