import Foundation
import XCTest

@testable import DecantCore

/// Conditions (DESIGN.md §7 with settled readings 6, 7, 9 and 10): strict JSON
/// decoding with errors that name the step and the path, evaluation over a
/// batch's bytes, the text form (printing, parsing, and a round trip over
/// generated conditions), and the evaluator against a small Python evaluator
/// written from §7.
final class ConditionTests: XCTestCase {
  // MARK: Helpers

  func decode(_ json: String) throws -> Condition {
    try Condition.decode(try JSONValue.parse(json), path: "where")
  }

  func leaf(_ column: String, _ predicate: DecantCore.Predicate, ci: Bool = false) -> Condition {
    .leaf(ConditionLeaf(column: column, predicate: predicate, caseInsensitive: ci))
  }

  func num(_ s: String) -> DecimalText { DecimalText(s)! }

  func regex(_ pattern: String, ci: Bool = false) throws -> DecantCore.Predicate {
    .matches(try RegexPattern(pattern, caseInsensitive: ci))
  }

  /// The error of a `fill_null` step with this `where`.
  func whereError(_ condition: String, file: StaticString = #filePath, line: UInt = #line) -> RecipeError? {
    stepError(
      #"{"op": "fill_null", "columns": ["a"], "value": "x", "where": \#(condition)}"#, file: file, line: line)
  }

  /// A batch whose cells are any bytes (valid UTF-8 or not).
  func byteBatch(_ rows: [[[UInt8]]], columnCount: Int) -> Batch {
    var arena: [UInt8] = []
    var columns = [[Cell]](repeating: [], count: columnCount)
    for row in rows {
      for (c, value) in row.enumerated() {
        columns[c].append(Cell(start: arena.count, length: value.count))
        arena += value
      }
    }
    return Batch(arena: arena, columns: columns, lines: Array(2..<(2 + rows.count)))
  }

  /// Evaluates a condition over column `a` holding `cells`.
  func evaluate(_ json: String, _ cells: [String], nulls: [String] = [""]) throws -> [Bool] {
    try evaluate(json, bytes: cells.map { Array($0.utf8) }, nulls: nulls)
  }

  func evaluate(_ json: String, bytes cells: [[UInt8]], nulls: [String] = [""]) throws -> [Bool] {
    let evaluator = ConditionEvaluator(try decode(json), schema: Schema(["a"]), nulls: NullValues(nulls))
    return evaluator.evaluate(byteBatch(cells.map { [$0] }, columnCount: 1))
  }

  /// Evaluates a condition over rows of named columns.
  func evaluate(_ condition: Condition, columns: [String], rows: [[String]], nulls: [String] = [""]) -> [Bool]
  {
    ConditionEvaluator(condition, schema: Schema(columns), nulls: NullValues(nulls)).evaluate(makeBatch(rows))
  }

  // MARK: JSON: every predicate

  func testEveryPredicateDecodesFromJSON() throws {
    let cases: [(String, Condition)] = [
      (#"{"column": "a", "is_null": true}"#, leaf("a", .isNull(true))),
      (#"{"column": "a", "is_null": false}"#, leaf("a", .isNull(false))),
      (#"{"column": "a", "equals": "US"}"#, leaf("a", .equals("US"))),
      (#"{"column": "a", "in": ["paid", "shipped"]}"#, leaf("a", .in(["paid", "shipped"]))),
      (#"{"column": "a", "contains": "@"}"#, leaf("a", .contains("@"))),
      (#"{"column": "a", "starts_with": "Dr"}"#, leaf("a", .startsWith("Dr"))),
      (#"{"column": "a", "ends_with": ".com"}"#, leaf("a", .endsWith(".com"))),
      (#"{"column": "a", "matches": "^[0-9]+$"}"#, leaf("a", try regex("^[0-9]+$"))),
      (#"{"column": "a", "gt": 100}"#, leaf("a", .gt(num("100")))),
      (#"{"column": "a", "gte": -1.5}"#, leaf("a", .gte(num("-1.5")))),
      (#"{"column": "a", "lt": 1e3}"#, leaf("a", .lt(num("1000")))),
      (#"{"column": "a", "lte": 0}"#, leaf("a", .lte(num("0")))),
      (#"{"column": "a", "between": [1, 5]}"#, leaf("a", .between(num("1"), num("5")))),
      (#"{"column": "a", "between": [2, 2.0]}"#, leaf("a", .between(num("2"), num("2")))),
      (#"{"column": "a", "is_number": true}"#, leaf("a", .isNumber(true))),
      (#"{"column": "a", "is_number": false}"#, leaf("a", .isNumber(false))),
      (#"{"column": "a", "equals": "x", "case_insensitive": true}"#, leaf("a", .equals("x"), ci: true)),
      (#"{"case_insensitive": true, "column": "a", "in": ["x"]}"#, leaf("a", .in(["x"]), ci: true)),
      (
        #"{"column": "a", "matches": "ab", "case_insensitive": true}"#,
        leaf("a", try regex("ab", ci: true), ci: true)
      ),
      (#"{"column": "a", "gt": 1, "case_insensitive": false}"#, leaf("a", .gt(num("1")))),
    ]
    for (json, expected) in cases {
      XCTAssertEqual(try decode(json), expected, json)
      // And back: the JSON the recipe writer uses decodes to the same condition.
      XCTAssertEqual(try Condition.decode(expected.json, path: "where"), expected, json)
    }
    XCTAssertEqual(DecantCore.Predicate.keys.count, 13)
  }

  func testGroupsDecodeInOrderAndNest() throws {
    let c = try decode(
      #"{"all": [{"column": "status", "in": ["paid", "shipped"]}, {"not": {"column": "email", "is_null": true}},"#
        + #" {"any": [{"column": "a", "gt": 1}, {"column": "b", "equals": "x"}]}]}"#)
    XCTAssertEqual(
      c,
      .all([
        leaf("status", .in(["paid", "shipped"])), .not(leaf("email", .isNull(true))),
        .any([leaf("a", .gt(num("1"))), leaf("b", .equals("x"))]),
      ]))
    XCTAssertEqual(c.columns, ["status", "email", "a", "b"])
    XCTAssertEqual(try decode(#"{"any": [{"column": "a", "gt": 1}]}"#), .any([leaf("a", .gt(num("1")))]))
  }

  func testAJSONNumberAsATextValueMeansItsTextAsWritten() throws {
    XCTAssertEqual(try decode(#"{"column": "a", "equals": 10}"#), leaf("a", .equals("10")))
    XCTAssertEqual(try decode(#"{"column": "a", "equals": 1.50}"#), leaf("a", .equals("1.50")))
    XCTAssertEqual(try decode(#"{"column": "a", "contains": 1E5}"#), leaf("a", .contains("1E5")))
    XCTAssertEqual(
      try decode(#"{"column": "a", "in": [10, "x", -0.0]}"#), leaf("a", .in(["10", "x", "-0.0"])))
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "equals": 10}"#, ["10", "10.0", "1e1", "010", " 10"]),
      [true, false, false, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "in": [1.50, 2]}"#, ["1.5", "1.50", "2", "2.0"]),
      [false, true, true, false])
  }

  func testNumberPredicatesKeepEveryDigitOfTheJSONNumber() throws {
    let c = try decode(#"{"column": "a", "gte": 9007199254740993}"#)
    guard case .leaf(let l) = c, case .gte(let n) = l.predicate else { return XCTFail("\(c)") }
    XCTAssertEqual(n.text, "9007199254740993")
    // 2^53 + 1 is not a Double: rounded, it would equal 2^53.
    XCTAssertEqual(
      try evaluate(
        #"{"column": "a", "gte": 9007199254740993}"#,
        ["9007199254740992", "9007199254740993", "9.007199254740994e15"]),
      [false, true, true])
    XCTAssertEqual(
      try evaluate(
        #"{"column": "a", "between": [0.1000000000000000000000000000001, 0.1000000000000000000000000000003]}"#,
        ["0.1", "0.1000000000000000000000000000002", "0.1000000000000000055511151231257827", "1e-1"]),
      [false, true, false, false])
  }

  // MARK: JSON: errors name the step and the path

  func testAWrongValueDeepInsideIsNamedByStepAndPath() throws {
    let e = try XCTUnwrap(whereError(#"{"all": [{"column": "a", "gt": 1}, {"column": "b", "gt": "x"}]}"#))
    XCTAssertEqual(e.step, 1)
    XCTAssertEqual(e.op, "fill_null")
    XCTAssertEqual(e.field, "where.all[1].gt")
    XCTAssertEqual(e.message, "must be a number, not a string")
    XCTAssertEqual(
      e.description, #"step 1 (fill_null), field "where.all[1].gt": must be a number, not a string"#)
  }

  func testTheStepIsCountedFromOneAndListIndicesFromZero() throws {
    let text = """
      {"decant_recipe": 1, "steps": [
        {"op": "dedupe"},
        {"op": "rename", "columns": {"a": "b"}},
        {"op": "filter", "where": {"any": [{"column": "a", "is_null": true},
          {"not": {"all": [{"column": "b", "equals": "x"}, {"column": "c", "between": [1]}]}}]}}
      ]}
      """
    let e = try XCTUnwrap(decodeError(text))
    XCTAssertEqual(e.step, 3)
    XCTAssertEqual(e.op, "filter")
    XCTAssertEqual(e.field, "where.any[1].not.all[1].between")
    XCTAssertEqual(e.message, "must be a list of two numbers [low, high]")
  }

  func testAQuotedNumberForANumberPredicateSaysToDropTheQuotes() throws {
    let e = try XCTUnwrap(whereError(#"{"column": "a", "lte": "5"}"#))
    XCTAssertEqual(e.field, "where.lte")
    XCTAssertEqual(e.message, "must be a number, not a string (write 5 without quotes)")
    XCTAssertEqual(
      try XCTUnwrap(whereError(#"{"column": "a", "gt": true}"#)).message, "must be a number, not a boolean")
  }

  func testUnknownPredicateIsAnErrorWithASuggestionForANearMiss() throws {
    let equal = try XCTUnwrap(whereError(#"{"column": "a", "equal": "x"}"#))
    XCTAssertEqual(equal.field, "where.equal")
    XCTAssertEqual(equal.message, #""equal" is not part of a condition; did you mean "equals"?"#)
    let greater = try XCTUnwrap(whereError(#"{"column": "a", "greater_than": 1}"#))
    XCTAssertEqual(greater.field, "where.greater_than")
    XCTAssertEqual(greater.message, #""greater_than" is not part of a condition; did you mean "gt"?"#)
    for (name, meant) in [
      ("Greater-Than", "gt"), ("greater_than_or_equal", "gte"), ("ge", "gte"), ("less_than", "lt"),
      ("le", "lte"),
      ("eq", "equals"), ("one_of", "in"), ("regex", "matches"), ("startswith", "starts_with"),
      ("isNull", "is_null"), ("is_numeric", "is_number"), ("colum", "column"),
    ] {
      let e = try XCTUnwrap(whereError(#"{"column": "a", "\#(name)": 1}"#))
      XCTAssertEqual(e.message, #""\#(name)" is not part of a condition; did you mean "\#(meant)"?"#)
    }
    let far = try XCTUnwrap(whereError(#"{"column": "a", "frobnicate": 1}"#))
    XCTAssertEqual(far.field, "where.frobnicate")
    XCTAssertEqual(
      far.message,
      #""frobnicate" is not part of a condition (predicates: is_null, equals, in, contains, starts_with, ends_with, matches, gt, gte, lt, lte, between, is_number)"#
    )
    let group = try XCTUnwrap(whereError(#"{"alll": [{"column": "a", "gt": 1}]}"#))
    XCTAssertEqual(group.message, #""alll" is not part of a condition; did you mean "all"?"#)
  }

  func testTwoPredicatesInOneLeafAreAnError() throws {
    let e = try XCTUnwrap(whereError(#"{"column": "a", "gt": 1, "lt": 5}"#))
    XCTAssertEqual(e.field, "where.lt")
    XCTAssertEqual(e.message, #"has two predicates ("gt" and "lt"); combine them with all or any"#)
  }

  func testAGroupSharesItsObjectWithNothing() throws {
    let e = try XCTUnwrap(whereError(#"{"all": [{"column": "a", "gt": 1}], "column": "b"}"#))
    XCTAssertEqual(e.field, "where.column")
    XCTAssertEqual(e.message, #""all" stands alone in its object; put "column" in a condition of its own"#)
    let both = try XCTUnwrap(whereError(#"{"not": {"column": "a", "gt": 1}, "any": []}"#))
    XCTAssertEqual(both.field, "where.any")
  }

  func testEmptyAllAndAnyAreErrors() throws {
    for key in ["all", "any"] {
      let e = try XCTUnwrap(whereError(#"{"\#(key)": []}"#))
      XCTAssertEqual(e.field, "where.\(key)")
      XCTAssertEqual(e.message, "must hold at least one condition")
      let nested = try XCTUnwrap(whereError(#"{"not": {"\#(key)": []}}"#))
      XCTAssertEqual(nested.field, "where.not.\(key)")
    }
    let notAList = try XCTUnwrap(whereError(#"{"all": {"column": "a", "gt": 1}}"#))
    XCTAssertEqual(notAList.field, "where.all")
    XCTAssertEqual(notAList.message, "must be a list of conditions, not an object")
  }

  func testNotTakesOneConditionNotAList() throws {
    let e = try XCTUnwrap(whereError(#"{"not": [{"column": "a", "gt": 1}]}"#))
    XCTAssertEqual(e.field, "where.not")
    XCTAssertEqual(
      e.message, "a condition is an object (all, any, not, or column and a predicate), not an array")
  }

  func testALeafNeedsAColumnNameAndOnePredicate() throws {
    let noColumn = try XCTUnwrap(whereError(#"{"gt": 1}"#))
    XCTAssertEqual(noColumn.field, "where.column")
    XCTAssertEqual(noColumn.message, #"a condition on a value needs "column" and one predicate"#)
    for bad in [#""""#, "1", "null"] {
      let e = try XCTUnwrap(whereError(#"{"column": \#(bad), "gt": 1}"#))
      XCTAssertEqual(e.field, "where.column")
      XCTAssertEqual(e.message, "must be a column name (a non-empty string)")
    }
    let noPredicate = try XCTUnwrap(whereError(#"{"column": "a"}"#))
    XCTAssertEqual(noPredicate.field, "where")
    XCTAssertEqual(
      noPredicate.message,
      "needs one predicate: is_null, equals, in, contains, starts_with, ends_with, matches, gt, gte, lt, lte, between, is_number"
    )
    let empty = try XCTUnwrap(whereError("{}"))
    XCTAssertEqual(empty.field, "where")
    XCTAssertTrue(
      empty.message.hasPrefix("is empty: give all, any, not, or a column and one predicate"), empty.message)
    let text = try XCTUnwrap(whereError(#""amount > 100""#))
    XCTAssertEqual(text.field, "where")
    XCTAssertEqual(
      text.message, "a condition is an object (all, any, not, or column and a predicate), not a string")
  }

  func testFlagsMustBeBooleans() throws {
    for key in ["is_null", "is_number"] {
      let e = try XCTUnwrap(whereError(#"{"column": "a", "\#(key)": "yes"}"#))
      XCTAssertEqual(e.field, "where.\(key)")
      XCTAssertEqual(e.message, "must be true or false, not a string")
    }
    let ci = try XCTUnwrap(whereError(#"{"column": "a", "equals": "x", "case_insensitive": 1}"#))
    XCTAssertEqual(ci.field, "where.case_insensitive")
    XCTAssertEqual(ci.message, "must be true or false, not a number")
  }

  func testTextValuesMustBeStringsOrNumbers() throws {
    for key in ["equals", "contains", "starts_with", "ends_with"] {
      let e = try XCTUnwrap(whereError(#"{"column": "a", "\#(key)": ["x"]}"#))
      XCTAssertEqual(e.field, "where.\(key)")
      XCTAssertEqual(e.message, "must be a string, not an array")
    }
    let null = try XCTUnwrap(whereError(#"{"column": "a", "equals": null}"#))
    XCTAssertEqual(null.message, "must be a string, not null")
  }

  func testABadRegexIsAnErrorAtItsPath() throws {
    let e = try XCTUnwrap(
      whereError(#"{"any": [{"column": "a", "is_null": true}, {"column": "a", "matches": "(ab"}]}"#))
    XCTAssertEqual(e.field, "where.any[1].matches")
    XCTAssertTrue(e.message.hasPrefix("is not a valid regular expression: "), e.message)
    let notText = try XCTUnwrap(whereError(#"{"column": "a", "matches": 5}"#))
    XCTAssertEqual(notText.message, "must be a regular expression (a string), not a number")
  }

  func testCaseInsensitiveIsOnlyForTextPredicates() throws {
    for key in ["gt", "gte", "lt", "lte"] {
      let e = try XCTUnwrap(whereError(#"{"column": "a", "\#(key)": 1, "case_insensitive": true}"#))
      XCTAssertEqual(e.field, "where.case_insensitive")
      XCTAssertEqual(
        e.message, "applies only to equals, in, contains, starts_with, ends_with and matches, not \(key)")
    }
    for predicate in [#""is_null": true"#, #""is_number": true"#, #""between": [1, 2]"#] {
      let e = try XCTUnwrap(whereError(#"{"column": "a", \#(predicate), "case_insensitive": true}"#))
      XCTAssertEqual(e.field, "where.case_insensitive")
    }
  }

  func testBetweenTakesTwoNumbersInOrder() throws {
    for bad in ["[1, 2, 3]", "[1]", "[]", "5", #""1, 2""#] {
      let e = try XCTUnwrap(whereError(#"{"column": "a", "between": \#(bad)}"#), bad)
      XCTAssertEqual(e.field, "where.between", bad)
      XCTAssertEqual(e.message, "must be a list of two numbers [low, high]", bad)
    }
    let reversed = try XCTUnwrap(whereError(#"{"column": "a", "between": [5, 1e0]}"#))
    XCTAssertEqual(reversed.field, "where.between")
    XCTAssertEqual(reversed.message, "the low bound 5 is above the high bound 1e0")
    let quoted = try XCTUnwrap(whereError(#"{"column": "a", "between": [1, "2"]}"#))
    XCTAssertEqual(quoted.field, "where.between[1]")
    XCTAssertEqual(quoted.message, "must be a number, not a string (write 2 without quotes)")
  }

  func testInNeedsAtLeastOneStringOrNumber() throws {
    let empty = try XCTUnwrap(whereError(#"{"column": "a", "in": []}"#))
    XCTAssertEqual(empty.field, "where.in")
    XCTAssertEqual(empty.message, "must list at least one value")
    let item = try XCTUnwrap(whereError(#"{"column": "a", "in": ["x", true]}"#))
    XCTAssertEqual(item.field, "where.in[1]")
    XCTAssertEqual(item.message, "must be a string, not a boolean")
    let notList = try XCTUnwrap(whereError(#"{"column": "a", "in": "x"}"#))
    XCTAssertEqual(notList.message, "must be a list of values, not a string")
  }

  func testRenameSelectAndDropTakeNoWhere() throws {
    let cond = #"{"column": "a", "gt": 1}"#
    for step in [
      #"{"op": "rename", "columns": {"a": "b"}, "where": \#(cond)}"#,
      #"{"op": "select", "columns": ["a"], "where": \#(cond)}"#,
      #"{"op": "drop", "columns": ["a"], "where": \#(cond)}"#,
    ] {
      let e = try XCTUnwrap(stepError(step))
      XCTAssertEqual(e.field, "where")
      let op = try XCTUnwrap(e.op)
      XCTAssertEqual(
        e.message,
        #"\#(op) acts on columns, not rows, so it takes no "where" (use a filter step to drop rows)"#)
    }
  }

  func testFilterAndValidateNeedWhere() throws {
    let filter = try XCTUnwrap(stepError(#"{"op": "filter"}"#))
    XCTAssertEqual(filter.field, "where")
    XCTAssertEqual(filter.message, #"is required: a condition such as {"column": "amount", "gt": 0}"#)
    let validate = try XCTUnwrap(stepError(#"{"op": "validate", "name": "positive"}"#))
    XCTAssertEqual(validate.field, "where")
    let rule = try XCTUnwrap(
      stepError(#"{"op": "validate", "name": "r", "where": {"column": "a", "equal": "x"}}"#))
    XCTAssertEqual(rule.op, "validate")
    XCTAssertEqual(rule.field, "where.equal")
  }

  func testAWhereOnAColumnTheTableLacksIsAPlanError() throws {
    let r = try recipe(
      steps: #"{"op": "filter", "where": {"any": [{"column": "a", "gt": 1}, {"column": "zz", "gt": 1}]}}"#)
    XCTAssertThrowsError(try Pipeline(recipe: r, inputSchema: Schema(["a", "b"]))) { error in
      guard let plan = error as? PlanError else { return XCTFail("not a plan error: \(error)") }
      XCTAssertEqual(plan.step, 1)
      XCTAssertEqual(plan.missingColumns, ["zz"])
    }
  }

  /// Conditions nest at most 100 deep, so their JSON stays within the recipe
  /// reader's 256 levels and their text parses back.
  func testJSONConditionsNestAtMostAHundredDeep() throws {
    func nested(_ n: Int, _ inner: String) -> String {
      (0..<n).reduce(inner) { json, i in
        i % 2 == 0
          ? #"{"all": [\#(json), {"column": "b", "gt": 1}]}"#
          : #"{"any": [{"column": "b", "is_null": true}, \#(json)]}"#
      }
    }
    let leafJSON = #"{"column": "a", "in": ["x", "y"]}"#
    // The deepest condition, in the deepest place JSON puts it, is read.
    let deepest = nested(100, leafJSON)
    let r = try Recipe.decode(#"{"decant_recipe": 1, "steps": [{"op": "filter", "where": \#(deepest)}]}"#)
    let filter = try XCTUnwrap(r.steps[0].operation as? FilterOperation)
    XCTAssertEqual(filter.condition.depth, 100)
    XCTAssertEqual(try ConditionText.parse(ConditionText.print(filter.condition)), filter.condition)

    let e = try XCTUnwrap(whereError(nested(101, leafJSON)))
    XCTAssertEqual(e.message, "conditions nest at most 100 deep (all, any and not)")
    XCTAssertEqual(e.field, "where" + String(repeating: ".all[0].any[1]", count: 50) + ".all")
    let nots = try XCTUnwrap(
      whereError(String(repeating: #"{"not": "#, count: 101) + leafJSON + String(repeating: "}", count: 101)))
    XCTAssertEqual(nots.field, "where" + String(repeating: ".not", count: 101))
  }

  func testTextConditionsNestAtMostAHundredDeep() throws {
    let leafText = "a is null"
    var c = leaf("a", .isNull(true))
    for _ in 0..<100 { c = .not(c) }
    // Printed as `not (` a hundred times: two a level.
    XCTAssertEqual(try ConditionText.parse(ConditionText.print(c)), c)
    XCTAssertEqual(try ConditionText.parse(String(repeating: "not ", count: 100) + leafText), c)
    XCTAssertThrowsError(try ConditionText.parse(String(repeating: "not ", count: 101) + leafText)) { error in
      XCTAssertEqual(
        error as? ConditionError,
        ConditionError("conditions nest at most 100 deep (and, or and not)", path: "character 1"))
    }
    // Parentheses alone nest no condition, but their depth is bounded too (no
    // text may exhaust the stack).
    let parens = { (n: Int) in String(repeating: "(", count: n) + leafText + String(repeating: ")", count: n)
    }
    XCTAssertEqual(try ConditionText.parse(parens(202)), leaf("a", .isNull(true)))
    XCTAssertThrowsError(try ConditionText.parse(parens(100_000))) { error in
      XCTAssertEqual(
        error as? ConditionError,
        ConditionError(
          #"conditions nest at most 100 deep (and, or and not), found "(""#, path: "character 203"))
    }
    XCTAssertThrowsError(try ConditionText.parse(String(repeating: "not ", count: 100_000) + leafText))
  }

  // MARK: Evaluation: nulls

  func testIsNullFollowsNullValues() throws {
    let cells = ["", "NA", "x", " ", "na"]
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "is_null": true}"#, cells), [true, false, false, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "is_null": true}"#, cells, nulls: ["NA"]),
      [false, true, false, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "is_null": true}"#, cells, nulls: ["", "NA"]),
      [true, true, false, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "is_null": false}"#, cells, nulls: ["", "NA"]),
      [false, false, true, true, true])
  }

  /// A null cell makes every predicate false except `is_null: true` and
  /// `is_number: false`; `not` inverts that.
  func testANullCellFailsEveryPredicateButIsNullAndIsNumberFalse() throws {
    let predicates = [
      (#""is_null": true"#, true), (#""is_null": false"#, false), (#""equals": """#, false),
      (#""equals": "NA""#, false), (#""in": ["", "NA"]"#, false), (#""contains": """#, false),
      (#""starts_with": """#, false), (#""ends_with": "A""#, false), (#""matches": ".*""#, false),
      (#""matches": "^NA$""#, false), (#""gt": -1e9"#, false), (#""gte": 0"#, false), (#""lt": 1e9"#, false),
      (#""lte": 0"#, false), (#""between": [-1, 1]"#, false), (#""is_number": true"#, false),
      (#""is_number": false"#, true), (#""equals": "na", "case_insensitive": true"#, false),
      (#""in": ["na"], "case_insensitive": true"#, false),
    ]
    for nulls in [[""], ["NA"]] {
      let null = nulls[0]
      for (predicate, expected) in predicates {
        let json = #"{"column": "a", \#(predicate)}"#
        XCTAssertEqual(try evaluate(json, [null], nulls: nulls), [expected], "\(json) on null \"\(null)\"")
        XCTAssertEqual(try evaluate(#"{"not": \#(json)}"#, [null], nulls: nulls), [!expected], "not \(json)")
      }
    }
  }

  func testAnEmptyCellIsAValueWhenNotANullValue() throws {
    let nulls = ["NA"]
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "is_null": false}"#, ["", "NA"], nulls: nulls), [true, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "equals": ""}"#, ["", "x", "NA"], nulls: nulls), [true, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "in": ["", "y"]}"#, ["", "x", "y"], nulls: nulls), [true, false, true])
    for key in ["contains", "starts_with", "ends_with"] {
      XCTAssertEqual(
        try evaluate(#"{"column": "a", "\#(key)": ""}"#, ["", "x", "NA"], nulls: nulls), [true, true, false],
        key)
      XCTAssertEqual(try evaluate(#"{"column": "a", "\#(key)": "x"}"#, [""], nulls: nulls), [false], key)
    }
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "matches": "^$"}"#, ["", "x"], nulls: nulls), [true, false])
    XCTAssertEqual(try evaluate(#"{"column": "a", "is_number": false}"#, [""], nulls: nulls), [true])
    XCTAssertEqual(try evaluate(#"{"column": "a", "gte": 0}"#, [""], nulls: nulls), [false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "equals": "", "case_insensitive": true}"#, ["", "x"], nulls: nulls),
      [true, false])
  }

  /// A batch of empty cells has an empty arena: every test must still run.
  func testABatchOfOnlyEmptyCellsIsEvaluated() throws {
    let nulls = ["NA"]
    for (json, expected) in [
      (#"{"column": "a", "matches": "^$"}"#, true),
      (#"{"column": "a", "matches": "^$", "case_insensitive": true}"#, true),
      (#"{"column": "a", "matches": "."}"#, false), (#"{"column": "a", "equals": ""}"#, true),
      (#"{"column": "a", "equals": "", "case_insensitive": true}"#, true),
      (#"{"column": "a", "contains": ""}"#, true),
      (#"{"column": "a", "contains": "", "case_insensitive": true}"#, true),
      (#"{"column": "a", "ends_with": "x"}"#, false),
      (#"{"column": "a", "in": [""]}"#, true),
      (#"{"column": "a", "in": ["x"], "case_insensitive": true}"#, false),
      (#"{"column": "a", "gte": 0}"#, false), (#"{"column": "a", "is_number": false}"#, true),
      (#"{"column": "a", "is_null": false}"#, true),
    ] {
      XCTAssertEqual(try evaluate(json, ["", ""], nulls: nulls), [expected, expected], json)
    }
  }

  func testLongCellsAreFoldedWhole() throws {
    let long = String(repeating: "Straße ", count: 2_000) + "END"
    let cells = [long, long.uppercased(), "end"]
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "ends_with": "SSE end", "case_insensitive": true}"#, cells),
      [true, true, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "starts_with": "strasse", "case_insensitive": true}"#, cells),
      [true, true, false])
    let json = JSONValue.string(long.uppercased()).compactText
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "equals": \#(json), "case_insensitive": true}"#, cells),
      [true, true, false])
    XCTAssertEqual(try evaluate(#"{"column": "a", "equals": \#(json)}"#, cells), [false, true, false])
  }

  func testInWithManyValuesFindsEachAndNothingElse() throws {
    let values = (0..<1_000).map { "v\($0)" }
    let json = JSONValue.array(values.map { .string($0) }).compactText
    let cells = ["v0", "v999", "v500", "v1000", "V5", "v", "", "v05"]
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "in": \#(json)}"#, cells),
      [true, true, true, false, false, false, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "in": \#(json), "case_insensitive": true}"#, cells),
      [true, true, true, false, true, false, false, false])
    // Values that fold alike are one value.
    XCTAssertEqual(
      try evaluate(
        #"{"column": "a", "in": ["STRASSE", "straße", "Strasse"], "case_insensitive": true}"#,
        ["strasse", "x"]),
      [true, false])
  }

  // MARK: Evaluation: numbers and text

  func testNumberPredicatesCompareByExactValue() throws {
    let cells = [
      "10", "10.0", "1e1", "+10", "010", "9.999", "10.0001", "-10", "abc", "1,000", " 10", "10 ", "NaN",
      "0x10",
    ]
    XCTAssertEqual(
      try evaluate(#"{"all": [{"column": "a", "gte": 10}, {"column": "a", "lte": 10.0}]}"#, cells),
      [true, true, true, true, true, false, false, false, false, false, false, false, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "gt": 10}"#, cells),
      [false, false, false, false, false, false, true, false, false, false, false, false, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "lt": 10}"#, cells),
      [false, false, false, false, false, true, false, true, false, false, false, false, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "between": [9.999, 1e1]}"#, cells),
      [true, true, true, true, true, true, false, false, false, false, false, false, false, false])
    // A text test compares the text, not the number.
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "equals": "10"}"#, cells),
      [true, false, false, false, false, false, false, false, false, false, false, false, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "in": ["10", "1e1"]}"#, ["10.0", "1e1", "10"]), [false, true, true])
  }

  func testIsNumberFollowsTheGrammar() throws {
    let cells = [
      "10", "-0.5e-3", ".5", "5.", "+1", "", "x", "1,000", " 5", "5 ", "0x10", "inf", "NaN", "1e", "--1", "٣",
    ]
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "is_number": true}"#, cells),
      [
        true, true, true, true, true, false, false, false, false, false, false, false, false, false, false,
        false,
      ])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "is_number": false}"#, cells),
      [false, false, false, false, false, true, true, true, true, true, true, true, true, true, true, true])
  }

  func testNegativeZeroAndHugeNumbersCompareByValue() throws {
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "between": [0, 0]}"#, ["-0", "0.000", "+0e5", "1e-400", "-1e-400"]),
      [true, true, true, false, false])
    XCTAssertEqual(
      try evaluate(
        #"{"column": "a", "gt": 1e300}"#, ["1e400", "1e300", "1" + String(repeating: "0", count: 301)]),
      [true, false, true])
  }

  func testTextPredicatesCompareBytesExactly() throws {
    let cells = ["Straße", "straße", "STRASSE", "Strasse", "Straße 5", "Haupt-Straße", "e\u{301}", "é"]
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "equals": "Straße"}"#, cells),
      [true, false, false, false, false, false, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "contains": "Straße"}"#, cells),
      [true, false, false, false, true, true, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "starts_with": "Stra"}"#, cells),
      [true, false, false, true, true, false, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "ends_with": "aße"}"#, cells),
      [true, true, false, false, false, true, false, false])
    // Canonically equivalent but different bytes: not equal.
    XCTAssertEqual(try evaluate(#"{"column": "a", "equals": "é"}"#, cells).suffix(2), [false, true])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "in": ["é", "Strasse"]}"#, cells),
      [false, false, false, true, false, false, false, true])
  }

  func testNeedlesLongerThanTheCellNeverMatch() throws {
    let cells = ["ab", "abc", "", "x"]
    let nulls = ["NA"]
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "starts_with": "abc"}"#, cells, nulls: nulls),
      [false, true, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "ends_with": "abc"}"#, cells, nulls: nulls), [false, true, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "contains": "abc"}"#, cells, nulls: nulls), [false, true, false, false])
    XCTAssertEqual(try evaluate(#"{"column": "a", "ends_with": "xé"}"#, ["é", "xé"]), [false, true])
    XCTAssertEqual(
      try evaluate(
        #"{"column": "a", "starts_with": "STRASSE", "case_insensitive": true}"#, ["ß", "straße", "str"]),
      [false, true, false])
  }

  func testMatchesSearchesAnywhereUnlessAnchored() throws {
    let cells = ["order-123", "123", "x123y", "abc", "١٢٣"]
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "matches": "[0-9]+"}"#, cells), [true, true, true, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "matches": "^[0-9]+$"}"#, cells), [false, true, false, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "matches": "^.{3}$"}"#, cells), [false, true, false, true, true])
  }

  // MARK: Evaluation: case_insensitive

  func testCaseInsensitiveUsesFullCaseFolding() throws {
    let cells = ["STRASSE", "straße", "Strasse", "STRAẞE", "Strase", "straß"]
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "equals": "straße", "case_insensitive": true}"#, cells),
      [true, true, true, true, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "equals": "STRASSE", "case_insensitive": true}"#, cells),
      [true, true, true, true, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "contains": "SS", "case_insensitive": true}"#, cells),
      [true, true, true, true, false, true])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "ends_with": "SSE", "case_insensitive": true}"#, cells),
      [true, true, true, true, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "matches": "^STRASSE$", "case_insensitive": true}"#, cells),
      [true, true, true, true, false, false])
    // Without it, bytes.
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "equals": "straße"}"#, cells), [false, true, false, false, false, false])
  }

  func testCaseInsensitiveFoldsGreekFinalSigma() throws {
    let cells = ["ΟΔΟΣ", "οδος", "οδοσ", "Οδος", "ΟΔΟ", "ὈΔΥΣΣΕΎΣ"]
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "equals": "οδος", "case_insensitive": true}"#, cells),
      [true, true, true, true, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "ends_with": "Σ", "case_insensitive": true}"#, cells),
      [true, true, true, true, false, true])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "equals": "ὀδυσσεύς", "case_insensitive": true}"#, cells).last, true)
  }

  func testInCaseInsensitiveComparesFoldedValues() throws {
    let json = #"{"column": "a", "in": ["STRASSE", "Köln", "ΟΔΟΣ"], "case_insensitive": true}"#
    let cells = ["straße", "KÖLN", "köln", "Koln", "οδος", "strasse ", "Ko\u{308}ln"]
    XCTAssertEqual(try evaluate(json, cells), [true, true, true, false, true, false, false])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "in": ["STRASSE", "Köln", "ΟΔΟΣ"]}"#, cells),
      [false, false, false, false, false, false, false])
  }

  // MARK: Evaluation: invalid UTF-8

  /// Cells are bytes: a cell that is not UTF-8 can still equal or contain
  /// (by bytes), but `matches` and every case-insensitive test are false.
  func testInvalidUTF8CellsCompareByBytesAndFailMatchesAndCaseInsensitiveTests() throws {
    let bad: [[UInt8]] = [[0x61, 0xFF, 0x62], [0xC3], [0x53, 0x54, 0x52, 0xC3, 0x9F, 0xE2, 0x82]]
    func run(_ json: String) throws -> [Bool] { try evaluate(json, bytes: bad) }
    XCTAssertEqual(try run(#"{"column": "a", "contains": "a"}"#), [true, false, false])
    XCTAssertEqual(try run(#"{"column": "a", "contains": "ß"}"#), [false, false, true])
    XCTAssertEqual(try run(#"{"column": "a", "starts_with": "STRß"}"#), [false, false, true])
    XCTAssertEqual(try run(#"{"column": "a", "ends_with": "b"}"#), [true, false, false])
    XCTAssertEqual(try run(#"{"column": "a", "starts_with": ""}"#), [true, true, true])
    // The bytes are compared, not a decoding with replacement characters.
    XCTAssertEqual(try run(#"{"column": "a", "equals": "a\uFFFDb"}"#), [false, false, false])
    XCTAssertEqual(try run(#"{"column": "a", "in": ["a\uFFFDb", "\uFFFD"]}"#), [false, false, false])
    XCTAssertEqual(try run(#"{"not": {"column": "a", "equals": "a"}}"#), [true, true, true])
    XCTAssertEqual(try run(#"{"column": "a", "is_null": false}"#), [true, true, true])
    XCTAssertEqual(try run(#"{"column": "a", "is_number": false}"#), [true, true, true])
    for json in [
      #"{"column": "a", "matches": "a"}"#, #"{"column": "a", "matches": ".*"}"#,
      #"{"column": "a", "matches": "^"}"#,
      #"{"column": "a", "contains": "a", "case_insensitive": true}"#,
      #"{"column": "a", "starts_with": "", "case_insensitive": true}"#,
      #"{"column": "a", "contains": "", "case_insensitive": true}"#,
      #"{"column": "a", "ends_with": "B", "case_insensitive": true}"#,
      #"{"column": "a", "equals": "A\uFFFDB", "case_insensitive": true}"#,
      #"{"column": "a", "in": ["x"], "case_insensitive": true}"#,
      #"{"column": "a", "matches": ".*", "case_insensitive": true}"#,
    ] {
      XCTAssertEqual(try run(json), [false, false, false], json)
      XCTAssertEqual(try run(#"{"not": \#(json)}"#), [true, true, true], "not \(json)")
    }
  }

  func testInvalidUTF8CellsAmongValidOnesDoNotDisturbTheirNeighbours() throws {
    let cells: [[UInt8]] = [
      Array("straße".utf8), [0xFF], Array("STRASSE".utf8), [0x73, 0xFF], Array("ss".utf8),
    ]
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "contains": "SS", "case_insensitive": true}"#, bytes: cells),
      [true, false, true, false, true])
    XCTAssertEqual(
      try evaluate(#"{"column": "a", "matches": "s"}"#, bytes: cells), [true, false, false, false, true])
  }

  // MARK: Evaluation: not, all, any

  func testNotAllAndAnyCombineRowByRow() throws {
    let columns = ["a", "b"]
    let rows = [["1", "x"], ["5", "x"], ["5", "y"], ["", "y"], ["9", ""]]
    let a = leaf("a", .gt(num("2")))
    let b = leaf("b", .equals("x"))
    XCTAssertEqual(evaluate(.all([a, b]), columns: columns, rows: rows), [false, true, false, false, false])
    XCTAssertEqual(evaluate(.any([a, b]), columns: columns, rows: rows), [true, true, true, false, true])
    XCTAssertEqual(
      evaluate(.not(.all([a, b])), columns: columns, rows: rows), [true, false, true, true, true])
    XCTAssertEqual(
      evaluate(.not(.any([a, b])), columns: columns, rows: rows), [false, false, false, true, false])
    XCTAssertEqual(
      evaluate(.all([.not(a), .not(b)]), columns: columns, rows: rows), [false, false, false, true, false])
    XCTAssertEqual(
      evaluate(.any([.all([a, .not(b)]), .all([.not(a), b])]), columns: columns, rows: rows),
      [true, false, true, false, true])
    XCTAssertEqual(
      evaluate(.not(.not(a)), columns: columns, rows: rows), evaluate(a, columns: columns, rows: rows))
    XCTAssertEqual(
      evaluate(.all([a]), columns: columns, rows: rows), evaluate(a, columns: columns, rows: rows))
    XCTAssertEqual(
      evaluate(.any([b]), columns: columns, rows: rows), evaluate(b, columns: columns, rows: rows))
  }

  /// `all` stops testing once no row is still true, `any` once none is still
  /// false: the answer must not change.
  func testShortCircuitsKeepTheAnswer() throws {
    let columns = ["a", "b"]
    let rows = [["1", "x"], ["2", "x"], ["3", ""]]
    let never = leaf("a", .gt(num("100")))
    let always = leaf("a", .isNull(false))
    let someB = leaf("b", .equals("x"))
    XCTAssertEqual(evaluate(.all([never, always]), columns: columns, rows: rows), [false, false, false])
    XCTAssertEqual(
      evaluate(.all([never, .not(never)]), columns: columns, rows: rows), [false, false, false])
    XCTAssertEqual(evaluate(.not(.all([never, always])), columns: columns, rows: rows), [true, true, true])
    XCTAssertEqual(evaluate(.any([always, never]), columns: columns, rows: rows), [true, true, true])
    XCTAssertEqual(
      evaluate(.not(.any([always, never])), columns: columns, rows: rows), [false, false, false])
    // An inner not under an outer all or any sees only some rows; the rest must not leak.
    XCTAssertEqual(evaluate(.all([someB, .not(never)]), columns: columns, rows: rows), [true, true, false])
    XCTAssertEqual(
      evaluate(.all([someB, .not(someB)]), columns: columns, rows: rows), [false, false, false])
    XCTAssertEqual(
      evaluate(.any([.not(someB), .not(always)]), columns: columns, rows: rows), [false, false, true])
    XCTAssertEqual(
      evaluate(.all([.not(someB), .any([.not(always), .not(never)])]), columns: columns, rows: rows),
      [false, false, true])
    XCTAssertEqual(
      evaluate(.any([someB, .all([.not(someB), .not(never)])]), columns: columns, rows: rows),
      [true, true, true])
  }

  func testAnEvaluatorIsReusedAcrossBatches() throws {
    let c = try decode(
      #"{"any": [{"column": "a", "equals": "ß", "case_insensitive": true}, {"column": "a", "matches": "^x"}]}"#
    )
    let evaluator = ConditionEvaluator(c, schema: Schema(["a"]), nulls: NullValues())
    XCTAssertEqual(evaluator.evaluate(makeBatch([["SS"], ["xy"], ["y"]])), [true, true, false])
    XCTAssertEqual(evaluator.evaluate(makeBatch([["y"], [""], ["ss"], ["x"]])), [false, false, true, true])
    XCTAssertEqual(evaluator.evaluate(makeBatch([], columnCount: 1)), [])
  }

  // MARK: Text form: printing

  func testPrintingFollowsTheDesignExamples() throws {
    XCTAssertEqual(
      ConditionText.print(.all([leaf("amount", .gt(num("100"))), leaf("country", .in(["US", "CA"]))])),
      "amount > 100 and country in (US, CA)")
    XCTAssertEqual(ConditionText.print(.not(leaf("status", .equals("x")))), #"status != "x""#)
    XCTAssertEqual(ConditionText.print(leaf("status", .equals("x"))), #"status = "x""#)
    XCTAssertEqual(ConditionText.print(leaf("email", .isNull(true))), "email is null")
    XCTAssertEqual(ConditionText.print(leaf("email", .isNull(false))), "email is not null")
    XCTAssertEqual(ConditionText.print(leaf("n", .isNumber(true))), "n is number")
    XCTAssertEqual(ConditionText.print(leaf("n", .isNumber(false))), "n is not number")
    XCTAssertEqual(ConditionText.print(leaf("n", .between(num("1"), num("5")))), "n between 1 and 5")
    XCTAssertEqual(ConditionText.print(leaf("n", .gte(num("-0.5e-3")))), "n >= -0.5e-3")
    XCTAssertEqual(ConditionText.print(leaf("n", .lt(num("1E400")))), "n < 1E400")
    XCTAssertEqual(ConditionText.print(leaf("n", .lte(num("0")))), "n <= 0")
    XCTAssertEqual(
      ConditionText.print(leaf("full name", .startsWith("Dr"))), #""full name" starts with "Dr""#)
    XCTAssertEqual(ConditionText.print(leaf("file", .endsWith(".csv"))), #"file ends with ".csv""#)
    XCTAssertEqual(
      ConditionText.print(leaf("note", .contains("a \"b\" \\c"))), #"note contains "a \"b\" \\c""#)
    XCTAssertEqual(ConditionText.print(leaf("id", try regex("^[0-9]+$"))), #"id matches "^[0-9]+$""#)
    XCTAssertEqual(
      ConditionText.print(leaf("status", .equals("paid"), ci: true)), #"status = "paid" ignoring case"#)
    XCTAssertEqual(
      ConditionText.print(.not(leaf("status", .equals("paid"), ci: true))), #"status != "paid" ignoring case"#
    )
    XCTAssertEqual(
      ConditionText.print(leaf("id", try regex("^ab", ci: true), ci: true)),
      #"id matches "^ab" ignoring case"#)
    XCTAssertEqual(
      ConditionText.print(leaf("c", .in(["New York", "", "and", "US", "1.5", "-1", "a,b"]), ci: true)),
      #"c in ("New York", "", "and", US, 1.5, "-1", "a,b") ignoring case"#)
  }

  func testKeywordsAndOddNamesArePrintedQuoted() {
    for name in ["and", "OR", "Not", "is", "null", "in", "with", "ignoring", "case", "between"] {
      XCTAssertEqual(ConditionText.print(leaf(name, .isNull(true))), "\"\(name)\" is null")
    }
    XCTAssertEqual(ConditionText.print(leaf("a(b)", .isNull(true))), #""a(b)" is null"#)
    XCTAssertEqual(ConditionText.print(leaf("a=b", .isNull(true))), #""a=b" is null"#)
    XCTAssertEqual(ConditionText.print(leaf("line\nbreak", .isNull(true))), #""line\nbreak" is null"#)
    XCTAssertEqual(ConditionText.print(leaf("straße_2024", .isNull(true))), "straße_2024 is null")
    XCTAssertEqual(ConditionText.print(leaf("e-mail", .isNull(true))), "e-mail is null")
  }

  func testGroupsArePrintedWithTheParenthesesTheyNeed() {
    let a = leaf("a", .gt(num("1")))
    let b = leaf("b", .lt(num("2")))
    let c = leaf("c", .isNull(true))
    XCTAssertEqual(ConditionText.print(.any([.all([a, b]), c])), "a > 1 and b < 2 or c is null")
    XCTAssertEqual(ConditionText.print(.all([.any([a, b]), c])), "(a > 1 or b < 2) and c is null")
    XCTAssertEqual(ConditionText.print(.all([.all([a, b]), c])), "(a > 1 and b < 2) and c is null")
    XCTAssertEqual(ConditionText.print(.any([.any([a, b]), c])), "(a > 1 or b < 2) or c is null")
    XCTAssertEqual(ConditionText.print(.not(.any([a, c]))), "not (a > 1 or c is null)")
    XCTAssertEqual(ConditionText.print(.not(a)), "not (a > 1)")
    XCTAssertEqual(ConditionText.print(.not(.not(leaf("s", .equals("x"))))), #"not (s != "x")"#)
  }

  // MARK: Text form: parsing

  func testParsingReadsTheTextForm() throws {
    let a = leaf("amount", .gt(num("100")))
    XCTAssertEqual(
      try ConditionText.parse("amount > 100 and country in (US, CA)"),
      .all([a, leaf("country", .in(["US", "CA"]))]))
    XCTAssertEqual(try ConditionText.parse(#"status != "x""#), .not(leaf("status", .equals("x"))))
    XCTAssertEqual(try ConditionText.parse(#"status == x"#), leaf("status", .equals("x")))
    XCTAssertEqual(try ConditionText.parse("email IS NOT NULL"), leaf("email", .isNull(false)))
    XCTAssertEqual(
      try ConditionText.parse("n between -1 and 5.5"), leaf("n", .between(num("-1"), num("5.5"))))
    XCTAssertEqual(
      try ConditionText.parse(#""full name" Starts With "Dr" ignoring CASE"#),
      leaf("full name", .startsWith("Dr"), ci: true))
    XCTAssertEqual(
      try ConditionText.parse(#"not (email is null) or "full name" starts with "Dr""#),
      .any([.not(leaf("email", .isNull(true))), leaf("full name", .startsWith("Dr"))]))
    XCTAssertEqual(
      try ConditionText.parse(#"status = "paid" ignoring case"#), leaf("status", .equals("paid"), ci: true))
    XCTAssertEqual(try ConditionText.parse("a>1"), leaf("a", .gt(num("1"))))
    XCTAssertEqual(try ConditionText.parse(#"a<="2""#), leaf("a", .lte(num("2"))))
    XCTAssertEqual(try ConditionText.parse(#""and" = "\"\\\n""#), leaf("and", .equals("\"\\\n")))
  }

  func testNotBindsTightestThenAndThenOr() throws {
    let a = leaf("a", .isNull(true))
    let b = leaf("b", .isNull(true))
    let c = leaf("c", .isNull(true))
    XCTAssertEqual(try ConditionText.parse("not a is null and b is null"), .all([.not(a), b]))
    XCTAssertEqual(try ConditionText.parse("a is null or b is null and c is null"), .any([a, .all([b, c])]))
    XCTAssertEqual(
      try ConditionText.parse("(a is null or b is null) and c is null"), .all([.any([a, b]), c]))
    XCTAssertEqual(try ConditionText.parse("not not a is null"), .not(.not(a)))
    XCTAssertEqual(try ConditionText.parse("a is null and b is null and c is null"), .all([a, b, c]))
  }

  /// Errors give the character (from 1) where the parser stopped and what it expected.
  func testParseErrorsGiveTheCharacterPosition() {
    let cases: [(String, String, String)] = [
      ("", "character 1", "expected a condition such as: amount > 100, found the end"),
      ("amount >", "character 9", "expected a number, found the end"),
      ("amount > x", "character 10", #"expected a number, found "x""#),
      ("amount > 1,000", "character 11", #"expected "and", "or" or the end, found ",""#),
      (#"a = "open"#, "character 5", "a quote opened here is not closed"),
      ("(a > 1", "character 7", #"expected ")", found the end"#),
      ("a > 1)", "character 6", #"expected "and", "or" or the end, found ")""#),
      ("a ! 1", "character 3", #""!" must be followed by "=""#),
      ("a is nul", "character 6", #"expected "null" or "number" after "is", found "nul""#),
      ("a in US", "character 6", #"expected "(" after "in", found "US""#),
      ("a in (US CA)", "character 10", #"expected "," or ")", found "CA""#),
      ("a starts \"x\"", "character 10", #"expected "with", found "x""#),
      ("a between 5 and 1", "character 17", "the low bound 5 is above the high bound 1"),
      ("a between 1 5", "character 13", #"expected "and", found "5""#),
      (
        "a > 1 ignoring case", "character 7", #""ignoring case" applies only to text tests, found "ignoring""#
      ),
      (#"a = "x" ignoring"#, "character 17", #"expected "case", found the end"#),
      ("and > 1", "character 1", #"expected a column name, found "and""#),
      (
        "amount likes 5", "character 8",
        #"expected a test (is null, =, !=, in, contains, starts with, >, between, …) after amount, found "likes""#
      ),
      ("a > 1 and", "character 10", "expected a column name, found the end"),
      (
        "straße ≥ 5", "character 8",
        #"expected a test (is null, =, !=, in, contains, starts with, >, between, …) after straße, found "≥""#
      ),
    ]
    for (text, position, message) in cases {
      XCTAssertThrowsError(try ConditionText.parse(text), text) { error in
        guard let e = error as? ConditionError else { return XCTFail("\(text): \(error)") }
        XCTAssertEqual(e.path, position, text)
        XCTAssertEqual(e.message, message, text)
      }
    }
    XCTAssertThrowsError(try ConditionText.parse(#"id matches "(ab""#)) { error in
      let e = error as! ConditionError
      XCTAssertEqual(e.path, "character 12")
      XCTAssertTrue(e.message.hasPrefix("not a valid regular expression: "), e.message)
    }
  }

  // MARK: Text form: round trip over generated conditions

  /// 2,000 seeded conditions: every predicate, `all`/`any`/`not` nested at
  /// random, names and values with spaces, quotes, backslashes, keywords,
  /// non-ASCII text and numbers; printing then parsing gives them back, and so
  /// does printing, parsing, writing the recipe JSON and decoding it.
  func testPrintThenParseGivesTheSameConditionOnGeneratedConditions() throws {
    var generator = ConditionGenerator(
      seed: 42, names: Self.roundTripNames, texts: Self.roundTripTexts,
      numbers: ["-0.5e-3", ".5", "5.", "+3", "007", "-0", "1E400", "0.000", "-12.50e+07"])
    var predicates = Set<String>()
    var deepest = 0
    for i in 0..<2_000 {
      let c = generator.condition()
      collect(c, into: &predicates)
      deepest = max(deepest, depth(c))
      let text = ConditionText.print(c)
      let parsed: Condition
      do { parsed = try ConditionText.parse(text) } catch {
        XCTFail("condition \(i): \(text) does not parse: \(error)")
        continue
      }
      XCTAssertEqual(parsed, c, "condition \(i): \(text)")
      XCTAssertEqual(ConditionText.print(parsed), text, "condition \(i)")
      // Through the recipe file: JSON text, decoded as a filter's where.
      let json = parsed.json.compactText
      do {
        let recipe = try Recipe.decode(
          #"{"decant_recipe": 1, "steps": [{"op": "filter", "where": \#(json)}]}"#)
        let filter = try XCTUnwrap(recipe.steps[0].operation as? FilterOperation)
        XCTAssertEqual(filter.condition, c, "condition \(i): \(text) as \(json)")
      } catch {
        XCTFail("condition \(i): \(text) as \(json) does not decode: \(error)")
      }
    }
    XCTAssertEqual(
      predicates, Set(DecantCore.Predicate.keys + ["case_insensitive", "all", "any", "not", "!="]))
    XCTAssertGreaterThanOrEqual(deepest, 4)
  }

  static let roundTripNames = [
    "amount", "country", "full name", "and", "OR", "Not", "is", "NULL", "in", "with", "ignoring", "case",
    "between", "number", "starts", "ends", "contains", "matches", "e-mail", "a\"b", "back\\slash", "straße",
    "日本",
    "x y z", "(paren)", "a,b", "tab\tname", "2024", "-lead", "+plus", "emoji 🎉", "é", "e\u{301}",
    "line\nbreak",
    "=", "!x", "<>", ">=", "a.b", "x:y/z@w", "Ωμέγα", "_", "  ", "'quote'",
  ]

  static let roundTripTexts = [
    "", " ", "x", "US", "New York", "say \"hi\"", "back\\", "\\\\", "and", "or", "not", "null", "case", "is",
    "-0.5e-3", "10", "1,000", "straße", "ΟΔΟΣ", "日本語", "a)b", "(", ",", "\"", "tab\t", "ends with",
    "ignoring case", "🎉", "e\u{301}", "\r\n", "=", "!=", "a b c", "+1", "-", "é", "\u{0}",
  ]

  func collect(_ c: Condition, into keys: inout Set<String>) {
    switch c {
    case .all(let items):
      keys.insert("all")
      items.forEach { collect($0, into: &keys) }
    case .any(let items):
      keys.insert("any")
      items.forEach { collect($0, into: &keys) }
    case .not(let inner):
      if case .leaf(let l) = inner, case .equals = l.predicate {
        keys.insert("!=")
      } else {
        keys.insert("not")
      }
      collect(inner, into: &keys)
    case .leaf(let l):
      keys.insert(l.predicate.key)
      if l.caseInsensitive { keys.insert("case_insensitive") }
    }
  }

  func depth(_ c: Condition) -> Int {
    switch c {
    case .all(let items), .any(let items): return 1 + (items.map(depth).max() ?? 0)
    case .not(let inner): return 1 + depth(inner)
    case .leaf: return 0
    }
  }

  // MARK: The evaluator against Python

  /// ~200 generated conditions over a few hundred generated rows, evaluated by
  /// `ConditionEvaluator` and by a small Python evaluator written from §7:
  /// `decimal.Decimal` for numbers (same grammar), `str.casefold` for
  /// `case_insensitive`, `re.search` for `matches` (with patterns that mean
  /// the same in ICU and Python), bytes for everything else; a cell that is
  /// not UTF-8 fails `matches` and case-insensitive tests.
  func testEvaluatorAgreesWithAPythonEvaluator() throws {
    let columns = ["a", "b", "c d", "e"]
    let nulls = ["", "NA"]
    var rng = SplitMix64(seed: 99)
    var rows: [[[UInt8]]] = []
    for _ in 0..<360 {
      rows.append(
        columns.map { _ in
          switch rng.next() % 10 {
          case 0: return Self.invalidCells[Int(rng.next() % UInt64(Self.invalidCells.count))]
          case 1:
            let a = Self.cellPool[Int(rng.next() % UInt64(Self.cellPool.count))]
            let b = Self.cellPool[Int(rng.next() % UInt64(Self.cellPool.count))]
            return Array((a + b).utf8)
          case 2: return Array(DecimalTextTests.randomNumber(&rng).utf8)
          default: return Array(Self.cellPool[Int(rng.next() % UInt64(Self.cellPool.count))].utf8)
          }
        })
    }
    // Text values: the pool, and pieces of it, so that contains and friends hit.
    var texts = Self.cellPool
    for cell in Self.cellPool where cell.count > 1 {
      texts.append(String(cell.prefix(2)))
      texts.append(String(cell.suffix(2)))
    }
    var generator = ConditionGenerator(
      seed: 7, names: columns, texts: texts, numbers: Self.numberPool, patterns: Self.patterns,
      caseInsensitivePatterns: Self.caseInsensitivePatterns)
    let conditions = (0..<200).map { _ in generator.condition() }

    let spec: [String: Any] = [
      "nulls": nulls, "columns": columns,
      "rows": rows.map { row in row.map { $0.map { String(format: "%02x", $0) }.joined() } },
      "conditions": conditions.map(\.json.compactText),
    ]
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("decant-conditions-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("spec.json")
    try JSONSerialization.data(withJSONObject: spec).write(to: file)
    let output = String(decoding: try Python.run(["-c", Self.pythonEvaluator, file.path]), as: UTF8.self)
    let expected = output.split(separator: "\n").map { $0.map { $0 == "1" } }
    XCTAssertEqual(expected.count, conditions.count)

    // Three batches, one evaluator per condition for all of them.
    let batches = stride(from: 0, to: rows.count, by: 120).map {
      byteBatch(Array(rows[$0..<min($0 + 120, rows.count)]), columnCount: columns.count)
    }
    var failures = 0
    var trues = 0
    for (i, (condition, want)) in zip(conditions, expected).enumerated() {
      let evaluator = ConditionEvaluator(condition, schema: Schema(columns), nulls: NullValues(nulls))
      let got = batches.flatMap { evaluator.evaluate($0) }
      trues += got.filter { $0 }.count
      guard got != want else { continue }
      failures += 1
      if failures <= 5 {
        let rowsDiffering = zip(got, want).enumerated().filter { $0.element.0 != $0.element.1 }.prefix(3)
        let shown = rowsDiffering.map { r, pair in
          "row \(r) \(rows[r].map { String(decoding: $0, as: UTF8.self) }): Decant \(pair.0), Python \(pair.1)"
        }
        XCTFail("condition \(i): \(ConditionText.print(condition))\n  \(shown.joined(separator: "\n  "))")
      }
    }
    XCTAssertEqual(failures, 0)
    // Neither side is trivially all false or all true.
    let total = conditions.count * rows.count
    XCTAssertGreaterThan(trues, total / 10)
    XCTAssertLessThan(trues, total * 9 / 10)
  }

  static let cellPool = [
    "10", "10.0", "1e1", "+10", "-0", "0", ".5", "5.", "-3.25", "100", "99.999", "1e400", "-1e-400",
    "12345678901234567890.5", "1,000", " 5", "5 ", "0x10", "inf", "NaN", "1e", "--1", "", "NA", "na",
    "straße",
    "STRASSE", "Strasse", "Hauptstraße 5", "ΟΔΟΣ", "οδος", "Οδός", "café", "CAFÉ", "cafe\u{301}", "abc",
    "ABC",
    "aBc d", "a b", "ab", "xyz", "US", "us", "CA", "ß", "ss", "ﬁle", "FILE", "İstanbul", "say \"hi\"",
    "back\\slash", "and", "null", "日本", "Köln", "KÖLN", "x-1", "2024-05-01",
  ]

  static let invalidCells: [[UInt8]] = [
    [0xFF], [0x61, 0xFF, 0x62], [0xC3], [0x73, 0x74, 0x72, 0x61, 0xC3], [0x61, 0x62, 0x63, 0xE2, 0x82],
    [0x31, 0x30, 0xFF], [0xED, 0xA0, 0x80],
  ]

  static let numberPool = [
    "0", "-0", "10", "10.0", "5", "-3.25", "99.999", "100", "1e400", "-1e-400", ".5", "5.", "+3", "1E1",
    "0.001",
    "12345678901234567890.5", "-0.5e-3",
  ]

  /// Patterns that mean the same in ICU and Python's `re` on these cells.
  static let patterns = [
    "^a", "b$", "ss", "^[0-9]+$", "[0-9]", "a.c", "(ab|CA)", "^.{2}$", "é", "ß", "^$", "x*", "\\.", " ", "^-",
    "e$", "^S", "1e", "ΟΔ",
  ]

  /// Patterns that mean the same in ICU (case-insensitive) and in Python
  /// searching casefolded text: literal runs and digit classes only.
  static let caseInsensitivePatterns = [
    "^abc", "strasse", "STRASSE$", "^straße", "ΟΔΟΣ", "café", "^us$", "KÖLN", "[0-9]+", "file", "^na$", "ab",
  ]

  static let pythonEvaluator = """
    import json, re, sys
    from decimal import Decimal
    spec = json.load(open(sys.argv[1]))
    nulls = {v.encode() for v in spec['nulls']}
    columns = spec['columns']
    rows = [[bytes.fromhex(h) for h in row] for row in spec['rows']]
    NUMBER = re.compile(r'[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?')

    def number(b):
        s = b.decode('latin-1')
        return Decimal(s) if NUMBER.fullmatch(s) else None

    def text(b):
        try:
            return b.decode('utf-8')
        except UnicodeDecodeError:
            return None

    TEXT = {
        'equals': lambda c, v: c == v,
        'contains': lambda c, v: v in c,
        'starts_with': lambda c, v: c.startswith(v),
        'ends_with': lambda c, v: c.endswith(v),
        'in': lambda c, v: c in v,
    }

    def leaf(cond, row):
        cell = row[columns.index(cond['column'])]
        key = next(k for k in cond if k not in ('column', 'case_insensitive'))
        value = cond[key]
        ci = cond.get('case_insensitive', False)
        if key == 'is_null':
            return (cell in nulls) == value
        if cell in nulls:
            return key == 'is_number' and value is False
        if key == 'is_number':
            return (number(cell) is not None) == value
        if key in ('gt', 'gte', 'lt', 'lte', 'between'):
            n = number(cell)
            if n is None:
                return False
            if key == 'between':
                return Decimal(value[0]) <= n <= Decimal(value[1])
            k = Decimal(value)
            return {'gt': n > k, 'gte': n >= k, 'lt': n < k, 'lte': n <= k}[key]
        if key == 'matches':
            s = text(cell)
            if s is None:
                return False
            if ci:
                return re.search(value.casefold(), s.casefold()) is not None
            return re.search(value, s) is not None
        if ci:
            s = text(cell)
            if s is None:
                return False
            v = [x.casefold() for x in value] if key == 'in' else value.casefold()
            return TEXT[key](s.casefold(), v)
        v = [x.encode() for x in value] if key == 'in' else value.encode()
        return TEXT[key](cell, v)

    def ev(cond, row):
        if 'all' in cond:
            return all(ev(c, row) for c in cond['all'])
        if 'any' in cond:
            return any(ev(c, row) for c in cond['any'])
        if 'not' in cond:
            return not ev(cond['not'], row)
        return leaf(cond, row)

    for line in spec['conditions']:
        cond = json.loads(line, parse_int=str, parse_float=str)
        print(''.join('1' if ev(cond, row) else '0' for row in rows))
    """
}

/// Generates conditions at random from pools of names, text values, numbers
/// and patterns: `all`/`any` of two to four items, `not`, and leaves of every
/// predicate, with `case_insensitive` on text predicates now and then.
struct ConditionGenerator {
  var rng: SplitMix64
  var names: [String]
  var texts: [String]
  /// Numbers to draw half the time, the rest generated (nil: generated only).
  var numbers: [String]?
  var patterns: [String]
  var caseInsensitivePatterns: [String]

  init(
    seed: UInt64, names: [String], texts: [String], numbers: [String]? = nil,
    patterns: [String] = ConditionGenerator.defaultPatterns, caseInsensitivePatterns: [String]? = nil
  ) {
    self.rng = SplitMix64(seed: seed)
    self.names = names
    self.texts = texts
    self.numbers = numbers
    self.patterns = patterns
    self.caseInsensitivePatterns = caseInsensitivePatterns ?? patterns
  }

  static let defaultPatterns = [
    "^a", "b$", "\\d+", "[0-9]{3}", "say \"hi\"", "a\\\\b", "(x|y)", "^$", ".*", "é", "STRASSE", "\\bword\\b",
    "\\(", "and", "日本", "\\t",
  ]

  mutating func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }

  mutating func chance(_ n: UInt64) -> Bool { rng.next() % n == 0 }

  mutating func number() -> DecimalText {
    if let numbers, chance(2) { return DecimalText(pick(numbers))! }
    return DecimalText(DecimalTextTests.randomNumber(&rng))!
  }

  mutating func condition(depth: Int = 0) -> Condition {
    // Leaves grow likelier with depth; the top is a group more often than not.
    let roll = rng.next() % 10
    if depth >= 4 || roll < UInt64(3 + depth * 2) { return leaf() }
    switch roll % 3 {
    case 0: return .not(condition(depth: depth + 1))
    case 1: return .all((0..<(2 + Int(rng.next() % 3))).map { _ in condition(depth: depth + 1) })
    default: return .any((0..<(2 + Int(rng.next() % 3))).map { _ in condition(depth: depth + 1) })
    }
  }

  mutating func leaf() -> Condition {
    let column = pick(names)
    let ci = chance(3)
    let predicate: DecantCore.Predicate
    var caseInsensitive = false
    switch rng.next() % 13 {
    case 0: predicate = .isNull(chance(2))
    case 1: predicate = .isNumber(chance(2))
    case 2:
      predicate = .equals(pick(texts))
      caseInsensitive = ci
    case 3:
      predicate = .in((0..<(1 + Int(rng.next() % 4))).map { _ in pick(texts) })
      caseInsensitive = ci
    case 4:
      predicate = .contains(pick(texts))
      caseInsensitive = ci
    case 5:
      predicate = .startsWith(pick(texts))
      caseInsensitive = ci
    case 6:
      predicate = .endsWith(pick(texts))
      caseInsensitive = ci
    case 7:
      caseInsensitive = ci
      let pattern = ci ? pick(caseInsensitivePatterns) : pick(patterns)
      predicate = .matches(try! RegexPattern(pattern, caseInsensitive: ci))
    case 8: predicate = .gt(number())
    case 9: predicate = .gte(number())
    case 10: predicate = .lt(number())
    case 11: predicate = .lte(number())
    default:
      let x = number()
      let y = number()
      predicate = Condition.compare(x, y) <= 0 ? .between(x, y) : .between(y, x)
    }
    let leaf = Condition.leaf(
      ConditionLeaf(column: column, predicate: predicate, caseInsensitive: caseInsensitive))
    // `!=` is `not (=)`: make it common.
    if case .equals = predicate, chance(3) { return .not(leaf) }
    return leaf
  }
}
