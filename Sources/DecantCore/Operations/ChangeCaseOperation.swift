/// Rewrites text in upper, lower or title case with Unicode's full case mappings
/// and no locale rules (`ß` → `SS`). Streams in constant memory.
public struct ChangeCaseOperation: Operation {
  public enum Case: String, Sendable, CaseIterable { case upper, lower, title }

  public static let descriptor = OperationDescriptor(
    name: "change_case", summary: "rewrite text in upper, lower or title case",
    parameters: [
      ParameterDescriptor("columns", .columns, required: true, "the columns to change"),
      ParameterDescriptor(
        "case", .choice(Case.allCases.map(\.rawValue)), required: true,
        "upper, lower, or title (each word's first letter upper, the rest lower)"),
      OnError.parameter,
    ])

  public let columns: [String]
  public let textCase: Case
  public let onError: OnError

  public init(columns: [String], textCase: Case, onError: OnError = .reject) {
    self.columns = columns
    self.textCase = textCase
    self.onError = onError
  }

  public init(from fields: inout StepFields) throws(RecipeError) {
    columns = try fields.columns("columns", required: true)!
    guard fields.has("case") else { throw fields.error("is required: upper, lower or title", field: "case") }
    textCase = try fields.choice("case", default: Case.upper)
    onError = try fields.onError()
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    [
      ("columns", .array(columns.map { .string($0) })), ("case", .string(textCase.rawValue)),
      ("on_error", .string(onError.rawValue)),
    ]
  }

  public var summary: String {
    "change_case " + columns.map(Quoting.name).joined(separator: ", ") + " to \(textCase.rawValue)"
  }

  /// The values it writes are text: its columns become `string`.
  public func plan(_ input: Schema) throws -> Schema {
    input.retyped(try input.indexes(of: columns, field: "columns"), as: .string)
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    CellRewriteTransform(
      columns: try input.indexes(of: columns, field: "columns"), names: columns, rule: Rule(textCase),
      readsText: true, onError: onError, context: context)
  }

  final class Rule: CellRule {
    /// True for ASCII text with no letter of the other case (nothing to write).
    /// Reads eight bytes at a time: most text is already in the case asked for.
    @inline(__always) static func isASCIIAlreadyIn(_ textCase: Case, _ value: UnsafeBufferPointer<UInt8>)
      -> Bool
    {
      let other: UInt8 = textCase == .lower ? 65 : 97  // the first letter that would change
      guard let base = value.baseAddress else { return true }
      let n = value.count
      var i = 0
      while i + 8 <= n {
        let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
        if ASCIIWords.hasNonASCIIOrByte(in: other, count: 26, w) { return false }
        i += 8
      }
      while i < n {
        let b = base[i]
        if b >= 0x80 || b &- other < 26 { return false }
        i += 1
      }
      return true
    }

    let textCase: Case
    init(_ textCase: Case) { self.textCase = textCase }

    /// Case mappings give letters for letters: only a letter used as the delimiter could appear.
    func keepsPlain(delimiter: UInt8) -> Bool {
      !((delimiter >= 65 && delimiter <= 90) || (delimiter >= 97 && delimiter <= 122))
    }

    func rewrite(_ value: UnsafeBufferPointer<UInt8>, column k: Int, into out: ByteBuffer) -> CellOutcome {
      if textCase != .title && Self.isASCIIAlreadyIn(textCase, value) { return .unchanged }
      let start = out.count
      switch textCase {
      case .upper: CaseMapping.upper(value, into: out)
      case .lower: CaseMapping.lower(value, into: out)
      case .title: CaseMapping.title(value, into: out)
      }
      // A value already in that case keeps its cell (and the output stays small).
      if out.count - start == value.count
        && ByteSearch.equal(UnsafeBufferPointer(start: out.storage + start, count: value.count), value)
      {
        out.truncate(to: start)
        return .unchanged
      }
      return .written
    }
  }
}

extension ChangeCaseOperation {
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    throw sql.refuse("change_case is not exported yet")
  }
}

// MARK: DataBrew

extension ChangeCaseOperation {
  /// UPPER_CASE or LOWER_CASE per column. Title case is refused: DataBrew's
  /// CAPITAL_CASE does not say what a word is, and Decant's words are runs of
  /// letters, digits and `'`.
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    let action: String
    switch textCase {
    case .upper: action = "UPPER_CASE"
    case .lower: action = "LOWER_CASE"
    case .title:
      throw brew.refuse(
        "DataBrew's CAPITAL_CASE does not define a word as Decant's title case does (runs of letters, digits "
          + "and '), so names like O'Neil-Smith could differ", field: "case")
    }
    for column in columns { try brew.addScoped(action, [("sourceColumn", column)]) }
  }

  public static let dataBrewImport: DataBrewImport? = DataBrewImport(
    operations: ["UPPER_CASE", "LOWER_CASE"], conditionsAsWhere: true
  ) { action throws(DataBrewGap) in
    let column = try action.string("sourceColumn")
    let textCase = action.operation == "UPPER_CASE" ? "upper" : "lower"
    return try action.decant(
      Self.self, [("columns", .array([.string(column)])), ("case", .string(textCase))])
  }
}
