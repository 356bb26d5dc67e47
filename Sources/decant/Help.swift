import DecantCore

enum Help {
  static let text = """
    decant — clean data in the terminal, replay the recipe at full scale

    usage:
      decant [FILE]                         open the workbench (no FILE: the bundled sample)
      decant open FILE [--sample first:N|random:N[:SEED]] [--recipe R] [--null V]... [--delimiter D] [--no-header]
      decant run RECIPE INPUT [-o OUT] [--to csv|tsv|jsonl] [--rejects PATH] [--report PATH] [--sync] [-q]
      decant check RECIPE [INPUT]           validate a recipe; with INPUT, plan it against that header
      decant profile FILE [--json]          column statistics: type, nulls, distinct, min/max, top 5
      decant ops [--json]                   every operation with its parameters
      decant --help | --version

    run:
      INPUT may be - (standard input). Data goes to stdout without -o (or with -o -);
      messages, the progress bar (on a terminal) and the summary go to stderr.
      Rejected rows go to OUT.rejects.csv (decant-rejects.csv when writing to stdout).
      Files appear only when the run succeeds; --sync also syncs them to disk first.

    exit codes:
      0 success   1 data error under on_error: fail   2 usage or recipe error
      3 the input does not fit the recipe (missing columns)   4 I/O error
    """
}
