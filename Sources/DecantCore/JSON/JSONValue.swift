/// A JSON document as a tree that keeps object keys in the order they were written.
public indirect enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  /// A number, kept as written.
  case number(String)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  public static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.array(let x), .array(let y)): return x == y
    case (.object(let x), .object(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }

  /// What kind of value this is, in words (for error messages).
  public var kindName: String {
    switch self {
    case .null: return "null"
    case .bool: return "a boolean"
    case .number: return "a number"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "an object"
    }
  }

  /// Parses one JSON document. Duplicate object keys are an error.
  public static func parse(_ text: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
    try text.withUnsafeBufferPointer { (p: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONValue in
      var scanner = JSONScanner(p)
      let value = try parseValue(&scanner, depth: 0)
      scanner.skipWhitespace()
      if !scanner.atEnd { throw scanner.error("unexpected text after the end of the document") }
      return value
    }
  }

  public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
    try parse(Array(text.utf8))
  }

  private static func parseValue(_ s: inout JSONScanner, depth: Int) throws(JSONSyntaxError) -> JSONValue {
    if depth > 256 { throw s.error("values nested more than 256 deep") }
    s.skipWhitespace()
    guard let c = s.current else { throw s.error("expected a value but the text ended") }
    switch c {
    case 34:
      var bytes: [UInt8] = []
      try s.readString(into: &bytes)
      return .string(String(decoding: bytes, as: UTF8.self))
    case UInt8(ascii: "["):
      s.position += 1
      var items: [JSONValue] = []
      s.skipWhitespace()
      if s.current == UInt8(ascii: "]") {
        s.position += 1
        return .array(items)
      }
      while true {
        items.append(try parseValue(&s, depth: depth + 1))
        s.skipWhitespace()
        if s.current == UInt8(ascii: ",") {
          s.position += 1
          continue
        }
        if s.current == UInt8(ascii: "]") {
          s.position += 1
          return .array(items)
        }
        throw s.error("expected ',' or ']' in an array\(s.describeCurrent())")
      }
    case UInt8(ascii: "{"):
      s.position += 1
      var members: [(String, JSONValue)] = []
      s.skipWhitespace()
      if s.current == UInt8(ascii: "}") {
        s.position += 1
        return .object(members)
      }
      while true {
        s.skipWhitespace()
        let keyStart = s.position
        var keyBytes: [UInt8] = []
        if s.current != 34 { throw s.error("expected a quoted key\(s.describeCurrent())") }
        try s.readString(into: &keyBytes)
        let key = String(decoding: keyBytes, as: UTF8.self)
        if members.contains(where: { $0.0 == key }) {
          throw s.error("the key \"\(key)\" appears twice in one object", at: keyStart)
        }
        try s.expect(UInt8(ascii: ":"), "':' after the key \"\(key)\"")
        members.append((key, try parseValue(&s, depth: depth + 1)))
        s.skipWhitespace()
        if s.current == UInt8(ascii: ",") {
          s.position += 1
          continue
        }
        if s.current == UInt8(ascii: "}") {
          s.position += 1
          return .object(members)
        }
        throw s.error("expected ',' or '}' in an object\(s.describeCurrent())")
      }
    default:
      let range = try s.readLiteral()
      let text = String(decoding: UnsafeBufferPointer(rebasing: s.bytes[range]), as: UTF8.self)
      switch text {
      case "true": return .bool(true)
      case "false": return .bool(false)
      case "null": return .null
      default: return .number(text)
      }
    }
  }

  // MARK: - Writing

  /// Compact JSON text.
  public var compactText: String {
    var out = ""
    write(to: &out, indent: nil, level: 0)
    return out
  }

  /// Pretty JSON text: two-space indentation; arrays of scalars stay on one line;
  /// a trailing newline. Key order is the order of the value, so output is stable.
  public var prettyText: String {
    var out = ""
    write(to: &out, indent: "  ", level: 0)
    out.append("\n")
    return out
  }

  private var isScalar: Bool {
    switch self {
    case .array, .object: return false
    default: return true
    }
  }

  private func write(to out: inout String, indent: String?, level: Int) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let n): out += n
    case .string(let s): JSONValue.writeString(s, to: &out)
    case .array(let items):
      if items.isEmpty {
        out += "[]"
      } else if indent == nil || items.allSatisfy(\.isScalar) {
        out += "["
        for (i, item) in items.enumerated() {
          if i > 0 { out += indent == nil ? "," : ", " }
          item.write(to: &out, indent: indent, level: level + 1)
        }
        out += "]"
      } else {
        let pad = String(repeating: indent!, count: level + 1)
        out += "[\n"
        for (i, item) in items.enumerated() {
          out += pad
          item.write(to: &out, indent: indent, level: level + 1)
          out += i + 1 < items.count ? ",\n" : "\n"
        }
        out += String(repeating: indent!, count: level) + "]"
      }
    case .object(let members):
      if members.isEmpty {
        out += "{}"
        return
      }
      guard let indent else {
        out += "{"
        for (i, (k, v)) in members.enumerated() {
          if i > 0 { out += "," }
          JSONValue.writeString(k, to: &out)
          out += ":"
          v.write(to: &out, indent: nil, level: level + 1)
        }
        out += "}"
        return
      }
      let pad = String(repeating: indent, count: level + 1)
      out += "{\n"
      for (i, (k, v)) in members.enumerated() {
        out += pad
        JSONValue.writeString(k, to: &out)
        out += ": "
        v.write(to: &out, indent: indent, level: level + 1)
        out += i + 1 < members.count ? ",\n" : "\n"
      }
      out += String(repeating: indent, count: level) + "}"
    }
  }

  /// Appends `s` as a JSON string literal.
  public static func writeString(_ s: String, to out: inout String) {
    var bytes: [UInt8] = []
    JSONValue.appendQuoted(s.utf8, to: &bytes)
    out += String(decoding: bytes, as: UTF8.self)
  }

  /// Appends bytes as a JSON string literal (escaping quotes, backslashes and control characters).
  /// Invalid UTF-8 bytes are passed through unchanged.
  @inlinable public static func appendQuoted<C: Collection>(_ bytes: C, to out: inout [UInt8])
  where C.Element == UInt8 {
    out.append(34)
    for b in bytes {
      switch b {
      case 34: out.append(92); out.append(34)
      case 92: out.append(92); out.append(92)
      case 10: out.append(92); out.append(UInt8(ascii: "n"))
      case 13: out.append(92); out.append(UInt8(ascii: "r"))
      case 9: out.append(92); out.append(UInt8(ascii: "t"))
      case 0..<32:
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
      default: out.append(b)
      }
    }
    out.append(34)
  }
}
