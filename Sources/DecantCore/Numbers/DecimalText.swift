/// A number written as decimal text, compared by its exact value.
///
/// The grammar is `[+-]?digits[.digits]?([eE][+-]?digits)?`, also `.5` and `5.`;
/// nothing else is a number (no spaces, no thousands separators, no `inf`).
/// A value is kept as its significant digits (no leading or trailing zeros) and
/// an exponent, so `10`, `10.0` and `1e1` are equal and no binary rounding ever
/// happens. Parsing a cell allocates nothing.
public struct DecimalText: Sendable, Equatable, CustomStringConvertible {
  public let negative: Bool
  /// Significant digits as ASCII bytes, no leading or trailing zeros; empty for zero.
  public let digits: [UInt8]
  /// The value is `0.DIGITS × 10^exponent` (0 for zero).
  public let exponent: Int
  /// The text as written.
  public let text: String

  /// Parses decimal text; nil when it is not a number.
  public init?(_ text: String) {
    var copy = text
    guard let parsed = copy.withUTF8({ DecimalText.scan($0) }) else { return nil }
    var digits: [UInt8] = []
    copy.withUTF8 { bytes in parsed.forEachSignificantDigit(bytes) { digits.append($0) } }
    self.negative = parsed.negative && !digits.isEmpty
    self.digits = digits
    self.exponent = digits.isEmpty ? 0 : parsed.exponent
    self.text = text
  }

  public var isZero: Bool { digits.isEmpty }
  public var description: String { text }

  /// The number in JSON's syntax, every digit kept: no `+`, no leading zeros,
  /// digits on both sides of a point (`+.50` → `0.50`, `007.e3` → `7e3`); the
  /// text as written when it already is JSON.
  public var jsonText: String {
    var s = Substring(text)
    var out = s.first == "-" ? "-" : ""
    if s.first == "-" || s.first == "+" { s = s.dropFirst() }
    let mantissaEnd = s.firstIndex { $0 == "e" || $0 == "E" } ?? s.endIndex
    let mantissa = s[..<mantissaEnd]
    let point = mantissa.firstIndex(of: ".") ?? mantissa.endIndex
    let integer = mantissa[..<point].drop { $0 == "0" }
    let fraction = point < mantissa.endIndex ? mantissa[mantissa.index(after: point)...] : ""
    out += integer.isEmpty ? "0" : integer
    if !fraction.isEmpty { out += "." + fraction }
    return out + s[mantissaEnd...]
  }

  public static func == (a: DecimalText, b: DecimalText) -> Bool {
    a.negative == b.negative && a.digits == b.digits && a.exponent == b.exponent
  }

  /// True when the bytes are a number in the grammar above.
  public static func isNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    scan(bytes) != nil
  }

  /// Compares a cell's bytes with this number: -1, 0 or 1 for less, equal or
  /// greater; nil when the bytes are not a number.
  public func compare(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let cell = DecimalText.scan(bytes) else { return nil }
    let cellZero = cell.firstSignificant < 0
    let cellNegative = cell.negative && !cellZero
    if cellZero || isZero {
      if cellZero && isZero { return 0 }
      if cellZero { return negative ? 1 : -1 }
      return cellNegative ? -1 : 1
    }
    if cellNegative != negative { return cellNegative ? -1 : 1 }
    // Same sign: compare magnitudes, then flip for negatives.
    let magnitude = DecimalText.compareMagnitude(cell, bytes, with: self)
    return negative ? -magnitude : magnitude
  }

  /// Where a number's parts lie in its bytes (found by `scan`).
  public struct Scanned {
    public var negative: Bool
    /// Byte range of the mantissa (digits and at most one `.`).
    public var mantissaStart: Int
    public var mantissaEnd: Int
    /// Index of the first non-zero digit in the mantissa, or -1 for zero.
    public var firstSignificant: Int
    /// `0.DIGITS × 10^exponent`, exact for a written exponent below 10^18.
    public var exponent: Int

    /// Calls `body` with each significant digit, trailing zeros left out.
    func forEachSignificantDigit(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UInt8) -> Void) {
      guard firstSignificant >= 0 else { return }
      var last = mantissaEnd - 1
      while last > firstSignificant && (bytes[last] == 48 || bytes[last] == 46) { last -= 1 }
      var i = firstSignificant
      while i <= last {
        if bytes[i] != 46 { body(bytes[i]) }
        i += 1
      }
    }
  }

  /// Reads the grammar; nil when the bytes are not a number.
  public static func scan(_ b: UnsafeBufferPointer<UInt8>) -> Scanned? {
    let n = b.count
    var i = 0
    var negative = false
    if i < n && (b[i] == 43 || b[i] == 45) {
      negative = b[i] == 45
      i += 1
    }
    let mantissaStart = i
    var intDigits = 0
    var fracDigits = 0
    var firstSignificant = -1
    // Digits before the first significant one, counted in the integer part.
    var leadingIntZeros = 0
    // Zeros after the point before the first significant digit.
    var leadingFracZeros = 0
    while i < n, b[i] &- 48 < 10 {
      if firstSignificant < 0 {
        if b[i] != 48 { firstSignificant = i } else { leadingIntZeros += 1 }
      }
      intDigits += 1
      i += 1
    }
    if i < n && b[i] == 46 {
      i += 1
      while i < n, b[i] &- 48 < 10 {
        if firstSignificant < 0 {
          if b[i] != 48 { firstSignificant = i } else { leadingFracZeros += 1 }
        }
        fracDigits += 1
        i += 1
      }
    }
    if intDigits + fracDigits == 0 { return nil }
    let mantissaEnd = i
    var exponent = 0
    if i < n && (b[i] == 101 || b[i] == 69) {
      i += 1
      var expNegative = false
      if i < n && (b[i] == 43 || b[i] == 45) {
        expNegative = b[i] == 45
        i += 1
      }
      let expStart = i
      while i < n, b[i] &- 48 < 10 {
        // Exact below 10^18 (where Python's decimal stops); a larger one
        // saturates at 10^18, still far inside Int with the position added.
        if exponent < 100_000_000_000_000_000 {
          exponent = exponent * 10 + Int(b[i] &- 48)
        } else {
          exponent = 1_000_000_000_000_000_000
        }
        i += 1
      }
      if i == expStart { return nil }
      if expNegative { exponent = -exponent }
    }
    if i != n { return nil }
    // Value = 0.SIGNIFICANT × 10^(significant integer digits + exponent), or
    // for a value below 1, minus the zeros after the point.
    let significantIntDigits = intDigits - leadingIntZeros
    let position = significantIntDigits > 0 ? significantIntDigits : -leadingFracZeros
    return Scanned(
      negative: negative, mantissaStart: mantissaStart, mantissaEnd: mantissaEnd,
      firstSignificant: firstSignificant, exponent: firstSignificant < 0 ? 0 : position + exponent)
  }

  /// Compares the magnitudes of a scanned non-zero cell and a non-zero constant.
  static func compareMagnitude(_ cell: Scanned, _ bytes: UnsafeBufferPointer<UInt8>, with k: DecimalText)
    -> Int
  {
    if cell.exponent != k.exponent { return cell.exponent < k.exponent ? -1 : 1 }
    var i = cell.firstSignificant
    var j = 0
    let digits = k.digits
    while true {
      while i < cell.mantissaEnd && bytes[i] == 46 { i += 1 }
      let a: UInt8 = i < cell.mantissaEnd ? bytes[i] : 48
      let b: UInt8 = j < digits.count ? digits[j] : 48
      if i >= cell.mantissaEnd && j >= digits.count { return 0 }
      if a != b { return a < b ? -1 : 1 }
      i += 1
      j += 1
    }
  }
}
