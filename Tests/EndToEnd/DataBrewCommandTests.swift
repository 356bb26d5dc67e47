import Foundation
import XCTest

/// `decant export --to databrew` and `decant import databrew`, run as a user would.
final class DataBrewCommandTests: XCTestCase {
  /// A DataBrew recipe as the console downloads it, with one action Decant has
  /// no counterpart for (PIVOT).
  static let dataBrewRecipe = """
    [
      {"Action": {"Operation": "RENAME", "Parameters": {"sourceColumn": "name", "targetColumn": "first_name"}}},
      {"Action": {"Operation": "REMOVE_MISSING", "Parameters": {"sourceColumn": "signed_up"}}},
      {"Action": {"Operation": "FILL_WITH_CUSTOM", "Parameters": {"columnDataType": "string", "sourceColumn": "last_seen", "value": "never"}}},
      {"Action": {"Operation": "PIVOT", "Parameters": {"sourceColumn": "country"}}},
      {"Action": {"Operation": "LOWER_CASE", "Parameters": {"sourceColumn": "country"}},
       "ConditionExpressions": [{"Condition": "IS", "Value": "GB", "TargetColumn": "country"}]},
      {"Action": {"Operation": "REMOVE_DUPLICATES", "Parameters": {"sourceColumn": "first_name"}}}
    ]
    """

  func testImportListsLeftOutStepsWritesTheOthersAndTheRecipeRuns() throws {
    let dir = try DecantProcess.temporaryDirectory(self)
    try Self.dataBrewRecipe.write(to: dir.file("brew.json"), atomically: true, encoding: .utf8)
    let imported = try DecantProcess.run([
      "import", "databrew", dir.file("brew.json").path, "-o", dir.file("r.json").path,
    ])
    XCTAssertEqual(imported.status, 2, imported.stderr)
    XCTAssertTrue(
      imported.stderr.contains(
        "brew.json: step 4: DataBrew operation PIVOT has no Decant counterpart; left out"),
      imported.stderr)
    XCTAssertTrue(imported.stderr.contains("imported 5 of 6 DataBrew step(s)"), imported.stderr)

    let run = try DecantProcess.run(["run", dir.file("r.json").path, "samples/signups.csv", "-q"])
    XCTAssertEqual(run.status, 0, run.stderr)
    XCTAssertEqual(run.stdoutText, try Self.expectedSignups())
  }

  /// What the imported steps do to samples/signups.csv, worked out here row by
  /// row: rows without signed_up go, an empty last_seen becomes "never", GB
  /// becomes gb, and a repeated first name goes (the first row of each stays).
  static func expectedSignups() throws -> String {
    let text = try String(contentsOf: DecantProcess.root.file("samples/signups.csv"), encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    var out = [lines.removeFirst().replacingOccurrences(of: ",name,", with: ",first_name,")]
    var seen = Set<String>()
    for line in lines {
      var cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      if cells[2].isEmpty { continue }
      if cells[3].isEmpty { cells[3] = "never" }
      if cells[4] == "GB" { cells[4] = "gb" }
      if !seen.insert(cells[1]).inserted { continue }
      out.append(cells.joined(separator: ","))
    }
    // The header and 14 of the 17 rows: Ken has no signed_up; Barbara and Frances repeat.
    XCTAssertEqual(out.count, 15)
    return out.joined(separator: "\n") + "\n"
  }

  func testWholeRecipeImportsWithExit0AndExportsBackToTheSameSteps() throws {
    let dir = try DecantProcess.temporaryDirectory(self)
    let whole = Self.dataBrewRecipe.replacingOccurrences(
      of: #"  {"Action": {"Operation": "PIVOT", "Parameters": {"sourceColumn": "country"}}},"# + "\n",
      with: "")
    try #"{"Name": "signups", "Steps": \#(whole)}"#.write(
      to: dir.file("described.json"), atomically: true, encoding: .utf8)
    let imported = try DecantProcess.run(["import", "databrew", dir.file("described.json").path])
    XCTAssertEqual(imported.status, 0, imported.stderr)
    XCTAssertTrue(imported.stdoutText.hasPrefix("{\n  \"decant_recipe\": 1,\n  \"name\": \"signups\""))
    try imported.stdout.write(to: dir.file("r.json"))

    let exported = try DecantProcess.run(
      ["export", dir.file("r.json").path, "--to", "databrew", "-o", dir.file("back.json").path])
    XCTAssertEqual(exported.status, 0, exported.stderr)
    let back = try JSONSerialization.jsonObject(with: try Data(contentsOf: dir.file("back.json"))) as! NSArray
    let original = try JSONSerialization.jsonObject(with: Data(whole.utf8)) as! NSArray
    XCTAssertEqual(back, original)
  }

  func testExportRefusalNamesEveryStepAndWritesNothing() throws {
    let dir = try DecantProcess.temporaryDirectory(self)
    let out = dir.file("brew.json")
    let result = try DecantProcess.run([
      "export", "recipes/customers_pii.json", "--to", "databrew", "-o", out.path,
    ])
    XCTAssertEqual(result.status, 2, result.stderr)
    XCTAssertTrue(
      result.stderr.contains(
        "recipes/customers_pii.json: cannot be exported to DataBrew with the same result"),
      result.stderr)
    for step in ["step 1 (hash): ", "step 3 (mask), where: ", "step 4 (hash): "] {
      XCTAssertTrue(result.stderr.contains(step), "\(step) in \(result.stderr)")
    }
    XCTAssertFalse(result.stderr.contains("step 2 "), result.stderr)
    XCTAssertFalse(out.exists)
  }

  func testNotADataBrewRecipeExits2NamingTheFileAndTheProblem() throws {
    let dir = try DecantProcess.temporaryDirectory(self)
    try #"{"decant_recipe": 1, "steps": []}"#.write(
      to: dir.file("decant.json"), atomically: true, encoding: .utf8)
    let result = try DecantProcess.run(["import", "databrew", dir.file("decant.json").path])
    XCTAssertEqual(result.status, 2)
    XCTAssertTrue(result.stderr.contains("decant.json: a DataBrew recipe is a list of steps"), result.stderr)
    XCTAssertEqual(result.stdout, Data())
    let missing = try DecantProcess.run(["import", "databrew", dir.file("nope.json").path])
    XCTAssertEqual(missing.status, 4, missing.stderr)
  }
}
