#!/usr/bin/env bash
# How Decant's speed and memory scale with input size and depend on the file's shape.
#
# Cases (each run by Decant and by Polars, outputs checked against each other):
#   size  events CSV of ~10 MB, ~100 MB and ~1 GB (100k, 1M, 10M rows) with
#         bench/events-recipe.json: is MB/s flat or rising with size?
#   keys  10M-row keys CSV (bench/generate_keys.py), keep-first dedupe on a
#         column with 10M distinct values (bench/dedupe-10m-recipe.json) and
#         on one with 100 (bench/dedupe-100-recipe.json): memory vs. distinct keys
#   wide  1M-row, 60-column mostly numeric CSV (~420 MB, bench/generate_wide.py)
#         with bench/wide-recipe.json: rename, fill_null with 0, dedupe on id
#
# Inputs are generated once into bench/data/ (seeded, reused when present).
# Every measurement is /usr/bin/time -f '%e %M' (wall seconds, peak RSS);
# the table shows the median of --repeat runs, engines alternating, after the
# input was read once to warm the page cache. Outputs and logs go to
# bench/out/scaling/; the table is printed and saved to bench/out/scaling/table.txt.
#
# Usage: bench/scaling.sh [--repeat K] [--no-build] [--quick] [--seed S]
#                         [--cases size,keys,wide] [--keep-outputs]
#   --quick         tiny inputs (2k/20k/200k events, 20k keys and wide rows): a smoke test
#   --keep-outputs  keep every output (by default matching outputs are deleted after the check)
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

REPEAT=3
BUILD=1
QUICK=0
SEED=42
CASES=size,keys,wide
KEEP=0
PYTHON=${PYTHON:-python3}
ENGINES=decant,polars

usage() { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; }

while (($#)); do
  case $1 in
    --repeat) REPEAT=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --quick) QUICK=1; shift ;;
    --seed) SEED=$2; shift 2 ;;
    --cases) CASES=$2; shift 2 ;;
    --keep-outputs) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
if ! [[ $REPEAT =~ ^[1-9][0-9]*$ ]]; then
  echo "--repeat takes a positive number" >&2; exit 2
fi
IFS=, read -r -a CASE_LIST <<<"$CASES"
for c in "${CASE_LIST[@]}"; do
  [[ $c == size || $c == keys || $c == wide ]] || { echo "unknown case: $c (size, keys, wide)" >&2; exit 2; }
done
has_case() { [[ ",$CASES," == *",$1,"* ]]; }

if ((QUICK)); then
  SIZE_ROWS=(2000 20000 200000)
  KEYS_ROWS=20000
  WIDE_ROWS=20000
else
  SIZE_ROWS=(100000 1000000 10000000)
  KEYS_ROWS=10000000
  WIDE_ROWS=1000000
fi

BENCH=bench
DATA_DIR=$BENCH/data
OUT=$BENCH/out/scaling
TABLE=$BENCH/out/scaling/table.txt
DECANT=.build/release/decant
mkdir -p "$DATA_DIR" "$OUT"
rm -f "$OUT"/*
: >"$OUT/cases.tsv"
: >"$OUT/results.tsv"
: >"$OUT/failed.tsv"
: >"$OUT/checks.txt"

log() { printf '== %s\n' "$*" >&2; }

# ---------------------------------------------------------------- tools
POLARS_OK=1
install_tools() {
  if [[ ! -x /usr/bin/time ]]; then
    log "installing time (apt)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
    [[ -x /usr/bin/time ]] || { echo "/usr/bin/time is required (apt-get install time)" >&2; exit 1; }
  fi
  if ! "$PYTHON" -c 'import polars' 2>/dev/null; then
    log "installing polars (pip)"
    "$PYTHON" -m pip install -q polars || log "pip install polars failed"
    "$PYTHON" -c 'import polars' 2>/dev/null || POLARS_OK=0
  fi
}

DECANT_STATUS=ok
build_decant() {
  if ((BUILD)); then
    log "building Decant (swift build -c release)"
    if ! swift build -c release >"$OUT/build.log" 2>&1; then
      DECANT_STATUS="build failed (see $OUT/build.log)"
      log "$DECANT_STATUS"
      return
    fi
  fi
  [[ -x $DECANT ]] || { DECANT_STATUS="binary $DECANT missing"; log "$DECANT_STATUS"; }
}

# ---------------------------------------------------------------- data
human() {   # 100000 -> 100k, 10000000 -> 10M
  local n=$1
  if ((n >= 1000000 && n % 1000000 == 0)); then echo "$((n / 1000000))M"
  elif ((n >= 1000 && n % 1000 == 0)); then echo "$((n / 1000))k"
  else echo "$n"; fi
}

# make_data KIND ROWS: generate bench/data/KIND-ROWS-sSEED.csv unless present; prints the path.
make_data() {
  local kind=$1 rows=$2 path
  path=$DATA_DIR/$kind-$rows-s$SEED.csv
  if [[ -s $path ]]; then
    log "using $path"
  else
    log "generating $path ($rows rows, seed $SEED)"
    "$PYTHON" "$BENCH/generate_$kind.py" --rows "$rows" --seed "$SEED" --out "$path" >&2 \
      || { echo "generating $path failed" >&2; exit 1; }
  fi
  echo "$path"
}

# ---------------------------------------------------------------- runs
# A case: id, label, input, rows, recipe, and how Polars runs it (events: the
# hand-written bench/peer_polars.py; recipe: bench/peer_polars_recipe.py).
declare -A FAILED=()   # "id engine" -> reason

engine_cmd() {   # sets CMD for engine $1 on the current case
  local out=$OUT/$CASE_ID.$1.csv
  case $1 in
    decant) CMD=("$DECANT" run "$CASE_RECIPE" "$CASE_DATA" -o "$out") ;;
    polars)
      if [[ $CASE_PEER == events ]]; then
        CMD=("$PYTHON" "$BENCH/peer_polars.py" "$CASE_DATA" "$out")
      else
        CMD=("$PYTHON" "$BENCH/peer_polars_recipe.py" "$CASE_RECIPE" "$CASE_DATA" "$out")
      fi ;;
  esac
}

fail() {   # fail ENGINE REASON
  FAILED["$CASE_ID $1"]=$2
  printf '%s\t%s\t%s\n' "$CASE_ID" "$1" "$2" >>"$OUT/failed.tsv"
}

run_once() {
  local engine=$1 rep=$2 CMD base=$OUT/$CASE_ID.$engine
  engine_cmd "$engine"
  rm -f "$base.csv" "$base".csv.rejects.csv
  /usr/bin/time -f '%e %M' -o "$base.time" "${CMD[@]}" >/dev/null 2>"$base.log"
  local rc=$? secs rss
  read -r secs rss < <(tail -n 1 "$base.time")
  if ((rc != 0)); then
    fail "$engine" "exit $rc on run $rep: $(tail -n 3 "$base.log" | tr '\n\t' '  ' | cut -c1-200)"
    log "$CASE_ID: $engine run $rep failed (exit $rc, see $base.log)"
    return
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$CASE_ID" "$engine" "$rep" "$secs" "$rss" >>"$OUT/results.tsv"
  log "$CASE_ID: $engine run $rep: ${secs} s, $((rss / 1024)) MiB"
}

sha() { sha256sum "$1" | cut -d' ' -f1; }
canon_sha() {   # sha256 of a file re-encoded by canonical_csv.py (kept as FILE.canonical)
  if "$PYTHON" "$BENCH/canonical_csv.py" "$1" "$1.canonical" 2>/dev/null; then
    sha "$1.canonical"
  else
    echo "unreadable-csv"
  fi
}

check_case() {
  local d=$OUT/$CASE_ID.decant.csv p=$OUT/$CASE_ID.polars.csv line summary verdict
  line="$CASE_LABEL:"
  if [[ -z ${FAILED["$CASE_ID decant"]:-} && -s $OUT/$CASE_ID.decant.log ]]; then
    summary=$(grep -m1 '^decant: ' "$OUT/$CASE_ID.decant.log" | sed 's/^decant: //; s/ in [0-9.]* s.*$//')
    line+=" decant ${summary:-?}."
    [[ -f $d.rejects.csv ]] && line+=" Decant wrote $(($(wc -l <"$d.rejects.csv") - 1)) reject lines."
  fi
  if [[ -f $d && -f $p && -z ${FAILED["$CASE_ID decant"]:-} && -z ${FAILED["$CASE_ID polars"]:-} ]]; then
    if [[ $(sha "$d") == $(sha "$p") ]]; then
      verdict="polars MATCH, byte for byte"
    else
      local cd cp
      cd=$(canon_sha "$d")
      cp=$(canon_sha "$p")
      if [[ $cd == "$cp" && $cd != unreadable-csv ]]; then
        if [[ $(sha "$d") == "$cd" ]]; then
          verdict="polars MATCH after canonical re-encoding (Polars' quoting differs)"
        else
          verdict="polars MATCH after canonical re-encoding of both (Decant's output is not canonical)"
        fi
      else
        verdict="polars DIFFERS: $(cmp "$d.canonical" "$p.canonical" 2>&1 | head -n 1)"
        diff <(head -n 200000 "$d.canonical") <(head -n 200000 "$p.canonical") | head -n 6 >"$OUT/$CASE_ID.diff"
        KEEP_CASE=1
      fi
    fi
  else
    verdict="no output comparison (an engine failed)"
  fi
  echo "$line $verdict" >>"$OUT/checks.txt"
  log "$line $verdict"
  if ((!KEEP && !${KEEP_CASE:-0})); then
    rm -f "$OUT/$CASE_ID".*.csv "$OUT/$CASE_ID".*.canonical
  fi
}

# run_case ID LABEL DATA ROWS RECIPE PEER
run_case() {
  CASE_ID=$1 CASE_LABEL=$2 CASE_DATA=$3 CASE_ROWS=$4 CASE_RECIPE=$5 CASE_PEER=$6 KEEP_CASE=0
  printf '%s\t%s\t%s\t%s\t%s\n' "$CASE_ID" "$CASE_LABEL" "$CASE_DATA" "$(stat -c %s "$CASE_DATA")" \
    "$CASE_ROWS" >>"$OUT/cases.tsv"
  [[ $DECANT_STATUS != ok ]] && fail decant "$DECANT_STATUS"
  ((POLARS_OK)) || fail polars "polars is not installed"
  log "$CASE_ID: warming the page cache ($CASE_DATA)"
  cat "$CASE_DATA" >/dev/null
  local rep engine order
  for ((rep = 1; rep <= REPEAT; rep++)); do
    # alternate which engine goes first, so neither always runs right after the other
    if ((rep % 2)); then order=(decant polars); else order=(polars decant); fi
    for engine in "${order[@]}"; do
      [[ -n ${FAILED["$CASE_ID $engine"]:-} ]] && continue
      run_once "$engine" "$rep"
    done
  done
  check_case
}

# ---------------------------------------------------------------- report
machine() {
  local cpu mem py pl sw dv
  cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
  py=$("$PYTHON" -c 'import platform; print(platform.python_version())' 2>/dev/null || echo '?')
  pl=$("$PYTHON" -c 'import polars; print(polars.__version__)' 2>/dev/null || echo '?')
  sw=$(swift --version 2>/dev/null | grep -m1 -o 'Swift version [^ ]*' || echo 'Swift ?')
  dv=$("$DECANT" --version 2>/dev/null | head -n 1)
  echo "machine: $(nproc) cores (nproc), ${cpu:-unknown CPU}, $mem RAM, Linux $(uname -r)"
  echo "versions: ${dv:-decant ?} ($sw, release build), Polars $pl, Python $py"
  echo "method: median of $REPEAT runs per engine (engines alternating, page cache warmed); peak RSS is the"
  echo "        highest of the runs; /usr/bin/time (10 ms resolution); MB = 10^6 bytes; $(date -u '+%Y-%m-%d %H:%M UTC')"
  ((QUICK)) && echo "QUICK run (--quick): tiny inputs, a smoke test only; the figures say nothing about scaling"
  return 0
}

install_tools
build_decant

if has_case size; then
  for rows in "${SIZE_ROWS[@]}"; do
    data=$(make_data events "$rows")
    run_case "size-$(human "$rows")" "events $(human "$rows")" "$data" "$rows" \
      "$BENCH/events-recipe.json" events
  done
fi
if has_case keys; then
  data=$(make_data keys "$KEYS_ROWS")
  run_case keys-distinct "dedupe key ($(human "$KEYS_ROWS") distinct)" "$data" "$KEYS_ROWS" \
    "$BENCH/dedupe-10m-recipe.json" recipe
  run_case keys-100 "dedupe k100 (100 distinct)" "$data" "$KEYS_ROWS" \
    "$BENCH/dedupe-100-recipe.json" recipe
fi
if has_case wide; then
  data=$(make_data wide "$WIDE_ROWS")
  run_case wide "wide (60 columns)" "$data" "$WIDE_ROWS" "$BENCH/wide-recipe.json" recipe
fi

{
  echo
  machine
  echo
  "$PYTHON" "$BENCH/scaling_table.py" "$OUT" "$ENGINES"
  echo
  echo "output check:"
  sed 's/^/  /' "$OUT/checks.txt"
  for f in "$OUT"/*.diff; do
    [[ -s $f ]] || continue
    echo "  first differences in $(basename "$f" .diff) (decant < > polars, canonical):"
    sed 's/^/    /' "$f"
  done
} | tee "$TABLE"
exit 0
