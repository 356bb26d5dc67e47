import XCTest

@testable import DecantCore

/// `dedupe`: keeps the first row of each key, in input order; nulls equal each other.
final class DedupeTests: XCTestCase {
  func testDedupeKeepsFirstOccurrenceInInputOrder() throws {
    let result = try runSteps(
      steps: #"{"op": "dedupe", "columns": ["id"]}"#, columns: ["id", "v"],
      batches: [[["1", "a"], ["2", "b"], ["1", "c"], ["3", "d"], ["2", "e"]]])
    XCTAssertEqual(result.rows, [["1", "a"], ["2", "b"], ["3", "d"]])
    XCTAssertEqual(result.lines, [2, 3, 5])
    XCTAssertEqual(countTuples(result), [[5, 5, 0, 0], [5, 3, 2, 0]])
    assertBalances(result)
  }

  func testDedupeOnSeveralKeyColumnsComparesAllOfThem() throws {
    let result = try runSteps(
      steps: #"{"op": "dedupe", "columns": ["a", "b"]}"#, columns: ["a", "b", "v"],
      batches: [
        [["1", "x", "first"], ["1", "y", "other b"], ["1", "x", "repeat"], ["2", "x", "other a"]]
      ])
    XCTAssertEqual(result.rows, [["1", "x", "first"], ["1", "y", "other b"], ["2", "x", "other a"]])
    assertBalances(result)
  }

  func testDedupeWithoutColumnsComparesTheWholeRow() throws {
    let result = try runSteps(
      steps: #"{"op": "dedupe"}"#, columns: ["a", "b"],
      batches: [[["1", "x"], ["1", "y"], ["1", "x"], ["2", "x"], ["1", "y"]]])
    XCTAssertEqual(result.rows, [["1", "x"], ["1", "y"], ["2", "x"]])
    XCTAssertEqual(countTuples(result), [[5, 5, 0, 0], [5, 3, 2, 0]])
  }

  func testDedupeWithEmptyColumnsListComparesTheWholeRow() throws {
    let result = try runSteps(
      steps: #"{"op": "dedupe", "columns": []}"#, columns: ["a", "b"],
      batches: [[["1", "x"], ["1", "y"], ["1", "x"]]])
    XCTAssertEqual(result.rows, [["1", "x"], ["1", "y"]])
  }

  func testDedupeTreatsNullsAsEqualToEachOther() throws {
    let result = try runSteps(
      steps: #"{"op": "dedupe", "columns": ["a", "b"]}"#, columns: ["a", "b", "v"],
      batches: [[["", "x", "1"], ["", "x", "2"], ["", "", "3"], ["", "", "4"], ["x", "", "5"]]])
    XCTAssertEqual(result.rows, [["", "x", "1"], ["", "", "3"], ["x", "", "5"]])
    assertBalances(result)
  }

  func testDedupeTreatsEveryNullValueAsTheSameNull() throws {
    // With null_values ["", "NA"], "" and "NA" are both null, so they are one key.
    let result = try runSteps(
      steps: #"{"op": "dedupe", "columns": ["k"]}"#, columns: ["k", "v"],
      batches: [[["NA", "1"], ["", "2"], ["NA", "3"], ["na", "4"]]], nullValues: ["", "NA"])
    XCTAssertEqual(result.rows, [["NA", "1"], ["na", "4"]])
    XCTAssertEqual(countTuples(result), [[4, 4, 0, 0], [4, 2, 2, 0]])
  }

  func testDedupeKeepsTheStringNAApartFromNullUnderDefaultNullValues() throws {
    let result = try runSteps(
      steps: #"{"op": "dedupe", "columns": ["k"]}"#, columns: ["k"], batches: [[["NA"], [""], ["NA"], [""]]])
    XCTAssertEqual(result.rows, [["NA"], [""]])
  }

  func testDedupeRemembersKeysAcrossBatches() throws {
    let result = try runSteps(
      steps: #"{"op": "dedupe", "columns": ["id"]}"#, columns: ["id", "v"],
      batches: [
        [["1", "a"], ["2", "b"]], [["2", "c"], ["3", "d"]], [["1", "e"], ["3", "f"]], [["4", "g"]],
      ])
    XCTAssertEqual(result.rows, [["1", "a"], ["2", "b"], ["3", "d"], ["4", "g"]])
    XCTAssertEqual(result.lines, [2, 3, 5, 8])
    XCTAssertEqual(countTuples(result), [[7, 7, 0, 0], [7, 4, 3, 0]])
    assertBalances(result)
  }

  func testDedupeHandlesABatchWhoseRowsAreAllRepeats() throws {
    let result = try runSteps(
      steps: #"{"op": "dedupe", "columns": ["id"]}, {"op": "fill_null", "columns": ["v"], "value": "-"}"#,
      columns: ["id", "v"], batches: [[["1", ""]], [["1", "x"], ["1", "y"]], [["2", ""]]])
    XCTAssertEqual(result.rows, [["1", "-"], ["2", "-"]])
    XCTAssertEqual(countTuples(result), [[4, 4, 0, 0], [4, 2, 2, 0], [2, 2, 0, 0]])
    assertBalances(result)
  }

  func testDedupeDoesNotConfuseKeysThatConcatenateTheSame() throws {
    // ("a","bc") and ("ab","c") concatenate to the same bytes but are different keys.
    let result = try runSteps(
      steps: #"{"op": "dedupe", "columns": ["x", "y"]}"#, columns: ["x", "y"],
      batches: [[["a", "bc"], ["ab", "c"], ["abc", ""], ["", "abc"], ["a", "bc"]]])
    XCTAssertEqual(result.rows, [["a", "bc"], ["ab", "c"], ["abc", ""], ["", "abc"]])
    XCTAssertEqual(countTuples(result), [[5, 5, 0, 0], [5, 4, 1, 0]])
  }

  func testDedupeKeepsAnEmptyCellApartFromNullWhenEmptyIsNotANullValue() throws {
    // With null_values ["NA"], "" is an ordinary (empty) value and "NA" the null.
    let result = try runSteps(
      steps: #"{"op": "dedupe", "columns": ["x", "y"]}"#, columns: ["x", "y"],
      batches: [[["", "a"], ["NA", "a"], ["", "a"], ["NA", "a"]]], nullValues: ["NA"])
    XCTAssertEqual(result.rows, [["", "a"], ["NA", "a"]])
  }

  func testDedupeKeyIsCaseAndSpaceSensitive() throws {
    let result = try runSteps(
      steps: #"{"op": "dedupe", "columns": ["k"]}"#, columns: ["k"], batches: [[["a"], ["A"], [" a"], ["a"]]])
    XCTAssertEqual(result.rows, [["a"], ["A"], [" a"]])
  }

  func testDedupeOfAMissingColumnIsAPlanError() throws {
    let r = try recipe(steps: #"{"op": "dedupe", "columns": ["event_id", "country"]}"#)
    XCTAssertThrowsError(try Pipeline(recipe: r, inputSchema: Schema(["event_id", "amount"]))) { error in
      guard let e = error as? PlanError else { return XCTFail("expected PlanError, got \(error)") }
      XCTAssertEqual(e.step, 1)
      XCTAssertEqual(e.op, "dedupe")
      XCTAssertEqual(e.missingColumns, ["country"])
      XCTAssertEqual(e.message, #"no column "country" at this step (columns here: "event_id", "amount")"#)
    }
  }

  func testDedupeSummaryNamesTheKey() {
    XCTAssertEqual(DedupeOperation(columns: ["event_id", "a b"]).summary, #"dedupe event_id, "a b""#)
    XCTAssertEqual(DedupeOperation().summary, "dedupe whole rows")
  }

  func testKeepLastKeepsEachKeysLastRowInInputOrder() throws {
    // Keys repeat across batches; nulls are one key; several key columns.
    let result = try runSteps(
      steps: #"{"op": "dedupe", "columns": ["k"], "keep": "last"}"#, columns: ["k", "v"],
      batches: [
        [["a", "1"], ["b", "2"], ["", "3"]], [["a", "4"], ["c", "5"]],
        [["", "6"], ["b", "7"], ["a", "8"]],
      ])
    XCTAssertEqual(result.rows, [["c", "5"], ["", "6"], ["b", "7"], ["a", "8"]])
    XCTAssertEqual(result.lines, [6, 7, 8, 9])
    XCTAssertEqual(countTuples(result), [[8, 8, 0, 0], [8, 4, 4, 0]])
    let pairs = try runSteps(
      steps: #"{"op": "dedupe", "columns": ["a", "b"], "keep": "last"}"#, columns: ["a", "b"],
      batches: [[["1|", "2"], ["1", "|2"], ["1|", "2"], ["1", ""], ["1", "|2"]]])
    XCTAssertEqual(pairs.rows, [["1|", "2"], ["1", ""], ["1", "|2"]])
  }

  func testKeepLastUnderAWhereActsAmongTheMatchingRowsOnly() throws {
    let result = try runSteps(
      steps:
        #"{"op": "dedupe", "columns": ["k"], "keep": "last", "where": {"not": {"column": "v", "equals": "skip"}}}"#,
      columns: ["k", "v"],
      batches: [[["a", "1"], ["a", "skip"], ["a", "2"]], [["b", "3"], ["a", "skip"], ["b", "4"]]])
    XCTAssertEqual(result.rows, [["a", "skip"], ["a", "2"], ["a", "skip"], ["b", "4"]])
  }

  func testKeepLastAfterStepsThatRemoveAndHoldRows() throws {
    // A filter removes rows before dedupe and fill_null previous holds none back
    // here, but both passes must see the same rows in the same order.
    let result = try runSteps(
      steps: #"""
        {"op": "filter", "where": {"column": "v", "equals": "drop"}, "keep": "non_matching"},
        {"op": "fill_null", "columns": ["k"], "strategy": "previous"},
        {"op": "dedupe", "columns": ["k"], "keep": "last"}
        """#,
      columns: ["k", "v"],
      batches: [[["a", "1"], ["", "2"], ["b", "drop"]], [["b", "3"], ["", "4"], ["a", "5"]]])
    XCTAssertEqual(result.rows, [["b", "4"], ["a", "5"]])
  }
}
