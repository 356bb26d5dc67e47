/// How a piece of text is drawn. The terminal maps styles to colors and
/// attributes (or to attributes only under NO_COLOR / few colors).
public enum Style: Sendable, Equatable {
  case plain
  case title
  case header
  case typeRow
  case null
  case changed
  case cursor
  case cursorChanged
  case status
  case message
  case error
  case selected
  case dim
  case panelTitle
  case removed
  case input
}

/// A surface views draw on: the terminal, or a text buffer in tests.
public protocol Canvas: AnyObject {
  var width: Int { get }
  var height: Int { get }
  /// Draws `text` at a row and column; text past the right edge is cut.
  func put(_ text: String, row: Int, column: Int, style: Style)
}

extension Canvas {
  /// `text` padded or cut (with an ellipsis) to exactly `width` columns.
  public func put(_ text: String, row: Int, column: Int, width: Int, style: Style) {
    guard width > 0 else { return }
    put(DisplayWidth.fit(text, width: width, pad: true), row: row, column: column, style: style)
  }

  /// A row filled with spaces in a style.
  public func fill(row: Int, column: Int = 0, width: Int? = nil, style: Style) {
    let w = width ?? (self.width - column)
    guard w > 0 else { return }
    put(String(repeating: " ", count: w), row: row, column: column, style: style)
  }
}

/// A canvas that keeps characters and styles in memory, for tests and measurements.
public final class TextCanvas: Canvas {
  public let width: Int
  public let height: Int
  private var cells: [[Character]]
  private var styles: [[Style]]

  public init(width: Int, height: Int) {
    self.width = width
    self.height = height
    cells = Array(repeating: Array(repeating: " ", count: width), count: height)
    styles = Array(repeating: Array(repeating: .plain, count: width), count: height)
  }

  public func put(_ text: String, row: Int, column: Int, style: Style) {
    guard row >= 0, row < height else { return }
    var x = column
    for ch in text {
      let w = DisplayWidth.of(ch)
      if w == 0 {
        if x > 0 && x - 1 < width { cells[row][x - 1] = Character(String(cells[row][x - 1]) + String(ch)) }
        continue
      }
      guard x + w <= width else { break }
      if x >= 0 {
        cells[row][x] = ch
        styles[row][x] = style
        if w == 2 {
          cells[row][x + 1] = "\u{0}"
          styles[row][x + 1] = style
        }
      }
      x += w
    }
  }

  /// The screen as lines of text (wide characters once, trailing spaces kept).
  public var lines: [String] {
    cells.map { String($0.filter { $0 != "\u{0}" }) }
  }

  public var text: String { lines.joined(separator: "\n") }

  /// The style at a screen position.
  public func style(row: Int, column: Int) -> Style { styles[row][column] }

  /// The screen column where `text` first appears on `row`, or nil.
  public func column(of text: String, row: Int) -> Int? {
    let line = lines[row]
    guard let range = line.range(of: text) else { return nil }
    return DisplayWidth.of(String(line[..<range.lowerBound]))
  }
}
