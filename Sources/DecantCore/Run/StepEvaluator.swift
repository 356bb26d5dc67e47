/// One step applied to a whole in-memory table (a workbench sample): the same
/// operation code a replay runs, with its statistics taken over that table.
public struct StepOutcome: Sendable {
  /// The table after the step (rejected rows dropped).
  public var batch: Batch
  public var schema: Schema
  public var counts: StepCounts
  /// Rows the step rejected: their line, reason and cells as they reached the step.
  public var rejected: [(line: Int, reason: String)]
  /// Lines of the rows the step removed by design (dedupe).
  public var removedLines: [Int]
  public var warnings: [String]
}

public enum StepEvaluator {
  /// Applies `step` (numbered `number` in the recipe) to `input`. A disabled step
  /// passes the table through. Throws `PlanError`/`RecipeError` when the step does
  /// not fit `schema`, and `DataError` under `on_error: fail`.
  public static func apply(
    _ step: Step, number: Int, to input: Batch, schema: Schema, nullValues: NullValues
  ) throws -> StepOutcome {
    var counts = StepCounts(number: number, op: step.op, summary: step.summary)
    counts.rowsIn = input.rowCount
    guard step.enabled else {
      counts.rowsOut = input.rowCount
      return StepOutcome(
        batch: input, schema: schema, counts: counts, rejected: [], removedLines: [], warnings: [])
    }
    let output = try step.plan(schema, number: number)
    let context = StepContext(number: number, op: step.op, nullValues: nullValues)
    var warnings: [String] = []
    let collector = step.makeStatisticsCollector(input: schema, context: context)
    if let collector {
      collector.collect(input)
      warnings += collector.warnings
    }
    let transform = try step.makeTransform(input: schema, context: context, statistics: collector)
    var batch = input
    var rejections: [RowRejection] = []
    counts.rowsRemoved = try transform.process(&batch, rejections: &rejections)
    var rejected: [(line: Int, reason: String)] = []
    if !rejections.isEmpty {
      var keep = [Bool](repeating: true, count: batch.rowCount)
      for r in rejections {
        keep[r.row] = false
        rejected.append((batch.lines[r.row], r.reason))
      }
      batch.keepRows(keep)
    }
    if let held = try transform.finish() { batch.appendRows(of: held) }
    counts.rowsRejected = rejected.count
    counts.ruleViolations = transform.flagged
    counts.tallies = transform.tallies
    counts.cellsChanged = transform.cellsChanged
    counts.computed =
      collector?.computed.map { StepCounts.Computed(column: $0.column, value: $0.value) } ?? []
    counts.rowsOut = batch.rowCount
    var removedLines: [Int] = []
    if counts.rowsRemoved > 0 {
      let kept = Set(batch.lines).union(rejected.map(\.line))
      removedLines = input.lines.filter { !kept.contains($0) }
    }
    return StepOutcome(
      batch: batch, schema: output, counts: counts, rejected: rejected, removedLines: removedLines,
      warnings: warnings)
  }
}
