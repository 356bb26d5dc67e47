import Foundation
import XCTest

@testable import DecantCore

// MARK: - Shared helpers for the reader and writer tests (prefixed `IO` to stay out of other suites' way)

/// A scratch directory under the system temporary directory; `remove()` deletes it.
final class IOScratch {
  let directory: URL

  init() throws {
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("decant-io-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  }

  func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

  @discardableResult
  func write(_ bytes: [UInt8], to name: String = "input.csv") throws -> String {
    let p = path(name)
    try Data(bytes).write(to: URL(fileURLWithPath: p))
    return p
  }

  @discardableResult
  func write(_ text: String, to name: String = "input.csv") throws -> String {
    try write(Array(text.utf8), to: name)
  }

  func read(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(name))))
  }

  /// Names of the entries in the directory, sorted.
  func entries() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
  }

  func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// Everything a reader produced, gathered for exact comparison.
struct IOReadResult: Equatable {
  var columnNames: [String]
  var rawColumnNames: [String]
  var rows: [[[UInt8]]]
  /// `isJSONLiteral` of every cell, row by row.
  var literal: [[Bool]]
  var lines: [Int]
  /// Rejects with the raw tail folded into `reason` (as text), for comparisons.
  var rejects: [RejectedRecord]
  var blankLines: Int
  var warnings: [String]
  /// Rejects exactly as the reader produced them (not compared by `==`).
  var rawRejects: [RejectedRecord] = []

  static func == (a: IOReadResult, b: IOReadResult) -> Bool {
    a.columnNames == b.columnNames && a.rawColumnNames == b.rawColumnNames && a.rows == b.rows
      && a.literal == b.literal && a.lines == b.lines && a.rejects == b.rejects
      && a.blankLines == b.blankLines
      && a.warnings == b.warnings
  }

  var stringRows: [[String]] { rows.map { $0.map { String(decoding: $0, as: UTF8.self) } } }
}

enum IORead {
  /// Drains a reader. Every batch must have one cell per column for each of its rows.
  static func all(_ reader: RowReader, file: StaticString = #filePath, line: UInt = #line) throws
    -> IOReadResult
  {
    var rows: [[[UInt8]]] = []
    var literal: [[Bool]] = []
    var lines: [Int] = []
    var rejects: [RejectedRecord] = []
    let ncol = reader.columnNames.count
    while let chunk = try reader.next() {
      let b = chunk.batch
      XCTAssertEqual(b.columnCount, ncol, "batch column count", file: file, line: line)
      for c in 0..<b.columnCount {
        XCTAssertEqual(b.columns[c].count, b.rowCount, "cells in column \(c)", file: file, line: line)
      }
      for r in 0..<b.rowCount {
        rows.append((0..<b.columnCount).map { Array(b.bytes(b.columns[$0][r])) })
        literal.append((0..<b.columnCount).map { b.columns[$0][r].isJSONLiteral })
      }
      lines += b.lines
      rejects += chunk.rejects
    }
    return IOReadResult(
      columnNames: reader.columnNames, rawColumnNames: reader.rawColumnNames, rows: rows, literal: literal,
      lines: lines,
      rejects: rejects.map { RejectedRecord(line: $0.line, fields: $0.fields, reason: $0.reasonText) },
      blankLines: reader.blankLines, warnings: reader.warnings, rawRejects: rejects)
  }

  static func csv(
    _ path: String, blockSize: Int = ByteSource.defaultBlockSize, encoding: TextEncoding = .utf8,
    delimiter: UInt8? = UInt8(ascii: ","), header: Bool? = true, ragged: RaggedPolicy = .reject,
    file: StaticString = #filePath, line: UInt = #line
  ) throws -> IOReadResult {
    let source = try ByteSource(path: path, encoding: encoding, blockSize: blockSize)
    let reader = try CSVReader(source: source, delimiter: delimiter, header: header, ragged: ragged)
    return try all(reader, file: file, line: line)
  }

  static func jsonl(
    _ path: String, blockSize: Int = ByteSource.defaultBlockSize, encoding: TextEncoding = .utf8,
    file: StaticString = #filePath, line: UInt = #line
  ) throws -> IOReadResult {
    try all(JSONLinesReader(path: path, encoding: encoding, blockSize: blockSize), file: file, line: line)
  }
}

func ioBytes(_ s: String) -> [UInt8] { Array(s.utf8) }

func ioRows(_ rows: [[String]]) -> [[[UInt8]]] { rows.map { $0.map { Array($0.utf8) } } }

func ioFields(_ fields: [String]) -> [[UInt8]] { fields.map { Array($0.utf8) } }

/// The contract's minimal quoting, written independently of `CSVWriter` (the tests' oracle).
func ioEncodeField(_ value: [UInt8], delimiter: UInt8) -> [UInt8] {
  let quote = UInt8(ascii: "\"")
  guard value.contains(where: { $0 == delimiter || $0 == quote || $0 == 10 || $0 == 13 }) else {
    return value
  }
  var out: [UInt8] = [quote]
  for b in value {
    if b == quote { out.append(quote) }
    out.append(b)
  }
  out.append(quote)
  return out
}

/// A whole CSV file with minimal quoting and LF line ends (what the writer must produce).
func ioCanonicalCSV(header: [String], rows: [[[UInt8]]], delimiter: UInt8) -> [UInt8] {
  var out: [UInt8] = []
  for row in [header.map { Array($0.utf8) }] + rows {
    for (i, value) in row.enumerated() {
      if i > 0 { out.append(delimiter) }
      out += ioEncodeField(value, delimiter: delimiter)
    }
    out.append(10)
  }
  return out
}

// MARK: - CSVReaderTests

final class CSVReaderTests: XCTestCase {
  var scratch: IOScratch!

  override func setUpWithError() throws {
    scratch = try IOScratch()
  }

  override func tearDown() {
    scratch?.remove()
    scratch = nil
  }

  func read(
    _ text: String, ragged: RaggedPolicy = .reject, header: Bool? = true, file: StaticString = #filePath,
    line: UInt = #line
  ) throws -> IOReadResult {
    try IORead.csv(scratch.write(text), header: header, ragged: ragged, file: file, line: line)
  }

  // MARK: RFC 4180 quoting

  func testQuotedDelimiterStaysInsideTheField() throws {
    let r = try read("a,b,c\n\"x,y\",z,\",\"\n")
    XCTAssertEqual(r.columnNames, ["a", "b", "c"])
    XCTAssertEqual(r.rows, ioRows([["x,y", "z", ","]]))
    XCTAssertEqual(r.lines, [2])
    XCTAssertEqual(r.rejects, [])
    XCTAssertEqual(r.blankLines, 0)
  }

  func testControlBytesOtherThanLineEndsAreFieldText() throws {
    // Long enough fields that the reader scans them eight bytes at a time.
    let r = try read("a,b\nx\ty\u{1}z\u{0B}long field,\"q\tq\u{7}quoted and long\"\n1\t2\t3\t4\t5\t6,2\n")
    XCTAssertEqual(
      r.rows,
      ioRows([["x\ty\u{1}z\u{0B}long field", "q\tq\u{7}quoted and long"], ["1\t2\t3\t4\t5\t6", "2"]]))
    XCTAssertEqual(r.lines, [2, 3])
  }

  func testDoubledQuotesInsideQuotedFieldBecomeOneQuote() throws {
    let r = try read("a,b\n\"he said \"\"hi\"\"\",\"\"\"\"\n\"\"\"x\"\"\",2\n")
    XCTAssertEqual(r.rows, ioRows([["he said \"hi\"", "\""], ["\"x\"", "2"]]))
    XCTAssertEqual(r.lines, [2, 3])
  }

  func testLFInsideQuotesIsKeptAndTheRecordHasTheLineItBeginsOn() throws {
    let r = try read("a,b\n\"l1\nl2\nl3\",x\ny,z\n")
    XCTAssertEqual(r.rows, ioRows([["l1\nl2\nl3", "x"], ["y", "z"]]))
    XCTAssertEqual(r.lines, [2, 5])
  }

  func testCRLFInsideQuotesIsKeptByteForByte() throws {
    let r = try read("a,b\r\n\"l1\r\nl2\",x\r\ny,\"\r\n\"\r\nlast,row\r\n")
    XCTAssertEqual(r.rows, ioRows([["l1\r\nl2", "x"], ["y", "\r\n"], ["last", "row"]]))
    XCTAssertEqual(r.lines, [2, 4, 6])
  }

  func testLoneCRInsideQuotesCountsAsALineEnd() throws {
    let r = try read("a,b\n\"l1\rl2\",x\ny,z\n")
    XCTAssertEqual(r.rows, ioRows([["l1\rl2", "x"], ["y", "z"]]))
    XCTAssertEqual(r.lines, [2, 4])
  }

  func testLFLineEnds() throws {
    let r = try read("a,b\n1,2\n3,4\n")
    XCTAssertEqual(r.rows, ioRows([["1", "2"], ["3", "4"]]))
    XCTAssertEqual(r.lines, [2, 3])
  }

  func testCRLFLineEnds() throws {
    let r = try read("a,b\r\n1,2\r\n3,4\r\n")
    XCTAssertEqual(r.columnNames, ["a", "b"])
    XCTAssertEqual(r.rows, ioRows([["1", "2"], ["3", "4"]]))
    XCTAssertEqual(r.lines, [2, 3])
    XCTAssertEqual(r.blankLines, 0)
  }

  func testLoneCRLineEnds() throws {
    let r = try read("a,b\r1,2\r3,4\r")
    XCTAssertEqual(r.columnNames, ["a", "b"])
    XCTAssertEqual(r.rows, ioRows([["1", "2"], ["3", "4"]]))
    XCTAssertEqual(r.lines, [2, 3])
    XCTAssertEqual(r.blankLines, 0)
  }

  func testMixedLineEnds() throws {
    let r = try read("a,b\r\n1,2\n3,4\r5,6\r\n7,8")
    XCTAssertEqual(r.rows, ioRows([["1", "2"], ["3", "4"], ["5", "6"], ["7", "8"]]))
    XCTAssertEqual(r.lines, [2, 3, 4, 5])
    XCTAssertEqual(r.blankLines, 0)
  }

  func testLastRecordWithoutTrailingNewline() throws {
    let r = try read("a,b\n1,2\n3,\"x\ny\"")
    XCTAssertEqual(r.rows, ioRows([["1", "2"], ["3", "x\ny"]]))
    XCTAssertEqual(r.lines, [2, 3])
    XCTAssertEqual(r.rejects, [])
  }

  func testQuoteInsideUnquotedFieldIsLiteral() throws {
    let r = try read("a,b\nab\"c,x\"y\"z\nq\",\"\"\"\"\n")
    XCTAssertEqual(r.rows, ioRows([["ab\"c", "x\"y\"z"], ["q\"", "\""]]))
    XCTAssertEqual(r.lines, [2, 3])
    XCTAssertEqual(r.rejects, [])
  }

  func testTextAfterClosingQuoteIsKept() throws {
    let r = try read("a,b\n\"ab\"c,d\n\"x\"\"y\"z,\"\"tail\n")
    XCTAssertEqual(r.rows, ioRows([["abc", "d"], ["x\"yz", "tail"]]))
    XCTAssertEqual(r.lines, [2, 3])
  }

  func testEmptyQuotedFieldIsAnEmptyCell() throws {
    let r = try read("a,b,c\n\"\",x,\"\"\n\"\",\"\",\"\"\n")
    XCTAssertEqual(r.rows, ioRows([["", "x", ""], ["", "", ""]]))
    XCTAssertEqual(r.lines, [2, 3])
  }

  func testTrailingDelimiterGivesAnEmptyLastField() throws {
    let r = try read("a,b\n1,\n2,\r\n,\r3,")
    XCTAssertEqual(r.rows, ioRows([["1", ""], ["2", ""], ["", ""], ["3", ""]]))
    XCTAssertEqual(r.lines, [2, 3, 4, 5])
    XCTAssertEqual(r.rejects, [])
  }

  func testQuotedFieldBeforeTrailingDelimiter() throws {
    let r = try read("a,b\n\"x,1\",\n")
    XCTAssertEqual(r.rows, ioRows([["x,1", ""]]))
  }

  func testMultibyteUTF8CellsKeepTheirBytes() throws {
    let r = try read("名前,emoji\n日本語,\"😀,é\"\n")
    XCTAssertEqual(r.columnNames, ["名前", "emoji"])
    XCTAssertEqual(r.rows, ioRows([["日本語", "😀,é"]]))
  }

  // MARK: Blank lines, empty files, bad paths

  func testBlankLinesAreSkippedAndCounted() throws {
    let r = try read("a,b\n\n1,2\n\n\n3,4\n\n")
    XCTAssertEqual(r.rows, ioRows([["1", "2"], ["3", "4"]]))
    XCTAssertEqual(r.lines, [3, 6])
    XCTAssertEqual(r.blankLines, 4)
  }

  func testBlankLinesBetweenCRLFLines() throws {
    let r = try read("a,b\r\n\r\n1,2\r\n\r\n\r\n3,4\r\n\r\n")
    XCTAssertEqual(r.rows, ioRows([["1", "2"], ["3", "4"]]))
    XCTAssertEqual(r.lines, [3, 6])
    XCTAssertEqual(r.blankLines, 4)
  }

  func testBlankLinesWithLoneCR() throws {
    let r = try read("a,b\r\r1,2\r\r")
    XCTAssertEqual(r.rows, ioRows([["1", "2"]]))
    XCTAssertEqual(r.lines, [3])
    XCTAssertEqual(r.blankLines, 2)
  }

  func testBlankLinesBeforeTheHeaderAreCounted() throws {
    let r = try read("\n\na,b\n1,2\n")
    XCTAssertEqual(r.columnNames, ["a", "b"])
    XCTAssertEqual(r.rows, ioRows([["1", "2"]]))
    XCTAssertEqual(r.lines, [4])
    XCTAssertEqual(r.blankLines, 2)
  }

  func testBlankLineInsideQuotesIsData() throws {
    let r = try read("a,b\n\"x\n\ny\",z\n")
    XCTAssertEqual(r.rows, ioRows([["x\n\ny", "z"]]))
    XCTAssertEqual(r.lines, [2])
    XCTAssertEqual(r.blankLines, 0)
  }

  func testHeaderOnlyFileGivesZeroRows() throws {
    for text in ["a,b\n", "a,b", "a,b\r\n", "a,b\n\n"] {
      let r = try read(text)
      XCTAssertEqual(r.columnNames, ["a", "b"], text.debugDescription)
      XCTAssertEqual(r.rows, [], text.debugDescription)
      XCTAssertEqual(r.lines, [], text.debugDescription)
      XCTAssertEqual(r.rejects, [], text.debugDescription)
    }
  }

  func testEmptyFileThrowsIOError() throws {
    let path = try scratch.write([UInt8](), to: "empty.csv")
    XCTAssertThrowsError(try CSVReader(source: ByteSource(path: path))) { error in
      XCTAssertTrue(error is IOError, "\(error)")
      XCTAssertEqual((error as? IOError)?.path, path)
    }
  }

  func testFileOfOnlyBlankLinesThrowsIOError() throws {
    let path = try scratch.write("\n\r\n\n", to: "blank.csv")
    XCTAssertThrowsError(try CSVReader(source: ByteSource(path: path))) { error in
      XCTAssertTrue(error is IOError, "\(error)")
    }
  }

  func testDirectoryThrowsIOError() throws {
    XCTAssertThrowsError(try CSVReader(source: ByteSource(path: scratch.directory.path))) { error in
      XCTAssertTrue(error is IOError, "\(error)")
    }
  }

  func testMissingFileThrowsIOError() throws {
    let path = scratch.path("does-not-exist.csv")
    XCTAssertThrowsError(try CSVReader(source: ByteSource(path: path))) { error in
      XCTAssertTrue(error is IOError, "\(error)")
      XCTAssertEqual((error as? IOError)?.path, path)
    }
  }

  // MARK: Ragged rows and unterminated quotes

  func testShortAndLongRowsAreRejectedWithReasons() throws {
    let r = try read("a,b,c\n1,2\n1,2,3\n1,2,3,4,\"x,y\"\n9\n7,8,9\n")
    XCTAssertEqual(r.rows, ioRows([["1", "2", "3"], ["7", "8", "9"]]))
    XCTAssertEqual(r.lines, [3, 6])
    XCTAssertEqual(
      r.rejects,
      [
        RejectedRecord(
          line: 2, fields: ioFields(["1", "2"]), reason: "the row has 2 fields, the header has 3"),
        RejectedRecord(
          line: 4, fields: ioFields(["1", "2", "3", "4", "x,y"]),
          reason: "the row has 5 fields, the header has 3; extra fields: 4,\"x,y\""),
        RejectedRecord(line: 5, fields: ioFields(["9"]), reason: "the row has 1 field, the header has 3"),
      ])
  }

  func testRejectedMultiLineRecordHasTheLineItBeginsOn() throws {
    let r = try read("a,b\n\"x\ny\"\n1,2\n")
    XCTAssertEqual(r.rows, ioRows([["1", "2"]]))
    XCTAssertEqual(r.lines, [4])
    XCTAssertEqual(
      r.rejects,
      [RejectedRecord(line: 2, fields: ioFields(["x\ny"]), reason: "the row has 1 field, the header has 2")])
  }

  func testPadPolicyPadsShortRowsAndStillRejectsLongOnes() throws {
    let r = try read("a,b,c\n1\n1,2\n1,2,3\n1,2,3,4\n", ragged: .pad)
    XCTAssertEqual(r.rows, ioRows([["1", "", ""], ["1", "2", ""], ["1", "2", "3"]]))
    XCTAssertEqual(r.lines, [2, 3, 4])
    XCTAssertEqual(
      r.rejects,
      [
        RejectedRecord(
          line: 5, fields: ioFields(["1", "2", "3", "4"]),
          reason: "the row has 4 fields, the header has 3; extra fields: 4")
      ])
  }

  func testUnterminatedQuoteAtEndOfFileIsRejectedFromTheLineItBegan() throws {
    let r = try read("a,b\n1,2\n3,4\n5,\"open\nmore,text\n\nend")
    XCTAssertEqual(r.rows, ioRows([["1", "2"], ["3", "4"]]))
    XCTAssertEqual(r.lines, [2, 3])
    XCTAssertEqual(r.rejects.count, 1)
    XCTAssertEqual(r.rejects.first?.line, 4)
    XCTAssertEqual(r.rejects.first?.fields, ioFields(["5", "open\nmore,text\n\nend"]))
    XCTAssertEqual(r.rejects.first?.reason, "a quoted field opened on line 4 is never closed")
    XCTAssertEqual(r.blankLines, 0, "a blank line inside the open quote is not a blank line")
  }

  func testUnterminatedQuoteAfterBlankLine() throws {
    let r = try read("a\nx\n\n\"never")
    XCTAssertEqual(r.rows, ioRows([["x"]]))
    XCTAssertEqual(r.lines, [2])
    XCTAssertEqual(r.blankLines, 1)
    XCTAssertEqual(
      r.rejects,
      [
        RejectedRecord(
          line: 4, fields: ioFields(["never"]), reason: "a quoted field opened on line 4 is never closed")
      ])
  }

  /// A header whose quote never closes swallows the whole file. The contract
  /// rejects an unterminated record with its line; for the header the run must
  /// at least not go on silently with zero rows and no reject, error or warning.
  func testUnterminatedQuoteInTheHeaderIsNotSilentlySwallowed() throws {
    let path = try scratch.write("id,\"name\n1,x\n2,y\n")
    let result: IOReadResult
    do {
      result = try IORead.csv(path)
    } catch is IOError {
      return  // a clear error is acceptable
    }
    XCTAssertTrue(
      result.rejects.contains { $0.line == 1 } || !result.warnings.isEmpty,
      "read as columns \(result.columnNames), rows \(result.stringRows), rejects \(result.rejects), "
        + "warnings \(result.warnings)")
  }

  // MARK: Header names

  func testDuplicateAndEmptyHeaderNamesAreMadeUnique() throws {
    let r = try read("name,name,,name,x\n1,2,3,4,5\n")
    XCTAssertEqual(r.columnNames, ["name", "name_2", "column_3", "name_3", "x"])
    XCTAssertEqual(r.rawColumnNames, ["name", "name", "", "name", "x"])
    XCTAssertEqual(r.warnings.count, 3, "\(r.warnings)")
    XCTAssertTrue(r.warnings.contains { $0.contains("name_2") }, "\(r.warnings)")
    XCTAssertTrue(r.warnings.contains { $0.contains("column_3") }, "\(r.warnings)")
    XCTAssertTrue(r.warnings.contains { $0.contains("name_3") }, "\(r.warnings)")
    XCTAssertEqual(r.rows, ioRows([["1", "2", "3", "4", "5"]]))
  }

  func testTwoEmptyHeaderNames() throws {
    let r = try read(",\n1,2\n")
    XCTAssertEqual(r.columnNames, ["column_1", "column_2"])
    XCTAssertEqual(r.rawColumnNames, ["", ""])
    XCTAssertEqual(r.warnings.count, 2)
  }

  func testUniqueHeaderGivesNoWarnings() throws {
    let r = try read("a,\"b,c\",\"d\"\"e\"\n1,2,3\n")
    XCTAssertEqual(r.columnNames, ["a", "b,c", "d\"e"])
    XCTAssertEqual(r.rawColumnNames, ["a", "b,c", "d\"e"])
    XCTAssertEqual(r.warnings, [])
  }

  // MARK: Chunk boundaries

  /// A file well past the reader's first 64 KiB read, so later records are parsed
  /// from small blocks: quoted newlines, CRLF, lone CR, doubled quotes, multibyte
  /// UTF-8, blank lines, ragged rows and an unterminated quote at the end.
  func makeBoundaryFile() -> (text: [UInt8], expected: IOReadResult) {
    var text = ioBytes("id,text,note\r\n")
    var rows: [[[UInt8]]] = []
    var lines: [Int] = []
    var rejects: [RejectedRecord] = []
    var blank = 0
    var line = 2
    var i = 0
    func add(_ raw: String, _ cells: [String]?, physical: Int) {
      text += ioBytes(raw)
      if let cells {
        if cells.count == 3 {
          rows.append(ioRows([cells])[0])
          lines.append(line)
        } else {
          rejects.append(
            RejectedRecord(
              line: line, fields: ioFields(cells),
              reason: "the row has \(cells.count) fields, the header has 3"))
        }
      } else {
        blank += 1
      }
      line += physical
    }
    while text.count < 65536 + 6000 {
      let n = String(i)
      switch i % 9 {
      case 0: add("\(n),plain,x\n", [n, "plain", "x"], physical: 1)
      case 1:
        add("\(n),\"quoted, comma\",\"dbl \"\"q\"\"\"\r\n", [n, "quoted, comma", "dbl \"q\""], physical: 1)
      case 2: add("\(n),\"multi\nline\r\nthree\",é😀\n", [n, "multi\nline\r\nthree", "é😀"], physical: 3)
      case 3: add("\(n),\"\",ab\"c\r", [n, "", "ab\"c"], physical: 1)
      case 4: add("\(n),\"ab\"c,\r\n", [n, "abc", ""], physical: 1)
      case 5: add("\r\n", nil, physical: 1)
      case 6: add("\(n),short\r\n", [n, "short"], physical: 1)
      case 7: add("\(n),日本語,\"ü\r\nx\"\r\n", [n, "日本語", "ü\r\nx"], physical: 2)
      default: add("\(n),\"\"\"\",\"\r\"\n", [n, "\"", "\r"], physical: 2)
      }
      i += 1
    }
    text += ioBytes("\(i),\"never closed\nmore")
    rejects.append(
      RejectedRecord(
        line: line, fields: ioFields(["\(i)", "never closed\nmore"]),
        reason: "a quoted field opened on line \(line) is never closed"))
    let expected = IOReadResult(
      columnNames: ["id", "text", "note"], rawColumnNames: ["id", "text", "note"], rows: rows,
      literal: rows.map { $0.map { _ in false } }, lines: lines, rejects: rejects, blankLines: blank,
      warnings: [])
    return (text, expected)
  }

  func testEveryBlockSizeReadsTheSameRowsLinesRejectsAndBlankLines() throws {
    let (text, expected) = makeBoundaryFile()
    // The file really has CRLF pairs split at block boundaries past the first 64 KiB.
    for size in [4, 7, 64] {
      let split = stride(from: (65536 / size + 1) * size, to: text.count - 1, by: size).contains {
        text[$0 - 1] == 13 && text[$0] == 10
      }
      XCTAssertTrue(split, "no CRLF split at a \(size)-byte boundary")
    }
    let path = try scratch.write(text)
    let reference = try IORead.csv(path)
    XCTAssertEqual(reference.rows.count, expected.rows.count)
    XCTAssertEqual(reference.rows, expected.rows)
    XCTAssertEqual(reference.lines, expected.lines)
    XCTAssertEqual(reference.rejects, expected.rejects)
    XCTAssertEqual(reference.blankLines, expected.blankLines)
    XCTAssertEqual(reference, expected)
    for size in [1, 2, 3, 7, 64, ByteSource.defaultBlockSize] {
      let r = try IORead.csv(path, blockSize: size)
      XCTAssertEqual(r.rows, expected.rows, "block size \(size)")
      XCTAssertEqual(r.lines, expected.lines, "block size \(size)")
      XCTAssertEqual(r.rejects, expected.rejects, "block size \(size)")
      XCTAssertEqual(r.blankLines, expected.blankLines, "block size \(size)")
      XCTAssertEqual(r.columnNames, expected.columnNames, "block size \(size)")
    }
  }

  func testRecordLongerThanTheBlockIsReadWhole() throws {
    let long = String(repeating: "abc,\"\n", count: 30_000)
    let cell = "x" + long.replacingOccurrences(of: "\"", with: "\"\"")
    let text = "a,b\n1,\"\(cell)\"\n2,y\n"
    let path = try scratch.write(text)
    for size in [1000, 4096, ByteSource.defaultBlockSize] {
      let r = try IORead.csv(path, blockSize: size)
      XCTAssertEqual(r.rows, ioRows([["1", "x" + long], ["2", "y"]]), "block size \(size)")
      XCTAssertEqual(r.lines, [2, 30_003], "block size \(size)")
    }
  }

  // MARK: Seeded random CSVs

  func testRandomCSVsMatchTheirOracleAndRoundTripThroughTheWriter() throws {
    var rng = SplitMix64(seed: 0xDEC4_2024)
    for n in 0..<300 {
      let c = IOCSVCase.make(&rng, filler: false)
      let path = try scratch.write(c.text, to: "random-\(n).csv")
      let context = "case \(n): \(String(decoding: c.text, as: UTF8.self).debugDescription)"
      let r = try IORead.csv(path, delimiter: c.delimiter)
      XCTAssertEqual(r.columnNames, c.columnNames, context)
      XCTAssertEqual(r.rows, c.rows, context)
      XCTAssertEqual(r.lines, c.lines, context)
      XCTAssertEqual(r.rejects, c.rejects, context)
      XCTAssertEqual(r.blankLines, c.blankLines, context)
      let small = try IORead.csv(path, blockSize: 4, delimiter: c.delimiter)
      XCTAssertEqual(small, r, context)

      // Write what was read, compare with minimal quoting, and read it back.
      let outPath = scratch.path("random-\(n).out.csv")
      let output = try OutputFile(path: outPath)
      let writer = CSVWriter(output: output, delimiter: c.delimiter)
      try writer.writeHeader(r.columnNames)
      let reader = try CSVReader(
        source: ByteSource(path: path), delimiter: c.delimiter, header: true, ragged: .reject)
      while let chunk = try reader.next() { try writer.write(chunk.batch) }
      try writer.finish()
      try output.commit()
      let written = try scratch.read("random-\(n).out.csv")
      XCTAssertEqual(
        String(decoding: written, as: UTF8.self),
        String(
          decoding: ioCanonicalCSV(header: c.columnNames, rows: c.rows, delimiter: c.delimiter), as: UTF8.self
        ),
        context)
      let back = try IORead.csv(outPath, delimiter: c.delimiter)
      XCTAssertEqual(back.columnNames, c.columnNames, context)
      XCTAssertEqual(back.rows, r.rows, context)
      XCTAssertEqual(back.rejects, [], context)
      XCTAssertEqual(back.blankLines, 0, context)
      if testRun?.failureCount ?? 0 > 20 { return }
    }
  }

  func testRandomCSVsAcrossTheFirstReadBoundaryAgreeForEveryBlockSize() throws {
    var rng = SplitMix64(seed: 0xB10C_5123)
    for n in 0..<120 {
      let c = IOCSVCase.make(&rng, filler: true)
      let path = try scratch.write(c.text, to: "boundary-\(n).csv")
      let context = "case \(n): tail \(String(decoding: c.text.suffix(600), as: UTF8.self).debugDescription)"
      let reference = try IORead.csv(path, delimiter: c.delimiter)
      XCTAssertEqual(reference.rows, c.rows, context)
      XCTAssertEqual(reference.lines, c.lines, context)
      XCTAssertEqual(reference.rejects, c.rejects, context)
      XCTAssertEqual(reference.blankLines, c.blankLines, context)
      for size in [1, 3, 7, 64] {
        let r = try IORead.csv(path, blockSize: size, delimiter: c.delimiter)
        XCTAssertEqual(r, reference, "block size \(size), \(context)")
      }
      try FileManager.default.removeItem(atPath: path)
      if testRun?.failureCount ?? 0 > 20 { return }
    }
  }
}

/// A randomly generated delimited file and exactly what reading it must give.
struct IOCSVCase {
  var text: [UInt8] = []
  var delimiter: UInt8 = 44
  var columnNames: [String] = []
  var rows: [[[UInt8]]] = []
  var lines: [Int] = []
  var rejects: [RejectedRecord] = []
  var blankLines = 0

  static func pick<T>(_ options: [T], _ rng: inout SplitMix64) -> T {
    options[Int(rng.next() % UInt64(options.count))]
  }

  static func chance(_ percent: UInt64, _ rng: inout SplitMix64) -> Bool { rng.next() % 100 < percent }

  /// Number of physical line ends inside a value (CRLF counts once).
  static func lineEnds(in value: [UInt8]) -> Int {
    var n = 0
    for (i, b) in value.enumerated() {
      if b == 10 || (b == 13 && !(i + 1 < value.count && value[i + 1] == 10)) { n += 1 }
    }
    return n
  }

  /// Makes one case. With `filler`, rows of long plain cells push the tricky rows
  /// across the reader's first 64 KiB read, so they are parsed from small blocks.
  static func make(_ rng: inout SplitMix64, filler: Bool) -> IOCSVCase {
    var c = IOCSVCase()
    let d = pick([UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")], &rng)
    c.delimiter = d
    let ncol = Int(rng.next() % 4) + 1
    let quote = UInt8(ascii: "\"")
    let pieces: [[UInt8]] = [
      ioBytes("a"), ioBytes("bc"), ioBytes(" "), ioBytes("\""), ioBytes("\"\""), ioBytes("\n"),
      ioBytes("\r\n"),
      ioBytes("\r"), ioBytes("é"), ioBytes("😀"), ioBytes("日本"), [d], ioBytes(","), ioBytes("x\"y"), [0],
      [0xFF],
      ioBytes("12.5"),
    ]
    var line = 1
    var lastEnd: [UInt8] = []

    func encode(_ value: [UInt8], forceQuotes: Bool) -> [UInt8] {
      let must = value.first == quote || value.contains { $0 == d || $0 == 10 || $0 == 13 }
      if !(must || forceQuotes || chance(25, &rng)) { return value }
      var out: [UInt8] = [quote]
      for b in value {
        if b == quote { out.append(quote) }
        out.append(b)
      }
      out.append(quote)
      return out
    }

    func lineEnd(last: Bool) -> [UInt8] {
      if last && chance(30, &rng) { return [] }
      return pick([ioBytes("\n"), ioBytes("\r\n"), ioBytes("\r")], &rng)
    }

    // Header: distinct, non-empty names; some hold the delimiter or a quote.
    var headerFields: [[UInt8]] = []
    for i in 0..<ncol {
      var name = ioBytes("h\(i)")
      if chance(30, &rng) { name += [d] + ioBytes("x") }
      if chance(15, &rng) { name = ioBytes("q\"\(i)") }
      c.columnNames.append(String(decoding: name, as: UTF8.self))
      headerFields.append(encode(name, forceQuotes: false))
    }
    c.text = Array(headerFields.joined(separator: [d]))
    lastEnd = pick([ioBytes("\n"), ioBytes("\r\n"), ioBytes("\r")], &rng)
    c.text += lastEnd
    line += 1

    if filler {
      let target = 65536 - Int(rng.next() % 400)
      while c.text.count < target {
        let cell = ioBytes("F" + String(repeating: "x", count: 300))
        c.text += Array([[UInt8]](repeating: cell, count: ncol).joined(separator: [d])) + [10]
        c.rows.append([[UInt8]](repeating: cell, count: ncol))
        c.lines.append(line)
        line += 1
      }
      lastEnd = [10]
    }

    let records = Int(rng.next() % 12) + 1
    let unterminated = chance(10, &rng)
    for r in 0..<records {
      let isLast = r == records - 1 && !unterminated
      if chance(10, &rng) {
        // A blank line; after a lone CR an LF would turn it into a CRLF pair.
        let end =
          lastEnd == [13]
          ? pick([ioBytes("\r"), ioBytes("\r\n")], &rng)
          : pick([ioBytes("\n"), ioBytes("\r\n"), ioBytes("\r")], &rng)
        c.text += end
        lastEnd = end
        c.blankLines += 1
        line += 1
        continue
      }
      var count = ncol
      if chance(15, &rng) {
        count = ncol > 1 && chance(50, &rng) ? ncol - 1 : ncol + 1 + Int(rng.next() % 2)
      }
      var values: [[UInt8]] = []
      var raw: [[UInt8]] = []
      var physical = 1
      for _ in 0..<count {
        var value: [UInt8] = []
        for _ in 0..<Int(rng.next() % 4) { value += pick(pieces, &rng) }
        // A one-column table cannot hold an empty cell in CSV the writer round-trips
        // (see CSVWriterTests.testSingleColumnEmptyCellSurvivesRoundTrip).
        if ncol == 1 && value.isEmpty { value = ioBytes("v") }
        var encoded: [UInt8]
        if chance(5, &rng) {
          // Text after the closing quote is kept: "pre"zz → prezz.
          var out: [UInt8] = [quote]
          for b in value {
            if b == quote { out.append(quote) }
            out.append(b)
          }
          encoded = out + [quote] + ioBytes("zz")
          value += ioBytes("zz")
        } else {
          encoded = encode(value, forceQuotes: count == 1 && value.isEmpty)
        }
        if encoded.first == quote { physical += lineEnds(in: value) }
        values.append(value)
        raw.append(encoded)
      }
      c.text += Array(raw.joined(separator: [d]))
      if count == ncol {
        c.rows.append(values)
        c.lines.append(line)
      } else if count < ncol {
        c.rejects.append(
          RejectedRecord(
            line: line, fields: values,
            reason: "the row has \(count) field\(count == 1 ? "" : "s"), the header has \(ncol)"))
      } else {
        // The extra fields are kept as they were written.
        let extra = raw[ncol...].joined(separator: [d])
        c.rejects.append(
          RejectedRecord(
            line: line, fields: values,
            reason: "the row has \(count) fields, the header has \(ncol); extra fields: "
              + String(decoding: Array(extra), as: UTF8.self)))
      }
      line += physical - 1
      let end = lineEnd(last: isLast)
      c.text += end
      lastEnd = end
      if !end.isEmpty { line += 1 }
    }
    if unterminated {
      // Runs to the end of the file: no lone quote may close it.
      var tail: [UInt8] = []
      for _ in 0..<Int(rng.next() % 5) {
        let p = pick(pieces, &rng)
        if p == ioBytes("\"") || p == ioBytes("x\"y") { continue }
        tail += p
      }
      c.text += ioBytes("u") + [d, quote] + tail
      var reason = "a quoted field opened on line \(line) is never closed"
      if ncol < 2 {
        reason += "; the row has more fields than the header (\(ncol)); extra fields: "
        reason += String(decoding: [quote] + tail, as: UTF8.self)
      }
      // Its value has doubled quotes undoubled, as in any quoted field.
      var value: [UInt8] = []
      var i = 0
      while i < tail.count {
        value.append(tail[i])
        i += tail[i] == quote && i + 1 < tail.count && tail[i + 1] == quote ? 2 : 1
      }
      c.rejects.append(RejectedRecord(line: line, fields: [ioBytes("u"), value], reason: reason))
    }
    return c
  }
}
