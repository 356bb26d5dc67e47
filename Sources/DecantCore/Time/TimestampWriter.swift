/// Writes timestamps by one strftime pattern: by position when the pattern has a
/// fixed layout (`%Y-%m-%dT%H:%M:%SZ`), in one go when it has only numeric
/// fields, else token by token. The one writer of every step that formats dates.
public final class TimestampWriter {
  public let format: TimestampFormat
  private let tokens: UnsafeMutableBufferPointer<TimestampFormat.Token>
  private let zoneName: [UInt8]
  private let layout: TimestampFormat.FixedLayout?
  private let isSimple: Bool
  private var scratch: [UInt8] = []

  /// `zoneName` is what `%Z` writes.
  public init(format: TimestampFormat, zoneName: String = "") {
    self.format = format
    tokens = .allocate(capacity: max(1, format.tokens.count))
    _ = tokens.initialize(from: format.tokens)
    self.zoneName = Array(zoneName.utf8)
    layout = format.tokens.withUnsafeBufferPointer { TimestampFormat.FixedLayout(formatting: $0) }
    isSimple = TimestampFormat.isSimple(format.tokens)
  }

  deinit { tokens.deallocate() }

  /// True when every value this writes is a plain cell for `delimiter`: no quote,
  /// control byte or delimiter among the pattern's literals, and the delimiter is
  /// none of the bytes its fields write (digits, letters, signs, colons, spaces).
  public func writesPlain(delimiter: UInt8) -> Bool {
    let letter = (delimiter | 0x20) >= 97 && (delimiter | 0x20) <= 122
    guard delimiter != 0, !(48...57).contains(delimiter), !letter, !"+-: ".utf8.contains(delimiter)
    else { return false }
    for token in tokens {
      switch token {
      case .literal(let c): if c == 34 || c < 14 || c == delimiter { return false }
      case .directive(let d): if d == UInt8(ascii: "Z") { return false }
      case .space, .colonOffset: break
      }
    }
    return true
  }

  /// Appends `time` formatted. `offset` is what `%z` and `%:z` write (nothing when
  /// nil); `utcSeconds` what `%s` writes.
  @inline(__always) public func write(
    _ time: CivilDateTime, offset: Int?, utcSeconds: Int64, into out: ByteBuffer
  ) {
    if let layout, time.year >= 0, time.year <= 9999 {
      out.advance(by: layout.format(time, into: out.reserve(32)))
      return
    }
    scratch.removeAll(keepingCapacity: true)
    let tokens = UnsafeBufferPointer(tokens)
    if isSimple, time.year >= 0, time.year <= 9999 {
      TimestampFormat.formatSimple(tokens: tokens, time, to: &scratch)
    } else {
      zoneName.withUnsafeBufferPointer { zoneName in
        TimestampFormat.format(
          tokens: tokens, time, offset: offset, utcSeconds: utcSeconds, zoneName: zoneName, to: &scratch)
      }
    }
    out.write(scratch)
  }
}
