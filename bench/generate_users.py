#!/usr/bin/env python3
"""Writes a seeded users reference for the lookup benchmark: user_id (u0000001
… the row count, the ids of bench/generate_events.py and as many that no
event names), segment, signup_day and a lifetime value; ~5% empty cells
outside the key.

Usage: generate_users.py --rows N --seed S --out PATH
"""

import argparse
import datetime
import random

SEGMENTS = ["consumer", "small business", "enterprise", "education", "public sector", "partner"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    start = datetime.date(2015, 1, 1)
    with open(args.out, "w", encoding="utf-8", newline="") as out:
        out.write("user_id,segment,signup_day,lifetime_value\n")
        for i in range(1, args.rows + 1):
            segment = "" if rng.random() < 0.05 else rng.choice(SEGMENTS)
            day = "" if rng.random() < 0.05 else (start + datetime.timedelta(days=rng.randrange(3650))).isoformat()
            value = "" if rng.random() < 0.05 else f"{rng.randrange(100000) / 100:.2f}"
            out.write(f"u{i:07d},{segment},{day},{value}\n")


if __name__ == "__main__":
    main()
