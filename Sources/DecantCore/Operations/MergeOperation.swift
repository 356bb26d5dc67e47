/// Joins the cells of several columns into a new column, placed right after the
/// rightmost source; the sources are kept. Streams in constant memory.
public struct MergeOperation: Operation {
  /// How null parts are treated.
  public enum Nulls: String, Sendable, CaseIterable {
    /// A null part and its separator are left out (all parts null: null).
    case skip
    /// A null part counts as an empty string.
    case empty
    /// The result is null when any part is null.
    case null
  }

  public static let descriptor = OperationDescriptor(
    name: "merge", summary: "join the cells of several columns into a new column",
    parameters: [
      ParameterDescriptor(
        "columns", .columns, required: true, "the columns to join (at least two), in order"),
      ParameterDescriptor("to", .string, required: true, "the new column's name"),
      ParameterDescriptor("separator", .string, default: "\"\"", "put between the parts"),
      ParameterDescriptor(
        "nulls", .choice(Nulls.allCases.map(\.rawValue)), default: "skip",
        "a null part: leave it and its separator out, treat it as empty, or make the result null"),
      OnError.parameter,
    ])

  public let columns: [String]
  public let to: String
  public let separator: String
  public let nulls: Nulls
  public let onError: OnError

  public init(
    columns: [String], to: String, separator: String = "", nulls: Nulls = .skip, onError: OnError = .reject
  ) {
    self.columns = columns
    self.to = to
    self.separator = separator
    self.nulls = nulls
    self.onError = onError
  }

  public init(from fields: inout StepFields) throws(RecipeError) {
    columns = try fields.columns("columns", required: true)!
    if columns.count < 2 { throw fields.error("must name at least two columns", field: "columns") }
    to = try fields.nonEmptyString("to", required: true)!
    separator = try fields.text("separator") ?? ""
    nulls = try fields.choice("nulls", default: Nulls.skip)
    onError = try fields.onError()
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    [
      ("columns", .array(columns.map { .string($0) })), ("to", .string(to)),
      ("separator", .string(separator)),
      ("nulls", .string(nulls.rawValue)), ("on_error", .string(onError.rawValue)),
    ]
  }

  public var summary: String {
    "merge " + columns.map(Quoting.name).joined(separator: ", ") + " to \(Quoting.name(to))"
      + (separator.isEmpty ? "" : " with \(Quoting.name(separator))")
  }

  public func plan(_ input: Schema) throws -> Schema {
    let sources = try input.indexes(of: columns, field: "columns")
    return try input.inserting([to], at: sources.max()! + 1, field: "to")
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    let sources = try input.indexes(of: columns, field: "columns")
    return ColumnAdditionTransform(
      sources: sources, sourceNames: columns, count: 1, position: sources.max()! + 1,
      rule: Rule(separator: Array(separator.utf8), nulls: nulls), readsText: true, onError: onError,
      context: context)
  }

  final class Rule: ColumnRule {
    let separator: [UInt8]
    let nulls: Nulls

    init(separator: [UInt8], nulls: Nulls) {
      self.separator = separator
      self.nulls = nulls
    }

    func produce(
      _ values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>?>, into out: ByteBuffer,
      cells: UnsafeMutableBufferPointer<NewCell>
    ) -> String? {
      let start = out.count
      var parts = 0
      for value in values {
        guard let value else {
          switch nulls {
          case .skip: continue
          case .null:
            // Nothing written yet counts: roll back.
            out.truncate(to: start)
            return nil
          case .empty: break
          }
          if parts > 0 { out.write(separator) }
          parts += 1
          continue
        }
        if parts > 0 { out.write(separator) }
        out.write(value)
        parts += 1
      }
      if parts > 0 { cells[0] = .written(since: start, in: out) }
      return nil
    }

    func keepsPlain(delimiter: UInt8) -> Bool { ByteSearch.isPlain(separator, delimiter: delimiter) }
  }
}

extension MergeOperation {
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    let parts = columns.map { sql.value(sql.column($0)) }
    let separator = sql.text(separator)
    let expr: String
    switch nulls {
    case .skip:
      let anyPresent = parts.map { "\($0) IS NOT NULL" }.joined(separator: " OR ")
      expr = "CASE WHEN \(anyPresent) THEN concat_ws(\(separator), \(parts.joined(separator: ", "))) END"
    case .empty:
      expr = "concat_ws(\(separator), \(parts.map { "COALESCE(\($0), '')" }.joined(separator: ", ")))"
    case .null:
      let anyNull = parts.map { "\($0) IS NULL" }.joined(separator: " OR ")
      expr =
        "CASE WHEN \(anyNull) THEN NULL ELSE concat_ws(\(separator), \(parts.joined(separator: ", "))) END"
    }
    let last = sql.input.names.last { columns.contains($0) }
    sql.add(to, after: last, expr)
  }
}

// MARK: DataBrew

extension MergeOperation {
  /// MERGE_COLUMNS_AND_VALUES leaves missing parts out, as `nulls: skip` does.
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    guard nulls == .skip else {
      throw brew.refuse(
        "DataBrew's MERGE_COLUMNS_AND_VALUES leaves missing parts out (nulls: skip); nulls: \(nulls.rawValue) "
          + "has no counterpart", field: "nulls")
    }
    try brew.requireEmptyCellsAreNull("merge with nulls: skip")
    try brew.add(
      "MERGE_COLUMNS_AND_VALUES",
      [
        ("sourceColumns", DataBrewStep.list(columns)), ("delimiter", separator.isEmpty ? nil : separator),
        ("targetColumn", to),
      ])
  }

  public static let dataBrewImport: DataBrewImport? = DataBrewImport(
    operations: ["MERGE_COLUMNS_AND_VALUES", "MERGE"], conditionsAsWhere: false
  ) { action throws(DataBrewGap) in
    let columns = try action.columns("sourceColumns")
    let separator = action.optionalString("delimiter") ?? ""
    let to = try action.string("targetColumn")
    return try action.decant(
      Self.self,
      [
        ("columns", .array(columns.map { .string($0) })), ("to", .string(to)),
        ("separator", .string(separator)),
        ("nulls", .string("skip")),
      ])
  }
}
