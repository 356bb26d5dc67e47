#!/usr/bin/env python3
"""bench/events-regex-recipe.json in Polars (lazy, streaming sink).

Scans every column as String (empty cell = null) and, in the recipe's order:
extracts the first double-quoted lower-case word of note into quoted_word and
the first number into note_number (each right after note, the later one
first; null when nothing matches), turns every "..." in note into '...',
and keeps the rows whose note mentions refund, cancel or return or holds a
digit; writes CSV in input row order.

Polars' regexes are Rust's regex crate; the patterns avoid everything whose
meaning differs from ICU's (Decant) and RE2's (DuckDB): \\b \\w \\d \\s are
ASCII in RE2 but Unicode in ICU and Rust; `.` excludes only LF in Rust and
RE2 but every line terminator (CR, VT, FF, U+0085, U+2028, U+2029) in ICU;
`$` also matches before a final line end in ICU.
str.replace changes the first match only: str.replace_all is used. In a
replacement Rust reads `$1x` as the group named "1x": `${1}` is used.
str.extract gives null when nothing matches, as the recipe's extract does.

Usage: peer_polars_regex.py INPUT OUTPUT
"""

import sys

import polars as pl


def main():
    src, out = sys.argv[1], sys.argv[2]
    note = pl.col("note")
    (
        pl.scan_csv(src, infer_schema=False)
        .with_columns(
            note.str.extract(r'([0-9]+(?:[.][0-9]+)?)', 1).alias("note_number"),
            note.str.extract(r'"([a-z]+)"', 1).alias("quoted_word"))
        .with_columns(note.str.replace_all(r'"([^"]*)"', "'${1}'"))
        .filter(note.str.contains(r"refund|cancel|return|[0-9]").fill_null(False))
        .select("event_id", "user_id", "country", "Amount USD", "event_time",
                "note", "note_number", "quoted_word")
        .sink_csv(out)
    )


if __name__ == "__main__":
    main()
