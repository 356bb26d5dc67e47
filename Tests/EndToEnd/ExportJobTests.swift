import Foundation
import XCTest

/// `decant export`'s jobs run on the real engines (DuckDB from the duckdb
/// module; Spark SQL and PySpark on local Spark, one session per run of
/// `export/differential.py`) and compared with `decant run`, cell by cell:
/// generated recipes over messy tables, and every golden case.
final class ExportJobTests: XCTestCase {
  static let script = DecantProcess.root.appendingPathComponent("Tests/EndToEnd/export/differential.py")

  /// What a golden case gives on an engine when it is not `agree`: the status
  /// and a part of its message. A case missing here must agree on every engine.
  struct Outcome {
    var status: String
    var says: String
  }

  static let notEqual: [String: [String: Outcome]] = [
    "recipes/contacts.json": all(Outcome(status: "refused", says: "step 3 (trim): trim is not exported yet")),
    "recipes/customers.json": all(
      Outcome(
        status: "refused", says: "step 3 (fill_null), strategy: fill_null by median is not exported yet")),
    // A byte that is not UTF-8: Decant passes it through, the engines cannot
    // hold it, and the jobs stop rather than change the cell.
    "recipes/customers_pii.json": [
      "duckdb": Outcome(status: "stopped", says: "line 17 of the input cannot be read as Decant reads it"),
      "spark-sql": Outcome(status: "stopped", says: "holds bytes that are not UTF-8"),
      "pyspark": Outcome(status: "stopped", says: "holds bytes that are not UTF-8"),
    ],
    "recipes/events.json": all(
      Outcome(status: "refused", says: "step 4 (normalize_timezone): normalize_timezone is not exported yet")),
    "recipes/orders.json": all(
      Outcome(status: "refused", says: "input.format: JSON Lines input is not exported yet")),
    "recipes/orders_messy.json": all(Outcome(status: "refused", says: "step 1 (trim)")),
    "recipes/readings.json": all(Outcome(status: "refused", says: "step 1 (trim)")),
    "recipes/sales-types.json": all(Outcome(status: "refused", says: "step 2 (cast)")),
    "recipes/signups.json": all(Outcome(status: "refused", says: "step 1 (date_part)")),
    "recipes/survey.json": all(Outcome(status: "refused", says: "step 2 (trim)")),
  ]

  static func all(_ o: Outcome) -> [String: Outcome] { ["duckdb": o, "spark-sql": o, "pyspark": o] }

  /// Runs the differential script; fails (never skips) when python3 or an
  /// engine's module is missing.
  func differential(_ args: [String], timeout: TimeInterval) throws -> Tools.Result {
    let python = try XCTUnwrap(Tools.find(["python3"]), "python3 is not installed; run scripts/setup")
    for module in ["duckdb", "pyspark"] {
      let probe = try Tools.run(python, ["-c", "import \(module)"], timeout: 60)
      XCTAssertEqual(probe.status, 0, "the \(module) module is missing; run scripts/setup")
      if probe.status != 0 { throw CocoaError(.executableNotLoadable) }
    }
    XCTAssertTrue(
      FileManager.default.isExecutableFile(atPath: DecantProcess.binary.path), "run swift build first")
    return try Tools.run(python, [Self.script.path, DecantProcess.binary.path] + args, timeout: timeout)
  }

  func testGeneratedRecipesGiveTheSameRowsOnDuckDB() throws {
    let r = try differential(
      ["--engines", "duckdb", "--cases", "200", "--seed", "7", "--rows", "60"], timeout: 600)
    XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
    XCTAssertTrue(
      r.stdout.contains("duckdb: 200 cases (seed 7): 200 agree, 0 differ, 0 refused, 0 stopped"), r.stdout)
  }

  /// Every golden case on the three engines, then generated recipes on Spark,
  /// in one Spark session.
  func testGoldenCasesAndGeneratedRecipesOnSparkAndDuckDB() throws {
    let golden = DecantProcess.root.appendingPathComponent("Tests/EndToEnd/golden")
    var args = ["--engines", "duckdb,spark-sql,pyspark", "--cases", "30", "--seed", "5", "--rows", "50"]
    var recipes: [String] = []
    for name in try FileManager.default.contentsOfDirectory(atPath: golden.path).sorted() {
      let data = try Data(contentsOf: golden.appendingPathComponent(name).appendingPathComponent("case.json"))
      let c = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
      let recipe = try XCTUnwrap(c["recipe"] as? String)
      let input = try XCTUnwrap(c["input"] as? String)
      recipes.append(recipe)
      args += ["--case", recipe, input]
    }
    XCTAssertEqual(Set(Self.notEqual.keys).subtracting(recipes), [], "expected outcomes for missing cases")
    let r = try differential(args, timeout: 900)
    var seen = Set<String>()
    for line in r.stdout.split(separator: "\n") {
      let fields = line.split(separator: "\t", maxSplits: 2).map(String.init)
      guard fields.count == 3, recipes.contains(fields[0]) else { continue }
      let (recipe, engine, result) = (fields[0], fields[1], fields[2])
      seen.insert("\(recipe) \(engine)")
      if let expected = Self.notEqual[recipe]?[engine] {
        XCTAssertTrue(
          result.hasPrefix(expected.status) && result.contains(expected.says),
          "\(recipe) on \(engine): expected \(expected.status) saying \"\(expected.says)\", got \(result)")
      } else {
        XCTAssertEqual(result, "agree", "\(recipe) on \(engine)")
      }
    }
    XCTAssertEqual(
      seen.count, recipes.count * 3, "every golden case ran on every engine:\n\(r.stdout)\(r.stderr)")
    for engine in ["duckdb", "spark-sql", "pyspark"] {
      XCTAssertTrue(
        r.stdout.contains("\(engine): 30 cases (seed 5): 30 agree, 0 differ, 0 refused, 0 stopped"),
        "\(engine):\n\(r.stdout)")
    }
  }

  func testExportNamesTheStepItRefusesAndExitsTwo() throws {
    let dir = try DecantProcess.temporaryDirectory(self)
    let recipe = dir.file("r.json")
    try Data(
      #"{"decant_recipe": 1, "steps": [{"op": "drop", "columns": ["b"]}, {"op": "trim", "columns": ["a"]}]}"#
        .utf8
    ).write(to: recipe)
    try Data("a,b\n x ,1\n".utf8).write(to: dir.file("in.csv"))
    for target in ["duckdb", "spark-sql", "pyspark"] {
      let r = try DecantProcess.run(
        [
          "export", recipe.path, "--to", target, "--input", dir.file("in.csv").path, "--output",
          dir.file("o").path,
        ],
        in: dir)
      XCTAssertEqual(r.status, 2, target)
      XCTAssertTrue(r.stderr.contains("step 2 (trim)"), r.stderr)
      XCTAssertTrue(r.stderr.contains("cannot be exported to \(target)"), r.stderr)
      XCTAssertTrue(r.stdout.isEmpty)
    }
  }

  func testExportArgumentsAreCheckedWithAClearMessage() throws {
    let dir = try DecantProcess.temporaryDirectory(self)
    let recipe = dir.file("r.json")
    try Data(#"{"decant_recipe": 1, "steps": [{"op": "drop", "columns": ["b"]}]}"#.utf8).write(to: recipe)
    let noTarget = try DecantProcess.run(["export", recipe.path], in: dir)
    XCTAssertEqual(noTarget.status, 2)
    XCTAssertTrue(
      noTarget.stderr.contains("export needs --to (one of pyspark, spark-sql, duckdb)"), noTarget.stderr)
    let unknown = try DecantProcess.run(["export", recipe.path, "--to", "flink"], in: dir)
    XCTAssertEqual(unknown.status, 2)
    XCTAssertTrue(unknown.stderr.contains("cannot export to \"flink\""), unknown.stderr)
    let noPaths = try DecantProcess.run(["export", recipe.path, "--to", "spark-sql"], in: dir)
    XCTAssertEqual(noPaths.status, 2)
    XCTAssertTrue(noPaths.stderr.contains("give --input PATH and --output PATH"), noPaths.stderr)
    let noColumns = try DecantProcess.run(["export", recipe.path, "--to", "pyspark"], in: dir)
    XCTAssertEqual(noColumns.status, 2)
    XCTAssertTrue(noColumns.stderr.contains("saves no input columns"), noColumns.stderr)
  }

  func testAPySparkJobWithSavedColumnsTakesItsPathsAsArguments() throws {
    let dir = try DecantProcess.temporaryDirectory(self)
    let recipe = dir.file("r.json")
    try Data(
      #"{"decant_recipe": 1, "input": {"columns": ["a", "b"]}, "steps": [{"op": "drop", "columns": ["b"]}]}"#
        .utf8
    ).write(to: recipe)
    let r = try DecantProcess.run(["export", recipe.path, "--to", "pyspark"], in: dir)
    XCTAssertEqual(r.status, 0, r.stderr)
    let job = r.stdoutText
    XCTAssertTrue(job.contains(#"parser.add_argument("--input", required=True"#), job)
    XCTAssertTrue(job.contains(#"parser.add_argument("--output", required=True"#), job)
    XCTAssertTrue(job.contains(#"INPUT_COLUMNS = ["a", "b"]"#), job)
    XCTAssertTrue(job.contains("parse_known_args"), "Glue's own arguments are accepted")
  }
}
