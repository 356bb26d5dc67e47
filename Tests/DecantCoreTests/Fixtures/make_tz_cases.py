#!/usr/bin/env python3
"""Generate tz-cases.json: expected values for Decant's time-zone conversion tests.

The expected values are computed independently of Decant, with Python's
`zoneinfo` reading the system IANA tz database (/usr/share/zoneinfo) -- the
same data Foundation's `TimeZone` uses on Linux. Never regenerate these values
with Decant's own code.

Usage:  python3 make_tz_cases.py            (writes tz-cases.json next to this file)
        python3 make_tz_cases.py OUT.json

Output: a JSON array, one case per line, in a deterministic order
(zone list order, then chronological, then policy order). Two kinds of case:

  {"kind":"to_utc","zone":Z,"local":"YYYY-MM-DD HH:MM:SS",
   "ambiguous":"earlier|later|reject","nonexistent":"shift_forward|reject",
   "class":"normal|gap|overlap","expected":"YYYY-MM-DDTHH:MM:SSZ" | "reject"}

  {"kind":"from_utc","utc":"YYYY-MM-DDTHH:MM:SSZ","zone":Z,
   "expected":"YYYY-MM-DDTHH:MM:SS+HH:MM"}   ("...Z" when the zone is UTC,
                                               per DESIGN.md section 3)

Rules (DESIGN.md section 3, 'Time-zone rules, exactly'):
  * normal  -- the wall time occurs once: its unique instant, whatever the policy.
  * overlap -- the wall time occurs twice (fall-back): ambiguous=earlier takes the
               first instant (offset in force BEFORE the transition), later the
               second (offset AFTER), reject gives "reject".
  * gap     -- the wall time never occurs (spring-forward): nonexistent=shift_forward
               moves it later by the length of the gap, i.e. instant = local minus
               the offset in force BEFORE the transition (java.time's behaviour:
               02:30 New York on 2024-03-10 -> 03:30 EDT = 07:30Z); reject gives
               "reject".
Each value is derived twice -- once explicitly from the transition list found by
scanning the database, once by zoneinfo's fold=0/fold=1 round trip -- and the
script stops with an AssertionError if the two disagree.
"""

import datetime as dt
import json
import os
import sys
from zoneinfo import ZoneInfo

TZDIR = "/usr/share/zoneinfo"
UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1)

# Zones covered, in output order.
ZONES = [
    "America/New_York",
    "Europe/Berlin",
    "Europe/London",
    "Australia/Lord_Howe",   # +10:30 standard, 30-minute DST (+11:00); 1-hour DST 1981-85
    "Asia/Kathmandu",        # +05:45 since 1986 (was +05:30): a 15-minute gap
    "Australia/Adelaide",    # +09:30 with DST
    "America/St_Johns",      # -03:30 with DST; transitions at 00:01 until 2011; 1988 double DST
    "Pacific/Auckland",      # southern hemisphere
    "America/Sao_Paulo",     # DST (transitions at midnight) until 2019
    "Asia/Tehran",           # +03:30, DST until 2022, +04/+05 in 1977-78
    "Europe/Moscow",         # 2011 (+03 -> +04 permanent) and 2014 (+04 -> +03)
    "Pacific/Apia",          # skipped Friday 2011-12-30 entirely (-10 -> +14)
    "Africa/Casablanca",     # Ramadan transitions (+01 <-> +00)
    "Asia/Kolkata",          # no transitions since 1970
    "UTC",
]

# Transitions that must be in the sample, named by the local date on which the
# transition happens, read in the offset in force before it.
FORCED = {
    "America/New_York": ["2024-03-10", "2024-11-03"],
    "Australia/Lord_Howe": ["2024-04-07", "2024-10-06"],
    "Asia/Kathmandu": ["1986-01-01"],
    "America/St_Johns": ["1988-04-03", "1988-10-30"],   # 2-hour gap/overlap
    "America/Sao_Paulo": ["2018-11-04", "2019-02-17"],  # last DST start/end, at 00:00
    "Asia/Tehran": ["2022-09-22"],                      # last DST end
    "Europe/Moscow": ["1992-01-19", "2011-03-27", "2014-10-26"],
    "Pacific/Apia": ["2011-12-30"],                     # the 24-hour gap
}

MAX_TRANSITIONS_PER_ZONE = 6     # forced ones may push a zone above this
SCAN_START = dt.datetime(1970, 1, 1, tzinfo=UTC)
SCAN_END = dt.datetime(2038, 1, 1, tzinfo=UTC)   # transitions 1970..2037
SCAN_STEP = 3600                 # no two transitions in 1970..2037 are under an hour apart

# Ordinary wall times tried in every zone (1970s, 2000s, 2030s). Their class is
# computed like any other; almost all are normal.
ORDINARY_LOCAL_TIMES = [
    "1971-01-15 12:00:00",
    "1978-07-04 08:15:30",
    "2000-02-29 06:30:00",
    "2003-02-28 23:59:59",
    "2008-08-08 08:08:08",
    "2031-12-31 00:00:00",
    "2036-06-15 14:45:00",
]

# Every policy combination, in output order.
POLICIES = [(a, n) for a in ("earlier", "later", "reject")
            for n in ("shift_forward", "reject")]


# ---------------------------------------------------------------- tz helpers

def load_zone(name):
    """Load a zone straight from the system database file (no pip 'tzdata')."""
    with open(os.path.join(TZDIR, name), "rb") as f:
        return ZoneInfo.from_file(f, key=name)


def offset_at(tz, ts):
    """UTC offset in seconds in force at the instant `ts` (Unix seconds)."""
    return int(dt.datetime.fromtimestamp(ts, tz).utcoffset().total_seconds())


def local_of(tz, ts):
    """Naive local wall time at instant `ts`."""
    return dt.datetime.fromtimestamp(ts, tz).replace(tzinfo=None)


def wall_seconds(naive):
    """A naive wall time as 'seconds since 1970-01-01 00:00 on the wall clock'."""
    return int((naive - EPOCH).total_seconds())


def wall_from_seconds(s):
    return EPOCH + dt.timedelta(seconds=s)


def find_transitions(tz):
    """All instants in [SCAN_START, SCAN_END) where the UTC offset changes.

    Scans hour by hour, then bisects each change down to the exact second.
    Returns [(ts, offset_before, offset_after)], chronological. Changes of
    abbreviation or isdst alone (same offset) are not transitions here: they
    create neither a gap nor an overlap.
    """
    start, end = int(SCAN_START.timestamp()), int(SCAN_END.timestamp())
    out = []
    prev_t, prev_off = start, offset_at(tz, start)
    for t in range(start + SCAN_STEP, end + 1, SCAN_STEP):
        off = offset_at(tz, t)
        if off != prev_off:
            lo, hi = prev_t, t          # offset(lo) == prev_off != offset(hi)
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if offset_at(tz, mid) == prev_off:
                    lo = mid
                else:
                    hi = mid
            assert offset_at(tz, hi) == off, "two changes inside one scan step"
            if hi < end:
                out.append((hi, prev_off, off))
            prev_off = off
        prev_t = t
    return out


# ------------------------------------------------------------ classification

def classify(tz, zone, naive, transitions):
    """Classify a wall time and compute its instant(s).

    Returns (cls, info):
      normal  -> info = {"instant": u}
      overlap -> info = {"earlier": u1, "later": u2}
      gap     -> info = {"shift_forward": u}
    """
    L = wall_seconds(naive)

    # 1. Explicit: a wall time L in a zone is the instant L - o for every offset
    #    o the zone uses such that o really is the offset in force at L - o.
    offsets = {offset_at(tz, L)} | {o for _, b, a in transitions for o in (b, a)}
    valid = sorted({L - o for o in offsets if offset_at(tz, L - o) == o})
    if len(valid) == 1:
        cls, info = "normal", {"instant": valid[0]}
    elif len(valid) == 2:
        # The transition whose overlap contains L: ts+after <= L < ts+before.
        [(ts, before, after)] = [t for t in transitions if t[0] + t[2] <= L < t[0] + t[1]]
        assert valid == [L - before, L - after], (zone, naive)
        cls, info = "overlap", {"earlier": L - before, "later": L - after}
    elif not valid:
        # The transition whose gap contains L: ts+before <= L < ts+after.
        [(ts, before, after)] = [t for t in transitions if t[0] + t[1] <= L < t[0] + t[2]]
        shifted = L - before                      # offset BEFORE the transition
        # ...which reads as L moved later by the gap's length:
        assert local_of(tz, shifted) == naive + dt.timedelta(seconds=after - before)
        cls, info = "gap", {"shift_forward": shifted}
    else:
        raise AssertionError(f"{zone} {naive}: more than two instants {valid}")

    # 2. Cross-check by round-tripping through zoneinfo with fold=0 and fold=1.
    u0 = int(naive.replace(tzinfo=tz, fold=0).timestamp())
    u1 = int(naive.replace(tzinfo=tz, fold=1).timestamp())
    back0, back1 = local_of(tz, u0) == naive, local_of(tz, u1) == naive
    if back0 and back1 and u0 == u1:
        rt = "normal"
        assert info == {"instant": u0}
    elif back0 and back1 and u0 < u1:
        rt = "overlap"
        assert info == {"earlier": u0, "later": u1}
    elif not back0 and not back1 and u0 > u1:
        rt = "gap"
        assert info == {"shift_forward": u0}
    else:
        raise AssertionError(f"{zone} {naive}: odd round trip {u0} {u1}")
    assert rt == cls, (zone, naive, cls, rt)
    return cls, info


# ---------------------------------------------------------------- formatting

def fmt_utc(ts):
    return dt.datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fmt_local(naive):
    return naive.strftime("%Y-%m-%d %H:%M:%S")


def fmt_in_zone(tz, zone, ts):
    """ISO 8601 with a +HH:MM offset; None if the offset has seconds (skipped)."""
    local = dt.datetime.fromtimestamp(ts, tz)
    off = int(local.utcoffset().total_seconds())
    if off % 60:
        return None
    body = local.strftime("%Y-%m-%dT%H:%M:%S")
    if zone == "UTC":
        return body + "Z"
    sign = "+" if off >= 0 else "-"
    h, m = divmod(abs(off) // 60, 60)
    return f"{body}{sign}{h:02d}:{m:02d}"


def to_utc_cases(tz, zone, naive, transitions):
    cls, info = classify(tz, zone, naive, transitions)
    for ambiguous, nonexistent in POLICIES:
        if cls == "normal":
            expected = fmt_utc(info["instant"])
        elif cls == "overlap":
            expected = "reject" if ambiguous == "reject" else fmt_utc(info[ambiguous])
        else:
            expected = "reject" if nonexistent == "reject" else fmt_utc(info["shift_forward"])
        yield {"kind": "to_utc", "zone": zone, "local": fmt_local(naive),
               "ambiguous": ambiguous, "nonexistent": nonexistent,
               "class": cls, "expected": expected}


def from_utc_case(tz, zone, ts):
    expected = fmt_in_zone(tz, zone, ts)
    if expected is None:
        return None
    return {"kind": "from_utc", "utc": fmt_utc(ts), "zone": zone, "expected": expected}


# ------------------------------------------------------------------ sampling

def transition_date(tr):
    ts, before, _ = tr
    return wall_from_seconds(ts + before).strftime("%Y-%m-%d")


def sample_transitions(zone, transitions):
    """Forced transitions, then first/last, first/last gap and overlap, then
    evenly spaced ones, up to MAX_TRANSITIONS_PER_ZONE; chronological."""
    n = len(transitions)
    chosen = []
    for day in FORCED.get(zone, []):
        hits = [i for i, t in enumerate(transitions) if transition_date(t) == day]
        assert len(hits) == 1, f"{zone}: forced transition {day} found {len(hits)} times"
        chosen.append(hits[0])
    gaps = [i for i, t in enumerate(transitions) if t[2] > t[1]]
    overlaps = [i for i, t in enumerate(transitions) if t[2] < t[1]]
    preferred = [0, n - 1] + gaps[:1] + overlaps[:1] + gaps[-1:] + overlaps[-1:]
    k = MAX_TRANSITIONS_PER_ZONE
    preferred += [round(j * (n - 1) / (k - 1)) for j in range(k)] if n > 1 else []
    preferred += list(range(n))
    limit = max(k, len(chosen))
    for i in preferred:
        if len(chosen) >= limit:
            break
        if 0 <= i < n and i not in chosen:
            chosen.append(i)
    return [transitions[i] for i in sorted(chosen)]


def wall_points(tr):
    """Wall times around a gap or overlap: just before, first second, middle,
    last second, just after."""
    ts, before, after = tr
    lo, hi = ts + min(before, after), ts + max(before, after)   # [lo, hi) is the gap/overlap
    return [wall_from_seconds(s) for s in (lo - 1, lo, lo + (hi - lo) // 2, hi - 1, hi)]


# ---------------------------------------------------------------------- main

def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "tz-cases.json")
    cases = []
    for zone in ZONES:
        tz = load_zone(zone)
        transitions = find_transitions(tz)
        sample = sample_transitions(zone, transitions)

        for tr in sample:
            for naive in wall_points(tr):
                cases.extend(to_utc_cases(tz, zone, naive, transitions))
        for text in ORDINARY_LOCAL_TIMES:
            naive = dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
            cases.extend(to_utc_cases(tz, zone, naive, transitions))

        # from_utc: either side of each sampled transition, then the ordinary times.
        instants = []
        for ts, _, _ in sample:
            instants += [ts - 3600, ts - 1, ts, ts + 3600]
        for text in ORDINARY_LOCAL_TIMES:
            instants.append(wall_seconds(dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")))
        for ts in instants:
            case = from_utc_case(tz, zone, ts)
            if case:
                cases.append(case)

        print(f"{zone}: {len(transitions)} transitions 1970-2037, sampled "
              + ", ".join(transition_date(t) for t in sample), file=sys.stderr)

    # One case per line, duplicates dropped (first occurrence kept).
    lines, seen = [], set()
    for c in cases:
        line = json.dumps(c, separators=(",", ":"))
        if line not in seen:
            seen.add(line)
            lines.append(line)
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        f.write("[\n" + ",\n".join(lines) + "\n]\n")

    version = "unknown"
    try:
        with open(os.path.join(TZDIR, "tzdata.zi"), encoding="utf-8") as f:
            version = f.readline().strip().removeprefix("# version ")
    except OSError:
        pass
    print(f"wrote {len(lines)} cases to {out_path} (tz database {version})", file=sys.stderr)


if __name__ == "__main__":
    main()
