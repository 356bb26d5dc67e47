#if canImport(Glibc)
  import Glibc
#endif

/// Stops the process when an engine invariant does not hold. libFuzzer reports
/// the abort as a crash, prints the stack and saves the input.
public func check(
  _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
  file: StaticString = #fileID, line: UInt = #line
) {
  if !condition() { violated(message(), file: file, line: line) }
}

/// Reports a broken invariant and aborts.
public func violated(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
  var text = message
  if text.utf8.count > 4000 { text = String(text.prefix(4000)) + " …" }
  let report = Array("decant fuzz check failed (\(file):\(line)): \(text)\n".utf8)
  _ = report.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
  abort()
}

/// A short, printable description of bytes for check messages.
public func describe<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
  var out = "\""
  for b in bytes.prefix(300) {
    switch b {
    case 0x22: out += "\\\""
    case 0x5C: out += "\\\\"
    case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(b))
    case 0x0A: out += "\\n"
    case 0x0D: out += "\\r"
    case 0x09: out += "\\t"
    default: out += "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16)
    }
  }
  if bytes.count > 300 { out += "…(\(bytes.count) bytes)" }
  return out + "\""
}
