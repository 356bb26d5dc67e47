#!/usr/bin/env python3
"""Print the table of bench/scaling.sh from its result files.

Reads (tab-separated, no header):
  cases.tsv    id, label, input path, input bytes, rows
  results.tsv  id, engine, run, seconds, peak RSS KiB   (one line a successful run)
  failed.tsv   id, engine, reason
and prints one line per case and engine: median seconds over the runs, MB/s
(input MB / median seconds, MB = 10^6 bytes), the highest peak RSS of the
runs in MiB, and the median time relative to Decant's on the same case.
A last line sums up how Decant's and every peer's MB/s change over the
events sizes.

Usage: scaling_table.py OUT_DIR ENGINE[,ENGINE...]
"""

import os
import statistics
import sys


def read_tsv(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def main():
    out_dir, engines = sys.argv[1], sys.argv[2].split(",")
    cases = read_tsv(os.path.join(out_dir, "cases.tsv"))
    times, rss = {}, {}
    for cid, engine, _run, secs, kib in read_tsv(os.path.join(out_dir, "results.tsv")):
        times.setdefault((cid, engine), []).append(float(secs))
        rss[(cid, engine)] = max(rss.get((cid, engine), 0), int(kib))
    failed = {(cid, e): reason for cid, e, reason in read_tsv(os.path.join(out_dir, "failed.tsv"))}

    header = ("case", "input MB", "rows", "engine", "median s", "MB/s", "peak RSS MiB", "x Decant")
    rows = []
    rates = {}  # engine -> [(label, MB/s)] over the events sizes
    failures = []
    for cid, label, _path, size, n in cases:
        mb = int(size) / 1e6
        base = None
        if (cid, "decant") in times and (cid, "decant") not in failed:
            base = statistics.median(times[(cid, "decant")])
        first = True
        for e in engines:
            lead = (label, f"{mb:.1f}", f"{int(n):,}") if first else ("", "", "")
            first = False
            key = (cid, e)
            if key in failed or key not in times:
                rows.append(lead + (e, "FAILED", "", "", ""))
                failures.append(f"{label}, {e}: {failed.get(key, 'no result')}")
                continue
            med = statistics.median(times[key])
            # /usr/bin/time counts in 10 ms steps: a 0.00 median has no rate.
            mbs = f"{mb / med:.1f}" if med > 0 else "-"
            ratio = f"{med / base:.2f}" if base else "n/a"
            rows.append(lead + (e, f"{med:.2f}", mbs, f"{rss[key] / 1024:.1f}", ratio))
            if cid.startswith("size-") and med > 0:
                rates.setdefault(e, []).append((f"{mb:.0f} MB" if mb >= 1 else f"{mb:.2f} MB",
                                                mb / med))

    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    left = {0, 3}

    def fmt(r):
        cells = [str(c).ljust(w) if i in left else str(c).rjust(w)
                 for i, (c, w) in enumerate(zip(r, widths))]
        return "  ".join(cells).rstrip()

    print(fmt(header))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(fmt(r))
    if failures:
        print()
        print("failed:")
        for f in failures:
            print(f"  {f}")
    if rates:
        print()
        print("MB/s over the events sizes (smallest to largest input):")
        for e in engines:
            if len(rates.get(e, [])) < 2:
                continue
            steps = " -> ".join(f"{v:.0f} ({lbl})" for lbl, v in rates[e])
            change = rates[e][-1][1] / rates[e][0][1]
            print(f"  {e:<8} {steps}; largest / smallest = {change:.2f}")


if __name__ == "__main__":
    main()
