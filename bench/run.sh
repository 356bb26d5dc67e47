#!/usr/bin/env bash
# Benchmark Decant against wc -l, DuckDB, Polars and Miller on one events CSV.
#
# Installs the peers if missing, builds Decant in release mode, generates the
# input once into bench/data/, runs every engine --repeat times (alternating
# engines), measures wall time and peak RSS with /usr/bin/time, checks that
# every output is identical to Decant's (after canonical re-encoding when only
# the quoting style differs), and prints one table. Outputs and logs go to
# bench/out/.
#
# Usage: bench/run.sh [--rows N] [--seed S] [--repeat K] [--no-build]
#                     [--engines wc,decant,duckdb,polars,miller]
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

ROWS=10000000
SEED=42
REPEAT=3
BUILD=1
ENGINES="wc,decant,duckdb,polars,miller"
PYTHON=${PYTHON:-python3}

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }

while (($#)); do
  case $1 in
    --rows) ROWS=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --engines) ENGINES=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
IFS=, read -r -a ENGINE_LIST <<<"$ENGINES"

BENCH=bench
DATA_DIR=$BENCH/data
OUT=$BENCH/out
DATA=$DATA_DIR/events-$ROWS-s$SEED.csv
RECIPE=$BENCH/events-recipe.json
DECANT=.build/release/decant
mkdir -p "$DATA_DIR" "$OUT"
rm -f "$OUT"/*.csv "$OUT"/*.log "$OUT"/*.time "$OUT"/*.txt "$OUT"/*.sha "$OUT"/results.tsv

log() { printf '== %s\n' "$*" >&2; }

# ---------------------------------------------------------------- tools
install_tools() {
  local apt=()
  command -v mlr >/dev/null || apt+=(miller)
  [[ -x /usr/bin/time ]] || apt+=(time)
  if ((${#apt[@]})); then
    log "installing ${apt[*]} (apt)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt[@]}" >/dev/null \
      || log "apt-get install ${apt[*]} failed"
  fi
  if ! "$PYTHON" -c 'import duckdb, polars' 2>/dev/null; then
    log "installing duckdb polars (pip)"
    "$PYTHON" -m pip install -q duckdb polars || log "pip install failed"
  fi
  if [[ ! -x /usr/bin/time ]]; then
    echo "/usr/bin/time is required (apt-get install time)" >&2
    exit 1
  fi
}

# ---------------------------------------------------------------- decant
DECANT_STATUS=ok
has_engine() { [[ ",$ENGINES," == *",$1,"* ]]; }

build_decant() {
  if ((BUILD)); then
    log "building Decant (swift build -c release)"
    if ! swift build -c release >"$OUT/build.log" 2>&1; then
      DECANT_STATUS="build failed (see $OUT/build.log)"
      log "$DECANT_STATUS"
      return
    fi
  fi
  if [[ ! -x $DECANT ]]; then
    DECANT_STATUS="binary $DECANT missing"
    log "$DECANT_STATUS"
  fi
}

# ---------------------------------------------------------------- data
make_data() {
  if [[ -s $DATA ]]; then
    log "using $DATA"
    return
  fi
  log "generating $DATA ($ROWS rows, seed $SEED)"
  local t0=$SECONDS
  "$PYTHON" $BENCH/generate_events.py --rows "$ROWS" --seed "$SEED" --out "$DATA" || {
    echo "data generation failed" >&2
    exit 1
  }
  log "generated in $((SECONDS - t0)) s"
}

# ---------------------------------------------------------------- runs
# Each engine writes $OUT/<engine>.csv; wc -l writes its count to $OUT/wc.txt.
# Sets CMD (an array) to the command line of one engine.
engine_cmd() {
  case $1 in
    wc) CMD=(wc -l "$DATA") ;;
    decant) CMD=("$DECANT" run "$RECIPE" "$DATA" -o "$OUT/decant.csv") ;;
    duckdb) CMD=("$PYTHON" "$BENCH/peer_duckdb.py" "$DATA" "$OUT/duckdb.csv") ;;
    polars) CMD=("$PYTHON" "$BENCH/peer_polars.py" "$DATA" "$OUT/polars.csv") ;;
    miller) CMD=(bash "$BENCH/peer_miller.sh" "$DATA" "$OUT/miller.csv") ;;
    *) return 1 ;;
  esac
}

declare -A FAILED=()   # engine -> reason

run_once() {
  local engine=$1 rep=$2 CMD
  engine_cmd "$engine" || { FAILED[$engine]="unknown engine"; return; }
  local stdout=/dev/null
  [[ $engine == wc ]] && stdout=$OUT/wc.txt
  rm -f "$OUT/$engine.csv" "$OUT/$engine".*rejects.csv
  /usr/bin/time -f '%e %M' -o "$OUT/$engine.time" "${CMD[@]}" >"$stdout" 2>"$OUT/$engine.log"
  local rc=$?
  local secs rss
  read -r secs rss < <(tail -n 1 "$OUT/$engine.time")
  if ((rc != 0)); then
    FAILED[$engine]="exit $rc on run $rep: $(tail -n 3 "$OUT/$engine.log" | tr '\n' ' ' | cut -c1-200)"
    log "$engine run $rep failed (exit $rc, see $OUT/$engine.log)"
    return
  fi
  printf '%s\t%s\t%s\t%s\n' "$engine" "$rep" "$secs" "$rss" >>"$OUT/results.tsv"
  log "$engine run $rep: ${secs} s, $((rss / 1024)) MiB"
}

run_all() {
  : >"$OUT/results.tsv"
  log "warming the page cache"
  cat "$DATA" >/dev/null
  local rep engine
  for ((rep = 1; rep <= REPEAT; rep++)); do
    for engine in "${ENGINE_LIST[@]}"; do
      [[ -n ${FAILED[$engine]:-} ]] && continue
      run_once "$engine" "$rep"
    done
  done
}

# ---------------------------------------------------------------- checks
sha() { sha256sum "$1" | cut -d' ' -f1; }
canon_sha() {   # sha256 of an output re-encoded canonically (cached in $OUT/<engine>.canonical.sha)
  local e=$1
  if [[ ! -s $OUT/$e.canonical.sha ]]; then
    if "$PYTHON" "$BENCH/canonical_csv.py" "$OUT/$e.csv" "$OUT/$e.canonical.csv" 2>"$OUT/$e.canonical.log"; then
      sha "$OUT/$e.canonical.csv" >"$OUT/$e.canonical.sha"
    else
      echo "unreadable-csv" >"$OUT/$e.canonical.sha"
    fi
  fi
  cat "$OUT/$e.canonical.sha"
}

first_difference() {   # show where two files first differ
  local a=$1 b=$2
  cmp "$a" "$b" 2>&1 | head -n 1
  diff <(head -n 200000 "$a") <(head -n 200000 "$b") | head -n 6
}

check_outputs() {
  local e produced=() ref ref_name
  for e in "${ENGINE_LIST[@]}"; do
    [[ $e == wc || -n ${FAILED[$e]:-} || ! -f $OUT/$e.csv ]] && continue
    produced+=("$e")
  done
  ((${#produced[@]})) || { echo "no outputs to check"; return; }

  if [[ " ${produced[*]} " == *" decant "* ]]; then
    ref_name=decant
    ref=$(sha "$OUT/decant.csv")
    if [[ $(canon_sha decant) != "$ref" ]]; then
      echo "decant: output is NOT in canonical form (quoting or line ends differ from minimal RFC 4180 + LF)"
    fi
    local rej
    for rej in "$OUT"/decant*rejects.csv; do
      [[ -f $rej ]] && echo "decant: wrote rejects: $(($(wc -l <"$rej") - 1)) lines in $rej"
    done
  else
    ref_name=${produced[0]}
    ref=$(canon_sha "$ref_name")
    echo "(Decant produced no output; comparing peers with $ref_name's canonical output)"
  fi
  echo "reference: $ref_name sha256 $ref"
  for e in "${produced[@]}"; do
    [[ $e == "$ref_name" ]] && continue
    if [[ $(sha "$OUT/$e.csv") == "$ref" ]]; then
      echo "$e: MATCH, byte for byte"
    elif [[ $(canon_sha "$e") == "$ref" ]]; then
      echo "$e: MATCH after canonical re-encoding (quoting style differs)"
    elif [[ $ref_name == decant && $(canon_sha "$e") == $(canon_sha decant) ]]; then
      echo "$e: MATCH after canonical re-encoding of both (Decant's quoting is not canonical)"
    else
      echo "$e: DIFFERS from $ref_name (canonical outputs compared):"
      local ref_file=$OUT/$ref_name.csv
      [[ -f $OUT/$ref_name.canonical.csv ]] && ref_file=$OUT/$ref_name.canonical.csv
      first_difference "$ref_file" "$OUT/$e.canonical.csv" | sed 's/^/    /'
    fi
  done
}

# ---------------------------------------------------------------- report
report() {
  local size
  size=$(stat -c %s "$DATA")
  echo
  echo "input: $DATA ($ROWS rows, $(awk -v s="$size" 'BEGIN{printf "%.1f", s/1e6}') MB), $REPEAT runs each, $(nproc) cores"
  echo "versions: duckdb $("$PYTHON" -c 'import duckdb; print(duckdb.__version__)' 2>/dev/null || echo '?')," \
    "polars $("$PYTHON" -c 'import polars; print(polars.__version__)' 2>/dev/null || echo '?')," \
    "$(mlr --version 2>/dev/null || echo 'mlr ?'), $(swift --version 2>/dev/null | head -n 1 || echo 'swift ?')"
  echo
  local failed_args=()
  for e in "${ENGINE_LIST[@]}"; do
    [[ -n ${FAILED[$e]:-} ]] && failed_args+=("$e=${FAILED[$e]}")
  done
  "$PYTHON" - "$OUT/results.tsv" "$size" "$ENGINES" "${failed_args[@]}" <<'EOF'
import statistics, sys
path, size, engines = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")
failed = dict(a.split("=", 1) for a in sys.argv[4:])
times, rss = {}, {}
for line in open(path):
    e, _, s, m = line.split("\t")
    times.setdefault(e, []).append(float(s))
    rss[e] = max(rss.get(e, 0), int(m))
med = {e: statistics.median(v) for e, v in times.items()}
base = med.get("decant") if "decant" not in failed else None
print(f"{'engine':<8} {'median s':>9} {'MB/s':>8} {'peak RSS MiB':>13} {'x Decant':>9}")
for e in engines:
    if e in failed or e not in med:
        print(f"{e:<8} {'FAILED':>9}   {failed.get(e, 'no result')}")
        continue
    m = med[e]
    # /usr/bin/time reports 10 ms steps: a 0.00 median has no meaningful rate.
    mbs = f"{size / 1e6 / m:.1f}" if m > 0 else "-"
    ratio = f"{m / base:.2f}" if base else "n/a"
    print(f"{e:<8} {m:>9.2f} {mbs:>8} {rss[e] / 1024:>13.1f} {ratio:>9}")
EOF
}

install_tools
if has_engine decant; then
  build_decant
  [[ $DECANT_STATUS != ok ]] && FAILED[decant]=$DECANT_STATUS
fi
make_data
run_all
{
  report
  echo
  echo "output check:"
  check_outputs | sed 's/^/  /'
  if [[ -n ${FAILED[decant]:-} ]]; then
    echo
    echo "Decant FAILED: ${FAILED[decant]}"
  elif [[ -s $OUT/decant.log ]]; then
    echo
    echo "Decant's report (last run, stderr):"
    tail -n 20 "$OUT/decant.log" | sed 's/^/  /'
  fi
} | tee "$OUT/summary.txt"
exit 0
