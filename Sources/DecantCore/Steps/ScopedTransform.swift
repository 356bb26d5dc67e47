/// A step's transform limited by its `where`: the condition is evaluated on each
/// batch as it reaches the step, and the step acts on the matching rows only.
/// This is the one place `where` is applied; the shared mechanisms
/// (`CellRewriteTransform`, `ColumnAdditionTransform`) and the stateful steps
/// honour the scope they are given.
final class ScopedTransform: StepTransform {
  let inner: StepTransform
  let condition: ConditionEvaluator

  init(inner: StepTransform, condition: ConditionEvaluator) {
    self.inner = inner
    self.condition = condition
  }

  var batchesAreIndependent: Bool { inner.batchesAreIndependent }
  func prepare(_ batch: Batch) -> AnyObject? { inner.prepare(batch) }
  func expectRows(_ rows: Int) { inner.expectRows(rows) }
  func finish() throws -> Batch? { try inner.finish() }
  var flagged: Int { inner.flagged }
  var tallies: [String: Int] { inner.tallies }
  var cellsChanged: Int { inner.cellsChanged }

  func process(_ batch: inout Batch, scope: RowScope, prepared: AnyObject?, rejections: inout [RowRejection])
    throws -> Int
  {
    var mask = condition.evaluate(&batch)
    if let outer = scope.mask { for r in mask.indices { mask[r] = mask[r] && outer[r] } }
    let scope = mask.contains(false) ? RowScope(mask: mask) : .all
    return try inner.process(&batch, scope: scope, prepared: prepared, rejections: &rejections)
  }
}

/// A step's statistics collector told which rows its `where` matches.
final class ScopedCollector: StatisticsCollector {
  let inner: StatisticsCollector
  let condition: ConditionEvaluator

  init(inner: StatisticsCollector, condition: ConditionEvaluator) {
    self.inner = inner
    self.condition = condition
  }

  var warnings: [String] { inner.warnings }
  var computed: [(column: String, value: String)] { inner.computed }

  func collect(_ batch: Batch, scope: RowScope) {
    var batch = batch
    var mask = condition.evaluate(&batch)
    if let outer = scope.mask { for r in mask.indices { mask[r] = mask[r] && outer[r] } }
    inner.collect(batch, scope: mask.contains(false) ? RowScope(mask: mask) : .all)
  }
}
