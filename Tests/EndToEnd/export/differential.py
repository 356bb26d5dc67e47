#!/usr/bin/env python3
"""Differential test of `decant export`: DuckDB, Spark SQL and PySpark.

Generates messy tables and random recipes (seeded), runs each recipe with
`decant run` and its exported jobs (DuckDB with the duckdb module; Spark SQL
and PySpark in one local Spark session), and compares the output rows, the
rejected rows (original cells, step and reason, in input order) and the row
counts, cell by cell after reading both sides with Python's csv module.
Recipes an export refuses are counted, with their messages.

Usage: differential.py DECANT_BINARY [--engines E,E] [--cases N] [--seed S] [--keep DIR]
       differential.py DECANT_BINARY [--engines E,E] --case RECIPE INPUT [--case ...]
The second form compares given recipes and inputs and prints one line per case
and engine: RECIPE, engine and `agree`, `refused: MESSAGE`, `stopped: ERROR`
(the job stopped on data Decant runs through), `declined: ERROR` (the job's
own guard stopped it on a value it cannot handle as Decant does) or
`differ: ...`, tab-separated.
Exit 0 when every exported case agrees (or is refused); 1 otherwise (each
difference printed).
"""
import argparse
import csv
import importlib.util
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

import duckdb

NAMES = ["Alice Smith", "bob jones", "  Carol  Ann ", "\u00a0nbsp\u2003 em\u3000", " \t tab \t ", "a\u200bb", "Dave ß", "Émile Zola", "Zoë", "O'Brien", "x", "",
         "NA", "a,b", 'say "hi"', "line\nbreak", "tab\there", "ΟΔΟΣ", "straße", "a\u2028b", "end\r\n",
         "trail\n", "12", "1st place", "ǆemal"]
NUMBERS = ["1", "10", "10.0", "-3", "+4", ".5", "5.", "1e3", "1E-2", "0", "-0", "007", "abc", "", "NA",
           "2.5", "-2.5", "0.125", "-0.005", "999.995", "9.9999", "-99.5", "1.45e1", "5e-1", "0.0", "-0.0",
           "123.456789", "1e4096", "00.0100", "x" * 70, "a\u0301" * 35,
           "12345678901234567890", "0.000000000000000001", "1,5", " 7", "3.14159", "99.99", "100", "-100.5",
           "1e32312", "-2E+400", "7e-3", "123456789012345678901234", "1.234,5", "1,234.5", "1 000", "-9223372036854775808"]
CITIES = ["Berlin", "Paris", "Rome", "paris", "PARIS", "", "NA", "Oslo", "São Paulo"]
TAGS = ["a;b", "a", "", ";", "a;;b", "x;y;z", "NA", "vip;a", "b;", ";a"]
EMAILS = ["alice@example.com", "BOB@EXAMPLE.COM", "", "carol@x.org", "no-at-sign", "d@e@f", "NA",
          "émile@zola.fr"]
# Timestamps: ISO 8601 in its forms, other layouts, New York's and Berlin's
# DST gaps and overlaps, offsets, impossible dates and text.
WHENS = ["2024-03-10 02:30:00", "2024-11-03 01:30:00", "2024-03-31 02:30:00", "2024-10-27 02:30:00",
         "2024-03-10T07:30:00Z", "2024-07-01T12:00:00+02:00", "2024-07-01 12:00:00.123456", "2024-07-01",
         " 2024-01-05 07:05:09 ", "2024-1-5 7:05:09", "2024-02-29 23:59:59", "2023-02-29 10:00:00",
         "1999-12-31T23:59:59.9-0330", "+12024-01-01T00:00:00Z", "-0044-03-15 12:00:00", "1850-01-01 00:00:00",
         "05/01/2024", "13/01/2024", "1/5/2024 7:05 PM", "12/25/2024 12:00 am", "05 Jan 2024", "5 JANUARY 2024",
         "20240105123000", "1704412800", "-86400", "2024-01-05T10:00:00+0530", "032/2024", "Fri, 05 Jan 2024 10:00:00 +0100",
         "2024-07-01T12:00:00+24:00", "2024-07-01T12:00", "2024-07-01 24:00:00", "soon", "", "NA", "2024-07-01T12:00:00,5Z",
         "Sept 5 2024", "2024-07-01 12:00:00 +01"]
INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%d/%m/%Y", "%m/%d/%Y %I:%M %p", "%d %b %Y", "%Y%m%d%H%M%S", "%s",
                 "%Y-%m-%dT%H:%M:%S%z", "%j/%Y", "%e %B %Y", "%Y-%m-%d %H:%M:%S.%f", "%a, %d %b %Y %H:%M:%S %z",
                 "%Y-%m-%d", "%Y-%m-%d %H:%M:%S %z", "%b %d %Y", "%F %T"]
OUTPUT_FORMATS = ["%Y-%m-%dT%H:%M:%SZ", "%d.%m.%Y", "%I:%M %p", "%s", "%Y %j %a %A %b %B %e", "%H:%M:%S.%f %z %:z",
                  "%y%m%d", "%F %T", "%Y-%m-%d %H:%M", "%%%Y"]
ZONE_NAMES = ["America/New_York", "Europe/Berlin", "UTC", "Asia/Kolkata", "+05:30", "Australia/Lord_Howe", "Etc/UTC"]
COLUMNS = ["id", "name", "amount", "city", "tags", "email", "when"]

PATTERNS = ["^a", "[0-9]+", "\\d+$", "^[A-Z][a-z]+", "x.y", "(a|b)c", "\\s", "ß", "é$", "^$", "a.b",
            "[^a-z]", "^.+$", "k$", "\\p{Lu}", "[\\s,]+", "b{2}", "o+", "(?:ar)+", "\\.", "[ÀÉ]"]
TEXTS = ["a", "Paris", "NA", "", "x", "ß", "1", "e", "Zo", " yes\t", "TRUE", "f", "No"]
# Texts equal to some cells under full case folding only.
FOLDS = ["STRASSE", "ALICE SMITH", "οδοσ", "PARIS", "são paulo", "Ǆemal", "ZOË", "Ss"]
LITERALS = ["0", "5", "10", "-1", "99.99", "1e3", "0.5", "100"]


def leaf(rng, columns):
    col = rng.choice(columns)
    kind = rng.choice(["is_null", "equals", "in", "contains", "starts_with", "ends_with", "matches",
                       "gt", "gte", "lt", "lte", "between", "is_number"])
    if kind in ("equals", "in", "contains", "starts_with", "ends_with") and rng.random() < 0.3:
        text = {"column": col, "case_insensitive": True}
        if kind == "in":
            text["in"] = rng.sample(TEXTS + CITIES + FOLDS, 3)
        else:
            text[kind] = rng.choice(TEXTS + FOLDS)
        return text
    if kind in ("is_null", "is_number"):
        return {"column": col, kind: rng.choice([True, False])}
    if kind == "in":
        return {"column": col, "in": rng.sample(TEXTS + CITIES, 3)}
    if kind == "matches":
        return {"column": col, "matches": rng.choice(PATTERNS)}
    if kind in ("gt", "gte", "lt", "lte"):
        return {"column": col, kind: float(rng.choice(LITERALS)) if rng.random() < 0.3 else int(rng.choice(["0", "5", "10", "-1"]))}
    if kind == "between":
        lo, hi = sorted([int(rng.choice(["0", "5", "10", "-1", "100"])), int(rng.choice(["0", "5", "10", "100"]))])
        return {"column": col, "between": [lo, hi]}
    return {"column": col, kind: rng.choice(TEXTS)}


def condition(rng, columns, depth=0):
    r = rng.random()
    if depth < 2 and r < 0.2:
        return {"all": [condition(rng, columns, depth + 1) for _ in range(rng.randint(1, 3))]}
    if depth < 2 and r < 0.35:
        return {"any": [condition(rng, columns, depth + 1) for _ in range(rng.randint(1, 3))]}
    if depth < 2 and r < 0.45:
        return {"not": condition(rng, columns, depth + 1)}
    return leaf(rng, columns)


def step(rng, columns, counter):
    """One random step over `columns` (names as they stand); returns (step, new columns)."""
    op = rng.choice(["rename", "dedupe", "fill_null", "fill_null", "copy", "set", "merge", "split",
                     "map_values", "hash", "mask", "replace", "replace", "validate", "filter", "select",
                     "drop", "trim", "trim", "extract", "change_case", "round", "round", "cast",
                     "normalize_timezone", "normalize_timezone", "format_date", "date_part"])
    counter[0] += 1
    fresh = f"n{counter[0]}"
    cols = list(columns)
    s = {"op": op}
    if op == "rename":
        old = rng.choice(cols)
        s["columns"] = {old: fresh}
        cols[cols.index(old)] = fresh
    elif op == "dedupe":
        s["columns"] = rng.sample(cols, rng.randint(0, 2))
        s["keep"] = rng.choice(["first", "last"])
    elif op == "fill_null":
        s["columns"] = rng.sample(cols, rng.randint(1, 2))
        r = rng.random()
        if r < 0.4:
            s["value"] = rng.choice(TEXTS)
        else:
            s["strategy"] = rng.choice(["previous", "next", "mode"])
    elif op == "copy":
        src = rng.choice(cols)
        s.update(column=src, to=fresh)
        cols.insert(cols.index(src) + 1, fresh)
    elif op == "set":
        if rng.random() < 0.5:
            s.update(column=rng.choice(cols), value=rng.choice(TEXTS + [None]))
        else:
            s.update(column=fresh, value=rng.choice(TEXTS + [None]))
            cols.append(fresh)
    elif op == "merge":
        parts = rng.sample(cols, rng.randint(2, min(3, len(cols))))
        s.update(columns=parts, to=fresh, separator=rng.choice(["", "/", ", "]),
                 nulls=rng.choice(["skip", "empty", "null"]))
        last = max(cols.index(p) for p in parts)
        cols.insert(last + 1, fresh)
    elif op == "split":
        src = rng.choice(cols)
        into = [fresh + "_a", fresh + "_b"] + ([fresh + "_c"] if rng.random() < 0.5 else [])
        s.update(column=src, separator=rng.choice([";", " ", "a", ", "]), into=into)
        i = cols.index(src)
        cols[i + 1:i + 1] = into
    elif op == "map_values":
        s["columns"] = rng.sample(cols, 1)
        if rng.random() < 0.3:
            s["case_insensitive"] = True
            keys = rng.sample(["paris", "BERLIN", "Oslo", "são PAULO", "rome", "x", "na"], 3)
        else:
            keys = rng.sample(CITIES + TEXTS, 3)
        s["mapping"] = {k: rng.choice(TEXTS + [None]) for k in keys}
        s["unmapped"] = rng.choice(["keep", "null", "reject"])
    elif op == "hash":
        s["columns"] = rng.sample(cols, 1)
        if rng.random() < 0.5:
            s["salt"] = "pepper"
    elif op == "mask":
        s["columns"] = rng.sample(cols, 1)
        s.update(keep_first=rng.randint(0, 2), keep_last=rng.randint(0, 4), **{"with": rng.choice(["*", "#", "•"])})
    elif op == "replace":
        s["columns"] = rng.sample(cols, 1)
        if rng.random() < 0.5:
            s.update(find=rng.choice(["a", "Paris", ",", "ß", " "]), **{"with": rng.choice(["", "_", "ss"])})
        else:
            s.update(find=rng.choice(PATTERNS[1:]), regex=True,
                     **{"with": rng.choice(["", "<$0>", "-", "\\$"])})
        s["whole_cell"] = rng.random() < 0.3
    elif op == "extract":
        src = rng.choice(cols)
        pattern = rng.choice(PATTERNS + ["([a-z]+)@([a-z.]+)", "^(\\d+)?x", "(b)|(c)", "([^;]*);(.*)$"])
        groups = len(re.findall(r"\((?!\?)", pattern))
        s.update(column=src, pattern=pattern, to=fresh, group=rng.randint(0, groups))
        cols.insert(cols.index(src) + 1, fresh)
    elif op == "cast":
        s["columns"] = rng.sample(cols, rng.randint(1, 2))
        s["to"] = rng.choice(["boolean", "boolean", "string", "date", "timestamp", "integer", "decimal"])
        if s["to"] in ("integer", "decimal") and rng.random() < 0.4:
            s.update(rng.choice([{"thousands_separator": ".", "decimal_separator": ","}, {"thousands_separator": ","},
                                 {"decimal_separator": ","}, {"thousands_separator": " "}]))
        if s["to"] in ("date", "timestamp") and rng.random() < 0.5:
            s["input_formats"] = rng.sample(INPUT_FORMATS, rng.randint(1, 2))
        if s["to"] == "boolean" and rng.random() < 0.4:
            s["true_values"] = rng.sample(["x", "Paris", "STRASSE", "1", "yes"], 2)
            s["false_values"] = ["NA", "0"]
        s["on_error"] = rng.choice(["reject", "null", "keep", "fail"])
    elif op in ("normalize_timezone", "format_date", "date_part"):
        when = [c for c in cols if "when" in c]
        s["column"] = when[0] if when and rng.random() < 0.8 else rng.choice(cols)
        if rng.random() < 0.6:
            s["input_formats"] = rng.sample(INPUT_FORMATS, rng.randint(1, 3))
        if op == "normalize_timezone":
            s["from_zone"] = rng.choice(ZONE_NAMES + [None])
            s["to_zone"] = rng.choice(ZONE_NAMES)
            s["ambiguous"] = rng.choice(["earlier", "later", "reject"])
            s["nonexistent"] = rng.choice(["shift_forward", "reject"])
            if rng.random() < 0.5:
                s["output_format"] = rng.choice(OUTPUT_FORMATS + ["%F %T %Z"])
        elif op == "format_date":
            s["output_format"] = rng.choice(OUTPUT_FORMATS)
        else:
            s["part"] = rng.choice(["year", "month", "day", "hour", "minute", "second", "weekday", "day_of_year",
                                    "iso_week", "quarter", "date"])
            s["to"] = fresh
        if op != "date_part" and rng.random() < 0.3:
            s["to"] = fresh
        if "to" in s:
            cols.insert(cols.index(s["column"]) + 1, fresh)
        s["on_error"] = rng.choice(["reject", "null", "keep", "fail"])
    elif op == "round":
        s["columns"] = rng.sample(cols, 1) if rng.random() < 0.4 else ([c for c in cols if "amount" in c] or cols[:1])
        s["digits"] = rng.choice([-2, -1, 0, 0, 1, 2, 3])
        s["mode"] = rng.choice(["half_up", "half_even", "down", "floor", "ceiling"])
        s["on_error"] = rng.choice(["reject", "null", "keep", "keep", "fail"])
    elif op == "change_case":
        s["columns"] = rng.sample(cols, rng.randint(1, 2))
        s["case"] = rng.choice(["upper", "lower"])
    elif op == "trim":
        s["columns"] = rng.sample(cols, rng.randint(1, 2))
        s["side"] = rng.choice(["both", "left", "right"])
        if rng.random() < 0.3:
            s["characters"] = rng.choice(["a", " .", "ß-", "]^\\", "e\n"])
        s["collapse"] = rng.random() < 0.4
    elif op == "validate":
        s.update(name=f"rule {counter[0]}", where=condition(rng, cols),
                 on_error=rng.choice(["reject", "reject", "keep", "fail"]))
    elif op == "filter":
        s.update(where=condition(rng, cols), keep=rng.choice(["matching", "non_matching"]))
    elif op == "select":
        keep = rng.sample(cols, rng.randint(min(2, len(cols)), len(cols)))
        s["columns"] = keep
        cols = keep
    elif op == "drop":
        if len(cols) > 2:
            gone = rng.sample(cols, 1)
            s["columns"] = gone
            cols = [c for c in cols if c not in gone]
        else:
            s = {"op": "hash", "columns": [cols[0]]}
    if op not in ("rename", "select", "drop", "filter", "validate") and rng.random() < 0.35:
        s["where"] = condition(rng, columns)
    return s, cols


def table(rng, rows):
    out = [COLUMNS]
    for i in range(rows):
        out.append([str(rng.randint(1, rows // 2 + 1)), rng.choice(NAMES), rng.choice(NUMBERS),
                    rng.choice(CITIES), rng.choice(TAGS), rng.choice(EMAILS), rng.choice(WHENS)])
    if rng.random() < 0.3:
        # Ragged rows: Decant rejects them at "0 read" and goes on.
        # (Not the first data row: without a header, it sets the column count.)
        for r in rng.sample(range(2, len(out)), rng.randint(1, 3)):
            if rng.random() < 0.5:
                out[r] = out[r][:rng.randint(1, len(COLUMNS) - 1)]
            else:
                # (Not ending in an empty field: DuckDB's reader drops trailing empty
                # fields past the header's count, where Decant rejects the row.)
                out[r] = out[r] + [rng.choice(NAMES) for _ in range(rng.randint(0, 1))] + [rng.choice([n for n in NAMES if n])]
    return out


def write_table(rng, path, rows, delimiter=",", header=True):
    """Writes a table as CSV, now and then with CRLF line ends or a blank line."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        end = rng.choice(["\n", "\n", "\r\n"])
        # (DuckDB takes the line end from the first line: a line break inside the
        # first record's quotes makes it read the wrong one and stop.)
        first = 0 if header else 1
        rows[first] = [c.replace("\n", " ").replace("\r", " ") for c in rows[first]]
        writer = csv.writer(f, lineterminator=end, delimiter=delimiter)
        if header:
            writer.writerow(rows[0])
        body = rows[1:]
        cut = rng.randint(0, len(body)) if rng.random() < 0.2 else None
        for i, row in enumerate(body):
            if i == cut:
                f.write(end)
            writer.writerow(row)


def read_csv(path, delimiter=","):
    # Bytes that are not UTF-8 (Decant passes them through) stay distinct.
    with open(path, newline="", encoding="utf-8", errors="surrogateescape") as f:
        return list(csv.reader(f, delimiter=delimiter))


def output_delimiter(recipe_path):
    """The delimiter of the output: the input's, as the recipe says."""
    settings = json.load(open(recipe_path, encoding="utf-8")).get("input", {})
    return settings.get("delimiter") or ("\t" if settings.get("format") == "tsv" else ",")


def run_duckdb(script):
    con = duckdb.connect()
    result = None
    for statement in script.split(";\n"):
        if any(l.strip() and not l.strip().startswith("--") for l in statement.splitlines()):
            result = con.execute(statement)
    return result.fetchall()[0]


_spark = None


def spark_session():
    """One local Spark session for every case (it takes seconds to start)."""
    global _spark
    if _spark is None:
        from pyspark.sql import SparkSession
        _spark = (SparkSession.builder.master("local[2]").appName("decant export differential")
                  .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                  .config("spark.driver.memory", "4g")
                  .config("spark.driver.extraJavaOptions", "-Dlog4j2.level=error").getOrCreate())
        _spark.sparkContext.setLogLevel("ERROR")
    return _spark


def run_spark_sql(script):
    """Runs a `spark-sql -f` script statement by statement (its literals hold no line breaks)."""
    spark = spark_session()
    text = "\n".join(l for l in script.splitlines() if not l.startswith("--"))
    counts = None
    for statement in re.split(r";[ \t]*\n", text):
        if statement.strip():
            result = spark.sql(statement)
            if statement.lstrip().upper().startswith("SELECT"):
                counts = tuple(result.first())  # the last SELECT prints the counts
    return counts


def run_pyspark(job, args):
    """Imports the exported job file and runs it in the shared session."""
    spec = importlib.util.spec_from_file_location(f"decant_job_{abs(hash(job))}", job)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    try:
        return tuple(module.run(spark_session(), args))
    except SystemExit as e:
        raise RuntimeError(str(e)) from None


def read_parts(path, delimiter=","):
    """A Spark output directory: its part files in name order, one header kept."""
    if not os.path.isdir(path):
        return []
    rows = []
    for name in sorted(n for n in os.listdir(path) if n.startswith("part-")):
        part = read_csv(os.path.join(path, name), delimiter)
        if part:
            rows = rows or part[:1]
            rows += part[1:]
    return rows


def run_engine(decant, engine, case_dir, recipe_path, data_path):
    """Exports and runs the job; returns (output rows, rejects rows without _row, counts)
    or raises Refused / the engine's error."""
    base = os.path.join(case_dir, engine)
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base)
    out, rej = os.path.join(base, "output"), os.path.join(base, "rejects")
    if engine == "duckdb":
        out, rej = out + ".csv", rej + ".csv"
    job = os.path.join(base, "job.py" if engine == "pyspark" else "job.sql")
    command = [decant, "export", recipe_path, "--to", engine, "--input", data_path, "-o", job]
    if engine != "pyspark":
        command += ["--output", out, "--rejects", rej]
    ex = subprocess.run(command, capture_output=True, text=True)
    if ex.returncode == 2:
        lines = [l for l in ex.stderr.strip().splitlines() if not l.startswith("decant: warning")]
        raise Refused(lines[0] if lines else "(no message)")
    if ex.returncode != 0:
        raise RuntimeError(f"export exited {ex.returncode}: {ex.stderr.strip()}")
    if engine == "duckdb":
        counts = run_duckdb(open(job, encoding="utf-8").read())
        # DuckDB lists the rows it could not read first (with _line), then the
        # rows steps rejected (with _row).
        rejects = [r[:-4] + r[-2:] for r in read_csv(rej)[1:]] if os.path.exists(rej) else []
        return read_csv(out, output_delimiter(recipe_path)), rejects, tuple(counts)
    if engine == "spark-sql":
        counts = run_spark_sql(open(job, encoding="utf-8").read())
    else:
        counts = run_pyspark(job, ["--input", data_path, "--output", out, "--rejects", rej])
    return read_parts(out, output_delimiter(recipe_path)), read_parts(rej)[1:], tuple(counts)


class Refused(Exception):
    pass


def why(error):
    """The first line of an error; for a JVM error, of each cause in its chain."""
    java = getattr(error, "java_exception", None)  # py4j
    if java is None:
        return (str(error).strip().splitlines() or [type(error).__name__])[0]
    lines = []
    while java is not None and len(lines) < 6:
        message = (java.getMessage() or "").strip()
        if message:
            lines.append(message.splitlines()[0])
        java = java.getCause()
    return " / ".join(lines) or type(error).__name__


def compare(decant, case_dir, recipe_path, data_path, engines):
    """Runs decant and each engine's job; returns {engine: (status, messages)}, the
    status agree, differ, refused, stopped (the job stopped on data Decant runs
    through) or skipped (decant itself could not run the case)."""
    out, rej, report = (os.path.join(case_dir, n) for n in ("decant.csv", "decant.rejects.csv", "report.json"))
    run = subprocess.run([decant, "run", recipe_path, data_path, "-o", out, "--rejects", rej, "--report", report,
                          "-q"], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        return {e: ("skipped", [f"decant run exited {run.returncode}: {run.stderr.strip()}"]) for e in engines}
    results = {}
    for engine in engines:
        try:
            theirs, their_rejects, counts = run_engine(decant, engine, case_dir, recipe_path, data_path)
        except Refused as r:
            results[engine] = ("refused", [str(r)])
            continue
        except Exception as e:  # the job stopped
            first = why(e)
            if run.returncode == 1:
                results[engine] = ("agree", [])  # both stop on the data (on_error: fail)
            elif re.search(r"step [0-9]+ \([a-z_]+\): ", first):
                # The job's own guard: a value it cannot handle as Decant does.
                results[engine] = ("declined", [first[:300]])
            else:
                results[engine] = ("stopped", [first[:300]])
            continue
        if run.returncode == 1:
            results[engine] = ("differ", [f"decant run stopped ({run.stderr.strip()}) but the job ran"])
            continue
        problems = []
        mine = read_csv(out, output_delimiter(recipe_path))
        if mine != theirs:
            problems.append(f"output differs: decant {len(mine) - 1} rows, {engine} {len(theirs) - 1}")
            for i, (a, b) in enumerate(zip(mine, theirs)):
                if a != b:
                    problems.append(f"  first difference at row {i}: decant {a!r}, {engine} {b!r}")
                    break
        expected = []
        if os.path.exists(rej):
            rows = read_csv(rej)
            if engine == "duckdb":
                expected = sorted(rows[1:], key=lambda r: (r[-2] != "0 read", int(r[-3])))
            else:
                expected = sorted(rows[1:], key=lambda r: int(r[-3]))
            expected = [r[:-3] + r[-2:] for r in expected]
        if expected != their_rejects:
            problems.append(f"rejects differ: decant {len(expected)}, {engine} {len(their_rejects)}")
            for a, b in zip(expected, their_rejects):
                if a != b:
                    problems.append(f"  first difference: decant {a!r}, {engine} {b!r}")
                    break
        r = json.load(open(report))
        mine_counts = (r["rows_in"], r["rows_out"], r["rows_removed"], r["rows_rejected"])
        if tuple(counts) != mine_counts:
            problems.append(f"counts differ: decant {mine_counts}, {engine} {tuple(counts)}")
        results[engine] = (("differ" if problems else "agree"), problems)
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("decant")
    ap.add_argument("--cases", type=int, default=None, help="generated cases (default 100, none with --case)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--engines", default="duckdb", help="comma-separated: duckdb, spark-sql, pyspark")
    ap.add_argument("--keep", help="keep every case's files in this directory")
    ap.add_argument("--case", nargs=2, action="append", metavar=("RECIPE", "INPUT"),
                    help="compare this recipe and input (repeatable) instead of generated cases")
    args = ap.parse_args()
    engines = args.engines.split(",")
    base = args.keep or tempfile.mkdtemp(prefix="decant-export-")
    failed = False
    for n, (recipe, data) in enumerate(args.case or []):
        # One line per case and engine: NAME ENGINE STATUS[: MESSAGE]
        case_dir = os.path.join(base, f"given-{n:04d}")
        os.makedirs(case_dir, exist_ok=True)
        results = compare(args.decant, case_dir, os.path.abspath(recipe), os.path.abspath(data), engines)
        for engine, (status, messages) in results.items():
            print(f"{recipe}\t{engine}\t{status}" + (": " + " | ".join(messages) if messages else ""), flush=True)
            failed |= status in ("differ", "skipped", "stopped")
    if args.cases is None:
        args.cases = 0 if args.case else 100
    if args.cases:
        failed |= generated(args, engines, base)
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 1 if failed else 0


def generated(args, engines, base):
    """Runs the generated cases; prints a summary line per engine; True when one failed."""
    failed = False
    rng = random.Random(args.seed)
    tally = {e: {"agree": 0, "differ": 0, "refused": 0, "skipped": 0, "stopped": 0, "declined": 0} for e in engines}
    refusals = {}
    for n in range(args.cases):
        case_dir = os.path.join(base, f"case-{n:04d}")
        os.makedirs(case_dir, exist_ok=True)
        data = os.path.join(case_dir, "input.csv")
        # Now and then another delimiter (TSV too) or no header row.
        delimiter = rng.choice([",", ",", ",", ";", "\t"])
        header = rng.random() < 0.85
        write_table(rng, data, table(rng, args.rows), delimiter, header)
        columns = list(COLUMNS) if header else [f"column_{i + 1}" for i in range(len(COLUMNS))]
        steps, counter = [], [0]
        for _ in range(rng.randint(1, 6)):
            s, columns = step(rng, columns, counter)
            steps.append(s)
        recipe = {"decant_recipe": 1, "name": f"differential {args.seed}/{n}",
                  "input": {"format": "tsv" if delimiter == "\t" else "csv", "delimiter": delimiter,
                            "header": header,
                            "null_values": rng.choice([[""], ["", "NA"], ["NA"]])},
                  "steps": steps}
        recipe_path = os.path.join(case_dir, "recipe.json")
        with open(recipe_path, "w", encoding="utf-8") as f:
            json.dump(recipe, f, ensure_ascii=False, indent=1)
        for engine, (status, messages) in compare(args.decant, case_dir, recipe_path, data, engines).items():
            tally[engine][status] += 1
            if status == "refused":
                key = messages[0].split(": ", 2)[-1][:100]
                refusals[key] = refusals.get(key, 0) + 1
            elif status == "declined":
                key = messages[0][:100]
                refusals[key] = refusals.get(key, 0) + 1
            elif status != "agree":
                failed = True
                print(f"case {n} ({case_dir}) on {engine}: {status}")
                for m in messages:
                    print("  " + m)
    for engine in engines:
        t = tally[engine]
        print(f"{engine}: {args.cases} cases (seed {args.seed}): {t['agree']} agree, {t['differ']} differ, "
              f"{t['refused']} refused, {t['stopped']} stopped, {t['declined']} declined by the job, "
              f"{t['skipped']} not run by decant")
    for k, v in sorted(refusals.items(), key=lambda kv: -kv[1]):
        print(f"  refused {v}×: {k}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
