/// What a step's cell logic did with one value.
public enum CellOutcome {
  /// The cell keeps its bytes.
  case unchanged
  /// New bytes were appended to the output buffer.
  case written
  /// The cell becomes null.
  case null
  /// The value cannot be handled; the step's `on_error` decides.
  case failed(String)
  /// The row goes to the rejects file whatever `on_error` says (`map_values`
  /// with `unmapped: reject`).
  case reject(String)
}

/// The cell logic of an operation that rewrites the cells of some columns
/// (trim, change_case, replace, map_values): one value in, one out.
///
/// `CellRewriteTransform` does everything around it: the scope (`where`), null
/// cells, the UTF-8 check for rules that read text, `on_error`, rejects, and
/// putting the new bytes in the batch's arena once per batch.
public protocol CellRule: AnyObject {
  /// Rewrites one non-null cell of column `k` (the k-th of the step's columns).
  /// New bytes go to the end of `out`, and the result is `.written`.
  func rewrite(_ value: UnsafeBufferPointer<UInt8>, column k: Int, into out: ByteBuffer) -> CellOutcome

  /// True when the new bytes of a cell read as plain (no quote, control byte or
  /// `delimiter`) were plain too, so the CSV writer may copy them without a look.
  func keepsPlain(delimiter: UInt8) -> Bool

  /// What the cells the rule passes are for JSON output: true, numbers or
  /// booleans written unquoted (`cast` to integer, decimal, boolean; `round`);
  /// false, text. nil (the default): written cells are text and unchanged
  /// cells keep what they were.
  var jsonLiterals: Bool? { get }
}

extension CellRule {
  public func keepsPlain(delimiter: UInt8) -> Bool { false }
  public var jsonLiterals: Bool? { nil }
}

/// Runs a `CellRule` over the cells of some columns, for the rows in scope.
/// Batches are independent; memory is one output buffer reused from batch to batch.
public final class CellRewriteTransform<Rule: CellRule>: StepTransform {
  let columns: [Int]
  let names: [String]
  let rule: Rule
  let readsText: Bool
  let onError: OnError
  let context: StepContext
  private let output = ByteBuffer(capacity: 1 << 16)
  public var batchesAreIndependent: Bool { true }
  public private(set) var cellsChanged = 0

  /// `columns` are positions in the step's input, `names` their names (for reasons);
  /// with `readsText`, a cell that is not valid UTF-8 is a value error.
  public init(
    columns: [Int], names: [String], rule: Rule, readsText: Bool, onError: OnError, context: StepContext
  ) {
    self.columns = columns
    self.names = names
    self.rule = rule
    self.readsText = readsText
    self.onError = onError
    self.context = context
  }

  public func process(
    _ batch: inout Batch, scope: RowScope, prepared: AnyObject?, rejections: inout [RowRejection]
  ) throws -> Int {
    let nulls = context.nullValues
    let output = self.output
    output.removeAll()
    let base = batch.arena.count
    let lines = batch.lines
    var failures = RowFailures(onError: onError, context: context, rows: batch.rowCount)
    let keepsPlain = batch.plainDelimiter != 0 && rule.keepsPlain(delimiter: batch.plainDelimiter)
    let validPrefix = readsText ? batch.validUTF8Prefix() : 0
    let literals = rule.jsonLiterals
    var changed = 0
    defer { cellsChanged += changed }
    for (k, c) in columns.enumerated() {
      batch.withColumn(c) { cells, arena in
        for r in 0..<cells.count where scope.contains(r) && !failures.isRejected(r) {
          let cell = cells[r]
          if nulls.isNull(cell, arena: arena) { continue }
          let value = UnsafeBufferPointer(rebasing: arena[Int(cell.start)..<cell.end])
          let start = output.count
          let outcome: CellOutcome =
            readsText && !Batch.isValidUTF8(cell, value, validPrefix: validPrefix)
            ? .failed("column \(Quoting.name(names[k])) is not valid UTF-8")
            : rule.rewrite(value, column: k, into: output)
          switch outcome {
          case .unchanged:
            if let literals, literals != cell.isJSONLiteral {
              cells[r] = Cell(
                start: Int(cell.start), length: cell.length, jsonLiteral: literals, plain: cell.isPlain)
            }
          case .written:
            changed += 1
            cells[r] = Cell(
              start: base + start, length: output.count - start, jsonLiteral: literals ?? false,
              plain: keepsPlain && cell.isPlain)
          case .null:
            changed += 1
            cells[r] = .empty
          case .failed(let reason):
            if failures.fail(row: r, line: lines[r], reason: reason) {
              changed += 1
              cells[r] = .empty
            }
          case .reject(let reason):
            failures.reject(row: r, reason: reason)
          }
        }
      }
    }
    try failures.throwFirstFailure()
    batch.arena.append(contentsOf: output.bytes)
    rejections += failures.sortedRejections
    return 0
  }
}

/// The `on_error` bookkeeping of one batch: which rows are rejected (each once,
/// however many of its cells fail), and the error that stops a run under `fail`.
struct RowFailures {
  let onError: OnError
  let context: StepContext
  private var rejected: [Bool]
  private(set) var rejections: [RowRejection] = []
  /// Under `fail`: the error of the first row (in row order) that failed, whatever
  /// order the cells were visited in.
  private var firstFailure: (row: Int, error: DataError)?

  init(onError: OnError, context: StepContext, rows: Int) {
    self.onError = onError
    self.context = context
    rejected = [Bool](repeating: false, count: rows)
  }

  /// The rejected rows in row order (cells of several columns fail in column order).
  var sortedRejections: [RowRejection] { rejections.sorted { $0.row < $1.row } }

  @inline(__always) func isRejected(_ r: Int) -> Bool { rejected[r] }

  /// Sends the row to the rejects file (once).
  mutating func reject(row r: Int, reason: String) {
    if !rejected[r] {
      rejected[r] = true
      rejections.append(RowRejection(row: r, reason: reason))
    }
  }

  /// Applies `on_error` to a failed value; returns true when the cell the step
  /// writes should become null (`on_error: null`). Under `fail`, the error is
  /// thrown by `throwFirstFailure` once the batch has been visited.
  mutating func fail(row r: Int, line: Int, reason: String) -> Bool {
    switch onError {
    case .reject:
      reject(row: r, reason: reason)
      return false
    case .null: return true
    case .keep: return false
    case .fail:
      if r < firstFailure?.row ?? Int.max {
        firstFailure = (r, DataError(reason, line: line, step: context.number, op: context.op))
      }
      return false
    }
  }

  /// Under `fail`: throws the error of the batch's first failed row, if any.
  func throwFirstFailure() throws {
    if let firstFailure { throw firstFailure.error }
  }
}
