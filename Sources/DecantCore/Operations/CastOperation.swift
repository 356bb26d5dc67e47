/// Checks each value against a type, rewrites it in that type's canonical form
/// and types the column (JSON Lines writes integers, decimals and booleans
/// unquoted; typed outputs read the type from the plan). A value that is not of
/// the type fails under `on_error`. Numbers never pass through floating point.
/// Streams in constant memory.
public struct CastOperation: Operation {
  public static let descriptor = OperationDescriptor(
    name: "cast", summary: "check values against a type, write them canonically and type the column",
    parameters: [
      ParameterDescriptor("columns", .columns, required: true, "the columns to cast"),
      ParameterDescriptor(
        "to", .choice(ColumnType.allCases.map(\.rawValue)), required: true,
        "integer (-12: 64-bit, no fraction), decimal (1234.50: the digits as written, exponents expanded), boolean (true/false), date (YYYY-MM-DD), timestamp (YYYY-MM-DDTHH:MM:SS[.fraction] and the value's offset, Z for zero), string"
      ),
      ParameterDescriptor(
        "thousands_separator", .string, default: "none",
        "numbers: a separator between digit groups of the integer part (\",\", \".\", \" \", \"'\"), removed"),
      ParameterDescriptor(
        "decimal_separator", .string, default: ".", "numbers: the character before the fraction digits"),
      ParameterDescriptor(
        "true_values", .strings, default: "[true, yes, y, t, 1]",
        "boolean: the values read as true, ignoring case (a given list replaces the default)"),
      ParameterDescriptor(
        "false_values", .strings, default: "[false, no, n, f, 0]",
        "boolean: the values read as false, ignoring case (a given list replaces the default)"),
      ParameterDescriptor(
        "input_formats", .timestampFormats, default: "ISO 8601",
        "date, timestamp: strftime patterns tried in order; ISO 8601 by default (a date alone for date)"),
      OnError.parameter,
    ])

  public static let defaultTrueValues = ["true", "yes", "y", "t", "1"]
  public static let defaultFalseValues = ["false", "no", "n", "f", "0"]

  public let columns: [String]
  public let to: ColumnType
  public let thousandsSeparator: String?
  public let decimalSeparator: String
  public let trueValues: [String]
  public let falseValues: [String]
  public let inputFormats: [TimestampFormat]
  public let onError: OnError

  public init(from fields: inout StepFields) throws(RecipeError) {
    columns = try fields.columns("columns", required: true)!
    guard fields.has("to") else {
      throw fields.error(
        "is required: \(ColumnType.allCases.map(\.rawValue).joined(separator: ", "))", field: "to")
    }
    to = try fields.choice("to", default: ColumnType.string)
    thousandsSeparator = try fields.string("thousands_separator")
    decimalSeparator = try fields.string("decimal_separator") ?? "."
    for (name, separator) in [
      ("thousands_separator", thousandsSeparator), ("decimal_separator", decimalSeparator),
    ] {
      guard let separator else { continue }
      if separator.count != 1 {
        throw fields.error("must be one character, not \"\(separator)\"", field: name)
      }
      if separator.first!.isNumber || "+-eE".contains(separator) {
        throw fields.error("cannot be \"\(separator)\": it is part of how numbers are written", field: name)
      }
    }
    if thousandsSeparator == decimalSeparator {
      throw fields.error(
        "is the same as decimal_separator (\"\(decimalSeparator)\"); a number could not be read",
        field: "thousands_separator")
    }
    trueValues = try fields.strings("true_values") ?? Self.defaultTrueValues
    falseValues = try fields.strings("false_values") ?? Self.defaultFalseValues
    for (name, list) in [("true_values", trueValues), ("false_values", falseValues)] where list.isEmpty {
      throw fields.error("must list at least one value", field: name)
    }
    let folded = Set(trueValues.map(CaseMapping.folded))
    if let both = falseValues.first(where: { folded.contains(CaseMapping.folded($0)) }) {
      throw fields.error("\"\(both)\" is also in true_values; a value cannot be both", field: "false_values")
    }
    inputFormats = try fields.inputFormats()
    onError = try fields.onError()
    // Settings of another type than `to` are mistakes, not harmless extras.
    let numeric = to == .integer || to == .decimal
    let misplaced: [(String, Bool)] = [
      ("thousands_separator", !numeric), ("decimal_separator", !numeric), ("true_values", to != .boolean),
      ("false_values", to != .boolean), ("input_formats", to != .date && to != .timestamp),
    ]
    for (name, wrong) in misplaced where wrong && fields.has(name) {
      throw fields.error(
        "applies only to a cast to \(Self.owner(of: name)), not to \(to.rawValue)", field: name)
    }
  }

  private static func owner(of field: String) -> String {
    switch field {
    case "true_values", "false_values": return "boolean"
    case "input_formats": return "date or timestamp"
    default: return "integer or decimal"
    }
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    var out: [(String, JSONValue)] = [
      ("columns", .array(columns.map { .string($0) })), ("to", .string(to.rawValue)),
    ]
    switch to {
    case .integer, .decimal:
      if let thousandsSeparator { out.append(("thousands_separator", .string(thousandsSeparator))) }
      if decimalSeparator != "." { out.append(("decimal_separator", .string(decimalSeparator))) }
    case .boolean:
      if trueValues != Self.defaultTrueValues {
        out.append(("true_values", .array(trueValues.map { .string($0) })))
      }
      if falseValues != Self.defaultFalseValues {
        out.append(("false_values", .array(falseValues.map { .string($0) })))
      }
    case .date, .timestamp:
      if !inputFormats.isEmpty {
        out.append(("input_formats", .array(inputFormats.map { .string($0.pattern) })))
      }
    case .string: break
    }
    out.append(("on_error", .string(onError.rawValue)))
    return out
  }

  public var summary: String {
    "cast " + columns.map(Quoting.name).joined(separator: ", ") + " to \(to.rawValue)"
  }

  public func plan(_ input: Schema) throws -> Schema {
    input.retyped(try input.indexes(of: columns, field: "columns"), as: to)
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    let indexes = try input.indexes(of: columns, field: "columns")
    func rewrite<R: CellRule>(_ rule: R, readsText: Bool) -> StepTransform {
      CellRewriteTransform(
        columns: indexes, names: columns, rule: rule, readsText: readsText, onError: onError, context: context
      )
    }
    switch to {
    case .integer, .decimal:
      return rewrite(
        NumberRule(
          integer: to == .integer, thousands: thousandsSeparator.map { Array($0.utf8) } ?? [],
          decimal: Array(decimalSeparator.utf8)), readsText: false)
    case .boolean:
      return rewrite(BooleanRule(trueValues: trueValues, falseValues: falseValues), readsText: true)
    case .date, .timestamp:
      return rewrite(TimeRule(date: to == .date, formats: inputFormats), readsText: false)
    case .string:
      return rewrite(TextRule(), readsText: true)
    }
  }

  /// Bytes of ASCII white space around a value (cast reads ` 12 ` as 12).
  @inline(__always) static func trimmed(_ value: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    var start = 0
    var end = value.count
    while start < end && (value[start] == 32 || value[start] == 9) { start += 1 }
    while end > start && (value[end - 1] == 32 || value[end - 1] == 9) { end -= 1 }
    return UnsafeBufferPointer(rebasing: value[start..<end])
  }

  /// Integers and decimals: separators taken out, then read and written exactly.
  final class NumberRule: CellRule {
    let integer: Bool
    let thousands: [UInt8]
    let decimal: [UInt8]
    let number = ExactDecimal()
    /// The value with its separators normalized, when it has any.
    private var scratch: [UInt8] = []

    init(integer: Bool, thousands: [UInt8], decimal: [UInt8]) {
      self.integer = integer
      self.thousands = thousands
      self.decimal = decimal
    }

    var jsonLiterals: Bool? { true }
    func keepsPlain(delimiter: UInt8) -> Bool {
      !(delimiter == 45 || delimiter == 46 || (48...57).contains(delimiter))
    }

    func rewrite(_ value: UnsafeBufferPointer<UInt8>, column k: Int, into out: ByteBuffer) -> CellOutcome {
      let text = CastOperation.trimmed(value)
      let failure: ExactDecimal.Failure?
      if thousands.isEmpty && decimal == [46] {
        failure = number.read(text)
      } else {
        guard normalize(text) else { return .failed("\(ValueText.quoted(value)) is not a number") }
        failure = scratch.withUnsafeBufferPointer { number.read($0) }
      }
      if let failure { return .failed(failure.reason(value)) }
      if integer {
        guard number.makeWhole() else {
          return .failed(
            "\(ValueText.quoted(value)) is not a whole number (round it first, or cast to decimal)")
        }
        guard number.fitsInt64 else {
          return .failed(
            "\(ValueText.quoted(value)) does not fit in a 64-bit integer (cast to decimal instead)")
        }
      }
      let start = out.count
      number.write(into: out)
      if out.count - start == value.count
        && ByteSearch.equal(UnsafeBufferPointer(start: out.storage + start, count: value.count), value)
      {
        out.truncate(to: start)
        return .unchanged
      }
      return .written
    }

    /// Copies `text` to `scratch` with thousands separators (between digits of the
    /// integer part) removed and the decimal separator made a point. False when a
    /// separator stands where it cannot (`1,,000`, `,5`, a point that is not the
    /// decimal separator).
    private func normalize(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
      scratch.removeAll(keepingCapacity: true)
      var i = 0
      let n = text.count
      var inFraction = false
      func matches(_ sep: [UInt8], at i: Int) -> Bool {
        !sep.isEmpty && i + sep.count <= n && (0..<sep.count).allSatisfy { text[i + $0] == sep[$0] }
      }
      while i < n {
        let b = text[i]
        if !inFraction && matches(thousands, at: i) {
          // Between two digits of the integer part only.
          let before = scratch.last.map { $0 &- 48 < 10 } ?? false
          let after = i + thousands.count < n && text[i + thousands.count] &- 48 < 10
          guard before && after else { return false }
          i += thousands.count
          continue
        }
        if matches(decimal, at: i) {
          if inFraction { return false }
          inFraction = true
          scratch.append(46)
          i += decimal.count
          continue
        }
        if b == 46 { return false }  // a point that is not the decimal separator
        if b == 101 || b == 69 { inFraction = true }
        scratch.append(b)
        i += 1
      }
      return true
    }
  }

  /// Booleans: the listed values, compared after full case folding.
  final class BooleanRule: CellRule {
    let lookup: ByteLookup
    /// Per key of `lookup`: true or false.
    let meanings: [Bool]
    let folded = ByteBuffer(capacity: 64)

    init(trueValues: [String], falseValues: [String]) {
      lookup = ByteLookup((trueValues + falseValues).map(CaseMapping.folded))
      meanings = trueValues.map { _ in true } + falseValues.map { _ in false }
    }

    var jsonLiterals: Bool? { true }
    func keepsPlain(delimiter: UInt8) -> Bool { !Array("truefals".utf8).contains(delimiter) }

    func rewrite(_ value: UnsafeBufferPointer<UInt8>, column k: Int, into out: ByteBuffer) -> CellOutcome {
      let text = CastOperation.trimmed(value)
      folded.removeAll()
      CaseMapping.fold(text, into: folded)
      guard let key = lookup.index(of: UnsafeBufferPointer(start: folded.storage, count: folded.count)) else {
        return .failed("\(ValueText.quoted(value)) is not one of the true or false values")
      }
      let canonical: StaticString = meanings[key] ? "true" : "false"
      let bytes = UnsafeBufferPointer(start: canonical.utf8Start, count: canonical.utf8CodeUnitCount)
      if ByteSearch.equal(bytes, value) { return .unchanged }
      out.write(bytes)
      return .written
    }
  }

  /// Dates and timestamps: read by the steps' one timestamp reader (the input
  /// formats, ISO 8601 by default), written in ISO 8601.
  final class TimeRule: CellRule {
    let date: Bool
    let formats: [TimestampFormat]
    let reader: TimestampReader
    private var scratch: [UInt8] = []

    init(date: Bool, formats: [TimestampFormat]) {
      self.date = date
      self.formats = formats
      reader = TimestampReader(formats: formats)
    }

    var jsonLiterals: Bool? { false }
    func keepsPlain(delimiter: UInt8) -> Bool { !Array("0123456789-:.TZ+".utf8).contains(delimiter) }

    func rewrite(_ value: UnsafeBufferPointer<UInt8>, column k: Int, into out: ByteBuffer) -> CellOutcome {
      var parsed = reader.read(value)
      // By default a date is a date alone: a time of day would be dropped unseen.
      if formats.isEmpty && date && parsed != nil && value.contains(where: { $0 == 58 }) { parsed = nil }
      guard let t = parsed else {
        let expected =
          formats.isEmpty
          ? (date ? "an ISO 8601 date (YYYY-MM-DD)" : "an ISO 8601 timestamp")
          : "a value in one of the input formats (\(formats.map(\.pattern).joined(separator: ", ")))"
        return .failed("\(ValueText.quoted(value)) is not \(expected)")
      }
      scratch.removeAll(keepingCapacity: true)
      CastOperation.writeISO(t, dateOnly: date, into: &scratch)
      if scratch.elementsEqual(value) { return .unchanged }
      out.write(scratch)
      return .written
    }
  }

  /// Text: the bytes stay; the column is typed `string` and its cells are text.
  final class TextRule: CellRule {
    var jsonLiterals: Bool? { false }
    func keepsPlain(delimiter: UInt8) -> Bool { true }
    func rewrite(_ value: UnsafeBufferPointer<UInt8>, column k: Int, into out: ByteBuffer) -> CellOutcome {
      .unchanged
    }
  }

  /// `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS[.fraction]` and the offset the value
  /// carried (`Z` for zero, else `±HH:MM`, with `:SS` when it has seconds).
  static func writeISO(_ t: CivilDateTime, dateOnly: Bool, into out: inout [UInt8]) {
    func digits(_ v: Int, _ width: Int) {
      let s = String(v)
      for _ in s.count..<max(width, s.count) { out.append(48) }
      out.append(contentsOf: s.utf8)
    }
    if t.year < 0 { out.append(45) }
    digits(abs(t.year), 4)
    out.append(45)
    digits(t.month, 2)
    out.append(45)
    digits(t.day, 2)
    if dateOnly { return }
    out.append(UInt8(ascii: "T"))
    digits(t.hour, 2)
    out.append(58)
    digits(t.minute, 2)
    out.append(58)
    digits(t.second, 2)
    if !t.fraction.isEmpty {
      out.append(46)
      t.appendFraction(to: &out)
    }
    guard let offset = t.offset else { return }
    if offset == 0 {
      out.append(UInt8(ascii: "Z"))
      return
    }
    out.append(offset < 0 ? 45 : 43)
    let a = abs(offset)
    digits(a / 3600, 2)
    out.append(58)
    digits(a / 60 % 60, 2)
    if a % 60 != 0 {
      out.append(58)
      digits(a % 60, 2)
    }
  }
}

extension CastOperation {
  /// `string` keeps the cells; `boolean` folds the value (spaces and tabs
  /// around it dropped) and looks it up in the true and false values; dates
  /// and timestamps are read by `TimestampSQL`; integers and decimals by
  /// `DecimalSQL`, exactly, after the separators are taken out.
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    let d = sql.dialect
    switch to {
    case .string:
      return
    case .boolean:
      func folded(_ values: [String]) -> String {
        values.map { d.text(String(decoding: CaseMapping.folded($0), as: UTF8.self)) }.joined(separator: ", ")
      }
      for name in columns {
        let c = sql.column(name)
        let trimmed = d.regexReplaceAll(c, "^[ \\t]+|[ \\t]+\\z", "")
        let key = sql.let(CaseSQL.fold(trimmed, sql: sql, what: "the column \(name)"))
        let isTrue = "\(key) IN (\(folded(trueValues)))"
        let isFalse = "\(key) IN (\(folded(falseValues)))"
        let failed = "NOT (\(isTrue) OR \(isFalse))"
        let reason = "\(sql.quoted(c)) || ' is not one of the true or false values'"
        sql.rewrite(
          name, value: "CASE WHEN \(isTrue) THEN 'true' ELSE 'false' END", failures: [(failed, reason)],
          onError: onError)
      }
    case .date, .timestamp:
      let date = to == .date
      let expected =
        inputFormats.isEmpty
        ? (date ? "an ISO 8601 date (YYYY-MM-DD)" : "an ISO 8601 timestamp")
        : "a value in one of the input formats (\(inputFormats.map(\.pattern).joined(separator: ", ")))"
      for name in columns {
        let c = sql.column(name)
        let t = try TimestampSQL.read(c, formats: inputFormats, sql: &sql)
        var unread = "\(t.ok) = 0"
        // By default a date is a date alone: a time of day would be dropped unseen.
        if inputFormats.isEmpty && date { unread += " OR \(d.contains(c, "':'"))" }
        sql.rewrite(
          name, value: TimestampSQL.castISO(t, dateOnly: date, d),
          failures: [(unread, "\(sql.quoted(c)) || \(d.text(" is not " + expected))")], onError: onError)
      }
    case .integer, .decimal:
      for name in columns {
        let c = sql.column(name)
        var text = sql.let(d.regexReplaceAll(c, "^[ \\t]+|[ \\t]+\\z", ""))
        // Separators as `NumberRule.normalize` takes them: thousands only between
        // digits of the integer part (before the decimal separator or an
        // exponent), then the decimal separator as a point; any other point, or a
        // second decimal separator, makes the value not a number.
        var separated = "FALSE"
        if thousandsSeparator != nil || decimalSeparator != "." {
          let t = thousandsSeparator.map(RegexTranslation.literal)
          let dec = RegexTranslation.literal(decimalSeparator)
          let parts = sql.lets([
            d.regexExtract(text, "^([\\s\\S]*?)(?:\(dec)|[eE]|\\z)", group: 1),
            d.regexExtract(text, "^[\\s\\S]*?(\(dec)|[eE]|\\z)", group: 1),
          ])
          let (integer, mark) = (parts[0], parts[1])
          let rest = sql.let(d.substring(text, from: "\(d.length(integer)) + \(d.length(mark)) + 1"))
          let integerDigits = t.map { d.regexReplaceAll(integer, $0, "") } ?? integer
          var bad = [
            d.contains(integerDigits, "'.'"), d.contains(rest, "'.'"),
            d.contains(rest, d.text(decimalSeparator)),
          ]
          if let t { bad.append(d.regexFind(integer, "(?:^|[^0-9])\(t)|\(t)(?:[^0-9]|\\z)")) }
          separated = sql.let("CASE WHEN " + bad.joined(separator: " OR ") + " THEN TRUE ELSE FALSE END")
          let fraction = decimalSeparator == "." ? nil : d.text(decimalSeparator)
          text = sql.let(
            "\(integerDigits) || CASE WHEN \(mark) = \(fraction ?? "'.'") THEN '.' ELSE \(mark) END || \(rest)"
          )
        }
        let n = DecimalSQL.read(text, sql: &sql)
        let quoted = sql.quoted(c)
        var failures = [
          (
            when: "(\(separated) OR \(n.ok) = 0 OR \(n.tooLong) = 1)",
            reason:
              "CASE WHEN \(separated) THEN \(quoted) || ' is not a number' ELSE \(DecimalSQL.failure(n, quoted: quoted)) END"
          )
        ]
        var value = DecimalSQL.text(negative: n.negative, digits: n.digits, scale: n.scale, d)
        if to == .integer {
          // Whole (fraction digits all zero), then within a signed 64-bit integer.
          let count = d.length(n.digits)
          let kept = sql.let(
            "CASE WHEN \(count) > \(n.scale) THEN \(d.substring(n.digits, from: "1", count: "\(count) - \(n.scale)")) ELSE '' END"
          )
          let whole =
            "NOT \(d.regexFind(d.substring(n.digits, from: "greatest(0, \(count) - \(n.scale)) + 1"), "[1-9]"))"
          let limit = "CASE WHEN \(n.negative) = 1 THEN '9223372036854775808' ELSE '9223372036854775807' END"
          let fits = "(\(d.length(kept)) < 19 OR (\(d.length(kept)) = 19 AND \(kept) <= \(limit)))"
          failures.append(
            ("NOT \(whole)", "\(quoted) || ' is not a whole number (round it first, or cast to decimal)'"))
          failures.append(
            ("NOT \(fits)", "\(quoted) || ' does not fit in a 64-bit integer (cast to decimal instead)'"))
          value = DecimalSQL.text(negative: n.negative, digits: kept, scale: "0", d)
        }
        sql.rewrite(name, value: value, failures: failures, onError: onError)
      }
    }
  }
}

// MARK: DataBrew

extension CastOperation {
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    throw brew.refuse(
      "DataBrew's CHANGE_DATA_TYPE makes unreadable values missing and writes values in its own forms; "
        + "Decant checks each value, rewrites it in canonical form and rejects the others (on_error)")
  }

  public static let dataBrewImport: DataBrewImport? = nil
}
