import Foundation
import XCTest

@testable import DecantCore

/// UTF-8 validation and case mapping (`Sources/DecantCore/Text`). Upper, lower
/// and fold are compared with Python's `str.upper`, `str.lower` and
/// `str.casefold`, run at test time.
final class UnicodeTextTests: XCTestCase {
  func valid(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer { UTF8Text.isValid($0) } }
  func ascii(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer { UTF8Text.isASCII($0) } }

  typealias Mapping = (UnsafeBufferPointer<UInt8>, ByteBuffer) -> Void

  /// `mapping` of `s`, appended to a buffer that already holds `prefix`.
  func map(_ s: String, _ mapping: Mapping, prefix: [UInt8] = []) -> String {
    let out = ByteBuffer(capacity: 16)
    out.write(prefix)
    Array(s.utf8).withUnsafeBufferPointer { mapping($0, out) }
    XCTAssertEqual(Array(out.bytes.prefix(prefix.count)), prefix)
    return String(decoding: out.bytes.dropFirst(prefix.count), as: UTF8.self)
  }

  func upper(_ s: String) -> String { map(s) { CaseMapping.upper($0, into: $1) } }
  func lower(_ s: String) -> String { map(s) { CaseMapping.lower($0, into: $1) } }
  func fold(_ s: String) -> String { map(s) { CaseMapping.fold($0, into: $1) } }
  func title(_ s: String) -> String { map(s) { CaseMapping.title($0, into: $1) } }

  // MARK: UTF-8 validation

  func testEmptyAndASCIITextOfEveryLengthIsValid() {
    XCTAssertTrue(valid([]))
    XCTAssertTrue(UTF8Text.isValid(UnsafeBufferPointer(start: nil, count: 0)))
    XCTAssertTrue(UTF8Text.isASCII(UnsafeBufferPointer(start: nil, count: 0)))
    for n in 1...40 {
      let bytes = (0..<n).map { UInt8(($0 * 37) % 128) }
      XCTAssertTrue(valid(bytes), "length \(n)")
      XCTAssertTrue(ascii(bytes), "length \(n)")
    }
  }

  func testSmallestAndLargestScalarOfEachLengthAreValid() {
    let cases: [[UInt8]] = [
      [0x00], [0x7F], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF],
      [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
    ]
    for bytes in cases {
      XCTAssertTrue(valid(bytes), "\(bytes)")
      XCTAssertTrue(
        valid(Array("abcdefghij".utf8) + bytes + Array("klmnopqrst".utf8)), "\(bytes) inside ASCII")
      XCTAssertEqual(ascii(bytes), bytes[0] < 0x80, "\(bytes)")
    }
  }

  func testOverlongFormsSurrogatesAndScalarsAboveU10FFFFAreInvalid() {
    let cases: [(String, [UInt8])] = [
      ("overlong NUL", [0xC0, 0x80]), ("overlong U+007F", [0xC1, 0xBF]),
      ("overlong U+07FF", [0xE0, 0x9F, 0xBF]), ("overlong U+0000 in three", [0xE0, 0x80, 0x80]),
      ("overlong U+FFFF", [0xF0, 0x8F, 0xBF, 0xBF]), ("overlong U+0000 in four", [0xF0, 0x80, 0x80, 0x80]),
      ("surrogate U+D800", [0xED, 0xA0, 0x80]), ("surrogate U+DFFF", [0xED, 0xBF, 0xBF]),
      ("U+110000", [0xF4, 0x90, 0x80, 0x80]), ("lead F5", [0xF5, 0x80, 0x80, 0x80]),
      ("lead FF", [0xFF]), ("lead FE", [0xFE]), ("five-byte form", [0xF8, 0x88, 0x80, 0x80, 0x80]),
      ("lone continuation 80", [0x80]), ("lone continuation BF", [0xBF]),
      ("two-byte form without continuation", [0xC3, 0x41]),
      ("three-byte form with ASCII third", [0xE2, 0x82, 0x41]),
      ("four-byte form with a lead as fourth", [0xF0, 0x9F, 0x98, 0xC3]),
    ]
    for (name, bytes) in cases {
      XCTAssertFalse(valid(bytes), name)
      XCTAssertFalse(valid(Array("0123456789".utf8) + bytes + Array("abc".utf8)), "\(name) inside ASCII")
    }
  }

  func testSequencesCutShortAtTheEndAreInvalid() {
    let cases: [[UInt8]] = [[0xC3], [0xE2], [0xE2, 0x82], [0xF0], [0xF0, 0x9F], [0xF0, 0x9F, 0x98]]
    for bytes in cases {
      XCTAssertFalse(valid(bytes), "\(bytes)")
      XCTAssertFalse(valid(Array("eight by".utf8) + bytes), "\(bytes) after eight ASCII bytes")
      XCTAssertFalse(valid(Array("é".utf8) + bytes), "\(bytes) after é")
    }
  }

  func testANonASCIIByteIsFoundAtEveryPositionOfAnASCIIRun() {
    for n in 1...24 {
      for at in 0..<n {
        var bytes = [UInt8](repeating: 0x61, count: n)
        bytes[at] = 0x80
        XCTAssertFalse(valid(bytes), "stray continuation at \(at) of \(n)")
        XCTAssertFalse(ascii(bytes), "0x80 at \(at) of \(n)")
        bytes[at] = 0xC3
        if at + 1 < n { bytes[at + 1] = 0xA9 }
        XCTAssertEqual(valid(bytes), at + 1 < n, "é at \(at) of \(n)")
      }
    }
  }

  func testValidationAgreesWithTheStandardLibraryOnRandomBytes() {
    // Bytes drawn mostly from the edges of the ranges that matter.
    let interesting: [UInt8] = [
      0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED,
      0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
    ]
    var rng = SplitMix64(seed: 7)
    for _ in 0..<50_000 {
      let n = Int(rng.next() % 14)
      let bytes = (0..<n).map { _ in
        rng.next() % 4 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : interesting[Int(rng.next() % 25)]
      }
      XCTAssertEqual(valid(bytes), String(validating: bytes, as: UTF8.self) != nil, "\(bytes)")
    }
  }

  // MARK: Case mapping

  /// Upper, lower and fold of every letter below U+3000 (alone, then in runs of
  /// 40), of Cherokee (whose lower case folds to upper case), and of strings that
  /// exercise special casing: `ß`, `ǆ`, Greek final sigma, `İ`, `ŉ`, `ﬁ`.
  ///
  /// Python 3.11 has Unicode 14 and ICU 72 Unicode 15; no letter below U+3000 is
  /// new in 15 and none of these mappings changed between them, so nothing needs
  /// skipping.
  func testUpperLowerAndFoldAgreeWithPython() throws {
    let script = """
      import unicodedata
      letters = [chr(c) for c in range(0x3000) if unicodedata.category(chr(c)).startswith('L')]
      cherokee = [chr(c) for c in list(range(0x13A0, 0x1400)) + list(range(0xAB70, 0xABC0))
                  if unicodedata.category(chr(c)) != 'Cn']
      special = ['ß', 'Straße', 'STRASSE', 'ǆ', 'ǅ', 'Ǆ', 'ǆemal', 'ΟΔΟΣ', 'ΟΔΟΣ ΟΔΟΣ.', 'Σ', 'ΑΣ', 'ΑΣΑ',
                 'Σ.Σ', 'ΑΣ\\'Σ', 'ὈΔΥΣΣΕΎΣ', 'ΌΣΟΣ, ΣΟ', 'İ', 'İstanbul', 'ŉ', 'ﬁ', 'ﬃx', 'ΐ', 'ᾳ', 'ᾼ',
                 'ﬀ ﬂ ﬅ', 'ꭰꭱ Ꭰ ᏸ', 'Ꮳ ꮳ', 'mIxEd CaSe ÀÉÎ', 'ǰ', 'ẞ', 'Kelvin \\u212a', '']
      strings = letters + cherokee + [''.join(letters[i:i + 40]) for i in range(0, len(letters), 40)] + special
      for s in strings:
          print(' '.join(x.encode().hex() or '-' for x in (s, s.upper(), s.lower(), s.casefold())))
      """
    let output = String(decoding: try Python.run(["-c", script]), as: UTF8.self)
    var checked = 0
    for line in output.split(separator: "\n") {
      let fields = line.split(separator: " ").map { field -> String in
        field == "-" ? "" : String(decoding: hexBytes(field), as: UTF8.self)
      }
      XCTAssertEqual(fields.count, 4, "\(line)")
      let s = fields[0]
      XCTAssertEqual(upper(s), fields[1], "upper of \(s) \(hex(s))")
      XCTAssertEqual(lower(s), fields[2], "lower of \(s) \(hex(s))")
      XCTAssertEqual(fold(s), fields[3], "fold of \(s) \(hex(s))")
      checked += 1
    }
    XCTAssertGreaterThan(checked, 5000)
  }

  func testSpecialCasingUsesFullMappingsWithoutLanguageRules() {
    XCTAssertEqual(upper("straße"), "STRASSE")
    XCTAssertEqual(upper("ŉ"), "ʼN")
    XCTAssertEqual(upper("ﬁ"), "FI")
    XCTAssertEqual(lower("İ"), "i\u{307}")
    XCTAssertEqual(upper("i"), "I")  // no Turkish dotted capital
    XCTAssertEqual(lower("ΟΔΟΣ ΟΔΟΣ"), "οδος οδος")  // Final_Sigma
    XCTAssertEqual(lower("Σ"), "σ")
    XCTAssertEqual(fold("Straße"), "strasse")
    XCTAssertEqual(fold("ΟΔΟΣ ὀδός"), "οδοσ ὀδόσ")
    XCTAssertEqual(CaseMapping.folded("STRASSE"), CaseMapping.folded("straße"))
    XCTAssertEqual(CaseMapping.folded("ǅ"), Array("ǆ".utf8))
  }

  func testASCIIMappingMatchesByteArithmeticAtEveryLength() {
    let alphabet = Array("azAZ@[`{09 _~\t".utf8)
    for n in 0...33 {
      let s = String(decoding: (0..<n).map { alphabet[($0 * 5 + n) % alphabet.count] }, as: UTF8.self)
      XCTAssertEqual(upper(s), s.uppercased(), "\(s)")
      XCTAssertEqual(lower(s), s.lowercased(), "\(s)")
      XCTAssertEqual(fold(s), s.lowercased(), "\(s)")
    }
  }

  func testMappingAppendsAfterWhatTheBufferHolds() {
    let prefix = Array("kept|".utf8)
    XCTAssertEqual(map("abc", { CaseMapping.upper($0, into: $1) }, prefix: prefix), "ABC")
    XCTAssertEqual(map("straße", { CaseMapping.upper($0, into: $1) }, prefix: prefix), "STRASSE")
    XCTAssertEqual(map("ǆ x", { CaseMapping.title($0, into: $1) }, prefix: prefix), "ǅ X")
  }

  func testResultsLongerThanTheFirstGuessAreWrittenWhole() {
    // ΐ (2 bytes) upper-cases to three scalars (6 bytes): three times the input.
    let s = String(repeating: "ΐ", count: 300)
    XCTAssertEqual(upper(s), String(repeating: "\u{399}\u{308}\u{301}", count: 300))
    XCTAssertEqual(upper("ΐ"), "\u{399}\u{308}\u{301}")
  }

  // MARK: Title case

  func testTitleCapitalizesTheFirstLetterOfEachWordAndLowersTheRest() {
    XCTAssertEqual(title("hello WORLD"), "Hello World")
    XCTAssertEqual(title("  the quick-brown fox.jumps  "), "  The Quick-Brown Fox.Jumps  ")
    XCTAssertEqual(title("o'NEIL and mcDONALD"), "O'neil And Mcdonald")
    XCTAssertEqual(title("ÉLAN vital"), "Élan Vital")
    XCTAssertEqual(title("x1Y2 a_b"), "X1y2 A_B")
    XCTAssertEqual(title(""), "")
  }

  func testTitleUsesTitlecaseMappingsForTheFirstLetter() {
    XCTAssertEqual(title("ǆemal ǅEMAL Ǆemal"), "ǅemal ǅemal ǅemal")
    XCTAssertEqual(title("ßa"), "Ssa")
    XCTAssertEqual(title("ﬁre"), "Fire")
    XCTAssertEqual(title("ŉ"), "ʼN")  // SpecialCasing: its titlecase is its uppercase
  }

  func testTitleLowersWordsThatStartWithADigitOrApostrophe() {
    XCTAssertEqual(title("1ST place"), "1st Place")
    XCTAssertEqual(title("'TIS the season"), "'tis The Season")
    XCTAssertEqual(title("٣ABC"), "٣abc")  // ARABIC-INDIC DIGIT THREE is a decimal digit
    XCTAssertEqual(title("1ÉTÉ"), "1été")
  }

  func testTitleLowersCharacterByCharacterWithoutFinalSigma() {
    XCTAssertEqual(title("ΟΔΟΣ"), "Οδοσ")
    XCTAssertEqual(title("İSTANBUL"), "İstanbul")
    XCTAssertEqual(title("ABCİ"), "Abci\u{307}")
  }

  func testTitleOfASCIIAndOfMixedTextAgree() {
    for s in ["hello WORLD", "1ST place", "'TIS the season", "o'NEIL x1Y2 a_b", "--a--B--"] {
      XCTAssertEqual(title(s + " é"), title(s) + " É", s)
    }
  }

  // MARK: Helpers

  func hex(_ s: String) -> String { s.utf8.map { String(format: "%02x", $0) }.joined() }

  func hexBytes(_ s: Substring) -> [UInt8] {
    var out: [UInt8] = []
    var i = s.startIndex
    while i < s.endIndex {
      let j = s.index(i, offsetBy: 2)
      out.append(UInt8(s[i..<j], radix: 16)!)
      i = j
    }
    return out
  }
}
