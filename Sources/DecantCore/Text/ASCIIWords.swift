/// Tests on eight bytes at once (a word read from text), for loops that look at
/// every byte of a value.
enum ASCIIWords {
  static let ones: UInt64 = 0x0101_0101_0101_0101
  static let highBits: UInt64 = 0x8080_8080_8080_8080

  /// True when a byte of `w` is not ASCII (0x80 or above) or lies in
  /// `low..<low + count`. Needs `1 <= low` and `low + count <= 0x80`.
  @inline(__always) static func hasNonASCIIOrByte(in low: UInt8, count: UInt8, _ w: UInt64) -> Bool {
    if w & highBits != 0 { return true }
    // Every byte is below 0x80, so adding at most 0x7F to each carries into no
    // other byte: a byte's high bit then says it reached the bound.
    let atLeastLow = w &+ UInt64(0x80 - low) &* ones
    let atLeastEnd = w &+ UInt64(0x80 - low - count) &* ones
    return atLeastLow & ~atLeastEnd & highBits != 0
  }
}
