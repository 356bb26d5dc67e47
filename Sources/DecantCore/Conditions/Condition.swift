/// A condition on a row (`where` in a recipe step, the rule of `filter` and
/// `validate`): exactly one of `all`, `any`, `not`, or a leaf that tests one
/// column with one predicate.
///
/// Conditions never fail a row: a null cell makes every predicate false except
/// `is_null: true` and `is_number: false`; text predicates compare bytes, so a
/// cell that is not valid UTF-8 can still equal or contain; such a cell makes
/// `matches` and any `case_insensitive` predicate false.
public indirect enum Condition: Sendable, Equatable {
  case all([Condition])
  case any([Condition])
  case not(Condition)
  case leaf(ConditionLeaf)

  /// How deep `all`, `any` and `not` may nest. Both readers hold conditions to
  /// it, so a condition's JSON stays within the recipe reader's 256 levels and
  /// its text form (at most two parentheses or `not` a level) parses back.
  public static let maxDepth = 100

  /// The number of `all`, `any` and `not` levels (0 for a leaf).
  public var depth: Int {
    switch self {
    case .all(let items), .any(let items): return 1 + (items.map(\.depth).max() ?? 0)
    case .not(let inner): return 1 + inner.depth
    case .leaf: return 0
    }
  }

  /// Every column the condition reads, in the order written.
  public var columns: [String] {
    switch self {
    case .all(let items), .any(let items):
      var out: [String] = []
      for c in items.flatMap(\.columns) where !out.contains(c) { out.append(c) }
      return out
    case .not(let inner): return inner.columns
    case .leaf(let leaf): return [leaf.column]
    }
  }

  /// Each leaf's column with the path of its `column` field below `path`
  /// (`where.all[1].column`), in the order written.
  public func columnPaths(under path: String) -> [(column: String, path: String)] {
    switch self {
    case .all(let items), .any(let items):
      let key = if case .all = self { "all" } else { "any" }
      return items.enumerated().flatMap { i, item in item.columnPaths(under: "\(path).\(key)[\(i)]") }
    case .not(let inner): return inner.columnPaths(under: "\(path).not")
    case .leaf(let leaf): return [(leaf.column, "\(path).column")]
    }
  }

  /// The plan error for the columns the condition (the step's field `field`)
  /// reads that `schema` lacks, naming the path of each leaf that reads one; nil
  /// when every column is there.
  public func missingColumnsError(in schema: Schema, field: String) -> PlanError? {
    let missing = columnPaths(under: field).filter { schema.index(of: $0.column) == nil }
    guard !missing.isEmpty else { return nil }
    var names: [String] = []
    for m in missing where !names.contains(m.column) { names.append(m.column) }
    return PlanError.missing(names, in: schema, field: missing.map(\.path).joined(separator: ", "))
  }

  /// The condition with every column renamed by `rename` (old → new).
  public func renamingColumns(_ rename: (String) -> String) -> Condition {
    switch self {
    case .all(let items): return .all(items.map { $0.renamingColumns(rename) })
    case .any(let items): return .any(items.map { $0.renamingColumns(rename) })
    case .not(let inner): return .not(inner.renamingColumns(rename))
    case .leaf(var leaf):
      leaf.column = rename(leaf.column)
      return .leaf(leaf)
    }
  }
}

/// One column tested with one predicate.
public struct ConditionLeaf: Sendable, Equatable {
  public var column: String
  public var predicate: Predicate
  /// Text predicates compare under full case folding (`STRASSE` equals `straße`).
  public var caseInsensitive: Bool

  public init(column: String, predicate: Predicate, caseInsensitive: Bool = false) {
    self.column = column
    self.predicate = predicate
    self.caseInsensitive = caseInsensitive
  }
}

/// What a leaf tests. Text values are compared as bytes; numbers by exact decimal value.
public enum Predicate: Sendable, Equatable {
  case isNull(Bool)
  case equals(String)
  case `in`([String])
  case contains(String)
  case startsWith(String)
  case endsWith(String)
  case matches(RegexPattern)
  case gt(DecimalText)
  case gte(DecimalText)
  case lt(DecimalText)
  case lte(DecimalText)
  case between(DecimalText, DecimalText)
  case isNumber(Bool)

  /// The predicate's name in a recipe.
  public var key: String {
    switch self {
    case .isNull: return "is_null"
    case .equals: return "equals"
    case .in: return "in"
    case .contains: return "contains"
    case .startsWith: return "starts_with"
    case .endsWith: return "ends_with"
    case .matches: return "matches"
    case .gt: return "gt"
    case .gte: return "gte"
    case .lt: return "lt"
    case .lte: return "lte"
    case .between: return "between"
    case .isNumber: return "is_number"
    }
  }

  /// Every predicate name, in the order the recipe format lists them.
  public static let keys = [
    "is_null", "equals", "in", "contains", "starts_with", "ends_with", "matches", "gt", "gte", "lt", "lte",
    "between", "is_number",
  ]

  /// The predicates that `case_insensitive` applies to.
  public static let textKeys: Set<String> = [
    "equals", "in", "contains", "starts_with", "ends_with", "matches",
  ]
}

/// A condition that is wrong in itself; `path` says where (`where.all[1].gt`).
public struct ConditionError: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  public var path: String

  public init(_ message: String, path: String) {
    self.message = message
    self.path = path
  }

  public var description: String { "\(path): \(message)" }
}

// MARK: JSON

extension Condition {
  static let groupKeys = ["all", "any", "not"]
  static let leafKeys = ["column", "case_insensitive"] + Predicate.keys

  /// Predicate names from other tools, suggested by meaning where spelling is
  /// too far off (`greater_than` → `gt`) or misleading (`ge` is not `gt`).
  /// Keys are lower case without `_`, `-` or spaces.
  static let otherNames = [
    "greaterthan": "gt", "greaterthanorequal": "gte", "greaterthanorequalto": "gte", "greaterorequal": "gte",
    "ge": "gte", "lessthan": "lt", "lessthanorequal": "lte", "lessthanorequalto": "lte", "lessorequal": "lte",
    "le": "lte", "eq": "equals", "equal": "equals", "equalto": "equals", "oneof": "in", "isin": "in",
    "regex": "matches", "regexp": "matches", "pattern": "matches", "range": "between", "numeric": "is_number",
    "isnumeric": "is_number",
  ]

  static func suggestion(for key: String) -> String? {
    let plain = String(key.lowercased().filter { $0 != "_" && $0 != "-" && $0 != " " })
    return otherNames[plain] ?? Suggest.closest(to: key, among: groupKeys + leafKeys, caseInsensitive: true)
  }

  /// Decodes a condition strictly; errors carry the path below `path`.
  public static func decode(_ value: JSONValue, path: String) throws(ConditionError) -> Condition {
    try decode(value, path: path, depth: 0)
  }

  private static func decode(_ value: JSONValue, path: String, depth: Int) throws(ConditionError) -> Condition
  {
    guard case .object(let members) = value else {
      throw ConditionError(
        "a condition is an object (all, any, not, or column and a predicate), not \(value.kindName)",
        path: path)
    }
    if members.isEmpty {
      throw ConditionError(
        "is empty: give all, any, not, or a column and one predicate (\(Predicate.keys.joined(separator: ", ")))",
        path: path)
    }
    for (key, _) in members where !(groupKeys + leafKeys).contains(key) {
      var message = "\"\(key)\" is not part of a condition"
      if let hint = suggestion(for: key) {
        message += "; did you mean \"\(hint)\"?"
      } else {
        message += " (predicates: \(Predicate.keys.joined(separator: ", ")))"
      }
      throw ConditionError(message, path: "\(path).\(key)")
    }
    let groups = members.filter { groupKeys.contains($0.0) }
    if let (key, inner) = groups.first {
      if members.count > 1 {
        let other = members.first { $0.0 != key }!.0
        throw ConditionError(
          "\"\(key)\" stands alone in its object; put \"\(other)\" in a condition of its own",
          path: "\(path).\(other)")
      }
      let here = "\(path).\(key)"
      if depth == maxDepth {
        throw ConditionError("conditions nest at most \(maxDepth) deep (all, any and not)", path: here)
      }
      if key == "not" { return .not(try decode(inner, path: here, depth: depth + 1)) }
      guard case .array(let items) = inner else {
        throw ConditionError("must be a list of conditions, not \(inner.kindName)", path: here)
      }
      if items.isEmpty { throw ConditionError("must hold at least one condition", path: here) }
      var out: [Condition] = []
      for (i, item) in items.enumerated() {
        out.append(try decode(item, path: "\(here)[\(i)]", depth: depth + 1))
      }
      return key == "all" ? .all(out) : .any(out)
    }
    return .leaf(try decodeLeaf(members, path: path))
  }

  private static func decodeLeaf(_ members: [(String, JSONValue)], path: String) throws(ConditionError)
    -> ConditionLeaf
  {
    func field(_ key: String) -> JSONValue? { members.first { $0.0 == key }?.1 }
    guard let columnValue = field("column") else {
      throw ConditionError(
        "a condition on a value needs \"column\" and one predicate", path: "\(path).column")
    }
    guard case .string(let column) = columnValue, !column.isEmpty else {
      throw ConditionError("must be a column name (a non-empty string)", path: "\(path).column")
    }
    let predicates = members.filter { Predicate.keys.contains($0.0) }
    guard let (key, value) = predicates.first else {
      throw ConditionError(
        "needs one predicate: \(Predicate.keys.joined(separator: ", "))", path: path)
    }
    if predicates.count > 1 {
      throw ConditionError(
        "has two predicates (\"\(key)\" and \"\(predicates[1].0)\"); combine them with all or any",
        path: "\(path).\(predicates[1].0)")
    }
    var caseInsensitive = false
    if let ci = field("case_insensitive") {
      guard case .bool(let b) = ci else {
        throw ConditionError("must be true or false, not \(ci.kindName)", path: "\(path).case_insensitive")
      }
      if b && !Predicate.textKeys.contains(key) {
        throw ConditionError(
          "applies only to equals, in, contains, starts_with, ends_with and matches, not \(key)",
          path: "\(path).case_insensitive")
      }
      caseInsensitive = b
    }
    let here = "\(path).\(key)"
    let predicate = try decodePredicate(key, value, caseInsensitive: caseInsensitive, path: here)
    return ConditionLeaf(column: column, predicate: predicate, caseInsensitive: caseInsensitive)
  }

  private static func decodePredicate(_ key: String, _ value: JSONValue, caseInsensitive: Bool, path: String)
    throws(ConditionError) -> Predicate
  {
    func text(_ v: JSONValue, _ p: String) throws(ConditionError) -> String {
      switch v {
      case .string(let s): return s
      // A JSON number stands for its text as written.
      case .number(let n): return n
      default: throw ConditionError("must be a string, not \(v.kindName)", path: p)
      }
    }
    func number(_ v: JSONValue, _ p: String) throws(ConditionError) -> DecimalText {
      guard case .number(let n) = v, let d = DecimalText(n) else {
        var message = "must be a number, not \(v.kindName)"
        if case .string(let s) = v, DecimalText(s) != nil { message += " (write \(s) without quotes)" }
        throw ConditionError(message, path: p)
      }
      return d
    }
    func flag(_ v: JSONValue) throws(ConditionError) -> Bool {
      guard case .bool(let b) = v else {
        throw ConditionError("must be true or false, not \(v.kindName)", path: path)
      }
      return b
    }
    switch key {
    case "is_null": return .isNull(try flag(value))
    case "is_number": return .isNumber(try flag(value))
    case "equals": return .equals(try text(value, path))
    case "contains": return .contains(try text(value, path))
    case "starts_with": return .startsWith(try text(value, path))
    case "ends_with": return .endsWith(try text(value, path))
    case "in":
      guard case .array(let items) = value else {
        throw ConditionError("must be a list of values, not \(value.kindName)", path: path)
      }
      if items.isEmpty { throw ConditionError("must list at least one value", path: path) }
      var out: [String] = []
      for (i, item) in items.enumerated() { out.append(try text(item, "\(path)[\(i)]")) }
      return .in(out)
    case "matches":
      guard case .string(let pattern) = value else {
        throw ConditionError("must be a regular expression (a string), not \(value.kindName)", path: path)
      }
      do { return .matches(try RegexPattern(pattern, caseInsensitive: caseInsensitive)) } catch {
        throw ConditionError("is not a valid regular expression: \(error.message)", path: path)
      }
    case "gt": return .gt(try number(value, path))
    case "gte": return .gte(try number(value, path))
    case "lt": return .lt(try number(value, path))
    case "lte": return .lte(try number(value, path))
    case "between":
      guard case .array(let items) = value, items.count == 2 else {
        throw ConditionError("must be a list of two numbers [low, high]", path: path)
      }
      let lo = try number(items[0], "\(path)[0]")
      let hi = try number(items[1], "\(path)[1]")
      if Condition.compare(lo, hi) > 0 {
        throw ConditionError("the low bound \(lo) is above the high bound \(hi)", path: path)
      }
      return .between(lo, hi)
    default:
      throw ConditionError("unknown predicate", path: path)
    }
  }

  /// Compares two numbers exactly.
  static func compare(_ a: DecimalText, _ b: DecimalText) -> Int {
    var text = a.text
    return text.withUTF8 { b.compare($0) } ?? 0
  }

  /// The condition as recipe JSON.
  public var json: JSONValue {
    switch self {
    case .all(let items): return .object([("all", .array(items.map(\.json)))])
    case .any(let items): return .object([("any", .array(items.map(\.json)))])
    case .not(let inner): return .object([("not", inner.json)])
    case .leaf(let leaf):
      var members: [(String, JSONValue)] = [("column", .string(leaf.column))]
      let value: JSONValue
      switch leaf.predicate {
      case .isNull(let b), .isNumber(let b): value = .bool(b)
      case .equals(let s), .contains(let s), .startsWith(let s), .endsWith(let s): value = .string(s)
      case .in(let items): value = .array(items.map { .string($0) })
      case .matches(let p): value = .string(p.pattern)
      // The text form reads numbers JSON does not (`.5`, `+3`, `007`).
      case .gt(let d), .gte(let d), .lt(let d), .lte(let d): value = .number(d.jsonText)
      case .between(let lo, let hi): value = .array([.number(lo.jsonText), .number(hi.jsonText)])
      }
      members.append((leaf.predicate.key, value))
      if leaf.caseInsensitive { members.append(("case_insensitive", .bool(true))) }
      return .object(members)
    }
  }
}
