import Foundation

/// The Spark jobs: a Spark SQL script (`spark-sql -f job.sql`) and a
/// self-contained PySpark file (`spark-submit job.py`, or an AWS Glue job), both
/// running the same chain of views as the DuckDB script.
///
/// Rows keep their file order through `monotonically_increasing_id()` over the
/// input read with `multiLine` (a file is then never split, so the ids grow in
/// file order); the output is written sorted by it, so Spark's part files, read
/// in name order, hold the rows in input order.
extension SQLExport {
  /// The CSV reader's options: every cell as text, Decant's quoting (a quote
  /// doubled inside a quoted field, quoted line breaks), no trimming, and the
  /// raw text of a row whose field count differs from the header's kept in
  /// `__corrupt` (Spark pads or cuts the row itself), to reject it as Decant does.
  ///
  /// `lineSeparator` must be the file's: Spark's reader, left to guess it, turns
  /// a CRLF inside a quoted field of a CRLF file into LF (nil: the PySpark job
  /// finds it at run time).
  func sparkReadOptions(lineSeparator: String?) -> [(String, String)] {
    [
      ("header", header ? "true" : "false"), ("sep", delimiter), ("quote", "\""), ("escape", "\""),
      ("multiLine", "true"), ("mode", "PERMISSIVE"), ("columnNameOfCorruptRecord", "__corrupt"),
      ("encoding", latin1 ? "ISO-8859-1" : "UTF-8"), ("enforceSchema", "true"),
      ("ignoreLeadingWhiteSpace", "false"), ("ignoreTrailingWhiteSpace", "false"),
      ("unescapedQuoteHandling", "STOP_AT_DELIMITER"),
    ] + (lineSeparator.map { [("lineSep", $0)] } ?? [])
  }

  /// The CSV writer's options: a field quoted when it needs it, quotes doubled,
  /// spaces kept, LF line ends.
  static func sparkWriteOptions(delimiter: String) -> [(String, String)] {
    [
      ("header", "true"), ("sep", delimiter), ("quote", "\""), ("escape", "\""), ("escapeQuotes", "true"),
      ("ignoreLeadingWhiteSpace", "false"), ("ignoreTrailingWhiteSpace", "false"), ("lineSep", "\n"),
      ("emptyValue", ""),
    ]
  }

  /// The output's delimiter: the input's (tab stays tab, anything else is
  /// written as given), as `decant run` writes it.
  var outputDelimiter: String { delimiter }

  /// Settings both Spark jobs start with: column names that differ only in case
  /// stay apart, ANSI semantics (Spark 4's default) on older Sparks too, and no
  /// common-subexpression elimination (Spark hoists a `raise_error` out of the
  /// CASE branch that guards it, stopping jobs on values the branch never sees),
  /// and temporary views that keep their analysed plan (a view over a view is
  /// otherwise analysed again from its text at every use: long chains of
  /// steps took minutes to plan).
  static let sparkSettings = [
    ("spark.sql.caseSensitive", "true"), ("spark.sql.ansi.enabled", "true"),
    ("spark.sql.subexpressionElimination.enabled", "false"),
    ("spark.sql.session.timeZone", "UTC"), ("spark.sql.legacy.storeAnalyzedPlanForView", "true"),
  ]

  /// The input's schema as Spark SQL DDL: every column text.
  var sparkSchema: String {
    (inputColumns.map { "\(dialect.name($0)) STRING" } + ["__corrupt STRING"]).joined(separator: ", ")
  }

  /// Why a row could not be read (NULL for the others): its field count, unless
  /// the input pads short rows.
  var sparkReadReason: String {
    let fields = rawFields("__corrupt")
    let short = "\(dialect.listLength(fields)) < \(inputColumns.count)"
    let pad = recipe.input.ragged == .pad ? " AND NOT (\(short))" : ""
    return "CASE WHEN __corrupt IS NOT NULL\(pad) THEN \(raggedReason(fields: fields)) END"
  }

  /// The rejects' columns: the input's original cells, then the step and reason.
  var sparkRejectsQuery: String {
    let d = dialect
    let original = inputColumns.map { "src.\(d.name($0))" }.joined(separator: ", ")
    return """
      SELECT \(original), r.__step AS _step, r.__reason AS _reason
      FROM __result r JOIN __input src ON src.__row = r.__row
      WHERE r.__reason IS NOT NULL ORDER BY r.__row
      """
  }

  /// The counts over the cached result.
  var sparkCountsQuery: String {
    """
    SELECT
      (SELECT count(*) FROM __input) AS rows_in,
      (SELECT count(*) FROM __result WHERE __reason IS NULL) AS rows_out,
      (SELECT count(*) FROM __input) - (SELECT count(*) FROM __result) AS rows_removed,
      (SELECT count(*) FROM __result WHERE __reason IS NOT NULL) AS rows_rejected
    """
  }

  /// The input numbered in file order: the original cells, with `__row`.
  static let sparkNumberedInput = "SELECT monotonically_increasing_id() AS __row, * FROM __source"

  static func sparkOptions(_ options: [(String, String)], dialect: SQLDialect) -> String {
    options.map { "\($0.0) \(dialect.text($0.1))" }.joined(separator: ", ")
  }

  /// A Spark SQL script: `spark-sql -f job.sql` reads `paths.input`, writes the
  /// output and the rejects as directories of CSV part files (rows in input
  /// order across the parts in name order) and prints the row counts.
  public static func sparkSQL(
    recipe: Recipe, inputColumns: [String], paths: ExportPaths, lineSeparator: String = "\n"
  ) throws(ExportRefusal) -> String {
    let e = try SQLExport(recipe: recipe, dialect: .spark, inputColumns: inputColumns)
    let d = e.dialect
    let columns = e.outputColumns.map(d.name).joined(separator: ", ")
    let read = sparkOptions(
      [("path", paths.input)] + e.sparkReadOptions(lineSeparator: lineSeparator), dialect: d)
    let write = sparkOptions(sparkWriteOptions(delimiter: e.outputDelimiter), dialect: d)
    let rejectsWrite = sparkOptions(sparkWriteOptions(delimiter: ","), dialect: d)
    let comment = e.banner(target: "Spark SQL").split(separator: "\n", omittingEmptySubsequences: false)
      .map { "-- " + $0 }.joined(separator: "\n")
    let settings = sparkSettings.map { "SET \($0.0) = \($0.1);" }.joined(separator: "\n")
    return """
      \(comment)
      -- Run: spark-sql -f job.sql   (output and rejects are directories of part files)

      \(settings)

      -- The input, every cell as text, rows numbered in file order.
      CREATE OR REPLACE TEMPORARY VIEW __source (\(e.sparkSchema))
      USING csv OPTIONS (\(read));

      -- Read once, to local disk: every later query reads this, never the file
      -- (Spark refuses queries on a CSV file that need only the corrupt-record
      -- column, and the row numbers are fixed once).
      DROP VIEW IF EXISTS __input;
      CACHE TABLE __input OPTIONS ('storageLevel' 'DISK_ONLY') AS
      \(sparkNumberedInput);

      CREATE OR REPLACE TEMPORARY VIEW s0 AS
      \(e.inputView(source: "__input", rowExpression: "__row", stopOnReplacement: true, readReason: e.sparkReadReason));

      \(e.viewStatements(create: "CREATE OR REPLACE TEMPORARY VIEW"))

      -- Computed once, read by the output, the rejects and the counts.
      DROP VIEW IF EXISTS __result;
      CACHE TABLE __result AS SELECT * FROM \(e.lastView);

      INSERT OVERWRITE DIRECTORY \(d.text(paths.output))
      USING csv OPTIONS (\(write))
      SELECT \(columns) FROM __result WHERE __reason IS NULL ORDER BY __row;

      INSERT OVERWRITE DIRECTORY \(d.text(paths.rejects))
      USING csv OPTIONS (\(rejectsWrite))
      \(e.sparkRejectsQuery);

      \(e.sparkCountsQuery);

      -- The cached tables are let go.
      DROP VIEW IF EXISTS __result;
      DROP VIEW IF EXISTS __input;

      """
  }

  /// A PySpark job in one file: `spark-submit job.py --input IN --output OUT
  /// [--rejects REJ] [--format csv|tsv|json|parquet]`, or the same file as an
  /// AWS Glue job with those job arguments. `defaults` are the paths used when
  /// an argument is not given (an input or output without one is required).
  public static func pyspark(recipe: Recipe, inputColumns: [String], defaults: PySparkDefaults)
    throws(ExportRefusal)
    -> String
  {
    let e = try SQLExport(recipe: recipe, dialect: .spark, inputColumns: inputColumns)
    let py = PythonSource.self
    let banner = e.banner(target: "PySpark")
    let views =
      ([
        (
          "s0",
          e.inputView(
            source: "__input", rowExpression: "__row", stopOnReplacement: true, readReason: e.sparkReadReason)
        )
      ]
      + e.views.map { ($0.name, "-- \($0.comment.replacingOccurrences(of: "\n", with: " "))\n" + $0.query) })
      .map { "    (\(py.string($0.0)), \(py.string($0.1, multiline: true)))," }.joined(separator: "\n")
    func dict(_ options: [(String, String)]) -> String {
      "{" + options.map { "\(py.string($0.0)): \(py.string($0.1))" }.joined(separator: ", ") + "}"
    }
    func argument(_ name: String, _ value: String?, _ help: String) -> String {
      // "" stands for "no default, not required" (the rejects beside the output).
      let tail = value.map { $0.isEmpty ? "default=None" : "default=\(py.string($0))" } ?? "required=True"
      return "    parser.add_argument(\"--\(name)\", \(tail), help=\(py.string(help)))"
    }
    let defaultFormat = e.delimiter == "\t" ? "tsv" : "csv"
    return """
      #!/usr/bin/env python3
      \(py.string(banner + "\n\nRun: spark-submit job.py --input IN --output OUT_DIR [--rejects DIR] [--format FORMAT]\nor as an AWS Glue job with the job arguments --input, --output, --rejects and --format.", multiline: true))
      import argparse
      import sys

      from pyspark.sql import SparkSession

      # The columns the job was exported for, as Decant reads the input's header.
      INPUT_COLUMNS = [\(inputColumns.map { py.string($0) }.joined(separator: ", "))]
      OUTPUT_COLUMNS = [\(e.outputColumns.map { py.string($0) }.joined(separator: ", "))]
      HEADER = \(e.header ? "True" : "False")
      READ_OPTIONS = \(dict(e.sparkReadOptions(lineSeparator: nil)))
      WRITE_OPTIONS = \(dict(sparkWriteOptions(delimiter: e.outputDelimiter)))
      REJECTS_OPTIONS = \(dict(sparkWriteOptions(delimiter: ",")))
      SETTINGS = \(dict(sparkSettings))
      RESULT = \(py.string(e.lastView))
      # The input with its rows numbered in file order.
      NUMBERED_INPUT = \(py.string(sparkNumberedInput))

      # One view per step, each over the one before; s0 is the input as the first
      # step sees it. Rejected rows travel on with their reason (__reason).
      VIEWS = [
      \(views)
      ]


      def arguments(argv):
          parser = argparse.ArgumentParser(description=\(py.string("Decant recipe " + (recipe.name ?? "(unnamed)") + " on Spark")))
      \(argument("input", defaults.input, "the input file (CSV as the recipe reads it)"))
      \(argument("output", defaults.output, "the output directory (part files, in input order by name)"))
      \(argument("rejects", defaults.rejects ?? "", "the rejects directory (default: OUTPUT.rejects)"))
          parser.add_argument("--format", default=\(py.string(defaultFormat)), choices=["csv", "tsv", "json", "parquet"],
                              help="the output's format")
          # AWS Glue passes arguments of its own (--JOB_NAME and the like): ignored.
          args, _ = parser.parse_known_args(argv)
          if args.rejects is None:
              args.rejects = args.output.rstrip("/") + ".rejects"
          return args


      def unique_names(raw):
          \"\"\"Header names as Decant reads them: an empty one is column_N (N its
          position), a repeated one name_2, name_3.\"\"\"
          names, used = [], set()
          for i, name in enumerate(raw):
              name = name or f"column_{i + 1}"
              if name in used:
                  k = 2
                  while f"{name}_{k}" in used:
                      k += 1
                  name = f"{name}_{k}"
              used.add(name)
              names.append(name)
          return names


      def line_separator(spark, path):
          \"\"\"The input's line end (LF or CRLF), from its first line.\"\"\"
          first = spark.read.option("lineSep", "\\n").text(path).first()
          return "\\r\\n" if first is not None and first[0].endswith("\\r") else "\\n"


      def check_header(spark, path):
          \"\"\"Stops when the input's columns are not those the job was exported for.\"\"\"
          options = dict(READ_OPTIONS, header="false", mode="PERMISSIVE")
          first = spark.read.options(**options).csv(path).limit(1).collect()
          if not first:
              sys.exit(f"{path}: the input is empty")
          raw = ["" if cell is None else cell for cell in first[0]]
          raw[0] = raw[0].removeprefix("\\ufeff")
          found = unique_names(raw) if HEADER else [f"column_{i + 1}" for i in range(len(raw))]
          if found != INPUT_COLUMNS:
              sys.exit(f"{path}: the columns are {found}, the job was exported for {INPUT_COLUMNS}; "
                       "export the recipe again against this input")


      def write(frame, path, fmt):
          writer = frame.write.mode("overwrite")
          if fmt == "parquet":
              writer.parquet(path)
          elif fmt == "json":
              writer.json(path)
          else:
              options = dict(WRITE_OPTIONS)
              if fmt == "tsv":
                  options["sep"] = "\\t"
              elif options["sep"] == "\\t":
                  options["sep"] = ","
              writer.options(**options).csv(path)


      def run(spark, argv):
          \"\"\"Runs the recipe; returns (rows_in, rows_out, rows_removed, rows_rejected).\"\"\"
          args = arguments(argv)
          for key, value in SETTINGS.items():
              spark.conf.set(key, value)
          READ_OPTIONS["lineSep"] = line_separator(spark, args.input)
          check_header(spark, args.input)
          schema = ", ".join("`" + c.replace("`", "``") + "` STRING" for c in INPUT_COLUMNS) + ", __corrupt STRING"
          spark.read.options(**READ_OPTIONS).schema(schema).csv(args.input).createOrReplaceTempView("__source")
          # Read once and checkpointed: every later query reads this, never the file (Spark
          # refuses queries on a CSV file that need only the corrupt-record column, and the
          # row numbers are fixed once).
          spark.sql(NUMBERED_INPUT).localCheckpoint(eager=True).createOrReplaceTempView("__input")
          for name, query in VIEWS:
              spark.sql(query).createOrReplaceTempView(name)
          # Computed once, read by the counts, the output and the rejects.
          spark.table(RESULT).localCheckpoint(eager=True).createOrReplaceTempView("__result")
          counts = tuple(spark.sql(\(py.string(e.sparkCountsQuery, multiline: true))).first())
          columns = ", ".join("`" + c.replace("`", "``") + "`" for c in OUTPUT_COLUMNS)
          output = spark.sql(f"SELECT {columns} FROM __result WHERE __reason IS NULL ORDER BY __row")
          write(output, args.output, args.format)
          if counts[3]:
              rejects = spark.sql(\(py.string(e.sparkRejectsQuery, multiline: true)))
              rejects.write.mode("overwrite").options(**REJECTS_OPTIONS).csv(args.rejects)
          for name in ("__result", "__input"):  # the checkpointed data is let go
              spark.catalog.dropTempView(name)
          print(f"{counts[0]} in, {counts[1]} out, {counts[2]} removed, {counts[3]} rejected")
          return counts


      if __name__ == "__main__":
          session = SparkSession.builder.appName(\(py.string("decant " + (recipe.name ?? "recipe")))).getOrCreate()
          try:
              run(session, sys.argv[1:])
          finally:
              session.stop()

      """
  }
}

/// The paths a PySpark job uses when its arguments do not say.
public struct PySparkDefaults: Sendable, Equatable {
  public var input: String?
  public var output: String?
  public var rejects: String?

  public init(input: String? = nil, output: String? = nil, rejects: String? = nil) {
    self.input = input
    self.output = output
    self.rejects = rejects
  }
}

/// Python source text.
enum PythonSource {
  /// A Python string literal for `s`: a raw triple-quoted one when `multiline`
  /// and `s` allows it (readable SQL), else a double-quoted one with escapes.
  static func string(_ s: String, multiline: Bool = false) -> String {
    if multiline, !s.contains("\"\"\""), !s.hasSuffix("\\"), !s.hasSuffix("\""), !s.contains("\r"),
      s.unicodeScalars.allSatisfy({ $0 == "\n" || $0.value >= 0x20 })
    {
      return "r\"\"\"" + s + "\"\"\""
    }
    var out = "\""
    for ch in s.unicodeScalars {
      switch ch {
      case "\\": out += "\\\\"
      case "\"": out += "\\\""
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if ch.value < 0x20 || ch.value == 0x7F || (0x2028...0x2029).contains(ch.value) {
          out += String(format: "\\u%04x", ch.value)
        } else {
          out.unicodeScalars.append(ch)
        }
      }
    }
    return out + "\""
  }
}
