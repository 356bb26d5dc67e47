/// Typed, strict access to one step's JSON fields while an operation decodes itself.
///
/// Every getter records the field as used; `OperationRegistry` then rejects any
/// field left over (so a typo such as `colums` is an error, with a suggestion).
public struct StepFields {
  public let step: Int
  public let op: String
  private let members: [(String, JSONValue)]
  private(set) var used: Set<String> = []

  public init(step: Int, op: String, members: [(String, JSONValue)]) {
    self.step = step
    self.op = op
    self.members = members
  }

  public func error(_ message: String, field: String? = nil) -> RecipeError {
    RecipeError(message, step: step, op: op, field: field)
  }

  public var keys: [String] { members.map(\.0) }

  /// The raw value of a field, marking it used.
  public mutating func value(_ key: String) -> JSONValue? {
    used.insert(key)
    return members.first { $0.0 == key }?.1
  }

  public func has(_ key: String) -> Bool { members.contains { $0.0 == key } }

  private func typeError(_ key: String, expected: String, got: JSONValue) -> RecipeError {
    error("must be \(expected), not \(got.kindName)", field: key)
  }

  public mutating func requiredString(_ key: String) throws(RecipeError) -> String {
    guard let s = try string(key) else { throw error("is required", field: key) }
    return s
  }

  public mutating func string(_ key: String) throws(RecipeError) -> String? {
    guard let v = value(key) else { return nil }
    guard case .string(let s) = v else { throw typeError(key, expected: "a string", got: v) }
    return s
  }

  public mutating func nonEmptyString(_ key: String, required: Bool = false) throws(RecipeError) -> String? {
    guard let s = try string(key) else {
      if required { throw error("is required", field: key) }
      return nil
    }
    if s.isEmpty { throw error("must not be empty", field: key) }
    return s
  }

  public mutating func bool(_ key: String) throws(RecipeError) -> Bool? {
    guard let v = value(key) else { return nil }
    guard case .bool(let b) = v else { throw typeError(key, expected: "true or false", got: v) }
    return b
  }

  public mutating func strings(_ key: String) throws(RecipeError) -> [String]? {
    guard let v = value(key) else { return nil }
    guard case .array(let items) = v else { throw typeError(key, expected: "an array of strings", got: v) }
    var out: [String] = []
    for (i, item) in items.enumerated() {
      guard case .string(let s) = item else {
        throw error("item \(i + 1) must be a string, not \(item.kindName)", field: key)
      }
      out.append(s)
    }
    return out
  }

  /// A list of column names: non-empty strings, no repeats.
  public mutating func columns(_ key: String, required: Bool) throws(RecipeError) -> [String]? {
    guard let names = try strings(key) else {
      if required { throw error("is required (a list of column names)", field: key) }
      return nil
    }
    if required && names.isEmpty { throw error("must name at least one column", field: key) }
    var seen = Set<String>()
    for n in names {
      if n.isEmpty { throw error("column names must not be empty", field: key) }
      if !seen.insert(n).inserted { throw error("names the column \"\(n)\" twice", field: key) }
    }
    return names
  }

  public mutating func column(_ key: String) throws(RecipeError) -> String {
    guard let v = value(key) else { throw error("is required (a column name)", field: key) }
    guard case .string(let s) = v else { throw typeError(key, expected: "a column name (string)", got: v) }
    if s.isEmpty { throw error("must not be empty", field: key) }
    return s
  }

  /// An object of string → string, in the order written.
  public mutating func stringMap(_ key: String) throws(RecipeError) -> [(String, String)]? {
    guard let v = value(key) else { return nil }
    guard case .object(let members) = v else {
      throw typeError(key, expected: "an object of old name → new name", got: v)
    }
    var out: [(String, String)] = []
    for (k, item) in members {
      guard case .string(let s) = item else {
        throw error("the value for \"\(k)\" must be a string, not \(item.kindName)", field: key)
      }
      out.append((k, s))
    }
    return out
  }

  /// One of a fixed set of strings.
  public mutating func choice<T: RawRepresentable>(_ key: String, default value: T) throws(RecipeError) -> T
  where T.RawValue == String, T: CaseIterable {
    guard let s = try string(key) else { return value }
    guard let v = T(rawValue: s) else {
      let options = T.allCases.map(\.rawValue)
      var message = "\"\(s)\" is not one of \(options.joined(separator: ", "))"
      if let hint = Suggest.closest(to: s, among: options, caseInsensitive: true) {
        message += "; did you mean \"\(hint)\"?"
      }
      throw error(message, field: key)
    }
    return v
  }

  /// A condition (`where`), its errors naming the path inside it (`where.all[1].gt`).
  public mutating func condition(_ key: String, required: Bool = false) throws(RecipeError) -> Condition? {
    guard let v = value(key) else {
      if required {
        throw error("is required: a condition such as {\"column\": \"amount\", \"gt\": 0}", field: key)
      }
      return nil
    }
    do { return try Condition.decode(v, path: key) } catch {
      throw self.error(error.message, field: error.path)
    }
  }

  /// A whole number within `range`.
  public mutating func integer(_ key: String, in range: ClosedRange<Int>) throws(RecipeError) -> Int? {
    guard let v = value(key) else { return nil }
    guard case .number(let text) = v, let n = Int(text) else {
      throw error(
        "must be a whole number, not \(v.kindName == "a number" ? v.compactText : v.kindName)", field: key)
    }
    guard range.contains(n) else {
      throw error("must be between \(range.lowerBound) and \(range.upperBound), not \(n)", field: key)
    }
    return n
  }

  /// A text value: a string, or a JSON number standing for its text as written.
  public mutating func text(_ key: String) throws(RecipeError) -> String? {
    guard let v = value(key) else { return nil }
    switch v {
    case .string(let s): return s
    case .number(let n): return n
    default: throw typeError(key, expected: "a string", got: v)
    }
  }

  /// An object of value → new value (a string, a number as written, or null), in the order written.
  public mutating func valueMap(_ key: String) throws(RecipeError) -> [(String, String?)]? {
    guard let v = value(key) else { return nil }
    guard case .object(let members) = v else {
      throw typeError(key, expected: "an object of value → new value", got: v)
    }
    var out: [(String, String?)] = []
    for (k, item) in members {
      switch item {
      case .string(let s): out.append((k, s))
      case .number(let n): out.append((k, n))
      case .null: out.append((k, nil))
      default:
        throw error("the value for \"\(k)\" must be a string or null, not \(item.kindName)", field: key)
      }
    }
    return out
  }

  /// A list of strftime patterns for reading (`input_formats`); empty when absent
  /// (ISO 8601), an error when given but empty.
  public mutating func inputFormats(_ key: String = "input_formats") throws(RecipeError) -> [TimestampFormat]
  {
    var formats: [TimestampFormat] = []
    for p in try strings(key) ?? [] {
      do { formats.append(try TimestampFormat(p, forParsing: true)) } catch {
        throw self.error(error.message, field: key)
      }
    }
    if has(key) && formats.isEmpty {
      throw error("must list at least one pattern (or leave it out for ISO 8601)", field: key)
    }
    return formats
  }

  /// A strftime pattern for writing (`output_format`); nil when absent and not required.
  public mutating func outputFormat(_ key: String = "output_format", required: Bool = false)
    throws(RecipeError) -> TimestampFormat?
  {
    guard let p = try string(key) else {
      if required { throw error("is required (a strftime pattern such as \"%Y-%m-%d\")", field: key) }
      return nil
    }
    do { return try TimestampFormat(p, forParsing: false) } catch {
      throw self.error(error.message, field: key)
    }
  }

  public mutating func onError() throws(RecipeError) -> OnError {
    try choice("on_error", default: OnError.reject)
  }
}
