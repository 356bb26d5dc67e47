#!/usr/bin/env python3
"""bench/events-lookup-recipe.json in Polars: each event gets its user's
segment and signup_day from bench/data/users-1000000.csv (a left join on
user_id keeping input order; null ids match nothing), streaming sink.

Usage: peer_polars_lookup.py INPUT OUTPUT
"""

import os
import sys

import polars as pl

USERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "users-1000000.csv")


def main():
    src, out = sys.argv[1], sys.argv[2]
    users = pl.scan_csv(USERS, infer_schema=False).select("user_id", "segment", "signup_day")
    (
        pl.scan_csv(src, infer_schema=False)
        .join(users, on="user_id", how="left", maintain_order="left")
        .sink_csv(out)
    )


if __name__ == "__main__":
    main()
