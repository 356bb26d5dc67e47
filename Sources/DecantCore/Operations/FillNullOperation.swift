/// Fills null cells with a constant or a value derived from the column.
///
/// `value` and `previous` stream in constant memory. `next` holds rows back
/// until each of their null cells has a later non-null value (memory: the
/// longest run of nulls). `mean`, `median` and `mode` are computed over the
/// whole input as it reaches this step, in a first pass (memory: mean O(1),
/// median 8 bytes per numeric value, mode the distinct values).
public struct FillNullOperation: Operation {
  public enum Strategy: String, Sendable, CaseIterable {
    case previous, next, mode, mean, median
  }

  public enum Fill: Sendable, Equatable {
    case value(String, literal: Bool)
    case strategy(Strategy)
  }

  public static let descriptor = OperationDescriptor(
    name: "fill_null", summary: "fill null cells with a value or a strategy",
    parameters: [
      ParameterDescriptor("columns", .columns, required: true, "the columns to fill"),
      ParameterDescriptor("value", .string, "a constant to put in null cells (one of value or strategy)"),
      ParameterDescriptor(
        "strategy", .choice(Strategy.allCases.map(\.rawValue)),
        "previous/next non-null value in the column, or mode/mean/median over the whole input"),
    ])

  public let columns: [String]
  public let fill: Fill

  public init(columns: [String], fill: Fill) {
    self.columns = columns
    self.fill = fill
  }

  public init(from fields: inout StepFields) throws(RecipeError) {
    columns = try fields.columns("columns", required: true)!
    let hasValue = fields.has("value")
    let hasStrategy = fields.has("strategy")
    if hasValue && hasStrategy {
      throw fields.error("give either \"value\" or \"strategy\", not both", field: "value")
    }
    if hasValue {
      switch fields.value("value")! {
      case .string(let s): fill = .value(s, literal: false)
      case .number(let n): fill = .value(n, literal: true)
      case .bool(let b): fill = .value(b ? "true" : "false", literal: true)
      case let other:
        throw fields.error("must be a string or a number, not \(other.kindName)", field: "value")
      }
    } else if hasStrategy {
      fill = .strategy(try fields.choice("strategy", default: Strategy.previous))
    } else {
      throw fields.error(
        "needs \"value\" (a constant) or \"strategy\" (\(Strategy.allCases.map(\.rawValue).joined(separator: ", ")))"
      )
    }
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    var out: [(String, JSONValue)] = [("columns", .array(columns.map { .string($0) }))]
    switch fill {
    case .value(let v, let literal):
      out.append(
        ("value", literal ? (v == "true" || v == "false" ? .bool(v == "true") : .number(v)) : .string(v)))
    case .strategy(let s): out.append(("strategy", .string(s.rawValue)))
    }
    return out
  }

  public var summary: String {
    let cols = columns.map(Quoting.name).joined(separator: ", ")
    switch fill {
    case .value(let v, _): return "fill_null \(cols) with \(Quoting.name(v))"
    case .strategy(let s): return "fill_null \(cols) by \(s.rawValue)"
    }
  }

  public func plan(_ input: Schema) throws -> Schema {
    let missing = columns.filter { input.index(of: $0) == nil }
    if !missing.isEmpty { throw PlanError.missing(missing, in: input, field: "columns") }
    return input
  }

  public func makeStatisticsCollector(input: Schema, context: StepContext) -> StatisticsCollector? {
    guard case .strategy(let s) = fill, s == .mean || s == .median || s == .mode else { return nil }
    return ColumnStatistics(
      columns: columns.map { input.index(of: $0)! }, names: columns, strategy: s, nulls: context.nullValues)
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    let indexes = columns.map { input.index(of: $0)! }
    let nulls = context.nullValues
    switch fill {
    case .value(let v, let literal):
      return ConstantFill(
        columns: indexes, values: indexes.map { _ in FillValue(Array(v.utf8), literal: literal) },
        nulls: nulls)
    case .strategy(.previous):
      return PreviousFill(columns: indexes, nulls: nulls)
    case .strategy(.next):
      return NextFill(columns: indexes, nulls: nulls)
    case .strategy:
      let stats = statistics as! ColumnStatistics
      return ConstantFill(columns: indexes, values: stats.results(), nulls: nulls)
    }
  }

  /// A fill value's bytes and whether it is a JSON literal (a number) for JSON Lines output.
  struct FillValue {
    var bytes: [UInt8]
    var literal: Bool
    init(_ bytes: [UInt8], literal: Bool) {
      self.bytes = bytes
      self.literal = literal
    }
  }

  /// Puts one value per column (nil: leave the nulls) into null cells.
  final class ConstantFill: StepTransform {
    let columns: [Int]
    let values: [FillValue?]
    let nulls: NullValues
    var batchesAreIndependent: Bool { true }
    private(set) var cellsChanged = 0

    init(columns: [Int], values: [FillValue?], nulls: NullValues) {
      self.columns = columns
      self.values = values
      self.nulls = nulls
    }

    func process(
      _ batch: inout Batch, scope: RowScope, prepared: AnyObject?, rejections: inout [RowRejection]
    ) throws -> Int {
      for (k, c) in columns.enumerated() {
        guard let value = values[k] else { continue }
        // The value joins the arena once per batch; every null cell points at it.
        let filled = batch.append(value.bytes, jsonLiteral: value.literal)
        batch.withColumn(c) { cells, arena in
          for r in 0..<cells.count where scope.contains(r) && nulls.isNull(cells[r], arena: arena) {
            cells[r] = filled
            cellsChanged += 1
          }
        }
      }
      return 0
    }
  }

  /// Carries the last non-null value of each column down, across batches. Under a
  /// `where`, values come from the whole column and only rows in scope are filled.
  final class PreviousFill: StepTransform {
    let columns: [Int]
    let nulls: NullValues
    var carried: [FillValue?]
    private(set) var cellsChanged = 0

    init(columns: [Int], nulls: NullValues) {
      self.columns = columns
      self.nulls = nulls
      carried = columns.map { _ in nil }
    }

    func process(
      _ batch: inout Batch, scope: RowScope, prepared: AnyObject?, rejections: inout [RowRejection]
    ) throws -> Int {
      for (k, c) in columns.enumerated() {
        var last: Cell? = carried[k].map { batch.append($0.bytes, jsonLiteral: $0.literal) }
        for r in 0..<batch.rowCount {
          let cell = batch.columns[c][r]
          if nulls.isNull(cell, in: batch) {
            if let last, scope.contains(r) {
              batch.columns[c][r] = last
              cellsChanged += 1
            }
          } else {
            last = cell
          }
        }
        if let last { carried[k] = FillValue(Array(batch.bytes(last)), literal: last.isJSONLiteral) }
      }
      return 0
    }
  }

  /// Fills each null with the next non-null value below it, holding rows back
  /// until that value has arrived; nulls with no later value stay null. Under a
  /// `where`, values come from the whole column and only rows in scope are filled
  /// (held rows keep the scope they had when they reached the step).
  final class NextFill: StepTransform {
    let columns: [Int]
    let nulls: NullValues
    var held: Batch? = nil
    var heldScope: [Bool] = []
    private(set) var cellsChanged = 0

    init(columns: [Int], nulls: NullValues) {
      self.columns = columns
      self.nulls = nulls
    }

    func process(
      _ batch: inout Batch, scope: RowScope, prepared: AnyObject?, rejections: inout [RowRejection]
    ) throws -> Int {
      var pending: Batch
      if var h = held {
        h.appendRows(of: batch)
        pending = h
      } else {
        pending = batch
      }
      var pendingScope = heldScope
      pendingScope += scope.mask ?? [Bool](repeating: true, count: batch.rowCount)
      // Rows up to the last non-null value of every column can be filled now.
      var release = pending.rowCount
      for c in columns {
        var last = -1
        var r = pending.rowCount - 1
        while r >= 0 {
          if !nulls.isNull(pending.columns[c][r], in: pending) {
            last = r
            break
          }
          r -= 1
        }
        release = min(release, last + 1)
      }
      fill(&pending, scope: pendingScope, upTo: release)
      if release == pending.rowCount {
        held = nil
        heldScope = []
        batch = pending
      } else {
        held = pending.slice(rows: release..<pending.rowCount).compacted()
        heldScope = Array(pendingScope[release...])
        batch = pending.slice(rows: 0..<release)
      }
      return 0
    }

    func finish() throws -> Batch? {
      guard var h = held else { return nil }
      held = nil
      fill(&h, scope: heldScope, upTo: h.rowCount)
      heldScope = []
      return h
    }

    /// Fills the nulls of rows `0..<limit` in scope from the next non-null cell below.
    private func fill(_ batch: inout Batch, scope: [Bool], upTo limit: Int) {
      for c in columns {
        var next: Cell? = nil
        var r = batch.rowCount - 1
        while r >= 0 {
          let cell = batch.columns[c][r]
          if nulls.isNull(cell, in: batch) {
            if r < limit, scope[r], let next {
              batch.columns[c][r] = next
              cellsChanged += 1
            }
          } else {
            next = cell
          }
          r -= 1
        }
      }
    }
  }
}

extension FillNullOperation {
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    for name in columns {
      let c = sql.column(name)
      switch fill {
      case .value(let v, _):
        sql.set(name, to: "CASE WHEN \(sql.isNull(c)) THEN \(sql.text(v)) ELSE \(c) END")
      case .strategy(.previous), .strategy(.next):
        let earlier = fill == .strategy(.previous)
        let frame =
          earlier
          ? "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING"
          : "ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING"
        let over = sql.over(frame: frame)
        let found = sql.window(
          earlier
            ? sql.dialect.lastNonNull(sql.value(c), over: over)
            : sql.dialect.firstNonNull(sql.value(c), over: over))
        sql.set(name, to: "CASE WHEN \(sql.isNull(c)) AND \(found) IS NOT NULL THEN \(found) ELSE \(c) END")
      case .strategy(.mode):
        // The most frequent value among the rows that reach the step (whatever
        // their `where`), ties to the first seen; none when the column is all null.
        let mode =
          "(SELECT v FROM (SELECT \(c) AS v, count(*) AS n, min(__row) AS f FROM \(sql.source) "
          + "WHERE __reason IS NULL AND NOT \(sql.isNull(c)) GROUP BY \(c)) ORDER BY n DESC, f LIMIT 1)"
        sql.set(name, to: "CASE WHEN \(sql.isNull(c)) AND \(mode) IS NOT NULL THEN \(mode) ELSE \(c) END")
      case .strategy(let s):
        throw sql.refuse(
          "fill_null by \(s.rawValue) computes in binary floating point and writes the shortest text of the "
            + "result; \(sql.dialect.engineName) writes doubles otherwise", field: "strategy")
      }
    }
  }
}

// MARK: DataBrew

extension FillNullOperation {
  /// A constant: FILL_WITH_CUSTOM (as a string) per column. DataBrew's computed
  /// fills are not Decant's: it averages in floating point and breaks ties and
  /// neighbours its own way.
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    guard case .value(let value, _) = fill else {
      throw brew.refuse(
        "DataBrew documents no fill that gives Decant's values for this strategy (exact decimal mean and "
          + "median, first-seen mode, neighbours in file order)", field: "strategy")
    }
    try brew.requireEmptyCellsAreNull("fill_null")
    for column in columns {
      try brew.addScoped(
        "FILL_WITH_CUSTOM", [("columnDataType", "string"), ("sourceColumn", column), ("value", value)])
    }
  }

  /// FILL_WITH_CUSTOM of a string (another columnDataType may write the value in
  /// that type's form, so it is not mapped).
  public static let dataBrewImport: DataBrewImport? = DataBrewImport(
    operations: ["FILL_WITH_CUSTOM"], conditionsAsWhere: true
  ) { action throws(DataBrewGap) in
    if let type = action.optionalString("columnDataType"), type != "string" {
      throw action.gap("columnDataType \(type) may write the value in that type's own form; only string maps")
    }
    let column = try action.string("sourceColumn")
    let value = try action.string("value")
    return try action.decant(Self.self, [("columns", .array([.string(column)])), ("value", .string(value))])
  }
}
