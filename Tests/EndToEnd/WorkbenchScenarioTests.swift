import DecantCore
import Foundation
import XCTest

/// The workbench used as a person would: the built binary runs in tmux, keys go in
/// with send-keys and the screen (with its attributes, when that matters) comes out
/// with capture-pane. Each test has its own session and temporary directory.
///
/// Sessions run with `TERM=tmux-256color`, the terminal they really are in: with an
/// xterm entry inside tmux, Home and End arrive as sequences the entry does not know.
final class WorkbenchScenarioTests: XCTestCase {
  var tmux = TmuxSession()
  var dir: URL!
  var height = 30

  static let golden = DecantProcess.root.appendingPathComponent("Tests/EndToEnd/golden/events/expected.csv")
  static let eventsHeader = ["event_id", "user_id", "country", "Amount USD", "event_time", "tz", "note"]

  override func setUpWithError() throws {
    try TmuxSession.checkAvailable()
    dir = try DecantProcess.temporaryDirectory(self)
    try FileManager.default.createDirectory(at: dir.file("samples"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: DecantProcess.root.appendingPathComponent("samples/events.csv"), to: dir.file("samples/events.csv"))
    // Teardown blocks run before tearDown() and last-in first-out: the session ends before its directory goes.
    addTeardownBlock { [tmux] in tmux.kill() }
  }

  override func tearDown() { tmux.kill() }

  // MARK: Driving the workbench

  /// Starts `decant ARGS` in the temporary directory and waits for the first screen. When the
  /// workbench ends, the shell prints `EXITED <status>` and the terminal modes (`TTY: icanon echo`).
  func open(
    _ args: String = "samples/events.csv", term: String = "tmux-256color", env: String = "", width: Int = 120,
    height: Int = 30, ready: String = "row 1/147", file: StaticString = #filePath, line: UInt = #line
  ) throws {
    self.height = height
    let modes = #"stty -a | tr ' ;' '\n\n' | grep -xE -- '-?(icanon|echo)' | tr '\n' ' '"#
    try tmux.start(
      "cd '\(dir.path)' && env -u NO_COLOR LANG=C.UTF-8 TERM=\(term) \(env) '\(DecantProcess.binary.path)' \(args)"
        + #"; echo "EXITED $?"; echo "TTY: $("# + modes + #")"; sleep 120"#,
      width: width, height: height)
    try tmux.waitFor(ready, file: file, line: line)
  }

  /// Sends named keys (tmux key names: Enter, Escape, Tab, C-r, NPage…), one by one.
  func press(_ keys: String...) throws {
    for k in keys { try tmux.send(k) }
  }

  /// Types a `:` command line and presses Enter.
  func command(_ line: String) throws {
    try tmux.type(":" + line)
    try tmux.send("Enter")
  }

  /// Types a step as a command, waits for its preview, checks the counts it announces and applies it.
  @discardableResult
  func addStep(
    _ line: String, preview: String, counts: [String], added: String, file: StaticString = #filePath,
    line lineNumber: UInt = #line
  ) throws -> String {
    try command(line)
    let shown = try tmux.waitFor(preview, file: file, line: lineNumber)
    let message = lines(shown).last ?? ""
    for count in counts {
      XCTAssertTrue(
        message.contains(count), "the preview should say \"\(count)\": \(message)", file: file,
        line: lineNumber)
    }
    XCTAssertTrue(message.contains("Enter applies"), message, file: file, line: lineNumber)
    XCTAssertTrue(lines(shown).first?.contains("— preview") ?? false, shown, file: file, line: lineNumber)
    try press("Enter")
    return lines(try tmux.waitFor(added, file: file, line: lineNumber)).last ?? ""
  }

  /// The four steps of recipes/events.json, typed on the command line. Returns the messages that
  /// followed each Enter.
  @discardableResult
  func addCoreStepsByCommand(file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
    var messages: [String] = []
    messages.append(
      try addStep(
        #"rename "Amount USD" amount_usd"#, preview: #"preview of rename "Amount USD" → amount_usd"#,
        counts: ["0 cells change"], added: #"added step 1: rename "Amount USD" → amount_usd"#, file: file,
        line: line))
    messages.append(
      try addStep(
        "dedupe event_id", preview: "preview of dedupe event_id", counts: ["12 rows removed"],
        added: "added step 2: dedupe event_id", file: file, line: line))
    messages.append(
      try addStep(
        "fill_null country ZZ", preview: "preview of fill_null country with ZZ", counts: ["22 cells change"],
        added: "added step 3: fill_null country with ZZ", file: file, line: line))
    messages.append(
      try addStep(
        #"normalize_timezone event_time @tz UTC input_format="%Y-%m-%d %H:%M:%S" input_format="%Y-%m-%dT%H:%M:%S%z""#,
        preview: "preview of normalize_timezone event_time zone in tz → UTC",
        counts: ["127 cells change", "5 rows rejected"],
        added: "added step 4: normalize_timezone event_time zone in tz → UTC", file: file, line: line))
    return messages
  }

  /// Waits for the shell to report the workbench's exit and returns the screen.
  @discardableResult
  func waitForExit(
    status: String = "0", file: StaticString = #filePath, line: UInt = #line
  ) throws -> String {
    let screen = try tmux.waitFor("EXITED \(status)", file: file, line: line)
    let after = try tmux.waitFor("TTY:", file: file, line: line)
    XCTAssertTrue(
      after.contains("TTY: icanon echo"), "the terminal modes were not restored:\n\(after)", file: file,
      line: line)
    XCTAssertFalse(
      screen.contains("decant —"), "the workbench is still on screen:\n\(screen)", file: file, line: line)
    XCTAssertFalse(
      screen.contains("\u{1B}") || screen.contains("^["), "escape garbage:\n\(screen)", file: file, line: line
    )
    return after
  }

  // MARK: Reading the screen

  func lines(_ screen: String) -> [String] {
    var all = screen.components(separatedBy: "\n")
    if all.last == "" { all.removeLast() }
    return all
  }

  /// The row numbers in the grid's gutter, top to bottom.
  func visibleRows(_ screen: String) -> [Int] {
    let all = lines(screen)
    guard all.count >= 5 else { return [] }
    return all[3..<(all.count - 2)].compactMap { line in
      let digits = line.drop { $0 == " " }.prefix { $0.isNumber }
      return digits.isEmpty ? nil : Int(digits)
    }
  }

  func statusLine(_ screen: String) -> String {
    let all = lines(screen)
    return all.count >= 2 ? all[all.count - 2] : ""
  }

  /// The side panel: what is right of the grid's `│` on each body line.
  func panel(_ screen: String) -> [String] {
    lines(screen).dropFirst().compactMap { line in
      guard let bar = line.firstIndex(of: "│") else { return nil }
      return String(line[line.index(after: bar)...])
    }
  }

  /// The grid: what is left of the side panel's `│` on each line.
  func grid(_ screen: String) -> String {
    lines(screen).map { line in line.firstIndex(of: "│").map { String(line[..<$0]) } ?? line }.joined(
      separator: "\n")
  }

  func panelLine(_ screen: String, containing text: String) -> String? {
    panel(screen).first { $0.contains(text) }
  }

  /// A step's line in the step list joined with the effect line below it.
  func stepEntry(_ screen: String, containing text: String) -> String? {
    let lines = panel(screen)
    guard let i = lines.firstIndex(where: { $0.contains(text) }) else { return nil }
    return lines[i] + (i + 1 < lines.count ? " " + lines[i + 1].trimmingCharacters(in: .whitespaces) : "")
  }

  // MARK: 1. Opening a file

  func testOpeningTheSampleShowsGridTypesNullsStatusAndProfile() throws {
    try open()
    let screen = try tmux.screen()
    let all = lines(screen)
    XCTAssertEqual(all.count, 30)
    XCTAssertTrue(all[0].contains("decant — events.csv — unsaved recipe — sample"), all[0])
    for name in ["event_id", "user_id", "country", "Amount USD", "event_time"] {
      XCTAssertTrue(all[1].contains(name), "header lacks \(name): \(all[1])")
    }
    XCTAssertTrue(all[2].contains("text"), all[2])
    XCTAssertTrue(all[2].contains("decimal"), "inferred type of Amount USD: \(all[2])")
    XCTAssertTrue(all[2].contains("datetime"), "inferred type of event_time: \(all[2])")
    // Row 6 (E1003) has no country: the cell is marked, not blank.
    let row6 = try XCTUnwrap(all.first { $0.hasPrefix("  6 E1003") }, screen)
    XCTAssertTrue(row6.contains("u013    ∅       209.59"), row6)
    XCTAssertEqual(visibleRows(screen).first, 1)
    XCTAssertEqual(visibleRows(screen).last, 25)
    XCTAssertTrue(
      statusLine(screen).contains("all 147 rows │ row 1/147, column 1/7 event_id"), statusLine(screen))
    // The profile of the current column.
    XCTAssertNotNil(panelLine(screen, containing: "Column event_id [text]"), screen)
    XCTAssertNotNil(panelLine(screen, containing: "nulls 2 of 147 (1%)"), screen)
    XCTAssertNotNil(panelLine(screen, containing: "distinct 134"), screen)
    XCTAssertNotNil(panelLine(screen, containing: "top values"), screen)
    let top = try XCTUnwrap(panelLine(screen, containing: "E1003"), screen)
    XCTAssertTrue(top.contains("█") && top.hasSuffix(" 4"), top)
    XCTAssertNotNil(panelLine(screen, containing: "0 sample: 147 rows"), screen)
    XCTAssertNotNil(panelLine(screen, containing: "no steps yet"), screen)

    // The profile follows the cursor.
    try press("l", "l")
    let country = try tmux.waitFor("row 1/147, column 3/7 country")
    XCTAssertNotNil(panelLine(country, containing: "Column country [text]"), country)
    XCTAssertNotNil(panelLine(country, containing: "nulls 26 of 147 (18%)"), country)
    XCTAssertNotNil(panelLine(country, containing: "distinct 9"), country)
    let de = try XCTUnwrap(panelLine(country, containing: "  DE "), country)
    XCTAssertTrue(de.hasSuffix(" 20"), de)
    // A numeric column has min, max and a histogram.
    try press("l")
    let amount = try tmux.waitFor("row 1/147, column 4/7 Amount USD")
    XCTAssertNotNil(panelLine(amount, containing: "Column Amount USD [decimal"), amount)
    XCTAssertNotNil(panelLine(amount, containing: "nulls 8 of 147"), amount)
    XCTAssertNotNil(panelLine(amount, containing: "min -35.84"), amount)
    XCTAssertNotNil(panelLine(amount, containing: "histogram"), amount)
  }

  // MARK: 2. Scrolling, jumping and searching

  func testScrollingJumpingAndSearchingMoveTheCursorAndTheView() throws {
    try open()
    func expect(_ status: String, rows: ClosedRange<Int>? = nil, line: UInt = #line) throws {
      let screen = try tmux.waitFor(status, line: line)
      if let rows {
        XCTAssertEqual(
          visibleRows(screen).first, rows.lowerBound, "first row on screen:\n\(screen)", line: line)
        XCTAssertEqual(
          visibleRows(screen).last, rows.upperBound, "last row on screen:\n\(screen)", line: line)
      }
    }
    try press("j", "j")
    try expect("row 3/147, column 1/7 event_id", rows: 1...25)
    try press("k")
    try expect("row 2/147, column 1/7 event_id")
    try press("l")
    try expect("row 2/147, column 2/7 user_id")
    try press("h")
    try expect("row 2/147, column 1/7 event_id")
    try press("Down", "Down", "Right", "Right")
    try expect("row 4/147, column 3/7 country")
    try press("Up", "Left")
    try expect("row 3/147, column 2/7 user_id")
    // A page is the 25 data rows the window shows.
    try press("NPage")
    try expect("row 28/147, column 2/7 user_id", rows: 26...50)
    try press("NPage")
    try expect("row 53/147", rows: 51...75)
    try press("PPage")
    try expect("row 28/147", rows: 26...50)
    try press("G")
    try expect("row 147/147", rows: 123...147)
    XCTAssertTrue(try tmux.screen().contains("147 E1103"))
    try press("g")
    try expect("row 1/147, column 2/7 user_id", rows: 1...25)
    // Columns: End/$ to the last one (the grid scrolls right), Home/0 back.
    try press("End")
    try expect("row 1/147, column 7/7 note")
    XCTAssertTrue(lines(try tmux.screen())[1].contains("note"))
    try press("Home")
    try expect("row 1/147, column 1/7 event_id")
    XCTAssertTrue(lines(try tmux.screen())[1].contains("event_id"))
    try press("$")
    try expect("column 7/7 note")
    try press("0")
    try expect("column 1/7 event_id")
    // c: go to a column by name (Tab completes it).
    try press("c")
    try tmux.type("tz")
    try tmux.waitFor("column: tz▏")
    try press("Enter")
    try expect("row 1/147, column 6/7 tz")
    XCTAssertTrue(lines(try tmux.screen())[1].contains("tz"))
    try press("c")
    try tmux.type("am")
    try press("Tab")
    try tmux.waitFor("column: Amount USD▏")
    try press("Enter")
    try expect("row 1/147, column 4/7 Amount USD")
    // /: search, case-insensitive, from the cursor on; n and N go on and back.
    try press("g", "0", "/")
    try tmux.type("berlin")
    try tmux.waitFor("/berlin▏")
    try press("Enter")
    try expect("row 3/147, column 6/7 tz")  // E2007, Europe/Berlin
    try press("n")
    try expect("row 3/147, column 7/7 note")  // "DST gap Berlin"
    try press("n")
    try expect("row 5/147, column 6/7 tz")  // E1002, Europe/Berlin
    try press("N")
    try expect("row 3/147, column 7/7 note")
    try press("/")
    try tmux.type("no such text")
    try press("Enter")
    try expect("\"no such text\" not found")
    try expect("row 3/147, column 7/7 note")
  }

  // MARK: 3. The four core operations on the command line

  func testCoreOperationsTypedOnTheCommandLinePreviewAndApply() throws {
    try open()
    try addCoreStepsByCommand()
    let screen = try tmux.waitFor("— after step 4")
    XCTAssertTrue(lines(screen)[0].contains("unsaved recipe [+]"), lines(screen)[0])
    XCTAssertTrue(
      statusLine(screen).contains("row 1/130"),
      "dedupe removed 12 and 5 rows were rejected: \(statusLine(screen))")
    XCTAssertTrue(lines(screen)[1].contains("amount_usd"), lines(screen)[1])
    XCTAssertTrue(screen.contains("2024-09-07T05:24:02Z"), "E1000's time in UTC:\n\(screen)")
    for step in [
      #"1 rename "Amount USD" → amount_usd"#, "2 dedupe event_id", "3 fill_null country with ZZ",
      "4 normalize_timezone event_time",
    ] {
      XCTAssertNotNil(panelLine(screen, containing: step), "the step list lacks \(step):\n\(screen)")
    }
    // A command that is wrong says why and adds nothing.
    try command("dedup event_id")
    let wrong = try tmux.waitFor("did you mean :dedupe?")
    XCTAssertTrue(wrong.contains("— after step 4"), wrong)
    try command("fill_null nosuchcolumn ZZ")
    try tmux.waitFor("nosuchcolumn")
    XCTAssertNil(panelLine(try tmux.screen(), containing: "5 fill_null"))
  }

  /// DESIGN §5: "the step list shows every step with its effect".
  func testStepListShowsTheEffectOfEveryStep() throws {
    try open()
    let messages = try addCoreStepsByCommand()
    XCTAssertFalse(
      messages[0].contains("no change"),
      "a rename that renamed a column is reported as having no effect: \(messages[0])")
    let screen = try tmux.screen()
    for (step, effect) in [
      ("1 rename", "1 column renamed"), ("2 dedupe event_id", "12 removed"),
      ("3 fill_null country with ZZ", "22 cells changed"),
      ("4 normalize_timezone event_time", "5 rejected"),
    ] {
      let line = stepEntry(screen, containing: step) ?? "(no line)"
      XCTAssertTrue(
        line.contains(effect),
        "step \"\(step)\" should show \"\(effect)\" in the step list; it shows \"\(line)\"")
    }
  }

  // MARK: 4. The four operations through the menu and their forms

  func testCoreOperationsBuiltFromTheMenuAndFormsReplayToTheGoldenOutput() throws {
    try open()
    func formLine(_ screen: String, _ field: String) -> String {
      lines(screen).first { $0.contains("▸ \(field)") } ?? "(no focused \(field) field)"
    }
    // rename: the form starts from the column under the cursor.
    try press("c")
    try tmux.type("Amount")
    try press("Enter")
    try tmux.waitFor("column 4/7 Amount USD")
    try press("a")
    let menu = try tmux.waitFor("Add a step")
    for op in ["rename", "dedupe", "fill_null", "normalize_timezone"] {
      XCTAssertTrue(menu.contains(op), menu)
    }
    try press("Enter")
    try tmux.waitFor("New step: rename")
    try tmux.waitFor("Amount USD:▏")
    try tmux.type("amount_usd")
    try tmux.waitFor("✓ preview")
    try press("Enter")
    try tmux.waitFor(#"added step 1: rename "Amount USD" → amount_usd"#)

    // dedupe: ←/→ pick the key column; ←/→ on keep cycle its choices.
    try press("0", "a", "d")
    try tmux.waitFor("▸ dedupe")
    try press("Enter")
    try tmux.waitFor("New step: dedupe")
    try press("Right")
    try tmux.waitUntil("columns shows event_id") { formLine($0, "columns").contains("event_id▏") }
    try press("Right")
    try tmux.waitUntil("columns shows user_id") { formLine($0, "columns").contains("user_id▏") }
    try press("Left")
    try tmux.waitUntil("columns shows event_id again") { formLine($0, "columns").contains("event_id▏") }
    try tmux.waitFor("✓ preview: 0 cells change, 12 rows removed")
    try press("Down")
    try tmux.waitUntil("keep has focus") { formLine($0, "keep").contains("(default: first)") }
    try press("Right")
    try tmux.waitUntil("keep is first") { formLine($0, "keep").contains("◂ first ▸") }
    try press("Enter")
    try tmux.waitFor("added step 2: dedupe event_id")

    // fill_null: a constant typed in the value field.
    try press("c")
    try tmux.type("country")
    try press("Enter")
    try tmux.waitFor("column 3/7 country")
    try press("a", "f")
    try tmux.waitFor("▸ fill_null")
    try press("Enter")
    try tmux.waitFor("New step: fill_null")
    try tmux.waitUntil("columns is country") { formLine($0, "columns").contains("country▏") }
    try press("Down")
    try tmux.type("ZZ")
    try tmux.waitFor("✓ preview: 22 cells change")
    try press("Enter")
    try tmux.waitFor("added step 3: fill_null country with ZZ")

    // normalize_timezone: ←/→ over columns, Tab completes a zone column and zone names.
    try press("c")
    try tmux.type("event_time")
    try press("Enter")
    try tmux.waitFor("column 5/7 event_time")
    try press("a", "n")
    try tmux.waitFor("▸ normalize_timezone")
    try press("Enter")
    try tmux.waitFor("New step: normalize_timezone")
    try tmux.waitUntil("column is event_time") { formLine($0, "column").contains("event_time▏") }
    try press("Right")
    try tmux.waitUntil("column is tz") { formLine($0, "column").contains("tz▏") }
    try press("Left")
    try tmux.waitUntil("column is event_time again") { formLine($0, "column").contains("event_time▏") }
    try press("Down")
    try tmux.type("@t")
    try tmux.waitFor("Tab: @tz")
    try press("Tab")
    try tmux.waitUntil("from_zone is @tz") { formLine($0, "from_zone").contains("@tz▏") }
    try press("Down")
    try tmux.type("Europe/Ber")
    try tmux.waitFor("Tab: Europe/Berlin")
    try press("Tab")
    try tmux.waitUntil("to_zone is Europe/Berlin") { formLine($0, "to_zone").contains("Europe/Berlin▏") }
    try tmux.waitFor("zone in tz → Europe/Berlin")  // the preview writes Berlin times
    for _ in 0..<"Europe/Berlin".count { try press("BSpace") }
    try tmux.waitUntil("to_zone is empty again") {
      let field = formLine($0, "to_zone")
      return field.contains("▏") && !field.contains("Europe")
    }
    try tmux.waitFor("zone in tz → UTC")
    try press("Down")
    try tmux.type("%Y-%m-%d %H:%M:%S | %Y-%m-%dT%H:%M:%S%z")
    try tmux.waitUntil("input_formats typed") { formLine($0, "input_formats").contains("%H:%M:%S%z▏") }
    try press("Down", "Down")
    try tmux.waitUntil("ambiguous has focus") { formLine($0, "ambiguous").contains("(default: earlier)") }
    try press("Right")
    try tmux.waitUntil("ambiguous is earlier") { formLine($0, "ambiguous").contains("◂ earlier ▸") }
    try tmux.waitFor("✓ preview: 127 cells change, 5 rows rejected")
    try press("Enter")
    try tmux.waitFor("added step 4: normalize_timezone event_time zone in tz → UTC")

    try command("w recipe.json")
    try tmux.waitFor("saved recipe.json (4 steps)")
    try assertReplaysToGolden(dir.file("recipe.json"))
  }

  // MARK: 5. Preview highlighting, Esc cancels

  func testPreviewHighlightsChangedCellsAndEscCancels() throws {
    try open()
    try command("fill_null country ZZ")
    try tmux.waitFor("preview of fill_null country with ZZ: 26 cells change")
    let styled = StyledScreen(try tmux.styledScreen())
    let (changed, unchanged) = try countryCells(styled)
    XCTAssertFalse(changed.isEmpty, styled.plain)
    XCTAssertFalse(unchanged.isEmpty, styled.plain)
    XCTAssertEqual(Set(changed.map(\.style)).count, 1, "changed cells drawn alike: \(changed)")
    XCTAssertEqual(Set(unchanged.map(\.style)).count, 1, "unchanged cells drawn alike: \(unchanged)")
    XCTAssertNotEqual(changed.first?.style, unchanged.first?.style, "changed cells must stand out")
    XCTAssertTrue(styled.hasColor)
    XCTAssertTrue(lines(styled.plain)[0].contains("— preview"))
    XCTAssertNotNil(panelLine(styled.plain, containing: "+ preview: fill_null country with ZZ"), styled.plain)

    try press("Escape")
    let cancelled = try tmux.waitFor("step cancelled")
    XCTAssertTrue(lines(cancelled)[0].contains("unsaved recipe — sample"), lines(cancelled)[0])
    XCTAssertNotNil(panelLine(cancelled, containing: "no steps yet"), cancelled)
    XCTAssertFalse(statusLine(cancelled).contains("unsaved"), statusLine(cancelled))
    XCTAssertTrue(lines(cancelled).contains { $0.hasPrefix("  6 E1003    u013    ∅") }, cancelled)
    XCTAssertFalse(grid(cancelled).contains(" ZZ "), cancelled)

    // A previewed dedupe counts the rows it removes; v lists them; Esc still cancels.
    try command("dedupe event_id")
    try tmux.waitFor("12 rows removed")
    try press("v")
    let dropped = try tmux.waitFor("12 rows removed or rejected")
    XCTAssertTrue(dropped.contains("removed by dedupe"), dropped)
    try press("x")
    try tmux.waitUntil("the list closes") { !$0.contains("12 rows removed or rejected") }
    try tmux.waitFor("— preview")
    try press("Escape")
    try tmux.waitFor("step cancelled")
    XCTAssertNotNil(panelLine(try tmux.screen(), containing: "no steps yet"))
  }

  /// The country column's data cells from the styled screen, split into `ZZ` (filled) and the rest.
  func countryCells(_ screen: StyledScreen) throws -> (
    changed: [(text: String, style: StyledScreen.Style)],
    unchanged: [(text: String, style: StyledScreen.Style)]
  ) {
    let header = screen.text(row: 1)
    let range = try XCTUnwrap(header.range(of: "country"), header)
    let x = header.distance(from: header.startIndex, to: range.lowerBound)
    var changed: [(String, StyledScreen.Style)] = []
    var unchanged: [(String, StyledScreen.Style)] = []
    for y in 3..<(height - 2) {
      guard let cell = screen.cell(row: y, column: x), let next = screen.cell(row: y, column: x + 1) else {
        continue
      }
      let text = String([cell.character, next.character])
      if text == "ZZ" { changed.append((text, cell.style)) } else { unchanged.append((text, cell.style)) }
    }
    return (changed, unchanged)
  }

  // MARK: 6. Undo and redo

  func testUndoAndRedoChangeTheStepList() throws {
    try open()
    try addStep("dedupe event_id", preview: "preview of dedupe", counts: [], added: "added step 1")
    try addStep("fill_null country ZZ", preview: "preview of fill_null", counts: [], added: "added step 2")
    try press("u")
    var screen = try tmux.waitFor("undid: add step 2 (fill_null country with ZZ) (1 step now)")
    XCTAssertNil(panelLine(screen, containing: "2 fill_null"), screen)
    XCTAssertNotNil(panelLine(screen, containing: "1 dedupe event_id"), screen)
    try press("C-r")
    screen = try tmux.waitFor("redid: add step 2 (fill_null country with ZZ) (2 steps now)")
    XCTAssertNotNil(panelLine(screen, containing: "2 fill_null country with ZZ"), screen)
    try press("u", "u")
    screen = try tmux.waitFor("undid: add step 1 (dedupe event_id) (0 steps now)")
    XCTAssertNotNil(panelLine(screen, containing: "no steps yet"), screen)
    XCTAssertTrue(statusLine(screen).contains("row 1/147"), statusLine(screen))
    try press("u")
    try tmux.waitFor("nothing to undo")
    try press("C-r")
    try tmux.waitFor("(1 step now)")
    try command("redo")
    screen = try tmux.waitFor("(2 steps now)")
    XCTAssertNotNil(panelLine(screen, containing: "2 fill_null country with ZZ"), screen)
    try press("C-r")
    try tmux.waitFor("nothing to redo")
    try command("undo")
    try tmux.waitFor("undid: add step 2")
    // A new step after an undo drops the redo history.
    try addStep("fill_null country XX", preview: "preview of fill_null", counts: [], added: "added step 2")
    try press("C-r")
    try tmux.waitFor("nothing to redo")
    XCTAssertNotNil(panelLine(try tmux.screen(), containing: "2 fill_null country with XX"))
  }

  // MARK: 7. The step list

  func testStepListViewsDisablesReordersDeletesAndEditsSteps() throws {
    try open()
    try addCoreStepsByCommand()
    try press("Tab")
    var screen = try tmux.waitFor("— as of step 4")
    XCTAssertNotNil(panelLine(screen, containing: "Steps (Tab: grid"), screen)
    try press("k")
    screen = try tmux.waitFor("— as of step 3")
    XCTAssertTrue(statusLine(screen).contains("row 1/135"), statusLine(screen))
    XCTAssertTrue(screen.contains("2024-09-07 02:24:02"), "times not converted yet as of step 3:\n\(screen)")
    XCTAssertTrue(grid(screen).contains(" ZZ "), screen)
    try press("k")
    screen = try tmux.waitFor("— as of step 2")
    XCTAssertTrue(grid(screen).contains("∅"), "nulls not filled yet as of step 2:\n\(screen)")
    XCTAssertFalse(grid(screen).contains(" ZZ "), screen)
    try press("k")
    screen = try tmux.waitFor("— as of step 1")
    XCTAssertTrue(statusLine(screen).contains("row 1/147"), statusLine(screen))
    XCTAssertTrue(lines(screen)[1].contains("amount_usd"), lines(screen)[1])
    try press("0")
    screen = try tmux.waitFor("— sample (before any step)")
    XCTAssertTrue(lines(screen)[1].contains("Amount USD"), lines(screen)[1])
    // From the sample, the next step is step 1.
    try press("j")
    let next = try tmux.waitFor("— as of step 1", timeout: 2)
    if !next.contains("— as of step 1") { try press("k", "k", "k") }
    try tmux.waitFor("— as of step 1")

    // Space disables the selected step (dedupe) and enables it again.
    try press("j")
    try tmux.waitFor("— as of step 2")
    try press("Space")
    screen = try tmux.waitFor("disabled step 2")
    XCTAssertTrue(
      stepEntry(screen, containing: "2 ✗ dedupe event_id")?.hasSuffix("disabled") ?? false, screen)
    XCTAssertTrue(
      statusLine(screen).contains("row 1/147"), "a disabled dedupe removes nothing: \(statusLine(screen))")
    try press("Space")
    screen = try tmux.waitFor("enabled step 2")
    XCTAssertTrue(statusLine(screen).contains("row 1/135"), statusLine(screen))
    XCTAssertNil(panelLine(screen, containing: "✗ dedupe"), screen)

    // J and K move it down and back up.
    try press("J")
    screen = try tmux.waitFor("moved step to position 3")
    XCTAssertNotNil(panelLine(screen, containing: "2 fill_null country with ZZ"), screen)
    XCTAssertNotNil(panelLine(screen, containing: "3 dedupe event_id"), screen)
    try press("K")
    screen = try tmux.waitFor("moved step to position 2", timeout: 2)
    XCTAssertNotNil(panelLine(screen, containing: "2 dedupe event_id"), screen)
    XCTAssertNotNil(panelLine(screen, containing: "3 fill_null country with ZZ"), screen)

    // e edits the selected step in its form.
    try press("j")
    try tmux.waitFor("— as of step 3")
    try press("e")
    try tmux.waitFor("Edit step: fill_null")
    try press("Down")
    try tmux.waitUntil("the value field shows ZZ") { s in
      self.lines(s).contains { $0.contains("▸ value") && $0.contains("ZZ▏") }
    }
    try press("BSpace", "BSpace")
    try tmux.type("XX")
    try tmux.waitFor("✓ preview: 22 cells change")
    try press("Enter")
    screen = try tmux.waitFor("changed step 3: fill_null country with XX")
    XCTAssertNotNil(panelLine(screen, containing: "3 fill_null country with XX"), screen)

    // The focus stayed in the step list, where the edit began: d deletes the selected step.
    try tmux.waitFor("Steps (Tab: grid")
    try press("j")
    try tmux.waitFor("— as of step 4")
    try press("d")
    screen = try tmux.waitFor("deleted step 4: normalize_timezone")
    XCTAssertNil(panelLine(screen, containing: "4 normalize_timezone"), screen)
    XCTAssertNotNil(panelLine(screen, containing: "3 fill_null country with XX"), screen)
    try press("Tab")
    screen = try tmux.waitFor("— after step 3")
    XCTAssertTrue(grid(screen).contains(" XX "), screen)
  }

  // MARK: 8. Saving, then replaying headlessly

  func testSavedRecipeReplaysToTheGoldenOutputAndChecks() throws {
    try open()
    try addCoreStepsByCommand()
    try command("w recipe.json")
    let saved = try tmux.waitFor("saved recipe.json (4 steps)")
    XCTAssertTrue(lines(saved)[0].contains("— recipe.json — after step 4"), lines(saved)[0])
    XCTAssertFalse(lines(saved)[0].contains("[+]"), lines(saved)[0])
    XCTAssertFalse(statusLine(saved).contains("unsaved"), statusLine(saved))
    try assertReplaysToGolden(dir.file("recipe.json"))

    // Once the recipe has a file, w saves to it again.
    try addStep("dedupe", preview: "preview of dedupe whole rows", counts: [], added: "added step 5")
    try press("w")
    try tmux.waitFor("saved recipe.json (5 steps)")
    let json =
      try JSONSerialization.jsonObject(with: Data(contentsOf: dir.file("recipe.json"))) as! [String: Any]
    XCTAssertEqual((json["steps"] as? [Any])?.count, 5)
    // q after saving quits at once.
    try press("q")
    try waitForExit()
  }

  func assertReplaysToGolden(_ recipe: URL, file: StaticString = #filePath, line: UInt = #line) throws {
    let out = dir.file("replayed.csv")
    let run = try DecantProcess.run(["run", recipe.path, "samples/events.csv", "-o", out.path], in: dir)
    XCTAssertEqual(run.status, 0, run.stderr, file: file, line: line)
    XCTAssertEqual(
      out.text, Self.golden.text, "the replay differs from golden/events/expected.csv", file: file, line: line
    )
    let check = try DecantProcess.run(["check", recipe.path], in: dir)
    XCTAssertEqual(check.status, 0, check.stderr, file: file, line: line)
    let checkPlanned = try DecantProcess.run(["check", recipe.path, "samples/events.csv"], in: dir)
    XCTAssertEqual(checkPlanned.status, 0, checkPlanned.stderr, file: file, line: line)
    let data = try Data(contentsOf: recipe)
    let json = try XCTUnwrap(
      try JSONSerialization.jsonObject(with: data) as? [String: Any], file: file, line: line)
    XCTAssertEqual(json["decant_recipe"] as? Int, 1, file: file, line: line)
    let input = try XCTUnwrap(json["input"] as? [String: Any], "no input settings", file: file, line: line)
    XCTAssertEqual(input["columns"] as? [String], Self.eventsHeader, file: file, line: line)
    XCTAssertEqual(
      (json["steps"] as? [[String: Any]])?.map { $0["op"] as? String },
      ["rename", "dedupe", "fill_null", "normalize_timezone"], file: file, line: line)
    XCTAssertTrue(
      String(decoding: data, as: UTF8.self).hasSuffix("}\n"), "saved recipes end with a newline", file: file,
      line: line)
  }

  // MARK: 8b. Conditions and the new operations

  static let filterSplitGolden = DecantProcess.root.appendingPathComponent(
    "Tests/EndToEnd/golden/events_filter_split/expected.csv")

  /// Replays a saved recipe headlessly and compares the output with `golden` (computed by the
  /// Python reference, not by Decant).
  func assertReplays(
    _ recipe: URL, to golden: URL, ops: [String], file: StaticString = #filePath, line: UInt = #line
  ) throws {
    let out = dir.file("replayed.csv")
    let run = try DecantProcess.run(["run", recipe.path, "samples/events.csv", "-o", out.path], in: dir)
    XCTAssertEqual(run.status, 0, run.stderr, file: file, line: line)
    XCTAssertEqual(out.text, golden.text, "the replay differs from \(golden.path)", file: file, line: line)
    let json =
      try JSONSerialization.jsonObject(with: Data(contentsOf: recipe)) as? [String: Any] ?? [:]
    XCTAssertEqual(
      (json["steps"] as? [[String: Any]])?.map { $0["op"] as? String }, ops, file: file, line: line)
  }

  func testFilterWithWhereAndSplitTypedOnTheCommandLineReplayToTheGoldenOutput() throws {
    try open(width: 170)
    try addStep(
      #"filter where="country in (US, CA) and \"Amount USD\" > 10""#,
      preview: #"preview of filter where country in (US, CA) and "Amount USD" > 10"#,
      counts: ["0 cells change", "132 rows removed"], added: "added step 1: filter where")
    try addStep(
      #"split column=event_time separator=" " into=day,time"#,
      preview: #"preview of split event_time on " " into day, time"#, counts: ["30 cells change"],
      added: "added step 2: split event_time")
    // A condition that does not parse is refused with where it went wrong.
    try command(#"set column=flag value=x where="country in (US""#)
    let refused = try tmux.waitFor("where: expected")
    XCTAssertTrue(statusLine(refused + "\n").isEmpty || lines(refused).last!.contains("character"), refused)
    try command("w recipe.json")
    try tmux.waitFor("saved recipe.json (2 steps)")
    try assertReplays(dir.file("recipe.json"), to: Self.filterSplitGolden, ops: ["filter", "split"])
  }

  func testFilterAndSplitBuiltFromTheMenuWithAConditionTypedInTheForm() throws {
    try open(width: 170)
    func formLine(_ screen: String, _ field: String) -> String {
      lines(screen).first { $0.contains("▸ \(field)") } ?? "(no focused \(field) field)"
    }
    try press("a")
    let menu = try tmux.waitFor("Add a step")
    for op in OperationRegistry.names {
      XCTAssertTrue(menu.contains(op), "\(op) is not in the menu:\n\(menu)")
    }
    // A letter moves to the next operation starting with it: fill_null, then filter.
    try press("f")
    try tmux.waitFor("▸ fill_null")
    try press("f")
    try tmux.waitFor("▸ filter")
    try press("Enter")
    try tmux.waitFor("New step: filter")
    try tmux.waitUntil("where has focus") { formLine($0, "where").contains("▏") }
    // The condition is checked as it is typed.
    try tmux.type("country in (US, CA")
    try tmux.waitFor("✗ field \"where\": where: expected")
    try tmux.type(")")
    try tmux.waitFor("✓ preview: 0 cells change, 127 rows removed")
    try tmux.type(#" and "Amount USD" > 10"#)
    try tmux.waitFor("✓ preview: 0 cells change, 132 rows removed")
    try press("Enter")
    try tmux.waitFor("added step 1: filter where")

    try press("c")
    try tmux.type("event_time")
    try press("Enter")
    try tmux.waitFor("column 5/7 event_time")
    try press("a", "s", "s", "s")
    try tmux.waitFor("▸ split")
    try press("Enter")
    try tmux.waitFor("New step: split")
    try tmux.waitUntil("column is event_time") { formLine($0, "column").contains("event_time▏") }
    try press("Down")
    try tmux.type(" ")
    try press("Down")
    try tmux.type("day,time")
    try tmux.waitFor("✓ preview: 30 cells change")
    try press("Enter")
    try tmux.waitFor("added step 2: split event_time")
    let shown = try tmux.waitFor("day")
    XCTAssertTrue(lines(shown)[1].contains("day") && lines(shown)[1].contains("time"), lines(shown)[1])

    try command("w recipe.json")
    try tmux.waitFor("saved recipe.json (2 steps)")
    try assertReplays(dir.file("recipe.json"), to: Self.filterSplitGolden, ops: ["filter", "split"])
  }

  func testCastAndLookupBuiltFromTheMenuTypeTheColumnAndAddTheReference() throws {
    let regions = [
      "DE": "Europe", "GB": "Europe", "US": "Americas", "BR": "Americas", "IN": "Asia", "NZ": "Oceania",
    ]
    try Data(
      ("code,region\n" + regions.sorted { $0.key < $1.key }.map { "\($0.key),\($0.value)\n" }.joined()).utf8
    )
    .write(to: dir.file("regions.csv"))
    try open(width: 170)
    func formLine(_ screen: String, _ field: String) -> String {
      lines(screen).first { $0.contains("▸ \(field)") } ?? "(no focused \(field) field)"
    }
    // cast "Amount USD" to decimal, reading "3,090.30" with a thousands separator.
    try press("c")
    try tmux.type("Amount USD")
    try press("Enter")
    try tmux.waitFor("column 4/7 Amount USD")
    try press("a")
    try tmux.waitFor("Add a step")
    try tmux.waitUntil("cast is selected") { screen in
      if screen.contains("▸ cast") { return true }
      try? self.press("c")
      return false
    }
    try press("Enter")
    try tmux.waitFor("New step: cast")
    try tmux.waitUntil("columns is Amount USD") { formLine($0, "columns").contains("Amount USD▏") }
    try press("Down")
    try press("Right", "Right")
    try tmux.waitUntil("to is decimal") { formLine($0, "to").contains("decimal") }
    try press("Down")
    try tmux.type(",")
    let cast = try tmux.waitFor("✓ preview: 10 cells change")
    XCTAssertFalse(cast.contains("rejected"), cast)
    try press("Enter")
    try tmux.waitFor("added step 1: cast")
    let typed = try tmux.waitFor("decimal")
    XCTAssertTrue(lines(typed)[2].contains(" decimal"), "the type row shows the cast's type:\n\(typed)")
    XCTAssertTrue(lines(typed)[2].contains("~text"), "other columns show an inferred type:\n\(typed)")

    // lookup: the form offers the reference's columns once the file is named.
    try press("a")
    try tmux.waitFor("Add a step")
    try press("l")
    try tmux.waitFor("▸ lookup")
    try press("Enter")
    try tmux.waitFor("New step: lookup")
    try tmux.waitUntil("file has focus") { formLine($0, "file").contains("▏") }
    try tmux.type("regions.csv")
    try press("Down")
    try tmux.type("country:co")
    try press("Tab")
    try tmux.waitUntil("on completes from the reference") { formLine($0, "on").contains("country:code▏") }
    let preview = try tmux.waitUntil("the preview counts matches") {
      $0.range(of: #"✓ preview: .*\d+ matched, \d+ unmatched"#, options: .regularExpression) != nil
    }
    let counts = try XCTUnwrap(preview.range(of: #"\d+ matched, \d+ unmatched"#, options: .regularExpression))
    let numbers = preview[counts].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
    XCTAssertEqual(numbers.reduce(0, +), 147, "every row is matched or not: \(preview[counts])")
    try press("Enter")
    try tmux.waitFor("added step 2: lookup")

    try command("w recipe.json")
    try tmux.waitFor("saved recipe.json (2 steps)")
    let check = try DecantProcess.run(["check", "recipe.json", "samples/events.csv"], in: dir)
    XCTAssertEqual(check.status, 0, check.stderr)
    XCTAssertTrue(
      check.stdoutText.range(of: #"Amount USD +decimal"#, options: .regularExpression) != nil,
      check.stdoutText)
    let run = try DecantProcess.run(
      ["run", "recipe.json", "samples/events.csv", "--to", "jsonl", "-o", "out.jsonl"], in: dir)
    XCTAssertEqual(run.status, 0, run.stderr)
    let rows = try XCTUnwrap(dir.file("out.jsonl").text).split(separator: "\n").map {
      try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
    XCTAssertEqual(rows.count, 147)
    for row in rows {
      let country = row["country"] as? String
      XCTAssertEqual(row["region"] as? String, country.flatMap { regions[$0] }, "\(row)")
      // A cast amount is a JSON number.
      if let amount = row["Amount USD"], !(amount is NSNull) { XCTAssertTrue(amount is NSNumber, "\(row)") }
    }
  }

  func testRoughEdgesTabListsCandidatesUndoSaysWhatAndWProposesAPath() throws {
    try open(width: 170)
    // Tab on an ambiguous prefix completes what the names share and lists them.
    try press("c")
    try tmux.type("ev")
    try press("Tab")
    try tmux.waitFor("2 match: event_id, event_time — type more to choose")
    try tmux.waitFor("column: event_")
    try press("Escape")
    // Several columns for a fill by strategy, as written.
    try addStep(
      "fill_null country tz strategy=previous", preview: "preview of fill_null country, tz by previous",
      counts: [], added: "added step 1")
    // Undo says what it undid.
    try press("u")
    try tmux.waitFor("undid: add step 1 (fill_null country, tz by previous) (0 steps now)")
    try press("C-r")
    try tmux.waitFor("redid: add step 1")
    // w on an unnamed recipe proposes a path beside the data; Enter takes it.
    try press("w")
    try tmux.waitFor("Enter saves as samples/events.recipe.json, or type another name")
    try press("Enter")
    try tmux.waitFor("saved samples/events.recipe.json (1 step)")
    let saved = try Recipe.decode([UInt8](Data(contentsOf: dir.file("samples/events.recipe.json"))))
    XCTAssertEqual(saved.steps.map(\.summary), ["fill_null country, tz by previous"])
    // u during a preview cancels the previewed step.
    try command("dedupe event_id")
    try tmux.waitFor("preview of dedupe event_id")
    try press("u")
    try tmux.waitFor("step cancelled (u during a preview cancels it")
    // An error too long for the line is never just cut: m shows all of it.
    try tmux.resize(width: 80, height: 24)
    try command("fill_null nation ZZ")
    try tmux.waitFor("… (m: all of it)")
    try press("m")
    let detail = try tmux.waitFor("any key closes")
    XCTAssertTrue(detail.contains(#""event_time", "tz", "note")"#), detail)
    try press("x")
    try tmux.waitUntil("the detail closes") { !$0.contains("any key closes") }
  }

  func testFacetPicksValuesAndMakesAFilterStep() throws {
    try open(width: 170)
    try press("c")
    try tmux.type("country")
    try press("Enter")
    try tmux.waitFor("column 3/7 country")
    try press("f")
    let facet = try tmux.waitFor("country: 10 values in 147 rows, by count")
    // The sample's most common value comes first: 26 nulls (∅), then DE and US with 20 each.
    XCTAssertNotNil(lines(facet).first { $0.contains("▸□ 26") && $0.contains("∅") }, facet)
    try press("j")
    try tmux.type(" ")
    try press("j")
    try tmux.type(" ")
    let picked = try tmux.waitFor("■ 20")
    XCTAssertEqual(lines(picked).filter { $0.contains("■ 20") }.count, 2, picked)
    try press("Enter")
    try tmux.waitFor("preview of filter where country in (DE, US)")
    try press("Enter")
    let added = try tmux.waitFor("added step 1: filter where country in (DE, US)")
    XCTAssertTrue(statusLine(added).contains("/40"), statusLine(added))
  }

  func testClustersOfNearIdenticalValuesBecomeOneMapValuesStep() throws {
    let rows = [
      "Acme Inc.", "ACME inc", "\"inc, Acme\"", "Acme Inc.", "Globex", "globex", "Initech", "Initech",
    ]
    try Data(("id,company\n" + rows.enumerated().map { "\($0.offset),\($0.element)\n" }.joined()).utf8)
      .write(to: dir.file("companies.csv"))
    try open("companies.csv", width: 150, ready: "row 1/8")
    try press("l", "C")
    let list = try tmux.waitFor("company: 2 clusters by fingerprint")
    XCTAssertTrue(list.contains("→ Acme Inc."), list)
    XCTAssertTrue(list.contains("Acme Inc. (2) · ACME inc (1) · inc, Acme (1)"), list)
    // The second cluster becomes a typed value.
    try press("j", "e")
    try tmux.waitFor("new value for this cluster:")
    try tmux.type("Globex Corp")
    try press("Enter")
    try tmux.waitFor("→ Globex Corp")
    try press("Enter")
    try tmux.waitFor("preview of map_values company (4 values)")
    try press("Enter")
    try tmux.waitFor("added step 1: map_values company (4 values)")
    try command("w recipe.json")
    try tmux.waitFor("saved recipe.json (1 step)")
    let run = try DecantProcess.run(["run", "recipe.json", "companies.csv", "-o", "out.csv"], in: dir)
    XCTAssertEqual(run.status, 0, run.stderr)
    XCTAssertEqual(
      dir.file("out.csv").text,
      "id,company\n0,Acme Inc.\n1,Acme Inc.\n2,Acme Inc.\n3,Acme Inc.\n4,Globex Corp\n5,Globex Corp\n6,Initech\n7,Initech\n"
    )
  }

  func testARecipeOpenedOnRenamedColumnsIsMappedInsteadOfNotFitting() throws {
    try Data(
      #"""
      {"decant_recipe": 1,
       "input": {"columns": ["event_id", "user_id", "Country", "amount_usd", "event_time", "tz", "note"]},
       "steps": [{"op": "filter", "where": {"column": "Country", "in": ["DE", "US"]}}]}
      """#.utf8
    ).write(to: dir.file("r.json"))
    try open("samples/events.csv --recipe r.json", width: 150)
    let form = try tmux.waitFor("Columns renamed?")
    XCTAssertTrue(form.contains("Country     →  country"), form)
    XCTAssertTrue(form.contains("amount_usd  →  Amount USD"), form)
    try press("Enter")
    try tmux.waitFor("mapped Country → country, amount_usd → Amount USD in every step")
    let after = try tmux.waitFor("/40")
    XCTAssertNotNil(panelLine(after, containing: "1 filter where country in (DE, US)"), after)
  }

  /// The README's walkthrough, as a person does it: NA as null, a facet, clusters,
  /// a fill, time zones, save, and the headless replay of the whole file.
  func testRealDataWalkthroughFromOpenToReplay() throws {
    try FileManager.default.copyItem(
      at: DecantProcess.root.appendingPathComponent("samples/flights_messy.csv"), to: dir.file("flights.csv"))
    try open("flights.csv", width: 160, height: 36, ready: "row 1/60")
    // NA means null here: the input form opens on null_values, which reads "".
    try press("i")
    try tmux.waitFor("Input settings: flights.csv (CSV)")
    try tmux.type(",NA")
    try press("Enter")
    try tmux.waitFor(#"input: null values "", NA — the sample was read again (60 rows)"#)
    // Keep the New York airports JFK and LGA, picked in a facet of origin.
    try press("c")
    try tmux.type("origin")
    try press("Enter")
    try press("f")
    try tmux.waitFor("origin: 3 values in 60 rows, by count")
    try tmux.type(" ")
    try press("j")
    try tmux.type(" ")
    try press("Enter")
    try tmux.waitFor("preview of filter where origin in (JFK, LGA)")
    try press("Enter")
    try tmux.waitFor("added step 1: filter where origin in (JFK, LGA)")
    // One spelling per airline, from clusters of carrier_name.
    try press("c")
    try tmux.type("carrier_name")
    try press("Enter")
    try press("C")
    try tmux.waitFor("carrier_name: 4 clusters by fingerprint")
    try press("Enter")
    try tmux.waitFor("preview of map_values carrier_name")
    try press("Enter")
    try tmux.waitFor("added step 2: map_values carrier_name")
    // Fill the missing delays with the median, and write times in UTC.
    try addStep(
      "fill_null dep_delay strategy=median", preview: "preview of fill_null dep_delay by median", counts: [],
      added: "added step 3")
    try addStep(
      #"normalize_timezone dep_time America/New_York UTC input_format="%Y-%m-%d %H:%M""#,
      preview: "preview of normalize_timezone dep_time", counts: [], added: "added step 4")
    try command("w walkthrough.json")
    try tmux.waitFor("saved walkthrough.json (4 steps)")
    // The replay of the whole file, headless.
    let run = try DecantProcess.run(
      ["run", "walkthrough.json", "flights.csv", "-o", "clean.csv", "--to", "jsonl"], in: dir)
    XCTAssertEqual(run.status, 0, run.stderr)
    XCTAssertTrue(run.stderr.contains("(median of dep_delay: "), run.stderr)
    let rows = try XCTUnwrap(dir.file("clean.csv").text).split(separator: "\n").map {
      try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
    XCTAssertEqual(rows.count, 45, "25 JFK and 20 LGA flights (Python csv count of the sample)")
    XCTAssertEqual(Set(rows.map { $0["origin"] as! String }), ["JFK", "LGA"])
    XCTAssertEqual(
      Set(rows.map { $0["carrier_name"] as! String }).count, Set(rows.map { $0["carrier"] as! String }).count)
    XCTAssertTrue(rows.allSatisfy { !($0["dep_delay"] is NSNull) && ($0["dep_delay"] as? String) != "NA" })
    XCTAssertTrue(rows.allSatisfy { ($0["dep_time"] as! String).hasSuffix("Z") })
  }

  func testOpenTakesNullValuesADelimiterAndNoHeader() throws {
    try Data("a;b\nx;NA\ny;-\n".utf8).write(to: dir.file("semi.txt"))
    try open(
      #"semi.txt --null NA --null - --null "" --delimiter ";" --no-header"#, width: 120, ready: "row 1/3")
    let screen = try tmux.waitFor("column_1")
    XCTAssertTrue(lines(screen)[1].contains("column_2"), screen)
    try command("w recipe.json")
    try tmux.waitFor("saved recipe.json")
    let saved = try Recipe.decode([UInt8](Data(contentsOf: dir.file("recipe.json"))))
    XCTAssertEqual(saved.input.nullValues, ["NA", "-", ""])
    XCTAssertEqual(saved.input.delimiter, ";")
    XCTAssertEqual(saved.input.header, false)
  }

  func testInputSettingsAndTheSampleAreChosenInTheWorkbenchAndSaved() throws {
    try FileManager.default.copyItem(
      at: DecantProcess.root.appendingPathComponent("samples/readings.csv"), to: dir.file("readings.csv"))
    try open("readings.csv", width: 150, ready: "row 1/")
    try command(#"set null_values N/A,"""#)
    try tmux.waitFor(#"input: null values N/A, "" — the sample was read again (89 rows)"#)
    try command("sample first 20")
    try tmux.waitFor("first 20 rows (head of the file; :sample random N)")
    try command("w recipe.json")
    try tmux.waitFor("saved recipe.json (0 steps)")
    let saved = try Recipe.decode([UInt8](Data(contentsOf: dir.file("recipe.json"))))
    XCTAssertEqual(saved.input.nullValues, ["N/A", ""])
    let run = try DecantProcess.run(["run", "recipe.json", "readings.csv", "-o", "out.csv"], in: dir)
    XCTAssertEqual(run.status, 0, run.stderr)
  }

  /// The i form, as a person fills it in: null values NA and the empty cell,
  /// the grid marks the NA cells as nulls, and u takes the change back.
  func testTheInputFormSetsNullValuesAndUndoTakesThemBack() throws {
    try Data("flight,delay,carrier\nF1,NA,UA\nF2,12,\nF3,NA,DL\nF4,3,AA\n".utf8).write(
      to: dir.file("delays.csv"))
    try open("delays.csv", width: 120, ready: "row 1/4")
    func gridRow(_ screen: String, _ flight: String) -> String {
      grid(screen).components(separatedBy: "\n").first { $0.contains(" \(flight) ") } ?? ""
    }
    let before = try tmux.screen()
    XCTAssertTrue(gridRow(before, "F1").contains("NA"), before)
    XCTAssertTrue(gridRow(before, "F2").contains("∅"), before)

    try press("i")
    let form = try tmux.waitFor("Input settings: delays.csv (CSV)")
    for field in [
      #"▸ null_values      """#, "  delimiter        ,", "  header           ◂ yes ▸",
      "  encoding         ◂ utf-8 ▸", "  ragged           ◂ reject ▸",
    ] {
      XCTAssertTrue(form.contains(field), "the form lacks \(field):\n\(form)")
    }
    try press("BSpace", "BSpace")
    try tmux.type(#"NA,"""#)
    try tmux.waitFor(#"✓ Enter applies: null values NA, """#)
    try press("Enter")
    let applied = try tmux.waitFor(#"input: null values NA, "" — the sample was read again (4 rows)"#)
    XCTAssertFalse(applied.contains("Input settings:"), applied)
    for flight in ["F1", "F3"] {
      XCTAssertTrue(gridRow(applied, flight).contains("∅"), applied)
      XCTAssertFalse(gridRow(applied, flight).contains("NA"), applied)
    }
    XCTAssertTrue(gridRow(applied, "F2").contains("∅"), "the empty cell is still null:\n\(applied)")
    XCTAssertTrue(lines(applied)[0].contains("[+]"), applied)

    try press("u")
    let undone = try tmux.waitFor(#"undid: input: null values NA, """#)
    for flight in ["F1", "F3"] {
      XCTAssertTrue(gridRow(undone, flight).contains("NA"), undone)
      XCTAssertFalse(gridRow(undone, flight).contains("∅"), undone)
    }
  }

  func testTheInputFormSaysWhatIsWrongWithATwoCharacterDelimiter() throws {
    try open(width: 150)
    try press("i")
    try tmux.waitFor("Input settings: events.csv (CSV)")
    try press("Down", "BSpace")
    // (tmux would take a typed ";" at the end as its own command separator.)
    try tmux.type("||")
    let problem = #"✗ delimiter: use one character, such as , ; | or tab, not "||""#
    try tmux.waitFor(problem)
    try press("Enter")
    let refused = try tmux.waitFor("— nothing was applied")
    XCTAssertTrue(refused.contains("Input settings: events.csv (CSV)"), "the form stays open:\n\(refused)")
    XCTAssertTrue(refused.contains(problem), refused)
    try press("Escape")
    let after = try tmux.waitFor("input settings unchanged")
    XCTAssertFalse(after.contains("Input settings:"), after)
    XCTAssertFalse(lines(after)[0].contains("[+]"), "nothing changed:\n\(after)")
    for name in WorkbenchScenarioTests.eventsHeader.prefix(4) {
      XCTAssertTrue(lines(after)[1].contains(name), after)
    }
    XCTAssertTrue(statusLine(after).contains("all 147 rows"), after)
  }

  func testColonOrAWhilePreviewingAppliesTheStepAndGoesOn() throws {
    try open(width: 170)
    try command(#"filter where="country = US""#)
    try tmux.waitFor(#"preview of filter where country = "US""#)
    // `:` applies the previewed step, then opens the command line for the next one.
    try tmux.type(":")
    try tmux.waitUntil("the command line is open") { self.lines($0).last?.hasPrefix(":▏") ?? false }
    try tmux.type("dedupe event_id")
    try press("Enter")
    let second = try tmux.waitFor("preview of dedupe event_id")
    XCTAssertNotNil(stepEntry(second, containing: #"1 filter where country = "US""#), second)
    // So does `a`, which then opens the menu.
    try press("a")
    try tmux.waitFor("Add a step")
    try press("Escape")
    let after = try tmux.waitFor("2 dedupe event_id")
    XCTAssertNotNil(stepEntry(after, containing: #"1 filter where country = "US""#), after)
    // Any other key that is not a move says how to leave the preview, and changes nothing.
    try command("fill_null country ZZ")
    try tmux.waitFor("preview of fill_null country with ZZ")
    try press("x")
    try tmux.waitFor("previewing a step: Enter applies it, Esc cancels it")
    try press("Escape")
    try tmux.waitFor("step cancelled")
  }

  // MARK: 9. Running on the full file from the workbench

  func testRunCommandRunsTheRecipeOnTheFullFileAndShowsTheSummary() throws {
    try open()
    try addCoreStepsByCommand()
    try command("run out.csv")
    let summary = try tmux.waitFor("Run finished", timeout: 10)
    XCTAssertTrue(summary.contains("148 rows in, 130 out, 12 removed, 6 rejected"), summary)
    XCTAssertTrue(summary.contains("output: out.csv"), summary)
    XCTAssertTrue(summary.contains("rejects: out.csv.rejects.csv (6 rows)"), summary)
    XCTAssertEqual(dir.file("out.csv").text, Self.golden.text)
    XCTAssertTrue(dir.file("out.csv.rejects.csv").exists)
    try press("x")
    let closed = try tmux.waitUntil("the summary closes") { !$0.contains("Run finished") }
    XCTAssertTrue(lines(closed).last?.contains("ran the recipe: 130 rows to out.csv") ?? false, closed)

    // R asks where to write, offering NAME.clean.EXT beside the input.
    try press("R")
    try tmux.waitFor("/samples/events.clean.csv▏")
    try press("Enter")
    try tmux.waitFor("Run finished", timeout: 10)
    XCTAssertEqual(dir.file("samples/events.clean.csv").text, Self.golden.text)
  }

  func testExportCommandWritesTheSameJobAsDecantExport() throws {
    try open()
    try addStep(
      "dedupe event_id", preview: "preview of dedupe event_id", counts: ["12 rows removed"],
      added: "added step 1: dedupe event_id")
    try command("export duckdb job.sql")
    try tmux.waitFor("exported 1 step to job.sql (duckdb)")
    // The command line writes the same job from the saved recipe, over the same
    // input and the output `:run` would write.
    try command("write r.json")
    try tmux.waitFor("saved")
    let cli = try DecantProcess.run(
      [
        "export", "r.json", "--to", "duckdb", "--input", "samples/events.csv", "--output",
        dir.file("samples/events.clean.csv").path,
      ], in: dir)
    XCTAssertEqual(cli.status, 0, cli.stderr)
    XCTAssertEqual(dir.file("job.sql").text, cli.stdoutText)

    // Without a file, the job goes beside the input.
    try command("export pyspark")
    try tmux.waitFor("samples/events.job.py (pyspark)")
    XCTAssertTrue(dir.file("samples/events.job.py").text?.contains("def run(spark, argv):") ?? false)

    // A step no engine has is named, and nothing is written.
    try addStep(
      "fill_null \"Amount USD\" strategy=median", preview: "preview of fill_null", counts: [],
      added: "added step 2: fill_null")
    try command("export spark-sql spark.sql")
    let refused = try tmux.waitFor("not exported to spark-sql")
    XCTAssertTrue(lines(refused).last?.contains("step 2 (fill_null)") ?? false, refused)
    XCTAssertFalse(dir.file("spark.sql").exists)
    try command("export flink")
    try tmux.waitFor("cannot export to \"flink\"")
  }

  // MARK: 10. Help and quitting

  func testHelpListsEveryKeyOfTheKeymap() throws {
    try open(height: 70)
    try press("?")
    let screen = try tmux.waitFor("Keys (any other key closes)")
    let bindings = try Self.keymapBindings()
    XCTAssertGreaterThan(bindings.count, 30)
    for context in ["Grid:", "Step list:"] { XCTAssertTrue(screen.contains(context), screen) }
    let shown = lines(screen)
    for b in bindings {
      // "  KEYS   summary": the keys in full, then at least one space, then what they do.
      let listed = shown.contains { line in
        guard let r = line.range(of: "  " + b.keys + " ") else { return false }
        return line[r.upperBound...].drop { $0 == " " }.hasPrefix(b.summary)
      }
      XCTAssertTrue(listed, "help lacks \"\(b.keys)\" → \"\(b.summary)\" (\(b.command)):\n\(screen)")
    }
    XCTAssertTrue(screen.contains(":rename OLD NEW"), screen)
    try press("x")
    try tmux.waitUntil("help closes") { !$0.contains("Keys (any other key closes)") }
  }

  /// The bindings in Keymap.swift, with keys written as the help writes them.
  static func keymapBindings() throws -> [(keys: String, command: String, summary: String)] {
    let source = try String(
      contentsOf: DecantProcess.root.appendingPathComponent("Sources/DecantTUI/Commands/Keymap.swift"),
      encoding: .utf8)
    var summaries: [String: String] = [:]
    let summaryPattern = try NSRegularExpression(pattern: #"\("([a-z.A-Z]+)", "((?:[^"\\]|\\.)*)"\)"#)
    for m in summaryPattern.matches(in: source, range: NSRange(source.startIndex..., in: source)) {
      summaries[String(source[Range(m.range(at: 1), in: source)!])] = String(
        source[Range(m.range(at: 2), in: source)!])
    }
    let names: [String: String] = [
      "up": "↑", "down": "↓", "left": "←", "right": "→", "pageUp": "PgUp", "pageDown": "PgDn", "home": "Home",
      "end": "End", "enter": "Enter", "escape": "Esc", "tab": "Tab", "backTab": "Shift-Tab",
      "backspace": "Backspace", "delete": "Del",
    ]
    let bindingPattern = try NSRegularExpression(pattern: #"Binding\(keys: \[(.*?)\], command: "([^"]+)""#)
    var result: [(String, String, String)] = []
    for m in bindingPattern.matches(in: source, range: NSRange(source.startIndex..., in: source)) {
      let keys = source[Range(m.range(at: 1), in: source)!].components(separatedBy: ", ").map {
        key -> String in
        if key.hasPrefix(".char(\"") {
          let c = key.dropFirst(7).dropLast(2); return c == " " ? "Space" : String(c)
        }
        if key.hasPrefix(".ctrl(\"") { return "Ctrl-" + key.dropFirst(7).dropLast(2).uppercased() }
        return names[String(key.dropFirst())] ?? key
      }
      let command = String(source[Range(m.range(at: 2), in: source)!])
      result.append((keys.joined(separator: " "), command, summaries[command] ?? command))
    }
    return result
  }

  func testQuitWithUnsavedChangesAsksFirst() throws {
    try open()
    try addStep("dedupe event_id", preview: "preview of dedupe", counts: [], added: "added step 1")
    try press("q")
    var screen = try tmux.waitFor("Unsaved changes")
    XCTAssertTrue(screen.contains("y  quit without saving"), screen)
    try press("n")
    screen = try tmux.waitFor("quit cancelled")
    XCTAssertFalse(screen.contains("Unsaved changes"), screen)
    try command("q")
    try tmux.waitFor("Unsaved changes")
    try press("Escape")
    try tmux.waitFor("quit cancelled")
    try press("q")
    try tmux.waitFor("Unsaved changes")
    try press("y")
    try waitForExit()
    XCTAssertFalse(dir.file("recipe.json").exists)
  }

  /// The quit dialog offers "w  save, then quit"; with no recipe file yet, it must ask for one.
  func testQuitDialogSaveThenQuitAsksForAFileName() throws {
    try open()
    try addStep("dedupe event_id", preview: "preview of dedupe", counts: [], added: "added step 1")
    try press("q")
    try tmux.waitFor("w  save, then quit")
    try press("w")
    let prompt = try tmux.waitFor(":write ▏", timeout: 2)
    guard prompt.contains(":write ▏") else { return }
    try tmux.type("recipe.json")
    try press("Enter")
    try waitForExit()
    XCTAssertTrue(dir.file("recipe.json").exists, "the recipe was not saved before quitting")
  }

  func testForcedQuitCommandQuitsWithoutAsking() throws {
    try open()
    try addStep("dedupe event_id", preview: "preview of dedupe", counts: [], added: "added step 1")
    try command("q!")
    try waitForExit()
  }

  // MARK: 11. Terminal hygiene

  func testResizingRedrawsToTheNewSize() throws {
    try open()
    try press("j")
    try tmux.waitFor("row 2/147")
    try tmux.resize(width: 80, height: 20)
    var screen = try tmux.waitUntil("the screen is redrawn at 80×20") {
      let all = self.lines($0)
      return all.count == 20 && all[18].contains("row 2/147")
    }
    for line in lines(screen) { XCTAssertLessThanOrEqual(line.count, 80, line) }
    XCTAssertEqual(visibleRows(screen).first, 1, screen)
    XCTAssertEqual(visibleRows(screen).last, 15, screen)
    XCTAssertTrue(lines(screen)[0].contains("decant — events.csv"), screen)
    XCTAssertTrue(lines(screen)[19].contains("? help"), screen)
    XCTAssertNotNil(panelLine(screen, containing: "Column event_id"), screen)
    // The cursor stays visible when the window shrinks under it.
    try press("G")
    screen = try tmux.waitFor("row 147/147")
    XCTAssertEqual(visibleRows(screen).last, 147, screen)
    try tmux.resize(width: 100, height: 40)
    screen = try tmux.waitUntil("the screen is redrawn at 100×40") {
      let all = self.lines($0)
      return all.count == 40 && all[38].contains("row 147/147")
    }
    XCTAssertEqual(visibleRows(screen).last, 147, screen)
    XCTAssertEqual(
      visibleRows(screen).count, 35,
      "after growing, the grid should fill the window up to the last row:\n\(screen)")
    try press("g")
    screen = try tmux.waitFor("row 1/147")
    XCTAssertEqual(visibleRows(screen).last, 35, screen)
    try press("q")
    try waitForExit()
  }

  func testNoColorDrawsWithAttributesOnly() throws {
    try open(env: "NO_COLOR=1")
    try command("fill_null country ZZ")
    try tmux.waitFor("preview of fill_null country with ZZ")
    let styled = StyledScreen(try tmux.styledScreen())
    XCTAssertFalse(styled.hasColor, "NO_COLOR is set, yet the screen has colors")
    let (changed, unchanged) = try countryCells(styled)
    XCTAssertFalse(changed.isEmpty)
    XCTAssertNotEqual(
      changed.first?.style, unchanged.first?.style, "without colors, changed cells must still stand out")
    try press("Escape")
    try tmux.waitFor("step cancelled")
    try press("q")
    try waitForExit()
  }

  func testEightColorTerminalWorks() throws {
    try open(term: "xterm")
    try press("j", "Right")
    try tmux.waitFor("row 2/147, column 2/7 user_id")
    try command("fill_null country ZZ")
    try tmux.waitFor("preview of fill_null country with ZZ")
    let styled = StyledScreen(try tmux.styledScreen())
    XCTAssertTrue(styled.hasColor)
    XCTAssertTrue(styled.usesOnlyEightColors, "an 8-color terminal gets 8 colors")
    let (changed, unchanged) = try countryCells(styled)
    XCTAssertFalse(changed.isEmpty)
    XCTAssertNotEqual(changed.first?.style, unchanged.first?.style)
    try press("Enter")
    try tmux.waitFor("added step 1")
    try command("q!")
    try waitForExit()
  }

  func testCtrlCQuitsCleanly() throws {
    try open()
    try addStep("dedupe event_id", preview: "preview of dedupe", counts: [], added: "added step 1")
    try press("a")
    try tmux.waitFor("Add a step")
    try press("C-c")
    let screen = try waitForExit(status: "")
    XCTAssertTrue(screen.contains("EXITED 130") || screen.contains("EXITED 0"), screen)
    for leftover in ["Add a step", "Steps", "event_id", "∅"] {
      XCTAssertFalse(screen.contains(leftover), "\"\(leftover)\" is left on the screen:\n\(screen)")
    }
  }

  // MARK: 12. Random samples drawn in the background

  func testRandomSampleShowsProgressAndEscCancelsIt() throws {
    // ~120 MB: long enough to draw that progress shows, in a debug build too.
    let rowsPerChunk = 25_000
    let chunks = 120
    var chunk = ""
    for i in 0..<rowsPerChunk {
      chunk += "\(i),name\(i % 977),\(i % 5000).37,2024-01-\(i % 18 + 10) 10:00:00,some padding text\n"
    }
    let big = dir.file("big.csv")
    XCTAssertTrue(
      FileManager.default.createFile(atPath: big.path, contents: Data("id,name,value,when,note\n".utf8)))
    let handle = try FileHandle(forWritingTo: big)
    try handle.seekToEnd()
    let data = Data(chunk.utf8)
    for _ in 0..<chunks { handle.write(data) }
    try handle.close()
    let rows = rowsPerChunk * chunks

    try open("open big.csv --sample random:50:7", ready: "row 1/50")
    var screen = try tmux.waitFor("drawing a random sample of 50 rows")
    XCTAssertTrue(
      statusLine(screen).contains("first 50 rows"), "the head shows meanwhile: \(statusLine(screen))")
    screen = try tmux.waitUntil("the status bar shows progress", timeout: 10) {
      self.statusLine($0).contains("% (Esc cancels)") || $0.contains("random sample: ")
    }
    XCTAssertTrue(statusLine(screen).contains("] "), "no progress bar was seen: \(statusLine(screen))")
    screen = try tmux.waitFor("random sample: 50 of \(rows) rows", timeout: 15)
    XCTAssertTrue(statusLine(screen).contains("random 50 of \(rows) rows (seed 7)"), statusLine(screen))
    XCTAssertFalse(statusLine(screen).contains("drawing"), statusLine(screen))
    try press("q")
    try waitForExit()

    tmux.kill()
    tmux = TmuxSession()
    addTeardownBlock { [tmux] in tmux.kill() }
    try open("open big.csv --sample random:50:8", ready: "row 1/50")
    try tmux.waitFor("drawing a random sample of 50 rows")
    try press("Escape")
    screen = try tmux.waitFor("random sample cancelled; showing the first 50 rows")
    XCTAssertTrue(
      statusLine(screen).contains("first 50 rows (head of the file; :sample random N) │ row 1/50"),
      statusLine(screen))
    XCTAssertFalse(statusLine(screen).contains("drawing"), statusLine(screen))
    try press("q")
    try waitForExit()
  }
}

/// A `capture-pane -e` screen: every character with the attributes and colors it was drawn with.
struct StyledScreen {
  struct Style: Hashable, CustomStringConvertible {
    var bold = false
    var dim = false
    var italic = false
    var underline = false
    var reverse = false
    var foreground: String?
    var background: String?

    var description: String {
      [
        bold ? "bold" : nil, dim ? "dim" : nil, italic ? "italic" : nil, underline ? "underline" : nil,
        reverse ? "reverse" : nil, foreground.map { "fg \($0)" }, background.map { "bg \($0)" },
      ].compactMap { $0 }.joined(separator: " ")
    }
  }

  struct Cell {
    var character: Character
    var style: Style
  }

  var rows: [[Cell]] = []
  var plain: String { rows.map { String($0.map(\.character)) }.joined(separator: "\n") + "\n" }

  init(_ text: String) {
    var style = Style()
    var row: [Cell] = []
    var chars = Array(text)[...]
    while let ch = chars.popFirst() {
      if ch == "\n" {
        rows.append(row)
        row = []
      } else if ch == "\u{1B}" {
        guard chars.first == "[" else {
          chars = chars.dropFirst()
          continue
        }
        chars = chars.dropFirst()
        var params = ""
        while let c = chars.popFirst() {
          if c.isLetter {
            if c == "m" { Self.apply(params, to: &style) }
            break
          }
          params.append(c)
        }
      } else {
        row.append(Cell(character: ch, style: style))
      }
    }
    if !row.isEmpty { rows.append(row) }
  }

  /// Applies one SGR sequence (`ESC [ params m`).
  static func apply(_ params: String, to style: inout Style) {
    var codes = params.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }[...]
    if codes.isEmpty { codes = [0] }
    while let code = codes.popFirst() {
      switch code {
      case 0: style = Style()
      case 1: style.bold = true
      case 2: style.dim = true
      case 3: style.italic = true
      case 4: style.underline = true
      case 7: style.reverse = true
      case 22: (style.bold, style.dim) = (false, false)
      case 23: style.italic = false
      case 24: style.underline = false
      case 27: style.reverse = false
      case 30...37, 90...97: style.foreground = "\(code)"
      case 39: style.foreground = nil
      case 40...47, 100...107: style.background = "\(code)"
      case 49: style.background = nil
      case 38, 48:
        var value = "\(code)"
        if let kind = codes.popFirst() {
          let n = kind == 5 ? 1 : 3
          value += ";\(kind);" + codes.prefix(n).map(String.init).joined(separator: ";")
          codes = codes.dropFirst(n)
        }
        if code == 38 { style.foreground = value } else { style.background = value }
      default: break
      }
    }
  }

  func cell(row: Int, column: Int) -> Cell? {
    guard rows.indices.contains(row), rows[row].indices.contains(column) else { return nil }
    return rows[row][column]
  }

  func text(row: Int) -> String { rows.indices.contains(row) ? String(rows[row].map(\.character)) : "" }

  var hasColor: Bool {
    rows.contains { $0.contains { $0.style.foreground != nil || $0.style.background != nil } }
  }

  /// True when every color is one of the eight basic ones (30–37, 40–47).
  var usesOnlyEightColors: Bool {
    rows.allSatisfy { row in
      row.allSatisfy { cell in
        [cell.style.foreground, cell.style.background].allSatisfy { c in
          guard let c, let n = Int(c) else { return c == nil }
          return (30...37).contains(n) || (40...47).contains(n)
        }
      }
    }
  }
}
