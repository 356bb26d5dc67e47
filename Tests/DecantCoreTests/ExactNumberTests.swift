import Foundation
import XCTest

@testable import DecantCore

/// `round` and `cast` to decimal or integer against Python's `decimal`, which
/// computes the expected text independently, on 100,000 generated values per
/// rounding mode.
final class ExactNumberTests: XCTestCase {
  /// A number in the recipe grammar, biased toward the cases rounding gets
  /// wrong: halves, long runs of 9s, leading and trailing zeros, exponents,
  /// signs, zero, and values of thirty digits and more.
  static func generate(_ rng: inout SplitMix64) -> String {
    func digits(_ n: Int) -> String {
      String((0..<n).map { _ in Character(String(rng.next() % 10)) })
    }
    var s = ""
    switch rng.next() % 8 {
    case 0: s = "-"
    case 1: s = "+"
    default: break
    }
    let intLength = Int(rng.next() % 6)
    let fractionLength = Int(rng.next() % 7)
    switch rng.next() % 10 {
    case 0:
      s += "9999" + digits(Int(rng.next() % 3)) + "." + String(repeating: "9", count: 1 + Int(rng.next() % 6))
    case 1: s += digits(intLength) + "." + digits(fractionLength) + "5"
    case 2: s += "0" + digits(intLength) + "." + digits(fractionLength) + "500"
    case 3: s += digits(30 + Int(rng.next() % 10)) + "." + digits(Int(rng.next() % 12))
    case 4: s += "0.000" + digits(1 + fractionLength)
    case 5: s += "0"
    default:
      s += digits(max(1, intLength))
      if fractionLength > 0 || rng.next() % 3 == 0 { s += "." + digits(fractionLength) }
    }
    if s.hasSuffix(".") || s.hasSuffix("-") || s.hasSuffix("+") || s.isEmpty {
      s += digits(1 + Int(rng.next() % 3))
    }
    if rng.next() % 7 == 0 {
      s += (rng.next() % 2 == 0 ? "e" : "E") + ["", "+", "-"][Int(rng.next() % 3)] + String(rng.next() % 25)
    }
    return s
  }

  static let reference = #"""
    import sys
    from decimal import Decimal, getcontext, ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN, ROUND_FLOOR, ROUND_CEILING
    getcontext().prec = 5000
    MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN,
             "floor": ROUND_FLOOR, "ceiling": ROUND_CEILING}
    def plain(d):
        s = format(d, "f")
        return s[1:] if d == 0 and s.startswith("-") else s
    out = []
    for line in open(sys.argv[1]):
        kind, arg, text = line.rstrip("\n").split("\t")
        d = Decimal(text)
        if kind == "round":
            mode, digits = arg.split(":")
            out.append(plain(d.quantize(Decimal(1).scaleb(-int(digits)), rounding=MODES[mode])))
        elif kind == "decimal":
            out.append(plain(d))
        else:
            if d != d.to_integral_value():
                out.append("!fraction")
            elif not -2**63 <= int(d) < 2**63:
                out.append("!range")
            else:
                out.append(str(int(d)))
    sys.stdout.write("\n".join(out) + "\n")
    """#

  func testRoundAndCastAgreeWithPythonsDecimal() throws {
    var rng = SplitMix64(seed: 2675)
    // (kind, argument, value)
    var cases: [(String, String, String)] = []
    for mode in RoundingMode.allCases {
      for _ in 0..<100_000 {
        let digits = Int(rng.next() % 9) - 3
        cases.append(("round", "\(mode.rawValue):\(digits)", Self.generate(&rng)))
      }
    }
    for _ in 0..<100_000 { cases.append(("decimal", "-", Self.generate(&rng))) }
    for _ in 0..<100_000 {
      // Some whole numbers near the 64-bit limits.
      let v =
        rng.next() % 5 == 0
        ? [
          "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
          "92233720368547758070e-1", "1e19", "-1e18",
        ][Int(rng.next() % 7)]
        : Self.generate(&rng)
      cases.append(("integer", "-", v))
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("decant-exact-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = dir.appendingPathComponent("cases.tsv")
    let script = dir.appendingPathComponent("reference.py")
    try cases.map { "\($0.0)\t\($0.1)\t\($0.2)" }.joined(separator: "\n").appending("\n")
      .write(to: input, atomically: true, encoding: .utf8)
    try Self.reference.write(to: script, atomically: true, encoding: .utf8)
    let expected = String(decoding: try Python.run([script.path, input.path]), as: UTF8.self)
      .split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    XCTAssertEqual(expected.count, cases.count)

    var rounders: [String: RoundOperation.Rule] = [:]
    let decimal = CastOperation.NumberRule(integer: false, thousands: [], decimal: [46])
    let integer = CastOperation.NumberRule(integer: true, thousands: [], decimal: [46])
    let out = ByteBuffer(capacity: 1 << 10)
    var failures = 0
    for (i, (kind, argument, text)) in cases.enumerated() {
      let rule: CellRule
      switch kind {
      case "round":
        let parts = argument.split(separator: ":")
        if rounders[argument] == nil {
          rounders[argument] = RoundOperation.Rule(
            digits: Int(parts[1])!, mode: RoundingMode(rawValue: String(parts[0]))!)
        }
        rule = rounders[argument]!
      case "decimal": rule = decimal
      default: rule = integer
      }
      out.removeAll()
      let bytes = Array(text.utf8)
      let outcome = bytes.withUnsafeBufferPointer { rule.rewrite($0, column: 0, into: out) }
      var got: String
      switch outcome {
      case .unchanged: got = text
      case .written:
        got = String(decoding: UnsafeBufferPointer(start: out.storage, count: out.count), as: UTF8.self)
      case .failed(let reason):
        got =
          reason.contains("whole number") ? "!fraction" : reason.contains("64-bit") ? "!range" : "!\(reason)"
      default: got = "!\(outcome)"
      }
      if got != expected[i] {
        failures += 1
        if failures <= 20 { XCTFail("\(kind) \(argument) \(text): got \(got), Python \(expected[i])") }
      }
    }
    XCTAssertEqual(failures, 0, "\(failures) of \(cases.count) values differ from Python's decimal")
  }

  func cast(_ values: [String], _ step: String) throws -> StepResult {
    try applyStep(step, columns: ["v"], rows: values.map { [$0] })
  }

  func testCastReadsSeparatorsAndRefusesMisplacedOnes() throws {
    let r = try cast(
      ["1.234,50", "12,5", "1.000.000", " 7 ", "1..000", ",5", "1.2,3,4", "1,5e2", "-0,00"],
      #"{"op": "cast", "columns": ["v"], "to": "decimal", "thousands_separator": ".", "decimal_separator": ",", "on_error": "null"}"#
    )
    XCTAssertEqual(r.column("v"), ["1234.50", "12.5", "1000000", "7", "", "0.5", "", "150", "0.00"])
    let spaced = try cast(
      ["1 234 567", "12 34", "1  234"],
      #"{"op": "cast", "columns": ["v"], "to": "integer", "thousands_separator": " ", "on_error": "null"}"#)
    XCTAssertEqual(spaced.column("v"), ["1234567", "1234", ""])
  }

  func testCastToIntegerExplainsWhatIsWrong() throws {
    let r = try cast(
      ["-0", "+12", "0012", "1.5", "99999999999999999999", "12abc", "1e3", "2.50e1"],
      #"{"op": "cast", "columns": ["v"], "to": "integer"}"#)
    XCTAssertEqual(r.column("v"), ["0", "12", "12", "1000", "25"])
    XCTAssertEqual(r.rejects.count, 3)
    XCTAssertTrue(r.rejects[0].contains("\"1.5\" is not a whole number"), r.rejects[0])
    XCTAssertTrue(r.rejects[1].contains("does not fit in a 64-bit integer"), r.rejects[1])
    XCTAssertTrue(r.rejects[2].contains("\"12abc\" is not a number"), r.rejects[2])
  }

  func testCastToBooleanFoldsCaseAndTakesGivenLists() throws {
    let r = try cast(
      ["Yes", "N", "TRUE", " f ", "1", "0", "maybe", "ＹＥＳ"],
      #"{"op": "cast", "columns": ["v"], "to": "boolean", "on_error": "keep"}"#)
    XCTAssertEqual(r.column("v"), ["true", "false", "true", "false", "true", "false", "maybe", "ＹＥＳ"])
    let given = try cast(
      ["ja", "NEIN", "yes", "Straße"],
      #"{"op": "cast", "columns": ["v"], "to": "boolean", "true_values": ["ja", "STRASSE"], "false_values": ["nein"], "on_error": "null"}"#
    )
    XCTAssertEqual(given.column("v"), ["true", "false", "", "true"])
  }

  func testCastToDateAndTimestampWritesISO() throws {
    let dates = try cast(
      ["2024-03-10", "2024-02-29", "2023-02-29", "2024-03-10T07:30", "10/03/2024", ""],
      #"{"op": "cast", "columns": ["v"], "to": "date", "on_error": "null"}"#)
    XCTAssertEqual(dates.column("v"), ["2024-03-10", "2024-02-29", "", "", "", ""])
    let formatted = try cast(
      ["10/03/2024", "31/12/1999 23:59"],
      #"{"op": "cast", "columns": ["v"], "to": "date", "input_formats": ["%d/%m/%Y %H:%M", "%d/%m/%Y"]}"#)
    XCTAssertEqual(formatted.column("v"), ["2024-03-10", "1999-12-31"])
    let stamps = try cast(
      ["2024-03-10 07:30", "2024-03-10T07:30:00.120Z", "2024-03-10T07:30:00+05:30", "2024-03-10", "x"],
      #"{"op": "cast", "columns": ["v"], "to": "timestamp", "on_error": "null"}"#)
    XCTAssertEqual(
      stamps.column("v"),
      [
        "2024-03-10T07:30:00", "2024-03-10T07:30:00.120Z", "2024-03-10T07:30:00+05:30", "2024-03-10T00:00:00",
        "",
      ])
  }

  func testCastAndRoundTypeTheirColumns() throws {
    let recipe = try recipe(
      steps: #"""
        {"op": "cast", "columns": ["a"], "to": "integer"},
        {"op": "cast", "columns": ["b"], "to": "date"},
        {"op": "round", "columns": ["c"], "digits": 2},
        {"op": "round", "columns": ["d"], "digits": -1},
        {"op": "copy", "column": "a", "to": "a2"},
        {"op": "trim", "columns": ["b"]}
        """#)
    let schemas = try recipe.plan(Schema(["a", "b", "c", "d"]))
    XCTAssertEqual(schemas.last!.names, ["a", "a2", "b", "c", "d"])
    XCTAssertEqual(schemas.last!.types, [.integer, .integer, .string, .decimal, .integer])
  }
}
