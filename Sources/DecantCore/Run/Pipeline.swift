import Foundation

/// Runs a recipe's enabled steps over a stream of batches: the same code for a
/// workbench preview and for a full replay.
///
/// Steps that need whole-input statistics (fill_null mean/median/mode) get a
/// first pass each, over the data as it reaches them, before the pass that
/// writes. Memory is one batch per step plus what stateful steps keep.
public final class Pipeline {
  public let recipe: Recipe
  public let inputSchema: Schema
  /// The schema after each enabled step (index 0: the input).
  public let schemas: [Schema]
  private let steps: [(number: Int, step: Step)]
  private let nullValues: NullValues
  private var statistics: [Int: StatisticsCollector] = [:]
  public private(set) var warnings: [String] = []

  /// Plans the recipe against the input's columns. Throws `PlanError` (missing
  /// columns) or `RecipeError` (clashes) before any row is read.
  public init(recipe: Recipe, inputSchema: Schema) throws {
    self.recipe = recipe
    self.inputSchema = inputSchema
    self.steps = recipe.enabledSteps
    self.schemas = try recipe.plan(inputSchema)
    self.nullValues = NullValues(recipe.input.nullValues)
  }

  public var outputSchema: Schema { schemas.last! }

  /// Called after each input chunk with bytes read and total bytes (when known).
  public typealias Progress = (_ bytesRead: Int, _ totalBytes: Int?) -> Void

  private func context(_ i: Int) -> StepContext {
    StepContext(number: steps[i].number, op: steps[i].step.op, nullValues: nullValues)
  }

  /// Runs the first passes that statistics steps need. `open` must return a new
  /// reader at the first row each time.
  public func prepare(open: () throws -> RowReader, progress: Progress? = nil) throws {
    for i in steps.indices where statistics[i] == nil {
      guard
        let collector = steps[i].step.operation.makeStatisticsCollector(
          input: schemas[i], context: context(i))
      else { continue }
      let transforms = try makeTransforms(upTo: i)
      let reader = try open()
      while let chunk = try reader.next() {
        var batch = chunk.batch
        var rejections: [RowRejection] = []
        for k in 0..<i {
          rejections.removeAll(keepingCapacity: true)
          _ = try transforms[k].process(&batch, rejections: &rejections)
          drop(rejections, from: &batch)
        }
        collector.collect(batch)
        progress?(reader.bytesRead, reader.totalBytes)
      }
      // Rows a prefix step held back still reach this step.
      for k in 0..<i {
        guard var held = try transforms[k].finish() else { continue }
        for j in (k + 1)..<i {
          var rejections: [RowRejection] = []
          _ = try transforms[j].process(&held, rejections: &rejections)
          drop(rejections, from: &held)
        }
        collector.collect(held)
      }
      statistics[i] = collector
      if let c = collector as? ColumnStatistics { warnings += c.warnings }
    }
  }

  private func makeTransforms(upTo end: Int) throws -> [StepTransform] {
    try (0..<end).map { i in
      try steps[i].step.operation.makeTransform(
        input: schemas[i], context: context(i), statistics: statistics[i])
    }
  }

  private func drop(_ rejections: [RowRejection], from batch: inout Batch) {
    guard !rejections.isEmpty else { return }
    var keep = [Bool](repeating: true, count: batch.rowCount)
    for r in rejections { keep[r.row] = false }
    batch.keepRows(keep)
  }

  /// Where a run's rows go.
  public struct Sinks {
    /// Receives every output batch (nil: rows are counted only).
    public var output: ((Batch) throws -> Void)?
    /// Receives each rejected row: the batch, the row, step label, reason.
    public var rejectRow: ((Batch, Int, String, String) throws -> Void)?
    public var rejectRecord: ((RejectedRecord) throws -> Void)?

    public init(
      output: ((Batch) throws -> Void)? = nil,
      rejectRow: ((Batch, Int, String, String) throws -> Void)? = nil,
      rejectRecord: ((RejectedRecord) throws -> Void)? = nil
    ) {
      self.output = output
      self.rejectRow = rejectRow
      self.rejectRecord = rejectRecord
    }
  }

  /// The writing pass: reads every chunk, runs every step, sends rows to the sinks.
  /// Returns counts for reading (step 0) and each enabled step.
  public func run(reader: RowReader, sinks: Sinks, progress: Progress? = nil) throws -> [StepCounts] {
    var counts = [StepCounts(number: 0, op: "read", summary: "read")]
    for (number, step) in steps {
      counts.append(StepCounts(number: number, op: step.op, summary: step.operation.summary))
    }
    let transforms = try makeTransforms(upTo: steps.count)
    let labels = steps.map { "\($0.number) \($0.step.op)" }

    func push(_ batch: inout Batch, from first: Int) throws {
      for i in first..<steps.count {
        let before = batch.rowCount
        var rejections: [RowRejection] = []
        let removed = try transforms[i].process(&batch, rejections: &rejections)
        if !rejections.isEmpty {
          for r in rejections { try sinks.rejectRow?(batch, r.row, labels[i], r.reason) }
          drop(rejections, from: &batch)
        }
        counts[i + 1].rowsIn += before
        counts[i + 1].rowsRemoved += removed
        counts[i + 1].rowsRejected += rejections.count
        counts[i + 1].rowsOut += batch.rowCount
        if batch.rowCount == 0 && i + 1 < steps.count { return }
      }
      if batch.rowCount > 0 { try sinks.output?(batch) }
    }

    var hinted = false
    while let chunk = try reader.next() {
      if !hinted, let total = reader.totalBytes, reader.bytesRead > 0, chunk.batch.rowCount > 0 {
        // Rows per byte of the first block, times the file size.
        hinted = true
        let estimate =
          Double(total) / Double(reader.bytesRead) * Double(chunk.batch.rowCount + chunk.rejects.count)
        for t in transforms { t.expectRows(Int(min(estimate * 1.05, Double(Int32.max)))) }
      }
      for record in chunk.rejects { try sinks.rejectRecord?(record) }
      var batch = chunk.batch
      counts[0].rowsIn += batch.rowCount + chunk.rejects.count
      counts[0].rowsRejected += chunk.rejects.count
      counts[0].rowsOut += batch.rowCount
      try push(&batch, from: 0)
      progress?(reader.bytesRead, reader.totalBytes)
    }
    for i in steps.indices {
      guard var held = try transforms[i].finish() else { continue }
      counts[i + 1].rowsOut += held.rowCount
      if i + 1 < steps.count {
        try push(&held, from: i + 1)
      } else if held.rowCount > 0 {
        try sinks.output?(held)
      }
    }
    return counts
  }

  /// Column names of the input that differ from the recipe's saved header, as warnings.
  public static func drift(saved: [String]?, actual: Schema) -> [String] {
    guard let saved, saved != actual.names else { return [] }
    var out: [String] = []
    let missing = saved.filter { !actual.names.contains($0) }
    let extra = actual.names.filter { !saved.contains($0) }
    if !missing.isEmpty {
      out.append(
        "the input lacks columns the recipe was saved with: "
          + missing.map { "\"\($0)\"" }.joined(separator: ", "))
    }
    if !extra.isEmpty {
      out.append(
        "the input has columns the recipe was not saved with: "
          + extra.map { "\"\($0)\"" }.joined(separator: ", "))
    }
    if missing.isEmpty && extra.isEmpty {
      out.append("the input's columns are in a different order than when the recipe was saved")
    }
    return out
  }
}
