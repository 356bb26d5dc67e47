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
  func assertSameOutput(
    recipe: Recipe, input: String, to format: DataFormat? = nil, file: StaticString = #filePath,
    line: UInt = #line
  ) throws {
    var outputs: [(Data, Data?, [StepCounts])] = []
    for concurrent in [true, false] {
      let out = dir.appendingPathComponent("out-\(concurrent).csv").path
      let replay = try Replay(
        recipe: recipe, inputPath: input, outputPath: out, to: format, concurrent: concurrent)
      let report = try replay.run()
      XCTAssertTrue(report.balances, "row accounting", file: file, line: line)
      outputs.append(
        (
          try Data(contentsOf: URL(fileURLWithPath: out)),
          try? Data(contentsOf: URL(fileURLWithPath: out + ".rejects.csv")), report.steps
        ))
    }
    XCTAssertEqual(outputs[0].0, outputs[1].0, "output differs", file: file, line: line)
    XCTAssertEqual(outputs[0].1, outputs[1].1, "rejects differ", file: file, line: line)
    XCTAssertEqual(outputs[0].2, outputs[1].2, "counts differ", file: file, line: line)
  }

  func recipe(_ name: String) throws -> Recipe {
    try Recipe.decode([UInt8](Data(contentsOf: Self.root.appendingPathComponent("recipes/\(name).json"))))
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
  }
}
