#!/usr/bin/env python3
"""Write a seeded, deterministic wide CSV (60 columns, mostly numbers) for the benchmark.

Columns: id, name, n01..n28, category, n29..n57

- id: "r" + 8 hex digits; about 2% of rows repeat an earlier id (other cells
  drawn afresh), so a keep-first dedupe on id removes exactly those rows.
- name: a person's name, about 2% empty; some are written "Last, First" or
  hold double quotes and are quoted (RFC 4180, minimal quoting).
- category: one of a dozen words, about 1% empty.
- n01..n57: numbers, the kind cycling through small integers (0..999),
  large signed integers, decimals with two places and decimals with four
  places in [-1, 1]; the share of empty cells cycles through 1%, 3%, 0%,
  5% and 2% (n01 1%, n02 3%, n03 none, n04 5%, n05 2%, n06 1%, ...).

Lines end in LF. About 420 bytes a row: 1 million rows are ~420 MB. The same
--rows/--seed always give the same bytes (with the same Python version).

Usage: generate_wide.py [--rows N] [--seed S] [--out PATH]
"""

import random

import datagen
from datagen import csv_field, with_nulls

N_NUMERIC = 57
SPLIT = 28            # category comes after n28
DUP_RATE = 0.02
NULL_RATES = (0.01, 0.03, 0.0, 0.05, 0.02)
POOL = 100_000
CHUNK = 50_000

FIRST = ("Ada Alan Ana Ben Chen Dana Eli Emma Femi Grace Hana Ivan Jun Kai "
         "Lena Luis Maya Nia Omar Priya Ravi Sara Tom Uma Yusuf Zoe").split()
LAST = ("Adams Berg Costa Diaz Evans Fischer Garcia Huang Ito Jensen Kim "
        "Lopez Meyer Nakamura Okafor Patel Quinn Rossi Silva Tanaka Ueda "
        "Varga Wang Xu Yilmaz Zhou O'Neil Müller Søndergaard").split()
CATEGORIES = ("retail wholesale online partner government education health "
              "energy travel media finance other").split()




def column_names():
    nums = [f"n{i:02d}" for i in range(1, N_NUMERIC + 1)]
    return ["id", "name"] + nums[:SPLIT] + ["category"] + nums[SPLIT:]


def row_id(n: int) -> str:
    # n -> n * odd constant mod 2^32 is a bijection: unique ids, unordered look.
    return "r%08x" % ((n * 0x9E3779B1) & 0xFFFFFFFF)


def make_names(rng, n):
    names = []
    for _ in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        r = rng.random()
        if r < 0.05:
            text = f"{last}, {first}"
        elif r < 0.06:
            text = f'{first} "{rng.choice(FIRST)}" {last}'
        else:
            text = f"{first} {last}"
        names.append(csv_field(text))
    return names


def generate(rows: int, seed: int, out):
    rng = random.Random(seed)
    rand = rng.random
    kinds = [
        [str(rng.randrange(1000)) for _ in range(POOL)],
        [str(rng.randrange(-1_000_000, 10_000_000)) for _ in range(POOL)],
        [f"{c // 100}.{c % 100:02d}" for c in (rng.randrange(10_000_000) for _ in range(POOL))],
        [f"{x / 10000:.4f}" for x in (rng.randrange(-10_000, 10_001) for _ in range(POOL))],
    ]
    pools = {}
    numeric = []
    for i in range(N_NUMERIC):
        key = (i % len(kinds), NULL_RATES[i % len(NULL_RATES)])
        if key not in pools:
            pools[key] = with_nulls(kinds[key[0]], key[1], rng)
        numeric.append(pools[key])
    names = with_nulls(make_names(rng, 20_000), 0.02, rng)
    categories = with_nulls(CATEGORIES * 100, 0.01, rng)

    out.write((",".join(column_names()) + "\n").encode())
    next_id = 0
    written = 0
    while written < rows:
        k = min(CHUNK, rows - written)
        ids = []
        for _ in range(k):
            if next_id and rand() < DUP_RATE:
                ids.append(row_id(int(rand() * next_id)))
            else:
                ids.append(row_id(next_id))
                next_id += 1
        cols = [rng.choices(pool, k=k) for pool in numeric]
        chunk = zip(ids, rng.choices(names, k=k), *cols[:SPLIT],
                    rng.choices(categories, k=k), *cols[SPLIT:])
        out.write(("\n".join(map(",".join, chunk)) + "\n").encode())
        written += k



if __name__ == "__main__":
    datagen.main(__doc__, generate, 1_000_000)
