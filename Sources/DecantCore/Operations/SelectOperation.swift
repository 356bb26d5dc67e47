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

// MARK: DataBrew

extension SelectOperation {
  /// DataBrew has no select: the other columns are deleted (DELETE each), which
  /// needs the columns the step receives (the recipe's `input.columns`) and
  /// keeps their order, so a select that reorders is refused.
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    guard let input = brew.input else {
      throw brew.refuse(
        "DataBrew has no select; it is exported as DELETE of the other columns, which needs the columns: "
          + "save input.columns in the recipe (the workbench does)")
    }
    let positions = columns.compactMap { input.index(of: $0) }
    if positions.count == columns.count, positions != positions.sorted() {
      throw brew.refuse(
        "select reorders the columns and DataBrew's DELETE keeps their order; select them in the order they "
          + "stand (\(input.names.filter(columns.contains).map(Quoting.name).joined(separator: ", ")))",
        field: "columns")
    }
    for name in input.names where !columns.contains(name) { try brew.add("DELETE", [("sourceColumn", name)]) }
  }

  /// DataBrew's DELETE reads back as drop.
  public static let dataBrewImport: DataBrewImport? = nil
}
