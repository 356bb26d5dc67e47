/// One kind of recipe step. Each operation is one type, in one file, listed once
/// in `OperationRegistry`.
///
/// An operation is a validated value decoded from the recipe. It plans its
/// output schema from its input schema (so a recipe is checked against a file's
/// header before any row is read) and makes a fresh `StepTransform` for each
/// pass over the data.
public protocol Operation: Sendable {
  static var descriptor: OperationDescriptor { get }

  /// Decodes and validates the step's parameters.
  init(from fields: inout StepFields) throws(RecipeError)

  /// The parameters as they are written back to a recipe file, in a stable order.
  func encodedParameters() -> [(String, JSONValue)]

  /// The schema after this step. Throws `PlanError` for missing columns and
  /// `RecipeError` for clashes.
  func plan(_ input: Schema) throws -> Schema

  /// A one-line description for summaries (`dedupe event_id`).
  var summary: String { get }

  /// The operation with the files it names (a lookup's reference) found relative
  /// to `directory`, the recipe file's (the recipe keeps them as written).
  func resolvingFiles(relativeTo directory: String) -> Self

  /// A collector for statistics this step needs over the whole input before it
  /// can run (fill_null mean, median, mode), or nil.
  func makeStatisticsCollector(input: Schema, context: StepContext) -> StatisticsCollector?

  /// The step as SQL for an exported job (`decant export`): what it does to the
  /// columns and rows of the view before it, in `sql`'s terms. Throws, naming the
  /// reason, when no exported job could give the same result (never an
  /// approximation).
  func export(_ sql: inout StepSQL) throws(ExportRefusal)

  /// The step as AWS Glue DataBrew recipe steps (`decant export --to databrew`):
  /// the actions that give the same result, added to `brew`. Throws, naming the
  /// reason, when DataBrew has none (never an approximation).
  func export(_ brew: inout DataBrewExport) throws(ExportRefusal)

  /// How `decant import databrew` reads DataBrew steps as this operation: the
  /// DataBrew operations it accepts and the reader; nil when no DataBrew
  /// operation means the same.
  static var dataBrewImport: DataBrewImport? { get }

  /// A transform for one pass, given the statistics collected for it (if any).
  func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
}

extension Operation {
  public func resolvingFiles(relativeTo directory: String) -> Self { self }
  public func makeStatisticsCollector(input: Schema, context: StepContext) -> StatisticsCollector? { nil }
  public var name: String { Self.descriptor.name }
}

/// What a step knows about its place in the run.
public struct StepContext: Sendable {
  /// 1-based step number in the recipe.
  public var number: Int
  public var op: String
  public var nullValues: NullValues

  public init(number: Int, op: String, nullValues: NullValues) {
    self.number = number
    self.op = op
    self.nullValues = nullValues
  }
}

/// A row a step could not handle and sends to the rejects file.
public struct RowRejection: Sendable, Equatable {
  /// Row index in the batch the step returns.
  public var row: Int
  public var reason: String

  public init(row: Int, reason: String) {
    self.row = row
    self.reason = reason
  }
}

/// The rows of a batch a step acts on: every row, or those its `where` holds for.
/// Rows outside the scope pass the step unchanged (columns the step adds are
/// null on them).
public struct RowScope: Sendable {
  /// One flag per row; nil: every row.
  public let mask: [Bool]?

  public static let all = RowScope(mask: nil)

  public init(mask: [Bool]?) { self.mask = mask }

  @inline(__always) public func contains(_ row: Int) -> Bool { mask?[row] ?? true }

  public var isAll: Bool { mask == nil }

  /// The scope of the rows `range` (for rows a step holds back).
  public func slice(_ range: Range<Int>) -> RowScope { RowScope(mask: mask.map { Array($0[range]) }) }
}

/// Applies one step to a stream of batches. Stateful transforms (dedupe,
/// fill_null previous/next) keep their state across batches.
public protocol StepTransform: AnyObject {
  /// Transforms the rows of `batch` in `scope`, in place. Rows the step removes by
  /// design are dropped from the batch and counted in the return value; rows that
  /// fail are left in the batch and listed in `rejections` (the pipeline moves them
  /// to the rejects file). A transform may hold rows back and return them from a
  /// later call or from `finish()`. `prepared` is what `prepare` returned for this
  /// batch. Throws `DataError` under `on_error: fail`.
  func process(_ batch: inout Batch, scope: RowScope, prepared: AnyObject?, rejections: inout [RowRejection])
    throws -> Int

  /// Rows held back until the end of input, if any.
  func finish() throws -> Batch?

  /// A hint, early in a run, of how many rows the input holds (from its size), so
  /// stateful steps can size their tables once.
  func expectRows(_ rows: Int)

  /// True when a batch's result depends on that batch alone, so separate
  /// instances can process different batches at the same time. Caches are fine;
  /// values or rows carried from one batch to the next are not.
  var batchesAreIndependent: Bool { get }

  /// The part of a stateful step's work that reads one batch and no state
  /// (hashing dedupe keys). The pipeline may call it on any worker, for several
  /// batches at once, and then hands the result to `process` in the batch's turn.
  /// nil: nothing to prepare.
  func prepare(_ batch: Batch) -> AnyObject?

  /// Rows the step let through but flagged so far (`validate` with `on_error:
  /// keep`: rule violations), over every batch this instance processed.
  var flagged: Int { get }

  /// Counts of the step's own, by name, over every batch this instance
  /// processed (`lookup`: `matched` and `unmatched` rows), for the run summary,
  /// the report (`rows_NAME`) and the workbench.
  var tallies: [String: Int] { get }

  /// Cells the step wrote so far (changed values, filled nulls, new cells that
  /// are not null), over every batch this instance processed.
  var cellsChanged: Int { get }
}

extension StepTransform {
  public func finish() throws -> Batch? { nil }
  public func expectRows(_ rows: Int) {}
  public var batchesAreIndependent: Bool { false }
  public func prepare(_ batch: Batch) -> AnyObject? { nil }
  public var flagged: Int { 0 }
  public var tallies: [String: Int] { [:] }
  public var cellsChanged: Int { 0 }

  /// Processes every row of a batch, preparing it first.
  public func process(_ batch: inout Batch, rejections: inout [RowRejection]) throws -> Int {
    try process(&batch, scope: .all, prepared: prepare(batch), rejections: &rejections)
  }
}

/// Accumulates whole-input statistics for a step in a first pass.
public protocol StatisticsCollector: AnyObject {
  /// One batch as it reaches the step, in input order; `scope` holds the rows
  /// the step's `where` matches (statistics that ignore it may).
  func collect(_ batch: Batch, scope: RowScope)
  /// Warnings for the run summary.
  var warnings: [String] { get }
  /// What the pass computed, per column, as the summary shows it (`median of dep_delay: -2`).
  var computed: [(column: String, value: String)] { get }
}

extension StatisticsCollector {
  public func collect(_ batch: Batch) { collect(batch, scope: .all) }
  public var warnings: [String] { [] }
  public var computed: [(column: String, value: String)] { [] }
}
