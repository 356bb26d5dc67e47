import XCTest

@testable import DecantCore

final class ValueCounterTests: XCTestCase {
  func testCountsEveryDistinctValueInFirstSeenOrderAndTheNullsApart() {
    var state: UInt64 = 17
    let words = [
      "Acme Inc.", "ACME inc", "acme, inc", "Zürich", "NA", "", "🚀", String(repeating: "x", count: 300),
    ]
    var rows: [[String]] = []
    for _ in 0..<20_000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      rows.append([words[Int(state >> 33) % words.count]])
    }
    var counter = ValueCounter()
    for start in stride(from: 0, to: rows.count, by: 3000) {
      counter.add(
        makeBatch(Array(rows[start..<min(rows.count, start + 3000)])), column: 0,
        nullValues: NullValues(["", "NA"]))
    }
    var expected: [String: Int] = [:]
    var order: [String] = []
    for row in rows where row[0] != "" && row[0] != "NA" {
      if expected[row[0]] == nil { order.append(row[0]) }
      expected[row[0], default: 0] += 1
    }
    XCTAssertEqual(counter.values.map(\.value), order)
    XCTAssertEqual(counter.values.map(\.count), order.map { expected[$0]! })
    XCTAssertEqual(counter.nulls, rows.filter { $0[0] == "" || $0[0] == "NA" }.count)
    XCTAssertEqual(counter.rows, rows.count)
  }
}
