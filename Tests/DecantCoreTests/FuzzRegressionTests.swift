import Foundation
import XCTest

@testable import DecantCore

/// Inputs the fuzz targets (Fuzz/) turned up, fed through the same engine code a
/// run uses. Each test names its file in Fuzz/regressions/ and asserts what any
/// fix must give: a clear rejection, or output that Decant reads back as written.
final class FuzzRegressionTests: XCTestCase {
  /// The instant an ISO 8601 value denotes (seconds since 1970 UTC), when Decant reads it.
  private func isoInstant(_ text: String) -> Int64? {
    Array(text.utf8).withUnsafeBufferPointer { b in
      TimestampFormat.parseISO(b).map { $0.localSeconds - Int64($0.offset ?? 0) }
    }
  }

  /// Fuzz/regressions/timestamp/iso-output-year-beyond-9999: `%s` reads up to twelve
  /// digits, so a time can fall after the year 9999. The default ISO 8601 output must
  /// not write it as another year (it wrote 999999999999 as 3658-09-27T01:46:39Z).
  func testDefaultOutputPastTheYear9999KeepsTheInstant() throws {
    let result = try runSteps(
      steps: #"{"op": "normalize_timezone", "column": "t", "input_formats": ["%s"]}"#, columns: ["t"],
      batches: [[["999999999999"]]])
    assertBalances(result)
    if result.rowsRejected == 1 {
      XCTAssertFalse(result.rejects[0].reason.isEmpty, "a rejected value needs a reason")
      return
    }
    let written = result.column("t")[0]
    if let instant = isoInstant(written) {
      XCTAssertEqual(instant, 999_999_999_999, "\(written) reads back as another instant")
    }
    XCTAssertTrue(written.contains("33658"), "\(written) does not show the year 33658")
  }

  /// Fuzz/regressions/timestamp/iso-output-offset-with-seconds: before standard time
  /// New York's offset was -04:56:02. The default output wrote
  /// 1012-11-03T01:30:00-04:56:02, which is not ISO 8601 and which Decant cannot read.
  func testDefaultOutputWithAnOffsetInSecondsReadsBack() throws {
    let result = try runSteps(
      steps: #"""
        {"op": "normalize_timezone", "column": "t", "from_zone": "America/New_York",
         "to_zone": "America/New_York", "input_formats": ["%Y-%m-%d %H:%M:%S"]}
        """#,
      columns: ["t"], batches: [[["1012-11-03 01:30:00"]]])
    assertBalances(result)
    if result.rowsRejected == 1 {
      XCTAssertFalse(result.rejects[0].reason.isEmpty, "a rejected value needs a reason")
      return
    }
    let written = result.column("t")[0]
    let local = CivilDateTime(year: 1012, month: 11, day: 3, hour: 1, minute: 30).localSeconds
    let instant = isoInstant(written)
    XCTAssertNotNil(instant, "the step writes \(written), which Decant does not read as ISO 8601")
    if let instant {
      XCTAssertEqual(instant, local + 4 * 3600 + 56 * 60 + 2, "\(written) reads back as another instant")
    }
  }

  /// Fuzz/regressions/csv/header-starts-with-bom-after-bom: a file that starts with two
  /// byte-order marks has a first column name that starts with U+FEFF. Written as CSV,
  /// that name begins the file, and reading the file back strips it as a byte-order mark.
  func testHeaderNameStartingWithAByteOrderMarkReadsBackAsWritten() throws {
    let scratch = try IOScratch()
    defer { scratch.remove() }
    let input = try scratch.write([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + Array("id,name\n1,x\n".utf8))
    let reader = try CSVReader(
      source: try ByteSource(path: input), delimiter: UInt8(ascii: ","), header: true)
    var batches: [Batch] = []
    while let chunk = try reader.next() { batches.append(chunk.batch) }

    let buffer = ByteBuffer()
    let encoder = CSVEncoder(delimiter: UInt8(ascii: ","))
    encoder.encodeHeader(reader.columnNames, into: buffer)
    for batch in batches { encoder.encode(batch, into: buffer) }
    let output = try scratch.write(Array(buffer.bytes), to: "output.csv")

    let again = try CSVReader(
      source: try ByteSource(path: output), delimiter: UInt8(ascii: ","), header: true)
    XCTAssertEqual(again.columnNames, reader.columnNames, "the written header reads back with other names")
  }
}
