import Foundation
import XCTest

@testable import DecantCore

/// The number grammar of conditions (DESIGN.md §7:
/// `[+-]?digits[.digits]?([eE][+-]?digits)?`, also `.5` and `5.`) and exact
/// comparison by decimal value, checked against Python's `decimal.Decimal`.
final class DecimalTextTests: XCTestCase {
  func isNumber(_ s: String) -> Bool {
    var s = s
    return s.withUTF8 { DecimalText.isNumber($0) }
  }

  /// Compares the number `a` with the cell `b` the way a condition does: the
  /// sign of `b - a`, nil when `b` is not a number.
  func compareCell(_ b: String, with a: DecimalText) -> Int? {
    var b = b
    return b.withUTF8 { a.compare($0) }
  }

  func number(_ s: String, file: StaticString = #filePath, line: UInt = #line) -> DecimalText {
    guard let d = DecimalText(s) else {
      XCTFail("\"\(s)\" is not a number", file: file, line: line)
      return DecimalText("0")!
    }
    return d
  }

  // MARK: Grammar

  func testGrammarAcceptsSignsFractionsExponentsAndBareEndsOfThePoint() {
    let accepted = [
      "0", "5", "-5", "+5", "007", "5.", ".5", "-.5", "+.5", "5.25", "-0", "+0", "0.000", "-0.0", "1e5",
      "1E5", "1e+5", "1e-5", "-1.5E-05", "5.e3", ".5e3", "00.00e00", "1e0400",
      "12345678901234567890123456789",
      "0.000000000000000000000000000001",
    ]
    for s in accepted {
      XCTAssertNotNil(DecimalText(s), "\"\(s)\" is a number")
      XCTAssertTrue(isNumber(s), "\"\(s)\" is a number")
      XCTAssertEqual(DecimalText(s)?.text, s, "the text is kept as written")
    }
  }

  func testGrammarRejectsEverythingElse() {
    let rejected = [
      "", "+", "-", ".", "1e", "1,000", " 5", "5 ", "0x10", "inf", "-inf", "Infinity", "NaN", "nan", "1e+",
      "1e-",
      "--1", "+-1", "-+1", "e5", ".e5", "+.", "-.e1", "1.2.3", "1e5.0", "1e1e1", "1..2", "1_000", "1e 5",
      "\t1", "1\n", "٣", "１", "5%", "$5", "1/2", "0b1", "5d", "1ee5", "1e5e",
    ]
    for s in rejected {
      XCTAssertNil(DecimalText(s), "\"\(s)\" is not a number")
      XCTAssertFalse(isNumber(s), "\"\(s)\" is not a number")
      XCTAssertNil(compareCell(s, with: number("1")), "\"\(s)\" is not a number")
    }
  }

  /// Short strings over the grammar's alphabet and a few strangers, against a
  /// regular expression of the grammar.
  func testGrammarAgreesWithARegularExpressionOnGeneratedStrings() throws {
    let grammar = try Regex("^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?$")
    let alphabet = Array("0019.+-eE x,_").map(String.init)
    var rng = SplitMix64(seed: 11)
    for _ in 0..<20_000 {
      let n = Int(rng.next() % 7)
      let s = (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined()
      let expected = (try? grammar.wholeMatch(in: s)) != nil
      XCTAssertEqual(DecimalText(s) != nil, expected, "\"\(s)\"")
      XCTAssertEqual(isNumber(s), expected, "\"\(s)\"")
    }
  }

  // MARK: Value

  func testTheValueIsItsSignificantDigitsAndAnExponent() {
    let d = number("-0012.3400")
    XCTAssertTrue(d.negative)
    XCTAssertEqual(String(decoding: d.digits, as: UTF8.self), "1234")
    XCTAssertEqual(d.exponent, 2)
    XCTAssertEqual(number("0.00150e-2").exponent, -4)
    XCTAssertEqual(String(decoding: number("0.00150e-2").digits, as: UTF8.self), "15")
    for zero in ["0", "-0", "+0.000", ".0", "0.", "-0e999", "000e-7"] {
      XCTAssertTrue(number(zero).isZero, zero)
      XCTAssertFalse(number(zero).negative, "\(zero) is not a negative number")
      XCTAssertEqual(number(zero).exponent, 0, zero)
    }
  }

  func testEqualValuesWrittenDifferentlyAreEqual() {
    let groups = [
      ["10", "10.0", "1e1", "0.1e2", "100e-1", "+10", "0010.", "1.0E+1", "10000000000e-9"],
      ["-0.5", "-.5", "-5e-1", "-0.50000", "-500e-3", "-0.0005E3"],
      ["0", "-0", "+0", "0.0", ".0", "0e400", "-0e-400"],
      ["1e400", "10e399", "0.001e403", "1" + String(repeating: "0", count: 400)],
    ]
    for group in groups {
      for a in group {
        for b in group {
          XCTAssertEqual(number(a), number(b), "\(a) == \(b)")
          XCTAssertEqual(compareCell(b, with: number(a)), 0, "\(b) compares equal to \(a)")
        }
      }
    }
    XCTAssertNotEqual(number("10"), number("10.000000000000000000001"))
    XCTAssertNotEqual(number("1e400"), number("1e401"))
    XCTAssertNotEqual(number("-1"), number("1"))
  }

  func testComparisonIsExactWhereBinaryFloatingPointIsNot() {
    // Equal as Double, different as decimals.
    XCTAssertEqual(compareCell("0.30000000000000001", with: number("0.3")), 1)
    XCTAssertEqual(compareCell("9007199254740993", with: number("9007199254740992")), 1)
    XCTAssertEqual(compareCell("1e-400", with: number("0")), 1)
    XCTAssertEqual(compareCell("-1e-400", with: number("0")), -1)
    XCTAssertEqual(compareCell("1e400", with: number("1e399")), 1)
    XCTAssertEqual(compareCell("-1e400", with: number("-1e399")), -1)
    XCTAssertEqual(compareCell("0.1", with: number("0.09999999999999999999999")), 1)
    XCTAssertEqual(compareCell("-0", with: number("0")), 0)
    XCTAssertEqual(compareCell("5", with: number("-5")), 1)
    XCTAssertEqual(compareCell("-5", with: number("5")), -1)
    XCTAssertEqual(compareCell("0", with: number("-1e-9")), 1)
    XCTAssertEqual(compareCell("0", with: number("1e-9")), -1)
  }

  /// Exponents too large for any machine number are still compared by value.
  func testHugeExponentsKeepTheirOrder() {
    XCTAssertEqual(compareCell("1e10000000000", with: number("1e1000000000")), 1)
    XCTAssertEqual(compareCell("1e1000000000", with: number("1e10000000000")), -1)
    XCTAssertEqual(compareCell("2e99999999999", with: number("1e99999999999")), 1)
    XCTAssertEqual(compareCell("1e-10000000000", with: number("1e-1000000000")), -1)
    XCTAssertEqual(compareCell("10e9999999999", with: number("1e10000000000")), 0)
    XCTAssertNotEqual(number("1e10000000000"), number("1e1000000000"))
    // Up to 10^18 (Python's decimal stops there) exactly, and beyond in order.
    XCTAssertEqual(compareCell("1e999999999999999999", with: number("1e999999999999999998")), 1)
    XCTAssertEqual(compareCell("1e100000000000000000000", with: number("1e999999999999999999")), 1)
    XCTAssertEqual(compareCell("1e-100000000000000000000", with: number("1e-999999999999999999")), -1)
  }

  // MARK: JSON

  func testJSONTextIsValidJSONWithEveryDigit() throws {
    let cases = [
      ("10", "10"), ("-0.5e-3", "-0.5e-3"), ("1E+05", "1E+05"), ("-0", "-0"), ("+5", "5"), (".5", "0.5"),
      ("-.50", "-0.50"), ("5.", "5"), ("+5.e3", "5e3"), ("007", "7"), ("000", "0"), ("00.10", "0.10"),
      ("-007.e-0064", "-7e-0064"), ("0.", "0"), ("+.0", "0.0"),
    ]
    for (text, json) in cases {
      XCTAssertEqual(number(text).jsonText, json, text)
    }
    var rng = SplitMix64(seed: 5)
    for _ in 0..<5_000 {
      let d = number(Self.randomNumber(&rng))
      let parsed = try JSONValue.parse(d.jsonText)
      XCTAssertEqual(parsed, .number(d.jsonText), d.text)
      XCTAssertEqual(number(d.jsonText), d, d.text)
    }
  }

  // MARK: Against Python

  /// 100,000 generated pairs, compared by `DecimalText` both ways and by
  /// Python's `decimal.Decimal`: digits up to 40 on each side of the point,
  /// leading and trailing zeros, signs, `-0`, exponents up to 10^12 (with
  /// leading zeros), and pairs built to be equal or one digit apart.
  func testComparisonAgreesWithPythonDecimalOnGeneratedPairs() throws {
    var rng = SplitMix64(seed: 2024)
    var pairs: [(String, String)] = []
    pairs.reserveCapacity(100_000)
    for _ in 0..<100_000 {
      let a = Self.randomNumber(&rng)
      let b: String
      switch rng.next() % 4 {
      case 0: b = Self.rewritten(a, &rng)
      case 1: b = Self.nudged(Self.rewritten(a, &rng), &rng)
      default: b = Self.randomNumber(&rng)
      }
      pairs.append(rng.next() % 2 == 0 ? (a, b) : (b, a))
    }
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("decant-decimal-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("pairs.txt")
    try pairs.map { "\($0.0) \($0.1)\n" }.joined().write(to: file, atomically: true, encoding: .utf8)
    let script = """
      import sys
      from decimal import Decimal
      out = []
      for line in open(sys.argv[1]):
          a, b = (Decimal(x) for x in line.split())
          out.append('-1' if a < b else '1' if a > b else '0')
      print('\\n'.join(out))
      """
    let output = String(decoding: try Python.run(["-c", script, file.path]), as: UTF8.self)
    let expected = output.split(separator: "\n").map { Int($0)! }
    XCTAssertEqual(expected.count, pairs.count)
    var failures = 0
    var counts = [-1: 0, 0: 0, 1: 0]
    for ((a, b), want) in zip(pairs, expected) {
      counts[want, default: 0] += 1
      let x = number(a)
      let y = number(b)
      // `x.compare(b)` is the sign of b - x.
      let got = [compareCell(a, with: y), compareCell(b, with: x).map { -$0 }, Condition.compare(x, y)]
      let equal = (x == y, y == x)
      if got != [want, want, want] || equal != (want == 0, want == 0) {
        failures += 1
        if failures <= 20 { XCTFail("\(a) vs \(b): Python says \(want), Decant \(got), == \(equal)") }
      }
    }
    XCTAssertEqual(failures, 0)
    // The generator reaches every outcome often.
    XCTAssertGreaterThan(counts[0]!, 10_000)
    XCTAssertGreaterThan(counts[-1]!, 20_000)
    XCTAssertGreaterThan(counts[1]!, 20_000)
  }

  static func digits(_ n: Int, _ rng: inout SplitMix64) -> String {
    String((0..<n).map { _ in Character(String(rng.next() % 10)) })
  }

  /// A number in any of the grammar's forms.
  static func randomNumber(_ rng: inout SplitMix64) -> String {
    let sign = ["", "", "-", "+"][Int(rng.next() % 4)]
    if rng.next() % 20 == 0 {
      // Zero in its many spellings.
      return sign + ["0", "0.0", ".0", "0.", "000", "0e5", "0.000e-300"][Int(rng.next() % 7)]
    }
    let lengths = [0, 1, 1, 2, 3, 5, 12, 40]
    var integer = digits(lengths[Int(rng.next() % 8)], &rng)
    var fraction = digits(lengths[Int(rng.next() % 8)], &rng)
    if rng.next() % 4 == 0 { integer = String(repeating: "0", count: Int(rng.next() % 4) + 1) + integer }
    if rng.next() % 4 == 0 { fraction += String(repeating: "0", count: Int(rng.next() % 4) + 1) }
    if integer.isEmpty && fraction.isEmpty { integer = String(rng.next() % 10) }
    var text = sign + integer
    if !fraction.isEmpty || rng.next() % 8 == 0 {
      if integer.isEmpty || rng.next() % 6 != 0 { text += "." + fraction } else { text += "." }
      if integer.isEmpty && fraction.isEmpty { text += "0" }
    }
    if rng.next() % 2 == 0 { text += exponent(&rng) }
    return text
  }

  static func exponent(_ rng: inout SplitMix64) -> String {
    let magnitude: UInt64
    switch rng.next() % 6 {
    case 0, 1: magnitude = rng.next() % 20
    case 2: magnitude = rng.next() % 400
    case 3: magnitude = 380 + rng.next() % 40
    case 4: magnitude = 999_999_000 + rng.next() % 2_000
    default: magnitude = rng.next() % 1_000_000_000_000
    }
    let sign = ["", "+", "-"][Int(rng.next() % 3)]
    let zeros = rng.next() % 5 == 0 ? "00" : ""
    return (rng.next() % 2 == 0 ? "e" : "E") + sign + zeros + String(magnitude)
  }

  /// The same value written another way: the point moved and the exponent
  /// changed to match, zeros added at both ends.
  static func rewritten(_ s: String, _ rng: inout SplitMix64) -> String {
    guard let d = DecimalText(s) else { return s }
    if d.isZero { return (rng.next() % 2 == 0 ? "-" : "") + "0e" + String(rng.next() % 50) }
    let digits = String(decoding: d.digits, as: UTF8.self)
    // value = 0.DIGITS × 10^exponent = D.IGITS × 10^(exponent - 1)
    let shift = Int(rng.next() % UInt64(digits.count + 3))
    let padded = digits + String(repeating: "0", count: max(0, shift - digits.count))
    let whole = String(padded.prefix(shift))
    let rest = String(padded.dropFirst(shift))
    var text = (d.negative ? "-" : rng.next() % 3 == 0 ? "+" : "") + "00".prefix(Int(rng.next() % 3)) + whole
    text += "." + rest + String(repeating: "0", count: Int(rng.next() % 3))
    if text.hasSuffix(".") && whole.isEmpty { text += "0" }
    return text + "e" + String(d.exponent - shift)
  }

  /// The value changed in one digit (or a digit added at the end).
  static func nudged(_ s: String, _ rng: inout SplitMix64) -> String {
    var chars = Array(s)
    let mantissaEnd = chars.firstIndex { $0 == "e" || $0 == "E" } ?? chars.count
    let digitPositions = chars[..<mantissaEnd].indices.filter { chars[$0].isNumber }
    if rng.next() % 3 == 0 || digitPositions.isEmpty {
      let insert = chars[..<mantissaEnd].contains(".") ? "" : "."
      chars.insert(contentsOf: insert + String(1 + rng.next() % 9), at: mantissaEnd)
    } else {
      let p = digitPositions[Int(rng.next() % UInt64(digitPositions.count))]
      let digit = Int(String(chars[p]))!
      chars[p] = Character(String((digit + 1 + Int(rng.next() % 9)) % 10))
    }
    return String(chars)
  }
}
