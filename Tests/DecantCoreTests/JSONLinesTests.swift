import Foundation
import XCTest

@testable import DecantCore

final class JSONLinesTests: XCTestCase {
  var scratch: IOScratch!

  override func setUpWithError() throws {
    scratch = try IOScratch()
  }

  override func tearDown() {
    scratch?.remove()
    scratch = nil
  }

  func read(
    _ text: String, blockSize: Int = ByteSource.defaultBlockSize, file: StaticString = #filePath,
    line: UInt = #line
  )
    throws -> IOReadResult
  {
    try IORead.jsonl(scratch.write(text, to: "in.jsonl"), blockSize: blockSize, file: file, line: line)
  }

  /// Reads `input` as JSON Lines and writes it back with `JSONLinesWriter`.
  func roundTrip(
    _ input: String, nullValues: NullValues = NullValues(), blockSize: Int = ByteSource.defaultBlockSize
  )
    throws -> String
  {
    let path = try scratch.write(input, to: "rt-in.jsonl")
    let reader = try JSONLinesReader(path: path, blockSize: blockSize)
    let output = try OutputFile(path: scratch.path("rt-out.jsonl"))
    let writer = JSONLinesWriter(output: output, nullValues: nullValues)
    try writer.writeHeader(reader.columnNames)
    while let chunk = try reader.next() {
      XCTAssertEqual(chunk.rejects, [])
      try writer.write(chunk.batch)
    }
    try writer.finish()
    try output.commit()
    return String(decoding: try scratch.read("rt-out.jsonl"), as: UTF8.self)
  }

  // MARK: Columns

  func testKeyOrderComesFromTheFirstObjectWithNewKeysAppended() throws {
    let r = try read("{\"b\":1,\"a\":2}\n{\"a\":3,\"c\":4}\n{\"d\":5,\"b\":6}\n")
    XCTAssertEqual(r.columnNames, ["b", "a", "c", "d"])
    XCTAssertEqual(r.rawColumnNames, ["b", "a", "c", "d"])
    XCTAssertEqual(r.stringRows, [["1", "2", "", ""], ["", "3", "4", ""], ["6", "", "", "5"]])
    XCTAssertEqual(r.lines, [1, 2, 3])
    XCTAssertEqual(r.rejects, [])
  }

  func testMissingKeyAndNullAreEmptyCells() throws {
    let r = try read("{\"a\":\"x\",\"b\":null,\"c\":\"\"}\n{\"c\":\"z\"}\n")
    XCTAssertEqual(r.columnNames, ["a", "b", "c"])
    XCTAssertEqual(r.rows, ioRows([["x", "", ""], ["", "", "z"]]))
    XCTAssertEqual(r.literal, [[false, false, false], [false, false, false]])
  }

  func testEmptyAndDuplicateLookingKeysAreMadeUnique() throws {
    let r = try read("{\"\":1,\"a\":2,\"a_2\":3}\n")
    XCTAssertEqual(r.columnNames, ["column_1", "a", "a_2"])
    XCTAssertEqual(r.warnings.count, 1, "\(r.warnings)")
    XCTAssertEqual(r.stringRows, [["1", "2", "3"]])
  }

  // MARK: Values

  func testNestedValuesBecomeCompactJSONLiterals() throws {
    let r = try read(
      "{\"a\": { \"x\" : [1, 2, {\"y\": null}], \"s\": \"sp ace\" } , \"b\": [ ], \"c\":{ },\"d\":[ \"q\\\"\\u00e9\" ,true ]}\n"
    )
    XCTAssertEqual(r.columnNames, ["a", "b", "c", "d"])
    XCTAssertEqual(
      r.stringRows, [["{\"x\":[1,2,{\"y\":null}],\"s\":\"sp ace\"}", "[]", "{}", "[\"q\\\"\\u00e9\",true]"]])
    XCTAssertEqual(r.literal, [[true, true, true, true]])
  }

  func testNumbersAndBooleansKeepTheirTextAndAreFlagged() throws {
    let r = try read(
      "{\"i\":42,\"n\":-1.50e+3,\"z\":0,\"big\":123456789012345678901234567890,\"t\":true,\"f\":false,\"s\":\"7\"}\n"
    )
    XCTAssertEqual(
      r.stringRows, [["42", "-1.50e+3", "0", "123456789012345678901234567890", "true", "false", "7"]])
    XCTAssertEqual(r.literal, [[true, true, true, true, true, true, false]])
  }

  func testStringEscapesAreDecoded() throws {
    let r = try read(
      "{\"s\":\"a\\\"b\\\\c\\/d\\n\\t\\r\\b\\f\",\"u\":\"caf\\u00e9 \\u00C9\",\"pair\":\"\\ud83d\\ude00!\",\"raw\":\"日本😀\"}\n"
    )
    XCTAssertEqual(r.rows.count, 1)
    XCTAssertEqual(r.rows.first?[0], ioBytes("a\"b\\c/d\n\t\r") + [8, 12])
    XCTAssertEqual(r.rows.first?[1], ioBytes("café É"))
    XCTAssertEqual(r.rows.first?[1], [0x63, 0x61, 0x66, 0xC3, 0xA9, 0x20, 0xC3, 0x89])
    XCTAssertEqual(r.rows.first?[2], [0xF0, 0x9F, 0x98, 0x80, 0x21])
    XCTAssertEqual(r.rows.first?[3], ioBytes("日本😀"))
    XCTAssertEqual(r.literal, [[false, false, false, false]])
  }

  func testEscapedKeysAreDecoded() throws {
    let r = try read("{\"caf\\u00e9\":1,\"a\\\"b\":2}\n{\"café\":3}\n")
    XCTAssertEqual(r.columnNames, ["café", "a\"b"])
    XCTAssertEqual(r.stringRows, [["1", "2"], ["3", ""]])
  }

  // MARK: Bad lines

  func testBrokenLinesAreRejectedWithLineNumberAndText() throws {
    let lines = [
      "{\"a\":1,\"b\":2}",
      "{\"a\":3,\"b\":",
      "[1,2]",
      "42",
      "{\"a\":5,\"a\":6}",
      "{\"a\":7,\"b\":8}",
      "{\"a\":9} trailing",
      "{\"a\":\"never closed}",
      "{\"b\":\"fine\"}",
    ]
    let r = try read(lines.joined(separator: "\n") + "\n")
    XCTAssertEqual(r.columnNames, ["a", "b"])
    XCTAssertEqual(r.stringRows, [["1", "2"], ["7", "8"], ["", "fine"]])
    XCTAssertEqual(r.lines, [1, 6, 9])
    XCTAssertEqual(r.rejects.map(\.line), [2, 3, 4, 5, 7, 8])
    for reject in r.rejects {
      let text = lines[reject.line - 1]
      XCTAssertTrue(reject.reason.contains(text), "line \(reject.line): \(reject.reason)")
      XCTAssertTrue(reject.reason.hasSuffix(text), "line \(reject.line): \(reject.reason)")
      XCTAssertEqual(reject.fields, [], "line \(reject.line)")
    }
    let reasons = Dictionary(uniqueKeysWithValues: r.rejects.map { ($0.line, $0.reason) })
    XCTAssertTrue(reasons[2]?.contains("not valid JSON") == true, reasons[2] ?? "")
    XCTAssertTrue(reasons[3]?.contains("not a JSON object") == true, reasons[3] ?? "")
    XCTAssertTrue(reasons[4]?.contains("not a JSON object") == true, reasons[4] ?? "")
    XCTAssertTrue(reasons[5]?.contains("the key \"a\" appears twice") == true, reasons[5] ?? "")
    XCTAssertTrue(reasons[7]?.contains("unexpected text after the object") == true, reasons[7] ?? "")
    XCTAssertTrue(reasons[8]?.contains("never closed") == true, reasons[8] ?? "")
  }

  func testBlankLinesAreSkippedAndCounted() throws {
    let r = try read("{\"a\":1}\n\n{\"a\":2}\n\n\n{\"a\":3}\n\n")
    XCTAssertEqual(r.stringRows, [["1"], ["2"], ["3"]])
    XCTAssertEqual(r.lines, [1, 3, 6])
    XCTAssertEqual(r.blankLines, 4)
  }

  func testCRLFLinesAndBlankCRLFLines() throws {
    let r = try read("{\"a\":\"x\"}\r\n\r\n{\"a\":\"y\"}\r\n")
    XCTAssertEqual(r.rows, ioRows([["x"], ["y"]]))
    XCTAssertEqual(r.lines, [1, 3])
    XCTAssertEqual(r.blankLines, 1)
  }

  func testLastLineWithoutNewline() throws {
    let r = try read("{\"a\":1}\n{\"a\":2}")
    XCTAssertEqual(r.stringRows, [["1"], ["2"]])
    XCTAssertEqual(r.lines, [1, 2])
  }

  func testEmptyMissingAndDirectoryInputsThrowIOError() throws {
    let empty = try scratch.write([UInt8](), to: "empty.jsonl")
    for path in [empty, scratch.path("missing.jsonl"), scratch.directory.path] {
      XCTAssertThrowsError(try JSONLinesReader(path: path), path) { error in
        XCTAssertTrue(error is IOError, "\(path): \(error)")
      }
    }
  }

  func testEveryBlockSizeReadsTheSame() throws {
    var text = ""
    for i in 0..<120 {
      switch i % 6 {
      case 0: text += "{\"id\":\(i),\"name\":\"é😀 \\u00e9 \\ud83d\\ude00\",\"n\":{\"k\": [1, 2]}}\r\n"
      case 1: text += "\n"
      case 2: text += "{\"name\":\"日本語\",\"id\":\(i),\"extra\":null}\n"
      case 3: text += "[\(i)]\n"
      case 4: text += "{\"id\":\(i),\"late_\(i % 5)\":true}\r\n"
      default: text += "{\"id\":\(i),\"id\":1}\n"
      }
    }
    text += "{\"id\":\"last\"}"
    let reference = try read(text)
    XCTAssertEqual(
      reference.columnNames, ["id", "name", "n", "extra", "late_4", "late_0", "late_1", "late_2", "late_3"])
    XCTAssertEqual(reference.rows.count, 61)
    XCTAssertEqual(reference.rejects.count, 40)
    XCTAssertEqual(reference.blankLines, 20)
    XCTAssertEqual(reference.rows[0], ioRows([["0", "é😀 é 😀", "{\"k\":[1,2]}", "", "", "", "", "", ""]])[0])
    for size in [1, 2, 3, 7, 64] {
      XCTAssertEqual(try read(text, blockSize: size), reference, "block size \(size)")
    }
  }

  // MARK: Writer and round trip

  func testRoundTripPreservesNumbersNestedValuesAndNullsExactly() throws {
    let input =
      [
        "{\"id\":1,\"price\":-0.50,\"big\":12345678901234567890,\"exp\":1E+2,\"ok\":true,\"no\":false,"
          + "\"nested\":{\"k\":[1,2.0,null,\"s\"]},\"arr\":[],\"none\":null,\"s\":\"x\\\"y\\\\z\"}",
        "{\"id\":2,\"price\":0,\"big\":-1,\"exp\":1.5e-7,\"ok\":false,\"no\":true,\"nested\":{},"
          + "\"arr\":[{\"a\":[]}],\"none\":null,\"s\":\"é😀\"}",
        "{\"id\":3,\"price\":null,\"big\":null,\"exp\":null,\"ok\":null,\"no\":null,\"nested\":null,\"arr\":null,"
          + "\"none\":null,\"s\":null}",
      ].joined(separator: "\n") + "\n"
    XCTAssertEqual(try roundTrip(input), input)
    XCTAssertEqual(try roundTrip(input, blockSize: 5), input)
  }

  func testRoundTripCompactsWhitespaceAndFillsMissingKeysWithNull() throws {
    let input = "{ \"a\" : [ 1 , { \"b\" : null } ] , \"c\" : 1.0 }\n\n{\"d\":\"x\"}\n"
    XCTAssertEqual(
      try roundTrip(input),
      "{\"a\":[1,{\"b\":null}],\"c\":1.0,\"d\":null}\n{\"a\":null,\"c\":null,\"d\":\"x\"}\n")
  }

  func testWriterQuotesTextCellsAndEscapesControlCharacters() throws {
    var b = Batch.empty(columnCount: 4)
    b.columns[0].append(b.append(ioBytes("42")))
    b.columns[1].append(b.append(ioBytes("q\"\\\n\t\r") + [1, 0x1F]))
    b.columns[2].append(b.append(ioBytes("NA")))
    b.columns[3].append(b.append(ioBytes("[1, 2]"), jsonLiteral: true))
    b.lines.append(2)
    let output = try OutputFile(path: scratch.path("w.jsonl"))
    let writer = JSONLinesWriter(output: output, nullValues: NullValues(["", "NA"]))
    try writer.writeHeader(["n", "s\"k", "na", "lit"])
    try writer.write(b)
    try writer.finish()
    try output.commit()
    XCTAssertEqual(
      String(decoding: try scratch.read("w.jsonl"), as: UTF8.self),
      "{\"n\":\"42\",\"s\\\"k\":\"q\\\"\\\\\\n\\t\\r\\u0001\\u001f\",\"na\":null,\"lit\":[1, 2]}\n")
  }

  func testCSVCellsBecomeJSONStrings() throws {
    let path = try scratch.write("id,flag,empty\n7,true,\n", to: "in.csv")
    let reader = try CSVReader(source: ByteSource(path: path), delimiter: UInt8(ascii: ","), header: true)
    let output = try OutputFile(path: scratch.path("out.jsonl"))
    let writer = JSONLinesWriter(output: output, nullValues: NullValues())
    try writer.writeHeader(reader.columnNames)
    while let chunk = try reader.next() { try writer.write(chunk.batch) }
    try output.commit()
    XCTAssertEqual(
      String(decoding: try scratch.read("out.jsonl"), as: UTF8.self),
      "{\"id\":\"7\",\"flag\":\"true\",\"empty\":null}\n")
  }
}
