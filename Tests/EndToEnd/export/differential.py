#!/usr/bin/env python3
"""Differential test of `decant export --to duckdb`.

Generates messy tables and random recipes (seeded), runs each recipe with
`decant run` and its DuckDB export with the duckdb module, and compares the
output rows, the rejected rows (original cells, step and reason, in input
order) and the row counts, cell by cell after reading both sides with Python's
csv module. Recipes the export refuses are counted, with their messages.

Usage: differential.py DECANT_BINARY [--cases N] [--seed S] [--keep DIR]
       differential.py DECANT_BINARY --case RECIPE INPUT
The second form compares one given recipe and input and prints one line:
`agree`, `refused: MESSAGE` or `differ: ...`.
Exit 0 when every exported case agrees (or is refused); 1 otherwise (each
difference printed).
"""
import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

import duckdb

NAMES = ["Alice Smith", "bob jones", "  Carol  Ann ", "Dave ß", "Émile Zola", "Zoë", "O'Brien", "x", "",
         "NA", "a,b", 'say "hi"', "line\nbreak", "tab\there", "ΟΔΟΣ", "straße", "a\u2028b", "end\r\n",
         "trail\n", "12", "1st place", "ǆemal"]
NUMBERS = ["1", "10", "10.0", "-3", "+4", ".5", "5.", "1e3", "1E-2", "0", "-0", "007", "abc", "", "NA",
           "12345678901234567890", "0.000000000000000001", "1,5", " 7", "3.14159", "99.99", "100", "-100.5",
           "1e32312", "-2E+400", "7e-3", "123456789012345678901234"]
CITIES = ["Berlin", "Paris", "Rome", "paris", "PARIS", "", "NA", "Oslo", "São Paulo"]
TAGS = ["a;b", "a", "", ";", "a;;b", "x;y;z", "NA", "vip;a", "b;", ";a"]
EMAILS = ["alice@example.com", "BOB@EXAMPLE.COM", "", "carol@x.org", "no-at-sign", "d@e@f", "NA",
          "émile@zola.fr"]
COLUMNS = ["id", "name", "amount", "city", "tags", "email"]

PATTERNS = ["^a", "[0-9]+", "\\d+$", "^[A-Z][a-z]+", "x.y", "(a|b)c", "\\s", "ß", "é$", "^$", "a.b",
            "[^a-z]", "^.+$", "k$", "\\p{Lu}", "[\\s,]+", "b{2}", "o+", "(?:ar)+", "\\.", "[ÀÉ]"]
TEXTS = ["a", "Paris", "NA", "", "x", "ß", "1", "e", "Zo"]
LITERALS = ["0", "5", "10", "-1", "99.99", "1e3", "0.5", "100"]


def leaf(rng, columns):
    col = rng.choice(columns)
    kind = rng.choice(["is_null", "equals", "in", "contains", "starts_with", "ends_with", "matches",
                       "gt", "gte", "lt", "lte", "between", "is_number"])
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
                     "drop"])
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
            s["strategy"] = rng.choice(["previous", "next"])
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
        s["mapping"] = {k: rng.choice(TEXTS + [None]) for k in rng.sample(CITIES + TEXTS, 3)}
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
                    rng.choice(CITIES), rng.choice(TAGS), rng.choice(EMAILS)])
    return out


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def run_duckdb(script):
    con = duckdb.connect()
    result = None
    for statement in script.split(";\n"):
        if any(l.strip() and not l.strip().startswith("--") for l in statement.splitlines()):
            result = con.execute(statement)
    return result.fetchall()[0]


def compare(decant, case_dir, recipe_path, data_path):
    """Runs both sides; returns (status, messages): status is agree, differ or refused."""
    out, rej, report = (os.path.join(case_dir, n) for n in ("decant.csv", "decant.rejects.csv", "report.json"))
    run = subprocess.run([decant, "run", recipe_path, data_path, "-o", out, "--rejects", rej, "--report", report,
                          "-q"], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        return "skipped", [f"decant run exited {run.returncode}: {run.stderr.strip()}"]
    job = os.path.join(case_dir, "job.sql")
    eout, erej = os.path.join(case_dir, "export.csv"), os.path.join(case_dir, "export.rejects.csv")
    ex = subprocess.run([decant, "export", recipe_path, "--to", "duckdb", "--input", data_path, "--output", eout,
                         "--rejects", erej, "-o", job], capture_output=True, text=True)
    if ex.returncode == 2:
        lines = [l for l in ex.stderr.strip().splitlines() if not l.startswith("decant: warning")]
        return "refused", lines[:1] or ["(no message)"]
    if ex.returncode != 0:
        return "differ", [f"export exited {ex.returncode}: {ex.stderr.strip()}"]
    try:
        counts = run_duckdb(open(job, encoding="utf-8").read())
    except duckdb.Error as e:  # the job stopped
        if run.returncode == 1:
            return "agree", []  # both stop on the data (on_error: fail)
        return "differ", [f"the DuckDB job failed: {e}"]
    if run.returncode == 1:
        return "differ", [f"decant run stopped ({run.stderr.strip()}) but the DuckDB job ran"]
    problems = []
    mine, theirs = read_csv(out), read_csv(eout)
    if mine != theirs:
        problems.append(f"output differs: decant {len(mine) - 1} rows, DuckDB {len(theirs) - 1}")
        for i, (a, b) in enumerate(zip(mine, theirs)):
            if a != b:
                problems.append(f"  first difference at row {i}: decant {a!r}, DuckDB {b!r}")
                break
    expected = []
    if os.path.exists(rej):
        rows = read_csv(rej)
        expected = sorted(rows[1:], key=lambda r: int(r[-3]))
        expected = [r[:-3] + r[-2:] for r in expected]
    got = [r[:-3] + r[-2:] for r in read_csv(erej)[1:]]
    if expected != got:
        problems.append(f"rejects differ: decant {len(expected)}, DuckDB {len(got)}")
        for a, b in zip(expected, got):
            if a != b:
                problems.append(f"  first difference: decant {a!r}, DuckDB {b!r}")
                break
    r = json.load(open(report))
    mine_counts = (r["rows_in"], r["rows_out"], r["rows_removed"], r["rows_rejected"])
    if tuple(counts) != mine_counts:
        problems.append(f"counts differ: decant {mine_counts}, DuckDB {tuple(counts)}")
    return ("differ" if problems else "agree"), problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("decant")
    ap.add_argument("--cases", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--keep", help="keep every case's files in this directory")
    ap.add_argument("--case", nargs=2, metavar=("RECIPE", "INPUT"))
    args = ap.parse_args()
    if args.case:
        with tempfile.TemporaryDirectory(prefix="decant-export-") as d:
            status, messages = compare(args.decant, d, os.path.abspath(args.case[0]), os.path.abspath(args.case[1]))
        print(status + (": " + " | ".join(messages) if messages else ""))
        return 1 if status in ("differ", "skipped") else 0
    rng = random.Random(args.seed)
    base = args.keep or tempfile.mkdtemp(prefix="decant-export-")
    tally = {"agree": 0, "differ": 0, "refused": 0, "skipped": 0}
    refusals = {}
    for n in range(args.cases):
        case_dir = os.path.join(base, f"case-{n:04d}")
        os.makedirs(case_dir, exist_ok=True)
        data = os.path.join(case_dir, "input.csv")
        with open(data, "w", newline="", encoding="utf-8") as f:
            csv.writer(f, lineterminator="\n").writerows(table(rng, args.rows))
        columns, steps, counter = list(COLUMNS), [], [0]
        for _ in range(rng.randint(1, 6)):
            s, columns = step(rng, columns, counter)
            steps.append(s)
        recipe = {"decant_recipe": 1, "name": f"differential {args.seed}/{n}",
                  "input": {"format": "csv", "delimiter": ",", "header": True,
                            "null_values": rng.choice([[""], ["", "NA"], ["NA"]])},
                  "steps": steps}
        recipe_path = os.path.join(case_dir, "recipe.json")
        with open(recipe_path, "w", encoding="utf-8") as f:
            json.dump(recipe, f, ensure_ascii=False, indent=1)
        status, messages = compare(args.decant, case_dir, recipe_path, data)
        tally[status] += 1
        if status == "refused":
            key = messages[0].split(": ", 2)[-1][:100]
            refusals[key] = refusals.get(key, 0) + 1
        elif status != "agree":
            print(f"case {n} ({case_dir}): {status}")
            for m in messages:
                print("  " + m)
    print(f"{args.cases} cases (seed {args.seed}): {tally['agree']} agree, {tally['differ']} differ, "
          f"{tally['refused']} refused, {tally['skipped']} not run by decant")
    for k, v in sorted(refusals.items(), key=lambda kv: -kv[1]):
        print(f"  refused {v}×: {k}")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 1 if tally["differ"] else 0


if __name__ == "__main__":
    sys.exit(main())
