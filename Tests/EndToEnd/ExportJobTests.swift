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
    "recipes/contacts.json": all(Outcome(status: "refused", says: "step 6 (change_case), case: title case")),
    "recipes/customers.json": all(
      Outcome(
        status: "refused",
        says: "step 3 (fill_null), strategy: fill_null by median computes in binary floating point")),
    // A byte that is not UTF-8: Decant passes it through, the engines cannot
    // hold it, and the jobs stop rather than change the cell.
    "recipes/customers_pii.json": [
      "duckdb": Outcome(status: "stopped", says: "line 17 of the input cannot be read as Decant reads it"),
      "spark-sql": Outcome(status: "stopped", says: "holds bytes that are not UTF-8"),
      "pyspark": Outcome(status: "stopped", says: "holds bytes that are not UTF-8"),
    ],
    "recipes/orders.json": all(
      Outcome(status: "refused", says: "input.format: JSON Lines input is not exported yet")),
    "recipes/orders_messy.json": all(
      Outcome(status: "refused", says: "step 2 (change_case), case: title case")),
    "recipes/readings.json": all(
      Outcome(status: "refused", says: "step 8 (fill_null), where.case_insensitive: a case-insensitive regex")
    ),

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

  /// Checks the summary line of `engine`: nothing differs, stops or is refused,
  /// and at most a tenth of the cases are declined by the job's own guards.
  func checkSummary(_ output: String, engine: String, cases: Int, seed: Int) {
    let prefix = "\(engine): \(cases) cases (seed \(seed)): "
    guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else {
      XCTFail("no summary for \(engine):\n\(output)")
      return
    }
    var counts: [String: Int] = [:]
    for part in line.dropFirst(prefix.count).split(separator: ",") {
      let words = part.split(separator: " ")
      if words.count >= 2, let n = Int(words[0]) { counts[String(words[1])] = n }
    }
    XCTAssertEqual(counts["differ"], 0, String(line))
    XCTAssertEqual(counts["stopped"], 0, String(line))
    XCTAssertEqual(counts["refused"], 0, String(line))
    XCTAssertGreaterThanOrEqual(counts["agree"] ?? 0, cases * 9 / 10, String(line))
    XCTAssertEqual((counts["agree"] ?? 0) + (counts["declined"] ?? 0), cases, String(line))
  }

  func testGeneratedRecipesGiveTheSameRowsOnDuckDB() throws {
    let r = try differential(
      ["--engines", "duckdb", "--cases", "200", "--seed", "7", "--rows", "60"], timeout: 600)
    XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
    checkSummary(r.stdout, engine: "duckdb", cases: 200, seed: 7)
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
    // Upper and lower case of every character below U+20000 (each on its own
    // row; Σ is left out, DuckDB's job declines it): the engines' tables against
    // Decant's.
    let dir = try DecantProcess.temporaryDirectory(self)
    var table = "cp,v\n"
    for v in UInt32(0x41)..<0x20000 {
      guard let scalar = Unicode.Scalar(v), !(0x7F..<0xA0).contains(v), v != 0xFFFD, v != 0x3A3,
        v > 0x7F || scalar.properties.isAlphabetic
      else { continue }
      table += "\(v),\"\(String(Character(scalar)).replacingOccurrences(of: "\"", with: "\"\""))\"\n"
    }
    try Data(table.utf8).write(to: dir.file("characters.csv"))
    for textCase in ["upper", "lower"] {
      let recipe = dir.file("\(textCase).json").path
      try Data(
        #"{"decant_recipe": 1, "input": {"null_values": []}, "steps": [{"op": "change_case", "columns": ["v"], "case": "\#(textCase)"}]}"#
          .utf8
      ).write(to: URL(fileURLWithPath: recipe))
      recipes.append(recipe)
      args += ["--case", recipe, dir.file("characters.csv").path]
    }
    // Latin-1 input with `;` (its bytes 0xA0–0xFF as characters), upper-cased.
    try Data(
      [UInt8]("a;b\nJos".utf8) + [0xE9] + Array(";Stra".utf8) + [0xDF, 0x65, 0x0A] + [0xC9]
        + Array("mile;caf".utf8) + [0xE9, 0x0A]
    ).write(to: dir.file("latin1.csv"))
    let latin1 = dir.file("latin1.json").path
    try Data(
      #"{"decant_recipe": 1, "input": {"delimiter": ";", "encoding": "latin1"}, "steps": [{"op": "change_case", "columns": ["a", "b"], "case": "upper"}]}"#
        .utf8
    ).write(to: URL(fileURLWithPath: latin1))
    recipes.append(latin1)
    args += ["--case", latin1, dir.file("latin1.csv").path]
    // Full case folding: the characters whose folding holds one of these texts.
    let folds = ["s", "σ", "ι", "i\u{307}", "\u{13A0}", "fi", "k", "β", "μ", "ss"]
    let anyFold = folds.map { #"{"column": "v", "contains": "\#($0)", "case_insensitive": true}"# }
    let foldRecipe = dir.file("fold.json").path
    try Data(
      (#"{"decant_recipe": 1, "input": {"null_values": []}, "steps": [{"op": "filter", "where": {"any": ["#
        + anyFold.joined(separator: ", ") + "]}}]}").utf8
    ).write(to: URL(fileURLWithPath: foldRecipe))
    recipes.append(foldRecipe)
    args += ["--case", foldRecipe, dir.file("characters.csv").path]
    // Every time operation over timestamps of many shapes, and wall-clock
    // times at the DST gaps and overlaps of zones with unusual rules (zone per
    // row) under each policy.
    let times = DecantProcess.root.appendingPathComponent("Tests/EndToEnd/export/times.json").path
    recipes.append(times)
    args += [
      "--case", times, DecantProcess.root.appendingPathComponent("Tests/EndToEnd/export/times.csv").path,
    ]
    let lookup = DecantProcess.root.appendingPathComponent("Tests/EndToEnd/export/lookup.json").path
    recipes.append(lookup)
    args += [
      "--case", lookup, DecantProcess.root.appendingPathComponent("Tests/EndToEnd/export/lookup.csv").path,
    ]
    let zones = try zoneTable(in: dir, rows: 900, seed: 2)
    for recipe in try zoneRecipes(in: dir) {
      recipes.append(recipe)
      args += ["--case", recipe, zones]
    }
    let r = try differential(args, timeout: 1200)
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
      checkSummary(r.stdout, engine: engine, cases: 30, seed: 5)
    }
  }

  /// Writes `Tests/EndToEnd/export/zone_table.py`'s table of wall-clock
  /// times around transitions (classified by Python's zoneinfo); returns its path.
  func zoneTable(in dir: URL, rows: Int, seed: Int) throws -> String {
    let python = try XCTUnwrap(Tools.find(["python3"]), "python3 is not installed; run scripts/setup")
    let path = dir.file("zones-\(seed).csv").path
    let script = DecantProcess.root.appendingPathComponent("Tests/EndToEnd/export/zone_table.py").path
    let r = try Tools.run(
      python, [script, path, "--rows", String(rows), "--seed", String(seed)], timeout: 300)
    XCTAssertEqual(r.status, 0, r.stderr)
    return path
  }

  /// Recipes converting the zone table's times (zone per row) under each
  /// policy, written by pattern and by default, to a fixed and a named zone.
  func zoneRecipes(in dir: URL) throws -> [String] {
    var paths: [String] = []
    for (ambiguous, nonexistent) in [("earlier", "shift_forward"), ("later", "reject"), ("reject", "reject")]
    {
      let path = dir.file("zones-\(ambiguous)-\(nonexistent).json").path
      let policy = #""ambiguous": "\#(ambiguous)", "nonexistent": "\#(nonexistent)""#
      try Data(
        #"""
        {"decant_recipe": 1, "steps": [
          {"op": "normalize_timezone", "column": "when", "from_zone": {"column": "zone"}, "to_zone": "Asia/Kolkata", "to": "kolkata", \#(policy), "on_error": "null"},
          {"op": "normalize_timezone", "column": "when", "from_zone": {"column": "zone"}, "to_zone": "+01:00", \#(policy),
           "output_format": "%s %z %Y-%m-%dT%H:%M:%S.%f %a %b %j"}]}
        """#.utf8
      ).write(to: URL(fileURLWithPath: path))
      paths.append(path)
    }
    return paths
  }

  /// Decant's own policies at the gaps and overlaps, against zoneinfo's
  /// classes: with both policies `reject`, exactly the gap and overlap rows
  /// are rejected, each with its reason; then the DuckDB job agrees on a larger
  /// table under every policy.
  func testZoneTransitionsFollowThePoliciesAndExportAlike() throws {
    let dir = try DecantProcess.temporaryDirectory(self)
    let table = try zoneTable(in: dir, rows: 4000, seed: 9)
    let recipes = try zoneRecipes(in: dir)
    let r = try DecantProcess.run(
      ["run", recipes[2], table, "-o", dir.file("out.csv").path, "--rejects", dir.file("rej.csv").path],
      in: dir)
    XCTAssertEqual(r.status, 0, r.stderr)
    let rejects = try String(contentsOf: dir.file("rej.csv"), encoding: .utf8)
    var checked = ["gap": 0, "overlap": 0]
    for line in try String(contentsOf: URL(fileURLWithPath: table), encoding: .utf8).split(
      whereSeparator: \.isNewline
    )
    .dropFirst() {
      let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      guard f.count == 4, f[3] != "altered" else { continue }
      let row = "\(f[0]),\(f[1]),\(f[2]),\(f[3]),"
      switch f[3] {
      case "gap":
        XCTAssertTrue(
          rejects.contains(row) && rejects.contains("\"\"\"\(f[2])\"\" does not exist in \(f[1])"), row)
      case "overlap":
        XCTAssertTrue(
          rejects.contains(row) && rejects.contains("\"\"\"\(f[2])\"\" happens twice in \(f[1])"), row)
      default:
        XCTAssertFalse(rejects.contains("\n" + row), row)
      }
      checked[f[3], default: 0] += 1
    }
    XCTAssertGreaterThan(checked["gap"]!, 1000, "\(checked)")
    XCTAssertGreaterThan(checked["overlap"]!, 1000, "\(checked)")
    let d = try differential(
      recipes.flatMap { ["--case", $0, table] } + ["--engines", "duckdb"], timeout: 600)
    XCTAssertEqual(d.status, 0, d.stdout + d.stderr)
    XCTAssertEqual(
      d.stdout.split(separator: "\n").filter { $0.hasSuffix("\tduckdb\tagree") }.count, 3, d.stdout)
  }

  func testExportNamesTheStepItRefusesAndExitsTwo() throws {
    let dir = try DecantProcess.temporaryDirectory(self)
    let recipe = dir.file("r.json")
    try Data(
      #"{"decant_recipe": 1, "steps": [{"op": "drop", "columns": ["b"]}, {"op": "fill_null", "columns": ["a"], "strategy": "median"}]}"#
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
      XCTAssertTrue(r.stderr.contains("step 2 (fill_null)"), r.stderr)
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
      noTarget.stderr.contains("export needs --to (one of pyspark, spark-sql, duckdb, databrew)"),
      noTarget.stderr)
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
