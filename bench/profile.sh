#!/usr/bin/env bash
# Times `decant profile` against `decant run` of a one-rename recipe on the same
# file, --repeat times each (alternating), and prints the best wall times, peak
# RSS and the ratio profile / run.
#
# Usage: bench/profile.sh [--repeat K] [--no-build] FILE
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPEAT=3
BUILD=1
FILE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) REPEAT=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) FILE=$1; shift ;;
  esac
done
[ -n "$FILE" ] || { echo "usage: bench/profile.sh [--repeat K] [--no-build] FILE" >&2; exit 2; }
[ -f "$FILE" ] || { echo "bench/profile.sh: no file $FILE" >&2; exit 2; }
if [ "$BUILD" = 1 ]; then (cd "$ROOT" && swift build -c release >/dev/null); fi
DECANT="$ROOT/.build/release/decant"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

best() { sort -n | head -1; }
for _ in $(seq "$REPEAT"); do
  /usr/bin/time -f "%e %M" -a -o "$OUT/profile.times" "$DECANT" profile "$FILE" >/dev/null
  /usr/bin/time -f "%e %M" -a -o "$OUT/run.times" \
    "$DECANT" run "$ROOT/bench/rename-recipe.json" "$FILE" -o "$OUT/renamed.csv" -q
  rm -f "$OUT/renamed.csv"
done
P=$(awk '{print $1}' "$OUT/profile.times" | best)
R=$(awk '{print $1}' "$OUT/run.times" | best)
PM=$(awk '{print $2}' "$OUT/profile.times" | sort -n | tail -1)
RM=$(awk '{print $2}' "$OUT/run.times" | sort -n | tail -1)
printf 'file     %s\n' "$FILE"
printf 'profile  %6.2f s  %7d KB\n' "$P" "$PM"
printf 'run      %6.2f s  %7d KB  (one rename)\n' "$R" "$RM"
awk -v p="$P" -v r="$R" 'BEGIN { printf "ratio    %.2f (profile / run)\n", p / r }'
