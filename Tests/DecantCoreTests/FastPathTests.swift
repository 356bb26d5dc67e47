import XCTest

@testable import DecantCore

/// The shortcuts for common shapes of input give what the general code gives.
final class FastPathTests: XCTestCase {
  private struct Seeded {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 33) % bound
    }
  }

  func testPlainDecimalsReadAsTheGeneralConversionReadsThem() {
    var random = Seeded(state: 5)
    let alphabet = Array("0123456789.-+".utf8)
    var cases = [
      "0", "-0", "+5", ".5", "5.", "-.25", "123456789012345", "1234567890123456", "0.1", "9.99", "1..2", "-",
    ]
    for _ in 0..<20_000 {
      let n = 1 + random.next(18)
      cases.append(
        String(decoding: (0..<n).map { _ in alphabet[random.next(alphabet.count)] }, as: UTF8.self))
      let digits = (0..<(1 + random.next(15))).map { _ in String(random.next(10)) }.joined()
      let point = random.next(digits.count + 1)
      cases.append(String(digits.prefix(point)) + "." + String(digits.dropFirst(point)))
    }
    for text in cases {
      let general = Double(text).flatMap { $0.isFinite ? $0 : nil }
      let fast = Array(text.utf8).withUnsafeBufferPointer { NumberText.plainDecimal($0) }
      if let fast {
        XCTAssertEqual(fast.bitPattern, general?.bitPattern, text)
      }
      let parsed = NumberText.parse(text)
      if let general, NumberText.isDecimal(Array(text.utf8).withUnsafeBufferPointer { $0 }) {
        XCTAssertEqual(parsed?.bitPattern, general.bitPattern, text)
      }
    }
  }

  func testPlainISOTimestampsReadAsTheGeneralParserReadsThem() {
    var random = Seeded(state: 9)
    var cases = [
      "2024-02-29", "2023-02-29", "2024-13-01", "2024-00-10", "2024-01-32", "2024-01-01 24:00:00",
      "2024-01-01T23:59:59", "2024-01-01t00:00:00", "2024-01-01x00:00:00", "2024-1-01 00:00:00",
      "-999-01-01", "+2024-1-01", "2024-01-01 10:00+02", "2024-01-01 00:60:00",
    ]
    let alphabet = Array("0123456789-: T".utf8)
    for _ in 0..<20_000 {
      let base = Array("2024-06-15 12:34:56".utf8)
      var bytes = random.next(2) == 0 ? base : Array(base.prefix(10))
      bytes[random.next(bytes.count)] = alphabet[random.next(alphabet.count)]
      cases.append(String(decoding: bytes, as: UTF8.self))
    }
    for text in cases {
      let bytes = Array(text.utf8)
      let general = bytes.withUnsafeBufferPointer { TimestampFormat.parseISO($0) }
      guard bytes.count == 10 || bytes.count == 19 else { continue }
      let fast = bytes.withUnsafeBufferPointer { TimestampFormat.parsePlainISO($0) }
      if let fast { XCTAssertEqual(fast, general, text) }
      if general != nil && general?.offset == nil && !text.hasPrefix("+") && !text.hasPrefix("-") {
        XCTAssertEqual(fast, general, text)
      }
    }
  }

  func testKeyEqualityAgreesWithByteEquality() {
    var random = Seeded(state: 13)
    for _ in 0..<20_000 {
      let n = random.next(90)
      let a = (0..<n).map { _ in UInt8(random.next(2)) }
      var b = a
      if n > 0 && random.next(2) == 0 { b[random.next(n)] ^= 1 }
      let equal = a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
          ByteKeySet.equal(pa.baseAddress ?? UnsafePointer(bitPattern: 1)!, pb.baseAddress, n)
        }
      }
      XCTAssertEqual(equal, a == b, "\(a) \(b)")
    }
  }

  func testHashSpreadsNearIdenticalKeysOverTheTable() {
    // Sequential ids and every length from 0 to 40: no collisions in 64 bits, and the
    // low bits (the table slot) and top bits (the sketch register) are used evenly.
    var seen = Set<UInt64>()
    var low = [Int](repeating: 0, count: 256)
    var high = [Int](repeating: 0, count: 256)
    var keys = (0..<200_000).map { Array("id-\($0)".utf8) }
    keys += (0...40).map { [UInt8](repeating: 0, count: $0) }
    for key in keys {
      let h = key.withUnsafeBufferPointer { ByteKeySet.hash($0) }
      XCTAssertTrue(seen.insert(h).inserted, "\(key)")
      low[Int(h & 0xFF)] += 1
      high[Int(h >> 56)] += 1
    }
    let expected = Double(keys.count) / 256
    for n in low + high { XCTAssertEqual(Double(n), expected, accuracy: expected * 0.15) }
  }

  func testClassifyingByTheFirstByteAndDateShapeAgreesWithTheFullOrder() {
    // The full order: integer, decimal, boolean, ISO date or datetime, else text.
    func reference(_ b: UnsafeBufferPointer<UInt8>) -> ValueKind {
      if b.isEmpty { return .empty }
      if ValueKind.isInteger(b) { return .integer }
      if NumberText.isDecimal(b) { return .decimal }
      if ValueKind.isBoolean(b) { return .boolean }
      if let t = TimestampFormat.parseISO(b) { return b.count > 10 || t.offset != nil ? .datetime : .date }
      return .text
    }
    var random = Seeded(state: 21)
    let alphabet = Array("0123456789-+.: Tt\tfFeE".utf8) + Array("aRUEslx".utf8)
    var cases = [
      "true", "FALSE", " 12", "\t-3.5", "1e5", "2024-01-01", "2024-01-01 10:00:00", "2024-01-01T10:00Z",
    ]
    cases += ["+2024-01-01", "-12", ".5", "fals", "t", "2024-02-30", "2024-01-01 10:00:00+02:00", "x1"]
    for _ in 0..<30_000 {
      let base = Array(["2024-06-15 12:34:56", "2024-06-15", "12.50", "true", "-7"][random.next(5)].utf8)
      var bytes = base
      for _ in 0..<random.next(3) { bytes[random.next(bytes.count)] = alphabet[random.next(alphabet.count)] }
      cases.append(String(decoding: bytes, as: UTF8.self))
    }
    for text in cases {
      let bytes = Array(text.utf8)
      bytes.withUnsafeBufferPointer { b in
        XCTAssertEqual(ValueKind.classify(b), reference(b), text)
      }
    }
  }
}
