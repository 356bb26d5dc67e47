import XCTest

@testable import DecantCore

/// `copy`, `set`, `merge` and `split`: operations that add columns (or, for
/// `set`, overwrite one). New columns go right after their source as the columns
/// stand (merge: after the rightmost source; set: at the end), are null on rows
/// outside `where`, and a source cell that is not valid UTF-8 is a value error
/// under `on_error` (DESIGN.md §8 and its settled readings).
final class ColumnAdditionTests: XCTestCase {
  // MARK: copy

  func testCopyDecodesWithRejectByDefault() throws {
    let op = try decodedOperation(CopyOperation.self, #"{"op": "copy", "column": "a", "to": "a copy"}"#)
    XCTAssertEqual(op.column, "a")
    XCTAssertEqual(op.to, "a copy")
    XCTAssertEqual(op.onError, .reject)
    XCTAssertEqual(op.summary, #"copy a to "a copy""#)
    XCTAssertEqual(
      JSONValue.object(op.encodedParameters()).compactText,
      #"{"column":"a","to":"a copy","on_error":"reject"}"#)
  }

  func testCopyPutsTheNewColumnRightAfterItsSource() throws {
    let r = try applyStep(
      #"{"op": "copy", "column": "b", "to": "b2"}"#, columns: ["a", "b", "c"], rows: [["1", "x", "y"]])
    XCTAssertEqual(r.columns, ["a", "b", "b2", "c"])
    XCTAssertEqual(r.rows, [["1", "x", "x", "y"]])
  }

  func testALaterCopyOfTheSameSourceComesFirst() throws {
    let r = try applySteps(
      #"{"op": "copy", "column": "b", "to": "first"}, {"op": "copy", "column": "b", "to": "second"}"#,
      columns: ["a", "b", "c"], rows: [["1", "x", "y"]])
    XCTAssertEqual(r.columns, ["a", "b", "second", "first", "c"])
  }

  func testCopyOfNullIsNullAndOfAnEmptyStringIsEmpty() throws {
    let r = try applyStep(
      #"{"op": "copy", "column": "a", "to": "b"}"#, columns: ["a"], rows: [["x"], ["NA"], [""], [" "]],
      nullValues: ["", "NA"])
    XCTAssertEqual(r.column("b"), ["x", "", "", " "])
    XCTAssertEqual(r.column("a"), ["x", "NA", "", " "])
  }

  func testCopyOfInvalidUTF8FollowsOnError() throws {
    let table = [["ok"], ["caf\\xE9"], ["fine"]]
    let rejected = try applyStep(#"{"op": "copy", "column": "a", "to": "b"}"#, columns: ["a"], rows: table)
    XCTAssertEqual(rejected.rows, [["ok", "ok"], ["fine", "fine"]])
    XCTAssertEqual(rejected.rejects, ["3: column a is not valid UTF-8"])
    XCTAssertEqual(rejected.counts.rowsRejected, 1)

    let nulled = try applyStep(
      #"{"op": "copy", "column": "a", "to": "b", "on_error": "null"}"#, columns: ["a"], rows: table)
    XCTAssertEqual(nulled.rows, [["ok", "ok"], ["caf\\xE9", ""], ["fine", "fine"]])
    XCTAssertEqual(nulled.rejects, [])

    let kept = try applyStep(
      #"{"op": "copy", "column": "a", "to": "b", "on_error": "keep"}"#, columns: ["a"], rows: table)
    XCTAssertEqual(kept.rows, [["ok", "ok"], ["caf\\xE9", "caf\\xE9"], ["fine", "fine"]])

    let e = try XCTUnwrap(
      dataError(#"{"op": "copy", "column": "a", "to": "b", "on_error": "fail"}"#, columns: ["a"], rows: table)
    )
    XCTAssertEqual(e.line, 3)
    XCTAssertEqual(e.description, "line 3: step 1 (copy): column a is not valid UTF-8")
  }

  func testCopyWithWhereLeavesTheNewColumnNullOnOtherRowsAndChecksOnlyMatchingRows() throws {
    let r = try applyStep(
      #"{"op": "copy", "column": "a", "to": "b", "where": {"column": "k", "equals": "y"}}"#,
      columns: ["k", "a"],
      rows: [["y", "1"], ["n", "2"], ["n", "\\xFF"], ["y", "4"]])
    XCTAssertEqual(r.rows, [["y", "1", "1"], ["n", "2", ""], ["n", "\\xFF", ""], ["y", "4", "4"]])
    XCTAssertEqual(r.rejects, [], "a row outside the where is not read")
    XCTAssertEqual(
      try decodedStep(#"{"op": "copy", "column": "a", "to": "b", "where": {"column": "k", "equals": "y"}}"#)
        .summary,
      #"copy a to b where k = "y""#)
  }

  func testCopyKeepsTheKindOfJSONValues() throws {
    // Cells read from JSON Lines as numbers or booleans are literals; a copy is the same value.
    var batch = Batch(columns: [[], []], lines: [2, 3, 4])
    for (text, literal) in [("5", true), ("x", false), ("true", true)] {
      batch.columns[0].append(batch.append(Array(text.utf8), jsonLiteral: literal))
      batch.columns[1].append(batch.append(Array("k".utf8)))
    }
    batch.originalColumns = batch.columns
    let step = try decodedStep(#"{"op": "copy", "column": "n", "to": "n2"}"#)
    let outcome = try StepEvaluator.apply(
      step, number: 1, to: batch, schema: Schema(["n", "k"]), nullValues: NullValues())
    XCTAssertEqual(outcome.schema.names, ["n", "n2", "k"])
    XCTAssertEqual(outcome.batch.columns[1].map(\.isJSONLiteral), [true, false, true])
    XCTAssertEqual(rowsOf(outcome.batch).map { $0[1] }, ["5", "x", "true"])
  }

  // MARK: Clashes

  func testANewNameInTheSavedHeaderOrMadeByAnEarlierStepIsARecipeError() throws {
    let saved = planError(
      #"{"decant_recipe": 1, "input": {"columns": ["a", "b"]}, "steps": [{"op": "copy", "column": "a", "to": "b"}]}"#,
      columns: ["a", "b"])
    let recipeError = try XCTUnwrap(saved as? RecipeError, "\(String(describing: saved))")
    XCTAssertEqual(recipeError.step, 1)
    XCTAssertEqual(recipeError.op, "copy")
    XCTAssertEqual(recipeError.field, "to")
    XCTAssertEqual(
      recipeError.message,
      #"the new column "b" clashes with an existing column; choose another name or rename or drop that column first"#
    )

    let earlier = planError(
      #"{"decant_recipe": 1, "steps": [{"op": "copy", "column": "a", "to": "c"}, {"op": "split", "column": "a", "separator": "-", "into": ["x", "c"]}]}"#,
      columns: ["a"])
    let fromStep = try XCTUnwrap(earlier as? RecipeError, "\(String(describing: earlier))")
    XCTAssertEqual(fromStep.step, 2)
    XCTAssertEqual(fromStep.field, "into")
  }

  func testANewNameOnlyTheInputHasIsAPlanError() throws {
    // No saved header: only the file shows the name.
    for step in [
      #"{"op": "copy", "column": "a", "to": "b"}"#,
      #"{"op": "merge", "columns": ["a", "b"], "to": "b"}"#,
      #"{"op": "split", "column": "a", "separator": "-", "into": ["x", "b"]}"#,
      #"{"op": "extract", "column": "a", "pattern": "x", "to": "b"}"#,
    ] {
      let e = planError(#"{"decant_recipe": 1, "steps": [\#(step)]}"#, columns: ["a", "b"])
      let plan = try XCTUnwrap(e as? PlanError, "\(step): \(String(describing: e))")
      XCTAssertEqual(plan.step, 1)
      XCTAssertTrue(plan.message.contains(#"the new column "b" clashes"#), plan.message)
    }
    // Saved with other columns: the input's extra column still counts as unsaved.
    let e = planError(
      #"{"decant_recipe": 1, "input": {"columns": ["a"]}, "steps": [{"op": "copy", "column": "a", "to": "b"}]}"#,
      columns: ["a", "b"])
    XCTAssertEqual((e as? PlanError)?.field, "to")
  }

  func testANameOnlyUsedInAConditionDoesNotMakeAClashARecipeError() throws {
    let e = planError(
      #"{"decant_recipe": 1, "steps": [{"op": "filter", "where": {"column": "b", "is_null": false}}, {"op": "copy", "column": "a", "to": "b"}]}"#,
      columns: ["a", "b"])
    XCTAssertTrue(e is PlanError, "\(String(describing: e))")
  }

  // MARK: set

  func testSetDecodesStringsNumbersBooleansAndNull() throws {
    let text = try decodedOperation(SetOperation.self, #"{"op": "set", "column": "c", "value": "x y"}"#)
    XCTAssertEqual(text.value, "x y")
    XCTAssertFalse(text.literal)
    XCTAssertEqual(text.summary, #"set c to "x y""#)
    let number = try decodedOperation(SetOperation.self, #"{"op": "set", "column": "c", "value": 10.50}"#)
    XCTAssertEqual(number.value, "10.50")
    XCTAssertTrue(number.literal)
    XCTAssertEqual(JSONValue.object(number.encodedParameters()).compactText, #"{"column":"c","value":10.50}"#)
    let flag = try decodedOperation(SetOperation.self, #"{"op": "set", "column": "c", "value": false}"#)
    XCTAssertEqual(flag.value, "false")
    XCTAssertEqual(JSONValue.object(flag.encodedParameters()).compactText, #"{"column":"c","value":false}"#)
    let null = try decodedOperation(SetOperation.self, #"{"op": "set", "column": "c", "value": null}"#)
    XCTAssertNil(null.value)
    XCTAssertEqual(null.summary, "set c to null")
    XCTAssertEqual(JSONValue.object(null.encodedParameters()).compactText, #"{"column":"c","value":null}"#)
  }

  func testSetErrors() throws {
    XCTAssertEqual(
      stepError(#"{"op": "set", "column": "c"}"#)?.message, "is required (a string, a number or null)")
    XCTAssertEqual(
      stepError(#"{"op": "set", "column": "c", "value": ["x"]}"#)?.message,
      "must be a string, a number or null, not an array")
    let onError = try XCTUnwrap(stepError(#"{"op": "set", "column": "c", "value": "x", "on_error": "keep"}"#))
    XCTAssertEqual(onError.field, "on_error")
    XCTAssertTrue(onError.message.hasPrefix("is not a field of set"), onError.message)
  }

  func testSetOverwritesAnExistingColumnOnTheRowsInScope() throws {
    let table = [["1", "a"], ["2", ""], ["3", "\\xFF"]]
    let all = try applyStep(
      #"{"op": "set", "column": "v", "value": "z"}"#, columns: ["id", "v"], rows: table)
    XCTAssertEqual(all.rows, [["1", "z"], ["2", "z"], ["3", "z"]])
    XCTAssertEqual(all.columns, ["id", "v"])
    let scoped = try applyStep(
      #"{"op": "set", "column": "v", "value": null, "where": {"column": "id", "gte": 2}}"#,
      columns: ["id", "v"],
      rows: [["1", "a"], ["2", "b"], ["3", "c"]])
    XCTAssertEqual(scoped.rows, [["1", "a"], ["2", ""], ["3", ""]])
    XCTAssertEqual(scoped.rejects, [])
  }

  func testSetOfANewColumnAddsItAtTheEndNullOutsideWhere() throws {
    let r = try applyStep(
      #"{"op": "set", "column": "flag", "value": 1, "where": {"column": "id", "in": ["1", "3"]}}"#,
      columns: ["id", "v"], rows: [["1", "a"], ["2", "b"], ["3", "c"]])
    XCTAssertEqual(r.columns, ["id", "v", "flag"])
    XCTAssertEqual(r.column("flag"), ["1", "", "1"])
    let null = try applyStep(
      #"{"op": "set", "column": "flag", "value": null}"#, columns: ["id"], rows: [["1"], ["2"]])
    XCTAssertEqual(null.rows, [["1", ""], ["2", ""]])
  }

  func testSetOfANewColumnNamedInTheSavedHeaderIsNoError() throws {
    // The column is missing from this input, so set adds it.
    let r = try Recipe.decode(
      #"{"decant_recipe": 1, "input": {"columns": ["a", "b"]}, "steps": [{"op": "set", "column": "b", "value": "x"}]}"#
    )
    XCTAssertEqual(try r.plan(Schema(["a"])).last?.names, ["a", "b"])
  }

  func testSetWritesNumbersAndBooleansAsJSONValuesInNewAndExistingColumns() throws {
    let step = try decodedStep(
      #"{"op": "set", "column": "n", "value": 7}"#)
    let batch = makeBatch([["a", "b"], ["c", "d"]])
    let existing = try StepEvaluator.apply(
      step, number: 1, to: batch, schema: Schema(["n", "x"]), nullValues: NullValues())
    XCTAssertEqual(existing.batch.columns[0].map(\.isJSONLiteral), [true, true])
    let added = try StepEvaluator.apply(
      step, number: 1, to: batch, schema: Schema(["m", "x"]), nullValues: NullValues())
    XCTAssertEqual(added.schema.names, ["m", "x", "n"])
    XCTAssertEqual(added.batch.columns[2].map(\.isJSONLiteral), [true, true])
    XCTAssertEqual(rowsOf(added.batch), [["a", "b", "7"], ["c", "d", "7"]])
    let text = try StepEvaluator.apply(
      try decodedStep(#"{"op": "set", "column": "n", "value": "7"}"#), number: 1, to: batch,
      schema: Schema(["m", "x"]), nullValues: NullValues())
    XCTAssertEqual(text.batch.columns[2].map(\.isJSONLiteral), [false, false])
  }

  // MARK: merge

  func testMergeDecodesWithItsDefaults() throws {
    let op = try decodedOperation(MergeOperation.self, #"{"op": "merge", "columns": ["a", "b"], "to": "ab"}"#)
    XCTAssertEqual(op.separator, "")
    XCTAssertEqual(op.nulls, .skip)
    XCTAssertEqual(op.onError, .reject)
    XCTAssertEqual(op.summary, "merge a, b to ab")
    XCTAssertEqual(
      JSONValue.object(op.encodedParameters()).compactText,
      #"{"columns":["a","b"],"to":"ab","separator":"","nulls":"skip","on_error":"reject"}"#)
    let spaced = try decodedOperation(
      MergeOperation.self, #"{"op": "merge", "columns": ["a", "b"], "to": "ab", "separator": " "}"#)
    XCTAssertEqual(spaced.summary, #"merge a, b to ab with " ""#)
    let number = try decodedOperation(
      MergeOperation.self, #"{"op": "merge", "columns": ["a", "b"], "to": "ab", "separator": 0}"#)
    XCTAssertEqual(number.separator, "0")
  }

  func testMergePutsTheNewColumnAfterTheRightmostSource() throws {
    let r = try applyStep(
      #"{"op": "merge", "columns": ["c", "a"], "to": "ca", "separator": "/"}"#,
      columns: ["a", "b", "c", "d"],
      rows: [["1", "2", "3", "4"]])
    XCTAssertEqual(r.columns, ["a", "b", "c", "ca", "d"])
    XCTAssertEqual(r.rows, [["1", "2", "3", "3/1", "4"]])
  }

  func testMergeNullsSkipLeavesOutNullPartsAndTheirSeparators() throws {
    let table = [
      ["x", "y", "z"], ["x", "", "z"], ["", "", "z"], ["", "", ""], ["NA", "", ""], [" ", "", ""],
    ]
    let r = try applyStep(
      #"{"op": "merge", "columns": ["a", "b", "c"], "to": "m", "separator": "-"}"#, columns: ["a", "b", "c"],
      rows: table, nullValues: ["", "NA"])
    XCTAssertEqual(r.column("m"), ["x-y-z", "x-z", "z", "", "", " "])
  }

  func testMergeNullsEmptyTreatsANullPartAsEmptyText() throws {
    let r = try applyStep(
      #"{"op": "merge", "columns": ["a", "b", "c"], "to": "m", "separator": "-", "nulls": "empty"}"#,
      columns: ["a", "b", "c"], rows: [["x", "", "z"], ["", "", ""], ["NA", "y", "NA"]],
      nullValues: ["", "NA"])
    XCTAssertEqual(r.column("m"), ["x--z", "--", "-y-"])
  }

  func testMergeNullsNullMakesTheResultNullWhenAnyPartIs() throws {
    let r = try applyStep(
      #"{"op": "merge", "columns": ["a", "b"], "to": "m", "separator": "-", "nulls": "null"}"#,
      columns: ["a", "b"], rows: [["x", "y"], ["x", ""], ["", "y"], ["x", "NA"]], nullValues: ["", "NA"])
    XCTAssertEqual(r.column("m"), ["x-y", "", "", ""])
  }

  func testMergeOfEmptyButNotNullPartsKeepsTheirSeparators() throws {
    let r = try applyStep(
      #"{"op": "merge", "columns": ["a", "b"], "to": "m", "separator": "+"}"#, columns: ["a", "b"],
      rows: [["", "y"], ["", ""], ["NA", ""]], nullValues: ["NA"])
    XCTAssertEqual(r.column("m"), ["+y", "+", ""])
  }

  func testMergeOfInvalidUTF8FollowsOnError() throws {
    let table = [["a", "b"], ["a", "\\xC3("], ["c", "d"]]
    let step = #"{"op": "merge", "columns": ["x", "y"], "to": "m", "separator": "|""#
    let rejected = try applyStep(step + "}", columns: ["x", "y"], rows: table)
    XCTAssertEqual(rejected.column("m"), ["a|b", "c|d"])
    XCTAssertEqual(rejected.rejects, ["3: column y is not valid UTF-8"])
    let nulled = try applyStep(step + #", "on_error": "null"}"#, columns: ["x", "y"], rows: table)
    XCTAssertEqual(nulled.rows, [["a", "b", "a|b"], ["a", "\\xC3(", ""], ["c", "d", "c|d"]])
    let kept = try applyStep(step + #", "on_error": "keep"}"#, columns: ["x", "y"], rows: table)
    XCTAssertEqual(kept.column("m"), ["a|b", "a|\\xC3(", "c|d"])
    let e = try XCTUnwrap(dataError(step + #", "on_error": "fail"}"#, columns: ["x", "y"], rows: table))
    XCTAssertEqual(e.description, "line 3: step 1 (merge): column y is not valid UTF-8")
  }

  func testMergeWithWhereLeavesTheNewColumnNullOnOtherRows() throws {
    let r = try applyStep(
      #"{"op": "merge", "columns": ["a", "b"], "to": "m", "where": {"column": "a", "starts_with": "k"}}"#,
      columns: ["a", "b"], rows: [["k1", "x"], ["j", "\\xFF"], ["k2", "y"]])
    XCTAssertEqual(r.column("m"), ["k1x", "", "k2y"])
    XCTAssertEqual(r.rejects, [])
  }

  func testMergeErrors() throws {
    XCTAssertEqual(
      stepError(#"{"op": "merge", "columns": ["a"], "to": "m"}"#)?.message, "must name at least two columns")
    XCTAssertEqual(
      stepError(#"{"op": "merge", "columns": ["a", "a"], "to": "m"}"#)?.message,
      #"names the column "a" twice"#)
    XCTAssertEqual(stepError(#"{"op": "merge", "columns": ["a", "b"]}"#)?.field, "to")
    let nulls = try XCTUnwrap(
      stepError(#"{"op": "merge", "columns": ["a", "b"], "to": "m", "nulls": "skp"}"#))
    XCTAssertEqual(nulls.message, #""skp" is not one of skip, empty, null; did you mean "skip"?"#)
    // A source named in the step itself is not in the saved header: a plan error.
    let clash = planError(
      #"{"decant_recipe": 1, "steps": [{"op": "merge", "columns": ["a", "b"], "to": "a"}]}"#,
      columns: ["a", "b"])
    XCTAssertEqual((clash as? PlanError)?.field, "to", "\(String(describing: clash))")
  }

  // MARK: split

  func testSplitDecodesItsParameters() throws {
    let op = try decodedOperation(
      SplitOperation.self, #"{"op": "split", "column": "tags", "separator": ";", "into": ["t1", "t2"]}"#)
    XCTAssertEqual(op.into, ["t1", "t2"])
    XCTAssertEqual(op.onError, .reject)
    XCTAssertEqual(op.summary, #"split tags on ";" into t1, t2"#)
    XCTAssertEqual(
      JSONValue.object(op.encodedParameters()).compactText,
      #"{"column":"tags","separator":";","into":["t1","t2"],"on_error":"reject"}"#)
  }

  func testSplitPutsThePartsRightAfterTheSource() throws {
    let r = try applyStep(
      #"{"op": "split", "column": "d", "separator": "-", "into": ["y", "m", "day"]}"#,
      columns: ["id", "d", "z"],
      rows: [["1", "2024-03-10", "q"]])
    XCTAssertEqual(r.columns, ["id", "d", "y", "m", "day", "z"])
    XCTAssertEqual(r.rows, [["1", "2024-03-10", "2024", "03", "10", "q"]])
  }

  func testSplitWithMorePartsKeepsTheRestInTheLastColumn() throws {
    let r = try applyStep(
      #"{"op": "split", "column": "s", "separator": ";", "into": ["a", "b"]}"#, columns: ["s"],
      rows: [["x;y;z"], ["x;;"], [";;;"]])
    XCTAssertEqual(r.rows.map { Array($0.dropFirst()) }, [["x", "y;z"], ["x", ";"], ["", ";;"]])
  }

  func testSplitWithFewerPartsLeavesTheRestNull() throws {
    let r = try applyStep(
      #"{"op": "split", "column": "s", "separator": ";", "into": ["a", "b", "c"]}"#, columns: ["s"],
      rows: [["x"], ["x;y"], ["green;"], [";"], [" "]])
    XCTAssertEqual(
      r.rows.map { Array($0.dropFirst()) },
      [["x", "", ""], ["x", "y", ""], ["green", "", ""], ["", "", ""], [" ", "", ""]])
  }

  func testSplitOfNullGivesNullEverywhere() throws {
    let r = try applyStep(
      #"{"op": "split", "column": "s", "separator": "NA", "into": ["a", "b"]}"#, columns: ["s"],
      rows: [["NA"], ["xNAy"], [""]], nullValues: ["", "NA"])
    XCTAssertEqual(r.rows, [["NA", "", ""], ["xNAy", "x", "y"], ["", "", ""]])
  }

  func testSplitOnASeparatorOfSeveralCharacters() throws {
    let r = try applyStep(
      #"{"op": "split", "column": "s", "separator": " → ", "into": ["from", "to"]}"#, columns: ["s"],
      rows: [["Zürich → Genève"], ["a →b"], ["→ → → "]])
    XCTAssertEqual(
      r.rows.map { Array($0.dropFirst()) }, [["Zürich", "Genève"], ["a →b", ""], ["→", "→ "]])
    let number = try applyStep(
      #"{"op": "split", "column": "s", "separator": 0, "into": ["a", "b"]}"#, columns: ["s"], rows: [["102"]])
    XCTAssertEqual(number.rows, [["102", "1", "2"]])
  }

  func testSplitOfInvalidUTF8FollowsOnError() throws {
    let table = [["a;b"], ["\\xFF;b"], ["c;d"]]
    let step = #"{"op": "split", "column": "s", "separator": ";", "into": ["x", "y"]"#
    let rejected = try applyStep(step + "}", columns: ["s"], rows: table)
    XCTAssertEqual(rejected.rows, [["a;b", "a", "b"], ["c;d", "c", "d"]])
    XCTAssertEqual(rejected.rejects, ["3: column s is not valid UTF-8"])
    let nulled = try applyStep(step + #", "on_error": "null"}"#, columns: ["s"], rows: table)
    XCTAssertEqual(nulled.rows, [["a;b", "a", "b"], ["\\xFF;b", "", ""], ["c;d", "c", "d"]])
    let kept = try applyStep(step + #", "on_error": "keep"}"#, columns: ["s"], rows: table)
    XCTAssertEqual(kept.rows, [["a;b", "a", "b"], ["\\xFF;b", "\\xFF", "b"], ["c;d", "c", "d"]])
    let e = try XCTUnwrap(dataError(step + #", "on_error": "fail"}"#, columns: ["s"], rows: table))
    XCTAssertEqual(e.line, 3)
    XCTAssertEqual(e.message, "column s is not valid UTF-8")
  }

  func testSplitWithWhereLeavesEveryNewColumnNullOnOtherRows() throws {
    let r = try applyStep(
      #"{"op": "split", "column": "s", "separator": "-", "into": ["a", "b"], "where": {"not": {"column": "s", "contains": "!"}}}"#,
      columns: ["s"], rows: [["1-2"], ["3-4!"], ["5-6"]])
    XCTAssertEqual(r.rows, [["1-2", "1", "2"], ["3-4!", "", ""], ["5-6", "5", "6"]])
  }

  func testSplitErrors() throws {
    XCTAssertEqual(
      stepError(#"{"op": "split", "column": "s", "separator": "", "into": ["a", "b"]}"#)?.message,
      "must not be empty")
    XCTAssertEqual(
      stepError(#"{"op": "split", "column": "s", "separator": ";", "into": ["a"]}"#)?.message,
      "must name at least two new columns")
    XCTAssertEqual(stepError(#"{"op": "split", "column": "s", "into": ["a", "b"]}"#)?.field, "separator")
    XCTAssertEqual(stepError(#"{"op": "split", "column": "s", "separator": ";"}"#)?.field, "into")
    XCTAssertEqual(
      stepError(#"{"op": "split", "column": "s", "separator": ";", "into": ["a", ""]}"#)?.message,
      "column names must not be empty")
    let clash = planError(
      #"{"decant_recipe": 1, "steps": [{"op": "split", "column": "s", "separator": ";", "into": ["a", "s"]}]}"#,
      columns: ["s"])
    XCTAssertEqual((clash as? PlanError)?.field, "into", "\(String(describing: clash))")
  }

  // MARK: Several batches, one worker and three

  func testColumnAdditionsGiveTheSameRowsWithOneWorkerAndThree() throws {
    // runSteps checks one worker against three and the row accounting.
    let result = try runSteps(
      steps: """
        {"op": "copy", "column": "s", "to": "s2", "where": {"column": "n", "lt": 4}},
        {"op": "split", "column": "s", "separator": ";", "into": ["p", "q"]},
        {"op": "merge", "columns": ["q", "n"], "to": "qn", "separator": "#"},
        {"op": "set", "column": "mark", "value": "m", "where": {"column": "p", "equals": "b"}}
        """,
      columns: ["n", "s"],
      batches: [[["1", "a;b"], ["2", "\\xFF"]], [["3", "b;c;d"], ["4", ""]], [["5", "b"]]])
    XCTAssertEqual(result.columns, ["n", "s", "p", "q", "qn", "s2", "mark"])
    XCTAssertEqual(
      result.rows,
      [
        ["1", "a;b", "a", "b", "b#1", "a;b", ""], ["3", "b;c;d", "b", "c;d", "c;d#3", "b;c;d", "m"],
        ["4", "", "", "", "4", "", ""], ["5", "b", "b", "", "5", "", "m"],
      ])
    XCTAssertEqual(
      result.rejects,
      [RejectedRow(step: "1 copy", reason: "column s is not valid UTF-8", line: 3, values: ["2", "\\xFF"])])
    XCTAssertEqual(
      countTuples(result), [[5, 5, 0, 0], [5, 4, 0, 1], [4, 4, 0, 0], [4, 4, 0, 0], [4, 4, 0, 0]])
  }
}
