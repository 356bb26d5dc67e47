import Foundation
import XCTest

@testable import DecantCore

final class ProfileTests: XCTestCase {
  /// Deterministic values: a sorted run of 250,000 where the first 100,000 are all small.
  private func sortedValues() -> [Double] {
    var out: [Double] = []
    for i in 0..<250_000 {
      let v: Double = i < 100_000 ? Double(i % 1000) / 10 : Double(100 + i - 100_000) / 3
      out.append(v)
    }
    return out.sorted()
  }

  private func profile(_ rows: [[String]], names: [String], chunk: Int = 10_000) -> [ColumnProfile] {
    let profiler = ColumnProfiler(names: names)
    var start = 0
    while start < rows.count {
      let end = min(rows.count, start + chunk)
      profiler.add(makeBatch(Array(rows[start..<end]), columnCount: names.count))
      start = end
    }
    return profiler.finish()
  }

  func testHistogramCountsEveryValueOfASortedColumn() throws {
    let n = 250_000
    let rows = (1...n).map { [String($0)] }
    let p = profile(rows, names: ["id"])[0]
    XCTAssertEqual(p.histogram.reduce(0, +), n)
    XCTAssertEqual(p.min, "1")
    XCTAssertEqual(p.max, "250000")
    // Each tenth of the range holds a tenth of the values, the last ones included.
    for count in p.histogram {
      XCTAssertEqual(Double(count), Double(n) / 10, accuracy: Double(n) / 10 * 0.01)
    }
    XCTAssertEqual(p.mean!, 125_000.5, accuracy: 1e-9)
    XCTAssertFalse(p.figuresExact)
  }

  private func pythonReference(_ values: [Double]) throws -> [String: Any] {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("profile-\(UUID()).txt")
    try values.map { "\($0)" }.joined(separator: "\n").write(to: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: path) }
    let script = """
      import json, statistics, sys
      from decimal import Decimal
      xs = [float(l) for l in open(sys.argv[1])]
      q = statistics.quantiles(xs, n=100, method='inclusive')
      p = {'p1': q[0], 'p25': q[24], 'p50': q[49], 'p75': q[74], 'p99': q[98]}
      iqr = p['p75'] - p['p25']
      out = sum(1 for x in xs if x < p['p25'] - 1.5 * iqr or x > p['p75'] + 1.5 * iqr)
      mean = float(sum(Decimal(repr(x)) for x in xs) / len(xs))
      lo, hi = min(xs), max(xs)
      h = [0] * 10
      for x in xs: h[min(9, int((x - lo) / (hi - lo) * 10))] += 1
      print(json.dumps({'p': p, 'mean': mean, 'stdev': statistics.stdev(xs), 'outliers': out, 'hist': h}))
      """
    let data = try Python.run(["-c", script, path.path])
    return try JSONSerialization.jsonObject(with: data) as! [String: Any]
  }

  private func check(
    _ values: [Double], tolerance: Double, file: StaticString = #filePath, line: UInt = #line
  )
    throws
  {
    let p = profile(values.map { ["\($0)"] }, names: ["x"])[0]
    let ref = try pythonReference(values)
    let refP = ref["p"] as! [String: Double]
    for (i, key) in ["p1", "p25", "p50", "p75", "p99"].enumerated() {
      XCTAssertEqual(
        p.percentiles[i], refP[key]!, accuracy: max(tolerance, 1e-9), key, file: file, line: line)
    }
    XCTAssertEqual(
      p.mean!, ref["mean"] as! Double, accuracy: 1e-9 * max(1, abs(p.mean!)), file: file, line: line)
    XCTAssertEqual(p.stddev!, ref["stdev"] as! Double, accuracy: 1e-9 * p.stddev!, file: file, line: line)
    let hist = ref["hist"] as! [Int]
    XCTAssertEqual(p.histogram.reduce(0, +), values.count, file: file, line: line)
    if tolerance == 0 {
      XCTAssertEqual(p.histogram, hist, file: file, line: line)
      XCTAssertEqual(p.outliers, ref["outliers"] as? Int, file: file, line: line)
    } else {
      for (a, b) in zip(p.histogram, hist) {
        XCTAssertEqual(Double(a), Double(b), accuracy: Double(values.count) * 0.005, file: file, line: line)
      }
    }
  }

  func testSmallColumnFiguresAreExactAgainstPython() throws {
    var state: UInt64 = 42
    let values = (0..<5000).map { _ -> Double in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(Int(state >> 40) % 100_000) / 100 - 300
    }
    try check(values + [5000, -9000], tolerance: 0)
  }

  func testLargeSortedColumnFiguresMatchPythonWithinTheGridBound() throws {
    let values = sortedValues()
    let span = values.last! - values.first!
    try check(values, tolerance: 2 * span / Double(NumberSummary.gridBins))
  }

  func testMergedProfilersGiveTheFiguresOfOne() {
    for values in [(0..<5000).map { Double(($0 * 7919) % 5000) / 4 }, sortedValues()] {
      let rows = values.map { ["\($0)", $0 < 100 ? "a" : "bb"] }
      let one = profile(rows, names: ["x", "t"])
      let parts = (0..<3).map { _ in ColumnProfiler(names: ["x", "t"]) }
      var start = 0
      var k = 0
      while start < rows.count {
        let end = min(rows.count, start + 7000)
        parts[k % 3].add(makeBatch(Array(rows[start..<end]), columnCount: 2))
        start = end
        k += 1
      }
      parts[0].merge(parts[1])
      parts[0].merge(parts[2])
      let merged = parts[0].finish()
      XCTAssertEqual(merged[0].count, one[0].count)
      XCTAssertEqual(merged[0].min, one[0].min)
      XCTAssertEqual(merged[0].max, one[0].max)
      XCTAssertEqual(merged[0].distinct, one[0].distinct)
      XCTAssertEqual(merged[0].mean!, one[0].mean!, accuracy: 1e-9 * max(1, abs(one[0].mean!)))
      XCTAssertEqual(merged[0].stddev!, one[0].stddev!, accuracy: 1e-9 * one[0].stddev!)
      XCTAssertEqual(merged[0].histogram.reduce(0, +), values.count)
      let span = values.max()! - values.min()!
      let bound = one[0].figuresExact ? 1e-9 : 3 * span / Double(NumberSummary.gridBins)
      for (a, b) in zip(merged[0].percentiles, one[0].percentiles) {
        XCTAssertEqual(a, b, accuracy: 2 * bound)
      }
      XCTAssertEqual(merged[1].top.map(\.count), one[1].top.map(\.count))
      XCTAssertEqual(merged[1].lengths?.max, 2)
      XCTAssertEqual(merged[1].lengths!.mean, one[1].lengths!.mean, accuracy: 1e-12)
    }
  }

  func testTextLengthsAndOtherTypeCount() {
    let rows = [["héllo"], ["ab"], ["日本語テキスト"], ["12"], ["x"], ["yy"], ["zzz"], ["ww"], ["vv"], ["uu"]]
    let p = profile(rows, names: ["t"])[0]
    XCTAssertEqual(p.kind, .text)
    XCTAssertEqual(p.lengths?.min, 1)
    XCTAssertEqual(p.lengths?.max, 7)
    XCTAssertEqual(p.lengths!.mean, Double(5 + 2 + 7 + 2 + 1 + 2 + 3 + 2 + 2 + 2) / 10, accuracy: 1e-12)
    let numbers = profile((1...19).map { [String($0)] } + [["n/a"]], names: ["n"])[0]
    XCTAssertEqual(numbers.kind, .integer)
    XCTAssertEqual(numbers.otherTypeCount, 1)
  }
}
