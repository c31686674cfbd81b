#!/usr/bin/env python3
"""An engine's first seconds under a test suite's mix, per runtime setting, side by side.

Each variant is started fresh, timed to its first /health answer, given a bucket, a seed object and a queue, then
driven by wrk (bench/warmup/mixed.lua) in consecutive 1-second runs at a fixed connection count; the requests each
second completes show how soon the JIT reaches optimized code. Variants alternate start by start; medians over starts.
"""
import argparse, json, os, socket, statistics, subprocess, sys, time, urllib.request

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def call(url, method="GET", data=None, headers=None):
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()

def start(variant):
    label, env_text, command = variant.split("|", 2)
    env = dict(os.environ, KUMO_PORT=str(free_port()), KUMO_LOG_LEVEL="warn")
    for pair in env_text.split():
        name, value = pair.split("=", 1)
        env[name] = value
    url = f"http://127.0.0.1:{env['KUMO_PORT']}"
    began = time.monotonic()
    process = subprocess.Popen(command.split(), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = began + 30
    while True:
        try:
            call(url + "/health")
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise SystemExit(f"{label}: no /health answer within 30 s (exit {process.poll()})")
            time.sleep(0.005)
    return label, process, url, (time.monotonic() - began) * 1000

def run(variant, seconds, conns):
    label, process, url, health_ms = start(variant)
    try:
        call(url + "/bench", "PUT")
        call(url + "/bench/seed", "PUT", b"x" * 4096)
        queue = json.loads(call(url + "/", "POST", b'{"QueueName":"warmup"}',
                                {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.CreateQueue"}))["QueueUrl"]
        rates, errors = [], 0
        for _ in range(seconds):
            out = subprocess.run(["wrk", f"-t{min(conns, 2)}", f"-c{conns}", "-d1s", "-s", "bench/warmup/mixed.lua", url],
                                 env=dict(os.environ, QUEUE_URL=queue), capture_output=True, text=True, timeout=30).stdout
            rates.append(float(next(l.split()[1] for l in out.splitlines() if l.startswith("Requests/sec"))))
            errors += sum(int(n) for l in out.splitlines() if "Non-2xx" in l or "Socket errors" in l for n in l.replace(",", " ").split() if n.isdigit())
        return label, health_ms, rates, errors
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--conns", type=int, default=8)
    parser.add_argument("--tsv", required=True)
    parser.add_argument("variants", nargs="+", help="label|ENV=1 ENV2=2|command")
    args = parser.parse_args()
    rows = []
    for start_number in range(args.starts):
        order = args.variants if start_number % 2 == 0 else list(reversed(args.variants))
        for variant in order:
            label, health_ms, rates, errors = run(variant, args.seconds, args.conns)
            rows.append((start_number, label, health_ms, rates, errors))
            print(f"start {start_number + 1} {label}: health {health_ms:.0f} ms, req/s by second {[round(r) for r in rates]}, errors {errors}", file=sys.stderr)
    with open(args.tsv, "w") as tsv:
        tsv.write("start\tvariant\thealth_ms\t" + "\t".join(f"second_{i + 1}" for i in range(args.seconds)) + "\terrors\n")
        for start_number, label, health_ms, rates, errors in rows:
            tsv.write(f"{start_number + 1}\t{label}\t{health_ms:.1f}\t" + "\t".join(f"{r:.0f}" for r in rates) + f"\t{errors}\n")
    labels = [v.split("|", 1)[0] for v in args.variants]
    base = labels[0]
    print(f"| variant | /health ms | " + " | ".join(f"second {i + 1}" for i in range(args.seconds)) + f" | requests in {args.seconds} s | ÷ {base} (median of per-start pairs) | errors |")
    print("|---|---:|" + "---:|" * args.seconds + "---:|---:|---:|")
    totals = {l: [sum(r[3]) for r in rows if r[1] == l] for l in labels}
    for label in labels:
        mine = [r for r in rows if r[1] == label]
        seconds = [statistics.median(r[3][i] for r in mine) for i in range(args.seconds)]
        ratio = statistics.median(a / b for a, b in zip(totals[label], totals[base]))
        print(f"| {label} | {statistics.median(r[2] for r in mine):.0f} | " + " | ".join(f"{s:,.0f}" for s in seconds)
              + f" | {statistics.median(totals[label]):,.0f} | {ratio:.2f}× | {sum(r[4] for r in mine)} |")

if __name__ == "__main__":
    main()
