#!/usr/bin/env python3
"""bench/events-regex-recipe.json in DuckDB SQL: events CSV in, CSV out.

Reads every column as VARCHAR (empty cell = NULL) and, in the recipe's order:
extracts the first double-quoted lower-case word of note into quoted_word and
the first number into note_number (each right after note, the later one
first; NULL when nothing matches), turns every "..." in note into '...',
and keeps the rows whose note mentions refund, cancel or return or holds a
digit; writes CSV in input row order (one streaming query, insertion order
preserved).

DuckDB's regexes are RE2; the patterns avoid everything whose meaning
differs from ICU's (Decant) and Rust's (Polars): \\b \\w \\d \\s are ASCII in
RE2 but Unicode in the others; `.` excludes only LF in RE2 and Rust but
every line terminator (CR, VT, FF, U+0085, U+2028, U+2029) in ICU; `$` also
matches before a final line end in ICU. Further differences:
- regexp_extract gives '' when nothing matches; the recipe gives NULL. Both
  groups here match at least one character, so NULLIF(..., '') is exact.
- regexp_replace replaces the first match only unless given 'g', and writes
  a group as \\1 (the recipe's $1).
- regexp_matches searches (is not anchored), like the recipe's matches.

Usage: peer_duckdb_regex.py INPUT OUTPUT
"""

import sys

import duckdb

QUOTED_PHRASE = r'"([^"]*)"'
SINGLE_QUOTED = r"'\1'"
NUMBER = r"([0-9]+(?:[.][0-9]+)?)"
QUOTED_WORD = r'"([a-z]+)"'
TOPIC = r"refund|cancel|return|[0-9]"


def sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def main():
    src, out = sys.argv[1], sys.argv[2]
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    con.execute(f"""
        COPY (
            SELECT * FROM (
                SELECT event_id, user_id, country, "Amount USD", event_time,
                       regexp_replace(note, {sql_str(QUOTED_PHRASE)}, {sql_str(SINGLE_QUOTED)}, 'g')
                           AS note,
                       nullif(regexp_extract(note, {sql_str(NUMBER)}, 1), '') AS note_number,
                       nullif(regexp_extract(note, {sql_str(QUOTED_WORD)}, 1), '') AS quoted_word
                FROM read_csv({sql_str(src)},
                    header = true, auto_detect = false,
                    delim = ',', quote = '"', escape = '"', nullstr = '',
                    columns = {{'event_id': 'VARCHAR', 'user_id': 'VARCHAR',
                                'country': 'VARCHAR', 'Amount USD': 'VARCHAR',
                                'event_time': 'VARCHAR', 'note': 'VARCHAR'}})
            )
            WHERE coalesce(regexp_matches(note, {sql_str(TOPIC)}), false)
        ) TO {sql_str(out)} (FORMAT csv, HEADER true, DELIMITER ',')
    """)


if __name__ == "__main__":
    main()
