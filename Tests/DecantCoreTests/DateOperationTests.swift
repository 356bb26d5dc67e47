import XCTest

@testable import DecantCore

/// `format_date`, `date_part` and the `to` of `normalize_timezone` (DESIGN.md §8
/// and its settled readings 1, 2, 3 and 13): one parser and one formatter for
/// all of them, one or two digits for `%m %d %H %M %S`, a value's own offset
/// kept, new columns right after the source and null outside `where`.
final class DateOperationTests: XCTestCase {
  private let formats = #""input_formats": ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%m/%d/%Y", "%Y-%m-%d"]"#

  /// `format_date` of column `d` with `output_format` and extra members.
  private func formatDate(
    _ values: [String], _ output: String, _ extra: String = "", nullValues: [String]? = nil,
    file: StaticString = #filePath, line: UInt = #line
  ) throws -> StepResult {
    try applyStep(
      #"{"op": "format_date", "column": "d", "output_format": "\#(output)""# + extra + "}", columns: ["d"],
      rows: values.map { [$0] }, nullValues: nullValues, file: file, line: line)
  }

  /// The new column of `date_part` over column `d`.
  private func datePart(
    _ values: [String], _ part: String, _ extra: String = "", file: StaticString = #filePath,
    line: UInt = #line
  ) throws -> [String] {
    let r = try applyStep(
      #"{"op": "date_part", "column": "d", "part": "\#(part)""# + extra + "}", columns: ["d"],
      rows: values.map { [$0] }, file: file, line: line)
    XCTAssertEqual(r.columns, ["d", "d_\(part)"], file: file, line: line)
    XCTAssertEqual(r.rejects, [], file: file, line: line)
    return r.column("d_\(part)", file: file, line: line)
  }

  // MARK: The calendar against Python

  /// ISO week, ISO weekday, day of the year and quarter of every day from
  /// 1900-01-01 to 2100-12-31 as Python's `date.isocalendar()` and
  /// `timetuple()` give them; the same days written `M/D/YYYY` (one-digit
  /// months and days) read back to the same date.
  func testCalendarPartsAgreeWithPythonForEveryDayFrom1900To2100() throws {
    let script = """
      import datetime
      d, end = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
      while d <= end:
          _, week, weekday = d.isocalendar()
          print(d.isoformat(), f"{d.month}/{d.day}/{d.year}", week, weekday, d.timetuple().tm_yday,
                (d.month - 1) // 3 + 1, d.year, d.month, d.day)
          d += datetime.timedelta(days=1)
      """
    let lines = String(decoding: try Python.run(["-c", script]), as: UTF8.self).split(separator: "\n")
    XCTAssertEqual(lines.count, 73_414)
    let expected = lines.map { $0.split(separator: " ").map(String.init) }
    var batches: [[[String]]] = []
    var batch: [[String]] = []
    for e in expected {
      batch.append([e[0], e[1]])
      if batch.count == 5000 {
        batches.append(batch)
        batch = []
      }
    }
    batches.append(batch)
    let steps = ["iso_week", "weekday", "day_of_year", "quarter", "year", "month", "day"].map {
      #"{"op": "date_part", "column": "iso", "part": "\#($0)"}"#
    }
    let result = try runSteps(
      steps: (steps + [#"{"op": "date_part", "column": "us", "part": "date", "input_formats": ["%m/%d/%Y"]}"#])
        .joined(separator: ", "),
      columns: ["iso", "us"], batches: batches)
    XCTAssertEqual(result.rejects.count, 0)
    let checks: [(String, Int)] = [
      ("iso_iso_week", 2), ("iso_weekday", 3), ("iso_day_of_year", 4), ("iso_quarter", 5), ("iso_year", 6),
      ("iso_month", 7), ("iso_day", 8), ("us_date", 0),
    ]
    for (column, field) in checks {
      let got = result.column(column)
      XCTAssertEqual(got.count, expected.count, column)
      var mismatches = 0
      for (g, e) in zip(got, expected) where g != e[field] {
        mismatches += 1
        if mismatches <= 5 { XCTFail("\(column) of \(e[0]): \(g), Python says \(e[field])") }
      }
      XCTAssertEqual(mismatches, 0, column)
    }
  }

  // MARK: Reading

  func testNumericFieldsReadOneOrTwoDigits() throws {
    let r = try formatDate(
      ["2013-1-5 7:05", "2013-01-05 07:05:09", "1/2/2013", "2013-1-5 7:5:9", "12/31/2013", "2013-01-05"],
      "%Y-%m-%d %H:%M:%S", "," + formats)
    XCTAssertEqual(
      r.column("d"),
      [
        "2013-01-05 07:05:00", "2013-01-05 07:05:09", "2013-01-02 00:00:00", "2013-01-05 07:05:09",
        "2013-12-31 00:00:00", "2013-01-05 00:00:00",
      ])
    XCTAssertEqual(r.rejects, [])
  }

  func testThreeDigitsWhereTwoAreTheMostDoNotRead() throws {
    for value in [
      "2013-001-05 07:05:09", "2013-01-005 07:05:09", "2013-01-05 007:05:09", "2013-01-05 07:005:09",
      "2013-01-05 07:05:009", "001/02/2013", "01/002/2013", "13-01-05 07:05:09",
    ] {
      let r = try formatDate([value], "%Y-%m-%d", "," + formats)
      XCTAssertEqual(r.rows, [], value)
      XCTAssertEqual(r.rejects.count, 1, value)
    }
  }

  func testImpossibleDatesDoNotReadAndLeapYearsDo() throws {
    let r = try formatDate(
      [
        "2024-02-30", "2023-02-29", "1900-02-29", "2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00",
        "2024-02-29", "2000-02-29", "2024-12-31 23:59:59", "2024-12-31 24:00:00", "2024-12-31 23:60:00",
        "2024-12-31 23:59:60",
      ],
      "%d.%m.%Y", "," + formats + #", "on_error": "null""#)
    XCTAssertEqual(
      r.column("d"), ["", "", "", "", "", "", "", "29.02.2024", "29.02.2000", "31.12.2024", "", "", ""])
  }

  func testTheDefaultIsISO8601() throws {
    let r = try formatDate(
      [
        "2024-03-10", "2024-03-10T07:30", "2024-03-10 07:30:05", "2024-03-10T07:30:05.25Z",
        "2024-03-10T07:30:00+01:00", "  2024-03-10  ", "10/03/2024", "2024-3-10",
      ],
      "%Y%m%d %H%M%S", #", "on_error": "null""#)
    XCTAssertEqual(
      r.column("d"),
      [
        "20240310 000000", "20240310 073000", "20240310 073005", "20240310 073005", "20240310 073000",
        "20240310 000000", "", "",
      ])
  }

  // MARK: format_date

  func testFormatDateWritesManyLayouts() throws {
    let value = ["2024-03-05 14:07:09"]
    let cases: [(String, String)] = [
      ("%d/%m/%Y", "05/03/2024"), ("%A %d %B %Y", "Tuesday 05 March 2024"), ("%a %e %b %y", "Tue  5 Mar 24"),
      ("%I:%M %p", "02:07 PM"), ("%j", "065"), ("%Y-%m-%dT%H:%M:%S.%f", "2024-03-05T14:07:09.000000"),
      ("%F %T", "2024-03-05 14:07:09"), ("%H%%", "14%"), ("week of %Y-%m-%d", "week of 2024-03-05"),
      ("%Y-%m-%d", "2024-03-05"), ("%Y-%m-%dT%H:%M:%SZ", "2024-03-05T14:07:09Z"),
    ]
    for (pattern, expected) in cases {
      let r = try formatDate(value, pattern, #", "input_formats": ["%Y-%m-%d %H:%M:%S"]"#)
      XCTAssertEqual(r.column("d"), [expected], pattern)
    }
  }

  func testFormatDateKeepsAValuesOffsetAndDoesNotChangeItsZone() throws {
    let r = try formatDate(
      [
        "2024-03-10T07:30:00+01:00", "2024-03-10T07:30:00Z", "2024-03-10T07:30:00-05:30",
        "2024-03-10 07:30:00",
      ],
      "%Y-%m-%d %H:%M %z|%:z")
    XCTAssertEqual(
      r.column("d"),
      [
        "2024-03-10 07:30 +0100|+01:00", "2024-03-10 07:30 +0000|+00:00", "2024-03-10 07:30 -0530|-05:30",
        "2024-03-10 07:30 |",
      ],
      "a value without an offset writes none (as Python's strftime does)")
    let epoch = try formatDate(["2024-03-10T07:30:00+01:00", "1970-01-01 00:01:00"], "%s")
    XCTAssertEqual(epoch.column("d"), ["1710052200", "60"], "%s: the instant, a value without offset as UTC")
    let fraction = try formatDate(["2024-03-10T07:30:00.5+01:00"], "%H:%M:%S.%f%z")
    XCTAssertEqual(fraction.column("d"), ["07:30:00.500000+0100"])
  }

  func testFormatDateWithToAddsAColumnAfterTheSourceAndKeepsIt() throws {
    let r = try applyStep(
      #"{"op": "format_date", "column": "d", "output_format": "%d.%m.%Y", "to": "de"}"#,
      columns: ["a", "d", "z"],
      rows: [["1", "2024-03-05", "x"], ["2", "", "y"]])
    XCTAssertEqual(r.columns, ["a", "d", "de", "z"])
    XCTAssertEqual(r.rows, [["1", "2024-03-05", "05.03.2024", "x"], ["2", "", "", "y"]])
  }

  func testFormatDateLeavesNullsNull() throws {
    let r = try formatDate(["NA", "", "2024-03-05"], "%Y", nullValues: ["", "NA"])
    XCTAssertEqual(r.column("d"), ["NA", "", "2024"])
    XCTAssertEqual(r.rejects, [])
  }

  func testFormatDateOnError() throws {
    let values = ["2024-03-05", "soon", "2024-02-30"]
    let rejected = try formatDate(values, "%Y")
    XCTAssertEqual(rejected.rows, [["2024"]])
    XCTAssertEqual(
      rejected.rejects,
      [
        #"3: cannot read "soon" as a timestamp (formats tried: ISO 8601)"#,
        #"4: cannot read "2024-02-30" as a timestamp (formats tried: ISO 8601)"#,
      ])
    XCTAssertEqual(try formatDate(values, "%Y", #", "on_error": "null""#).column("d"), ["2024", "", ""])
    XCTAssertEqual(
      try formatDate(values, "%Y", #", "on_error": "keep""#).column("d"), ["2024", "soon", "2024-02-30"])
    let e = try XCTUnwrap(
      dataError(
        #"{"op": "format_date", "column": "d", "output_format": "%Y", "on_error": "fail"}"#, columns: ["d"],
        rows: values.map { [$0] }))
    XCTAssertEqual(e.line, 3)
    XCTAssertEqual(
      e.description,
      #"line 3: step 1 (format_date): cannot read "soon" as a timestamp (formats tried: ISO 8601)"#)
  }

  /// With `to`, a value that fails leaves the new cell null under `null` and
  /// `keep` alike; the source keeps its value.
  func testFormatDateWithToOnError() throws {
    let values = [["2024-03-05"], ["soon"]]
    let step = #"{"op": "format_date", "column": "d", "output_format": "%Y", "to": "y""#
    let rejected = try applyStep(step + "}", columns: ["d"], rows: values)
    XCTAssertEqual(rejected.rows, [["2024-03-05", "2024"]])
    XCTAssertEqual(rejected.rejects.count, 1)
    for policy in ["null", "keep"] {
      let r = try applyStep(step + #", "on_error": "\#(policy)"}"#, columns: ["d"], rows: values)
      XCTAssertEqual(r.rows, [["2024-03-05", "2024"], ["soon", ""]], policy)
    }
  }

  func testFormatDateUnderWhere() throws {
    let rows = [["y", "2024-03-05"], ["n", "2024-03-06"], ["n", "garbage"]]
    let inPlace = try applyStep(
      #"{"op": "format_date", "column": "d", "output_format": "%d/%m", "where": {"column": "k", "equals": "y"}}"#,
      columns: ["k", "d"], rows: rows)
    XCTAssertEqual(inPlace.rows, [["y", "05/03"], ["n", "2024-03-06"], ["n", "garbage"]])
    XCTAssertEqual(inPlace.rejects, [], "rows outside the where are not read")
    let added = try applyStep(
      #"{"op": "format_date", "column": "d", "output_format": "%d/%m", "to": "dm", "where": {"column": "k", "equals": "y"}}"#,
      columns: ["k", "d"], rows: rows)
    XCTAssertEqual(
      added.rows, [["y", "2024-03-05", "05/03"], ["n", "2024-03-06", ""], ["n", "garbage", ""]])
  }

  func testFormatDateDecodesAndEncodes() throws {
    let op = try decodedOperation(
      FormatDateOperation.self,
      #"{"op": "format_date", "column": "d", "input_formats": ["%d/%m/%Y"], "output_format": "%Y-%m-%d", "to": "iso"}"#
    )
    XCTAssertEqual(op.summary, #"format_date d as "%Y-%m-%d" to iso"#)
    XCTAssertEqual(
      JSONValue.object(op.encodedParameters()).compactText,
      #"{"column":"d","input_formats":["%d/%m/%Y"],"output_format":"%Y-%m-%d","to":"iso","on_error":"reject"}"#
    )
    let inPlace = try decodedOperation(
      FormatDateOperation.self, #"{"op": "format_date", "column": "d", "output_format": "%Y"}"#)
    XCTAssertNil(inPlace.to)
    XCTAssertEqual(
      JSONValue.object(inPlace.encodedParameters()).compactText,
      #"{"column":"d","output_format":"%Y","on_error":"reject"}"#)
  }

  func testFormatDateRecipeErrors() throws {
    let missing = try XCTUnwrap(stepError(#"{"op": "format_date", "column": "d"}"#))
    XCTAssertEqual(missing.field, "output_format")
    XCTAssertTrue(missing.message.contains("is required"), missing.message)
    let zone = try XCTUnwrap(stepError(#"{"op": "format_date", "column": "d", "output_format": "%H %Z"}"#))
    XCTAssertEqual(zone.field, "output_format")
    XCTAssertTrue(zone.message.contains("%Z"), zone.message)
    let directive = try XCTUnwrap(stepError(#"{"op": "format_date", "column": "d", "output_format": "%Q"}"#))
    XCTAssertEqual(directive.field, "output_format")
    let input = try XCTUnwrap(
      stepError(#"{"op": "format_date", "column": "d", "input_formats": ["%H:%M"], "output_format": "%Y"}"#))
    XCTAssertEqual(input.field, "input_formats")
    XCTAssertTrue(input.message.contains("full date"), input.message)
    let empty = try XCTUnwrap(
      stepError(#"{"op": "format_date", "column": "d", "output_format": "%Y", "to": ""}"#))
    XCTAssertEqual(empty.field, "to")
  }

  func testFormatDateToClashes() throws {
    let clash = planError(
      #"{"decant_recipe": 1, "steps": [{"op": "format_date", "column": "d", "output_format": "%Y", "to": "k"}]}"#,
      columns: ["k", "d"])
    XCTAssertTrue(clash is PlanError, "\(String(describing: clash))")
    XCTAssertTrue("\(clash!)".contains(#""k" clashes"#), "\(clash!)")
  }

  // MARK: date_part

  func testDatePartGivesEveryPartAsAPlainInteger() throws {
    let values = ["2024-03-10T07:30:05+01:00", "2021-01-03", "2020-12-31 23:59:09", "1999-10-01 00:00"]
    let expected: [(String, [String])] = [
      ("year", ["2024", "2021", "2020", "1999"]), ("month", ["3", "1", "12", "10"]),
      ("day", ["10", "3", "31", "1"]), ("hour", ["7", "0", "23", "0"]), ("minute", ["30", "0", "59", "0"]),
      ("second", ["5", "0", "9", "0"]), ("weekday", ["7", "7", "4", "5"]),
      ("day_of_year", ["70", "3", "366", "274"]), ("iso_week", ["10", "53", "53", "39"]),
      ("quarter", ["1", "1", "4", "4"]), ("date", ["2024-03-10", "2021-01-03", "2020-12-31", "1999-10-01"]),
    ]
    XCTAssertEqual(expected.map(\.0), DatePartOperation.Part.allCases.map(\.rawValue))
    for (part, want) in expected {
      XCTAssertEqual(try datePart(values, part), want, part)
    }
  }

  func testDatePartReadsInputFormats() throws {
    XCTAssertEqual(
      try datePart(["1/2/2013", "2013-1-5 7:05", "2013-01-05 07:05:09"], "hour", "," + formats),
      ["0", "7", "7"])
    XCTAssertEqual(try datePart(["1/2/2013"], "date", "," + formats), ["2013-01-02"])
  }

  func testDatePartNamesItsColumnAfterTheSourceAndPart() throws {
    let op = try decodedOperation(
      DatePartOperation.self, #"{"op": "date_part", "column": "d", "part": "iso_week"}"#)
    XCTAssertEqual(op.to, "d_iso_week")
    XCTAssertEqual(op.summary, "date_part iso_week of d to d_iso_week")
    XCTAssertEqual(
      JSONValue.object(op.encodedParameters()).compactText,
      #"{"column":"d","part":"iso_week","to":"d_iso_week","on_error":"reject"}"#)
    let r = try applyStep(
      #"{"op": "date_part", "column": "b", "part": "year", "to": "born"}"#, columns: ["a", "b", "c"],
      rows: [["1", "1984-06-01", "x"]])
    XCTAssertEqual(r.columns, ["a", "b", "born", "c"])
    XCTAssertEqual(r.rows, [["1", "1984-06-01", "1984", "x"]])
    // A later step's column after the same source comes first.
    let two = try applySteps(
      #"{"op": "date_part", "column": "b", "part": "year"}, {"op": "date_part", "column": "b", "part": "month"}"#,
      columns: ["b"], rows: [["1984-06-01"]])
    XCTAssertEqual(two.columns, ["b", "b_month", "b_year"])
  }

  func testDatePartOfNullIsNull() throws {
    let r = try applyStep(
      #"{"op": "date_part", "column": "d", "part": "day"}"#, columns: ["d"],
      rows: [["NA"], [""], ["2024-01-09"]],
      nullValues: ["", "NA"])
    XCTAssertEqual(r.column("d_day"), ["", "", "9"])
    XCTAssertEqual(r.rejects, [])
  }

  func testDatePartIsNullOutsideWhere() throws {
    let r = try applyStep(
      #"{"op": "date_part", "column": "d", "part": "quarter", "where": {"column": "k", "equals": "y"}}"#,
      columns: ["k", "d"], rows: [["y", "2024-05-01"], ["n", "2024-05-01"], ["n", "nonsense"]])
    XCTAssertEqual(r.column("d_quarter"), ["2", "", ""])
    XCTAssertEqual(r.rejects, [])
  }

  /// A value that fails: the row is rejected, or the new cell is null (under
  /// `null`, and under `keep` too: the source keeps its value), or the run stops.
  func testDatePartOnError() throws {
    let rows = [["2024-05-01"], ["05/01/2024"], ["2024-05-02"]]
    let step = #"{"op": "date_part", "column": "d", "part": "day""#
    let rejected = try applyStep(step + "}", columns: ["d"], rows: rows)
    XCTAssertEqual(rejected.rows, [["2024-05-01", "1"], ["2024-05-02", "2"]])
    XCTAssertEqual(
      rejected.rejects, [#"3: cannot read "05/01/2024" as a timestamp (formats tried: ISO 8601)"#])
    for policy in ["null", "keep"] {
      let r = try applyStep(step + #", "on_error": "\#(policy)"}"#, columns: ["d"], rows: rows)
      XCTAssertEqual(r.rows, [["2024-05-01", "1"], ["05/01/2024", ""], ["2024-05-02", "2"]], policy)
      XCTAssertEqual(r.rejects, [], policy)
    }
    let e = try XCTUnwrap(dataError(step + #", "on_error": "fail"}"#, columns: ["d"], rows: rows))
    XCTAssertEqual(e.line, 3)
  }

  func testDatePartRecipeErrors() throws {
    let missing = try XCTUnwrap(stepError(#"{"op": "date_part", "column": "d"}"#))
    XCTAssertEqual(missing.field, "part")
    XCTAssertTrue(missing.message.contains("iso_week"), missing.message)
    let typo = try XCTUnwrap(stepError(#"{"op": "date_part", "column": "d", "part": "isoweek"}"#))
    XCTAssertEqual(typo.field, "part")
    XCTAssertTrue(typo.message.contains(#"did you mean "iso_week""#), typo.message)
    let formats = try XCTUnwrap(
      stepError(#"{"op": "date_part", "column": "d", "part": "day", "input_formats": []}"#))
    XCTAssertEqual(formats.field, "input_formats")
  }

  func testDatePartDefaultNameClashes() throws {
    let clash = planError(
      #"{"decant_recipe": 1, "input": {"columns": ["d", "d_year"]}, "steps": [{"op": "date_part", "column": "d", "part": "year"}]}"#,
      columns: ["d", "d_year"])
    XCTAssertTrue(clash is RecipeError, "the saved header shows the name: \(String(describing: clash))")
  }

  // MARK: normalize_timezone with to

  func testNormalizeTimezoneWithToAddsAColumnAfterTheSource() throws {
    let r = try applyStep(
      #"{"op": "normalize_timezone", "column": "t", "from_zone": "Europe/Berlin", "to": "utc"}"#,
      columns: ["t", "k"],
      rows: [["2024-07-01 12:00:00", "y"], ["", "y"], ["later", "n"], ["2024-07-01T12:00:00Z", "n"]])
    XCTAssertEqual(r.columns, ["t", "utc", "k"])
    XCTAssertEqual(
      r.rows,
      [
        ["2024-07-01 12:00:00", "2024-07-01T10:00:00Z", "y"], ["", "", "y"],
        ["2024-07-01T12:00:00Z", "2024-07-01T12:00:00Z", "n"],
      ])
    XCTAssertEqual(r.rejects.count, 1)
  }

  func testNormalizeTimezoneWithToUnderWhereAndOnError() throws {
    let rows = [
      ["2024-07-01 12:00:00", "Asia/Tokyo", "y"], ["2024-07-01 12:00:00", "Mars/Olympus", "y"],
      ["bad", "UTC", "n"],
    ]
    let r = try applyStep(
      #"{"op": "normalize_timezone", "column": "t", "from_zone": {"column": "tz"}, "output_format": "%H:%M %Z", "to": "u", "on_error": "keep", "where": {"column": "k", "equals": "y"}}"#,
      columns: ["t", "tz", "k"], rows: rows)
    XCTAssertEqual(r.columns, ["t", "u", "tz", "k"])
    XCTAssertEqual(
      r.rows,
      [
        ["2024-07-01 12:00:00", "03:00 UTC", "Asia/Tokyo", "y"],
        ["2024-07-01 12:00:00", "", "Mars/Olympus", "y"],
        ["bad", "", "UTC", "n"],
      ])
    XCTAssertEqual(r.rejects, [])
  }

  func testNormalizeTimezoneToDecodesAndEncodes() throws {
    let op = try decodedOperation(
      NormalizeTimezoneOperation.self,
      #"{"op": "normalize_timezone", "column": "t", "from_zone": "UTC", "to": "t_utc"}"#)
    XCTAssertEqual(op.to, "t_utc")
    XCTAssertEqual(op.summary, "normalize_timezone t UTC → UTC to t_utc")
    XCTAssertEqual(
      JSONValue.object(op.encodedParameters()).compactText,
      #"{"column":"t","from_zone":"UTC","to_zone":"UTC","ambiguous":"earlier","nonexistent":"shift_forward","to":"t_utc","on_error":"reject"}"#
    )
    let clash = planError(
      #"{"decant_recipe": 1, "steps": [{"op": "normalize_timezone", "column": "t", "from_zone": "UTC", "to": "t"}]}"#,
      columns: ["t"])
    XCTAssertTrue("\(clash!)".contains(#""t" clashes"#), "\(clash!)")
  }
}
