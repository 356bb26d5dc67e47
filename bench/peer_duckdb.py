#!/usr/bin/env python3
"""The benchmark recipe in DuckDB SQL: events CSV in, cleaned CSV out.

Reads every column as VARCHAR (empty cell = NULL), keeps the first row of each
event_id in file order, fills a missing country with ZZ, converts event_time
from New York wall-clock time to UTC, renames "Amount USD" to amount_usd, and
writes CSV in input row order.

The file order is captured as rowid of a table loaded with insertion order
preserved (read_csv has no row-number column).

Usage: peer_duckdb.py INPUT OUTPUT
"""

import sys

import duckdb


def sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def main():
    src, out = sys.argv[1], sys.argv[2]
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET preserve_insertion_order = true")
    con.execute(f"""
        CREATE TEMP TABLE events AS
        SELECT * FROM read_csv({sql_str(src)},
            header = true, auto_detect = false,
            delim = ',', quote = '"', escape = '"', nullstr = '',
            columns = {{'event_id': 'VARCHAR', 'user_id': 'VARCHAR',
                        'country': 'VARCHAR', 'Amount USD': 'VARCHAR',
                        'event_time': 'VARCHAR', 'note': 'VARCHAR'}})
    """)
    con.execute(f"""
        COPY (
            SELECT
                event_id,
                user_id,
                coalesce(country, 'ZZ') AS country,
                "Amount USD" AS amount_usd,
                strftime(
                    timezone('UTC', timezone('America/New_York',
                        strptime(event_time, '%Y-%m-%d %H:%M:%S'))),
                    '%Y-%m-%dT%H:%M:%SZ') AS event_time,
                note
            FROM (SELECT rowid AS rn, * FROM events)
            QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY rn) = 1
            ORDER BY rn
        ) TO {sql_str(out)} (FORMAT csv, HEADER true, DELIMITER ',')
    """)


if __name__ == "__main__":
    main()
