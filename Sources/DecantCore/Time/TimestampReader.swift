/// Reads the timestamps of a step's `input_formats`: the patterns tried in
/// order, or ISO 8601 when there are none. The one reader of every step that
/// parses dates and times (normalize_timezone, format_date, date_part).
///
/// A value is read without the spaces and tabs around it. A pattern of the
/// common zero-padded shapes (`%Y-%m-%d`, `%Y-%m-%d %H:%M:%S` and the like) is
/// tried by position first; any other value, and any other pattern, goes to the
/// general parser, which reads what the fixed layout reads the same way and
/// also one-digit fields (`2013-1-5 7:05`).
public final class TimestampReader {
  public let formats: [TimestampFormat]
  /// Every pattern's compiled tokens, one after another (held for the reader's life,
  /// so hot loops reach them without a closure per value).
  private let tokens: UnsafeMutableBufferPointer<TimestampFormat.Token>
  private let ranges: [Range<Int>]
  /// Each pattern's fixed layout, when it has one.
  private let layouts: [TimestampFormat.FixedLayout?]
  /// The patterns as an error message names them (`"%Y-%m-%d", "%d/%m/%Y"` or `ISO 8601`).
  public let formatsTried: String

  /// `formats` empty: ISO 8601 (see `TimestampFormat.parseISO`).
  public init(formats: [TimestampFormat]) {
    self.formats = formats
    let all = formats.flatMap(\.tokens)
    tokens = .allocate(capacity: max(1, all.count))
    _ = tokens.initialize(from: all)
    var ranges: [Range<Int>] = []
    var start = 0
    for f in formats {
      ranges.append(start..<start + f.tokens.count)
      start += f.tokens.count
    }
    self.ranges = ranges
    layouts = formats.map { f in f.tokens.withUnsafeBufferPointer { TimestampFormat.FixedLayout($0) } }
    formatsTried =
      formats.isEmpty ? "ISO 8601" : formats.map { "\"\($0.pattern)\"" }.joined(separator: ", ")
  }

  deinit { tokens.deallocate() }

  /// The date and time of `raw` by the first pattern that reads all of it (spaces
  /// and tabs around it ignored); nil when none does.
  @inline(__always) public func read(_ raw: UnsafeBufferPointer<UInt8>) -> CivilDateTime? {
    var s = 0
    var e = raw.count
    while s < e, raw[s] == 32 || raw[s] == 9 { s += 1 }
    while e > s, raw[e - 1] == 32 || raw[e - 1] == 9 { e -= 1 }
    let value = s == 0 && e == raw.count ? raw : UnsafeBufferPointer(rebasing: raw[s..<e])
    if ranges.isEmpty { return TimestampFormat.parseISO(value) }
    for k in 0..<ranges.count {
      if let t = layouts[k]?.parse(value) { return t }
      if let t = TimestampFormat.parse(
        tokens: UnsafeBufferPointer(rebasing: tokens[ranges[k]]), value)
      {
        return t
      }
    }
    return nil
  }

  /// The reason given for a value no pattern reads.
  public func failure(_ raw: UnsafeBufferPointer<UInt8>) -> String {
    "cannot read \"\(String(decoding: raw, as: UTF8.self))\" as a timestamp (formats tried: \(formatsTried))"
  }
}
