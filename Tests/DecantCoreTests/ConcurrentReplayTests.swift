import Foundation
import XCTest

@testable import DecantCore

/// Reading ahead and writing behind on other threads must not change a byte of
/// the output or the rejects, nor their order.
final class ConcurrentReplayTests: XCTestCase {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  var dir: URL!

  override func setUpWithError() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "decant-concurrent-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  }

  override func tearDown() {
    try? FileManager.default.removeItem(at: dir)
  }

  /// Runs `recipe` on `input` twice, threaded and not, and compares what was written.
  /// Writes into `directory` (default: the test's directory); `label` names the case in failures.
  /// Returns the counts of the run without threads.
  @discardableResult
  func assertSameOutput(
    recipe: Recipe, input: String, to format: DataFormat? = nil, in directory: URL? = nil, label: String = "",
    file: StaticString = #filePath, line: UInt = #line
  ) throws -> [StepCounts] {
    var outputs: [(Data, Data?, [StepCounts], Int)] = []
    for concurrent in [true, false] {
      let out = (directory ?? dir).appendingPathComponent("out-\(concurrent).csv").path
      let replay = try Replay(
        recipe: recipe, inputPath: input, outputPath: out, to: format, concurrent: concurrent)
      let report = try replay.run()
      XCTAssertTrue(report.balances, "\(label) row accounting", file: file, line: line)
      outputs.append(
        (
          try Data(contentsOf: URL(fileURLWithPath: out)),
          try? Data(contentsOf: URL(fileURLWithPath: out + ".rejects.csv")), report.steps, report.blankLines
        ))
    }
    // Not XCTAssertEqual on the data: a difference in a 50 MB output would print it all.
    XCTAssertTrue(outputs[0].0 == outputs[1].0, "\(label) output differs", file: file, line: line)
    XCTAssertTrue(outputs[0].1 == outputs[1].1, "\(label) rejects differ", file: file, line: line)
    XCTAssertEqual(outputs[0].2, outputs[1].2, "\(label) counts differ", file: file, line: line)
    XCTAssertEqual(outputs[0].3, outputs[1].3, "\(label) blank lines differ", file: file, line: line)
    return outputs[1].2
  }

  func recipe(_ name: String) throws -> Recipe {
    try Recipe.decode([UInt8](Data(contentsOf: Self.root.appendingPathComponent("recipes/\(name).json"))))
  }

  /// Converted timestamps are copied by the CSV writer without a look only when
  /// the output pattern's literals cannot need quotes: a comma in the pattern is
  /// quoted in a comma file and left alone in a semicolon file.
  func testTimestampsWithTheDelimiterInThePatternAreQuoted() throws {
    let cases: [(delimiter: String, pattern: String, expected: String)] = [
      (",", "%Y-%m-%dT%H:%M:%SZ", "id,t\n1,2024-07-01T16:00:00Z\n2,x\n3,2024-01-15T13:30:00Z\n"),
      (",", "%Y,%m,%d %H:%M:%S", "id,t\n1,\"2024,07,01 16:00:00\"\n2,x\n3,\"2024,01,15 13:30:00\"\n"),
      (
        ",", "%Y-%m-%d %H:%M:%S\"",
        "id,t\n1,\"2024-07-01 16:00:00\"\"\"\n2,x\n3,\"2024-01-15 13:30:00\"\"\"\n"
      ),
      (";", "%Y,%m,%d %H:%M:%S", "id;t\n1;2024,07,01 16:00:00\n2;x\n3;2024,01,15 13:30:00\n"),
      (";", "%Y;%m;%d", "id;t\n1;\"2024;07;01\"\n2;x\n3;\"2024;01;15\"\n"),
    ]
    for (delimiter, pattern, expected) in cases {
      let input = dir.appendingPathComponent("in.csv").path
      // The first value is not the arena's last, so the writer may copy it a word at a time.
      let rows = ["id", "1", "2", "3"].map { $0 + delimiter }
      let text =
        rows[0] + "t\n" + rows[1] + "2024-07-01 12:00:00\n" + rows[2] + "x\n" + rows[3]
        + "2024-01-15 08:30:00\n"
      try Data(text.utf8).write(to: URL(fileURLWithPath: input))
      var format = ""
      JSONValue.writeString(pattern, to: &format)
      let recipe = try Recipe.decode(
        """
        {"decant_recipe": 1, "input": {"delimiter": "\(delimiter)"}, "steps": [{"op": "normalize_timezone",
         "column": "t", "from_zone": "America/New_York", "input_formats": ["%Y-%m-%d %H:%M:%S"],
         "output_format": \(format), "on_error": "keep"}]}
        """)
      for concurrent in [true, false] {
        let out = dir.appendingPathComponent("out.csv").path
        _ = try Replay(recipe: recipe, inputPath: input, outputPath: out, concurrent: concurrent).run()
        XCTAssertEqual(
          String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)), as: UTF8.self), expected)
      }
    }
  }

  func testSamplesGiveTheSameOutputWithAndWithoutThreads() throws {
    try assertSameOutput(
      recipe: recipe("events"), input: Self.root.appendingPathComponent("samples/events.csv").path)
    try assertSameOutput(
      recipe: recipe("customers"),
      input: Self.root.appendingPathComponent("samples/customers_semicolon.csv").path)
    try assertSameOutput(
      recipe: recipe("orders"), input: Self.root.appendingPathComponent("samples/orders.jsonl").path, to: .csv
    )
  }

  func testAManyBlockFileGivesTheSameOutputWithAndWithoutThreads() throws {
    // About 9 MB: several read blocks, so batches really cross threads.
    var rng = SplitMix64(seed: 3)
    var text = "id,group,value,when,note\n"
    text.reserveCapacity(9_500_000)
    for i in 0..<120_000 {
      let id = Int(rng.next() % 90_000)
      let value = rng.next() % 10 == 0 ? "" : String(rng.next() % 1000)
      let when =
        rng.next() % 50 == 0 ? "bad" : "2024-03-\(10 + Int(rng.next() % 3)) 0\(Int(rng.next() % 4)):30:00"
      let note =
        rng.next() % 7 == 0
        ? "\"a, \"\"quoted\"\"\nnote \(i)\""
        : "plain note \(i) " + String(repeating: "x", count: Int(rng.next() % 20))
      let row = i % 997 == 0 ? "\(id),only-two\n" : "\(id),g\(id % 13),\(value),\(when),\(note)\n"
      text += row
    }
    let input = dir.appendingPathComponent("many.csv")
    try Data(text.utf8).write(to: input)
    let recipe = try Recipe.decode(
      """
      {"decant_recipe": 1, "steps": [
        {"op": "dedupe", "columns": ["id"]},
        {"op": "fill_null", "columns": ["value"], "strategy": "next"},
        {"op": "fill_null", "columns": ["group"], "strategy": "mode"},
        {"op": "normalize_timezone", "column": "when", "from_zone": "America/New_York"}
      ]}
      """)
    try assertSameOutput(recipe: recipe, input: input.path)
    try assertSameOutput(recipe: recipe, input: input.path, to: .jsonl)
    try assertSameOutput(recipe: recipe, input: input.path, to: .tsv)
  }

  /// About 9 MB of messy rows (several read blocks) for the operations below:
  /// names with stray spaces and mixed case, now and then a name that is not
  /// valid UTF-8 (Latin-1), cities to map, amounts, tags to split, quoted notes,
  /// and a long memo.
  func operationsInput() throws -> String {
    var rng = SplitMix64(seed: 11)
    func pick(_ options: [String]) -> String { options[Int(rng.next() % UInt64(options.count))] }
    var bytes: [UInt8] = Array("id,name,city,amount,tags,note,memo\n".utf8)
    bytes.reserveCapacity(9_500_000)
    for i in 0..<110_000 {
      var row = "\(i),"
      let name = pick(["  ann  lee ", "BOB", "Cy", "", "élodie MARTIN", "straße", "o'neil", "  "])
      if rng.next() % 600 == 0 {
        bytes += Array(row.utf8) + Array("caf".utf8) + [0xE9]
        row = ","
      } else {
        row += name + ","
      }
      row += pick(["paris", "Paris", "PARIS", "berlin", "Berlin ", "", "NA", "zürich", "Köln", "oslo"]) + ","
      row +=
        rng.next() % 9 == 0
        ? pick(["", "n/a", "-5", "1e3"]) : String(rng.next() % 5000) + "." + String(rng.next() % 100)
      row += "," + pick(["a;b;c", "x", "", "p;q", ";", "k;"]) + ","
      row +=
        rng.next() % 5 == 0
        ? "\"ref AB-\(rng.next() % 100), \"\"rush\"\"\""
        : "order \(rng.next() % 10_000) " + pick(["shipped", "PAID", "open", ""])
      // A column no step reads, so the file spans several blocks with fewer rows.
      row += "," + String(repeating: "memo ", count: 6 + Int(rng.next() % 8))
      bytes += Array((row + "\n").utf8)
    }
    XCTAssertGreaterThan(bytes.count, 2 * ByteSource.defaultBlockSize, "at least three read blocks")
    let url = dir.appendingPathComponent("operations.csv")
    try Data(bytes).write(to: url)
    return url.path
  }

  /// Every operation added with conditions, with and without `where`, gives the
  /// same output, rejects and counts with and without threads over several blocks.
  func testEveryOperationGivesTheSameOutputWithAndWithoutThreads() throws {
    let input = try operationsInput()
    let cities = dir.appendingPathComponent("cities.csv")
    try Data("city,country\nparis,FR\nParis,FR\nberlin,DE\nzürich,CH\nKöln,DE\n".utf8).write(to: cities)
    let scope =
      #""where": {"any": [{"column": "city", "in": ["paris", "Paris"]}, {"column": "amount", "gt": 2500}]}"#
    // Each operation alone, with and without a where (filter and validate take their rule as where).
    let steps: [String] = [
      #"{"op": "filter", "where": {"column": "amount", "between": [100, 4000]}}"#,
      #"{"op": "filter", "where": {"column": "name", "matches": "^[a-z]"}, "keep": "non_matching"}"#,
      #"{"op": "validate", "name": "has city", "where": {"column": "city", "is_null": false}}"#,
      #"{"op": "validate", "name": "small", "where": {"column": "amount", "lt": 4000}, "on_error": "keep"}"#,
      #"{"op": "select", "columns": ["note", "id", "city"]}"#,
      #"{"op": "drop", "columns": ["tags"]}"#,
      #"{"op": "copy", "column": "name", "to": "name2"}"#,
      #"{"op": "set", "column": "city", "value": "somewhere"}"#,
      #"{"op": "set", "column": "flag", "value": 1}"#,
      #"{"op": "merge", "columns": ["city", "name"], "to": "cn", "separator": "/", "on_error": "keep"}"#,
      #"{"op": "split", "column": "tags", "separator": ";", "into": ["t1", "t2"]}"#,
      #"{"op": "trim", "columns": ["name", "city"], "collapse": true}"#,
      #"{"op": "change_case", "columns": ["name"], "case": "title", "on_error": "null"}"#,
      #"{"op": "replace", "columns": ["note"], "find": "([A-Z]+)-(\\d+)", "with": "$2:$1", "regex": true}"#,
      #"{"op": "extract", "column": "note", "pattern": "\\d+", "to": "number"}"#,
      #"{"op": "map_values", "columns": ["city"], "mapping": {"paris": "Paris", "PARIS": "Paris", "NA": null}, "case_insensitive": false, "unmapped": "reject"}"#,
      #"{"op": "cast", "columns": ["amount"], "to": "decimal"}"#,
      #"{"op": "round", "columns": ["amount"], "digits": -1, "mode": "half_even", "on_error": "null"}"#,
      #"{"op": "hash", "columns": ["name"], "salt": "s"}"#,
      #"{"op": "mask", "columns": ["note"], "keep_first": 2, "keep_last": 3, "on_error": "keep"}"#,
      #"{"op": "lookup", "file": "\#(cities.path)", "on": ["city"], "unmatched": "reject"}"#,
      #"{"op": "dedupe", "columns": ["city", "tags"], "keep": "last"}"#,
      #"{"op": "date_part", "column": "amount", "part": "quarter", "input_formats": ["%Y.%m%d"], "on_error": "null"}"#,
      #"{"op": "format_date", "column": "amount", "input_formats": ["%Y.%m%d"], "output_format": "%d/%m/%Y", "to": "when", "on_error": "reject"}"#,
    ]
    var checked = 0
    for step in steps {
      let parsed = try Recipe.decode(#"{"decant_recipe": 1, "steps": [\#(step)]}"#)
      var variants = [(step, parsed)]
      if type(of: parsed.steps[0].operation).descriptor.conditionRole == .scope {
        let scoped = String(step.dropLast()) + ", " + scope + "}"
        variants.append((scoped, try Recipe.decode(#"{"decant_recipe": 1, "steps": [\#(scoped)]}"#)))
      }
      for (label, recipe) in variants {
        let counts = try assertSameOutput(recipe: recipe, input: input, label: label)
        XCTAssertEqual(counts.first?.rowsIn, 110_000, label)
        checked += 1
      }
    }
    XCTAssertEqual(checked, 42)
    // Several steps at once, to JSON Lines (encoded on the workers).
    let chain = try Recipe.decode(
      #"{"decant_recipe": 1, "steps": [\#(steps[11]), \#(steps[6]), \#(steps[10]), \#(steps[3]), \#(steps[15])]}"#
    )
    let counts = try assertSameOutput(recipe: chain, input: input, to: .jsonl, label: "chain")
    XCTAssertGreaterThan(counts[1].rowsRejected, 0, "trim rejects the Latin-1 names")
    XCTAssertGreaterThan(counts[4].ruleViolations, 0)
    XCTAssertGreaterThan(counts[5].rowsRejected, 0)
  }

  /// Every case of the end-to-end bad-input corpus (`Tests/EndToEnd/corpus/cases.json`):
  /// the same output, rejects and counts threaded and not, or the same error before
  /// anything is written.
  func testEveryCorpusFileGivesTheSameOutputWithAndWithoutThreads() throws {
    let corpus = Self.root.appendingPathComponent("Tests/EndToEnd/corpus")
    let document =
      try JSONSerialization.jsonObject(with: Data(contentsOf: corpus.appendingPathComponent("cases.json")))
      as? [String: Any]
    let cases = try XCTUnwrap(document?["cases"] as? [[String: Any]])
    XCTAssertGreaterThanOrEqual(cases.count, 30)
    for (i, c) in cases.enumerated() {
      let name = c["name"] as? String ?? "case \(i)"
      do {
        let caseDirectory = dir.appendingPathComponent("case-\(i)")
        try FileManager.default.createDirectory(at: caseDirectory, withIntermediateDirectories: true)
        let input: String
        if let file = c["input"] as? String {
          input = corpus.appendingPathComponent(file).path
        } else if let spec = c["input"] as? [String: Any], let parts = spec["generate"] as? [[String: Any]] {
          let url = dir.appendingPathComponent("generated-\(i).csv")
          try Data(Self.corpusBytes(parts)).write(to: url)
          input = url.path
        } else {
          XCTFail("\(name): no input")
          continue
        }
        let recipe = try Recipe.decode(
          [UInt8](JSONSerialization.data(withJSONObject: try XCTUnwrap(c["recipe"], name))))
        let args = c["args"] as? [String] ?? []
        let to = args.firstIndex(of: "--to").flatMap { DataFormat(name: args[$0 + 1]) }
        if c["status"] as? Int == 0 {
          try assertSameOutput(recipe: recipe, input: input, to: to, in: caseDirectory, label: name)
        } else {
          var errors: [String] = []
          for concurrent in [true, false] {
            let out = caseDirectory.appendingPathComponent("out-\(concurrent).csv").path
            do {
              _ = try Replay(
                recipe: recipe, inputPath: input, outputPath: out, to: to, concurrent: concurrent
              ).run()
              XCTFail("\(name): the replay should fail")
            } catch {
              errors.append(String(describing: error))
            }
          }
          XCTAssertEqual(errors.first, errors.last, "\(name): errors differ")
          XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: caseDirectory.path), [], name)
        }
      } catch {
        XCTFail("\(name): \(error)")
      }
    }
  }

  /// The corpus manifest's generated inputs: `{"text": S}`, `{"repeat": S, "count": N}`,
  /// `{"numbered": "c{i}", "from": A, "to": B, "separator": S}` (`\xHH` is a raw byte).
  static func corpusBytes(_ parts: [[String: Any]]) -> [UInt8] {
    func bytes(_ text: String) -> [UInt8] {
      var out: [UInt8] = []
      var rest = Substring(text)
      while let r = rest.range(of: "\\x"), let byte = UInt8(rest[r.upperBound...].prefix(2), radix: 16) {
        out += Array(rest[..<r.lowerBound].utf8) + [byte]
        rest = rest[rest.index(r.upperBound, offsetBy: 2)...]
      }
      return out + Array(rest.utf8)
    }
    var out: [UInt8] = []
    for part in parts {
      if let text = part["text"] as? String {
        out += bytes(text)
      } else if let unit = part["repeat"] as? String, let count = part["count"] as? Int {
        let u = bytes(unit)
        let chunk = [[UInt8]](repeating: u, count: min(count, 4096)).flatMap { $0 }
        for _ in 0..<(count / 4096) { out += chunk }
        out += chunk[0..<((count % 4096) * u.count)]
      } else if let pattern = part["numbered"] as? String, let from = part["from"] as? Int,
        let to = part["to"] as? Int
      {
        let separator = bytes(part["separator"] as? String ?? "")
        out += (from...to).map { bytes(pattern.replacingOccurrences(of: "{i}", with: String($0))) }.joined(
          separator: separator)
      }
    }
    return out
  }
}
