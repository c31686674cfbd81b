"""Summarises bench/peers/run.sh's rows into bench/results/peers.md: per target, operation and connection count the
medians (req/s, p99, CPU per request), the worst latency, errors and RSS; the median of the per-round ratios of each
kumo target to the best peer of that round (a run with errors does not count); multipart, long-poll wake-up and
memory figures; what share of its bare framework's rate (the bare-* ceiling targets) each target reaches."""
import csv
import os
import statistics
import sys
from collections import defaultdict
from datetime import datetime, timezone

results, duration, load_before, load_after, elapsed = sys.argv[1:6]
name = sys.argv[6] if len(sys.argv) > 6 else "peers"  # the result files: <name>.md and <name>-*.tsv
seconds = float(duration.rstrip("s"))


def read(file):
    return list(csv.DictReader(open(f"{results}/{file}"), delimiter="\t"))


runs, samples, rss, memory = (read(f"{name}-{kind}.tsv") for kind in ("runs", "samples", "rss", "memory"))
# A run of the probes alone (KUMO_PEERS_PHASES=multipart) has samples and no wrk runs: its targets are in the samples.
targets = list(dict.fromkeys([r["target"] for r in runs] + [s["target"] for s in samples]))
ours = [t for t in targets if t.startswith("kumo-")]
ceilings = [t for t in targets if t.startswith("bare-")]
peers = [t for t in targets if t not in ours and t not in ceilings]
# What runs on which bare framework: the share of the ceiling's rate each target reaches, in the same round.
# (kumo-steady-mem is in runs recorded before the engine shipped dynamic PGO: peers-sqs-steady-1conn.)
FRAMEWORK = {"kumo-mem": "bare-kestrel", "kumo-data": "bare-kestrel", "kumo-pgo-off-mem": "bare-kestrel", "kumo-steady-mem": "bare-kestrel",
             "kumo-aot-mem": "bare-kestrel-aot", "kumo-aot-data": "bare-kestrel-aot", "fauxqs": "bare-node", "s3rver": "bare-node"}


def med(values):
    values = [v for v in values if v == v]
    return statistics.median(values) if values else float("nan")


def rate(r):
    """Requests per second, or for receive+delete the messages received per second (an empty queue is no work)."""
    return float(r["received"]) / seconds if r["op"] == "sqs-receive+delete" and r["received"] else float(r["rps"])


by = defaultdict(list)
for r in runs:
    by[(r["target"], r["op"], r["connections"])].append(r)
ops = list(dict.fromkeys((r["op"], r["connections"]) for r in runs))

lines = ["# The embedded engine beside peer emulators", "",
         f"Recorded {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by `bench/peers/run.sh` in {int(elapsed) // 60} min {int(elapsed) % 60} s: "
         f"wrk on loopback, {duration} per run, each target warmed up with 2 s of PUT and GET after its start and with 1 s of each operation right before its runs (the probes: 5 unrecorded long-poll wake-ups, one 16 MiB multipart upload), {len({r['round'] for r in runs + samples})} rounds. A round starts every target, "
         "then runs each operation on one target after another (the order reversed from one operation to the next and from one round to the next), so the runs "
         f"compared in a round are seconds apart. Load average before: {load_before}; after: {load_after} (a shared 2-core machine: only the "
         "ratios measured side by side count).", "",
         "## Throughput", "",
         "req/s for receive+delete is messages received per second (each costs a ReceiveMessage and a DeleteMessage). "
         "CPU is the server's user+system time per request, counted until the server is idle again after the run (at most 4 s later), so work a run leaves behind (a checkpoint, JIT tiering) is charged to it.", "",
         "| operation | conns | target | median req/s | median p99 ms | max ms | errors | CPU µs/req | max RSS MiB |",
         "|---|---:|---|---:|---:|---:|---:|---:|---:|"]
for op, conns in ops:
    for target in ours + peers + ceilings:
        group = by.get((target, op, conns))
        if not group:
            continue
        lines.append(f"| {op} | {conns} | {target} | {med([rate(r) for r in group]):,.0f} | {med([float(r['p99_ms']) for r in group]):.2f} | "
                     f"{max(float(r['max_ms']) for r in group):.1f} | {sum(int(r['errors']) for r in group)} | "
                     f"{med([float(r['cpu_us_per_req']) for r in group]):.0f} | {max(float(r['rss_mib']) for r in group):.0f} |")

lines += ["", "## Ratios to the best peer", "",
          "Median over rounds of ours ÷ the best peer's rate in the same round (higher is better; a run with errors does not count).", "",
          "| operation | conns | best peer (median req/s) | " + " | ".join(ours) + " |", "|---|---:|---|" + "---:|" * len(ours)]
for op, conns in ops:
    peer_runs = {p: {r["round"]: r for r in by.get((p, op, conns), [])} for p in peers}
    peer_runs = {p: v for p, v in peer_runs.items() if v}
    if not peer_runs:
        continue
    best = max(peer_runs, key=lambda p: med([rate(r) for r in peer_runs[p].values()]))
    cells = []
    for target in ours:
        ratios = []
        for r in by.get((target, op, conns), []):
            clean = [v[r["round"]] for v in peer_runs.values() if r["round"] in v and int(v[r["round"]]["errors"]) == 0]
            if int(r["errors"]) == 0 and clean:
                ratios.append(rate(r) / max(rate(b) for b in clean))
        cells.append(f"{med(ratios):.2f}×" if ratios else "n/a")
    lines.append(f"| {op} | {conns} | {best} ({med([rate(r) for r in peer_runs[best].values()]):,.0f}) | " + " | ".join(cells) + " |")



def round_ratios(numerator, denominator, op, conns):
    """The median over rounds of numerator's rate ÷ denominator's in the same round (runs with errors do not count)."""
    den = {r["round"]: r for r in by.get((denominator, op, conns), []) if int(r["errors"]) == 0}
    ratios = [rate(r) / rate(den[r["round"]]) for r in by.get((numerator, op, conns), [])
              if int(r["errors"]) == 0 and r["round"] in den and rate(den[r["round"]]) > 0]
    return f"{med(ratios):.2f}" if ratios else "n/a"


if ceilings:
    shares = [(t, FRAMEWORK[t]) for t in ours + peers if FRAMEWORK.get(t) in ceilings]
    versus = [(c, "fauxqs") for c in ceilings if c != "bare-node" and "fauxqs" in peers]
    ceiling_ops = [(op, conns) for op, conns in ops if any((c, op, conns) in by for c in ceilings)]
    lines += ["", "## The HTTP ceiling", "",
              "bare-kestrel (bench/MinimalKestrel: JIT; bare-kestrel-aot: Native AOT), bare-node (node's http module, "
              "bench/peers/bare-node.mjs) and bare-c (bench/peers/bare-c.c: one epoll loop in C, no framework: what a plain "
              "server costs at the least) answer the same requests with no emulator behind them: a PUT reads its body and answers "
              "its MD5 as the ETag (the one digest every S3 PutObject must compute; nothing is stored), a GET answers 4 KiB from memory, a DELETE answers 204, an SQS request a fixed JSON document (a ReceiveMessage: one message with its receipt handle; a DeleteMessage: {}). \"share\" is the median over "
              "rounds of the target's rate ÷ its bare framework's in the same round; the last columns say how far the bare "
              "framework itself is ahead of fauxqs, i.e. whether 2× fauxqs is reachable on this framework at all (bare-c: by a plain server, one thread and epoll, on this machine)."
              + (" bare-kestrel-store is bare Kestrel whose SendMessage does the least a correct one can (parse, check, MD5, id, keep "
                 "the message, answer: bench/MinimalKestrel/StoredSend.cs): its SendMessage ÷ fauxqs is what an SQS server on Kestrel "
                 "can reach at best here." if "bare-kestrel-store" in ceilings else "")
              + (" bare-socket and bare-socket-store are the same program without Kestrel (bench/MinimalKestrel/BareSocket.cs: a thread "
                 "per connection, blocking recv and send, the request's head parsed by hand): the fixed answers and the same SendMessage "
                 "floor, for what .NET itself allows with no HTTP framework." if "bare-socket" in ceilings else ""), "",
              "| operation | conns | " + " | ".join(f"{c} (median req/s)" for c in ceilings) + " | "
              + " | ".join(f"{t} share of {c}" for t, c in shares) + " | " + " | ".join(f"{c} ÷ {p}" for c, p in versus) + " |",
              "|---|---:|" + "---:|" * (len(ceilings) + len(shares) + len(versus))]
    for op, conns in ceiling_ops:
        cells = [f"{med([rate(r) for r in by.get((c, op, conns), [])]):,.0f}" for c in ceilings]
        cells += [round_ratios(t, c, op, conns) for t, c in shares]
        cells += [round_ratios(c, p, op, conns) + "×" for c, p in versus]
        lines.append(f"| {op} | {conns} | " + " | ".join(cells) + " |")

metrics = defaultdict(list)
for s in samples:
    metrics[(s["target"], s["metric"])].append(s)
probed = [m for m in ["multipart_64MiB_s", "longpoll_wake_ms", "idle_send_ms"] if any(k[1].startswith(m) for k in metrics)]
if probed:  # a focused run (KUMO_PEERS_PHASES) may have neither probe
    lines += ["", "## Multipart upload and long-poll wake-up", "",
          "Multipart: seconds to upload a 64 MiB object in eight 8 MiB parts and complete it (2 per round; fauxqs refuses 16 MiB parts). Long-poll: ms from a "
          "SendMessage to the return of a ReceiveMessage already waiting on the queue (5 per round). "
          + ("Idle send: ms from a SendMessage to its own answer, sent after 0.3 s of silence as the long-poll's is (5 per round; the "
             "bare-* ceilings answer it too): a wake-up starts with that same send reaching that same idle server, so a framework's "
             "idle send is the floor of a wake-up on it. " if "idle_send_ms" in probed else "")
          + "Lower is better; the ratio is the median over rounds of the best peer's median ÷ ours (higher is better).", "",
          "| metric | target | median | max | errors | ratio to the best peer |", "|---|---|---:|---:|---:|---:|"]


def by_round(target, metric):
    """A target's values of a probe metric, per round."""
    rounds = defaultdict(list)
    for s in metrics.get((target, metric), []):
        rounds[s["round"]].append(float(s["value"]))
    return rounds


def ratio_to_best_peer(metric, mine):
    """Median over rounds of the best peer's median of `metric` ÷ the median of `mine` (values per round; lower is
    better); None when no round has both."""
    peer_rounds = [by_round(p, metric) for p in peers]
    ratios = []
    for rnd, values in mine.items():
        best = [med(v[rnd]) for v in peer_rounds if rnd in v]
        if best:
            ratios.append(min(best) / med(values))
    return med(ratios) if ratios else None


for metric in probed:
    for target in ours + peers + ceilings:
        values = metrics.get((target, metric), [])
        errors = len(metrics.get((target, metric + "_error"), []))
        if not values and not errors:
            continue
        ratio = ""
        if target in ours:
            best = ratio_to_best_peer(metric, by_round(target, metric))
            ratio = f"{best:.2f}×" if best is not None else "n/a"
        numbers = [float(s["value"]) for s in values]
        lines.append(f"| {metric} | {target} | {med(numbers):.3f} | {max(numbers, default=float('nan')):.3f} | {errors} | {ratio} |")

# The floor of a wake-up per framework: the best peer's wake-up ÷ the bare framework's idle send, per round.
floors = []
for ceiling in ceilings:
    floor = ratio_to_best_peer("longpoll_wake_ms", by_round(ceiling, "idle_send_ms"))
    if floor is not None:
        floors.append(f"{ceiling} {floor:.2f}×")
if floors:
    lines += ["", "The most a wake-up on each framework can reach against the best peer's (the best peer's wake-up ÷ the bare "
              "framework's idle send, median over rounds): " + ", ".join(floors) + "."]

lines += ["", "## RSS", "", "Idle: right after start. End: after the round's runs. Max: of the once-a-second samples over all rounds.", "",
          "| target | median idle RSS MiB | median end RSS MiB | max RSS MiB |", "|---|---:|---:|---:|"]
for target in ours + peers + ceilings:
    idle = [float(s["value"]) for s in metrics.get((target, "idle_rss_mib"), [])]
    end = [float(s["value"]) for s in metrics.get((target, "end_rss_mib"), [])]
    sampled = [float(r["rss_mib"]) for r in rss if r["target"] == target and r["rss_mib"] != "NaN"]
    lines.append(f"| {target} | {med(idle):.0f} | {med(end):.0f} | {max(sampled) if sampled else float('nan'):.0f} |")

if memory:
    lines += ["", "## Memory after many objects", "",
              "100,000 distinct 4 KiB PutObjects at 8 connections, then a delete of everything (ListObjectsV2 + DeleteObjects), RSS 5 s "
              "later. PSS shares the runtime's mapped files among the processes using them; Anon is the process's private memory. "
              "tmpfs: object bodies in the memory-only engine's private folder on /dev/shm (RAM outside the process).", "",
              "| target | phase | RSS MiB | PSS MiB | Anon MiB | objects deleted | tmpfs MiB |", "|---|---|---:|---:|---:|---:|---:|"]
    for m in memory:
        lines.append(f"| {m['target']} | {m['phase']} | {m['rss_mib']} | {m['pss_mib']} | {m['anon_mib']} | {m['objects']} | {m['tmpfs_mib']} |")

lines += ["", f"Raw rows: `bench/results/{name}-*.tsv`. The peers: s3rver 3.7.1 (S3 only, files on disk), fauxqs 1.9.2 (S3 and SQS in "
          "memory; its 2.x needs Node.js 22). PUT bodies are distinct (the key leads the body), so no target can skip storing one. "
          "The bare-* targets are no emulators: they store nothing and answer fixed documents (the HTTP ceiling above)"
          + ("; bare-kestrel-store and bare-socket-store keep the messages they are sent." if "bare-kestrel-store" in ceilings else ".")]
with open(f"{results}/.{name}.md.tmp", "w") as out:  # replaced in one step: a failed summary keeps the last one
    out.write("\n".join(lines) + "\n")
os.replace(f"{results}/.{name}.md.tmp", f"{results}/{name}.md")
