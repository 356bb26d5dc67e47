#!/usr/bin/env python3
"""bench/events-types-recipe.json in Polars (lazy, streaming sink).

Scans every column as String (empty cell = null) and, in the recipe's order:
casts "Amount USD" to an exact decimal and rounds it to one fraction digit,
halves away from zero; adds event_week, the ISO week of event_time, after it;
masks user_id but its last three characters and adds user_key after it, the
SHA-256 of "decant-bench" + user_id in lowercase hex; appends region from
bench/country_regions.csv by country (a left join keeping input order; null
countries match nothing).

Where Polars differs from the recipe's meaning:
- Decimal needs a scale: Decimal(18, 2) holds every amount of the file (at
  most two fraction digits); rounding a Decimal keeps its scale, so the
  rounded value is cast to Decimal(18, 1) to be written with one digit.
- Polars has no SHA-256: the hashes are computed with Python's hashlib over
  each batch of values (map_batches), the only way without a plugin.

Usage: peer_polars_types.py INPUT OUTPUT
"""

import hashlib
import os
import sys

import polars as pl

REFERENCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "country_regions.csv")
SALT = b"decant-bench"


def sha256_hex(values: pl.Series) -> pl.Series:
    return pl.Series(
        [None if v is None else hashlib.sha256(SALT + v.encode()).hexdigest() for v in values.to_list()],
        dtype=pl.String)


def main():
    src, out = sys.argv[1], sys.argv[2]
    regions = pl.scan_csv(REFERENCE, infer_schema=False).select("code", "region")
    user = pl.col("user_id")
    (
        pl.scan_csv(src, infer_schema=False)
        .with_columns(
            pl.col("Amount USD").cast(pl.Decimal(18, 2))
            .round(1, mode="half_away_from_zero").cast(pl.Decimal(18, 1)),
            pl.col("event_time").str.strptime(pl.Datetime, "%Y-%m-%d %H:%M:%S").dt.week()
            .cast(pl.Int64).alias("event_week"),
            user.map_batches(sha256_hex, return_dtype=pl.String).alias("user_key"),
            pl.concat_str([
                pl.lit("*").repeat_by((user.str.len_chars() - 3).clip(lower_bound=0)).list.join(""),
                user.str.slice(-3)]).alias("user_id"),
        )
        .join(regions, left_on="country", right_on="code", how="left", maintain_order="left")
        .select("event_id", "user_id", "user_key", "country", "Amount USD", "event_time", "event_week",
                "note", "region")
        .sink_csv(out)
    )


if __name__ == "__main__":
    main()
