import DecantCore

enum Help {
  static let text = """
    decant — clean data in the terminal, replay the recipe at full scale

    usage:
      decant [FILE]                         open the workbench (no FILE: the bundled sample)
      decant open FILE [--sample first:N|random:N[:SEED]] [--recipe R] [--null V]... [--delimiter D] [--no-header]
      decant run RECIPE INPUT [-o OUT] [--to csv|tsv|jsonl] [--rejects PATH] [--report PATH] [--sync] [-q]
      decant check RECIPE [INPUT]           validate a recipe; with INPUT, plan it against that header
      decant profile FILE [--json] [--html PATH] [--null V]... [--delimiter D] [--no-header]
                                            column statistics over every value
      decant ops [--json]                   every operation with its parameters
      decant export RECIPE --to pyspark|spark-sql|duckdb [--input IN --output OUT [--rejects R]] [-o FILE]
                                            the recipe as a job for Spark (Glue, EMR) or DuckDB
      decant export RECIPE --to databrew [-o FILE]
                                            the recipe as AWS Glue DataBrew recipe JSON
      decant import databrew FILE [-o RECIPE]
                                            a DataBrew recipe (list of steps or describe-recipe
                                            output) as a Decant recipe
      decant --help | --version

    run:
      INPUT may be - (standard input). Data goes to stdout without -o (or with -o -);
      messages, the progress bar (on a terminal) and the summary go to stderr.
      Rejected rows go to OUT.rejects.csv (decant-rejects.csv when writing to stdout).
      Files appear only when the run succeeds; --sync also syncs them to disk first.

    profile:
      Every figure counts every value. Count, nulls, min/max, mean, stddev, lengths
      and other-type counts are exact. Histogram, percentiles (p1 p25 p50 p75 p99) and
      IQR outliers are exact up to 100,000 numbers in a column; past that they come
      from 4096-bin grids over the range, off by at most 3·(max−min)/4096 (under
      0.1% of the range), and the JSON says "percentiles_exact": false. The distinct
      count is exact up to 100,000 distinct values per column; top values are
      counted over the whole file among the first 100,000 distinct values.
      --html PATH writes them as a self-contained HTML page (charts inline, no scripts,
      nothing loaded from elsewhere) instead of the text; with --json the JSON still
      goes to stdout. The page is written like any output (never over the input).

    export:
      The job gives what decant run gives, row for row. --input is read for its header
      (else the recipe's input.columns); the paths are baked into the spark-sql and
      duckdb scripts (both required) and are the PySpark job's defaults (its own
      --input --output --rejects --format arguments, also as AWS Glue job arguments).
      A step an engine cannot run with the same result is refused (exit 2), by name.

    databrew:
      export refuses (exit 2, nothing written) when a step has no DataBrew action with
      the same result, listing every such step ("step 3 (lookup): ..."). import writes
      the recipe of the steps that map and lists each one left out on stderr
      ("step 4: DataBrew operation PIVOT has no Decant counterpart; left out"); it exits
      0 when every step maps and 2 when any is left out (the recipe is still written).

    exit codes:
      0 success   1 data error under on_error: fail   2 usage or recipe error
      3 the input does not fit the recipe (missing columns)   4 I/O error
    """
}
