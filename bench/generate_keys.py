#!/usr/bin/env python3
"""Write a seeded, deterministic "keys" CSV for the dedupe-cardinality benchmark.

Columns: key,k100,amount,city

- key: "k" + 12 digits, a different value on every row (as many distinct keys
  as rows), in shuffled order: row i holds P(i), where P is a seeded
  pseudo-random permutation of 0..10^12-1 (a 4-round Feistel network on 40
  bits, cycle-walking past 10^12), so a dedupe on key removes nothing and has
  to remember every key.
- k100: one of 100 values g00..g99 drawn at random, so a dedupe on k100 keeps
  100 rows (the first row of each value, in input order).
- amount: a decimal with two places, about 3% empty (null).
- city: a city name, about 3% empty; some hold a comma and are quoted
  (RFC 4180, minimal quoting). Lines end in LF.

The same --rows/--seed always give the same bytes (with the same Python
version). 10 million rows (~330 MB) take about 15 seconds.

Usage: generate_keys.py [--rows N] [--seed S] [--out PATH]
"""

import random

import datagen
from datagen import csv_field, with_nulls

HEADER = "key,k100,amount,city\n"
NULL_RATE = 0.03
CHUNK = 200_000
MOD = 10**12

CITIES = [
    "Amsterdam", "Berlin", "Bogotá", "Cairo", "Chicago", "Delhi", "Dublin",
    "Hanoi", "Istanbul", "Jakarta", "Lagos", "Lima", "Lisbon", "London",
    "Madrid", "Manila", "Mexico City", "Montréal", "Mumbai", "Nairobi",
    "Osaka", "Oslo", "Paris", "Prague", "Rome", "Santiago", "São Paulo",
    "Seoul", "Singapore", "Stockholm", "Sydney", "Taipei", "Tokyo", "Toronto",
    "Vienna", "Warsaw", "Zürich", "Washington, D.C.", "Portland, OR",
    "Paris, TX",
]




def make_permutation(rng):
    """A seeded bijection on 0..MOD-1: Feistel rounds on 40 bits, cycle-walking."""
    keys = [rng.getrandbits(20) for _ in range(4)]
    mask = (1 << 20) - 1

    def permute(x: int) -> int:
        while True:
            left, right = x >> 20, x & mask
            for k in keys:
                f = ((right * 0x9E3779B1 + k) >> 7 ^ right * 0x85EBCA6B) & mask
                left, right = right, left ^ f
            x = left << 20 | right
            if x < MOD:       # 2^40 > 10^12: walk until the value is in range
                return x

    return permute


def generate(rows: int, seed: int, out):
    rng = random.Random(seed)
    permute = make_permutation(rng)
    groups = [f"g{i:02d}" for i in range(100)]
    amounts = with_nulls([f"{c // 100}.{c % 100:02d}" for c in range(1, 200_000)], NULL_RATE, rng)
    cities = with_nulls([csv_field(c) for c in CITIES] * 25, NULL_RATE, rng)

    out.write(HEADER.encode())
    written = 0
    while written < rows:
        k = min(CHUNK, rows - written)
        keys = ["k%012d" % permute(i) for i in range(written, written + k)]
        chunk = zip(
            keys,
            rng.choices(groups, k=k),
            rng.choices(amounts, k=k),
            rng.choices(cities, k=k),
        )
        out.write(("\n".join(map(",".join, chunk)) + "\n").encode())
        written += k



if __name__ == "__main__":
    datagen.main(__doc__, generate, 10_000_000, max_rows=MOD)
