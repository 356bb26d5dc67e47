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
        condition: nil)
      if let condition = step.condition {
        let text = try ConditionSQL.sql(condition, in: sql)
        sql = StepSQL(
          dialect: dialect, input: schema, number: number, op: op, nullValues: recipe.input.nullValues,
          condition: text)
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
    if let encoding = input.encoding, encoding != .utf8 {
      throw ExportRefusal(
        "input encoding \(encoding.rawValue) is not exported yet (only utf-8)", field: "input.encoding")
    }
  }

  var delimiter: String {
    if let d = recipe.input.delimiter { return d }
    return recipe.input.format == .tsv ? "\t" : ","
  }

  var header: Bool { recipe.input.header ?? true }

  /// The comment at the top of every script.
  func banner(target: String) -> String {
    let name = recipe.name.map { "\"\($0)\"" } ?? "(unnamed)"
    var lines = ["Decant recipe \(name), exported for \(target) by `decant export`."]
    if let d = recipe.description { lines.append(d) }
    lines.append("Equal to `decant run` of the recipe, row for row and cell for cell.")
    return lines.joined(separator: "\n")
  }

  /// The view of the input as the first step sees it (`s0`), over `source`, whose
  /// row numbers in file order are `rowExpression`.
  func inputView(source: String, rowExpression: String) -> String {
    let columns = inputColumns.map { "COALESCE(\(dialect.name($0)), '') AS \(dialect.name($0))" }
    return
      "SELECT\n  \(rowExpression) AS __row,\n  CAST(NULL AS \(dialect.textType)) AS __reason,\n"
      + "  CAST(NULL AS \(dialect.textType)) AS __step,\n  " + columns.joined(separator: ",\n  ")
      + "\nFROM \(source)"
  }

  /// The output rows in input order.
  var outputQuery: String {
    let columns = outputColumns.map(dialect.name).joined(separator: ", ")
    return "SELECT \(columns) FROM \(lastView) WHERE __reason IS NULL ORDER BY __row"
  }

  /// Rows in, out, removed and rejected.
  var countsQuery: String {
    """
    SELECT
      (SELECT count(*) FROM s0) AS rows_in,
      (SELECT count(*) FROM \(lastView) WHERE __reason IS NULL) AS rows_out,
      (SELECT count(*) FROM s0) - (SELECT count(*) FROM \(lastView)) AS rows_removed,
      (SELECT count(*) FROM \(lastView) WHERE __reason IS NOT NULL) AS rows_rejected
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
    let read =
      "read_csv(\(d.text(paths.input)), header = \(e.header), delim = \(d.text(e.delimiter)), "
      + "quote = '\"', escape = '\"', auto_detect = false, columns = {\(columns)}, "
      + "skip = 0, strict_mode = true, null_padding = false)"
    let outputDelimiter = e.delimiter == "\t" ? "\t" : ","
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

      CREATE OR REPLACE TEMP VIEW s0 AS
      \(e.inputView(source: "__source", rowExpression: "rowid + 1"));

      \(e.viewStatements(create: "CREATE OR REPLACE TEMP VIEW"))

      COPY (\(e.outputQuery))
      TO \(d.text(paths.output)) (FORMAT csv, HEADER true, DELIMITER \(d.text(outputDelimiter)));

      COPY (
        SELECT \(rejectColumns), r.__row AS _row, r.__step AS _step, r.__reason AS _reason
        FROM \(e.lastView) r JOIN __source src ON src.rowid + 1 = r.__row
        WHERE r.__reason IS NOT NULL ORDER BY r.__row
      ) TO \(d.text(paths.rejects)) (FORMAT csv, HEADER true);

      \(e.countsQuery);

      """
  }
}
