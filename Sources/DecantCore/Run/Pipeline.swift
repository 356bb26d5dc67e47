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
        let collector = steps[i].step.makeStatisticsCollector(input: schemas[i], context: context(i))
      else { continue }
      let transforms = try makeTransforms(upTo: i)
      let reader = try open()
      while let chunk = try reader.next() {
        var batch = chunk.batch
        var rejections: [RowRejection] = []
        for k in 0..<i {
          rejections.removeAll(keepingCapacity: true)
          _ = try transforms[k].process(&batch, rejections: &rejections)
          Pipeline.drop(rejections, from: &batch)
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
          Pipeline.drop(rejections, from: &held)
        }
        collector.collect(held)
      }
      statistics[i] = collector
      warnings += collector.warnings
    }
  }

  private func makeTransforms(upTo end: Int) throws -> [StepTransform] {
    try (0..<end).map { i in
      try steps[i].step.makeTransform(input: schemas[i], context: context(i), statistics: statistics[i])
    }
  }

  /// Removes rejected rows from the batch a step returned.
  static func drop(_ rejections: [RowRejection], from batch: inout Batch) {
    guard !rejections.isEmpty else { return }
    var keep = [Bool](repeating: true, count: batch.rowCount)
    for r in rejections { keep[r.row] = false }
    batch.keepRows(keep)
  }

  /// Where a run's rows go. Every closure is called in input order, one call at a time.
  public struct Sinks {
    /// Receives every output batch (nil: rows are counted only), unless `encoder` is set.
    public var output: ((Batch) throws -> Void)?
    /// Encodes output batches on the workers, in parallel; `write` then receives
    /// the bytes of each batch in order.
    public var encoder: (any BatchEncoder)?
    public var write: ((ByteBuffer) throws -> Void)?
    /// Receives each rejected row: the batch, the row, step label, reason.
    public var rejectRow: ((Batch, Int, String, String) throws -> Void)?
    public var rejectRecord: ((RejectedRecord) throws -> Void)?

    public init(
      output: ((Batch) throws -> Void)? = nil,
      encoder: (any BatchEncoder)? = nil,
      write: ((ByteBuffer) throws -> Void)? = nil,
      rejectRow: ((Batch, Int, String, String) throws -> Void)? = nil,
      rejectRecord: ((RejectedRecord) throws -> Void)? = nil
    ) {
      self.output = output
      self.encoder = encoder
      self.write = write
      self.rejectRow = rejectRow
      self.rejectRecord = rejectRecord
    }
  }

  /// The writing pass: reads every chunk, runs every step, sends rows to the sinks.
  /// With several `workers`, chunks are processed on that many threads and the
  /// result is the same as with one (see `WritingPass`).
  /// Returns counts for reading (step 0) and each enabled step.
  public func run(reader: RowReader, sinks: Sinks, workers: Int = 1, progress: Progress? = nil) throws
    -> [StepCounts]
  {
    var counts = [StepCounts(number: 0, op: "read", summary: "read")]
    for (i, (number, step)) in steps.enumerated() {
      var c = StepCounts(number: number, op: step.op, summary: step.summary)
      c.computed =
        statistics[i]?.computed.map { StepCounts.Computed(column: $0.column, value: $0.value) } ?? []
      counts.append(c)
    }
    let pass = try WritingPass(
      reader: reader, sinks: sinks, labels: steps.map { "\($0.number) \($0.step.op)" }, counts: counts,
      workers: workers, progress: progress, makeTransforms: { try makeTransforms(upTo: steps.count) })
    return try pass.execute()
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
