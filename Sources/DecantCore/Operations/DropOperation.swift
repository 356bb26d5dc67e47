/// Removes the listed columns. Touches no cell.
public struct DropOperation: Operation {
  public static let descriptor = OperationDescriptor(
    name: "drop", summary: "remove these columns",
    parameters: [ParameterDescriptor("columns", .columns, required: true, "the columns to remove")],
    conditionRole: .none)

  public let columns: [String]

  public init(columns: [String]) { self.columns = columns }

  public init(from fields: inout StepFields) throws(RecipeError) {
    columns = try fields.columns("columns", required: true)!
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    [("columns", .array(columns.map { .string($0) }))]
  }

  public var summary: String { "drop " + columns.map(Quoting.name).joined(separator: ", ") }

  public func plan(_ input: Schema) throws -> Schema {
    let dropped = Set(try input.indexes(of: columns, field: "columns"))
    if dropped.count == input.count {
      throw PlanError(
        "dropping every column would leave nothing to write; select the columns to keep instead",
        field: "columns")
    }
    return input.selecting(input.names.indices.filter { !dropped.contains($0) })
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    let dropped = Set(try input.indexes(of: columns, field: "columns"))
    return ColumnReorder(keeping: (0..<input.count).filter { !dropped.contains($0) })
  }
}

extension DropOperation {
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    sql.keep(sql.input.names.filter { !columns.contains($0) })
  }
}

// MARK: DataBrew

extension DropOperation {
  /// One DELETE per column.
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    for column in columns { try brew.add("DELETE", [("sourceColumn", column)]) }
  }

  /// DELETE of one column (`sourceColumn`, as the reference shows it) or of
  /// several (`sourceColumns`, as the console writes it).
  public static let dataBrewImport: DataBrewImport? = DataBrewImport(
    operations: ["DELETE"], conditionsAsWhere: false
  ) { action throws(DataBrewGap) in
    let names =
      action.has("sourceColumns") ? try action.columns("sourceColumns") : [try action.string("sourceColumn")]
    return try action.decant(Self.self, [("columns", .array(names.map { .string($0) }))])
  }
}
