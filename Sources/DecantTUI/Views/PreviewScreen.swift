import DecantCore

/// Draws the read-only sample grid with a banner and a status line, and runs its key loop.
public enum PreviewScreen {
  static let columnWidth = 18

  /// Opens the terminal, shows the sample until `q`, and restores the terminal.
  public static func run(_ bench: Workbench) {
    let term = Terminal()
    term.start()
    defer { term.stop() }
    while true {
      draw(bench, on: term)
      let key = term.readKey()
      switch key {
      case Int32(UInt8(ascii: "q")), 27: return
      case term.keyDown, Int32(UInt8(ascii: "j")): bench.scroll(rows: 1, columns: 0)
      case term.keyUp, Int32(UInt8(ascii: "k")): bench.scroll(rows: -1, columns: 0)
      case term.keyRight, Int32(UInt8(ascii: "l")): bench.scroll(rows: 0, columns: 1)
      case term.keyLeft, Int32(UInt8(ascii: "h")): bench.scroll(rows: 0, columns: -1)
      case term.keyPageDown: bench.scroll(rows: Int(term.rows) - 4, columns: 0)
      case term.keyPageUp: bench.scroll(rows: -(Int(term.rows) - 4), columns: 0)
      default: break
      }
    }
  }

  static func draw(_ bench: Workbench, on term: Terminal) {
    term.clear()
    term.draw(
      DisplayWidth.fit(
        " Decant workbench (preview): sample view only; recipe building in the terminal is not available yet. Use `decant run`.",
        width: Int(term.columns), pad: true), row: 0, column: 0, reverse: true, pair: 1)
    var x: Int32 = 0
    let visible = bench.columns.indices.dropFirst(bench.leftColumn)
    for c in visible {
      if x >= term.columns { break }
      term.draw(
        DisplayWidth.fit(bench.columns[c], width: columnWidth, pad: true), row: 1, column: x, bold: true)
      var y: Int32 = 2
      for r in bench.rows.indices.dropFirst(bench.topRow) {
        if y >= term.rows - 1 { break }
        let value = bench.rows[r][c]
        if value.isEmpty {
          term.draw(DisplayWidth.fit("∅", width: columnWidth), row: y, column: x, pair: 2)
        } else {
          term.draw(DisplayWidth.fit(value, width: columnWidth), row: y, column: x)
        }
        y += 1
      }
      x += Int32(columnWidth + 1)
    }
    let status =
      " \(bench.path) — first \(bench.rows.count) rows, \(bench.columns.count) columns — row \(bench.topRow + 1), column \(bench.leftColumn + 1) — q quits"
    term.draw(
      DisplayWidth.fit(status, width: Int(term.columns), pad: true), row: term.rows - 1, column: 0,
      reverse: true, pair: 3)
    term.refreshScreen()
  }
}
