/// A syntax error in JSON text, with the 1-based line and column where it was found.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String
  public let line: Int
  public let column: Int
  public var description: String { "line \(line), column \(column): \(message)" }
}

/// Byte-level JSON reading shared by the recipe parser and the JSON Lines reader.
///
/// Strings are unescaped straight into a caller's byte buffer, and nested values
/// can be copied out in compact form, so no `String` is built per value.
struct JSONScanner {
  let bytes: UnsafeBufferPointer<UInt8>
  var position: Int
  let end: Int

  init(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0, to end: Int? = nil) {
    self.bytes = bytes
    self.position = start
    self.end = end ?? bytes.count
  }

  var atEnd: Bool { position >= end }
  var current: UInt8? { position < end ? bytes[position] : nil }

  func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
    let target = min(offset ?? position, end)
    var line = 1
    var column = 1
    var i = 0
    while i < target {
      if bytes[i] == 10 {
        line += 1
        column = 1
      } else if bytes[i] & 0xC0 != 0x80 {
        column += 1
      }
      i += 1
    }
    return JSONSyntaxError(message: message, line: line, column: column)
  }

  mutating func skipWhitespace() {
    while position < end {
      let c = bytes[position]
      if c == 32 || c == 9 || c == 10 || c == 13 { position += 1 } else { return }
    }
  }

  mutating func expect(_ c: UInt8, _ what: String) throws(JSONSyntaxError) {
    skipWhitespace()
    guard position < end, bytes[position] == c else {
      throw error("expected \(what)\(describeCurrent())")
    }
    position += 1
  }

  func describeCurrent() -> String {
    guard position < end else { return " but the text ended" }
    let c = bytes[position]
    if c >= 32 && c < 127 { return " but found '\(Character(Unicode.Scalar(c)))'" }
    return " but found byte 0x\(String(c, radix: 16))"
  }

  /// Reads a string (the opening quote at `position`) and appends its unescaped UTF-8 to `out`.
  mutating func readString(into out: inout [UInt8]) throws(JSONSyntaxError) {
    guard position < end, bytes[position] == 34 else { throw error("expected a string\(describeCurrent())") }
    let open = position
    position += 1
    var runStart = position
    while position < end {
      let c = bytes[position]
      if c == 34 {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
        position += 1
        return
      }
      if c == 92 {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
        try readEscape(into: &out)
        runStart = position
        continue
      }
      if c < 32 { throw error("control character inside a string (escape it)") }
      position += 1
    }
    throw error("a string opened here is never closed", at: open)
  }

  private mutating func readEscape(into out: inout [UInt8]) throws(JSONSyntaxError) {
    position += 1
    guard position < end else { throw error("the text ends inside an escape") }
    let c = bytes[position]
    position += 1
    switch c {
    case 34: out.append(34)
    case 92: out.append(92)
    case 47: out.append(47)
    case UInt8(ascii: "b"): out.append(8)
    case UInt8(ascii: "f"): out.append(12)
    case UInt8(ascii: "n"): out.append(10)
    case UInt8(ascii: "r"): out.append(13)
    case UInt8(ascii: "t"): out.append(9)
    case UInt8(ascii: "u"):
      var scalar = try readHex4()
      if scalar >= 0xD800 && scalar < 0xDC00 {
        if position + 1 < end && bytes[position] == 92 && bytes[position + 1] == UInt8(ascii: "u") {
          let save = position
          position += 2
          let low = try readHex4()
          if low >= 0xDC00 && low < 0xE000 {
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          } else {
            position = save
            scalar = 0xFFFD
          }
        } else {
          scalar = 0xFFFD
        }
      } else if scalar >= 0xDC00 && scalar < 0xE000 {
        scalar = 0xFFFD
      }
      UTF8Encoding.append(scalar, to: &out)
    default:
      position -= 1
      throw error("unknown escape '\\\(Character(Unicode.Scalar(c)))'")
    }
  }

  private mutating func readHex4() throws(JSONSyntaxError) -> UInt32 {
    guard position + 4 <= end else { throw error("\\u needs four hex digits") }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let c = bytes[position]
      let d: UInt32
      switch c {
      case 48...57: d = UInt32(c - 48)
      case 97...102: d = UInt32(c - 87)
      case 65...70: d = UInt32(c - 55)
      default: throw error("\\u needs four hex digits")
      }
      v = v << 4 | d
      position += 1
    }
    return v
  }

  /// Reads a number, `true`, `false` or `null` and returns its byte range.
  mutating func readLiteral() throws(JSONSyntaxError) -> Range<Int> {
    let start = position
    guard let c = current else { throw error("expected a value but the text ended") }
    func word(_ w: StaticString) -> Bool {
      let n = w.utf8CodeUnitCount
      guard position + n <= end else { return false }
      for i in 0..<n where bytes[position + i] != w.utf8Start[i] { return false }
      return true
    }
    if c == UInt8(ascii: "t"), word("true") {
      position += 4
    } else if c == UInt8(ascii: "f"), word("false") {
      position += 5
    } else if c == UInt8(ascii: "n"), word("null") {
      position += 4
    } else if c == UInt8(ascii: "-") || (c >= 48 && c <= 57) {
      try readNumber()
    } else {
      throw error("expected a value\(describeCurrent())")
    }
    return start..<position
  }

  private mutating func readNumber() throws(JSONSyntaxError) {
    func digits() -> Int {
      let s = position
      while position < end, bytes[position] >= 48, bytes[position] <= 57 { position += 1 }
      return position - s
    }
    if bytes[position] == UInt8(ascii: "-") { position += 1 }
    let intStart = position
    let n = digits()
    if n == 0 { throw error("a number needs digits") }
    if n > 1 && bytes[intStart] == 48 { throw error("a number cannot start with 0") }
    if position < end, bytes[position] == UInt8(ascii: ".") {
      position += 1
      if digits() == 0 { throw error("a number needs digits after '.'") }
    }
    if position < end, bytes[position] | 0x20 == UInt8(ascii: "e") {
      position += 1
      if position < end, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
        position += 1
      }
      if digits() == 0 { throw error("a number needs digits in its exponent") }
    }
  }

  /// Copies any value at `position` to `out` in compact form (no insignificant whitespace).
  mutating func copyCompact(into out: inout [UInt8], depth: Int = 0) throws(JSONSyntaxError) {
    if depth > 512 { throw error("values nested more than 512 deep") }
    skipWhitespace()
    guard let c = current else { throw error("expected a value but the text ended") }
    switch c {
    case 34:
      let start = position
      var scratch: [UInt8] = []
      try readString(into: &scratch)
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      let close: UInt8 = c == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
      out.append(c)
      position += 1
      skipWhitespace()
      if current == close {
        position += 1
        out.append(close)
        return
      }
      while true {
        if c == UInt8(ascii: "{") {
          skipWhitespace()
          let start = position
          var scratch: [UInt8] = []
          try readString(into: &scratch)
          out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
          try expect(UInt8(ascii: ":"), "':' after an object key")
          out.append(UInt8(ascii: ":"))
        }
        try copyCompact(into: &out, depth: depth + 1)
        skipWhitespace()
        guard let d = current else { throw error("the text ends inside a value") }
        position += 1
        if d == UInt8(ascii: ",") {
          out.append(d)
          continue
        }
        if d == close {
          out.append(d)
          return
        }
        position -= 1
        throw error("expected ',' or '\(Character(Unicode.Scalar(close)))'\(describeCurrent())")
      }
    default:
      let r = try readLiteral()
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[r]))
    }
  }
}
