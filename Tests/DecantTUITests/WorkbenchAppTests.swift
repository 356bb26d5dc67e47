import DecantCore
import Foundation
import XCTest

@testable import DecantTUI

/// The workbench driven by keys as a user would, and drawn on a text canvas.
final class WorkbenchAppTests: XCTestCase {
  // MARK: Command line, preview, apply, cancel

  func testTypedCommandShowsAPreviewThatEnterApplies() throws {
    let app = try makeApp()
    app.handle(.char(":"))
    XCTAssertEqual(app.modeName, "prompt :")
    app.type("dedupe event_id")
    XCTAssertEqual(app.screen().trimmed(29), ":dedupe event_id▏")
    app.handle(.enter)
    XCTAssertEqual(app.modeName, "preview")
    XCTAssertEqual(
      app.bench.message,
      "preview of dedupe event_id: 0 cells change, 2 rows removed — Enter applies, Esc cancels, v shows rows")
    XCTAssertEqual(app.bench.recipe.steps.count, 0)
    let preview = app.screen()
    XCTAssertEqual(preview.trimmed(0), " decant — events.csv — unsaved recipe — preview")
    XCTAssertEqual(preview.rows(containing: "+ preview: dedupe event_id").count, 1)
    XCTAssertEqual(app.bench.shown.batch.rowCount, 4)

    app.handle(.enter)
    XCTAssertEqual(app.modeName, "normal")
    XCTAssertNil(app.bench.draft)
    XCTAssertEqual(app.bench.recipe.steps.map(\.json), [try commandStep(":dedupe event_id").json])
    XCTAssertEqual(app.bench.message, "added step 1: dedupe event_id — 2 removed")
    XCTAssertEqual(app.screen().trimmed(0), " decant — events.csv — unsaved recipe [+] — after step 1")
  }

  func testEscapeCancelsThePreview() throws {
    let app = try makeApp()
    app.command("fill_null country ZZ")
    XCTAssertEqual(app.modeName, "preview")
    XCTAssertEqual(
      app.bench.message, "preview of fill_null country with ZZ: 2 cells change — Enter applies, Esc cancels")
    app.handle(.escape)
    XCTAssertEqual(app.modeName, "normal")
    XCTAssertNil(app.bench.draft)
    XCTAssertEqual(app.bench.recipe.steps.count, 0)
    XCTAssertEqual(app.bench.message, "step cancelled")
    XCTAssertFalse(app.bench.isDirty)
    XCTAssertEqual(column("country", of: app.bench.shown), ["US", "", "US", "DE", "FR", ""])
  }

  func testCursorKeysMoveInsideAPreview() throws {
    let app = try makeApp()
    app.command("fill_null country ZZ")
    app.handle(.char("j"))
    app.handle(.right)
    XCTAssertEqual([app.bench.row, app.bench.column], [1, 1])
    XCTAssertEqual(app.modeName, "preview")
    app.handle(.char("x"))  // not a looking-around key: answered, not acted on
    XCTAssertEqual(app.modeName, "preview")
    XCTAssertEqual(app.bench.message, "previewing a step: Enter applies it, Esc cancels it, v shows its rows")
    XCTAssertEqual(app.bench.recipe.steps.count, 0)
  }

  func testACommandThatDoesNotFitIsReportedWithoutAPreview() throws {
    let app = try makeApp()
    app.command("fill_null nation ZZ")
    XCTAssertEqual(app.modeName, "normal")
    XCTAssertNil(app.bench.draft)
    XCTAssertEqual(
      app.bench.message,
      #"step 1 (fill_null), field "columns": no column "nation" at this step (columns here: "event_id", "country", "Amount USD", "event_time", "tz")"#
    )
    XCTAssertTrue(app.bench.messageIsError)
    let screen = app.screen()
    XCTAssertEqual(screen.style(row: 29, column: 1), .error)
  }

  func testAMistypedCommandShowsTheSuggestionAsAnError() throws {
    let app = try makeApp()
    app.command("dedup event_id")
    XCTAssertEqual(app.modeName, "normal")
    XCTAssertEqual(app.bench.message, #"unknown command or operation "dedup"; did you mean :dedupe?"#)
    XCTAssertTrue(app.bench.messageIsError)
    let screen = app.screen()
    XCTAssertEqual(screen.trimmed(29), #" unknown command or operation "dedup"; did you mean :dedupe?"#)
    XCTAssertEqual(screen.style(row: 29, column: 1), .error)
  }

  func testPromptBackspaceAndEscape() throws {
    let app = try makeApp()
    app.handle(.char(":"))
    app.type("ab")
    app.handle(.backspace)
    XCTAssertEqual(app.modeName, "prompt :a")
    app.handle(.backspace)
    app.handle(.backspace)
    XCTAssertEqual(app.modeName, "normal")
    app.handle(.char(":"))
    app.type("dedupe")
    app.handle(.escape)
    XCTAssertEqual(app.modeName, "normal")
    XCTAssertNil(app.bench.draft)
  }

  func testEnterOnAnEmptyCommandLineDoesNothing() throws {
    let app = try makeApp()
    app.command("")
    XCTAssertEqual(app.modeName, "normal")
    XCTAssertNil(app.bench.message)
  }

  // MARK: Menu and form

  func testMenuSelectOperationFormEnterApplies() throws {
    let app = try makeApp()
    app.handle(.char("l"))  // cursor on country
    app.handle(.char("a"))
    XCTAssertEqual(app.modeName, "menu 0")
    let menu = app.screen()
    XCTAssertEqual(menu.rows(containing: "Add a step").count, 1)
    let renameRow = try XCTUnwrap(menu.rows(containing: "▸ rename").first)
    XCTAssertEqual(
      menu.style(row: renameRow, column: try XCTUnwrap(menu.column(of: "▸ rename", row: renameRow))), .cursor)
    for op in OperationRegistry.operations {
      XCTAssertEqual(menu.rows(containing: op.descriptor.summary).count, 1, op.descriptor.name)
    }

    app.handle(.char("f"))
    XCTAssertEqual(app.modeName, "menu 2")
    app.handle(.enter)
    XCTAssertEqual(app.modeName, "form fill_null")
    XCTAssertEqual(app.currentForm?.fields.map(\.text), ["country", "", "", ""])
    XCTAssertEqual(
      app.bench.message, #"needs "value" (a constant) or "strategy" (previous, next, mode, mean, median)"#)
    XCTAssertTrue(app.bench.messageIsError)
    XCTAssertEqual(app.screen().rows(containing: "New step: fill_null").count, 1)

    // Enter on an incomplete form keeps it open.
    app.handle(.enter)
    XCTAssertEqual(app.modeName, "form fill_null")
    XCTAssertEqual(app.bench.recipe.steps.count, 0)

    app.handle(.down)
    app.type("ZZ")
    XCTAssertEqual(
      app.bench.message, "preview of fill_null country with ZZ: 2 cells change — Enter applies, Esc cancels")
    XCTAssertEqual(app.screen().rows(containing: "✓ preview: 2 cells change").count, 1)
    app.handle(.enter)
    XCTAssertEqual(app.modeName, "normal")
    XCTAssertEqual(app.bench.recipe.steps.map(\.json), [try commandStep(":fill_null country ZZ").json])
    XCTAssertEqual(column("country", of: app.bench.shown), ["US", "ZZ", "US", "DE", "FR", "ZZ"])
  }

  func testMenuMovesWithJAndKAndWraps() throws {
    let app = try makeApp()
    app.handle(.char("a"))
    app.handle(.char("k"))
    XCTAssertEqual(app.modeName, "menu \(OperationRegistry.operations.count - 1)")
    app.handle(.char("j"))
    app.handle(.char("j"))
    XCTAssertEqual(app.modeName, "menu 1")
    app.handle(.enter)
    XCTAssertEqual(app.modeName, "form dedupe")
    XCTAssertEqual(
      app.bench.message,
      "preview of dedupe whole rows: 0 cells change, 1 rows removed — Enter applies, Esc cancels, v shows rows"
    )
    app.handle(.enter)
    XCTAssertEqual(app.bench.recipe.steps.map(\.json), [try commandStep(":dedupe").json])
    XCTAssertEqual(app.bench.message, "added step 1: dedupe whole rows — 1 removed")
  }

  func testMenuEscapeAndFormEscapeLeaveTheRecipeAlone() throws {
    let app = try makeApp()
    app.handle(.char("a"))
    app.handle(.escape)
    XCTAssertEqual(app.modeName, "normal")
    app.handle(.char("a"))
    app.handle(.char("n"))
    app.handle(.enter)
    XCTAssertEqual(app.modeName, "form normalize_timezone")
    app.handle(.escape)
    XCTAssertEqual(app.modeName, "normal")
    XCTAssertNil(app.bench.draft)
    XCTAssertEqual(app.bench.message, "step cancelled")
    XCTAssertEqual(app.bench.recipe.steps.count, 0)
  }

  func testFormTabCompletesAZoneAndSpaceCyclesAChoice() throws {
    let app = try makeApp()
    app.handle(.char("$"))
    app.handle(.char("h"))  // event_time
    app.handle(.char("a"))
    app.handle(.char("n"))
    app.handle(.enter)
    XCTAssertEqual(app.currentForm?.fields[0].text, "event_time")
    app.handle(.down)
    app.type("America/New_Y")
    app.handle(.tab)
    XCTAssertEqual(app.currentForm?.fields[1].text, "America/New_York")
    for _ in 0..<4 { app.handle(.down) }
    XCTAssertEqual(app.currentForm?.focusedField.parameter.name, "ambiguous")
    app.handle(.char(" "))
    app.handle(.right)
    XCTAssertEqual(app.currentForm?.fields[5].text, "later")
    app.handle(.enter)
    XCTAssertEqual(
      app.bench.recipe.steps.map(\.json),
      [try commandStep(":normalize_timezone event_time America/New_York ambiguous=later").json])
    XCTAssertEqual(
      column("event_time", of: app.bench.shown),
      [
        "2024-03-10T07:30:00Z", "2024-01-15T17:00:00Z", "2024-03-10T07:30:00Z", "2024-11-03T06:30:00Z",
        "2024-01-15T17:00:00Z", "2024-06-01T12:00:00Z",
      ])
  }

  // MARK: Undo and redo

  func testUUndoesAndCtrlRRedoes() throws {
    let app = try makeApp()
    app.command("dedupe event_id")
    app.handle(.enter)
    let one = app.bench.recipe.json.compactText
    app.handle(.char("u"))
    XCTAssertEqual(app.bench.recipe.steps.count, 0)
    XCTAssertEqual(app.bench.message, "undid: add step 1 (dedupe event_id) (0 steps now)")
    XCTAssertEqual(app.bench.shown.batch.rowCount, 6)
    app.handle(.ctrl("r"))
    XCTAssertEqual(app.bench.recipe.json.compactText, one)
    XCTAssertEqual(app.bench.message, "redid: add step 1 (dedupe event_id) (1 step now)")
    XCTAssertEqual(app.bench.shown.batch.rowCount, 4)
    app.command("undo")
    XCTAssertEqual(app.bench.recipe.steps.count, 0)
    app.command("redo")
    XCTAssertEqual(app.bench.recipe.steps.count, 1)
  }

  // MARK: Step list

  func addTwoSteps(_ app: WorkbenchApp) {
    app.command("dedupe event_id")
    app.handle(.enter)
    app.command("fill_null country ZZ")
    app.handle(.enter)
  }

  func testTabFocusesTheStepListAndJKChangeTheViewedStep() throws {
    let app = try makeApp()
    addTwoSteps(app)
    XCTAssertEqual(app.screen().trimmed(0), " decant — events.csv — unsaved recipe [+] — after step 2")
    app.handle(.tab)
    XCTAssertEqual(app.focus, .steps)
    XCTAssertEqual(app.bench.viewStep, 1)
    app.handle(.char("k"))
    XCTAssertEqual(app.bench.selectedStep, 0)
    XCTAssertEqual(app.bench.viewStep, 0)
    XCTAssertEqual(column("country", of: app.bench.shown), ["US", "", "DE", ""])
    XCTAssertEqual(app.screen().trimmed(0), " decant — events.csv — unsaved recipe [+] — as of step 1")
    app.handle(.char("k"))
    XCTAssertEqual(app.bench.viewStep, 0)
    app.handle(.char("j"))
    XCTAssertEqual(app.bench.viewStep, 1)
    XCTAssertEqual(column("country", of: app.bench.shown), ["US", "ZZ", "DE", "ZZ"])
    app.handle(.char("0"))
    XCTAssertEqual(app.bench.viewStep, -1)
    XCTAssertEqual(app.bench.shown.batch.rowCount, 6)
    XCTAssertEqual(
      app.screen().trimmed(0), " decant — events.csv — unsaved recipe [+] — sample (before any step)")
    app.handle(.tab)
    XCTAssertEqual(app.focus, .grid)
    XCTAssertNil(app.bench.viewStep)
  }

  func testStepListSpaceDisablesAndEnablesTheSelectedStep() throws {
    let app = try makeApp()
    addTwoSteps(app)
    app.handle(.tab)
    app.handle(.char(" "))
    XCTAssertFalse(app.bench.recipe.steps[1].enabled)
    XCTAssertEqual(app.bench.describe(1), "fill_null country with ZZ — disabled")
    XCTAssertEqual(column("country", of: app.bench.shown), ["US", "", "DE", ""])
    app.handle(.char(" "))
    XCTAssertTrue(app.bench.recipe.steps[1].enabled)
    XCTAssertEqual(app.bench.message, "enabled step 2")
  }

  func testStepListDDeletesTheSelectedStep() throws {
    let app = try makeApp()
    addTwoSteps(app)
    app.handle(.tab)
    app.handle(.char("k"))
    app.handle(.char("d"))
    XCTAssertEqual(app.bench.recipe.steps.map(\.op), ["fill_null"])
    XCTAssertEqual(app.bench.message, "deleted step 1: dedupe event_id")
    app.handle(.char("u"))
    XCTAssertEqual(app.bench.recipe.steps.map(\.op), ["dedupe", "fill_null"])
  }

  func testStepListKMovesTheSelectedStepUpAndTheSelectionFollowsIt() throws {
    let app = try makeApp()
    addTwoSteps(app)
    app.command("dedupe")
    app.handle(.enter)
    app.handle(.tab)
    XCTAssertEqual(app.bench.selectedStep, 2)
    app.handle(.char("K"))
    XCTAssertEqual(app.bench.recipe.steps.map(\.op), ["dedupe", "dedupe", "fill_null"])
    XCTAssertEqual(app.bench.message, "moved step to position 2")
    XCTAssertEqual(app.bench.selectedStep, 1)
    // Pressing K again keeps moving the same step.
    app.handle(.char("K"))
    XCTAssertEqual(
      app.bench.recipe.steps.map { $0.operation.summary },
      ["dedupe whole rows", "dedupe event_id", "fill_null country with ZZ"])
  }

  func testStepListJMovesTheSelectedStepDownAndTheSelectionFollowsIt() throws {
    let app = try makeApp()
    addTwoSteps(app)
    app.handle(.tab)
    app.handle(.char("k"))
    app.handle(.char("J"))
    XCTAssertEqual(app.bench.recipe.steps.map(\.op), ["fill_null", "dedupe"])
    XCTAssertEqual(app.bench.selectedStep, 1)
  }

  /// `v` shows "rows the viewed step removed or rejected"; an earlier step can only be viewed
  /// from the step list (Tab back to the grid views the last step again), so `v` must work there.
  func testVInTheStepListShowsTheRowsTheViewedStepRemoved() throws {
    let app = try makeApp()
    addTwoSteps(app)
    app.handle(.tab)
    app.handle(.char("k"))
    XCTAssertEqual(app.bench.viewStep, 0)
    app.handle(.char("v"))
    XCTAssertEqual(app.modeName, "dropped")
    let screen = app.screen()
    XCTAssertEqual(screen.rows(containing: "line 4: removed by dedupe").count, 1)
    XCTAssertEqual(screen.rows(containing: "line 6: removed by dedupe").count, 1)
  }

  func testEditingAStepFromTheListReplacesIt() throws {
    let app = try makeApp()
    addTwoSteps(app)
    app.handle(.tab)
    app.handle(.char("e"))
    XCTAssertEqual(app.modeName, "form fill_null")
    XCTAssertEqual(app.currentForm?.replacing, 1)
    XCTAssertEqual(app.currentForm?.fields.map(\.text), ["country", "ZZ", "", ""])
    XCTAssertEqual(app.screen().rows(containing: "Edit step: fill_null").count, 1)
    app.handle(.down)
    app.handle(.backspace)
    app.handle(.backspace)
    app.type("XX")
    app.handle(.enter)
    XCTAssertEqual(app.modeName, "normal")
    XCTAssertEqual(
      app.bench.recipe.steps.map(\.json),
      [try commandStep(":dedupe event_id").json, try commandStep(":fill_null country XX").json])
    XCTAssertEqual(app.bench.message, "changed step 2: fill_null country with XX — 2 cells changed")
    // The focus is back in the step list, where the edit started; Esc too returns it there.
    XCTAssertEqual(app.focus, .steps)
    app.handle(.enter)
    XCTAssertEqual(app.modeName, "form fill_null")
    app.handle(.escape)
    XCTAssertEqual(app.focus, .steps)
  }

  // MARK: Help, dropped rows, quitting, saving

  func testQuestionMarkShowsHelpGeneratedFromTheKeymap() throws {
    let app = try makeApp()
    app.handle(.char("?"))
    XCTAssertEqual(app.modeName, "help")
    var seen = Set<String>()
    for _ in 0..<Keymap.helpLines.count {
      let screen = app.screen()
      XCTAssertEqual(screen.rows(containing: "Keys (any other key closes)").count, 1)
      for line in screen.lines { seen.insert(line) }
      app.handle(.char("j"))
    }
    let all = seen.joined(separator: "\n")
    for line in Keymap.helpLines where !line.isEmpty {
      XCTAssertTrue(all.contains(line), line)
    }
    app.handle(.char("x"))
    XCTAssertEqual(app.modeName, "normal")
  }

  func testQWithUnsavedChangesAsksAndNKeepsWorking() throws {
    let app = try makeApp()
    app.command("dedupe event_id")
    app.handle(.enter)
    app.handle(.char("q"))
    XCTAssertEqual(app.modeName, "confirmQuit")
    XCTAssertFalse(app.wantsQuit)
    let screen = app.screen()
    XCTAssertEqual(screen.rows(containing: "Unsaved changes").count, 1)
    XCTAssertEqual(screen.rows(containing: "y  quit without saving").count, 1)
    app.handle(.char("n"))
    XCTAssertEqual(app.modeName, "normal")
    XCTAssertFalse(app.wantsQuit)
    XCTAssertEqual(app.bench.message, "quit cancelled")
    app.handle(.char("q"))
    app.handle(.char("y"))
    XCTAssertTrue(app.wantsQuit)
  }

  func testQWithoutChangesQuitsAtOnce() throws {
    let app = try makeApp()
    app.handle(.char("q"))
    XCTAssertTrue(app.wantsQuit)
  }

  func testQuitCommandsAskOrForce() throws {
    let app = try makeApp()
    app.command("dedupe event_id")
    app.handle(.enter)
    app.command("q")
    XCTAssertEqual(app.modeName, "confirmQuit")
    app.handle(.escape)
    XCTAssertFalse(app.wantsQuit)
    app.command("q!")
    XCTAssertTrue(app.wantsQuit)
  }

  func testQuitDialogWSavesThenQuitsWhenTheRecipeHasAFile() throws {
    let dir = try scratch()
    let app = try makeApp()
    app.command("dedupe event_id")
    app.handle(.enter)
    app.command("write \(dir.path("r.json"))")
    app.command("fill_null country ZZ")
    app.handle(.enter)
    app.handle(.char("q"))
    app.handle(.char("w"))
    XCTAssertTrue(app.wantsQuit)
    XCTAssertFalse(app.bench.isDirty)
    XCTAssertEqual(try Recipe.decode(try XCTUnwrap(dir.read("r.json"))).steps.count, 2)
  }

  /// The dialog offers "w  save, then quit": with no recipe file yet it must ask for one.
  func testQuitDialogWWithoutARecipeFileAsksForAPath() throws {
    let app = try makeApp()
    app.command("dedupe event_id")
    app.handle(.enter)
    app.handle(.char("q"))
    app.handle(.char("w"))
    XCTAssertFalse(app.wantsQuit)
    XCTAssertEqual(app.modeName, "prompt :write ")
  }

  func testVListsTheRowsTheViewedStepRemoved() throws {
    let app = try makeApp()
    app.handle(.char("v"))
    XCTAssertEqual(app.modeName, "normal")
    XCTAssertEqual(app.bench.message, "this step removes or rejects no rows")
    app.command("dedupe event_id")
    app.handle(.enter)
    app.handle(.char("v"))
    XCTAssertEqual(app.modeName, "dropped")
    let screen = app.screen()
    XCTAssertEqual(screen.rows(containing: "2 rows removed or rejected").count, 1)
    XCTAssertEqual(screen.rows(containing: "line 4: removed by dedupe").count, 1)
    XCTAssertEqual(screen.rows(containing: "line 6: removed by dedupe").count, 1)
    app.handle(.char("x"))
    XCTAssertEqual(app.modeName, "normal")
  }

  func testVInAPreviewListsRowsAndReturnsToThePreview() throws {
    let app = try makeApp()
    app.command("normalize_timezone event_time @tz nonexistent=reject")
    XCTAssertEqual(
      app.bench.message,
      "preview of normalize_timezone event_time zone in tz → UTC: 4 cells change, 2 rows rejected — Enter applies, Esc cancels, v shows rows"
    )
    app.handle(.char("v"))
    XCTAssertEqual(app.modeName, "dropped")
    let screen = app.screen()
    XCTAssertEqual(screen.rows(containing: "2 rows removed or rejected").count, 1)
    XCTAssertEqual(screen.rows(containing: "line 2: ").count, 1)
    XCTAssertEqual(screen.rows(containing: "line 4: ").count, 1)
    app.handle(.escape)
    XCTAssertEqual(app.modeName, "preview")
    app.handle(.enter)
    XCTAssertEqual(app.bench.recipe.steps.count, 1)
  }

  func testWWithoutAPathPromptsForOneAndSaves() throws {
    let dir = try scratch()
    let app = try makeApp()
    app.command("dedupe event_id")
    app.handle(.enter)
    app.handle(.char("w"))
    XCTAssertEqual(app.modeName, "prompt :write ")
    let proposed = (app.bench.path as NSString).deletingPathExtension + ".recipe.json"
    XCTAssertEqual(app.bench.message, "Enter saves as \(proposed), or type another name")
    XCTAssertTrue(app.screen().trimmed(29).hasPrefix(":write ▏   Enter saves as "), app.screen().trimmed(29))
    let path = dir.path("clean.json")
    app.type(path)
    app.handle(.enter)
    XCTAssertEqual(app.modeName, "normal")
    XCTAssertEqual(app.bench.message, "saved \(path) (1 step)")
    XCTAssertFalse(app.bench.isDirty)
    XCTAssertEqual(app.bench.recipePath, path)
    XCTAssertEqual(try Recipe.decode(try XCTUnwrap(dir.read("clean.json"))).steps.count, 1)
    XCTAssertEqual(app.screen().trimmed(0), " decant — events.csv — clean.json — after step 1")

    // With a file, w saves at once.
    app.command("fill_null country ZZ")
    app.handle(.enter)
    app.handle(.char("w"))
    XCTAssertEqual(app.modeName, "normal")
    XCTAssertEqual(app.bench.message, "saved \(path) (2 steps)")
  }

  func testWriteWithoutAFileSavesBesideTheDataNeverOverAnotherFile() throws {
    let app = try makeApp()
    let stem = (app.bench.path as NSString).deletingPathExtension
    app.command("w")
    XCTAssertEqual(app.bench.message, "saved \(stem).recipe.json (0 steps)")
    XCTAssertFalse(app.bench.messageIsError)
    XCTAssertEqual(app.bench.recipePath, stem + ".recipe.json")
    // The next proposal does not take that file.
    XCTAssertEqual(app.proposedRecipePath, stem + ".recipe-2.json")
  }

  func testLoadCommandReadsARecipeFile() throws {
    let dir = try scratch()
    let path = try dir.write(
      "r.json", #"{"decant_recipe": 1, "steps": [{"op": "dedupe", "columns": ["event_id"]}]}"#)
    let app = try makeApp()
    app.command("load \(path)")
    XCTAssertEqual(app.bench.recipe.steps.map(\.op), ["dedupe"])
    XCTAssertEqual(app.bench.recipePath, path)
    XCTAssertEqual(app.bench.shown.batch.rowCount, 4)
  }

  func testLoadingARecipeOntoRenamedColumnsOffersAMappingAndAppliesIt() throws {
    let dir = try scratch()
    let path = try dir.write(
      "r.json",
      #"""
      {"decant_recipe": 1, "input": {"columns": ["event_id", "Country", "amount_usd", "event_time", "tz"]},
       "steps": [{"op": "fill_null", "columns": ["Country"], "value": "ZZ", "where": {"column": "amount_usd", "gt": 5}}]}
      """#)
    let app = try makeApp()
    app.command("load \(path)")
    XCTAssertEqual(app.modeName, "mapping 2 at 0")
    let screen = app.screen().lines.joined(separator: "\n")
    XCTAssertTrue(screen.contains("Country     →  country"), screen)
    XCTAssertTrue(screen.contains("amount_usd  →  Amount USD"), screen)
    // ←/→ choose another file column, or none; back to the suggestion.
    app.handle(.right)
    app.handle(.left)
    app.handle(.enter)
    XCTAssertEqual(app.modeName, "normal")
    XCTAssertEqual(app.bench.message, "mapped Country → country, amount_usd → Amount USD in every step")
    XCTAssertEqual(
      app.bench.recipe.steps[0].json.compactText,
      #"{"op":"fill_null","columns":["country"],"value":"ZZ","where":{"column":"Amount USD","gt":5}}"#)
    XCTAssertEqual(column("country", of: app.bench.shown), ["US", "ZZ", "US", "DE", "FR", "ZZ"])
    // Undo takes the mapping back.
    app.handle(.char("u"))
    XCTAssertEqual(app.bench.recipe.steps[0].json.compactText.contains(#""Country""#), true)
  }

  func testLoadingAMissingRecipeNamesTheFileOnce() throws {
    let dir = try scratch()
    let app = try makeApp()
    app.command("load \(dir.path("missing.json"))")
    XCTAssertEqual(app.bench.message, "\(dir.path("missing.json")): cannot read the recipe")
    XCTAssertTrue(app.bench.messageIsError)
  }

  // MARK: Moving around

  func testColumnPromptCompletesWithTab() throws {
    let app = try makeApp()
    app.handle(.char("c"))
    XCTAssertEqual(app.modeName, "prompt column: ")
    app.type("amo")
    app.handle(.tab)
    XCTAssertEqual(app.modeName, "prompt column: Amount USD")
    app.handle(.enter)
    XCTAssertEqual(app.bench.column, 2)
  }

  func testTabOnAnAmbiguousPrefixCompletesWhatIsSharedAndListsTheCandidates() throws {
    let app = try makeApp()
    app.handle(.char("c"))
    app.type("ev")
    app.handle(.tab)
    XCTAssertEqual(app.modeName, "prompt column: event_")
    XCTAssertEqual(app.bench.message, "2 match: event_id, event_time — type more to choose")
    app.type("t")
    app.handle(.tab)
    XCTAssertEqual(app.modeName, "prompt column: event_time")
    app.handle(.escape)
    // In a form too.
    app.handle(.char("a"))
    app.handle(.char("d"))
    app.handle(.enter)
    XCTAssertEqual(app.modeName, "form dedupe")
    app.type("ev")
    app.handle(.tab)
    XCTAssertEqual(app.bench.message, "2 match: event_id, event_time — type more to choose")
    // A prefix nothing starts with says so.
    app.handle(.escape)
    app.handle(.char("c"))
    app.type("zz")
    app.handle(.tab)
    XCTAssertEqual(app.bench.message, #"no column starts with "zz""#)
  }

  func testUDuringAPreviewCancelsTheStepAndKeepsTheRecipe() throws {
    let app = try makeApp()
    app.command("dedupe event_id")
    app.handle(.enter)
    app.command("fill_null country ZZ")
    XCTAssertNotNil(app.bench.draft)
    app.handle(.char("u"))
    XCTAssertNil(app.bench.draft)
    XCTAssertEqual(app.modeName, "normal")
    XCTAssertEqual(app.bench.recipe.steps.map(\.op), ["dedupe"])
    XCTAssertEqual(
      app.bench.message, "step cancelled (u during a preview cancels it; the recipe is unchanged)")
  }

  func testARenamePreviewMovesTheCursorToTheRenamedColumn() throws {
    let app = try makeApp()
    XCTAssertEqual(app.bench.column, 0)
    app.command("rename tz zone")
    XCTAssertEqual(app.modeName, "preview")
    XCTAssertEqual(app.bench.shown.schema.names[app.bench.column], "zone")
  }

  func testALongMessageSaysHowToReadItAndMShowsAllOfIt() throws {
    let app = try makeApp()
    app.command("fill_null nation ZZ")
    let message = try XCTUnwrap(app.bench.message)
    let line = app.screen().lines.last!
    XCTAssertTrue(line.trimmingCharacters(in: .whitespaces).hasSuffix("… (m: all of it)"), line)
    app.handle(.char("m"))
    XCTAssertEqual(app.modeName, "summary Error")
    let shown = app.screen().lines.joined(separator: " ")
    // Every word of the message is on screen, wrapped.
    for word in message.split(separator: " ") where word.count > 3 {
      XCTAssertTrue(shown.contains(word), "\(word) is not shown")
    }
    app.handle(.char("x"))
    XCTAssertEqual(app.modeName, "normal")
  }

  func testWrapBreaksAtSpacesAndCutsLongWords() {
    XCTAssertEqual(DisplayWidth.wrap("aa bb cc", width: 5), ["aa bb", "cc"])
    XCTAssertEqual(DisplayWidth.wrap("abcdefgh xy", width: 4), ["abcd", "efgh", "xy"])
    XCTAssertEqual(DisplayWidth.wrap("one\ntwo", width: 10), ["one", "two"])
    XCTAssertEqual(DisplayWidth.wrap("東京都 x", width: 4), ["東京", "都 x"])
  }

  func testFacetCountsAColumnsValuesAndTurnsPicksIntoAFilterOrAMapping() throws {
    let app = try makeApp()
    app.handle(.char("l"))  // country: US, ∅, US, DE, FR, ∅
    app.handle(.char("f"))
    XCTAssertEqual(app.modeName, "facet country")
    guard case .facet(var facet) = app.mode else { return XCTFail("no facet") }
    XCTAssertEqual(facet.entries.map(\.value), ["US", nil, "DE", "FR"])
    XCTAssertEqual(facet.entries.map(\.count), [2, 2, 1, 1])
    facet.toggleOrder()
    XCTAssertEqual(facet.entries.map(\.value), ["DE", "FR", "US", nil])
    XCTAssertTrue(app.screen().lines.contains { $0.contains("country: 4 values in 6 rows, by count") })
    // Pick US and DE; Enter previews the filter keeping their rows; Esc leaves the recipe alone.
    app.handle(.char(" "))
    app.handle(.char("j"))
    app.handle(.char("j"))
    app.handle(.char(" "))
    app.handle(.enter)
    XCTAssertEqual(app.modeName, "preview")
    XCTAssertEqual(app.bench.draft?.step?.summary, "filter where country in (US, DE)")
    XCTAssertEqual(app.bench.shown.batch.rowCount, 3)
    app.handle(.escape)
    XCTAssertEqual(app.bench.recipe.steps.count, 0)
    // m: the first picked value replaces the others, as a map_values step.
    app.handle(.char("f"))
    app.handle(.char(" "))  // US
    app.handle(.char("j"))
    app.handle(.char("j"))
    app.handle(.char(" "))  // DE
    app.handle(.char("m"))
    XCTAssertEqual(app.modeName, "preview")
    XCTAssertEqual(app.bench.draft?.step?.summary, "map_values country (1 value)")
    app.handle(.enter)
    XCTAssertEqual(column("country", of: app.bench.shown), ["US", "", "US", "US", "FR", ""])
    // The null entry filters on nulls; m with fewer than two picks says what it needs.
    app.handle(.char("f"))
    app.handle(.char("j"))
    app.handle(.char("m"))
    XCTAssertEqual(
      app.bench.message, "pick two or more values with Space: the first picked replaces the others")
    app.handle(.char("f"))
    XCTAssertEqual(app.bench.draft?.step?.summary, "filter where country is null")
  }

  func testClusterKeysMatchNearIdenticalValues() {
    let fp = { Clusters.key($0, .fingerprint) }
    XCTAssertEqual(fp("Acme Inc."), "acme inc")
    XCTAssertEqual(fp("ACME inc"), "acme inc")
    XCTAssertEqual(fp("inc, acme"), "acme inc")
    XCTAssertEqual(fp("Café  Olé"), fp("cafe ole"))
    XCTAssertNotEqual(fp("Acme"), fp("A cme"))
    XCTAssertEqual(Clusters.key("Acme", .ngram), Clusters.key("A cme", .ngram))
    XCTAssertEqual(Clusters.key("ab", .ngram), "ab")
  }

  func testClustersBecomeOneMapValuesStepWithTheChosenValues() throws {
    let rows = ["Acme Inc.", "ACME inc", "acme, inc", "Acme Inc.", "Globex", "globex", "Initech"]
    let app = try makeApp(
      "id,company\n" + rows.enumerated().map { "\($0.offset),\"\($0.element)\"" }.joined(separator: "\n")
        + "\n",
      name: "co.csv")
    app.handle(.char("l"))
    app.handle(.char("C"))
    XCTAssertEqual(app.modeName, "clusters company")
    guard case .clusters(let c, _) = app.mode else { return XCTFail("no clusters") }
    XCTAssertEqual(
      c.clusters.map { $0.values.map(\.value) },
      [["Acme Inc.", "ACME inc", "acme, inc"], ["Globex", "globex"]])
    XCTAssertEqual(c.clusters.map(\.canonical), ["Acme Inc.", "Globex"])
    // The second cluster's value is typed; the first keeps its most common value.
    app.handle(.char("j"))
    app.handle(.char("e"))
    app.type("Globex Corp")
    app.handle(.enter)
    app.handle(.enter)
    XCTAssertEqual(app.modeName, "preview")
    XCTAssertEqual(app.bench.draft?.step?.summary, "map_values company (4 values)")
    app.handle(.enter)
    XCTAssertEqual(
      column("company", of: app.bench.shown),
      ["Acme Inc.", "Acme Inc.", "Acme Inc.", "Acme Inc.", "Globex Corp", "Globex Corp", "Initech"])
    // Nothing left to cluster: it says so, and suggests the other method.
    app.handle(.char("C"))
    XCTAssertEqual(app.modeName, "normal")
    XCTAssertTrue(app.bench.message?.hasPrefix("no values of company cluster by fingerprint") ?? false)
  }

  func testSetChangesHowTheInputIsReadAndTheRecipeSavesIt() throws {
    let dir = try scratch()
    let app = try makeApp("id;v;w\na;NA;1\nb;x;2\nc;-;3\n", name: "semi.csv")
    XCTAssertEqual(app.bench.shown.schema.names, ["id", "v", "w"])
    app.command(#"set null_values NA,-,"""#)
    XCTAssertEqual(app.bench.recipe.input.nullValues, ["NA", "-", ""])
    XCTAssertEqual(app.bench.nullValues.isNull(bytes: Array("NA".utf8)), true)
    XCTAssertTrue(
      app.bench.message?.hasPrefix(#"input: null values NA, -, "" — the sample was read again"#) ?? false,
      app.bench.message ?? "")
    XCTAssertEqual(app.screen().style(row: 3, column: 8), .null)
    app.command("set header false")
    XCTAssertEqual(app.bench.shown.schema.names, ["column_1", "column_2", "column_3"])
    XCTAssertEqual(app.bench.shown.batch.rowCount, 4)
    app.command("set header true")
    XCTAssertEqual(app.bench.message, "input: header on — the sample was read again (3 rows)")
    // A value already in effect is no change (and no undo step).
    app.command("set header yes")
    XCTAssertEqual(app.bench.message, "input settings unchanged")
    app.command("set header maybe")
    XCTAssertEqual(app.bench.message, "header: use yes or no, not \"maybe\"")
    XCTAssertTrue(app.bench.messageIsError)
    app.command("set delimter ,")
    XCTAssertEqual(
      app.bench.message,
      "unknown setting \"delimter\" (null_values, delimiter, header, encoding, ragged); did you mean delimiter?"
    )
    // The sample is chosen here too, and a head sample says so.
    app.command("sample first 2")
    XCTAssertEqual(app.bench.shown.batch.rowCount, 2)
    XCTAssertTrue(
      app.screen().lines.contains { $0.contains("first 2 rows (head of the file; :sample random N)") })
    app.command("sample sideways 2")
    XCTAssertEqual(app.bench.message, "usage: :sample first N · :sample random N [SEED]")
    // i opens the settings in a form (InputFormTests); Esc leaves them.
    app.handle(.char("i"))
    XCTAssertEqual(app.modeName, "input form")
    app.handle(.escape)
    app.command("w \(dir.path("r.json"))")
    let saved = try Recipe.decode(try XCTUnwrap(dir.read("r.json")))
    XCTAssertEqual(saved.input.nullValues, ["NA", "-", ""])
    XCTAssertEqual(saved.input.header, true)
    XCTAssertEqual(saved.input.delimiter, ";")
  }

  func testFacetOverTheWholeFileCountsInTheBackgroundThroughTheShownSteps() throws {
    let app = try makeApp()
    app.command("filter where=\"country != FR\"")
    app.handle(.enter)
    app.handle(.char("l"))
    app.handle(.char("f"))
    app.handle(.char("a"))
    XCTAssertTrue(app.isBusy)
    let deadline = Date().addingTimeInterval(10)
    while app.isBusy && Date() < deadline {
      app.tick()
      Thread.sleep(forTimeInterval: 0.01)
    }
    guard case .facet(let facet) = app.mode else { return XCTFail("no facet: \(app.modeName)") }
    XCTAssertTrue(facet.wholeFile)
    XCTAssertEqual(facet.rows, 5)
    XCTAssertEqual(facet.entries.map(\.value), ["US", nil, "DE"])
    XCTAssertEqual(app.bench.message, "facet of the whole file: 3 values in 5 rows")
  }

  func testClustersOverTheWholeFileAreCountedInTheBackground() throws {
    let rows = ["Acme Inc.", "ACME inc", "acme, inc", "Acme Inc.", "Globex", "globex"]
    let app = try makeApp(
      "id,company\n" + rows.enumerated().map { "\($0.offset),\"\($0.element)\"" }.joined(separator: "\n")
        + "\n",
      name: "co.csv")
    app.handle(.char("l"))
    app.handle(.char("C"))
    app.handle(.char("a"))
    let deadline = Date().addingTimeInterval(10)
    while app.isBusy && Date() < deadline {
      app.tick()
      Thread.sleep(forTimeInterval: 0.01)
    }
    guard case .clusters(let c, _) = app.mode else { return XCTFail("no clusters: \(app.modeName)") }
    XCTAssertTrue(c.wholeFile)
    XCTAssertEqual(c.clusters.map(\.canonical), ["Acme Inc.", "Globex"])
    XCTAssertEqual(c.clusters[0].values.map(\.count), [2, 1, 1])
    XCTAssertEqual(app.bench.message, "clusters of the whole file (6 rows)")
  }

  func testSlashSearchesAndNNFindNextAndPrevious() throws {
    let app = try makeApp()
    app.handle(.char("/"))
    app.type("berlin")
    app.handle(.enter)
    XCTAssertEqual([app.bench.row, app.bench.column], [1, 4])
    app.handle(.char("n"))
    XCTAssertEqual([app.bench.row, app.bench.column], [4, 4])
    app.handle(.char("N"))
    XCTAssertEqual([app.bench.row, app.bench.column], [1, 4])
  }

  func testCursorKeys() throws {
    let app = try makeApp()
    app.handle(.char("G"))
    XCTAssertEqual(app.bench.row, 5)
    app.handle(.char("g"))
    XCTAssertEqual(app.bench.row, 0)
    app.handle(.char("$"))
    XCTAssertEqual(app.bench.column, 4)
    app.handle(.char("0"))
    XCTAssertEqual(app.bench.column, 0)
    app.handle(.down)
    app.handle(.char("l"))
    XCTAssertEqual([app.bench.row, app.bench.column], [1, 1])
    app.handle(.up)
    app.handle(.left)
    XCTAssertEqual([app.bench.row, app.bench.column], [0, 0])
  }

  func testUnboundKeySaysSo() throws {
    let app = try makeApp()
    app.handle(.char("z"))
    XCTAssertEqual(app.bench.message, "z is not bound here; ? shows the keys")
  }

  func testPTogglesTheSidePanel() throws {
    let app = try makeApp()
    XCTAssertTrue(app.showPanel)
    XCTAssertEqual(app.screen().column(of: "│", row: 3), 79)
    app.handle(.char("p"))
    XCTAssertFalse(app.showPanel)
    XCTAssertNil(app.screen().column(of: "│", row: 3))
  }

  func testResizeIsAnOrdinaryEvent() throws {
    let app = try makeApp()
    app.command("dedupe event_id")
    app.handle(.resize)
    XCTAssertEqual(app.modeName, "preview")
    XCTAssertEqual(
      app.screen(width: 60, height: 12).trimmed(0), " decant — events.csv — unsaved recipe — preview")
  }

  func testTooSmallAWindowSaysSo() throws {
    let app = try makeApp()
    XCTAssertEqual(app.screen(width: 19, height: 8).trimmed(0), "window too small")
  }

  func testEveryBoundCommandRuns() throws {
    for command in Set(Keymap.bindings.map(\.command)) {
      let app = try makeApp()
      addTwoSteps(app)
      app.run(command: command)
      XCTAssertNotEqual(app.bench.message, "unknown command \(command)", command)
    }
  }

  func testAStepThatRejectsEveryRowLeavesAnEmptyGrid() throws {
    let app = try makeApp()
    app.command("normalize_timezone event_id UTC")
    XCTAssertEqual(
      app.bench.message,
      "preview of normalize_timezone event_id UTC → UTC: 0 cells change, 6 rows rejected — Enter applies, Esc cancels, v shows rows"
    )
    app.handle(.enter)
    XCTAssertEqual(app.bench.describe(0), "normalize_timezone event_id UTC → UTC — 6 rejected")
    XCTAssertEqual(app.bench.shown.batch.rowCount, 0)
    for key in [Key.char("j"), .char("G"), .char("$"), .char("n"), .pageDown] { app.handle(key) }
    let screen = app.screen()
    XCTAssertEqual(screen.column(of: "event_id", row: 1), 2)
    XCTAssertEqual(
      String(screen.lines[2].prefix(79)).replacingOccurrences(
        of: " +$", with: "", options: .regularExpression),
      // normalize_timezone's ISO output types event_id a timestamp.
      "  timestamp ~empty  ~empty     ~empty     ~empty")
    XCTAssertEqual(String(screen.lines[3].prefix(79)).trimmingCharacters(in: .whitespaces), "")
  }

  func testARandomSampleIsDrawnInTheBackgroundAndEveryStepRecomputed() throws {
    let app = try makeApp()
    app.command("dedupe event_id")
    app.handle(.enter)
    app.startRandomSample(.random(3, seed: 7))
    let deadline = Date().addingTimeInterval(30)
    while app.isBusy && Date() < deadline {
      app.tick()
      Thread.sleep(forTimeInterval: 0.01)
    }
    XCTAssertFalse(app.isBusy)
    XCTAssertEqual(app.bench.message, "random sample: 3 of 6 rows")
    XCTAssertEqual(app.bench.sample.spec, .random(3, seed: 7))
    let sampleLines = app.bench.sample.batch.lines
    XCTAssertEqual(sampleLines.count, 3)
    XCTAssertEqual(sampleLines, sampleLines.sorted())
    let ids = sampleLines.map { ["E1", "E2", "E1", "E3", "E2", "E4"][$0 - 2] }
    var seen = Set<String>()
    XCTAssertEqual(
      app.bench.shown.batch.lines, zip(sampleLines, ids).filter { seen.insert($0.1).inserted }.map(\.0))
    XCTAssertTrue(app.screen().trimmed(28).hasPrefix(" random 3 of 6 rows (seed 7) │ row "))
  }

  func testLoadingARecipeThatIsNotJSONSaysWhere() throws {
    let dir = try scratch()
    let path = try dir.write("bad.json", "{\"decant_recipe\": 1,\n  steps: []}")
    let app = try makeApp()
    app.command("load \(path)")
    XCTAssertEqual(
      app.bench.message, "\(path): not valid JSON at line 2, column 3: expected a quoted key but found 's'")
    XCTAssertTrue(app.bench.messageIsError)
    XCTAssertEqual(app.bench.recipe.steps.count, 0)
  }

  // MARK: Running

  func testRunWritesTheFullFileAndShowsTheSummary() throws {
    let app = try makeApp()
    app.command("dedupe event_id")
    app.handle(.enter)
    app.handle(.char("R"))
    let output = (app.bench.path as NSString).deletingPathExtension + ".clean.csv"
    XCTAssertEqual(app.modeName, "prompt run to: \(output)")
    app.handle(.enter)
    XCTAssertTrue(app.isBusy)
    let deadline = Date().addingTimeInterval(30)
    while app.isBusy && Date() < deadline {
      app.tick()
      Thread.sleep(forTimeInterval: 0.01)
    }
    XCTAssertFalse(app.isBusy)
    XCTAssertEqual(app.modeName, "summary Run finished")
    XCTAssertEqual(app.bench.message, "ran the recipe: 4 rows to \(output)")
    XCTAssertEqual(
      try String(contentsOfFile: output, encoding: .utf8),
      """
      event_id,country,Amount USD,event_time,tz
      E1,US,10.5,2024-03-10 02:30:00,America/New_York
      E2,,20,2024-01-15 12:00:00,Europe/Berlin
      E3,DE,,2024-11-03 01:30:00,America/New_York
      E4,,7,2024-06-01 08:00:00,UTC

      """)
    app.handle(.char("x"))
    XCTAssertEqual(app.modeName, "normal")
  }
}
