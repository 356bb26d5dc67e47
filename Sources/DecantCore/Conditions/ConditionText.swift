/// The one text form of conditions, shown in summaries and the workbench and
/// read by the `:` command line and step forms:
///
///     amount > 100 and country in (US, CA)
///     not (email is null) or "full name" starts with "Dr"
///     status = "paid" ignoring case
///
/// Leaves: `COLUMN is null`, `is not null`, `is number`, `is not number`,
/// `= V`, `!= V` (that is `not (= V)`), `in (V, …)`, `contains V`, `starts with V`,
/// `ends with V`, `matches "REGEX"`, `> >= < <= N`, `between N and M`; a text
/// predicate may end in `ignoring case` (`case_insensitive`). Combined with
/// `and`, `or`, `not` and parentheses (`not` binds tightest, then `and`, then
/// `or`). Names and values that are not plain words go in double quotes, with
/// `\"` and `\\` inside. Printing then parsing gives the same condition.
public enum ConditionText {
  // MARK: Printing

  /// The text form of a condition.
  public static func print(_ condition: Condition) -> String {
    switch condition {
    case .any(let items):
      return items.map { item -> String in
        if case .any = item { return "(\(print(item)))" }
        return print(item)
      }.joined(separator: " or ")
    case .all(let items):
      return items.map { item -> String in
        switch item {
        case .any, .all: return "(\(print(item)))"
        default: return print(item)
        }
      }.joined(separator: " and ")
    case .not(let inner):
      if case .leaf(let leaf) = inner, case .equals(let v) = leaf.predicate {
        return "\(name(leaf.column)) != \(quoted(v))\(leaf.caseInsensitive ? " ignoring case" : "")"
      }
      return "not (\(print(inner)))"
    case .leaf(let leaf):
      return printLeaf(leaf)
    }
  }

  static func printLeaf(_ leaf: ConditionLeaf) -> String {
    let column = name(leaf.column)
    let body: String
    switch leaf.predicate {
    case .isNull(let b): body = b ? "is null" : "is not null"
    case .isNumber(let b): body = b ? "is number" : "is not number"
    case .equals(let v): body = "= \(quoted(v))"
    case .in(let items): body = "in (\(items.map(word).joined(separator: ", ")))"
    case .contains(let v): body = "contains \(quoted(v))"
    case .startsWith(let v): body = "starts with \(quoted(v))"
    case .endsWith(let v): body = "ends with \(quoted(v))"
    case .matches(let p): body = "matches \(quoted(p.pattern))"
    case .gt(let n): body = "> \(n.text)"
    case .gte(let n): body = ">= \(n.text)"
    case .lt(let n): body = "< \(n.text)"
    case .lte(let n): body = "<= \(n.text)"
    case .between(let lo, let hi): body = "between \(lo.text) and \(hi.text)"
    }
    return "\(column) \(body)\(leaf.caseInsensitive ? " ignoring case" : "")"
  }

  static let keywords: Set<String> = [
    "and", "or", "not", "is", "null", "number", "in", "contains", "starts", "ends", "with", "matches",
    "between", "ignoring", "case",
  ]

  /// A column name: bare when it is a plain word, else quoted.
  public static func name(_ s: String) -> String { word(s) }

  /// A value in a list or a name: bare when it is a plain word, else quoted.
  public static func word(_ s: String) -> String {
    if isPlainWord(s) { return s }
    return quoted(s)
  }

  static func isPlainWord(_ s: String) -> Bool {
    !s.isEmpty && !keywords.contains(s.lowercased())
      && s.unicodeScalars.allSatisfy { c in
        (c.properties.isAlphabetic || c.properties.numericType != nil || c == "_" || c == "." || c == "-"
          || c == "/" || c == "@" || c == "+" || c == ":")
      } && s.unicodeScalars.first.map { $0 != "-" && $0 != "+" } ?? false
  }

  static func quoted(_ s: String) -> String {
    var out = "\""
    for ch in s.unicodeScalars {
      switch ch {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default: out.unicodeScalars.append(ch)
      }
    }
    return out + "\""
  }

  // MARK: Parsing

  /// Reads the text form; errors give the character position (from 1) and what was expected.
  public static func parse(_ text: String) throws(ConditionError) -> Condition {
    var parser = Parser(text: text)
    return try parser.parseAll()
  }

  enum Token: Equatable {
    case word(String)
    case quoted(String)
    case symbol(String)
    case end
  }

  struct Parser {
    var tokens: [(token: Token, offset: Int)] = []
    var index = 0
    let text: String
    var tokenizeError: ConditionError?
    /// Parentheses and `not` open around the current token; bounded so that
    /// no text can exhaust the stack.
    var nesting = 0

    init(text: String) {
      self.text = text
      do { tokens = try Parser.tokenize(text) } catch { tokenizeError = error }
    }

    static func tokenize(_ text: String) throws(ConditionError) -> [(token: Token, offset: Int)] {
      var out: [(token: Token, offset: Int)] = []
      let chars = Array(text.unicodeScalars)
      var i = 0
      while i < chars.count {
        let c = chars[i]
        if c == " " || c == "\t" || c == "\n" {
          i += 1
          continue
        }
        let start = i
        if c == "\"" {
          var value = ""
          i += 1
          var closed = false
          while i < chars.count {
            let d = chars[i]
            if d == "\\" && i + 1 < chars.count {
              let e = chars[i + 1]
              switch e {
              case "n": value += "\n"
              case "t": value += "\t"
              case "r": value += "\r"
              default: value.unicodeScalars.append(e)
              }
              i += 2
              continue
            }
            if d == "\"" {
              closed = true
              i += 1
              break
            }
            value.unicodeScalars.append(d)
            i += 1
          }
          if !closed {
            throw ConditionError("a quote opened here is not closed", path: "character \(start + 1)")
          }
          out.append((.quoted(value), start))
          continue
        }
        if c == "(" || c == ")" || c == "," {
          out.append((.symbol(String(c)), start))
          i += 1
          continue
        }
        if c == "=" || c == "!" || c == "<" || c == ">" {
          var op = String(c)
          if i + 1 < chars.count && chars[i + 1] == "=" {
            op += "="
            i += 1
          }
          i += 1
          if op == "!" {
            throw ConditionError("\"!\" must be followed by \"=\"", path: "character \(start + 1)")
          }
          if op == "==" { op = "=" }
          out.append((.symbol(op), start))
          continue
        }
        var word = ""
        while i < chars.count {
          let d = chars[i]
          if d == " " || d == "\t" || d == "\n" || d == "(" || d == ")" || d == "," || d == "\"" || d == "="
            || d == "!" || d == "<" || d == ">"
          {
            break
          }
          word.unicodeScalars.append(d)
          i += 1
        }
        out.append((.word(word), start))
      }
      out.append((.end, chars.count))
      return out
    }

    var current: Token { tokens[index].token }

    func error(_ message: String) -> ConditionError {
      let offset = tokens[index].offset
      let found: String
      switch current {
      case .end: found = "the end"
      case .word(let w): found = "\"\(w)\""
      case .quoted(let q): found = ConditionText.quoted(q)
      case .symbol(let s): found = "\"\(s)\""
      }
      return ConditionError("\(message), found \(found)", path: "character \(offset + 1)")
    }

    func isKeyword(_ k: String) -> Bool {
      if case .word(let w) = current { return w.lowercased() == k }
      return false
    }

    mutating func expectKeyword(_ k: String) throws(ConditionError) {
      guard isKeyword(k) else { throw error("expected \"\(k)\"") }
      index += 1
    }

    mutating func parseAll() throws(ConditionError) -> Condition {
      if let tokenizeError { throw tokenizeError }
      if current == .end { throw error("expected a condition such as: amount > 100") }
      let c = try parseOr()
      guard current == .end else { throw error("expected \"and\", \"or\" or the end") }
      if c.depth > Condition.maxDepth {
        throw ConditionError(
          "conditions nest at most \(Condition.maxDepth) deep (and, or and not)", path: "character 1")
      }
      return c
    }

    mutating func parseOr() throws(ConditionError) -> Condition {
      var items = [try parseAnd()]
      while isKeyword("or") {
        index += 1
        items.append(try parseAnd())
      }
      return items.count == 1 ? items[0] : .any(items)
    }

    mutating func parseAnd() throws(ConditionError) -> Condition {
      var items = [try parseUnary()]
      while isKeyword("and") {
        index += 1
        items.append(try parseUnary())
      }
      return items.count == 1 ? items[0] : .all(items)
    }

    mutating func parseUnary() throws(ConditionError) -> Condition {
      let opens = current == .symbol("(")
      // `not` as a column name is written quoted.
      guard opens || isKeyword("not") else { return try parseLeaf() }
      // A printed condition opens at most two per level (`not (`).
      if nesting == 2 * Condition.maxDepth + 2 {
        throw error("conditions nest at most \(Condition.maxDepth) deep (and, or and not)")
      }
      nesting += 1
      defer { nesting -= 1 }
      index += 1
      guard opens else { return .not(try parseUnary()) }
      let inner = try parseOr()
      guard current == .symbol(")") else { throw error("expected \")\"") }
      index += 1
      return inner
    }

    mutating func name() throws(ConditionError) -> String {
      switch current {
      case .word(let w) where !ConditionText.keywords.contains(w.lowercased()):
        index += 1
        return w
      case .quoted(let q) where !q.isEmpty:
        index += 1
        return q
      default:
        throw error("expected a column name")
      }
    }

    /// A text value: quoted, or a bare word or number.
    mutating func value() throws(ConditionError) -> String {
      switch current {
      case .word(let w):
        index += 1
        return w
      case .quoted(let q):
        index += 1
        return q
      default:
        throw error("expected a value")
      }
    }

    mutating func number() throws(ConditionError) -> DecimalText {
      let text: String
      switch current {
      case .word(let w): text = w
      case .quoted(let q): text = q
      default: throw error("expected a number")
      }
      guard let n = DecimalText(text) else { throw error("expected a number") }
      index += 1
      return n
    }

    mutating func parseLeaf() throws(ConditionError) -> Condition {
      let column = try name()
      var predicate: Predicate
      var negated = false
      switch current {
      case .word(let w):
        switch w.lowercased() {
        case "is":
          index += 1
          var positive = true
          if isKeyword("not") {
            positive = false
            index += 1
          }
          if isKeyword("null") {
            predicate = .isNull(positive)
          } else if isKeyword("number") {
            predicate = .isNumber(positive)
          } else {
            throw error("expected \"null\" or \"number\" after \"is\"")
          }
          index += 1
        case "in":
          index += 1
          guard current == .symbol("(") else { throw error("expected \"(\" after \"in\"") }
          index += 1
          var items = [try value()]
          while current == .symbol(",") {
            index += 1
            items.append(try value())
          }
          guard current == .symbol(")") else { throw error("expected \",\" or \")\"") }
          index += 1
          predicate = .in(items)
        case "contains":
          index += 1
          predicate = .contains(try value())
        case "starts":
          index += 1
          try expectKeyword("with")
          predicate = .startsWith(try value())
        case "ends":
          index += 1
          try expectKeyword("with")
          predicate = .endsWith(try value())
        case "matches":
          index += 1
          let offset = tokens[index].offset
          let pattern = try value()
          // Compiled once case sensitivity is known.
          return try finishMatches(column: column, pattern: pattern, offset: offset)
        case "between":
          index += 1
          let lo = try number()
          try expectKeyword("and")
          let hi = try number()
          if Condition.compare(lo, hi) > 0 {
            throw ConditionError(
              "the low bound \(lo) is above the high bound \(hi)",
              path: "character \(tokens[index - 1].offset + 1)")
          }
          predicate = .between(lo, hi)
        default:
          throw error(
            "expected a test (is null, =, !=, in, contains, starts with, >, between, …) after \(ConditionText.name(column))"
          )
        }
      case .symbol(let s) where ["=", "!=", ">", ">=", "<", "<="].contains(s):
        index += 1
        switch s {
        case "=": predicate = .equals(try value())
        case "!=":
          predicate = .equals(try value())
          negated = true
        case ">": predicate = .gt(try number())
        case ">=": predicate = .gte(try number())
        case "<": predicate = .lt(try number())
        default: predicate = .lte(try number())
        }
      default:
        throw error(
          "expected a test (is null, =, !=, in, contains, starts with, >, between, …) after \(ConditionText.name(column))"
        )
      }
      let caseInsensitive = try ignoringCase(allowed: Predicate.textKeys.contains(predicate.key))
      let leaf = Condition.leaf(
        ConditionLeaf(column: column, predicate: predicate, caseInsensitive: caseInsensitive))
      return negated ? .not(leaf) : leaf
    }

    mutating func finishMatches(column: String, pattern: String, offset: Int) throws(ConditionError)
      -> Condition
    {
      let caseInsensitive = try ignoringCase(allowed: true)
      do {
        let regex = try RegexPattern(pattern, caseInsensitive: caseInsensitive)
        return .leaf(
          ConditionLeaf(column: column, predicate: .matches(regex), caseInsensitive: caseInsensitive))
      } catch {
        throw ConditionError(
          "not a valid regular expression: \(error.message)", path: "character \(offset + 1)")
      }
    }

    mutating func ignoringCase(allowed: Bool) throws(ConditionError) -> Bool {
      guard isKeyword("ignoring") else { return false }
      guard allowed else { throw error("\"ignoring case\" applies only to text tests") }
      index += 1
      try expectKeyword("case")
      return true
    }
  }
}
