#!/usr/bin/env bash
# The benchmark recipe in Miller: events CSV in, cleaned CSV out.
# Values stay strings (-S); an empty cell is Miller's "empty". Renames
# "Amount USD" to amount_usd, keeps the first record of each event_id,
# fills an empty country with ZZ, converts a non-empty event_time from
# New York wall-clock time to UTC.
# Usage: peer_miller.sh INPUT OUTPUT
set -euo pipefail
in=$1 out=$2
mlr --csv -S \
  rename 'Amount USD,amount_usd' \
  then head -n 1 -g event_id \
  then put '
    if (is_empty($country)) { $country = "ZZ" }
    if (!is_empty($event_time)) {
      $event_time = strftime(strptime_local($event_time, "%Y-%m-%d %H:%M:%S", "America/New_York"),
                             "%Y-%m-%dT%H:%M:%SZ")
    }
  ' \
  "$in" > "$out"
