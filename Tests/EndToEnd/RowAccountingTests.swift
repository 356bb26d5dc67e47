import Foundation
import XCTest

/// Row accounting (DESIGN.md §2), from the run report of every corpus case and
/// of every recipe in `recipes/` on its sample: `rows_in = rows_out +
/// rows_removed + rows_rejected` for the run and every step, and the output rows
/// plus the rejects file rows plus removed rows are exactly the input's records.
final class RowAccountingTests: XCTestCase {
  struct Run {
    var report: [String: Any]
    var output: [UInt8]
    var outputIsJSONLines: Bool
    var rejects: [UInt8]?
  }

  /// Runs `decant run RECIPE INPUT -o out --report r.json ARGS` in a fresh directory.
  func run(recipe: String, input: String, args: [String], label: String) throws -> (Int32, Run?) {
    let tmp = try DecantProcess.temporaryDirectory(self)
    let out = tmp.file("out.data")
    let reportURL = tmp.file("r.json")
    let r = try DecantProcess.run(
      ["run", recipe, input, "-o", out.path, "--report", reportURL.path] + args, in: tmp)
    guard r.status == 0 else {
      XCTAssertFalse(reportURL.exists, "\(label): a failed run wrote a report")
      return (r.status, nil)
    }
    let report = try XCTUnwrap(
      JSONSerialization.jsonObject(with: Data(contentsOf: reportURL)) as? [String: Any], "\(label): report")
    let to = args.firstIndex(of: "--to").map { args[$0 + 1] }
    let rejectsURL = tmp.file("out.data.rejects.csv")
    return (
      0,
      Run(
        report: report, output: try [UInt8](Data(contentsOf: out)),
        outputIsJSONLines: to == "jsonl" || (to == nil && input.hasSuffix(".jsonl")),
        rejects: rejectsURL.exists ? try [UInt8](Data(contentsOf: rejectsURL)) : nil)
    )
  }

  /// Checks the report against itself, the output and the rejects file.
  /// `records` is the number of input records; `recordLines`, when known, the
  /// physical lines they begin on.
  func assertAccounts(
    _ run: Run, records: Int, recordLines: Set<Int>?, _ label: String, file: StaticString = #filePath,
    line: UInt = #line
  ) {
    let report = run.report
    func int(_ object: [String: Any], _ key: String) -> Int {
      guard let v = object[key] as? Int else {
        XCTFail("\(label): the report has no integer \(key)", file: file, line: line)
        return -1
      }
      return v
    }
    let rowsIn = int(report, "rows_in")
    let rowsOut = int(report, "rows_out")
    let removed = int(report, "rows_removed")
    let rejected = int(report, "rows_rejected")
    XCTAssertEqual(
      rowsIn, records, "\(label): rows_in is the number of input records", file: file, line: line)
    XCTAssertEqual(rowsIn, rowsOut + removed + rejected, "\(label): run balance", file: file, line: line)

    // Every step balances and hands its rows to the next.
    let steps = report["steps"] as? [[String: Any]] ?? []
    XCTAssertFalse(steps.isEmpty, "\(label): no steps in the report", file: file, line: line)
    XCTAssertEqual(
      steps.first.map { int($0, "step") }, 0, "\(label): step 0 is reading", file: file, line: line)
    var previousOut = rowsIn
    for step in steps {
      let n = int(step, "step")
      let stepIn = int(step, "rows_in")
      XCTAssertEqual(
        stepIn, int(step, "rows_out") + int(step, "rows_removed") + int(step, "rows_rejected"),
        "\(label): step \(n) balance \(step)", file: file, line: line)
      XCTAssertEqual(
        stepIn, previousOut, "\(label): step \(n) takes the rows the step before gave", file: file, line: line
      )
      previousOut = int(step, "rows_out")
    }
    XCTAssertEqual(
      previousOut, rowsOut, "\(label): the last step's rows are the output", file: file, line: line)
    XCTAssertEqual(
      steps.reduce(0) { $0 + int($1, "rows_removed") }, removed, "\(label): removed", file: file, line: line)
    XCTAssertEqual(
      steps.reduce(0) { $0 + int($1, "rows_rejected") }, rejected, "\(label): rejected", file: file,
      line: line)

    // The output holds rows_out rows after its header.
    let outputRows: Int
    if run.outputIsJSONLines {
      outputRows = run.output.split(separator: 10).filter { !$0.allSatisfy { $0 == 32 || $0 == 13 } }.count
    } else {
      let headerEnd = run.output.firstIndex(of: 10) ?? run.output.count
      let delimiter =
        [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")].first {
          run.output[..<headerEnd].contains($0)
        } ?? UInt8(ascii: ",")
      outputRows = DelimitedText.records(run.output, delimiter: delimiter, keepFields: false).count - 1
    }
    XCTAssertEqual(outputRows, rowsOut, "\(label): rows in the output file", file: file, line: line)

    // The rejects file holds rows_rejected rows, each once, under the step that rejected it.
    let rejectRows = run.rejects.map { Array(DelimitedText.records($0).dropFirst()) } ?? []
    XCTAssertEqual(rejectRows.count, rejected, "\(label): rows in the rejects file", file: file, line: line)
    var lines: [Int] = []
    var perStep: [Int: Int] = [:]
    for row in rejectRows {
      guard row.fields.count >= 3,
        let l = Int(String(decoding: row.fields[row.fields.count - 3], as: UTF8.self)),
        let n = Int(String(decoding: row.fields[row.fields.count - 2], as: UTF8.self).prefix { $0 != " " })
      else {
        XCTFail("\(label): a rejects row without _line and _step", file: file, line: line)
        continue
      }
      lines.append(l)
      perStep[n, default: 0] += 1
    }
    XCTAssertEqual(
      Set(lines).count, lines.count, "\(label): a line rejected twice: \(lines)", file: file, line: line)
    for step in steps {
      XCTAssertEqual(
        perStep[int(step, "step")] ?? 0, int(step, "rows_rejected"),
        "\(label): rejects file rows of step \(int(step, "step"))", file: file, line: line)
    }
    if let recordLines {
      let stray = Set(lines).subtracting(recordLines)
      XCTAssertEqual(stray, [], "\(label): _line values where no record begins", file: file, line: line)
    }
    XCTAssertEqual(
      outputRows + removed + rejectRows.count, records,
      "\(label): output, removed and rejected rows are every input record", file: file, line: line)
  }

  func testEveryCorpusRunAccountsForEveryRecord() throws {
    let cases = try Corpus.cases()
    XCTAssertFalse(cases.isEmpty)
    for c in cases {
      do {
        let tmp = try DecantProcess.temporaryDirectory(self)
        let recipe = tmp.file("recipe.json")
        try c.recipe.write(to: recipe)
        let (status, run) = try self.run(
          recipe: recipe.path, input: try c.inputPath(in: tmp), args: c.args, label: c.name)
        XCTAssertEqual(status, c.status, c.name)
        if let run { assertAccounts(run, records: c.records, recordLines: nil, c.name) }
      } catch {
        XCTFail("\(c.name): \(error)")
      }
    }
  }

  func testEverySampleRecipeAccountsForEveryRecord() throws {
    let recipes = try FileManager.default.contentsOfDirectory(
      atPath: DecantProcess.root.appendingPathComponent("recipes").path
    ).filter { $0.hasSuffix(".json") }.sorted()
    XCTAssertGreaterThanOrEqual(recipes.count, 3)
    // Each recipe's sample (and extra arguments) as the golden cases name them.
    var samples: [String: (input: String, args: [String])] = [:]
    let golden = GoldenRunTests.goldenDirectory
    for name in try FileManager.default.contentsOfDirectory(atPath: golden.path) {
      let c = try JSONDecoder().decode(
        GoldenRunTests.Case.self,
        from: Data(contentsOf: golden.appendingPathComponent(name).file("case.json")))
      samples[c.recipe] = (c.input, c.args)
    }
    for name in recipes {
      let recipePath = "recipes/\(name)"
      guard let sample = samples[recipePath] else {
        XCTFail("\(recipePath) has no sample (no golden case names it)")
        continue
      }
      let recipe =
        try JSONSerialization.jsonObject(
          with: Data(contentsOf: DecantProcess.root.appendingPathComponent(recipePath))) as? [String: Any]
      let settings = recipe?["input"] as? [String: Any] ?? [:]
      var bytes = try [UInt8](Data(contentsOf: DecantProcess.root.appendingPathComponent(sample.input)))
      if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
      // The input's records, counted independently of the engine.
      let recordLines: [Int]
      if settings["format"] as? String == "jsonl" || sample.input.hasSuffix(".jsonl") {
        recordLines = bytes.split(separator: 10, omittingEmptySubsequences: false).enumerated().compactMap {
          $1.allSatisfy { $0 == 32 || $0 == 9 || $0 == 13 } ? nil : $0 + 1
        }
      } else {
        let delimiter = (settings["delimiter"] as? String)?.utf8.first ?? UInt8(ascii: ",")
        recordLines = DelimitedText.records(bytes, delimiter: delimiter, keepFields: false).dropFirst().map(
          \.line)
      }
      let input = DecantProcess.root.appendingPathComponent(sample.input).path
      let (status, run) = try self.run(
        recipe: DecantProcess.root.appendingPathComponent(recipePath).path, input: input, args: sample.args,
        label: recipePath)
      XCTAssertEqual(status, 0, recipePath)
      if let run {
        assertAccounts(run, records: recordLines.count, recordLines: Set(recordLines), recipePath)
      }
    }
  }

  // MARK: The operations added with conditions

  /// The generated input's rows: id, name, city, amount. Every 41st row is short
  /// (rejected while reading), every 17th name is Latin-1 (not valid UTF-8),
  /// every 11th amount is null and every 5th negative; cities cycle through
  /// mapped ones, a null and "Atlantis".
  static let operationRows = 400

  static func operationsInput() -> [UInt8] {
    var bytes = Array("id,name,city,amount\n".utf8)
    for i in 1...operationRows {
      if i % 41 == 0 {
        bytes += Array("\(i),short\n".utf8)
        continue
      }
      let name =
        i % 17 == 0 ? Array("caf".utf8) + [0xE9] : Array(["  ann  lee ", "Bob", "cy", "élodie"][i % 4].utf8)
      let city = ["Paris", "paris", "Berlin", "Oslo", "", "Atlantis", "Oslo"][i % 7]
      let amount = i % 11 == 0 ? "" : i % 5 == 0 ? "-\(i)" : "\(i).5"
      bytes += Array("\(i),".utf8) + name + Array(",\(city),\(amount)\n".utf8)
    }
    return bytes
  }

  /// What should happen to row `i`: nil when it reaches the output, else the
  /// step that removes (`removed`) or rejects it, and the reason.
  static func fate(_ i: Int) -> (step: String, reason: String)? {
    if i % 41 == 0 { return ("0 read", "") }
    if i % 11 == 0 { return ("1 filter", "removed") }
    if i % 17 == 0 { return ("2 trim", "column name is not valid UTF-8") }
    if i % 5 == 0 { return ("3 validate", #"failed rule "positive""#) }
    if i % 7 == 5 { return ("4 map_values", #"no mapping for "Atlantis" in column city"#) }
    return nil
  }

  static func operationsRecipe(validate onError: String = "reject") -> String {
    """
    {"decant_recipe": 1, "steps": [
      {"op": "filter", "where": {"column": "amount", "is_null": false}},
      {"op": "trim", "columns": ["name"], "collapse": true},
      {"op": "validate", "name": "positive", "where": {"column": "amount", "gt": 0}, "on_error": "\(onError)"},
      {"op": "map_values", "columns": ["city"], "mapping": {"paris": "Paris", "Paris": "Paris", "Berlin": "Berlin",
       "Oslo": "Oslo"}, "unmapped": "reject"},
      {"op": "validate", "name": "has city", "where": {"column": "city", "is_null": false}, "on_error": "keep"},
      {"op": "change_case", "columns": ["name"], "case": "upper", "where": {"column": "id", "lt": 100}},
      {"op": "copy", "column": "city", "to": "city2"}
    ]}
    """
  }

  func testFilterValidateMapValuesAndTextRejectsAccountForEveryRow() throws {
    let tmp = try DecantProcess.temporaryDirectory(self)
    let input = tmp.file("input.csv")
    try Data(Self.operationsInput()).write(to: input)
    let recipe = tmp.file("recipe.json")
    try Data(Self.operationsRecipe().utf8).write(to: recipe)
    let (status, result) = try run(recipe: recipe.path, input: input.path, args: [], label: "operations")
    XCTAssertEqual(status, 0)
    let run = try XCTUnwrap(result)
    let n = Self.operationRows
    assertAccounts(run, records: n, recordLines: Set(2...(n + 1)), "operations")

    // Each step's counts, worked out from the rows.
    let fates = (1...n).map(Self.fate)
    func count(_ step: String) -> Int { fates.filter { $0?.step == step }.count }
    let steps = try XCTUnwrap(run.report["steps"] as? [[String: Any]])
    XCTAssertEqual(
      steps.map { $0["op"] as? String },
      [
        "read", "filter", "trim", "validate", "map_values", "validate", "change_case", "copy",
      ])
    XCTAssertEqual(steps[0]["rows_rejected"] as? Int, count("0 read"))
    XCTAssertEqual(steps[1]["rows_removed"] as? Int, count("1 filter"))
    XCTAssertEqual(steps[2]["rows_rejected"] as? Int, count("2 trim"))
    XCTAssertEqual(steps[3]["rows_rejected"] as? Int, count("3 validate"))
    XCTAssertEqual(steps[3]["rule_violations"] as? Int, 0)
    XCTAssertEqual(steps[4]["rows_rejected"] as? Int, count("4 map_values"))
    // Rule violations kept: rows with a null city that reach step 5.
    let nullCities = (1...n).filter { Self.fate($0) == nil && $0 % 7 == 4 }.count
    XCTAssertGreaterThan(nullCities, 0)
    XCTAssertEqual(steps[5]["rule_violations"] as? Int, nullCities)
    XCTAssertEqual(steps[5]["rows_rejected"] as? Int, 0)
    XCTAssertNil(steps[6]["rule_violations"], "only validate steps report rule_violations")

    // Every input row is in the output, in the rejects file, or removed by the filter.
    func text(_ field: [UInt8]) -> String { String(decoding: field, as: UTF8.self) }
    let output = DelimitedText.records(run.output).dropFirst()
    let outputIDs = output.map { Int(text($0.fields[0]))! }
    XCTAssertEqual(outputIDs, (1...n).filter { Self.fate($0) == nil })
    let rejects = try XCTUnwrap(run.rejects.map { Array(DelimitedText.records($0)) })
    XCTAssertEqual(
      rejects.first?.fields.map(text), ["id", "name", "city", "amount", "_line", "_step", "_reason"])
    var rejected: [Int: (step: String, reason: String)] = [:]
    for record in rejects.dropFirst() {
      let f = record.fields
      let id = Int(text(f[0]))!
      XCTAssertNil(rejected[id], "row \(id) rejected twice")
      XCTAssertEqual(Int(text(f[f.count - 3])), id + 1, "_line of row \(id)")
      rejected[id] = (text(f[f.count - 2]), text(f[f.count - 1]))
      // The rejects file holds the row as read, bytes that are not UTF-8 included.
      if id % 17 == 0 && id % 41 != 0 { XCTAssertEqual(f[1], Array("caf".utf8) + [0xE9], "row \(id)") }
    }
    let removed = Set(1...n).subtracting(outputIDs).subtracting(rejected.keys)
    XCTAssertEqual(removed.count, steps[1]["rows_removed"] as? Int)
    for i in 1...n {
      switch Self.fate(i) {
      case nil: XCTAssertTrue(outputIDs.contains(i), "row \(i) is in the output")
      case ("1 filter", _)?: XCTAssertTrue(removed.contains(i), "row \(i) is removed")
      case let (step, reason)?:
        XCTAssertEqual(rejected[i]?.step, step, "row \(i)")
        if step != "0 read" { XCTAssertEqual(rejected[i]?.reason, reason, "row \(i)") }
      }
    }
    // The scoped change_case and the copy did their part on the rows that reached them.
    XCTAssertEqual(
      DelimitedText.records(run.output).first?.fields.map(text), ["id", "name", "city", "city2", "amount"])
    let rows = Dictionary(
      uniqueKeysWithValues: output.map { (Int(text($0.fields[0]))!, $0.fields.map(text)) })
    XCTAssertEqual(rows[1], ["1", "BOB", "Paris", "Paris", "1.5"])
    XCTAssertEqual(rows[4], ["4", "ANN LEE", "", "", "4.5"])
    XCTAssertEqual(rows[101], ["101", "Bob", "Oslo", "Oslo", "101.5"])
  }

  func testValidateFailStopsTheRunAtTheFirstBrokenRuleAndWritesNothing() throws {
    let tmp = try DecantProcess.temporaryDirectory(self)
    let input = tmp.file("input.csv")
    try Data(Self.operationsInput()).write(to: input)
    let recipe = tmp.file("recipe.json")
    try Data(Self.operationsRecipe(validate: "fail").utf8).write(to: recipe)
    let before = try FileManager.default.contentsOfDirectory(atPath: tmp.path).sorted()
    let r = try DecantProcess.run(
      ["run", recipe.path, input.path, "-o", tmp.file("out.csv").path, "--report", tmp.file("r.json").path],
      in: tmp)
    XCTAssertEqual(r.status, 1, r.stderr)
    // Row 5 (line 6) is the first to reach the rule with a negative amount.
    XCTAssertTrue(
      r.stderr.contains(#"\#(input.path):6: step 3 (validate): failed rule "positive""#), r.stderr)
    XCTAssertEqual(r.stdoutText, "")
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path).sorted(), before)
  }
}
