#!/usr/bin/env python3
"""A plain-Python reference of Decant's row semantics, for golden end-to-end cases.

It reads a recipe (JSON, format version 1) and a delimited input with a header,
applies the steps and writes the output exactly as `decant run` writes CSV, plus
the run's counts (rows in/out/removed/rejected per step and in total, blank
lines, rejected lines with their `_step`). Standard library only.

Covered: reading (RFC 4180 quoting, LF/CRLF/CR, blank lines, ragged rows),
`null_values`, conditions (`where`, DESIGN §7) and the operations rename,
dedupe, fill_null, filter, validate, select, drop, copy, set, merge, split,
trim, change_case, replace, extract, map_values, hash, mask, format_date,
date_part, cast, round and lookup (§8 with its settled readings; numbers with
Python's `decimal`, dates with `datetime.strptime`, `strftime` and
`isocalendar`). Not covered: normalize_timezone, JSON Lines, encodings other
than UTF-8, `on_error` for invalid UTF-8 (except mask's reject, null and keep),
`on_error: fail`.

A cell is text. It is null when its text is one of `null_values`, checked
afresh by every step (as Decant's cells are bytes); a step that makes a cell
null writes the empty text, so `null_values` must include "".

    python3 decant_ref.py RECIPE INPUT [-o OUT] [--counts COUNTS.json] [--rejects REJECTS.csv]
"""

import argparse
import datetime
import decimal
import hashlib
import json
import math
import os
import re
import sys
from decimal import Decimal

NULL = ""  # what a step writes for a null cell

# Unicode White_Space, exactly.
WHITE_SPACE = (
    "\u0009\u000a\u000b\u000c\u000d\u0020\u0085\u00a0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000"
)
WHITE_RUN = re.compile("[" + re.escape(WHITE_SPACE) + "]+")

# The number grammar of conditions: [+-]?digits[.digits]?([eE][+-]?digits)?, also .5 and 5.
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


class Num(str):
    """A JSON number from the recipe: its text as written."""


def load_recipe(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, parse_int=Num, parse_float=Num)


def as_text(value):
    """A recipe value that stands for cell text (JSON numbers: their text; null: a null cell)."""
    return NULL if value is None else str(value)


def decimal_of(text):
    """The exact value of a cell in the condition grammar, or None."""
    return Decimal(text) if NUMBER.fullmatch(text) else None


# ---------------------------------------------------------------- reading


def read_records(text, delimiter):
    """Yields (line, fields, error): fields None for a blank line; error for an open quote at the end."""
    pos, line, n = 0, 1, len(text)

    def line_end(p):
        return p + 2 if text.startswith("\r\n", p) else p + 1

    while pos < n:
        begin = line
        if text[pos] in "\r\n":
            pos, line = line_end(pos), line + 1
            yield begin, None, None
            continue
        fields = []
        while True:
            if pos < n and text[pos] == '"':
                buf, pos, closed = [], pos + 1, False
                while pos < n:
                    c = text[pos]
                    if c == '"':
                        if text.startswith('""', pos):
                            buf.append('"')
                            pos += 2
                            continue
                        pos, closed = pos + 1, True
                        break
                    if c in "\r\n":
                        end = line_end(pos)
                        buf.append(text[pos:end])
                        pos, line = end, line + 1
                        continue
                    buf.append(c)
                    pos += 1
                if not closed:
                    yield begin, fields + ["".join(buf)], "a quoted field is still open at the end of the file"
                    return
                start = pos  # text after a closing quote is kept literally
                while pos < n and text[pos] not in (delimiter, "\r", "\n"):
                    pos += 1
                field = "".join(buf) + text[start:pos]
            else:
                start = pos
                while pos < n and text[pos] not in (delimiter, "\r", "\n"):
                    pos += 1
                field = text[start:pos]
            fields.append(field)
            if pos < n and text[pos] == delimiter:
                pos += 1
                continue
            if pos < n:
                pos, line = line_end(pos), line + 1
            break
        yield begin, fields, None


def unique_header(names):
    out, seen = [], set()
    for i, name in enumerate(names):
        base = name if name else f"column_{i + 1}"
        candidate, k = base, 1
        while candidate in seen:
            k += 1
            candidate = f"{base}_{k}"
        seen.add(candidate)
        out.append(candidate)
    return out


class Row:
    __slots__ = ("line", "cells", "raw")

    def __init__(self, line, cells):
        self.line, self.cells, self.raw = line, cells, list(cells)


class Table:
    def __init__(self, columns, rows):
        self.columns, self.rows = columns, rows

    def index(self, name):
        if name not in self.columns:
            raise SystemExit(f"missing column {name!r} (columns: {self.columns})")
        return self.columns.index(name)

    def insert_column(self, position, name, values):
        """A new column at `position` with one value per row."""
        self.columns.insert(position, name)
        for row, value in zip(self.rows, values):
            row.cells.insert(position, value)


# ---------------------------------------------------------------- conditions


def fold(text, ci):
    return text.casefold() if ci else text


def leaf_test(predicate, arg, ci):
    """A function of the cell text (None for a null cell) for one predicate."""
    if predicate == "is_null":
        return lambda v: (v is None) == arg
    if predicate == "is_number":
        return lambda v: (v is not None and NUMBER.fullmatch(v) is not None) == arg
    if predicate in ("gt", "gte", "lt", "lte", "between"):
        bounds = [Decimal(str(a)) for a in (arg if predicate == "between" else [arg])]
        compare = {
            "gt": lambda d: d > bounds[0],
            "gte": lambda d: d >= bounds[0],
            "lt": lambda d: d < bounds[0],
            "lte": lambda d: d <= bounds[0],
            "between": lambda d: bounds[0] <= d <= bounds[1],
        }[predicate]

        def numeric(v):
            d = None if v is None else decimal_of(v)
            return d is not None and compare(d)

        return numeric
    if predicate == "matches":
        pattern = re.compile(arg, re.IGNORECASE if ci else 0)
        text_test = lambda v: pattern.search(v) is not None
    elif predicate == "in":
        choices = {fold(as_text(a), ci) for a in arg}
        text_test = lambda v: fold(v, ci) in choices
    else:
        want = fold(as_text(arg), ci)
        text_test = {
            "equals": lambda v: fold(v, ci) == want,
            "contains": lambda v: want in fold(v, ci),
            "starts_with": lambda v: fold(v, ci).startswith(want),
            "ends_with": lambda v: fold(v, ci).endswith(want),
        }[predicate]
    return lambda v: v is not None and text_test(v)


def compile_condition(cond, table, nulls):
    """A function of a row's cells: whether the condition holds."""
    if "all" in cond:
        parts = [compile_condition(c, table, nulls) for c in cond["all"]]
        return lambda cells: all(p(cells) for p in parts)
    if "any" in cond:
        parts = [compile_condition(c, table, nulls) for c in cond["any"]]
        return lambda cells: any(p(cells) for p in parts)
    if "not" in cond:
        inner = compile_condition(cond["not"], table, nulls)
        return lambda cells: not inner(cells)
    col = table.index(cond["column"])
    [(predicate, arg)] = [(k, v) for k, v in cond.items() if k not in ("column", "case_insensitive")]
    test = leaf_test(predicate, arg, cond.get("case_insensitive", False))
    return lambda cells: test(None if cells[col] in nulls else cells[col])


# ---------------------------------------------------------------- operations
# Each takes (step, table, scope, run): scope[i] says whether row i matches the
# step's `where` (all True without one). Each returns (removed, rejected) with
# rejected a list of (row, reason); it updates table in place.


def op_rename(step, table, scope, run):
    for old, new in step["columns"].items():
        table.columns[table.index(old)] = new
    return 0, []


def op_dedupe(step, table, scope, run):
    cols = [table.index(c) for c in step.get("columns") or table.columns]
    keys = [tuple(None if row.cells[c] in run.nulls else row.cells[c] for c in cols) for row in table.rows]
    if step.get("keep", "first") == "last":
        last = {key: i for i, (key, match) in enumerate(zip(keys, scope)) if match}
        kept = [row for i, (row, key, match) in enumerate(zip(table.rows, keys, scope)) if not match or last[key] == i]
        removed = len(table.rows) - len(kept)
        table.rows = kept
        return removed, []
    seen, kept, removed = set(), [], 0
    for row, key, match in zip(table.rows, keys, scope):
        if match:
            if key in seen:
                removed += 1
                continue
            seen.add(key)
        kept.append(row)
    table.rows = kept
    return removed, []


def op_fill_null(step, table, scope, run):
    for name in step["columns"]:
        c = table.index(name)
        column = [row.cells[c] for row in table.rows]
        present = [v for v in column if v not in run.nulls]
        strategy = step.get("strategy")
        if strategy is None:
            fills = [as_text(step["value"])] * len(column)
        elif strategy in ("previous", "next"):
            fills, last = [None] * len(column), None
            order = range(len(column)) if strategy == "previous" else reversed(range(len(column)))
            for i in order:
                if column[i] in run.nulls:
                    fills[i] = last
                else:
                    last = column[i]
        else:
            fills = [statistic(strategy, present)] * len(column)
        for row, match, fill in zip(table.rows, scope, fills):
            if match and row.cells[c] in run.nulls and fill is not None:
                row.cells[c] = fill
    return 0, []


def statistic(strategy, values):
    """mode (ties: first seen), or mean/median of the numeric values as Decant computes them (doubles)."""
    if strategy == "mode":
        counts = {}
        for v in values:
            counts[v] = counts.get(v, 0) + 1
        return max(counts, key=counts.get) if counts else None  # max keeps the first of equals
    numbers = [float(v.strip(" \t")) for v in values if STATS_NUMBER.fullmatch(v.strip(" \t"))]
    numbers = [x for x in numbers if math.isfinite(x)]
    if not numbers:
        return None
    if strategy == "mean":
        total = compensation = 0.0
        for x in numbers:  # Kahan-Babuska summation, in Decant's order
            t = total + x
            compensation += (total - t) + x if abs(total) >= abs(x) else (x - t) + total
            total = t
        return format_double((total + compensation) / len(numbers))
    s, n = sorted(numbers), len(numbers)
    return format_double(s[n // 2] if n % 2 else s[n // 2 - 1] / 2 + s[n // 2] / 2)


# Statistics read numbers as Decant's fill_null does: surrounding spaces and tabs allowed.
STATS_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def format_double(v):
    """Integral values without a point; else at most 15 significant digits when that is within rounding."""
    if v == math.floor(v) and abs(v) < 1e18:
        return str(int(v))
    short = "%.15g" % v
    back = float(short)
    if abs(back - v) <= 4 * math.ulp(v):
        if back == math.floor(back) and abs(back) < 1e18:
            return str(int(back))
        return repr(back) if "e" in short else short
    return repr(v)


def op_filter(step, table, scope, run):
    rule = compile_condition(step["where"], table, run.nulls)
    keep_matching = step.get("keep", "matching") == "matching"
    kept = [row for row in table.rows if rule(row.cells) == keep_matching]
    removed = len(table.rows) - len(kept)
    table.rows = kept
    return removed, []


def op_validate(step, table, scope, run):
    rule = compile_condition(step["where"], table, run.nulls)
    broken = [row for row in table.rows if not rule(row.cells)]
    run.rule_violations = len(broken)
    if step.get("on_error", "reject") == "keep":
        return 0, []
    table.rows = [row for row in table.rows if rule(row.cells)]
    return 0, [(row, f'failed rule "{step["name"]}"') for row in broken]


def op_select(step, table, scope, run):
    cols = [table.index(c) for c in step["columns"]]
    table.columns = list(step["columns"])
    for row in table.rows:
        row.cells = [row.cells[c] for c in cols]
    return 0, []


def op_drop(step, table, scope, run):
    return op_select({"columns": [c for c in table.columns if c not in step["columns"]]}, table, scope, run)


def op_copy(step, table, scope, run):
    c = table.index(step["column"])
    values = [row.cells[c] if match and row.cells[c] not in run.nulls else NULL for row, match in zip(table.rows, scope)]
    table.insert_column(c + 1, step["to"], values)
    return 0, []


def op_set(step, table, scope, run):
    value = as_text(step["value"])
    if step["column"] in table.columns:
        c = table.index(step["column"])
        for row, match in zip(table.rows, scope):
            if match:
                row.cells[c] = value
    else:
        table.insert_column(len(table.columns), step["column"], [value if m else NULL for m in scope])
    return 0, []


def op_merge(step, table, scope, run):
    cols = [table.index(c) for c in step["columns"]]
    separator, nulls = as_text(step.get("separator", "")), step.get("nulls", "skip")

    def merged(cells):
        parts = [None if cells[c] in run.nulls else cells[c] for c in cols]
        if nulls == "skip":
            parts = [p for p in parts if p is not None]
            return separator.join(parts) if parts else NULL
        if nulls == "null" and None in parts:
            return NULL
        return separator.join("" if p is None else p for p in parts)

    values = [merged(row.cells) if match else NULL for row, match in zip(table.rows, scope)]
    table.insert_column(max(cols) + 1, step["to"], values)
    return 0, []


def op_split(step, table, scope, run):
    c, separator, into = table.index(step["column"]), step["separator"], step["into"]
    parts_of_rows = []
    for row, match in zip(table.rows, scope):
        cell = row.cells[c]
        parts = cell.split(separator, len(into) - 1) if match and cell not in run.nulls else []
        parts_of_rows.append(parts + [NULL] * (len(into) - len(parts)))
    for k, name in enumerate(into):
        table.insert_column(c + 1 + k, name, [parts[k] for parts in parts_of_rows])
    return 0, []


def op_trim(step, table, scope, run):
    chars, side = step.get("characters", WHITE_SPACE), step.get("side", "both")
    collapse = step.get("collapse", False)

    def trimmed(text):
        if side in ("both", "left"):
            text = text.lstrip(chars)
        if side in ("both", "right"):
            text = text.rstrip(chars)
        if collapse:  # inner runs only: a run at either end of what is left stays as it is
            lead = len(text) - len(text.lstrip(WHITE_SPACE))
            tail = len(text.rstrip(WHITE_SPACE))
            if lead < tail:
                text = text[:lead] + WHITE_RUN.sub(" ", text[lead:tail]) + text[tail:]
        return text

    return map_cells(step["columns"], table, scope, run, trimmed)


def title_case(text):
    """A word is a run of letters, digits and '; its first character, if a letter, is titlecased."""
    out, in_word = [], False
    for ch in text:
        if ch.isalpha() or ch.isdigit() or ch == "'":
            out.append(ch.lower() if in_word or not ch.isalpha() else ch.title())
            in_word = True
        else:
            out.append(ch)
            in_word = False
    return "".join(out)


def op_change_case(step, table, scope, run):
    mapping = {"upper": str.upper, "lower": str.lower, "title": title_case}[step["case"]]
    return map_cells(step["columns"], table, scope, run, mapping)


def icu_template(template, match):
    """Expands an ICU replacement: $N inserts group N (digits taken while a group exists), \\x is x."""
    out, i, groups = [], 0, match.re.groups
    while i < len(template):
        ch = template[i]
        if ch == "\\" and i + 1 < len(template):
            out.append(template[i + 1])
            i += 2
        elif ch == "$" and i + 1 < len(template) and template[i + 1].isdigit():
            j, number = i + 1, int(template[i + 1])
            while j + 1 < len(template) and template[j + 1].isdigit() and number * 10 + int(template[j + 1]) <= groups:
                j += 1
                number = number * 10 + int(template[j])
            out.append(match.group(number) or "")
            i = j + 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def replace_folded(text, find, new):
    """Replaces every case-insensitive (full case folding) occurrence, matching whole characters."""
    target, out, i = find.casefold(), [], 0
    while i < len(text):
        folded, j = "", i
        while j < len(text) and len(folded) < len(target) and target.startswith(folded):
            folded += text[j].casefold()
            j += 1
        if folded == target:
            out.append(new)
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def op_replace(step, table, scope, run):
    find, new = step["find"], as_text(step.get("with", ""))
    ci, whole = step.get("case_insensitive", False), step.get("whole_cell", False)
    if step.get("regex", False):
        pattern = re.compile(find, re.IGNORECASE if ci else 0)
        if whole:
            def replaced(text):
                m = pattern.fullmatch(text)
                return icu_template(new, m) if m else text
        else:
            replaced = lambda text: pattern.sub(lambda m: icu_template(new, m), text)
    elif whole:
        replaced = lambda text: new if fold(text, ci) == fold(find, ci) else text
    elif ci:
        replaced = lambda text: replace_folded(text, find, new)
    else:
        replaced = lambda text: text.replace(find, new)
    return map_cells(step["columns"], table, scope, run, replaced)


def op_extract(step, table, scope, run):
    c, pattern = table.index(step["column"]), re.compile(step["pattern"])
    group = int(step.get("group", 1 if pattern.groups else 0))

    def extracted(cell):
        m = None if cell in run.nulls else pattern.search(cell)
        value = m.group(group) if m else None
        return NULL if value is None else value

    values = [extracted(row.cells[c]) if match else NULL for row, match in zip(table.rows, scope)]
    table.insert_column(c + 1, step["to"], values)
    return 0, []


def op_map_values(step, table, scope, run):
    ci, unmapped = step.get("case_insensitive", False), step.get("unmapped", "keep")
    mapping = {fold(k, ci): as_text(v) for k, v in step["mapping"].items()}
    cols = [table.index(c) for c in step["columns"]]
    kept, rejected = [], []
    for row, match in zip(table.rows, scope):
        reason = None
        if match:
            for c in cols:
                cell = row.cells[c]
                if cell in run.nulls:
                    continue
                if fold(cell, ci) in mapping:
                    row.cells[c] = mapping[fold(cell, ci)]
                elif unmapped == "null":
                    row.cells[c] = NULL
                elif unmapped == "reject" and reason is None:
                    reason = f'no mapping for "{cell}" in column "{table.columns[c]}"'
        if reason:
            rejected.append((row, reason))
        else:
            kept.append(row)
    table.rows = kept
    return 0, rejected


def op_hash(step, table, scope, run):
    salt = as_text(step.get("salt", "")).encode("utf-8")

    def hashed(text):  # the cell's bytes as read, valid UTF-8 or not
        return hashlib.sha256(salt + text.encode("utf-8", "surrogateescape")).hexdigest()

    return map_cells(step["columns"], table, scope, run, hashed)


def is_valid_utf8(text):
    """False when the cell held bytes that are not UTF-8 (read as lone surrogates)."""
    return not any("\udc80" <= ch <= "\udcff" for ch in text)


def op_mask(step, table, scope, run):
    first, last = int(step.get("keep_first", 0)), int(step.get("keep_last", 4))
    mask, on_error = as_text(step.get("with", "*")), step.get("on_error", "reject")
    assert on_error in ("reject", "null", "keep"), "the reference has no on_error fail"
    cols = [table.index(c) for c in step["columns"]]
    kept, rejected = [], []
    for row, match in zip(table.rows, scope):
        reason = None
        for c in cols if match else []:
            text = row.cells[c]
            if text in run.nulls:
                continue
            if not is_valid_utf8(text):  # a value error under on_error
                if on_error == "null":
                    row.cells[c] = NULL
                elif on_error == "reject" and reason is None:
                    reason = f"column {table.columns[c]} is not valid UTF-8"
                continue
            hidden = len(text) - first - last  # a str counts code points: e + U+0301 is two
            if hidden > 0:
                row.cells[c] = text[:first] + mask * hidden + text[len(text) - last:]
        if reason:
            rejected.append((row, reason))
        else:
            kept.append(row)
    table.rows = kept
    return 0, rejected


# ISO 8601 as Decant reads it by default: a date, optionally `T` or a space and
# HH:MM[:SS[.fraction]], optionally an offset (Z, +HH:MM, +HHMM, +HH).
ISO_8601 = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,9}))?)?([Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)


def read_iso(text):
    m = ISO_8601.fullmatch(text)
    if not m:
        return None
    year, month, day, hour, minute, second, fraction, offset = m.groups()
    zone = None
    if offset:
        if offset in "Zz":
            zone = datetime.timezone.utc
        else:
            digits = offset[1:].replace(":", "")
            minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
            zone = datetime.timezone(datetime.timedelta(minutes=-minutes if offset[0] == "-" else minutes))
    try:
        return datetime.datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
            int((fraction or "0")[:6].ljust(6, "0")), zone)
    except ValueError:
        return None


def read_date(text, formats):
    """The value as a datetime by the first of `formats` that reads it (Python's
    strptime; ISO 8601 when there are none), spaces and tabs around it ignored; or None."""
    text = text.strip(" \t")
    if not formats:
        return read_iso(text)
    for pattern in formats:
        try:
            return datetime.datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def date_cells(step, table, scope, run, compute, in_place):
    """Applies `compute` (datetime → text) to the column's non-null cells in scope.
    In place, a value that fails follows on_error; into a new column (`to`), the
    new cell is null outside the scope and for a value that fails (under `null`
    and `keep` alike). Returns the rejected rows."""
    c = table.index(step["column"])
    formats, on_error = step.get("input_formats", []), step.get("on_error", "reject")
    values, rejected = [], []
    for row, match in zip(table.rows, scope):
        cell, value = row.cells[c], NULL
        if match and cell not in run.nulls:
            when = read_date(cell, formats)
            if when is not None:
                value = compute(when)
            else:
                if on_error == "reject":
                    rejected.append((row, f'cannot read "{cell}" as a timestamp'))
                value = cell if in_place and on_error == "keep" else NULL
        elif in_place:
            value = cell
        values.append(value)
    return c, values, rejected


def op_format_date(step, table, scope, run):
    output, to = step["output_format"], step.get("to")
    c, values, rejected = date_cells(step, table, scope, run, lambda when: when.strftime(output), to is None)
    if to is None:
        for row, value in zip(table.rows, values):
            row.cells[c] = value
    else:
        table.insert_column(c + 1, to, values)
    return 0, rejected


DATE_PARTS = {
    "year": lambda d: d.year,
    "month": lambda d: d.month,
    "day": lambda d: d.day,
    "hour": lambda d: d.hour,
    "minute": lambda d: d.minute,
    "second": lambda d: d.second,
    "weekday": lambda d: d.isoweekday(),
    "day_of_year": lambda d: d.timetuple().tm_yday,
    "iso_week": lambda d: d.isocalendar()[1],
    "quarter": lambda d: (d.month - 1) // 3 + 1,
    "date": lambda d: d.date().isoformat(),
}


def op_date_part(step, table, scope, run):
    part = DATE_PARTS[step["part"]]
    c, values, rejected = date_cells(step, table, scope, run, lambda when: str(part(when)), False)
    table.insert_column(c + 1, step.get("to", f'{step["column"]}_{step["part"]}'), values)
    return 0, rejected


def map_cells(names, table, scope, run, fn):
    """Applies fn to the non-null cells of these columns in matching rows."""
    cols = [table.index(c) for c in names]
    for row, match in zip(table.rows, scope):
        if match:
            for c in cols:
                if row.cells[c] not in run.nulls:
                    row.cells[c] = fn(row.cells[c])
    return 0, []


# ---------------------------------------------------------------- types, numbers, enrichment

NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ISO_STAMP = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})(?:[Tt ](?P<h>[0-9]{2}):(?P<m>[0-9]{2})"
    r"(?::(?P<s>[0-9]{2})(?:[.,](?P<f>[0-9]{1,9}))?)?(?P<z>Z|z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?")


def plain_decimal(d):
    text = format(d, "f")
    return text[1:] if d == 0 and text.startswith("-") else text


def read_number(text, thousands, point):
    """The exact Decimal of a cell after its separators, or None."""
    text = text.strip(" \t")
    if thousands:
        parts = text.split(point, 1) if point else [text]
        head = parts[0]
        pieces = head.split(thousands)
        if len(pieces) > 1 and not all(p and p[-1:].isdigit() for p in pieces[:-1]):
            return None
        if len(pieces) > 1 and not all(p[:1].isdigit() for p in pieces[1:]):
            return None
        text = "".join(pieces) + (point + parts[1] if len(parts) > 1 else "")
    if point != ".":
        if "." in text:
            return None
        text = text.replace(point, ".", 1)
    if not NUMBER.fullmatch(text):
        return None
    return decimal.Decimal(text)


def iso_offset(seconds):
    if seconds == 0:
        return "Z"
    sign, a = ("-" if seconds < 0 else "+"), abs(seconds)
    text = f"{sign}{a // 3600:02d}:{a // 60 % 60:02d}"
    return text + (f":{a % 60:02d}" if a % 60 else "")


def cast_value(step, text):
    """(new text, None) or (None, reason)."""
    to = step["to"]
    value = text.strip(" \t")
    if to in ("integer", "decimal"):
        d = read_number(text, step.get("thousands_separator"), step.get("decimal_separator", "."))
        if d is None:
            return None, f'"{text}" is not a number'
        if to == "decimal":
            return plain_decimal(d), None
        if d != d.to_integral_value():
            return None, f'"{text}" is not a whole number (round it first, or cast to decimal)'
        if not -(2**63) <= int(d) < 2**63:
            return None, f'"{text}" does not fit in a 64-bit integer (cast to decimal instead)'
        return str(int(d)), None
    if to == "boolean":
        trues = [v.casefold() for v in step.get("true_values", ["true", "yes", "y", "t", "1"])]
        falses = [v.casefold() for v in step.get("false_values", ["false", "no", "n", "f", "0"])]
        folded = value.casefold()
        if folded in trues:
            return "true", None
        if folded in falses:
            return "false", None
        return None, f'"{text}" is not one of the true or false values'
    if to in ("date", "timestamp"):
        formats = step.get("input_formats")
        stamp = None
        if formats:
            for f in formats:
                try:
                    stamp = datetime.datetime.strptime(value, f)
                    break
                except ValueError:
                    pass
            if stamp is None:
                return None, f'"{text}" is not a value in one of the input formats ({", ".join(formats)})'
            fraction, offset = "", stamp.utcoffset()
        else:
            m = (ISO_DATE if to == "date" else ISO_STAMP).fullmatch(value)
            try:
                if m is None:
                    raise ValueError
                stamp = datetime.datetime.fromisoformat(value[:10])
                if to == "timestamp" and m.group("h"):
                    stamp = stamp.replace(hour=int(m.group("h")), minute=int(m.group("m")), second=int(m.group("s") or 0))
            except ValueError:
                what = "an ISO 8601 date (YYYY-MM-DD)" if to == "date" else "an ISO 8601 timestamp"
                return None, f'"{text}" is not {what}'
            fraction = m.group("f") if to == "timestamp" and m.group("f") else ""
            offset = None
            if to == "timestamp" and m.group("z"):
                z = m.group("z")
                if z in "Zz":
                    offset = datetime.timedelta(0)
                else:
                    digits = z[1:].replace(":", "")
                    seconds = int(digits[:2]) * 3600 + int(digits[2:4] or 0) * 60
                    offset = datetime.timedelta(seconds=-seconds if z[0] == "-" else seconds)
        if to == "date":
            return stamp.strftime("%Y-%m-%d"), None
        out = stamp.strftime("%Y-%m-%dT%H:%M:%S") + ("." + fraction if fraction else "")
        if offset is not None:
            out += iso_offset(int(offset.total_seconds()))
        return out, None
    return text, None


def failing_cells(step, table, scope, run, fn):
    """Rewrites the non-null cells of step["columns"] in matching rows with fn (text -> (new, reason)),
    applying on_error to the cells that fail; returns the rows rejected."""
    on_error = step.get("on_error", "reject")
    cols = [table.index(c) for c in step["columns"]]
    rejected = []
    for row, match in zip(table.rows, scope):
        if not match:
            continue
        reason = None
        for c in cols:
            cell = row.cells[c]
            if cell in run.nulls:
                continue
            new, why = fn(cell)
            if why is None:
                row.cells[c] = new
            elif on_error == "null":
                row.cells[c] = NULL
            elif on_error == "reject" and reason is None:
                reason = why
            elif on_error == "fail":
                raise SystemExit(f"line {row.line}: {why}")
        if reason:
            rejected.append((row, reason))
    return rejected


def op_cast(step, table, scope, run):
    return 0, failing_cells(step, table, scope, run, lambda text: cast_value(step, text))


ROUNDING = {"half_up": decimal.ROUND_HALF_UP, "half_even": decimal.ROUND_HALF_EVEN, "down": decimal.ROUND_DOWN,
            "floor": decimal.ROUND_FLOOR, "ceiling": decimal.ROUND_CEILING}


def op_round(step, table, scope, run):
    digits, mode = int(as_text(step.get("digits", 0))), ROUNDING[step.get("mode", "half_up")]

    def rounded(text):
        if not NUMBER.fullmatch(text):
            return None, f'"{text}" is not a number'
        return plain_decimal(decimal.Decimal(text).quantize(decimal.Decimal(1).scaleb(-digits), rounding=mode)), None

    return 0, failing_cells(step, table, scope, run, rounded)


def read_reference(path):
    """(columns, rows) of a CSV or TSV reference with a header; empty cells are None."""
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    records = read_records(text, "\t" if path.endswith(".tsv") else ",")
    _, header, _ = next(records)
    rows = []
    for line, fields, error in records:
        if fields is None:
            continue
        assert error is None and len(fields) == len(header), f"bad reference row at line {line}"
        rows.append((line, [None if v == "" else v for v in fields]))
    return header, rows


def op_lookup(step, table, scope, run):
    on = step["on"]
    pairs = [(n, n) for n in on] if isinstance(on, list) else list(on.items())
    columns, rows = read_reference(os.path.join(run.recipe_dir, step["file"]))
    ref_keys = [columns.index(r) for _, r in pairs]
    added = [columns.index(c) for c in step["columns"]] if "columns" in step else [
        i for i in range(len(columns)) if i not in ref_keys]
    index = {}
    for line, cells in rows:
        key = tuple(cells[i] for i in ref_keys)
        if None in key:
            continue
        if key in index:
            assert step.get("duplicate_keys", "first") == "first", f"duplicate key {key}"
            continue
        index[key] = cells
    data_keys = [table.index(d) for d, _ in pairs]
    table.columns += [step.get("prefix", "") + columns[i] for i in added]
    unmatched = step.get("unmatched", "null")
    kept, rejected, removed = [], [], 0
    for row, match in zip(table.rows, scope):
        values = [None] * len(added)
        if match:
            key = tuple(None if row.cells[c] in run.nulls else row.cells[c] for c in data_keys)
            found = None if None in key else index.get(key)
            if found is not None:
                values = [found[i] for i in added]
            elif unmatched == "remove":
                removed += 1
                continue
            elif unmatched == "reject":
                if None in key:
                    names = ", ".join(d for d, _ in pairs)
                    rejected.append((row, f"no match in {step['file']}: a key column ({names}) is null"))
                else:
                    shown = ", ".join(f'"{v}"' for v in key)
                    rejected.append((row, f"no match in {step['file']} for key {shown}"))
                continue
        row.cells += [NULL if v is None else v for v in values]
        kept.append(row)
    table.rows = kept + [row for row, _ in rejected]
    return removed, rejected


OPERATIONS = {
    "rename": op_rename,
    "dedupe": op_dedupe,
    "fill_null": op_fill_null,
    "filter": op_filter,
    "validate": op_validate,
    "select": op_select,
    "drop": op_drop,
    "copy": op_copy,
    "set": op_set,
    "merge": op_merge,
    "split": op_split,
    "trim": op_trim,
    "change_case": op_change_case,
    "replace": op_replace,
    "extract": op_extract,
    "map_values": op_map_values,
    "cast": op_cast,
    "round": op_round,
    "lookup": op_lookup,
    "hash": op_hash,
    "mask": op_mask,
    "format_date": op_format_date,
    "date_part": op_date_part,
}
RULE_STEPS = ("filter", "validate")  # their `where` is the rule, not a scope


# ---------------------------------------------------------------- a run


class Run:
    def __init__(self, recipe, text, recipe_dir="."):
        self.recipe_dir = recipe_dir
        settings = recipe.get("input", {})
        self.delimiter = settings.get("delimiter", ",")
        self.nulls = frozenset(settings.get("null_values", [""]))
        assert "" in self.nulls, "the reference writes nulls as empty text"
        self.ragged = settings.get("ragged", "reject")
        self.recipe, self.text = recipe, text.removeprefix("\ufeff")
        self.rule_violations = 0

    def execute(self):
        records = read_records(self.text, self.delimiter)
        _, header, _ = next(records)
        self.input_columns = unique_header(header)
        width = len(self.input_columns)
        rows, self.rejects, self.blank_lines, read_in = [], [], 0, 0
        for line, fields, error in records:
            if fields is None:
                self.blank_lines += 1
                continue
            read_in += 1
            if error is None and len(fields) < width and self.ragged == "pad":
                fields = fields + [NULL] * (width - len(fields))
            if error is None and len(fields) == width:
                rows.append(Row(line, fields))
            else:
                reason = error or f"the row has {len(fields)} fields, the header has {width}"
                self.rejects.append((line, "0 read", fields, reason))
        self.steps = [count("0 read", read_in, len(rows), 0, read_in - len(rows))]
        table = Table(list(self.input_columns), rows)
        for number, step in enumerate(self.recipe["steps"], start=1):
            if not step.get("enabled", True):
                continue
            label, before = f"{number} {step['op']}", len(table.rows)
            scope = [True] * before
            if "where" in step and step["op"] not in RULE_STEPS:
                condition = compile_condition(step["where"], table, self.nulls)
                scope = [condition(row.cells) for row in table.rows]
            self.rule_violations = None
            removed, rejected = OPERATIONS[step["op"]](step, table, scope, self)
            rejected_ids = {id(row) for row, _ in rejected}
            table.rows = [row for row in table.rows if id(row) not in rejected_ids]
            for row, reason in rejected:
                self.rejects.append((row.line, label, row.raw, reason))
            counts = count(label, before, len(table.rows), removed, len(rejected))
            if self.rule_violations is not None:
                counts["rule_violations"] = self.rule_violations
            assert counts["rows_in"] == counts["rows_out"] + removed + len(rejected), counts
            self.steps.append(counts)
        self.table = table
        self.rejects.sort(key=lambda r: r[0])
        return self

    def output_csv(self):
        return write_csv(self.table.columns, [row.cells for row in self.table.rows], self.delimiter)

    def rejects_csv(self):
        width = len(self.input_columns)
        rows = [
            (fields + [""] * width)[:width] + [str(line), label, reason] for line, label, fields, reason in self.rejects
        ]
        return write_csv(self.input_columns + ["_line", "_step", "_reason"], rows, ",")

    def counts(self):
        return {
            "rows_in": self.steps[0]["rows_in"],
            "rows_out": self.steps[-1]["rows_out"],
            "rows_removed": sum(s["rows_removed"] for s in self.steps),
            "rows_rejected": sum(s["rows_rejected"] for s in self.steps),
            "blank_lines": self.blank_lines,
            "rejected_lines": [line for line, _, _, _ in self.rejects],
            "rejects": [{"_line": line, "_step": label} for line, label, _, _ in self.rejects],
            "steps": self.steps,
        }


def count(label, rows_in, rows_out, removed, rejected):
    return {"step": label, "rows_in": rows_in, "rows_out": rows_out, "rows_removed": removed, "rows_rejected": rejected}


def write_csv(columns, rows, delimiter):
    def field(value):
        if any(ch in value for ch in (delimiter, '"', "\r", "\n")):
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = []
    for cells in [columns] + rows:
        line = delimiter.join(field(v) for v in cells)
        lines.append('""' if line == "" and len(cells) == 1 else line)
    return "".join(line + "\n" for line in lines)


def run_recipe(recipe_path, input_path):
    with open(input_path, encoding="utf-8", errors="surrogateescape", newline="") as f:
        return Run(load_recipe(recipe_path), f.read(), os.path.dirname(str(recipe_path))).execute()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("recipe")
    parser.add_argument("input")
    parser.add_argument("-o", "--output")
    parser.add_argument("--counts")
    parser.add_argument("--rejects")
    args = parser.parse_args()
    run = run_recipe(args.recipe, args.input)
    data = run.output_csv().encode("utf-8", "surrogateescape")  # invalid UTF-8 passes through as bytes
    if args.output:
        with open(args.output, "wb") as f:
            f.write(data)
    else:
        sys.stdout.buffer.write(data)
    if args.counts:
        with open(args.counts, "w", encoding="utf-8") as f:
            json.dump(run.counts(), f, indent=2, ensure_ascii=False)
            f.write("\n")
    if args.rejects and run.rejects:
        with open(args.rejects, "wb") as f:
            f.write(run.rejects_csv().encode("utf-8", "surrogateescape"))


if __name__ == "__main__":
    main()
