# Shell helpers shared by the wrk-driven benchmarks (bench/peers/run.sh, bench/checkpoint/run.sh); sourced, not run.

# A free TCP port on loopback.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# A wrk latency (e.g. 812.00us, 3.41ms, 1.02s, 1.10m) in milliseconds.
to_ms() { awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /m$/) { sub(/m$/, "", v); v *= 60000 } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; print v }'; }
