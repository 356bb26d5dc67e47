import Foundation
import XCTest

@testable import DecantCore

final class CSVWriterTests: XCTestCase {
  var scratch: IOScratch!

  override func setUpWithError() throws {
    scratch = try IOScratch()
  }

  override func tearDown() {
    scratch?.remove()
    scratch = nil
  }

  /// A batch holding `rows` (each cell its UTF-8 bytes), lines from 2.
  func batch(_ rows: [[[UInt8]]], columns: Int) -> Batch {
    var b = Batch.empty(columnCount: columns)
    for (r, row) in rows.enumerated() {
      for c in 0..<columns { b.columns[c].append(b.append(row[c])) }
      b.lines.append(r + 2)
    }
    b.originalColumns = b.columns
    return b
  }

  /// Writes a header and batches with `CSVWriter` to a committed file and returns its bytes.
  func written(
    header: [String], batches: [Batch], delimiter: UInt8 = UInt8(ascii: ","), name: String = "out.csv"
  ) throws -> [UInt8] {
    let output = try OutputFile(path: scratch.path(name))
    let writer = CSVWriter(output: output, delimiter: delimiter)
    try writer.writeHeader(header)
    for b in batches { try writer.write(b) }
    try writer.finish()
    try output.commit()
    return try scratch.read(name)
  }

  func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

  // MARK: Quoting

  func testControlBytesOtherThanLineEndsNeedNoQuotesUnlessTheyAreTheDelimiter() throws {
    let rows: [[[UInt8]]] = [
      [Array("tab\there and more text".utf8), Array("bell\u{7} and \u{1}".utf8)],
      [Array("a\tb".utf8), Array("cr\rin a long field".utf8)],
    ]
    let comma = try written(header: ["a", "b"], batches: [batch(rows, columns: 2)])
    XCTAssertEqual(
      text(comma), "a,b\ntab\there and more text,bell\u{7} and \u{1}\na\tb,\"cr\rin a long field\"\n")
    let tab = try written(
      header: ["a", "b"], batches: [batch(rows, columns: 2)], delimiter: 9, name: "out.tsv")
    XCTAssertEqual(
      text(tab), "a\tb\n\"tab\there and more text\"\tbell\u{7} and \u{1}\n\"a\tb\"\t\"cr\rin a long field\"\n"
    )
  }

  func testQuotesOnlyFieldsWithDelimiterQuoteCROrLF() throws {
    let cells = [
      "plain", "has,comma", "has\"quote", "cr\rx", "lf\nx", "crlf\r\nx", " spaced ", "", "semi;colon",
      "tab\tx",
      "é😀",
    ]
    let out = try written(
      header: (0..<cells.count).map { "c\($0)" }, batches: [batch(ioRows([cells]), columns: cells.count)])
    XCTAssertEqual(
      text(out),
      "c0,c1,c2,c3,c4,c5,c6,c7,c8,c9,c10\n"
        + "plain,\"has,comma\",\"has\"\"quote\",\"cr\rx\",\"lf\nx\",\"crlf\r\nx\", spaced ,,semi;colon,tab\tx,é😀\n"
    )
  }

  func testQuoteCharactersAreDoubled() throws {
    let out = try written(
      header: ["a"], batches: [batch(ioRows([["\""], ["\"\""], ["say \"hi\""]]), columns: 1)])
    XCTAssertEqual(text(out), "a\n\"\"\"\"\n\"\"\"\"\"\"\n\"say \"\"hi\"\"\"\n")
  }

  func testHeaderNamesAreQuotedByTheSameRule() throws {
    let out = try written(header: ["id", "a,b", "q\"x", "line\nbreak", "plain name"], batches: [])
    XCTAssertEqual(text(out), "id,\"a,b\",\"q\"\"x\",\"line\nbreak\",plain name\n")
  }

  func testTabDelimiterQuotesTabsButNotCommas() throws {
    let out = try written(
      header: ["a", "b", "c"], batches: [batch(ioRows([["x,y", "t\tu", "v"]]), columns: 3)],
      delimiter: UInt8(ascii: "\t"))
    XCTAssertEqual(text(out), "a\tb\tc\nx,y\t\"t\tu\"\tv\n")
  }

  func testLFLineEndsAndAFinalLF() throws {
    let out = try written(
      header: ["a", "b"],
      batches: [
        batch(ioRows([["1", "2"], ["3", "4"]]), columns: 2), batch(ioRows([["5", ""]]), columns: 2),
      ])
    XCTAssertEqual(text(out), "a,b\n1,2\n3,4\n5,\n")
    XCTAssertFalse(out.contains(13))
    XCTAssertEqual(out.last, 10)
  }

  func testInvalidUTF8AndNULBytesAreWrittenUntouched() throws {
    let cells: [[UInt8]] = [[0x78, 0xFF, 0x79], [0xC3], [0x00, 0x41], [0x80]]
    let out = try written(header: ["a", "b", "c", "d"], batches: [batch([cells], columns: 4)])
    XCTAssertEqual(out, ioBytes("a,b,c,d\n") + [0x78, 0xFF, 0x79, 44, 0xC3, 44, 0x00, 0x41, 44, 0x80, 10])
  }

  func testWritesChangedCellsFromTheArena() throws {
    var b = batch(ioRows([["old", "keep"]]), columns: 2)
    b.columns[0][0] = b.append(string: "new,value")
    let out = try written(header: ["a", "b"], batches: [b])
    XCTAssertEqual(text(out), "a,b\n\"new,value\",keep\n")
  }

  func testManyRowsAcrossTheWritersSlices() throws {
    let rows = (0..<10_000).map { ["\($0)", $0 % 3 == 0 ? "x,\($0)" : "y"] }
    let out = try written(header: ["n", "v"], batches: [batch(ioRows(rows), columns: 2)])
    let expected =
      "n,v\n" + rows.map { "\($0[0]),\($0[1].contains(",") ? "\"\($0[1])\"" : $0[1])\n" }.joined()
    XCTAssertEqual(text(out), expected)
  }

  // MARK: Read → write

  func readThenWrite(
    _ input: [UInt8], delimiter: UInt8 = UInt8(ascii: ","), blockSize: Int = ByteSource.defaultBlockSize
  )
    throws -> [UInt8]
  {
    let path = try scratch.write(input, to: "in.csv")
    let reader = try CSVReader(
      source: ByteSource(path: path, blockSize: blockSize), delimiter: delimiter, header: true)
    let output = try OutputFile(path: scratch.path("out.csv"))
    let writer = CSVWriter(output: output, delimiter: delimiter)
    try writer.writeHeader(reader.rawColumnNames)
    while let chunk = try reader.next() {
      XCTAssertEqual(chunk.rejects, [])
      try writer.write(chunk.batch)
    }
    try writer.finish()
    try output.commit()
    return try scratch.read("out.csv")
  }

  func testMinimallyQuotedInputIsWrittenBackByteForByte() throws {
    let input = ioBytes(
      "id,\"name, full\",note\n1,plain,\"a,b\"\n2,\"he said \"\"hi\"\"\",\"multi\nline\"\n3,,x\n"
        + "4,abc,\"\r\"\n5,é😀,\"\"\"\"\n6,\"cr\r\nlf\",\n")
    let out = try readThenWrite(input)
    XCTAssertEqual(text(out), text(input))
    XCTAssertEqual(out, input)
  }

  func testMinimallyQuotedTSVIsWrittenBackByteForByte() throws {
    let input = ioBytes("a\tb\n1,2\t\"x\ty\"\n\"q\"\"\"\tz\n")
    XCTAssertEqual(try readThenWrite(input, delimiter: UInt8(ascii: "\t")), input)
  }

  func testLargeMinimallyQuotedInputIsWrittenBackByteForByteWithSmallBlocks() throws {
    var input = ioBytes("id,text\n")
    var i = 0
    while input.count < 80_000 {
      input += ioBytes(i % 4 == 0 ? "\(i),\"multi\nline, \"\"q\"\"\"\n" : "\(i),plain é\n")
      i += 1
    }
    XCTAssertEqual(try readThenWrite(input, blockSize: 7), input)
    XCTAssertEqual(try readThenWrite(input), input)
  }

  func testNonMinimalInputIsNormalised() throws {
    let input = ioBytes("\"a\",b\r\n\"1\",\"x\"y\r\n\"\",\"q\"\"\"\r\n")
    XCTAssertEqual(text(try readThenWrite(input)), "a,b\n1,xy\n,\"q\"\"\"\n")
  }

  /// Bug probe: a one-column table with an empty (null) cell is written as an
  /// empty line, which every reader (Decant's included) skips as a blank line,
  /// so the row is lost on the next read.
  func testSingleColumnEmptyCellSurvivesRoundTrip() throws {
    let out = try written(header: ["only"], batches: [batch(ioRows([["a"], [""], ["b"]]), columns: 1)])
    let path = try scratch.write(out, to: "again.csv")
    let back = try IORead.csv(path)
    XCTAssertEqual(back.rows, ioRows([["a"], [""], ["b"]]), "written as \(text(out).debugDescription)")
    XCTAssertEqual(back.blankLines, 0)
  }

  // MARK: OutputFile

  func testOutputFileAppearsOnlyOnCommit() throws {
    let target = scratch.path("result.csv")
    let output = try OutputFile(path: target)
    try output.write(ioBytes("a,b\n1,2\n"))
    try output.flush()
    XCTAssertFalse(FileManager.default.fileExists(atPath: target))
    let tmp = try XCTUnwrap(output.temporaryPath)
    XCTAssertTrue(FileManager.default.fileExists(atPath: tmp))
    XCTAssertEqual(
      URL(fileURLWithPath: tmp).deletingLastPathComponent().standardizedFileURL.path,
      scratch.directory.standardizedFileURL.path, "the temporary file is beside the target")
    XCTAssertNotEqual(tmp, target)
    try output.commit()
    XCTAssertTrue(FileManager.default.fileExists(atPath: target))
    XCTAssertFalse(FileManager.default.fileExists(atPath: tmp))
    XCTAssertEqual(try scratch.read("result.csv"), ioBytes("a,b\n1,2\n"))
    XCTAssertEqual(try scratch.entries(), ["result.csv"])
  }

  func testOutputFileAbortRemovesTheTemporaryFileAndLeavesTheTarget() throws {
    let target = try scratch.write("old contents\n", to: "result.csv")
    let output = try OutputFile(path: target)
    try output.write(ioBytes("new contents\n"))
    try output.flush()
    let tmp = try XCTUnwrap(output.temporaryPath)
    XCTAssertTrue(FileManager.default.fileExists(atPath: tmp))
    XCTAssertEqual(try scratch.read("result.csv"), ioBytes("old contents\n"))
    output.abort()
    XCTAssertFalse(FileManager.default.fileExists(atPath: tmp))
    XCTAssertEqual(try scratch.read("result.csv"), ioBytes("old contents\n"))
    XCTAssertEqual(try scratch.entries(), ["result.csv"])
  }

  func testOutputFileAbortWithNothingAtTheTarget() throws {
    let target = scratch.path("never.csv")
    let output = try OutputFile(path: target)
    try output.write(ioBytes("x\n"))
    output.abort()
    XCTAssertFalse(FileManager.default.fileExists(atPath: target))
    XCTAssertEqual(try scratch.entries(), [])
  }

  func testOutputFileDroppedWithoutCommitLeavesNothing() throws {
    let target = scratch.path("dropped.csv")
    var tmp: String?
    do {
      let output = try OutputFile(path: target)
      try output.write(ioBytes("x\n"))
      try output.flush()
      tmp = output.temporaryPath
    }
    XCTAssertNotNil(tmp)
    XCTAssertFalse(FileManager.default.fileExists(atPath: target))
    XCTAssertEqual(try scratch.entries(), [])
  }

  func testCommitReplacesAnExistingTarget() throws {
    let target = try scratch.write("old\n", to: "result.csv")
    let output = try OutputFile(path: target)
    try output.write(ioBytes("new\n"))
    XCTAssertEqual(try scratch.read("result.csv"), ioBytes("old\n"))
    try output.commit()
    XCTAssertEqual(try scratch.read("result.csv"), ioBytes("new\n"))
    XCTAssertEqual(try scratch.entries(), ["result.csv"])
  }

  /// Replacing an output swaps in a new file (by exchange or by rename): other
  /// names of the old file keep the old bytes, a symbolic link at the target is
  /// replaced rather than followed, and no temporary file is left either way.
  func testCommitReplacesTheTargetEntryNotTheOldFile() throws {
    for durable in [false, true] {
      let target = try scratch.write("old\n", to: "result.csv")
      try FileManager.default.linkItem(atPath: target, toPath: scratch.path("alias.csv"))
      let output = try OutputFile(path: target, durable: durable)
      try output.write(ioBytes("new\n"))
      try output.commit()
      XCTAssertEqual(try scratch.read("result.csv"), ioBytes("new\n"), "durable: \(durable)")
      XCTAssertEqual(try scratch.read("alias.csv"), ioBytes("old\n"), "durable: \(durable)")
      XCTAssertEqual(try scratch.entries(), ["alias.csv", "result.csv"], "durable: \(durable)")

      _ = try scratch.write("elsewhere\n", to: "other.csv")
      try FileManager.default.removeItem(atPath: target)
      try FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: "other.csv")
      let again = try OutputFile(path: target, durable: durable)
      try again.write(ioBytes("newer\n"))
      try again.commit()
      let kind = try FileManager.default.attributesOfItem(atPath: target)[.type] as? FileAttributeType
      XCTAssertEqual(kind, .typeRegular, "durable: \(durable)")
      XCTAssertEqual(try scratch.read("result.csv"), ioBytes("newer\n"))
      XCTAssertEqual(try scratch.read("other.csv"), ioBytes("elsewhere\n"))
      XCTAssertEqual(try scratch.entries(), ["alias.csv", "other.csv", "result.csv"])
      for name in try scratch.entries() { try FileManager.default.removeItem(atPath: scratch.path(name)) }
    }
  }

  func testOutputFileInAMissingDirectoryThrowsIOError() throws {
    XCTAssertThrowsError(try OutputFile(path: scratch.path("no/such/dir/out.csv"))) { error in
      XCTAssertTrue(error is IOError, "\(error)")
    }
  }
}
