/// Strips characters (Unicode White_Space unless `characters` says) from either
/// or both ends of cells, and with `collapse` turns each inner run of white
/// space into one space. Streams in constant memory.
public struct TrimOperation: Operation {
  public enum Side: String, Sendable, CaseIterable { case both, left, right }

  public static let descriptor = OperationDescriptor(
    name: "trim", summary: "strip white space (or given characters) from the ends of cells",
    parameters: [
      ParameterDescriptor("columns", .columns, required: true, "the columns to trim"),
      ParameterDescriptor(
        "side", .choice(Side.allCases.map(\.rawValue)), default: "both", "which end to strip"),
      ParameterDescriptor(
        "characters", .string, default: "Unicode White_Space", "the characters to strip, each one of them"),
      ParameterDescriptor(
        "collapse", .bool, default: "false", "turn each inner run of white space into one space"),
      OnError.parameter,
    ])

  public let columns: [String]
  public let side: Side
  /// nil: Unicode White_Space.
  public let characters: String?
  public let collapse: Bool
  public let onError: OnError

  public init(
    columns: [String], side: Side = .both, characters: String? = nil, collapse: Bool = false,
    onError: OnError = .reject
  ) {
    self.columns = columns
    self.side = side
    self.characters = characters
    self.collapse = collapse
    self.onError = onError
  }

  public init(from fields: inout StepFields) throws(RecipeError) {
    columns = try fields.columns("columns", required: true)!
    side = try fields.choice("side", default: Side.both)
    let chars = try fields.string("characters")
    if chars == "" {
      throw fields.error(
        "must hold at least one character (or leave it out for white space)", field: "characters")
    }
    characters = chars
    collapse = try fields.bool("collapse") ?? false
    onError = try fields.onError()
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    var out: [(String, JSONValue)] = [
      ("columns", .array(columns.map { .string($0) })), ("side", .string(side.rawValue)),
    ]
    if let characters { out.append(("characters", .string(characters))) }
    out.append(("collapse", .bool(collapse)))
    out.append(("on_error", .string(onError.rawValue)))
    return out
  }

  public var summary: String {
    var s = "trim " + columns.map(Quoting.name).joined(separator: ", ")
    if side != .both { s += " \(side.rawValue)" }
    if let characters { s += " of \(Quoting.name(characters))" }
    if collapse { s += ", collapsing spaces" }
    return s
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
      rule: Rule(
        side: side, characters: characters.map { Set($0.unicodeScalars.map(\.value)) }, collapse: collapse),
      readsText: true, onError: onError, context: context)
  }

  final class Rule: CellRule {
    let left: Bool
    let right: Bool
    let characters: Set<UInt32>?
    let collapse: Bool

    init(side: Side, characters: Set<UInt32>?, collapse: Bool) {
      left = side != .right
      right = side != .left
      self.characters = characters
      self.collapse = collapse
    }

    /// Trimming only removes bytes; collapsing writes spaces, which may be the delimiter.
    func keepsPlain(delimiter: UInt8) -> Bool { !(collapse && delimiter == 32) }

    @inline(__always) func strips(_ v: UInt32) -> Bool {
      if let characters { return characters.contains(v) }
      return UTF8Decoding.isWhiteSpace(v)
    }

    func rewrite(_ value: UnsafeBufferPointer<UInt8>, column k: Int, into out: ByteBuffer) -> CellOutcome {
      var start = 0
      var end = value.count
      if left {
        while start < end {
          let (v, n) = UTF8Decoding.scalar(value, at: start)
          if !strips(v) { break }
          start += n
        }
      }
      if right {
        while end > start {
          let s = UTF8Decoding.start(before: end, in: value)
          if !strips(UTF8Decoding.scalar(value, at: s).value) { break }
          end = s
        }
      }
      if !collapse {
        if start == 0 && end == value.count { return .unchanged }
        out.write(UnsafeBufferPointer(rebasing: value[start..<end]))
        return .written
      }
      // Inner runs: white space with something else on both sides within start..<end.
      var first = start
      while first < end {
        let (v, n) = UTF8Decoding.scalar(value, at: first)
        if !UTF8Decoding.isWhiteSpace(v) { break }
        first += n
      }
      var last = end
      while last > first {
        let s = UTF8Decoding.start(before: last, in: value)
        if !UTF8Decoding.isWhiteSpace(UTF8Decoding.scalar(value, at: s).value) { break }
        last = s
      }
      let begin = out.count
      out.write(UnsafeBufferPointer(rebasing: value[start..<first]))
      var i = first
      var changed = start != 0 || end != value.count
      while i < last {
        let (v, n) = UTF8Decoding.scalar(value, at: i)
        if UTF8Decoding.isWhiteSpace(v) {
          var j = i + n
          while j < last {
            let (w, m) = UTF8Decoding.scalar(value, at: j)
            if !UTF8Decoding.isWhiteSpace(w) { break }
            j += m
          }
          if j - i != 1 || value[i] != 32 { changed = true }
          out.write(CollectionOfOne(UInt8(32)))
          i = j
        } else {
          out.write(UnsafeBufferPointer(rebasing: value[i..<i + n]))
          i += n
        }
      }
      out.write(UnsafeBufferPointer(rebasing: value[last..<end]))
      if !changed {
        out.truncate(to: begin)
        return .unchanged
      }
      return .written
    }
  }
}

extension TrimOperation {
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    let d = sql.dialect
    let stripped =
      characters.map { "[" + $0.unicodeScalars.map(RegexTranslation.escapedLiteral).joined() + "]" }
      ?? RegexTranslation.whiteSpaceClass
    var ends: [String] = []
    if side != .right { ends.append("^\(stripped)+") }
    if side != .left { ends.append("\(stripped)+\\z") }
    for name in columns {
      let c = sql.column(name)
      var expr = d.regexReplaceAll(c, ends.joined(separator: "|"), "")
      if collapse {
        // Runs of white space between the first and last character that is not
        // white space become one space; the white space outside them stays.
        let ws = RegexTranslation.whiteSpaceClass
        let parts = "(?s)^(\(ws)*)(.*?)(\(ws)*)\\z"
        let inner = d.regexReplaceAll(d.regexExtract(expr, parts, group: 2), "\(ws)+", " ")
        expr =
          "\(d.regexExtract(expr, parts, group: 1)) || \(inner) || \(d.regexExtract(expr, parts, group: 3))"
      }
      sql.set(name, to: "CASE WHEN \(sql.isNull(c)) THEN \(c) ELSE \(expr) END")
    }
  }
}

// MARK: DataBrew

extension TrimOperation {
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    throw brew.refuse(
      "DataBrew's whitespace actions do not say which characters they strip; Decant strips Unicode "
        + "White_Space (or the characters given) and can collapse inner runs")
  }

  public static let dataBrewImport: DataBrewImport? = nil
}
