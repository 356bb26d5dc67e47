#!/usr/bin/env python3
"""Run a Decant recipe made of rename, dedupe and fill_null (value) steps in Polars.

Translates the recipe's steps, in order, into one lazy Polars query with a
streaming CSV sink:

- every column is scanned as String; the recipe's input.null_values (default
  [""]) are null;
- rename      -> .rename({old: new})
- dedupe      -> .unique(subset=columns or every column, keep="first",
                         maintain_order=True): the first row of each key, in
                 input order, as Decant keeps it
- fill_null   -> pl.col(columns).fill_null(value)  (constant value only)

Steps with "enabled": false are skipped. Any other operation or parameter is
an error (exit 2), so a recipe that this script cannot express exactly is
never silently measured.

Usage: peer_polars_recipe.py RECIPE INPUT OUTPUT
"""

import json
import sys

import polars as pl


def fail(message):
    print(f"peer_polars_recipe: {message}", file=sys.stderr)
    sys.exit(2)


def build(recipe, src):
    inp = recipe.get("input", {})
    if inp.get("format", "csv") != "csv":
        fail(f"input format {inp.get('format')!r} is not supported")
    nulls = [v for v in inp.get("null_values", [""]) if v != ""]
    lf = pl.scan_csv(
        src,
        separator=inp.get("delimiter", ","),
        has_header=inp.get("header", True),
        infer_schema=False,
        null_values=nulls or None,
    )
    for i, step in enumerate(recipe["steps"], 1):
        if step.get("enabled", True) is False:
            continue
        op = step["op"]
        extra = set(step) - {"op", "enabled", "note", "columns", "keep", "value"}
        if extra:
            fail(f"step {i} ({op}): unsupported fields {sorted(extra)}")
        if op == "rename":
            lf = lf.rename(step["columns"])
        elif op == "dedupe":
            if step.get("keep", "first") != "first":
                fail(f"step {i}: keep {step['keep']!r} is not supported")
            subset = step.get("columns") or None
            lf = lf.unique(subset=subset, keep="first", maintain_order=True)
        elif op == "fill_null":
            if "value" not in step:
                fail(f"step {i}: only fill_null with a constant value is supported")
            lf = lf.with_columns(pl.col(step["columns"]).fill_null(pl.lit(step["value"])))
        else:
            fail(f"step {i}: operation {op!r} is not supported")
    return lf


def main():
    if len(sys.argv) != 4:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        sys.exit(2)
    recipe_path, src, out = sys.argv[1:]
    with open(recipe_path, encoding="utf-8-sig") as f:
        recipe = json.load(f)
    build(recipe, src).sink_csv(out)


if __name__ == "__main__":
    main()
