#!/usr/bin/env bash
# The scale-out figure: a recipe exported with `decant export --to pyspark` and
# run on local Spark (spark-submit, local[2]) over the events file, beside
# `decant run` of the same recipe on the same file. Prints wall time and peak
# RSS (the largest process: the JVM for Spark) of both, and checks that the
# outputs are the same rows in the same order (Spark's part files read in name
# order, both sides re-encoded with bench/canonical_csv.py).
#
# Spark is slower on one machine: the point is the same output, and a figure
# for the README. Outputs and logs go to bench/out/export-spark/.
#
# Usage: bench/export_spark.sh [--rows N] [--seed S] [--recipe reference|cleaning|regex]
#                              [--no-build] [--driver-memory 4g]
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

ROWS=10000000
SEED=42
RECIPE=cleaning
BUILD=1
DRIVER_MEMORY=4g
PYTHON=${PYTHON:-python3}
while (($#)); do
  case "$1" in
    --rows) ROWS=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --recipe) RECIPE=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --driver-memory) DRIVER_MEMORY=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

# `reference`: the benchmarks' reference recipe (rename, dedupe, fill_null,
# normalize_timezone New York → UTC).
RECIPE_FILE=bench/events-$RECIPE-recipe.json
[[ $RECIPE == reference ]] && RECIPE_FILE=bench/events-recipe.json
[[ -f $RECIPE_FILE ]] || { echo "no recipe $RECIPE_FILE" >&2; exit 2; }
command -v spark-submit >/dev/null || { echo "spark-submit not found: pip install pyspark" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is required (apt-get install time)" >&2; exit 2; }

export PATH="/opt/swift/usr/bin:$PATH"
if ((BUILD)); then
  swift build -c release --product decant >/dev/null || { echo "release build failed" >&2; exit 1; }
fi
DECANT=$ROOT/.build/release/decant

DATA=bench/data/events-$ROWS-s$SEED.csv
if [[ ! -f $DATA ]]; then
  mkdir -p bench/data
  echo "generating $DATA" >&2
  "$PYTHON" bench/generate_events.py --rows "$ROWS" --seed "$SEED" --out "$DATA" || exit 1
fi

OUT=bench/out/export-spark
rm -rf "$OUT"
mkdir -p "$OUT"

"$DECANT" export "$RECIPE_FILE" --to pyspark --input "$DATA" --output "$OUT/spark-out" -o "$OUT/job.py" \
  || { echo "the recipe does not export" >&2; exit 1; }

measure() { # NAME COMMAND...: runs it under /usr/bin/time; prints "seconds kib"
  local name=$1
  shift
  /usr/bin/time -f '%e %M' -o "$OUT/$name.time" "$@" >"$OUT/$name.log" 2>&1 \
    || { echo "$name failed; see $OUT/$name.log" >&2; exit 1; }
  cat "$OUT/$name.time"
}

read -r d_secs d_kib < <(measure decant "$DECANT" run "$RECIPE_FILE" "$DATA" -o "$OUT/decant.csv" -q)
read -r s_secs s_kib < <(measure spark spark-submit --master 'local[2]' --driver-memory "$DRIVER_MEMORY" \
  --conf spark.ui.enabled=false "$OUT/job.py" --input "$DATA" --output "$OUT/spark-out")

# The same rows in the same order: Spark's part files in name order, one header.
first=1
for part in $(ls "$OUT/spark-out"/part-* | sort); do
  if ((first)); then cat "$part"; first=0; else tail -n +2 "$part"; fi
done >"$OUT/spark.csv"
"$PYTHON" bench/canonical_csv.py "$OUT/decant.csv" "$OUT/decant.canonical.csv"
"$PYTHON" bench/canonical_csv.py "$OUT/spark.csv" "$OUT/spark.canonical.csv"
if cmp -s "$OUT/decant.canonical.csv" "$OUT/spark.canonical.csv"; then same="same output"; else same="OUTPUTS DIFFER"; fi
rows=$(($(wc -l <"$OUT/decant.canonical.csv") - 1))

{
  echo "recipe $RECIPE on $DATA ($ROWS rows, $(du -h "$DATA" | cut -f1)), $(nproc) cores, $(date -u +%F)"
  printf '%-34s %10s %14s\n' "engine" "wall s" "peak RSS MiB"
  printf '%-34s %10s %14d\n' "decant run" "$d_secs" $((d_kib / 1024))
  printf '%-34s %10s %14d\n' "exported PySpark job, local[2]" "$s_secs" $((s_kib / 1024))
  echo "Spark/Decant wall: $(awk -v a="$s_secs" -v b="$d_secs" 'BEGIN { printf "%.1f", a / b }')x;" \
    "$rows output rows; $same"
} | tee "$OUT/summary.txt"
[[ $same == "same output" ]]
