import XCTest

@testable import DecantCore

/// AWS Glue DataBrew recipes: export (`DataBrewRecipe.export`), import
/// (`DataBrewRecipe.parse`, `importSteps`), and the refusals of both.
final class DataBrewTests: XCTestCase {
  /// Steps written as the DataBrew developer guide's recipe action reference
  /// writes them (operation and parameter names, list parameters as JSON text),
  /// in the list form the console downloads.
  static let documentedRecipe = """
    [
      {"Action": {"Operation": "RENAME", "Parameters": {"sourceColumn": "date_of_birth", "targetColumn": "birth_date"}}},
      {"Action": {"Operation": "DUPLICATE", "Parameters": {"sourceColumn": "last_name", "targetColumn": "copy_of_last_name"}}},
      {"Action": {"Operation": "DELETE", "Parameters": {"sourceColumn": "extra_data"}}},
      {"Action": {"Operation": "MERGE_COLUMNS_AND_VALUES", "Parameters": {"sourceColumns": "[\\"last_name\\",\\"birth_date\\"]", "delimiter": " was born on: ", "targetColumn": "merged_column"}}},
      {"Action": {"Operation": "DELETE_DUPLICATE_ROWS"}},
      {"Action": {"Operation": "REMOVE_DUPLICATES", "Parameters": {"sourceColumn": "nationality"}}},
      {"Action": {"Operation": "REMOVE_MISSING", "Parameters": {"sourceColumn": "last_name"}}},
      {"Action": {"Operation": "FILL_WITH_CUSTOM", "Parameters": {"columnDataType": "string", "sourceColumn": "last_name", "value": "No last name provided"}}},
      {"Action": {"Operation": "UPPER_CASE", "Parameters": {"sourceColumn": "nationality"}},
       "ConditionExpressions": [{"Condition": "GREATER_THAN", "Value": "1800", "TargetColumn": "rating"},
                                {"Condition": "STARTS_WITH", "Value": "gb", "TargetColumn": "nationality"}]},
      {"Action": {"Operation": "LOWER_CASE", "Parameters": {"sourceColumn": "first_name"}}},
      {"Action": {"Operation": "REPLACE_TEXT", "Parameters": {"pattern": "x", "sourceColumn": "first_name", "value": "a"}}},
      {"Action": {"Operation": "MASK_RANGE", "Parameters": {"sourceColumns": "[\\"firstName\\",\\"lastName\\"]", "maskSymbol": "#"}}},
      {"Action": {"Operation": "MASK_RANGE", "Parameters": {"sourceColumns": "[\\"card\\"]", "maskSymbol": "*", "start": "2", "stop": "-4"}}}
    ]
    """

  private func parse(_ text: String) throws -> [DataBrewStep] {
    try DataBrewRecipe.parse(Array(text.utf8)).steps
  }

  private func recipe(_ steps: String, input: String = #"{"null_values": [""]}"#) throws -> Recipe {
    try Recipe.decode(#"{"decant_recipe": 1, "input": \#(input), "steps": \#(steps)}"#)
  }

  private func refusals(_ recipe: Recipe) -> [ExportRefusal] {
    do {
      _ = try DataBrewRecipe.export(recipe)
      XCTFail("the recipe was exported")
      return []
    } catch { return error.refusals }
  }

  // MARK: Round trips

  func testDocumentedDataBrewRecipeImportsAndExportsBackEqual() throws {
    let steps = try parse(Self.documentedRecipe)
    let (recipe, leftOut) = DataBrewRecipe.importSteps(steps)
    XCTAssertEqual(leftOut, [])
    XCTAssertEqual(
      recipe.steps.map(\.op),
      [
        "rename", "copy", "drop", "merge", "dedupe", "dedupe", "filter", "fill_null", "change_case",
        "change_case", "replace", "mask", "mask",
      ])
    XCTAssertEqual(try DataBrewRecipe.export(recipe), steps)
  }

  func testImportedStepsMeanWhatDataBrewSays() throws {
    let (recipe, _) = DataBrewRecipe.importSteps(try parse(Self.documentedRecipe))
    let json = recipe.steps.map { $0.json.compactText }
    XCTAssertEqual(
      json[3],
      #"{"op":"merge","columns":["last_name","birth_date"],"to":"merged_column","separator":" was born on: ","nulls":"skip","on_error":"reject"}"#
    )
    XCTAssertEqual(
      json[6], #"{"op":"filter","where":{"column":"last_name","is_null":false},"keep":"matching"}"#)
    XCTAssertEqual(
      json[8],
      #"{"op":"change_case","columns":["nationality"],"case":"upper","on_error":"reject","where":{"all":[{"column":"rating","gt":1800},{"column":"nationality","starts_with":"gb"}]}}"#
    )
    XCTAssertEqual(
      json[12],
      #"{"op":"mask","columns":["card"],"keep_first":2,"keep_last":4,"with":"*","on_error":"reject"}"#)
    XCTAssertEqual(
      json[11],
      ##"{"op":"mask","columns":["firstName","lastName"],"keep_first":0,"keep_last":0,"with":"#","on_error":"reject"}"##
    )
  }

  func testDecantRecipeExportsAndImportsBackEqual() throws {
    let original = try recipe(
      """
      [
        {"op": "rename", "columns": {"Amount USD": "amount_usd"}},
        {"op": "copy", "column": "email", "to": "email_raw", "on_error": "reject"},
        {"op": "drop", "columns": ["note"]},
        {"op": "merge", "columns": ["first", "last"], "to": "full", "separator": " ", "nulls": "skip", "on_error": "reject"},
        {"op": "merge", "columns": ["a", "b"], "to": "ab", "separator": "", "nulls": "skip", "on_error": "reject"},
        {"op": "dedupe", "columns": [], "keep": "first"},
        {"op": "dedupe", "columns": ["event_id"], "keep": "first"},
        {"op": "filter", "where": {"column": "event_id", "is_null": false}, "keep": "matching"},
        {"op": "fill_null", "columns": ["country"], "value": "ZZ", "where": {"column": "amount", "lte": 0.5}},
        {"op": "change_case", "columns": ["country"], "case": "lower", "on_error": "reject"},
        {"op": "replace", "columns": ["phone"], "find": "-", "with": " ", "regex": false, "case_insensitive": false,
         "whole_cell": false, "on_error": "reject", "where": {"column": "country", "equals": "US"}},
        {"op": "mask", "columns": ["card", "iban"], "keep_first": 0, "keep_last": 4, "with": "*", "on_error": "reject"}
      ]
      """)
    let exported = try DataBrewRecipe.export(original)
    let (back, leftOut) = DataBrewRecipe.importSteps(try parse(DataBrewRecipe.text(exported)))
    XCTAssertEqual(leftOut, [])
    XCTAssertEqual(back.steps.map(\.json), original.steps.map(\.json))
  }

  // MARK: Export

  func testExportWritesTheAPIShapeWithListsAsJSONText() throws {
    let r = try recipe(
      #"[{"op": "merge", "columns": ["first", "last"], "to": "full", "separator": " "},"#
        + #" {"op": "change_case", "columns": ["a"], "case": "upper", "where": {"column": "n", "between": [1, 2.50]}}]"#
    )
    XCTAssertEqual(
      DataBrewRecipe.text(try DataBrewRecipe.export(r)),
      """
      [
        {
          "Action": {
            "Operation": "MERGE_COLUMNS_AND_VALUES",
            "Parameters": {
              "delimiter": " ",
              "sourceColumns": "[\\"first\\",\\"last\\"]",
              "targetColumn": "full"
            }
          }
        },
        {
          "Action": {
            "Operation": "UPPER_CASE",
            "Parameters": {
              "sourceColumn": "a"
            }
          },
          "ConditionExpressions": [
            {
              "Condition": "GREATER_THAN_EQUAL",
              "Value": "1",
              "TargetColumn": "n"
            },
            {
              "Condition": "LESS_THAN_EQUAL",
              "Value": "2.50",
              "TargetColumn": "n"
            }
          ]
        }
      ]

      """)
  }

  func testStepsOnSeveralColumnsBecomeOneDataBrewStepEach() throws {
    let r = try recipe(
      #"[{"op": "change_case", "columns": ["a", "b"], "case": "lower"}, {"op": "drop", "columns": ["x", "y"]},"#
        + #" {"op": "rename", "columns": {"p": "q", "r": "s"}}]"#)
    let steps = try DataBrewRecipe.export(r)
    XCTAssertEqual(
      steps.map(\.operation), ["LOWER_CASE", "LOWER_CASE", "DELETE", "DELETE", "RENAME", "RENAME"])
    XCTAssertEqual(
      steps.map { $0.parameters.first { $0.0 == "sourceColumn" }!.1 }, ["a", "b", "x", "y", "p", "r"])
  }

  func testDisabledStepsAreNotExported() throws {
    let r = try recipe(
      #"[{"op": "hash", "columns": ["a"], "enabled": false}, {"op": "drop", "columns": ["b"]}]"#)
    XCTAssertEqual(try DataBrewRecipe.export(r), [DataBrewStep("DELETE", [("sourceColumn", "b")])])
  }

  func testEveryRefusalNamesItsStep() throws {
    let r = try recipe(
      """
      [
        {"op": "drop", "columns": ["a"]},
        {"op": "lookup", "file": "regions.csv", "on": ["country"]},
        {"op": "change_case", "columns": ["name"], "case": "title"},
        {"op": "copy", "column": "a", "to": "b", "where": {"column": "a", "equals": "x"}}
      ]
      """)
    let found = refusals(r)
    XCTAssertEqual(found.map(\.step), [2, 3, 4])
    XCTAssertEqual(found.map(\.op), ["lookup", "change_case", "copy"])
    XCTAssertTrue(
      found[0].description.hasPrefix("step 2 (lookup): DataBrew enriches by joining"), found[0].description)
    XCTAssertEqual(found[1].field, "case")
    XCTAssertEqual(found[2].field, "where")
  }

  func testParameterValuesWithoutACounterpartAreRefused() throws {
    let cases: [(step: String, field: String?, says: String)] = [
      (#"{"op": "dedupe", "columns": ["a"], "keep": "last"}"#, "keep", "keep: last"),
      (#"{"op": "dedupe", "columns": ["a", "b"]}"#, "columns", "takes one column"),
      (#"{"op": "merge", "columns": ["a", "b"], "to": "c", "nulls": "empty"}"#, "nulls", "nulls: empty"),
      (#"{"op": "fill_null", "columns": ["a"], "strategy": "median"}"#, "strategy", "exact decimal"),
      (#"{"op": "fill_null", "columns": ["a"], "value": ""}"#, nil, "empty value"),
      (#"{"op": "replace", "columns": ["a"], "find": "a.b", "with": "c"}"#, "find", "metacharacters"),
      (#"{"op": "replace", "columns": ["a"], "find": "a", "with": "$1"}"#, "with", "group references"),
      (#"{"op": "replace", "columns": ["a"], "find": "a"}"#, nil, "empty value"),
      (#"{"op": "replace", "columns": ["a"], "find": "a", "with": "b", "regex": true}"#, "regex", "dialect"),
      (#"{"op": "rename", "columns": {"a": "b", "b": "a"}}"#, "columns", "one column at a time"),
      (#"{"op": "filter", "where": {"column": "a", "equals": "x"}}"#, "where", "REMOVE_MISSING"),
      (#"{"op": "select", "columns": ["a"]}"#, nil, "input.columns"),
      (
        #"{"op": "change_case", "columns": ["a"], "case": "upper", "where": {"column": "a", "in": ["x", "y"]}}"#,
        "where", "\"in\""
      ),
      (
        #"{"op": "change_case", "columns": ["a"], "case": "upper", "where": {"not": {"column": "a", "equals": "x"}}}"#,
        "where", "\"not\""
      ),
      (
        #"{"op": "change_case", "columns": ["a"], "case": "upper", "where": {"column": "a", "equals": "x", "case_insensitive": true}}"#,
        "where", "case-sensitively"
      ),
    ]
    for c in cases {
      let found = refusals(try recipe("[\(c.step)]"))
      XCTAssertEqual(found.count, 1, c.step)
      XCTAssertEqual(found.first?.step, 1, c.step)
      XCTAssertEqual(found.first?.field, c.field, c.step)
      XCTAssertTrue(
        found.first?.message.contains(c.says) ?? false, "\(c.step): \(found.first?.message ?? "")")
    }
  }

  func testFillsAndConditionsNeedEmptyCellsToBeTheOnlyNulls() throws {
    let input = #"{"null_values": ["", "NA"]}"#
    let fill = refusals(try recipe(#"[{"op": "fill_null", "columns": ["a"], "value": "x"}]"#, input: input))
    XCTAssertTrue(fill[0].description.contains(#"input.null_values is ["", "NA"]"#), fill[0].description)
    // A rename does not read nulls: it exports whatever the null values are.
    XCTAssertEqual(
      try DataBrewRecipe.export(try recipe(#"[{"op": "rename", "columns": {"a": "b"}}]"#, input: input))
        .count, 1)
  }

  func testSelectDeletesTheOtherColumnsWhenTheRecipeSavesThem() throws {
    let input = #"{"null_values": [""], "columns": ["id", "name", "email", "note"]}"#
    let kept = try DataBrewRecipe.export(
      try recipe(
        #"[{"op": "rename", "columns": {"name": "n"}}, {"op": "select", "columns": ["id", "email"]}]"#,
        input: input))
    XCTAssertEqual(kept.dropFirst().map { $0.parameters[0].1 }, ["n", "note"])
    let reordered = refusals(try recipe(#"[{"op": "select", "columns": ["email", "id"]}]"#, input: input))
    XCTAssertTrue(reordered[0].message.contains("reorders"), reordered[0].message)
  }

  func testRecipeInputsDataBrewCannotReadAreRefusedByField() throws {
    let found = refusals(
      try recipe("[]", input: #"{"format": "jsonl", "encoding": "latin1", "null_values": [""]}"#))
    XCTAssertEqual(found.map(\.field), ["input.encoding", "input.format"])
    XCTAssertEqual(found.map(\.step), [nil, nil])
  }

  // MARK: Import

  func testUnmappableDataBrewStepsAreListedByPositionAndOperation() throws {
    let steps = try parse(
      """
      [
        {"Action": {"Operation": "RENAME", "Parameters": {"sourceColumn": "a", "targetColumn": "b"}}},
        {"Action": {"Operation": "PIVOT", "Parameters": {"sourceColumn": "b"}}},
        {"Action": {"Operation": "SPLIT_COLUMN_SINGLE_DELIMITER", "Parameters": {"includeInSplit": "true", "limit": "1", "pattern": "/", "sourceColumn": "info_url"}}},
        {"Action": {"Operation": "REPLACE_TEXT", "Parameters": {"pattern": "[0-9]", "sourceColumn": "nationality", "value": "!"}}},
        {"Action": {"Operation": "MASK_RANGE", "Parameters": {"sourceColumns": "[\\"a\\"]", "maskSymbol": "#", "alphabet": "[\\"SYMBOLS\\"]"}}},
        {"Action": {"Operation": "UPPER_CASE", "Parameters": {"sourceColumn": "b"}},
         "ConditionExpressions": [{"Condition": "IS_INVALID", "TargetColumn": "b"}]},
        {"Action": {"Operation": "FILL_WITH_CUSTOM", "Parameters": {"columnDataType": "number", "sourceColumn": "n", "value": "0"}}},
        {"Action": {"Operation": "RENAME", "Parameters": {"sourceColumn": "b", "targetColumn": "c"}},
         "ConditionExpressions": [{"Condition": "IS", "Value": "x", "TargetColumn": "b"}]},
        {"Action": {"Operation": "LOWER_CASE", "Parameters": {"sourceColumn": "c"}}}
      ]
      """)
    let (recipe, leftOut) = DataBrewRecipe.importSteps(steps)
    XCTAssertEqual(recipe.steps.map(\.summary), ["rename a → b", "change_case c to lower"])
    XCTAssertEqual(leftOut.map(\.position), [2, 3, 4, 5, 6, 7, 8])
    XCTAssertEqual(
      leftOut.map(\.operation),
      [
        "PIVOT", "SPLIT_COLUMN_SINGLE_DELIMITER", "REPLACE_TEXT", "MASK_RANGE", "UPPER_CASE",
        "FILL_WITH_CUSTOM",
        "RENAME",
      ])
    XCTAssertEqual(
      leftOut[0].description, "step 2: DataBrew operation PIVOT has no Decant counterpart; left out")
    XCTAssertTrue(leftOut[2].reason.contains("regular expression"), leftOut[2].reason)
    XCTAssertTrue(leftOut[3].reason.contains("parameter alphabet"), leftOut[3].reason)
    XCTAssertTrue(leftOut[4].reason.contains("condition IS_INVALID"), leftOut[4].reason)
    XCTAssertTrue(leftOut[5].reason.contains("columnDataType number"), leftOut[5].reason)
    XCTAssertTrue(leftOut[6].reason.contains("ConditionExpressions"), leftOut[6].reason)
  }

  func testDescribeRecipeOutputAndDocumentationWrappersAreRead() throws {
    let described = try DataBrewRecipe.parse(
      Array(
        """
        {"Name": "tidy-names", "Description": "from the console", "RecipeVersion": "1.0",
         "Steps": [{"Action": {"Operation": "DELETE", "Parameters": {"sourceColumns": "[\\"a\\",\\"b\\"]"}}}]}
        """.utf8))
    XCTAssertEqual(described.name, "tidy-names")
    let (recipe, _) = DataBrewRecipe.importSteps(
      described.steps, name: described.name, description: described.description)
    XCTAssertEqual(recipe.name, "tidy-names")
    XCTAssertEqual(recipe.steps.map(\.summary), ["drop a, b"])
    // The developer guide writes single actions as {"RecipeAction": ...} and some as {"RecipeStep": {"Action": ...}}.
    let wrapped = try parse(
      #"[{"RecipeAction": {"Operation": "UPPER_CASE", "Parameters": {"sourceColumn": "nationality"}}},"#
        + #" {"RecipeStep": {"Action": {"Operation": "DELETE_DUPLICATE_ROWS"}}}]"#)
    XCTAssertEqual(
      wrapped,
      [DataBrewStep("UPPER_CASE", [("sourceColumn", "nationality")]), DataBrewStep("DELETE_DUPLICATE_ROWS")])
  }

  func testFilesThatAreNotDataBrewRecipesSayWhatIsWrong() {
    let cases: [(String, String)] = [
      ("[{\"Action\": ", "not valid JSON at line 1"),
      (#"{"decant_recipe": 1, "steps": []}"#, #"this object has "decant_recipe", "steps""#),
      (#"{"Action": {"Operation": "RENAME"}}"#, "holds one step, not a recipe"),
      (#"[{"Operation": "RENAME"}]"#, #"step 1: "Operation" is not part of a step"#),
      (#"[{"Action": {"Parameters": {}}}]"#, "step 1: its Action has no \"Operation\""),
      (#"[{"Action": {"Operation": "RENAME", "Parameters": {"a": null}}}]"#, "parameter a of RENAME"),
      ("\"RENAME\"", "not a string"),
    ]
    for (text, says) in cases {
      XCTAssertThrowsError(try DataBrewRecipe.parse(Array(text.utf8)), text) { error in
        XCTAssertTrue("\(error)".contains(says), "\(text): \(error)")
      }
    }
  }

  func testEachDataBrewOperationIsReadByOneRegisteredOperation() {
    let table = DataBrewRecipe.importedOperations
    let names = table.flatMap(\.dataBrew)
    XCTAssertEqual(names.count, Set(names).count)
    XCTAssertEqual(
      Dictionary(uniqueKeysWithValues: table.map { ($0.decant, $0.dataBrew) })["dedupe"],
      ["DELETE_DUPLICATE_ROWS", "REMOVE_DUPLICATES"])
    XCTAssertEqual(DataBrewRecipe.importers.count, names.count)
  }
}
