/// Timestamps in an exported job, read and written as Decant's `TimestampReader`
/// and `TimestampWriter` do, in whole-number arithmetic on the proleptic
/// Gregorian calendar. No engine date type is used: their parsers and year
/// ranges differ from Decant's and from each other. Only time-zone offsets come
/// from the engine (`SQLDialect.zoneOffset`).
///
/// Each input format is read by one regular expression with a group per field.
/// Decant's parser takes every field greedily and never goes back; a regular
/// expression goes back where the greedy reading fails, so a field that may take
/// fewer digits than its most, followed by one that may start with a digit, is
/// checked to have taken all it could. Patterns that could still be read two
/// ways (an offset or a month name directly before a field of the same kind)
/// are refused.
enum TimestampSQL {
  /// A timestamp read from a cell: names of `let` values. `ok` is 1 when a
  /// format read the value; the fields are whole numbers, `fraction` the digits
  /// of the fraction of a second as written ('' for none), `offset` the value's
  /// own UTC offset in seconds (SQL NULL when it carried none).
  struct Fields {
    var ok: String
    var year: String
    var month: String
    var day: String
    var hour: String
    var minute: String
    var second: String
    var fraction: String
    var offset: String
  }

  // MARK: Reading

  /// Reads `raw` (a column as the step receives it) by `formats` in order, or as
  /// ISO 8601 when there are none, without the spaces and tabs around it.
  static func read(_ raw: String, formats: [TimestampFormat], sql: inout StepSQL) throws(ExportRefusal)
    -> Fields
  {
    let d = sql.dialect
    let value = sql.let(d.regexReplaceAll(raw, "^[ \\t]+|[ \\t]+\\z", ""))
    if formats.isEmpty { return readISO(value, sql: &sql) }
    var candidates: [Fields] = []
    for format in formats {
      guard let pattern = try Pattern(format, sql: sql) else { continue }
      candidates.append(pattern.read(value, sql: &sql))
    }
    guard !candidates.isEmpty else {
      let zero = sql.let("0")
      return Fields(
        ok: zero, year: zero, month: zero, day: zero, hour: zero, minute: zero, second: zero,
        fraction: "''", offset: "CAST(NULL AS BIGINT)")
    }
    if candidates.count == 1 { return candidates[0] }
    // The first format that reads the value gives its fields.
    func first(_ field: KeyPath<Fields, String>, otherwise: String) -> String {
      "CASE " + candidates.map { "WHEN \($0.ok) = 1 THEN \($0[keyPath: field])" }.joined(separator: " ")
        + " ELSE \(otherwise) END"
    }
    let names = sql.lets([
      "CASE WHEN " + candidates.map { "\($0.ok) = 1" }.joined(separator: " OR ") + " THEN 1 ELSE 0 END",
      first(\.year, otherwise: "0"), first(\.month, otherwise: "0"), first(\.day, otherwise: "0"),
      first(\.hour, otherwise: "0"), first(\.minute, otherwise: "0"), first(\.second, otherwise: "0"),
      first(\.fraction, otherwise: "''"), first(\.offset, otherwise: "NULL"),
    ])
    return Fields(
      ok: names[0], year: names[1], month: names[2], day: names[3], hour: names[4], minute: names[5],
      second: names[6], fraction: names[7], offset: names[8])
  }

  /// The failure of a value no format reads, with `TimestampReader.failure`'s reason.
  static func unreadable(_ raw: String, _ t: Fields, formats: [TimestampFormat], _ d: SQLDialect) -> (
    when: String, reason: String
  ) {
    let tried = TimestampReader(formats: formats).formatsTried
    return (
      "\(t.ok) = 0", "'cannot read \"' || \(raw) || \(d.text("\" as a timestamp (formats tried: \(tried))"))"
    )
  }

  /// `Z`, `±HH:MM[:SS]`, `±HHMM[SS]` or `±HH`, as Decant reads an offset.
  static let offsetRegex = "[Zz]|" + signedOffsetRegex

  /// `±HH:MM[:SS]`, `±HHMM[SS]` or `±HH` (a zone named by its offset).
  static let signedOffsetRegex =
    "[+-](?:[01][0-9]|2[0-3])(?::[0-5][0-9](?::[0-5][0-9])?|[0-5][0-9](?:[0-5][0-9])?)?"

  /// Seconds east of UTC of a text `offsetRegex` matched ('' → NULL).
  static func offsetSeconds(_ g: String, _ d: SQLDialect) -> String {
    let digits = "replace(substring(\(g), 2), ':', '')"
    func part(_ from: Int) -> String {
      "CASE WHEN \(d.length(digits)) >= \(from + 1) THEN \(d.bigint(d.substring(digits, from: "\(from)", count: "2"))) ELSE 0 END"
    }
    return "CASE WHEN \(g) = '' THEN NULL WHEN \(g) IN ('Z', 'z') THEN 0 ELSE "
      + "(CASE WHEN \(d.startsWith(g, "'-'")) THEN -1 ELSE 1 END) * ("
      + "\(d.bigint(d.substring(digits, from: "1", count: "2"))) * 3600 + \(part(3)) * 60 + \(part(5))) END"
  }

  /// Decant's ISO 8601 reading (`TimestampFormat.parseISO`).
  private static func readISO(_ value: String, sql: inout StepSQL) -> Fields {
    let d = sql.dialect
    let regex =
      "^([0-9]{4}|[+-][0-9]{4,9})-([0-9]{2})-([0-9]{2})(?:[Tt ]([0-9]{2}):([0-9]{2})"
      + "(?::([0-9]{2})(?:[.,]([0-9]{1,9}))?)?(\(offsetRegex))?)?\\z"
    let g = sql.lets((1...8).map { d.regexExtract(value, regex, group: $0) })
    func number(_ s: String) -> String { "CASE WHEN \(s) = '' THEN 0 ELSE \(d.bigint(s)) END" }
    // An expanded year's sign: `-`, or `+` (dropped before the cast).
    let year = number(d.regexReplaceAll(g[0], "^\\+", ""))
    let f = sql.lets([
      "CASE WHEN \(d.regexFind(value, regex)) THEN 1 ELSE 0 END", year, number(g[1]), number(g[2]),
      number(g[3]),
      number(g[4]), number(g[5]), g[6], offsetSeconds(g[7], d),
    ])
    var fields = Fields(
      ok: f[0], year: f[1], month: f[2], day: f[3], hour: f[4], minute: f[5], second: f[6], fraction: f[7],
      offset: f[8])
    fields.ok = sql.let("CASE WHEN \(fields.ok) = 1 AND \(isValid(fields, d)) THEN 1 ELSE 0 END")
    return fields
  }

  /// True when the fields name a real date and time of day (`CivilDateTime.isValid`).
  static func isValid(_ t: Fields, _ d: SQLDialect) -> String {
    "(\(t.month) BETWEEN 1 AND 12 AND \(t.day) >= 1 AND \(t.day) <= \(daysInMonth(t.year, t.month)) "
      + "AND \(t.hour) BETWEEN 0 AND 23 AND \(t.minute) BETWEEN 0 AND 59 AND \(t.second) BETWEEN 0 AND 59)"
  }

  static func isLeap(_ y: String) -> String { "(\(y) % 4 = 0 AND (\(y) % 100 <> 0 OR \(y) % 400 = 0))" }

  static func daysInMonth(_ y: String, _ m: String) -> String {
    "CASE WHEN \(m) = 2 THEN CASE WHEN \(isLeap(y)) THEN 29 ELSE 28 END WHEN \(m) IN (4, 6, 9, 11) THEN 30 ELSE 31 END"
  }

  /// One `input_formats` pattern as a regular expression, with what each group reads.
  private struct Pattern {
    let format: TimestampFormat
    var regex = "^"
    /// The directive each field reads (`z` for `%z` and `%:z`), in order;
    /// fields are numbered from 1.
    var groups: [UInt8] = []
    /// The regular expression's group of each field read (others are matched
    /// but not captured: DuckDB's `regexp_extract` reaches groups 1–9 only).
    var captures: [Int: Int] = [:]
    /// Fields that must have taken all the digits they could: the field, its
    /// most digits, and the field after it when that one may start with a digit
    /// or not (nil: it always does).
    var greedy: [(group: Int, most: Int, next: Int?)] = []
    /// The fields whose values the parser keeps: the last of each kind.
    static let kinds = ["Yy", "mbB", "de", "j", "H", "I", "p", "M", "S", "f", "z", "s"]

    /// nil when the pattern reads no value at all (two spaces in a row: the
    /// first takes every blank).
    init?(_ format: TimestampFormat, sql: StepSQL) throws(ExportRefusal) {
      self.format = format
      let tokens = format.tokens
      var i = 0
      var parts: [(text: String, field: Int?)] = []
      func refuse(_ why: String) -> ExportRefusal {
        sql.refuse("the input format \"\(format.pattern)\" \(why)", field: "input_formats")
      }
      while i < tokens.count {
        let token = tokens[i]
        let next = i + 1 < tokens.count ? tokens[i + 1] : nil
        switch token {
        case .literal:
          var bytes: [UInt8] = []
          while i < tokens.count, case .literal(let c) = tokens[i] {
            bytes.append(c)
            i += 1
          }
          guard let text = String(validating: bytes, as: UTF8.self) else {
            throw refuse("holds bytes that are not UTF-8")
          }
          parts.append((RegexTranslation.literal(text), nil))
          continue
        case .space:
          if case .space? = next { return nil }
          if case .literal(9)? = next { return nil }
          parts.append(("[ \\t]+", nil))
        case .colonOffset, .directive:
          var directive: UInt8 = UInt8(ascii: "z")
          if case .directive(let x) = token { directive = x }
          groups.append(directive)
          let group = groups.count
          let piece: String
          var most = 0
          switch directive {
          case UInt8(ascii: "Y"): piece = "-?[0-9]{4}"
          case UInt8(ascii: "y"): piece = "[0-9]{2}"
          case UInt8(ascii: "e"):
            piece = " ?[0-9]{1,2}"
            most = 2
          case UInt8(ascii: "j"):
            piece = "[0-9]{1,3}"
            most = 3
          case UInt8(ascii: "f"):
            piece = "[0-9]{1,9}"
            most = 9
          case UInt8(ascii: "s"):
            piece = "-?[0-9]{1,12}"
            most = 12
          case UInt8(ascii: "p"): piece = "[AaPp][Mm]"
          case UInt8(ascii: "b"), UInt8(ascii: "B"):
            piece = Pattern.names(TimestampFormat.monthNames)
          case UInt8(ascii: "a"), UInt8(ascii: "A"):
            piece = Pattern.names(TimestampFormat.dayNames)
          case UInt8(ascii: "z"): piece = TimestampSQL.offsetRegex
          default:
            piece = "[0-9]{1,2}"
            most = 2
          }
          parts.append((piece, group))
          let nextDigit = next.map(Pattern.startsWithDigit) ?? .never
          if most > 0, nextDigit != .never {
            greedy.append((group, most, nextDigit == .always ? nil : group + 1))
          }
          if directive == UInt8(ascii: "z"), let next, nextDigit != .never || next == .literal(58) {
            throw refuse(
              "reads an offset right before a digit or a colon, which a regular expression cannot read as Decant does"
            )
          }
          let isName = "bBaA".utf8.contains(directive)
          if isName, let next, Pattern.mayStartWithLetter(next) {
            throw refuse(
              "reads a month or day name right before letters, which a regular expression cannot read as Decant does"
            )
          }
        }
        i += 1
      }
      var read = Set(greedy.flatMap { [$0.group] + ($0.next.map { [$0] } ?? []) })
      for kind in Pattern.kinds {
        if let last = groups.lastIndex(where: { kind.utf8.contains($0) }) { read.insert(last + 1) }
      }
      for (piece, field) in parts {
        if let field, read.contains(field) {
          captures[field] = captures.count + 1
          regex += "(" + piece + ")"
        } else {
          regex += field == nil ? piece : "(?:" + piece + ")"
        }
      }
      regex += "\\z"
      if captures.count > 9 && sql.dialect.engine == .duckdb {
        throw refuse("reads more than nine fields, and DuckDB's regexp_extract returns nine groups at most")
      }
    }

    enum Start { case always, maybe, never }

    /// Whether what a token reads starts with a digit.
    static func startsWithDigit(_ token: TimestampFormat.Token) -> Start {
      switch token {
      case .literal(let c): return (48...57).contains(c) ? .always : .never
      case .space, .colonOffset: return .never
      case .directive(let d):
        if "Yse".utf8.contains(d) { return .maybe }
        return "ymdjHIMSf".utf8.contains(d) ? .always : .never
      }
    }

    static func mayStartWithLetter(_ token: TimestampFormat.Token) -> Bool {
      switch token {
      case .literal(let c): return (c | 0x20) >= 97 && (c | 0x20) <= 122
      case .space: return false
      case .colonOffset: return true
      case .directive(let d): return "pbBaAz".utf8.contains(d)
      }
    }

    /// Full names, then their three-letter forms, ASCII letters in either case.
    static func names(_ table: [[UInt8]]) -> String {
      func caseless(_ name: ArraySlice<UInt8>) -> String {
        name.map { c in
          let lower = Character(Unicode.Scalar(c))
          return "[\(lower.uppercased())\(lower)]"
        }.joined()
      }
      return (table.map { caseless($0[...]) } + table.map { caseless($0.prefix(3)) }).joined(separator: "|")
    }

    /// The fields of `value` by this pattern, as Decant's parser gives them.
    func read(_ value: String, sql: inout StepSQL) -> Fields {
      let d = sql.dialect
      let g = sql.lets(
        [d.regexFind(value, regex)] + (0..<captures.count).map { d.regexExtract(value, regex, group: $0 + 1) }
      )
      let matched = g[0]
      func text(_ field: Int) -> String { g[captures[field]!] }
      func number(_ group: Int) -> String {
        "CASE WHEN \(text(group)) = '' THEN 0 ELSE \(d.bigint(d.regexReplaceAll(text(group), "^ ", ""))) END"
      }
      // The last group of a kind wins, as the parser overwrites the field.
      func last(_ kinds: String) -> Int? {
        groups.lastIndex { kinds.utf8.contains($0) }.map { $0 + 1 }
      }
      var checks = ["\(matched)"]
      for (group, most, next) in greedy {
        let digits = d.length(d.regexReplaceAll(text(group), "[^0-9]", ""))
        if let next {
          checks.append("(\(digits) = \(most) OR NOT \(d.regexFind(text(next), "^[0-9]")))")
        } else {
          checks.append("\(digits) = \(most)")
        }
      }
      if let h = last("I") { checks.append("\(number(h)) BETWEEN 1 AND 12") }
      var year = "1900"
      if let y = last("Yy") {
        year =
          groups[y - 1] == UInt8(ascii: "Y")
          ? number(y) : "CASE WHEN \(number(y)) < 69 THEN 2000 + \(number(y)) ELSE 1900 + \(number(y)) END"
      }
      var month = "1"
      if let m = last("mbB") {
        if groups[m - 1] == UInt8(ascii: "m") {
          month = number(m)
        } else {
          let abbreviations = TimestampFormat.monthNames.enumerated().map {
            "WHEN \(d.text(String(decoding: $1.prefix(3), as: UTF8.self))) THEN \($0 + 1)"
          }
          month = "CASE lower(substring(\(text(m)), 1, 3)) \(abbreviations.joined(separator: " ")) ELSE 1 END"
        }
      }
      let day = last("de").map(number) ?? "1"
      var hour = last("H").map(number) ?? "0"
      if let h = last("I"), let p = last("p") {
        hour = "(\(number(h)) % 12 + CASE WHEN lower(\(text(p))) = 'pm' THEN 12 ELSE 0 END)"
      }
      let minute = last("M").map(number) ?? "0"
      let second = last("S").map(number) ?? "0"
      let fraction = last("f").map(text) ?? "''"
      let offset = last("z").map { offsetSeconds(text($0), d) } ?? "CAST(NULL AS BIGINT)"
      let f = sql.lets([
        "CASE WHEN \(checks.joined(separator: " AND ")) THEN 1 ELSE 0 END", year, month, day, hour, minute,
        second,
        fraction, offset,
      ])
      var fields = Fields(
        ok: f[0], year: f[1], month: f[2], day: f[3], hour: f[4], minute: f[5], second: f[6], fraction: f[7],
        offset: f[8])
      if let s = last("s") {
        // Seconds since the epoch: the other fields are read but not used.
        var t = wallClock(sql.let(number(s)), fraction: fields.fraction, sql: &sql)
        t.ok = fields.ok
        t.offset = "CASE WHEN \(fields.ok) = 1 THEN 0 END"
        return t
      }
      if let j = last("j") {
        // A day of the year gives the month and day.
        let dayOfYear = sql.let(number(j))
        let inYear = "\(dayOfYear) BETWEEN 1 AND CASE WHEN \(isLeap(fields.year)) THEN 366 ELSE 365 END"
        let days = sql.let(
          "CASE WHEN \(inYear) THEN \(daysFromCivil(year: fields.year, month: "1", day: "1", d)) + \(dayOfYear) - 1 ELSE 0 END"
        )
        let (_, m, dd) = civil(days: days, sql: &sql)
        fields.month = m
        fields.day = dd
        fields.ok = sql.let("CASE WHEN \(fields.ok) = 1 AND \(inYear) THEN 1 ELSE 0 END")
      }
      fields.ok = sql.let("CASE WHEN \(fields.ok) = 1 AND \(isValid(fields, d)) THEN 1 ELSE 0 END")
      return fields
    }
  }

  // MARK: The calendar

  /// Days since 1970-01-01 of a civil date (`CivilTime.daysFromCivil`); the
  /// arguments are names (each is read more than once).
  static func daysFromCivil(year: String, month: String, day: String, _ d: SQLDialect) -> String {
    let y = "(CASE WHEN \(month) <= 2 THEN \(year) - 1 ELSE \(year) END)"
    let era = "(\(d.floorDiv(y, 400)))"
    let yoe = "(\(y) - \(era) * 400)"
    let doy =
      "(\(d.intDiv("(153 * (CASE WHEN \(month) > 2 THEN \(month) - 3 ELSE \(month) + 9 END) + 2)", "5")) + \(day) - 1)"
    return
      "(\(era) * 146097 + \(yoe) * 365 + \(d.intDiv(yoe, "4")) - \(d.intDiv(yoe, "100")) + \(doy) - 719468)"
  }

  /// The civil date of a day number (`CivilTime.civilFromDays`): names of year, month and day.
  static func civil(days: String, sql: inout StepSQL) -> (String, String, String) {
    let d = sql.dialect
    let era = sql.let(d.floorDiv("(\(days) + 719468)", 146_097))
    let doe = sql.let("\(days) + 719468 - \(era) * 146097")
    let yoe = sql.let(
      d.intDiv(
        "(\(doe) - \(d.intDiv(doe, "1460")) + \(d.intDiv(doe, "36524")) - \(d.intDiv(doe, "146096")))", "365")
    )
    let doy = sql.let("\(doe) - (365 * \(yoe) + \(d.intDiv(yoe, "4")) - \(d.intDiv(yoe, "100")))")
    let mp = sql.let(d.intDiv("(5 * \(doy) + 2)", "153"))
    let md = sql.lets([
      "CASE WHEN \(mp) < 10 THEN \(mp) + 3 ELSE \(mp) - 9 END",
      "\(doy) - \(d.intDiv("(153 * \(mp) + 2)", "5")) + 1",
    ])
    let year = sql.let("\(yoe) + \(era) * 400 + CASE WHEN \(md[0]) <= 2 THEN 1 ELSE 0 END")
    return (year, md[0], md[1])
  }

  /// Seconds since the epoch of the fields' wall-clock time read as UTC.
  static func localSeconds(_ t: Fields, _ d: SQLDialect) -> String {
    "(\(daysFromCivil(year: t.year, month: t.month, day: t.day, d)) * 86400 + \(t.hour) * 3600 + \(t.minute) * 60 + \(t.second))"
  }

  /// The wall-clock fields of `seconds` (a name) since the epoch.
  static func wallClock(_ seconds: String, fraction: String, sql: inout StepSQL) -> Fields {
    let d = sql.dialect
    let days = sql.let(d.floorDiv(seconds, 86_400))
    let (y, m, dd) = civil(days: days, sql: &sql)
    let time = sql.lets([
      d.intDiv("(\(seconds) - \(days) * 86400)", "3600"),
      "\(d.intDiv("(\(seconds) - \(days) * 86400)", "60")) % 60", "(\(seconds) - \(days) * 86400) % 60",
    ])
    return Fields(
      ok: "1", year: y, month: m, day: dd, hour: time[0], minute: time[1], second: time[2],
      fraction: fraction,
      offset: "NULL")
  }

  // MARK: Writing

  /// `v` written in decimal, zero-padded (or `fill`-padded) to `width` digits
  /// after its sign, never cut (`TimestampFormat`'s `pad`).
  static func pad(_ v: String, _ width: Int, fill: String = "0", _ d: SQLDialect) -> String {
    // Fields of a valid time of day and date (0–99) need no sign or cut check.
    if width == 2 { return "lpad(\(d.decimalText(v)), 2, '\(fill)')" }
    let digits = d.decimalText("abs(\(v))")
    let padded =
      width <= 1
      ? digits
      : "CASE WHEN \(d.length(digits)) >= \(width) THEN \(digits) ELSE lpad(\(digits), \(width), '\(fill)') END"
    return "(CASE WHEN \(v) < 0 THEN '-' ELSE '' END || \(padded))"
  }

  /// An offset in seconds as `+HHMM` or `+HH:MM` (seconds added when not whole minutes).
  static func offsetText(_ offset: String, colon: Bool, _ d: SQLDialect) -> String {
    let a = "abs(\(offset))"
    let sep = colon ? " || ':'" : ""
    return "(CASE WHEN \(offset) < 0 THEN '-' ELSE '+' END || \(pad(d.intDiv(a, "3600"), 2, d))\(sep) || "
      + "\(pad("\(d.intDiv(a, "60")) % 60", 2, d)) || CASE WHEN \(a) % 60 <> 0 THEN ''\(sep) || \(pad("\(a) % 60", 2, d)) ELSE '' END)"
  }

  /// The default output: `2024-03-10T07:30:00Z` in a UTC zone, `…+01:00` elsewhere (`ISO8601.append`).
  static func iso(_ t: Fields, offset: String, utcZone: Bool, _ d: SQLDialect) -> String {
    let year =
      "CASE WHEN \(t.year) BETWEEN 0 AND 9999 THEN \(pad(t.year, 4, d)) "
      + "ELSE CASE WHEN \(t.year) < 0 THEN '-' ELSE '+' END || \(pad("abs(\(t.year))", 4, d)) END"
    var zone = offsetText(offset, colon: true, d)
    if utcZone { zone = "CASE WHEN \(offset) = 0 THEN 'Z' ELSE \(zone) END" }
    return
      "\(year) || '-' || \(pad(t.month, 2, d)) || '-' || \(pad(t.day, 2, d)) || 'T' || \(pad(t.hour, 2, d)) || ':' || "
      + "\(pad(t.minute, 2, d)) || ':' || \(pad(t.second, 2, d)) || "
      + "CASE WHEN \(t.fraction) <> '' THEN '.' || \(t.fraction) ELSE '' END || \(zone)"
  }

  /// `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS[.fraction]` and the value's own
  /// offset (`Z` for zero) as cast writes them (`CastOperation.writeISO`).
  static func castISO(_ t: Fields, dateOnly: Bool, _ d: SQLDialect) -> String {
    let date = "\(pad(t.year, 4, d)) || '-' || \(pad(t.month, 2, d)) || '-' || \(pad(t.day, 2, d))"
    if dateOnly { return date }
    return
      "\(date) || 'T' || \(pad(t.hour, 2, d)) || ':' || \(pad(t.minute, 2, d)) || ':' || \(pad(t.second, 2, d)) || "
      + "CASE WHEN \(t.fraction) <> '' THEN '.' || \(t.fraction) ELSE '' END || "
      + "CASE WHEN \(t.offset) IS NULL THEN '' WHEN \(t.offset) = 0 THEN 'Z' ELSE \(offsetText(t.offset, colon: true, d)) END"
  }

  /// `t` written by `format` (`TimestampFormat.format`): `offset` is what `%z`
  /// and `%:z` write (nothing when SQL NULL), `utc` what `%s` writes.
  static func write(
    _ t: Fields, format: TimestampFormat, offset: String, utc: String, zoneName: String, _ d: SQLDialect
  ) -> String {
    var parts: [String] = []
    var literal = ""
    func flush() {
      if !literal.isEmpty { parts.append(d.text(literal)) }
      literal = ""
    }
    var bytes: [UInt8] = []
    func flushBytes() {
      literal += String(decoding: bytes, as: UTF8.self)
      bytes = []
    }
    let days = daysFromCivil(year: t.year, month: t.month, day: t.day, d)
    for token in format.tokens {
      if case .literal(let c) = token {
        bytes.append(c)
        continue
      }
      flushBytes()
      switch token {
      case .literal: break
      case .space: literal += " "
      case .colonOffset:
        flush()
        parts.append("CASE WHEN \(offset) IS NULL THEN '' ELSE \(offsetText(offset, colon: true, d)) END")
      case .directive(let c):
        if c == UInt8(ascii: "Z") {
          literal += zoneName
          continue
        }
        flush()
        switch c {
        case UInt8(ascii: "Y"): parts.append(pad(t.year, 4, d))
        case UInt8(ascii: "y"): parts.append(pad("((\(t.year) % 100) + 100) % 100", 2, d))
        case UInt8(ascii: "m"): parts.append(pad(t.month, 2, d))
        case UInt8(ascii: "d"): parts.append(pad(t.day, 2, d))
        case UInt8(ascii: "e"): parts.append(pad(t.day, 2, fill: " ", d))
        case UInt8(ascii: "j"):
          parts.append(pad("(\(days) - \(daysFromCivil(year: t.year, month: "1", day: "1", d)) + 1)", 3, d))
        case UInt8(ascii: "H"): parts.append(pad(t.hour, 2, d))
        case UInt8(ascii: "I"):
          parts.append(pad("CASE WHEN \(t.hour) % 12 = 0 THEN 12 ELSE \(t.hour) % 12 END", 2, d))
        case UInt8(ascii: "M"): parts.append(pad(t.minute, 2, d))
        case UInt8(ascii: "S"): parts.append(pad(t.second, 2, d))
        case UInt8(ascii: "f"):
          parts.append("\(t.fraction) || \(d.repeated("'0'", "greatest(0, 6 - \(d.length(t.fraction)))"))")
        case UInt8(ascii: "p"): parts.append("CASE WHEN \(t.hour) < 12 THEN 'AM' ELSE 'PM' END")
        case UInt8(ascii: "b"), UInt8(ascii: "B"):
          let names = TimestampFormat.monthNames.enumerated().map { i, full in
            let name = String(decoding: c == UInt8(ascii: "b") ? full.prefix(3) : full[...], as: UTF8.self)
            return "WHEN \(i + 1) THEN \(d.text(name.prefix(1).uppercased() + name.dropFirst()))"
          }
          parts.append("CASE \(t.month) \(names.joined(separator: " ")) END")
        case UInt8(ascii: "a"), UInt8(ascii: "A"):
          let names = TimestampFormat.dayNames.enumerated().map { i, full in
            let name = String(decoding: c == UInt8(ascii: "a") ? full.prefix(3) : full[...], as: UTF8.self)
            return "WHEN \(i) THEN \(d.text(name.prefix(1).uppercased() + name.dropFirst()))"
          }
          parts.append("CASE ((\(days) % 7) + 11) % 7 \(names.joined(separator: " ")) END")
        case UInt8(ascii: "z"):
          parts.append("CASE WHEN \(offset) IS NULL THEN '' ELSE \(offsetText(offset, colon: false, d)) END")
        case UInt8(ascii: "s"): parts.append(d.decimalText(utc))
        default: break
        }
      }
    }
    flushBytes()
    flush()
    return parts.isEmpty ? "''" : parts.joined(separator: " || ")
  }
}
