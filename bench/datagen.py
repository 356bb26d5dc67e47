"""Pieces shared by the benchmark data generators (generate_*.py)."""

import argparse
import os
import sys
import time


def csv_field(value: str) -> str:
    """Encode one field with minimal RFC 4180 quoting."""
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def with_nulls(pool, rate, rng):
    """A shuffled copy of pool plus empty strings, so about rate of draws are empty."""
    n_null = round(len(pool) * rate / (1 - rate))
    out = list(pool) + [""] * n_null
    rng.shuffle(out)
    return out


def main(doc, generate, default_rows, max_rows=None):
    """Parses --rows/--seed/--out and writes generate(rows, seed, out) to --out
    (atomically, through a temporary file) or to stdout for -."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--rows", type=int, default=default_rows)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", default="-", help="output path, - for stdout")
    args = ap.parse_args()
    if max_rows is not None and args.rows > max_rows:
        sys.exit(f"--rows must be at most {max_rows}")

    t0 = time.monotonic()
    if args.out == "-":
        generate(args.rows, args.seed, sys.stdout.buffer)
        return
    tmp = args.out + ".tmp"
    with open(tmp, "wb", buffering=8 << 20) as f:
        generate(args.rows, args.seed, f)
    os.replace(tmp, args.out)
    size = os.path.getsize(args.out)
    print(f"wrote {args.out}: {args.rows} rows, {size / 1e6:.1f} MB "
          f"in {time.monotonic() - t0:.1f} s", file=sys.stderr)
