#!/usr/bin/env python3
"""DuckDB's column profile of a CSV file, for comparison with `decant profile`.

SUMMARIZE gives per column: type, min, max, approximate distinct count,
average, standard deviation, quartiles (approximate), count and null share,
over every row, on every core. It prints the summary table.

Usage: peer_duckdb_profile.py INPUT
"""

import sys

import duckdb


def main():
    con = duckdb.connect()
    path = sys.argv[1].replace("'", "''")
    rows = con.execute(f"SUMMARIZE SELECT * FROM read_csv('{path}')").fetchall()
    for row in rows:
        print("\t".join(str(v) for v in row))


if __name__ == "__main__":
    main()
