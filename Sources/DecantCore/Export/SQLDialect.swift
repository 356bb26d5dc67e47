/// The SQL an exported job is written in: DuckDB's, or Spark SQL (which the
/// PySpark job runs too). Everything that is spelt differently in the two is
/// here; the operations' translations are written once, against this.
public struct SQLDialect: Sendable, Equatable {
  public enum Engine: String, Sendable {
    case duckdb
    case spark
  }

  public let engine: Engine

  public static let duckdb = SQLDialect(engine: .duckdb)
  public static let spark = SQLDialect(engine: .spark)

  /// The engine's name in messages (`DuckDB`, `Spark`).
  public var engineName: String { engine == .duckdb ? "DuckDB" : "Spark" }

  /// A column or view name, quoted.
  public func name(_ s: String) -> String {
    switch engine {
    case .duckdb: return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    case .spark: return "`" + s.replacingOccurrences(of: "`", with: "``") + "`"
    }
  }

  /// A string literal. Spark SQL reads backslash escapes in literals, so its
  /// backslashes and quotes are escaped; DuckDB doubles the quote only.
  public func text(_ s: String) -> String {
    switch engine {
    case .duckdb: return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
    case .spark:
      var out = "'"
      for ch in s.unicodeScalars {
        switch ch {
        case "\\": out += "\\\\"
        case "'": out += "\\'"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\0": out += "\\u0000"
        default: out.unicodeScalars.append(ch)
        }
      }
      return out + "'"
    }
  }

  /// A text literal, or SQL NULL for nil.
  public func text(_ s: String?) -> String { s.map { text($0) } ?? "NULL" }

  /// The type of text columns.
  public var textType: String { engine == .duckdb ? "VARCHAR" : "STRING" }

  public func startsWith(_ s: String, _ prefix: String) -> String {
    engine == .duckdb ? "starts_with(\(s), \(prefix))" : "startswith(\(s), \(prefix))"
  }

  public func endsWith(_ s: String, _ suffix: String) -> String {
    engine == .duckdb ? "ends_with(\(s), \(suffix))" : "endswith(\(s), \(suffix))"
  }

  public func contains(_ s: String, _ part: String) -> String { "contains(\(s), \(part))" }

  /// True when `pattern` (in the engine's regex syntax, see `RegexTranslation`)
  /// matches somewhere in `s`.
  public func regexFind(_ s: String, _ pattern: String) -> String {
    engine == .duckdb ? "regexp_matches(\(s), \(text(pattern)))" : "(\(s) RLIKE \(text(pattern)))"
  }

  /// Group `group` of the first match of `pattern` in `s`; '' when the group took
  /// no part or nothing matched (both engines).
  public func regexExtract(_ s: String, _ pattern: String, group: Int) -> String {
    "regexp_extract(\(s), \(text(pattern)), \(group))"
  }

  /// Every match of `pattern` in `s` replaced by `replacement` (in the engine's
  /// replacement syntax, see `RegexTranslation.replacement`).
  public func regexReplaceAll(_ s: String, _ pattern: String, _ replacement: String) -> String {
    switch engine {
    case .duckdb: return "regexp_replace(\(s), \(text(pattern)), \(text(replacement)), 'g')"
    case .spark: return "regexp_replace(\(s), \(text(pattern)), \(text(replacement)))"
    }
  }

  /// Lowercase hex SHA-256 of the UTF-8 bytes of `s`.
  public func sha256(_ s: String) -> String {
    engine == .duckdb ? "sha256(\(s))" : "sha2(CAST(\(s) AS BINARY), 256)"
  }

  /// Length in Unicode code points.
  public func length(_ s: String) -> String { engine == .duckdb ? "length(\(s))" : "char_length(\(s))" }

  /// Code points `start` (1-based) to the end, or `count` of them.
  public func substring(_ s: String, from start: String, count: String? = nil) -> String {
    if let count { return "substring(\(s), \(start), \(count))" }
    return engine == .duckdb ? "substring(\(s), \(start))" : "substring(\(s), \(start))"
  }

  /// `s` repeated `n` times.
  public func repeated(_ s: String, _ n: String) -> String {
    engine == .duckdb ? "repeat(\(s), \(n))" : "repeat(\(s), \(n))"
  }

  /// Stops the job with `message` (used where a value cannot be handled exactly).
  public func fail(_ message: String) -> String {
    engine == .duckdb ? "error(\(message))" : "raise_error(\(message))"
  }

  /// Text cast to an exact decimal of 38 digits, 18 after the point (callers
  /// check first that the value fits).
  public func decimal(_ s: String) -> String { "CAST(\(s) AS DECIMAL(38, 18))" }

  /// The string `s` split on the literal `separator`, as a list (1-based access
  /// through `element`).
  public func splitLiteral(_ s: String, _ separator: String) -> String {
    switch engine {
    case .duckdb: return "string_split(\(s), \(text(separator)))"
    case .spark:
      // Spark splits on a regex: quote the separator (\Q…\E cannot hold \E itself).
      return "split(\(s), \(text(RegexTranslation.javaQuote(separator))), -1)"
    }
  }

  /// Item `index` (1-based) of a list; NULL past its end.
  public func element(_ list: String, _ index: Int) -> String {
    engine == .duckdb ? "\(list)[\(index)]" : "try_element_at(\(list), \(index))"
  }

  public func listLength(_ list: String) -> String {
    engine == .duckdb ? "len(\(list))" : "size(\(list))"
  }

  /// Items `from` (1-based) to the end of a list, joined with `separator`.
  public func joinTail(_ list: String, from: Int, separator: String) -> String {
    switch engine {
    case .duckdb: return "array_to_string(\(list)[\(from):], \(text(separator)))"
    case .spark: return "array_join(slice(\(list), \(from), size(\(list))), \(text(separator)))"
    }
  }

  /// The last (first) non-null `x` over a window.
  public func lastNonNull(_ x: String, over window: String) -> String {
    engine == .duckdb
      ? "last_value(\(x) IGNORE NULLS) OVER (\(window))" : "last_value(\(x), true) OVER (\(window))"
  }

  public func firstNonNull(_ x: String, over window: String) -> String {
    engine == .duckdb
      ? "first_value(\(x) IGNORE NULLS) OVER (\(window))" : "first_value(\(x), true) OVER (\(window))"
  }

  // MARK: Whole numbers and time zones

  /// `a` divided by `b`, rounded toward zero (both engines' integer division).
  public func intDiv(_ a: String, _ b: String) -> String {
    engine == .duckdb ? "(\(a) // \(b))" : "(\(a) div \(b))"
  }

  /// `a` divided by the positive `b`, rounded down (`a` read three times: a name).
  public func floorDiv(_ a: String, _ b: Int) -> String {
    "CASE WHEN \(a) >= 0 THEN \(intDiv(a, String(b))) ELSE -\(intDiv("(-\(a) + \(b - 1))", String(b))) END"
  }

  /// Text of digits (at most 18, an optional `-`) as a whole number.
  public func bigint(_ s: String) -> String { "CAST(\(s) AS BIGINT)" }

  /// A whole number written in decimal (`-12`).
  public func decimalText(_ n: String) -> String { "CAST(\(n) AS \(textType))" }

  /// The UTC offset in seconds of the IANA zone named by the text expression `zone` at the instant `utc`
  /// (seconds since the epoch, within the years 1–9999), from the engine's
  /// time-zone data: ICU's in DuckDB, java.time's in Spark.
  public func zoneOffset(_ zone: String, at utc: String) -> String {
    switch engine {
    case .duckdb:
      return "(CAST(epoch(timezone(\(zone), to_timestamp(CAST(\(utc) AS DOUBLE)))) AS BIGINT) - \(utc))"
    case .spark:
      return "(unix_seconds(from_utc_timestamp(timestamp_seconds(\(utc)), \(zone))) - \(utc))"
    }
  }

  /// The smallest value of the text expression `expr` over `values`, each
  /// bound in turn to the name `variable`.
  public func minimum(over values: [String], _ variable: String, _ expr: String) -> String {
    let list = values.map { text($0) }.joined(separator: ", ")
    switch engine {
    case .duckdb: return "list_min(list_transform([\(list)], lambda \(variable): \(expr)))"
    case .spark: return "array_min(transform(array(\(list)), \(variable) -> \(expr)))"
    }
  }

  /// A table of text given row by row (SQL NULL for nil), its columns named
  /// `columns`; none of its rows when `rows` is empty.
  public func inlineTable(_ rows: [[String?]], columns: [String]) -> String {
    let typed = columns.map { "CAST(\($0) AS \(textType)) AS \($0)" }.joined(separator: ", ")
    guard !rows.isEmpty else {
      return "(SELECT " + columns.map { "CAST(NULL AS \(textType)) AS \($0)" }.joined(separator: ", ")
        + " WHERE FALSE)"
    }
    let values = rows.map { "(" + $0.map { text($0) }.joined(separator: ", ") + ")" }.joined(
      separator: ",\n    ")
    let names = columns.joined(separator: ", ")
    switch engine {
    case .duckdb: return "(SELECT \(typed) FROM (VALUES\n    \(values)) AS __t(\(names)))"
    case .spark: return "(SELECT \(typed) FROM VALUES\n    \(values) AS __t(\(names)))"
    }
  }
}
