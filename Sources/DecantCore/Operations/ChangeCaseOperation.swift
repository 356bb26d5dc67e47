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
  /// Spark's `upper` and `lower` are Java's full mappings (`ß` → `SS`, a final
  /// `Σ` → `ς`), as Decant's. DuckDB's map one character to one: the characters
  /// whose upper case is longer are replaced first, and a capital sigma (whose
  /// lower case depends on the word around it) stops the job rather than lose
  /// the rule. Title case splits words as no engine function does: refused.
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    let d = sql.dialect
    if textCase == .title {
      throw sql.refuse(
        "title case starts each word (letters, digits and apostrophes) with its title-case letter; "
          + "\(d.engineName)'s functions split words otherwise", field: "case")
    }
    let newer = textCase == .upper ? CaseSQL.newerUpperCase : CaseSQL.newerLowerCase
    for name in columns {
      let c = sql.column(name)
      /// The case mapping of the text `x`.
      func mapped(_ x: String) -> String {
        switch (d.engine, textCase) {
        case (.spark, .upper): return "upper(\(x))"
        case (.spark, _): return "lower(\(x))"
        case (.duckdb, .upper):
          let special = Self.longUpperCase
          let members = special.map { RegexTranslation.escapedLiteral($0.0) }.joined()
          var replaced = x
          for (scalar, upper) in special {
            replaced = "replace(\(replaced), \(sql.text(String(Character(scalar)))), \(sql.text(upper)))"
          }
          return "upper(CASE WHEN \(d.regexFind(x, "[\(members)]")) THEN \(replaced) ELSE \(x) END)"
        case (.duckdb, _):
          let message = sql.text(
            "step \(sql.number) (change_case): the column \(name) holds a capital sigma, whose lower case "
              + "depends on the word around it, which DuckDB's lower() does not know; export to Spark instead"
          )
          return
            "CASE WHEN contains(\(x), 'Σ') THEN \(d.fail(message)) "
            + "ELSE \(CaseSQL.lowerByCharacter(x, dialect: d)) END"
        }
      }
      let expr = CaseSQL.keeping(newer, in: c, sql: sql, what: "the column \(name)", mapped)
      sql.set(name, to: "CASE WHEN \(sql.isNull(c)) THEN \(c) ELSE \(expr) END")
    }
  }

  /// The characters whose full upper case is more than one character (`ß` →
  /// `SS`), with it: the ones DuckDB's one-to-one `upper` maps otherwise.
  static let longUpperCase: [(Unicode.Scalar, String)] = (UInt32(0x80)..<0x20000).compactMap { v in
    guard let scalar = Unicode.Scalar(v), scalar.properties.uppercaseMapping.unicodeScalars.count > 1 else {
      return nil
    }
    return (scalar, CaseSQL.mapped(scalar, { CaseMapping.upper($0, into: $1) }))
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
