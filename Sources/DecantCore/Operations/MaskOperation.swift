/// Replaces every character of cells but the first `keep_first` and the last
/// `keep_last` with one mask character (`****1234`). Characters are Unicode code
/// points, not bytes and not graphemes: `é` written as `e` + U+0301 is two. A value
/// of no more than `keep_first + keep_last` characters stays as it is; null cells
/// stay null; a cell that is not valid UTF-8 is a value error under `on_error`.
/// Streams in constant memory.
public struct MaskOperation: Operation {
  public static let descriptor = OperationDescriptor(
    name: "mask", summary: "hide all but the first and last characters of cells (****1234)",
    parameters: [
      ParameterDescriptor("columns", .columns, required: true, "the columns to mask"),
      ParameterDescriptor(
        "keep_first", .integer, default: "0", "characters (Unicode code points) left as they are at the start"
      ),
      ParameterDescriptor(
        "keep_last", .integer, default: "4", "characters (Unicode code points) left as they are at the end"),
      ParameterDescriptor(
        "with", .string, default: "\"*\"", "the one character (code point) that replaces each hidden one"),
      OnError.parameter,
    ])

  public let columns: [String]
  public let keepFirst: Int
  public let keepLast: Int
  /// Exactly one Unicode code point.
  public let with: String
  public let onError: OnError

  public init(
    columns: [String], keepFirst: Int = 0, keepLast: Int = 4, with: String = "*", onError: OnError = .reject
  ) {
    precondition(keepFirst >= 0 && keepLast >= 0 && with.unicodeScalars.count == 1)
    self.columns = columns
    self.keepFirst = keepFirst
    self.keepLast = keepLast
    self.with = with
    self.onError = onError
  }

  public init(from fields: inout StepFields) throws(RecipeError) {
    columns = try fields.columns("columns", required: true)!
    keepFirst = try Self.count("keep_first", default: 0, &fields)
    keepLast = try Self.count("keep_last", default: 4, &fields)
    let w = try fields.text("with") ?? "*"
    if w.isEmpty {
      throw fields.error("must be one character (the mask), not empty", field: "with")
    }
    let n = w.unicodeScalars.count
    if n != 1 {
      throw fields.error(
        "must be one character (one Unicode code point), not \(n): \(Quoting.name(w))", field: "with")
    }
    with = w
    onError = try fields.onError()
  }

  /// A number of characters: a whole number, 0 or more.
  private static func count(_ key: String, default value: Int, _ fields: inout StepFields) throws(RecipeError)
    -> Int
  {
    guard let n = try fields.integer(key, in: Int.min...Int.max) else { return value }
    if n < 0 { throw fields.error("must be 0 or more (a number of characters), not \(n)", field: key) }
    return n
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    [
      ("columns", .array(columns.map { .string($0) })), ("keep_first", .number(String(keepFirst))),
      ("keep_last", .number(String(keepLast))), ("with", .string(with)),
      ("on_error", .string(onError.rawValue)),
    ]
  }

  public var summary: String {
    var kept: [String] = []
    if keepFirst > 0 { kept.append("the first \(keepFirst)") }
    if keepLast > 0 { kept.append("the last \(keepLast)") }
    return "mask " + columns.map(Quoting.name).joined(separator: ", ")
      + (kept.isEmpty ? " entirely" : ", keeping " + kept.joined(separator: " and "))
      + (with == "*" ? "" : " (with \(Quoting.name(with)))")
  }

  /// The values it writes are text: its columns become `string`.
  public func plan(_ input: Schema) throws -> Schema {
    input.retyped(try input.indexes(of: columns, field: "columns"), as: .string)
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    CellRewriteTransform(
      columns: try input.indexes(of: columns, field: "columns"), names: columns,
      rule: Rule(keepFirst: keepFirst, keepLast: keepLast, with: Array(with.utf8)), readsText: true,
      onError: onError, context: context)
  }

  final class Rule: CellRule {
    let keepFirst: Int
    let keepLast: Int
    /// keep_first + keep_last, at most Int.max.
    let kept: Int
    /// The mask character's UTF-8 (one to four bytes).
    let with: [UInt8]

    init(keepFirst: Int, keepLast: Int, with: [UInt8]) {
      self.keepFirst = keepFirst
      self.keepLast = keepLast
      let (sum, overflow) = keepFirst.addingReportingOverflow(keepLast)
      kept = overflow ? Int.max : sum
      self.with = with
    }

    /// The kept characters are the cell's own; only the mask character is new.
    func keepsPlain(delimiter: UInt8) -> Bool { ByteSearch.isPlain(with, delimiter: delimiter) }

    /// The number of code points of valid UTF-8: the bytes that do not continue a sequence.
    @inline(__always) static func codePoints(_ value: UnsafeBufferPointer<UInt8>) -> Int {
      var n = 0
      for b in value where b & 0xC0 != 0x80 { n += 1 }
      return n
    }

    func rewrite(_ value: UnsafeBufferPointer<UInt8>, column k: Int, into out: ByteBuffer) -> CellOutcome {
      // A code point takes at least one byte: a short value needs no counting.
      if value.count <= kept { return .unchanged }
      let total = Self.codePoints(value)
      if total <= kept { return .unchanged }
      // The byte where the hidden part begins (after keep_first code points) and ends.
      var begin = 0
      var seen = 0
      while seen < keepFirst {
        begin += 1
        while value[begin] & 0xC0 == 0x80 { begin += 1 }
        seen += 1
      }
      var end = value.count
      seen = 0
      while seen < keepLast {
        end -= 1
        while value[end] & 0xC0 == 0x80 { end -= 1 }
        seen += 1
      }
      let hidden = total - kept
      let start = out.count
      out.write(UnsafeBufferPointer(rebasing: value[0..<begin]))
      let p = out.reserve(hidden * with.count)
      if with.count == 1 {
        p.initialize(repeating: with[0], count: hidden)
      } else {
        with.withUnsafeBufferPointer { w in
          for i in 0..<hidden { (p + i * w.count).initialize(from: w.baseAddress!, count: w.count) }
        }
      }
      out.advance(by: hidden * with.count)
      out.write(UnsafeBufferPointer(rebasing: value[end..<value.count]))
      // A value already masked keeps its cell.
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

extension MaskOperation {
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    let d = sql.dialect
    for name in columns {
      let c = sql.column(name)
      let n = d.length(c)
      let head = keepFirst > 0 ? "\(d.substring(c, from: "1", count: String(keepFirst))) || " : ""
      let tail = keepLast > 0 ? " || \(d.substring(c, from: "\(n) - \(keepLast - 1)"))" : ""
      let hidden = d.repeated(sql.text(with), "\(n) - \(keepFirst + keepLast)")
      sql.set(
        name,
        to:
          "CASE WHEN \(sql.isNull(c)) OR \(n) <= \(keepFirst + keepLast) THEN \(c) ELSE \(head)\(hidden)\(tail) END"
      )
    }
  }
}

// MARK: DataBrew

extension MaskOperation {
  /// MASK_RANGE from position `keep_first` to `keep_last` characters before the
  /// end (`stop` counts back from the end when negative).
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    try brew.addScoped(
      "MASK_RANGE",
      [
        ("maskSymbol", with), ("sourceColumns", DataBrewStep.list(columns)),
        ("start", keepFirst > 0 ? String(keepFirst) : nil), ("stop", keepLast > 0 ? String(-keepLast) : nil),
      ])
  }

  /// MASK_RANGE whose `start` counts from the start and `stop` from the end (or
  /// are absent), with no `alphabet` kept unmasked.
  public static let dataBrewImport: DataBrewImport? = DataBrewImport(
    operations: ["MASK_RANGE"], conditionsAsWhere: true
  ) { action throws(DataBrewGap) in
    let columns = try action.columns("sourceColumns")
    let symbol = try action.string("maskSymbol")
    let start = try action.integer("start") ?? 0
    let stop = try action.integer("stop")
    if start < 0 {
      throw action.gap("start \(start) counts from the end; Decant keeps a count from the start")
    }
    if let stop, stop >= 0 {
      throw action.gap("stop \(stop) counts from the start; Decant keeps a count from the end")
    }
    return try action.decant(
      Self.self,
      [
        ("columns", .array(columns.map { .string($0) })), ("keep_first", .number(String(start))),
        ("keep_last", .number(String(-(stop ?? 0)))), ("with", .string(symbol)),
      ])
  }
}
