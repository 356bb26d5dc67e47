/// Checks on cells' bytes before they are read as text. Text operations and
/// conditions call these first: the case and regex functions take valid UTF-8
/// only.
public enum UTF8Text {
  private static let highBits: UInt64 = 0x8080_8080_8080_8080

  /// Whether the bytes are well-formed UTF-8: no overlong forms, no surrogates
  /// (U+D800–U+DFFF), nothing above U+10FFFF, no stray continuation byte and no
  /// sequence cut short. ASCII runs are checked eight bytes at a time.
  public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    validPrefixLength(bytes) == bytes.count
  }

  /// The length of the longest prefix of `bytes` that is well-formed UTF-8 and
  /// ends on a character boundary (`bytes.count` when all of it is).
  public static func validPrefixLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    guard let p = bytes.baseAddress else { return 0 }
    let n = bytes.count
    var i = 0
    while i < n {
      // Skip ASCII a word at a time, then up to the first non-ASCII byte of the word.
      while i + 8 <= n {
        let high = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & highBits
        if high != 0 {
          i += UInt64(littleEndian: high).trailingZeroBitCount >> 3
          break
        }
        i += 8
      }
      if i >= n { break }
      let b0 = p[i]
      if b0 < 0x80 {
        i += 1
        continue
      }
      // The second byte's range depends on the lead byte (Unicode Table 3-7).
      let length: Int
      var low: UInt8 = 0x80
      var high: UInt8 = 0xBF
      switch b0 {
      case 0xC2...0xDF: length = 2
      case 0xE0:
        length = 3
        low = 0xA0
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED:
        length = 3
        high = 0x9F
      case 0xF0:
        length = 4
        low = 0x90
      case 0xF1...0xF3: length = 4
      case 0xF4:
        length = 4
        high = 0x8F
      default: return i
      }
      guard n - i >= length else { return i }
      let b1 = p[i + 1]
      guard b1 >= low && b1 <= high else { return i }
      if length >= 3 {
        guard p[i + 2] & 0xC0 == 0x80 else { return i }
        if length == 4 { guard p[i + 3] & 0xC0 == 0x80 else { return i } }
      }
      i += length
    }
    return n
  }

  /// Whether every byte is below 0x80 (checked eight bytes at a time).
  public static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let p = bytes.baseAddress else { return true }
    let n = bytes.count
    var i = 0
    var high: UInt64 = 0
    while i + 8 <= n {
      high |= UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
      i += 8
    }
    while i < n {
      high |= UInt64(p[i])
      i += 1
    }
    return high & highBits == 0
  }
}
