import Foundation
import XCTest

@testable import DecantCore

/// `CSVReader` against Python's csv module on thousands of seeded random files
/// (`Fixtures/make_csv_cases.py`, run at test time): random quoting, the
/// delimiter, quotes and line ends inside quoted fields, `,` `;` tab `|`
/// delimiters, LF, CRLF, CR and mixed line ends, multi-byte, combining and
/// emoji text, empty fields, blank lines, ragged rows, unterminated quotes and
/// missing final line ends. Small files are read whole and with tiny blocks;
/// large ones (over the first 64 KiB read) at several block sizes, so records
/// cross block boundaries.
///
/// Where Decant's contract differs from the csv module, the test follows the
/// contract: a blank line (the module's `[]`) is skipped and counted, a record
/// whose field count is not the header's is rejected with its fields, and a
/// record that opens a quote never closed is rejected.
final class CSVDifferentialTests: XCTestCase {
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/make_csv_cases.py")

  struct Case {
    var file: String
    var delimiter: UInt8
    /// What the csv module read, `[]` for a blank line.
    var records: [[String]]
    var lines: [Int]
    var unterminated: Bool
    var features: [String]
  }

  /// What Decant must read from a case's file.
  struct Expected {
    var header: [String] = []
    var rows: [[[UInt8]]] = []
    var lines: [Int] = []
    /// Line and fields of each rejected record, and whether it is the unterminated one.
    var rejects: [(line: Int, fields: [[UInt8]], unterminated: Bool)] = []
    var blankLines = 0

    init(_ c: Case) {
      var headerSeen = false
      for (i, record) in c.records.enumerated() {
        if record.isEmpty {
          blankLines += 1
          continue
        }
        let fields = record.map { Array($0.utf8) }
        if !headerSeen {
          header = record
          headerSeen = true
        } else if c.unterminated && i == c.records.count - 1 {
          rejects.append((c.lines[i], fields, true))
        } else if record.count == header.count {
          rows.append(fields)
          lines.append(c.lines[i])
        } else {
          rejects.append((c.lines[i], fields, false))
        }
      }
    }
  }

  nonisolated(unsafe) static var cached: Result<(URL, [Case]), Error>? = nil

  /// Generates the files once for the suite (removed after its last test).
  static func cases() throws -> (URL, [Case]) {
    if let cached { return try cached.get() }
    let result = Result { () throws -> (URL, [Case]) in
      let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("decant-csv-differential-\(UUID().uuidString)")
      let output = try Python.run([script.path, dir.path])
      var cases: [Case] = []
      for line in output.split(separator: 10) {
        let object = try JSONSerialization.jsonObject(with: Data(line)) as! [String: Any]
        cases.append(
          Case(
            file: object["file"] as! String,
            delimiter: Array((object["delimiter"] as! String).utf8)[0],
            records: object["records"] as! [[String]], lines: object["lines"] as! [Int],
            unterminated: object["unterminated"] as! Bool, features: object["features"] as! [String]))
      }
      return (dir, cases)
    }
    cached = result
    return try result.get()
  }

  override class func tearDown() {
    if case .success(let (dir, _))? = cached { try? FileManager.default.removeItem(at: dir) }
    cached = nil
    super.tearDown()
  }

  // MARK: Tests

  func testTheGeneratedFilesCoverEveryTrickyFeature() throws {
    let (_, cases) = try Self.cases()
    XCTAssertEqual(cases.filter { $0.file.hasPrefix("small") }.count, 3000)
    XCTAssertEqual(cases.filter { $0.file.hasPrefix("large") }.count, 24)
    var count: [String: Int] = [:]
    for c in cases { for f in c.features { count[f, default: 0] += 1 } }
    for feature in [
      "delimiter_comma", "delimiter_semicolon", "delimiter_tab", "delimiter_pipe", "line_ends_lf",
      "line_ends_crlf", "line_ends_cr", "line_ends_mixed", "quoted", "delimiter", "quote", "lf", "crlf", "cr",
      "multibyte", "combining", "emoji", "separator", "bom_inside", "blank_line", "ragged_row",
      "quote_in_unquoted_field", "text_after_closing_quote", "unterminated_quote", "no_final_line_end",
    ] {
      XCTAssertGreaterThanOrEqual(count[feature] ?? 0, 50, "files with \(feature)")
    }
  }

  func testSmallFilesReadLikePythonsCSVModule() throws {
    let (dir, cases) = try Self.cases()
    let blockSizes = [1, 2, 3, 5, 16]
    var failures = 0
    for (n, c) in cases.enumerated() where c.file.hasPrefix("small") && failures < 20 {
      let path = dir.appendingPathComponent(c.file).path
      for size in [ByteSource.defaultBlockSize, blockSizes[n % blockSizes.count]] {
        if !compare(c, path: path, blockSize: size) { failures += 1 }
      }
    }
  }

  func testLargeFilesReadLikePythonsCSVModuleAtSeveralBlockSizes() throws {
    let (dir, cases) = try Self.cases()
    let blockSizes = [1, 3, 7, 64]
    var failures = 0
    for (n, c) in cases.filter({ $0.file.hasPrefix("large") }).enumerated() where failures < 20 {
      let path = dir.appendingPathComponent(c.file).path
      for size in [ByteSource.defaultBlockSize, 4099, blockSizes[n % blockSizes.count]] {
        if !compare(c, path: path, blockSize: size) { failures += 1 }
      }
    }
  }

  // MARK: Comparing

  /// Reads a case's file with Decant and compares it with the csv module's
  /// records; returns false (after reporting) when they differ.
  func compare(_ c: Case, path: String, blockSize: Int) -> Bool {
    let expected = Expected(c)
    let context = "\(c.file) (block size \(blockSize)): \(Self.excerpt(path))"
    let got: IOReadResult
    do {
      got = try IORead.csv(path, blockSize: blockSize, delimiter: c.delimiter, header: true)
    } catch {
      XCTFail("\(context): \(error)")
      return false
    }
    var ok = true
    func check(_ same: Bool, _ what: String, _ detail: @autoclosure () -> String) {
      if !same {
        XCTFail("\(context): \(what) differs: \(detail())")
        ok = false
      }
    }
    check(got.rawColumnNames == expected.header, "header", "\(got.rawColumnNames) vs \(expected.header)")
    check(got.rows.count == expected.rows.count, "row count", "\(got.rows.count) vs \(expected.rows.count)")
    for (i, (a, b)) in zip(got.rows, expected.rows).enumerated() where a != b {
      check(false, "row \(i + 1)", "\(Self.show(a)) vs python \(Self.show(b))")
      break
    }
    check(got.lines == expected.lines, "lines", "\(got.lines) vs \(expected.lines)")
    check(got.blankLines == expected.blankLines, "blank lines", "\(got.blankLines) vs \(expected.blankLines)")
    check(
      got.rawRejects.map(\.line) == expected.rejects.map(\.line), "rejected lines",
      "\(got.rawRejects.map(\.line)) vs \(expected.rejects.map(\.line))")
    for (a, b) in zip(got.rawRejects, expected.rejects) {
      check(
        a.fields == b.fields, "fields of the record rejected on line \(a.line)",
        "\(Self.show(a.fields)) vs python \(Self.show(b.fields))")
      check(
        a.reason.contains("never closed") == b.unterminated, "reason on line \(a.line)",
        "\"\(a.reason)\" (unterminated: \(b.unterminated))")
    }
    return ok
  }

  static func show(_ fields: [[UInt8]]) -> String {
    "\(fields.map { String(decoding: $0, as: UTF8.self) })"
  }

  /// The file's text, cut for messages.
  static func excerpt(_ path: String) -> String {
    let bytes = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
    let text = String(decoding: bytes.prefix(400), as: UTF8.self)
    return text.debugDescription + (bytes.count > 400 ? " … (\(bytes.count) bytes)" : "")
  }
}
