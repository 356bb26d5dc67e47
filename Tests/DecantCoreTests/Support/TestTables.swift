import XCTest

@testable import DecantCore

// Shared helpers for the engine's unit tests: in-memory batches, an in-memory
// `RowReader`, a one-call way to run a recipe through `Pipeline`, and recipe
// decoding shortcuts.

/// Makes a batch from rows of strings (an empty string is a null cell under the
/// default `null_values`; `\\xHH` is a raw byte, see `testBytes`). Rows get
/// consecutive physical lines from `firstLine`.
func makeBatch(_ rows: [[String]], columnCount: Int? = nil, firstLine: Int = 2) -> Batch {
  let width = columnCount ?? rows.first?.count ?? 0
  var arena: [UInt8] = []
  var columns = [[Cell]](repeating: [], count: width)
  for row in rows {
    precondition(row.count == width, "every test row needs \(width) cells: \(row)")
    for (c, value) in row.enumerated() {
      let start = arena.count
      arena.append(contentsOf: testBytes(value))
      columns[c].append(Cell(start: start, length: arena.count - start))
    }
  }
  return Batch(arena: arena, columns: columns, lines: Array(firstLine..<(firstLine + rows.count)))
}

/// Makes one batch per chunk; physical lines continue from batch to batch
/// (the header is line 1, so the first row is line 2).
func makeBatches(_ chunks: [[[String]]], columnCount: Int) -> [Batch] {
  var line = 2
  return chunks.map { rows in
    defer { line += rows.count }
    return makeBatch(rows, columnCount: columnCount, firstLine: line)
  }
}

/// Every row of a batch as strings, in the batch's current column order (bytes
/// that are not valid UTF-8 as `\\xHH`, see `testText`).
func rowsOf(_ batch: Batch) -> [[String]] {
  (0..<batch.rowCount).map { r in
    (0..<batch.columnCount).map { c in testText(batch.bytes(batch.columns[c][r])) }
  }
}

/// A `RowReader` that yields prepared chunks from memory.
final class MemoryReader: RowReader {
  let columnNames: [String]
  var rawColumnNames: [String] { columnNames }
  var warnings: [String] = []
  var blankLines = 0
  private(set) var bytesRead = 0
  var totalBytes: Int? { nil }
  private let chunks: [ReadChunk]
  private var index = 0
  /// How many times `next()` handed out a chunk (to see passes over the data).
  private(set) var chunksRead = 0

  init(columns: [String], batches: [Batch], readRejects: [[RejectedRecord]] = []) {
    self.columnNames = columns
    self.chunks = batches.enumerated().map { i, batch in
      ReadChunk(batch: batch, rejects: i < readRejects.count ? readRejects[i] : [])
    }
  }

  func next() throws -> ReadChunk? {
    guard index < chunks.count else { return nil }
    defer { index += 1 }
    chunksRead += 1
    bytesRead += chunks[index].batch.arena.count
    return chunks[index]
  }
}

/// A row the run sent to the rejects sink.
struct RejectedRow: Equatable, CustomStringConvertible {
  /// `_step`: the 1-based step number and op (`3 normalize_timezone`), or `0 read`.
  var step: String
  var reason: String
  var line: Int
  /// The row's original cells, in input column order.
  var values: [String]

  var description: String { "line \(line) [\(step)] \(values): \(reason)" }
}

/// What a pipeline run produced.
struct RunResult {
  var columns: [String]
  var rows: [[String]]
  var rejects: [RejectedRow]
  /// Step 0 (read) then every enabled step.
  var counts: [StepCounts]
  var warnings: [String]
  /// Lines of the output rows, in output order.
  var lines: [Int]

  /// Values of one output column.
  func column(_ name: String) -> [String] {
    guard let c = columns.firstIndex(of: name) else {
      XCTFail("no output column \(name) in \(columns)")
      return []
    }
    return rows.map { $0[c] }
  }

  var rowsIn: Int { counts.first?.rowsIn ?? 0 }
  var rowsOut: Int { counts.last?.rowsOut ?? 0 }
  var rowsRemoved: Int { counts.reduce(0) { $0 + $1.rowsRemoved } }
  var rowsRejected: Int { counts.reduce(0) { $0 + $1.rowsRejected } }
}

/// Runs `recipe` over batches of rows (each inner array one batch) through
/// `Pipeline(recipe:inputSchema:)`, `prepare(open:)` and `run(reader:sinks:)`.
/// Every run is checked against the row-accounting invariant, and run again with
/// three workers, which must give the same rows, rejects, order and counts (or the same error).
func runPipeline(
  _ recipe: Recipe, columns: [String], batches chunks: [[[String]]],
  readRejects: [[RejectedRecord]] = [], file: StaticString = #filePath, line: UInt = #line
) throws -> RunResult {
  func run(workers: Int) throws -> RunResult {
    let batches = makeBatches(chunks, columnCount: columns.count)
    let pipeline = try Pipeline(recipe: recipe, inputSchema: Schema(columns))
    try pipeline.prepare(open: { MemoryReader(columns: columns, batches: batches, readRejects: readRejects) })
    var rows: [[String]] = []
    var lines: [Int] = []
    var rejects: [RejectedRow] = []
    let sinks = Pipeline.Sinks(
      output: { batch in
        rows += rowsOf(batch)
        lines += batch.lines
      },
      rejectRow: { batch, r, step, reason in
        let values = batch.originalColumns.map { testText(batch.bytes($0[r])) }
        rejects.append(RejectedRow(step: step, reason: reason, line: batch.lines[r], values: values))
      },
      rejectRecord: { record in
        rejects.append(
          RejectedRow(
            step: "0 read", reason: record.reason, line: record.line,
            values: record.fields.map { String(decoding: $0, as: UTF8.self) }))
      })
    let reader = MemoryReader(columns: columns, batches: batches, readRejects: readRejects)
    let counts = try pipeline.run(reader: reader, sinks: sinks, workers: workers)
    return RunResult(
      columns: pipeline.outputSchema.names, rows: rows, rejects: rejects, counts: counts,
      warnings: pipeline.warnings, lines: lines)
  }
  let result: RunResult
  do {
    result = try run(workers: 1)
  } catch {
    XCTAssertThrowsError(try run(workers: 3), file: file, line: line) { parallel in
      XCTAssertEqual("\(parallel)", "\(error)", "three workers fail differently", file: file, line: line)
    }
    throw error
  }
  let parallel = try run(workers: 3)
  XCTAssertEqual(parallel.rows, result.rows, "three workers give other rows", file: file, line: line)
  XCTAssertEqual(parallel.lines, result.lines, "three workers give other lines", file: file, line: line)
  XCTAssertEqual(parallel.rejects, result.rejects, "three workers give other rejects", file: file, line: line)
  XCTAssertEqual(parallel.counts, result.counts, "three workers give other counts", file: file, line: line)
  assertBalances(result, file: file, line: line)
  return result
}

/// Decodes `{"decant_recipe": 1, "input": {"null_values": …}, "steps": [STEPS]}`.
func recipe(steps: String, nullValues: [String]? = nil, file: StaticString = #filePath, line: UInt = #line)
  throws -> Recipe
{
  var text = "{\"decant_recipe\": 1, "
  if let nullValues {
    let list = nullValues.map { v -> String in
      var s = ""
      JSONValue.writeString(v, to: &s)
      return s
    }
    text += "\"input\": {\"null_values\": [\(list.joined(separator: ", "))]}, "
  }
  text += "\"steps\": [\(steps)]}"
  do {
    return try Recipe.decode(text)
  } catch {
    XCTFail("the test recipe does not decode: \(error)", file: file, line: line)
    throw error
  }
}

/// Runs a recipe given as its steps' JSON.
func runSteps(
  steps: String, columns: [String], batches: [[[String]]], nullValues: [String]? = nil,
  file: StaticString = #filePath, line: UInt = #line
) throws -> RunResult {
  try runPipeline(
    try recipe(steps: steps, nullValues: nullValues, file: file, line: line), columns: columns,
    batches: batches,
    file: file, line: line)
}

/// The `RecipeError` that decoding `text` throws (fails the test when it decodes).
func decodeError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> RecipeError? {
  do {
    _ = try Recipe.decode(text)
    XCTFail("expected a RecipeError, but the recipe decoded", file: file, line: line)
    return nil
  } catch {
    return error
  }
}

/// The `RecipeError` for a recipe with one step given as JSON.
func stepError(_ step: String, file: StaticString = #filePath, line: UInt = #line) -> RecipeError? {
  decodeError("{\"decant_recipe\": 1, \"steps\": [\(step)]}", file: file, line: line)
}

/// Asserts that every step (and reading) balances: in = out + removed + rejected.
func assertBalances(_ result: RunResult, file: StaticString = #filePath, line: UInt = #line) {
  for c in result.counts {
    XCTAssertTrue(
      c.balances,
      "step \(c.number) \(c.op): \(c.rowsIn) in != \(c.rowsOut) out + \(c.rowsRemoved) removed + \(c.rowsRejected) rejected",
      file: file, line: line)
  }
  XCTAssertEqual(
    result.rowsIn, result.rowsOut + result.rowsRemoved + result.rowsRejected, "the run does not balance",
    file: file, line: line)
  XCTAssertEqual(result.rows.count, result.rowsOut, "rows written != rows_out", file: file, line: line)
  XCTAssertEqual(
    result.rejects.count, result.rowsRejected, "rejects written != rows_rejected", file: file, line: line)
  // Each step's input is the previous step's output.
  for i in result.counts.indices.dropFirst() {
    XCTAssertEqual(
      result.counts[i].rowsIn, result.counts[i - 1].rowsOut,
      "step \(result.counts[i].number) did not get the previous step's rows", file: file, line: line)
  }
}

/// The counts of each step as (in, out, removed, rejected).
func countTuples(_ result: RunResult) -> [[Int]] {
  result.counts.map { [$0.rowsIn, $0.rowsOut, $0.rowsRemoved, $0.rowsRejected] }
}
