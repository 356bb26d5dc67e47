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

  /// A linear congruential generator, so the tests' data is the same on every run.
  private struct Seeded {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 33) % bound
    }
  }

  func testFewDistinctNumbersGiveExactFiguresAtAnyRowCount() throws {
    // 300,000 values but only 2,000 distinct ones: each distinct value is weighed by
    // its count, so the figures stay exact (the values alone would overflow the grid).
    var random = Seeded(state: 7)
    let values = (0..<300_000).map { _ in Double(random.next(2000)) / 4 - 100 }
    let p = profile(values.map { ["\($0)"] }, names: ["x"])[0]
    XCTAssertTrue(p.figuresExact)
    XCTAssertTrue(p.distinctIsExact)
    XCTAssertEqual(p.distinct, Set(values).count)
    try check(values, tolerance: 0)
  }

  func testDistinctBeyondTheLimitIsEstimatedWithinTwoPercent() {
    // 60,000 distinct values through a set that holds 1,000: the sketch estimates them.
    let rows = (0..<90_000).map { ["id-\($0 % 60_000)"] }
    let profiler = ColumnProfiler(names: ["id"], distinctLimit: 1000)
    var start = 0
    while start < rows.count {
      profiler.add(makeBatch(Array(rows[start..<min(rows.count, start + 5000)])))
      start += 5000
    }
    let p = profiler.finish()[0]
    XCTAssertFalse(p.distinctIsExact)
    XCTAssertFalse(p.topIsExact)
    XCTAssertEqual(Double(p.distinct), 60_000, accuracy: 60_000 * 0.02)
    XCTAssertEqual(p.count, 90_000)
    XCTAssertEqual(p.lengths?.max, 8)
    XCTAssertEqual(p.min, "id-0")
    XCTAssertEqual(p.max, "id-9999")
  }

  func testAFrequentValueKeepsItsExactCountWhenMostValuesAreUnique() {
    // The set fills with unique ids and shrinks to its most frequent values; "hot",
    // counted from its first row, keeps an exact count, and every other figure
    // still covers every row.
    var rows: [[String]] = []
    for i in 0..<50_000 { rows.append([i % 10 == 0 ? "hot" : "u\(i)"]) }
    let profiler = ColumnProfiler(names: ["v"], distinctLimit: 2000)
    var start = 0
    while start < rows.count {
      profiler.add(makeBatch(Array(rows[start..<min(rows.count, start + 3000)])))
      start += 3000
    }
    let merged = ColumnProfiler(names: ["v"], distinctLimit: 2000)
    merged.merge(profiler)
    for p in [profiler.finish()[0], merged.finish()[0]] {
      XCTAssertEqual(p.top.first?.value, "hot")
      XCTAssertEqual(p.top.first?.count, 5000)
      XCTAssertEqual(p.count, 50_000)
      XCTAssertEqual(p.lengths?.min, 2)
      XCTAssertEqual(p.lengths?.max, 6)
      XCTAssertEqual(Double(p.distinct), 45_001, accuracy: 45_001 * 0.02)
    }
  }

  func testDateAndDatetimeColumnsGetAHistogramAndPercentilesOfAllValues() throws {
    // Sorted by time, as log files are: the profile covers every month, not the first rows.
    let start = 1_672_531_200  // 2023-01-01T00:00:00Z
    let times = (0..<240_000).map { start + $0 * 131 }
    let rows = times.map { t -> [String] in
      let c = CivilDateTime(localSeconds: Int64(t))
      let text = String(
        format: "%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day, c.hour, c.minute, c.second)
      return [text, String(text.prefix(10))]
    }
    let p = profile(rows, names: ["at", "day"])
    XCTAssertEqual(p[0].kind, .datetime)
    XCTAssertEqual(p[0].min, rows.first![0])
    XCTAssertEqual(p[0].max, rows.last![0])
    XCTAssertEqual(p[0].histogram.reduce(0, +), rows.count)
    XCTAssertEqual(p[1].kind, .date)
    XCTAssertEqual(p[1].histogram.reduce(0, +), rows.count)
    let script = """
      import json, statistics, sys
      from datetime import datetime, timezone
      ts = [%d + i * 131 for i in range(240000)]
      q = statistics.quantiles(ts, n=100, method='inclusive')
      fmt = lambda s: datetime.fromtimestamp(int(s), timezone.utc).strftime('%%Y-%%m-%%d %%H:%%M:%%S')
      lo, hi = min(ts), max(ts)
      h = [0] * 10
      for t in ts: h[min(9, int((t - lo) / (hi - lo) * 10))] += 1
      print(json.dumps({'p': [fmt(q[i]) for i in (0, 24, 49, 74, 98)], 'hist': h}))
      """
    let ref =
      try JSONSerialization.jsonObject(with: Python.run(["-c", String(format: script, start)]))
      as! [String: Any]
    let hist = ref["hist"] as! [Int]
    for (a, b) in zip(p[0].histogram, hist) {
      XCTAssertEqual(Double(a), Double(b), accuracy: Double(rows.count) * 0.005)
    }
    // The grid holds each value within 0.1% of the range (about 9 hours here).
    let span = Double(times.last! - times.first!)
    for (ours, theirs) in zip(p[0].percentileTexts, ref["p"] as! [String]) {
      let a = TimestampFormat.parseISO(Array(ours.utf8).withUnsafeBufferPointer { $0 })!
      let b = TimestampFormat.parseISO(Array(theirs.utf8).withUnsafeBufferPointer { $0 })!
      XCTAssertEqual(Double(a.localSeconds), Double(b.localSeconds), accuracy: span * 0.002, ours)
    }
    XCTAssertTrue(p[1].percentileTexts.allSatisfy { $0.count == 10 })
    XCTAssertNil(p[0].mean)
  }

  func testProfilingOnSeveralWorkersGivesTheSameFiguresAsOne() throws {
    var random = Seeded(state: 11)
    var text = "id,amount,country,when\n"
    for i in 0..<60_000 {
      let amount = random.next(10) == 0 ? "" : String(format: "%.2f", Double(random.next(100_000)) / 100)
      let when = String(format: "2024-%02d-%02d", 1 + random.next(12), 1 + random.next(28))
      text += "r\(i),\(amount),\(["FR", "DE", "NA", "US"][random.next(4)]),\(when)\n"
    }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("profile-\(UUID()).csv").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    func read(_ workers: Int) throws -> [JSONValue] {
      let reader = try InputOpener(path: path, settings: InputSettings()).open()
      return try FileProfile.read(reader, nullValues: NullValues(), workers: workers).columns.map(\.json)
    }
    let one = try read(1)
    XCTAssertEqual(try read(3).map(\.compactText), one.map(\.compactText))
    XCTAssertEqual(try read(3).map(\.compactText), try read(3).map(\.compactText))
  }

  func testCodePointsCountsWhatSwiftCounts() {
    for text in ["", "a", "héllo wörld", "日本語テキストとカタカナ", "🚀 launch 👩‍👩‍👧", String(repeating: "é", count: 37)] {
      let n = Array(text.utf8).withUnsafeBufferPointer { ValueStats.codePoints($0) }
      XCTAssertEqual(n, text.unicodeScalars.count, text)
    }
  }

  func testByteOrderComparisonAgreesWithArrayOrder() {
    var random = Seeded(state: 3)
    for _ in 0..<5000 {
      let a = (0..<random.next(20)).map { _ in UInt8(random.next(3) + 97) }
      let b = (0..<random.next(20)).map { _ in UInt8(random.next(3) + 97) }
      let c = a.withUnsafeBufferPointer { ValueStats.compare($0, b) }
      XCTAssertEqual(c < 0, a.lexicographicallyPrecedes(b), "\(a) \(b)")
      XCTAssertEqual(c == 0, a == b, "\(a) \(b)")
    }
  }

  func testSketchEstimatesFromAFewValuesToAMillionWithinThreePercent() {
    for n in [0, 1, 10, 1000, 20_000, 50_000, 200_000, 1_000_000] {
      var sketch = DistinctSketch()
      for i in 0..<n {
        // Each value twice: repeats do not count.
        for _ in 0..<2 {
          let h = Array("key-\(i)".utf8).withUnsafeBufferPointer { ByteKeySet.hash($0) }
          sketch.add(hash: h)
        }
      }
      XCTAssertEqual(Double(sketch.estimate), Double(n), accuracy: max(1, Double(n) * 0.03), "\(n)")
    }
  }
}
