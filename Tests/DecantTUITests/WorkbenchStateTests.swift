import DecantCore
import XCTest

@testable import DecantTUI

/// The session state without a terminal: the recipe and its undo history, the
/// data as of each step (cached), drafts with previews, search and saving.
final class WorkbenchStateTests: XCTestCase {
  func step(_ line: String) throws -> Step { try commandStep(line) }

  func recipeText(_ bench: Workbench) -> String { bench.recipe.json.compactText }

  // MARK: The sample

  func testNewWorkbenchShowsTheSampleWithAnEmptyRecipe() throws {
    let bench = try makeBench()
    XCTAssertEqual(bench.recipe.steps.count, 0)
    XCTAssertFalse(bench.isDirty)
    XCTAssertEqual(bench.recipe.name, "clean-events")
    XCTAssertEqual(bench.shown.schema.names, Fixture.eventColumns)
    XCTAssertEqual(bench.shown.batch.rowCount, 6)
    XCTAssertEqual(bench.shown.batch.lines, [2, 3, 4, 5, 6, 7])
    XCTAssertNil(bench.shown.changes)
    XCTAssertNil(bench.shown.error)
    XCTAssertEqual(column("country", of: bench.shown), ["US", "", "US", "DE", "FR", ""])
  }

  // MARK: Recipe edits and undo/redo

  func testAddAppendsAndDescribesTheStep() throws {
    let bench = try makeBench()
    bench.add(try step(":dedupe event_id"))
    XCTAssertEqual(bench.recipe.steps.count, 1)
    XCTAssertTrue(bench.isDirty)
    XCTAssertEqual(bench.message, "added step 1: dedupe event_id — 2 removed")
    XCTAssertEqual(bench.selectedStep, 0)
    XCTAssertEqual(bench.shown.batch.lines, [2, 3, 5, 7])
  }

  func testDescribeSaysWhatEachStepDid() throws {
    let bench = try makeBench()
    bench.add(try step(":dedupe event_id"))
    bench.add(try step(":fill_null country ZZ"))
    bench.add(try step(#":fill_null "Amount USD" strategy=median"#))
    bench.add(try step(":normalize_timezone event_time @tz"))
    bench.add(try step(":dedupe"))
    XCTAssertEqual(
      (0..<5).map(bench.describe),
      [
        "dedupe event_id — 2 removed",
        "fill_null country with ZZ — 2 cells changed",
        #"fill_null "Amount USD" by median — 1 cell changed"#,
        "normalize_timezone event_time zone in tz → UTC — 4 cells changed",
        "dedupe whole rows — no change",
      ])
  }

  func testDescribeCountsRejectedRows() throws {
    let bench = try makeBench()
    bench.add(try step(":normalize_timezone event_time @tz nonexistent=reject"))
    XCTAssertEqual(
      bench.describe(0), "normalize_timezone event_time zone in tz → UTC — 2 rejected, 4 cells changed")
    XCTAssertEqual(bench.shown.dropped.map(\.line), [2, 4])
    XCTAssertEqual(
      column("event_time", of: bench.shown),
      ["2024-01-15T11:00:00Z", "2024-11-03T05:30:00Z", "2024-01-15T11:00:00Z", "2024-06-01T08:00:00Z"])
  }

  func testFillNextKeepsRowsItHoldsBackInOrder() throws {
    let bench = try makeBench()
    bench.add(try step(":fill_null country strategy=next"))
    XCTAssertEqual(bench.describe(0), "fill_null country by next — 1 cell changed")
    XCTAssertEqual(bench.shown.batch.lines, [2, 3, 4, 5, 6, 7])
    XCTAssertEqual(column("country", of: bench.shown), ["US", "US", "US", "DE", "FR", ""])
    XCTAssertEqual(bench.shown.changes?.cells, [1 * 5 + 1])
  }

  func testDescribeOfADisabledStep() throws {
    let bench = try makeBench()
    bench.add(try step(":dedupe event_id"))
    bench.toggle(at: 0)
    XCTAssertEqual(bench.describe(0), "dedupe event_id — disabled")
    XCTAssertEqual(bench.message, "disabled step 1")
    XCTAssertEqual(bench.shown.batch.rowCount, 6)
    XCTAssertNil(bench.shown.changes)
    bench.toggle(at: 0)
    XCTAssertEqual(bench.message, "enabled step 1")
    XCTAssertEqual(bench.shown.batch.rowCount, 4)
  }

  func testUndoSaysWhichChangeItUndid() throws {
    let bench = try makeBench()
    bench.add(try step(":dedupe event_id"))
    bench.add(try step(":fill_null country ZZ"))
    bench.move(at: 1, by: -1)
    bench.undo()
    XCTAssertEqual(bench.message, "undid: move step 1 (fill_null country with ZZ) (2 steps now)")
    bench.toggle(at: 1)
    bench.undo()
    XCTAssertEqual(bench.message, "undid: disable step 2 (fill_null country with ZZ) (2 steps now)")
    bench.replace(at: 1, with: try step(":fill_null country XX"))
    bench.undo()
    XCTAssertEqual(bench.message, "undid: edit step 2 (fill_null country with XX) (2 steps now)")
    bench.delete(at: 0)
    bench.undo()
    XCTAssertEqual(bench.message, "undid: delete step 1 (dedupe event_id) (2 steps now)")
    bench.redo()
    XCTAssertEqual(bench.message, "redid: delete step 1 (dedupe event_id) (1 step now)")
  }

  func testUndoAndRedoOfAdd() throws {
    let bench = try makeBench()
    let empty = recipeText(bench)
    bench.add(try step(":dedupe event_id"))
    let one = recipeText(bench)
    bench.undo()
    XCTAssertEqual(recipeText(bench), empty)
    XCTAssertEqual(bench.message, "undid: add step 1 (dedupe event_id) (0 steps now)")
    XCTAssertEqual(bench.shown.batch.rowCount, 6)
    XCTAssertTrue(bench.canRedo)
    bench.redo()
    XCTAssertEqual(recipeText(bench), one)
    XCTAssertEqual(bench.message, "redid: add step 1 (dedupe event_id) (1 step now)")
    XCTAssertEqual(bench.shown.batch.rowCount, 4)
    XCTAssertFalse(bench.canRedo)
  }

  func testUndoAndRedoOfReplace() throws {
    let bench = try makeBench()
    bench.add(try step(":fill_null country ZZ"))
    let before = recipeText(bench)
    bench.replace(at: 0, with: try step(":fill_null country XX"))
    XCTAssertEqual(bench.message, "changed step 1: fill_null country with XX — 2 cells changed")
    let after = recipeText(bench)
    XCTAssertEqual(column("country", of: bench.shown), ["US", "XX", "US", "DE", "FR", "XX"])
    bench.undo()
    XCTAssertEqual(recipeText(bench), before)
    XCTAssertEqual(column("country", of: bench.shown), ["US", "ZZ", "US", "DE", "FR", "ZZ"])
    bench.redo()
    XCTAssertEqual(recipeText(bench), after)
    XCTAssertEqual(column("country", of: bench.shown), ["US", "XX", "US", "DE", "FR", "XX"])
  }

  func testUndoAndRedoOfDelete() throws {
    let bench = try makeBench()
    bench.add(try step(":dedupe event_id"))
    bench.add(try step(":fill_null country ZZ"))
    let before = recipeText(bench)
    bench.delete(at: 0)
    XCTAssertEqual(bench.message, "deleted step 1: dedupe event_id")
    XCTAssertEqual(bench.recipe.steps.map(\.op), ["fill_null"])
    XCTAssertEqual(bench.shown.batch.rowCount, 6)
    let after = recipeText(bench)
    bench.undo()
    XCTAssertEqual(recipeText(bench), before)
    XCTAssertEqual(bench.shown.batch.rowCount, 4)
    bench.redo()
    XCTAssertEqual(recipeText(bench), after)
  }

  func testUndoAndRedoOfMove() throws {
    let bench = try makeBench()
    bench.add(try step(":dedupe event_id"))
    bench.add(try step(":fill_null country ZZ"))
    let before = recipeText(bench)
    bench.move(at: 1, by: -1)
    XCTAssertEqual(bench.message, "moved step to position 1")
    XCTAssertEqual(bench.recipe.steps.map(\.op), ["fill_null", "dedupe"])
    XCTAssertEqual(bench.selectedStep, 0)
    let after = recipeText(bench)
    bench.undo()
    XCTAssertEqual(recipeText(bench), before)
    bench.redo()
    XCTAssertEqual(recipeText(bench), after)
  }

  func testMovePastEitherEndDoesNothing() throws {
    let bench = try makeBench()
    bench.add(try step(":dedupe event_id"))
    bench.add(try step(":fill_null country ZZ"))
    let before = recipeText(bench)
    bench.move(at: 0, by: -1)
    bench.move(at: 1, by: 1)
    XCTAssertEqual(recipeText(bench), before)
    bench.undo()
    XCTAssertEqual(bench.recipe.steps.map(\.op), ["dedupe"])
  }

  func testUndoAndRedoOfToggle() throws {
    let bench = try makeBench()
    bench.add(try step(":dedupe event_id"))
    let before = recipeText(bench)
    bench.toggle(at: 0)
    XCTAssertFalse(bench.recipe.steps[0].enabled)
    XCTAssertEqual(
      bench.recipe.steps[0].json.compactText,
      #"{"op":"dedupe","columns":["event_id"],"keep":"first","enabled":false}"#)
    let after = recipeText(bench)
    bench.undo()
    XCTAssertEqual(recipeText(bench), before)
    XCTAssertEqual(bench.shown.batch.rowCount, 4)
    bench.redo()
    XCTAssertEqual(recipeText(bench), after)
    XCTAssertEqual(bench.shown.batch.rowCount, 6)
  }

  func testAnEditAfterUndoClearsRedo() throws {
    let bench = try makeBench()
    bench.add(try step(":dedupe event_id"))
    bench.undo()
    bench.add(try step(":fill_null country ZZ"))
    XCTAssertFalse(bench.canRedo)
    bench.redo()
    XCTAssertEqual(bench.message, "nothing to redo")
    XCTAssertEqual(bench.recipe.steps.map(\.op), ["fill_null"])
  }

  func testUndoWithNothingToUndoSaysSo() throws {
    let bench = try makeBench()
    XCTAssertFalse(bench.canUndo)
    bench.undo()
    XCTAssertEqual(bench.message, "nothing to undo")
    XCTAssertFalse(bench.isDirty)
  }

  func testEditsOutOfRangeAreIgnored() throws {
    let bench = try makeBench()
    bench.add(try step(":dedupe event_id"))
    let before = recipeText(bench)
    bench.delete(at: 5)
    bench.toggle(at: -1)
    bench.replace(at: 1, with: try step(":dedupe"))
    XCTAssertEqual(recipeText(bench), before)
    bench.undo()
    XCTAssertEqual(bench.recipe.steps.count, 0)
  }

  func testIsDirtyAfterEditsAndCleanAfterSave() throws {
    let dir = try scratch()
    let bench = try makeBench()
    XCTAssertFalse(bench.isDirty)
    bench.add(try step(":dedupe event_id"))
    XCTAssertTrue(bench.isDirty)
    try bench.save(to: dir.path("r.json"))
    XCTAssertFalse(bench.isDirty)
    bench.toggle(at: 0)
    XCTAssertTrue(bench.isDirty)
  }

  // MARK: Input settings

  func testNewInputSettingsAreOneUndoableChangeAndTheUndoReadsTheSampleAsBefore() throws {
    let dir = try scratch()
    let path = try dir.write("semi.csv", "a;b\nNA;2\n3;NA\n")
    let bench = Workbench(path: path, sample: try Sampler.first(100, path: path))
    bench.add(try step(":fill_null a 0"))
    XCTAssertEqual(column("a", of: bench.shown), ["NA", "3"])
    var settings = bench.recipe.input
    settings.nullValues = ["NA", ""]
    settings.delimiter = ","
    bench.setInput(settings, sample: try Sampler.first(100, path: path, settings: settings))
    XCTAssertEqual(bench.sample.schema.names, ["a;b"])
    XCTAssertEqual(bench.recipe.input.delimiter, ",")
    XCTAssertNotNil(bench.shown.error, "the step's column is gone with this delimiter")

    bench.undo()
    XCTAssertEqual(bench.message, #"undid: input: null values NA, ""; delimiter , (1 step now)"#)
    XCTAssertEqual(bench.recipe.input.delimiter, ";")
    XCTAssertEqual(bench.sample.schema.names, ["a", "b"], "the sample is read with ; again")
    XCTAssertEqual(bench.recipeToSave.input.delimiter, ";")
    XCTAssertEqual(column("a", of: bench.shown), ["NA", "3"])
    bench.undo()
    XCTAssertEqual(bench.recipe.steps.count, 0)
    bench.redo()
    bench.redo()
    XCTAssertEqual(bench.sample.schema.names, ["a;b"])
    XCTAssertEqual(bench.message, #"redid: input: null values NA, ""; delimiter , (1 step now)"#)
  }

  func testLoadingARecipeReadsTheSampleWithItsInputSettingsAndUndoReadsItBack() throws {
    let dir = try scratch()
    let path = try dir.write("semi.csv", "a;b\nNA;2\n3;NA\n")
    let bench = Workbench(path: path, sample: try Sampler.first(100, path: path))
    XCTAssertEqual(bench.sample.schema.names, ["a", "b"])
    var loaded = Recipe()
    loaded.input.delimiter = ","
    loaded.input.header = false
    bench.load(loaded, from: "other.recipe.json")
    XCTAssertEqual(bench.sample.batch.rowCount, 3, "the header line is a row without a header")
    XCTAssertEqual(bench.sample.schema.count, 1, "one column with , as the delimiter")
    bench.undo()
    XCTAssertEqual(bench.sample.schema.names, ["a", "b"])
    XCTAssertEqual(bench.sample.batch.rowCount, 2)
  }

  func testUndoingNullValuesRecomputesTheStepsWithTheValuesBefore() throws {
    let dir = try scratch()
    let path = try dir.write("d.csv", "a\nNA\n3\n")
    let bench = Workbench(path: path, sample: try Sampler.first(100, path: path))
    bench.add(try step(":fill_null a 0"))
    XCTAssertEqual(column("a", of: bench.shown), ["NA", "3"])
    var settings = bench.recipe.input
    settings.nullValues = ["NA"]
    bench.setInput(settings, sample: bench.sample)
    XCTAssertEqual(column("a", of: bench.shown), ["0", "3"])
    bench.undo()
    XCTAssertEqual(column("a", of: bench.shown), ["NA", "3"], "not the cached table of the NA setting")
  }

  // MARK: Viewing the data as of a step

  func testViewStepShowsTheDataAsOfThatStep() throws {
    let bench = try makeBench()
    bench.add(try step(":dedupe event_id"))
    bench.add(try step(":fill_null country ZZ"))
    XCTAssertNil(bench.viewStep)
    XCTAssertEqual(column("country", of: bench.shown), ["US", "ZZ", "DE", "ZZ"])
    bench.viewStep = 0
    XCTAssertEqual(column("country", of: bench.shown), ["US", "", "DE", ""])
    XCTAssertEqual(bench.shown.counts?.rowsRemoved, 2)
    bench.viewStep = -1
    XCTAssertEqual(column("country", of: bench.shown), ["US", "", "US", "DE", "FR", ""])
    XCTAssertNil(bench.shown.counts)
    bench.viewStep = 7
    XCTAssertEqual(column("country", of: bench.shown), ["US", "ZZ", "DE", "ZZ"])
  }

  func testDeletingTheViewedLastStepViewsTheNewLast() throws {
    let bench = try makeBench()
    bench.add(try step(":dedupe event_id"))
    bench.add(try step(":fill_null country ZZ"))
    bench.viewStep = 1
    bench.delete(at: 1)
    XCTAssertNil(bench.viewStep)
    XCTAssertEqual(bench.shown.batch.rowCount, 4)
    XCTAssertEqual(column("country", of: bench.shown), ["US", "", "DE", ""])
  }

  func testCursorStaysInsideTheShownTable() throws {
    let bench = try makeBench()
    bench.jump(toRow: 5)
    bench.jump(toColumn: 99)
    XCTAssertEqual([bench.row, bench.column], [5, 4])
    bench.add(try step(":dedupe event_id"))
    XCTAssertEqual([bench.row, bench.column], [3, 4])
    bench.moveCursor(rows: -10, columns: -10)
    XCTAssertEqual([bench.row, bench.column], [0, 0])
  }

  // MARK: Caching

  func testAnEditAtStepKReevaluatesOnlyStepsFromK() throws {
    let bench = try makeBench()
    bench.add(try step(":dedupe event_id"))
    bench.add(try step(":fill_null country ZZ"))
    bench.add(try step(":normalize_timezone event_time @tz"))
    _ = bench.shown
    XCTAssertEqual(bench.evaluationCount, 3)

    // Looking again, or at earlier steps, evaluates nothing.
    for v in [nil, 0, 1, 2, -1] as [Int?] {
      bench.viewStep = v
      _ = bench.shown
    }
    bench.viewStep = nil
    XCTAssertEqual(bench.evaluationCount, 3)

    bench.replace(at: 1, with: try step(":fill_null country XX"))
    _ = bench.shown
    XCTAssertEqual(bench.evaluationCount, 5)

    bench.toggle(at: 2)
    _ = bench.shown
    XCTAssertEqual(bench.evaluationCount, 6)

    bench.undo()  // back to step 3 enabled: only step 3 again
    _ = bench.shown
    XCTAssertEqual(bench.evaluationCount, 7)

    bench.delete(at: 0)  // everything after the first step moves: both remaining steps again
    _ = bench.shown
    XCTAssertEqual(bench.evaluationCount, 9)

    bench.add(try step(":dedupe"))
    _ = bench.shown
    XCTAssertEqual(bench.evaluationCount, 10)
  }

  func testAPreviewEvaluatesOnlyTheDraftedStep() throws {
    let bench = try makeBench()
    bench.add(try step(":dedupe event_id"))
    bench.add(try step(":fill_null country ZZ"))
    _ = bench.shown
    let before = bench.evaluationCount
    bench.setDraft(try step(":dedupe"))
    XCTAssertEqual(bench.evaluationCount, before + 1)
    bench.cancelDraft()
    _ = bench.shown
    XCTAssertEqual(bench.evaluationCount, before + 1)
  }

  // MARK: Drafts and previews

  func testDraftPreviewCountsRemovedRowsWithoutChangingTheRecipe() throws {
    let bench = try makeBench()
    bench.setDraft(try step(":dedupe event_id"))
    let preview = try XCTUnwrap(bench.draft?.preview)
    XCTAssertNil(bench.draft?.problem)
    XCTAssertEqual(preview.counts?.rowsIn, 6)
    XCTAssertEqual(preview.counts?.rowsOut, 4)
    XCTAssertEqual(preview.counts?.rowsRemoved, 2)
    XCTAssertEqual(preview.changes?.changedCellCount, 0)
    XCTAssertEqual(preview.dropped.map(\.line), [4, 6])
    // Each removed row names the row kept in its place, and shows its cells.
    XCTAssertEqual(
      preview.dropped.map(\.reason),
      ["removed by dedupe: a repeat of line 2", "removed by dedupe: a repeat of line 3"])
    XCTAssertEqual(preview.dropped[0].cells.first, bench.sample.batch.string(row: 2, column: 0))
    XCTAssertEqual(preview.dropped[0].cells.count, 5)
    XCTAssertEqual(bench.shown.batch.lines, [2, 3, 5, 7])
    XCTAssertEqual(bench.recipe.steps.count, 0)
    XCTAssertFalse(bench.isDirty)
  }

  func testDraftChangeMapMarksFilledCells() throws {
    let bench = try makeBench()
    bench.setDraft(try step(":fill_null country ZZ"))
    let changes = try XCTUnwrap(bench.draft?.preview?.changes)
    XCTAssertEqual(changes.columnCount, 5)
    XCTAssertEqual(changes.cells, [1 * 5 + 1, 5 * 5 + 1])
    XCTAssertEqual(changes.headers, [])
    XCTAssertTrue(changes.isChanged(row: 1, column: 1))
    XCTAssertTrue(changes.isChanged(row: 5, column: 1))
    XCTAssertFalse(changes.isChanged(row: 0, column: 1))
    XCTAssertFalse(changes.isChanged(row: 1, column: 0))
  }

  func testDraftChangeMapMarksRenamedHeaders() throws {
    let bench = try makeBench()
    bench.setDraft(try step(#":rename "Amount USD" amount_usd tz zone"#))
    let preview = try XCTUnwrap(bench.draft?.preview)
    XCTAssertEqual(preview.schema.names, ["event_id", "country", "amount_usd", "event_time", "zone"])
    XCTAssertEqual(preview.changes?.headers, [2, 4])
    XCTAssertEqual(preview.changes?.cells, [])
  }

  func testDraftOnAnEarlierStepReplacingItPreviewsOnThatStepsInput() throws {
    let bench = try makeBench()
    bench.add(try step(":dedupe event_id"))
    bench.add(try step(":fill_null country ZZ"))
    bench.setDraft(try step(":dedupe"), replacing: 0)
    XCTAssertEqual(bench.draft?.preview?.batch.lines, [2, 3, 5, 6, 7])
    XCTAssertTrue(bench.applyDraft())
    XCTAssertNil(bench.draft)
    XCTAssertEqual(
      bench.recipe.steps.map { $0.operation.summary }, ["dedupe whole rows", "fill_null country with ZZ"])
    XCTAssertEqual(column("country", of: bench.shown), ["US", "ZZ", "DE", "FR", "ZZ"])
  }

  func testApplyDraftAddsTheStepAndCancelLeavesNoTrace() throws {
    let bench = try makeBench()
    bench.setDraft(try step(":fill_null country ZZ"))
    XCTAssertTrue(bench.applyDraft())
    XCTAssertEqual(bench.recipe.steps.count, 1)
    XCTAssertEqual(bench.message, "added step 1: fill_null country with ZZ — 2 cells changed")
    bench.setDraft(try step(":dedupe event_id"))
    bench.cancelDraft()
    XCTAssertNil(bench.draft)
    XCTAssertEqual(bench.recipe.steps.count, 1)
    XCTAssertEqual(bench.shown.batch.rowCount, 6)
  }

  func testAnIncompleteDraftCannotBeApplied() throws {
    let bench = try makeBench()
    bench.setDraft(nil, problem: "columns is required")
    XCTAssertFalse(bench.applyDraft())
    XCTAssertEqual(bench.message, "columns is required")
    XCTAssertTrue(bench.messageIsError)
    XCTAssertEqual(bench.recipe.steps.count, 0)
  }

  // MARK: Steps that do not fit

  func testADraftThatDoesNotFitShowsTheProblemAndCannotBeApplied() throws {
    let bench = try makeBench()
    bench.setDraft(try step(":fill_null nation ZZ"))
    let expected =
      #"step 1 (fill_null), field "columns": no column "nation" at this step (columns here: "event_id", "country", "Amount USD", "event_time", "tz")"#
    XCTAssertEqual(bench.draft?.problem, expected)
    XCTAssertNil(bench.draft?.preview)
    XCTAssertEqual(bench.shown.batch.rowCount, 6)
    XCTAssertFalse(bench.applyDraft())
    XCTAssertEqual(bench.message, expected)
    XCTAssertTrue(bench.messageIsError)
    XCTAssertEqual(bench.recipe.steps.count, 0)
  }

  func testAStepLeftWithoutItsColumnShowsAnErrorAndLaterStepsAreNotComputed() throws {
    let bench = try makeBench()
    bench.add(try step(":rename country nation"))
    bench.add(try step(":fill_null nation ZZ"))
    bench.add(try step(":dedupe event_id"))
    bench.delete(at: 0)
    XCTAssertEqual(bench.describe(0), "fill_null nation with ZZ — does not fit")
    XCTAssertEqual(bench.describe(1), "dedupe event_id — does not fit")
    XCTAssertEqual(
      bench.table(after: 0).error,
      #"step 1 (fill_null), field "columns": no column "nation" at this step (columns here: "event_id", "country", "Amount USD", "event_time", "tz")"#
    )
    XCTAssertEqual(
      bench.table(after: 1).error,
      #"not computed: an earlier step failed (step 1 (fill_null), field "columns": no column "nation" at this step (columns here: "event_id", "country", "Amount USD", "event_time", "tz"))"#
    )
    // The shown table is the last good input, and the cursor can move in it.
    XCTAssertEqual(bench.shown.batch.rowCount, 6)
    bench.jump(toRow: 99)
    XCTAssertEqual(bench.row, 5)
    bench.undo()
    XCTAssertNil(bench.shown.error)
    XCTAssertEqual(column("nation", of: bench.shown), ["US", "ZZ", "DE", "ZZ"])
  }

  // MARK: Search and columns

  func testSearchIsCaseInsensitiveAndWrapsBothWays() throws {
    let bench = try makeBench()
    XCTAssertTrue(bench.search("BERLIN"))
    XCTAssertEqual([bench.row, bench.column], [1, 4])
    XCTAssertEqual(bench.message, "/BERLIN")
    XCTAssertTrue(bench.search())
    XCTAssertEqual([bench.row, bench.column], [4, 4])
    XCTAssertTrue(bench.search())
    XCTAssertEqual([bench.row, bench.column], [1, 4])
    XCTAssertTrue(bench.search(backwards: true))
    XCTAssertEqual([bench.row, bench.column], [4, 4])
    XCTAssertTrue(bench.search("de"))
    XCTAssertEqual([bench.row, bench.column], [3, 1])
  }

  func testSearchNotFoundKeepsTheCursor() throws {
    let bench = try makeBench()
    bench.jump(toRow: 2)
    XCTAssertFalse(bench.search("zzz"))
    XCTAssertEqual([bench.row, bench.column], [2, 0])
    XCTAssertEqual(bench.message, #""zzz" not found"#)
    XCTAssertTrue(bench.messageIsError)
  }

  func testSearchWithoutAnEarlierSearchSaysHow() throws {
    let bench = try makeBench()
    XCTAssertFalse(bench.search())
    XCTAssertEqual(bench.message, "no search yet: press / to search")
  }

  func testSearchLooksAtTheShownStep() throws {
    let bench = try makeBench()
    bench.add(try step(":fill_null country ZZ"))
    XCTAssertTrue(bench.search("zz"))
    XCTAssertEqual([bench.row, bench.column], [1, 1])
    bench.viewStep = -1
    XCTAssertFalse(bench.search("zz"))
  }

  /// Case-insensitive search also for letters outside ASCII (the samples hold accents, Cyrillic, Greek).
  func testSearchIsCaseInsensitiveForNonASCIILetters() throws {
    let bench = try makeBench("name,city\nx,ÉCOLE\ny,МОСКВА\n", name: "names.csv")
    XCTAssertTrue(bench.search("école"))
    XCTAssertEqual([bench.row, bench.column], [0, 1])
    XCTAssertTrue(bench.search("москва"))
    XCTAssertEqual([bench.row, bench.column], [1, 1])
  }

  func testGoToColumnByExactCaseInsensitivePrefixOrContainedName() throws {
    let bench = try makeBench()
    XCTAssertTrue(bench.goToColumn(named: "tz"))
    XCTAssertEqual(bench.column, 4)
    XCTAssertTrue(bench.goToColumn(named: "amount usd"))
    XCTAssertEqual(bench.column, 2)
    XCTAssertTrue(bench.goToColumn(named: "event"))
    XCTAssertEqual(bench.column, 0)
    XCTAssertTrue(bench.goToColumn(named: "TIME"))
    XCTAssertEqual(bench.column, 3)
    XCTAssertFalse(bench.goToColumn(named: "zzz"))
    XCTAssertEqual(bench.column, 3)
    XCTAssertEqual(bench.message, #"no column "zzz""#)
  }

  // MARK: Saving and loading

  func testSaveWritesARecipeThatDecodesBackWithInputSettingsAndColumns() throws {
    let dir = try scratch()
    let bench = try makeBench()
    bench.add(try step(#":rename "Amount USD" amount_usd"#))
    bench.add(try step(":dedupe event_id"))
    let path = dir.path("clean.json")
    try bench.save(to: path)
    XCTAssertEqual(bench.recipePath, path)
    XCTAssertEqual(bench.message, "saved \(path) (2 steps)")
    let text = try XCTUnwrap(dir.read("clean.json"))
    let loaded = try Recipe.decode(text)
    XCTAssertEqual(loaded.name, "clean-events")
    XCTAssertEqual(loaded.steps.map(\.json), bench.recipe.steps.map(\.json))
    XCTAssertEqual(loaded.input.format, .csv)
    XCTAssertEqual(loaded.input.delimiter, ",")
    XCTAssertEqual(loaded.input.header, true)
    XCTAssertEqual(loaded.input.nullValues, [""])
    XCTAssertEqual(loaded.input.columns, Fixture.eventColumns)
    XCTAssertEqual(text, bench.recipeToSave.encoded)
    XCTAssertEqual(dir.read("clean.json"), loaded.encoded)
  }

  func testSaveAgainUsesTheSamePath() throws {
    let dir = try scratch()
    let bench = try makeBench()
    bench.add(try step(":dedupe event_id"))
    try bench.save(to: dir.path("r.json"))
    bench.add(try step(":fill_null country ZZ"))
    try bench.save()
    XCTAssertEqual(try Recipe.decode(try XCTUnwrap(dir.read("r.json"))).steps.count, 2)
    XCTAssertEqual(bench.message, "saved \(dir.path("r.json")) (2 steps)")
  }

  func testSaveWithoutAPathSaysHowToGiveOne() throws {
    let bench = try makeBench()
    XCTAssertThrowsError(try bench.save()) { error in
      XCTAssertEqual("\(error)", "no recipe file yet: give one, e.g. :write recipes/clean.json")
    }
    XCTAssertNil(bench.recipePath)
  }

  func testLoadReplacesTheRecipeUndoablyAndIsClean() throws {
    let bench = try makeBench()
    bench.add(try step(":dedupe"))
    let before = recipeText(bench)
    let loaded = try Recipe.decode(
      #"{"decant_recipe": 1, "name": "mine", "steps": [{"op": "dedupe", "columns": ["event_id"]}, {"op": "fill_null", "columns": ["country"], "value": "ZZ"}]}"#
    )
    bench.load(loaded, from: "recipes/mine.json")
    XCTAssertEqual(bench.message, "loaded recipes/mine.json (2 steps)")
    XCTAssertFalse(bench.messageIsError)
    XCTAssertFalse(bench.isDirty)
    XCTAssertEqual(bench.recipePath, "recipes/mine.json")
    XCTAssertEqual(bench.recipe.name, "mine")
    XCTAssertEqual(column("country", of: bench.shown), ["US", "ZZ", "DE", "ZZ"])
    bench.undo()
    XCTAssertEqual(recipeText(bench), before)
  }

  func testLoadOfARecipeWithUnknownColumnsReportsIt() throws {
    let bench = try makeBench()
    let loaded = try Recipe.decode(
      #"{"decant_recipe": 1, "steps": [{"op": "rename", "columns": {"Amt": "amount"}}, {"op": "dedupe", "columns": ["event_id"]}]}"#
    )
    bench.load(loaded, from: "r.json")
    XCTAssertEqual(
      bench.message,
      #"the recipe does not fit this file: step 1 (rename), field "columns": no column "Amt" at this step (columns here: "event_id", "country", "Amount USD", "event_time", "tz")"#
    )
    XCTAssertTrue(bench.messageIsError)
    XCTAssertEqual(bench.recipe.steps.count, 2)
    XCTAssertEqual(bench.describe(0), "rename Amt → amount — does not fit")
    XCTAssertEqual(bench.shown.batch.rowCount, 6)
  }

  func testOpeningWithARecipeThatDoesNotFitReportsIt() throws {
    let dir = try scratch()
    let path = try dir.write("events.csv", Fixture.events)
    let recipe = try Recipe.decode(
      #"{"decant_recipe": 1, "steps": [{"op": "dedupe", "columns": ["id"]}]}"#)
    let bench = Workbench(path: path, sample: try Sampler.first(100, path: path), recipe: recipe)
    XCTAssertEqual(
      bench.message,
      #"the recipe does not fit this file: step 1 (dedupe), field "columns": no column "id" at this step (columns here: "event_id", "country", "Amount USD", "event_time", "tz")"#
    )
    XCTAssertTrue(bench.messageIsError)
    XCTAssertFalse(bench.isDirty)
  }

  func testReplacingTheSampleRecomputesEveryStep() throws {
    let dir = try scratch()
    let path = try dir.write("events.csv", Fixture.events)
    let bench = Workbench(path: path, sample: try Sampler.first(3, path: path))
    bench.add(try step(":dedupe event_id"))
    XCTAssertEqual(bench.shown.batch.lines, [2, 3])
    bench.replaceSample(try Sampler.first(100, path: path))
    XCTAssertEqual(bench.shown.batch.lines, [2, 3, 5, 7])
  }

  func testTheBundledSampleOpens() throws {
    let sample = try Sampler.first(20, path: Fixture.bundledEventsPath)
    let bench = Workbench(path: Fixture.bundledEventsPath, sample: sample)
    XCTAssertEqual(
      bench.shown.schema.names, ["event_id", "user_id", "country", "Amount USD", "event_time", "tz", "note"])
    XCTAssertEqual(bench.shown.batch.rowCount, 20)
    bench.add(try step(#":rename "Amount USD" amount_usd"#))
    XCTAssertEqual(bench.shown.schema.names[3], "amount_usd")
  }
}
