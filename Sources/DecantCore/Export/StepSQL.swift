/// Why a recipe (one of its steps, or a value in it) cannot be exported with
/// the same result as `decant run`. Never answered by an approximate export.
public struct ExportRefusal: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  /// 1-based step number, when a step is at fault.
  public var step: Int?
  public var op: String?
  public var field: String?

  public init(_ message: String, step: Int? = nil, op: String? = nil, field: String? = nil) {
    self.message = message
    self.step = step
    self.op = op
    self.field = field
  }

  public var description: String {
    var where_ = ""
    if let step { where_ = "step \(step)" + (op.map { " (\($0))" } ?? "") }
    if let field { where_ += where_.isEmpty ? field : ", \(field)" }
    return where_.isEmpty ? message : "\(where_): \(message)"
  }
}

/// One step of an exported job, as SQL over the view the previous step made.
///
/// An operation's `export(_:)` reads columns (`column`), says what becomes of
/// them (`set`, `add`, `rename`, `keep`), which rows leave (`remove`) and which go
/// to the rejects output (`reject`), and asks for window values (`window`). The
/// `where` of the step is applied here, once, for every operation: changes reach
/// only the rows in scope, new columns are null on the others.
///
/// Rows rejected by an earlier step travel on with their reason (so the rejects
/// output can list them at the end, in input order); every expression here is
/// evaluated on them too and must not fail on any text, but its result is never
/// used.
public struct StepSQL {
  public let dialect: SQLDialect
  /// The columns as they reach the step.
  public let input: Schema
  public let number: Int
  public let op: String
  /// The strings that count as null (`input.null_values`).
  public let nullValues: [String]
  /// SQL of the step's `where` (nil: every row).
  let condition: String?
  /// The view the step reads (the previous step's): for values computed over
  /// every row that reaches the step, in a subquery.
  public let source: String

  /// Output columns in order: name and expression.
  private(set) var columns: [(name: String, expr: String)]
  private(set) var rejections: [(when: String, reason: String)] = []
  private(set) var removal: String?
  private(set) var windows: [String] = []
  /// `let` stages in order; the values of one stage are named `__l1`, `__l2`, … on from the last stage's.
  private(set) var lets: [[String]] = []
  private var letCount = 0
  /// Tables joined to the rows before the `let` stages: a relation (its
  /// column names unique to the step) and the join condition.
  private(set) var joins: [(relation: String, on: String)] = []

  init(
    dialect: SQLDialect, input: Schema, number: Int, op: String, nullValues: [String], condition: String?,
    source: String
  ) {
    self.dialect = dialect
    self.source = source
    self.input = input
    self.number = number
    self.op = op
    self.nullValues = nullValues
    self.condition = condition
    columns = input.names.map { (name: $0, expr: dialect.name($0)) }
  }

  // MARK: Reading

  /// The cell of `name` as the step receives it.
  public func column(_ name: String) -> String { dialect.name(name) }

  public func text(_ s: String) -> String { dialect.text(s) }

  /// True when `expr` (a column as a view holds it: never SQL NULL) is null
  /// under the input's null values.
  public func isNull(_ expr: String) -> String {
    let strings = nullValues.map(dialect.text)
    if strings.isEmpty { return "FALSE" }
    if strings.count == 1 { return "(\(expr) = \(strings[0]))" }
    return "(\(expr) IN (\(strings.joined(separator: ", "))))"
  }

  /// `expr`, or SQL NULL when it is null under the input's null values.
  public func value(_ expr: String) -> String { "CASE WHEN \(isNull(expr)) THEN NULL ELSE \(expr) END" }

  /// True for the rows the step acts on: not rejected before, and in its `where`.
  public var inScope: String {
    condition.map { "(__reason IS NULL AND COALESCE(\($0), FALSE))" } ?? "(__reason IS NULL)"
  }

  /// A refusal for this step.
  public func refuse(_ message: String, field: String? = nil) -> ExportRefusal {
    ExportRefusal(message, step: number, op: op, field: field)
  }

  // MARK: Changing

  /// The cells of `name` become `expr` on the rows in scope.
  public mutating func set(_ name: String, to expr: String) {
    guard let i = columns.firstIndex(where: { $0.name == name }) else { return }
    let old = columns[i].expr
    columns[i].expr = "CASE WHEN \(inScope) THEN \(expr) ELSE \(old) END"
  }

  /// A new column `name` right after `after` (at the end when nil), `expr` on the
  /// rows in scope and null on the others.
  public mutating func add(_ name: String, after: String?, _ expr: String) {
    let column = (name: name, expr: "CASE WHEN \(inScope) THEN \(expr) END")
    if let after, let i = columns.firstIndex(where: { $0.name == after }) {
      columns.insert(column, at: i + 1)
    } else {
      columns.append(column)
    }
  }

  /// Renames a column (on every row: renaming takes no `where`).
  public mutating func rename(_ old: String, to new: String) {
    guard let i = columns.firstIndex(where: { $0.name == old }) else { return }
    columns[i].name = new
  }

  /// Keeps only `names`, in that order.
  public mutating func keep(_ names: [String]) {
    columns = names.compactMap { n in columns.first { $0.name == n } }
  }

  /// The rows in scope for which `when` holds go to the rejects output with
  /// `reason` (a SQL text expression). The first rule that holds gives the reason.
  public mutating func reject(when: String, reason: String) {
    rejections.append((when: when, reason: reason))
  }

  /// The rows in scope for which `when` holds leave the output (`removed`).
  public mutating func remove(when: String) {
    removal = removal.map { "(\($0)) OR (\(when))" } ?? when
  }

  /// A value computed over a window of the rows that reach the step, in input
  /// order (`__row`); returns the name to read it by in `set`, `add`, `reject`
  /// and `remove`. Rows rejected before the step are never in the window of a
  /// row that is not.
  public mutating func window(_ expr: String) -> String {
    windows.append(expr)
    return "__w\(windows.count)"
  }

  /// A value computed once per row before the step's own expressions (which
  /// read it by the returned name, as may later `let`s): keeps long expressions
  /// from being written out again at each use. It is computed on every row,
  /// rejected ones too, so it must not stop the job.
  public mutating func `let`(_ expr: String) -> String { lets([expr])[0] }

  /// Joins `relation` (SQL of a table whose rows have unique keys, its column
  /// names unique to the step) to the rows reaching the step, keeping every row:
  /// the step then reads its columns by name, SQL NULL where no row matched.
  /// `on` pairs a column of the step's input with a key column of the relation.
  public mutating func leftJoin(_ relation: String, on pairs: [(column: String, key: String)]) {
    let on = pairs.map { "__base.\(dialect.name($0.column)) = __ref.\($0.key)" }.joined(separator: " AND ")
    joins.append((relation, on))
  }

  /// Several `let` values computed side by side in one stage (none may read
  /// another): fewer stages for values that do not depend on each other.
  public mutating func lets(_ exprs: [String]) -> [String] {
    lets.append(exprs)
    let names = exprs.indices.map { "__l\(letCount + 1 + $0)" }
    letCount += exprs.count
    return names
  }

  /// A column's values rewritten to `value` (in place, or into a new column `to`
  /// right after it), where each of `failures` (checked in order, on cells that
  /// are not null) gives a reason: `on_error` as Decant applies it. Null cells
  /// stay null; a failed row's new cell is null, whatever `on_error` says.
  public mutating func rewrite(
    _ name: String, to: String? = nil, value: String, failures: [(when: String, reason: String)],
    onError: OnError
  ) {
    let c = column(name)
    let present = "NOT \(isNull(c))"
    let checked = failures.map { (when: "\(present) AND \($0.when)", reason: $0.reason) }
    let failed =
      checked.isEmpty ? "FALSE" : "(" + checked.map { "(\($0.when))" }.joined(separator: " OR ") + ")"
    switch onError {
    case .reject:
      for f in checked { reject(when: f.when, reason: f.reason) }
    case .fail:
      // Through the row's reason, which every query reads: a stop in a cell
      // expression would be pruned with a column a later step drops.
      for f in checked {
        reject(when: f.when, reason: dialect.fail("'step \(number) (\(op)): ' || \(f.reason)"))
      }
    case .null, .keep: break
    }
    if let to {
      add(to, after: name, "CASE WHEN \(isNull(c)) OR \(failed) THEN '' ELSE \(value) END")
    } else {
      let kept = onError == .null ? "''" : c
      set(name, to: "CASE WHEN \(isNull(c)) THEN \(c) WHEN \(failed) THEN \(kept) ELSE \(value) END")
    }
  }

  /// A cell quoted as Decant's value errors quote it (`ValueText.quoted`): whole
  /// up to 60 characters, else its first 60 and `…`. Decant counts grapheme
  /// clusters; a longer value with characters that join others into one cluster
  /// (marks, joiners, CR, Hangul jamo, flags) stops the job instead.
  public func quoted(_ x: String) -> String {
    let d = dialect
    let joining =
      #"[\p{M}\p{Cf}\r\x{1100}-\x{11FF}\x{A960}-\x{A97F}\x{AC00}-\x{D7FF}\x{1F1E6}-\x{1F1FF}"#
      + #"\x{1F3FB}-\x{1F3FF}\x{FF9E}\x{FF9F}\x{E0020}-\x{E007F}\x{0D4E}\x{111C2}\x{111C3}\x{1193F}"#
      + #"\x{11941}\x{11A3A}\x{11A84}-\x{11A89}\x{11D46}\x{11F02}]"#
    let message = text(
      "step \(number) (\(op)): a value over 60 characters with joining characters cannot be quoted in the reason "
        + "as Decant quotes it")
    return "CASE WHEN \(d.length(x)) <= 60 THEN '\"' || \(x) || '\"' "
      + "WHEN NOT \(d.regexFind(x, joining)) THEN '\"' || \(d.substring(x, from: "1", count: "60")) || '…\"' "
      + "ELSE \(d.fail(message)) END"
  }

  /// The window clause over the rows that reach the step (and, with `scoped`,
  /// are in its `where`), partitioned further by `by`, in input order.
  public func over(
    partitionBy by: [String] = [], scoped: Bool = false, descending: Bool = false, frame: String? = nil
  ) -> String {
    let live = scoped ? "__in" : "(__reason IS NULL)"
    let parts = [live] + by
    return "PARTITION BY \(parts.joined(separator: ", ")) ORDER BY __row" + (descending ? " DESC" : "")
      + (frame.map { " " + $0 } ?? "")
  }

  // MARK: The SQL

  /// The view's query: `SELECT … FROM source`, with a window stage first when the
  /// step asked for window values.
  func query(from source: String) -> String {
    var from = source
    var stages: [String] = []
    for (i, join) in joins.enumerated() {
      stages.append(
        "__join\(i + 1) AS (\n  SELECT __base.*, __ref.* FROM \(from) AS __base LEFT JOIN \(join.relation) AS __ref "
          + "ON \(join.on)\n)")
      from = "__join\(i + 1)"
    }
    var named = 0
    for (i, stage) in lets.enumerated() {
      let values = stage.map { expr in
        named += 1
        return "\(expr) AS __l\(named)"
      }
      stages.append("__let\(i + 1) AS (\n  SELECT *, \(values.joined(separator: ", ")) FROM \(from)\n)")
      from = "__let\(i + 1)"
    }
    var prefix = stages.isEmpty ? "" : "WITH " + stages.joined(separator: ",\n") + "\n"
    if !windows.isEmpty {
      // The scope is a column first: a window may not partition by an expression
      // that can stop the job (an exact number comparison can).
      let extra = windows.enumerated().map { "\($1) AS __w\($0 + 1)" }.joined(separator: ",\n    ")
      prefix =
        (prefix.isEmpty ? "WITH " : prefix.dropLast() + ",\n")
        + "__scoped AS (\n  SELECT *, \(inScope) AS __in FROM \(from)\n),\n"
        + "__windowed AS (\n  SELECT *,\n    \(extra)\n  FROM __scoped\n)\n"
      from = "__windowed"
    }
    var reason = "__reason"
    var step = "__step"
    if !rejections.isEmpty {
      let stepName = dialect.text("\(number) \(op)")
      let cases = rejections.map { "WHEN \(inScope) AND COALESCE(\($0.when), FALSE) THEN \($0.reason)" }
      reason = "CASE WHEN __reason IS NOT NULL THEN __reason " + cases.joined(separator: " ") + " END"
      let any = rejections.map { "COALESCE(\($0.when), FALSE)" }.joined(separator: " OR ")
      step = "CASE WHEN \(inScope) AND (\(any)) THEN \(stepName) ELSE __step END"
    }
    let select =
      (["__row", "\(reason) AS __reason", "\(step) AS __step"]
      + columns.map { column in
        // A cell is text, as in Decant: a null a step writes is the empty text,
        // null to later steps only when "" is one of the null values.
        column.expr == dialect.name(column.name)
          ? column.expr : "COALESCE(\(column.expr), '') AS \(dialect.name(column.name))"
      }).joined(separator: ",\n  ")
    var sql = prefix + "SELECT\n  \(select)\nFROM \(from)"
    if let removal {
      sql += "\nWHERE NOT (\(inScope) AND COALESCE(\(removal), FALSE))"
    }
    return sql
  }

  /// The names of the columns the step gives.
  var outputNames: [String] { columns.map(\.name) }
}
