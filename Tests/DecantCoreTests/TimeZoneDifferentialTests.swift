import Foundation
import XCTest

@testable import DecantCore

/// `normalize_timezone` against Python's zoneinfo over every zone both know:
/// seeded random instants from 1900 to 2100 (written in a zone, and read back
/// as that zone's wall-clock time), values carrying their own offset, and the
/// wall-clock times around every UTC-offset change (gap or overlap) of every
/// distinct zone in that range, under every `ambiguous` × `nonexistent` policy.
///
/// The cases and every expected instant come from
/// `Fixtures/make_tz_differential_cases.py`, run at test time with a fixed
/// seed; nothing expected is computed by Decant. Conversions run through
/// `Pipeline`, as `decant run` does.
final class TimeZoneDifferentialTests: XCTestCase {
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/make_tz_differential_cases.py")
  static let seed = 20_240_310

  /// Zones whose history in Foundation's tz data (ICU, built without
  /// `backzone`) differs from the system database that zoneinfo reads (Debian
  /// builds it with `PACKRATDATA=backzone PACKRATLIST=zone.tab`, restoring the
  /// pre-1970 history of zones the main data merges into others). The value is
  /// the last year (UTC) in which any offset change differs. Decant's contract
  /// is Foundation's data, so cases before the end of that year are not
  /// compared with zoneinfo; `testFoundationDataDiffersFromZoneinfoOnlyWhereListed`
  /// checks this list against both databases.
  static let dataDifferences: [String: Int] = [
    "Africa/Accra": 1956, "Africa/Addis_Ababa": 1942, "Africa/Asmara": 1942, "Africa/Bamako": 1960,
    "Africa/Bangui": 1919, "Africa/Banjul": 1942, "Africa/Blantyre": 1925, "Africa/Brazzaville": 1919,
    "Africa/Bujumbura": 1908, "Africa/Conakry": 1960, "Africa/Dakar": 1941, "Africa/Dar_es_Salaam": 1960,
    "Africa/Djibouti": 1942, "Africa/Douala": 1919, "Africa/Freetown": 1941, "Africa/Gaborone": 1944,
    "Africa/Harare": 1908, "Africa/Kampala": 1956, "Africa/Kigali": 1935, "Africa/Kinshasa": 1919,
    "Africa/Libreville": 1919, "Africa/Lome": 1912, "Africa/Luanda": 1919, "Africa/Lubumbashi": 1920,
    "Africa/Lusaka": 1908, "Africa/Malabo": 1963, "Africa/Maseru": 1943, "Africa/Mbabane": 1944,
    "Africa/Mogadishu": 1956, "Africa/Niamey": 1960, "Africa/Nouakchott": 1960, "Africa/Ouagadougou": 1912,
    "Africa/Porto-Novo": 1934, "America/Anguilla": 1945, "America/Antigua": 1951, "America/Aruba": 1965,
    "America/Atikokan": 1940, "America/Blanc-Sablon": 1942, "America/Cayman": 1912, "America/Creston": 1967,
    "America/Curacao": 1965, "America/Dominica": 1945, "America/Grenada": 1945, "America/Guadeloupe": 1945,
    "America/Montserrat": 1945, "America/Nassau": 1963, "America/Port_of_Spain": 1945,
    "America/St_Kitts": 1945, "America/St_Lucia": 1945, "America/St_Thomas": 1945,
    "America/St_Vincent": 1945, "America/Tortola": 1945, "Antarctica/DumontDUrville": 1956,
    "Antarctica/McMurdo": 1956, "Antarctica/Syowa": 1957, "Asia/Aden": 1949, "Asia/Bahrain": 1943,
    "Asia/Brunei": 1945, "Asia/Kuala_Lumpur": 1900, "Asia/Kuwait": 1949, "Asia/Muscat": 1919,
    "Asia/Phnom_Penh": 1945, "Asia/Vientiane": 1955, "Atlantic/Reykjavik": 1968, "Atlantic/St_Helena": 1951,
    "Europe/Amsterdam": 1946, "Europe/Copenhagen": 1949, "Europe/Guernsey": 1944, "Europe/Jersey": 1944,
    "Europe/Ljubljana": 1945, "Europe/Luxembourg": 1944, "Europe/Monaco": 1942, "Europe/Oslo": 1965,
    "Europe/Sarajevo": 1945, "Europe/Skopje": 1945, "Europe/Stockholm": 1949, "Europe/Zagreb": 1945,
    "Indian/Antananarivo": 1954, "Indian/Christmas": 1920, "Indian/Cocos": 1945, "Indian/Comoro": 1942,
    "Indian/Kerguelen": 1959, "Indian/Mahe": 1919, "Indian/Mayotte": 1942, "Indian/Reunion": 1919,
    "Pacific/Chuuk": 1945, "Pacific/Funafuti": 1900, "Pacific/Majuro": 1969, "Pacific/Midway": 1956,
    "Pacific/Pohnpei": 1945, "Pacific/Saipan": 1944, "Pacific/Wake": 1900, "Pacific/Wallis": 1900,
  ]

  static let policies: [Policy] = [
    Policy(ambiguous: "earlier", nonexistent: "shift_forward"),
    Policy(ambiguous: "earlier", nonexistent: "reject"),
    Policy(ambiguous: "later", nonexistent: "shift_forward"),
    Policy(ambiguous: "later", nonexistent: "reject"),
    Policy(ambiguous: "reject", nonexistent: "shift_forward"),
    Policy(ambiguous: "reject", nonexistent: "reject"),
  ]

  struct Policy: CustomStringConvertible {
    var ambiguous: String
    var nonexistent: String
    var description: String { "ambiguous=\(ambiguous) nonexistent=\(nonexistent)" }
  }

  /// A wall-clock time read in a zone, with its class and instants per zoneinfo.
  struct LocalCase: CustomStringConvertible {
    var zone: String
    /// The value as written in the input.
    var text: String
    /// `normal`, `gap` or `overlap`.
    var category: String
    /// normal: the instant; overlap: the earlier one; gap: the shifted one.
    var first: Int64
    /// overlap: the later instant.
    var second: Int64?
    var fraction: String

    /// What the step must write under a policy (in UTC), or `reject`.
    func expected(_ policy: Policy) -> String {
      switch category {
      case "overlap":
        switch policy.ambiguous {
        case "earlier": return Civil.utc(first, fraction: fraction)
        case "later": return Civil.utc(second ?? first, fraction: fraction)
        default: return "reject"
        }
      case "gap":
        return policy.nonexistent == "shift_forward" ? Civil.utc(first, fraction: fraction) : "reject"
      default:
        return Civil.utc(first, fraction: fraction)
      }
    }

    var description: String {
      let instants = [first] + (second.map { [$0] } ?? [])
      return
        "\(zone) \"\(text)\" [\(category)] zoneinfo: \(instants.map { Civil.utc($0, fraction: fraction) }.joined(separator: " / "))"
    }
  }

  /// An input value and what the step must write for it, per zoneinfo.
  struct ValueCase: CustomStringConvertible {
    var zone: String
    var value: String
    var expected: String
    var description: String { "\(zone) \"\(value)\" zoneinfo: \(expected)" }
  }

  struct Transition {
    var instant: Int64
    var before: Int
    var after: Int
  }

  struct Cases {
    var comments: [String] = []
    var pythonZones: [String] = []
    var zones: [String] = []
    var randomLocals: [LocalCase] = []
    var transitionLocals: [LocalCase] = []
    var instants: [ValueCase] = []
    var offsets: [ValueCase] = []
    /// Zone name → the first name with identical data (whose transitions are listed).
    var group: [String: String] = [:]
    var transitions: [String: [Transition]] = [:]
  }

  nonisolated(unsafe) static var cached: Result<Cases, Error>? = nil

  /// Runs the generator once per test process.
  static func cases() throws -> Cases {
    if let cached { return try cached.get() }
    let result = Result { try generate() }
    cached = result
    return try result.get()
  }

  static func generate() throws -> Cases {
    var cases = Cases()
    let listed = try Python.run([script.path, "--list-zones"])
    cases.pythonZones = String(decoding: listed, as: UTF8.self).split(separator: "\n").map(String.init)
    cases.zones = cases.pythonZones.filter { Zone($0) != nil }
    let zoneFile = FileManager.default.temporaryDirectory
      .appendingPathComponent("decant-tz-zones-\(UUID().uuidString).txt")
    try Data(cases.zones.joined(separator: "\n").utf8).write(to: zoneFile)
    defer { try? FileManager.default.removeItem(at: zoneFile) }
    let output = [UInt8](
      try Python.run([script.path, "--zones", zoneFile.path, "--seed", String(seed)]))
    var start = 0
    while start < output.count {
      var end = start
      while end < output.count && output[end] != 10 { end += 1 }
      var fields: [String] = []
      var f = start
      for i in start...end where i == end || output[i] == 9 {
        fields.append(String(decoding: output[f..<i], as: UTF8.self))
        f = i + 1
      }
      start = end + 1
      try add(fields, to: &cases)
    }
    return cases
  }

  private static func add(_ fields: [String], to cases: inout Cases) throws {
    func int(_ s: String) throws -> Int64 {
      guard let v = Int64(s) else { throw Python.Failure(message: "not a number in \(fields)") }
      return v
    }
    switch (fields[0], fields.count) {
    case ("L", 9):
      let fraction = fields[4] == "-" ? "" : fields[4]
      let c = LocalCase(
        zone: fields[2],
        text: Civil.text(try int(fields[3]), separator: fields[5]) + (fraction.isEmpty ? "" : "." + fraction),
        category: fields[6], first: try int(fields[7]), second: fields[8] == "-" ? nil : try int(fields[8]),
        fraction: fraction)
      if fields[1] == "random" { cases.randomLocals.append(c) } else { cases.transitionLocals.append(c) }
    case ("U", 4):
      cases.instants.append(ValueCase(zone: fields[1], value: fields[2], expected: fields[3]))
    case ("O", 4):
      cases.offsets.append(ValueCase(zone: fields[1], value: fields[2], expected: fields[3]))
    case ("A", 3):
      cases.group[fields[2]] = fields[1]
    case ("T", 5):
      cases.transitions[fields[1], default: []].append(
        Transition(
          instant: try int(fields[2]), before: Int(try int(fields[3])), after: Int(try int(fields[4]))))
    default:
      guard fields[0].hasPrefix("#") else {
        throw Python.Failure(message: "unexpected line from the generator: \(fields)")
      }
      cases.comments.append(fields.joined(separator: "\t"))
    }
  }

  /// True when zoneinfo's data cannot be Decant's at this instant (see `dataDifferences`).
  static func dataDiffer(_ zone: String, at instant: Int64) -> Bool {
    guard let year = dataDifferences[zone] else { return false }
    return Civil.year(instant) <= year
  }

  // MARK: The cases themselves

  func testTheGeneratorCoversEveryZoneDecantAccepts() throws {
    let cases = try Self.cases()
    XCTAssertGreaterThan(cases.zones.count, 500, "zones known to both zoneinfo and Decant")
    XCTAssertEqual(cases.randomLocals.count, 30_000)
    XCTAssertEqual(cases.instants.count, 30_000)
    XCTAssertEqual(cases.offsets.count, 2_000)
    XCTAssertEqual(Set(cases.group.keys), Set(cases.zones))
    XCTAssertGreaterThan(cases.transitions.values.reduce(0) { $0 + $1.count }, 40_000)
    for category in ["normal", "gap", "overlap"] {
      XCTAssertGreaterThan(cases.transitionLocals.filter { $0.category == category }.count, 40_000, category)
    }
    let refused = cases.pythonZones.filter { Zone($0) == nil }
    let transitions = cases.transitions.values.reduce(0) { $0 + $1.count }
    let byCategory = Dictionary(grouping: cases.transitionLocals, by: \.category).mapValues(\.count)
    print(
      "\(cases.zones.count) zones; \(transitions) transitions in \(Set(cases.group.values).count) distinct zones; wall-clock times around them: \(byCategory.sorted { $0.key < $1.key }); zoneinfo names Decant refuses: \(refused)"
    )
    // Every zone in the system's zone table is one Decant accepts.
    let table = try String(contentsOfFile: "/usr/share/zoneinfo/zone1970.tab", encoding: .utf8)
    for line in table.split(separator: "\n") where !line.hasPrefix("#") {
      let name = String(line.split(separator: "\t")[2])
      XCTAssertNotNil(Zone(name), "zone1970.tab names \(name)")
    }
  }

  func testFoundationDataDiffersFromZoneinfoOnlyWhereListed() throws {
    let cases = try Self.cases()
    // The last year in which each zone's offset changes differ between the databases.
    var differing: [String: Int] = [:]
    let start = Date(timeIntervalSince1970: -2_208_988_800)  // 1900-01-01
    let end = 4_102_444_800.0  // 2100-01-01
    for name in cases.zones {
      let zone = try XCTUnwrap(Zone(name))
      let python = cases.transitions[cases.group[name] ?? ""] ?? []
      var foundation: [Transition] = []
      if let tz = zone.timeZone {
        var t = start
        while let next = tz.nextDaylightSavingTimeTransition(after: t), next.timeIntervalSince1970 < end {
          let s = Int64(next.timeIntervalSince1970.rounded())
          let before = tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(s - 1)))
          let after = tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(s)))
          if before != after { foundation.append(Transition(instant: s, before: before, after: after)) }
          t = next
        }
      }
      func key(_ t: Transition) -> String { "\(t.instant) \(t.before) \(t.after)" }
      let p = Set(python.map(key))
      let f = Set(foundation.map(key))
      let changes = python.filter { !f.contains(key($0)) } + foundation.filter { !p.contains(key($0)) }
      if let last = changes.map(\.instant).max() { differing[name] = Civil.year(last) }
    }
    // Offsets at the random instants: Foundation's against zoneinfo's.
    for c in cases.instants where !Self.dataDiffer(c.zone, at: Civil.seconds(c.value) ?? 0) {
      guard let tz = Zone(c.zone)?.timeZone, let utc = Civil.seconds(c.value) else { continue }
      let offset = tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utc)))
      let expected = Civil.offset(of: c.expected)
      if offset != expected {
        XCTFail("\(c): Foundation's offset is \(offset) s, zoneinfo's \(expected.map(String.init) ?? "?") s")
      }
    }
    let unexpected = differing.filter { Self.dataDifferences[$0.key] != $0.value }.sorted { $0.key < $1.key }
    let gone = Self.dataDifferences.filter { differing[$0.key] == nil }.keys.sorted()
    XCTAssertTrue(
      unexpected.isEmpty,
      "zones whose data differs unlike the list (zone: last year): \(unexpected.map { "\($0.key): \($0.value)" })"
    )
    XCTAssertTrue(gone.isEmpty, "listed zones whose data no longer differs: \(gone)")
    print(
      "tz data: \(cases.comments.first ?? "?"); Foundation \(TimeZone.timeZoneDataVersion); data differ in \(Self.dataDifferences.count) zones (listed)"
    )
  }

  // MARK: Conversions

  /// Nearly all are normal: `reject` for both policies turns any time taken for
  /// a gap or an overlap into a rejection, so misreadings cannot hide.
  func testRandomWallClockTimesInEveryZone() throws {
    let cases = try Self.cases().randomLocals
    for policy in [Policy(ambiguous: "reject", nonexistent: "reject"), Self.policies[2]] {
      var failures = Failures(what: "random wall-clock times, \(policy)")
      try check(cases, policy: policy, failures: &failures)
      failures.report()
    }
  }

  func testEveryGapAndOverlapUnderEveryPolicy() throws {
    let cases = try Self.cases().transitionLocals.filter { $0.category != "normal" }
    for policy in Self.policies {
      var failures = Failures(what: "gaps and overlaps, \(policy)")
      try check(cases, policy: policy, failures: &failures)
      failures.report()
    }
  }

  /// The seconds just before and just after each gap or overlap happen once:
  /// with `reject` for both policies, a misread one would be rejected.
  func testTheSecondsAroundEveryTransitionAreReadAsNormalTimes() throws {
    let cases = try Self.cases().transitionLocals.filter { $0.category == "normal" }
    var failures = Failures(what: "seconds around transitions")
    try check(cases, policy: Policy(ambiguous: "reject", nonexistent: "reject"), failures: &failures)
    failures.report()
  }

  func testEveryGapAndOverlapWithTheZoneNamedInTheStep() throws {
    let cases = try Self.cases().transitionLocals.filter { $0.category != "normal" }
    var failures = Failures(what: "gaps and overlaps, from_zone named in the step")
    for (zone, group) in Dictionary(grouping: cases, by: \.zone).sorted(by: { $0.key < $1.key }) {
      try check(group, policy: Self.policies[2], fromZone: zone, failures: &failures)
    }
    failures.report()
  }

  func testRandomInstantsWrittenInEveryZone() throws {
    let byZone = Dictionary(grouping: try Self.cases().instants, by: \.zone)
    var failures = Failures(what: "random instants written in their zone")
    var skipped = 0
    for zone in byZone.keys.sorted() {
      let all = byZone[zone]!
      let cases = all.filter { !Self.dataDiffer(zone, at: Civil.seconds($0.value) ?? 0) }
      skipped += all.count - cases.count
      let got = try convert(
        step: #"{"op": "normalize_timezone", "column": "t", "to_zone": "\#(zone)"}"#,
        columns: ["t"], rows: cases.map { [$0.value] })
      for (c, value) in zip(cases, got) where value != c.expected {
        failures.add(c.zone, "\(c): got \(value)")
      }
    }
    failures.report()
    print("random instants: \(skipped) of 30000 fall where the tz data differ (not compared)")
  }

  func testValuesWithTheirOwnOffsetIgnoreFromZone() throws {
    let cases = try Self.cases().offsets
    var failures = Failures(what: "values with their own offset")
    let got = try convert(
      step: #"{"op": "normalize_timezone", "column": "t", "from_zone": {"column": "tz"}}"#,
      columns: ["tz", "t"], rows: cases.map { [$0.zone, $0.value] })
    for (c, value) in zip(cases, got) where value != c.expected {
      failures.add(c.zone, "\(c): got \(value)")
    }
    failures.report()
  }

  // MARK: Running

  /// Reads every case's wall-clock time in its zone (from a zone column, or
  /// named in the step) and compares the UTC result with zoneinfo's.
  func check(_ cases: [LocalCase], policy: Policy, fromZone: String? = nil, failures: inout Failures) throws {
    let compared = cases.filter { !Self.dataDiffer($0.zone, at: min($0.first, $0.second ?? $0.first)) }
    let from = fromZone.map { "\"\($0)\"" } ?? #"{"column": "tz"}"#
    let got = try convert(
      step: """
        {"op": "normalize_timezone", "column": "t", "from_zone": \(from),
         "ambiguous": "\(policy.ambiguous)", "nonexistent": "\(policy.nonexistent)"}
        """,
      columns: ["tz", "t"], rows: compared.map { [$0.zone, $0.text] })
    for (c, value) in zip(compared, got) {
      let want = c.expected(policy)
      if value != want && !(want == "reject" && value.hasPrefix("reject")) {
        failures.add(c.zone, "\(c), \(policy): expected \(want), got \(value)")
      }
    }
    failures.notCompared += cases.count - compared.count
  }

  /// Runs one step over the rows (in batches of 4096, as a reader hands them
  /// out) and returns column `t` of each row, or `reject: REASON`.
  func convert(step: String, columns: [String], rows: [[String]]) throws -> [String] {
    let chunks = stride(from: 0, to: rows.count, by: 4096).map {
      Array(rows[$0..<min($0 + 4096, rows.count)])
    }
    let batches = makeBatches(chunks, columnCount: columns.count)
    let pipeline = try Pipeline(recipe: try recipe(steps: step), inputSchema: Schema(columns))
    let t = try XCTUnwrap(pipeline.outputSchema.names.firstIndex(of: "t"))
    var got = [String](repeating: "missing", count: rows.count)
    let sinks = Pipeline.Sinks(
      output: { batch in
        for r in 0..<batch.rowCount { got[batch.lines[r] - 2] = batch.string(row: r, column: t) }
      },
      rejectRow: { batch, r, _, reason in got[batch.lines[r] - 2] = "reject: \(reason)" })
    let counts = try pipeline.run(
      reader: MemoryReader(columns: columns, batches: batches), sinks: sinks)
    XCTAssertEqual(counts.last?.rowsIn, rows.count)
    XCTAssertTrue(counts.allSatisfy(\.balances), "row accounting")
    return got
  }

  /// Failing cases grouped by zone: the first few listed, then the count per zone.
  struct Failures {
    var what: String
    var byZone: [String: [String]] = [:]
    var order: [String] = []
    var notCompared = 0
    static let listed = 20

    init(what: String) { self.what = what }

    mutating func add(_ zone: String, _ message: String) {
      if byZone[zone] == nil { order.append(zone) }
      byZone[zone, default: []].append(message)
    }

    func report(file: StaticString = #filePath, line: UInt = #line) {
      let count = byZone.values.reduce(0) { $0 + $1.count }
      if notCompared > 0 { print("\(what): \(notCompared) case(s) where the tz data differ (not compared)") }
      guard count > 0 else { return }
      var shown = 0
      for zone in order where shown < Self.listed {
        for m in byZone[zone]!.prefix(2) where shown < Self.listed {
          XCTFail("\(what): \(m)", file: file, line: line)
          shown += 1
        }
      }
      let perZone = order.map { "\($0) \(byZone[$0]!.count)" }.joined(separator: ", ")
      XCTFail(
        "\(what): \(count) case(s) differ from zoneinfo in \(order.count) zone(s): \(perZone)", file: file,
        line: line)
    }
  }
}

/// Date and time text for the tests, written independently of Decant
/// (proleptic Gregorian calendar, days from civil dates as in Howard Hinnant's
/// `chrono` algorithms).
enum Civil {
  static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }

  /// (year, month, day, seconds of the day) of seconds since 1970-01-01 00:00.
  static func fields(_ seconds: Int64) -> (Int64, Int64, Int64, Int64) {
    let days = floorDiv(seconds, 86_400)
    let z = days + 719_468
    let era = floorDiv(z, 146_097)
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day, seconds - days * 86_400)
  }

  static func year(_ seconds: Int64) -> Int { Int(fields(seconds).0) }

  static func pad(_ v: Int64, _ width: Int) -> String {
    let s = String(v)
    return String(repeating: "0", count: max(0, width - s.count)) + s
  }

  /// `YYYY-MM-DD` SEPARATOR `HH:MM:SS`.
  static func text(_ seconds: Int64, separator: String) -> String {
    let (y, m, d, s) = fields(seconds)
    return
      "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))\(separator)\(pad(s / 3600, 2)):\(pad(s / 60 % 60, 2)):\(pad(s % 60, 2))"
  }

  /// ISO 8601 in UTC with the fraction digits as given.
  static func utc(_ seconds: Int64, fraction: String) -> String {
    text(seconds, separator: "T") + (fraction.isEmpty ? "" : "." + fraction) + "Z"
  }

  /// Seconds since the epoch of `YYYY-MM-DDTHH:MM:SS[.f]Z` (the generator's UTC values).
  static func seconds(_ text: String) -> Int64? {
    let b = Array(text.utf8)
    guard b.count >= 20 else { return nil }
    func num(_ r: Range<Int>) -> Int64? { Int64(String(decoding: b[r], as: UTF8.self)) }
    guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10), let h = num(11..<13),
      let mi = num(14..<16), let s = num(17..<19)
    else { return nil }
    // Days from civil (the inverse of `fields`).
    let yy = m <= 2 ? y - 1 : y
    let era = floorDiv(yy, 400)
    let yoe = yy - era * 400
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    let days = era * 146_097 + doe - 719_468
    return days * 86_400 + h * 3600 + mi * 60 + s
  }

  /// The UTC offset in seconds at the end of an ISO 8601 value (`Z`, `±HH:MM[:SS]`).
  static func offset(of text: String) -> Int? {
    if text.hasSuffix("Z") { return 0 }
    guard let t = text.lastIndex(of: "T"), let i = text[t...].lastIndex(where: { $0 == "+" || $0 == "-" })
    else { return nil }
    let parts = text[text.index(after: i)...].split(separator: ":").compactMap { Int($0) }
    guard parts.count >= 2 else { return nil }
    let v = parts[0] * 3600 + parts[1] * 60 + (parts.count > 2 ? parts[2] : 0)
    return text[i] == "-" ? -v : v
  }
}
