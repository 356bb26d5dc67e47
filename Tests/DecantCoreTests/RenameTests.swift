import XCTest

@testable import DecantCore

/// `rename`: changes names only; a missing old name is a plan error, a clash a recipe error.
final class RenameTests: XCTestCase {
  func testRenameChangesTheNameAndKeepsEveryValue() throws {
    let result = try runSteps(
      steps: #"{"op": "rename", "columns": {"Amount USD": "amount_usd"}}"#,
      columns: ["id", "Amount USD"], batches: [[["1", "9.50"], ["2", ""]], [["3", "7"]]])
    XCTAssertEqual(result.columns, ["id", "amount_usd"])
    XCTAssertEqual(result.rows, [["1", "9.50"], ["2", ""], ["3", "7"]])
    XCTAssertEqual(result.lines, [2, 3, 4])
    XCTAssertEqual(countTuples(result), [[3, 3, 0, 0], [3, 3, 0, 0]])
    assertBalances(result)
  }

  func testRenameKeepsColumnPositions() throws {
    let r = try recipe(steps: #"{"op": "rename", "columns": {"c": "C", "a": "A"}}"#)
    let pipeline = try Pipeline(recipe: r, inputSchema: Schema(["a", "b", "c"]))
    XCTAssertEqual(pipeline.outputSchema, Schema(["A", "b", "C"]))
  }

  func testRenameCanSwapTwoNames() throws {
    let result = try runSteps(
      steps: #"{"op": "rename", "columns": {"a": "b", "b": "a"}}"#, columns: ["a", "b"],
      batches: [[["1", "2"]]])
    XCTAssertEqual(result.columns, ["b", "a"])
    XCTAssertEqual(result.rows, [["1", "2"]])
  }

  func testRenameToTheSameNameIsAllowed() throws {
    let r = try recipe(steps: #"{"op": "rename", "columns": {"a": "a"}}"#)
    XCTAssertEqual(
      try Pipeline(recipe: r, inputSchema: Schema(["a", "b"])).outputSchema, Schema(["a", "b"]))
  }

  func testRenameOntoAnExistingColumnIsARecipeError() throws {
    let r = try recipe(steps: #"{"op": "dedupe"}, {"op": "rename", "columns": {"a": "b"}}"#)
    XCTAssertThrowsError(try Pipeline(recipe: r, inputSchema: Schema(["a", "b"]))) { error in
      guard let e = error as? RecipeError else { return XCTFail("expected RecipeError, got \(error)") }
      XCTAssertEqual(e.message, #"renaming "a" to "b" clashes with the existing column "b""#)
      XCTAssertEqual(e.step, 2)
      XCTAssertEqual(e.op, "rename")
      XCTAssertEqual(e.field, "columns")
    }
  }

  func testRenameOfAMissingColumnIsAPlanError() throws {
    let r = try recipe(steps: #"{"op": "rename", "columns": {"Amount": "amount"}}"#)
    XCTAssertThrowsError(try Pipeline(recipe: r, inputSchema: Schema(["id", "amount_usd"]))) { error in
      guard let e = error as? PlanError else { return XCTFail("expected PlanError, got \(error)") }
      XCTAssertEqual(e.step, 1)
      XCTAssertEqual(e.op, "rename")
      XCTAssertEqual(e.missingColumns, ["Amount"])
      XCTAssertEqual(e.message, #"no column "Amount" at this step (columns here: "id", "amount_usd")"#)
    }
  }

  func testLaterStepsUseTheNewName() throws {
    let result = try runSteps(
      steps: #"{"op": "rename", "columns": {"k": "key"}}, {"op": "dedupe", "columns": ["key"]}"#,
      columns: ["k", "v"], batches: [[["1", "a"], ["1", "b"]]])
    XCTAssertEqual(result.columns, ["key", "v"])
    XCTAssertEqual(result.rows, [["1", "a"]])
  }

  func testRenamedRowsAreRejectedUnderTheirInputColumns() throws {
    // A reject after a rename still carries the row as it was read.
    let result = try runSteps(
      steps:
        #"{"op": "rename", "columns": {"t": "when"}}, {"op": "normalize_timezone", "column": "when", "from_zone": "UTC"}"#,
      columns: ["t"], batches: [[["nope"]]])
    XCTAssertEqual(
      result.rejects,
      [
        RejectedRow(
          step: "2 normalize_timezone",
          reason: #"cannot read "nope" as a timestamp (formats tried: ISO 8601)"#,
          line: 2, values: ["nope"])
      ])
  }

  func testRenameSummaryQuotesNamesWithSpaces() throws {
    let op = RenameOperation(mapping: [(old: "Amount USD", new: "amount_usd"), (old: "a", new: "b c")])
    XCTAssertEqual(op.summary, #"rename "Amount USD" → amount_usd, a → "b c""#)
  }
}
