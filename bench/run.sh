#!/usr/bin/env bash
# Benchmark Decant against wc -l, DuckDB, Polars and Miller on one events CSV.
#
# Installs the peers if missing, builds Decant in release mode, generates the
# input once into bench/data/, and for each recipe runs every engine --repeat
# times (alternating engines), measures wall time and peak RSS with
# /usr/bin/time, checks that every output is identical to Decant's (after
# canonical re-encoding when only the quoting style differs), and prints one
# table per recipe. Outputs and logs go to bench/out/RECIPE/; the tables are
# also saved in bench/out/summary.txt.
#
# Recipes (an engine without a version of a recipe is left out of its table):
#   reference  bench/events-recipe.json: rename, dedupe, fill_null,
#              normalize_timezone; every engine
#   cleaning   bench/events-cleaning-recipe.json: trim, change_case, replace,
#              filter, validate, split, merge, map_values, select; wc (the
#              floor), decant, duckdb, polars
#   regex      bench/events-regex-recipe.json: extract, replace with a regex,
#              filter with matches; wc, decant, duckdb, polars
#   types      bench/events-types-recipe.json: cast, round, date_part, lookup
#              (250-row reference), copy, hash, mask; wc, decant, duckdb, polars
#   lookup     bench/events-lookup-recipe.json: lookup in a 1M-row users
#              reference (generated into bench/data/); wc, decant, duckdb, polars
#
# Usage: bench/run.sh [--rows N] [--seed S] [--repeat K] [--no-build]
#                     [--engines wc,decant,duckdb,polars,miller]
#                     [--recipes reference,cleaning,regex,types,lookup]
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

ROWS=10000000
SEED=42
REPEAT=3
BUILD=1
ENGINES="wc,decant,duckdb,polars,miller"
RECIPES="reference,cleaning,regex,types,lookup"
PYTHON=${PYTHON:-python3}

usage() { sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; }

while (($#)); do
  case $1 in
    --rows) ROWS=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --engines) ENGINES=$2; shift 2 ;;
    --recipes) RECIPES=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
IFS=, read -r -a ENGINE_LIST <<<"$ENGINES"
IFS=, read -r -a RECIPE_LIST <<<"$RECIPES"
for recipe in "${RECIPE_LIST[@]}"; do
  case $recipe in
    reference|cleaning|regex|types|lookup) ;;
    *) echo "unknown recipe: $recipe (reference, cleaning, regex, types, lookup)" >&2; usage >&2; exit 2 ;;
  esac
done

BENCH=bench
DATA_DIR=$BENCH/data
OUT=$BENCH/out
DATA=$DATA_DIR/events-$ROWS-s$SEED.csv
DECANT=${DECANT:-.build/release/decant}
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

# The lookup recipe's reference: 1M users, generated once.
make_users() {
  if [[ ,$RECIPES, == *,lookup,* && ! -s $DATA_DIR/users-1000000.csv ]]; then
    log "generating $DATA_DIR/users-1000000.csv (the lookup recipe's reference)"
    "$PYTHON" $BENCH/generate_users.py --rows 1000000 --seed 7 --out "$DATA_DIR/users-1000000.csv" || {
      echo "users generation failed" >&2
      exit 1
    }
  fi
}

# ---------------------------------------------------------------- recipes
# select_recipe NAME sets RECIPE_NAME, RECIPE (Decant's recipe), PEER (the
# peers' scripts are $BENCH/peer_<engine>$PEER.py), RUN (this recipe's output
# directory, emptied) and SUITE (the engines of --engines that have a version
# of this recipe, in --engines order), and clears FAILED.
select_recipe() {
  RECIPE_NAME=$1
  case $1 in
    reference) RECIPE=$BENCH/events-recipe.json PEER= ;;
    cleaning) RECIPE=$BENCH/events-cleaning-recipe.json PEER=_cleaning ;;
    regex) RECIPE=$BENCH/events-regex-recipe.json PEER=_regex ;;
    types) RECIPE=$BENCH/events-types-recipe.json PEER=_types ;;
    lookup) RECIPE=$BENCH/events-lookup-recipe.json PEER=_lookup ;;
  esac
  RUN=$OUT/$RECIPE_NAME
  mkdir -p "$RUN"
  rm -f "$RUN"/*.csv "$RUN"/*.log "$RUN"/*.time "$RUN"/*.txt "$RUN"/*.sha "$RUN"/results.tsv
  SUITE=()
  local e CMD
  for e in "${ENGINE_LIST[@]}"; do
    if engine_cmd "$e"; then
      SUITE+=("$e")
    else
      log "$RECIPE_NAME: no $e version of this recipe, left out"
    fi
  done
  FAILED=()
  [[ $DECANT_STATUS != ok ]] && FAILED[decant]=$DECANT_STATUS
}

# ---------------------------------------------------------------- runs
# Each engine writes $RUN/<engine>.csv; wc -l writes its count to $RUN/wc.txt.
# Sets CMD (an array) to the command line of one engine on the current
# recipe; fails when the engine has no version of it.
engine_cmd() {
  case $1 in
    wc) CMD=(wc -l "$DATA") ;;
    decant) CMD=("$DECANT" run "$RECIPE" "$DATA" -o "$RUN/decant.csv") ;;
    duckdb|polars)
      [[ -f $BENCH/peer_$1$PEER.py ]] || return 1
      CMD=("$PYTHON" "$BENCH/peer_$1$PEER.py" "$DATA" "$RUN/$1.csv") ;;
    miller)
      [[ $RECIPE_NAME == reference ]] || return 1
      CMD=(bash "$BENCH/peer_miller.sh" "$DATA" "$RUN/miller.csv") ;;
    *) return 1 ;;
  esac
}

declare -A FAILED=()   # engine -> reason, for the current recipe

run_once() {
  local engine=$1 rep=$2 CMD
  engine_cmd "$engine" || { FAILED[$engine]="unknown engine"; return; }
  local stdout=/dev/null
  [[ $engine == wc ]] && stdout=$RUN/wc.txt
  rm -f "$RUN/$engine.csv" "$RUN/$engine".*rejects.csv
  /usr/bin/time -f '%e %M' -o "$RUN/$engine.time" "${CMD[@]}" >"$stdout" 2>"$RUN/$engine.log"
  local rc=$?
  local secs rss
  read -r secs rss < <(tail -n 1 "$RUN/$engine.time")
  if ((rc != 0)); then
    FAILED[$engine]="exit $rc on run $rep: $(tail -n 3 "$RUN/$engine.log" | tr '\n' ' ' | cut -c1-200)"
    log "$RECIPE_NAME: $engine run $rep failed (exit $rc, see $RUN/$engine.log)"
    return
  fi
  printf '%s\t%s\t%s\t%s\n' "$engine" "$rep" "$secs" "$rss" >>"$RUN/results.tsv"
  log "$RECIPE_NAME: $engine run $rep: ${secs} s, $((rss / 1024)) MiB"
}

run_all() {
  : >"$RUN/results.tsv"
  log "warming the page cache"
  cat "$DATA" >/dev/null
  local rep engine
  for ((rep = 1; rep <= REPEAT; rep++)); do
    for engine in "${SUITE[@]}"; do
      [[ -n ${FAILED[$engine]:-} ]] && continue
      run_once "$engine" "$rep"
    done
  done
}

# ---------------------------------------------------------------- checks
sha() { sha256sum "$1" | cut -d' ' -f1; }
canon_sha() {   # sha256 of an output re-encoded canonically (cached in $RUN/<engine>.canonical.sha)
  local e=$1
  if [[ ! -s $RUN/$e.canonical.sha ]]; then
    if "$PYTHON" "$BENCH/canonical_csv.py" "$RUN/$e.csv" "$RUN/$e.canonical.csv" 2>"$RUN/$e.canonical.log"; then
      sha "$RUN/$e.canonical.csv" >"$RUN/$e.canonical.sha"
    else
      echo "unreadable-csv" >"$RUN/$e.canonical.sha"
    fi
  fi
  cat "$RUN/$e.canonical.sha"
}

first_difference() {   # show where two files first differ
  local a=$1 b=$2
  cmp "$a" "$b" 2>&1 | head -n 1
  diff <(head -n 200000 "$a") <(head -n 200000 "$b") | head -n 6
}

check_outputs() {
  local e produced=() ref ref_name
  for e in "${SUITE[@]}"; do
    [[ $e == wc || -n ${FAILED[$e]:-} || ! -f $RUN/$e.csv ]] && continue
    produced+=("$e")
  done
  ((${#produced[@]})) || { echo "no outputs to check"; return; }

  if [[ " ${produced[*]} " == *" decant "* ]]; then
    ref_name=decant
    ref=$(sha "$RUN/decant.csv")
    if [[ $(canon_sha decant) != "$ref" ]]; then
      echo "decant: output is NOT in canonical form (quoting or line ends differ from minimal RFC 4180 + LF)"
    fi
    local rej
    for rej in "$RUN"/decant*rejects.csv; do
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
    if [[ $(sha "$RUN/$e.csv") == "$ref" ]]; then
      echo "$e: MATCH, byte for byte"
    elif [[ $(canon_sha "$e") == "$ref" ]]; then
      echo "$e: MATCH after canonical re-encoding (quoting style differs)"
    elif [[ $ref_name == decant && $(canon_sha "$e") == $(canon_sha decant) ]]; then
      echo "$e: MATCH after canonical re-encoding of both (Decant's quoting is not canonical)"
    else
      echo "$e: DIFFERS from $ref_name (canonical outputs compared):"
      local ref_file=$RUN/$ref_name.csv
      [[ -f $RUN/$ref_name.canonical.csv ]] && ref_file=$RUN/$ref_name.canonical.csv
      first_difference "$ref_file" "$RUN/$e.canonical.csv" | sed 's/^/    /'
    fi
  done
}

# ---------------------------------------------------------------- report
header() {
  local size
  size=$(stat -c %s "$DATA")
  echo
  echo "input: $DATA ($ROWS rows, $(awk -v s="$size" 'BEGIN{printf "%.1f", s/1e6}') MB), $REPEAT runs each, $(nproc) cores"
  echo "versions: duckdb $("$PYTHON" -c 'import duckdb; print(duckdb.__version__)' 2>/dev/null || echo '?')," \
    "polars $("$PYTHON" -c 'import polars; print(polars.__version__)' 2>/dev/null || echo '?')," \
    "$(mlr --version 2>/dev/null || echo 'mlr ?'), $(swift --version 2>/dev/null | head -n 1 || echo 'swift ?')"
}

report() {   # the current recipe's table
  local size e failed_args=()
  size=$(stat -c %s "$DATA")
  echo
  echo "recipe: $RECIPE_NAME ($RECIPE)"
  echo
  for e in "${SUITE[@]}"; do
    [[ -n ${FAILED[$e]:-} ]] && failed_args+=("$e=${FAILED[$e]}")
  done
  "$PYTHON" - "$RUN/results.tsv" "$size" "$(IFS=,; echo "${SUITE[*]}")" "${failed_args[@]}" <<'EOF'
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

summary() {   # the current recipe's table, output check and Decant's report
  report
  echo
  echo "output check:"
  check_outputs | sed 's/^/  /'
  if [[ -n ${FAILED[decant]:-} ]]; then
    echo
    echo "Decant FAILED: ${FAILED[decant]}"
  elif [[ -s $RUN/decant.log ]]; then
    echo
    echo "Decant's report (last run, stderr):"
    tail -n 20 "$RUN/decant.log" | sed 's/^/  /'
  fi
}

install_tools
has_engine decant && build_decant
make_data
make_users
header | tee "$OUT/summary.txt"
for recipe in "${RECIPE_LIST[@]}"; do
  select_recipe "$recipe"
  ((${#SUITE[@]})) || continue
  run_all
  summary | tee -a "$OUT/summary.txt"
done
exit 0
