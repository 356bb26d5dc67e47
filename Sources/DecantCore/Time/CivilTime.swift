/// A wall-clock date and time with no zone, plus what a parsed value carried with it.
public struct CivilDateTime: Sendable, Equatable {
  public var year: Int
  public var month: Int
  public var day: Int
  public var hour: Int = 0
  public var minute: Int = 0
  public var second: Int = 0
  /// Fraction-of-second digits as written, kept inline (up to nine digits).
  var fractionValue: UInt32 = 0
  var fractionCount: UInt8 = 0
  /// The UTC offset in seconds the value carried itself (`Z`, `+02:00`), if any.
  public var offset: Int? = nil

  public init(
    year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
    fraction: [UInt8] = [], offset: Int? = nil
  ) {
    self.year = year
    self.month = month
    self.day = day
    self.hour = hour
    self.minute = minute
    self.second = second
    if !fraction.isEmpty { self.fraction = fraction }
    self.offset = offset
  }

  /// Fraction-of-second digits exactly as written (empty when there were none).
  public var fraction: [UInt8] {
    get {
      var out: [UInt8] = []
      appendFraction(to: &out)
      return out
    }
    set {
      fractionValue = 0
      fractionCount = UInt8(min(9, newValue.count))
      for d in newValue.prefix(9) { fractionValue = fractionValue * 10 + UInt32(d &- 48) }
    }
  }

  /// Appends the fraction digits as written.
  @inline(__always) func appendFraction(to out: inout [UInt8]) {
    guard fractionCount > 0 else { return }
    var v = fractionValue
    let start = out.count
    for _ in 0..<fractionCount { out.append(48) }
    var i = out.count - 1
    while i >= start {
      out[i] = UInt8(48 + v % 10)
      v /= 10
      i -= 1
    }
  }

  /// Sets the fraction from digit bytes (at most nine are kept).
  @inline(__always) mutating func setFraction(_ digits: UnsafeBufferPointer<UInt8>) {
    fractionValue = 0
    fractionCount = UInt8(min(9, digits.count))
    for i in 0..<Int(fractionCount) { fractionValue = fractionValue * 10 + UInt32(digits[i] &- 48) }
  }

  /// The fraction of a second as a number (0 when none was written).
  public var fractionSeconds: Double {
    var scale = 1.0
    for _ in 0..<fractionCount { scale *= 10 }
    return Double(fractionValue) / scale
  }

  /// Seconds since 1970-01-01T00:00:00 treating the wall-clock time as if it were UTC.
  public var localSeconds: Int64 {
    CivilTime.daysFromCivil(year: year, month: month, day: day) * 86_400
      + Int64(hour * 3600 + minute * 60 + second)
  }

  /// The wall-clock fields of `seconds` since the epoch (UTC), keeping `fraction`.
  public init(localSeconds seconds: Int64, fraction: [UInt8]) {
    self.init(localSeconds: seconds)
    self.fraction = fraction
  }

  /// The wall-clock fields of `seconds` since the epoch (UTC), with no fraction.
  public init(localSeconds seconds: Int64) {
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let secs = Int(seconds - days * 86_400)
    let (y, m, d) = CivilTime.civilFromDays(days)
    year = y
    month = m
    day = d
    hour = secs / 3600
    minute = secs / 60 % 60
    second = secs % 60
  }

  /// True when the fields name a real calendar date and time of day.
  public var isValid: Bool {
    month >= 1 && month <= 12 && day >= 1 && day <= CivilTime.daysInMonth(year: year, month: month)
      && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59
  }
}

/// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01).
public enum CivilTime {
  public static func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

  public static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). Values
  /// known not to be negative are divided as unsigned numbers (cheaper).
  @inlinable public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
    let y = Int64(month <= 2 ? year - 1 : year)
    let era = y >= 0 ? Int64(UInt64(y) / 400) : (y - 399) / 400
    let yoe = UInt64(y - era * 400)  // 0…399
    let m = Int64(month)
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let doe = Int64(yoe * 365 + yoe / 4 - yoe / 100) + doy
    return era * 146_097 + doe - 719_468
  }

  /// The civil date of a day number.
  public static func civilFromDays(_ z0: Int64) -> (Int, Int, Int) {
    let z = z0 + 719_468
    let era = z >= 0 ? Int64(UInt64(z) / 146_097) : (z - 146_096) / 146_097
    let doe = UInt64(z - era * 146_097)  // 0…146096
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let y = Int64(yoe) + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
  }

  /// Day of the week, 0 = Sunday.
  public static func weekday(daysSinceEpoch days: Int64) -> Int {
    Int(((days % 7) + 11) % 7)
  }

  /// ISO 8601 day of the week: Monday 1 … Sunday 7.
  @inline(__always) public static func isoWeekday(daysSinceEpoch days: Int64) -> Int {
    // 1970-01-01 was a Thursday (4).
    Int(((days % 7) + 10) % 7) + 1
  }

  /// Day of the year, 1 for 1 January.
  @inline(__always) public static func dayOfYear(year: Int, month: Int, day: Int) -> Int {
    Int(daysFromCivil(year: year, month: month, day: day) - daysFromCivil(year: year, month: 1, day: 1)) + 1
  }

  /// ISO 8601 week-numbering year and week (1…53) of a day: a week runs Monday to
  /// Sunday and belongs to the year of its Thursday.
  @inline(__always) public static func isoWeek(daysSinceEpoch days: Int64) -> (year: Int, week: Int) {
    let thursday = days - Int64(isoWeekday(daysSinceEpoch: days)) + 4
    let (year, _, _) = civilFromDays(thursday)
    let week = Int((thursday - daysFromCivil(year: year, month: 1, day: 1)) / 7) + 1
    return (year, week)
  }
}
