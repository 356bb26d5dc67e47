/// Terminal column widths of text: wide (CJK, emoji) characters take two
/// columns, combining marks none.
public enum DisplayWidth {
  /// Columns one character occupies.
  public static func of(_ ch: Character) -> Int {
    guard let first = ch.unicodeScalars.first else { return 0 }
    let v = first.value
    // Latin, Greek and Cyrillic letters before the combining marks: one column, no lookup.
    if v >= 0x20 && v < 0x300 && v != 0x7F && !(v >= 0x80 && v < 0xA0) && ch.unicodeScalars.count == 1 {
      return 1
    }
    if v < 32 || (v >= 0x7F && v < 0xA0) { return 1 }  // control characters are shown as one cell
    if first.properties.generalCategory == .nonspacingMark
      || first.properties.generalCategory == .enclosingMark
    {
      return 0
    }
    if first.properties.isEmojiPresentation
      || ch.unicodeScalars.count > 1 && ch.unicodeScalars.contains(where: { $0.value == 0xFE0F })
    {
      return 2
    }
    switch v {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
      0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
      0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
      return 2
    default:
      return 1
    }
  }

  public static func of(_ s: String) -> Int {
    // Printable ASCII is one column per byte.
    if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return s.utf8.count }
    return s.reduce(0) { $0 + of($1) }
  }

  /// `s` in lines of at most `width` columns, broken at spaces where it can be
  /// (a word longer than a line is cut), and at its own line ends.
  public static func wrap(_ s: String, width: Int) -> [String] {
    var lines: [String] = []
    for paragraph in s.split(separator: "\n", omittingEmptySubsequences: false) {
      var line = ""
      for word in paragraph.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
        var word = word
        let candidate = line.isEmpty ? word : line + " " + word
        if of(candidate) <= width {
          line = candidate
          continue
        }
        if !line.isEmpty { lines.append(line) }
        while of(word) > width {
          var head = ""
          for ch in word {
            if of(head) + of(ch) > width { break }
            head.append(ch)
          }
          if head.isEmpty { break }
          lines.append(head)
          word = String(word.dropFirst(head.count))
        }
        line = word
      }
      lines.append(line)
    }
    return lines
  }

  /// `s` cut or padded to exactly `width` columns; a cut ends with "…".
  public static func fit(_ s: String, width: Int, pad: Bool = false) -> String {
    guard width > 0 else { return "" }
    if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
      let n = s.utf8.count
      if n <= width { return pad && n < width ? s + String(repeating: " ", count: width - n) : s }
      return String(s.utf8.prefix(width - 1))! + "…"
    }
    var out = ""
    var used = 0
    let total = of(s)
    let limit = total > width ? width - 1 : width
    for ch in s {
      let printable: Character = ch.isNewline ? "↵" : (ch == "\t" ? "→" : ch)
      let w = of(printable)
      if used + w > limit { break }
      out.append(printable)
      used += w
    }
    if total > width {
      out.append("…")
      used += 1
    }
    if pad && used < width { out += String(repeating: " ", count: width - used) }
    return out
  }
}
