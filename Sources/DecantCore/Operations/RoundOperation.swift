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
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    throw sql.refuse("round is not exported yet")
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
