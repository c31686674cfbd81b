# Shell helpers shared by the wrk-driven benchmarks (bench/peers/run.sh, alternate.sh, cold.sh, latency.sh, bench/checkpoint/run.sh);
# sourced, not run.

# A free TCP port on loopback.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# A wrk latency (e.g. 812.00us, 3.41ms, 1.02s, 1.10m) in milliseconds.
to_ms() { awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /m$/) { sub(/m$/, "", v); v *= 60000 } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; print v }'; }

# A process's CPU time so far (user + system), in clock ticks (getconf CLK_TCK a second); 0 once it is gone.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# create_queue <port> <name>: creates an SQS queue over AWS JSON 1.0 on 127.0.0.1:<port> and prints its QueueUrl.
create_queue() {
  curl -sf -X POST -H 'Content-Type: application/x-amz-json-1.0' -H 'X-Amz-Target: AmazonSQS.CreateQueue' \
    -d "{\"QueueName\":\"$2\"}" "http://127.0.0.1:$1/" | python3 -c 'import json,sys; print(json.load(sys.stdin)["QueueUrl"])'
}

# await_health <port> <what>: waits up to 10 s for GET /health on 127.0.0.1:<port>; fails naming <what> otherwise.
await_health() {
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$1/health" >/dev/null && return 0; sleep 0.1; done
  echo "$0: $2 did not answer /health on 127.0.0.1:$1 within 10 s" >&2
  return 1
}
