import DecantCore
import XCTest

@testable import DecantTUI

/// What the grid, status bar and side panel draw, read back from a TextCanvas (120×30).
///
/// Layout at 120×30: row 0 title, row 1 header, row 2 types, rows 3… data, row 28
/// status, row 29 message. The side panel is 40 columns wide from column 80, after a
/// `│` at column 79. The grid starts after a row-number gutter.
final class ViewRenderingTests: XCTestCase {
  /// The part of a row from screen column `x` (the rows read here are one cell per character).
  func segment(_ canvas: TextCanvas, _ row: Int, from x: Int, width: Int? = nil) -> String {
    let chars = Array(canvas.lines[row])
    var s = String(chars.dropFirst(x).prefix(width ?? chars.count))
    while s.last == " " { s.removeLast() }
    return s
  }

  // MARK: Grid

  func testHeaderShowsNamesAndInferredTypesAligned() throws {
    let screen = try makeApp().screen()
    // Gutter 2 ("6" + space); widths 8, 7, 10, 19, 16 plus one space between columns.
    let starts = [2, 11, 19, 30, 50]
    for (name, x) in zip(Fixture.eventColumns, starts) {
      XCTAssertEqual(screen.column(of: name, row: 1), x, name)
    }
    XCTAssertEqual(
      segment(screen, 1, from: 0, width: 79), "  event_id country Amount USD event_time          tz")
    XCTAssertEqual(
      segment(screen, 2, from: 0, width: 79), "  ~text    ~text   ~decimal   ~datetime           ~text")
    XCTAssertEqual(screen.style(row: 1, column: 2), .selected)  // the cursor's column
    XCTAssertEqual(screen.style(row: 1, column: 11), .header)
    XCTAssertEqual(screen.style(row: 2, column: 19), .typeRow)
    XCTAssertEqual(
      segment(screen, 3, from: 0, width: 79),
      "1 E1       US      10.5       2024-03-10 02:30:00 America/New_York")
  }

  func testATypeMostValuesShareIsMarkedWithAQuestionMark() throws {
    let rows = (1...9).map { "r\($0),\($0)" }.joined(separator: "\n")
    let screen = try makeApp("id,n\n" + rows + "\nr10,ten\n", name: "n.csv").screen()
    XCTAssertEqual(segment(screen, 2, from: 0, width: 79), "   ~text ~integer?")
  }

  func testAColumnACastTypesShowsItsTypeUnmarked() throws {
    let app = try makeApp("id,n\nr1,1.50\nr2,2\n", name: "n.csv")
    XCTAssertEqual(segment(app.screen(), 2, from: 0, width: 79), "  ~text ~decimal")
    app.command("cast n to=integer on_error=keep")
    app.handle(.enter)
    XCTAssertEqual(segment(app.screen(), 2, from: 0, width: 79), "  ~text integer")
  }

  func testNullCellsShowTheNullMarkInTheNullStyle() throws {
    let screen = try makeApp().screen()
    XCTAssertEqual(segment(screen, 4, from: 11, width: 7), "∅")
    XCTAssertEqual(screen.style(row: 4, column: 11), .null)
    XCTAssertEqual(segment(screen, 6, from: 19, width: 10), "∅")
    XCTAssertEqual(screen.style(row: 6, column: 19), .null)
    XCTAssertEqual(screen.style(row: 3, column: 11), .plain)
  }

  func testCustomNullValuesAreMarkedToo() throws {
    let app = try makeApp("id,v\na,NA\nb,x\n", name: "na.csv")
    // id is 5 wide ("~text"), so v starts at 2 + 5 + 1.
    XCTAssertEqual(app.screen().style(row: 3, column: 8), .plain)
    app.bench.load(
      try Recipe.decode(#"{"decant_recipe": 1, "input": {"null_values": ["", "NA"]}, "steps": []}"#),
      from: "r.json")
    let screen = app.screen()
    XCTAssertEqual(segment(screen, 3, from: 8, width: 3), "∅")
    XCTAssertEqual(screen.style(row: 3, column: 8), .null)
  }

  func testTheCursorCellHasTheCursorStyle() throws {
    let app = try makeApp()
    var screen = app.screen()
    XCTAssertEqual(screen.style(row: 3, column: 2), .cursor)
    XCTAssertEqual(screen.style(row: 3, column: 9), .cursor)  // padded to the column width
    XCTAssertEqual(screen.style(row: 3, column: 11), .plain)
    XCTAssertEqual(screen.style(row: 3, column: 0), .selected)  // the cursor's row number
    XCTAssertEqual(screen.style(row: 4, column: 0), .dim)
    app.handle(.char("j"))
    app.handle(.char("l"))
    app.handle(.char("l"))
    screen = app.screen()
    XCTAssertEqual(screen.style(row: 4, column: 19), .cursor)
    XCTAssertEqual(screen.style(row: 3, column: 2), .plain)
    XCTAssertEqual(screen.style(row: 1, column: 19), .selected)
  }

  func testChangedCellsAreHighlightedInAPreview() throws {
    let app = try makeApp()
    app.command("fill_null country ZZ")
    var screen = app.screen()
    XCTAssertEqual(segment(screen, 4, from: 11, width: 7), "ZZ")
    XCTAssertEqual(screen.style(row: 4, column: 11), .changed)
    XCTAssertEqual(screen.style(row: 8, column: 11), .changed)
    XCTAssertEqual(screen.style(row: 3, column: 11), .plain)
    XCTAssertEqual(screen.style(row: 5, column: 11), .plain)
    // The cursor on a changed cell.
    app.handle(.char("j"))
    app.handle(.char("l"))
    screen = app.screen()
    XCTAssertEqual(screen.style(row: 4, column: 11), .cursorChanged)
  }

  func testARenamedHeaderIsHighlightedInAPreview() throws {
    let app = try makeApp()
    app.command("rename country nation")
    let screen = app.screen()
    XCTAssertEqual(screen.column(of: "nation", row: 1), 11)
    XCTAssertEqual(screen.style(row: 1, column: 11), .changed)
    XCTAssertEqual(screen.style(row: 1, column: 19), .header)
    XCTAssertEqual(screen.style(row: 4, column: 11), .null)
  }

  func testTheLastStepsChangesStayHighlightedAfterApplying() throws {
    let app = try makeApp()
    app.command("fill_null country ZZ")
    app.handle(.enter)
    XCTAssertEqual(app.screen().style(row: 4, column: 11), .changed)
    app.handle(.tab)
    app.handle(.char("0"))
    XCTAssertEqual(app.screen().style(row: 4, column: 11), .null)
  }

  func testWideCharactersKeepColumnsAligned() throws {
    let app = try makeApp(Fixture.wide, name: "wide.csv")
    let screen = app.screen()
    // city is 10 columns wide (서울特別市), so code starts at 2 + 10 + 1 and note at
    // 13 + 5 + 1 (code is as wide as its type, "~text").
    for (row, code) in [(1, "code"), (3, "TYO"), (4, "PAR"), (5, "SEL"), (6, "EMO"), (7, "ABC")] {
      XCTAssertEqual(screen.column(of: code, row: row), 13, code)
      XCTAssertEqual(screen.column(of: "│", row: row), 79, code)
    }
    for (row, note) in [(1, "note"), (3, "capital"), (7, "long")] {
      XCTAssertEqual(screen.column(of: note, row: row), 19, note)
    }
    XCTAssertEqual(screen.column(of: "東京", row: 3), 2)
    XCTAssertEqual(screen.column(of: "😀😀", row: 6), 2)
  }

  func testWideCharactersAreCutWithoutBreakingAlignment() throws {
    let cjk = String(repeating: "東", count: 15)  // 30 columns, cut at 24
    let app = try makeApp("a,b\n\(cjk),X\nshort,Y\n", name: "cut.csv")
    let screen = app.screen()
    XCTAssertTrue(segment(screen, 3, from: 0).hasPrefix("1 " + String(repeating: "東", count: 11) + "…  X"))
    XCTAssertEqual(screen.column(of: "X", row: 3), 27)
    XCTAssertEqual(screen.column(of: "Y", row: 4), 27)
  }

  func testLongCellsEndWithAnEllipsis() throws {
    let long = "abcdefghijklmnopqrstuvwxyz0123456789ABCD"
    let app = try makeApp("id,text,after\n1,\(long),Z\n2,short,Z\n", name: "long.csv")
    let screen = app.screen()
    // id is 8 wide ("~integer"), text is cut at 24 columns.
    XCTAssertEqual(screen.column(of: "abcdefghijklmnopqrstuvw…", row: 3), 11)
    XCTAssertFalse(screen.lines[3].contains("wx"))
    XCTAssertEqual(screen.column(of: "Z", row: 3), 36)
    XCTAssertEqual(screen.column(of: "Z", row: 4), 36)
  }

  func testAStepThatDoesNotFitShowsAnErrorInTheGrid() throws {
    let app = try makeApp()
    app.bench.load(
      try Recipe.decode(#"{"decant_recipe": 1, "steps": [{"op": "dedupe", "columns": ["nope"]}]}"#),
      from: "r.json")
    let screen = app.screen()
    XCTAssertEqual(
      segment(screen, 1, from: 0, width: 79),
      #"This step does not fit: step 1 (dedupe), field "columns": no column "nope" at …"#)
    XCTAssertEqual(screen.style(row: 1, column: 0), .error)
  }

  func testScrollingKeepsTheCursorRowOnScreen() throws {
    let rows = (1...60).map { "r\($0),\($0)" }.joined(separator: "\n")
    let app = try makeApp("id,n\n" + rows + "\n", name: "many.csv")
    app.handle(.char("G"))
    let screen = app.screen()
    // 25 data rows fit (rows 3…27): the last is row 60.
    XCTAssertEqual(segment(screen, 27, from: 0, width: 6), "60 r60")
    XCTAssertEqual(segment(screen, 3, from: 0, width: 6), "36 r36")
    XCTAssertEqual(app.bench.topRow, 35)
  }

  func testHorizontalScrollingBringsTheCursorColumnIntoView() throws {
    let header = (1...12).map { "column_number_\($0)" }.joined(separator: ",")
    let row = (1...12).map { "value_\($0)" }.joined(separator: ",")
    let app = try makeApp(header + "\n" + row + "\n", name: "wide-table.csv")
    XCTAssertNil(app.screen().column(of: "column_number_12", row: 1))
    app.handle(.char("$"))
    let screen = app.screen()
    XCTAssertNotNil(screen.column(of: "column_number_12", row: 1))
    XCTAssertNil(screen.column(of: "column_number_1 ", row: 1))
    XCTAssertEqual(
      screen.style(row: 3, column: try XCTUnwrap(screen.column(of: "value_12", row: 3))), .cursor)
  }

  // MARK: Status bar

  func testStatusBarShowsSampleKindPositionAndUnsavedMarker() throws {
    let app = try makeApp()
    XCTAssertEqual(app.screen().trimmed(28), " all 6 rows │ row 1/6, column 1/5 event_id")
    XCTAssertEqual(app.screen().style(row: 28, column: 1), .status)
    app.handle(.char("j"))
    app.handle(.char("l"))
    app.handle(.char("l"))
    XCTAssertEqual(app.screen().trimmed(28), " all 6 rows │ row 2/6, column 3/5 Amount USD")
    app.command("dedupe event_id")
    app.handle(.enter)
    XCTAssertEqual(app.screen().trimmed(28), " all 6 rows │ row 2/4, column 3/5 Amount USD │ unsaved")
  }

  func testStatusBarShowsAFirstNSample() throws {
    let app = try makeApp(rows: 3)
    XCTAssertEqual(
      app.screen().trimmed(28),
      " first 3 rows (head of the file; :sample random N) │ row 1/3, column 1/5 event_id")
  }

  func testStatusBarShowsARandomSample() throws {
    let dir = try scratch()
    let path = try dir.write("events.csv", Fixture.events)
    let app = WorkbenchApp(bench: Workbench(path: path, sample: try Sampler.random(3, seed: 7, path: path)))
    XCTAssertEqual(app.screen().trimmed(28), " random 3 of 6 rows (seed 7) │ row 1/3, column 1/5 event_id")
  }

  func testBottomLineShowsTheKeyHintWithoutAMessage() throws {
    let screen = try makeApp().screen()
    XCTAssertEqual(
      screen.trimmed(29), " ? help · a add step · : command · Tab steps · w save · R run · q quit")
    XCTAssertEqual(screen.style(row: 29, column: 1), .message)
  }

  // MARK: Side panel

  func testStepListShowsTheSampleAndEachStepWithItsEffect() throws {
    let app = try makeApp()
    var screen = app.screen()
    XCTAssertEqual(segment(screen, 1, from: 80), " Steps (Tab to select)")
    XCTAssertEqual(segment(screen, 2, from: 80), "▶ 0 sample: 6 rows")
    XCTAssertEqual(segment(screen, 3, from: 80), "  no steps yet: a adds one, : types one")
    app.command("dedupe event_id")
    app.handle(.enter)
    app.command("fill_null country ZZ")
    app.handle(.enter)
    screen = app.screen()
    XCTAssertEqual(segment(screen, 2, from: 80), "  0 sample: 6 rows")
    // Each step: its summary, then its effect on the sample on the next line.
    XCTAssertEqual(segment(screen, 3, from: 80), "  1 dedupe event_id")
    XCTAssertEqual(segment(screen, 4, from: 80), "     2 removed")
    XCTAssertEqual(segment(screen, 5, from: 80), "▶ 2 fill_null country with ZZ")
    XCTAssertEqual(segment(screen, 6, from: 80), "     2 cells changed")
    XCTAssertEqual(screen.style(row: 5, column: 80), .selected)
    XCTAssertEqual(screen.style(row: 6, column: 80), .dim)
    app.handle(.tab)
    screen = app.screen()
    XCTAssertEqual(segment(screen, 1, from: 80), " Steps (Tab: grid, Space on/off, e edit…")
    XCTAssertEqual(screen.style(row: 5, column: 80), .cursor)
  }

  func testStepListShowsTheDraftBeingPreviewed() throws {
    let app = try makeApp()
    app.command("dedupe event_id")
    let screen = app.screen()
    XCTAssertEqual(segment(screen, 2, from: 80), "  0 sample: 6 rows")
    XCTAssertEqual(segment(screen, 3, from: 80), "+ preview: dedupe event_id")
    XCTAssertEqual(screen.style(row: 3, column: 80), .changed)
  }

  func testProfileOfANumericColumnShowsNullsDistinctRangeTopValuesAndHistogram() throws {
    let app = try makeApp(Fixture.amounts, name: "amounts.csv")
    app.handle(.char("l"))
    let screen = app.screen()
    XCTAssertEqual(
      (5...15).map { segment(screen, $0, from: 80) },
      [
        " Column amount [integer]",
        "  nulls 1 of 11 (9%)",
        "  distinct 4",
        "  min 0",
        "  max 16",
        "  top values",
        "  16                   ██████████ 4",
        "  8                    ███████ 3",
        "  4                    █████ 2",
        "  0                    ██ 1",
        "  histogram ▂  ▄  ▆    █",
      ])
    XCTAssertEqual(screen.style(row: 5, column: 81), .panelTitle)
    // Mean and sample standard deviation of 0, 4, 4, 8, 8, 8, 16, 16, 16, 16; quartiles between closest ranks.
    XCTAssertEqual(segment(screen, 16, from: 80), "  mean 9.6  sd 6.0221812")
    XCTAssertEqual(segment(screen, 17, from: 80), "  p25 5  p50 8  p75 16")
    XCTAssertEqual(segment(screen, 18, from: 80), "")
  }

  func testProfileOfATextColumnHasNoHistogram() throws {
    let app = try makeApp()
    app.handle(.char("l"))
    let screen = app.screen()
    XCTAssertEqual(
      (5...13).map { segment(screen, $0, from: 80) },
      [
        " Column country [text]",
        "  nulls 2 of 6 (33%)",
        "  distinct 3",
        "  min DE",
        "  max US",
        "  top values",
        "  US                   ██████████ 2",
        "  DE                   █████ 1",
        "  FR                   █████ 1",
      ])
    XCTAssertEqual(screen.rows(containing: "histogram"), [])
  }

  func testProfileOfAnAllNullColumn() throws {
    let app = try makeApp("id,x\na,\nb,\n", name: "nulls.csv")
    app.handle(.char("l"))
    let screen = app.screen()
    XCTAssertEqual(
      (5...8).map { segment(screen, $0, from: 80) },
      [" Column x [empty]", "  nulls 2 of 2 (100%)", "  distinct 0", ""])
    XCTAssertEqual(segment(screen, 2, from: 0, width: 79), "  ~text ~empty")
  }

  func testProfileFollowsTheShownStep() throws {
    let app = try makeApp()
    app.handle(.char("l"))
    app.command("fill_null country ZZ")
    let screen = app.screen()
    XCTAssertEqual(segment(screen, 6, from: 80), "  nulls 0 of 6 (0%)")
    XCTAssertEqual(segment(screen, 7, from: 80), "  distinct 4")
  }

  // MARK: Canvas

  func testTextCanvasPlacesWideCharactersOnTwoCells() {
    let canvas = TextCanvas(width: 10, height: 1)
    canvas.put("東a", row: 0, column: 1, style: .header)
    XCTAssertEqual(canvas.lines[0], " 東a      ")
    XCTAssertEqual(canvas.style(row: 0, column: 2), .header)
    XCTAssertEqual(canvas.style(row: 0, column: 3), .header)
    XCTAssertEqual(canvas.column(of: "a", row: 0), 3)
    canvas.put("xyz東", row: 0, column: 7, style: .plain)
    XCTAssertEqual(canvas.lines[0], " 東a   xyz")
  }

  func testCanvasPutWithWidthPadsOrCuts() {
    let canvas = TextCanvas(width: 12, height: 2)
    canvas.put("abc", row: 0, column: 0, width: 5, style: .plain)
    canvas.put("|", row: 0, column: 5, style: .plain)
    canvas.put("abcdefgh", row: 1, column: 0, width: 5, style: .plain)
    XCTAssertEqual(canvas.lines, ["abc  |      ", "abcd…       "])
  }

  func testABoxWrapsLinesWiderThanTheScreenSoEveryCountShows() {
    let canvas = TextCanvas(width: 50, height: 12)
    let summary = [
      "decant: 148 rows in, 135 out, 12 removed, 1 rejected in 0.003 s",
      "  2 fill_null country, tz, note by previous where amount > 10    135 in, 135 out, 22 cells changed",
    ]
    Overlay.box(title: "Run finished", lines: summary.map { ($0, .plain) }, on: canvas)
    let text = canvas.lines.joined(separator: " ").replacingOccurrences(of: "│", with: " ")
    for part in ["12 removed", "1 rejected", "135 in, 135 out,", "22", "cells changed"] {
      XCTAssertTrue(text.contains(part), "\(part) is not shown:\n\(canvas.lines.joined(separator: "\n"))")
    }
    XCTAssertFalse(text.contains("…"), canvas.lines.joined(separator: "\n"))
  }

  func testALongStepSummaryGoesOnInTheEffectLineOnANarrowScreen() throws {
    let app = try makeApp()
    app.command("fill_null country tz strategy=previous")
    app.handle(.enter)
    let lines = app.screen(width: 80, height: 24).lines
    let first = try XCTUnwrap(lines.firstIndex { $0.contains("1 fill_null") })
    // The side panel's part of the two lines (after the grid's edge).
    func panel(_ line: String) -> String {
      String(line.split(separator: "│", omittingEmptySubsequences: false).last!)
    }
    let shown = (panel(lines[first]) + " " + panel(lines[first + 1])).split(separator: " ").joined(
      separator: " ")
    XCTAssertTrue(shown.contains("fill_null country, tz by previous — "), shown)
    XCTAssertFalse(lines[first].contains("…"), lines[first])
  }
}
