/// Sets a column's cells to one value (or null): an existing column is
/// overwritten in place, a new one is added at the end (null on the rows a
/// `where` leaves out). Streams in constant memory.
public struct SetOperation: Operation {
  public static let descriptor = OperationDescriptor(
    name: "set", summary: "set a column's cells to a value",
    parameters: [
      ParameterDescriptor(
        "column", .column, required: true,
        "the column to set (an existing one, or a new one added at the end)"),
      ParameterDescriptor(
        "value", .stringOrNull, required: true, "the value (a string, a number as written, or null)"),
    ])

  public let column: String
  /// nil: null.
  public let value: String?
  /// The value was a JSON number or boolean (written back unquoted to JSON Lines).
  public let literal: Bool

  public init(column: String, value: String?, literal: Bool = false) {
    self.column = column
    self.value = value
    self.literal = literal
  }

  public init(from fields: inout StepFields) throws(RecipeError) {
    column = try fields.column("column")
    guard fields.has("value") else {
      throw fields.error("is required (a string, a number or null)", field: "value")
    }
    switch fields.value("value")! {
    case .string(let s): (value, literal) = (s, false)
    case .number(let n): (value, literal) = (n, true)
    case .bool(let b): (value, literal) = (b ? "true" : "false", true)
    case .null: (value, literal) = (nil, false)
    case let other:
      throw fields.error("must be a string, a number or null, not \(other.kindName)", field: "value")
    }
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    let v: JSONValue
    if let value {
      v =
        literal
        ? (value == "true" || value == "false" ? .bool(value == "true") : .number(value)) : .string(value)
    } else {
      v = .null
    }
    return [("column", .string(column)), ("value", v)]
  }

  public var summary: String { "set \(Quoting.name(column)) to \(value.map(Quoting.name) ?? "null")" }

  public func plan(_ input: Schema) throws -> Schema {
    if let existing = input.index(of: column) { return input.retyped([existing], as: .string) }
    return try input.inserting([column], at: input.count, field: "column")
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    let bytes = value.map { Array($0.utf8) }
    if let existing = input.index(of: column) {
      return Overwrite(column: existing, value: bytes, literal: literal)
    }
    return ColumnAdditionTransform(
      sources: [], sourceNames: [], count: 1, position: input.count,
      rule: Constant(value: bytes, literal: literal),
      readsText: false, onError: .keep, context: context)
  }

  /// Puts the value in every cell of an existing column in scope.
  final class Overwrite: StepTransform {
    let column: Int
    let value: [UInt8]?
    let literal: Bool
    var batchesAreIndependent: Bool { true }
    private(set) var cellsChanged = 0

    init(column: Int, value: [UInt8]?, literal: Bool) {
      self.column = column
      self.value = value
      self.literal = literal
    }

    func process(
      _ batch: inout Batch, scope: RowScope, prepared: AnyObject?, rejections: inout [RowRejection]
    ) throws -> Int {
      let cell = value.map { batch.append($0, jsonLiteral: literal) } ?? .empty
      batch.withColumn(column) { cells, _ in
        for r in 0..<cells.count where scope.contains(r) {
          cells[r] = cell
          cellsChanged += 1
        }
      }
      return 0
    }
  }

  /// The value for a new column.
  final class Constant: ColumnRule {
    let value: [UInt8]?
    let literal: Bool

    init(value: [UInt8]?, literal: Bool) {
      self.value = value
      self.literal = literal
    }

    func produce(
      _ values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>?>, into out: ByteBuffer,
      cells: UnsafeMutableBufferPointer<NewCell>
    ) -> String? {
      guard let value else { return nil }
      let start = out.count
      out.write(value)
      cells[0] = .written(since: start, in: out, jsonLiteral: literal)
      return nil
    }

    func keepsPlain(delimiter: UInt8) -> Bool {
      value.map { ByteSearch.isPlain($0, delimiter: delimiter) } ?? true
    }
  }
}

extension SetOperation {
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    let v = sql.dialect.text(value)
    if sql.input.index(of: column) != nil { sql.set(column, to: v) } else { sql.add(column, after: nil, v) }
  }
}

// MARK: DataBrew

extension SetOperation {
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    throw brew.refuse(
      "DataBrew documents no action that sets cells to a constant (and a new column to null outside "
        + "the where)")
  }

  public static let dataBrewImport: DataBrewImport? = nil
}
