#!/usr/bin/env python3
"""An engine's first seconds under a test suite's mix, per runtime setting, side by side.

Each variant is started fresh, timed to its first /health answer, given a bucket, a seed object and a queue, then
driven by wrk (bench/warmup/mixed.lua) in consecutive 1-second runs at a fixed connection count; the requests each
second completes show how soon the JIT reaches optimized code. Variants alternate start by start; medians over starts.
"""
import argparse, collections, http.client, json, os, socket, statistics, subprocess, sys, time, urllib.request

# One start of one variant: its times, the first calls' time (None unless --first) and its wrk req/s second by second.
Row = collections.namedtuple("Row", "start label health_ms first_ms rates errors")

def sqs_headers(action):
    return {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"AmazonSQS.{action}"}

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

def first_calls(url, queue, count):
    """Milliseconds for the first `count` calls of the mix made one after another on one keep-alive connection: a test
    suite's first calls, each waiting for the one before, as an SDK client makes them. The PUTs name new keys with the
    same 4 KiB each time (a suite's fixtures often repeat), unlike mixed.lua's distinct bodies."""
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    send = json.dumps({"QueueUrl": queue, "MessageBody": "m" * 256}).encode()
    receive = json.dumps({"QueueUrl": queue, "MaxNumberOfMessages": 1, "VisibilityTimeout": 0}).encode()
    body = b"x" * 4096
    began = time.monotonic()
    for turn in range(count):
        kind = turn % 4
        if kind == 0:
            connection.request("PUT", f"/bench/first-{turn}", body)
        elif kind == 1:
            connection.request("GET", "/bench/seed")
        elif kind == 2:
            connection.request("POST", "/", send, sqs_headers("SendMessage"))
        else:
            connection.request("POST", "/", receive, sqs_headers("ReceiveMessage"))
        response = connection.getresponse()
        response.read()
        if response.status >= 300:
            raise SystemExit(f"first calls: call {turn} answered {response.status}")
    connection.close()
    return (time.monotonic() - began) * 1000

def run(variant, seconds, conns, first):
    label, process, url, health_ms = start(variant)
    try:
        call(url + "/bench", "PUT")
        call(url + "/bench/seed", "PUT", b"x" * 4096)
        queue = json.loads(call(url + "/", "POST", b'{"QueueName":"warmup"}', sqs_headers("CreateQueue")))["QueueUrl"]
        first_ms = first_calls(url, queue, first) if first else None
        rates, errors = [], 0
        for _ in range(seconds):
            out = subprocess.run(["wrk", f"-t{min(conns, 2)}", f"-c{conns}", "-d1s", "-s", "bench/warmup/mixed.lua", url],
                                 env=dict(os.environ, QUEUE_URL=queue), capture_output=True, text=True, timeout=30).stdout
            rates.append(float(next(l.split()[1] for l in out.splitlines() if l.startswith("Requests/sec"))))
            errors += sum(int(n) for l in out.splitlines() if "Non-2xx" in l or "Socket errors" in l for n in l.replace(",", " ").split() if n.isdigit())
        return label, health_ms, first_ms, rates, errors
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
    parser.add_argument("--first", type=int, default=0, help="time the first N calls of the mix, one after another, before the wrk seconds")
    parser.add_argument("--tsv", required=True)
    parser.add_argument("variants", nargs="+", help="label|ENV=1 ENV2=2|command")
    args = parser.parse_args()
    rows = []
    for start_number in range(args.starts):
        order = args.variants if start_number % 2 == 0 else list(reversed(args.variants))
        for variant in order:
            row = Row(start_number, *run(variant, args.seconds, args.conns, args.first))
            rows.append(row)
            first_text = f", first {args.first} calls {row.first_ms:.0f} ms" if args.first else ""
            print(f"start {start_number + 1} {row.label}: health {row.health_ms:.0f} ms{first_text}, req/s by second {[round(r) for r in row.rates]}, errors {row.errors}", file=sys.stderr)
    with open(args.tsv, "w") as tsv:
        tsv.write("start\tvariant\thealth_ms\tfirst_calls_ms\t" + "\t".join(f"second_{i + 1}" for i in range(args.seconds)) + "\terrors\n")
        for row in rows:
            first_text = f"{row.first_ms:.1f}" if row.first_ms is not None else ""
            tsv.write(f"{row.start + 1}\t{row.label}\t{row.health_ms:.1f}\t{first_text}\t" + "\t".join(f"{r:.0f}" for r in row.rates) + f"\t{row.errors}\n")
    labels = [v.split("|", 1)[0] for v in args.variants]
    base = labels[0]
    first_header = f" first {args.first} calls ms |" if args.first else ""
    print(f"| variant | /health ms |{first_header} " + " | ".join(f"second {i + 1}" for i in range(args.seconds)) + f" | requests in {args.seconds} s | ÷ {base} (median of per-start pairs) | errors |")
    print("|---|---:|" + ("---:|" if args.first else "") + "---:|" * args.seconds + "---:|---:|---:|")
    totals = {l: [sum(r.rates) for r in rows if r.label == l] for l in labels}
    for label in labels:
        mine = [r for r in rows if r.label == label]
        seconds = [statistics.median(r.rates[i] for r in mine) for i in range(args.seconds)]
        ratio = statistics.median(a / b for a, b in zip(totals[label], totals[base]))
        first_cell = f" {statistics.median(r.first_ms for r in mine):.0f} |" if args.first else ""
        print(f"| {label} | {statistics.median(r.health_ms for r in mine):.0f} |{first_cell} " + " | ".join(f"{s:,.0f}" for s in seconds)
              + f" | {statistics.median(totals[label]):,.0f} | {ratio:.2f}× | {sum(r.errors for r in mine)} |")

if __name__ == "__main__":
    main()
