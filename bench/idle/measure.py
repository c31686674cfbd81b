"""Idle memory and start time of engine variants, side by side: each variant is started N times (the variants
alternated start by start), timed from spawn to its first 200 on GET /health, left idle 1 s, and its /proc smaps
split into what makes up the resident set. Prints a markdown table of medians, and one TSV row per start to --tsv.

Usage: python3 measure.py --starts 5 --tsv rows.tsv 'name|ENV=1 ENV2=x|command args...' ...
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("--starts", type=int, default=5)
parser.add_argument("--settle", type=float, default=1.0)
parser.add_argument("--tsv")
parser.add_argument("variants", nargs="+")
args = parser.parse_args()

CATEGORIES = ["rss", "private_dirty", "framework_images", "app_images", "native_libs", "jit_code", "native_heap", "anon", "first_health_ms"]


def classify(name):
    """Which part of the resident set a mapping is: runtime images, the app's assemblies, native libraries,
    executable memory the JIT writes (the W^X double mapping), malloc's heap, or other anonymous memory
    (the GC heap, the runtime's loader heaps, thread stacks)."""
    if name.startswith("/memfd:doublemapper"):
        return "jit_code"
    if name == "[heap]":
        return "native_heap"
    if name.startswith("/") and "/shared/Microsoft." in name and name.endswith(".dll"):
        return "framework_images"
    if name.startswith("/") and name.endswith(".dll"):
        return "app_images"
    if name.startswith("/") and (".so" in name or name.endswith("/dotnet") or os.access(name, os.X_OK)):
        return "native_libs"
    return "anon"


def smaps(pid):
    parts = dict.fromkeys(CATEGORIES[:-1], 0)
    current = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
                fields = line.split(maxsplit=5)
                current = classify(fields[5].strip() if len(fields) > 5 else "")
            elif line.startswith("Rss:"):
                kib = int(line.split()[1])
                parts[current] += kib
                parts["rss"] += kib
            elif line.startswith("Private_Dirty:"):
                parts["private_dirty"] += int(line.split()[1])
    return {k: v / 1024 for k, v in parts.items()}


def parse(spec):
    name, env, command = spec.split("|", 2)
    extra = dict(kv.split("=", 1) for kv in env.split() if kv)
    return name, extra, command.split()


def start(extra, command):
    env = dict(os.environ, KUMO_PORT="0", KUMO_LOG_LEVEL="warn", **extra)
    began = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    endpoint = None
    for line in process.stdout:
        if line.startswith("KUMO_ENDPOINT="):
            endpoint = line.split("=", 1)[1].strip()
            break
    if endpoint is None:
        process.kill()
        raise SystemExit(f"{command}: no KUMO_ENDPOINT line (exit {process.wait()})")
    deadline = began + 30
    while True:
        try:
            with urllib.request.urlopen(endpoint + "/health", timeout=5) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if time.perf_counter() > deadline:
            process.kill()
            raise SystemExit(f"{command}: /health did not answer within 30 s")
        time.sleep(0.002)
    first = (time.perf_counter() - began) * 1000
    time.sleep(args.settle)
    parts = smaps(process.pid)
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    parts["first_health_ms"] = first
    return parts


variants = [parse(s) for s in args.variants]
rows = []
for n in range(args.starts):
    for name, extra, command in variants:
        parts = start(extra, command)
        rows.append((n + 1, name, parts))
        print(f"start {n + 1} {name}: " + ", ".join(f"{k} {v:.1f}" for k, v in parts.items()), file=sys.stderr)

if args.tsv:
    with open(args.tsv, "w") as f:
        f.write("start\tvariant\t" + "\t".join(CATEGORIES) + "\n")
        for n, name, parts in rows:
            f.write(f"{n}\t{name}\t" + "\t".join(f"{parts[c]:.1f}" for c in CATEGORIES) + "\n")

print("| variant | RSS MiB | private dirty MiB (never shared) | framework images | app assemblies | native libraries (AOT: the binary) | executable memory (JIT code, stubs; W^X map) | malloc heap | other anon (GC, loader heaps, stacks) | first /health ms |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for name, _, _ in variants:
    mine = [p for _, v, p in rows if v == name]
    cells = [f"{statistics.median(p[c] for p in mine):.1f}" for c in CATEGORIES]
    cells[-1] = f"{statistics.median(p['first_health_ms'] for p in mine):.0f}"
    print(f"| {name} | " + " | ".join(cells) + " |")
