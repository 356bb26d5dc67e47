#!/usr/bin/env python3
"""A small, slow, pure-Python reading of a Decant recipe, to check the peers.

Applies a recipe's steps to a CSV file row by row, following DESIGN.md §7
(conditions) and §8 (operations) literally, and writes the output the way
Decant's contract says (LF, header, minimal quoting, null = empty field) and,
with --rejects, the rejected rows in Decant's rejects layout (the input row,
_line, _step, _reason). Meant for files of about 100k rows: it checks that
the Polars and DuckDB versions of bench/events-cleaning-recipe.json and
bench/events-regex-recipe.json mean what the recipes say.

Supported: trim, change_case (upper, lower), replace, extract, filter,
validate, split, merge, map_values, copy, set, select, drop; `where` on any
step that takes one. Anything else is an error (exit 2). Regexes are run with
Python's re, which agrees with ICU on the patterns the benchmark uses (no
\\b \\w \\d \\s, `.` or `$`; see the peers' notes).

Usage: reference_cleaning.py RECIPE INPUT OUTPUT [--rejects PATH]
"""

import argparse
import csv
import json
import re
import sys
from decimal import Decimal

csv.field_size_limit(1 << 30)

# Unicode White_Space (PropList.txt). Python's str.strip() would also strip
# U+001C..U+001F, which are not White_Space.
WHITE_SPACE = ("\t\n\x0b\x0c\r \x85\xa0\u1680"
               + "".join(map(chr, range(0x2000, 0x200B)))
               + "\u2028\u2029\u202f\u205f\u3000")
WHITE_SPACE_RUN = re.compile("[" + re.escape(WHITE_SPACE) + "]+")
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


class Text(str):
    """A JSON number kept as the text it was written with (§7, settled reading 9)."""


def fail(message):
    print(f"reference_cleaning: {message}", file=sys.stderr)
    sys.exit(2)


def number(value):
    return Decimal(value) if value is not None and NUMBER.fullmatch(value) else None


def icu_template(template, groups):
    """An ICU replacement template ($1, \\$) as a Python re template: `$`
    takes as many digits as still name one of the pattern's groups."""
    out, i = [], 0
    while i < len(template):
        c = template[i]
        if c == "\\" and i + 1 < len(template):
            out.append(template[i + 1].replace("\\", "\\\\"))
            i += 2
        elif c == "$" and i + 1 < len(template) and template[i + 1].isdigit():
            j = i + 2
            while (j < len(template) and template[j].isdigit()
                   and int(template[i + 1:j + 1]) <= groups):
                j += 1
            out.append(f"\\g<{template[i + 1:j]}>")
            i = j
        else:
            out.append("\\\\" if c == "\\" else c)
            i += 1
    return "".join(out)


# ---------------------------------------------------------------- conditions
def condition(spec, columns):
    """Compiles a `where` into a function of a row (a list, None = null)."""
    if "all" in spec:
        parts = [condition(s, columns) for s in spec["all"]]
        return lambda row: all(p(row) for p in parts)
    if "any" in spec:
        parts = [condition(s, columns) for s in spec["any"]]
        return lambda row: any(p(row) for p in parts)
    if "not" in spec:
        inner = condition(spec["not"], columns)
        return lambda row: not inner(row)
    i = columns.index(spec["column"])
    ci = spec.get("case_insensitive", False)
    fold = str.casefold if ci else (lambda s: s)
    (pred, arg), = ((k, v) for k, v in spec.items() if k not in ("column", "case_insensitive"))
    if pred == "is_null":
        return lambda row: (row[i] is None) == arg
    if pred == "is_number":
        return lambda row: (number(row[i]) is not None) == arg
    if pred in ("gt", "gte", "lt", "lte"):
        bound = Decimal(arg)
        test = {"gt": lambda x: x > bound, "gte": lambda x: x >= bound,
                "lt": lambda x: x < bound, "lte": lambda x: x <= bound}[pred]
        return lambda row: (x := number(row[i])) is not None and test(x)
    if pred == "between":
        lo, hi = map(Decimal, arg)
        return lambda row: (x := number(row[i])) is not None and lo <= x <= hi
    if pred == "matches":
        rx = re.compile(arg, re.IGNORECASE if ci else 0)
        return lambda row: row[i] is not None and rx.search(row[i]) is not None
    if pred == "in":
        values = {fold(str(v)) for v in arg}
        return lambda row: row[i] is not None and fold(row[i]) in values
    text = fold(str(arg))
    test = {"equals": lambda s: s == text, "contains": lambda s: text in s,
            "starts_with": lambda s: s.startswith(text),
            "ends_with": lambda s: s.endswith(text)}.get(pred)
    if test is None:
        fail(f"unknown predicate {pred!r}")
    return lambda row: row[i] is not None and test(fold(row[i]))


# ---------------------------------------------------------------- operations
# A step is compiled into (columns after the step, function row -> outcome);
# an outcome is a row, REMOVED, or a rejection reason (a str).
REMOVED = object()


def cell_map(columns, names, f):
    """A step that rewrites cells of some columns with f (None stays None)."""
    idx = [columns.index(c) for c in names]

    def run(row):
        for i in idx:
            if row[i] is not None:
                row[i] = f(row[i])
        return row
    return columns, run


def new_column(columns, name, after):
    if name in columns:
        fail(f"column {name!r} exists")
    pos = max(columns.index(c) for c in after) + 1
    return columns[:pos] + [name] + columns[pos:], pos


def compile_step(step, columns):
    op = step["op"]
    if op == "trim":
        chars = step.get("characters", WHITE_SPACE)
        side = step.get("side", "both")
        strip = {"both": str.strip, "left": str.lstrip, "right": str.rstrip}[side]

        def trim(s):
            s = strip(s, chars)
            return WHITE_SPACE_RUN.sub(" ", s) if step.get("collapse", False) else s
        return cell_map(columns, step["columns"], trim)
    if op == "change_case":
        case = step["case"]
        if case not in ("upper", "lower"):
            fail(f"change_case {case!r} is not supported")
        return cell_map(columns, step["columns"], str.upper if case == "upper" else str.lower)
    if op == "replace":
        find, repl = step["find"], step.get("with", "")
        flags = re.IGNORECASE if step.get("case_insensitive", False) else 0
        if step.get("regex", False):
            rx = re.compile(find, flags)
            repl = icu_template(repl, rx.groups)
        else:
            rx, repl = re.compile(re.escape(find), flags), repl.replace("\\", "\\\\")
        if step.get("whole_cell", False):
            def whole(s):
                m = rx.fullmatch(s)
                return m.expand(repl) if m else s
            return cell_map(columns, step["columns"], whole)
        return cell_map(columns, step["columns"], lambda s: rx.sub(repl, s))
    if op == "map_values":
        mapping = {str(k): v for k, v in step["mapping"].items()}
        unmapped = step.get("unmapped", "keep")
        if step.get("case_insensitive", False):
            fail("map_values case_insensitive is not supported")
        idx = [columns.index(c) for c in step["columns"]]

        def map_values(row):
            for i in idx:
                if row[i] is None:
                    continue
                if row[i] in mapping:
                    row[i] = mapping[row[i]]
                elif unmapped == "null":
                    row[i] = None
                elif unmapped == "reject":
                    return f"unmapped value {row[i]!r}"
            return row
        return columns, map_values
    if op in ("filter", "validate"):
        test = condition(step["where"], columns)
        if op == "filter":
            keep = step.get("keep", "matching") == "matching"
            return columns, lambda row: row if test(row) == keep else REMOVED
        if step.get("on_error", "reject") != "reject":
            fail("validate: only on_error reject is supported")
        reason = f'failed rule "{step["name"]}"'
        return columns, lambda row: row if test(row) else reason
    if op == "split":
        src, sep, into = columns.index(step["column"]), step["separator"], step["into"]
        out = columns
        for k, name in enumerate(into):
            out, pos = new_column(out, name, [step["column"]] if k == 0 else [into[k - 1]])

        def split(row):
            v = row[src]
            parts = [None] * len(into) if v is None else v.split(sep, len(into) - 1)
            parts += [None] * (len(into) - len(parts))
            row[src + 1:src + 1] = parts
            return row
        return out, split
    if op == "merge":
        idx = [columns.index(c) for c in step["columns"]]
        out, pos = new_column(columns, step["to"], step["columns"])
        sep, nulls = step.get("separator", ""), step.get("nulls", "skip")

        def merge(row):
            parts = [row[i] for i in idx]
            if nulls == "skip":
                parts = [p for p in parts if p is not None]
                value = sep.join(parts) if parts else None
            elif nulls == "empty":
                value = sep.join(p or "" for p in parts)
            else:
                value = None if None in parts else sep.join(parts)
            row.insert(pos, value)
            return row
        return out, merge
    if op == "extract":
        src = columns.index(step["column"])
        rx = re.compile(step["pattern"])
        group = step.get("group", 1 if rx.groups else 0)
        out, pos = new_column(columns, step["to"], [step["column"]])

        def extract(row):
            m = rx.search(row[src]) if row[src] is not None else None
            row.insert(pos, m.group(group) if m else None)
            return row
        return out, extract
    if op == "copy":
        src = columns.index(step["column"])
        out, pos = new_column(columns, step["to"], [step["column"]])
        return out, lambda row: row.insert(pos, row[src]) or row
    if op == "set":
        value = step["value"] if step["value"] is None else str(step["value"])
        if step["column"] in columns:
            i = columns.index(step["column"])
            return columns, lambda row: row.__setitem__(i, value) or row
        return columns + [step["column"]], lambda row: row + [value]
    if op == "select":
        idx = [columns.index(c) for c in step["columns"]]
        return list(step["columns"]), lambda row: [row[i] for i in idx]
    if op == "drop":
        keep = [i for i, c in enumerate(columns) if c not in step["columns"]]
        return [columns[i] for i in keep], lambda row: [row[i] for i in keep]
    fail(f"operation {op!r} is not supported")


def with_where(step, columns, out_columns, run):
    """Runs a step only on the rows its `where` selects; the others pass
    unchanged, with null in the columns the step creates (settled reading 2)."""
    test = condition(step["where"], columns)
    added = [i for i, c in enumerate(out_columns) if c not in columns]

    def guarded(row):
        if test(row):
            return run(row)
        for i in added:
            row.insert(i, None)
        return row
    return guarded


# ---------------------------------------------------------------- csv
def encode(value):
    if value is None:
        return ""
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_row(f, values):
    f.write(",".join(map(encode, values)) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("recipe")
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--rejects")
    args = ap.parse_args()
    with open(args.recipe, encoding="utf-8-sig") as f:
        recipe = json.load(f, parse_int=Text, parse_float=Text)
    inp = recipe.get("input", {})
    if inp.get("format", "csv") != "csv" or inp.get("delimiter", ",") != ",":
        fail("only comma-separated CSV input is supported")
    null_values = set(inp.get("null_values", [""]))

    fin = open(args.input, newline="", encoding="utf-8")
    reader = csv.reader(fin, strict=True)
    header = next(reader)
    columns, steps = list(header), []
    for n, step in enumerate(recipe["steps"], 1):
        if step.get("enabled", True) is False:
            continue
        out_columns, run = compile_step(step, columns)
        if "where" in step and step["op"] not in ("filter", "validate"):
            run = with_where(step, columns, out_columns, run)
        steps.append((f"{n} {step['op']}", run))
        columns = out_columns

    stats = {"in": 0, "out": 0, "removed": 0, "rejected": 0}
    with fin, open(args.output, "w", encoding="utf-8", newline="", buffering=8 << 20) as fout:
        rejects = None
        write_row(fout, columns)
        line = reader.line_num
        for raw in reader:
            start, line = line + 1, reader.line_num
            if not raw:
                continue   # a blank line is not a record
            if len(raw) != len(header):
                fail(f"line {start}: {len(raw)} fields, the header has {len(header)}")
            stats["in"] += 1
            row = [None if v in null_values else v for v in raw]
            for name, run in steps:
                row = run(row)
                if row is REMOVED:
                    stats["removed"] += 1
                    break
                if isinstance(row, str):
                    stats["rejected"] += 1
                    if args.rejects:
                        if rejects is None:
                            rejects = open(args.rejects, "w", encoding="utf-8", newline="")
                            write_row(rejects, header + ["_line", "_step", "_reason"])
                        write_row(rejects, raw + [str(start), name, row])
                    break
            else:
                stats["out"] += 1
                write_row(fout, row)
        if rejects:
            rejects.close()
    print("reference: {in} rows in, {out} out, {removed} removed, {rejected} rejected".format(**stats),
          file=sys.stderr)


if __name__ == "__main__":
    main()
