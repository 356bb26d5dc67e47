import DecantCore

/// What a `:` command line asks for.
public enum WorkbenchCommand: Sendable {
  case step(Step)
  case write(String?)
  case quit(force: Bool)
  case undo
  case redo
  case run(String?)
  case help
  case goTo(String)
  case load(String)
  /// An input setting, checked: the sample is read again with it.
  case set(InputChange)
  case sample(SampleSpec)
  /// The recipe as a job for another engine, written to a file (nil: beside the input).
  case export(ExportTarget, String?)
}

/// One change to how the input is read (`:set NAME VALUE`, a field of the input form).
/// The command line and the form read values with the same parser, so they accept
/// the same values and give the same messages.
public enum InputChange: Sendable, Equatable {
  case nullValues([String])
  case delimiter(String)
  case header(Bool)
  case encoding(TextEncoding)
  case ragged(RaggedPolicy)

  /// The settings, in the order the input form lists them.
  public static let names = ["null_values", "delimiter", "header", "encoding", "ragged"]

  /// Reads `:set NAME VALUE`; the message says what the setting takes.
  public static func parse(_ name: String, _ value: String) throws -> InputChange {
    switch name {
    case "null_values", "nulls", "null":
      return .nullValues(try nullValues(from: value))
    case "delimiter":
      switch value {
      case "tab", "\\t", "\t": return .delimiter("\t")
      case "\"", "\n", "\r":
        throw CommandError(message: "delimiter: a quote or a line end cannot be the delimiter")
      case _ where value.utf8.count == 1: return .delimiter(value)
      default:
        throw CommandError(message: "delimiter: use one character, such as , ; | or tab, not \"\(value)\"")
      }
    case "header":
      switch value.lowercased() {
      case "true", "yes", "on": return .header(true)
      case "false", "no", "off": return .header(false)
      default: throw CommandError(message: "header: use yes or no, not \"\(value)\"")
      }
    case "encoding":
      guard let e = TextEncoding(name: value) else {
        throw CommandError(
          message:
            "encoding: use \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(value)\""
        )
      }
      return .encoding(e)
    case "ragged":
      guard let r = RaggedPolicy(rawValue: value) else {
        throw CommandError(message: "ragged: use reject or pad, not \"\(value)\"")
      }
      return .ragged(r)
    default:
      var message = "unknown setting \"\(name)\" (\(names.joined(separator: ", ")))"
      if let hint = Suggest.closest(to: name, among: names, caseInsensitive: true) {
        message += "; did you mean \(hint)?"
      }
      throw CommandError(message: message)
    }
  }

  /// Null values written as a list: comma-separated, spaces around an item ignored,
  /// `""` (or an empty item) the empty cell, a value in double quotes taken as it is
  /// (`"a, b"`); or a JSON list of strings (`[]`: nothing counts as null).
  static func nullValues(from text: String) throws -> [String] {
    if text.trimmingSpaces.hasPrefix("[") {
      let notAList = CommandError(message: "null_values: \(text) is not a JSON list of strings")
      guard case .array(let items)? = try? JSONValue.parse(text) else { throw notAList }
      return try items.map { item in
        guard case .string(let s) = item else { throw notAList }
        return s
      }
    }
    var items: [String] = []
    var current = ""
    var quoted = false
    for ch in text {
      if ch == "\"" { quoted.toggle() }
      if ch == "," && !quoted {
        items.append(current)
        current = ""
      } else {
        current.append(ch)
      }
    }
    if quoted { throw CommandError(message: "null_values: a quote is not closed in \(text)") }
    items.append(current)
    return items.map { item in
      let t = item.trimmingSpaces
      return t.count >= 2 && t.hasPrefix("\"") && t.hasSuffix("\"") ? String(t.dropFirst().dropLast()) : t
    }
  }

  /// Null values as `nullValues(from:)` reads them back: `NA,""`, a value with a
  /// comma or spaces around it quoted, JSON when a value holds a quote.
  static func nullValuesText(_ values: [String], separator: String = ",") -> String {
    if values.isEmpty || values.contains(where: { $0.contains("\"") }) {
      return JSONValue.array(values.map { .string($0) }).compactText
    }
    return values.map { v in
      v.isEmpty || v.contains(",") || v.trimmingSpaces != v ? "\"\(v)\"" : v
    }.joined(separator: separator)
  }

  /// The change as messages name it: `null values NA, ""`, `delimiter tab`, `header off`.
  public var summary: String {
    switch self {
    case .nullValues(let v): return "null values " + InputChange.nullValuesText(v, separator: ", ")
    case .delimiter(let d): return "delimiter " + (d == "\t" ? "tab" : d == " " ? "\" \"" : d)
    case .header(let h): return "header " + (h ? "on" : "off")
    case .encoding(let e): return "encoding \(e.rawValue)"
    case .ragged(let r): return "ragged \(r.rawValue)"
    }
  }

  /// Several changes as one message: `null values NA, ""; header off`.
  public static func describe(_ changes: [InputChange]) -> String {
    changes.map(\.summary).joined(separator: "; ")
  }

  /// The settings `b` sets otherwise than `a`, as changes (a setting `b` leaves
  /// unset, to be sniffed, is not a change it can name).
  public static func differences(from a: InputSettings, to b: InputSettings) -> [InputChange] {
    var changes: [InputChange] = []
    if a.nullValues != b.nullValues { changes.append(.nullValues(b.nullValues)) }
    if let d = b.delimiter, d != a.delimiter { changes.append(.delimiter(d)) }
    if let h = b.header, h != a.header { changes.append(.header(h)) }
    if let e = b.encoding, e != (a.encoding ?? .utf8) { changes.append(.encoding(e)) }
    if let r = b.ragged, r != (a.ragged ?? .reject) { changes.append(.ragged(r)) }
    return changes
  }

  /// The settings with this change made.
  public func applied(to s: InputSettings) -> InputSettings {
    var s = s
    switch self {
    case .nullValues(let v): s.nullValues = v
    case .delimiter(let d): s.delimiter = d
    case .header(let h): s.header = h
    case .encoding(let e): s.encoding = e
    case .ragged(let r): s.ragged = r
    }
    return s
  }
}

/// A command line that cannot be understood; the message says how to write it.
public struct CommandError: Error, Sendable, CustomStringConvertible {
  public let message: String
  public var description: String { message }
}

/// Parses the workbench command line. The forms are a documented contract:
///
///     :rename OLD NEW                      (quote names with spaces)
///     :dedupe [COLUMN ...]                 (no column: whole row)
///     :fill_null COLUMN VALUE   |   :fill_null COLUMN strategy=median
///     :normalize_timezone COLUMN FROM_ZONE [TO_ZONE] [input_format="..."] [ambiguous=...] ...
///     :select COLUMN ...   :drop COLUMN ...   :trim COLUMN ... [key=value ...]
///     :hash COLUMN ... [salt=...]   :mask COLUMN ... [keep_first=N] [keep_last=N] [with=C]
///     :OP key=value ... [where="CONDITION"] (any operation; the condition in its text form)
///     :write [PATH] (:w)  :quit (:q)  :quit! (:q!)  :undo  :redo  :run [OUTPUT]
///
/// Steps are built as recipe JSON and decoded by the registry, so a command and a
/// recipe file give the same step and the same errors.
public enum CommandParser {
  /// One word of a command line: a bare or quoted value, or `key=value`.
  struct Token: Equatable {
    var key: String?
    var value: String
  }

  /// Splits a command line into words. Double or single quotes group spaces;
  /// `\"` and `\\` escape inside double quotes; `key=` before a quote keeps its key.
  static func tokenize(_ line: String) throws -> [Token] {
    var tokens: [Token] = []
    var current = ""
    var key: String? = nil
    var inToken = false
    var quote: Character? = nil
    var chars = Array(line)[...]
    while let ch = chars.popFirst() {
      if let q = quote {
        if ch == q {
          quote = nil
        } else if ch == "\\" && q == "\"", let next = chars.first, next == "\"" || next == "\\" {
          current.append(chars.removeFirst())
        } else {
          current.append(ch)
        }
        continue
      }
      if ch == " " || ch == "\t" {
        if inToken { tokens.append(Token(key: key, value: current)) }
        current = ""
        key = nil
        inToken = false
        continue
      }
      // A value that starts as JSON (`[…]` or `{…}`) is taken whole, quotes included.
      if current.isEmpty && (ch == "[" || ch == "{") {
        inToken = true
        current.append(ch)
        var depth = 1
        var inString = false
        while depth > 0, let c = chars.popFirst() {
          current.append(c)
          if inString {
            if c == "\\", let next = chars.popFirst() {
              current.append(next)
            } else if c == "\"" {
              inString = false
            }
          } else if c == "\"" {
            inString = true
          } else if c == "[" || c == "{" {
            depth += 1
          } else if c == "]" || c == "}" {
            depth -= 1
          }
        }
        continue
      }
      inToken = true
      if ch == "\"" || ch == "'" {
        quote = ch
      } else if ch == "=" && key == nil && !current.isEmpty
        && current.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
      {
        key = current
        current = ""
      } else {
        current.append(ch)
      }
    }
    if quote != nil { throw CommandError(message: "a quote is not closed") }
    if inToken { tokens.append(Token(key: key, value: current)) }
    return tokens
  }

  public static func parse(_ line: String) throws -> WorkbenchCommand {
    var text = line
    if text.hasPrefix(":") { text.removeFirst() }
    var tokens = try tokenize(text)
    guard !tokens.isEmpty, tokens[0].key == nil else {
      throw CommandError(message: "type a command, e.g. :dedupe id")
    }
    let name = tokens.removeFirst().value
    let positional = tokens.filter { $0.key == nil }.map(\.value)
    func noMoreThan(_ n: Int, _ usage: String) throws {
      if positional.count > n || tokens.contains(where: { $0.key != nil }) {
        throw CommandError(message: "usage: \(usage)")
      }
    }
    switch name {
    case "w", "write":
      try noMoreThan(1, ":write [PATH]")
      return .write(positional.first)
    case "q", "quit":
      try noMoreThan(0, ":quit")
      return .quit(force: false)
    case "q!", "quit!":
      return .quit(force: true)
    case "wq", "x":
      throw CommandError(message: "save with :write, then :quit")
    case "undo", "u":
      return .undo
    case "redo":
      return .redo
    case "run":
      try noMoreThan(1, ":run [OUTPUT]")
      return .run(positional.first)
    case "help", "h":
      return .help
    case "goto", "column":
      try noMoreThan(1, ":goto COLUMN")
      guard let c = positional.first else { throw CommandError(message: "usage: :goto COLUMN") }
      return .goTo(c)
    case "set" where !tokens.contains(where: { $0.key != nil }):
      // `:set NAME VALUE` changes how the input is read; `:set column=… value=…` is the operation.
      guard positional.count >= 2 else {
        throw CommandError(
          message:
            "usage: :set null_values NA,\"\" · :set delimiter ; · :set header false · :set encoding latin1 · :set ragged pad (the set operation takes column= and value=)"
        )
      }
      return .set(try InputChange.parse(positional[0], positional.dropFirst().joined(separator: " ")))
    case "sample":
      let usage = "usage: :sample first N · :sample random N [SEED]"
      guard positional.count >= 2, let n = Int(positional[1]), n > 0 else {
        throw CommandError(message: usage)
      }
      switch positional[0] {
      case "first" where positional.count == 2: return .sample(.first(n))
      case "random" where positional.count <= 3:
        let seed = positional.count == 3 ? UInt64(positional[2]) : UInt64.random(in: 0...999_999)
        guard let seed else { throw CommandError(message: usage) }
        return .sample(.random(n, seed: seed))
      default: throw CommandError(message: usage)
      }
    case "export":
      let usage = "usage: :export \(ExportTarget.allCases.map(\.rawValue).joined(separator: "|")) [FILE]"
      try noMoreThan(2, usage)
      guard let name = positional.first else { throw CommandError(message: usage) }
      guard let target = ExportTarget(rawValue: name) else {
        throw CommandError(message: "cannot export to \"\(name)\"; \(usage.dropFirst(7))")
      }
      return .export(target, positional.count == 2 ? positional[1] : nil)
    case "load", "e", "edit":
      try noMoreThan(1, ":load RECIPE")
      guard let p = positional.first else { throw CommandError(message: "usage: :load RECIPE") }
      return .load(p)
    default:
      return .step(try step(named: name, tokens))
    }
  }

  /// Builds a step from an operation name and its words.
  static func step(named name: String, _ tokens: [Token]) throws -> Step {
    guard let type = OperationRegistry.operation(named: name) else {
      var message = "unknown command or operation \"\(name)\""
      let known =
        OperationRegistry.names + ["write", "quit", "undo", "redo", "run", "load", "goto", "help", "export"]
      if let hint = Suggest.closest(to: name, among: known, caseInsensitive: true) {
        message += "; did you mean :\(hint)?"
      }
      throw CommandError(message: message)
    }
    let descriptor = type.descriptor
    var members: [(String, JSONValue)] = [("op", .string(name))]
    func set(_ key: String, _ value: JSONValue) {
      if let i = members.firstIndex(where: { $0.0 == key }) {
        members[i].1 = value
      } else {
        members.append((key, value))
      }
    }
    let positional = tokens.filter { $0.key == nil }.map(\.value)
    // The short forms of the four core operations.
    switch name {
    case "rename":
      if !positional.isEmpty {
        guard positional.count % 2 == 0 else {
          throw CommandError(message: "usage: :rename OLD NEW [OLD NEW …] (quote names with spaces)")
        }
        set(
          "columns",
          .object(
            stride(from: 0, to: positional.count, by: 2).map { (positional[$0], .string(positional[$0 + 1])) }
          ))
      }
    case _ where name != "fill_null" && descriptor.parameters.first?.kind == .columns:
      // Operations on a list of columns take them first: `:cast amount to=decimal`.
      if !positional.isEmpty { set("columns", .array(positional.map { .string($0) })) }
    case "fill_null":
      // With strategy= or value= given, every word is a column: `:fill_null a b strategy=previous`.
      if tokens.contains(where: { $0.key == "strategy" || $0.key == "value" }) {
        if !positional.isEmpty { set("columns", .array(positional.map { .string($0) })) }
        break
      }
      if positional.count > 2 {
        throw CommandError(
          message:
            "usage: :fill_null COLUMN VALUE, or :fill_null COLUMN [COLUMN …] strategy=previous (or value=V)")
      }
      if let c = positional.first { set("columns", .array([.string(c)])) }
      if positional.count == 2 { set("value", .string(positional[1])) }
    case "normalize_timezone":
      if positional.count > 3 {
        throw CommandError(message: "usage: :normalize_timezone COLUMN FROM_ZONE [TO_ZONE] [key=value …]")
      }
      if positional.count >= 1 { set("column", .string(positional[0])) }
      if positional.count >= 2 { set("from_zone", zoneOrColumn(positional[1])) }
      if positional.count >= 3 { set("to_zone", .string(positional[2])) }
    default:
      if !positional.isEmpty {
        throw CommandError(
          message: "\(name) takes key=value arguments (see `decant ops`), not \"\(positional[0])\"")
      }
    }
    // key=value for any parameter, typed by the operation's descriptor.
    var inputFormats: [JSONValue] = []
    for token in tokens {
      guard let key = token.key else { continue }
      if key == "input_format" && name == "normalize_timezone" {
        inputFormats.append(.string(token.value))
        continue
      }
      if key == "enabled" {
        set(key, .bool(token.value != "false"))
        continue
      }
      if key == "note" {
        set(key, .string(token.value))
        continue
      }
      if key == "where" && descriptor.conditionRole == .scope {
        set(key, try value(token.value, for: .condition))
        continue
      }
      guard let parameter = descriptor.parameters.first(where: { $0.name == key }) else {
        var message = "\(name) has no parameter \"\(key)\""
        if let hint = Suggest.closest(
          to: key, among: descriptor.parameters.map(\.name), caseInsensitive: true)
        {
          message += "; did you mean \(hint)=?"
        }
        throw CommandError(message: message)
      }
      set(key, try value(token.value, for: parameter.kind))
    }
    if !inputFormats.isEmpty { set("input_formats", .array(inputFormats)) }
    do {
      return try OperationRegistry.decodeStep(.object(members), number: 1)
    } catch {
      var e = error
      e.step = nil
      throw CommandError(message: "\(name): \(e)")
    }
  }

  /// `@NAME` means "the zone named in column NAME on each row".
  static func zoneOrColumn(_ text: String) -> JSONValue {
    if text.hasPrefix("@") && text.count > 1 {
      return .object([("column", .string(String(text.dropFirst())))])
    }
    return .string(text)
  }

  /// A `key=value` value as the JSON a recipe would hold. JSON text (`[…]`, `{…}`)
  /// is taken as is; lists may also be written comma-separated.
  static func value(_ text: String, for kind: ParameterKind) throws -> JSONValue {
    if let first = text.first, first == "[" || first == "{" {
      do { return try JSONValue.parse(text) } catch {
        throw CommandError(message: "\(text) is not valid JSON: \(error)")
      }
    }
    switch kind {
    case .columns, .strings:
      // Spaces after the commas are not part of the names.
      return .array(text.split(separator: ",").map { .string(String($0).trimmingSpaces) })
    case .timestampFormats:
      return .array([.string(text)])
    case .bool:
      return .bool(text == "true" || text == "yes" || text == "1")
    case .condition:
      do { return try ConditionText.parse(text).json } catch {
        throw CommandError(message: "where: \(error.message) (\(error.path))")
      }
    case .integer:
      return Int(text) != nil ? .number(text) : .string(text)
    case .stringOrNull:
      return text == "null" ? .null : .string(text)
    case .keyColumns:
      // `a,b` (the same names in both), or `a:x,b` (data column:reference column;
      // a name alone is the same in both).
      let items = text.split(separator: ",").map { String($0).trimmingSpaces }
      if !items.contains(where: { $0.contains(":") }) { return .array(items.map { .string($0) }) }
      var members: [(String, JSONValue)] = []
      for item in items {
        let parts = item.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map {
          String($0).trimmingSpaces
        }
        guard parts.allSatisfy({ !$0.isEmpty }) else {
          throw CommandError(message: "write a key as COLUMN,COLUMN2 or DATA:REFERENCE,DATA2:REFERENCE2")
        }
        members.append((parts[0], .string(parts.last!)))
      }
      return .object(members)
    case .valueMap:
      var members: [(String, JSONValue)] = []
      for pair in text.split(separator: ",") {
        let parts = pair.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(
          String.init)
        guard parts.count == 2 else {
          throw CommandError(
            message: "write a mapping as FROM:TO,FROM2:TO2 (or as JSON, with null for a null)")
        }
        members.append((parts[0], .string(parts[1])))
      }
      return .object(members)
    case .zoneOrColumn:
      return zoneOrColumn(text)
    case .columnMap:
      var members: [(String, JSONValue)] = []
      for pair in text.split(separator: ",") {
        let parts = pair.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw CommandError(message: "write renames as OLD:NEW,OLD2:NEW2") }
        members.append((parts[0], .string(parts[1])))
      }
      return .object(members)
    default:
      return .string(text)
    }
  }
}
