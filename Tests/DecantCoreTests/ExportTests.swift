import XCTest

@testable import DecantCore

/// `decant export`: what is refused, and how (equality with `decant run` is
/// shown by running the jobs, in the end-to-end tests).
final class ExportTests: XCTestCase {
  func recipe(_ steps: String, input: String = #"{"format": "csv", "null_values": [""]}"#) throws -> Recipe {
    try Recipe.decode(#"{"decant_recipe": 1, "input": \#(input), "steps": [\#(steps)]}"#)
  }

  func refusal(_ steps: String, columns: [String] = ["a", "b"], dialect: SQLDialect = .duckdb) throws
    -> ExportRefusal?
  {
    let r = try recipe(steps)
    do {
      _ = try SQLExport(recipe: r, dialect: dialect, inputColumns: columns)
      return nil
    } catch {
      return error
    }
  }

  func testRegexFeaturesTheEnginesLackAreRefusedWithTheReasonAndStep() throws {
    let cases: [(String, String)] = [
      ("(?=x)a", "lookaround"),
      ("(?<name>a)", "lookaround, named"),
      ("\\w+", "\\w"),
      ("\\bword", "\\b"),
      ("(a)\\1", "\\1"),
      ("a{1001}", "more than 1000"),
      ("[[:alpha:]]", "nests character classes"),
      ("[a-z&&[^x]]", "intersection"),
    ]
    for (pattern, reason) in cases {
      let escaped = pattern.replacingOccurrences(of: "\\", with: "\\\\")
      let r = try XCTUnwrap(
        try refusal(
          #"{"op": "rename", "columns": {"a": "c"}}, {"op": "filter", "where": {"column": "b", "matches": "\#(escaped)"}}"#
        ), pattern)
      XCTAssertEqual(r.step, 2, pattern)
      XCTAssertEqual(r.op, "filter", pattern)
      XCTAssertTrue(r.description.hasPrefix("step 2 (filter)"), r.description)
      XCTAssertTrue(r.message.contains(reason), "\(pattern): \(r.message)")
    }
  }

  func testPossessiveQuantifiersAreRefusedForDuckDBOnly() throws {
    let step = #"{"op": "filter", "where": {"column": "a", "matches": "a++"}}"#
    XCTAssertTrue(try XCTUnwrap(try refusal(step, dialect: .duckdb)).message.contains("possessive"))
    XCTAssertNil(try refusal(step, dialect: .spark))
  }

  func testNumberLiteralsBeyondTheExactDecimalAreRefused() throws {
    XCTAssertNil(try refusal(#"{"op": "filter", "where": {"column": "a", "gt": 1234567890123456789}}"#))
    XCTAssertNil(try refusal(#"{"op": "filter", "where": {"column": "a", "gt": 0.123456789012345678}}"#))
    let tooPrecise = try XCTUnwrap(
      try refusal(#"{"op": "filter", "where": {"column": "a", "gt": 0.1234567890123456789}}"#))
    XCTAssertEqual(tooPrecise.step, 1)
    let tooLarge = try XCTUnwrap(
      try refusal(#"{"op": "filter", "where": {"column": "a", "lt": 12345678901234567890123}}"#))
    XCTAssertEqual(tooLarge.step, 1)
  }

  func testCaseInsensitiveRegexesAndUnexportedOperationsAreRefusedByName() throws {
    XCTAssertNil(
      try refusal(#"{"op": "filter", "where": {"column": "a", "equals": "x", "case_insensitive": true}}"#))
    let ci = try XCTUnwrap(
      try refusal(#"{"op": "filter", "where": {"column": "a", "matches": "x", "case_insensitive": true}}"#))
    XCTAssertEqual(ci.step, 1)
    XCTAssertEqual(ci.field, "where.case_insensitive")
    let median = try XCTUnwrap(try refusal(#"{"op": "fill_null", "columns": ["a"], "strategy": "median"}"#))
    XCTAssertEqual(median.op, "fill_null")
    XCTAssertEqual(median.field, "strategy")
  }

  func testInputFormatsARegularExpressionCannotReadAsDecantDoesAreRefused() throws {
    func step(_ formats: [String]) -> String {
      let list = formats.map { "\"\($0)\"" }.joined(separator: ", ")
      return #"{"op": "format_date", "column": "a", "input_formats": [\#(list)], "output_format": "%F"}"#
    }
    // Compact layouts read greedily, as Decant reads them: exported.
    XCTAssertNil(try refusal(step(["%Y%m%d%H%M%S", "%d %b %Y", "%m/%e/%Y %I:%M %p", "%s.%f"])))
    let offset = try XCTUnwrap(try refusal(step(["%Y-%m-%d %z%H"])))
    XCTAssertEqual(offset.step, 1)
    XCTAssertEqual(offset.field, "input_formats")
    XCTAssertTrue(
      offset.message.contains("\"%Y-%m-%d %z%H\" reads an offset right before a digit"), offset.message)
    let name = try XCTUnwrap(try refusal(step(["%Y %d %b%a"])))
    XCTAssertTrue(name.message.contains("month or day name right before letters"), name.message)
    // Ten fields read: DuckDB's regexp_extract reaches nine groups; Spark's has no such limit.
    let ten = ["%Y-%m-%d %H:%M:%S.%f %z %j %p %I"]
    XCTAssertTrue(try XCTUnwrap(try refusal(step(ten))).message.contains("more than nine fields"))
    XCTAssertNil(try refusal(step(ten), dialect: .spark))
  }

  func testZonesPerRowAndNamedZonesExportWithTheirResolution() throws {
    let perRow =
      #"{"op": "normalize_timezone", "column": "a", "from_zone": {"column": "b"}, "to_zone": "Europe/Berlin"}"#
    XCTAssertNil(try refusal(perRow))
    XCTAssertNil(try refusal(perRow, dialect: .spark))
    // The names a zone column may hold include those Decant accepts beyond its known list.
    XCTAssertTrue(NormalizeTimezoneOperation.exportedZoneNames.contains("America/New_York"))
    XCTAssertFalse(
      NormalizeTimezoneOperation.exportedZoneNames.contains("UTC"), "UTC's names are read by the job")
    for name in NormalizeTimezoneOperation.exportedZoneNames.prefix(50) { XCTAssertNotNil(Zone(name), name) }
  }

  func testCaseFoldingReplacesTheLettersWhoseFoldingIsNotTheirLowerCase() {
    let special = Dictionary(uniqueKeysWithValues: CaseSQL.foldingUnlikeLower.map { ($0.0, $0.1) })
    XCTAssertEqual(special["ß"], "ss")
    XCTAssertEqual(special["ς"], "σ")
    XCTAssertEqual(special["\u{390}"], "\u{3B9}\u{308}\u{301}")
    XCTAssertEqual(special["\u{AB70}"], "\u{13A0}", "Cherokee small letters fold to capitals")
    XCTAssertNil(special["a"])
    XCTAssertNil(special["Σ"], "a capital folds to its lower case, which lower() gives")
  }

  func testJSONLinesAndOtherEncodingsAreRefusedAsInputSettings() throws {
    let jsonl = try recipe(#"{"op": "drop", "columns": ["b"]}"#, input: #"{"format": "jsonl"}"#)
    XCTAssertThrowsError(try SQLExport(recipe: jsonl, dialect: .spark, inputColumns: ["a", "b"])) { error in
      XCTAssertEqual((error as? ExportRefusal)?.field, "input.format")
    }
    let utf16 = try recipe(#"{"op": "drop", "columns": ["b"]}"#, input: #"{"encoding": "utf-16"}"#)
    XCTAssertThrowsError(try SQLExport(recipe: utf16, dialect: .duckdb, inputColumns: ["a", "b"])) { error in
      XCTAssertEqual((error as? ExportRefusal)?.field, "input.encoding")
    }
    let latin1 = try recipe(#"{"op": "drop", "columns": ["b"]}"#, input: #"{"encoding": "latin1"}"#)
    let script = try SQLExport.duckdb(
      recipe: latin1, inputColumns: ["a", "b"], paths: ExportPaths(input: "in.csv", output: "o", rejects: "r")
    )
    XCTAssertTrue(script.contains("encoding = 'latin-1'"), script)
  }

  func testEveryStepIsOneViewOverThePreviousAndTheOutputColumnsFollowThePlan() throws {
    let r = try recipe(
      #"{"op": "rename", "columns": {"a": "x"}}, {"op": "copy", "column": "x", "to": "y"}, {"op": "drop", "columns": ["b"]}"#
    )
    let e = try SQLExport(recipe: r, dialect: .spark, inputColumns: ["a", "b"])
    XCTAssertEqual(e.views.map(\.name), ["s1", "s2", "s3"])
    XCTAssertTrue(e.views[1].query.hasSuffix("FROM s1"), e.views[1].query)
    XCTAssertEqual(e.outputColumns, ["x", "y"])
    XCTAssertEqual(e.lastView, "s3")
  }

  func testSparkLiteralsEscapeWhatSparkReadsAsEscapes() {
    XCTAssertEqual(SQLDialect.spark.text("a'b\\c\nd"), #"'a\'b\\c\nd'"#)
    XCTAssertEqual(SQLDialect.duckdb.text("a'b\\c"), #"'a''b\c'"#)
    XCTAssertEqual(SQLDialect.spark.name("we`ird"), "`we``ird`")
    XCTAssertEqual(SQLDialect.duckdb.name("we\"ird"), "\"we\"\"ird\"")
  }

  func testPythonStringsAreRawOnlyWhenTheTextAllowsIt() {
    XCTAssertEqual(PythonSource.string("SELECT '\\\\'", multiline: true), "r\"\"\"SELECT '\\\\'\"\"\"")
    XCTAssertEqual(PythonSource.string("ends in \\", multiline: true), "\"ends in \\\\\"")
    XCTAssertEqual(PythonSource.string("a\"\"\"b", multiline: true), "\"a\\\"\\\"\\\"b\"")
    XCTAssertEqual(PythonSource.string("tab\there\u{2028}"), "\"tab\\there\\u2028\"")
  }
}
