import XCTest

@testable import DecantCore

final class ColumnMappingTests: XCTestCase {
  func testSuggestionsPreferTheSameLettersThenTheClosestName() {
    let s = ColumnMapping.suggest(
      saved: ["event_id", "Amount USD", "country", "tz", "note"],
      actual: ["event_id", "amount_usd", "Country Code", "countryy", "zone", "note"])
    XCTAssertEqual(s.map(\.from), ["Amount USD", "country", "tz"])
    XCTAssertEqual(s.map(\.to), ["amount_usd", "countryy", nil])
  }

  func testEveryReferenceToAMappedColumnIsRewrittenAndNamesStepsMakeAreKept() throws {
    let recipe = try Recipe.decode(
      #"""
      {"decant_recipe": 1, "input": {"columns": ["id", "country", "tz", "when"]},
       "steps": [
        {"op": "fill_null", "columns": ["country"], "value": "ZZ", "where": {"all": [{"column": "tz", "is_null": false}, {"not": {"column": "country", "in": ["US"]}}]}},
        {"op": "normalize_timezone", "column": "when", "from_zone": {"column": "tz"}, "to": "utc"},
        {"op": "merge", "columns": ["country", "tz"], "to": "country_tz"},
        {"op": "rename", "columns": {"country": "nation"}},
        {"op": "filter", "where": {"column": "nation", "equals": "FR"}}
       ]}
      """#)
    let mapped = try ColumnMapping.apply(["country": "Country", "tz": "zone"], to: recipe)
    XCTAssertEqual(mapped.input.columns, ["id", "Country", "zone", "when"])
    let json = mapped.steps.map { $0.json.compactText }
    XCTAssertEqual(
      json[0],
      #"{"op":"fill_null","columns":["Country"],"value":"ZZ","where":{"all":[{"column":"zone","is_null":false},{"not":{"column":"Country","in":["US"]}}]}}"#
    )
    XCTAssertTrue(
      json[1].contains(#""from_zone":{"column":"zone"}"#) && json[1].contains(#""to":"utc""#), json[1])
    XCTAssertTrue(
      json[2].contains(#""columns":["Country","zone"]"#) && json[2].contains(#""to":"country_tz""#), json[2])
    XCTAssertTrue(json[3].contains(#""columns":{"Country":"nation"}"#), json[3])
    XCTAssertTrue(json[4].contains(#""column":"nation""#), json[4])
    // The mapped recipe plans against the renamed file.
    XCTAssertNoThrow(try mapped.plan(Schema(["id", "Country", "zone", "when"])))
    XCTAssertThrowsError(try recipe.plan(Schema(["id", "Country", "zone", "when"])))
  }

  func testALookupKeyNamedInBothTablesKeepsTheReferenceName() throws {
    let recipe = try Recipe.decode(
      #"{"decant_recipe": 1, "steps": [{"op": "lookup", "file": "r.csv", "on": ["country"]}]}"#)
    let mapped = try ColumnMapping.apply(["country": "Country"], to: recipe)
    XCTAssertTrue(
      mapped.steps[0].json.compactText.contains(#""on":{"Country":"country"}"#),
      mapped.steps[0].json.compactText)
  }
}
