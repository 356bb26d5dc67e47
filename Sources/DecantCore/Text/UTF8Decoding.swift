/// Reading code points out of valid UTF-8 bytes (checked before with `UTF8Text.isValid`).
public enum UTF8Decoding {
  /// The code point starting at `i` and its length in bytes.
  @inline(__always) public static func scalar(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (
    value: UInt32, length: Int
  ) {
    let b0 = UInt32(b[i])
    if b0 < 0x80 { return (b0, 1) }
    if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F), 2) }
    if b0 < 0xF0 {
      return ((b0 & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F), 3)
    }
    return (
      (b0 & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6
        | UInt32(b[i + 3] & 0x3F), 4
    )
  }

  /// The start of the code point that ends just before `end`.
  @inline(__always) public static func start(before end: Int, in b: UnsafeBufferPointer<UInt8>) -> Int {
    var i = end - 1
    while i > 0 && b[i] & 0xC0 == 0x80 { i -= 1 }
    return i
  }

  /// True for a code point with the Unicode White_Space property.
  @inline(__always) public static func isWhiteSpace(_ v: UInt32) -> Bool {
    if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
    return Unicode.Scalar(v)?.properties.isWhitespace ?? false
  }
}
