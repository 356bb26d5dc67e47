/// Rounds numbers exactly, on their decimal text (`2.675` → `2.68`), to a
/// number of fraction digits (negative: tens, hundreds…). The result has
/// exactly `max(digits, 0)` fraction digits and is never `-0`; the column
/// becomes `decimal` (`integer` at `digits` 0 or less). A value that is not a
/// number fails under `on_error`. Streams in constant memory.
public struct RoundOperation: Operation {
  public typealias Mode = RoundingMode

  public static let descriptor = OperationDescriptor(
    name: "round", summary: "round numbers exactly to some fraction digits",
    parameters: [
      ParameterDescriptor("columns", .columns, required: true, "the columns to round"),
      ParameterDescriptor(
        "digits", .integer, default: "0",
        "fraction digits to keep; negative rounds to tens (-1), hundreds (-2)…"),
      ParameterDescriptor(
        "mode", .choice(Mode.allCases.map(\.rawValue)), default: "half_up",
        "half_up (halves away from zero), half_even (halves to the even digit), down (toward zero), floor, ceiling"
      ),
      OnError.parameter,
    ])

  /// Digits beyond this are surely a mistake (a value with more is refused as too long anyway).
  static let digitRange = -ExactDecimal.maxExpandedDigits...ExactDecimal.maxExpandedDigits

  public let columns: [String]
  public let digits: Int
  public let mode: Mode
  public let onError: OnError

  public init(from fields: inout StepFields) throws(RecipeError) {
    columns = try fields.columns("columns", required: true)!
    digits = try fields.integer("digits", in: Self.digitRange) ?? 0
    mode = try fields.choice("mode", default: Mode.halfUp)
    onError = try fields.onError()
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    [
      ("columns", .array(columns.map { .string($0) })), ("digits", .number(String(digits))),
      ("mode", .string(mode.rawValue)), ("on_error", .string(onError.rawValue)),
    ]
  }

  public var summary: String {
    "round " + columns.map(Quoting.name).joined(separator: ", ")
      + " to \(digits) digit\(abs(digits) == 1 ? "" : "s")" + (mode == .halfUp ? "" : " (\(mode.rawValue))")
  }

  public func plan(_ input: Schema) throws -> Schema {
    input.retyped(try input.indexes(of: columns, field: "columns"), as: digits > 0 ? .decimal : .integer)
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    CellRewriteTransform(
      columns: try input.indexes(of: columns, field: "columns"), names: columns,
      rule: Rule(digits: digits, mode: mode), readsText: false, onError: onError, context: context)
  }

  final class Rule: CellRule {
    let digits: Int
    let mode: Mode
    let number = ExactDecimal()

    init(digits: Int, mode: Mode) {
      self.digits = digits
      self.mode = mode
    }

    var jsonLiterals: Bool? { true }
    func keepsPlain(delimiter: UInt8) -> Bool {
      !(delimiter == 45 || delimiter == 46 || (48...57).contains(delimiter))
    }

    func rewrite(_ value: UnsafeBufferPointer<UInt8>, column k: Int, into out: ByteBuffer) -> CellOutcome {
      if let failure = number.read(value) { return .failed(failure.reason(value)) }
      number.round(to: digits, mode)
      let start = out.count
      number.write(into: out)
      if ByteSearch.equal(UnsafeBufferPointer(start: out.storage + start, count: out.count - start), value) {
        out.truncate(to: start)
        return .unchanged
      }
      return .written
    }
  }
}

extension RoundOperation {
  /// Exact rounding on the decimal text, as `ExactDecimal` does it: the value's
  /// digits without leading zeros and its scale (exponent expanded), the digits
  /// past the rounding place dropped, one added to the kept ones when the mode
  /// says so, written with exactly `max(digits, 0)` fraction digits.
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    let d = sql.dialect
    let places = digits
    let target = max(places, 0)
    func zeros(_ n: String) -> String { d.repeated("'0'", n) }
    for name in columns {
      let c = sql.column(name)
      let number = DecimalSQL.read(c, sql: &sql)
      let (ok, tooLong, negative, value, scale) = (
        number.ok, number.tooLong, number.negative, number.digits, number.scale
      )
      let count = d.length(value)
      // Rounded digits (no leading zeros) at scale `target`.
      let kept = "(\(count) - (\(scale) - (\(places))))"
      let first =
        "CASE WHEN \(kept) >= 0 AND \(kept) < \(count) THEN \(d.substring(value, from: "\(kept) + 1", count: "1")) ELSE '0' END"
      let restNonZero =
        "CASE WHEN \(kept) >= 0 THEN \(d.regexFind(d.substring(value, from: "\(kept) + 2"), "[1-9]")) ELSE \(count) > 0 END"
      let anyDropped = "(\(first) <> '0' OR \(restNonZero))"
      let lastKeptOdd =
        "(\(kept) > 0 AND \(d.substring(value, from: "\(kept)", count: "1")) IN ('1', '3', '5', '7', '9'))"
      let isNegative = "(\(negative) = 1 AND \(count) > 0)"
      let up: String
      switch mode {
      case .down: up = "FALSE"
      case .floor: up = "(\(isNegative) AND \(anyDropped))"
      case .ceiling: up = "(NOT \(isNegative) AND \(anyDropped))"
      case .halfUp: up = "(\(first) >= '5')"
      case .halfEven: up = "(\(first) > '5' OR (\(first) = '5' AND (\(restNonZero) OR \(lastKeptOdd))))"
      }
      let keptDigits = sql.let(
        "CASE WHEN \(scale) <= \(places) THEN CASE WHEN \(count) > 0 THEN \(value) || \(zeros("\(target) - \(scale)")) "
          + "ELSE \(value) END WHEN \(kept) > 0 THEN \(d.substring(value, from: "1", count: kept)) ELSE '' END"
      )
      let roundsUp = sql.let("CASE WHEN \(scale) > \(places) AND \(up) THEN 1 ELSE 0 END")
      // One more in the last kept place: `…d99` → `…(d+1)00`, all nines → `100…`.
      let incrementParts = #"^(.*?)([0-8]?)(9*)\z"#
      func inc(_ g: Int) -> String { d.regexExtract(keptDigits, incrementParts, group: g) }
      let incremented =
        "CASE WHEN \(inc(2)) = '' THEN '1' || \(zeros(d.length(inc(3)))) ELSE \(inc(1)) || "
        + "translate(\(inc(2)), '012345678', '123456789') || \(zeros(d.length(inc(3)))) END"
      let rounded0 = sql.let("CASE WHEN \(roundsUp) = 1 THEN \(incremented) ELSE \(keptDigits) END")
      let tens =
        places < 0
        ? "CASE WHEN \(d.length(rounded0)) > 0 THEN \(rounded0) || \(zeros(String(-places))) ELSE \(rounded0) END"
        : rounded0
      let rounded = sql.let(d.regexReplaceAll(tens, "^0+", ""))
      // Written with exactly `target` fraction digits, never `-0`.
      let n = d.length(rounded)
      let intLength = "(\(n) - \(target))"
      var text =
        "CASE WHEN \(negative) = 1 AND \(n) > 0 THEN '-' ELSE '' END || "
        + "CASE WHEN \(intLength) > 0 THEN \(d.substring(rounded, from: "1", count: intLength)) ELSE '0' END"
      if target > 0 {
        text +=
          " || '.' || CASE WHEN \(intLength) < 0 THEN \(zeros("-\(intLength)")) ELSE '' END || "
          + "CASE WHEN \(intLength) > 0 THEN \(d.substring(rounded, from: "\(intLength) + 1")) ELSE \(rounded) END"
      }
      let quoted = sql.quoted(c)
      sql.rewrite(
        name, value: text,
        failures: [("(\(ok) = 0 OR \(tooLong) = 1)", DecimalSQL.failure(number, quoted: quoted))],
        onError: onError)
    }
  }
}

// MARK: DataBrew

extension RoundOperation {
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    throw brew.refuse(
      "DataBrew's ROUND works on floating-point numbers; Decant rounds the decimal text exactly "
        + "(2.675 gives 2.68) and writes a fixed number of digits")
  }

  public static let dataBrewImport: DataBrewImport? = nil
}
