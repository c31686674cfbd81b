#!/usr/bin/env bash
# Issue 11 (one home per concept) before and after, side by side in one session.
#
# Builds two revisions in separate temporary trees (a `git archive` of each, so the repository's own work tree,
# branches and worktree list are left alone), then runs the same benchmarks INTERLEAVED: for each round, each
# benchmark runs on BEFORE then on AFTER, so drift on the machine hits both alike. Each run writes its own report;
# the medians of every run are collected, and the result file quotes, per measurement, the median over the rounds of
# each side, their ratio (after / before), and every round's own ratio.
#
# Usage: bench/structure-before-after.sh [options]
#   --before REV        the revision before issue 11 (default 78337fe, the parent of ef58eb8 "Kumo.Contract", the issue's first commit)
#   --after REV         the revision after (default HEAD)
#   --rounds N          interleaved rounds (default 5)
#   --benchmarks "..."  which of seeding, restore, throughput (default all three; each must exist in both revisions)
#   --iterations N      iterations of each benchmark per run (default: seeding 3, restore 3, throughput 5)
#   --reseeds N         restore's reseed-through-the-API measurements per run (default 1; each takes 10-20 s)
#   --no-aot            do not publish the AOT engine (seeding then has no AOT row; saves minutes of build)
#   --out FILE          the result (default bench/results/structure-before-after.md)
#   --keep              keep the temporary trees and raw reports (their folder is printed)
# Run it on a quiet machine: about 10 minutes of builds, then (defaults) roughly 5-8 minutes per round.
# A trial of the script itself: bench/structure-before-after.sh --rounds 1 --benchmarks throughput --iterations 1 --no-aot --out /tmp/trial.md
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

before_rev=78337fe
after_rev=HEAD
rounds=5
benchmarks="seeding restore throughput"
iterations=
reseeds=1
aot=true
out="$repo/bench/results/structure-before-after.md"
keep=false
while [ $# -gt 0 ]; do
  case "$1" in
    --before) before_rev=$2; shift 2 ;;
    --after) after_rev=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --benchmarks) benchmarks=$2; shift 2 ;;
    --iterations) iterations=$2; shift 2 ;;
    --reseeds) reseeds=$2; shift 2 ;;
    --no-aot) aot=false; shift ;;
    --out) out=$(realpath -m "$2"); shift 2 ;;
    --keep) keep=true; shift ;;
    *) echo "structure-before-after.sh: unknown option '$1' (see the usage at the top of the script)" >&2; exit 2 ;;
  esac
done
for b in $benchmarks; do
  case "$b" in seeding|restore|throughput) ;; *) echo "structure-before-after.sh: unknown benchmark '$b' (seeding, restore, throughput)" >&2; exit 2 ;; esac
done
case "$rounds" in ''|*[!0-9]*|0) echo "structure-before-after.sh: --rounds needs a whole number above 0, got '$rounds'" >&2; exit 2 ;; esac

before=$(git rev-parse --short "$before_rev^{commit}")
after=$(git rev-parse --short "$after_rev^{commit}")
work=$(mktemp -d "${TMPDIR:-/tmp}/kumo-structure-XXXXXX")
cleanup() { if [ "$keep" = true ]; then echo "kept: $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT
mkdir -p "$work/raw" "$work/scratch"

# One tree per revision: sources from git, engine published and benchmarks built as bench/run.sh does.
prepare() {
  local side=$1 rev=$2 tree="$work/$1"
  mkdir -p "$tree"
  git archive "$rev" | tar -x -C "$tree"
  echo "[$(date -u +%H:%M:%S)] $side = $rev: publishing the engine and building the benchmarks in $tree" >&2
  (
    cd "$tree"
    dotnet publish src/Kumo.Embedded -c Release -o "$tree/artifacts/bench/engine-jit" -p:PublishAot=false -p:TreatWarningsAsErrors=true >"$work/$side-build.log" 2>&1
    if [ "$aot" = true ]; then
      dotnet publish src/Kumo.Embedded -c Release -o "$tree/artifacts/bench/engine-aot" -r linux-x64 -p:PublishAot=true -p:TreatWarningsAsErrors=true >>"$work/$side-build.log" 2>&1
    fi
    dotnet build bench/Kumo.Benchmarks -c Release >>"$work/$side-build.log" 2>&1
  ) || { echo "structure-before-after.sh: building $side ($rev) failed; the log follows" >&2; tail -n 40 "$work/$side-build.log" >&2; exit 1; }
}
prepare before "$before"
prepare after "$after"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M')

iterations_of() {
  if [ -n "$iterations" ]; then echo "$iterations"; else case "$1" in seeding) echo 3 ;; restore) echo 3 ;; throughput) echo 5 ;; esac; fi
}

for round in $(seq 1 "$rounds"); do
  for b in $benchmarks; do
    for side in before after; do
      extra=()
      if [ "$b" = restore ]; then extra=(--reseeds "$reseeds"); fi
      echo "[$(date -u +%H:%M:%S)] round $round/$rounds: $b on $side" >&2
      (cd "$work/$side" && dotnet bench/Kumo.Benchmarks/bin/Release/net10.0/Kumo.Benchmarks.dll "$b" \
        --artifacts "$work/$side/artifacts/bench" --iterations "$(iterations_of "$b")" --scratch "$work/scratch" \
        --out "$work/raw/$b-$side-$round.md" "${extra[@]}" >"$work/raw/$b-$side-$round.log" 2>&1) \
        || { echo "structure-before-after.sh: $b on $side failed in round $round; its output follows" >&2; tail -n 40 "$work/raw/$b-$side-$round.log" >&2; exit 1; }
    done
  done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# Every report table row is "| measurement | unit | n | median | ..."; collect the medians, then aggregate.
python3 - "$work/raw" "$out" "$before" "$after" "$rounds" "$started" "$load_start" "$load_end" "$benchmarks" "$aot" "$reseeds" "${iterations:-default}" <<'PY'
import os, re, statistics, sys
raw, out, before, after, rounds, started, load_start, load_end, benchmarks, aot, reseeds, iterations = sys.argv[1:]
rounds = int(rounds)
samples = {}  # (benchmark, measurement, unit) -> {side: {round: median}}
for name in sorted(os.listdir(raw)):
    m = re.fullmatch(r"(\w+)-(before|after)-(\d+)\.md", name)
    if not m:
        continue
    bench, side, rnd = m.group(1), m.group(2), int(m.group(3))
    in_table = False  # only tables whose header starts "measurement | unit | n | median"
    for line in open(os.path.join(raw, name), encoding="utf-8"):
        line = line.strip()
        if not line.startswith("|"):
            in_table = False
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[:4] == ["measurement", "unit", "n", "median"]:
            in_table = True
            continue
        if not in_table or cells[0].startswith("---") or len(cells) < 4:
            continue
        samples.setdefault((bench, cells[0], cells[1]), {}).setdefault(side, {})[rnd] = float(cells[3])

def fmt(x):
    return f"{x:.0f}" if abs(x) >= 100 else f"{x:.3g}"

lines = [
    "# Issue 11 (one home per concept): before and after, interleaved",
    "",
    f"`bench/structure-before-after.sh`, started {started} UTC: **before** = `{before}` (the parent of the issue's first",
    f"commit), **after** = `{after}`, each built from `git archive` in its own temporary tree. {rounds} round(s); in each,",
    f"every benchmark ({', '.join(benchmarks.split())}) ran on before, then on after. Iterations per run: {iterations}",
    f"(defaults: seeding 3, restore 3, throughput 5), restore reseeds: {reseeds}, AOT engine: {'yes' if aot == 'true' else 'no'}.",
    f"Load average (1/5/15 min) at the start of the runs: {load_start}; at the end: {load_end}.",
    "",
    "Each cell is the median, over the rounds, of one run's median. The ratio is after / before: below 1 is faster for",
    "a time (`ms`), slower for a rate (`ops/s`, `MB/s`). The last column is each round's own ratio, in round order.",
    "",
]
for bench in benchmarks.split():
    rows = [(k, v) for k, v in samples.items() if k[0] == bench]
    lines += [f"## {bench}", "", "| measurement | unit | before | after | after / before | per round |", "|---|---|---:|---:|---:|---|"]
    unpaired = []
    for (b, measurement, unit), sides in rows:
        if "before" not in sides or "after" not in sides:
            unpaired.append(f"{measurement} (only {'before' if 'before' in sides else 'after'})")
            continue
        bm = statistics.median(sides["before"].values())
        am = statistics.median(sides["after"].values())
        per_round = [f"{sides['after'][r] / sides['before'][r]:.2f}" for r in range(1, rounds + 1)
                     if r in sides["before"] and r in sides["after"] and sides["before"][r] != 0]
        ratio = f"{am / bm:.2f}" if bm != 0 else "n/a"
        lines.append(f"| {measurement} | {unit} | {fmt(bm)} | {fmt(am)} | {ratio} | {' '.join(per_round)} |")
    if unpaired:
        lines += ["", "Measured on one side only (renamed or new): " + "; ".join(unpaired) + "."]
    lines.append("")
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
with open(out + ".tmp", "w", encoding="utf-8") as f:
    f.write("\n".join(lines))
os.replace(out + ".tmp", out)
print(f"wrote {out}")
PY
