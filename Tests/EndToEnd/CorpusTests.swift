import Foundation
import XCTest

/// Every case of the bad-input corpus (`corpus/cases.json`) run through the
/// built binary: the exit code, the output bytes, every rejected row (line,
/// step, fields, reason), blank lines, and stderr; a failing case writes nothing.
final class CorpusTests: XCTestCase {
  func testEveryCorpusCaseHasItsExpectedOutcome() throws {
    let cases = try Corpus.cases()
    XCTAssertGreaterThanOrEqual(cases.count, 30)
    for c in cases {
      do { try check(c) } catch { XCTFail("\(c.name): \(error)") }
    }
  }

  func testTheManifestNamesEveryFixtureAndEveryCaseNameOnce() throws {
    let cases = try Corpus.cases()
    XCTAssertEqual(Set(cases.map(\.name)).count, cases.count, "case names must be unique")
    var used = Set<String>()
    for c in cases {
      if case .file(let name) = c.input {
        used.insert(name)
        XCTAssertTrue(Corpus.directory.appendingPathComponent(name).exists, "\(c.name): no fixture \(name)")
      }
    }
    let fixtures = try FileManager.default.contentsOfDirectory(atPath: Corpus.directory.path).filter {
      !["cases.json", "make_corpus.py"].contains($0)
    }
    XCTAssertEqual(Set(fixtures).subtracting(used), [], "fixtures no case uses")
  }

  func check(_ c: Corpus.Case) throws {
    let tmp = try DecantProcess.temporaryDirectory(self)
    let recipe = tmp.file("r.json")
    try c.recipe.write(to: recipe)
    let input = try c.inputPath(in: tmp)
    let before = try FileManager.default.contentsOfDirectory(atPath: tmp.path).sorted()
    let out = tmp.file("out.data")
    let report = tmp.file("report.json")
    let rejects = tmp.file("out.data.rejects.csv")
    let r = try DecantProcess.run(
      ["run", recipe.path, input, "-o", out.path, "--report", report.path] + c.args, in: tmp)
    let label = c.name
    XCTAssertEqual(r.status, c.status, "\(label): exit code; stderr: \(r.stderr)")
    for text in c.stderrContains {
      let wanted = text.replacingOccurrences(of: "{input}", with: input)
      XCTAssertTrue(
        r.stderr.contains(wanted), "\(label): stderr lacks \(wanted.debugDescription): \(r.stderr)")
    }
    if c.status != 0 {
      XCTAssertEqual(
        try FileManager.default.contentsOfDirectory(atPath: tmp.path).sorted(), before,
        "\(label): a failed run must write nothing")
      return
    }

    // The output.
    let written = try [UInt8](Data(contentsOf: out))
    switch c.output {
    case .bytes(let expected)?:
      assertSameBytes(written, expected, "\(label): output")
    case .jsonl(let expected)?:
      let lines = written.split(separator: 10).map { Data($0) }
      XCTAssertEqual(written.last, 10, "\(label): JSON Lines output ends with a line end")
      XCTAssertEqual(lines.count, expected.count, "\(label): JSON Lines output rows")
      for (line, object) in zip(lines, expected) {
        let actual = try JSONSerialization.jsonObject(with: line, options: [.fragmentsAllowed])
        XCTAssertEqual(
          actual as? NSObject, object as? NSObject,
          "\(label): \(String(decoding: line, as: UTF8.self))")
      }
    case nil:
      XCTFail("\(label): no expected output")
    }

    // The rejects file: only when something was rejected, every row as expected.
    if c.rejects.isEmpty {
      XCTAssertFalse(rejects.exists, "\(label): a rejects file without rejects: \(rejects.text ?? "")")
    } else {
      let rows = DelimitedText.records(try [UInt8](Data(contentsOf: rejects)))
      let header = try XCTUnwrap(c.rejectsHeader)
      XCTAssertEqual(
        rows.first?.fields, header + ["_line", "_step", "_reason"].map { Array($0.utf8) },
        "\(label): rejects header")
      XCTAssertEqual(rows.count - 1, c.rejects.count, "\(label): rejected rows")
      for (row, expected) in zip(rows.dropFirst(), c.rejects) {
        let fields = row.fields
        guard fields.count == header.count + 3 else {
          XCTFail("\(label): a rejects row with \(fields.count) fields, expected \(header.count + 3)")
          continue
        }
        let line = String(decoding: fields[header.count], as: UTF8.self)
        let step = String(decoding: fields[header.count + 1], as: UTF8.self)
        let reason = fields[header.count + 2]
        let at = "\(label), rejected line \(expected.line)"
        XCTAssertEqual(line, String(expected.line), "\(label): _line")
        XCTAssertEqual(step, expected.step, "\(at): _step")
        if let want = expected.fields {
          if Array(fields.prefix(header.count)) != want {
            XCTFail(
              "\(at): fields \(fields.prefix(header.count).map { String(decoding: $0, as: UTF8.self) }.prefix(8)),"
                + " expected \(want.map { String(decoding: $0, as: UTF8.self) }.prefix(8))")
          }
        }
        XCTAssertFalse(reason.isEmpty, "\(at): _reason is empty")
        if let want = expected.reason {
          assertSameBytes(reason, want, "\(at): _reason")
        }
        let reasonText = String(decoding: reason, as: UTF8.self)
        for part in expected.reasonContains {
          XCTAssertTrue(
            reasonText.contains(part), "\(at): _reason \(reasonText.debugDescription) lacks \(part)")
        }
      }
    }

    // Blank lines are counted in the report and the summary.
    let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any]
    XCTAssertEqual(doc?["blank_lines"] as? Int, c.blankLines, "\(label): blank_lines in the report")
  }
}
