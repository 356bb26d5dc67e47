import XCTest

@testable import DecantCore

/// `TimestampFormat` (strftime patterns over bytes), `parseISO` and civil-time arithmetic.
final class TimestampFormatTests: XCTestCase {
  private func parse(_ pattern: String, _ value: String) throws -> CivilDateTime? {
    let format = try TimestampFormat(pattern, forParsing: true)
    return Array(value.utf8).withUnsafeBufferPointer { format.parse($0) }
  }

  private func iso(_ value: String) -> CivilDateTime? {
    Array(value.utf8).withUnsafeBufferPointer { TimestampFormat.parseISO($0) }
  }

  private func format(
    _ pattern: String, _ time: CivilDateTime, offset: Int = 0, utcSeconds: Int64 = 0, zone: String = "UTC"
  ) throws -> String {
    let f = try TimestampFormat(pattern, forParsing: false)
    var out: [UInt8] = []
    f.format(time, offset: offset, utcSeconds: utcSeconds, zoneName: zone, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  private func patternError(_ pattern: String, forParsing: Bool) -> String? {
    do {
      _ = try TimestampFormat(pattern, forParsing: forParsing)
      XCTFail("\"\(pattern)\" compiled")
      return nil
    } catch {
      return error.message
    }
  }

  // MARK: Parsing

  /// The by-position reader for `%Y-%m-%d %H:%M:%S`-like patterns must agree with
  /// the general parser on every value it accepts, and leave the rest to it.
  func testFixedLayoutReadsWhatTheGeneralParserReads() throws {
    var rng = SystemRandomNumberGenerator()
    let pieces: [[UInt8]] = [
      "0", "1", "2", "9", "5", "-", "/", " ", "\t", "T", ":", "x", "12", "31", "60", "2024",
    ].map {
      Array($0.utf8)
    }
    for pattern in ["%Y-%m-%d %H:%M:%S", "%Y/%m/%dT%H.%M.%S", "%Y-%m-%d", "%Y%m%d"] {
      let format = try TimestampFormat(pattern, forParsing: true)
      let layout = format.tokens.withUnsafeBufferPointer { TimestampFormat.FixedLayout($0) }
      if pattern == "%Y%m%d" {
        XCTAssertNil(layout, "no separators: not a fixed layout")
        continue
      }
      let fixed = try XCTUnwrap(layout, pattern)
      var accepted = 0
      for i in 0..<20_000 {
        var value: [UInt8]
        if i % 2 == 0 {
          // A valid-looking value with one byte changed now and then.
          let sample = pattern.count == 8 ? "2024-02-29" : "2024-02-29 23:59:58"
          value = Array(sample.utf8)
          if pattern.contains("/") {
            value = Array("2023/12/31T00.00.59".utf8)
          }
          if i % 6 == 0 {
            value[Int.random(in: 0..<value.count, using: &rng)] = pieces.randomElement(using: &rng)![0]
          }
        } else {
          value = []
          while value.count < 19 { value += pieces.randomElement(using: &rng)! }
          value = Array(value.prefix(Bool.random(using: &rng) ? 19 : 10))
        }
        value.withUnsafeBufferPointer { b in
          let general = format.tokens.withUnsafeBufferPointer { TimestampFormat.parse(tokens: $0, b) }
          if let quick = fixed.parse(b) {
            accepted += 1
            XCTAssertEqual(quick, general, "\(pattern) on \(String(decoding: b, as: UTF8.self))")
          }
        }
      }
      XCTAssertGreaterThan(accepted, 1000, pattern)
    }
  }

  /// Output patterns of the fixed layout, with literals after the seconds, are
  /// written by position exactly as the general formatter writes them.
  func testFixedLayoutWritesWhatTheGeneralFormatterWrites() throws {
    var rng = SystemRandomNumberGenerator()
    for pattern in [
      "%Y-%m-%dT%H:%M:%SZ", "%Y/%m/%d %H.%M.%S", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S.000Z", "%Y.%m.%d",
    ] {
      let format = try TimestampFormat(pattern, forParsing: false)
      let layout = try XCTUnwrap(
        format.tokens.withUnsafeBufferPointer { TimestampFormat.FixedLayout(formatting: $0) }, pattern)
      for _ in 0..<5_000 {
        let t = CivilDateTime(
          year: Int.random(in: 0...9999, using: &rng), month: Int.random(in: 1...12, using: &rng),
          day: Int.random(in: 1...28, using: &rng), hour: Int.random(in: 0...23, using: &rng),
          minute: Int.random(in: 0...59, using: &rng), second: Int.random(in: 0...59, using: &rng))
        var expected: [UInt8] = []
        format.tokens.withUnsafeBufferPointer { tokens in
          TimestampFormat.format(
            tokens: tokens, t, offset: 0, utcSeconds: 0, zoneName: UnsafeBufferPointer(start: nil, count: 0),
            to: &expected)
        }
        let written = [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
          count = layout.format(t, into: buffer.baseAddress!)
        }
        XCTAssertEqual(String(decoding: written, as: UTF8.self), String(decoding: expected, as: UTF8.self))
      }
    }
    let tooLong = try TimestampFormat("%Y-%m-%d %H:%M:%S and more", forParsing: false)
    XCTAssertNil(tooLong.tokens.withUnsafeBufferPointer { TimestampFormat.FixedLayout(formatting: $0) })
  }

  func testISOReadsExpandedYearsAndOffsetsWithSeconds() throws {
    let far = try XCTUnwrap(iso("+33658-09-27T01:46:39Z"))
    XCTAssertEqual([far.year, far.month, far.day], [33658, 9, 27])
    let early = try XCTUnwrap(iso("-0044-03-15T12:00:00+00:00"))
    XCTAssertEqual(early.year, -44)
    XCTAssertNil(iso("+123-01-01"), "an expanded year has at least four digits")
    let lmt = try XCTUnwrap(iso("1012-11-03T01:30:00-04:56:02"))
    XCTAssertEqual(lmt.offset, -(4 * 3600 + 56 * 60 + 2))
    XCTAssertNil(iso("1012-11-03T01:30:00-04:56:60"))
  }

  /// Fuzz/regressions/timestamp/offset-seconds-in-basic-form: an offset's seconds
  /// are read in the form of its minutes, so `%z` reads back what it writes.
  func testOffsetSecondsFollowTheFormOfTheMinutes() throws {
    let format = try TimestampFormat("%Y-%m-%dT%H:%M:%S%z", forParsing: true)
    func parse(_ text: String) -> CivilDateTime? {
      Array(text.utf8).withUnsafeBufferPointer { b in
        format.tokens.withUnsafeBufferPointer { TimestampFormat.parse(tokens: $0, b) }
      }
    }
    XCTAssertEqual(parse("2024-03-10T02:03:00+000545")?.offset, 345)
    XCTAssertEqual(parse("2024-03-10T02:03:00+00:05:45")?.offset, 345)
    XCTAssertNil(parse("2024-03-10T02:03:00+0005:45"), "basic minutes, then colon seconds")
    let t = CivilDateTime(year: 2024, month: 3, day: 10, hour: 2, minute: 3, offset: 345)
    var written: [UInt8] = []
    try TimestampFormat("%Y-%m-%dT%H:%M:%S%z", forParsing: false).format(
      t, offset: 345, utcSeconds: 0, zoneName: "", to: &written)
    let text = String(decoding: written, as: UTF8.self)
    XCTAssertEqual(text, "2024-03-10T02:03:00+000545")
    XCTAssertEqual(parse(text)?.offset, 345)
    // With a number right after `%z`, its digits are not taken as the offset's seconds.
    let run = try TimestampFormat("%y%j %H%M%z%S", forParsing: true)
    let t2 = Array("24060 2359+000059".utf8).withUnsafeBufferPointer { b in
      run.tokens.withUnsafeBufferPointer { TimestampFormat.parse(tokens: $0, b) }
    }
    XCTAssertEqual(t2?.offset, 0)
    XCTAssertEqual(t2?.second, 59)
  }

  func testParsesAFullDateTime() throws {
    XCTAssertEqual(
      try parse("%Y-%m-%d %H:%M:%S", "2024-03-05 07:08:09"),
      CivilDateTime(year: 2024, month: 3, day: 5, hour: 7, minute: 8, second: 9))
  }

  func testNumericFieldsAcceptOneOrTwoDigits() throws {
    XCTAssertEqual(
      try parse("%Y-%m-%d %H:%M", "2024-3-5 7:08"),
      CivilDateTime(year: 2024, month: 3, day: 5, hour: 7, minute: 8))
  }

  func testASpaceInThePatternMatchesRunsOfSpacesAndTabs() throws {
    XCTAssertEqual(
      try parse("%Y-%m-%d %H:%M", "2024-03-05 \t  07:08"),
      CivilDateTime(year: 2024, month: 3, day: 5, hour: 7, minute: 8))
    XCTAssertNil(try parse("%Y-%m-%d %H:%M", "2024-03-0507:08"))
  }

  func testLiteralsMustMatch() throws {
    XCTAssertNil(try parse("%Y-%m-%d", "2024/03/05"))
  }

  func testFourDigitYearIsRequiredByPercentY() throws {
    XCTAssertNil(try parse("%Y-%m-%d", "24-03-05"))
    XCTAssertNil(try parse("%Y-%m-%d", "02024-03-05"))
  }

  func testTwelveHourClock() throws {
    XCTAssertEqual(try parse("%Y-%m-%d %I:%M %p", "2024-03-05 12:00 AM")?.hour, 0)
    XCTAssertEqual(try parse("%Y-%m-%d %I:%M %p", "2024-03-05 12:30 PM")?.hour, 12)
    XCTAssertEqual(try parse("%Y-%m-%d %I:%M %p", "2024-03-05 01:00 pm")?.hour, 13)
    XCTAssertEqual(try parse("%Y-%m-%d %I:%M %p", "2024-03-05 11:59 am")?.hour, 11)
    XCTAssertNil(try parse("%Y-%m-%d %I:%M %p", "2024-03-05 13:00 PM"))
    XCTAssertNil(try parse("%Y-%m-%d %I:%M %p", "2024-03-05 00:00 AM"))
    XCTAssertNil(try parse("%Y-%m-%d %I:%M %p", "2024-03-05 10:00 XM"))
  }

  func testMonthNamesFullOrAbbreviatedInAnyCase() throws {
    XCTAssertEqual(try parse("%d %b %Y", "05 Mar 2024"), CivilDateTime(year: 2024, month: 3, day: 5))
    XCTAssertEqual(try parse("%d %b %Y", "05 march 2024"), CivilDateTime(year: 2024, month: 3, day: 5))
    XCTAssertEqual(try parse("%d %B %Y", "05 SEPTEMBER 2024"), CivilDateTime(year: 2024, month: 9, day: 5))
    XCTAssertEqual(try parse("%d %b %Y", "05 Dec 2024"), CivilDateTime(year: 2024, month: 12, day: 5))
    XCTAssertNil(try parse("%d %b %Y", "05 Mrz 2024"))
  }

  func testWeekdayNamesAreReadButNotChecked() throws {
    XCTAssertEqual(
      try parse("%a, %d %b %Y %H:%M:%S %z", "Tue, 05 Mar 2024 10:00:00 +0000"),
      CivilDateTime(year: 2024, month: 3, day: 5, hour: 10, offset: 0))
    XCTAssertEqual(
      try parse("%A %d %b %Y", "Friday 05 Mar 2024"), CivilDateTime(year: 2024, month: 3, day: 5))
  }

  func testOffsetForms() throws {
    let p = "%Y-%m-%d %H:%M %z"
    XCTAssertEqual(try parse(p, "2024-03-05 10:00 +0530")?.offset, 19_800)
    XCTAssertEqual(try parse(p, "2024-03-05 10:00 -05:30")?.offset, -19_800)
    XCTAssertEqual(try parse(p, "2024-03-05 10:00 +05")?.offset, 18_000)
    XCTAssertEqual(try parse(p, "2024-03-05 10:00 Z")?.offset, 0)
    XCTAssertEqual(try parse("%Y-%m-%d %H:%M %:z", "2024-03-05 10:00 +01:00")?.offset, 3600)
    XCTAssertNil(try parse(p, "2024-03-05 10:00 +24:00"))
    XCTAssertNil(try parse(p, "2024-03-05 10:00 +05:60"))
    XCTAssertNil(try parse(p, "2024-03-05 10:00 +5"))
    XCTAssertNil(try parse(p, "2024-03-05 10:00 CET"))
  }

  func testFractionKeepsItsDigitsAsWritten() throws {
    XCTAssertEqual(try parse("%Y-%m-%d %H:%M:%S.%f", "2024-03-05 10:00:00.1")?.fraction, Array("1".utf8))
    XCTAssertEqual(
      try parse("%Y-%m-%d %H:%M:%S.%f", "2024-03-05 10:00:00.000000001")?.fraction, Array("000000001".utf8))
    XCTAssertNil(try parse("%Y-%m-%d %H:%M:%S.%f", "2024-03-05 10:00:00.1234567890"))
    XCTAssertNil(try parse("%Y-%m-%d %H:%M:%S.%f", "2024-03-05 10:00:00."))
  }

  func testEpochSecondsCarryAZeroOffset() throws {
    XCTAssertEqual(
      try parse("%s", "1710052200"),
      CivilDateTime(year: 2024, month: 3, day: 10, hour: 6, minute: 30, offset: 0))
    XCTAssertEqual(
      try parse("%s", "-1"),
      CivilDateTime(year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 59, offset: 0))
    XCTAssertEqual(
      try parse("%s.%f", "1710052200.25"),
      CivilDateTime(year: 2024, month: 3, day: 10, hour: 6, minute: 30, fraction: Array("25".utf8), offset: 0)
    )
  }

  func testDayOfYear() throws {
    XCTAssertEqual(try parse("%Y %j", "2024 366"), CivilDateTime(year: 2024, month: 12, day: 31))
    XCTAssertEqual(try parse("%Y %j", "2024 1"), CivilDateTime(year: 2024, month: 1, day: 1))
    XCTAssertEqual(try parse("%Y %j", "2023 060"), CivilDateTime(year: 2023, month: 3, day: 1))
    XCTAssertNil(try parse("%Y %j", "2023 366"))
    XCTAssertNil(try parse("%Y %j", "2023 000"))
  }

  func testSpacePaddedDay() throws {
    XCTAssertEqual(try parse("%Y%m%e", "202403 5"), CivilDateTime(year: 2024, month: 3, day: 5))
    XCTAssertEqual(try parse("%Y%m%e", "20240315"), CivilDateTime(year: 2024, month: 3, day: 15))
  }

  func testTwoDigitYearPivot() throws {
    XCTAssertEqual(try parse("%y-%m-%d", "68-01-01")?.year, 2068)
    XCTAssertEqual(try parse("%y-%m-%d", "69-01-01")?.year, 1969)
    XCTAssertEqual(try parse("%y-%m-%d", "00-01-01")?.year, 2000)
    XCTAssertNil(try parse("%y-%m-%d", "2024-01-01"))
  }

  func testShorthandsAndPercentLiteral() throws {
    XCTAssertEqual(
      try parse("%F %T", "2024-03-05 07:08:09"),
      CivilDateTime(year: 2024, month: 3, day: 5, hour: 7, minute: 8, second: 9))
    XCTAssertEqual(
      try parse("%Y-%m-%d 100%%", "2024-03-05 100%"), CivilDateTime(year: 2024, month: 3, day: 5))
    XCTAssertNil(try parse("%Y-%m-%d 100%%", "2024-03-05 100"))
  }

  func testImpossibleDatesAndTimesDoNotParse() throws {
    let p = "%Y-%m-%d %H:%M:%S"
    XCTAssertNil(try parse(p, "2023-02-29 00:00:00"))
    XCTAssertNotNil(try parse(p, "2024-02-29 00:00:00"))
    XCTAssertNil(try parse(p, "1900-02-29 00:00:00"))
    XCTAssertNotNil(try parse(p, "2000-02-29 00:00:00"))
    XCTAssertNil(try parse(p, "2024-04-31 00:00:00"))
    XCTAssertNil(try parse(p, "2024-13-01 00:00:00"))
    XCTAssertNil(try parse(p, "2024-00-01 00:00:00"))
    XCTAssertNil(try parse(p, "2024-01-01 24:00:00"))
    XCTAssertNil(try parse(p, "2024-01-01 23:60:00"))
    XCTAssertNil(try parse(p, "2024-01-01 23:59:60"))
  }

  func testTheWholeValueMustMatch() throws {
    XCTAssertNil(try parse("%Y-%m-%d", "2024-03-05x"))
    XCTAssertNil(try parse("%Y-%m-%d", "2024-03-05 "))
  }

  // MARK: Pattern errors

  func testLonePercentIsAnError() {
    XCTAssertEqual(
      patternError("%Y-%m-%d %", forParsing: true),
      "the pattern \"%Y-%m-%d %\" ends with a lone '%' (write %% for a percent sign)")
  }

  func testUnknownDirectiveIsAnError() {
    XCTAssertEqual(
      patternError("%Y-%m-%d %Q", forParsing: true),
      "the pattern \"%Y-%m-%d %Q\" uses %Q, which Decant does not read; use %Y %m %d %H %M %S %f %z %b %p %I and friends (see `decant ops`)"
    )
  }

  func testZoneNameCanBeWrittenButNotRead() throws {
    XCTAssertEqual(
      patternError("%Y-%m-%d %Z", forParsing: true),
      "the pattern \"%Y-%m-%d %Z\" uses %Z, which Decant does not read; use %Y %m %d %H %M %S %f %z %b %p %I and friends (see `decant ops`)"
    )
    XCTAssertEqual(try TimestampFormat("%Y-%m-%d %Z", forParsing: false).pattern, "%Y-%m-%d %Z")
  }

  func testInputPatternsMustNameAFullDate() {
    for p in ["%H:%M", "%Y-%m", "%m-%d", "%Y %d", "%j"] {
      XCTAssertEqual(
        patternError(p, forParsing: true),
        "the input format \"\(p)\" does not name a full date (it needs a year, a month and a day)", p)
    }
  }

  func testFullDatePatternsCompile() throws {
    for p in ["%Y-%m-%d", "%y%m%d", "%Y %j", "%s", "%d %B %Y", "%e %b %y", "%F"] {
      XCTAssertEqual(try TimestampFormat(p, forParsing: true).pattern, p)
    }
  }

  func testOutputPatternsNeedNoDate() throws {
    XCTAssertEqual(
      try format("%H:%M", CivilDateTime(year: 2024, month: 1, day: 1, hour: 7, minute: 5)), "07:05")
  }

  func testTwelveHourAndAMPMMustComeTogether() {
    XCTAssertEqual(
      patternError("%Y-%m-%d %I:%M", forParsing: true),
      "the input format \"%Y-%m-%d %I:%M\" must use %I and %p together (12-hour clock)")
    XCTAssertEqual(
      patternError("%Y-%m-%d %H:%M %p", forParsing: true),
      "the input format \"%Y-%m-%d %H:%M %p\" must use %I and %p together (12-hour clock)")
  }

  // MARK: Formatting

  func testFormatsPaddedFields() throws {
    let t = CivilDateTime(year: 987, month: 3, day: 5, hour: 7, minute: 8, second: 9)
    XCTAssertEqual(try format("%Y-%m-%d %H:%M:%S|%e|%y|%j", t), "0987-03-05 07:08:09| 5|87|064")
  }

  func testFormatsTwelveHourClock() throws {
    func hour(_ h: Int) throws -> String {
      try format("%I %p", CivilDateTime(year: 2024, month: 1, day: 1, hour: h))
    }
    XCTAssertEqual(try hour(0), "12 AM")
    XCTAssertEqual(try hour(1), "01 AM")
    XCTAssertEqual(try hour(11), "11 AM")
    XCTAssertEqual(try hour(12), "12 PM")
    XCTAssertEqual(try hour(23), "11 PM")
  }

  func testFormatsNamesOfMonthsAndDays() throws {
    let t = CivilDateTime(year: 2024, month: 9, day: 1)
    XCTAssertEqual(try format("%a %A %b %B", t), "Sun Sunday Sep September")
  }

  func testFormatsOffsets() throws {
    let t = CivilDateTime(year: 2024, month: 1, day: 1)
    XCTAssertEqual(try format("%z %:z", t, offset: 19_800), "+0530 +05:30")
    XCTAssertEqual(try format("%z %:z", t, offset: -34_200), "-0930 -09:30")
    XCTAssertEqual(try format("%z %:z", t, offset: 0), "+0000 +00:00")
    XCTAssertEqual(try format("%z %:z", t, offset: 5_430), "+013030 +01:30:30")
  }

  func testFormatsEpochSecondsAndZoneName() throws {
    let t = CivilDateTime(year: 1969, month: 12, day: 31)
    XCTAssertEqual(try format("%s %Z", t, utcSeconds: -86_400, zone: "Europe/Berlin"), "-86400 Europe/Berlin")
  }

  func testFormatsFractionAsAtLeastSixDigits() throws {
    var t = CivilDateTime(year: 2024, month: 1, day: 1)
    XCTAssertEqual(try format("%S.%f", t), "00.000000")
    t.fraction = Array("5".utf8)
    XCTAssertEqual(try format("%S.%f", t), "00.500000")
    t.fraction = Array("123456789".utf8)
    XCTAssertEqual(try format("%S.%f", t), "00.123456789")
  }

  func testFormatsLiteralPercentAndShorthands() throws {
    let t = CivilDateTime(year: 2024, month: 3, day: 5, hour: 7, minute: 8, second: 9)
    XCTAssertEqual(try format("%F %T 100%%", t), "2024-03-05 07:08:09 100%")
  }

  // MARK: ISO 8601

  func testISOReadsDatesAndDateTimes() {
    XCTAssertEqual(iso("2024-03-05"), CivilDateTime(year: 2024, month: 3, day: 5))
    XCTAssertEqual(iso("2024-03-05T07:08"), CivilDateTime(year: 2024, month: 3, day: 5, hour: 7, minute: 8))
    XCTAssertEqual(
      iso("2024-03-05 07:08:09"), CivilDateTime(year: 2024, month: 3, day: 5, hour: 7, minute: 8, second: 9))
    XCTAssertEqual(
      iso("2024-03-05t07:08:09"), CivilDateTime(year: 2024, month: 3, day: 5, hour: 7, minute: 8, second: 9))
  }

  func testISOReadsFractionsAndOffsets() {
    XCTAssertEqual(
      iso("2024-03-05 07:08:09.123+01:00"),
      CivilDateTime(
        year: 2024, month: 3, day: 5, hour: 7, minute: 8, second: 9, fraction: Array("123".utf8), offset: 3600
      ))
    XCTAssertEqual(
      iso("2024-03-05T07:08:09,5Z"),
      CivilDateTime(
        year: 2024, month: 3, day: 5, hour: 7, minute: 8, second: 9, fraction: Array("5".utf8), offset: 0))
    XCTAssertEqual(
      iso("2024-03-05T07:08Z"), CivilDateTime(year: 2024, month: 3, day: 5, hour: 7, minute: 8, offset: 0))
    XCTAssertEqual(iso("2024-03-05T07:08:09-0530")?.offset, -19_800)
    XCTAssertEqual(iso("2024-03-05T07:08:09+05")?.offset, 18_000)
  }

  func testISORejectsOtherShapes() {
    for text in [
      "20240305", "2024-3-5", "2024-03-05T7:08", "2024-03-05Z", "2024-03-05 ", "2024-03-05T07:08:09.",
      "2024-03-05T07", "2024-02-30", "2024-03-05T24:00:00", "2024-03-05T07:08:09+1", "05/03/2024",
    ] {
      XCTAssertNil(iso(text), text)
    }
  }

  // MARK: Civil time

  func testLocalSecondsRoundTrip() {
    for (t, seconds) in [
      (CivilDateTime(year: 1970, month: 1, day: 1), Int64(0)),
      (CivilDateTime(year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 59), Int64(-1)),
      (CivilDateTime(year: 2000, month: 2, day: 29, hour: 12), Int64(951_825_600)),
      (CivilDateTime(year: 2038, month: 1, day: 19, hour: 3, minute: 14, second: 8), Int64(2_147_483_648)),
      (CivilDateTime(year: 1900, month: 3, day: 1), Int64(-2_203_891_200)),
    ] {
      XCTAssertEqual(t.localSeconds, seconds, "\(t)")
      XCTAssertEqual(CivilDateTime(localSeconds: seconds), t, "\(seconds)")
    }
  }

  func testWeekdayOfTheEpochIsThursday() {
    XCTAssertEqual(CivilTime.weekday(daysSinceEpoch: 0), 4)
    XCTAssertEqual(CivilTime.weekday(daysSinceEpoch: -1), 3)
    XCTAssertEqual(
      CivilTime.weekday(daysSinceEpoch: CivilTime.daysFromCivil(year: 2024, month: 3, day: 5)), 2)
  }

  /// Day numbers walk the calendar one day at a time, across the years where the
  /// arithmetic switches between its signed and unsigned forms (year 0) and far
  /// beyond both ways.
  func testDayNumbersCountEveryCalendarDayOnce() {
    var day = CivilTime.daysFromCivil(year: -1200, month: 1, day: 1)
    for year in -1200...3200 {
      for month in 1...12 {
        for d in 1...CivilTime.daysInMonth(year: year, month: month) {
          let number = CivilTime.daysFromCivil(year: year, month: month, day: d)
          let back = CivilTime.civilFromDays(day)
          guard number == day, back == (year, month, d) else {
            XCTFail("\(year)-\(month)-\(d): day \(number), expected \(day); day \(day) reads back as \(back)")
            return
          }
          day += 1
        }
      }
    }
    XCTAssertEqual(CivilTime.daysFromCivil(year: 1970, month: 1, day: 1), 0)
    XCTAssertEqual(CivilTime.daysFromCivil(year: 2000, month: 3, day: 1), 11_017)
    XCTAssertEqual(CivilTime.daysFromCivil(year: 0, month: 3, day: 1), -719_468)
  }
}
