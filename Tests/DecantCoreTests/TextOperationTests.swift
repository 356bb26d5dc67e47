import XCTest

@testable import DecantCore

/// `trim`, `change_case`, `replace`, `extract` and `map_values` (DESIGN.md §8,
/// "Text"). Null cells are left alone (extract: null), a cell that is not valid
/// UTF-8 is a value error under `on_error`, and rows outside `where` pass
/// untouched. Differential checks against Python are in
/// `TextOperationDifferentialTests`.
final class TextOperationTests: XCTestCase {
  // MARK: trim

  func testTrimDecodesWithItsDefaults() throws {
    let op = try decodedOperation(TrimOperation.self, #"{"op": "trim", "columns": ["a", "b c"]}"#)
    XCTAssertEqual(op.side, .both)
    XCTAssertNil(op.characters)
    XCTAssertFalse(op.collapse)
    XCTAssertEqual(op.onError, .reject)
    XCTAssertEqual(op.summary, #"trim a, "b c""#)
    XCTAssertEqual(
      JSONValue.object(op.encodedParameters()).compactText,
      #"{"columns":["a","b c"],"side":"both","collapse":false,"on_error":"reject"}"#)
    let full = try decodedOperation(
      TrimOperation.self,
      #"{"op": "trim", "columns": ["a"], "side": "left", "characters": "*-", "collapse": true}"#)
    XCTAssertEqual(full.summary, #"trim a left of "*-", collapsing spaces"#)
    XCTAssertEqual(
      JSONValue.object(full.encodedParameters()).compactText,
      #"{"columns":["a"],"side":"left","characters":"*-","collapse":true,"on_error":"reject"}"#)
  }

  func testTrimStripsUnicodeWhiteSpaceFromTheChosenSides() throws {
    let table = [["  a b  "], ["\u{3000}\u{A0}x\t\n\u{2029}"], ["\u{200B}y\u{1C}"], ["\u{85}z\u{202F}"]]
    func trimmed(_ side: String) throws -> [String] {
      try applyStep(#"{"op": "trim", "columns": ["s"], "side": "\#(side)"}"#, columns: ["s"], rows: table)
        .column("s")
    }
    // U+200B (zero width space) and U+001C are not White_Space.
    XCTAssertEqual(try trimmed("both"), ["a b", "x", "\u{200B}y\u{1C}", "z"])
    XCTAssertEqual(try trimmed("left"), ["a b  ", "x\t\n\u{2029}", "\u{200B}y\u{1C}", "z\u{202F}"])
    XCTAssertEqual(try trimmed("right"), ["  a b", "\u{3000}\u{A0}x", "\u{200B}y\u{1C}", "\u{85}z"])
  }

  func testTrimWithCharactersStripsEachOfThemAndNothingElse() throws {
    let r = try applyStep(
      #"{"op": "trim", "columns": ["s"], "characters": "*·-"}"#, columns: ["s"],
      rows: [["**a-b·"], [" *a* "], ["·-*"], ["a"]])
    XCTAssertEqual(r.column("s"), ["a-b", " *a* ", "", "a"])
  }

  func testTrimCollapseTurnsInnerRunsOfWhiteSpaceIntoOneSpace() throws {
    let table = [["  a \t\u{3000} b   c  "], ["a b"], ["a\u{A0}b"], ["   "]]
    let both = try applyStep(
      #"{"op": "trim", "columns": ["s"], "collapse": true}"#, columns: ["s"], rows: table)
    XCTAssertEqual(both.column("s"), ["a b c", "a b", "a b", ""])
    let left = try applyStep(
      #"{"op": "trim", "columns": ["s"], "side": "left", "collapse": true}"#, columns: ["s"], rows: table)
    XCTAssertEqual(left.column("s"), ["a b c  ", "a b", "a b", ""])
    // Collapsing applies whatever `characters` says; ends keep their white space then.
    let starred = try applyStep(
      #"{"op": "trim", "columns": ["s"], "characters": "*", "collapse": true}"#, columns: ["s"],
      rows: [["* a  b *"], ["*x\t\ty*"]])
    XCTAssertEqual(starred.column("s"), [" a b ", "x y"])
  }

  func testTrimLeavesNullsAndTrimsEmptyValues() throws {
    let r = try applyStep(
      #"{"op": "trim", "columns": ["s"], "characters": "N"}"#, columns: ["s"], rows: [["NA"], [""], ["NAN"]],
      nullValues: ["NA"])
    XCTAssertEqual(r.column("s"), ["NA", "", "A"])
    let spaces = try applyStep(
      #"{"op": "trim", "columns": ["s"]}"#, columns: ["s"], rows: [[" NA "]], nullValues: ["NA"])
    XCTAssertEqual(spaces.column("s"), ["NA"])
  }

  func testTrimOfInvalidUTF8FollowsOnError() throws {
    let table = [[" a "], [" \\xE9 "], [" b "]]
    let rejected = try applyStep(#"{"op": "trim", "columns": ["s"]}"#, columns: ["s"], rows: table)
    XCTAssertEqual(rejected.column("s"), ["a", "b"])
    XCTAssertEqual(rejected.rejects, ["3: column s is not valid UTF-8"])
    let nulled = try applyStep(
      #"{"op": "trim", "columns": ["s"], "on_error": "null"}"#, columns: ["s"], rows: table)
    XCTAssertEqual(nulled.column("s"), ["a", "", "b"])
    let kept = try applyStep(
      #"{"op": "trim", "columns": ["s"], "on_error": "keep"}"#, columns: ["s"], rows: table)
    XCTAssertEqual(kept.column("s"), ["a", " \\xE9 ", "b"])
    let e = try XCTUnwrap(
      dataError(#"{"op": "trim", "columns": ["s"], "on_error": "fail"}"#, columns: ["s"], rows: table))
    XCTAssertEqual(e.description, "line 3: step 1 (trim): column s is not valid UTF-8")
  }

  func testARowWithSeveralBadCellsIsRejectedOnceNamingTheFirstColumn() throws {
    let r = try applyStep(
      #"{"op": "trim", "columns": ["a", "b"]}"#, columns: ["a", "b"],
      rows: [[" 1 ", "\\xFF"], ["\\xFF", "\\xFE"], [" x", "y "]])
    XCTAssertEqual(r.rows, [["x", "y"]])
    XCTAssertEqual(r.rejects, ["2: column b is not valid UTF-8", "3: column a is not valid UTF-8"])
  }

  func testOnErrorFailNamesTheFirstBadRowWhicheverColumnItIsIn() throws {
    let e = try XCTUnwrap(
      dataError(
        #"{"op": "change_case", "columns": ["a", "b"], "case": "upper", "on_error": "fail"}"#,
        columns: ["a", "b"],
        rows: [["x", "y"], ["ok", "\\xFF"], ["\\xFF", "ok"]]))
    XCTAssertEqual(e.line, 3)
    XCTAssertEqual(e.message, "column b is not valid UTF-8")
  }

  func testTrimWithWhereLeavesOtherRowsUntouched() throws {
    let r = try applyStep(
      #"{"op": "trim", "columns": ["s"], "where": {"column": "k", "is_null": false}}"#, columns: ["k", "s"],
      rows: [["1", " a "], ["", " b "], ["", " \\xFF "]])
    XCTAssertEqual(r.column("s"), ["a", " b ", " \\xFF "])
    XCTAssertEqual(r.rejects, [])
  }

  func testTrimErrors() throws {
    XCTAssertEqual(
      stepError(#"{"op": "trim", "columns": ["s"], "characters": ""}"#)?.message,
      "must hold at least one character (or leave it out for white space)")
    let side = try XCTUnwrap(stepError(#"{"op": "trim", "columns": ["s"], "side": "rigth"}"#))
    XCTAssertEqual(side.message, #""rigth" is not one of both, left, right; did you mean "right"?"#)
    XCTAssertEqual(stepError(#"{"op": "trim", "columns": ["s"], "collapse": 1}"#)?.field, "collapse")
  }

  // MARK: change_case

  func testChangeCaseNeedsACase() throws {
    XCTAssertEqual(
      stepError(#"{"op": "change_case", "columns": ["s"]}"#)?.message, "is required: upper, lower or title")
    XCTAssertEqual(
      stepError(#"{"op": "change_case", "columns": ["s"], "case": "Upper"}"#)?.message,
      #""Upper" is not one of upper, lower, title; did you mean "upper"?"#)
    let op = try decodedOperation(
      ChangeCaseOperation.self, #"{"op": "change_case", "columns": ["s"], "case": "title"}"#)
    XCTAssertEqual(op.summary, "change_case s to title")
    XCTAssertEqual(op.onError, .reject)
    XCTAssertEqual(
      JSONValue.object(op.encodedParameters()).compactText,
      #"{"columns":["s"],"case":"title","on_error":"reject"}"#)
  }

  func testChangeCaseUsesFullMappingsWithoutLocale() throws {
    let table = [["straße"], ["ΟΔΟΣ ΟΔΟΣ."], ["ǆemal o'NEIL 1ST 'tis"], ["İi"], ["ﬁne"]]
    func cased(_ c: String) throws -> [String] {
      try applyStep(#"{"op": "change_case", "columns": ["s"], "case": "\#(c)"}"#, columns: ["s"], rows: table)
        .column("s")
    }
    XCTAssertEqual(try cased("upper"), ["STRASSE", "ΟΔΟΣ ΟΔΟΣ.", "ǄEMAL O'NEIL 1ST 'TIS", "İI", "FINE"])
    XCTAssertEqual(try cased("lower"), ["straße", "οδος οδος.", "ǆemal o'neil 1st 'tis", "i\u{307}i", "ﬁne"])
    XCTAssertEqual(try cased("title"), ["Straße", "Οδοσ Οδοσ.", "ǅemal O'neil 1st 'tis", "İi", "Fine"])
  }

  func testChangeCaseLeavesNullsAndFollowsOnErrorForInvalidUTF8() throws {
    let table = [["na"], ["NA"], ["caf\\xE9"], ["x"]]
    let step = #"{"op": "change_case", "columns": ["s"], "case": "upper""#
    let rejected = try applyStep(step + "}", columns: ["s"], rows: table, nullValues: ["na"])
    XCTAssertEqual(rejected.column("s"), ["na", "NA", "X"])
    XCTAssertEqual(rejected.rejects, ["4: column s is not valid UTF-8"])
    let nulled = try applyStep(
      step + #", "on_error": "null"}"#, columns: ["s"], rows: table, nullValues: ["na"])
    XCTAssertEqual(nulled.column("s"), ["na", "NA", "", "X"])
    let kept = try applyStep(
      step + #", "on_error": "keep"}"#, columns: ["s"], rows: table, nullValues: ["na"])
    XCTAssertEqual(kept.column("s"), ["na", "NA", "caf\\xE9", "X"])
    XCTAssertEqual(
      dataError(step + #", "on_error": "fail"}"#, columns: ["s"], rows: table, nullValues: ["na"])?.line, 4)
  }

  func testChangeCaseWithWhere() throws {
    let r = try applyStep(
      #"{"op": "change_case", "columns": ["s"], "case": "lower", "where": {"column": "s", "matches": "^[A-Z]+$"}}"#,
      columns: ["s"], rows: [["ABC"], ["AbC"], ["\\xC0BC"], ["É"]])
    XCTAssertEqual(r.column("s"), ["abc", "AbC", "\\xC0BC", "É"])
    XCTAssertEqual(r.rejects, [])
  }

  // MARK: replace

  func testReplaceDecodesWithItsDefaults() throws {
    let op = try decodedOperation(ReplaceOperation.self, #"{"op": "replace", "columns": ["s"], "find": "-"}"#)
    XCTAssertEqual(op.with, "")
    XCTAssertFalse(op.regex)
    XCTAssertFalse(op.caseInsensitive)
    XCTAssertFalse(op.wholeCell)
    XCTAssertEqual(op.onError, .reject)
    XCTAssertEqual(op.summary, #"replace - with "" in s"#)
    XCTAssertEqual(
      JSONValue.object(op.encodedParameters()).compactText,
      #"{"columns":["s"],"find":"-","with":"","regex":false,"case_insensitive":false,"whole_cell":false,"on_error":"reject"}"#
    )
    let all = try decodedOperation(
      ReplaceOperation.self,
      #"{"op": "replace", "columns": ["s"], "find": "(\\d+)", "with": "<$1>", "regex": true, "whole_cell": true, "case_insensitive": true}"#
    )
    XCTAssertEqual(all.summary, #"replace regex "(\\d+)" with "<$1>" in s (whole cells) ignoring case"#)
    let number = try decodedOperation(
      ReplaceOperation.self, #"{"op": "replace", "columns": ["s"], "find": 0, "with": 1}"#)
    XCTAssertEqual([number.find, number.with], ["0", "1"])
  }

  func testReplaceLiteralReplacesEveryOccurrenceLeftToRight() throws {
    let r = try applyStep(
      #"{"op": "replace", "columns": ["s"], "find": "aa", "with": "b"}"#, columns: ["s"],
      rows: [["aaa"], ["aaaa"], ["xyz"], ["a.a aa"]])
    XCTAssertEqual(r.column("s"), ["ba", "bb", "xyz", "a.a b"])
    let dots = try applyStep(
      #"{"op": "replace", "columns": ["s"], "find": ".", "with": ", "}"#, columns: ["s"],
      rows: [["1.5.2"], ["15"]])
    XCTAssertEqual(dots.column("s"), ["1, 5, 2", "15"])
    let deleted = try applyStep(
      #"{"op": "replace", "columns": ["s"], "find": "é"}"#, columns: ["s"], rows: [["éte\u{301}é"]])
    XCTAssertEqual(deleted.column("s"), ["te\u{301}"])
  }

  func testReplaceWholeCellReplacesOnlyCellsThatAreAllFind() throws {
    let r = try applyStep(
      #"{"op": "replace", "columns": ["s"], "find": "n/a", "with": "unknown", "whole_cell": true}"#,
      columns: ["s"],
      rows: [["n/a"], ["n/a "], ["N/A"], ["n/an/a"]])
    XCTAssertEqual(r.column("s"), ["unknown", "n/a ", "N/A", "n/an/a"])
    let folded = try applyStep(
      #"{"op": "replace", "columns": ["s"], "find": "n/a", "with": "?", "whole_cell": true, "case_insensitive": true}"#,
      columns: ["s"], rows: [["n/a"], ["N/A"], ["N/A!"]])
    XCTAssertEqual(folded.column("s"), ["?", "?", "N/A!"])
  }

  func testReplaceRegexInsertsGroups() throws {
    let r = try applyStep(
      #"{"op": "replace", "columns": ["s"], "find": "(\\w+)@(\\w+)", "with": "$2 at $1 \\$", "regex": true}"#,
      columns: ["s"], rows: [["ann@home, bob@work"], ["none"]])
    XCTAssertEqual(r.column("s"), ["home at ann $, work at bob $", "none"])
    let whole = try applyStep(
      #"{"op": "replace", "columns": ["s"], "find": "(\\d{4})-(\\d{2})", "with": "${2}/$1", "regex": true, "whole_cell": true}"#,
      columns: ["s"], rows: [["2024-03"], ["2024-03-01"]])
    XCTAssertEqual(whole.column("s"), ["03/2024", "2024-03-01"])
  }

  func testReplaceIgnoringCaseUsesFullCaseFolding() throws {
    let r = try applyStep(
      #"{"op": "replace", "columns": ["s"], "find": "STRASSE", "with": "Str.", "case_insensitive": true}"#,
      columns: ["s"], rows: [["Hauptstraße 1"], ["HAUPTSTRASSE 2"], ["strasse"], ["Strase"]])
    XCTAssertEqual(r.column("s"), ["HauptStr. 1", "HAUPTStr. 2", "Str.", "Strase"])
    // Without regex, find's metacharacters are literal, also ignoring case.
    let literal = try applyStep(
      #"{"op": "replace", "columns": ["s"], "find": "A.B", "with": "-", "case_insensitive": true}"#,
      columns: ["s"], rows: [["a.b"], ["axb"]])
    XCTAssertEqual(literal.column("s"), ["-", "axb"])
  }

  func testReplaceLeavesNullsAndFollowsOnErrorForInvalidUTF8() throws {
    let table = [["NA"], ["N\\xFFA"], ["NAN"]]
    let step = #"{"op": "replace", "columns": ["s"], "find": "N", "with": "n""#
    let rejected = try applyStep(step + "}", columns: ["s"], rows: table, nullValues: ["NA"])
    XCTAssertEqual(rejected.column("s"), ["NA", "nAn"])
    XCTAssertEqual(rejected.rejects, ["3: column s is not valid UTF-8"])
    let nulled = try applyStep(
      step + #", "on_error": "null"}"#, columns: ["s"], rows: table, nullValues: ["NA"])
    XCTAssertEqual(nulled.column("s"), ["NA", "", "nAn"])
    let kept = try applyStep(
      step + #", "on_error": "keep"}"#, columns: ["s"], rows: table, nullValues: ["NA"])
    XCTAssertEqual(kept.column("s"), ["NA", "N\\xFFA", "nAn"])
    XCTAssertEqual(
      dataError(step + #", "on_error": "fail"}"#, columns: ["s"], rows: table, nullValues: ["NA"])?
        .description,
      "line 3: step 1 (replace): column s is not valid UTF-8")
  }

  func testReplaceWithWhere() throws {
    let r = try applyStep(
      #"{"op": "replace", "columns": ["s"], "find": "-", "with": "+", "where": {"column": "k", "equals": "y"}}"#,
      columns: ["k", "s"], rows: [["y", "a-b"], ["n", "a-b"], ["n", "\\xFF-"]])
    XCTAssertEqual(r.column("s"), ["a+b", "a-b", "\\xFF-"])
    XCTAssertEqual(r.rejects, [])
  }

  func testReplaceErrors() throws {
    XCTAssertEqual(
      stepError(#"{"op": "replace", "columns": ["s"], "find": ""}"#)?.message, "must not be empty")
    XCTAssertEqual(stepError(#"{"op": "replace", "columns": ["s"]}"#)?.field, "find")
    let regex = try XCTUnwrap(stepError(#"{"op": "replace", "columns": ["s"], "find": "a(", "regex": true}"#))
    XCTAssertEqual(regex.field, "find")
    XCTAssertTrue(regex.message.hasPrefix("is not a valid regular expression: "), regex.message)
    let group = try XCTUnwrap(
      stepError(#"{"op": "replace", "columns": ["s"], "find": "(a)", "with": "$2", "regex": true}"#))
    XCTAssertEqual(group.field, "with")
    XCTAssertEqual(
      group.message, #"group 2 does not exist (the pattern has 1 group) at offset 0 of the replacement "$2""#)
    // Without regex, `with` is literal text: no template to check.
    XCTAssertNoThrow(
      try decodedStep(#"{"op": "replace", "columns": ["s"], "find": "a(", "with": "$2 \\"}"#))
  }

  // MARK: extract

  func testExtractDecodesGroupOneOrZeroByDefault() throws {
    let grouped = try decodedOperation(
      ExtractOperation.self, #"{"op": "extract", "column": "s", "pattern": "(\\d+)-(\\d+)", "to": "n"}"#)
    XCTAssertEqual(grouped.group, 1)
    XCTAssertEqual(grouped.onError, .reject)
    XCTAssertEqual(grouped.summary, #"extract "(\\d+)-(\\d+)" from s to n"#)
    XCTAssertEqual(
      JSONValue.object(grouped.encodedParameters()).compactText,
      #"{"column":"s","pattern":"(\\d+)-(\\d+)","group":1,"to":"n","on_error":"reject"}"#)
    let plain = try decodedOperation(
      ExtractOperation.self, #"{"op": "extract", "column": "s", "pattern": "[0-9]+", "to": "n"}"#)
    XCTAssertEqual(plain.group, 0)
    XCTAssertEqual(plain.summary, #"extract "[0-9]+" group 0 from s to n"#)
  }

  func testExtractTakesTheFirstMatchsGroupIntoANewColumnAfterTheSource() throws {
    let r = try applyStep(
      #"{"op": "extract", "column": "s", "pattern": "(\\d+)-(\\d+)", "group": 2, "to": "n"}"#,
      columns: ["s", "z"], rows: [["a 1-2 b 3-4", "z"], ["none", "z"], ["٣-٤", "z"]])
    XCTAssertEqual(r.columns, ["s", "n", "z"])
    XCTAssertEqual(r.column("n"), ["2", "", "٤"])
  }

  func testExtractGivesNullWhenTheGroupTookNoPart() throws {
    let r = try applyStep(
      #"{"op": "extract", "column": "s", "pattern": "(a)|(b)", "group": 1, "to": "n"}"#, columns: ["s"],
      rows: [["xa"], ["xb"], ["ba"]])
    XCTAssertEqual(r.column("n"), ["a", "", ""])
    let empty = try applyStep(
      #"{"op": "extract", "column": "s", "pattern": "x*", "to": "n"}"#, columns: ["s"],
      rows: [["abc"], ["xxa"]],
      nullValues: ["NA"])
    XCTAssertEqual(empty.column("n"), ["", "xx"])
  }

  func testExtractOfNullIsNull() throws {
    let r = try applyStep(
      #"{"op": "extract", "column": "s", "pattern": "N", "to": "n"}"#, columns: ["s"],
      rows: [["NA"], ["xN"]],
      nullValues: ["NA"])
    XCTAssertEqual(r.column("n"), ["", "N"])
  }

  func testExtractOfInvalidUTF8FollowsOnErrorAndKeepGivesNull() throws {
    let table = [["a1"], ["a\\xFF2"], ["a3"]]
    let step = #"{"op": "extract", "column": "s", "pattern": "\\d", "to": "d""#
    let rejected = try applyStep(step + "}", columns: ["s"], rows: table)
    XCTAssertEqual(rejected.rows, [["a1", "1"], ["a3", "3"]])
    XCTAssertEqual(rejected.rejects, ["3: column s is not valid UTF-8"])
    for onError in ["null", "keep"] {
      let r = try applyStep(step + #", "on_error": "\#(onError)"}"#, columns: ["s"], rows: table)
      XCTAssertEqual(r.rows, [["a1", "1"], ["a\\xFF2", ""], ["a3", "3"]], onError)
      XCTAssertEqual(r.rejects, [], onError)
    }
    XCTAssertEqual(dataError(step + #", "on_error": "fail"}"#, columns: ["s"], rows: table)?.line, 3)
  }

  func testExtractWithWhereLeavesTheNewColumnNullOnOtherRows() throws {
    let r = try applyStep(
      ##"{"op": "extract", "column": "s", "pattern": "\\d+", "to": "d", "where": {"column": "s", "starts_with": "#"}}"##,
      columns: ["s"], rows: [["#12"], ["34"], ["\\xFF5"]])
    XCTAssertEqual(r.column("d"), ["12", "", ""])
    XCTAssertEqual(r.rejects, [])
  }

  func testExtractErrors() throws {
    let beyond = try XCTUnwrap(
      stepError(#"{"op": "extract", "column": "s", "pattern": "(a)(b)", "group": 3, "to": "n"}"#))
    XCTAssertEqual(beyond.field, "group")
    XCTAssertEqual(beyond.message, "is 3, but the pattern has only 2 groups")
    XCTAssertEqual(
      stepError(#"{"op": "extract", "column": "s", "pattern": "ab", "group": 1, "to": "n"}"#)?.message,
      "is 1, but the pattern has no groups")
    XCTAssertEqual(
      stepError(#"{"op": "extract", "column": "s", "pattern": "[ab", "to": "n"}"#)?.message,
      #"is not a valid regular expression: missing ] to close a character class at offset 2 of "[ab""#)
    XCTAssertEqual(stepError(#"{"op": "extract", "column": "s", "pattern": "a"}"#)?.field, "to")
    XCTAssertEqual(
      stepError(#"{"op": "extract", "column": "s", "pattern": "(a)", "group": "1", "to": "n"}"#)?.message,
      "must be a whole number, not a string")
  }

  // MARK: map_values

  func testMapValuesDecodesWithItsDefaults() throws {
    let op = try decodedOperation(
      MapValuesOperation.self,
      #"{"op": "map_values", "columns": ["c"], "mapping": {"de": "DE", "n/a": null}}"#)
    XCTAssertFalse(op.caseInsensitive)
    XCTAssertEqual(op.unmapped, .keep)
    XCTAssertEqual(op.onError, .reject)
    XCTAssertEqual(op.summary, "map_values c (2 values)")
    XCTAssertEqual(
      JSONValue.object(op.encodedParameters()).compactText,
      #"{"columns":["c"],"mapping":{"de":"DE","n/a":null},"case_insensitive":false,"unmapped":"keep","on_error":"reject"}"#
    )
    let rejecting = try decodedOperation(
      MapValuesOperation.self,
      #"{"op": "map_values", "columns": ["c"], "mapping": {"1": 2}, "unmapped": "reject"}"#)
    XCTAssertEqual(rejecting.summary, "map_values c (1 value, others reject)")
    XCTAssertEqual(rejecting.mapping.map(\.1), ["2"])
  }

  func testMapValuesReplacesWholeValuesAndMapsToNull() throws {
    let r = try applyStep(
      #"{"op": "map_values", "columns": ["c"], "mapping": {"de": "DE", "Germany": "DE", "?": null, "": "empty"}}"#,
      columns: ["c"], rows: [["de"], ["Germany"], ["?"], ["de "], ["DE"], [""]])
    // The empty cell is null (default null_values), so the "" key never applies.
    XCTAssertEqual(r.column("c"), ["DE", "DE", "", "de ", "DE", ""])
  }

  func testMapValuesUnmappedKeepNullOrReject() throws {
    let table = [["a"], ["b"], [""], ["NA"]]
    let step = #"{"op": "map_values", "columns": ["c"], "mapping": {"a": "A"}"#
    let kept = try applyStep(step + "}", columns: ["c"], rows: table, nullValues: ["", "NA"])
    XCTAssertEqual(kept.column("c"), ["A", "b", "", "NA"])
    let nulled = try applyStep(
      step + #", "unmapped": "null"}"#, columns: ["c"], rows: table, nullValues: ["", "NA"])
    XCTAssertEqual(nulled.column("c"), ["A", "", "", "NA"])
    // Null cells are never unmapped.
    let rejected = try applyStep(
      step + #", "unmapped": "reject"}"#, columns: ["c"], rows: table, nullValues: ["", "NA"])
    XCTAssertEqual(rejected.column("c"), ["A", "", "NA"])
    XCTAssertEqual(rejected.rejects, [#"3: no mapping for "b" in column c"#])
  }

  func testUnmappedRejectRejectsWhateverOnErrorSays() throws {
    for onError in ["reject", "null", "keep", "fail"] {
      let r = try applyStep(
        #"{"op": "map_values", "columns": ["c"], "mapping": {"a": "A"}, "unmapped": "reject", "on_error": "\#(onError)"}"#,
        columns: ["c"], rows: [["a"], ["z"]])
      XCTAssertEqual(r.rejects, [#"3: no mapping for "z" in column c"#], onError)
      XCTAssertEqual(r.column("c"), ["A"], onError)
    }
  }

  func testMapValuesIgnoringCaseUsesFullCaseFolding() throws {
    let r = try applyStep(
      #"{"op": "map_values", "columns": ["c"], "mapping": {"straße": "street", "ΟΔΟΣ": "road"}, "case_insensitive": true}"#,
      columns: ["c"], rows: [["STRASSE"], ["Strasse"], ["οδος"], ["οδοσ"], ["strase"]])
    XCTAssertEqual(r.column("c"), ["street", "street", "road", "road", "strase"])
    // Keys equal ignoring case may repeat when they agree.
    XCTAssertNoThrow(
      try decodedStep(
        #"{"op": "map_values", "columns": ["c"], "mapping": {"a": "x", "A": "x"}, "case_insensitive": true}"#)
    )
  }

  func testMapValuesOfInvalidUTF8FollowsOnError() throws {
    let table = [["a"], ["\\xE1"], ["b"]]
    let step =
      #"{"op": "map_values", "columns": ["c"], "mapping": {"a": "A", "b": "B"}, "unmapped": "reject""#
    let rejected = try applyStep(step + "}", columns: ["c"], rows: table)
    XCTAssertEqual(rejected.rejects, ["3: column c is not valid UTF-8"])
    let nulled = try applyStep(step + #", "on_error": "null"}"#, columns: ["c"], rows: table)
    XCTAssertEqual(nulled.column("c"), ["A", "", "B"])
    XCTAssertEqual(nulled.rejects, [])
    let kept = try applyStep(step + #", "on_error": "keep"}"#, columns: ["c"], rows: table)
    XCTAssertEqual(kept.column("c"), ["A", "\\xE1", "B"])
    XCTAssertEqual(kept.rejects, [])
    XCTAssertEqual(dataError(step + #", "on_error": "fail"}"#, columns: ["c"], rows: table)?.line, 3)
  }

  func testMapValuesWithWhereNeverRejectsOtherRows() throws {
    let r = try applyStep(
      #"{"op": "map_values", "columns": ["c"], "mapping": {"a": "A"}, "unmapped": "reject", "where": {"column": "k", "equals": "1"}}"#,
      columns: ["k", "c"], rows: [["1", "a"], ["2", "z"], ["1", "y"]])
    XCTAssertEqual(r.rows, [["1", "A"], ["2", "z"]])
    XCTAssertEqual(r.rejects, [#"4: no mapping for "y" in column c"#])
  }

  func testMapValuesOverSeveralColumnsRejectsARowOnce() throws {
    let r = try applyStep(
      #"{"op": "map_values", "columns": ["a", "b"], "mapping": {"x": "X"}, "unmapped": "reject"}"#,
      columns: ["a", "b"], rows: [["x", "x"], ["q", "r"], ["x", "s"]])
    XCTAssertEqual(r.rows, [["X", "X"]])
    XCTAssertEqual(r.rejects, [#"3: no mapping for "q" in column a"#, #"4: no mapping for "s" in column b"#])
    XCTAssertEqual(r.counts.rowsRejected, 2)
  }

  func testMapValuesErrors() throws {
    XCTAssertEqual(
      stepError(#"{"op": "map_values", "columns": ["c"], "mapping": {}}"#)?.message,
      "must map at least one value")
    XCTAssertEqual(stepError(#"{"op": "map_values", "columns": ["c"]}"#)?.field, "mapping")
    XCTAssertEqual(
      stepError(#"{"op": "map_values", "columns": ["c"], "mapping": {"a": ["b"]}}"#)?.message,
      #"the value for "a" must be a string or null, not an array"#)
    XCTAssertEqual(
      stepError(
        #"{"op": "map_values", "columns": ["c"], "mapping": {"A": "x", "a": "y"}, "case_insensitive": true}"#)?
        .message, #""A" and "a" are the same ignoring case but map to different values"#)
    XCTAssertEqual(
      stepError(#"{"op": "map_values", "columns": ["c"], "mapping": {"a": "b"}, "unmapped": "rejct"}"#)?
        .message,
      #""rejct" is not one of keep, null, reject; did you mean "reject"?"#)
  }

  // MARK: Several batches, one worker and three

  func testTextOperationsGiveTheSameRowsWithOneWorkerAndThree() throws {
    let result = try runSteps(
      steps: """
        {"op": "trim", "columns": ["s"], "collapse": true},
        {"op": "change_case", "columns": ["s"], "case": "title", "where": {"column": "n", "gt": 1}},
        {"op": "replace", "columns": ["s"], "find": "\\\\s", "with": "_", "regex": true},
        {"op": "extract", "column": "s", "pattern": "^(\\\\w)", "to": "initial"},
        {"op": "map_values", "columns": ["initial"], "mapping": {"a": "A", "B": "B"}, "unmapped": "reject"}
        """,
      columns: ["n", "s"],
      batches: [
        [["1", " ann  lee "], ["2", "bob\\xFF"]], [["3", "  BOB  smith"], ["4", "cy"]], [["5", ""]],
      ])
    XCTAssertEqual(result.rows, [["1", "ann_lee", "A"], ["3", "Bob_Smith", "B"], ["5", "", ""]])
    XCTAssertEqual(
      result.rejects.map { "\($0.line) \($0.step): \($0.reason)" },
      ["3 1 trim: column s is not valid UTF-8", #"5 5 map_values: no mapping for "C" in column initial"#])
    assertBalances(result)
  }
}
