/// Splits a column on a literal separator into new columns placed right after
/// it; the source is kept. Fewer parts than names: the rest are null; more: the
/// last column keeps the rest, separators included. Streams in constant memory.
public struct SplitOperation: Operation {
  public static let descriptor = OperationDescriptor(
    name: "split", summary: "split a column on a separator into new columns",
    parameters: [
      ParameterDescriptor("column", .column, required: true, "the column to split"),
      ParameterDescriptor("separator", .string, required: true, "the literal text to split on (not empty)"),
      ParameterDescriptor("into", .strings, required: true, "the new columns' names (at least two)"),
      OnError.parameter,
    ])

  public let column: String
  public let separator: String
  public let into: [String]
  public let onError: OnError

  public init(column: String, separator: String, into: [String], onError: OnError = .reject) {
    self.column = column
    self.separator = separator
    self.into = into
    self.onError = onError
  }

  public init(from fields: inout StepFields) throws(RecipeError) {
    column = try fields.column("column")
    guard let sep = try fields.text("separator") else {
      throw fields.error("is required (the literal text to split on)", field: "separator")
    }
    if sep.isEmpty { throw fields.error("must not be empty", field: "separator") }
    separator = sep
    guard let names = try fields.columns("into", required: true) else {
      throw fields.error("is required (the new columns' names)", field: "into")
    }
    if names.count < 2 { throw fields.error("must name at least two new columns", field: "into") }
    into = names
    onError = try fields.onError()
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    [
      ("column", .string(column)), ("separator", .string(separator)),
      ("into", .array(into.map { .string($0) })),
      ("on_error", .string(onError.rawValue)),
    ]
  }

  public var summary: String {
    "split \(Quoting.name(column)) on \(Quoting.name(separator)) into "
      + into.map(Quoting.name).joined(separator: ", ")
  }

  public func plan(_ input: Schema) throws -> Schema {
    let source = try input.indexes(of: [column], field: "column")[0]
    return try input.inserting(into, at: source + 1, field: "into")
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    let source = try input.indexes(of: [column], field: "column")[0]
    return ColumnAdditionTransform(
      sources: [source], sourceNames: [column], count: into.count, position: source + 1,
      rule: Rule(separator: Array(separator.utf8)), readsText: true, onError: onError, context: context)
  }

  final class Rule: ColumnRule {
    let separator: [UInt8]
    init(separator: [UInt8]) { self.separator = separator }

    func produce(
      _ values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>?>, into out: ByteBuffer,
      cells: UnsafeMutableBufferPointer<NewCell>
    ) -> String? {
      guard let value = values[0] else { return nil }
      // The parts are ranges of the source value: nothing is copied.
      var from = 0
      var k = 0
      separator.withUnsafeBufferPointer { sep in
        while k < cells.count - 1, let at = ByteSearch.find(sep, in: value, from: from) {
          cells[k] = .source(UnsafeBufferPointer(rebasing: value[from..<at]))
          from = at + sep.count
          k += 1
        }
      }
      cells[k] = .source(UnsafeBufferPointer(rebasing: value[from...]))
      return nil
    }

    func keepsPlain(delimiter: UInt8) -> Bool { true }
  }
}

extension SplitOperation {
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    let d = sql.dialect
    let parts = d.splitLiteral(sql.value(sql.column(column)), separator)
    var after = column
    for (k, name) in into.enumerated() {
      let expr: String
      if k < into.count - 1 {
        expr = d.element(parts, k + 1)
      } else {
        expr =
          "CASE WHEN \(d.listLength(parts)) >= \(k + 1) THEN \(d.joinTail(parts, from: k + 1, separator: separator)) END"
      }
      sql.add(name, after: after, expr)
      after = name
    }
  }
}

// MARK: DataBrew

extension SplitOperation {
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    throw brew.refuse(
      "DataBrew's SPLIT_COLUMN_SINGLE_DELIMITER names the new columns itself (it takes no names) and "
        + "does not say whether its pattern is text or a regex")
  }

  public static let dataBrewImport: DataBrewImport? = nil
}
