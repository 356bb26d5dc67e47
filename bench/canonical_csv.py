#!/usr/bin/env python3
"""Re-encode a CSV file with minimal RFC 4180 quoting and LF line ends.

A field is quoted only when it holds a comma, a double quote, CR or LF
(quotes doubled); every record ends in LF. Used to compare outputs whose
quoting style differs but whose values are the same. Streams: memory stays
small whatever the file size.

Usage: canonical_csv.py INPUT [OUTPUT]   (OUTPUT defaults to stdout)
"""

import csv
import sys

csv.field_size_limit(1 << 30)


def needs_quotes(field: str) -> bool:
    return any(c in field for c in ',"\r\n')


def encode(field: str) -> str:
    if needs_quotes(field):
        return '"' + field.replace('"', '""') + '"'
    return field


def main():
    src = sys.argv[1]
    dst = sys.argv[2] if len(sys.argv) > 2 else None
    fin = open(src, newline="", encoding="utf-8", errors="surrogateescape")
    fout = (open(dst, "w", newline="", encoding="utf-8", errors="surrogateescape",
                 buffering=8 << 20)
            if dst else open(sys.stdout.fileno(), "w", newline="", encoding="utf-8",
                             errors="surrogateescape", closefd=False))
    with fin, fout:
        lines = []
        for row in csv.reader(fin, strict=True):
            lines.append(",".join(map(encode, row)))
            if len(lines) >= 50_000:
                fout.write("\n".join(lines) + "\n")
                lines.clear()
        if lines:
            fout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
