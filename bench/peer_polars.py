#!/usr/bin/env python3
"""The benchmark recipe in Polars (lazy, streaming sink): events CSV in, cleaned CSV out.

Scans every column as String (empty cell = null), keeps the first row of each
event_id in input order, fills a missing country with ZZ, converts event_time
from New York wall-clock time to UTC, renames "Amount USD" to amount_usd, and
writes CSV in input row order.

Usage: peer_polars.py INPUT OUTPUT
"""

import sys

import polars as pl


def main():
    src, out = sys.argv[1], sys.argv[2]
    (
        pl.scan_csv(src, infer_schema=False)
        .rename({"Amount USD": "amount_usd"})
        .unique(subset=["event_id"], keep="first", maintain_order=True)
        .with_columns(
            pl.col("country").fill_null("ZZ"),
            pl.col("event_time")
            .str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S")
            .dt.replace_time_zone("America/New_York")
            .dt.convert_time_zone("UTC")
            .dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        .sink_csv(out)
    )


if __name__ == "__main__":
    main()
