/// How `round` treats the digits it drops.
public enum RoundingMode: String, Sendable, CaseIterable {
  /// Halves away from zero.
  case halfUp = "half_up"
  /// Halves to the even neighbour.
  case halfEven = "half_even"
  /// Toward zero.
  case down
  /// Toward negative infinity.
  case floor
  /// Toward positive infinity.
  case ceiling
}

/// Exact rewriting of decimal text (`cast` to integer or decimal, `round`): a
/// number is read as its digits and a scale (the count of fraction digits), and
/// written back from them, so no value ever passes through binary floating point.
///
/// The grammar is `DecimalText`'s: `[+-]?digits[.digits]?([eE][+-]?digits)?`
/// (also `.5` and `5.`). An exponent is expanded exactly (`1.50e1` is `15.0`:
/// the digits as written, the point moved); one that would write more than
/// `maxExpandedDigits` digits is refused. One reader holds a digit buffer that
/// it reuses for every value, so reading allocates nothing once it is warm.
final class ExactDecimal {
  /// The most digits an expanded value may have (`1e5000` is refused, not written out).
  static let maxExpandedDigits = 4096

  /// Why a text is not read.
  enum Failure: Error, Equatable {
    case notANumber
    case tooLong

    /// The value error a step gives for `value`.
    func reason(_ value: UnsafeBufferPointer<UInt8>) -> String {
      switch self {
      case .notANumber: return "\(ValueText.quoted(value)) is not a number"
      case .tooLong:
        return
          "\(ValueText.quoted(value)) has an exponent too large to write out (over \(ExactDecimal.maxExpandedDigits) digits)"
      }
    }
  }

  /// The value read last: `digits` (ASCII, no leading zeros; empty for zero)
  /// times 10^-scale.
  private(set) var negative = false
  private(set) var scale = 0
  private(set) var digits: UnsafeMutablePointer<UInt8>
  private(set) var count = 0
  private var capacity = 64

  init() { digits = .allocate(capacity: capacity) }
  deinit { digits.deallocate() }

  var isZero: Bool { count == 0 }

  private func append(_ d: UInt8) {
    if count == capacity {
      let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
      bigger.update(from: digits, count: count)
      digits.deallocate()
      digits = bigger
      capacity *= 2
    }
    digits[count] = d
    count += 1
  }

  /// Reads a number; afterwards `negative`, `digits`, `count` and `scale` describe it.
  func read(_ b: UnsafeBufferPointer<UInt8>) -> Failure? {
    let n = b.count
    var i = 0
    negative = false
    count = 0
    if i < n && (b[i] == 43 || b[i] == 45) {
      negative = b[i] == 45
      i += 1
    }
    var mantissaDigits = 0
    var fractionDigits = 0
    while i < n, b[i] &- 48 < 10 {
      if count > 0 || b[i] != 48 { append(b[i]) }
      mantissaDigits += 1
      i += 1
    }
    if i < n && b[i] == 46 {
      i += 1
      while i < n, b[i] &- 48 < 10 {
        if count > 0 || b[i] != 48 { append(b[i]) }
        mantissaDigits += 1
        fractionDigits += 1
        i += 1
      }
    }
    if mantissaDigits == 0 { return .notANumber }
    var exponent = 0
    if i < n && (b[i] == 101 || b[i] == 69) {
      i += 1
      var exponentNegative = false
      if i < n && (b[i] == 43 || b[i] == 45) {
        exponentNegative = b[i] == 45
        i += 1
      }
      let start = i
      var huge = false
      while i < n, b[i] &- 48 < 10 {
        if exponent < 1_000_000_000 { exponent = exponent * 10 + Int(b[i] &- 48) } else { huge = true }
        i += 1
      }
      if i == start { return .notANumber }
      if huge { exponent = 1_000_000_000 }
      if exponentNegative { exponent = -exponent }
    }
    if i != n { return .notANumber }
    scale = fractionDigits - exponent
    if scale < 0 {
      // A whole number written with an exponent: its zeros become digits.
      if count > 0 {
        if count - scale > ExactDecimal.maxExpandedDigits { return .tooLong }
        for _ in 0..<(-scale) { append(48) }
      }
      scale = 0
    } else if scale > ExactDecimal.maxExpandedDigits {
      return .tooLong
    }
    if count == 0 { negative = false }
    return nil
  }

  /// Writes the value as plain decimal text: `-` only when it is not zero, at
  /// least one digit before the point, exactly `scale` digits after it.
  func write(into out: ByteBuffer) {
    let intLength = count - scale
    let p = out.reserve(count + max(0, -intLength) + 3)
    var w = 0
    if negative && count > 0 {
      p[w] = 45
      w += 1
    }
    if intLength > 0 {
      p.advanced(by: w).update(from: digits, count: intLength)
      w += intLength
    } else {
      p[w] = 48
      w += 1
    }
    if scale > 0 {
      p[w] = 46
      w += 1
      for _ in 0..<max(0, -intLength) {
        p[w] = 48
        w += 1
      }
      let fractionStart = max(0, intLength)
      p.advanced(by: w).update(from: digits + fractionStart, count: count - fractionStart)
      w += count - fractionStart
    }
    out.advance(by: w)
  }

  /// Drops fraction digits that are all zero; false (and no change) when one is not.
  func makeWhole() -> Bool {
    guard scale > 0 else { return true }
    if count > 0 {
      let kept = max(0, count - scale)
      for i in kept..<count where digits[i] != 48 { return false }
      count = kept
      // Only zeros were dropped, so what is left has no leading zero unless empty.
    }
    scale = 0
    if count == 0 { negative = false }
    return true
  }

  /// True when the whole value (`makeWhole()` first) fits a signed 64-bit integer.
  var fitsInt64: Bool {
    if count < 19 { return true }
    if count > 19 { return false }
    let limit = Array((negative ? "9223372036854775808" : "9223372036854775807").utf8)
    for i in 0..<19 where digits[i] != limit[i] { return digits[i] < limit[i] }
    return true
  }

  /// Rounds to `places` fraction digits (negative: to tens, hundreds…); the
  /// result has exactly `max(places, 0)` fraction digits and is never `-0`.
  func round(to places: Int, _ mode: RoundingMode) {
    let target = max(places, 0)
    if scale <= places {
      // Nothing to drop: pad the fraction with zeros.
      if count > 0 { for _ in 0..<(target - scale) { append(48) } }
      scale = target
      return
    }
    // Digits to drop from the right (the value's digits past the rounding place).
    let drop = scale - places
    let kept = count - drop
    var first: UInt8 = 48
    var restNonZero = false
    if kept >= 0 {
      if drop > 0 && kept < count { first = digits[kept] }
      if kept + 1 < count { for i in (kept + 1)..<count where digits[i] != 48 { restNonZero = true; break } }
    } else {
      // Every digit is below the rounding place, and the first of them is
      // further down than the place just below it: less than half a unit.
      restNonZero = count > 0
    }
    let anyDropped = first != 48 || restNonZero
    let lastKeptOdd = kept > 0 && (digits[kept - 1] - 48) % 2 == 1
    var up: Bool
    switch mode {
    case .down: up = false
    case .floor: up = negative && anyDropped
    case .ceiling: up = !negative && anyDropped
    case .halfUp: up = first >= 53
    case .halfEven: up = first > 53 || (first == 53 && (restNonZero || lastKeptOdd))
    }
    count = max(kept, 0)
    if up { incrementMagnitude() }
    // Back to `target` fraction digits: a negative place gains zeros on the right.
    if places < 0 && count > 0 { for _ in 0..<(-places) { append(48) } }
    scale = target
    stripLeadingZeros()
    if count == 0 { negative = false }
  }

  /// Adds one unit in the last place of `digits` (an empty value becomes 1).
  private func incrementMagnitude() {
    var i = count - 1
    while i >= 0 {
      if digits[i] == 57 {
        digits[i] = 48
        i -= 1
      } else {
        digits[i] += 1
        return
      }
    }
    // Every digit was 9 (or there were none): a new leading 1.
    append(48)
    var k = count - 1
    while k > 0 {
      digits[k] = digits[k - 1]
      k -= 1
    }
    digits[0] = 49
  }

  private func stripLeadingZeros() {
    var z = 0
    while z < count && digits[z] == 48 { z += 1 }
    if z == 0 { return }
    if z == count {
      count = 0
      return
    }
    (digits).update(from: digits + z, count: count - z)
    count -= z
  }
}
