/// Puts the first match of a regex (one of its groups) into a new column right
/// after the source; no match: null. Streams in constant memory.
public struct ExtractOperation: Operation {
  public static let descriptor = OperationDescriptor(
    name: "extract", summary: "copy the first regex match (a group of it) into a new column",
    parameters: [
      ParameterDescriptor("column", .column, required: true, "the column to search"),
      ParameterDescriptor("pattern", .string, required: true, "a regular expression (ICU syntax)"),
      ParameterDescriptor(
        "group", .integer, default: "1 (0 when the pattern has no group)",
        "the group to take (0: the whole match)"),
      ParameterDescriptor("to", .string, required: true, "the new column's name"),
      OnError.parameter,
    ])

  public let column: String
  public let pattern: RegexPattern
  public let group: Int
  public let to: String
  public let onError: OnError

  public init(from fields: inout StepFields) throws(RecipeError) {
    column = try fields.column("column")
    guard let p = try fields.string("pattern") else {
      throw fields.error("is required (a regular expression)", field: "pattern")
    }
    if p.isEmpty { throw fields.error("must not be empty", field: "pattern") }
    do { pattern = try RegexPattern(p) } catch {
      throw fields.error("is not a valid regular expression: \(error.message)", field: "pattern")
    }
    let g = try fields.integer("group", in: 0...Int(Int32.max)) ?? (pattern.groupCount > 0 ? 1 : 0)
    if g > pattern.groupCount {
      throw fields.error(
        "is \(g), but the pattern has \(pattern.groupCount == 0 ? "no groups" : "only \(pattern.groupCount) group\(pattern.groupCount == 1 ? "" : "s")")",
        field: "group")
    }
    group = g
    to = try fields.nonEmptyString("to", required: true)!
    onError = try fields.onError()
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    [
      ("column", .string(column)), ("pattern", .string(pattern.pattern)), ("group", .number(String(group))),
      ("to", .string(to)), ("on_error", .string(onError.rawValue)),
    ]
  }

  public var summary: String {
    "extract \(Quoting.name(pattern.pattern))" + (group == 1 ? "" : " group \(group)")
      + " from \(Quoting.name(column)) to \(Quoting.name(to))"
  }

  public func plan(_ input: Schema) throws -> Schema {
    let source = try input.indexes(of: [column], field: "column")[0]
    return try input.inserting([to], at: source + 1, field: "to")
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    let source = try input.indexes(of: [column], field: "column")[0]
    return ColumnAdditionTransform(
      sources: [source], sourceNames: [column], count: 1, position: source + 1,
      rule: Rule(matcher: pattern.makeMatcher(), group: group), readsText: true, onError: onError,
      context: context)
  }

  final class Rule: ColumnRule {
    let matcher: RegexMatcher
    let group: Int
    var worksOnBytes: Bool { false }

    init(matcher: RegexMatcher, group: Int) {
      self.matcher = matcher
      self.group = group
    }

    func produce(
      _ values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>?>, into out: ByteBuffer,
      cells: UnsafeMutableBufferPointer<NewCell>
    ) -> String? {
      guard let value = values[0] else { return nil }
      guard matcher.firstMatch(in: value) else {
        if let failure = matcher.failure { return "the regex could not be run on this value: \(failure)" }
        return nil
      }
      guard let range = matcher.range(group: group) else { return nil }
      cells[0] = .source(UnsafeBufferPointer(rebasing: value[range]))
      return nil
    }

    func keepsPlain(delimiter: UInt8) -> Bool { true }
  }
}

extension ExtractOperation {
  /// No match, a group that took no part and a null source all give an empty
  /// cell, as `regexp_extract` does.
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    let d = sql.dialect
    var source = pattern.pattern
    var wanted = group
    // `\d+$`: the whole match is group 1 of `(\d+)$`, which leaves out the line
    // terminator the "$" may pass.
    if group == 0, let grouped = RegexTranslation.groupedBeforeFinalDollar(source) {
      source = grouped
      wanted = 1
    }
    let t = try RegexTranslation.translate(
      source, for: d, use: .extract(group: wanted), step: sql, field: "pattern")
    let c = sql.column(column)
    let found = d.regexExtract(c, t.pattern, group: t.groupNumbers[wanted] ?? wanted)
    sql.add(to, after: column, "CASE WHEN \(sql.isNull(c)) THEN '' ELSE \(found) END")
  }
}

// MARK: DataBrew

extension ExtractOperation {
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    throw brew.refuse(
      "DataBrew's EXTRACT_PATTERN does not document its regex dialect nor which group it keeps; Decant's "
        + "ICU pattern and group have no counterpart Decant can check")
  }

  public static let dataBrewImport: DataBrewImport? = nil
}
