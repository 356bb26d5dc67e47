import XCTest

@testable import DecantCore

final class ByteKeySetTests: XCTestCase {
  func insert(_ set: inout ByteKeySet, _ bytes: [UInt8]) -> (index: Int, inserted: Bool) {
    bytes.withUnsafeBufferPointer { set.findOrInsert($0) }
  }

  func testKeysAreFoundAgainAcrossGrowthAndPageBoundaries() {
    var set = ByteKeySet(capacity: 4)
    // 300k keys of varied lengths fill several 1 MiB pages and force many rehashes.
    var rng = SplitMix64(seed: 11)
    var keys: [[UInt8]] = []
    for i in 0..<300_000 {
      let length = Int(rng.next() % 40)
      keys.append(Array("k\(i)-".utf8) + (0..<length).map { _ in UInt8(rng.next() % 256) })
    }
    for (i, key) in keys.enumerated() {
      let r = insert(&set, key)
      XCTAssertTrue(r.inserted)
      XCTAssertEqual(r.index, i)
    }
    XCTAssertEqual(set.count, keys.count)
    for (i, key) in keys.enumerated() where i % 7 == 0 {
      let r = insert(&set, key)
      XCTAssertFalse(r.inserted, "key \(i) was lost")
      XCTAssertEqual(r.index, i)
      XCTAssertEqual(set.key(at: i), key)
    }
  }

  func testEmptyKeysAndKeysLargerThanAPage() {
    var set = ByteKeySet()
    let big = [UInt8](repeating: 7, count: (1 << 20) + 5)
    XCTAssertTrue(insert(&set, []).inserted)
    XCTAssertTrue(insert(&set, big).inserted)
    XCTAssertTrue(insert(&set, [7]).inserted)
    XCTAssertFalse(insert(&set, []).inserted)
    XCTAssertFalse(insert(&set, big).inserted)
    var bigger = big
    bigger.append(7)
    XCTAssertTrue(insert(&set, bigger).inserted)
    XCTAssertEqual(set.key(at: 1), big)
    XCTAssertEqual(set.key(at: 0), [])
    XCTAssertEqual(set.count, 4)
  }

  func testReserveKeepsExistingKeys() {
    var set = ByteKeySet(capacity: 2, tracksIndexes: false)
    for i in 0..<100 { _ = insert(&set, Array("\(i)".utf8)) }
    set.reserve(1_000_000)
    for i in 0..<100 { XCTAssertFalse(insert(&set, Array("\(i)".utf8)).inserted) }
    XCTAssertTrue(insert(&set, Array("100".utf8)).inserted)
    XCTAssertGreaterThanOrEqual(set.byteCount, 1_000_000 * 8)
  }
}
