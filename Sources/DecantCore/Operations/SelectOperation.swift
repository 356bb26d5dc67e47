/// Keeps the listed columns, in the listed order. Touches no cell.
public struct SelectOperation: Operation {
  public static let descriptor = OperationDescriptor(
    name: "select", summary: "keep these columns, in this order",
    parameters: [ParameterDescriptor("columns", .columns, required: true, "the columns to keep, in order")],
    conditionRole: .none)

  public let columns: [String]

  public init(columns: [String]) { self.columns = columns }

  public init(from fields: inout StepFields) throws(RecipeError) {
    columns = try fields.columns("columns", required: true)!
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    [("columns", .array(columns.map { .string($0) }))]
  }

  public var summary: String { "select " + columns.map(Quoting.name).joined(separator: ", ") }

  public func plan(_ input: Schema) throws -> Schema {
    input.selecting(try input.indexes(of: columns, field: "columns"))
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  { ColumnReorder(keeping: try input.indexes(of: columns, field: "columns")) }
}

/// Keeps some columns of each batch, in a given order (select, drop). The
/// original cells stay for the rejects file.
final class ColumnReorder: StepTransform {
  let keeping: [Int]
  var batchesAreIndependent: Bool { true }

  init(keeping: [Int]) { self.keeping = keeping }

  func process(_ batch: inout Batch, scope: RowScope, prepared: AnyObject?, rejections: inout [RowRejection])
    throws -> Int
  {
    let columns = batch.columns
    batch.columns = keeping.map { columns[$0] }
    return 0
  }
}

extension SelectOperation {
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) { sql.keep(columns) }
}
