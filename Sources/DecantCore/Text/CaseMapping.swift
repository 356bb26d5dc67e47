import CUnicode

/// Unicode case mapping of cells' bytes, without locale rules: full mappings
/// (`ß` → `SS`, `ŉ` → `ʼN`), as Python's `str.upper`, `str.lower` and
/// `str.casefold`. Every function appends to `out` and takes valid UTF-8 only
/// (check with `UTF8Text.isValid` first); pure ASCII is mapped byte by byte,
/// the rest by ICU.
public enum CaseMapping {
  /// Upper case (`straße` → `STRASSE`).
  public static func upper(_ src: UnsafeBufferPointer<UInt8>, into out: ByteBuffer) {
    if UTF8Text.isASCII(src) {
      asciiMap(src, into: out, upper: true)
    } else {
      icuMap(decant_case_upper, src, into: out)
    }
  }

  /// Lower case, with the Final_Sigma rule: a capital sigma ending a word becomes
  /// `ς` (`ΟΔΟΣ` → `οδος`).
  public static func lower(_ src: UnsafeBufferPointer<UInt8>, into out: ByteBuffer) {
    if UTF8Text.isASCII(src) {
      asciiMap(src, into: out, upper: false)
    } else {
      icuMap(decant_case_lower, src, into: out)
    }
  }

  /// Full case folding (`Straße` → `strasse`, `ς` → `σ`): two texts that differ
  /// only in case fold to the same bytes.
  public static func fold(_ src: UnsafeBufferPointer<UInt8>, into out: ByteBuffer) {
    if UTF8Text.isASCII(src) {
      asciiMap(src, into: out, upper: false)
    } else {
      icuMap(decant_case_fold, src, into: out)
    }
  }

  /// The folded bytes of a recipe's constant (a value compared ignoring case).
  public static func folded(_ s: String) -> [UInt8] {
    var s = s
    return s.withUTF8 { src in
      let out = ByteBuffer(capacity: src.count * 3 + 16)
      fold(src, into: out)
      return Array(out.bytes)
    }
  }

  /// Title case by words. A word is a longest run of letters (general category
  /// L*), digits (Numeric_Type decimal or digit) and apostrophes (U+0027).
  /// A word that starts with a letter gets that letter's full titlecase mapping
  /// (`ǆ` → `ǅ`, `ß` → `Ss`); every other character of a word gets its full
  /// lowercase mapping, character by character (no Final_Sigma), so a word that
  /// starts with a digit or an apostrophe is all lower case (`1ST` → `1st`, `'TIS`
  /// → `'tis`). Characters outside words are kept as they are.
  public static func title(_ src: UnsafeBufferPointer<UInt8>, into out: ByteBuffer) {
    guard let p = src.baseAddress else { return }
    let n = src.count
    if UTF8Text.isASCII(src) {
      let dst = out.reserve(n)
      var inWord = false
      for i in 0..<n {
        let b = p[i]
        let isUpper = b &- 0x41 < 26
        let isLower = b &- 0x61 < 26
        if isUpper || isLower || b &- 0x30 < 10 || b == 0x27 {
          dst[i] = inWord ? (isUpper ? b | 0x20 : b) : (isLower ? b & ~0x20 : b)
          inWord = true
        } else {
          dst[i] = b
          inWord = false
        }
      }
      out.advance(by: n)
      return
    }
    var i = 0
    var inWord = false
    while i < n {
      let (scalar, length) = decodeScalar(p + i)
      if scalar.value < 0x80 {
        let b = UInt8(scalar.value)
        let isUpper = b &- 0x41 < 26
        let isLower = b &- 0x61 < 26
        if isUpper || isLower || b &- 0x30 < 10 || b == 0x27 {
          put(inWord ? (isUpper ? b | 0x20 : b) : (isLower ? b & ~0x20 : b), into: out)
          inWord = true
        } else {
          put(b, into: out)
          inWord = false
        }
      } else {
        switch wordKind(scalar) {
        case .letter:
          let properties = scalar.properties
          write(inWord ? properties.lowercaseMapping : properties.titlecaseMapping, into: out)
          inWord = true
        case .digit:
          write(scalar.properties.lowercaseMapping, into: out)
          inWord = true
        case .none:
          copy(p + i, count: length, into: out)
          inWord = false
        }
      }
      i += length
    }
  }

  // MARK: Helpers

  private static let ones: UInt64 = 0x0101_0101_0101_0101

  /// ASCII case mapping, eight bytes at a time: a byte in the range gets its
  /// 0x20 bit flipped (the range's bytes all have the same value of it).
  private static func asciiMap(_ src: UnsafeBufferPointer<UInt8>, into out: ByteBuffer, upper: Bool) {
    guard let p = src.baseAddress else { return }
    let n = src.count
    let dst = out.reserve(n)
    let first: UInt64 = upper ? 0x61 : 0x41  // `a` or `A`
    // Bytes are below 0x80, so adding less than 0x80 to each never carries into the next.
    let atLeastFirst = (0x80 - first) &* ones
    let pastLast = (0x80 - (first + 26)) &* ones
    var i = 0
    while i + 8 <= n {
      let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
      let inRange = ((w &+ atLeastFirst) ^ (w &+ pastLast)) & 0x8080_8080_8080_8080
      UnsafeMutableRawPointer(dst + i).storeBytes(of: w ^ (inRange >> 2), as: UInt64.self)
      i += 8
    }
    while i < n {
      let b = p[i]
      dst[i] = UInt64(b &- UInt8(first)) < 26 ? b ^ 0x20 : b
      i += 1
    }
    out.advance(by: n)
  }

  private typealias ICUCaseFunction = (
    UnsafePointer<UInt8>?, Int32, UnsafeMutablePointer<UInt8>?, Int32
  ) -> Int32

  /// Calls an ICU case function with room for the usual result, and again with
  /// the room it asks for when that was too little.
  private static func icuMap(_ f: ICUCaseFunction, _ src: UnsafeBufferPointer<UInt8>, into out: ByteBuffer) {
    precondition(src.count <= Int(Int32.max) / 3, "case mapping of a text over 700 MB")
    let length = Int32(src.count)
    var room = src.count + src.count / 2 + 16
    var needed = Int(f(src.baseAddress, length, out.reserve(room), Int32(room)))
    if needed > room {
      room = needed
      needed = Int(f(src.baseAddress, length, out.reserve(room), Int32(room)))
    }
    precondition(needed >= 0 && needed <= room, "ICU case mapping failed")
    out.advance(by: needed)
  }

  /// The scalar at `p` and its length in bytes, in valid UTF-8.
  @inline(__always) private static func decodeScalar(_ p: UnsafePointer<UInt8>) -> (Unicode.Scalar, Int) {
    let b0 = UInt32(p[0])
    let value: UInt32
    let length: Int
    if b0 < 0x80 {
      return (Unicode.Scalar(UInt8(b0)), 1)
    } else if b0 < 0xE0 {
      value = (b0 & 0x1F) << 6 | UInt32(p[1] & 0x3F)
      length = 2
    } else if b0 < 0xF0 {
      value = (b0 & 0x0F) << 12 | UInt32(p[1] & 0x3F) << 6 | UInt32(p[2] & 0x3F)
      length = 3
    } else {
      value =
        (b0 & 0x07) << 18 | UInt32(p[1] & 0x3F) << 12 | UInt32(p[2] & 0x3F) << 6 | UInt32(p[3] & 0x3F)
      length = 4
    }
    return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
  }

  private enum WordKind { case letter, digit, none }

  /// What a non-ASCII character is to `title`'s words: a letter (general category
  /// L*), a digit (Numeric_Type decimal or digit), or no part of a word.
  private static func wordKind(_ scalar: Unicode.Scalar) -> WordKind {
    let properties = scalar.properties
    switch properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
    default:
      switch properties.numericType {
      case .decimal?, .digit?: return .digit
      default: return .none
      }
    }
  }

  private static func write(_ mapping: String, into out: ByteBuffer) {
    var mapping = mapping
    mapping.withUTF8 { if let p = $0.baseAddress { copy(p, count: $0.count, into: out) } }
  }

  @inline(__always) private static func put(_ b: UInt8, into out: ByteBuffer) {
    out.reserve(1).pointee = b
    out.advance(by: 1)
  }

  @inline(__always) private static func copy(_ p: UnsafePointer<UInt8>, count: Int, into out: ByteBuffer) {
    out.reserve(count).update(from: p, count: count)
    out.advance(by: count)
  }
}
