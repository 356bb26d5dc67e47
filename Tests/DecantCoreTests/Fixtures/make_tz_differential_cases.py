#!/usr/bin/env python3
"""Seeded time-zone conversion cases, every expected value computed by Python's zoneinfo.

The Swift test `TimeZoneDifferentialTests` runs this script at test time:

    python3 make_tz_differential_cases.py --list-zones
        prints every zone name zoneinfo knows (one a line);
    python3 make_tz_differential_cases.py --zones FILE [--seed N] [--random N]
        reads the zone names to cover (one a line; the test passes the ones
        Decant's `Zone` accepts) and prints the cases on stdout.

Zone data is read from the system database (/usr/share/zoneinfo), never from
the pip `tzdata` package. Output, one item a line, fields separated by tabs;
instants are whole seconds since 1970-01-01T00:00:00Z, wall-clock times whole
seconds since 1970-01-01 00:00 on the wall clock:

    # ...                                         comments (tz database version, counts)
    L SOURCE ZONE WALL FRACTION SEP CLASS FIRST SECOND
        a wall-clock time read in ZONE; SOURCE is `random` or `transition`;
        the value is written YYYY-MM-DD, SEP (`T` or a space), HH:MM:SS, then
        `.FRACTION` unless FRACTION is `-`. CLASS and the instants:
          normal   FIRST is its instant, SECOND is `-`
          overlap  FIRST is the earlier instant (the offset before the
                   fall-back), SECOND the later one
          gap      FIRST is the time moved later by the gap's length (the
                   wall-clock time read with the offset before the
                   transition), SECOND is `-`
    U ZONE VALUE EXPECTED
        an instant (VALUE, ISO 8601 in UTC) written in ZONE: ISO 8601 with the
        offset (+HH:MM, or +HH:MM:SS when it has seconds; `Z` when ZONE is
        UTC or one of its aliases), the fraction kept as written
    O ZONE VALUE EXPECTED
        a value carrying its own offset, read with from_zone ZONE: EXPECTED
        is its instant in UTC (ZONE must not matter)
    A ZONE NAME
        NAME's data file is identical to ZONE's (ZONE is the first such name)
    T ZONE INSTANT BEFORE AFTER
        the UTC offset of ZONE changes from BEFORE to AFTER seconds at INSTANT

Random instants are uniform over 1900-01-01 .. 2100-01-01 UTC, each in a zone
drawn uniformly from the list. Transitions are every UTC-offset change in the
same range for every distinct zone: the explicit transitions of each TZif
file, checked against zoneinfo, and those its footer rule gives after the last
explicit one, found by scanning zoneinfo week by week. Around each transition
the wall-clock times just before, at the first second, at the last second,
and just after the gap or overlap (and in its middle when it is longer than an
hour) are classified by zoneinfo's fold=0 / fold=1 round trip (PEP 495).
"""

import argparse
import datetime as dt
import hashlib
import os
import random
import struct
import sys
import zoneinfo

TZDIR = "/usr/share/zoneinfo"
UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1)
START = int(dt.datetime(1900, 1, 1, tzinfo=UTC).timestamp())
END = int(dt.datetime(2100, 1, 1, tzinfo=UTC).timestamp())
WEEK = 7 * 86_400

_zones = {}


def load(name):
    if name not in _zones:
        with open(os.path.join(TZDIR, name), "rb") as f:
            _zones[name] = zoneinfo.ZoneInfo.from_file(f, key=name)
    return _zones[name]


def offset_at(tz, ts):
    return int(dt.datetime.fromtimestamp(ts, tz).utcoffset().total_seconds())


def wall(seconds):
    return EPOCH + dt.timedelta(seconds=seconds)


def wall_seconds(naive):
    return (naive - EPOCH) // dt.timedelta(seconds=1)


def fmt_utc(ts, fraction=""):
    return wall(ts).strftime("%Y-%m-%dT%H:%M:%S") + (("." + fraction) if fraction else "") + "Z"


def fmt_offset(off):
    sign = "+" if off >= 0 else "-"
    h, rest = divmod(abs(off), 3600)
    m, s = divmod(rest, 60)
    return f"{sign}{h:02d}:{m:02d}" + (f":{s:02d}" if s else "")


def utc_aliases():
    with open(os.path.join(TZDIR, "Etc/UTC"), "rb") as f:
        utc = f.read()
    out = set()
    for name in zoneinfo.available_timezones():
        with open(os.path.join(TZDIR, name), "rb") as f:
            if f.read() == utc:
                out.add(name)
    return out


# ------------------------------------------------------------ classification

def classify(tz, seconds):
    """(class, first, second) for a wall-clock time, by the fold round trip."""
    naive = wall(seconds)
    u0 = int(naive.replace(tzinfo=tz, fold=0).timestamp())
    u1 = int(naive.replace(tzinfo=tz, fold=1).timestamp())
    # An instant "round-trips" when it reads as the same wall-clock time.
    back0 = u0 + offset_at(tz, u0) == seconds
    back1 = u1 + offset_at(tz, u1) == seconds
    if u0 == u1 and back0:
        return "normal", u0, None
    if u0 < u1 and back0 and back1:
        return "overlap", u0, u1
    if u0 > u1 and not back0 and not back1:
        # fold=0 reads the time with the offset in force before the transition:
        # the time moved later by the gap's length.
        assert u0 + offset_at(tz, u0) == seconds + (u0 - u1), (tz.key, naive)
        return "gap", u0, None
    raise AssertionError(f"{tz.key} {naive}: odd round trip {u0} {u1} {back0} {back1}")


def local_line(source, zone, seconds, fraction="", separator=" "):
    """An L line for the wall-clock time `seconds` (since 1970-01-01 00:00 on the wall clock)."""
    cls, first, second = classify(load(zone), seconds)
    return "\t".join([
        "L", source, zone, str(seconds), fraction or "-", separator, cls, str(first),
        "-" if second is None else str(second),
    ])


# ------------------------------------------------------------- transitions

def read_tzif(path):
    """(explicit transition instants, footer TZ string) of a TZif file."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:4] == b"TZif", path

    def counts(at):
        return struct.unpack(">6l", data[at + 20:at + 44])

    isutc, isstd, leap, timecnt, typecnt, charcnt = counts(0)
    if data[4] == 0:
        return list(struct.unpack(f">{timecnt}l", data[44:44 + 4 * timecnt])), ""
    at = 44 + timecnt * 5 + typecnt * 6 + charcnt + leap * 8 + isstd + isutc
    isutc, isstd, leap, timecnt, typecnt, charcnt = counts(at)
    times = list(struct.unpack(f">{timecnt}q", data[at + 44:at + 44 + 8 * timecnt]))
    end = at + 44 + timecnt * 9 + typecnt * 6 + charcnt + leap * 12 + isstd + isutc
    return times, data[end:].decode("ascii").strip()


def bisect_change(tz, lo, hi):
    """The first second in (lo, hi] whose offset differs from lo's."""
    before = offset_at(tz, lo)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if offset_at(tz, mid) == before:
            lo = mid
        else:
            hi = mid
    return hi


def transitions(zone):
    """[(ts, offset_before, offset_after)] for every offset change in [START, END)."""
    tz = load(zone)
    out = []
    explicit, footer = read_tzif(os.path.join(TZDIR, zone))
    for ts in explicit:
        if START < ts < END:
            before, after = offset_at(tz, ts - 1), offset_at(tz, ts)
            if before != after:
                out.append((ts, before, after))
    # After the last explicit transition a footer rule with daylight saving
    # time ("STD off DST,start,end") goes on changing the offset: scan it.
    if "," in footer:
        t = max([START] + [ts for ts in explicit if ts < END])
        off = offset_at(tz, t)
        found = []
        while t < END - 1:
            nxt = min(t + WEEK, END - 1)
            o = offset_at(tz, nxt)
            if o != off:
                ts = bisect_change(tz, t, nxt)
                found.append((ts, offset_at(tz, ts - 1), offset_at(tz, ts)))
                off = offset_at(tz, ts)
                t = ts
            else:
                t = nxt
        # The rule gives two changes a year; a week's step cannot have missed any.
        years = {wall(ts).year for ts, _, _ in found}
        assert len(found) >= 2 * len(years) - 2, (zone, len(found), len(years))
        out += found
    # Nothing changes between consecutive transitions (checked half way).
    points = [START] + [ts for ts, _, _ in out] + [END]
    for a, b in zip(points, points[1:]):
        if b - a > 2:
            assert offset_at(tz, a) == offset_at(tz, (a + b) // 2), (zone, a, b)
    return out


def transition_walls(tr):
    """Wall-clock times around a gap or overlap [lo, hi): just before, the first
    and last seconds inside, the middle when it is longer than an hour, and
    just after."""
    ts, before, after = tr
    lo, hi = ts + min(before, after), ts + max(before, after)
    points = {lo - 1, lo, hi - 1, hi}
    if hi - lo > 3600:
        points.add(lo + (hi - lo) // 2)
    return sorted(points)


# ------------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--list-zones", action="store_true")
    parser.add_argument("--zones")
    parser.add_argument("--seed", type=int, default=20_240_310)
    parser.add_argument("--random", type=int, default=30_000)
    parser.add_argument("--offsets", type=int, default=2_000)
    args = parser.parse_args()

    if args.list_zones:
        print("\n".join(sorted(zoneinfo.available_timezones())))
        return
    with open(args.zones, encoding="utf-8") as f:
        zones = sorted({line.strip() for line in f if line.strip()})
    available = zoneinfo.available_timezones()
    unknown = [z for z in zones if z not in available]
    assert not unknown, f"not zoneinfo zones: {unknown}"

    version = "unknown"
    try:
        with open(os.path.join(TZDIR, "tzdata.zi"), encoding="utf-8") as f:
            version = f.readline().strip().removeprefix("# version ")
    except OSError:
        pass
    out = [f"# tzdata {version}, seed {args.seed}, {len(zones)} zones"]
    rng = random.Random(args.seed)
    utc_names = utc_aliases()

    # Random instants: the wall-clock time there, and the instant written in the zone.
    fractions = ["5", "25", "125", "000001", "999999", "123456789"]
    for _ in range(args.random):
        zone = rng.choice(zones)
        tz = load(zone)
        ts = rng.randrange(START, END)
        fraction = rng.choice(fractions) if rng.random() < 0.25 else ""
        local = dt.datetime.fromtimestamp(ts, tz)
        naive = local.replace(tzinfo=None)
        out.append(local_line("random", zone, wall_seconds(naive), fraction, rng.choice(["T", " "])))
        off = int(local.utcoffset().total_seconds())
        text = naive.strftime("%Y-%m-%dT%H:%M:%S") + (("." + fraction) if fraction else "")
        expected = text + ("Z" if zone in utc_names and off == 0 else fmt_offset(off))
        out.append("\t".join(["U", zone, fmt_utc(ts, fraction), expected]))

    # Values with their own offset: from_zone is ignored for them.
    for _ in range(args.offsets):
        zone = rng.choice(zones)
        ts = rng.randrange(START, END)
        off = rng.choice([0, 1, -1]) * rng.randrange(0, 14 * 60 + 1) * 60
        written = wall(ts + off).strftime("%Y-%m-%dT%H:%M:%S")
        suffix = rng.choice((["Z"] if off == 0 else []) + [fmt_offset(off), fmt_offset(off).replace(":", "")])
        out.append("\t".join(["O", zone, written + suffix, fmt_utc(ts)]))

    # Every transition of every distinct zone (first name of each set of identical
    # files); A lines name the set each zone belongs to.
    groups = {}
    for zone in zones:
        with open(os.path.join(TZDIR, zone), "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        groups.setdefault(digest, []).append(zone)
    count = 0
    for names in groups.values():
        zone = names[0]
        for name in names:
            out.append(f"A\t{zone}\t{name}")
        for tr in transitions(zone):
            count += 1
            out.append("\t".join(["T", zone] + [str(v) for v in tr]))
            for s in transition_walls(tr):
                out.append(local_line("transition", zone, s))
    out.append(f"# {count} transitions in {len(groups)} distinct zones")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
