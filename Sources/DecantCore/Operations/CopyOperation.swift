/// Adds a copy of a column right after it. Streams in constant memory.
public struct CopyOperation: Operation {
  public static let descriptor = OperationDescriptor(
    name: "copy", summary: "add a copy of a column right after it",
    parameters: [
      ParameterDescriptor("column", .column, required: true, "the column to copy"),
      ParameterDescriptor("to", .string, required: true, "the new column's name"),
      OnError.parameter,
    ])

  public let column: String
  public let to: String
  public let onError: OnError

  public init(column: String, to: String, onError: OnError = .reject) {
    self.column = column
    self.to = to
    self.onError = onError
  }

  public init(from fields: inout StepFields) throws(RecipeError) {
    column = try fields.column("column")
    to = try fields.nonEmptyString("to", required: true)!
    onError = try fields.onError()
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    [("column", .string(column)), ("to", .string(to)), ("on_error", .string(onError.rawValue))]
  }

  public var summary: String { "copy \(Quoting.name(column)) to \(Quoting.name(to))" }

  public func plan(_ input: Schema) throws -> Schema {
    let source = try input.indexes(of: [column], field: "column")[0]
    return try input.inserting([to], types: [input.types[source]], at: source + 1, field: "to")
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    let source = try input.indexes(of: [column], field: "column")[0]
    return ColumnAdditionTransform(
      sources: [source], sourceNames: [column], count: 1, position: source + 1, rule: Rule(), readsText: true,
      onError: onError, context: context)
  }

  final class Rule: ColumnRule {
    var keepsSourceKind: Bool { true }

    func produce(
      _ values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>?>, into out: ByteBuffer,
      cells: UnsafeMutableBufferPointer<NewCell>
    ) -> String? {
      guard let value = values[0] else { return nil }
      cells[0] = .source(value)
      return nil
    }

    func keepsPlain(delimiter: UInt8) -> Bool { true }
  }
}

extension CopyOperation {
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    sql.add(to, after: column, sql.value(sql.column(column)))
  }
}

// MARK: DataBrew

extension CopyOperation {
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    try brew.add("DUPLICATE", [("sourceColumn", column), ("targetColumn", to)])
  }

  public static let dataBrewImport: DataBrewImport? = DataBrewImport(
    operations: ["DUPLICATE"], conditionsAsWhere: false
  ) { action throws(DataBrewGap) in
    let column = try action.string("sourceColumn")
    let to = try action.string("targetColumn")
    return try action.decant(Self.self, [("column", .string(column)), ("to", .string(to))])
  }
}
