#!/usr/bin/env python3
"""A table of wall-clock times around time-zone transitions, for the export tests.

Runs the zoneinfo case generator of the unit tests
(Tests/DecantCoreTests/Fixtures/make_tz_differential_cases.py) over the zones
named, keeps the wall-clock times between the years given (the engines' zone
data and the system's agree there for these zones), and writes a CSV table:
id, zone (the zone per row, now and then with spaces around it or as an
offset), when (the wall-clock time, now and then with an offset or unreadable)
and class (normal, gap or overlap by zoneinfo; `altered` where the zone or
the time was changed). Seeded.

Usage: zone_table.py OUT.csv [--seed S] [--rows N] [--from-year Y] [--to-year Y] [--zones Z,Z]
"""
import argparse
import calendar
import csv
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATOR = os.path.join(HERE, "..", "..", "DecantCoreTests", "Fixtures", "make_tz_differential_cases.py")

# DST in either hemisphere, 30- and 45-minute offsets and shifts, negative DST,
# zones that dropped DST, a two-hour shift, a 24-hour jump over the date line.
ZONES = ["America/New_York", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe", "America/Sao_Paulo",
         "Asia/Tehran", "Europe/Dublin", "America/St_Johns", "Asia/Kolkata", "Pacific/Chatham",
         "Antarctica/Troll", "Pacific/Apia", "America/Santiago", "Europe/London",
         "Asia/Gaza", "Pacific/Kiritimati", "America/Chicago"]
# (Not America/Havana: DuckDB's ICU data gives it other rules from 2026 on.)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rows", type=int, default=2000)
    p.add_argument("--from-year", type=int, default=1990)
    p.add_argument("--to-year", type=int, default=2036)
    p.add_argument("--zones", default=",".join(ZONES))
    a = p.parse_args()
    rng = random.Random(a.seed)
    zones = a.zones.split(",")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(zones) + "\n")
    try:
        out = subprocess.run([sys.executable, GENERATOR, "--zones", f.name, "--seed", str(a.seed), "--random", "2000"],
                             check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(f.name)
    low = calendar.timegm((a.from_year, 1, 1, 0, 0, 0))
    high = calendar.timegm((a.to_year + 1, 1, 1, 0, 0, 0))
    cases = {"normal": [], "gap": [], "overlap": []}
    for line in out.splitlines():
        if not line.startswith("L\t"):
            continue
        _, _, zone, wall, fraction, sep, kind, _, _ = line.split("\t")
        if zone in zones and low <= int(wall) < high:
            cases[kind].append((zone, int(wall), fraction, sep))
    third = a.rows // 3
    picked = [(c, k) for k in ("gap", "overlap") for c in rng.sample(cases[k], min(third, len(cases[k])))]
    picked += [(c, "normal") for c in rng.sample(cases["normal"], min(a.rows - len(picked), len(cases["normal"])))]
    rng.shuffle(picked)
    with open(a.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "zone", "when", "class"])
        for i, ((zone, wall, fraction, sep), kind) in enumerate(picked):
            t = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=wall)
            when = t.strftime("%Y-%m-%d") + sep + t.strftime("%H:%M:%S") + ("" if fraction == "-" else "." + fraction)
            # Now and then an offset, a value no format reads, another zone
            # (spaces around it, UTC, an offset) or one Decant does not know:
            # the class is then `altered`.
            original = (zone, when)
            r = rng.random()
            if r < 0.03:
                when = when + rng.choice(["Z", "+05:30", "-0330", "+01"])
            elif r < 0.05:
                when = rng.choice(["", "2021-02-30 10:00:00", "soon", "2021-13-01"])
            r = rng.random()
            if r < 0.03:
                zone = rng.choice([" " + zone + " ", "\t" + zone, "UTC", "Etc/UTC", "+05:45", "-03:30", "Z"])
            elif r < 0.05:
                zone = rng.choice(["", "America/New_Yrok", "Mars/Olympus", "europe/berlin"])
            w.writerow([i, zone, when, kind if (zone, when) == original else "altered"])
    print(f"{len(picked)} rows: {sum(1 for _, k in picked if k == 'gap')} in gaps, "
          f"{sum(1 for _, k in picked if k == 'overlap')} in overlaps", file=sys.stderr)


if __name__ == "__main__":
    main()
