"""Measurements wrk cannot make, over plain HTTP on loopback (stdlib only):

  multipart <port> <mib> <count>   seconds per multipart upload of a <mib> MiB object (8 MiB parts: fauxqs refuses
                                   16 MiB bodies), one line each
  longpoll <port> <queue-url> <count>   ms from a SendMessage to the first byte of the answer of a ReceiveMessage
                                   waiting on the queue (one thread: select, no reader thread)
  idle <port> <queue-url> <count>  ms from a SendMessage to the first byte of its own answer, sent after 0.3 s of
                                   silence: the floor of a long-poll wake-up (which starts with the same send reaching
                                   the same idle server); the bare-* ceilings answer it too
  quiet <port> <queue-url> <gap> <count>  SendMessages, each after <gap> seconds of silence, head and body in one write
                                   (bench/peers/cold.sh times them on the server's side); prints nothing
  putlatency <port> <count>        p50 p90 p99 p99.9 max (µs) of <count> distinct 4 KiB PutObjects on one connection, each
                                   timed from its write to its whole answer (a client without wrk's own tail)
  deleteall <port> <bucket>        deletes every object (ListObjectsV2 + DeleteObjects); prints the count
"""
import hashlib
import http.client
import json
import re
import sys
import select
import socket
import time

PART = 8 * 1024 * 1024


def connect(port):
    return http.client.HTTPConnection("127.0.0.1", int(port), timeout=60)


def call(conn, method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    return answer(conn, f"{method} {path}")


def answer(conn, what):
    """The answer waiting on conn, read whole; an HTTP error ends the probe, naming `what`."""
    response = conn.getresponse()
    data = response.read()
    if response.status >= 300:
        raise SystemExit(f"{what}: HTTP {response.status}: {data[:300]!r}")
    return response, data


def answered_at(conn, failure):
    """When conn's answer reached its socket (select, at most 15 s; after that the probe ends with `failure`)."""
    ready, _, _ = select.select([conn.sock], [], [], 15)
    at = time.perf_counter()
    if not ready:
        raise SystemExit(failure)
    return at


def multipart(port, mib, count):
    conn = connect(port)
    size = int(mib) * 1024 * 1024
    parts = [bytes([65 + n % 26]) * min(PART, size - offset) for n, offset in enumerate(range(0, size, PART))]
    for round_ in range(int(count)):
        key = f"/bench/multipart-{time.time_ns()}-{round_}"
        started = time.perf_counter()
        _, data = call(conn, "POST", key + "?uploads")
        upload = re.search(rb"<UploadId>([^<]+)</UploadId>", data).group(1).decode()
        etags = []
        for number, part in enumerate(parts, start=1):
            response, _ = call(conn, "PUT", f"{key}?partNumber={number}&uploadId={upload}", part, {"Content-Type": "application/octet-stream"})
            etags.append(response.getheader("ETag"))
        xml = "<CompleteMultipartUpload>" + "".join(
            f"<Part><PartNumber>{n}</PartNumber><ETag>{e}</ETag></Part>" for n, e in enumerate(etags, start=1)) + "</CompleteMultipartUpload>"
        call(conn, "POST", f"{key}?uploadId={upload}", xml.encode(), {"Content-Type": "application/xml"})
        print(f"{time.perf_counter() - started:.4f}", flush=True)


def sqs_headers(action):
    return {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"AmazonSQS.{action}"}


def sqs(conn, action, payload):
    _, data = call(conn, "POST", "/", json.dumps(payload).encode(), sqs_headers(action))
    return json.loads(data or b"{}")


def send_wake(conn, queue_url):
    # The SendMessage both probes time; its answer is left for the caller to read.
    conn.request("POST", "/", json.dumps({"QueueUrl": queue_url, "MessageBody": "wake"}).encode(), sqs_headers("SendMessage"))


def longpoll(port, queue_url, count):
    # One thread, no client-side wake-ups of its own: the waiting ReceiveMessage is sent and left unread, the
    # SendMessage is sent, and the clock stops when the receive's answer reaches the socket (select). A reader thread
    # would add the interpreter's thread switch (milliseconds) to what is measured.
    sender = connect(port)
    for _ in range(int(count)):
        receiver = connect(port)
        receiver.request("POST", "/", json.dumps({"QueueUrl": queue_url, "WaitTimeSeconds": 10, "MaxNumberOfMessages": 1}).encode(),
                         sqs_headers("ReceiveMessage"))
        time.sleep(0.3)  # the receive is waiting by now
        sent = time.perf_counter()
        send_wake(sender, queue_url)
        woke = answered_at(receiver, "longpoll: the waiting ReceiveMessage did not answer within 15 s of the SendMessage")
        answer(sender, "longpoll: SendMessage")
        _, data = answer(receiver, "longpoll: ReceiveMessage")
        messages = json.loads(data or b"{}").get("Messages", [])
        receiver.close()
        if not messages:
            raise SystemExit("longpoll: the waiting ReceiveMessage returned no message")
        sqs(sender, "DeleteMessage", {"QueueUrl": queue_url, "ReceiptHandle": messages[0]["ReceiptHandle"]})
        print(f"{(woke - sent) * 1000:.3f}", flush=True)


def idle(port, queue_url, count):
    # The same send as longpoll's, to a server left idle as long, timed the same way (select on the socket).
    conn = connect(port)
    for _ in range(int(count)):
        time.sleep(0.3)
        sent = time.perf_counter()
        send_wake(conn, queue_url)
        answered = answered_at(conn, "idle: the SendMessage did not answer within 15 s")
        answer(conn, "idle: SendMessage")
        print(f"{(answered - sent) * 1000:.3f}", flush=True)


def quiet(port, queue_url, gap, count):
    # SendMessages after `gap` seconds of silence each, head and body in one write, so the server reads each request in
    # one receive; bench/peers/cold.sh times them on the server's side. Prints nothing but an error.
    conn = connect(port)
    conn.connect()
    body = json.dumps({"QueueUrl": queue_url, "MessageBody": "wake"}).encode()
    head = "".join(f"{name}: {value}\r\n" for name, value in sqs_headers("SendMessage").items())
    request = f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{head}Content-Length: {len(body)}\r\n\r\n".encode() + body
    for _ in range(int(count)):
        time.sleep(float(gap))
        conn.sock.sendall(request)
        response = http.client.HTTPResponse(conn.sock)
        response.begin()
        data = response.read()
        if response.status >= 300:
            raise SystemExit(f"quiet: SendMessage: HTTP {response.status}: {data[:300]!r}")


def putlatency(port, count):
    # wrk's latency percentiles carry a tail of wrk's own (a per-request client in Python measured p99 91 us where wrk,
    # on the same server a second later, reported 1.2-2.9 ms: bench/results/request-cost.md section 26), so the tail is
    # measured here too: distinct 4 KiB PutObjects on one connection, each timed from its write to its whole answer.
    # Prints p50, p90, p99, p99.9 and max in microseconds, one line.
    sock = socket.create_connection(("127.0.0.1", int(port)), timeout=60)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    tag, pad, pending, times = time.time_ns(), b"x" * (4096 - 32), b"", []
    for n in range(int(count)):
        key = f"{tag}-{n}"
        body = key.rjust(32).encode()[:32] + pad
        request = (f"PUT /bench/lat-{key} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/octet-stream\r\n"
                   f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        started = time.perf_counter()
        sock.sendall(request)
        while b"\r\n\r\n" not in pending:
            data = sock.recv(65536)
            if not data:
                raise SystemExit("putlatency: the server closed the connection")
            pending += data
        head, _, pending = pending.partition(b"\r\n\r\n")
        times.append((time.perf_counter() - started) * 1e6)
        if not head.startswith(b"HTTP/1.1 200"):
            raise SystemExit(f"putlatency: PUT answered {head[:60]!r}")
        length = re.search(rb"(?i)content-length:\s*(\d+)", head)
        while length and len(pending) < int(length.group(1)):
            pending += sock.recv(65536)
        pending = pending[int(length.group(1)):] if length else pending
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(len(times) * q / 100))]
    print(f"{pick(50):.0f} {pick(90):.0f} {pick(99):.0f} {pick(99.9):.0f} {times[-1]:.0f}", flush=True)


def deleteall(port, bucket):
    conn = connect(port)
    deleted = 0
    while True:
        _, data = call(conn, "GET", f"/{bucket}?list-type=2&max-keys=1000")
        keys = [k.decode() for k in re.findall(rb"<Key>([^<]*)</Key>", data)]
        if not keys:
            break
        xml = "<Delete><Quiet>true</Quiet>" + "".join(f"<Object><Key>{k}</Key></Object>" for k in keys) + "</Delete>"
        body = xml.encode()
        md5 = __import__("base64").b64encode(hashlib.md5(body).digest()).decode()
        call(conn, "POST", f"/{bucket}?delete", body, {"Content-Type": "application/xml", "Content-MD5": md5})
        deleted += len(keys)
    print(deleted)


if __name__ == "__main__":
    try:
        {"multipart": multipart, "longpoll": longpoll, "idle": idle, "quiet": quiet, "putlatency": putlatency, "deleteall": deleteall}[sys.argv[1]](*sys.argv[2:])
    except (OSError, http.client.HTTPException, SystemExit) as failure:
        # One line run.sh counts as an error of this target, instead of a measurement.
        print(f"error {str(failure)[:200]!r}".replace("\n", " "), flush=True)
