#!/usr/bin/env python3
"""bench/events-cleaning-recipe.json in Polars (lazy, streaming sink).

Scans every column as String (empty cell = null) and, in the recipe's order:
trims note (Unicode White_Space), lower-cases it, turns its line feeds into
spaces; keeps rows whose "Amount USD" is a number >= 1 and whose country is
not CA, MX or US (a null country stays); drops rows whose note is a number
(Decant rejects them); splits event_time at the first space into event_date
and event_time_of_day; joins country and event_date with "_" into market_day
(null parts left out, null when both are); names a dozen countries; writes
the recipe's final columns in input row order.

Where Polars' defaults differ from the recipe's meaning:
- is_in, str.contains and comparisons give null on a null cell, and ~null is
  null: every predicate is fill_null(False) before it is combined or negated.
- cast(Float64, strict=False) also reads "inf" and "nan": a number is first
  checked against the recipe's grammar. Numbers are then compared as
  float64, which is exact for the file's amounts (at most 2 decimals).
- concat_str(ignore_nulls=True) gives "" when every part is null; the merge
  gives null.
- str.strip_chars() with no argument strips Unicode White_Space, as the
  recipe's trim does; the set is spelled out anyway.
- str.splitn(" ", 2) keeps the rest in the second field and gives null when
  there is no space, as the recipe's split does.

Usage: peer_polars_cleaning.py INPUT OUTPUT
"""

import sys

import polars as pl

WHITE_SPACE = ("\t\n\x0b\x0c\r \x85\xa0\u1680"
               + "".join(map(chr, range(0x2000, 0x200B)))
               + "\u2028\u2029\u202f\u205f\u3000")
NUMBER = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
COUNTRY_NAMES = {
    "AU": "Australia", "BR": "Brazil", "CH": "Switzerland", "DE": "Germany",
    "ES": "Spain", "FR": "France", "GB": "United Kingdom", "IN": "India",
    "IT": "Italy", "JP": "Japan", "NL": "Netherlands", "TR": "Türkiye",
}
OUTPUT = ["event_id", "user_id", "country", "Amount USD",
          "event_date", "event_time_of_day", "market_day", "note"]


def is_number(name):
    return pl.col(name).str.contains(NUMBER).fill_null(False)


def main():
    src, out = sys.argv[1], sys.argv[2]
    amount = pl.col("Amount USD")
    (
        pl.scan_csv(src, infer_schema=False)
        .with_columns(
            pl.col("note")
            .str.strip_chars(WHITE_SPACE)
            .str.to_lowercase()
            .str.replace_all("\n", " ", literal=True))
        .filter(
            is_number("Amount USD")
            & (amount.cast(pl.Float64, strict=False) >= 1).fill_null(False)
            & ~pl.col("country").is_in(["CA", "MX", "US"]).fill_null(False))
        .filter(~is_number("note"))
        .with_columns(
            pl.col("event_time").str.splitn(" ", 2)
            .struct.rename_fields(["event_date", "event_time_of_day"])
            .alias("parts"))
        .unnest("parts")
        .with_columns(
            pl.when(pl.col("country").is_null() & pl.col("event_date").is_null())
            .then(None)
            .otherwise(pl.concat_str(["country", "event_date"], separator="_", ignore_nulls=True))
            .alias("market_day"))
        .with_columns(pl.col("country").replace(COUNTRY_NAMES))
        .select(OUTPUT)
        .sink_csv(out)
    )


if __name__ == "__main__":
    main()
