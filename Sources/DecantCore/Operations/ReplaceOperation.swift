/// Replaces text in cells: every occurrence of a literal or a regex (`$1`…
/// insert groups), or only whole cells with `whole_cell`. Streams in constant memory.
public struct ReplaceOperation: Operation {
  public static let descriptor = OperationDescriptor(
    name: "replace", summary: "replace text (literal or regex) in cells",
    parameters: [
      ParameterDescriptor("columns", .columns, required: true, "the columns to change"),
      ParameterDescriptor("find", .string, required: true, "the text (or regex) to find; not empty"),
      ParameterDescriptor("with", .string, default: "\"\"", "the replacement; with regex, $1… insert groups"),
      ParameterDescriptor("regex", .bool, default: "false", "find is a regular expression (ICU syntax)"),
      ParameterDescriptor(
        "case_insensitive", .bool, default: "false", "find ignores case (full case folding)"),
      ParameterDescriptor(
        "whole_cell", .bool, default: "false",
        "replace only a cell that equals find (or that the regex matches entirely)"),
      OnError.parameter,
    ])

  public let columns: [String]
  public let find: String
  public let with: String
  public let regex: Bool
  public let caseInsensitive: Bool
  public let wholeCell: Bool
  public let onError: OnError
  /// The compiled search when it is not a plain byte search.
  let pattern: RegexPattern?
  let template: ReplacementTemplate

  public init(from fields: inout StepFields) throws(RecipeError) {
    columns = try fields.columns("columns", required: true)!
    guard let f = try fields.text("find") else {
      throw fields.error("is required (the text to find)", field: "find")
    }
    if f.isEmpty { throw fields.error("must not be empty", field: "find") }
    find = f
    with = try fields.text("with") ?? ""
    regex = try fields.bool("regex") ?? false
    caseInsensitive = try fields.bool("case_insensitive") ?? false
    wholeCell = try fields.bool("whole_cell") ?? false
    onError = try fields.onError()
    if regex || caseInsensitive {
      do { pattern = try RegexPattern(find, caseInsensitive: caseInsensitive, literal: !regex) } catch {
        throw fields.error("is not a valid regular expression: \(error.message)", field: "find")
      }
    } else {
      pattern = nil
    }
    if regex {
      do { template = try ReplacementTemplate(with, groupCount: pattern!.groupCount) } catch {
        throw fields.error(error.message, field: "with")
      }
    } else {
      template = ReplacementTemplate(literal: with)
    }
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    [
      ("columns", .array(columns.map { .string($0) })), ("find", .string(find)), ("with", .string(with)),
      ("regex", .bool(regex)), ("case_insensitive", .bool(caseInsensitive)), ("whole_cell", .bool(wholeCell)),
      ("on_error", .string(onError.rawValue)),
    ]
  }

  public var summary: String {
    "replace " + (regex ? "regex " : "") + "\(Quoting.name(find)) with \(Quoting.name(with)) in "
      + columns.map(Quoting.name).joined(separator: ", ") + (wholeCell ? " (whole cells)" : "")
      + (caseInsensitive ? " ignoring case" : "")
  }

  /// The values it writes are text: its columns become `string`.
  public func plan(_ input: Schema) throws -> Schema {
    input.retyped(try input.indexes(of: columns, field: "columns"), as: .string)
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    let indexes = try input.indexes(of: columns, field: "columns")
    if let pattern {
      return CellRewriteTransform(
        columns: indexes, names: columns,
        rule: PatternRule(matcher: pattern.makeMatcher(), template: template, wholeCell: wholeCell),
        readsText: true, onError: onError, context: context)
    }
    return CellRewriteTransform(
      columns: indexes, names: columns,
      rule: LiteralRule(find: Array(find.utf8), with: Array(with.utf8), wholeCell: wholeCell),
      readsText: true,
      onError: onError, context: context)
  }

  /// A case-sensitive literal: a byte search (on valid UTF-8, matches fall on character boundaries).
  final class LiteralRule: CellRule {
    let find: [UInt8]
    let with: [UInt8]
    let wholeCell: Bool

    init(find: [UInt8], with: [UInt8], wholeCell: Bool) {
      self.find = find
      self.with = with
      self.wholeCell = wholeCell
    }

    func keepsPlain(delimiter: UInt8) -> Bool { ByteSearch.isPlain(with, delimiter: delimiter) }

    func rewrite(_ value: UnsafeBufferPointer<UInt8>, column k: Int, into out: ByteBuffer) -> CellOutcome {
      find.withUnsafeBufferPointer { find in
        if wholeCell {
          guard ByteSearch.equal(value, find) else { return .unchanged }
          out.write(with)
          return .written
        }
        guard var at = ByteSearch.find(find, in: value) else { return .unchanged }
        var copied = 0
        repeat {
          out.write(UnsafeBufferPointer(rebasing: value[copied..<at]))
          out.write(with)
          copied = at + find.count
          guard let next = ByteSearch.find(find, in: value, from: copied) else { break }
          at = next
        } while true
        out.write(UnsafeBufferPointer(rebasing: value[copied...]))
        return .written
      }
    }
  }

  /// A regex, or a literal compared ignoring case.
  final class PatternRule: CellRule {
    let matcher: RegexMatcher
    let template: ReplacementTemplate
    let wholeCell: Bool

    init(matcher: RegexMatcher, template: ReplacementTemplate, wholeCell: Bool) {
      self.matcher = matcher
      self.template = template
      self.wholeCell = wholeCell
    }

    func rewrite(_ value: UnsafeBufferPointer<UInt8>, column k: Int, into out: ByteBuffer) -> CellOutcome {
      let replaced =
        wholeCell
        ? matcher.replaceWholeCell(in: value, template: template, into: out)
        : matcher.replaceAll(in: value, template: template, into: out)
      if let failure = matcher.failure {
        return .failed("the regex could not be run on this value: \(failure)")
      }
      return replaced ? .written : .unchanged
    }
  }
}

extension ReplaceOperation {
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    let d = sql.dialect
    if caseInsensitive {
      throw sql.refuse(
        "case_insensitive replaces under Unicode case folding, which \(d.engineName) SQL has no function for",
        field: "case_insensitive")
    }
    for name in columns {
      let c = sql.column(name)
      let expr: String
      switch (regex, wholeCell) {
      case (false, false): expr = "replace(\(c), \(sql.text(find)), \(sql.text(with)))"
      case (false, true): expr = "CASE WHEN \(c) = \(sql.text(find)) THEN \(sql.text(with)) ELSE \(c) END"
      case (true, false):
        let t = try RegexTranslation.translate(find, for: d, use: .replace, step: sql, field: "find")
        let r = try RegexTranslation.replacement(
          with, for: d, groups: t.groupNumbers, extra: t.terminatorGroups, step: sql, field: "with")
        expr = d.regexReplaceAll(c, t.pattern, r)
      case (true, true):
        let t = try RegexTranslation.translate(find, for: d, use: .whole, step: sql, field: "find")
        let whole = "^(?:\(t.pattern))\\z"
        let r = try RegexTranslation.replacement(
          with, for: d, groups: t.groupNumbers, extra: [], step: sql, field: "with")
        expr = "CASE WHEN \(d.regexFind(c, whole)) THEN \(d.regexReplaceAll(c, whole, r)) ELSE \(c) END"
      }
      sql.set(name, to: "CASE WHEN \(sql.isNull(c)) THEN \(c) ELSE \(expr) END")
    }
  }
}

// MARK: DataBrew

extension ReplaceOperation {
  /// REPLACE_TEXT per column, for plain text only: DataBrew reads its pattern as
  /// text or as a regex without saying which dialect, so a `find` that would read
  /// differently as a regex (or a replacement with `$` or `\\`) is refused.
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    if regex {
      throw brew.refuse(
        "DataBrew's REPLACE_TEXT does not say which regex dialect it uses; an ICU regex has no counterpart "
          + "Decant can check", field: "regex")
    }
    if caseInsensitive {
      throw brew.refuse("DataBrew's REPLACE_TEXT matches case-sensitively", field: "case_insensitive")
    }
    if wholeCell {
      throw brew.refuse(
        "DataBrew's REPLACE_TEXT replaces every occurrence, not whole cells", field: "whole_cell")
    }
    if find.contains(where: regexMetacharacters.contains) {
      throw brew.refuse(
        "find holds regex metacharacters, and DataBrew's REPLACE_TEXT may read its pattern as a regex",
        field: "find")
    }
    if with.contains("$") || with.contains("\\") {
      throw brew.refuse("DataBrew may read $ and \\ in a replacement as group references", field: "with")
    }
    for column in columns {
      try brew.addScoped("REPLACE_TEXT", [("pattern", find), ("sourceColumn", column), ("value", with)])
    }
  }

  /// REPLACE_TEXT of plain text (a pattern that reads the same as text and as a regex).
  public static let dataBrewImport: DataBrewImport? = DataBrewImport(
    operations: ["REPLACE_TEXT"], conditionsAsWhere: true
  ) { action throws(DataBrewGap) in
    let column = try action.string("sourceColumn")
    let pattern = try action.string("pattern")
    let value = try action.string("value")
    if pattern.contains(where: regexMetacharacters.contains) {
      throw action.gap(
        "its pattern \(Quoting.name(pattern)) is a regular expression, and DataBrew does not say which dialect"
      )
    }
    if value.contains("$") || value.contains("\\") {
      throw action.gap("its value \(Quoting.name(value)) may hold group references")
    }
    return try action.decant(
      Self.self,
      [("columns", .array([.string(column)])), ("find", .string(pattern)), ("with", .string(value))])
  }
}
