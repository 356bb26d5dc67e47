import Foundation
import XCTest

@testable import DecantCore

/// SHA-256 against the FIPS 180-4 / NIST example vectors, and against Python's
/// `hashlib` on seeded random inputs of every length around the block boundaries.
final class SHA256Tests: XCTestCase {
  func hex(_ text: String) -> String { SHA256.hexDigest(of: Array(text.utf8)) }

  func testNISTVectors() {
    XCTAssertEqual(hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    XCTAssertEqual(hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    // 448 bits: the padding needs a second block.
    XCTAssertEqual(
      hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    // 896 bits.
    XCTAssertEqual(
      hex(
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
      ),
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    XCTAssertEqual(
      SHA256.hexDigest(of: [UInt8](repeating: 0x61, count: 1_000_000)),
      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  func testOneMillionAFedInUnevenPiecesGivesTheSameDigest() {
    let a = [UInt8](repeating: 0x61, count: 1_000_000)
    var s = SHA256()
    var at = 0
    var size = 1
    a.withUnsafeBufferPointer { all in
      while at < all.count {
        let end = min(at + size, all.count)
        s.update(UnsafeBufferPointer(rebasing: all[at..<end]))
        at = end
        size = size % 131 + 7  // 1, 8, 15, … crossing block edges at every offset
      }
    }
    XCTAssertEqual(
      s.finalize().map { String(format: "%02x", $0) }.joined(),
      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  func testAPrefixTakenOnceThenCopiedHashesPrefixPlusValue() {
    for salt in ["", "pepper", String(repeating: "s", count: 64), String(repeating: "s", count: 70)] {
      var salted = SHA256()
      salted.update(Array(salt.utf8))
      for value in ["", "a", String(repeating: "v", count: 100)] {
        var s = salted
        s.update(Array(value.utf8))
        var out = [UInt8](repeating: 0, count: 64)
        out.withUnsafeMutableBufferPointer { s.finalizeHex(into: $0.baseAddress!) }
        XCTAssertEqual(
          String(decoding: out, as: UTF8.self), hex(salt + value), "\(salt.count) + \(value.count)")
      }
    }
  }

  /// 10,000 seeded random inputs of 0 to 10,000 bytes (every length up to 200,
  /// which covers 55, 56, 63, 64, 65, 119, 120, and then random ones), hashed
  /// here in one go and in random pieces, and by `hashlib`.
  func testDigestsAgreeWithPythonHashlib() throws {
    var rng = SplitMix64(seed: 0x5A_256)
    var lengths = Array(0...200) + [255, 256, 257, 511, 512, 513, 1023, 1024, 1025, 4095, 4096, 4097, 10_000]
    while lengths.count < 10_000 { lengths.append(Int.random(in: 0...10_000, using: &rng)) }
    // Random bytes, eight at a time.
    var data = [UInt8](repeating: 0, count: lengths.reduce(0, +))
    data.withUnsafeMutableBytes { bytes in
      for i in stride(from: 0, to: bytes.count, by: 8) {
        var word = rng.next()
        for j in i..<min(i + 8, bytes.count) {
          bytes[j] = UInt8(truncatingIfNeeded: word)
          word >>= 8
        }
      }
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "decant-sha256-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let dataFile = dir.appendingPathComponent("data.bin")
    let lengthsFile = dir.appendingPathComponent("lengths.txt")
    try Data(data).write(to: dataFile)
    try Data(lengths.map(String.init).joined(separator: "\n").utf8).write(to: lengthsFile)
    let script = """
      import hashlib, sys
      data = open(sys.argv[1], 'rb').read()
      at = 0
      for line in open(sys.argv[2]):
          n = int(line)
          print(hashlib.sha256(data[at:at + n]).hexdigest())
          at += n
      """
    let output = try Python.run(["-c", script, dataFile.path, lengthsFile.path])
    let expected = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
    XCTAssertEqual(expected.count, lengths.count)

    var mismatches: [String] = []
    var hexOut = [UInt8](repeating: 0, count: 64)
    data.withUnsafeBufferPointer { all in
      var at = 0
      for (i, n) in lengths.enumerated() {
        let value = UnsafeBufferPointer(rebasing: all[at..<at + n])
        at += n
        hexOut.withUnsafeMutableBufferPointer { SHA256.hexDigest(of: value, into: $0.baseAddress!) }
        let oneShot = String(decoding: hexOut, as: UTF8.self)
        // The same bytes in two random pieces.
        let cut = n == 0 ? 0 : Int.random(in: 0...n, using: &rng)
        var s = SHA256()
        s.update(UnsafeBufferPointer(rebasing: value[0..<cut]))
        s.update(UnsafeBufferPointer(rebasing: value[cut..<n]))
        hexOut.withUnsafeMutableBufferPointer { s.finalizeHex(into: $0.baseAddress!) }
        let pieces = String(decoding: hexOut, as: UTF8.self)
        if i < expected.count && (oneShot != expected[i] || pieces != expected[i]) {
          mismatches.append(
            "input \(i) (\(n) bytes, cut at \(cut)): \(oneShot) / \(pieces), hashlib \(expected[i])")
        }
      }
    }
    XCTAssertEqual(mismatches, [], "\(mismatches.count) of \(lengths.count) digests differ")
  }
}
