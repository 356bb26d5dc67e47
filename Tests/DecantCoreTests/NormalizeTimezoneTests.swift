import XCTest

@testable import DecantCore

/// `normalize_timezone`: the time-zone rules of DESIGN.md §3, exactly.
final class NormalizeTimezoneTests: XCTestCase {
  /// Runs one normalize_timezone step (extra JSON members in `params`) over column `t`.
  private func normalize(
    _ values: [String], _ params: String, nullValues: [String]? = nil, file: StaticString = #filePath,
    line: UInt = #line
  ) throws -> RunResult {
    let result = try runSteps(
      steps: #"{"op": "normalize_timezone", "column": "t", "#.appending(params) + "}", columns: ["t"],
      batches: [values.map { [$0] }], nullValues: nullValues, file: file, line: line)
    assertBalances(result, file: file, line: line)
    return result
  }

  private let newYork = #""from_zone": "America/New_York""#

  // MARK: Zones

  func testFixedZoneConvertsLocalTimesToUTC() throws {
    let result = try normalize(
      [
        "2024-07-01 12:00:00", "2024-01-15 08:30:00", "2024-07-01T12:00:00", "2024-07-01 12:00", "2024-07-01",
      ],
      newYork)
    XCTAssertEqual(
      result.column("t"),
      [
        "2024-07-01T16:00:00Z", "2024-01-15T13:30:00Z", "2024-07-01T16:00:00Z", "2024-07-01T16:00:00Z",
        "2024-07-01T04:00:00Z",
      ])
    XCTAssertEqual(result.rejects, [])
  }

  func testPerRowZoneColumnReadsEachRowInItsOwnZone() throws {
    let result = try runSteps(
      steps: #"{"op": "normalize_timezone", "column": "t", "from_zone": {"column": "tz"}}"#,
      columns: ["t", "tz"],
      batches: [
        [["2024-07-01 12:00:00", "Europe/Berlin"], ["2024-07-01 12:00:00", "Asia/Tokyo"]],
        [["2024-07-01 12:00:00", "Europe/Berlin"], ["2024-07-01 12:00:00", "+05:30"]],
        [["2024-07-01 12:00:00", "UTC"], ["2024-01-01 12:00:00", "Europe/Berlin"]],
      ])
    XCTAssertEqual(
      result.rows,
      [
        ["2024-07-01T10:00:00Z", "Europe/Berlin"], ["2024-07-01T03:00:00Z", "Asia/Tokyo"],
        ["2024-07-01T10:00:00Z", "Europe/Berlin"], ["2024-07-01T06:30:00Z", "+05:30"],
        ["2024-07-01T12:00:00Z", "UTC"], ["2024-01-01T11:00:00Z", "Europe/Berlin"],
      ])
    assertBalances(result)
  }

  func testUnknownZoneInARowRejectsTheRowAndNamesTheZone() throws {
    let result = try runSteps(
      steps: #"{"op": "normalize_timezone", "column": "t", "from_zone": {"column": "tz"}}"#,
      columns: ["t", "tz"],
      batches: [
        [["2024-07-01 12:00:00", "Europe/Berln"], ["2024-07-01 12:00:00", "Asia/Tokyo"]],
        [["2024-07-01 12:00:00", "Nowhere"], ["2024-07-01 12:00:00", ""]],
      ])
    XCTAssertEqual(result.rows, [["2024-07-01T03:00:00Z", "Asia/Tokyo"]])
    XCTAssertEqual(
      result.rejects,
      [
        RejectedRow(
          step: "1 normalize_timezone",
          reason: #"unknown time zone "Europe/Berln" in column "tz" (did you mean "Europe/Berlin"?)"#,
          line: 2,
          values: ["2024-07-01 12:00:00", "Europe/Berln"]),
        RejectedRow(
          step: "1 normalize_timezone", reason: #"unknown time zone "Nowhere" in column "tz""#, line: 4,
          values: ["2024-07-01 12:00:00", "Nowhere"]),
        RejectedRow(
          step: "1 normalize_timezone", reason: #"the zone column "tz" is empty for this row"#, line: 5,
          values: ["2024-07-01 12:00:00", ""]),
      ])
    XCTAssertEqual(countTuples(result), [[4, 4, 0, 0], [4, 1, 0, 3]])
    assertBalances(result)
  }

  func testUnknownZoneInARowFollowsOnErrorNull() throws {
    let result = try runSteps(
      steps:
        #"{"op": "normalize_timezone", "column": "t", "from_zone": {"column": "tz"}, "on_error": "null"}"#,
      columns: ["t", "tz"],
      batches: [[["2024-07-01 12:00:00", "Mars/Olympus"], ["2024-07-01 12:00:00", "UTC"]]])
    XCTAssertEqual(result.rows, [["", "Mars/Olympus"], ["2024-07-01T12:00:00Z", "UTC"]])
    XCTAssertEqual(result.rejects, [])
  }

  func testZoneNameInARowMayHaveSurroundingSpaces() throws {
    let result = try runSteps(
      steps: #"{"op": "normalize_timezone", "column": "t", "from_zone": {"column": "tz"}}"#,
      columns: ["t", "tz"],
      batches: [[["2024-07-01 12:00:00", " Asia/Tokyo "]]])
    XCTAssertEqual(result.column("t"), ["2024-07-01T03:00:00Z"])
  }

  func testValueWithItsOwnOffsetIgnoresFromZone() throws {
    let result = try normalize(
      [
        "2024-07-01T12:00:00+02:00", "2024-07-01T12:00:00Z", "2024-07-01 12:00:00-0530",
        "2024-07-01T12:00:00+05",
        "2024-07-01T12:00:00z",
      ], newYork)
    XCTAssertEqual(
      result.column("t"),
      [
        "2024-07-01T10:00:00Z", "2024-07-01T12:00:00Z", "2024-07-01T17:30:00Z", "2024-07-01T07:00:00Z",
        "2024-07-01T12:00:00Z",
      ])
  }

  func testValueWithItsOwnOffsetIsNeverAmbiguousOrNonexistent() throws {
    let result = try normalize(
      ["2024-11-03T01:30:00-05:00", "2024-11-03T01:30:00-04:00", "2024-03-10T02:30:00-05:00"],
      newYork + #", "ambiguous": "reject", "nonexistent": "reject""#)
    XCTAssertEqual(
      result.column("t"), ["2024-11-03T06:30:00Z", "2024-11-03T05:30:00Z", "2024-03-10T07:30:00Z"])
    XCTAssertEqual(result.rejects, [])
  }

  func testValueWithItsOwnOffsetIgnoresAnUnknownZoneInItsRow() throws {
    let result = try runSteps(
      steps: #"{"op": "normalize_timezone", "column": "t", "from_zone": {"column": "tz"}}"#,
      columns: ["t", "tz"],
      batches: [[["2024-07-01T12:00:00+01:00", "Nowhere"]]])
    XCTAssertEqual(result.rows, [["2024-07-01T11:00:00Z", "Nowhere"]])
  }

  func testWithoutFromZoneAValueMustCarryAnOffset() throws {
    let result = try normalize(["2024-07-01 12:00:00", "2024-07-01T12:00:00+01:00"], #""to_zone": "UTC""#)
    XCTAssertEqual(result.column("t"), ["2024-07-01T11:00:00Z"])
    XCTAssertEqual(
      result.rejects,
      [
        RejectedRow(
          step: "1 normalize_timezone",
          reason: #""2024-07-01 12:00:00" has no UTC offset and the step names no from_zone"#, line: 2,
          values: ["2024-07-01 12:00:00"])
      ])
  }

  func testFixedOffsetZones() throws {
    XCTAssertEqual(
      try normalize(["2024-01-01 12:00:00"], #""from_zone": "+05:45""#).column("t"), ["2024-01-01T06:15:00Z"])
    XCTAssertEqual(
      try normalize(["2024-01-01 12:00:00"], #""from_zone": "-03:30""#).column("t"), ["2024-01-01T15:30:00Z"])
    XCTAssertEqual(
      try normalize(["2024-01-01 12:00:00"], #""from_zone": "Asia/Kathmandu""#).column("t"),
      ["2024-01-01T06:15:00Z"])
    XCTAssertEqual(
      try normalize(["2024-01-01 12:00:00"], #""from_zone": "UTC", "to_zone": "+05:45""#).column("t"),
      ["2024-01-01T17:45:00+05:45"])
    XCTAssertEqual(
      try normalize(["2024-01-01 12:00:00"], #""from_zone": "UTC", "to_zone": "-0330""#).column("t"),
      ["2024-01-01T08:30:00-03:30"])
  }

  // MARK: Ambiguous and nonexistent wall-clock times

  func testAmbiguousEarlierTakesTheOffsetBeforeFallBack() throws {
    let result = try normalize(
      [
        "2024-11-03 00:59:59", "2024-11-03 01:00:00", "2024-11-03 01:30:00", "2024-11-03 01:59:59",
        "2024-11-03 02:00:00",
      ],
      newYork + #", "ambiguous": "earlier""#)
    XCTAssertEqual(
      result.column("t"),
      [
        "2024-11-03T04:59:59Z", "2024-11-03T05:00:00Z", "2024-11-03T05:30:00Z", "2024-11-03T05:59:59Z",
        "2024-11-03T07:00:00Z",
      ])
  }

  func testAmbiguousDefaultsToEarlier() throws {
    XCTAssertEqual(try normalize(["2024-11-03 01:30:00"], newYork).column("t"), ["2024-11-03T05:30:00Z"])
  }

  func testAmbiguousLaterTakesTheOffsetAfterFallBack() throws {
    let result = try normalize(
      [
        "2024-11-03 00:59:59", "2024-11-03 01:00:00", "2024-11-03 01:30:00", "2024-11-03 01:59:59",
        "2024-11-03 02:00:00",
      ],
      newYork + #", "ambiguous": "later""#)
    XCTAssertEqual(
      result.column("t"),
      [
        "2024-11-03T04:59:59Z", "2024-11-03T06:00:00Z", "2024-11-03T06:30:00Z", "2024-11-03T06:59:59Z",
        "2024-11-03T07:00:00Z",
      ])
  }

  func testAmbiguousInBerlin() throws {
    let berlin = #""from_zone": "Europe/Berlin""#
    XCTAssertEqual(
      try normalize(["2024-10-27 02:30:00"], berlin + #", "ambiguous": "earlier""#).column("t"),
      ["2024-10-27T00:30:00Z"])
    XCTAssertEqual(
      try normalize(["2024-10-27 02:30:00"], berlin + #", "ambiguous": "later""#).column("t"),
      ["2024-10-27T01:30:00Z"])
  }

  func testAmbiguousRejectSendsTheRowToRejects() throws {
    let result = try normalize(
      ["2024-11-03 01:30:00", "2024-11-03 02:30:00"], newYork + #", "ambiguous": "reject""#)
    XCTAssertEqual(result.column("t"), ["2024-11-03T07:30:00Z"])
    XCTAssertEqual(
      result.rejects,
      [
        RejectedRow(
          step: "1 normalize_timezone",
          reason:
            #""2024-11-03 01:30:00" happens twice in America/New_York (clocks go back); ambiguous: reject"#,
          line: 2, values: ["2024-11-03 01:30:00"])
      ])
  }

  func testNonexistentShiftForwardMovesLaterByTheGap() throws {
    let result = try normalize(
      [
        "2024-03-10 01:59:59", "2024-03-10 02:00:00", "2024-03-10 02:30:00", "2024-03-10 02:59:59",
        "2024-03-10 03:00:00",
      ],
      newYork + #", "nonexistent": "shift_forward""#)
    XCTAssertEqual(
      result.column("t"),
      [
        "2024-03-10T06:59:59Z", "2024-03-10T07:00:00Z", "2024-03-10T07:30:00Z", "2024-03-10T07:59:59Z",
        "2024-03-10T07:00:00Z",
      ])
  }

  func testNonexistentDefaultIsShiftForwardAndReadsAs0330EDT() throws {
    XCTAssertEqual(
      try normalize(["2024-03-10 02:30:00"], newYork + #", "to_zone": "America/New_York""#).column("t"),
      ["2024-03-10T03:30:00-04:00"])
  }

  func testNonexistentShiftForwardOverAThirtyMinuteGap() throws {
    // Lord Howe moves from +10:30 to +11:00 at 02:00 local.
    XCTAssertEqual(
      try normalize(["2024-10-06 02:15:00"], #""from_zone": "Australia/Lord_Howe""#).column("t"),
      ["2024-10-05T15:45:00Z"])
  }

  func testNonexistentRejectSendsTheRowToRejects() throws {
    let result = try normalize(
      ["2024-03-10 02:30:00", "2024-03-10 03:30:00"], newYork + #", "nonexistent": "reject""#)
    XCTAssertEqual(result.column("t"), ["2024-03-10T07:30:00Z"])
    XCTAssertEqual(
      result.rejects,
      [
        RejectedRow(
          step: "1 normalize_timezone",
          reason:
            #""2024-03-10 02:30:00" does not exist in America/New_York (clocks go forward); nonexistent: reject"#,
          line: 2, values: ["2024-03-10 02:30:00"])
      ])
  }

  // MARK: on_error

  private let unreadable = [
    "2024-01-15 08:30:00", "31/12/2024", "2024-02-30 10:00:00", "2024-01-15 25:00:00",
  ]

  func testOnErrorRejectIsTheDefaultAndGivesTheReasonAndLine() throws {
    let result = try normalize(unreadable, newYork)
    XCTAssertEqual(result.column("t"), ["2024-01-15T13:30:00Z"])
    XCTAssertEqual(
      result.rejects,
      [
        RejectedRow(
          step: "1 normalize_timezone",
          reason: #"cannot read "31/12/2024" as a timestamp (formats tried: ISO 8601)"#,
          line: 3, values: ["31/12/2024"]),
        RejectedRow(
          step: "1 normalize_timezone",
          reason: #"cannot read "2024-02-30 10:00:00" as a timestamp (formats tried: ISO 8601)"#, line: 4,
          values: ["2024-02-30 10:00:00"]),
        RejectedRow(
          step: "1 normalize_timezone",
          reason: #"cannot read "2024-01-15 25:00:00" as a timestamp (formats tried: ISO 8601)"#, line: 5,
          values: ["2024-01-15 25:00:00"]),
      ])
    XCTAssertEqual(countTuples(result), [[4, 4, 0, 0], [4, 1, 0, 3]])
  }

  func testOnErrorRejectReasonListsTheInputFormatsTried() throws {
    let result = try normalize(
      ["2024-01-15"], newYork + #", "input_formats": ["%d/%m/%Y", "%Y%m%d"], "on_error": "reject""#)
    XCTAssertEqual(
      result.rejects.map(\.reason),
      [#"cannot read "2024-01-15" as a timestamp (formats tried: "%d/%m/%Y", "%Y%m%d")"#])
  }

  func testOnErrorNullEmptiesTheCell() throws {
    let result = try normalize(unreadable, newYork + #", "on_error": "null""#)
    XCTAssertEqual(result.column("t"), ["2024-01-15T13:30:00Z", "", "", ""])
    XCTAssertEqual(result.rejects, [])
    XCTAssertEqual(countTuples(result), [[4, 4, 0, 0], [4, 4, 0, 0]])
  }

  func testOnErrorKeepLeavesTheValueAsItWas() throws {
    let result = try normalize(unreadable, newYork + #", "on_error": "keep""#)
    XCTAssertEqual(
      result.column("t"),
      ["2024-01-15T13:30:00Z", "31/12/2024", "2024-02-30 10:00:00", "2024-01-15 25:00:00"])
    XCTAssertEqual(result.rejects, [])
  }

  func testOnErrorFailThrowsDataErrorWithTheLine() throws {
    let r = try recipe(
      steps: """
        {"op": "dedupe", "enabled": false},
        {"op": "normalize_timezone", "column": "t", "from_zone": "UTC", "on_error": "fail"}
        """)
    XCTAssertThrowsError(
      try runPipeline(
        r, columns: ["t"], batches: [[["2024-01-01 00:00:00"]], [["2024-01-02 00:00:00"], ["garbage"]]])
    ) { error in
      guard let e = error as? DataError else { return XCTFail("expected DataError, got \(error)") }
      XCTAssertEqual(e.line, 4)
      XCTAssertEqual(e.step, 2)
      XCTAssertEqual(e.op, "normalize_timezone")
      XCTAssertEqual(e.message, #"cannot read "garbage" as a timestamp (formats tried: ISO 8601)"#)
      XCTAssertEqual(
        e.description,
        #"line 4: step 2 (normalize_timezone): cannot read "garbage" as a timestamp (formats tried: ISO 8601)"#
      )
    }
  }

  func testOnErrorFailDoesNotFireForNullCells() throws {
    let result = try normalize(["", "2024-01-01 00:00:00"], #""from_zone": "UTC", "on_error": "fail""#)
    XCTAssertEqual(result.column("t"), ["", "2024-01-01T00:00:00Z"])
  }

  // MARK: Null cells

  func testNullCellsAreLeftUntouched() throws {
    let result = try normalize(
      ["", "NA", "2024-01-01 00:00:00"], #""from_zone": "UTC", "on_error": "reject""#, nullValues: ["", "NA"])
    XCTAssertEqual(result.column("t"), ["", "NA", "2024-01-01T00:00:00Z"])
    XCTAssertEqual(result.rejects, [])
  }

  func testANonNullNAIsAValueError() throws {
    let result = try normalize(["NA"], #""from_zone": "UTC""#)
    XCTAssertEqual(
      result.rejects.map(\.reason), [#"cannot read "NA" as a timestamp (formats tried: ISO 8601)"#])
  }

  func testSurroundingSpacesAroundAValueAreIgnored() throws {
    XCTAssertEqual(
      try normalize(["  2024-01-01 12:00:00 ", "\t2024-01-01T12:00:00Z"], #""from_zone": "UTC""#).column("t"),
      ["2024-01-01T12:00:00Z", "2024-01-01T12:00:00Z"])
  }

  // MARK: Default output

  func testDefaultOutputEndsInZForUTC() throws {
    XCTAssertEqual(
      try normalize(["2024-03-10 02:30:00"], newYork).column("t"), ["2024-03-10T07:30:00Z"])
    XCTAssertEqual(
      try normalize(["2024-03-10 02:30:00"], newYork + #", "to_zone": "Etc/UTC""#).column("t"),
      ["2024-03-10T07:30:00Z"])
  }

  func testDefaultOutputHasANumericOffsetOtherwise() throws {
    XCTAssertEqual(
      try normalize(["2024-03-10 02:30:00"], newYork + #", "to_zone": "Europe/Berlin""#).column("t"),
      ["2024-03-10T08:30:00+01:00"])
    XCTAssertEqual(
      try normalize(["2024-07-15 12:00:00"], #""from_zone": "UTC", "to_zone": "Europe/Berlin""#).column("t"),
      ["2024-07-15T14:00:00+02:00"])
    XCTAssertEqual(
      try normalize(["2024-01-15 12:00:00"], #""from_zone": "UTC", "to_zone": "America/New_York""#).column(
        "t"),
      ["2024-01-15T07:00:00-05:00"])
    XCTAssertEqual(
      try normalize(["2024-01-15 12:00:00"], #""from_zone": "UTC", "to_zone": "+00:00""#).column("t"),
      ["2024-01-15T12:00:00+00:00"])
  }

  func testFractionalSecondsAreKeptAsWritten() throws {
    let result = try normalize(
      [
        "2024-01-15 08:30:00.5", "2024-01-15 08:30:00.123456789", "2024-01-15 08:30:00,25",
        "2024-01-15 08:30:00.000",
        "2024-01-15T08:30:00.120+01:00",
      ], newYork)
    XCTAssertEqual(
      result.column("t"),
      [
        "2024-01-15T13:30:00.5Z", "2024-01-15T13:30:00.123456789Z", "2024-01-15T13:30:00.25Z",
        "2024-01-15T13:30:00.000Z", "2024-01-15T07:30:00.120Z",
      ])
  }

  func testFractionalSecondsAreKeptWithANumericOffset() throws {
    XCTAssertEqual(
      try normalize(["2024-01-15 12:00:00.75"], #""from_zone": "UTC", "to_zone": "Asia/Kathmandu""#).column(
        "t"),
      ["2024-01-15T17:45:00.75+05:45"])
  }

  func testTenFractionDigitsAreNotISO() throws {
    let result = try normalize(["2024-01-15 08:30:00.1234567890"], newYork)
    XCTAssertEqual(
      result.rejects.map(\.reason),
      [#"cannot read "2024-01-15 08:30:00.1234567890" as a timestamp (formats tried: ISO 8601)"#])
  }

  // MARK: output_format

  func testOutputFormatWithMonthNameTwelveHourClockAndOffset() throws {
    let result = try normalize(
      ["2024-01-15 13:30:00", "2024-01-14 23:00:00", "2024-01-15 11:00:00"],
      #""from_zone": "UTC", "to_zone": "Europe/Berlin", "output_format": "%d %b %Y %I:%M %p %z""#)
    XCTAssertEqual(
      result.column("t"),
      ["15 Jan 2024 02:30 PM +0100", "15 Jan 2024 12:00 AM +0100", "15 Jan 2024 12:00 PM +0100"])
  }

  func testOutputFormatWithColonOffset() throws {
    XCTAssertEqual(
      try normalize(
        ["2024-07-15 12:00:00"],
        #""from_zone": "UTC", "to_zone": "America/St_Johns", "output_format": "%Y-%m-%dT%H:%M:%S%:z""#
      ).column("t"),
      ["2024-07-15T09:30:00-02:30"])
  }

  func testOutputFormatWithOtherDirectives() throws {
    let result = try normalize(
      ["2024-03-05 09:05:00.5"],
      #""from_zone": "UTC", "to_zone": "Asia/Kathmandu", "output_format": "%j|%s|%Z|%a %A|%B|%y|%e|%f|%T|%F|100%%""#
    )
    XCTAssertEqual(
      result.column("t"),
      ["065|1709629500|Asia/Kathmandu|Tue Tuesday|March|24| 5|500000|14:50:00|2024-03-05|100%"])
  }

  func testOutputFormatFractionKeepsMoreThanSixDigits() throws {
    XCTAssertEqual(
      try normalize(["2024-03-05 09:05:00.123456789"], #""from_zone": "UTC", "output_format": "%H:%M:%S.%f""#)
        .column(
          "t"),
      ["09:05:00.123456789"])
  }

  // MARK: input_formats

  func testInputFormatWithMonthNameAndTwelveHourClock() throws {
    let result = try normalize(
      ["Mar 05 2024 07:05 PM", "March 5 2024 12:15 am", "mar 5 2024 12:15 PM"],
      newYork + #", "input_formats": ["%b %d %Y %I:%M %p"]"#)
    XCTAssertEqual(
      result.column("t"), ["2024-03-06T00:05:00Z", "2024-03-05T05:15:00Z", "2024-03-05T17:15:00Z"])
  }

  func testInputFormatWithSpacePaddedDay() throws {
    let result = try normalize(
      ["Mar  5 2024 19:05", "Mar 15 2024 19:05"], #""from_zone": "UTC", "input_formats": ["%b %e %Y %H:%M"]"#)
    XCTAssertEqual(result.column("t"), ["2024-03-05T19:05:00Z", "2024-03-15T19:05:00Z"])
  }

  func testInputFormatWithTwoDigitYearPivotsAt69() throws {
    let result = try normalize(
      ["05/03/24 19:05", "01/01/69 00:00", "31/12/68 00:00"],
      #""from_zone": "UTC", "input_formats": ["%d/%m/%y %H:%M"]"#)
    XCTAssertEqual(
      result.column("t"), ["2024-03-05T19:05:00Z", "1969-01-01T00:00:00Z", "2068-12-31T00:00:00Z"])
  }

  func testInputFormatWithDayOfYear() throws {
    let result = try normalize(
      ["2024-060 12:00", "2023-060 12:00", "2023-366 12:00"],
      #""from_zone": "UTC", "input_formats": ["%Y-%j %H:%M"]"#)
    XCTAssertEqual(result.column("t"), ["2024-02-29T12:00:00Z", "2023-03-01T12:00:00Z"])
    XCTAssertEqual(result.rejects.map(\.line), [4])
  }

  func testInputFormatWithEpochSecondsIsAnInstantAndIgnoresFromZone() throws {
    XCTAssertEqual(
      try normalize(["1710052200", "0"], newYork + #", "input_formats": ["%s"]"#).column("t"),
      ["2024-03-10T06:30:00Z", "1970-01-01T00:00:00Z"])
    XCTAssertEqual(
      try normalize(["1710052200"], newYork + #", "to_zone": "America/New_York", "input_formats": ["%s"]"#)
        .column("t"),
      ["2024-03-10T01:30:00-05:00"])
  }

  func testInputFormatWithOffsetDirective() throws {
    XCTAssertEqual(
      try normalize(
        ["2024-03-05 10:00 +0530", "2024-03-05 10:00 Z", "2024-03-05 10:00 -02:00"],
        newYork + #", "input_formats": ["%Y-%m-%d %H:%M %z"]"#
      ).column("t"),
      ["2024-03-05T04:30:00Z", "2024-03-05T10:00:00Z", "2024-03-05T12:00:00Z"])
  }

  func testInputFormatWithFractionAndCompactDigits() throws {
    XCTAssertEqual(
      try normalize(["20240305100000.25"], #""from_zone": "UTC", "input_formats": ["%Y%m%d%H%M%S.%f"]"#)
        .column("t"),
      ["2024-03-05T10:00:00.25Z"])
  }

  func testInputFormatsAreTriedInOrder() throws {
    // "01/02/2024" reads as 1 February under the first pattern, never 2 January.
    let result = try normalize(
      ["01/02/2024 10:00", "2024-03-05 10:00:00", "02/01/2024 10:00"],
      #""from_zone": "UTC", "input_formats": ["%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M", "%F %T"]"#)
    XCTAssertEqual(
      result.column("t"), ["2024-02-01T10:00:00Z", "2024-03-05T10:00:00Z", "2024-01-02T10:00:00Z"])
  }

  func testInputFormatMustMatchTheWholeValue() throws {
    let result = try normalize(
      ["2024-03-05 10:00:00 extra", "2024-03-05"],
      #""from_zone": "UTC", "input_formats": ["%Y-%m-%d %H:%M:%S"]"#)
    XCTAssertEqual(result.rejects.map(\.line), [2, 3])
  }

  // MARK: Planning and summary

  func testMissingColumnAndZoneColumnAreBothReported() throws {
    let r = try recipe(
      steps: #"{"op": "normalize_timezone", "column": "when", "from_zone": {"column": "zone"}}"#)
    XCTAssertThrowsError(try Pipeline(recipe: r, inputSchema: Schema(["id", "amount"]))) { error in
      guard let e = error as? PlanError else { return XCTFail("expected PlanError, got \(error)") }
      XCTAssertEqual(e.step, 1)
      XCTAssertEqual(e.op, "normalize_timezone")
      XCTAssertEqual(e.missingColumns, ["when", "zone"])
      XCTAssertEqual(e.message, #"no column "when", "zone" at this step (columns here: "id", "amount")"#)
      XCTAssertEqual(
        e.description,
        #"step 1 (normalize_timezone), fields "column", "from_zone": no column "when", "zone" at this step (columns here: "id", "amount")"#
      )
    }
  }

  func testSummaryNamesTheZones() throws {
    XCTAssertEqual(
      NormalizeTimezoneOperation(column: "t", fromZone: .zone(Zone("America/New_York")!)).summary,
      "normalize_timezone t America/New_York → UTC")
    XCTAssertEqual(
      NormalizeTimezoneOperation(column: "event time", fromZone: .column("tz"), toZone: Zone("+05:45")!)
        .summary,
      #"normalize_timezone "event time" zone in tz → +05:45"#)
    XCTAssertEqual(
      NormalizeTimezoneOperation(column: "t", fromZone: .none).summary,
      "normalize_timezone t own offsets → UTC")
  }
}
