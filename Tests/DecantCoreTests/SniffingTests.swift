import Foundation
import XCTest

@testable import DecantCore

final class SniffingTests: XCTestCase {
  var scratch: IOScratch!

  override func setUpWithError() throws {
    scratch = try IOScratch()
  }

  override func tearDown() {
    scratch?.remove()
    scratch = nil
  }

  func sniff(_ text: String) -> Character {
    Character(Unicode.Scalar(CSVDialect.sniffDelimiter(ioBytes(text)[...])))
  }

  // MARK: Delimiter

  func testSniffsComma() {
    XCTAssertEqual(sniff("a,b,c\n1,2,3\n4,5,6\n"), ",")
  }

  func testSniffsSemicolonWithDecimalCommas() {
    XCTAssertEqual(sniff("name;amount;rate\nA;1,5;2,25\nB;3,75;0,5\nC;10;1\n"), ";")
  }

  func testSniffsTabWhenValuesHoldCommas() {
    XCTAssertEqual(sniff("name\tnote\nA\tx, y\nB\tz, w, v\n"), "\t")
  }

  func testSniffsPipe() {
    XCTAssertEqual(sniff("a|b|c\n1|2|3\n4|5|6\n"), "|")
  }

  func testCommasInsideQuotesDoNotCountForTheSemicolonFile() {
    XCTAssertEqual(sniff("name;note\n\"Smith, J\";\"a, b, c\"\n\"Doe, K\";\"d, e\"\n\"Roe, L\";x\n"), ";")
  }

  func testSemicolonsInsideQuotesDoNotCountForThePipeFile() {
    XCTAssertEqual(sniff("\"a;x\"|\"b;y;z\"|c\n\"1;2\"|\"3;4\"|5\n\"6\"|\"7;8;9;0\"|\"\"\n"), "|")
  }

  func testQuotedNewlinesDoNotSplitRecords() {
    XCTAssertEqual(sniff("a;b\n\"x\ny,z\";1\n\"p,q\nr\";2\n"), ";")
  }

  func testSniffsOverCRLFLines() {
    XCTAssertEqual(sniff("a\tb\tc\r\n1\t2\t3\r\n4\t5\t6\r\n"), "\t")
  }

  func testSingleColumnFallsBackToComma() {
    XCTAssertEqual(sniff("name\nx\ny\n"), ",")
  }

  // MARK: Header

  func testSniffHeaderTrueForNamesOverNumbers() {
    XCTAssertTrue(
      CSVDialect.sniffHeader(first: ["id", "amount"], body: [["1", "2.5"], ["2", "3"], ["3", "-1e3"]]))
  }

  func testSniffHeaderFalseWhenFirstRowIsNumericLikeTheBody() {
    XCTAssertFalse(CSVDialect.sniffHeader(first: ["1", "2.5"], body: [["2", "3"], ["3", "4.75"]]))
  }

  func testSniffHeaderTrueForAllTextColumns() {
    XCTAssertTrue(
      CSVDialect.sniffHeader(first: ["name", "city"], body: [["ann", "oslo"], ["bob", "rome"]]))
  }

  func testSniffHeaderFalseForDuplicateTextAboveTextBody() {
    XCTAssertFalse(CSVDialect.sniffHeader(first: ["x", "x"], body: [["a", "b"], ["c", "d"]]))
  }

  // MARK: The reader with nothing given

  func testReaderSniffsNoHeaderForNumericFirstRow() throws {
    let path = try scratch.write("1,2\n3,4\n5,6\n")
    let reader = try CSVReader(source: ByteSource(path: path), delimiter: nil, header: nil)
    XCTAssertEqual(reader.dialect, CSVDialect(delimiter: UInt8(ascii: ","), hasHeader: false))
    let r = try IORead.all(reader)
    XCTAssertEqual(r.columnNames, ["column_1", "column_2"])
    XCTAssertEqual(r.rawColumnNames, ["column_1", "column_2"])
    XCTAssertEqual(r.stringRows, [["1", "2"], ["3", "4"], ["5", "6"]])
    XCTAssertEqual(r.lines, [1, 2, 3])
  }

  func testReaderSniffsHeaderAndSemicolon() throws {
    let path = try scratch.write("id;price\n1;2,5\n2;3,75\n")
    let reader = try CSVReader(source: ByteSource(path: path), delimiter: nil, header: nil)
    XCTAssertEqual(reader.dialect, CSVDialect(delimiter: UInt8(ascii: ";"), hasHeader: true))
    let r = try IORead.all(reader)
    XCTAssertEqual(r.columnNames, ["id", "price"])
    XCTAssertEqual(r.stringRows, [["1", "2,5"], ["2", "3,75"]])
    XCTAssertEqual(r.lines, [2, 3])
  }

  func testReaderWithoutHeaderCountsBlankLinesAndLinesFromOne() throws {
    let path = try scratch.write("\n10\t20\n\n30\t40\n")
    let reader = try CSVReader(source: ByteSource(path: path), delimiter: nil, header: nil)
    XCTAssertEqual(reader.dialect.delimiter, UInt8(ascii: "\t"))
    XCTAssertFalse(reader.dialect.hasHeader)
    let r = try IORead.all(reader)
    XCTAssertEqual(r.stringRows, [["10", "20"], ["30", "40"]])
    XCTAssertEqual(r.lines, [2, 4])
    XCTAssertEqual(r.blankLines, 2)
  }

  func testExplicitHeaderFalseKeepsTheFirstRow() throws {
    let path = try scratch.write("a,b\nc,d\n")
    let reader = try CSVReader(source: ByteSource(path: path), delimiter: UInt8(ascii: ","), header: false)
    let r = try IORead.all(reader)
    XCTAssertEqual(r.columnNames, ["column_1", "column_2"])
    XCTAssertEqual(r.stringRows, [["a", "b"], ["c", "d"]])
    XCTAssertEqual(r.lines, [1, 2])
  }

  func testInputOpenerPicksTheFormat() throws {
    let csv = try scratch.write("a|b\n1|2\n", to: "data.txt")
    let jsonl = try scratch.write("  {\"a\":1}\n", to: "data")
    XCTAssertEqual(try InputOpener(path: csv).format, .csv)
    XCTAssertEqual(try InputOpener(path: jsonl).format, .jsonl)
    XCTAssertEqual(try InputOpener(path: scratch.write("a\tb\n", to: "x.tsv")).format, .tsv)
    let r = try IORead.all(try InputOpener(path: csv).open())
    XCTAssertEqual(r.columnNames, ["a", "b"])
    XCTAssertEqual(r.stringRows, [["1", "2"]])
  }
}
