/// Renames columns. Touches no cell; costs nothing per row.
public struct RenameOperation: Operation {
  public static let descriptor = OperationDescriptor(
    name: "rename", summary: "rename columns",
    parameters: [
      ParameterDescriptor(
        "columns", .columnMap, required: true, "old name → new name, e.g. {\"Amount USD\": \"amount_usd\"}")
    ], conditionRole: .none)

  /// Old → new, in the order written.
  public let mapping: [(old: String, new: String)]

  public init(mapping: [(old: String, new: String)]) {
    self.mapping = mapping
  }

  public init(from fields: inout StepFields) throws(RecipeError) {
    guard let pairs = try fields.stringMap("columns") else {
      throw fields.error("is required (an object of old name → new name)", field: "columns")
    }
    if pairs.isEmpty { throw fields.error("must rename at least one column", field: "columns") }
    var targets = Set<String>()
    for (old, new) in pairs {
      if new.isEmpty { throw fields.error("the new name for \"\(old)\" is empty", field: "columns") }
      if !targets.insert(new).inserted {
        throw fields.error("two columns would both be called \"\(new)\"", field: "columns")
      }
    }
    mapping = pairs.map { (old: $0.0, new: $0.1) }
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    [("columns", .object(mapping.map { ($0.old, .string($0.new)) }))]
  }

  public var summary: String {
    "rename " + mapping.map { "\(Quoting.name($0.old)) → \(Quoting.name($0.new))" }.joined(separator: ", ")
  }

  public func plan(_ input: Schema) throws -> Schema {
    let missing = mapping.map(\.old).filter { input.index(of: $0) == nil }
    if !missing.isEmpty { throw PlanError.missing(missing, in: input, field: "columns") }
    var names = input.names
    for (old, new) in mapping { names[input.index(of: old)!] = new }
    // A new name may not collide with a column that keeps its name.
    let renamed = Set(mapping.map(\.old))
    for (old, new) in mapping where old != new {
      if input.names.contains(where: { $0 == new && !renamed.contains($0) }) {
        throw RecipeError(
          "renaming \"\(old)\" to \"\(new)\" clashes with the existing column \"\(new)\"", field: "columns")
      }
    }
    return Schema(names, types: input.types)
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  { PassThrough() }

  /// Renaming changes only the schema.
  final class PassThrough: StepTransform {
    var batchesAreIndependent: Bool { true }
    func process(
      _ batch: inout Batch, scope: RowScope, prepared: AnyObject?, rejections: inout [RowRejection]
    ) throws -> Int { 0 }
  }
}

/// Shows names in summaries: bare when simple, quoted when they hold spaces or quotes.
public enum Quoting {
  public static func name(_ s: String) -> String {
    if !s.isEmpty && s.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }) {
      return s
    }
    var out = "\""
    for ch in s.unicodeScalars {
      switch ch {
      case "\"", "\\": out += "\\" + String(ch)
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default: out.unicodeScalars.append(ch)
      }
    }
    return out + "\""
  }
}

extension RenameOperation {
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    for (old, new) in mapping { sql.rename(old, to: new) }
  }
}

// MARK: DataBrew

extension RenameOperation {
  /// One RENAME per pair, in the order written. Decant renames every pair at
  /// once and DataBrew one column at a time, so a pair whose new name is another
  /// pair's old name (a swap, a chain) is refused.
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    let olds = Set(mapping.map(\.old))
    for (old, new) in mapping where old != new && olds.contains(new) {
      throw brew.refuse(
        "renames \(Quoting.name(old)) to \(Quoting.name(new)), a name this step also renames; DataBrew renames "
          + "one column at a time, so write the renames as separate steps in an order that works",
        field: "columns")
    }
    for (old, new) in mapping where old != new {
      try brew.add("RENAME", [("sourceColumn", old), ("targetColumn", new)])
    }
  }

  public static let dataBrewImport: DataBrewImport? = DataBrewImport(
    operations: ["RENAME"], conditionsAsWhere: false
  ) { action throws(DataBrewGap) in
    let old = try action.string("sourceColumn")
    let new = try action.string("targetColumn")
    return try action.decant(Self.self, [("columns", .object([(old, .string(new))]))])
  }
}
