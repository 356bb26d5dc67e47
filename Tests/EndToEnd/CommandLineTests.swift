import Foundation
import XCTest

/// The CLI contract of DESIGN.md §4: outputs, paths, and every exit code.
final class CommandLineTests: XCTestCase {
  var tmp: URL!

  override func setUpWithError() throws {
    tmp = try DecantProcess.temporaryDirectory(self)
  }

  func write(_ name: String, _ text: String) throws -> URL {
    let url = tmp.file(name)
    try Data(text.utf8).write(to: url)
    return url
  }

  let renameRecipe = """
    {"decant_recipe": 1, "steps": [{"op": "rename", "columns": {"a": "x"}}]}
    """

  func testRunWritesToStdoutWithoutOutputOption() throws {
    let recipe = try write("r.json", renameRecipe)
    let input = try write("in.csv", "a,b\n1,2\n3,\"x,y\"\n")
    let r = try DecantProcess.run(["run", recipe.path, input.path], in: tmp)
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertEqual(r.stdoutText, "x,b\n1,2\n3,\"x,y\"\n")
    XCTAssertTrue(r.stderr.contains("2 rows in, 2 out"), r.stderr)
    XCTAssertFalse(tmp.file("decant-rejects.csv").exists)
  }

  func testRejectsGoToTheWorkingDirectoryWhenWritingToStdout() throws {
    let recipe = try write("r.json", renameRecipe)
    let input = try write("in.csv", "a,b\n1,2\n3\n")
    let r = try DecantProcess.run(["run", recipe.path, input.path, "-o", "-"], in: tmp)
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertEqual(r.stdoutText, "x,b\n1,2\n")
    let rejects = try XCTUnwrap(tmp.file("decant-rejects.csv").text)
    XCTAssertEqual(
      rejects, "a,b,_line,_step,_reason\n3,,3,0 read,\"the row has 1 field, the header has 2\"\n")
  }

  func testSyncWritesTheSameFilesAndLeavesNoTemporaryFile() throws {
    let recipe = try write("r.json", renameRecipe)
    let input = try write("in.csv", "a,b\n1,2\n3,4,5\n")
    let r = try DecantProcess.run(
      [
        "run", recipe.path, input.path, "-o", tmp.file("o.csv").path, "--report", tmp.file("r.json.out").path,
        "--sync",
      ],
      in: tmp)
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertEqual(tmp.file("o.csv").text, "x,b\n1,2\n")
    XCTAssertTrue(try XCTUnwrap(tmp.file("o.csv.rejects.csv").text).contains("extra fields: 5"))
    XCTAssertTrue(tmp.file("r.json.out").exists)
    let names = try FileManager.default.contentsOfDirectory(atPath: tmp.path)
    XCTAssertFalse(names.contains { $0.hasSuffix(".tmp") }, "\(names)")
  }

  func testRejectsPathCanBeChosenAndDefaultsBesideTheOutput() throws {
    let recipe = try write("r.json", renameRecipe)
    let input = try write("in.csv", "a,b\n1,2,3\n")
    var r = try DecantProcess.run(["run", recipe.path, input.path, "-o", tmp.file("o.csv").path], in: tmp)
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(tmp.file("o.csv.rejects.csv").exists)
    XCTAssertEqual(tmp.file("o.csv").text, "x,b\n")
    r = try DecantProcess.run(
      ["run", recipe.path, input.path, "-o", tmp.file("p.csv").path, "--rejects", tmp.file("bad.csv").path],
      in: tmp)
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(try XCTUnwrap(tmp.file("bad.csv").text).contains("extra fields: 3"))
  }

  /// Cells copied straight through are still quoted when the output delimiter
  /// is one they hold (long cells, as the writer copies eight bytes at a time).
  func testChangingTheDelimiterQuotesCellsThatHoldTheNewOne() throws {
    let recipe = try write("e.json", #"{"decant_recipe": 1, "steps": []}"#)
    let tsv = try write(
      "in.tsv", "a\tb\nfirst, second and third\tplain cell text here\nx;y;z long enough text\tq\n")
    var r = try DecantProcess.run(["run", recipe.path, tsv.path, "--to", "csv", "-q"], in: tmp)
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertEqual(
      r.stdoutText, "a,b\n\"first, second and third\",plain cell text here\nx;y;z long enough text,q\n")
    let semicolons = try write("in.csv", "a;b\nfirst, second and third;x\ttabbed long enough\n")
    r = try DecantProcess.run(["run", recipe.path, semicolons.path, "--to", "tsv", "-q"], in: tmp)
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertEqual(r.stdoutText, "a\tb\nfirst, second and third\t\"x\ttabbed long enough\"\n")
    r = try DecantProcess.run(["run", recipe.path, semicolons.path, "--to", "csv", "-q"], in: tmp)
    XCTAssertEqual(r.stdoutText, "a,b\n\"first, second and third\",x\ttabbed long enough\n")
  }

  /// A hash is hex digits, never quoted, even of a quoted cell; a mask of the
  /// delimiter, or one that keeps a quote, is quoted.
  func testHashedAndMaskedCellsAreQuotedOnlyWhenTheyNeedIt() throws {
    let recipe = try write(
      "r.json",
      """
      {"decant_recipe": 1, "steps": [{"op": "hash", "columns": ["a"]},
        {"op": "mask", "columns": ["b"], "keep_first": 1, "keep_last": 1, "with": ","},
        {"op": "mask", "columns": ["c"], "keep_last": 1}]}
      """)
    let input = try write("in.csv", "a,b,c\n\"x,y\",plain,\"say \"\"hi\"\"\"\nabc,ab,\"1,2\"\n")
    let r = try DecantProcess.run(["run", recipe.path, input.path, "-q"], in: tmp)
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertEqual(
      r.stdoutText,
      "a,b,c\n"
        + "968e772cf168b7f17f3fbd00e6e1c8b4afb8db2f0c1548d9928f3c3d7a758a75,\"p,,,n\",\"*******\"\"\"\n"
        + "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad,ab,**2\n")
  }

  func testToChangesTheOutputFormat() throws {
    let recipe = try write("r.json", renameRecipe)
    let input = try write("in.csv", "a,b\n1,\n\"q\"\"\",z\n")
    var r = try DecantProcess.run(["run", recipe.path, input.path, "--to", "jsonl"])
    XCTAssertEqual(r.stdoutText, "{\"x\":\"1\",\"b\":null}\n{\"x\":\"q\\\"\",\"b\":\"z\"}\n", r.stderr)
    r = try DecantProcess.run(["run", recipe.path, input.path, "--to", "tsv"])
    XCTAssertEqual(r.stdoutText, "x\tb\n1\t\n\"q\"\"\"\tz\n", r.stderr)
    r = try DecantProcess.run(["run", recipe.path, input.path, "--to", "xml"])
    XCTAssertEqual(r.status, 2)
  }

  func testSemicolonInputKeepsItsDelimiterOnOutput() throws {
    let recipe = try write("r.json", renameRecipe)
    let input = try write("in.csv", "a;b\n1;2,5\n")
    let r = try DecantProcess.run(["run", recipe.path, input.path])
    XCTAssertEqual(r.stdoutText, "x;b\n1;2,5\n", r.stderr)
  }

  func testStandardInputIsReadWithDash() throws {
    let recipe = try write("r.json", renameRecipe)
    let r = try DecantProcess.run(["run", recipe.path, "-"], stdin: Data("a,b\n1,2\n".utf8))
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertEqual(r.stdoutText, "x,b\n1,2\n")
  }

  func testMedianFillReadsStandardInputTwiceThroughASpool() throws {
    let recipe = try write(
      "r.json",
      #"{"decant_recipe": 1, "steps": [{"op": "fill_null", "columns": ["v"], "strategy": "median"}]}"#)
    let r = try DecantProcess.run(
      ["run", recipe.path, "-"], in: tmp, stdin: Data("v\n1\n\n\n3\n,\n10\n".utf8))
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertEqual(r.stdoutText, "v\n1\n3\n10\n", "blank lines are skipped, not nulls")
    XCTAssertTrue(try XCTUnwrap(tmp.file("decant-rejects.csv").text).contains("6,0 read"))
    let r2 = try DecantProcess.run(
      ["run", recipe.path, "-"], in: tmp, stdin: Data("v,w\n1,a\n,b\n4,c\n".utf8))
    XCTAssertEqual(r2.stdoutText, "v,w\n1,a\n2.5,b\n4,c\n", r2.stderr)
  }

  func testReportIsJSONWithCountsPerStep() throws {
    let recipe = try write(
      "r.json", #"{"decant_recipe": 1, "steps": [{"op": "dedupe", "columns": ["a"]}]}"#)
    let input = try write("in.csv", "a,b\n1,2\n1,3\n2\n")
    let r = try DecantProcess.run(
      ["run", recipe.path, input.path, "-o", tmp.file("o.csv").path, "--report", tmp.file("rep.json").path])
    XCTAssertEqual(r.status, 0, r.stderr)
    let report =
      try JSONSerialization.jsonObject(with: Data(contentsOf: tmp.file("rep.json"))) as! [String: Any]
    XCTAssertEqual(report["rows_in"] as? Int, 3)
    XCTAssertEqual(report["rows_out"] as? Int, 1)
    XCTAssertEqual(report["rows_removed"] as? Int, 1)
    XCTAssertEqual(report["rows_rejected"] as? Int, 1)
    XCTAssertEqual(report["input"] as? String, input.path)
    XCTAssertEqual(report["output"] as? String, tmp.file("o.csv").path)
    XCTAssertNotNil(report["seconds"] as? Double)
    let steps = report["steps"] as! [[String: Any]]
    XCTAssertEqual(steps.map { $0["op"] as! String }, ["read", "dedupe"])
    XCTAssertEqual(steps[1]["rows_removed"] as? Int, 1)
  }

  // MARK: Exit codes

  func testExitCode1OnErrorFailWritesNothing() throws {
    let recipe = try write(
      "r.json",
      #"{"decant_recipe": 1, "steps": [{"op": "normalize_timezone", "column": "t", "from_zone": "UTC", "on_error": "fail"}]}"#
    )
    let input = try write("in.csv", "t\n2024-01-01 10:00:00\nnot a time\n")
    let out = tmp.file("o.csv")
    let r = try DecantProcess.run(["run", recipe.path, input.path, "-o", out.path])
    XCTAssertEqual(r.status, 1)
    // The message names the input file and the line: `…/in.csv:3: step 1 (…)`.
    XCTAssertTrue(r.stderr.contains(input.path + ":3: step 1"), r.stderr)
    XCTAssertTrue(r.stderr.contains("step 1"), r.stderr)
    XCTAssertFalse(out.exists)
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: tmp.path).sorted(), ["in.csv", "r.json"])
  }

  func testExitCode2ForRecipeErrorsNamesStepAndField() throws {
    let input = try write("in.csv", "a\n1\n")
    let recipe = try write("r.json", #"{"decant_recipe": 1, "steps": [{"op": "dedup", "columns": ["a"]}]}"#)
    var r = try DecantProcess.run(["run", recipe.path, input.path, "-o", tmp.file("o.csv").path])
    XCTAssertEqual(r.status, 2)
    XCTAssertTrue(r.stderr.contains("step 1"), r.stderr)
    XCTAssertTrue(r.stderr.contains("did you mean \"dedupe\""), r.stderr)
    XCTAssertFalse(tmp.file("o.csv").exists)
    let broken = try write("b.json", "{\"decant_recipe\": 1,\n  \"steps\": [,]}")
    r = try DecantProcess.run(["check", broken.path])
    XCTAssertEqual(r.status, 2)
    XCTAssertTrue(r.stderr.contains("line 2, column 13"), r.stderr)
  }

  func testExitCode2ForUsageErrors() throws {
    XCTAssertEqual(try DecantProcess.run(["run"]).status, 2)
    XCTAssertEqual(try DecantProcess.run(["run", "a", "b", "--frobnicate"]).status, 2)
    XCTAssertEqual(try DecantProcess.run(["--nope"]).status, 2)
  }

  func testExitCode3WhenAColumnIsMissingAndNothingIsWritten() throws {
    let recipe = try write(
      "r.json",
      #"{"decant_recipe": 1, "steps": [{"op": "fill_null", "columns": ["countrie"], "value": "ZZ"}]}"#)
    let input = try write("in.csv", "country\nFR\n")
    let r = try DecantProcess.run(["run", recipe.path, input.path, "-o", tmp.file("o.csv").path])
    XCTAssertEqual(r.status, 3)
    XCTAssertTrue(r.stderr.contains("\"countrie\""), r.stderr)
    XCTAssertTrue(r.stderr.contains("did you mean \"country\""), r.stderr)
    XCTAssertFalse(tmp.file("o.csv").exists)
  }

  func testExitCode4ForInputAndOutputProblems() throws {
    let recipe = try write("r.json", renameRecipe)
    let input = try write("in.csv", "a\n1\n")
    let empty = try write("empty.csv", "")
    // Missing input, a directory, an empty file.
    for path in [tmp.file("nope.csv").path, tmp.path, empty.path] {
      let r = try DecantProcess.run(["run", recipe.path, path, "-o", tmp.file("o.csv").path])
      XCTAssertEqual(r.status, 4, "\(path): \(r.stderr)")
      XCTAssertTrue(r.stderr.contains(path), r.stderr)
      XCTAssertFalse(tmp.file("o.csv").exists)
    }
    // Output onto the input is refused and the input is untouched.
    var r = try DecantProcess.run(["run", recipe.path, input.path, "-o", input.path])
    XCTAssertEqual(r.status, 4)
    XCTAssertEqual(input.text, "a\n1\n")
    // An output directory that does not exist.
    r = try DecantProcess.run(["run", recipe.path, input.path, "-o", tmp.file("no/such/dir.csv").path])
    XCTAssertEqual(r.status, 4)
    // A missing recipe file.
    r = try DecantProcess.run(["run", tmp.file("missing.json").path, input.path])
    XCTAssertEqual(r.status, 4)
  }

  func testSummaryAndReportSayWhichCellsEachStepChangedAndWhatItComputed() throws {
    let recipe = try write(
      "r.json",
      #"""
      {"decant_recipe": 1, "steps": [
        {"op": "trim", "columns": ["name"]},
        {"op": "fill_null", "columns": ["delay"], "strategy": "median"},
        {"op": "filter", "where": {"column": "delay", "gt": 0}}
      ]}
      """#)
    // Trim changes 2 names; the median of 4, -2, 10 is 4 and fills 2 nulls.
    let input = try write("in.csv", "name,delay\n a ,4\nb,\nc ,-2\nd,10\ne,\n")
    let r = try DecantProcess.run(
      ["run", recipe.path, input.path, "-o", tmp.file("o.csv").path, "--report", tmp.file("r.json").path])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(r.stderr.contains("(median of delay: 4)"), r.stderr)
    XCTAssertTrue(
      r.stderr.range(of: #"1 trim name +5 in, 5 out, 2 cells changed"#, options: .regularExpression) != nil,
      r.stderr)
    let report =
      try JSONSerialization.jsonObject(with: Data(contentsOf: tmp.file("r.json"))) as! [String: Any]
    let steps = report["steps"] as! [[String: Any]]
    XCTAssertEqual(steps.map { $0["cells_changed"] as? Int }, [nil, 2, 2, 0])
    XCTAssertEqual(steps[2]["computed"] as? [String: String], ["median of delay": "4"])
  }

  func testTypedColumnsAreListedByCheckAndWrittenAsJSONValues() throws {
    let recipe = try write(
      "r.json",
      #"""
      {"decant_recipe": 1, "steps": [
        {"op": "cast", "columns": ["n"], "to": "integer"},
        {"op": "cast", "columns": ["ok"], "to": "boolean"},
        {"op": "cast", "columns": ["day"], "to": "date"},
        {"op": "round", "columns": ["price"], "digits": 1},
        {"op": "date_part", "column": "day", "part": "month"}
      ]}
      """#)
    let input = try write(
      "in.csv", "n,ok,day,price,note\n007,Yes,2024-03-10,2.25,12\n-0,no,2024-12-31,-0.04,x\n")
    let check = try DecantProcess.run(["check", recipe.path, input.path])
    XCTAssertEqual(check.status, 0, check.stderr)
    for (name, type) in [
      ("n", "integer"), ("ok", "boolean"), ("day", "date"), ("day_month", "integer"), ("price", "decimal"),
      ("note", "string"),
    ] {
      XCTAssertNotNil(
        check.stdoutText.range(of: "(?m)^ +[0-9]+ \(name) +\(type)$", options: .regularExpression),
        "\(name) \(type):\n\(check.stdoutText)")
    }
    let r = try DecantProcess.run([
      "run", recipe.path, input.path, "--to", "jsonl", "-o", tmp.file("o.jsonl").path,
    ])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertEqual(
      tmp.file("o.jsonl").text,
      #"""
      {"n":7,"ok":true,"day":"2024-03-10","day_month":3,"price":2.3,"note":"12"}
      {"n":0,"ok":false,"day":"2024-12-31","day_month":12,"price":0.0,"note":"x"}

      """#)
  }

  func testLookupReadsItsReferenceBesideTheRecipeAndChecksItFirst() throws {
    try FileManager.default.createDirectory(at: tmp.file("recipes/ref"), withIntermediateDirectories: true)
    let recipe = try write(
      "recipes/r.json",
      #"{"decant_recipe": 1, "steps": [{"op": "lookup", "file": "ref/regions.csv", "on": {"country": "code"}, "unmatched": "reject"}]}"#
    )
    _ = try write("recipes/ref/regions.csv", "code,region\nFR,Europe\nUS,Americas\n")
    let input = try write("in.csv", "id,country\n1,FR\n2,XX\n3,US\n")
    // Run from another directory: the reference is found beside the recipe.
    var r = try DecantProcess.run(["run", recipe.path, input.path, "-o", tmp.file("o.csv").path])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertEqual(tmp.file("o.csv").text, "id,country,region\n1,FR,Europe\n3,US,Americas\n")
    XCTAssertTrue(
      tmp.file("o.csv.rejects.csv").text?.contains(#"no match in ref/regions.csv for key ""XX"""#) ?? false)
    // A key column the reference lacks: exit 3, before any output.
    _ = try write("recipes/ref/regions.csv", "iso,region\nFR,Europe\n")
    r = try DecantProcess.run(["run", recipe.path, input.path, "-o", tmp.file("o2.csv").path])
    XCTAssertEqual(r.status, 3, r.stderr)
    XCTAssertTrue(r.stderr.contains(#"has no column "code""#), r.stderr)
    XCTAssertFalse(tmp.file("o2.csv").exists)
    // A repeated key under duplicate_keys: error: exit 3 naming the key and both lines.
    let strict = try write(
      "recipes/strict.json",
      #"{"decant_recipe": 1, "steps": [{"op": "lookup", "file": "ref/regions.csv", "on": {"country": "code"}, "duplicate_keys": "error"}]}"#
    )
    _ = try write("recipes/ref/regions.csv", "code,region\nFR,Europe\nUS,Americas\nFR,France\n")
    r = try DecantProcess.run(["run", strict.path, input.path, "-o", tmp.file("o3.csv").path])
    XCTAssertEqual(r.status, 3, r.stderr)
    XCTAssertTrue(
      r.stderr.contains(#"key "FR" appears twice"#) && r.stderr.contains("lines 2 and 4"), r.stderr)
    XCTAssertFalse(tmp.file("o3.csv").exists)
    // A missing reference: exit 4 naming the file and the step.
    try FileManager.default.removeItem(at: tmp.file("recipes/ref/regions.csv"))
    r = try DecantProcess.run(["run", recipe.path, input.path, "-o", tmp.file("o4.csv").path])
    XCTAssertEqual(r.status, 4, r.stderr)
    XCTAssertTrue(r.stderr.contains("regions.csv") && r.stderr.contains("step 1 (lookup)"), r.stderr)
    XCTAssertFalse(tmp.file("o4.csv").exists)
  }

  func testAFailedRunLeavesAnExistingOutputUntouched() throws {
    let out = try write("o.csv", "previous\n")
    let recipe = try write(
      "r.json",
      #"{"decant_recipe": 1, "steps": [{"op": "normalize_timezone", "column": "t", "from_zone": "UTC", "on_error": "fail"}]}"#
    )
    let input = try write("in.csv", "t\nbad\n")
    let r = try DecantProcess.run(["run", recipe.path, input.path, "-o", out.path])
    XCTAssertEqual(r.status, 1)
    XCTAssertEqual(out.text, "previous\n")
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: tmp.path).sorted(), ["in.csv", "o.csv", "r.json"])
  }

  // MARK: Other commands

  func testCheckValidatesAndPlansAgainstAnInput() throws {
    let recipe = try write("r.json", renameRecipe)
    let good = try write("good.csv", "a,b\n")
    let bad = try write("bad.csv", "b,c\n1,2\n")
    var r = try DecantProcess.run(["check", recipe.path, good.path])
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertTrue(r.stdoutText.contains("rename a → x"), r.stdoutText)
    r = try DecantProcess.run(["check", recipe.path, bad.path])
    XCTAssertEqual(r.status, 3)
    r = try DecantProcess.run(["check", "recipes/events.json"])
    XCTAssertEqual(r.status, 0, r.stderr)
  }

  func testOpsListsEveryOperationWithItsParameters() throws {
    let r = try DecantProcess.run(["ops"])
    XCTAssertEqual(r.status, 0)
    for name in [
      "rename", "dedupe", "fill_null", "normalize_timezone", "from_zone", "nonexistent", "on_error",
      "strategy",
    ] {
      XCTAssertTrue(r.stdoutText.contains(name), name)
    }
    let json = try DecantProcess.run(["ops", "--json"])
    let ops = try JSONSerialization.jsonObject(with: json.stdout) as! [[String: Any]]
    XCTAssertEqual(
      ops.map { $0["op"] as! String },
      [
        "rename", "dedupe", "fill_null", "normalize_timezone", "filter", "validate", "select", "drop", "copy",
        "set",
        "merge", "split", "trim", "change_case", "replace", "extract", "map_values", "cast", "round",
        "lookup", "hash", "mask", "format_date", "date_part",
      ])
    // `where` is listed for the operations that take it as a scope, and is the rule of filter and validate.
    for op in ops {
      let name = op["op"] as! String
      let parameters = (op["parameters"] as! [[String: Any]]).map { $0["name"] as! String }
      XCTAssertEqual(parameters.contains("where"), !["rename", "select", "drop"].contains(name), name)
      let rule = (op["parameters"] as! [[String: Any]]).first { $0["name"] as? String == "where" }
      if ["filter", "validate"].contains(name) { XCTAssertEqual(rule?["required"] as? Bool, true, name) }
    }
  }

  func testProfileReportsTypesNullsDistinctRangeAndTopValues() throws {
    let input = try write("p.csv", "id,city,amount\n1,Paris,10\n2,,2.5\n3,Paris,7\n4,Oslo,\n")
    let r = try DecantProcess.run(["profile", input.path, "--json"])
    XCTAssertEqual(r.status, 0, r.stderr)
    let doc = try JSONSerialization.jsonObject(with: r.stdout) as! [String: Any]
    XCTAssertEqual(doc["rows"] as? Int, 4)
    let cols = doc["columns"] as! [[String: Any]]
    XCTAssertEqual(cols.map { $0["type"] as! String }, ["integer", "text", "decimal"])
    XCTAssertEqual(cols[1]["nulls"] as? Int, 1)
    XCTAssertEqual(cols[1]["distinct"] as? Int, 2)
    XCTAssertEqual(cols[2]["min"] as? String, "2.5")
    XCTAssertEqual(cols[2]["max"] as? String, "10")
    let top = cols[1]["top"] as! [[String: Any]]
    XCTAssertEqual(top.first?["value"] as? String, "Paris")
    XCTAssertEqual(top.first?["count"] as? Int, 2)
    let text = try DecantProcess.run(["profile", input.path])
    XCTAssertTrue(text.stdoutText.contains("city  [text]"), text.stdoutText)
  }

  func testProfileJSONHasTheFiguresAndReadsNullMarkersAndDelimiter() throws {
    let input = try write("q.csv", "n;t\n1;ab\nNA;héllo\n3;x\n4;NA\n100;yy\n")
    let r = try DecantProcess.run(["profile", input.path, "--json", "--null", "NA", "--delimiter", ";"])
    XCTAssertEqual(r.status, 0, r.stderr)
    let doc = try JSONSerialization.jsonObject(with: r.stdout) as! [String: Any]
    let cols = doc["columns"] as! [[String: Any]]
    XCTAssertEqual(cols.map { $0["name"] as! String }, ["n", "t"])
    XCTAssertEqual(cols[0]["nulls"] as? Int, 1)
    XCTAssertEqual(cols[0]["mean"] as? Double, 27)
    XCTAssertEqual((cols[0]["percentiles"] as? [String: Double])?["p50"], 3.5)
    XCTAssertEqual(cols[0]["histogram"] as? [Int], [3, 0, 0, 0, 0, 0, 0, 0, 0, 1])
    XCTAssertEqual(cols[0]["outliers"] as? Int, 1)
    XCTAssertNotNil(cols[0]["stddev"] as? Double)
    XCTAssertEqual(cols[0]["other_type_count"] as? Int, 0)
    let lengths = cols[1]["lengths"] as! [String: Any]
    XCTAssertEqual(lengths["max"] as? Int, 5)
    XCTAssertEqual(lengths["min"] as? Int, 1)
    let text = try DecantProcess.run(["profile", input.path, "--null", "NA", "--delimiter", ";"])
    XCTAssertTrue(text.stdoutText.contains("p50 3.5"), text.stdoutText)
  }

  func testVersionAndHelp() throws {
    XCTAssertTrue(try DecantProcess.run(["--version"]).stdoutText.hasPrefix("decant "))
    let help = try DecantProcess.run(["--help"])
    XCTAssertTrue(help.stdoutText.contains("decant run RECIPE INPUT"))
    // Every usage line is in the README's command list, word for word.
    let readme = try String(
      contentsOf: DecantProcess.root.appendingPathComponent("README.md"), encoding: .utf8)
    let usage = help.stdoutText.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { $0.hasPrefix("decant ") && !$0.hasPrefix("decant —") }
    XCTAssertGreaterThanOrEqual(usage.count, 7)
    for line in usage { XCTAssertTrue(readme.contains("\n" + line + "\n"), "not in the README: \(line)") }
    // Any subcommand's --help is the help too.
    for command in ["run", "check", "open", "profile", "ops"] {
      let sub = try DecantProcess.run([command, "--help"])
      XCTAssertEqual(sub.status, 0, command)
      XCTAssertEqual(sub.stdoutText, help.stdoutText, command)
    }
  }

  func testWorkbenchRefusesToStartWithoutATerminal() throws {
    let r = try DecantProcess.run(["samples/events.csv"])
    XCTAssertEqual(r.status, 2)
    XCTAssertTrue(r.stderr.contains("needs a terminal"), r.stderr)
  }
}

/// Interrupted runs leave nothing behind; the progress bar only goes to a terminal.
final class InterruptedRunTests: XCTestCase {
  func testSIGTERMDuringARunRemovesTheTemporaryOutput() throws {
    let tmp = try DecantProcess.temporaryDirectory(self)
    let recipe = tmp.file("r.json")
    try Data(#"{"decant_recipe": 1, "input": {"format": "csv"}, "steps": []}"#.utf8).write(to: recipe)
    let p = Process()
    p.executableURL = DecantProcess.binary
    p.arguments = ["run", recipe.path, "-", "-o", tmp.file("out.csv").path]
    let input = Pipe()
    p.standardInput = input
    p.standardError = FileHandle.nullDevice
    try p.run()
    // Some rows, then the pipe stays open: the run is waiting for more input.
    input.fileHandleForWriting.write(Data(("a,b\n" + String(repeating: "1,2\n", count: 50_000)).utf8))
    var sawTemporary = false
    for _ in 0..<100 {
      let names = try FileManager.default.contentsOfDirectory(atPath: tmp.path)
      if names.contains(where: { $0.hasPrefix(".out.csv.decant-") }) {
        sawTemporary = true
        break
      }
      Thread.sleep(forTimeInterval: 0.02)
    }
    XCTAssertTrue(sawTemporary, "the run should be writing to a temporary file beside the output")
    p.terminate()
    p.waitUntilExit()
    XCTAssertNotEqual(p.terminationStatus, 0)
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path).sorted(), ["r.json"])
  }

  func testNoProgressBarWhenStderrIsNotATerminal() throws {
    let r = try DecantProcess.run(["run", "recipes/events.json", "samples/events.csv", "-o", "-"])
    XCTAssertEqual(r.status, 0)
    XCTAssertFalse(r.stderr.contains("\r"), r.stderr)
    XCTAssertFalse(r.stderr.contains("MB/s)"), r.stderr)
  }
}
