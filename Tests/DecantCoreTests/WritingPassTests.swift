import Foundation
import XCTest

@testable import DecantCore

/// Several workers share a writing pass: chunks finish their parallel steps out
/// of order (a step sleeps a varying time per batch), yet stateful steps, the
/// rejects and the output must see them in input order.
final class WritingPassTests: XCTestCase {
  /// What the probe steps saw, across threads.
  final class Log: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int] = []
    func append(_ v: Int) {
      lock.lock()
      values.append(v)
      lock.unlock()
    }
    var all: [Int] {
      lock.lock()
      defer { lock.unlock() }
      return values
    }
  }

  /// A step with independent batches that sleeps 0–3 ms, chosen by the batch's
  /// first line, and fails on the lines in `failOn`.
  struct Jitter: DecantCore.Operation {
    static let descriptor = OperationDescriptor(name: "jitter", summary: "sleeps", parameters: [])
    var failOn: Set<Int> = []
    init(failOn: Set<Int> = []) { self.failOn = failOn }
    init(from fields: inout StepFields) throws(RecipeError) {}
    func encodedParameters() -> [(String, JSONValue)] { [] }
    func plan(_ input: Schema) throws -> Schema { input }
    var summary: String { "jitter" }
    func export(_ sql: inout StepSQL) throws(ExportRefusal) { throw ExportRefusal("a test step") }
    func export(_ brew: inout DataBrewExport) throws(ExportRefusal) { throw ExportRefusal("a test step") }
    static let dataBrewImport: DataBrewImport? = nil
    func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
      -> StepTransform
    { Transform(failOn: failOn, context: context) }

    final class Transform: StepTransform {
      let failOn: Set<Int>
      let context: StepContext
      var batchesAreIndependent: Bool { true }
      init(failOn: Set<Int>, context: StepContext) {
        self.failOn = failOn
        self.context = context
      }
      func process(
        _ batch: inout Batch, scope: RowScope, prepared: AnyObject?, rejections: inout [RowRejection]
      ) throws -> Int {
        let first = batch.lines[0]
        usleep(UInt32((first * 7919) % 4) * 1000)
        for line in batch.lines where failOn.contains(line) {
          throw DataError("cannot handle line \(line)", line: line, step: context.number, op: context.op)
        }
        // Every 10th line is rejected, so rejects come from a parallel step too.
        for (r, line) in batch.lines.enumerated() where line % 10 == 0 {
          rejections.append(RowRejection(row: r, reason: "line \(line) ends in 0"))
        }
        return 0
      }
    }
  }

  /// A stateful step that logs the first line of every batch it gets and holds
  /// the last row of the input back until `finish()`.
  struct Probe: DecantCore.Operation {
    static let descriptor = OperationDescriptor(name: "probe", summary: "logs", parameters: [])
    let log: Log
    init(log: Log) { self.log = log }
    init(from fields: inout StepFields) throws(RecipeError) { log = Log() }
    func encodedParameters() -> [(String, JSONValue)] { [] }
    func plan(_ input: Schema) throws -> Schema { input }
    var summary: String { "probe" }
    func export(_ sql: inout StepSQL) throws(ExportRefusal) { throw ExportRefusal("a test step") }
    func export(_ brew: inout DataBrewExport) throws(ExportRefusal) { throw ExportRefusal("a test step") }
    static let dataBrewImport: DataBrewImport? = nil
    func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
      -> StepTransform
    { Transform(log: log) }

    final class Transform: StepTransform {
      let log: Log
      var held: Batch?
      init(log: Log) { self.log = log }
      func process(
        _ batch: inout Batch, scope: RowScope, prepared: AnyObject?, rejections: inout [RowRejection]
      ) throws -> Int {
        log.append(batch.lines[0])
        // Hold each batch's last row and release the one held before.
        var out = held ?? batch.slice(rows: 0..<0)
        out.appendRows(of: batch.slice(rows: 0..<batch.rowCount - 1))
        held = batch.slice(rows: batch.rowCount - 1..<batch.rowCount)
        batch = out
        return 0
      }
      func finish() throws -> Batch? { held }
    }
  }

  /// 60 batches of 5 rows; lines 2...301.
  let chunks: [[[String]]] = (0..<60).map { b in (0..<5).map { r in ["v\(b * 5 + r)"] } }

  func run(_ steps: [any DecantCore.Operation], workers: Int) throws -> RunResult {
    let recipe = Recipe(steps: steps.map { Step(operation: $0) })
    let pipeline = try Pipeline(recipe: recipe, inputSchema: Schema(["value"]))
    let reader = MemoryReader(columns: ["value"], batches: makeBatches(chunks, columnCount: 1))
    var rows: [[String]] = []
    var lines: [Int] = []
    var rejects: [RejectedRow] = []
    let sinks = Pipeline.Sinks(
      output: { batch in
        rows += rowsOf(batch)
        lines += batch.lines
      },
      rejectRow: { batch, r, step, reason in
        rejects.append(RejectedRow(step: step, reason: reason, line: batch.lines[r], values: []))
      })
    let counts = try pipeline.run(reader: reader, sinks: sinks, workers: workers)
    return RunResult(
      columns: pipeline.outputSchema.names, rows: rows, rejects: rejects, counts: counts, warnings: [],
      lines: lines)
  }

  func testStatefulStepsAndDeliverySeeChunksInInputOrder() throws {
    let single = try run([Jitter(), Probe(log: Log()), Jitter()], workers: 1)
    for workers in [2, 4] {
      let log = Log()
      let result = try run([Jitter(), Probe(log: log), Jitter()], workers: workers)
      XCTAssertEqual(log.all.count, 60)
      // No batch's first row is rejected, so the probe logs each batch's first line.
      XCTAssertEqual(log.all, log.all.sorted(), "the stateful step saw chunks out of order")
      XCTAssertEqual(log.all.map { ($0 - 2) / 5 }, Array(0..<60))
      XCTAssertEqual(result.lines, single.lines)
      XCTAssertEqual(result.lines, result.lines.sorted())
      XCTAssertEqual(result.rows, single.rows)
      XCTAssertEqual(result.rejects, single.rejects)
      XCTAssertEqual(result.counts, single.counts)
      assertBalances(result)
    }
    // Every 10th line rejected by the first jitter step: 30 rows of 300.
    XCTAssertEqual(single.rejects.count, 30)
    XCTAssertEqual(single.rows.count, 270)
    // The row the probe held at the end still goes through the last step.
    XCTAssertEqual(single.lines.last, 301)
  }

  func testTheEarliestFailureInInputOrderIsReported() throws {
    // Line 201 fails in a later chunk than line 151, though its chunk may get there first.
    for workers in [1, 2, 4] {
      XCTAssertThrowsError(
        try run([Jitter(failOn: [201]), Probe(log: Log()), Jitter(failOn: [151])], workers: workers)
      ) { error in
        XCTAssertEqual((error as? DataError)?.line, 151, "workers: \(workers)")
      }
    }
  }
}
