/// A compiled strftime-style pattern that parses and formats timestamps over bytes.
///
/// Directives: `%Y` `%y` `%m` `%d` `%e` `%j` `%H` `%I` `%M` `%S` `%f` `%p` `%b`
/// `%B` `%a` `%A` `%z` `%:z` `%Z` (formatting only) `%s` `%T` `%F` `%%`. A space in a
/// pattern matches one or more spaces or tabs. On input, `%m %d %e %H %I %M %S`
/// read one or two digits (as strptime does: `2013-1-5 7:05` reads with
/// `%Y-%m-%d %H:%M`), `%j` one to three, `%Y` four (after an optional `-`), `%y`
/// two; on output they are zero-padded to their width. `%f` reads 1–9 fraction
/// digits and writes the digits as read (at least six, like microseconds). `%z`
/// reads `Z`, `±HH:MM`, `±HHMM` or `±HH`; `%z` and `%:z` write a value's offset
/// (`+0100`, `+01:00`), nothing for a value that has none.
public struct TimestampFormat: Sendable, Equatable {
  enum Token: Sendable, Equatable {
    case literal(UInt8)
    case space
    case directive(UInt8)
    case colonOffset
  }

  public let pattern: String
  let tokens: [Token]

  /// The pattern is invalid: names the offending directive.
  public struct PatternError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
  }

  /// What an input pattern may hold, as `decant ops` describes it.
  public static let readingHelp =
    "%Y %y %m %d %e %j %H %I %M %S %f %p %b %B %a %A %z %:z %s %T %F %%; %m %d %e %H %I %M %S read one or two digits, a space matches spaces and tabs"

  /// What an output pattern may hold, as `decant ops` describes it.
  public static let writingHelp =
    "%Y %y %m %d %e %j %H %I %M %S %f %p %b %B %a %A %z %:z %s %T %F %% (numbers zero-padded, %f at least six digits)"

  static let parseDirectives: Set<UInt8> = Set("YymdejHIMSfpbBaAzsTF%".utf8)
  static let formatDirectives: Set<UInt8> = Set("YymdejHIMSfpbBaAzZsTF%".utf8)

  /// Compiles a pattern. `forParsing` rejects directives that cannot be read and
  /// patterns that do not name a full date.
  public init(_ pattern: String, forParsing: Bool) throws(PatternError) {
    self.pattern = pattern
    var tokens: [Token] = []
    let bytes = Array(pattern.utf8)
    var i = 0
    while i < bytes.count {
      let c = bytes[i]
      if c == UInt8(ascii: "%") {
        guard i + 1 < bytes.count else {
          throw PatternError(
            message: "the pattern \"\(pattern)\" ends with a lone '%' (write %% for a percent sign)")
        }
        var d = bytes[i + 1]
        if d == UInt8(ascii: ":"), i + 2 < bytes.count, bytes[i + 2] == UInt8(ascii: "z") {
          tokens.append(.colonOffset)
          i += 3
          continue
        }
        let allowed = forParsing ? TimestampFormat.parseDirectives : TimestampFormat.formatDirectives
        guard allowed.contains(d) else {
          throw PatternError(
            message:
              "the pattern \"\(pattern)\" uses %\(Character(Unicode.Scalar(d))), which Decant does not \(forParsing ? "read" : "write"); "
              + "use %Y %m %d %H %M %S %f %z %b %p %I and friends (see `decant ops`)")
        }
        switch d {
        case UInt8(ascii: "T"):
          tokens += [
            .directive(UInt8(ascii: "H")), .literal(58), .directive(UInt8(ascii: "M")), .literal(58),
          ]
          d = UInt8(ascii: "S")
        case UInt8(ascii: "F"):
          tokens += [
            .directive(UInt8(ascii: "Y")), .literal(45), .directive(UInt8(ascii: "m")), .literal(45),
          ]
          d = UInt8(ascii: "d")
        case UInt8(ascii: "%"):
          tokens.append(.literal(UInt8(ascii: "%")))
          i += 2
          continue
        default: break
        }
        tokens.append(.directive(d))
        i += 2
      } else if c == 32 {
        tokens.append(.space)
        i += 1
      } else {
        tokens.append(.literal(c))
        i += 1
      }
    }
    self.tokens = tokens
    if forParsing {
      let ds = Set(tokens.compactMap { if case .directive(let d) = $0 { return d } else { return nil } })
      let hasEpoch = ds.contains(UInt8(ascii: "s"))
      let hasYear = ds.contains(UInt8(ascii: "Y")) || ds.contains(UInt8(ascii: "y"))
      let hasMonthDay =
        (ds.contains(UInt8(ascii: "m")) || ds.contains(UInt8(ascii: "b")) || ds.contains(UInt8(ascii: "B")))
        && (ds.contains(UInt8(ascii: "d")) || ds.contains(UInt8(ascii: "e")))
      if !hasEpoch && !(hasYear && (hasMonthDay || ds.contains(UInt8(ascii: "j")))) {
        throw PatternError(
          message:
            "the input format \"\(pattern)\" does not name a full date (it needs a year, a month and a day)")
      }
      if ds.contains(UInt8(ascii: "I")) != ds.contains(UInt8(ascii: "p")) {
        throw PatternError(
          message: "the input format \"\(pattern)\" must use %I and %p together (12-hour clock)")
      }
    }
  }

  static let monthNames = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
  ].map { Array($0.utf8) }
  static let dayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"].map {
    Array($0.utf8)
  }

  // MARK: Parsing

  /// Parses `bytes` (already trimmed) as a whole; nil when it does not match.
  public func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> CivilDateTime? {
    tokens.withUnsafeBufferPointer { TimestampFormat.parse(tokens: $0, bytes) }
  }

  /// Parses with compiled tokens held by the caller (hot loops keep one pointer per batch).
  static func parse(tokens: UnsafeBufferPointer<Token>, _ bytes: UnsafeBufferPointer<UInt8>) -> CivilDateTime?
  {
    var p = 0
    let n = bytes.count
    var year = 1900
    var month = 1
    var day = 1
    var dayOfYear = -1
    var hour = 0
    var minute = 0
    var second = 0
    var hour12 = -1
    var pm: Bool? = nil
    var fraction: UnsafeBufferPointer<UInt8>? = nil
    var offset: Int? = nil
    var epoch: Int64? = nil

    for (index, token) in tokens.enumerated() {
      switch token {
      case .literal(let c):
        guard p < n, bytes[p] == c else { return nil }
        p += 1
      case .space:
        guard p < n, bytes[p] == 32 || bytes[p] == 9 else { return nil }
        while p < n, bytes[p] == 32 || bytes[p] == 9 { p += 1 }
      case .colonOffset:
        guard let o = TimestampFormat.readOffset(bytes, &p) else { return nil }
        offset = o
      case .directive(let d):
        switch d {
        case UInt8(ascii: "Y"):
          var negative = false
          if p < n, bytes[p] == UInt8(ascii: "-") {
            negative = true
            p += 1
          }
          guard let v = TimestampFormat.digits(bytes, &p, 4, 4) else { return nil }
          year = negative ? -v : v
        case UInt8(ascii: "y"):
          guard let v = TimestampFormat.digits(bytes, &p, 2, 2) else { return nil }
          year = v < 69 ? 2000 + v : 1900 + v
        case UInt8(ascii: "m"):
          guard let v = TimestampFormat.digits(bytes, &p, 1, 2) else { return nil }
          month = v
        case UInt8(ascii: "d"):
          guard let v = TimestampFormat.digits(bytes, &p, 1, 2) else { return nil }
          day = v
        case UInt8(ascii: "e"):
          if p < n, bytes[p] == 32 { p += 1 }
          guard let v = TimestampFormat.digits(bytes, &p, 1, 2) else { return nil }
          day = v
        case UInt8(ascii: "j"):
          guard let v = TimestampFormat.digits(bytes, &p, 1, 3) else { return nil }
          dayOfYear = v
        case UInt8(ascii: "H"):
          guard let v = TimestampFormat.digits(bytes, &p, 1, 2) else { return nil }
          hour = v
        case UInt8(ascii: "I"):
          guard let v = TimestampFormat.digits(bytes, &p, 1, 2), v >= 1, v <= 12 else { return nil }
          hour12 = v
        case UInt8(ascii: "M"):
          guard let v = TimestampFormat.digits(bytes, &p, 1, 2) else { return nil }
          minute = v
        case UInt8(ascii: "S"):
          guard let v = TimestampFormat.digits(bytes, &p, 1, 2) else { return nil }
          second = v
        case UInt8(ascii: "f"):
          let s = p
          _ = TimestampFormat.digits(bytes, &p, 1, 9)
          guard p > s else { return nil }
          fraction = UnsafeBufferPointer(rebasing: bytes[s..<p])
        case UInt8(ascii: "p"):
          guard p + 1 < n, bytes[p + 1] | 0x20 == UInt8(ascii: "m") else { return nil }
          switch bytes[p] | 0x20 {
          case UInt8(ascii: "a"): pm = false
          case UInt8(ascii: "p"): pm = true
          default: return nil
          }
          p += 2
        case UInt8(ascii: "b"), UInt8(ascii: "B"):
          guard let m = TimestampFormat.name(bytes, &p, TimestampFormat.monthNames) else { return nil }
          month = m + 1
        case UInt8(ascii: "a"), UInt8(ascii: "A"):
          guard TimestampFormat.name(bytes, &p, TimestampFormat.dayNames) != nil else { return nil }
        case UInt8(ascii: "z"):
          // `+HHMMSS` only when no number directly follows (`%z%S` is `+HHMM` then seconds).
          var numberFollows = false
          if index + 1 < tokens.count, case .directive(let next) = tokens[index + 1] {
            numberFollows = TimestampFormat.isNumeric(next)
          }
          guard let o = TimestampFormat.readOffset(bytes, &p, basicSeconds: !numberFollows) else {
            return nil
          }
          offset = o
        case UInt8(ascii: "s"):
          var negative = false
          if p < n, bytes[p] == UInt8(ascii: "-") {
            negative = true
            p += 1
          }
          guard let v = TimestampFormat.digits(bytes, &p, 1, 12) else { return nil }
          epoch = Int64(negative ? -v : v)
        default:
          return nil
        }
      }
    }
    guard p == n else { return nil }
    if let epoch {
      var t = CivilDateTime(localSeconds: epoch)
      if let fraction { t.setFraction(fraction) }
      t.offset = 0
      return t
    }
    if hour12 >= 0, let pm {
      hour = hour12 % 12 + (pm ? 12 : 0)
    }
    if dayOfYear >= 0 {
      let days = CivilTime.isLeap(year) ? 366 : 365
      guard dayOfYear >= 1, dayOfYear <= days else { return nil }
      let (_, m, d) = CivilTime.civilFromDays(
        CivilTime.daysFromCivil(year: year, month: 1, day: 1) + Int64(dayOfYear - 1))
      month = m
      day = d
    }
    var t = CivilDateTime(
      year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset)
    if let fraction { t.setFraction(fraction) }
    return t.isValid ? t : nil
  }

  /// Reads `minCount`…`maxCount` digits at `p`; nil when there are fewer.
  @inline(__always)
  static func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ p: inout Int, _ minCount: Int, _ maxCount: Int)
    -> Int?
  {
    var v = 0
    var k = 0
    let n = bytes.count
    while k < maxCount, p < n, bytes[p] &- 48 < 10 {
      v = v * 10 + Int(bytes[p] &- 48)
      p += 1
      k += 1
    }
    return k >= minCount ? v : nil
  }

  /// Reads a month or day name (full, or its three-letter abbreviation) at `p`; returns its index.
  static func name(_ bytes: UnsafeBufferPointer<UInt8>, _ p: inout Int, _ table: [[UInt8]]) -> Int? {
    let n = bytes.count
    for (i, full) in table.enumerated() {
      var k = 0
      while k < full.count, p + k < n, bytes[p + k] | 0x20 == full[k] { k += 1 }
      if k == full.count || k == 3 {
        // A three-letter abbreviation must not be followed by more letters.
        if k == 3 && k < full.count && p + 3 < n && (bytes[p + 3] | 0x20) >= 97
          && (bytes[p + 3] | 0x20) <= 122
        {
          continue
        }
        p += k
        return i
      }
    }
    return nil
  }

  /// Reads `Z`, `±HH:MM`, `±HHMM` or `±HH`; returns seconds east of UTC.
  /// Directives that read digits.
  @inline(__always) static func isNumeric(_ d: UInt8) -> Bool {
    switch d {
    case UInt8(ascii: "Y"), UInt8(ascii: "y"), UInt8(ascii: "m"), UInt8(ascii: "d"), UInt8(ascii: "e"),
      UInt8(ascii: "j"), UInt8(ascii: "H"), UInt8(ascii: "I"), UInt8(ascii: "M"), UInt8(ascii: "S"),
      UInt8(ascii: "f"), UInt8(ascii: "s"):
      return true
    default: return false
    }
  }

  static func readOffset(_ bytes: UnsafeBufferPointer<UInt8>, _ p: inout Int, basicSeconds: Bool = true)
    -> Int?
  {
    let n = bytes.count
    guard p < n else { return nil }
    if bytes[p] == UInt8(ascii: "Z") || bytes[p] == UInt8(ascii: "z") {
      p += 1
      return 0
    }
    guard bytes[p] == UInt8(ascii: "+") || bytes[p] == UInt8(ascii: "-") else { return nil }
    let sign = bytes[p] == UInt8(ascii: "-") ? -1 : 1
    var q = p + 1
    func two() -> Int? {
      guard q + 1 < n, bytes[q] &- 48 < 10, bytes[q + 1] &- 48 < 10 else { return nil }
      defer { q += 2 }
      return Int(bytes[q] - 48) * 10 + Int(bytes[q + 1] - 48)
    }
    guard let h = two(), h <= 23 else { return nil }
    var m = 0
    var sec = 0
    // `+HH:MM[:SS]` or `+HHMM[SS]`: seconds, as in historical local mean time
    // offsets (`-04:56:02`), in the same form as the minutes.
    if q < n, bytes[q] == UInt8(ascii: ":") {
      q += 1
      guard let mm = two() else { return nil }
      m = mm
      if q + 2 < n, bytes[q] == UInt8(ascii: ":"), bytes[q + 1] &- 48 < 10, bytes[q + 2] &- 48 < 10 {
        q += 1
        sec = two()!
      }
    } else if let mm = two() {
      m = mm
      if basicSeconds, let ss = two() { sec = ss }
    }
    guard m <= 59, sec <= 59 else { return nil }
    p = q
    return sign * (h * 3600 + m * 60 + sec)
  }

  // MARK: Formatting

  /// Appends `time` (wall-clock fields in the target zone) formatted by this pattern.
  /// `offset` is the target zone's UTC offset at that instant (nil: the time has
  /// no offset, and `%z` `%:z` write nothing, as Python's strftime does for a
  /// naive time); `utcSeconds` the instant.
  public func format(
    _ time: CivilDateTime, offset: Int?, utcSeconds: Int64, zoneName: String, to out: inout [UInt8]
  ) {
    let name = Array(zoneName.utf8)
    tokens.withUnsafeBufferPointer { tokens in
      name.withUnsafeBufferPointer {
        TimestampFormat.format(
          tokens: tokens, time, offset: offset, utcSeconds: utcSeconds, zoneName: $0, to: &out)
      }
    }
  }

  /// Formats with compiled tokens held by the caller.
  static func format(
    tokens: UnsafeBufferPointer<Token>, _ time: CivilDateTime, offset: Int?, utcSeconds: Int64,
    zoneName: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]
  ) {
    func pad(_ v: Int, _ width: Int, _ fill: UInt8 = 48) {
      // The common cases (two-digit fields, four-digit years) without a digit loop.
      if width == 2 && v >= 0 && v < 100 {
        out.append(v < 10 ? fill : UInt8(48 + v / 10))
        out.append(UInt8(48 + v % 10))
        return
      }
      if width == 4 && v >= 1000 && v < 10000 {
        out.append(UInt8(48 + v / 1000))
        out.append(UInt8(48 + v / 100 % 10))
        out.append(UInt8(48 + v / 10 % 10))
        out.append(UInt8(48 + v % 10))
        return
      }
      var x = v < 0 ? -v : v
      if v < 0 { out.append(UInt8(ascii: "-")) }
      var count = 1
      var t = x
      while t >= 10 {
        t /= 10
        count += 1
      }
      var k = count
      while k < width {
        out.append(fill)
        k += 1
      }
      for _ in 0..<count { out.append(48) }
      var i = out.count - 1
      repeat {
        out[i] = UInt8(48 + x % 10)
        x /= 10
        i -= 1
      } while x > 0
    }
    func offsetText(colon: Bool) {
      guard let offset else { return }
      out.append(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
      let a = abs(offset)
      pad(a / 3600, 2)
      if colon { out.append(58) }
      pad(a / 60 % 60, 2)
      if a % 60 != 0 {
        if colon { out.append(58) }
        pad(a % 60, 2)
      }
    }
    do {
      for token in tokens {
        switch token {
        case .literal(let c): out.append(c)
        case .space: out.append(32)
        case .colonOffset: offsetText(colon: true)
        case .directive(let d):
          switch d {
          case UInt8(ascii: "Y"): pad(time.year, 4)
          case UInt8(ascii: "y"): pad(((time.year % 100) + 100) % 100, 2)
          case UInt8(ascii: "m"): pad(time.month, 2)
          case UInt8(ascii: "d"): pad(time.day, 2)
          case UInt8(ascii: "e"): pad(time.day, 2, 32)
          case UInt8(ascii: "j"):
            let doy =
              CivilTime.daysFromCivil(year: time.year, month: time.month, day: time.day)
              - CivilTime.daysFromCivil(year: time.year, month: 1, day: 1) + 1
            pad(Int(doy), 3)
          case UInt8(ascii: "H"): pad(time.hour, 2)
          case UInt8(ascii: "I"): pad(time.hour % 12 == 0 ? 12 : time.hour % 12, 2)
          case UInt8(ascii: "M"): pad(time.minute, 2)
          case UInt8(ascii: "S"): pad(time.second, 2)
          case UInt8(ascii: "f"):
            time.appendFraction(to: &out)
            for _ in Int(time.fractionCount)..<max(6, Int(time.fractionCount)) { out.append(48) }
          case UInt8(ascii: "p"): out.append(contentsOf: time.hour < 12 ? Array("AM".utf8) : Array("PM".utf8))
          case UInt8(ascii: "b"), UInt8(ascii: "B"):
            let full = TimestampFormat.monthNames[time.month - 1]
            let name = d == UInt8(ascii: "b") ? Array(full.prefix(3)) : full
            out.append(name[0] - 32)
            out.append(contentsOf: name.dropFirst())
          case UInt8(ascii: "a"), UInt8(ascii: "A"):
            let wd = CivilTime.weekday(
              daysSinceEpoch: CivilTime.daysFromCivil(year: time.year, month: time.month, day: time.day))
            let full = TimestampFormat.dayNames[wd]
            let name = d == UInt8(ascii: "a") ? Array(full.prefix(3)) : full
            out.append(name[0] - 32)
            out.append(contentsOf: name.dropFirst())
          case UInt8(ascii: "z"): offsetText(colon: false)
          case UInt8(ascii: "Z"): out.append(contentsOf: zoneName)
          case UInt8(ascii: "s"): pad(Int(utcSeconds), 1)
          default: break
          }
        }
      }
    }
  }

  /// True when every token is a literal, a space or one of `%Y %m %d %H %M %S`
  /// (then `formatSimple` can write the value in one go).
  static func isSimple(_ tokens: [Token]) -> Bool {
    tokens.allSatisfy { token in
      switch token {
      case .literal, .space: return true
      case .colonOffset: return false
      case .directive(let d): return "YmdHMS".utf8.contains(d)
      }
    }
  }

  /// A pattern `%Y?%m?%d`, optionally followed by `?%H?%M?%S`, each `?` one literal
  /// byte or a space: a value of exactly its length is read by position, without
  /// walking the tokens. Any other value goes to `parse(tokens:_:)`, which reads
  /// every value this accepts the same way.
  struct FixedLayout: Sendable {
    /// The five separators; 0 stands for a space (a blank or a tab).
    let separators: (UInt8, UInt8, UInt8, UInt8, UInt8)
    let length: Int

    /// The separators where `parseWords` and `format` find them in the words
    /// of bytes 0–7, 8–15 and 11–18 (a space separator as a blank).
    let separatorWords: (UInt64, UInt64, UInt64)

    /// Up to eight literal bytes after the seconds, for output patterns (`…%SZ`).
    let suffix: UInt64
    let suffixLength: Int

    /// The layout of a pattern for reading: nothing may follow the last field.
    init?(_ tokens: UnsafeBufferPointer<Token>) {
      self.init(tokens, suffix: false)
    }

    /// The layout of a pattern for writing: literals may follow the seconds.
    init?(formatting tokens: UnsafeBufferPointer<Token>) {
      self.init(tokens, suffix: true)
    }

    private init?(_ all: UnsafeBufferPointer<Token>, suffix allowSuffix: Bool) {
      var tokens = all
      var tail: [UInt8] = []
      if allowSuffix && all.count > 11 {
        tokens = UnsafeBufferPointer(rebasing: all[0..<11])
        for token in all[11...] {
          guard case .literal(let c) = token else { return nil }
          tail.append(c)
        }
        guard tail.count <= 8 else { return nil }
      }
      var packed: UInt64 = 0
      for (i, c) in tail.enumerated() { packed |= UInt64(c) << (8 * UInt64(i)) }
      suffix = packed
      suffixLength = tail.count
      let directives: [UInt8] = Array("YmdHMS".utf8)
      guard tokens.count == 5 || tokens.count == 11 else { return nil }
      var seps: [UInt8] = []
      for (i, token) in tokens.enumerated() {
        if i % 2 == 0 {
          guard case .directive(let d) = token, d == directives[i / 2] else { return nil }
        } else {
          switch token {
          case .literal(let c) where c != 0 && c & 0x80 == 0 && !(48...57).contains(c): seps.append(c)
          case .space: seps.append(0)
          default: return nil
          }
        }
      }
      while seps.count < 5 { seps.append(0) }
      separators = (seps[0], seps[1], seps[2], seps[3], seps[4])
      let blank = seps.map { UInt64($0 == 0 ? 32 : $0) }
      separatorWords = (blank[0] << 32 | blank[1] << 56, blank[2] << 16 | blank[3] << 40, blank[4] << 40)
      length = tokens.count == 5 ? 10 : 19
    }

    /// True when no literal of the layout is a quote, a control byte or
    /// `delimiter`, so every value of its pattern (digits, a sign, the literals)
    /// is a plain cell for that delimiter.
    func hasPlainLiterals(delimiter: UInt8) -> Bool {
      var literals = [separators.0, separators.1, separators.2, separators.3, separators.4].map {
        $0 == 0 ? 32 : $0
      }
      for i in 0..<suffixLength { literals.append(UInt8(truncatingIfNeeded: suffix >> (8 * UInt64(i)))) }
      return delimiter != 0 && literals.allSatisfy { $0 != 34 && $0 >= 14 && $0 != delimiter }
    }

    /// The value's date and time, or nil when it does not have exactly this layout.
    @inline(__always) func parse(_ b: UnsafeBufferPointer<UInt8>) -> CivilDateTime? {
      guard b.count == length else { return nil }
      if length == 19, let t = parseWords(UnsafeRawPointer(b.baseAddress!)) { return t }
      return parseBytes(b)
    }

    /// Reads a 19-byte value eight bytes at a time (bytes 0–7, 8–15 and 11–18);
    /// nil when any byte is not as expected (then `parseBytes` decides, which
    /// also takes a tab for a space).
    @inline(__always) private func parseWords(_ p: UnsafeRawPointer) -> CivilDateTime? {
      let w0 = p.loadUnaligned(as: UInt64.self)
      let w1 = p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
      let w2 = p.loadUnaligned(fromByteOffset: 11, as: UInt64.self)
      // The digit bytes of each word: `YYYY?MM?`, `DD?HH?MM`, `……?SS` (the
      // last word's hour and minute are read from the second).
      let m0: UInt64 = 0x00FF_FF00_FFFF_FFFF
      let m1: UInt64 = 0xFFFF_00FF_FF00_FFFF
      let m2: UInt64 = 0xFFFF_0000_0000_0000
      let zeros: UInt64 = 0x3030_3030_3030_3030
      // Digit values in the digit bytes (0 elsewhere); a byte is a digit when
      // its value is below 10 (adding 0x76 leaves the high bit clear).
      let d0 = (w0 ^ zeros) & m0
      let d1 = (w1 ^ zeros) & m1
      let d2 = (w2 ^ zeros) & m2
      let tooBig: UInt64 = 0x7676_7676_7676_7676
      let notDigits =
        (((d0 &+ tooBig) | d0) & m0 | ((d1 &+ tooBig) | d1) & m1 | ((d2 &+ tooBig) | d2) & m2)
        & 0x8080_8080_8080_8080
      let separatorsDiffer =
        ((w0 & 0xFF00_00FF_0000_0000) ^ separatorWords.0) | ((w1 & 0x0000_FF00_00FF_0000) ^ separatorWords.1)
        | ((w2 & 0x0000_FF00_0000_0000) ^ separatorWords.2)
      guard separatorsDiffer | notDigits == 0 else { return nil }
      // Byte k of `pairs` is 10 × digit k + digit k+1.
      @inline(__always) func pairs(_ d: UInt64) -> UInt64 { d &* 10 &+ (d >> 8) }
      let p0 = pairs(d0)
      let p1 = pairs(d1)
      let p2 = pairs(d2)
      @inline(__always) func byte(_ w: UInt64, _ k: UInt64) -> Int {
        Int(truncatingIfNeeded: (w >> (8 * k)) & 0xFF)
      }
      var t = CivilDateTime(year: byte(p0, 0) * 100 + byte(p0, 2), month: byte(p0, 5), day: byte(p1, 0))
      t.hour = byte(p1, 3)
      t.minute = byte(p1, 6)
      t.second = byte(p2, 6)
      return t.isValid ? t : nil
    }

    /// `parse` byte by byte.
    private func parseBytes(_ b: UnsafeBufferPointer<UInt8>) -> CivilDateTime? {
      @inline(__always) func two(_ i: Int) -> Int? {
        let a = b[i] &- 48
        let c = b[i + 1] &- 48
        guard a < 10, c < 10 else { return nil }
        return Int(a) * 10 + Int(c)
      }
      @inline(__always) func separator(_ i: Int, _ s: UInt8) -> Bool {
        s == 0 ? (b[i] == 32 || b[i] == 9) : b[i] == s
      }
      guard let century = two(0), let years = two(2), separator(4, separators.0), let month = two(5),
        separator(7, separators.1), let day = two(8)
      else { return nil }
      var t = CivilDateTime(year: century * 100 + years, month: month, day: day)
      if length == 19 {
        guard separator(10, separators.2), let hour = two(11), separator(13, separators.3),
          let minute = two(14), separator(16, separators.4), let second = two(17)
        else { return nil }
        t.hour = hour
        t.minute = minute
        t.second = second
      }
      return t.isValid ? t : nil
    }

    /// Writes `t` (year 0…9999) at `out`, which must have room for 32 bytes;
    /// returns the bytes written (at most 27).
    @inline(__always) func format(_ t: CivilDateTime, into out: UnsafeMutablePointer<UInt8>) -> Int {
      // Two decimal digits of 0…99 as they lie in memory (tens first).
      @inline(__always) func two(_ v: Int) -> UInt64 {
        let v = UInt64(truncatingIfNeeded: v)
        let tens = (v &* 103) >> 10
        return 0x3030 | tens | (v &- tens &* 10) << 8
      }
      let year = UInt64(truncatingIfNeeded: t.year)
      let century = (year &* 5243) >> 19
      let raw = UnsafeMutableRawPointer(out)
      // Bytes 0–7: `YYYY?MM?`.
      raw.storeBytes(
        of: two(Int(century)) | two(Int(year &- century &* 100)) << 16 | two(t.month) << 40
          | separatorWords.0,
        as: UInt64.self)
      guard length == 19 else {
        out[8] = UInt8(truncatingIfNeeded: two(t.day))
        out[9] = UInt8(truncatingIfNeeded: two(t.day) >> 8)
        return 10
      }
      // Bytes 8–15: `DD?HH?MM`, then `?SS` and the suffix.
      raw.storeBytes(
        of: two(t.day) | two(t.hour) << 24 | two(t.minute) << 48 | separatorWords.1, toByteOffset: 8,
        as: UInt64.self)
      raw.storeBytes(
        of: UInt32(truncatingIfNeeded: separatorWords.2 >> 40 | two(t.second) << 8), toByteOffset: 16,
        as: UInt32.self)
      raw.storeBytes(of: suffix, toByteOffset: 19, as: UInt64.self)
      return 19 + suffixLength
    }
  }

  /// Formats a simple pattern (see `isSimple`) into a stack buffer and appends it
  /// once. The year must be 0…9999.
  static func formatSimple(tokens: UnsafeBufferPointer<Token>, _ time: CivilDateTime, to out: inout [UInt8]) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: tokens.count * 4) { buffer in
      var w = 0
      @inline(__always) func two(_ v: Int) {
        buffer[w] = UInt8(48 + v / 10)
        buffer[w + 1] = UInt8(48 + v % 10)
        w += 2
      }
      for token in tokens {
        switch token {
        case .literal(let c):
          buffer[w] = c
          w += 1
        case .space:
          buffer[w] = 32
          w += 1
        case .directive(let d):
          switch d {
          case UInt8(ascii: "Y"):
            two(time.year / 100)
            two(time.year % 100)
          case UInt8(ascii: "m"): two(time.month)
          case UInt8(ascii: "d"): two(time.day)
          case UInt8(ascii: "H"): two(time.hour)
          case UInt8(ascii: "M"): two(time.minute)
          default: two(time.second)
          }
        case .colonOffset: break
        }
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<w]))
    }
  }

  // MARK: ISO 8601

  /// Parses ISO 8601 as Decant reads it by default: `YYYY-MM-DD`, optionally
  /// followed by `T` or a space and `HH:MM[:SS[.fraction]]`, optionally an offset
  /// (`Z`, `±HH:MM`, `±HHMM`, `±HH`).
  public static func parseISO(_ b: UnsafeBufferPointer<UInt8>) -> CivilDateTime? {
    let n = b.count
    if n == 10 || n == 19, let t = parsePlainISO(b) { return t }
    var p = 0
    func num(_ count: Int) -> Int? {
      guard p + count <= n else { return nil }
      var v = 0
      for k in 0..<count {
        let d = b[p + k] &- 48
        guard d < 10 else { return nil }
        v = v * 10 + Int(d)
      }
      p += count
      return v
    }
    func take(_ c: UInt8) -> Bool {
      guard p < n, b[p] == c else { return false }
      p += 1
      return true
    }
    // A year of four digits, or an expanded one: a sign and four or more digits.
    var year: Int
    if p < n, b[p] == 43 || b[p] == 45 {
      let negative = b[p] == 45
      p += 1
      let start = p
      var v = 0
      while p < n, b[p] &- 48 < 10, p - start < 9 {
        v = v * 10 + Int(b[p] &- 48)
        p += 1
      }
      guard p - start >= 4 else { return nil }
      year = negative ? -v : v
    } else {
      guard let y = num(4) else { return nil }
      year = y
    }
    guard take(45), let month = num(2), take(45), let day = num(2) else { return nil }
    var t = CivilDateTime(year: year, month: month, day: day)
    if p < n, b[p] == UInt8(ascii: "T") || b[p] == UInt8(ascii: "t") || b[p] == 32 {
      p += 1
      guard let h = num(2), take(58), let m = num(2) else { return nil }
      t.hour = h
      t.minute = m
      if take(58) {
        guard let s = num(2) else { return nil }
        t.second = s
        if p < n, b[p] == UInt8(ascii: ".") || b[p] == UInt8(ascii: ",") {
          p += 1
          let start = p
          while p < n, b[p] &- 48 < 10, p - start < 9 { p += 1 }
          guard p > start else { return nil }
          t.setFraction(UnsafeBufferPointer(rebasing: b[start..<p]))
        }
      }
      if p < n {
        guard let o = readOffset(b, &p) else { return nil }
        t.offset = o
      }
    }
    guard p == n, t.isValid else { return nil }
    return t
  }

  /// `YYYY-MM-DD` and `YYYY-MM-DD HH:MM:SS` (or `T`), the common shapes, read
  /// without the general parser's steps; nil for anything else (the general parser
  /// then decides).
  @inline(__always) static func parsePlainISO(_ b: UnsafeBufferPointer<UInt8>) -> CivilDateTime? {
    @inline(__always) func two(_ i: Int) -> Int? {
      let x = b[i] &- 48
      let y = b[i + 1] &- 48
      return x < 10 && y < 10 ? Int(x) * 10 + Int(y) : nil
    }
    guard b[4] == 45, b[7] == 45, let c = two(0), let y = two(2), let month = two(5), let day = two(8)
    else { return nil }
    var t = CivilDateTime(year: c * 100 + y, month: month, day: day)
    if b.count == 19 {
      let separator = b[10]
      guard separator == 32 || separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t"),
        b[13] == 58, b[16] == 58, let h = two(11), let m = two(14), let s = two(17)
      else { return nil }
      t.hour = h
      t.minute = m
      t.second = s
    }
    return t.isValid ? t : nil
  }
}
