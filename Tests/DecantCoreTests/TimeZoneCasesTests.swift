import Foundation
import XCTest

@testable import DecantCore

/// Decant's zone conversions against `Fixtures/tz-cases.json`, computed
/// independently by Python's zoneinfo from the system tz database (see
/// `Fixtures/make_tz_cases.py`). Every case is checked three ways: through
/// `ZoneConverter` with one converter per zone (caches warm, as in a run),
/// with a fresh converter per case, and through `normalize_timezone` itself.
final class TimeZoneCasesTests: XCTestCase {
  struct Case: Decodable, CustomStringConvertible {
    var kind: String
    var zone: String
    var local: String?
    var utc: String?
    var ambiguous: String?
    var nonexistent: String?
    var category: String?
    var expected: String

    enum CodingKeys: String, CodingKey {
      case kind, zone, local, utc, ambiguous, nonexistent, expected
      case category = "class"
    }

    var description: String {
      if kind == "to_utc" {
        return
          "to_utc \(zone) local \(local ?? "?") [\(category ?? "?")] ambiguous=\(ambiguous ?? "?") nonexistent=\(nonexistent ?? "?") expected \(expected)"
      }
      return "from_utc \(zone) utc \(utc ?? "?") expected \(expected)"
    }
  }

  static let zones = [
    "America/New_York", "Europe/Berlin", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu",
    "Australia/Adelaide", "America/St_Johns", "Pacific/Auckland", "America/Sao_Paulo", "Asia/Tehran",
    "Europe/Moscow", "Pacific/Apia", "Africa/Casablanca", "Asia/Kolkata", "UTC",
  ]

  static let fixtureURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures").appendingPathComponent("tz-cases.json")

  nonisolated(unsafe) static var loaded: [Case]? = nil

  static func cases() throws -> [Case] {
    if let loaded { return loaded }
    let data = try Data(contentsOf: fixtureURL)
    let all = try JSONDecoder().decode([Case].self, from: data)
    loaded = all
    return all
  }

  /// At most this many failing cases are listed per zone and path; a count follows.
  static let failureListLimit = 25

  // MARK: The fixture itself

  func testFixtureCoversExactlyTheZonesTestedHere() throws {
    let all = try Self.cases()
    XCTAssertEqual(Set(all.map(\.zone)), Set(Self.zones))
    XCTAssertEqual(all.count, 3217)
  }

  func testFixtureHasNormalGapAndOverlapCasesAndFromUTCCases() throws {
    let all = try Self.cases()
    XCTAssertEqual(all.filter { $0.category == "normal" }.count, 1506)
    XCTAssertEqual(all.filter { $0.category == "gap" }.count, 666)
    XCTAssertEqual(all.filter { $0.category == "overlap" }.count, 648)
    XCTAssertEqual(all.filter { $0.kind == "from_utc" }.count, 397)
  }

  // MARK: One test per zone

  func testAmericaNewYork() throws { try check("America/New_York") }
  func testEuropeBerlin() throws { try check("Europe/Berlin") }
  func testEuropeLondon() throws { try check("Europe/London") }
  func testAustraliaLordHowe() throws { try check("Australia/Lord_Howe") }
  func testAsiaKathmandu() throws { try check("Asia/Kathmandu") }
  func testAustraliaAdelaide() throws { try check("Australia/Adelaide") }
  func testAmericaStJohns() throws { try check("America/St_Johns") }
  func testPacificAuckland() throws { try check("Pacific/Auckland") }
  func testAmericaSaoPaulo() throws { try check("America/Sao_Paulo") }
  func testAsiaTehran() throws { try check("Asia/Tehran") }
  func testEuropeMoscow() throws { try check("Europe/Moscow") }
  func testPacificApia() throws { try check("Pacific/Apia") }
  func testAfricaCasablanca() throws { try check("Africa/Casablanca") }
  func testAsiaKolkata() throws { try check("Asia/Kolkata") }
  func testUTC() throws { try check("UTC") }

  // MARK: Checking

  private func check(_ zoneName: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let cases = try Self.cases().filter { $0.zone == zoneName }
    XCTAssertFalse(cases.isEmpty, "no cases for \(zoneName)", file: file, line: line)
    let zone = try XCTUnwrap(Zone(zoneName), "Decant does not know \(zoneName)", file: file, line: line)
    let toUTC = cases.filter { $0.kind == "to_utc" }
    let fromUTC = cases.filter { $0.kind == "from_utc" }
    XCTAssertEqual(toUTC.count + fromUTC.count, cases.count, "unknown kind of case", file: file, line: line)

    var failures = Failures(zone: zoneName, file: file, line: line)

    // 1. ZoneConverter, one per zone (caches warm), and a fresh one per case.
    let shared = ZoneConverter(zone: zone)
    for c in toUTC {
      let local = try XCTUnwrap(localSeconds(c.local ?? ""), "bad local time in \(c)", file: file, line: line)
      let warm = shared.resolve(local: local)
      let cold = ZoneConverter(zone: zone).resolve(local: local)
      let got = Self.apply(warm, c)
      if got != c.expected {
        failures.add("resolve (shared converter)", "\(c): got \(got) from \(warm)")
      }
      if Self.category(warm) != c.category {
        failures.add("resolve (shared converter)", "\(c): classified as \(Self.category(warm)) (\(warm))")
      }
      let gotCold = Self.apply(cold, c)
      if gotCold != c.expected || Self.category(cold) != c.category {
        failures.add("resolve (fresh converter)", "\(c): got \(gotCold) from \(cold)")
      }
    }
    for c in fromUTC {
      let utc = try XCTUnwrap(utcSeconds(c.utc ?? ""), "bad utc time in \(c)", file: file, line: line)
      let warm = Self.formatInZone(utc, shared, zone)
      if warm != c.expected { failures.add("offset(at:) (shared converter)", "\(c): got \(warm)") }
      let cold = Self.formatInZone(utc, ZoneConverter(zone: zone), zone)
      if cold != c.expected { failures.add("offset(at:) (fresh converter)", "\(c): got \(cold)") }
    }

    // 2. Through normalize_timezone: one run per policy, every local time a row.
    let policies = Set(toUTC.map { "\($0.ambiguous ?? "")|\($0.nonexistent ?? "")" }).sorted()
    for policy in policies {
      let group = toUTC.filter { "\($0.ambiguous ?? "")|\($0.nonexistent ?? "")" == policy }
      let parts = policy.split(separator: "|").map(String.init)
      let result = try runSteps(
        steps: """
          {"op": "normalize_timezone", "column": "t", "from_zone": "\(zoneName)",
           "ambiguous": "\(parts[0])", "nonexistent": "\(parts[1])"}
          """,
        columns: ["t"], batches: [group.map { [$0.local ?? ""] }], file: file, line: line)
      assertBalances(result, file: file, line: line)
      var byLine: [Int: String] = [:]
      for (row, l) in zip(result.rows, result.lines) { byLine[l] = row[0] }
      for r in result.rejects { byLine[r.line] = "reject" }
      for (i, c) in group.enumerated() {
        let got = byLine[i + 2] ?? "missing"
        if got != c.expected {
          let reason = result.rejects.first { $0.line == i + 2 }.map { " (\($0.reason))" } ?? ""
          failures.add("normalize_timezone", "\(c): got \(got)\(reason)")
        }
      }
    }
    if !fromUTC.isEmpty {
      let result = try runSteps(
        steps: #"{"op": "normalize_timezone", "column": "t", "to_zone": "\#(zoneName)"}"#, columns: ["t"],
        batches: [fromUTC.map { [$0.utc ?? ""] }], file: file, line: line)
      for (i, c) in fromUTC.enumerated() {
        let got = result.lines.firstIndex(of: i + 2).map { result.rows[$0][0] } ?? "rejected"
        if got != c.expected { failures.add("normalize_timezone to_zone", "\(c): got \(got)") }
      }
    }
    failures.report()
  }

  /// Collects failing cases per path and reports them (a few each, then counts).
  private struct Failures {
    let zone: String
    let file: StaticString
    let line: UInt
    var byPath: [(String, [String])] = []

    init(zone: String, file: StaticString, line: UInt) {
      self.zone = zone
      self.file = file
      self.line = line
    }

    mutating func add(_ path: String, _ message: String) {
      if let i = byPath.firstIndex(where: { $0.0 == path }) {
        byPath[i].1.append(message)
      } else {
        byPath.append((path, [message]))
      }
    }

    func report() {
      for (path, messages) in byPath {
        for m in messages.prefix(TimeZoneCasesTests.failureListLimit) {
          XCTFail("\(zone) via \(path): \(m)", file: file, line: line)
        }
        XCTFail("\(zone) via \(path): \(messages.count) case(s) fail", file: file, line: line)
      }
    }
  }

  /// Applies a case's policies to a resolution, as normalize_timezone does.
  static func apply(_ resolution: LocalResolution, _ c: Case) -> String {
    switch resolution {
    case .unique(let t):
      return utcText(t)
    case .ambiguous(let earlier, let later):
      switch c.ambiguous {
      case "earlier": return utcText(earlier)
      case "later": return utcText(later)
      default: return "reject"
      }
    case .nonexistent(let shifted):
      return c.nonexistent == "shift_forward" ? utcText(shifted) : "reject"
    }
  }

  static func category(_ resolution: LocalResolution) -> String {
    switch resolution {
    case .unique: return "normal"
    case .ambiguous: return "overlap"
    case .nonexistent: return "gap"
    }
  }

  static func utcText(_ seconds: Int64) -> String {
    var out: [UInt8] = []
    ISO8601.append(CivilDateTime(localSeconds: seconds), offset: 0, utc: true, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  static func formatInZone(_ utc: Int64, _ converter: ZoneConverter, _ zone: Zone) -> String {
    let offset = converter.offset(at: utc)
    var out: [UInt8] = []
    ISO8601.append(
      CivilDateTime(localSeconds: utc + Int64(offset)), offset: offset, utc: zone.isUTC, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  private func localSeconds(_ text: String) -> Int64? {
    let t = Array(text.utf8).withUnsafeBufferPointer { TimestampFormat.parseISO($0) }
    guard let t, t.offset == nil else { return nil }
    return t.localSeconds
  }

  private func utcSeconds(_ text: String) -> Int64? {
    let t = Array(text.utf8).withUnsafeBufferPointer { TimestampFormat.parseISO($0) }
    guard let t, t.offset == 0 else { return nil }
    return t.localSeconds
  }

  // MARK: Zone names

  func testZoneAcceptsIANANamesUTCAndFixedOffsets() throws {
    XCTAssertEqual(Zone("Europe/Berlin")?.name, "Europe/Berlin")
    XCTAssertEqual(Zone("UTC")?.isUTC, true)
    XCTAssertEqual(Zone("Etc/UTC")?.isUTC, true)
    XCTAssertEqual(Zone("Europe/London")?.isUTC, false)
    XCTAssertEqual(Zone("+00:00")?.isUTC, false)
    XCTAssertEqual(Zone("+05:30")?.fixedOffset, 19_800)
    XCTAssertEqual(Zone("-0330")?.fixedOffset, -12_600)
    XCTAssertEqual(Zone("+05")?.fixedOffset, 18_000)
  }

  func testZoneRejectsAbbreviationsTyposAndBadOffsets() {
    for name in ["PST", "CET", "Europe/Berln", "+24:00", "+05:30x", "05:30", "", "europe/berlin"] {
      XCTAssertNil(Zone(name), name)
    }
  }

  func testZoneSuggestionFindsTheNearestIANAName() {
    XCTAssertEqual(Zone.suggestion(for: "Europe/Berln"), "Europe/Berlin")
    XCTAssertEqual(Zone.suggestion(for: "america/new_york"), "America/New_York")
    XCTAssertEqual(Zone.suggestion(for: "utc "), "UTC")
  }

  func testFixedOffsetZoneResolvesEveryTimeUniquely() {
    let converter = ZoneConverter(zone: Zone("+05:45")!)
    XCTAssertEqual(converter.resolve(local: 20_700), .unique(0))
    XCTAssertEqual(converter.offset(at: 0), 20_700)
  }
}
