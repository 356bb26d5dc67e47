#!/usr/bin/env python3
"""bench/events-types-recipe.json in DuckDB SQL: events CSV in, typed CSV out.

Reads every column as VARCHAR (empty cell = NULL) and, in the recipe's order:
casts "Amount USD" to an exact decimal and rounds it to one fraction digit
(halves away from zero, as DuckDB rounds DECIMAL); adds event_week, the ISO
week of event_time, after it; masks user_id but its last three characters and
adds user_key after it, the SHA-256 of "decant-bench" + user_id in lowercase
hex; appends region from bench/country_regions.csv by country (a left join;
NULL countries match nothing); keeps input row order.

Where DuckDB's defaults differ from the recipe's meaning:
- DECIMAL needs a width: DECIMAL(18, 2) holds every amount of the file (at
  most two fraction digits), and ROUND(…, 1) on it gives DECIMAL(18, 1),
  written with one fraction digit as the recipe does.
- A join does not keep input order: rows are numbered first and sorted back.
- repeat('*', n) with n < 0 is '', which is what a value of three or fewer
  characters needs.

Usage: peer_duckdb_types.py INPUT OUTPUT
"""

import os
import sys

import duckdb

REFERENCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "country_regions.csv")


def sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def main():
    src, out = sys.argv[1], sys.argv[2]
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    con.execute(f"""
        COPY (
            WITH events AS (
                SELECT row_number() OVER () AS n, *
                FROM read_csv({sql_str(src)},
                    header = true, auto_detect = false,
                    delim = ',', quote = '"', escape = '"', nullstr = '',
                    columns = {{'event_id': 'VARCHAR', 'user_id': 'VARCHAR',
                                'country': 'VARCHAR', 'Amount USD': 'VARCHAR',
                                'event_time': 'VARCHAR', 'note': 'VARCHAR'}})
            ),
            regions AS (
                SELECT code, region
                FROM read_csv({sql_str(REFERENCE)}, header = true, auto_detect = false,
                    delim = ',', quote = '"', escape = '"', nullstr = '',
                    columns = {{'code': 'VARCHAR', 'country_name': 'VARCHAR', 'region': 'VARCHAR'}})
            )
            SELECT
                event_id,
                repeat('*', length(user_id) - 3) || right(user_id, 3) AS user_id,
                sha256('decant-bench' || user_id) AS user_key,
                country,
                round(CAST("Amount USD" AS DECIMAL(18, 2)), 1) AS "Amount USD",
                event_time,
                week(CAST(event_time AS TIMESTAMP)) AS event_week,
                note,
                regions.region
            FROM events LEFT JOIN regions ON events.country = regions.code
            ORDER BY n
        ) TO {sql_str(out)} (FORMAT csv, HEADER true, DELIMITER ',')
    """)


if __name__ == "__main__":
    main()
