#!/usr/bin/env python3
"""Writes the golden cases of the `where` conditions and the row, column, text, date, type,
enrichment and privacy operations.

The expected outputs come from the Python reference in `decant_ref.py`, not
from Decant: each case's `expected.csv` and `expected-counts.json` are what
that reference computes for the recipe and sample named in `case.json`.
Run from anywhere: `python3 Tests/EndToEnd/reference/make_goldens.py`
(`--check` only reports cases whose files differ from the reference).
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import decant_ref  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "Tests/EndToEnd/golden"

# golden folder, recipe, sample
CASES = [
    ("orders_messy", "recipes/orders_messy.json", "samples/orders_messy.csv"),
    ("contacts", "recipes/contacts.json", "samples/contacts.csv"),
    ("readings", "recipes/readings.json", "samples/readings.csv"),
    ("survey", "recipes/survey.json", "samples/survey_semicolon.csv"),
    ("events_filter_split", "recipes/events-filter-split.json", "samples/events.csv"),
    ("sales_types", "recipes/sales-types.json", "samples/sales_typed.csv"),
    ("customers_pii", "recipes/customers_pii.json", "samples/customers_pii.csv"),
    ("signups", "recipes/signups.json", "samples/signups.csv"),
]


def files_of(recipe, sample):
    run = decant_ref.run_recipe(ROOT / recipe, ROOT / sample)
    case = {"recipe": recipe, "input": sample, "args": []}
    return {
        "case.json": json.dumps(case) + "\n",
        "expected.csv": run.output_csv(),
        "expected-counts.json": json.dumps(run.counts(), indent=2, ensure_ascii=False) + "\n",
    }


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for name, recipe, sample in CASES:
        folder = GOLDEN / name
        for file, text in files_of(recipe, sample).items():
            path = folder / file
            if check:
                if not path.exists() or path.read_bytes() != text.encode("utf-8", "surrogateescape"):
                    stale.append(str(path.relative_to(ROOT)))
                continue
            folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8", "surrogateescape"))
        if not check:
            counts = json.loads((folder / "expected-counts.json").read_text(encoding="utf-8"))
            print(f"{name}: {counts['rows_in']} in, {counts['rows_out']} out, "
                  f"{counts['rows_removed']} removed, {counts['rows_rejected']} rejected")
    if stale:
        print("differs from the reference:\n  " + "\n  ".join(stale))
        sys.exit(1)


if __name__ == "__main__":
    main()
