#!/usr/bin/env bash
# Workbench responsiveness: time from a key press to the finished redraw, and
# time to the first screen, measured inside the real terminal program.
#
# The workbench runs in tmux with DECANT_TIMING=FILE, which makes it log one
# line per frame: `first <ms>` (process start to first screen) and
# `key <key> <ms>` (key received to refresh() done). This script sends keys,
# then prints median, 95th percentile and maximum per kind of action.
#
# Usage: bench/tui_latency.sh [--no-build] [--big FILE]
#   --big FILE   also time the first screen on FILE (default: the 1 GB
#                benchmark file in bench/data/ when it exists)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=1
BIG=$(ls bench/data/events-10000000-*.csv 2>/dev/null | head -1 || true)
while (($#)); do
  case $1 in
    --no-build) BUILD=0; shift ;;
    --big) BIG=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v tmux >/dev/null || { echo "tmux is needed (apt-get install -y tmux)" >&2; exit 1; }
((BUILD)) && swift build -c release >&2
BIN=$ROOT/.build/release/decant
WORK=$(mktemp -d)
trap 'tmux kill-session -t decant-latency 2>/dev/null || true; rm -rf "$WORK"' EXIT

# A 10,000-row, 50-column sample: numbers, text with nulls, timestamps.
python3 - "$WORK/wide.csv" <<'PY'
import random, sys
random.seed(7)
cols = [f"c{i}" for i in range(50)]
with open(sys.argv[1], "w") as f:
    f.write(",".join(cols) + "\n")
    for r in range(10000):
        row = []
        for i in range(50):
            k = i % 5
            if random.random() < 0.08: row.append("")
            elif k == 0: row.append(str(random.randint(0, 500)))
            elif k == 1: row.append(f"{random.uniform(-1000, 1000):.2f}")
            elif k == 2: row.append(random.choice(["alpha", "beta", "gamma", "delta", "Zoë", "東京"]))
            elif k == 3: row.append(f"2024-{random.randint(1,12):02d}-{random.randint(1,28):02d} {random.randint(0,23):02d}:{random.randint(0,59):02d}:00")
            else: row.append(f"id-{random.randint(0, 3000)}")
        f.write(",".join(row) + "\n")
PY

run_session() { # file sample-spec timing-file
  tmux kill-session -t decant-latency 2>/dev/null || true
  tmux new-session -d -s decant-latency -x 200 -y 50 \
    "DECANT_TIMING=$3 TERM=xterm-256color $BIN open $1 --sample $2; sleep 1"
  for _ in $(seq 100); do [ -s "$3" ] && break; sleep 0.05; done
}
keys() { for k in "$@"; do tmux send-keys -t decant-latency "$k"; sleep 0.03; done; }

LOG=$WORK/timing.log
run_session "$WORK/wide.csv" first:10000 "$LOG"
for _ in $(seq 40); do keys j; done
for _ in $(seq 10); do keys NPage; done
for _ in $(seq 30); do keys l; done
keys G g End Home
# Applying steps: preview (first Enter) and apply (second Enter).
keys ":" "fill_null c2 none" Enter; sleep 0.3; keys Enter; sleep 0.3
keys ":" "dedupe c4" Enter; sleep 0.3; keys Enter; sleep 0.3
keys ":" "normalize_timezone c3 Europe/Berlin UTC" Enter; sleep 0.5; keys Enter; sleep 0.5
for _ in $(seq 20); do keys j; done
keys u; sleep 0.3; keys Tab; sleep 0.2; keys k; sleep 0.2; keys j; sleep 0.2; keys Escape
sleep 0.5
keys ":" "q!" Enter
sleep 0.5

# A sample of 1,000,000 rows x 20 columns: every redraw must stay under a frame (16 ms).
python3 - "$WORK/million.csv" <<'PY'
import random, sys
random.seed(11)
words = ["alpha", "beta", "gamma", "delta", "Zoë", "東京", "", "n/a"]
with open(sys.argv[1], "w") as f:
    f.write(",".join(f"m{i}" for i in range(20)) + "\n")
    for r in range(1_000_000):
        f.write(f"{r},{r % 977},{(r * 7919) % 100000 / 100:.2f},{words[r % 8]},2024-01-{r % 28 + 1:02d} 10:00:00,"
                + ",".join(str((r * (i + 3)) % 1000) for i in range(15)) + "\n")
PY
MLOG=$WORK/million.log
tmux kill-session -t decant-latency 2>/dev/null || true
tmux new-session -d -s decant-latency -x 200 -y 50 \
  "DECANT_TIMING=$MLOG TERM=xterm-256color $BIN open $WORK/million.csv --sample first:1000000; sleep 1"
for _ in $(seq 600); do [ -s "$MLOG" ] && break; sleep 0.1; done
for _ in $(seq 30); do keys j; done
for _ in $(seq 10); do keys NPage; done
for _ in $(seq 15); do keys l; done
keys G g End Home
keys ":" "q!" Enter
sleep 0.5

if [ -n "${BIG:-}" ] && [ -f "$BIG" ]; then
  BIGLOG=$WORK/big.log
  for i in 1 2 3; do
    run_session "$BIG" first:1000 "$BIGLOG"
    keys ":" "q!" Enter
    sleep 0.3
  done
fi

python3 - "$LOG" "${BIGLOG:-}" "${BIG:-}" "$MLOG" <<'PY'
import statistics, sys, collections
def stats(v):
    v = sorted(v)
    p95 = v[min(len(v) - 1, int(round(0.95 * (len(v) - 1))))]
    return f"n={len(v):3d}  median {statistics.median(v):7.2f} ms  p95 {p95:7.2f} ms  max {max(v):7.2f} ms"
groups = collections.defaultdict(list)
first = []
for line in open(sys.argv[1]):
    parts = line.split()
    if parts[0] == "first": first.append(float(parts[1]))
    elif parts[0] == "key":
        key, ms = parts[1], float(parts[-1])
        kind = {"j": "scroll row", "l": "scroll column", "PgDn": "scroll page", "G": "jump", "g": "jump",
                "End": "jump", "Home": "jump", "u": "undo", "Tab": "step list", "k": "step list"}.get(key)
        if key == "Enter": kind = "preview/apply step"
        if kind: groups[kind].append(ms)
print("10,000 rows x 50 columns (first:10000), key press to finished redraw:")
for kind in ["scroll row", "scroll column", "scroll page", "jump", "preview/apply step", "undo", "step list"]:
    if groups[kind]: print(f"  {kind:20s} {stats(groups[kind])}")
print(f"  first screen          {stats(first)}")
if len(sys.argv) > 2 and sys.argv[2]:
    big = [float(l.split()[1]) for l in open(sys.argv[2]) if l.startswith("first")]
    if big: print(f"first screen of {sys.argv[3]} (first:1000): {stats(big)}")
million = [float(l.split()[-1]) for l in open(sys.argv[4]) if l.startswith("key")]
first_m = [float(l.split()[1]) for l in open(sys.argv[4]) if l.startswith("first")]
print("1,000,000 rows x 20 columns (first:1000000), key press to finished redraw:")
print(f"  every key            {stats(million)}   (goal: every redraw under 16 ms)")
print(f"  first screen          {stats(first_m)}")
slow = [l.split()[1] + " " + l.split()[-1] for l in open(sys.argv[4]) if l.startswith("key") and float(l.split()[-1]) > 16]
if slow: print("  over 16 ms: " + ", ".join(slow))
PY
