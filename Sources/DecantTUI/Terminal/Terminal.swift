import CNcurses

#if canImport(Glibc)
  import Glibc
#endif

/// The one type that talks to ncurses: start-up, drawing primitives, keys, teardown.
/// The terminal is restored by `stop()`, which is also called on SIGINT/SIGTERM.
public final class Terminal {
  public private(set) var rows: Int32 = 24
  public private(set) var columns: Int32 = 80
  private var started = false
  public private(set) var hasColor = false

  public init() {}

  public func start() {
    _ = decant_setlocale_all()
    initscr()
    started = true
    cbreak()
    noecho()
    keypad(decant_stdscr(), true)
    curs_set(0)
    let noColor = getenv("NO_COLOR").map { String(cString: $0) }.map { !$0.isEmpty } ?? false
    if has_colors() && !noColor {
      start_color()
      use_default_colors()
      init_pair(1, Int16(COLOR_BLACK), Int16(COLOR_CYAN))
      init_pair(2, Int16(COLOR_YELLOW), -1)
      init_pair(3, Int16(COLOR_BLACK), Int16(COLOR_WHITE))
      hasColor = true
    }
    updateSize()
    signal(SIGINT) { _ in
      endwin()
      _exit(130)
    }
    signal(SIGTERM) { _ in
      endwin()
      _exit(143)
    }
  }

  public func updateSize() {
    var y: Int32 = 0
    var x: Int32 = 0
    decant_getmaxyx(decant_stdscr(), &y, &x)
    rows = y
    columns = x
  }

  public func stop() {
    guard started else { return }
    started = false
    endwin()
  }

  public func clear() { erase() }

  /// Draws `text` at a row and column, cut to the screen width.
  public func draw(
    _ text: String, row: Int32, column: Int32, bold: Bool = false, reverse: Bool = false, pair: Int32 = 0
  ) {
    guard row >= 0, row < rows, column < columns else { return }
    var attrs: Int32 = 0
    if bold { attrs |= decant_attr_bold() }
    if reverse { attrs |= decant_attr_reverse() }
    if pair > 0 && hasColor { attrs |= decant_color_pair(pair) }
    if attrs != 0 { attron(attrs) }
    let room = Int(columns - column)
    mvaddstr(row, column, DisplayWidth.fit(text, width: room))
    if attrs != 0 { attroff(attrs) }
  }

  public func refreshScreen() { refresh() }

  /// Waits for a key; returns its code (`KEY_RESIZE` on resize).
  public func readKey() -> Int32 {
    let k = getch()
    if k == decant_key_resize() { updateSize() }
    return k
  }

  public var resizeKey: Int32 { decant_key_resize() }
  public var keyUp: Int32 { decant_key_up() }
  public var keyDown: Int32 { decant_key_down() }
  public var keyLeft: Int32 { decant_key_left() }
  public var keyRight: Int32 { decant_key_right() }
  public var keyPageDown: Int32 { decant_key_npage() }
  public var keyPageUp: Int32 { decant_key_ppage() }
}
