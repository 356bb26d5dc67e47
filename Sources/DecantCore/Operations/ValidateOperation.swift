/// Checks a rule on every row. A row that breaks it goes to the rejects file
/// with `failed rule "NAME"` (`on_error: reject`), stops the run (`fail`), or
/// passes and is counted (`keep`: `rule_violations` in the run report).
/// Streams in constant memory.
public struct ValidateOperation: Operation {
  /// What happens to a row that breaks the rule.
  public enum OnViolation: String, Sendable, CaseIterable {
    case reject, fail, keep
  }

  public static let descriptor = OperationDescriptor(
    name: "validate", summary: "check a rule on every row; rows that break it are rejected",
    parameters: [
      ParameterDescriptor("name", .string, required: true, "the rule's name, used in reasons and reports"),
      ParameterDescriptor("where", .condition, required: true, "the rule: the condition every row must meet"),
      ParameterDescriptor(
        "on_error", .choice(OnViolation.allCases.map(\.rawValue)), default: "reject",
        "a row that breaks the rule: reject it, stop the run, or keep it and count it"),
    ], conditionRole: .rule)

  public let name: String
  public let rule: Condition
  public let onViolation: OnViolation

  public init(name: String, rule: Condition, onViolation: OnViolation = .reject) {
    self.name = name
    self.rule = rule
    self.onViolation = onViolation
  }

  public init(from fields: inout StepFields) throws(RecipeError) {
    name = try fields.nonEmptyString("name", required: true)!
    rule = try fields.condition("where", required: true)!
    onViolation = try fields.choice("on_error", default: OnViolation.reject)
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    [("name", .string(name)), ("where", rule.json), ("on_error", .string(onViolation.rawValue))]
  }

  public var summary: String { "validate \(Quoting.name(name)): \(ConditionText.print(rule))" }

  public func plan(_ input: Schema) throws -> Schema {
    if let error = rule.missingColumnsError(in: input, field: "where") { throw error }
    return input
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    Transform(
      rule: ConditionEvaluator(rule, schema: input, nulls: context.nullValues), name: name,
      onViolation: onViolation, context: context)
  }

  final class Transform: StepTransform {
    let rule: ConditionEvaluator
    let reason: String
    let onViolation: OnViolation
    let context: StepContext
    private(set) var flagged = 0
    var batchesAreIndependent: Bool { true }

    init(rule: ConditionEvaluator, name: String, onViolation: OnViolation, context: StepContext) {
      self.rule = rule
      self.reason = "failed rule \"\(name)\""
      self.onViolation = onViolation
      self.context = context
    }

    func process(
      _ batch: inout Batch, scope: RowScope, prepared: AnyObject?, rejections: inout [RowRejection]
    ) throws -> Int {
      let holds = rule.evaluate(&batch)
      for r in holds.indices where !holds[r] {
        switch onViolation {
        case .reject: rejections.append(RowRejection(row: r, reason: reason))
        case .keep: flagged += 1
        case .fail: throw DataError(reason, line: batch.lines[r], step: context.number, op: context.op)
        }
      }
      return 0
    }
  }
}

extension ValidateOperation {
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    let holds = try ConditionSQL.sql(rule, in: sql)
    let reason = sql.dialect.text("failed rule \"\(name)\"")
    switch onViolation {
    case .reject: sql.reject(when: "NOT \(holds)", reason: reason)
    case .fail: sql.reject(when: "NOT \(holds)", reason: sql.dialect.fail(reason))
    case .keep: break
    }
  }
}

// MARK: DataBrew

extension ValidateOperation {
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    throw brew.refuse(
      "DataBrew has no rejects file: a row breaking a rule cannot be set aside with its reason")
  }

  public static let dataBrewImport: DataBrewImport? = nil
}
