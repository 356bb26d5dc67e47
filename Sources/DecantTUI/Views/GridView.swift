import DecantCore

/// Column widths and types of a table, computed once per table. A column the
/// plan types (`cast`, `round`, `date_part`, a JSON Lines input) shows that
/// type; any other shows the type its first values suggest, marked `~` as
/// inferred (`~integer`; `?` when not all values have it).
public struct GridLayout: Sendable {
  public var widths: [Int]
  public var types: [String]

  /// Widths fit the header, the type and the first rows' values (3…`maxWidth` columns).
  public init(table: TableView, nulls: NullValues, sampleRows: Int = 200, maxWidth: Int = 24) {
    let t = table.batch
    let rows = min(t.rowCount, sampleRows)
    widths = []
    types = []
    for c in 0..<table.schema.count {
      var w = DisplayWidth.of(table.schema.names[c])
      var kinds: [ValueKind: Int] = [:]
      for r in 0..<rows {
        let cell = t.columns[c][r]
        if nulls.isNull(cell, in: t) { continue }
        let bytes = t.bytes(cell)
        let text = String(decoding: bytes, as: UTF8.self)
        w = max(w, min(maxWidth, DisplayWidth.of(text)))
        if let k = bytes.withContiguousStorageIfAvailable({ ValueKind.classify($0) }) {
          kinds[k, default: 0] += 1
        }
      }
      // A `?` marks a type most (not all) values have.
      let (kind, share) = ValueKind.dominant(kinds)
      let declared = table.schema.types[c]
      if declared != .string {
        types.append(declared.rawValue)
      } else {
        types.append("~" + (kind == .empty ? "empty" : kind.rawValue + (share < 1 ? "?" : "")))
      }
      widths.append(min(maxWidth, max(3, w, DisplayWidth.of(types.last!))))
    }
  }
}

/// Draws a table: a row-number gutter, the header with inferred types, cells with
/// nulls marked, changed cells highlighted and the cursor cell.
public enum GridView {
  public static let nullMark = "∅"

  public static func gutterWidth(rows: Int) -> Int { String(max(1, rows)).count + 1 }

  /// How many columns starting at `first` fit in `width`.
  public static func visibleColumns(layout: GridLayout, first: Int, width: Int, gutter: Int) -> Int {
    var x = gutter
    var n = 0
    for c in first..<layout.widths.count {
      if x + layout.widths[c] > width && n > 0 { break }
      x += layout.widths[c] + 1
      n += 1
    }
    return n
  }

  public static func draw(
    _ table: TableView, bench: Workbench, layout: GridLayout, on canvas: Canvas, top y0: Int, left x0: Int,
    width: Int, height: Int
  ) {
    let t = table.batch
    let nulls = bench.nullValues
    let gutter = gutterWidth(rows: t.rowCount)
    for y in y0..<(y0 + height) { canvas.fill(row: y, column: x0, width: width, style: .plain) }
    if let error = table.error {
      canvas.put("This step does not fit: " + error, row: y0, column: x0, width: width, style: .error)
      return
    }
    if table.schema.count == 0 { return }
    var x = x0 + gutter
    let count = visibleColumns(layout: layout, first: bench.leftColumn, width: width, gutter: gutter)
    let dataRows = height - 2
    for c in bench.leftColumn..<min(table.schema.count, bench.leftColumn + count) {
      let w = min(layout.widths[c], x0 + width - x)
      guard w > 0 else { break }
      let renamed = table.changes?.headers.contains(c) ?? false
      let current = c == bench.column
      canvas.put(
        table.schema.names[c], row: y0, column: x, width: w,
        style: renamed ? .changed : (current ? .selected : .header))
      canvas.put(layout.types[c], row: y0 + 1, column: x, width: w, style: .typeRow)
      for i in 0..<dataRows {
        let r = bench.topRow + i
        guard r < t.rowCount else { break }
        let cell = t.columns[c][r]
        let isNull = nulls.isNull(cell, in: t)
        let changed = table.changes?.isChanged(row: r, column: c) ?? false
        let onCursor = r == bench.row && c == bench.column
        let style: Style =
          onCursor ? (changed ? .cursorChanged : .cursor) : (changed ? .changed : (isNull ? .null : .plain))
        let text = isNull ? nullMark : String(decoding: t.bytes(cell), as: UTF8.self)
        canvas.put(text, row: y0 + 2 + i, column: x, width: w, style: style)
      }
      x += w + 1
    }
    for i in 0..<dataRows {
      let r = bench.topRow + i
      guard r < t.rowCount else { break }
      let label = String(r + 1)
      canvas.put(
        String(repeating: " ", count: max(0, gutter - 1 - label.count)) + label, row: y0 + 2 + i, column: x0,
        style: r == bench.row ? .selected : .dim)
    }
  }
}
