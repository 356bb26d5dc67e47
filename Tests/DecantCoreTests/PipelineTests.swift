import XCTest

@testable import DecantCore

/// `Pipeline`: planning before any row is read, the row-accounting invariant
/// (DESIGN.md §2), disabled steps, statistics passes and drift warnings.
final class PipelineTests: XCTestCase {
  // MARK: Row accounting

  func testRowAccountingBalancesWithReadRejectsStepRejectsAndRemovals() throws {
    let r = try recipe(
      steps: """
        {"op": "rename", "columns": {"amount": "amt"}},
        {"op": "dedupe", "columns": ["id"]},
        {"op": "fill_null", "columns": ["amt"], "strategy": "next"},
        {"op": "normalize_timezone", "column": "t", "from_zone": "America/New_York", "ambiguous": "reject"},
        {"op": "dedupe", "enabled": false},
        {"op": "fill_null", "columns": ["amt"], "strategy": "mean"}
        """)
    let readReject = RejectedRecord(
      line: 10, fields: [Array("6".utf8), Array("x".utf8)], reason: "2 fields, not 3")
    let result = try runPipeline(
      r, columns: ["id", "amount", "t"],
      batches: [
        [["1", "10", "2024-01-01 00:00:00"], ["1", "10", "2024-01-01 00:00:00"], ["2", "", "bad"]],
        [["3", "", "2024-03-10 02:30:00"], ["4", "5", "2024-11-03 01:30:00"]],
        [["5", "", "2024-06-01 12:00:00"], ["1", "99", "2024-01-01 00:00:00"]],
      ],
      readRejects: [[], [readReject]])
    XCTAssertEqual(result.columns, ["id", "amt", "t"])
    XCTAssertEqual(
      result.rows,
      [
        ["1", "10", "2024-01-01T05:00:00Z"], ["3", "5", "2024-03-10T07:30:00Z"],
        ["5", "7.5", "2024-06-01T16:00:00Z"],
      ])
    XCTAssertEqual(result.lines, [2, 5, 7])
    XCTAssertEqual(
      result.rejects,
      [
        RejectedRow(step: "0 read", reason: "2 fields, not 3", line: 10, values: ["6", "x"]),
        RejectedRow(
          step: "4 normalize_timezone",
          reason: #"cannot read "bad" as a timestamp (formats tried: ISO 8601)"#,
          line: 4, values: ["2", "", "bad"]),
        RejectedRow(
          step: "4 normalize_timezone",
          reason:
            #""2024-11-03 01:30:00" happens twice in America/New_York (clocks go back); ambiguous: reject"#,
          line: 6, values: ["4", "5", "2024-11-03 01:30:00"]),
      ])
    XCTAssertEqual(result.counts.map(\.number), [0, 1, 2, 3, 4, 6])
    XCTAssertEqual(
      result.counts.map(\.op), ["read", "rename", "dedupe", "fill_null", "normalize_timezone", "fill_null"])
    XCTAssertEqual(
      countTuples(result),
      [[8, 7, 0, 1], [7, 7, 0, 0], [7, 5, 2, 0], [5, 5, 0, 0], [5, 3, 0, 2], [3, 3, 0, 0]])
    assertBalances(result)

    var report = RunReport(inputPath: "in.csv", outputPath: "out.csv")
    report.steps = result.counts
    XCTAssertTrue(report.balances)
    XCTAssertEqual(report.rowsIn, 8)
    XCTAssertEqual(report.rowsOut, 3)
    XCTAssertEqual(report.rowsRemoved, 2)
    XCTAssertEqual(report.rowsRejected, 3)
  }

  func testStepCountsCarryEachStepsSummary() throws {
    let result = try runSteps(
      steps: #"{"op": "dedupe", "columns": ["id"]}, {"op": "fill_null", "columns": ["v"], "value": "0"}"#,
      columns: ["id", "v"], batches: [[["1", ""]]])
    XCTAssertEqual(result.counts.map(\.summary), ["read", "dedupe id", "fill_null v with 0"])
  }

  func testRunReportDoesNotBalanceWhenARowIsLost() {
    var counts = StepCounts(number: 1, op: "dedupe", summary: "dedupe id")
    counts.rowsIn = 5
    counts.rowsOut = 3
    counts.rowsRemoved = 1
    XCTAssertFalse(counts.balances)
    counts.rowsRejected = 1
    XCTAssertTrue(counts.balances)
  }

  func testEmptyInputBalancesWithZeroes() throws {
    let result = try runSteps(
      steps: #"{"op": "dedupe"}, {"op": "fill_null", "columns": ["a"], "strategy": "median"}"#,
      columns: ["a"],
      batches: [])
    XCTAssertEqual(countTuples(result), [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]])
    XCTAssertEqual(result.rows, [])
    assertBalances(result)
  }

  func testRecipeWithoutStepsPassesRowsThrough() throws {
    let result = try runSteps(steps: "", columns: ["a", "b"], batches: [[["1", "2"]], [["3", ""]]])
    XCTAssertEqual(result.rows, [["1", "2"], ["3", ""]])
    XCTAssertEqual(countTuples(result), [[2, 2, 0, 0]])
  }

  func testABatchEmptiedByAStepDoesNotStopLaterBatches() throws {
    let result = try runSteps(
      steps:
        #"{"op": "dedupe", "columns": ["k"]}, {"op": "normalize_timezone", "column": "t", "from_zone": "UTC"}"#,
      columns: ["k", "t"],
      batches: [[["a", "2024-01-01"]], [["a", "2024-01-02"]], [["b", "x"]], [["c", "2024-01-04"]]])
    XCTAssertEqual(result.rows, [["a", "2024-01-01T00:00:00Z"], ["c", "2024-01-04T00:00:00Z"]])
    XCTAssertEqual(countTuples(result), [[4, 4, 0, 0], [4, 3, 1, 0], [3, 2, 0, 1]])
    assertBalances(result)
  }

  // MARK: Planning

  func testPlanRecordsTheSchemaAfterEachEnabledStep() throws {
    let r = try recipe(
      steps: """
        {"op": "rename", "columns": {"a": "b"}},
        {"op": "rename", "columns": {"c": "d"}, "enabled": false},
        {"op": "rename", "columns": {"b": "e"}}
        """)
    let pipeline = try Pipeline(recipe: r, inputSchema: Schema(["a", "c"]))
    XCTAssertEqual(pipeline.schemas, [Schema(["a", "c"]), Schema(["b", "c"]), Schema(["e", "c"])])
    XCTAssertEqual(pipeline.outputSchema, Schema(["e", "c"]))
  }

  func testMissingColumnIsAPlanErrorWithStepNumberAndNames() throws {
    let r = try recipe(
      steps:
        #"{"op": "dedupe", "columns": ["event_id"]}, {"op": "fill_null", "columns": ["country", "amount"], "value": "x"}"#
    )
    XCTAssertThrowsError(try Pipeline(recipe: r, inputSchema: Schema(["event_id", "event_time"]))) { error in
      guard let e = error as? PlanError else { return XCTFail("expected PlanError, got \(error)") }
      XCTAssertEqual(e.step, 2)
      XCTAssertEqual(e.op, "fill_null")
      XCTAssertEqual(e.missingColumns, ["country", "amount"])
      XCTAssertEqual(
        e.message, #"no column "country", "amount" at this step (columns here: "event_id", "event_time")"#)
      XCTAssertEqual(
        e.description,
        #"step 2 (fill_null), field "columns": no column "country", "amount" at this step (columns here: "event_id", "event_time")"#
      )
    }
  }

  func testColumnRenamedByAnEarlierStepIsMissingUnderItsOldName() throws {
    let r = try recipe(
      steps:
        #"{"op": "rename", "columns": {"Amount USD": "amount_usd"}}, {"op": "fill_null", "columns": ["Amount USD"], "value": "0"}"#
    )
    XCTAssertThrowsError(try Pipeline(recipe: r, inputSchema: Schema(["id", "Amount USD", "ts"]))) { error in
      guard let e = error as? PlanError else { return XCTFail("expected PlanError, got \(error)") }
      XCTAssertEqual(e.step, 2)
      XCTAssertEqual(e.op, "fill_null")
      XCTAssertEqual(e.missingColumns, ["Amount USD"])
      XCTAssertEqual(
        e.message,
        #"no column "Amount USD" at this step (columns here: "id", "amount_usd", "ts"); "Amount USD" → did you mean "amount_usd"?"#
      )
    }
  }

  func testPlanErrorComesFromTheFirstFailingStep() throws {
    let r = try recipe(
      steps: #"{"op": "dedupe", "columns": ["nope"]}, {"op": "rename", "columns": {"a": "b"}}"#)
    XCTAssertThrowsError(try Pipeline(recipe: r, inputSchema: Schema(["a", "b"]))) { error in
      XCTAssertEqual((error as? PlanError)?.step, 1)
    }
  }

  func testDisabledStepsAreSkippedInPlanAndRun() throws {
    let r = try recipe(
      steps: """
        {"op": "dedupe", "columns": ["no_such_column"], "enabled": false},
        {"op": "rename", "columns": {"k": "key"}},
        {"op": "dedupe", "columns": ["key"], "enabled": false},
        {"op": "fill_null", "columns": ["v"], "value": "-"}
        """)
    let result = try runPipeline(r, columns: ["k", "v"], batches: [[["1", ""], ["1", "a"]]])
    XCTAssertEqual(result.rows, [["1", "-"], ["1", "a"]])
    XCTAssertEqual(result.counts.map(\.number), [0, 2, 4])
    XCTAssertEqual(countTuples(result), [[2, 2, 0, 0], [2, 2, 0, 0], [2, 2, 0, 0]])
  }

  func testADisabledRenameLeavesTheOldNameForLaterSteps() throws {
    let r = try recipe(
      steps:
        #"{"op": "rename", "columns": {"k": "key"}, "enabled": false}, {"op": "dedupe", "columns": ["k"]}"#)
    let result = try runPipeline(r, columns: ["k"], batches: [[["1"], ["1"]]])
    XCTAssertEqual(result.columns, ["k"])
    XCTAssertEqual(result.rows, [["1"]])
  }

  func testRejectLabelsUseTheRecipeStepNumberCountingDisabledSteps() throws {
    let result = try runSteps(
      steps:
        #"{"op": "dedupe", "enabled": false}, {"op": "dedupe", "enabled": false}, {"op": "normalize_timezone", "column": "t", "from_zone": "UTC"}"#,
      columns: ["t"], batches: [[["x"]]])
    XCTAssertEqual(result.rejects.map(\.step), ["3 normalize_timezone"])
  }

  // MARK: Statistics passes

  func testPrepareReadsTheInputOncePerStatisticsStep() throws {
    func passes(_ steps: String) throws -> Int {
      let pipeline = try Pipeline(recipe: try recipe(steps: steps), inputSchema: Schema(["a", "b"]))
      var opened = 0
      try pipeline.prepare(open: {
        opened += 1
        return MemoryReader(columns: ["a", "b"], batches: [makeBatch([["1", "2"]])])
      })
      return opened
    }
    XCTAssertEqual(
      try passes(#"{"op": "dedupe"}, {"op": "fill_null", "columns": ["a"], "strategy": "previous"}"#), 0)
    XCTAssertEqual(try passes(#"{"op": "fill_null", "columns": ["a"], "strategy": "mode"}"#), 1)
    XCTAssertEqual(
      try passes(
        #"{"op": "fill_null", "columns": ["a"], "strategy": "mean"}, {"op": "fill_null", "columns": ["b"], "strategy": "median"}"#
      ), 2)
    XCTAssertEqual(
      try passes(#"{"op": "fill_null", "columns": ["a"], "strategy": "mean", "enabled": false}"#), 0)
  }

  func testStatisticsOfALaterStepSeeValuesFilledByAnEarlierStatisticsStep() throws {
    // Step 1 fills a's null with the median of a (2); step 2's mean of a then sees 1, 2, 3 → 2,
    // and b's mean is only over b. Both passes run before writing.
    let result = try runSteps(
      steps:
        #"{"op": "fill_null", "columns": ["a"], "strategy": "median"}, {"op": "fill_null", "columns": ["a", "b"], "strategy": "mean"}"#,
      columns: ["a", "b"], batches: [[["1", "4"], ["", ""]], [["3", "8"]]])
    XCTAssertEqual(result.rows, [["1", "4"], ["2", "6"], ["3", "8"]])
  }

  // MARK: Drift

  func testDriftIsSilentWhenNothingWasSavedOrTheHeaderMatches() {
    XCTAssertEqual(Pipeline.drift(saved: nil, actual: Schema(["a"])), [])
    XCTAssertEqual(Pipeline.drift(saved: ["a", "b"], actual: Schema(["a", "b"])), [])
  }

  func testDriftNamesMissingColumns() {
    XCTAssertEqual(
      Pipeline.drift(saved: ["a", "b", "c"], actual: Schema(["a", "c"])),
      [#"the input lacks columns the recipe was saved with: "b""#])
  }

  func testDriftNamesExtraColumns() {
    XCTAssertEqual(
      Pipeline.drift(saved: ["a"], actual: Schema(["a", "d", "e"])),
      [#"the input has columns the recipe was not saved with: "d", "e""#])
  }

  func testDriftNamesMissingThenExtraColumns() {
    XCTAssertEqual(
      Pipeline.drift(saved: ["id", "Amount USD"], actual: Schema(["id", "amount"])),
      [
        #"the input lacks columns the recipe was saved with: "Amount USD""#,
        #"the input has columns the recipe was not saved with: "amount""#,
      ])
  }

  func testDriftNotesAReorderedHeader() {
    XCTAssertEqual(
      Pipeline.drift(saved: ["a", "b"], actual: Schema(["b", "a"])),
      ["the input's columns are in a different order than when the recipe was saved"])
  }
}
