import Foundation
import XCTest

/// `decant profile --html`: the page is written safely, and a real browser (headless
/// Chromium from Debian, installed by scripts/setup) renders it and reads it back.
final class ProfileHTMLPageTests: XCTestCase {
  /// 40 rows: a numeric column first (its histogram is on the first screen), a text column
  /// whose top value is Paris (19 times), a column name and values that are markup, and a
  /// column that is all null.
  private func writeInput(in dir: URL) throws -> URL {
    var lines = ["amount,city,\"note <b>&amp;\",empty"]
    let cities = ["Paris", "Oslo", "Lima", "Zürich"]
    let notes = [
      "<script>alert(1)</script>", "שלום עולם", "a & b", "\"quoted\"", String(repeating: "long ", count: 40),
    ]
    for i in 0..<40 {
      let city = i % 7 < 3 || i == 39 ? "Paris" : cities[1 + i % 3]
      let note = notes[i % notes.count].replacingOccurrences(of: "\"", with: "\"\"")
      lines.append("\(Double(i * i) / 4),\(city),\"\(note)\",")
    }
    let input = dir.file("in.csv")
    try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
    return input
  }

  func testProfileHTMLWritesThePageSafelyAndCombinesWithJSON() throws {
    let dir = try DecantProcess.temporaryDirectory(self)
    let input = try writeInput(in: dir)
    let before = try Data(contentsOf: input)

    let r = try DecantProcess.run(["profile", "--html", "report.html", "in.csv"], in: dir)
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertEqual(r.stderr, "decant: profile report written to report.html\n")
    XCTAssertEqual(r.stdoutText, "", "the page replaces the text profile")
    let page = try XCTUnwrap(dir.file("report.html").text)
    XCTAssertTrue(page.hasPrefix("<!DOCTYPE html>"))
    XCTAssertTrue(page.contains("<title>Profile of in.csv</title>"))
    // Only the page is left: no temporary files beside it.
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["in.csv", "report.html"])

    // With --json the JSON still goes to stdout, the message to stderr.
    let both = try DecantProcess.run(["profile", "in.csv", "--json", "--html=again.html"], in: dir)
    XCTAssertEqual(both.status, 0, both.stderr)
    let doc = try JSONSerialization.jsonObject(with: both.stdout) as! [String: Any]
    XCTAssertEqual(doc["rows"] as? Int, 40)
    XCTAssertEqual(dir.file("again.html").text, page)

    // `--html -` writes the page to stdout, so it cannot share it with --json.
    let out = try DecantProcess.run(["profile", "in.csv", "--html", "-"], in: dir)
    XCTAssertEqual(out.status, 0, out.stderr)
    XCTAssertEqual(out.stdoutText, page)
    let clash = try DecantProcess.run(["profile", "in.csv", "--html", "-", "--json"], in: dir)
    XCTAssertEqual(clash.status, 2)
    XCTAssertTrue(clash.stderr.contains("both write to stdout"), clash.stderr)

    // Never over the input (also through another name for it), never into a missing directory.
    for target in ["in.csv", "./in.csv"] {
      let refused = try DecantProcess.run(["profile", "in.csv", "--html", target], in: dir)
      XCTAssertEqual(refused.status, 4, refused.stderr)
      XCTAssertTrue(refused.stderr.contains("never overwrites its input"), refused.stderr)
    }
    XCTAssertEqual(try Data(contentsOf: input), before)
    let missing = try DecantProcess.run(["profile", "in.csv", "--html", "no/such/dir/r.html"], in: dir)
    XCTAssertEqual(missing.status, 4, missing.stderr)
    XCTAssertTrue(missing.stderr.contains("cannot create the report"), missing.stderr)
    let noValue = try DecantProcess.run(["profile", "in.csv", "--html"], in: dir)
    XCTAssertEqual(noValue.status, 2)
  }

  /// Two Chromium launches: a screenshot (checked to be a real rendering with the page's
  /// header and histogram colours) and the DOM as the browser parsed it.
  func testProfileHTMLPageRendersInAHeadlessBrowser() throws {
    let chromium = try XCTUnwrap(
      Tools.find(["chromium", "chromium-browser"]),
      "chromium is not installed; run scripts/setup (it installs Debian's chromium), then swift test again")
    let dir = try DecantProcess.temporaryDirectory(self)
    _ = try writeInput(in: dir)
    let r = try DecantProcess.run(["profile", "--html", "report.html", "in.csv"], in: dir)
    XCTAssertEqual(r.status, 0, r.stderr)
    let url = dir.file("report.html").absoluteString
    let common = [
      "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(dir.file("chromium-profile").path)",
    ]

    let png = dir.file("report.png")
    let shot = try Tools.run(
      chromium, common + ["--screenshot=\(png.path)", "--window-size=1200,2000", url], timeout: 180)
    XCTAssertEqual(shot.status, 0, shot.stderr)
    let image = try pngFacts(png)
    XCTAssertEqual(image.width, 1200)
    XCTAssertEqual(image.height, 2000)
    XCTAssertGreaterThan(image.colours, 50, "a page with text and charts has many colours")
    XCTAssertLessThan(image.largestShare, 0.9, "the screenshot is nearly one flat colour")
    XCTAssertGreaterThan(image.pixels["1e293b"] ?? 0, 20_000, "the page header is not drawn")
    XCTAssertGreaterThan(image.pixels["4f46e5"] ?? 0, 2_000, "the histogram bars (inline SVG) are not drawn")
    XCTAssertGreaterThan(image.pixels["2f6fdb"] ?? 0, 2_000, "the top-value bars are not drawn")

    let dom = try Tools.run(chromium, common + ["--dump-dom", url], timeout: 180)
    XCTAssertEqual(dom.status, 0, dom.stderr)
    let html = dom.stdout
    XCTAssertTrue(html.contains("<svg class=\"histogram\""), "no histogram in the DOM")
    XCTAssertEqual(html.components(separatedBy: "<section class=\"card column\"").count - 1, 4)
    XCTAssertEqual(html.components(separatedBy: "<rect class=\"bar\"").count - 1, 10)
    XCTAssertNil(html.range(of: "<script", options: .caseInsensitive), "a value became a script element")
    let text = visibleText(html)
    for expected in [
      "in.csv", "Rows", "40", "Columns", "Rejected records",
      "amount", "city", "note <b>&", "empty",
      "Paris", "19 (47.5%)", "Distinct", "Every value of this column is null.",
      "<script>alert(1)</script>", "שלום עולם", "\"quoted\"", "p50", "max per bucket",
    ] {
      XCTAssertTrue(text.contains(expected), "the page as the browser reads it lacks \(expected)")
    }
  }

  // MARK: - Helpers

  /// The text of a serialized DOM: tags dropped, runs of white space made one space, the
  /// references HTML serialization uses read.
  private func visibleText(_ html: String) -> String {
    var text = html.replacingOccurrences(of: "<style>[^<]*</style>", with: "", options: .regularExpression)
    text = text.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
    text = text.replacingOccurrences(of: "\\s+", with: " ", options: .regularExpression)
    for (reference, character) in [
      ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&nbsp;", " "), ("&amp;", "&"),
    ] {
      text = text.replacingOccurrences(of: reference, with: character)
    }
    return text
  }

  private struct Image {
    var width = 0
    var height = 0
    var colours = 0
    var largestShare = 1.0
    /// Pixels of a few colours (hex RGB).
    var pixels: [String: Int] = [:]
  }

  /// Decodes the screenshot with python3 (8-bit RGB or RGBA, not interlaced, as Chromium writes it).
  private func pngFacts(_ png: URL) throws -> Image {
    let attributes = try FileManager.default.attributesOfItem(atPath: png.path)
    XCTAssertGreaterThan(attributes[.size] as? Int ?? 0, 10_000, "the screenshot is suspiciously small")
    let python = try XCTUnwrap(Tools.find(["python3"]), "python3 is not installed; run scripts/setup")
    let r = try Tools.run(python, ["-c", pngScript, png.path], timeout: 120)
    XCTAssertEqual(r.status, 0, r.stderr)
    let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    return Image(
      width: doc["width"] as? Int ?? 0, height: doc["height"] as? Int ?? 0,
      colours: doc["colours"] as? Int ?? 0,
      largestShare: doc["largest_share"] as? Double ?? 1, pixels: doc["pixels"] as? [String: Int] ?? [:])
  }

  private let pngScript = """
    import json, struct, sys, zlib
    from collections import Counter
    data = open(sys.argv[1], 'rb').read()
    assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n', 'not a PNG file'
    pos, idat, ihdr = 8, [], None
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR': ihdr = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT': idat.append(body)
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = ihdr
    assert depth == 8 and ctype in (2, 6) and interlace == 0, 'unexpected PNG layout %r' % (ihdr,)
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(b''.join(idat))
    stride = w * bpp
    prev = bytearray(stride)
    counts = Counter()
    for y in range(h):
        f = raw[y * (stride + 1)]
        row = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride): row[i] = (row[i] + row[i - bpp]) & 255
        elif f == 2:
            row = bytearray((a + b) & 255 for a, b in zip(row, prev))
        elif f == 3:
            for i in range(stride):
                left = row[i - bpp] if i >= bpp else 0
                row[i] = (row[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = row[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        counts.update(bytes(row[i:i + 3]).hex() for i in range(0, stride, bpp))
        prev = row
    print(json.dumps({
        'width': w, 'height': h, 'colours': len(counts),
        'largest_share': counts.most_common(1)[0][1] / (w * h),
        'pixels': {c: counts[c] for c in ('1e293b', '4f46e5', '2f6fdb')},
    }))
    """
}

/// Finding and running the other programs an end-to-end test needs.
enum Tools {
  /// The first of `names` found on PATH (or in /usr/bin).
  static func find(_ names: [String]) -> URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    let dirs = path.split(separator: ":").map(String.init) + ["/usr/bin"]
    for name in names {
      for dir in dirs where FileManager.default.isExecutableFile(atPath: dir + "/" + name) {
        return URL(fileURLWithPath: dir + "/" + name)
      }
    }
    return nil
  }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs a program to its end, or stops it after `timeout` seconds (then fails).
  static func run(_ program: URL, _ args: [String], timeout: TimeInterval) throws -> Result {
    let p = Process()
    p.executableURL = program
    p.arguments = args
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    nonisolated(unsafe) var errData = Data()
    nonisolated(unsafe) var outData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    group.enter()
    DispatchQueue.global().async {
      outData = out.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    if group.wait(timeout: .now() + timeout) == .timedOut {
      p.terminate()
      p.waitUntilExit()
      XCTFail("\(program.lastPathComponent) did not finish within \(Int(timeout)) s")
      return Result(status: -1, stdout: "", stderr: "timed out")
    }
    p.waitUntilExit()
    return Result(
      status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}
