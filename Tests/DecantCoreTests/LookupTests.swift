import Foundation
import XCTest

@testable import DecantCore

final class LookupTests: XCTestCase {
  var directory: URL!

  override func setUpWithError() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "decant-lookup-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: directory)
  }

  /// Writes a reference file and returns its path.
  func reference(_ name: String, _ text: String) throws -> String {
    let url = directory.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  let countries = """
    code,region,currency
    FR,Europe,EUR
    DE,Europe,EUR
    US,Americas,USD
    ,Nowhere,XXX
    FR,Elsewhere,FRF
    JP,Asia,

    """

  func testAddsTheReferenceColumnsAtTheEndAndNullsWithoutAMatch() throws {
    let file = try reference("countries.csv", countries)
    let r = try applyStep(
      #"{"op": "lookup", "file": "\#(file)", "on": {"country": "code"}}"#,
      columns: ["id", "country", "amount"],
      rows: [
        ["1", "FR", "10"], ["2", "us", "20"], ["3", "", "30"], ["4", "JP", "40"], ["5", "XX", "50"],
      ])
    XCTAssertEqual(r.columns, ["id", "country", "amount", "region", "currency"])
    // The first FR row wins; keys are compared as text (case matters); an empty
    // reference cell is null; a null data key never matches.
    XCTAssertEqual(
      r.rows,
      [
        ["1", "FR", "10", "Europe", "EUR"], ["2", "us", "20", "", ""], ["3", "", "30", "", ""],
        ["4", "JP", "40", "Asia", ""], ["5", "XX", "50", "", ""],
      ])
    XCTAssertEqual(r.counts.rowsOut, 5)
  }

  func testUnmatchedRowsAreRemovedOrRejectedButNeverOutsideTheWhere() throws {
    let file = try reference("countries.csv", countries)
    let rows = [["1", "FR"], ["2", "XX"], ["3", ""], ["4", "YY"]]
    let removed = try applyStep(
      #"{"op": "lookup", "file": "\#(file)", "on": {"c": "code"}, "columns": ["region"], "unmatched": "remove"}"#,
      columns: ["id", "c"], rows: rows)
    XCTAssertEqual(removed.rows, [["1", "FR", "Europe"]])
    XCTAssertEqual(removed.counts.rowsRemoved, 3)
    XCTAssertEqual(removed.removedLines, [3, 4, 5])
    let rejected = try applyStep(
      #"{"op": "lookup", "file": "\#(file)", "on": {"c": "code"}, "columns": ["region"], "unmatched": "reject", "where": {"column": "id", "lt": 4}}"#,
      columns: ["id", "c"], rows: rows)
    XCTAssertEqual(rejected.rows, [["1", "FR", "Europe"], ["4", "YY", ""]])
    XCTAssertEqual(
      rejected.rejects,
      [
        #"3: no match in \#(file) for key "XX""#,
        #"4: no match in \#(file): a key column (c) is null"#,
      ])
  }

  func testSeveralKeyColumnsNeverMeetAcrossTheirBoundary() throws {
    let file = try reference(
      "pairs.tsv", "a\tb\tvalue\nx|y\tz\tfirst\nx\ty|z\tsecond\n")
    let r = try applyStep(
      #"{"op": "lookup", "file": "\#(file)", "on": ["a", "b"], "prefix": "ref_"}"#, columns: ["a", "b"],
      rows: [["x|y", "z"], ["x", "y|z"], ["x|y|z", ""], ["x", "y"]])
    XCTAssertEqual(r.column("ref_value"), ["first", "second", "", ""])
  }

  func testJSONLinesReferenceKeepsItsTypes() throws {
    let file = try reference(
      "rates.jsonl",
      #"{"ccy": "EUR", "rate": 1.08, "major": true}"# + "\n"
        + #"{"ccy": "JPY", "rate": 0.0067, "major": false}"# + "\n")
    let recipe = try recipe(steps: #"{"op": "lookup", "file": "\#(file)", "on": {"currency": "ccy"}}"#)
    let schemas = try recipe.plan(Schema(["currency"]))
    XCTAssertEqual(schemas.last!.names, ["currency", "rate", "major"])
    XCTAssertEqual(schemas.last!.types, [.string, .decimal, .boolean])
    let r = try applyStep(
      #"{"op": "lookup", "file": "\#(file)", "on": {"currency": "ccy"}}"#, columns: ["currency"],
      rows: [["JPY"], ["EUR"]])
    XCTAssertEqual(r.rows, [["JPY", "0.0067", "false"], ["EUR", "1.08", "true"]])
  }

  func testTheReferenceIsCheckedWhenPlanned() throws {
    let file = try reference("countries.csv", countries)
    // A key column the reference lacks: a plan error naming the file and its columns.
    XCTAssertThrowsError(
      try recipe(steps: #"{"op": "lookup", "file": "\#(file)", "on": {"country": "iso"}}"#).plan(
        Schema(["country"]))
    ) { error in
      let e = error as? PlanError
      XCTAssertEqual(e?.step, 1)
      XCTAssertTrue(e?.message.contains(#"has no column "iso""#) ?? false, "\(error)")
      XCTAssertTrue(e?.message.contains(#""code""#) ?? false, "\(error)")
    }
    // A repeated key under duplicate_keys: error names the key and both lines.
    XCTAssertThrowsError(
      try recipe(
        steps: #"{"op": "lookup", "file": "\#(file)", "on": {"c": "code"}, "duplicate_keys": "error"}"#
      )
      .plan(Schema(["c"]))
    ) { error in
      XCTAssertTrue("\(error)".contains(#"key "FR" appears twice"#), "\(error)")
      XCTAssertTrue("\(error)".contains("lines 2 and 6"), "\(error)")
    }
    // A missing file: an I/O error naming the step.
    XCTAssertThrowsError(
      try recipe(steps: #"{"op": "lookup", "file": "\#(file).missing", "on": ["c"]}"#).plan(Schema(["c"]))
    ) { error in
      XCTAssertTrue(error is IOError, "\(error)")
      XCTAssertTrue("\(error)".contains("step 1 (lookup)"), "\(error)")
    }
    // An added column that clashes with a data column.
    XCTAssertThrowsError(
      try recipe(steps: #"{"op": "lookup", "file": "\#(file)", "on": {"c": "code"}}"#).plan(
        Schema(["c", "region"]))
    ) { error in
      XCTAssertTrue("\(error)".contains(#""region" clashes"#), "\(error)")
    }
    // A bad row in the reference.
    let ragged = try reference("ragged.csv", "code,region\nFR,Europe,extra\n")
    XCTAssertThrowsError(
      try recipe(steps: #"{"op": "lookup", "file": "\#(ragged)", "on": {"c": "code"}}"#).plan(Schema(["c"]))
    ) { error in
      XCTAssertTrue("\(error)".contains("bad row at line 2"), "\(error)")
    }
  }

  func testAChangedReferenceIsReadAgain() throws {
    let file = try reference("countries.csv", countries)
    let recipe = try recipe(steps: #"{"op": "lookup", "file": "\#(file)", "on": {"c": "code"}}"#)
    let op = recipe.steps[0].operation as! LookupOperation
    XCTAssertEqual(try op.table().rowCount, 6)
    XCTAssertTrue(try op.table() === op.table(), "the table is read once")
    try "code,region,currency\nFR,Europe,EUR\n".write(toFile: file, atomically: true, encoding: .utf8)
    XCTAssertEqual(try op.table().rowCount, 1)
  }

  func testFilesAreFoundRelativeToTheRecipe() throws {
    _ = try reference("countries.csv", countries)
    var recipe = try recipe(steps: #"{"op": "lookup", "file": "countries.csv", "on": {"c": "code"}}"#)
    recipe.resolveFiles(relativeTo: directory.path)
    let op = recipe.steps[0].operation as! LookupOperation
    XCTAssertEqual(op.path, directory.appendingPathComponent("countries.csv").path)
    XCTAssertEqual(op.file, "countries.csv")
    XCTAssertEqual(try recipe.plan(Schema(["c"])).last!.names, ["c", "region", "currency"])
    // Written back as given.
    XCTAssertTrue(recipe.encoded.contains(#""file": "countries.csv""#), recipe.encoded)
  }

  func testManyWorkersGiveTheSameRowsAsOne() throws {
    var text = "key,value\n"
    for i in 0..<5000 where i % 3 != 0 { text += "k\(i),v\(i * 7)\n" }
    let file = try reference("big.csv", text)
    let chunks = (0..<20).map { c in (0..<500).map { i in ["k\(c * 500 + i)", "\(i)"] } }
    // runPipeline checks that three workers give the same rows, rejects and counts as one.
    let result = try runPipeline(
      recipe(steps: #"{"op": "lookup", "file": "\#(file)", "on": ["key"], "unmatched": "reject"}"#),
      columns: ["key", "n"], batches: chunks)
    XCTAssertEqual(result.rows.count, 5000 - 1667)
    XCTAssertEqual(result.rowsRejected, 10000 - 3333)
    XCTAssertEqual(result.column("value").prefix(3), ["v7", "v14", "v28"])
  }
}
