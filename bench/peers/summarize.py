"""Summarises bench/peers/run.sh's rows: medians per target, operation and connection count; the median of the
per-round ratios of each kumo target to the best peer of that round; errors; p99; RSS. Writes Markdown."""
import csv
import statistics
import sys
from collections import defaultdict
from datetime import datetime, timezone

rows_file, out_file, duration, load_before, load_after = sys.argv[1:6]
rows = list(csv.DictReader(open(rows_file), delimiter="\t"))
ours = ["kumo-mem", "kumo-data"]
peers = sorted({r["target"] for r in rows} - set(ours))
by = defaultdict(list)
for r in rows:
    by[(r["target"], r["op"], r["connections"])].append(r)

def med(values):
    values = [v for v in values if v == v]
    return statistics.median(values) if values else float("nan")

lines = ["# The embedded engine beside peer emulators", "",
         f"Recorded {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by `bench/peers/run.sh`: wrk on loopback, {duration} per run, "
         f"{len({r['round'] for r in rows})} rounds, the targets alternated within each round. Load average before: {load_before}; after: {load_after}.",
         "", "| operation | conns | target | median req/s | median p99 ms | errors | max RSS MiB |", "|---|---:|---|---:|---:|---:|---:|"]
ops = sorted({(r["op"], r["connections"]) for r in rows}, key=lambda k: (k[0], int(k[1])))
for op, conns in ops:
    for target in ours + peers:
        runs = by.get((target, op, conns))
        if not runs:
            continue
        lines.append(f"| {op} | {conns} | {target} | {med([float(r['rps']) for r in runs]):,.0f} | "
                     f"{med([float(r['p99_ms']) for r in runs]):.2f} | {sum(int(r['errors']) for r in runs)} | "
                     f"{max(float(r['rss_mib']) for r in runs):.0f} |")
lines += ["", "Ratios to the best peer (median over rounds of ours ÷ the best peer's req/s in the same round; a round with errors does not count):", "",
          "| operation | conns | best peer (median) | kumo-mem | kumo-data |", "|---|---:|---|---:|---:|"]
for op, conns in ops:
    peer_runs = {p: {r["round"]: r for r in by.get((p, op, conns), [])} for p in peers}
    peer_runs = {p: v for p, v in peer_runs.items() if v}
    if not peer_runs:
        continue
    best = max(peer_runs, key=lambda p: med([float(r["rps"]) for r in peer_runs[p].values()]))
    cells = []
    for target in ours:
        ratios = []
        for r in by.get((target, op, conns), []):
            rounds_best = [v[r["round"]] for v in peer_runs.values() if r["round"] in v and int(v[r["round"]]["errors"]) == 0]
            if int(r["errors"]) == 0 and rounds_best:
                ratios.append(float(r["rps"]) / max(float(b["rps"]) for b in rounds_best))
        cells.append(f"{med(ratios):.2f}×" if ratios else "n/a")
    lines.append(f"| {op} | {conns} | {best} | {cells[0]} | {cells[1]} |")
lines += ["", "Raw rows: `bench/results/peers.tsv`. The peers: s3rver 3.7.1 (S3 only, files on disk), fauxqs 1.9.2 (S3 and SQS in memory; "
          "its 2.x needs Node.js 22). RSS is read from /proc after each run. Only ratios measured side by side are comparable; absolute "
          "figures depend on the load of this 2-core machine."]
open(out_file, "w").write("\n".join(lines) + "\n")
