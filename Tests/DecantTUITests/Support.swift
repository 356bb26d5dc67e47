import DecantCore
import Foundation
import XCTest

@testable import DecantTUI

/// Small data files for workbench tests, with everything about them known by hand.
enum Fixture {
  /// Six events (file lines 2…7):
  /// - line 4 repeats line 2 exactly; line 6 repeats the `event_id` of line 3 with another country;
  /// - `country` is empty (null) on lines 3 and 7; `Amount USD` on line 5;
  /// - line 2 is 02:30 on New York's spring-forward day (a gap), line 5 01:30 on its
  ///   fall-back day (an overlap).
  static let events = """
    event_id,country,Amount USD,event_time,tz
    E1,US,10.5,2024-03-10 02:30:00,America/New_York
    E2,,20,2024-01-15 12:00:00,Europe/Berlin
    E1,US,10.5,2024-03-10 02:30:00,America/New_York
    E3,DE,,2024-11-03 01:30:00,America/New_York
    E2,FR,20,2024-01-15 12:00:00,Europe/Berlin
    E4,,7,2024-06-01 08:00:00,UTC

    """

  static let eventColumns = ["event_id", "country", "Amount USD", "event_time", "tz"]

  /// A numeric column for the profile: 0 once, 4 twice, 8 three times, 16 four times, one null.
  /// (Over [0, 16] in 12 buckets a value v falls in bucket ⌊0.75·v⌋, the last for 16: exact in binary.)
  static let amounts = """
    id,amount
    a,0
    b,4
    c,4
    d,8
    e,8
    f,8
    g,
    h,16
    i,16
    j,16
    k,16

    """

  /// Wide characters (CJK, emoji) in the first column, ASCII after it.
  static let wide = """
    city,code,note
    東京,TYO,capital
    Paris,PAR,x
    서울特別市,SEL,y
    😀😀,EMO,z
    a,ABC,long

    """

  /// The bundled sample, found from this file's location.
  static var bundledEventsPath: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("samples/events.csv").path
  }
}

/// A scratch directory removed when the test ends.
final class ScratchDirectory {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "decant-tui-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  func path(_ name: String) -> String { url.appendingPathComponent(name).path }

  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    let p = path(name)
    try text.write(toFile: p, atomically: true, encoding: .utf8)
    return p
  }

  func read(_ name: String) -> String? { try? String(contentsOfFile: path(name), encoding: .utf8) }

  deinit { try? FileManager.default.removeItem(at: url) }
}

extension XCTestCase {
  /// A scratch directory that lives until the end of the test.
  func scratch() throws -> ScratchDirectory {
    let dir = try ScratchDirectory()
    addTeardownBlock { try? FileManager.default.removeItem(at: dir.url) }
    return dir
  }

  /// A workbench on `text` written to a temp file, sampled with `Sampler.first`.
  func makeBench(_ text: String = Fixture.events, name: String = "events.csv", rows: Int = 1000) throws
    -> Workbench
  {
    let dir = try scratch()
    let path = try dir.write(name, text)
    return Workbench(path: path, sample: try Sampler.first(rows, path: path))
  }

  func makeApp(_ text: String = Fixture.events, name: String = "events.csv", rows: Int = 1000) throws
    -> WorkbenchApp
  {
    WorkbenchApp(bench: try makeBench(text, name: name, rows: rows))
  }
}

/// A step decoded from recipe JSON text, as a recipe file would give it.
func recipeStep(_ json: String) throws -> Step {
  try OperationRegistry.decodeStep(try JSONValue.parse(json), number: 1)
}

/// The step a command line gives (fails the test for other commands).
func commandStep(_ line: String, file: StaticString = #filePath, lineNumber: UInt = #line) throws -> Step {
  guard case .step(let step) = try CommandParser.parse(line) else {
    XCTFail("\(line) is not a step command", file: file, line: lineNumber)
    throw CommandError(message: "not a step")
  }
  return step
}

/// The message of the error `body` throws, or nil when it does not throw.
func errorMessage(_ body: () throws -> Void) -> String? {
  do {
    try body()
    return nil
  } catch {
    return "\(error)"
  }
}

/// Cell texts of a table, row by row.
func cells(_ table: TableView) -> [[String]] {
  (0..<table.batch.rowCount).map { r in
    (0..<table.schema.count).map { c in table.batch.string(row: r, column: c) }
  }
}

/// One column's texts.
func column(_ name: String, of table: TableView) -> [String] {
  guard let c = table.schema.index(of: name) else { return [] }
  return (0..<table.batch.rowCount).map { table.batch.string(row: $0, column: c) }
}

extension WorkbenchApp {
  /// Types each character as a key press.
  func type(_ text: String) {
    for ch in text { handle(.char(ch)) }
  }

  /// Types a `:` command line and presses Enter.
  func command(_ line: String) {
    handle(.char(":"))
    type(line)
    handle(.enter)
  }

  /// Draws the screen on a fresh canvas.
  func screen(width: Int = 120, height: Int = 30) -> TextCanvas {
    let canvas = TextCanvas(width: width, height: height)
    draw(on: canvas)
    return canvas
  }

  var modeName: String {
    switch mode {
    case .normal: return "normal"
    case .prompt(let kind, let text): return "prompt \(kind.rawValue)\(text)"
    case .menu(let selected): return "menu \(selected)"
    case .form(let form): return "form \(form.op)"
    case .inputForm: return "input form"
    case .preview: return "preview"
    case .help: return "help"
    case .dropped: return "dropped"
    case .confirmQuit: return "confirmQuit"
    case .summary(let title, _): return "summary \(title)"
    case .facet(let f): return "facet \(f.column)"
    case .mapping(let rows, let cursor): return "mapping \(rows.count) at \(cursor)"
    case .clusters(let c, let typing): return "clusters \(c.column)" + (typing.map { " typing " + $0 } ?? "")
    }
  }

  var currentForm: StepForm? {
    if case .form(let f) = mode { return f }
    return nil
  }

  var currentInputForm: InputForm? {
    if case .inputForm(let f) = mode { return f }
    return nil
  }
}

extension TextCanvas {
  /// The line with trailing spaces removed.
  func trimmed(_ row: Int) -> String {
    var s = lines[row]
    while s.last == " " { s.removeLast() }
    return s
  }

  /// Rows whose text contains `text`.
  func rows(containing text: String) -> [Int] {
    lines.indices.filter { lines[$0].contains(text) }
  }
}
