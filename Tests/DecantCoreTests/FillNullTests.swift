import XCTest

@testable import DecantCore

/// `fill_null`: a constant, the previous/next value (state across batches), or
/// mode/mean/median over the data as it reaches the step.
final class FillNullTests: XCTestCase {
  // MARK: value

  func testFillValuePutsTheConstantInNullCellsOfListedColumnsOnly() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["country"], "value": "ZZ"}"#,
      columns: ["id", "country", "city"],
      batches: [[["1", "", ""], ["2", "DE", ""]], [["", "", "Oslo"]]])
    XCTAssertEqual(result.rows, [["1", "ZZ", ""], ["2", "DE", ""], ["", "ZZ", "Oslo"]])
    XCTAssertEqual(countTuples(result), [[3, 3, 0, 0], [3, 3, 0, 0]])
    assertBalances(result)
  }

  func testFillValueFillsEveryConfiguredNullValue() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["a"], "value": 0}"#, columns: ["a"],
      batches: [[["NA"], [""], ["n/a"], ["5"]]], nullValues: ["", "NA"])
    XCTAssertEqual(result.rows, [["0"], ["0"], ["n/a"], ["5"]])
  }

  func testFillValueLeavesNonNullWhitespaceAlone() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["a"], "value": "x"}"#, columns: ["a"],
      batches: [[[" "], [""]]])
    XCTAssertEqual(result.rows, [[" "], ["x"]])
  }

  // MARK: previous

  func testFillPreviousCarriesTheLastValueAcrossBatches() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["v"], "strategy": "previous"}"#, columns: ["id", "v"],
      batches: [
        [["1", ""], ["2", "x"], ["3", ""]], [["4", ""], ["5", "y"]], [["6", ""]], [["7", ""]],
      ])
    XCTAssertEqual(result.column("v"), ["", "x", "x", "x", "y", "y", "y"])
    XCTAssertEqual(result.column("id"), ["1", "2", "3", "4", "5", "6", "7"])
    XCTAssertEqual(countTuples(result), [[7, 7, 0, 0], [7, 7, 0, 0]])
    assertBalances(result)
  }

  func testFillPreviousKeepsEachColumnsOwnState() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["a", "b"], "strategy": "previous"}"#, columns: ["a", "b"],
      batches: [[["a1", ""], ["", "b1"]], [["", ""], ["a2", ""]]])
    XCTAssertEqual(result.rows, [["a1", ""], ["a1", "b1"], ["a1", "b1"], ["a2", "b1"]])
  }

  // MARK: next

  func testFillNextTakesTheNextValueAcrossBatchesAndLeavesATrailingRunNull() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["v"], "strategy": "next"}"#, columns: ["id", "v"],
      batches: [[["1", ""], ["2", ""]], [["3", ""]], [["4", "z"], ["5", ""]], [["6", ""]]])
    XCTAssertEqual(result.rows, [["1", "z"], ["2", "z"], ["3", "z"], ["4", "z"], ["5", ""], ["6", ""]])
    XCTAssertEqual(result.lines, [2, 3, 4, 5, 6, 7])
    XCTAssertEqual(countTuples(result), [[6, 6, 0, 0], [6, 6, 0, 0]])
    assertBalances(result)
  }

  func testFillNextRunSpanningThreeBatches() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["v"], "strategy": "next"}"#, columns: ["id", "v"],
      batches: [
        [["1", "a"], ["2", ""]], [["3", ""], ["4", ""]], [["5", ""], ["6", "b"], ["7", "c"]],
      ])
    XCTAssertEqual(
      result.rows,
      [["1", "a"], ["2", "b"], ["3", "b"], ["4", "b"], ["5", "b"], ["6", "b"], ["7", "c"]])
    XCTAssertEqual(result.lines, [2, 3, 4, 5, 6, 7, 8])
    assertBalances(result)
  }

  func testFillNextWithSeveralColumnsWaitsForEveryColumn() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["a", "b"], "strategy": "next"}"#, columns: ["a", "b"],
      batches: [[["", "b1"], ["a1", ""]], [["", ""]], [["a2", ""]], [["", "b2"]]])
    XCTAssertEqual(result.rows, [["a1", "b1"], ["a1", "b2"], ["a2", "b2"], ["a2", "b2"], ["", "b2"]])
    assertBalances(result)
  }

  func testFillNextOfAnAllNullColumnLeavesEveryCellNull() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["v"], "strategy": "next"}"#, columns: ["v"],
      batches: [[[""], [""]], [[""]]])
    XCTAssertEqual(result.rows, [[""], [""], [""]])
    XCTAssertEqual(countTuples(result), [[3, 3, 0, 0], [3, 3, 0, 0]])
  }

  func testRowsHeldByFillNextStillReachLaterStepsAndKeepTheirLines() throws {
    // Held rows come out later; a later step that rejects one must report its own line.
    let result = try runSteps(
      steps: """
        {"op": "fill_null", "columns": ["v"], "strategy": "next"},
        {"op": "normalize_timezone", "column": "t", "from_zone": "UTC"},
        {"op": "dedupe", "columns": ["v"]}
        """,
      columns: ["t", "v"],
      batches: [
        [["2024-01-01 00:00:00", ""], ["bad", ""]],
        [["2024-01-03 00:00:00", "x"], ["2024-01-04 00:00:00", ""]],
        [["2024-01-05 00:00:00", ""]],
      ])
    XCTAssertEqual(
      result.rows, [["2024-01-01T00:00:00Z", "x"], ["2024-01-04T00:00:00Z", ""]])
    XCTAssertEqual(result.lines, [2, 5])
    XCTAssertEqual(
      result.rejects,
      [
        RejectedRow(
          step: "2 normalize_timezone",
          reason: #"cannot read "bad" as a timestamp (formats tried: ISO 8601)"#,
          line: 3, values: ["bad", ""])
      ])
    XCTAssertEqual(countTuples(result), [[5, 5, 0, 0], [5, 5, 0, 0], [5, 4, 0, 1], [4, 2, 2, 0]])
    assertBalances(result)
  }

  // MARK: mode

  func testFillModeBreaksTiesByFirstSeen() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["c"], "strategy": "mode"}"#, columns: ["c"],
      batches: [[["b"], ["a"], [""]], [["a"], ["b"], [""]]])
    XCTAssertEqual(result.column("c"), ["b", "a", "b", "a", "b", "b"])
    assertBalances(result)
  }

  func testFillModeTakesTheMostFrequentValueAcrossBatches() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["c"], "strategy": "mode"}"#, columns: ["c"],
      batches: [[["x"], [""], ["y"]], [["y"], [""]], [["x"], ["y"]]])
    XCTAssertEqual(result.column("c"), ["x", "y", "y", "y", "y", "x", "y"])
  }

  func testFillModeCountsNullValuesAsNull() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["c"], "strategy": "mode"}"#, columns: ["c"],
      batches: [[["NA"], ["NA"], ["NA"], ["k"], [""]]], nullValues: ["", "NA"])
    XCTAssertEqual(result.column("c"), ["k", "k", "k", "k", "k"])
  }

  // MARK: mean

  func testFillMeanOfIntegersWritesAnInteger() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["n"], "strategy": "mean"}"#, columns: ["n"],
      batches: [[["1"], ["2"]], [[""], ["6"]]])
    XCTAssertEqual(result.column("n"), ["1", "2", "3", "6"])
    assertBalances(result)
  }

  func testFillMeanWritesTheShortestDecimal() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["n"], "strategy": "mean"}"#, columns: ["n"],
      batches: [[["1"], [""], ["2"], ["4"]]])
    XCTAssertEqual(result.column("n"), ["1", "2.3333333333333335", "2", "4"])
  }

  func testFillMeanIsExactForDecimalFractions() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["n"], "strategy": "mean"}"#, columns: ["n"],
      batches: [[["0.1"], ["0.2"], [""], ["0.3"]]])
    XCTAssertEqual(result.column("n"), ["0.1", "0.2", "0.2", "0.3"])
  }

  func testFillMeanIgnoresNonNumericValuesAndWarns() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["n"], "strategy": "mean"}"#, columns: ["n"],
      batches: [[["1"], ["abc"], [""], ["3"], ["n/a"]]])
    XCTAssertEqual(result.column("n"), ["1", "abc", "2", "3", "n/a"])
    XCTAssertEqual(result.warnings, [#"fill_null mean on "n": 2 non-numeric value(s) were ignored"#])
  }

  func testFillMeanOfLargeIntegersWritesAnInteger() throws {
    // NumberText.format: "integral values have no decimal point".
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["n"], "strategy": "mean"}"#, columns: ["n"],
      batches: [[["1000000000000000"], ["1000000000000000"], [""]]])
    XCTAssertEqual(result.column("n"), ["1000000000000000", "1000000000000000", "1000000000000000"])
  }

  func testFillMeanIgnoresAValueTooLargeForADouble() throws {
    // "1e999" overflows to infinity; it is not a finite number and must not turn the mean into inf or nan.
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["n"], "strategy": "mean"}"#, columns: ["n"],
      batches: [[["1e999"], ["4"], [""]]])
    XCTAssertEqual(result.column("n"), ["1e999", "4", "4"])
    XCTAssertEqual(result.warnings, [#"fill_null mean on "n": 1 non-numeric value(s) were ignored"#])
  }

  func testNumberTextReadsOnlyFiniteDecimals() {
    XCTAssertEqual(NumberText.parse(" -3.5 "), -3.5)
    XCTAssertEqual(NumberText.parse("1e6"), 1_000_000)
    XCTAssertNil(NumberText.parse("nan"))
    XCTAssertNil(NumberText.parse("inf"))
    XCTAssertNil(NumberText.parse("0x10"))
    XCTAssertNil(NumberText.parse("1_000"))
    XCTAssertNil(NumberText.parse("1e999"))
  }

  func testNumberTextWritesIntegralValuesWithoutADecimalPoint() {
    XCTAssertEqual(NumberText.format(3), "3")
    XCTAssertEqual(NumberText.format(-2), "-2")
    XCTAssertEqual(NumberText.format(2.5), "2.5")
    XCTAssertEqual(NumberText.format(999_999_999_999_999), "999999999999999")
    XCTAssertEqual(NumberText.format(1_000_000_000_000_000), "1000000000000000")
  }

  func testFillMeanWithNoNumbersLeavesNullsAndWarns() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["n"], "strategy": "mean"}"#, columns: ["n"],
      batches: [[[""], ["x"]]])
    XCTAssertEqual(result.column("n"), ["", "x"])
    XCTAssertEqual(
      result.warnings,
      [
        #"fill_null mean on "n": 1 non-numeric value(s) were ignored"#,
        #"fill_null mean on "n": no numeric values, so its nulls stay null"#,
      ])
  }

  func testFillMeanOfSeveralColumnsUsesEachColumnsOwnMean() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["a", "b"], "strategy": "mean"}"#, columns: ["a", "b"],
      batches: [[["2", "10"], ["", "20"], ["4", ""]]])
    XCTAssertEqual(result.rows, [["2", "10"], ["3", "20"], ["4", "15"]])
  }

  // MARK: median

  func testFillMedianOfAnOddCountIsTheMiddleValue() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["n"], "strategy": "median"}"#, columns: ["n"],
      batches: [[["5"], ["1"], [""]], [["3"]]])
    XCTAssertEqual(result.column("n"), ["5", "1", "3", "3"])
  }

  func testFillMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["n"], "strategy": "median"}"#, columns: ["n"],
      batches: [[["4"], ["1"], [""]], [["3"], ["2"]]])
    XCTAssertEqual(result.column("n"), ["4", "1", "2.5", "3", "2"])
  }

  func testFillMedianOfAnEvenCountWithIntegralMiddleWritesAnInteger() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["n"], "strategy": "median"}"#, columns: ["n"],
      batches: [[["10"], [""], ["-2"], ["100"], ["0"]]])
    XCTAssertEqual(result.column("n"), ["10", "5", "-2", "100", "0"])
  }

  func testFillMedianWithRepeatedValues() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["n"], "strategy": "median"}"#, columns: ["n"],
      batches: [[["7"], ["7"], ["7"], ["1"], [""], ["7"], ["9"]]])
    XCTAssertEqual(result.column("n"), ["7", "7", "7", "1", "7", "7", "9"])
  }

  func testFillMedianIgnoresNonNumericValues() throws {
    let result = try runSteps(
      steps: #"{"op": "fill_null", "columns": ["n"], "strategy": "median"}"#, columns: ["n"],
      batches: [[["zzz"], ["1"], ["2"], [""], ["-"], ["30"]]])
    XCTAssertEqual(result.column("n"), ["zzz", "1", "2", "2", "-", "30"])
    XCTAssertEqual(result.warnings, [#"fill_null median on "n": 2 non-numeric value(s) were ignored"#])
  }

  // MARK: statistics see the data as it reaches the step

  func testFillMeanIsComputedAfterAnEarlierDedupe() throws {
    // Before dedupe the mean of v would be (10+10+10+40)/4 = 17.5; after it, 25.
    let result = try runSteps(
      steps:
        #"{"op": "dedupe", "columns": ["id"]}, {"op": "fill_null", "columns": ["v"], "strategy": "mean"}"#,
      columns: ["id", "v"],
      batches: [[["1", "10"], ["1", "10"]], [["1", "10"], ["2", "40"], ["3", ""]]])
    XCTAssertEqual(result.rows, [["1", "10"], ["2", "40"], ["3", "25"]])
    XCTAssertEqual(countTuples(result), [[5, 5, 0, 0], [5, 3, 2, 0], [3, 3, 0, 0]])
    assertBalances(result)
  }

  func testFillMedianIgnoresRowsAnEarlierStepRejected() throws {
    let result = try runSteps(
      steps: """
        {"op": "normalize_timezone", "column": "t", "from_zone": "UTC"},
        {"op": "fill_null", "columns": ["v"], "strategy": "median"}
        """,
      columns: ["t", "v"],
      batches: [[["2024-01-01", "1"], ["broken", "1000"], ["2024-01-02", "3"], ["2024-01-03", ""]]])
    XCTAssertEqual(
      result.rows,
      [["2024-01-01T00:00:00Z", "1"], ["2024-01-02T00:00:00Z", "3"], ["2024-01-03T00:00:00Z", "2"]])
    XCTAssertEqual(result.rejects.map(\.line), [3])
    assertBalances(result)
  }

  func testFillMeanCountsRowsHeldBackByAnEarlierFillNext() throws {
    // The last row is held by fill_null next until the end of input; the mean must still see 50.
    let result = try runSteps(
      steps:
        #"{"op": "fill_null", "columns": ["a"], "strategy": "next"}, {"op": "fill_null", "columns": ["b"], "strategy": "mean"}"#,
      columns: ["a", "b"], batches: [[["", "10"]], [["x", ""]], [["", "50"]]])
    XCTAssertEqual(result.rows, [["x", "10"], ["x", "30"], ["", "50"]])
    assertBalances(result)
  }

  func testFillModeAfterARenameUsesTheNewName() throws {
    let result = try runSteps(
      steps:
        #"{"op": "rename", "columns": {"c": "city"}}, {"op": "fill_null", "columns": ["city"], "strategy": "mode"}"#,
      columns: ["c"], batches: [[["Oslo"], [""], ["Rome"], ["Rome"]]])
    XCTAssertEqual(result.columns, ["city"])
    XCTAssertEqual(result.column("city"), ["Oslo", "Rome", "Rome", "Rome"])
  }

  // MARK: planning and summary

  func testFillNullOfAMissingColumnIsAPlanError() throws {
    let r = try recipe(steps: #"{"op": "fill_null", "columns": ["country"], "value": "ZZ"}"#)
    XCTAssertThrowsError(try Pipeline(recipe: r, inputSchema: Schema(["id"]))) { error in
      guard let e = error as? PlanError else { return XCTFail("expected PlanError, got \(error)") }
      XCTAssertEqual(e.step, 1)
      XCTAssertEqual(e.op, "fill_null")
      XCTAssertEqual(e.missingColumns, ["country"])
    }
  }

  func testFillNullSummary() {
    XCTAssertEqual(
      FillNullOperation(columns: ["country"], fill: .value("ZZ", literal: false)).summary,
      "fill_null country with ZZ")
    XCTAssertEqual(
      FillNullOperation(columns: ["a", "b c"], fill: .strategy(.median)).summary,
      #"fill_null a, "b c" by median"#)
  }
}
