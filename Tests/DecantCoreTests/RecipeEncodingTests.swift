import XCTest

@testable import DecantCore

/// `Recipe.encoded`: deterministic, canonical text a recipe file is saved as.
final class RecipeEncodingTests: XCTestCase {
  static let designExampleEncoded = """
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
        {
          "op": "rename",
          "columns": {
            "Amount USD": "amount_usd"
          }
        },
        {
          "op": "dedupe",
          "columns": ["event_id"],
          "keep": "first"
        },
        {
          "op": "fill_null",
          "columns": ["country"],
          "value": "ZZ"
        },
        {
          "op": "normalize_timezone",
          "column": "event_time",
          "from_zone": "America/New_York",
          "to_zone": "UTC",
          "input_formats": ["%Y-%m-%d %H:%M:%S"],
          "output_format": "%Y-%m-%dT%H:%M:%SZ",
          "ambiguous": "earlier",
          "nonexistent": "shift_forward",
          "on_error": "reject"
        }
      ]
    }

    """

  func testDesignExampleEncodesToTheGoldenText() throws {
    let r = try Recipe.decode(RecipeDecodingTests.designExample)
    XCTAssertEqual(r.encoded, Self.designExampleEncoded)
  }

  func testEncodingEndsWithOneNewline() throws {
    let text = try Recipe.decode(RecipeDecodingTests.designExample).encoded
    XCTAssertTrue(text.hasSuffix("}\n"))
    XCTAssertFalse(text.hasSuffix("\n\n"))
  }

  func testDecodeEncodeDecodeEncodeGivesIdenticalText() throws {
    // Fields in unusual order, odd whitespace, defaults left out.
    let messy = """
      {"steps": [
        {"note": "drop repeats", "enabled": false, "keep": "first", "op": "dedupe"},
        {"value": 0, "columns": ["n", "m"], "op": "fill_null"},
        {"strategy": "median", "op": "fill_null", "columns": ["m"]},
        {"on_error": "null", "column": "t", "op": "normalize_timezone", "from_zone": {"column": "tz"},
         "output_format": "%d %b %Y %I:%M %p %:z", "to_zone": "+05:45", "input_formats": ["%d/%m/%Y %H:%M", "%s"]},
        {"columns": {"n": "N", "m": "M"}, "op": "rename", "note": "caps"}
      ], "name": "messy", "input": {"columns": ["n", "m", "t", "tz"], "ragged": "pad", "null_values": ["", "NA"],
        "encoding": "latin1", "header": true, "delimiter": ";", "format": "csv"},
      "decant_recipe": 1, "description": "fields \\"out\\" of order"}
      """
    let first = try Recipe.decode(messy).encoded
    let second = try Recipe.decode(first).encoded
    XCTAssertEqual(first, second)
    let expected = """
      {
        "decant_recipe": 1,
        "name": "messy",
        "description": "fields \\"out\\" of order",
        "input": {
          "format": "csv",
          "delimiter": ";",
          "header": true,
          "encoding": "latin1",
          "null_values": ["", "NA"],
          "ragged": "pad",
          "columns": ["n", "m", "t", "tz"]
        },
        "steps": [
          {
            "op": "dedupe",
            "columns": [],
            "keep": "first",
            "enabled": false,
            "note": "drop repeats"
          },
          {
            "op": "fill_null",
            "columns": ["n", "m"],
            "value": 0
          },
          {
            "op": "fill_null",
            "columns": ["m"],
            "strategy": "median"
          },
          {
            "op": "normalize_timezone",
            "column": "t",
            "from_zone": {
              "column": "tz"
            },
            "to_zone": "+05:45",
            "input_formats": ["%d/%m/%Y %H:%M", "%s"],
            "output_format": "%d %b %Y %I:%M %p %:z",
            "ambiguous": "earlier",
            "nonexistent": "shift_forward",
            "on_error": "null"
          },
          {
            "op": "rename",
            "columns": {
              "n": "N",
              "m": "M"
            },
            "note": "caps"
          }
        ]
      }

      """
    XCTAssertEqual(first, expected)
  }

  func testStepKeyOrderIsOpThenParametersThenEnabledThenNote() throws {
    let r = try Recipe.decode(
      #"{"decant_recipe": 1, "steps": [{"note": "n", "enabled": false, "columns": ["a"], "op": "dedupe"}]}"#)
    guard case .object(let members) = r.steps[0].json else { return XCTFail("a step encodes as an object") }
    XCTAssertEqual(members.map(\.0), ["op", "columns", "keep", "enabled", "note"])
  }

  func testEnabledStepsDoNotWriteEnabled() throws {
    let r = try Recipe.decode(#"{"decant_recipe": 1, "steps": [{"op": "dedupe", "enabled": true}]}"#)
    guard case .object(let members) = r.steps[0].json else { return XCTFail("a step encodes as an object") }
    XCTAssertEqual(members.map(\.0), ["op", "columns", "keep"])
  }

  func testDisabledStepAndNoteSurviveARoundTrip() throws {
    let r = try Recipe.decode(
      #"{"decant_recipe": 1, "steps": [{"op": "rename", "columns": {"a": "b"}, "enabled": false, "note": "keep \"a\" for now"}]}"#
    )
    let again = try Recipe.decode(r.encoded)
    XCTAssertEqual(again.steps.count, 1)
    XCTAssertEqual(again.steps[0].enabled, false)
    XCTAssertEqual(again.steps[0].note, #"keep "a" for now"#)
    XCTAssertTrue(r.encoded.contains(#""enabled": false,"#), r.encoded)
    XCTAssertTrue(r.encoded.contains(#""note": "keep \"a\" for now""#), r.encoded)
  }

  func testEmptyRecipeEncodesInputNullValuesAndEmptySteps() throws {
    let r = try Recipe.decode(#"{"decant_recipe": 1, "steps": []}"#)
    XCTAssertEqual(
      r.encoded,
      """
      {
        "decant_recipe": 1,
        "input": {
          "null_values": [""]
        },
        "steps": []
      }

      """)
  }

  func testRecipeBuiltInCodeEncodesLikeADecodedOne() throws {
    let built = Recipe(
      name: "built",
      input: InputSettings(nullValues: ["", "NA"]),
      steps: [
        Step(operation: RenameOperation(mapping: [(old: "a", new: "b")])),
        Step(operation: DedupeOperation(columns: ["b"]), enabled: false, note: "off"),
        Step(operation: FillNullOperation(columns: ["c"], fill: .strategy(.previous))),
        Step(
          operation: NormalizeTimezoneOperation(
            column: "t", fromZone: .zone(Zone("Europe/Berlin")!), toZone: Zone("Asia/Kathmandu")!)),
      ])
    let decoded = try Recipe.decode(built.encoded)
    XCTAssertEqual(decoded.encoded, built.encoded)
    XCTAssertEqual(
      built.encoded,
      """
      {
        "decant_recipe": 1,
        "name": "built",
        "input": {
          "null_values": ["", "NA"]
        },
        "steps": [
          {
            "op": "rename",
            "columns": {
              "a": "b"
            }
          },
          {
            "op": "dedupe",
            "columns": ["b"],
            "keep": "first",
            "enabled": false,
            "note": "off"
          },
          {
            "op": "fill_null",
            "columns": ["c"],
            "strategy": "previous"
          },
          {
            "op": "normalize_timezone",
            "column": "t",
            "from_zone": "Europe/Berlin",
            "to_zone": "Asia/Kathmandu",
            "ambiguous": "earlier",
            "nonexistent": "shift_forward",
            "on_error": "reject"
          }
        ]
      }

      """)
  }

  func testFillValueLiteralsKeepTheirJSONType() throws {
    let r = try Recipe.decode(
      #"{"decant_recipe": 1, "steps": [{"op": "fill_null", "columns": ["a"], "value": 1.50}, {"op": "fill_null", "columns": ["a"], "value": "1.50"}, {"op": "fill_null", "columns": ["a"], "value": false}]}"#
    )
    XCTAssertEqual(
      r.steps.map { $0.json.compactText },
      [
        #"{"op":"fill_null","columns":["a"],"value":1.50}"#,
        #"{"op":"fill_null","columns":["a"],"value":"1.50"}"#,
        #"{"op":"fill_null","columns":["a"],"value":false}"#,
      ])
  }

  func testStringsWithControlCharactersAndUnicodeAreEscapedAndRoundTrip() throws {
    let r = Recipe(
      name: "tab\there \"q\" back\\slash\nnew ü", steps: [])
    XCTAssertTrue(r.encoded.contains(#""name": "tab\there \"q\" back\\slash\nnew ü","#), r.encoded)
    XCTAssertEqual(try Recipe.decode(r.encoded).name, "tab\there \"q\" back\\slash\nnew ü")
  }

  func testRenameMappingKeepsTheOrderWritten() throws {
    let r = try Recipe.decode(
      #"{"decant_recipe": 1, "steps": [{"op": "rename", "columns": {"z": "a", "a": "z"}}]}"#)
    XCTAssertEqual(r.steps[0].json.compactText, #"{"op":"rename","columns":{"z":"a","a":"z"}}"#)
  }

  /// Every operation added with conditions, with every parameter and a where,
  /// decodes from its encoding to the same step (the same encoding again).
  func testTheNewOperationsRoundTripWithEveryParameterAndWhere() throws {
    let steps = [
      #"{"op": "filter", "where": {"all": [{"column": "a", "in": ["x", 2]}, {"not": {"column": "b", "between": [1, 2.50]}}]}, "keep": "non_matching"}"#,
      #"{"op": "validate", "name": "rule", "where": {"column": "a", "matches": "^x", "case_insensitive": true}, "on_error": "keep"}"#,
      #"{"op": "select", "columns": ["b", "a"]}"#,
      #"{"op": "drop", "columns": ["b"]}"#,
      #"{"op": "copy", "column": "a", "to": "c", "on_error": "null", "where": {"column": "a", "is_null": false}}"#,
      #"{"op": "set", "column": "c", "value": 1e3, "where": {"column": "a", "gte": 10}}"#,
      #"{"op": "set", "column": "c", "value": null}"#,
      #"{"op": "merge", "columns": ["a", "b"], "to": "c", "separator": 0, "nulls": "null", "on_error": "keep"}"#,
      #"{"op": "split", "column": "a", "separator": "; ", "into": ["x", "y", "z"], "on_error": "fail"}"#,
      #"{"op": "trim", "columns": ["a", "b"], "side": "right", "characters": " *", "collapse": true, "on_error": "keep", "where": {"column": "b", "starts_with": "x"}}"#,
      #"{"op": "change_case", "columns": ["a"], "case": "title", "on_error": "null"}"#,
      #"{"op": "replace", "columns": ["a"], "find": "(\\d+)", "with": "<$1> \\$", "regex": true, "case_insensitive": true, "whole_cell": true}"#,
      #"{"op": "extract", "column": "a", "pattern": "(x)(y)?", "group": 2, "to": "c", "on_error": "keep"}"#,
      #"{"op": "map_values", "columns": ["a"], "mapping": {"x": "X", "y": null, "1": 2}, "case_insensitive": true, "unmapped": "reject"}"#,
      #"{"op": "hash", "columns": ["a", "b"], "salt": "pepper", "where": {"column": "a", "is_null": false}}"#,
      #"{"op": "mask", "columns": ["a"], "keep_first": 1, "keep_last": 0, "with": "•", "on_error": "fail", "where": {"column": "b", "equals": "x"}}"#,
    ]
    for step in steps {
      let first = try Recipe.decode(#"{"decant_recipe": 1, "steps": [\#(step)]}"#)
      let again = try Recipe.decode(first.encoded)
      XCTAssertEqual(again.encoded, first.encoded, step)
      XCTAssertEqual(again.steps[0].summary, first.steps[0].summary, step)
      XCTAssertEqual(again.steps[0].condition, first.steps[0].condition, step)
    }
  }
}
