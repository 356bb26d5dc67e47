import XCTest

@testable import DecantCore

/// The small building blocks the hot loops rely on, each against a plain Swift
/// version of the same question.
final class LookupAndWordTests: XCTestCase {
  func index(_ lookup: ByteLookup, _ key: [UInt8]) -> Int? {
    key.withUnsafeBufferPointer { lookup.index(of: $0) }
  }

  func testLookupAgreesWithADictionaryForShortAndLongKeys() {
    var rng = SplitMix64(seed: 5)
    // Lengths 0 to 12 cover the packed keys (up to eight bytes) and the byte
    // compared ones; a small alphabet with zero bytes makes near misses common.
    func randomKey() -> [UInt8] {
      let n = Int(rng.next() % 13)
      return (0..<n).map { _ in [0, 1, 65, 97, 0xFF][Int(rng.next() % 5)] }
    }
    for size in [1, 3, 12, 200] {
      let keys = (0..<size).map { _ in randomKey() }
      var expected: [[UInt8]: Int] = [:]
      for (i, k) in keys.enumerated() where expected[k] == nil { expected[k] = i }
      let lookup = ByteLookup(keys)
      for k in keys { XCTAssertEqual(index(lookup, k), expected[k], "\(k)") }
      for _ in 0..<3000 {
        let probe = randomKey()
        XCTAssertEqual(index(lookup, probe), expected[probe], "probe \(probe) among \(size) keys")
      }
    }
  }

  func testPackedKeysOfDifferentLengthsNeverMeet() {
    // "a", "a\0" … "a\0\0\0\0\0\0\0": equal words but for the length byte.
    let keys = (0..<8).map { [UInt8(97)] + [UInt8](repeating: 0, count: $0) }
    let lookup = ByteLookup(keys)
    for (i, k) in keys.enumerated() { XCTAssertEqual(index(lookup, k), i) }
    XCTAssertNil(index(lookup, [97] + [UInt8](repeating: 0, count: 8)))
    XCTAssertNil(index(lookup, []))
    // An eight-byte key whose last byte looks like the length mark of "a".
    let marked: [UInt8] = [97, 0, 0, 0, 0, 0, 0, 1]
    XCTAssertNil(index(lookup, marked))
    let both = ByteLookup([marked, [97]])
    XCTAssertEqual(index(both, marked), 0)
    XCTAssertEqual(index(both, [97]), 1)
    let withEmpty = ByteLookup([[], [0]])
    XCTAssertEqual(index(withEmpty, []), 0)
    XCTAssertEqual(index(withEmpty, [0]), 1)
    XCTAssertNil(index(withEmpty, [0, 0]))
  }

  func testRepeatedKeysKeepTheirFirstIndex() {
    let lookup = ByteLookup(strings: ["NL", "DE", "NL", "a-long-key", "a-long-key"])
    XCTAssertEqual(index(lookup, Array("NL".utf8)), 0)
    XCTAssertEqual(index(lookup, Array("DE".utf8)), 1)
    XCTAssertEqual(index(lookup, Array("a-long-key".utf8)), 3)
    XCTAssertNil(index(lookup, Array("a-long-kez".utf8)))
  }

  func testWordTestAgreesWithAByteLoop() {
    var rng = SplitMix64(seed: 9)
    for (low, count) in [(UInt8(65), UInt8(26)), (97, 26), (1, 127), (48, 10), (127, 1)] {
      for _ in 0..<20000 {
        // Bytes near the range's edges and some above 0x7F.
        var w: UInt64 = 0
        var expected = false
        for i in 0..<8 {
          let pick = rng.next() % 10
          let b: UInt8 =
            pick == 0
            ? UInt8(0x80 + rng.next() % 0x80)
            : pick < 4
              ? UInt8(truncatingIfNeeded: Int(low) - 1 + Int(rng.next() % 3))
              : pick < 7
                ? UInt8(truncatingIfNeeded: Int(low) + Int(count) - 1 + Int(rng.next() % 3))
                : UInt8(rng.next() % 0x80)
          w |= UInt64(b) << (8 * UInt64(i))
          expected = expected || b >= 0x80 || (b >= low && Int(b) < Int(low) + Int(count))
        }
        XCTAssertEqual(
          ASCIIWords.hasNonASCIIOrByte(in: low, count: count, w), expected,
          "word \(String(w, radix: 16)) range \(low)+\(count)")
      }
    }
  }

  func testKeepRowsKeepsTheFlaggedRowsInOrder() {
    var rng = SplitMix64(seed: 3)
    for rows in [0, 1, 2, 7, 64, 1000] {
      let arena = Array((0..<rows).map { UInt8($0 % 200) })
      let cells = (0..<rows).map { Cell(start: $0, length: 1) }
      var batch = Batch(
        arena: arena, columns: [cells, cells.reversed()], lines: Array(stride(from: 1, through: rows, by: 1)))
      let keep = (0..<rows).map { _ in rng.next() % 3 != 0 }
      let kept = keep.indices.filter { keep[$0] }
      batch.keepRows(keep)
      XCTAssertEqual(batch.rowCount, kept.count)
      XCTAssertEqual(batch.lines, kept.map { $0 + 1 })
      XCTAssertEqual(batch.columns[0], kept.map { cells[$0] })
      XCTAssertEqual(batch.columns[1], kept.map { cells.reversed()[$0] })
      XCTAssertEqual(batch.originalColumns[0], kept.map { cells[$0] })
    }
  }
}
