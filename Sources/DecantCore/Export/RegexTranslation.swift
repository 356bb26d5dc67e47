/// Recipe regexes (ICU syntax) rewritten for an engine: RE2 for DuckDB, Java's
/// `java.util.regex` for Spark, with the same matches on every text.
///
/// The three agree on most syntax but not on every meaning, so each piece of a
/// pattern is either rewritten to what ICU means (`\d` is any decimal digit in
/// ICU, ASCII only in RE2 and Java; `.` and `$` know more line terminators in
/// ICU) or refused with the reason. Nothing is passed through on trust.
public enum RegexTranslation {
  public enum Use: Equatable {
    /// Does it match somewhere (`matches`).
    case find
    /// The text of one group (`extract`).
    case extract(group: Int)
    /// Every match replaced (`replace`): `$` anchors then capture the line
    /// terminator they may pass, and `replacement` puts it back.
    case replace
    /// The whole text matched (`whole_cell`): `$` can then only be the end.
    case whole
  }

  /// A translated pattern; for `.replace`, the groups that hold what a `$`
  /// passed over, to append to every replacement, and how recipe group numbers
  /// map to the engine's.
  public struct Translated {
    public var pattern: String
    public var terminatorGroups: [Int] = []
    public var groupNumbers: [Int: Int] = [:]
  }

  /// Unicode's White_Space characters (what Decant trims and collapses), as a
  /// class both engines read.
  public static let whiteSpaceClass =
    #"[\t\n\x{0B}\x{0C}\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]"#

  /// ICU's line terminators, which its `$` may pass at the end and `.` never matches.
  static let terminatorClass = #"\n\x{0B}\x{0C}\r\x{85}\x{2028}\x{2029}"#

  public static func pattern(
    _ icu: String, for dialect: SQLDialect, use: Use, step: StepSQL, field: String
  ) throws(ExportRefusal) -> String {
    try translate(icu, for: dialect, use: use, step: step, field: field).pattern
  }

  public static func translate(
    _ icu: String, for dialect: SQLDialect, use: Use, step: StepSQL, field: String
  ) throws(ExportRefusal) -> Translated {
    var t = Translator(source: Array(icu.unicodeScalars), dialect: dialect, use: use)
    do {
      try t.run()
    } catch let reason {
      throw step.refuse(
        "the regex \"\(icu)\" \(reason.text), so \(dialect.engineName) would not match as Decant does",
        field: field)
    }
    return Translated(pattern: t.out, terminatorGroups: t.terminatorGroups, groupNumbers: t.groupNumbers)
  }

  /// For a whole-match extraction: a pattern `P$` with no top-level `|` as
  /// `(P)$`, whose group 1 is the whole match without the line terminator the
  /// `$` may pass; nil for any other pattern.
  public static func groupedBeforeFinalDollar(_ icu: String) -> String? {
    let chars = Array(icu.unicodeScalars)
    guard chars.count > 1, chars.last == "$" else { return nil }
    var depth = 0
    var inClass = false
    var i = 0
    while i < chars.count - 1 {
      let ch = chars[i]
      if ch == "\\" {
        i += 2
        continue
      }
      if inClass {
        if ch == "]" { inClass = false }
      } else if ch == "[" {
        inClass = true
        // A "]" right after "[" or "[^" is a literal member.
        if i + 1 < chars.count && chars[i + 1] == "^" { i += 1 }
        if i + 1 < chars.count && chars[i + 1] == "]" { i += 1 }
      } else if ch == "(" {
        depth += 1
      } else if ch == ")" {
        depth -= 1
      } else if ch == "|" && depth == 0 {
        return nil
      }
      i += 1
    }
    // The final "$" must not be escaped (the loop stepped over it) nor in a class.
    guard i == chars.count - 1, !inClass, depth == 0 else { return nil }
    return "(" + String(String.UnicodeScalarView(chars.dropLast())) + ")$"
  }

  /// `s` matched as itself, in RE2 and Java alike: metacharacters escaped,
  /// control characters as `\x{…}`.
  static func literal(_ s: String) -> String {
    s.unicodeScalars.map { c in
      if c.value < 0x20 || c.value == 0x7F { return "\\x{\(String(c.value, radix: 16))}" }
      if "\\.^$|?*+()[]{}".unicodeScalars.contains(c) { return "\\" + String(c) }
      return String(c)
    }.joined()
  }

  /// A literal separator as a Java regex that matches exactly it.
  static func javaQuote(_ s: String) -> String {
    var out = ""
    for ch in s.unicodeScalars { out += escapedLiteral(ch) }
    return out
  }

  /// One character as a regex that matches it alone (both engines).
  static func escapedLiteral(_ ch: Unicode.Scalar) -> String {
    if ch.isASCII && !(ch.properties.isAlphabetic || ("0"..."9").contains(ch)) {
      if ch.value < 0x20 || ch.value == 0x7F { return String(format: "\\x{%X}", ch.value) }
      if ch == " " { return " " }
      return "\\" + String(ch)
    }
    return String(ch)
  }

  /// A replacement in the recipe's syntax (`$1` a group, `\$` a dollar, `\\` a
  /// backslash) in the engine's, with `extra` groups appended.
  public static func replacement(
    _ text: String, for dialect: SQLDialect, groups: [Int: Int], extra: [Int], step: StepSQL, field: String
  ) throws(ExportRefusal) -> String {
    var out = ""
    func group(_ n: Int) { out += dialect.engine == .duckdb ? "\\\(n)" : "$\(n)" }
    func literal(_ ch: Unicode.Scalar) {
      switch (dialect.engine, ch) {
      case (.duckdb, "\\"): out += "\\\\"
      case (.spark, "\\"): out += "\\\\"
      case (.spark, "$"): out += "\\$"
      default: out.unicodeScalars.append(ch)
      }
    }
    let s = Array(text.unicodeScalars)
    var i = 0
    while i < s.count {
      let ch = s[i]
      if ch == "\\" && i + 1 < s.count {
        literal(s[i + 1])
        i += 2
      } else if ch == "$" && i + 1 < s.count && ("0"..."9").contains(s[i + 1]) {
        var j = i + 1
        var n = 0
        while j < s.count, ("0"..."9").contains(s[j]), n * 10 + Int(s[j].value - 48) <= groups.count {
          n = n * 10 + Int(s[j].value - 48)
          j += 1
        }
        if j == i + 1 {
          throw step.refuse(
            "the replacement refers to group \(s[i + 1]), which the pattern does not have", field: field)
        }
        group(groups[n] ?? n)
        i = j
      } else if ch == "$" {
        throw step.refuse(
          "a \"$\" in the replacement must be followed by a group number or written \\$", field: field)
      } else {
        literal(ch)
        i += 1
      }
    }
    for g in extra { group(g) }
    return out
  }

  struct Reason: Error {
    var text: String
    init(_ text: String) { self.text = text }
  }

  private struct Translator {
    let source: [Unicode.Scalar]
    let dialect: SQLDialect
    let use: Use
    var i = 0
    var out = ""
    var terminatorGroups: [Int] = []
    /// Recipe group number → engine group number.
    var groupNumbers: [Int: Int] = [0: 0]
    var recipeGroups = 0
    var engineGroups = 0

    var re2: Bool { dialect.engine == .duckdb }

    init(source: [Unicode.Scalar], dialect: SQLDialect, use: Use) {
      self.source = source
      self.dialect = dialect
      self.use = use
    }

    mutating func run() throws(Reason) {
      var depth = 0
      /// Per open parenthesis: its recipe group number (0: not capturing).
      var open: [Int] = []
      while i < source.count {
        let ch = source[i]
        switch ch {
        case "\\":
          out += try escape(inClass: false)
          try quantifier()
        case "[":
          out += try characterClass()
          try quantifier()
        case ".":
          out += "[^\(RegexTranslation.terminatorClass)]"
          i += 1
          try quantifier()
        case "^":
          out += "^"
          i += 1
        case "$":
          i += 1
          if case .extract(let g) = use, g > 0, open.contains(g) {
            throw Reason("has \"$\" inside the extracted group (which may end before a line terminator)")
          }
          try dollar()
        case "(":
          i += 1
          depth += 1
          if i < source.count && source[i] == "?" {
            if i + 1 < source.count && source[i + 1] == ":" {
              out += "(?:"
              open.append(0)
              i += 2
            } else {
              throw Reason("uses a (?…) group other than (?:…) (lookaround, named, atomic or flags)")
            }
          } else {
            recipeGroups += 1
            engineGroups += 1
            groupNumbers[recipeGroups] = engineGroups
            open.append(recipeGroups)
            out += "("
          }
        case ")":
          if depth == 0 { throw Reason("has an unbalanced \")\"") }
          depth -= 1
          open.removeLast()
          out += ")"
          i += 1
          try quantifier()
        case "|":
          out += "|"
          i += 1
        case "*", "+", "?", "{":
          throw Reason("has a quantifier with nothing before it")
        default:
          out += RegexTranslation.escapedLiteral(ch)
          i += 1
          try quantifier()
        }
      }
      if depth != 0 { throw Reason("has an unclosed \"(\"") }
    }

    /// ICU's `$` (no multiline): the end of the text, or before a line
    /// terminator that ends it.
    mutating func dollar() throws(Reason) {
      let terminator = "\\r\\n|[\(RegexTranslation.terminatorClass)]"
      switch use {
      case .whole:
        out += "\\z"
      case .find, .extract(group: 1...):
        out += "(?:\(terminator))?\\z"
      case .extract:
        throw Reason(
          "extracts the whole match of a pattern with \"$\" (which may end before a line terminator)")
      case .replace:
        engineGroups += 1
        terminatorGroups.append(engineGroups)
        out += "(\(terminator))?\\z"
      }
    }

    /// A quantifier after an atom, copied when both engines read it as ICU does.
    mutating func quantifier() throws(Reason) {
      guard i < source.count else { return }
      let ch = source[i]
      if ch == "*" || ch == "+" || ch == "?" {
        out.unicodeScalars.append(ch)
        i += 1
      } else if ch == "{" {
        var j = i + 1
        var text = "{"
        var counts: [Int] = []
        var digits = ""
        while j < source.count && source[j] != "}" {
          let c = source[j]
          if ("0"..."9").contains(c) {
            digits.unicodeScalars.append(c)
          } else if c == "," {
            counts.append(Int(digits) ?? -1)
            digits = ""
          } else {
            throw Reason("has a \"{\" that is not a repeat count")
          }
          text.unicodeScalars.append(c)
          j += 1
        }
        guard j < source.count else { throw Reason("has an unclosed \"{\"") }
        if !digits.isEmpty { counts.append(Int(digits) ?? Int.max) }
        if counts.contains(where: { $0 > 1000 }) {
          throw Reason("repeats more than 1000 times, the most RE2 allows")
        }
        out += text + "}"
        i = j + 1
      } else {
        return
      }
      if i < source.count && source[i] == "?" {
        out += "?"
        i += 1
      } else if i < source.count && source[i] == "+" {
        if re2 { throw Reason("uses a possessive quantifier, which RE2 lacks") }
        out += "+"
        i += 1
      }
      if i < source.count, "*+?{".unicodeScalars.contains(source[i]) {
        throw Reason("has two quantifiers in a row")
      }
    }

    /// An escape outside or inside a class, as the engine's equivalent.
    mutating func escape(inClass: Bool) throws(Reason) -> String {
      guard i + 1 < source.count else { throw Reason("ends with a lone backslash") }
      let ch = source[i + 1]
      i += 2
      // ICU's \s: [\t\n\f\r\p{Z}]; \d: \p{Nd}.
      let space = #"\t\n\x{0C}\r\p{Z}"#
      switch ch {
      case "d": return "\\p{Nd}"
      case "D": return "\\P{Nd}"
      case "s": return inClass ? space : "[\(space)]"
      case "S":
        if inClass { throw Reason("uses \\S inside a character class") }
        return "[^\(space)]"
      case "n": return "\\n"
      case "t": return "\\t"
      case "r": return "\\r"
      case "f": return "\\x{0C}"
      case "e": return "\\x{1B}"
      case "a": return "\\x{07}"
      case "p", "P":
        guard i < source.count, source[i] == "{", let close = source[i...].firstIndex(of: "}") else {
          throw Reason("uses \\\(ch) without a {property}")
        }
        let name = String(String.UnicodeScalarView(source[(i + 1)..<close]))
        let categories: Set<String> = [
          "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc", "Pd",
          "Ps",
          "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl", "Zp", "C", "Cc", "Cf", "Co",
          "Cn",
        ]
        guard categories.contains(name) else {
          throw Reason(
            "uses the property \\\(ch){\(name)}; only general categories (such as \\p{L}) are exported")
        }
        i = close + 1
        return "\\\(ch){\(name)}"
      case "x":
        // \xhh or \x{h…}
        if i < source.count && source[i] == "{" {
          guard let close = source[i...].firstIndex(of: "}") else { throw Reason("has an unclosed \\x{") }
          let hex = String(String.UnicodeScalarView(source[(i + 1)..<close]))
          guard let v = UInt32(hex, radix: 16) else { throw Reason("has a bad \\x{…} escape") }
          i = close + 1
          return String(format: "\\x{%X}", v)
        }
        guard i + 2 <= source.count,
          let v = UInt32(String(String.UnicodeScalarView(source[i..<(i + 2)])), radix: 16)
        else { throw Reason("has a bad \\x escape") }
        i += 2
        return String(format: "\\x{%X}", v)
      case "u":
        guard i + 4 <= source.count,
          let v = UInt32(String(String.UnicodeScalarView(source[i..<(i + 4)])), radix: 16)
        else { throw Reason("has a bad \\u escape") }
        i += 4
        return String(format: "\\x{%X}", v)
      default:
        if ch.isASCII && (ch.properties.isAlphabetic || ("0"..."9").contains(ch)) {
          throw Reason(
            "uses \\\(ch), which is not exported (word classes, boundaries and back references differ)")
        }
        return RegexTranslation.escapedLiteral(ch)
      }
    }

    /// `[…]`: literal characters, ranges and the escapes above; no nesting or set
    /// operations.
    mutating func characterClass() throws(Reason) -> String {
      var text = "["
      i += 1
      if i < source.count && source[i] == "^" {
        text += "^"
        i += 1
      }
      while i < source.count {
        let ch = source[i]
        if ch == "]" {
          i += 1
          return text + "]"
        }
        switch ch {
        case "[": throw Reason("nests character classes or uses POSIX classes")
        case "\\": text += try escape(inClass: true)
        case "&" where i + 1 < source.count && source[i + 1] == "&":
          throw Reason("uses a class intersection (&&)")
        case "-" where i + 1 < source.count && source[i + 1] == "-":
          throw Reason("uses a class subtraction (--)")
        case "-":
          text += "-"
          i += 1
        default:
          text += RegexTranslation.escapedLiteral(ch)
          i += 1
        }
      }
      throw Reason("has an unclosed \"[\"")
    }
  }
}
