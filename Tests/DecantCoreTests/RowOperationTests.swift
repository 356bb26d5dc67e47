import XCTest

@testable import DecantCore

/// `filter`, `validate`, `select` and `drop`: the operations that keep or check
/// rows and the ones that pick columns (DESIGN.md §8, "Rows and columns").
final class RowOperationTests: XCTestCase {
  let people = ["id", "name", "amount"]
  let rows = [
    ["1", "Ann", "10"], ["2", "", "-3"], ["3", "Bob", ""], ["4", "Cy", "250.5"], ["5", "NA", "7"],
  ]

  // MARK: filter

  func testFilterDecodesWithKeepMatchingByDefault() throws {
    let op = try decodedOperation(
      FilterOperation.self, #"{"op": "filter", "where": {"column": "amount", "gt": 0}}"#)
    XCTAssertEqual(op.keep, .matching)
    XCTAssertEqual(op.condition.columns, ["amount"])
    XCTAssertEqual(op.summary, "filter where amount > 0")
    XCTAssertEqual(
      JSONValue.object(op.encodedParameters()).compactText,
      #"{"where":{"column":"amount","gt":0},"keep":"matching"}"#)
    // The condition is the operation's rule, not a scope on the step.
    XCTAssertNil(try decodedStep(#"{"op": "filter", "where": {"column": "amount", "gt": 0}}"#).condition)
  }

  func testFilterKeepsMatchingRowsAndCountsTheOthersAsRemoved() throws {
    let r = try applyStep(
      #"{"op": "filter", "where": {"column": "amount", "gt": 0}}"#, columns: people, rows: rows)
    XCTAssertEqual(r.column("id"), ["1", "4", "5"])
    XCTAssertEqual(r.lines, [2, 5, 6])
    XCTAssertEqual(r.removedLines, [3, 4])
    XCTAssertEqual(
      [r.counts.rowsIn, r.counts.rowsOut, r.counts.rowsRemoved, r.counts.rowsRejected], [5, 3, 2, 0])
    XCTAssertEqual(r.rejects, [])
  }

  func testFilterNonMatchingKeepsTheRowsTheConditionIsFalseFor() throws {
    let r = try applyStep(
      #"{"op": "filter", "where": {"column": "amount", "gt": 0}, "keep": "non_matching"}"#, columns: people,
      rows: rows)
    // A null amount is not > 0, so the row is kept by non_matching.
    XCTAssertEqual(r.column("id"), ["2", "3"])
    XCTAssertEqual(r.counts.rowsRemoved, 3)
    XCTAssertEqual(
      try decodedOperation(
        FilterOperation.self,
        #"{"op": "filter", "where": {"column": "amount", "gt": 0}, "keep": "non_matching"}"#
      ).summary, "filter out where amount > 0")
  }

  func testFilterSeesNullsUnderTheRecipesNullValues() throws {
    let step = #"{"op": "filter", "where": {"column": "name", "is_null": false}}"#
    XCTAssertEqual(try applyStep(step, columns: people, rows: rows).column("id"), ["1", "3", "4", "5"])
    XCTAssertEqual(
      try applyStep(step, columns: people, rows: rows, nullValues: ["", "NA"]).column("id"), ["1", "3", "4"])
    // With only "NA" null, the empty name is a value.
    XCTAssertEqual(
      try applyStep(step, columns: people, rows: rows, nullValues: ["NA"]).column("id"), ["1", "2", "3", "4"])
  }

  func testFilterComparesBytesSoInvalidUTF8CanEqualButNeverMatches() throws {
    let table = [["caf\\xE9"], ["café"], ["x"]]
    let equals = try applyStep(
      #"{"op": "filter", "where": {"column": "w", "starts_with": "caf"}}"#, columns: ["w"], rows: table)
    XCTAssertEqual(equals.column("w"), ["caf\\xE9", "café"])
    let matches = try applyStep(
      #"{"op": "filter", "where": {"column": "w", "matches": "^caf"}}"#, columns: ["w"], rows: table)
    XCTAssertEqual(matches.column("w"), ["café"])
    XCTAssertEqual(matches.rejects, [], "a condition never rejects")
    let folded = try applyStep(
      #"{"op": "filter", "where": {"column": "w", "starts_with": "CAF", "case_insensitive": true}}"#,
      columns: ["w"], rows: table)
    XCTAssertEqual(folded.column("w"), ["café"])
  }

  func testFilterThatRemovesEveryRowLeavesAnEmptyTableWithItsColumns() throws {
    let r = try applyStep(
      #"{"op": "filter", "where": {"column": "id", "equals": "none"}}"#, columns: people, rows: rows)
    XCTAssertEqual(r.rows, [])
    XCTAssertEqual(r.columns, people)
    XCTAssertEqual(r.counts.rowsRemoved, 5)
  }

  func testFilterCountsRemovalsAcrossBatchesAndWorkers() throws {
    let result = try runSteps(
      steps:
        #"{"op": "filter", "where": {"any": [{"column": "k", "in": ["a", "c"]}, {"column": "k", "is_null": true}]}}"#,
      columns: ["k", "n"],
      batches: [[["a", "1"], ["b", "2"]], [["", "3"], ["c", "4"], ["b", "5"]], [["b", "6"]]])
    XCTAssertEqual(result.rows, [["a", "1"], ["", "3"], ["c", "4"]])
    XCTAssertEqual(result.lines, [2, 4, 5])
    XCTAssertEqual(countTuples(result), [[6, 6, 0, 0], [6, 3, 3, 0]])
  }

  func testFilterOnAColumnTheInputLacksIsAPlanErrorNamingThePathInWhere() throws {
    let e = planError(
      #"{"decant_recipe": 1, "steps": [{"op": "rename", "columns": {"a": "b"}}, {"op": "filter", "where": {"not": {"column": "a", "equals": "x"}}}]}"#,
      columns: ["a"])
    let plan = try XCTUnwrap(e as? PlanError, "\(String(describing: e))")
    XCTAssertEqual(plan.step, 2)
    XCTAssertEqual(plan.op, "filter")
    XCTAssertEqual(plan.field, "where.not.column")
    XCTAssertEqual(plan.missingColumns, ["a"])
    XCTAssertTrue(
      plan.description.hasPrefix(#"step 2 (filter), field "where.not.column": no column "a""#),
      plan.description)
  }

  func testAMissingColumnInAConditionNamesEveryLeafThatReadsIt() throws {
    let e = planError(
      #"{"decant_recipe": 1, "steps": [{"op": "trim", "columns": ["a"], "where": {"any": [{"column": "a", "equals": "x"}, {"all": [{"column": "b", "is_null": true}, {"not": {"column": "c", "gt": 1}}, {"column": "b", "lt": 0}]}]}}]}"#,
      columns: ["a", "c"])
    let plan = try XCTUnwrap(e as? PlanError, "\(String(describing: e))")
    XCTAssertEqual(plan.missingColumns, ["b"])
    XCTAssertEqual(plan.field, "where.any[1].all[0].column, where.any[1].all[2].column")
    XCTAssertEqual(
      plan.description,
      #"step 1 (trim), fields "where.any[1].all[0].column", "where.any[1].all[2].column": no column "b" at this step (columns here: "a", "c"); "b" → did you mean "a"?"#
    )
    let rule = planError(
      #"{"decant_recipe": 1, "steps": [{"op": "validate", "name": "r", "where": {"column": "d", "is_null": false}}]}"#,
      columns: ["a"])
    XCTAssertEqual((rule as? PlanError)?.field, "where.column")
  }

  func testFilterWithoutWhereOrWithABadKeepIsARecipeError() throws {
    let missing = try XCTUnwrap(stepError(#"{"op": "filter"}"#))
    XCTAssertEqual(missing.field, "where")
    XCTAssertEqual(missing.step, 1)
    let keep = try XCTUnwrap(
      stepError(#"{"op": "filter", "where": {"column": "a", "is_null": true}, "keep": "matchin"}"#))
    XCTAssertEqual(keep.field, "keep")
    XCTAssertEqual(keep.message, #""matchin" is not one of matching, non_matching; did you mean "matching"?"#)
  }

  // MARK: validate

  let rule = #""name": "amount positive", "where": {"column": "amount", "gt": 0}"#

  func testValidateDecodesWithRejectByDefault() throws {
    let op = try decodedOperation(ValidateOperation.self, #"{"op": "validate", \#(rule)}"#)
    XCTAssertEqual(op.name, "amount positive")
    XCTAssertEqual(op.onViolation, .reject)
    XCTAssertEqual(op.summary, #"validate "amount positive": amount > 0"#)
    XCTAssertEqual(
      JSONValue.object(op.encodedParameters()).compactText,
      #"{"name":"amount positive","where":{"column":"amount","gt":0},"on_error":"reject"}"#)
  }

  func testValidateRejectsRowsThatBreakTheRuleWithTheRulesName() throws {
    let r = try applyStep(#"{"op": "validate", \#(rule)}"#, columns: people, rows: rows)
    XCTAssertEqual(r.column("id"), ["1", "4", "5"])
    // A null amount is not a number, so it breaks the rule.
    XCTAssertEqual(r.rejects, [#"3: failed rule "amount positive""#, #"4: failed rule "amount positive""#])
    XCTAssertEqual(
      [r.counts.rowsIn, r.counts.rowsOut, r.counts.rowsRemoved, r.counts.rowsRejected], [5, 3, 0, 2])
    XCTAssertEqual(r.counts.ruleViolations, 0)
  }

  func testValidateKeepLetsEveryRowThroughAndCountsViolations() throws {
    let r = try applyStep(#"{"op": "validate", \#(rule), "on_error": "keep"}"#, columns: people, rows: rows)
    XCTAssertEqual(r.rows, rows)
    XCTAssertEqual(r.rejects, [])
    XCTAssertEqual(r.counts.ruleViolations, 2)
    XCTAssertEqual(r.counts.rowsRejected, 0)
  }

  func testValidateFailStopsAtTheFirstRowThatBreaksTheRule() throws {
    let e = try XCTUnwrap(
      dataError(#"{"op": "validate", \#(rule), "on_error": "fail"}"#, columns: people, rows: rows))
    XCTAssertEqual(e.line, 3)
    XCTAssertEqual(e.step, 1)
    XCTAssertEqual(e.op, "validate")
    XCTAssertEqual(e.message, #"failed rule "amount positive""#)
    XCTAssertEqual(e.description, #"line 3: step 1 (validate): failed rule "amount positive""#)
  }

  func testValidateCountsViolationsOverEveryBatchWithOneOrThreeWorkers() throws {
    // runSteps compares one worker with three, counts included.
    let result = try runSteps(
      steps:
        #"{"op": "validate", "name": "k set", "where": {"column": "k", "is_null": false}, "on_error": "keep"}"#,
      columns: ["k"], batches: [[["a"], [""]], [[""], [""]], [["b"]], [[""]]])
    XCTAssertEqual(result.counts[1].ruleViolations, 4)
    XCTAssertEqual(result.rowsOut, 6)
    let rejected = try runSteps(
      steps: #"{"op": "validate", "name": "k set", "where": {"column": "k", "is_null": false}}"#,
      columns: ["k"], batches: [[["a"], [""]], [[""], ["c"]], [["b"]], [[""]]])
    XCTAssertEqual(rejected.rejects.map(\.line), [3, 4, 7])
    XCTAssertEqual(rejected.rejects.map(\.step), ["1 validate", "1 validate", "1 validate"])
    XCTAssertEqual(Set(rejected.rejects.map(\.reason)), [#"failed rule "k set""#])
  }

  func testValidateOnErrorTakesOnlyRejectFailOrKeep() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "validate", \#(rule), "on_error": "null"}"#))
    XCTAssertEqual(e.field, "on_error")
    XCTAssertEqual(e.message, #""null" is not one of reject, fail, keep"#)
    let unnamed = try XCTUnwrap(stepError(#"{"op": "validate", "where": {"column": "a", "gt": 0}}"#))
    XCTAssertEqual(unnamed.field, "name")
    let empty = try XCTUnwrap(
      stepError(#"{"op": "validate", "name": "", "where": {"column": "a", "gt": 0}}"#))
    XCTAssertEqual(empty.message, "must not be empty")
    let noRule = try XCTUnwrap(stepError(#"{"op": "validate", "name": "r"}"#))
    XCTAssertEqual(noRule.field, "where")
  }

  // MARK: select

  func testSelectKeepsTheListedColumnsInTheListedOrder() throws {
    let op = try decodedOperation(SelectOperation.self, #"{"op": "select", "columns": ["amount", "id"]}"#)
    XCTAssertEqual(op.summary, "select amount, id")
    let r = try applyStep(#"{"op": "select", "columns": ["amount", "id"]}"#, columns: people, rows: rows)
    XCTAssertEqual(r.columns, ["amount", "id"])
    XCTAssertEqual(r.rows, rows.map { [$0[2], $0[0]] })
    XCTAssertEqual(r.counts.rowsOut, 5)
  }

  func testRowsRejectedAfterSelectKeepEveryInputColumnInTheRejectsFile() throws {
    let result = try runSteps(
      steps:
        #"{"op": "select", "columns": ["name"]}, {"op": "validate", "name": "named", "where": {"column": "name", "is_null": false}}"#,
      columns: people, batches: [Array(rows[0..<3]), Array(rows[3...])])
    XCTAssertEqual(result.columns, ["name"])
    XCTAssertEqual(result.rows, [["Ann"], ["Bob"], ["Cy"], ["NA"]])
    XCTAssertEqual(result.rejects.map(\.values), [["2", "", "-3"]])
  }

  func testSelectErrors() throws {
    let missing = planError(
      #"{"decant_recipe": 1, "steps": [{"op": "select", "columns": ["id", "nme"]}]}"#, columns: people)
    let plan = try XCTUnwrap(missing as? PlanError)
    XCTAssertEqual(plan.field, "columns")
    XCTAssertTrue(plan.message.contains(#""nme" → did you mean "name"?"#), plan.message)
    XCTAssertEqual(
      stepError(#"{"op": "select", "columns": ["id", "id"]}"#)?.message, #"names the column "id" twice"#)
    XCTAssertEqual(stepError(#"{"op": "select", "columns": []}"#)?.message, "must name at least one column")
    let scoped = try XCTUnwrap(
      stepError(#"{"op": "select", "columns": ["id"], "where": {"column": "id", "equals": "1"}}"#))
    XCTAssertEqual(scoped.field, "where")
    XCTAssertEqual(scoped.op, "select")
    XCTAssertTrue(scoped.message.contains("takes no \"where\""), scoped.message)
  }

  // MARK: drop

  func testDropRemovesTheListedColumnsAndKeepsTheOrderOfTheRest() throws {
    let op = try decodedOperation(DropOperation.self, #"{"op": "drop", "columns": ["name"]}"#)
    XCTAssertEqual(op.summary, "drop name")
    let r = try applyStep(#"{"op": "drop", "columns": ["name"]}"#, columns: people, rows: rows)
    XCTAssertEqual(r.columns, ["id", "amount"])
    XCTAssertEqual(r.rows, rows.map { [$0[0], $0[2]] })
    // A later step can add a column under a dropped name.
    let again = try applySteps(
      #"{"op": "drop", "columns": ["name"]}, {"op": "copy", "column": "id", "to": "name"}"#, columns: people,
      rows: rows)
    XCTAssertEqual(again.columns, ["id", "name", "amount"])
  }

  func testDropErrors() throws {
    let all = planError(
      #"{"decant_recipe": 1, "steps": [{"op": "drop", "columns": ["id", "name", "amount"]}]}"#,
      columns: people)
    XCTAssertEqual((all as? PlanError)?.field, "columns")
    let missing = planError(
      #"{"decant_recipe": 1, "steps": [{"op": "drop", "columns": ["ammount"]}]}"#, columns: people)
    XCTAssertEqual((missing as? PlanError)?.missingColumns, ["ammount"])
    let scoped = try XCTUnwrap(
      stepError(#"{"op": "drop", "columns": ["id"], "where": {"column": "id", "equals": "1"}}"#))
    XCTAssertEqual(scoped.field, "where")
    XCTAssertTrue(
      scoped.description.hasPrefix(#"step 1 (drop), field "where": drop acts on columns"#), scoped.description
    )
  }

  func testRenameTakesNoWhereEither() throws {
    let e = try XCTUnwrap(
      stepError(#"{"op": "rename", "columns": {"id": "key"}, "where": {"column": "id", "equals": "1"}}"#))
    XCTAssertEqual(e.field, "where")
    XCTAssertEqual(e.op, "rename")
  }
}
