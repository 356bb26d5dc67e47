import DecantCore
import Foundation
import XCTest

@testable import DecantTUI

/// The input settings form (`i`): every setting with the value in effect, edited
/// like a step's form; Enter applies what changed as one undoable change.
final class InputFormTests: XCTestCase {
  /// Three rows; `delay` is `NA` on two of them and `note` empty on one.
  static let delays = "id,delay,note\na,NA,x\nb,5,\nc,NA,y\n"

  /// Opens the form and replaces the text of the field `name` with `text`, as a user types it.
  func set(
    _ app: WorkbenchApp, _ name: String, to text: String, file: StaticString = #filePath, line: UInt = #line
  ) {
    guard let form = app.currentInputForm,
      let index = form.fields.firstIndex(where: { $0.parameter.name == name })
    else { return XCTFail("no input form with \(name)", file: file, line: line) }
    for _ in 0..<((index - form.focus + form.fields.count) % form.fields.count) { app.handle(.down) }
    for _ in 0..<(app.currentInputForm?.focusedField.text.count ?? 0) { app.handle(.backspace) }
    app.type(text)
  }

  // MARK: The fields

  func testTheFormListsEverySettingWithTheValueInEffect() throws {
    let app = try makeApp(InputFormTests.delays, name: "delays.csv")
    app.handle(.char("i"))
    XCTAssertEqual(app.modeName, "input form")
    let form = try XCTUnwrap(app.currentInputForm)
    XCTAssertEqual(
      form.fields.map(\.parameter.name), ["null_values", "delimiter", "header", "encoding", "ragged"])
    XCTAssertEqual(form.fields.map(\.text), [#""""#, ",", "yes", "utf-8", "reject"])
    XCTAssertEqual(form.fields.map(\.isChoice), [false, false, true, true, true])
    XCTAssertEqual(form.fields[2].options, ["yes", "no"])
    XCTAssertEqual(form.fields[3].options, ["utf-8", "latin1", "utf-16", "utf-16le", "utf-16be"])
    XCTAssertEqual(form.fields[4].options, ["reject", "pad"])
    XCTAssertEqual(form.notApplicable, [])
    let screen = app.screen()
    XCTAssertEqual(screen.rows(containing: "Input settings: delays.csv (CSV)").count, 1)
    XCTAssertEqual(
      screen.rows(containing: #"▸ null_values      ""▏"#).count, 1, screen.lines.joined(separator: "\n"))
    XCTAssertEqual(screen.rows(containing: "  header           ◂ yes ▸").count, 1)
    XCTAssertEqual(screen.rows(containing: "  encoding         ◂ utf-8 ▸").count, 1)
    XCTAssertEqual(
      screen.rows(containing: #"cells that count as null, comma-separated; "" is the empty cell"#).count, 1)
  }

  func testATabDelimitedFileShowsItsDelimiterAsBackslashT() throws {
    let app = try makeApp("a\tb\n1\t2\n", name: "data.tsv")
    app.handle(.char("i"))
    XCTAssertEqual(app.currentInputForm?.fields[1].text, #"\t"#)
    XCTAssertEqual(app.screen().rows(containing: "Input settings: data.tsv (TSV)").count, 1)
  }

  func testJSONLinesLeavesOutTheDelimiterHeaderAndRagged() throws {
    let app = try makeApp("{\"a\": \"NA\"}\n{\"a\": \"x\"}\n", name: "rows.jsonl")
    app.handle(.char("i"))
    let form = try XCTUnwrap(app.currentInputForm)
    XCTAssertEqual(form.fields.map(\.parameter.name), ["null_values", "encoding"])
    XCTAssertEqual(form.notApplicable, ["delimiter", "header", "ragged"])
    let screen = app.screen()
    XCTAssertEqual(screen.rows(containing: "Input settings: rows.jsonl (JSON Lines)").count, 1)
    XCTAssertEqual(
      screen.rows(containing: "delimiter, header, ragged: not applicable to JSON Lines").count, 1)
    set(app, "null_values", to: #"NA,"""#)
    app.handle(.enter)
    XCTAssertEqual(app.bench.recipe.input.nullValues, ["NA", ""])
    XCTAssertEqual(app.bench.message, #"input: null values NA, "" — the sample was read again (2 rows)"#)
  }

  // MARK: Applying, cancelling, undoing

  func testEnterAppliesEveryChangedSettingAsOneChangeThatOneUndoTakesBack() throws {
    let app = try makeApp(InputFormTests.delays, name: "delays.csv")
    XCTAssertEqual(app.bench.shown.schema.names, ["id", "delay", "note"])
    app.handle(.char("i"))
    set(app, "null_values", to: #"NA,"""#)
    set(app, "header", to: "")
    app.handle(.right)
    XCTAssertEqual(app.currentInputForm?.focusedField.text, "no")
    XCTAssertEqual(
      app.screen().rows(containing: #"✓ Enter applies: null values NA, ""; header off"#).count, 1)
    // Nothing changes before Enter.
    XCTAssertEqual(app.bench.recipe.input.nullValues, [""])
    XCTAssertFalse(app.bench.canUndo)
    let reads = app.sampleReads
    app.handle(.enter)

    XCTAssertEqual(app.modeName, "normal")
    XCTAssertEqual(app.sampleReads, reads + 1, "one read of the sample for both settings")
    XCTAssertEqual(app.bench.recipe.input.nullValues, ["NA", ""])
    XCTAssertEqual(app.bench.recipe.input.header, false)
    XCTAssertEqual(app.bench.shown.schema.names, ["column_1", "column_2", "column_3"])
    XCTAssertEqual(app.bench.shown.batch.rowCount, 4)
    XCTAssertTrue(app.bench.nullValues.isNull(bytes: Array("NA".utf8)))
    XCTAssertEqual(
      app.bench.message, #"input: null values NA, ""; header off — the sample was read again (4 rows)"#)
    XCTAssertTrue(app.bench.isDirty)

    // One undo takes both back, and the sample is read as before.
    app.handle(.char("u"))
    XCTAssertEqual(app.bench.recipe.input.nullValues, [""])
    XCTAssertEqual(app.bench.recipe.input.header, true)
    XCTAssertEqual(app.bench.shown.schema.names, ["id", "delay", "note"])
    XCTAssertEqual(app.bench.shown.batch.rowCount, 3)
    XCTAssertFalse(app.bench.nullValues.isNull(bytes: Array("NA".utf8)))
    XCTAssertEqual(app.bench.message, #"undid: input: null values NA, ""; header off (0 steps now)"#)
    XCTAssertFalse(app.bench.canUndo)
    // Redo puts both back.
    app.handle(.ctrl("r"))
    XCTAssertEqual(app.bench.recipe.input.nullValues, ["NA", ""])
    XCTAssertEqual(app.bench.shown.schema.names, ["column_1", "column_2", "column_3"])
  }

  func testNullValuesFromTheFormRecomputeEveryStepAndTheGridMarksThem() throws {
    let app = try makeApp(InputFormTests.delays, name: "delays.csv")
    app.command("fill_null delay 0")
    app.handle(.enter)
    XCTAssertEqual(column("delay", of: app.bench.shown), ["NA", "5", "NA"])
    app.handle(.char("i"))
    set(app, "null_values", to: #"NA,"""#)
    app.handle(.enter)
    XCTAssertEqual(column("delay", of: app.bench.shown), ["0", "5", "0"])
    XCTAssertEqual(app.bench.message, #"input: null values NA, "" — the sample was read again (3 rows)"#)
    // As of the sample (before the fill), NA cells are drawn as nulls.
    app.handle(.tab)
    app.handle(.char("0"))
    let screen = app.screen()
    let row = try XCTUnwrap(screen.rows(containing: "1 a ").first, screen.lines.joined(separator: "\n"))
    let mark = try XCTUnwrap(screen.column(of: GridView.nullMark, row: row), screen.lines[row])
    XCTAssertEqual(screen.style(row: row, column: mark), .null)
    XCTAssertFalse(screen.lines[row].contains("NA"), screen.lines[row])
    // The undo recomputes the step with NA as a value again.
    app.handle(.escape)
    app.handle(.char("u"))
    XCTAssertEqual(column("delay", of: app.bench.shown), ["NA", "5", "NA"])
    XCTAssertEqual(app.bench.recipe.steps.count, 1)
  }

  func testEscapeLeavesTheSettingsAsTheyWere() throws {
    let app = try makeApp(InputFormTests.delays, name: "delays.csv")
    app.handle(.char("i"))
    set(app, "null_values", to: "NA")
    set(app, "delimiter", to: ";")
    app.handle(.escape)
    XCTAssertEqual(app.modeName, "normal")
    XCTAssertEqual(app.bench.message, "input settings unchanged")
    XCTAssertEqual(app.bench.recipe.input.nullValues, [""])
    XCTAssertEqual(app.bench.shown.schema.names, ["id", "delay", "note"])
    XCTAssertFalse(app.bench.canUndo)
    XCTAssertFalse(app.bench.isDirty)
    // Opened again, the form shows the settings in effect, not what was typed.
    app.handle(.char("i"))
    XCTAssertEqual(app.currentInputForm?.fields.map(\.text), [#""""#, ",", "yes", "utf-8", "reject"])
  }

  func testEnterWithNothingChangedClosesTheFormWithoutAnUndoStep() throws {
    let app = try makeApp(InputFormTests.delays, name: "delays.csv")
    app.handle(.char("i"))
    set(app, "header", to: "")
    app.handle(.right)
    app.handle(.left)  // back to yes
    app.handle(.enter)
    XCTAssertEqual(app.modeName, "normal")
    XCTAssertEqual(app.bench.message, "input settings unchanged")
    XCTAssertFalse(app.bench.canUndo)
  }

  func testATwoCharacterDelimiterIsExplainedInTheFormAndNothingIsApplied() throws {
    let app = try makeApp(InputFormTests.delays, name: "delays.csv")
    app.handle(.char("i"))
    set(app, "null_values", to: "NA")
    set(app, "delimiter", to: ";;")
    let problem = #"delimiter: use one character, such as , ; | or tab, not ";;""#
    XCTAssertEqual(app.currentInputForm?.problem, problem)
    XCTAssertEqual(app.screen().rows(containing: "✗ " + problem).count, 1)
    let reads = app.sampleReads
    app.handle(.enter)
    XCTAssertEqual(app.modeName, "input form")
    XCTAssertEqual(app.bench.message, problem + " — nothing was applied")
    XCTAssertTrue(app.bench.messageIsError)
    XCTAssertEqual(app.sampleReads, reads)
    XCTAssertEqual(app.bench.recipe.input.nullValues, [""], "no setting is applied while one is wrong")
    XCTAssertFalse(app.bench.canUndo)
    // Mended, the form applies.
    app.handle(.backspace)
    XCTAssertNil(app.currentInputForm?.problem)
    app.handle(.enter)
    XCTAssertEqual(app.modeName, "normal")
    XCTAssertEqual(app.bench.recipe.input.delimiter, ";")
    XCTAssertEqual(app.bench.recipe.input.nullValues, ["NA"])
    XCTAssertEqual(app.bench.shown.schema.names, ["id,delay,note"])
  }

  func testAnEncodingIsChosenFromTheOnesTheReaderSupports() throws {
    let dir = try scratch()
    let path = dir.path("latin1.csv")
    try Data([0x6E, 0x61, 0x6D, 0x65, 0x0A, 0x63, 0x61, 0x66, 0xE9, 0x0A]).write(
      to: URL(fileURLWithPath: path))
    let app = WorkbenchApp(bench: Workbench(path: path, sample: try Sampler.first(100, path: path)))
    app.handle(.char("i"))
    set(app, "encoding", to: "")
    // Typing does not make an unknown encoding: the field only cycles through the known ones.
    app.type("ebcdic")
    XCTAssertEqual(app.currentInputForm?.focusedField.text, "utf-8")
    app.handle(.right)
    XCTAssertEqual(app.currentInputForm?.focusedField.text, "latin1")
    app.handle(.enter)
    XCTAssertEqual(app.bench.recipe.input.encoding, .latin1)
    XCTAssertEqual(column("name", of: app.bench.shown), ["café"])
    XCTAssertEqual(app.bench.message, "input: encoding latin1 — the sample was read again (1 rows)")
  }

  func testTheCommandLineReadsValuesAsTheFormDoes() throws {
    let app = try makeApp(InputFormTests.delays, name: "delays.csv")
    app.command("set delimiter ;;")
    XCTAssertEqual(
      app.bench.message, #"delimiter: use one character, such as , ; | or tab, not ";;""#)
    app.command("set delimiter tab")
    XCTAssertEqual(app.bench.recipe.input.delimiter, "\t")
    XCTAssertEqual(app.bench.message, "input: delimiter tab — the sample was read again (3 rows)")
    app.handle(.char("i"))
    XCTAssertEqual(app.currentInputForm?.fields[1].text, #"\t"#)
  }

  func testARandomSampleIsDrawnAgainAfterTheFormAndAfterItsUndo() throws {
    let app = try makeApp("a;b\n1;2\n3;4\n5;6\n", name: "semi.csv")
    func waitForTheSample() {
      let deadline = Date().addingTimeInterval(30)
      while app.isBusy && Date() < deadline {
        app.tick()
        Thread.sleep(forTimeInterval: 0.01)
      }
    }
    app.startRandomSample(.random(2, seed: 3))
    waitForTheSample()
    XCTAssertEqual(app.bench.sample.spec, .random(2, seed: 3))
    XCTAssertEqual(app.bench.shown.schema.names, ["a", "b"])
    app.handle(.char("i"))
    set(app, "delimiter", to: ",")
    app.handle(.enter)
    XCTAssertTrue(app.isBusy, "the random sample is drawn again with the new delimiter")
    waitForTheSample()
    XCTAssertEqual(app.bench.sample.spec, .random(2, seed: 3))
    XCTAssertEqual(app.bench.shown.schema.names, ["a;b"])
    app.handle(.char("u"))
    XCTAssertEqual(app.bench.shown.schema.names, ["a", "b"])
    XCTAssertTrue(app.isBusy, "and again after the undo")
    waitForTheSample()
    XCTAssertEqual(app.bench.sample.spec, .random(2, seed: 3))
    XCTAssertEqual(app.bench.shown.schema.names, ["a", "b"])
    XCTAssertEqual(app.bench.shown.batch.rowCount, 2)
  }
}
