#!/usr/bin/env python3
"""Seeded random delimited files, and the records Python's csv module reads from them.

The Swift test `CSVDifferentialTests` runs this script at test time:

    python3 make_csv_cases.py DIR [--seed N] [--small N] [--large N]

writes DIR/small-NNNN.csv (1 to 12 records each) and DIR/large-NN.csv (over
100 KB each, so records cross the reader's first 64 KiB read and its block
boundaries), then prints one JSON object per file on stdout:

    {"file": NAME, "delimiter": D, "records": [[field, ...], ...],
     "lines": [LINE, ...], "unterminated": BOOL, "features": [NAME, ...]}

`records` is exactly what csv.reader(open(NAME, newline=""), delimiter=D)
yields, `[]` for a blank line included; `lines` is the physical line each
record begins on (from the reader's line_num). `unterminated` says the last
record opens a quoted field that is never closed (Decant rejects that record;
the csv module returns what it read). `features` names the tricky things the
file holds, so the test can check they are all covered.

The files follow Decant's input contract: UTF-8 without a byte-order mark,
RFC 4180 quoting with LF, CRLF, CR or mixed line ends, a quote inside an
unquoted field is literal, text after a closing quote is kept, blank lines
may appear anywhere (the csv module yields [] for them; Decant skips and
counts them).
"""

import argparse
import csv
import json
import os
import random

DELIMITERS = [",", ";", "\t", "|"]
LINE_ENDS = {"lf": ["\n"], "crlf": ["\r\n"], "cr": ["\r"], "mixed": ["\n", "\r\n", "\r"]}
QUOTE = '"'

# Text pieces a field is built from, by feature name.
PIECES = {
    "ascii": ["a", "b", "x", "Hello", "42", "3.14", "-7", "foo bar", "  ", " "],
    "delimiter": DELIMITERS,
    "quote": ['"', '""', 'say "hi"'],
    "lf": ["\n", "line1\nline2"],
    "crlf": ["\r\n"],
    "cr": ["\r"],
    "multibyte": ["é", "ß", "Ωμέγα", "日本語", "한국어", "مرحبا", "\u00a0", "€"],
    "combining": ["e\u0301", "n\u0303o", "a\u0308\u0304"],
    "emoji": ["😀", "👨\u200d👩\u200d👧", "🇫🇷", "👍🏽"],
    "separator": ["\u2028", "\u2029", "\u0085", "\u000b", "\u000c"],
    "bom_inside": ["\ufeff"],
}
WEIGHTS = {"ascii": 30, "delimiter": 8, "quote": 6, "lf": 4, "crlf": 3, "cr": 2, "multibyte": 8,
           "combining": 3, "emoji": 4, "separator": 2, "bom_inside": 1}


def make_value(rng, features):
    if rng.random() < 0.15:
        return ""
    parts = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        features.add(kind)
        parts.append(rng.choice(PIECES[kind]))
    return "".join(parts)


def encode_field(rng, value, delimiter, features):
    """The field as written: quoted when it must be, sometimes when it need not."""
    special = delimiter in value or "\n" in value or "\r" in value
    if special or value.startswith(QUOTE):
        features.add("quoted")
        return QUOTE + value.replace(QUOTE, QUOTE * 2) + QUOTE
    if QUOTE in value and rng.random() < 0.5:
        features.add("quote_in_unquoted_field")
        return value
    if rng.random() < 0.05 and value and QUOTE not in value:
        # Text after the closing quote is kept: "ab"cd reads as abcd.
        cut = rng.randint(0, len(value) - 1)
        features.add("text_after_closing_quote")
        return QUOTE + value[:cut] + QUOTE + value[cut:]
    if rng.random() < 0.3:
        features.add("quoted")
        return QUOTE + value.replace(QUOTE, QUOTE * 2) + QUOTE
    return value


def make_file(rng, records_wanted, features, min_bytes=0):
    delimiter = rng.choice(DELIMITERS)
    features.add("delimiter_" + {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}[delimiter])
    style = rng.choices(list(LINE_ENDS), weights=[40, 35, 8, 17])[0]
    features.add("line_ends_" + style)
    columns = rng.randint(1, 6)
    text = []
    size = 0
    r = 0
    while r < records_wanted or size < min_bytes:
        if r > 0 and rng.random() < 0.05:
            features.add("blank_line")
            text.append(rng.choice(LINE_ENDS[style]))
        n = columns
        if r > 0 and rng.random() < 0.05:
            n = max(1, columns + rng.choice([-1, 1]))
            features.add("ragged_row")
        fields = [encode_field(rng, make_value(rng, features), delimiter, features) for _ in range(n)]
        if r == 0:
            # A header whose first field is empty or a lone empty field would be a blank line.
            fields[0] = fields[0] or "h"
        text.append(delimiter.join(fields))
        if fields == [""]:
            features.add("blank_line")
        text.append(rng.choice(LINE_ENDS[style]))
        size += len(text[-2].encode()) + len(text[-1])
        r += 1
    unterminated = False
    if records_wanted > 1 and rng.random() < 0.04:
        # The last record opens a quote that is never closed.
        text.append(delimiter.join(["x"] * (columns - 1) + ['"open' + rng.choice(["", "\n", ",", '""', "\r\n"])
                                                             + "tail"]))
        unterminated = True
        features.add("unterminated_quote")
    elif rng.random() < 0.3:
        text.pop()
        features.add("no_final_line_end")
    return delimiter, "".join(text), unterminated


def read_back(path, delimiter):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f, delimiter=delimiter)
        records, lines = [], []
        previous = 0
        for record in reader:
            records.append(record)
            lines.append(previous + 1)
            previous = reader.line_num
    return records, lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--seed", type=int, default=4180)
    parser.add_argument("--small", type=int, default=3000)
    parser.add_argument("--large", type=int, default=24)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.directory, exist_ok=True)
    jobs = [(f"small-{i:04d}.csv", rng.randint(1, 12), 0) for i in range(args.small)]
    jobs += [(f"large-{i:02d}.csv", 2, 100_000) for i in range(args.large)]
    for name, count, min_bytes in jobs:
        features = set()
        delimiter, text, unterminated = make_file(rng, count, features, min_bytes)
        if text.startswith("\ufeff"):
            text = "h" + text   # a leading BOM would be stripped as a byte-order mark
        path = os.path.join(args.directory, name)
        with open(path, "w", newline="", encoding="utf-8") as f:
            f.write(text)
        records, lines = read_back(path, delimiter)
        print(json.dumps({"file": name, "delimiter": delimiter, "records": records, "lines": lines,
                          "unterminated": unterminated, "features": sorted(features)},
                         ensure_ascii=True))


if __name__ == "__main__":
    main()
