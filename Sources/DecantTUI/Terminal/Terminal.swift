import CNcurses

#if canImport(Glibc)
  import Glibc
#endif

/// The one type that talks to ncurses: start-up, colors, drawing, keys, teardown.
/// The terminal is restored by `stop()`, and on SIGINT/SIGTERM/SIGHUP and fatal signals.
public final class Terminal: Canvas {
  public private(set) var width = 80
  public private(set) var height = 24
  private var started = false
  private var colorPairs: [Style: Int32] = [:]
  private var attributes: [Style: Int32] = [:]

  public init() {}

  /// Enters curses mode. Colors follow the terminal: 8 colors are enough, and
  /// `NO_COLOR` (or a terminal without colors) leaves attributes only.
  public func start() {
    _ = decant_setlocale_all()
    initscr()
    started = true
    cbreak()
    noecho()
    nonl()
    keypad(decant_stdscr(), true)
    set_escdelay(25)
    curs_set(0)
    Terminal.installSignalHandlers()
    let noColor = getenv("NO_COLOR").map { String(cString: $0) }.map { !$0.isEmpty } ?? false
    let bold = decant_attr_bold()
    let reverse = decant_attr_reverse()
    let dim = decant_attr_dim()
    let underline = decant_attr_underline()
    attributes = [
      .title: reverse | bold, .header: bold, .typeRow: dim, .null: dim, .changed: bold | underline,
      .cursor: reverse, .cursorChanged: reverse | bold | underline, .status: reverse, .message: 0,
      .error: bold, .selected: bold, .dim: dim, .panelTitle: bold, .removed: dim, .input: bold, .plain: 0,
    ]
    if has_colors() && !noColor {
      start_color()
      use_default_colors()
      let pairs: [(Style, Int16, Int16)] = [
        (.title, Int16(COLOR_BLACK), Int16(COLOR_CYAN)), (.header, Int16(COLOR_CYAN), -1),
        (.typeRow, Int16(COLOR_BLUE), -1), (.null, Int16(COLOR_MAGENTA), -1),
        (.changed, Int16(COLOR_BLACK), Int16(COLOR_YELLOW)),
        (.cursorChanged, Int16(COLOR_BLACK), Int16(COLOR_GREEN)),
        (.status, Int16(COLOR_BLACK), Int16(COLOR_WHITE)), (.error, Int16(COLOR_RED), -1),
        (.panelTitle, Int16(COLOR_CYAN), -1), (.selected, Int16(COLOR_YELLOW), -1),
      ]
      for (i, (style, fg, bg)) in pairs.enumerated() {
        init_pair(Int16(i + 1), fg, bg)
        colorPairs[style] = decant_color_pair(Int32(i + 1))
      }
      attributes[.changed] = bold
      attributes[.cursorChanged] = bold
    }
    updateSize()
  }

  private static func installSignalHandlers() {
    for sig in [SIGINT, SIGTERM, SIGHUP] {
      signal(sig) { s in
        endwin()
        _exit(128 + s)
      }
    }
    for sig in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT] {
      signal(sig) { s in
        endwin()
        signal(s, SIG_DFL)
        raise(s)
      }
    }
  }

  public func updateSize() {
    var y: Int32 = 0
    var x: Int32 = 0
    decant_getmaxyx(decant_stdscr(), &y, &x)
    height = Int(y)
    width = Int(x)
  }

  /// Leaves curses mode and restores the terminal (safe to call twice).
  public func stop() {
    guard started else { return }
    started = false
    endwin()
  }

  public func put(_ text: String, row: Int, column: Int, style: Style) {
    guard row >= 0, row < height, column < width, column >= 0 else { return }
    let attrs = (attributes[style] ?? 0) | (colorPairs[style] ?? 0)
    if attrs != 0 { attron(attrs) }
    // A cut that keeps the right edge free: ncurses wraps a character written in the last column.
    let room = width - column - (row == height - 1 ? 1 : 0)
    var fitted = text
    if DisplayWidth.of(fitted) > room {
      while fitted.last == " " && DisplayWidth.of(fitted) > room { fitted.removeLast() }
      if DisplayWidth.of(fitted) > room { fitted = DisplayWidth.fit(fitted, width: room) }
    }
    mvaddstr(Int32(row), Int32(column), fitted)
    if attrs != 0 { attroff(attrs) }
  }

  public func beginFrame() { erase() }
  public func endFrame() { refresh() }

  /// Waits up to `timeout` milliseconds (-1: forever) for a key.
  public func readKey(timeout milliseconds: Int32 = -1) -> Key? {
    wtimeout(decant_stdscr(), milliseconds)
    var ch: UInt32 = 0
    let kind = get_wch(&ch)
    if kind == ERR { return nil }
    if kind == KEY_CODE_YES {
      let code = Int32(ch)
      switch code {
      case decant_key_resize():
        updateSize()
        return .resize
      case decant_key_up(): return .up
      case decant_key_down(): return .down
      case decant_key_left(): return .left
      case decant_key_right(): return .right
      case decant_key_npage(): return .pageDown
      case decant_key_ppage(): return .pageUp
      case decant_key_home(): return .home
      case decant_key_end(): return .end
      case KEY_BACKSPACE: return .backspace
      case KEY_DC: return .delete
      case KEY_BTAB: return .backTab
      case KEY_ENTER: return .enter
      default: return nil
      }
    }
    switch ch {
    case 10, 13: return .enter
    case 27: return .escape
    case 9: return .tab
    case 127, 8: return .backspace
    case 1...26: return .ctrl(Character(Unicode.Scalar(ch + 96)!))
    default:
      guard let scalar = Unicode.Scalar(ch) else { return nil }
      return .char(Character(scalar))
    }
  }
}

/// Runs the workbench in the terminal until the user quits.
///
/// With `DECANT_TIMING=FILE` in the environment, each frame appends one line to
/// FILE: `first <ms>` (process start to the first screen) or `key <name> <ms>`
/// (key received to the redraw finished), for the latency benchmark.
public enum WorkbenchSession {
  public static func run(_ app: WorkbenchApp, startedAt: Double? = nil) {
    let terminal = Terminal()
    terminal.start()
    defer { terminal.stop() }
    let timing = getenv("DECANT_TIMING").flatMap { fopen($0, "a") }
    defer { if let timing { fclose(timing) } }
    func log(_ text: String) {
      guard let timing else { return }
      fputs(text + "\n", timing)
      fflush(timing)
    }
    var needsDraw = true
    var pending: (Key, Double)? = nil
    var first = true
    while !app.wantsQuit {
      if needsDraw {
        terminal.beginFrame()
        app.draw(on: terminal)
        terminal.endFrame()
        let now = Clock.milliseconds()
        if first, let startedAt { log("first \(now - startedAt)") }
        if let (key, at) = pending { log("key \(key) \(now - at)") }
        first = false
        pending = nil
      }
      let key = terminal.readKey(timeout: app.isBusy ? 100 : -1)
      needsDraw = app.tick()
      if let key {
        pending = (key, Clock.milliseconds())
        app.handle(key)
        needsDraw = true
      }
    }
  }
}

/// Monotonic milliseconds (for timing frames).
public enum Clock {
  public static func milliseconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1_000_000
  }
}
