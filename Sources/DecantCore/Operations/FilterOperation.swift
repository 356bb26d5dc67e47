/// Keeps the rows where a condition holds (or, with `keep: non_matching`, those
/// where it does not); the other rows are removed and counted as removed.
/// Streams in constant memory.
public struct FilterOperation: Operation {
  public enum Keep: String, Sendable, CaseIterable {
    case matching
    case nonMatching = "non_matching"
  }

  public static let descriptor = OperationDescriptor(
    name: "filter", summary: "keep (or remove) the rows where a condition holds",
    parameters: [
      ParameterDescriptor("where", .condition, required: true, "the condition a row is tested with"),
      ParameterDescriptor(
        "keep", .choice(Keep.allCases.map(\.rawValue)), default: "matching",
        "keep the matching rows (and remove the others), or keep the non-matching ones"),
    ], conditionRole: .rule)

  public let condition: Condition
  public let keep: Keep

  public init(condition: Condition, keep: Keep = .matching) {
    self.condition = condition
    self.keep = keep
  }

  public init(from fields: inout StepFields) throws(RecipeError) {
    condition = try fields.condition("where", required: true)!
    keep = try fields.choice("keep", default: Keep.matching)
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    [("where", condition.json), ("keep", .string(keep.rawValue))]
  }

  public var summary: String {
    (keep == .matching ? "filter where " : "filter out where ") + ConditionText.print(condition)
  }

  public func plan(_ input: Schema) throws -> Schema {
    if let error = condition.missingColumnsError(in: input, field: "where") { throw error }
    return input
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    Transform(condition: ConditionEvaluator(condition, schema: input, nulls: context.nullValues), keep: keep)
  }

  final class Transform: StepTransform {
    let condition: ConditionEvaluator
    let keep: Keep
    var batchesAreIndependent: Bool { true }

    init(condition: ConditionEvaluator, keep: Keep) {
      self.condition = condition
      self.keep = keep
    }

    func process(
      _ batch: inout Batch, scope: RowScope, prepared: AnyObject?, rejections: inout [RowRejection]
    ) throws -> Int {
      var flags = condition.evaluate(&batch)
      if keep == .nonMatching { for r in flags.indices { flags[r] = !flags[r] } }
      var removed = 0
      for f in flags where !f { removed += 1 }
      if removed > 0 { batch.keepRows(flags) }
      return removed
    }
  }
}

extension FilterOperation {
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    let matching = try ConditionSQL.sql(condition, in: sql)
    sql.remove(when: keep == .matching ? "NOT \(matching)" : matching)
  }
}

// MARK: DataBrew

extension FilterOperation {
  /// REMOVE_MISSING keeps the rows where one column is not null; it is the one
  /// row filter of DataBrew's reference with a meaning Decant can match.
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    guard case .leaf(let leaf) = condition, !leaf.caseInsensitive,
      leaf.predicate == .isNull(keep == .nonMatching)
    else {
      throw brew.refuse(
        "DataBrew's one documented row filter Decant can match is REMOVE_MISSING (keep the rows where a column "
          + "is not null); this rule has no counterpart", field: "where")
    }
    try brew.requireEmptyCellsAreNull("the filter")
    try brew.add("REMOVE_MISSING", [("sourceColumn", leaf.column)])
  }

  /// REMOVE_MISSING reads back as `filter` keeping the rows where the column is not null.
  public static let dataBrewImport: DataBrewImport? = DataBrewImport(
    operations: ["REMOVE_MISSING"], conditionsAsWhere: false
  ) { action throws(DataBrewGap) in
    let column = try action.string("sourceColumn")
    return try action.decant(
      Self.self, [("where", .object([("column", .string(column)), ("is_null", .bool(false))]))])
  }
}
