#!/usr/bin/env python3
"""Write a seeded, deterministic events CSV for the benchmark.

Columns: event_id,user_id,country,Amount USD,event_time,note

- About 5% of rows repeat an earlier event_id (other cells drawn afresh), so a
  keep-first dedupe on event_id removes exactly those rows.
- About 10% of the cells of every column but event_id are empty (null).
- event_time is New York wall-clock time, "%Y-%m-%d %H:%M:%S", over 2023-2024,
  never inside a spring-forward gap or a fall-back repeated hour, so the
  conversion to UTC is unambiguous for every engine.
- note is free text; some values hold commas, double quotes and line feeds
  and are quoted (RFC 4180, minimal quoting, quotes doubled). Lines end in LF.

The same --rows/--seed always give the same bytes (with the same Python
version). Rows are built in chunks from pre-encoded value pools, so 10 million
rows (~1 GB) take about a minute.

Usage: generate_events.py [--rows N] [--seed S] [--out PATH]
"""

import datetime as dt
import random

import datagen
from datagen import csv_field, with_nulls
from zoneinfo import ZoneInfo

HEADER = "event_id,user_id,country,Amount USD,event_time,note\n"
DUP_RATE = 0.05
NULL_RATE = 0.10
CHUNK = 200_000

COUNTRIES = (
    "US CA MX BR AR GB IE FR DE NL BE ES PT IT CH AT SE NO DK FI PL CZ GR TR "
    "IL AE IN PK CN JP KR TW HK SG MY TH VN PH ID AU NZ ZA NG EG KE MA"
).split()

WORDS = (
    "refund checkout promo retry mobile web desktop gift card coupon login "
    "signup upgrade downgrade trial renewal cancel support ticket shipped "
    "delivered returned damaged late early weekend holiday sale bundle "
    "premium basic family student annual monthly invoice receipt paypal "
    "visa amex wire crypto tip donation bonus loyalty points"
).split()

EXTRAS = [
    "café au lait", "naïve user", "Zürich office", "東京 store", "🚀 launch",
    "1,000 pts", "size 10.5", "n/a", "NULL", "-", "0", "1e5", "TRUE",
    "  leading spaces", "trailing spaces  ", "tab\there",
]




def make_notes(rng, n):
    """Free-text notes; some with commas, doubled quotes, newlines, non-ASCII."""
    notes = []
    for _ in range(n):
        words = rng.choices(WORDS, k=rng.randint(3, 12))
        r = rng.random()
        if r < 0.10:
            text = ", ".join(words)                          # commas
        elif r < 0.14:
            text = f'said "{words[0]}" then {" ".join(words[1:])}'.strip()  # quotes
        elif r < 0.17:
            text = " ".join(words) + "\n" + rng.choice(WORDS)  # embedded LF
        elif r < 0.18:
            text = f'"{words[0]}",\n"{rng.choice(WORDS)}"'   # all three
        elif r < 0.22:
            text = rng.choice(EXTRAS)
        else:
            text = " ".join(words)
        notes.append(csv_field(text))
    return notes


def make_day_table(zone):
    """For each day of 2023-2024: ("YYYY-MM-DD ", time-of-day pool).

    On a DST transition day the pool moves hours 01 and 02 to 11 and 12, so
    no value falls in the spring-forward gap or the fall-back repeated hour.
    """
    tod = [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]
    safe = [t if t[:2] not in ("01", "02") else f"{int(t[:2]) + 10:02d}{t[2:]}" for t in tod]
    days = []
    day = dt.date(2023, 1, 1)
    while day <= dt.date(2024, 12, 31):
        start = dt.datetime(day.year, day.month, day.day, 0, 0, tzinfo=zone).utcoffset()
        end = dt.datetime(day.year, day.month, day.day, 23, 59, tzinfo=zone).utcoffset()
        days.append((day.isoformat() + " ", safe if start != end else tod))
        day += dt.timedelta(days=1)
    return days


def event_id(n: int) -> str:
    # n -> n * odd constant mod 2^32 is a bijection, so ids are unique
    # for n < 2^32 and look unordered.
    return "evt_%08x" % ((n * 0x9E3779B1) & 0xFFFFFFFF)


def generate(rows: int, seed: int, out):
    rng = random.Random(seed)
    rand = rng.random
    users = with_nulls([f"u{i:07d}" for i in range(1, 500_001)], NULL_RATE, rng)
    countries = with_nulls(COUNTRIES * 20, NULL_RATE, rng)
    amounts = with_nulls(
        [f"{c // 100}.{c % 100:02d}" for c in range(1, 100_000)]
        + [f"-{c // 100}.{c % 100:02d}" for c in range(1, 5_000)], NULL_RATE, rng)
    notes = with_nulls(make_notes(rng, 50_000), NULL_RATE, rng)
    days = make_day_table(ZoneInfo("America/New_York"))
    n_days = len(days)

    out.write(HEADER.encode())
    next_id = 0
    written = 0
    while written < rows:
        k = min(CHUNK, rows - written)
        ids = []
        for _ in range(k):
            if next_id and rand() < DUP_RATE:
                ids.append(event_id(int(rand() * next_id)))
            else:
                ids.append(event_id(next_id))
                next_id += 1
        times = []
        for _ in range(k):
            if rand() < NULL_RATE:
                times.append("")
            else:
                prefix, pool = days[int(rand() * n_days)]
                times.append(prefix + pool[int(rand() * 86400)])
        chunk = zip(
            ids,
            rng.choices(users, k=k),
            rng.choices(countries, k=k),
            rng.choices(amounts, k=k),
            times,
            rng.choices(notes, k=k),
        )
        out.write(("\n".join(map(",".join, chunk)) + "\n").encode())
        written += k



if __name__ == "__main__":
    datagen.main(__doc__, generate, 10_000_000)
