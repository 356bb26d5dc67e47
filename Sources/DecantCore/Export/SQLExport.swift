import Foundation

/// The paths an exported job reads and writes (baked into the script).
public struct ExportPaths: Sendable, Equatable {
  public var input: String
  public var output: String
  public var rejects: String

  public init(input: String, output: String, rejects: String) {
    self.input = input
    self.output = output
    self.rejects = rejects
  }
}

/// A recipe as a chain of SQL views, one per enabled step, over a view of the
/// input that numbers its rows in file order (`__row`) and carries each row's
/// reject reason (`__reason`, `__step`; NULL while the row is alive).
///
/// The same chain serves DuckDB and Spark; the scripts around it (reading,
/// writing, counting) are per target.
public struct SQLExport {
  public let recipe: Recipe
  public let dialect: SQLDialect
  /// The input's columns as Decant reads them.
  public let inputColumns: [String]
  /// The steps' views: `s1`…`sN`, each with the step's summary.
  public private(set) var views: [(name: String, comment: String, query: String)] = []
  /// The columns of the output.
  public private(set) var outputColumns: [String] = []

  public init(recipe: Recipe, dialect: SQLDialect, inputColumns: [String]) throws(ExportRefusal) {
    self.recipe = recipe
    self.dialect = dialect
    self.inputColumns = inputColumns
    try check(recipe.input)
    var schema = Schema(inputColumns)
    var previous = "s0"
    for (number, step) in recipe.enabledSteps {
      let op = step.op
      var sql = StepSQL(
        dialect: dialect, input: schema, number: number, op: op, nullValues: recipe.input.nullValues,
        condition: nil, source: previous)
      if let condition = step.condition {
        let text = try ConditionSQL.sql(condition, in: sql)
        sql = StepSQL(
          dialect: dialect, input: schema, number: number, op: op, nullValues: recipe.input.nullValues,
          condition: text, source: previous)
      }
      do {
        schema = try step.operation.plan(schema)
      } catch {
        throw ExportRefusal("\(error)", step: number, op: op)
      }
      try step.operation.export(&sql)
      precondition(
        sql.outputNames == schema.names, "step \(number) (\(op)) exports other columns than it plans")
      let name = "s\(number)"
      views.append((name: name, comment: "step \(number): \(step.summary)", query: sql.query(from: previous)))
      previous = name
    }
    outputColumns = schema.names
  }

  /// The view the last step made (`s0` without steps).
  public var lastView: String { views.last?.name ?? "s0" }

  /// Input settings an export cannot honour yet are refused here, by name.
  private func check(_ input: InputSettings) throws(ExportRefusal) {
    if let format = input.format, format == .jsonl {
      throw ExportRefusal(
        "JSON Lines input is not exported yet; export a recipe over CSV or TSV", field: "input.format")
    }
    if let encoding = input.encoding, encoding != .utf8, encoding != .latin1 {
      throw ExportRefusal(
        "input encoding \(encoding.rawValue) is not exported yet (utf-8 and latin1 are)",
        field: "input.encoding")
    }
  }

  var delimiter: String {
    if let d = recipe.input.delimiter { return d }
    return recipe.input.format == .tsv ? "\t" : ","
  }

  var header: Bool { recipe.input.header ?? true }

  /// Latin-1 input: every byte is a character, transcoded to UTF-8 on read.
  var latin1: Bool { recipe.input.encoding == .latin1 }

  /// The comment at the top of every script.
  func banner(target: String) -> String {
    let name = recipe.name.map { "\"\($0)\"" } ?? "(unnamed)"
    var lines = ["Decant recipe \(name), exported for \(target) by `decant export`."]
    if let d = recipe.description { lines.append(d) }
    lines.append("Equal to `decant run` of the recipe, row for row and cell for cell.")
    return lines.joined(separator: "\n")
  }

  /// The view of the input as the first step sees it (`s0`), over `source`, whose
  /// row numbers in file order are `rowExpression`. With `stopOnReplacement`, a
  /// cell holding U+FFFD stops the job: a reader that decodes bytes that are not
  /// UTF-8 to U+FFFD (Spark's) would otherwise change cells Decant passes
  /// through untouched.
  func inputView(
    source: String, rowExpression: String, stopOnReplacement: Bool = false, readReason: String? = nil
  ) -> String {
    let columns = inputColumns.map { c in
      let cell = "COALESCE(\(dialect.name(c)), '')"
      guard stopOnReplacement else { return "\(cell) AS \(dialect.name(c))" }
      let message = dialect.text(
        "column \(c) holds bytes that are not UTF-8 (read as U+FFFD), which Decant passes through untouched: "
          + "convert the input to UTF-8 or set input.encoding")
      return
        "CASE WHEN \(dialect.contains(cell, "'\u{FFFD}'")) THEN \(dialect.fail(message)) ELSE \(cell) END"
        + " AS \(dialect.name(c))"
    }
    let reason = readReason ?? "CAST(NULL AS \(dialect.textType))"
    let step =
      readReason.map { "CASE WHEN \($0) IS NOT NULL THEN '0 read' END" }
      ?? "CAST(NULL AS \(dialect.textType))"
    return
      "SELECT\n  \(rowExpression) AS __row,\n  \(reason) AS __reason,\n"
      + "  \(step) AS __step,\n  " + columns.joined(separator: ",\n  ")
      + "\nFROM \(source)"
  }

  // MARK: Rows that cannot be read

  /// A regex whose matches' group 1 are the raw fields of a record (quotes and
  /// all), as Decant splits it: a field that opens with a quote runs to its
  /// closing quote (a doubled quote inside), then to the delimiter; any other
  /// field runs to the delimiter, its quotes literal.
  var rawFieldPattern: String {
    let d = RegexTranslation.escapedLiteral(delimiter.unicodeScalars.first!)
    return "(?:^|\(d))(\"(?:[^\"]|\"\")*\"[^\(d)]*|[^\(d)\"][^\(d)]*|)"
  }

  /// The raw fields of `record` (a record's text without its line end), as a list.
  func rawFields(_ record: String) -> String {
    "regexp_extract_all(\(record), \(dialect.text(rawFieldPattern)), 1)"
  }

  /// The reason Decant gives a record of `fields` (raw, from `rawFields`) whose
  /// field count is not the header's: the counts, and a long row's extra fields
  /// verbatim.
  func raggedReason(fields: String) -> String {
    let d = dialect
    let n = d.listLength(fields)
    let count = "CAST(\(n) AS \(d.textType))"
    let columns = inputColumns.count
    return "CASE WHEN \(n) < \(columns) THEN 'the row has ' || \(count) || CASE WHEN \(n) = 1 THEN ' field' "
      + "ELSE ' fields' END || ', the header has \(columns)' WHEN \(n) > \(columns) THEN 'the row has ' || \(count) "
      + "|| ' fields, the header has \(columns); extra fields: ' || "
      + "\(d.joinTail(fields, from: columns + 1, separator: delimiter)) END"
  }

  /// A raw field as a cell: a quoted field's text with doubled quotes made one
  /// (and what follows its closing quote), any other field as it is.
  func unquotedField(_ field: String) -> String {
    let d = dialect
    let inner = d.regexExtract(field, "^\"((?:[^\"]|\"\")*)\"", group: 1)
    let after = d.regexExtract(field, "^\"(?:[^\"]|\"\")*\"(.*)\\z", group: 1)
    return "CASE WHEN \(d.startsWith(field, "'\"'")) THEN replace(\(inner), '\"\"', '\"') || \(after) "
      + "ELSE COALESCE(\(field), '') END"
  }

  /// The output rows in input order.
  var outputQuery: String {
    let columns = outputColumns.map(dialect.name).joined(separator: ", ")
    return "SELECT \(columns) FROM \(lastView) WHERE __reason IS NULL ORDER BY __row"
  }

  /// Rows in, out, removed and rejected; `readRejects` counts the records
  /// rejected before `s0` (not in it).
  func countsQuery(readRejects: String = "0") -> String {
    """
    SELECT
      (SELECT count(*) FROM s0) + \(readRejects) AS rows_in,
      (SELECT count(*) FROM \(lastView) WHERE __reason IS NULL) AS rows_out,
      (SELECT count(*) FROM s0) - (SELECT count(*) FROM \(lastView)) AS rows_removed,
      (SELECT count(*) FROM \(lastView) WHERE __reason IS NOT NULL) + \(readRejects) AS rows_rejected
    """
  }

  /// The views' definitions, each after a comment naming its step.
  func viewStatements(create: String) -> String {
    views.map { v in
      "-- \(v.comment.replacingOccurrences(of: "\n", with: " "))\n\(create) \(v.name) AS\n\(v.query);"
    }.joined(separator: "\n\n")
  }
}

extension SQLExport {
  /// A DuckDB script: `duckdb < job.sql` reads `paths.input`, writes the output
  /// and the rejects (original columns, `_row`, `_step`, `_reason`) and prints
  /// the row counts.
  public static func duckdb(recipe: Recipe, inputColumns: [String], paths: ExportPaths) throws(ExportRefusal)
    -> String
  {
    let e = try SQLExport(recipe: recipe, dialect: .duckdb, inputColumns: inputColumns)
    let d = e.dialect
    let columns = inputColumns.map { "\(d.text($0)): 'VARCHAR'" }.joined(separator: ", ")
    if e.recipe.input.ragged == .pad {
      throw ExportRefusal(
        "ragged: pad is not exported to DuckDB (its reader cannot pad short rows and reject long ones in one "
          + "pass); export to Spark, or fix the short rows", field: "input.ragged")
    }
    // Rows whose field count is not the header's are not read but listed in
    // __read_errors (their line and raw text), to be rejected as Decant does.
    let read =
      "read_csv(\(d.text(paths.input)), header = \(e.header), delim = \(d.text(e.delimiter)), "
      + "quote = '\"', escape = '\"', auto_detect = false, columns = {\(columns)}, "
      + "skip = 0, strict_mode = true, null_padding = false, ignore_errors = true, store_rejects = true, "
      + (e.latin1 ? "encoding = 'latin-1', " : "")
      + "rejects_table = '__read_errors', rejects_scan = '__read_scans')"
    let countErrors = "('MISSING COLUMNS', 'TOO MANY COLUMNS')"
    let rawCells = (1...inputColumns.count).map { i in
      "\(e.unquotedField(d.element("fields", i))) AS \(d.name(inputColumns[i - 1]))"
    }.joined(separator: ", ")
    // The output keeps the input's delimiter, as `decant run` writes it; rejects are CSV.
    let outputDelimiter = e.delimiter
    let rejectColumns = inputColumns.map { "src.\(d.name($0))" }.joined(separator: ", ")
    let comment = e.banner(target: "DuckDB").split(separator: "\n", omittingEmptySubsequences: false)
      .map { "-- " + $0 }.joined(separator: "\n")
    return """
      \(comment)
      -- Run: duckdb < job.sql

      SET preserve_insertion_order = true;

      -- The input, every cell as text, rows in file order.
      CREATE OR REPLACE TEMP TABLE __source AS
      SELECT * FROM \(read);

      -- A record DuckDB could not read for another reason than its field count
      -- (bytes that are not UTF-8, an unclosed quote) stops the job.
      SELECT CASE WHEN count(*) > 0 THEN error('line ' || min(line) || ' of the input cannot be read as Decant reads it: '
        || min(error_message)) END
      FROM __read_errors WHERE error_type NOT IN \(countErrors);

      -- Records whose field count is not the header's: rejected at "0 read".
      CREATE OR REPLACE TEMP TABLE __read_rejects AS
      SELECT line, \(e.rawFields("ltrim(record, chr(13) || chr(10))")) AS fields
      FROM (SELECT line, any_value(csv_line) AS record FROM __read_errors WHERE error_type IN \(countErrors) GROUP BY line);

      CREATE OR REPLACE TEMP VIEW s0 AS
      \(e.inputView(source: "__source", rowExpression: "rowid + 1"));

      \(e.viewStatements(create: "CREATE OR REPLACE TEMP VIEW"))

      COPY (\(e.outputQuery))
      TO \(d.text(paths.output)) (FORMAT csv, HEADER true, DELIMITER \(d.text(outputDelimiter)));

      -- Rejects: the rows that could not be read (by line), then those a step
      -- rejected (by row).
      COPY (
        SELECT * FROM (
          SELECT \(rawCells), CAST(line AS BIGINT) AS _line, CAST(NULL AS BIGINT) AS _row, '0 read' AS _step,
            \(e.raggedReason(fields: "fields")) AS _reason
          FROM __read_rejects
          UNION ALL
          SELECT \(rejectColumns), CAST(NULL AS BIGINT) AS _line, r.__row AS _row, r.__step AS _step,
            r.__reason AS _reason
          FROM \(e.lastView) r JOIN __source src ON src.rowid + 1 = r.__row
          WHERE r.__reason IS NOT NULL
        ) ORDER BY _row NULLS FIRST, _line
      ) TO \(d.text(paths.rejects)) (FORMAT csv, HEADER true);

      \(e.countsQuery(readRejects: "(SELECT count(*) FROM __read_rejects)"));

      """
  }
}
