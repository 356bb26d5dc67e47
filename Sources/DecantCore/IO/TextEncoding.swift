/// Encodings the readers transcode to UTF-8 (`input.encoding` in a recipe).
public enum TextEncoding: String, Sendable, CaseIterable {
  case utf8 = "utf-8"
  case latin1 = "latin1"
  case utf16 = "utf-16"
  case utf16LE = "utf-16le"
  case utf16BE = "utf-16be"

  /// Accepts common spellings (`UTF8`, `iso-8859-1`, `UTF-16LE`).
  public init?(name: String) {
    switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
    case "utf-8", "utf8": self = .utf8
    case "latin1", "latin-1", "iso-8859-1", "iso8859-1": self = .latin1
    case "utf-16", "utf16": self = .utf16
    case "utf-16le", "utf16le": self = .utf16LE
    case "utf-16be", "utf16be": self = .utf16BE
    default: return nil
    }
  }
}
