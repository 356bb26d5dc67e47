import XCTest

@testable import DecantCore

/// Recipe format v1 decoding (DESIGN.md §3): strict, with errors that name the
/// step, the field and what to do.
final class RecipeDecodingTests: XCTestCase {
  static let designExample = """
    {
      "decant_recipe": 1,
      "name": "clean-events",
      "description": "Dedupe events, fill gaps, move timestamps to UTC",
      "input": {
        "format": "csv",
        "delimiter": ",",
        "header": true,
        "null_values": [""],
        "columns": ["event_id", "country", "Amount USD", "event_time"]
      },
      "steps": [
        {"op": "rename", "columns": {"Amount USD": "amount_usd"}},
        {"op": "dedupe", "columns": ["event_id"], "keep": "first"},
        {"op": "fill_null", "columns": ["country"], "value": "ZZ"},
        {"op": "normalize_timezone", "column": "event_time",
         "from_zone": "America/New_York", "to_zone": "UTC",
         "input_formats": ["%Y-%m-%d %H:%M:%S"],
         "output_format": "%Y-%m-%dT%H:%M:%SZ",
         "ambiguous": "earlier", "nonexistent": "shift_forward",
         "on_error": "reject"}
      ]
    }
    """

  // MARK: A valid recipe

  func testDesignExampleDecodesEveryField() throws {
    let r = try Recipe.decode(Self.designExample)
    XCTAssertEqual(r.name, "clean-events")
    XCTAssertEqual(r.description, "Dedupe events, fill gaps, move timestamps to UTC")
    XCTAssertEqual(
      r.input,
      InputSettings(
        format: .csv, delimiter: ",", header: true, nullValues: [""],
        columns: ["event_id", "country", "Amount USD", "event_time"]))
    XCTAssertEqual(r.steps.map(\.op), ["rename", "dedupe", "fill_null", "normalize_timezone"])
    XCTAssertEqual(r.steps.map(\.enabled), [true, true, true, true])
    XCTAssertEqual(r.steps.map(\.note), [nil, nil, nil, nil])

    let rename = try XCTUnwrap(r.steps[0].operation as? RenameOperation)
    XCTAssertEqual(rename.mapping.map(\.old), ["Amount USD"])
    XCTAssertEqual(rename.mapping.map(\.new), ["amount_usd"])
    let dedupe = try XCTUnwrap(r.steps[1].operation as? DedupeOperation)
    XCTAssertEqual(dedupe.columns, ["event_id"])
    XCTAssertEqual(dedupe.keep, .first)
    let fill = try XCTUnwrap(r.steps[2].operation as? FillNullOperation)
    XCTAssertEqual(fill.columns, ["country"])
    XCTAssertEqual(fill.fill, .value("ZZ", literal: false))
    let tz = try XCTUnwrap(r.steps[3].operation as? NormalizeTimezoneOperation)
    XCTAssertEqual(tz.column, "event_time")
    XCTAssertEqual(tz.fromZone, .zone(Zone("America/New_York")!))
    XCTAssertEqual(tz.toZone.name, "UTC")
    XCTAssertEqual(tz.inputFormats.map(\.pattern), ["%Y-%m-%d %H:%M:%S"])
    XCTAssertEqual(tz.outputFormat?.pattern, "%Y-%m-%dT%H:%M:%SZ")
    XCTAssertEqual(tz.ambiguous, .earlier)
    XCTAssertEqual(tz.nonexistent, .shiftForward)
    XCTAssertEqual(tz.onError, .reject)
  }

  func testMinimalRecipeHasDefaultInputSettingsAndNoSteps() throws {
    let r = try Recipe.decode(#"{"decant_recipe": 1, "steps": []}"#)
    XCTAssertNil(r.name)
    XCTAssertNil(r.description)
    XCTAssertEqual(r.input, InputSettings())
    XCTAssertEqual(r.input.nullValues, [""])
    XCTAssertEqual(r.steps.count, 0)
  }

  func testOptionalStepParametersTakeTheirDocumentedDefaults() throws {
    let r = try Recipe.decode(
      #"{"decant_recipe": 1, "steps": [{"op": "dedupe"}, {"op": "normalize_timezone", "column": "t"}]}"#)
    let dedupe = try XCTUnwrap(r.steps[0].operation as? DedupeOperation)
    XCTAssertEqual(dedupe.columns, [])
    XCTAssertEqual(dedupe.keep, .first)
    let tz = try XCTUnwrap(r.steps[1].operation as? NormalizeTimezoneOperation)
    XCTAssertEqual(tz.fromZone, .none)
    XCTAssertEqual(tz.toZone.name, "UTC")
    XCTAssertEqual(tz.inputFormats, [])
    XCTAssertNil(tz.outputFormat)
    XCTAssertEqual(tz.ambiguous, .earlier)
    XCTAssertEqual(tz.nonexistent, .shiftForward)
    XCTAssertEqual(tz.onError, .reject)
  }

  func testEnabledFalseAndNoteAreRead() throws {
    let r = try Recipe.decode(
      #"{"decant_recipe": 1, "steps": [{"op": "dedupe", "enabled": false, "note": "later"}]}"#)
    XCTAssertEqual(r.steps[0].enabled, false)
    XCTAssertEqual(r.steps[0].note, "later")
    XCTAssertEqual(r.enabledSteps.count, 0)
  }

  func testFromZoneColumnObjectIsAPerRowZone() throws {
    let r = try Recipe.decode(
      #"{"decant_recipe": 1, "steps": [{"op": "normalize_timezone", "column": "t", "from_zone": {"column": "tz"}}]}"#
    )
    let tz = try XCTUnwrap(r.steps[0].operation as? NormalizeTimezoneOperation)
    XCTAssertEqual(tz.fromZone, .column("tz"))
  }

  func testFillValueKeepsNumberLiteralsApartFromStrings() throws {
    let r = try Recipe.decode(
      #"{"decant_recipe": 1, "steps": [{"op": "fill_null", "columns": ["a"], "value": 0}, {"op": "fill_null", "columns": ["a"], "value": "0"}, {"op": "fill_null", "columns": ["a"], "value": true}]}"#
    )
    XCTAssertEqual((r.steps[0].operation as? FillNullOperation)?.fill, .value("0", literal: true))
    XCTAssertEqual((r.steps[1].operation as? FillNullOperation)?.fill, .value("0", literal: false))
    XCTAssertEqual((r.steps[2].operation as? FillNullOperation)?.fill, .value("true", literal: true))
  }

  // MARK: Syntax

  func testMalformedJSONReportsLineAndColumn() throws {
    let text = """
      {
        "decant_recipe": 1,
        "steps": [
          {"op": "rename" "columns": {}}
        ]
      }
      """
    let e = try XCTUnwrap(decodeError(text))
    XCTAssertEqual(
      e.message, #"not valid JSON at line 4, column 21: expected ',' or '}' in an object but found '"'"#)
    XCTAssertNil(e.step)
    XCTAssertNil(e.field)
  }

  func testMalformedJSONColumnCountsCharactersNotBytes() throws {
    let e = try XCTUnwrap(decodeError(#"{"decant_recipe": 1, "name": "Zürich" x}"#))
    XCTAssertEqual(
      e.message, "not valid JSON at line 1, column 39: expected ',' or '}' in an object but found 'x'")
  }

  func testAByteOrderMarkBeforeTheRecipeIsSkipped() throws {
    let recipe = try Recipe.decode(
      [0xEF, 0xBB, 0xBF] + Array(#"{"decant_recipe": 1, "name": "bom", "steps": []}"#.utf8))
    XCTAssertEqual(recipe.name, "bom")
    // Columns still count from the first character after the mark.
    let e = try XCTUnwrap(decodeError("\u{FEFF}" + #"{"decant_recipe": 1 x}"#))
    XCTAssertEqual(
      e.message, "not valid JSON at line 1, column 21: expected ',' or '}' in an object but found 'x'")
  }

  func testTrailingCommaInStepsIsASyntaxErrorAtTheBracket() throws {
    let e = try XCTUnwrap(decodeError("{\"decant_recipe\": 1,\n\"steps\": [{\"op\": \"dedupe\"},]}"))
    XCTAssertEqual(e.message, "not valid JSON at line 2, column 28: expected a value but found ']'")
  }

  func testUnclosedStringReportsWhereItOpened() throws {
    let e = try XCTUnwrap(decodeError("{\"decant_recipe\": 1,\n  \"name\": \"oops}"))
    XCTAssertEqual(e.message, "not valid JSON at line 2, column 11: a string opened here is never closed")
  }

  func testDuplicateKeyIsASyntaxError() throws {
    let e = try XCTUnwrap(decodeError(#"{"decant_recipe": 1, "steps": [], "steps": []}"#))
    XCTAssertEqual(
      e.message, #"not valid JSON at line 1, column 35: the key "steps" appears twice in one object"#)
  }

  func testRecipeMustBeAnObject() throws {
    let e = try XCTUnwrap(decodeError("[1]"))
    XCTAssertEqual(e.message, "a recipe is a JSON object, not an array")
  }

  // MARK: Top level

  func testUnknownTopLevelFieldSuggestsTheClosestField() throws {
    let e = try XCTUnwrap(decodeError(#"{"decant_recipe": 1, "step": []}"#))
    XCTAssertEqual(e.message, #"unknown top-level field "step"; did you mean "steps"?"#)
    XCTAssertEqual(e.field, "step")
    XCTAssertNil(e.step)
    XCTAssertEqual(e.description, #"field "step": unknown top-level field "step"; did you mean "steps"?"#)
  }

  func testUnknownTopLevelFieldFarFromAnyFieldHasNoSuggestion() throws {
    let e = try XCTUnwrap(decodeError(#"{"decant_recipe": 1, "steps": [], "frobnicate": 1}"#))
    XCTAssertEqual(e.message, #"unknown top-level field "frobnicate""#)
    XCTAssertEqual(e.field, "frobnicate")
  }

  func testNewerFormatVersionAsksToUpgrade() throws {
    let e = try XCTUnwrap(decodeError(#"{"decant_recipe": 2, "steps": []}"#))
    XCTAssertEqual(
      e.message, "this recipe is format version 2; this Decant reads version 1. Upgrade Decant to replay it")
    XCTAssertEqual(e.field, "decant_recipe")
  }

  func testNewerFormatVersionIsReportedBeforeFieldsThisVersionDoesNotKnow() throws {
    // A version 2 recipe may well use fields version 1 lacks: the upgrade hint must win.
    let e = try XCTUnwrap(decodeError(#"{"decant_recipe": 2, "schedule": "daily", "steps": []}"#))
    XCTAssertEqual(
      e.message, "this recipe is format version 2; this Decant reads version 1. Upgrade Decant to replay it")
    XCTAssertEqual(e.field, "decant_recipe")
  }

  func testNewerFormatVersionIsReportedBeforeOperationsThisVersionDoesNotKnow() throws {
    let e = try XCTUnwrap(decodeError(#"{"decant_recipe": 2, "steps": [{"op": "split_column"}]}"#))
    XCTAssertEqual(
      e.message, "this recipe is format version 2; this Decant reads version 1. Upgrade Decant to replay it")
  }

  func testEmptyTextIsASyntaxError() throws {
    let e = try XCTUnwrap(decodeError(""))
    XCTAssertEqual(e.message, "not valid JSON at line 1, column 1: expected a value but the text ended")
  }

  func testMissingFormatVersionIsAnError() throws {
    let e = try XCTUnwrap(decodeError(#"{"name": "x", "steps": []}"#))
    XCTAssertEqual(e.message, #"missing "decant_recipe": 1 (the format version); is this a Decant recipe?"#)
    XCTAssertEqual(e.field, "decant_recipe")
  }

  func testFormatVersionAsStringIsATypeError() throws {
    let e = try XCTUnwrap(decodeError(#"{"decant_recipe": "1", "steps": []}"#))
    XCTAssertEqual(e.message, "must be the whole number 1, not a string")
    XCTAssertEqual(e.field, "decant_recipe")
  }

  func testFormatVersionZeroDoesNotExist() throws {
    let e = try XCTUnwrap(decodeError(#"{"decant_recipe": 0, "steps": []}"#))
    XCTAssertEqual(e.message, "format version 0 does not exist; use 1")
  }

  func testMissingStepsIsAnError() throws {
    let e = try XCTUnwrap(decodeError(#"{"decant_recipe": 1}"#))
    XCTAssertEqual(e.message, #"missing "steps" (a list, may be empty)"#)
    XCTAssertEqual(e.field, "steps")
  }

  func testNameMustBeAString() throws {
    let e = try XCTUnwrap(decodeError(#"{"decant_recipe": 1, "name": 5, "steps": []}"#))
    XCTAssertEqual(e.message, "must be a string, not a number")
    XCTAssertEqual(e.field, "name")
  }

  // MARK: Operations and step fields

  func testUnknownOpDedupSuggestsDedupe() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "dedup", "columns": ["id"]}"#))
    XCTAssertEqual(e.message, #"unknown operation "dedup"; did you mean "dedupe"?"#)
    XCTAssertEqual(e.step, 1)
    XCTAssertEqual(e.field, "op")
    XCTAssertNil(e.op)
  }

  func testUnknownOpErrorNamesTheStepNumber() throws {
    let e = try XCTUnwrap(
      decodeError(#"{"decant_recipe": 1, "steps": [{"op": "dedupe"}, {"op": "dedupe"}, {"op": "Rename"}]}"#))
    XCTAssertEqual(e.message, #"unknown operation "Rename"; did you mean "rename"?"#)
    XCTAssertEqual(e.step, 3)
    XCTAssertEqual(e.description, #"step 3, field "op": unknown operation "Rename"; did you mean "rename"?"#)
  }

  func testUnknownOpFarFromAnyOpListsTheKnownOps() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "frobnicate"}"#))
    XCTAssertEqual(
      e.message,
      "unknown operation \"frobnicate\" (known: \(OperationRegistry.names.joined(separator: ", ")))")
  }

  func testStepWithoutOpIsAnError() throws {
    let e = try XCTUnwrap(stepError(#"{"columns": ["id"]}"#))
    XCTAssertEqual(e.message, "has no \"op\" (one of \(OperationRegistry.names.joined(separator: ", ")))")
    XCTAssertEqual(e.step, 1)
    XCTAssertEqual(e.field, "op")
  }

  func testStepMustBeAnObject() throws {
    let e = try XCTUnwrap(stepError(#""dedupe""#))
    XCTAssertEqual(e.message, "each step must be an object, not a string")
    XCTAssertEqual(e.step, 1)
  }

  func testUnknownStepFieldColumsSuggestsColumns() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "dedupe", "colums": ["id"]}"#))
    XCTAssertEqual(e.message, #"is not a field of dedupe; did you mean "columns"?"#)
    XCTAssertEqual(e.step, 1)
    XCTAssertEqual(e.op, "dedupe")
    XCTAssertEqual(e.field, "colums")
    XCTAssertEqual(
      e.description, #"step 1 (dedupe), field "colums": is not a field of dedupe; did you mean "columns"?"#)
  }

  func testMisspeltRequiredFieldColumsSuggestsColumns() throws {
    // fill_null requires columns; the typo must still be named, not only "columns is required".
    let e = try XCTUnwrap(stepError(#"{"op": "fill_null", "colums": ["a"], "value": "x"}"#))
    XCTAssertEqual(e.message, #"is not a field of fill_null; did you mean "columns"?"#)
    XCTAssertEqual(e.step, 1)
    XCTAssertEqual(e.op, "fill_null")
    XCTAssertEqual(e.field, "colums")
  }

  func testShortUnknownFieldDoesNotSuggestAnUnrelatedField() throws {
    // "by" is two edits from "op", which is not a likely typo (and "op" is already there).
    let e = try XCTUnwrap(stepError(#"{"op": "dedupe", "by": ["id"]}"#))
    XCTAssertEqual(e.message, "is not a field of dedupe (fields: columns, keep, where, enabled, note)")
    XCTAssertEqual(e.field, "by")
  }

  func testUnknownStepFieldFarFromAnyFieldListsTheFields() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "dedupe", "frobnicate": 1}"#))
    XCTAssertEqual(e.message, "is not a field of dedupe (fields: columns, keep, where, enabled, note)")
    XCTAssertEqual(e.field, "frobnicate")
  }

  func testColumnsAsStringIsATypeError() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "dedupe", "columns": "id"}"#))
    XCTAssertEqual(e.message, "must be an array of strings, not a string")
    XCTAssertEqual(e.step, 1)
    XCTAssertEqual(e.op, "dedupe")
    XCTAssertEqual(e.field, "columns")
  }

  func testColumnsWithANumberItemNamesTheItem() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "fill_null", "columns": ["a", 2], "value": "x"}"#))
    XCTAssertEqual(e.message, "item 2 must be a string, not a number")
    XCTAssertEqual(e.field, "columns")
  }

  func testColumnsNamingAColumnTwiceIsAnError() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "dedupe", "columns": ["id", "id"]}"#))
    XCTAssertEqual(e.message, #"names the column "id" twice"#)
    XCTAssertEqual(e.field, "columns")
  }

  func testEnabledAsStringIsATypeError() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "dedupe", "enabled": "false"}"#))
    XCTAssertEqual(e.message, "must be true or false, not a string")
    XCTAssertEqual(e.step, 1)
    XCTAssertEqual(e.op, "dedupe")
    XCTAssertEqual(e.field, "enabled")
  }

  func testNoteAsNumberIsATypeError() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "dedupe", "note": 3}"#))
    XCTAssertEqual(e.message, "must be a string, not a number")
    XCTAssertEqual(e.field, "note")
  }

  func testRenameColumnsAsArrayIsATypeError() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "rename", "columns": ["a"]}"#))
    XCTAssertEqual(e.message, "must be an object of old name → new name, not an array")
    XCTAssertEqual(e.field, "columns")
  }

  func testMissingRequiredColumnOfNormalizeTimezone() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "normalize_timezone", "from_zone": "UTC"}"#))
    XCTAssertEqual(e.message, "is required (a column name)")
    XCTAssertEqual(e.step, 1)
    XCTAssertEqual(e.op, "normalize_timezone")
    XCTAssertEqual(e.field, "column")
  }

  func testMissingRequiredColumnsOfFillNull() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "fill_null", "value": "x"}"#))
    XCTAssertEqual(e.message, "is required (a list of column names)")
    XCTAssertEqual(e.field, "columns")
  }

  func testMissingRequiredColumnsOfRename() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "rename"}"#))
    XCTAssertEqual(e.message, "is required (an object of old name → new name)")
    XCTAssertEqual(e.field, "columns")
  }

  func testFillNullWithEmptyColumnsIsAnError() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "fill_null", "columns": [], "value": "x"}"#))
    XCTAssertEqual(e.message, "must name at least one column")
    XCTAssertEqual(e.field, "columns")
  }

  func testFillNullWithBothValueAndStrategyIsAnError() throws {
    let e = try XCTUnwrap(
      stepError(#"{"op": "fill_null", "columns": ["a"], "value": "x", "strategy": "mean"}"#))
    XCTAssertEqual(e.message, #"give either "value" or "strategy", not both"#)
    XCTAssertEqual(e.step, 1)
    XCTAssertEqual(e.op, "fill_null")
    XCTAssertEqual(e.field, "value")
  }

  func testFillNullWithNeitherValueNorStrategyIsAnError() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "fill_null", "columns": ["a"]}"#))
    XCTAssertEqual(
      e.message, #"needs "value" (a constant) or "strategy" (previous, next, mode, mean, median)"#)
    XCTAssertEqual(e.step, 1)
    XCTAssertEqual(e.op, "fill_null")
    XCTAssertNil(e.field)
  }

  func testFillNullUnknownStrategySuggestsTheClosest() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "fill_null", "columns": ["a"], "strategy": "meen"}"#))
    XCTAssertEqual(
      e.message, #""meen" is not one of previous, next, mode, mean, median; did you mean "mean"?"#)
    XCTAssertEqual(e.field, "strategy")
  }

  func testFillNullValueAsObjectIsATypeError() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "fill_null", "columns": ["a"], "value": {}}"#))
    XCTAssertEqual(e.message, "must be a string or a number, not an object")
    XCTAssertEqual(e.field, "value")
  }

  func testUnknownChoiceValueSuggestsTheClosest() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "normalize_timezone", "column": "t", "ambiguous": "earliest"}"#))
    XCTAssertEqual(e.message, #""earliest" is not one of earlier, later, reject; did you mean "earlier"?"#)
    XCTAssertEqual(e.field, "ambiguous")
  }

  func testUnknownOnErrorValueIsAnError() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "normalize_timezone", "column": "t", "on_error": "skip"}"#))
    XCTAssertEqual(e.message, #""skip" is not one of reject, null, keep, fail"#)
    XCTAssertEqual(e.field, "on_error")
  }

  // MARK: Zones and formats

  func testUnknownZoneBerlnSuggestsBerlin() throws {
    let e = try XCTUnwrap(
      stepError(#"{"op": "normalize_timezone", "column": "t", "from_zone": "Europe/Berln"}"#))
    XCTAssertEqual(
      e.message,
      #""Europe/Berln" is not a time zone Decant knows (use an IANA name such as Europe/Berlin, UTC, or an offset such as +05:30); did you mean "Europe/Berlin"?"#
    )
    XCTAssertEqual(e.step, 1)
    XCTAssertEqual(e.op, "normalize_timezone")
    XCTAssertEqual(e.field, "from_zone")
  }

  func testUnknownTargetZoneIsAnErrorOnToZone() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "normalize_timezone", "column": "t", "to_zone": "Asia/Tokio"}"#))
    XCTAssertEqual(
      e.message,
      #""Asia/Tokio" is not a time zone Decant knows (use an IANA name such as Europe/Berlin, UTC, or an offset such as +05:30); did you mean "Asia/Tokyo"?"#
    )
    XCTAssertEqual(e.field, "to_zone")
  }

  func testZoneAbbreviationIsNotAnIANAName() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "normalize_timezone", "column": "t", "from_zone": "CEST"}"#))
    XCTAssertEqual(e.field, "from_zone")
    XCTAssertEqual(
      e.message,
      #""CEST" is not a time zone Decant knows (use an IANA name such as Europe/Berlin, UTC, or an offset such as +05:30)"#
    )
  }

  func testFromZoneObjectWithoutColumnIsAnError() throws {
    let e = try XCTUnwrap(
      stepError(#"{"op": "normalize_timezone", "column": "t", "from_zone": {"col": "tz"}}"#))
    XCTAssertEqual(e.message, #"must be a zone name or {"column": "NAME"}"#)
    XCTAssertEqual(e.field, "from_zone")
  }

  func testFromZoneAsNumberIsAnError() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "normalize_timezone", "column": "t", "from_zone": 5}"#))
    XCTAssertEqual(e.message, #"must be a zone name or {"column": "NAME"}, not a number"#)
  }

  func testInvalidStrftimeDirectiveInInputFormats() throws {
    let e = try XCTUnwrap(
      stepError(
        #"{"op": "normalize_timezone", "column": "t", "from_zone": "UTC", "input_formats": ["%Y-%m-%d %Q"]}"#)
    )
    XCTAssertEqual(
      e.message,
      #"the pattern "%Y-%m-%d %Q" uses %Q, which Decant does not read; use %Y %m %d %H %M %S %f %z %b %p %I and friends (see `decant ops`)"#
    )
    XCTAssertEqual(e.step, 1)
    XCTAssertEqual(e.op, "normalize_timezone")
    XCTAssertEqual(e.field, "input_formats")
  }

  func testInvalidStrftimeDirectiveInOutputFormat() throws {
    let e = try XCTUnwrap(
      stepError(#"{"op": "normalize_timezone", "column": "t", "from_zone": "UTC", "output_format": "%Y %Q"}"#)
    )
    XCTAssertEqual(
      e.message,
      #"the pattern "%Y %Q" uses %Q, which Decant does not write; use %Y %m %d %H %M %S %f %z %b %p %I and friends (see `decant ops`)"#
    )
    XCTAssertEqual(e.field, "output_format")
  }

  func testInputFormatWithoutAFullDateIsAnError() throws {
    let e = try XCTUnwrap(
      stepError(
        #"{"op": "normalize_timezone", "column": "t", "from_zone": "UTC", "input_formats": ["%H:%M:%S"]}"#))
    XCTAssertEqual(
      e.message,
      #"the input format "%H:%M:%S" does not name a full date (it needs a year, a month and a day)"#)
    XCTAssertEqual(e.field, "input_formats")
  }

  func testInputFormatWithMonthAndDayButNoYearIsAnError() throws {
    let e = try XCTUnwrap(
      stepError(
        #"{"op": "normalize_timezone", "column": "t", "from_zone": "UTC", "input_formats": ["%m-%d %H:%M"]}"#)
    )
    XCTAssertEqual(
      e.message,
      #"the input format "%m-%d %H:%M" does not name a full date (it needs a year, a month and a day)"#)
  }

  func testInputFormatWithTwelveHourClockNeedsAMPM() throws {
    let e = try XCTUnwrap(
      stepError(
        #"{"op": "normalize_timezone", "column": "t", "from_zone": "UTC", "input_formats": ["%Y-%m-%d %I:%M"]}"#
      ))
    XCTAssertEqual(
      e.message, #"the input format "%Y-%m-%d %I:%M" must use %I and %p together (12-hour clock)"#)
  }

  func testEmptyInputFormatsIsAnError() throws {
    let e = try XCTUnwrap(
      stepError(#"{"op": "normalize_timezone", "column": "t", "from_zone": "UTC", "input_formats": []}"#))
    XCTAssertEqual(e.message, "must list at least one pattern (or leave it out for ISO 8601)")
    XCTAssertEqual(e.field, "input_formats")
  }

  // MARK: Rename

  func testRenameClashInsideTheMappingIsAnError() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "rename", "columns": {"a": "x", "b": "x"}}"#))
    XCTAssertEqual(e.message, #"two columns would both be called "x""#)
    XCTAssertEqual(e.step, 1)
    XCTAssertEqual(e.op, "rename")
    XCTAssertEqual(e.field, "columns")
  }

  func testRenameToEmptyNameIsAnError() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "rename", "columns": {"a": ""}}"#))
    XCTAssertEqual(e.message, #"the new name for "a" is empty"#)
  }

  func testRenameWithEmptyMappingIsAnError() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "rename", "columns": {}}"#))
    XCTAssertEqual(e.message, "must rename at least one column")
  }

  func testRenameNewNameMustBeAString() throws {
    let e = try XCTUnwrap(stepError(#"{"op": "rename", "columns": {"a": 1}}"#))
    XCTAssertEqual(e.message, #"the value for "a" must be a string, not a number"#)
  }

  // MARK: Input settings

  func testDelimiterOfTwoCharactersIsAnError() throws {
    let e = try XCTUnwrap(decodeError(#"{"decant_recipe": 1, "input": {"delimiter": ";;"}, "steps": []}"#))
    XCTAssertEqual(e.message, #"must be a one-character string such as ",", ";", "\t" or "|""#)
    XCTAssertEqual(e.field, "input.delimiter")
    XCTAssertNil(e.step)
  }

  func testDelimiterCannotBeAQuote() throws {
    let e = try XCTUnwrap(decodeError(#"{"decant_recipe": 1, "input": {"delimiter": "\""}, "steps": []}"#))
    XCTAssertEqual(e.message, "cannot be a quote or a line end")
    XCTAssertEqual(e.field, "input.delimiter")
  }

  func testTabDelimiterIsAccepted() throws {
    let r = try Recipe.decode(#"{"decant_recipe": 1, "input": {"delimiter": "\t"}, "steps": []}"#)
    XCTAssertEqual(r.input.delimiter, "\t")
  }

  func testUnknownEncodingIsAnError() throws {
    let e = try XCTUnwrap(decodeError(#"{"decant_recipe": 1, "input": {"encoding": "utf-32"}, "steps": []}"#))
    XCTAssertEqual(e.message, "must be one of utf-8, latin1, utf-16, utf-16le, utf-16be")
    XCTAssertEqual(e.field, "input.encoding")
  }

  func testEncodingSpellingsAreAccepted() throws {
    let r = try Recipe.decode(#"{"decant_recipe": 1, "input": {"encoding": "ISO-8859-1"}, "steps": []}"#)
    XCTAssertEqual(r.input.encoding, .latin1)
  }

  func testUnknownInputSettingSuggestsTheClosest() throws {
    let e = try XCTUnwrap(decodeError(#"{"decant_recipe": 1, "input": {"delimeter": ","}, "steps": []}"#))
    XCTAssertEqual(e.message, #"is not an input setting; did you mean "delimiter"?"#)
    XCTAssertEqual(e.field, "input.delimeter")
    XCTAssertEqual(
      e.description, #"field "input.delimeter": is not an input setting; did you mean "delimiter"?"#)
  }

  func testUnknownInputSettingFarFromAnyListsTheSettings() throws {
    let e = try XCTUnwrap(decodeError(#"{"decant_recipe": 1, "input": {"frobnicate": 1}, "steps": []}"#))
    XCTAssertEqual(
      e.message,
      "is not an input setting (settings: format, delimiter, header, null_values, columns, encoding, ragged)")
  }

  func testUnknownInputFormatIsAnError() throws {
    let e = try XCTUnwrap(decodeError(#"{"decant_recipe": 1, "input": {"format": "xlsx"}, "steps": []}"#))
    XCTAssertEqual(e.message, "must be one of csv, tsv, jsonl")
    XCTAssertEqual(e.field, "input.format")
  }

  func testHeaderMustBeABoolean() throws {
    let e = try XCTUnwrap(decodeError(#"{"decant_recipe": 1, "input": {"header": "yes"}, "steps": []}"#))
    XCTAssertEqual(e.message, "must be true or false")
    XCTAssertEqual(e.field, "input.header")
  }

  func testNullValuesMustBeStrings() throws {
    let e = try XCTUnwrap(
      decodeError(#"{"decant_recipe": 1, "input": {"null_values": ["", 0]}, "steps": []}"#))
    XCTAssertEqual(e.message, "must be an array of strings")
    XCTAssertEqual(e.field, "input.null_values")
  }

  func testRaggedMustBeRejectOrPad() throws {
    let e = try XCTUnwrap(decodeError(#"{"decant_recipe": 1, "input": {"ragged": "cut"}, "steps": []}"#))
    XCTAssertEqual(e.message, #"must be "reject" or "pad""#)
    XCTAssertEqual(e.field, "input.ragged")
  }

  func testInputSettingsAreRead() throws {
    let r = try Recipe.decode(
      #"{"decant_recipe": 1, "input": {"format": "tsv", "header": false, "null_values": ["", "NA"], "encoding": "latin1", "ragged": "pad", "columns": ["a", "b"]}, "steps": []}"#
    )
    XCTAssertEqual(
      r.input,
      InputSettings(
        format: .tsv, delimiter: nil, header: false, nullValues: ["", "NA"], columns: ["a", "b"],
        encoding: .latin1,
        ragged: .pad))
  }
}
