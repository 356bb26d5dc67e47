import Foundation
import XCTest

/// Each folder in `golden/` holds `case.json` (recipe, input, extra arguments),
/// `expected.csv` and `expected-counts.json`, computed independently of Decant.
final class GoldenRunTests: XCTestCase {
  static let goldenDirectory = DecantProcess.root.appendingPathComponent("Tests/EndToEnd/golden")

  struct Case: Decodable {
    var recipe: String
    var input: String
    var args: [String]
  }

  func cases() throws -> [(String, URL, Case)] {
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.goldenDirectory.path).sorted()
    return try names.map { name in
      let dir = Self.goldenDirectory.appendingPathComponent(name)
      let c = try JSONDecoder().decode(Case.self, from: Data(contentsOf: dir.file("case.json")))
      return (name, dir, c)
    }
  }

  func testEveryGoldenCaseGivesTheExpectedOutputAndCounts() throws {
    let all = try cases()
    XCTAssertGreaterThanOrEqual(all.count, 3)
    for (name, dir, c) in all {
      let tmp = try DecantProcess.temporaryDirectory(self)
      let out = tmp.file("out.csv")
      let report = tmp.file("report.json")
      let result = try DecantProcess.run(
        ["run", c.recipe, c.input, "-o", out.path, "--report", report.path] + c.args)
      XCTAssertEqual(result.status, 0, "\(name): \(result.stderr)")
      XCTAssertEqual(out.text, dir.file("expected.csv").text, "\(name): output differs from expected.csv")

      let expected =
        try JSONSerialization.jsonObject(with: Data(contentsOf: dir.file("expected-counts.json")))
        as! [String: Any]
      let actual = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as! [String: Any]
      for key in ["rows_in", "rows_out", "rows_removed", "rows_rejected", "blank_lines"] {
        XCTAssertEqual(actual[key] as? Int, expected[key] as? Int, "\(name): \(key)")
      }
      // Row accounting, for the run and every step.
      let rowsIn = actual["rows_in"] as! Int
      XCTAssertEqual(
        rowsIn,
        (actual["rows_out"] as! Int) + (actual["rows_removed"] as! Int) + (actual["rows_rejected"] as! Int))
      for step in actual["steps"] as! [[String: Any]] {
        XCTAssertEqual(
          step["rows_in"] as! Int,
          (step["rows_out"] as! Int) + (step["rows_removed"] as! Int) + (step["rows_rejected"] as! Int),
          "\(name): \(step)")
      }
      // The rejects file holds exactly the rejected lines, in the documented layout.
      let expectedLines = (expected["rejected_lines"] as? [Int] ?? []).sorted()
      let rejectsFile = tmp.file("out.csv.rejects.csv")
      if expectedLines.isEmpty {
        XCTAssertFalse(rejectsFile.exists, "\(name): a rejects file without rejects")
      } else {
        let rows = try CSVText.parse(XCTUnwrap(rejectsFile.text))
        let header = rows[0]
        XCTAssertEqual(Array(header.suffix(3)), ["_line", "_step", "_reason"])
        let lines = rows.dropFirst().map { Int($0[header.count - 3])! }.sorted()
        XCTAssertEqual(lines, expectedLines, "\(name): rejected lines")
        for row in rows.dropFirst() {
          XCTAssertFalse(row[header.count - 1].isEmpty, "\(name): reason missing")
        }
        if let details = expected["rejects"] as? [[String: Any]] {
          let steps = Dictionary(
            uniqueKeysWithValues: rows.dropFirst().map { (Int($0[header.count - 3])!, $0[header.count - 2]) })
          for d in details {
            XCTAssertEqual(
              steps[d["_line"] as! Int], d["_step"] as? String, "\(name): step of line \(d["_line"]!)")
          }
        }
      }
    }
  }
}

/// A small RFC 4180 parser for checking files in tests (independent of the engine's reader).
enum CSVText {
  static func parse(_ text: String, delimiter: Character = ",") throws -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var inQuotes = false
    var chars = Array(text)
    var i = 0
    if chars.last != "\n" { chars.append("\n") }
    while i < chars.count {
      let c = chars[i]
      if inQuotes {
        if c == "\"" {
          if i + 1 < chars.count && chars[i + 1] == "\"" {
            field.append("\"")
            i += 1
          } else {
            inQuotes = false
          }
        } else {
          field.append(c)
        }
      } else if c == "\"" && field.isEmpty {
        inQuotes = true
      } else if c == delimiter {
        row.append(field)
        field = ""
      } else if c == "\n" {
        row.append(field)
        rows.append(row)
        row = []
        field = ""
      } else {
        field.append(c)
      }
      i += 1
    }
    return rows
  }
}
