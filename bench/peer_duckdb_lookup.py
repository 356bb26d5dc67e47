#!/usr/bin/env python3
"""bench/events-lookup-recipe.json in DuckDB SQL: each event gets its user's
segment and signup_day from bench/data/users-1000000.csv (a left join on
user_id; NULL ids match nothing), in input row order (rows are numbered and
sorted back: a join does not keep order).

Usage: peer_duckdb_lookup.py INPUT OUTPUT
"""

import os
import sys

import duckdb

USERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "users-1000000.csv")


def sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def main():
    src, out = sys.argv[1], sys.argv[2]
    con = duckdb.connect()
    con.execute(f"""
        COPY (
            SELECT e.event_id, e.user_id, e.country, e."Amount USD", e.event_time, e.note,
                   u.segment, u.signup_day
            FROM (SELECT row_number() OVER () AS n, *
                  FROM read_csv({sql_str(src)}, header = true, auto_detect = false,
                      delim = ',', quote = '"', escape = '"', nullstr = '',
                      columns = {{'event_id': 'VARCHAR', 'user_id': 'VARCHAR',
                                  'country': 'VARCHAR', 'Amount USD': 'VARCHAR',
                                  'event_time': 'VARCHAR', 'note': 'VARCHAR'}})) e
            LEFT JOIN read_csv({sql_str(USERS)}, header = true, auto_detect = false,
                      delim = ',', quote = '"', escape = '"', nullstr = '',
                      columns = {{'user_id': 'VARCHAR', 'segment': 'VARCHAR',
                                  'signup_day': 'VARCHAR', 'lifetime_value': 'VARCHAR'}}) u
                ON e.user_id = u.user_id
            ORDER BY e.n
        ) TO {sql_str(out)} (FORMAT csv, HEADER true, DELIMITER ',')
    """)


if __name__ == "__main__":
    main()
