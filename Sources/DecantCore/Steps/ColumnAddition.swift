/// A new cell made by a `ColumnRule`: a byte range in the rule's output buffer,
/// a part of a source cell (no bytes copied), or null.
public struct NewCell: Sendable {
  /// An offset in the output buffer, or the address of a source cell's bytes.
  public var start: Int
  /// -1 for null.
  public var length: Int
  /// `start` is the address of bytes of a source value (in the batch's arena).
  public var inSource = false
  /// The bytes are a JSON literal (a number or boolean), written unquoted to JSON Lines.
  public var jsonLiteral = false

  public static let null = NewCell(start: 0, length: -1)

  public init(start: Int, length: Int) {
    self.start = start
    self.length = length
  }

  /// The bytes appended to `out` since `start`.
  @inline(__always)
  public static func written(since start: Int, in out: ByteBuffer, jsonLiteral: Bool = false) -> NewCell {
    var cell = NewCell(start: start, length: out.count - start)
    cell.jsonLiteral = jsonLiteral
    return cell
  }

  /// Bytes of one of the source values given to `produce` (a part of it, or all).
  @inline(__always) public static func source(_ bytes: UnsafeBufferPointer<UInt8>) -> NewCell {
    var cell = NewCell(start: Int(bitPattern: bytes.baseAddress), length: bytes.count)
    cell.inSource = true
    return cell
  }
}

/// The cell logic of an operation that adds columns computed from source
/// columns (copy, merge, split, extract).
///
/// `ColumnAdditionTransform` does everything around it: the scope (`where`:
/// new cells are null outside it), the UTF-8 check for rules that read text,
/// `on_error`, rejects, and inserting the new columns at their place.
public protocol ColumnRule: AnyObject {
  /// Makes the new cells of one row in scope. `values[i]` is the i-th source
  /// cell's bytes, nil when null. Bytes go to the end of `out`; `cells` (one per
  /// new column) start as null. Returns a reason when the row's values cannot be
  /// handled (the step's `on_error` decides), nil otherwise.
  func produce(
    _ values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>?>, into out: ByteBuffer,
    cells: UnsafeMutableBufferPointer<NewCell>
  ) -> String?

  /// True when the rule works on bytes as well as on text, so that under
  /// `on_error: keep` a value that is not valid UTF-8 still goes through it
  /// (false: the new cells are null).
  var worksOnBytes: Bool { get }

  /// True when the new cells of a row whose source cells are all plain (no quote,
  /// control byte or `delimiter`) are plain too, so the CSV writer may copy them
  /// without a look.
  func keepsPlain(delimiter: UInt8) -> Bool

  /// True when each new cell is its first source's value unchanged (copy), so it
  /// keeps that cell's kind: a JSON number or boolean stays one in JSON Lines output.
  var keepsSourceKind: Bool { get }
}

extension ColumnRule {
  public var worksOnBytes: Bool { true }
  public func keepsPlain(delimiter: UInt8) -> Bool { false }
  public var keepsSourceKind: Bool { false }
}

/// Runs a `ColumnRule` for every row and inserts its columns at `position`.
/// Batches are independent; memory is one output buffer reused from batch to batch.
public final class ColumnAdditionTransform<Rule: ColumnRule>: StepTransform {
  let sources: [Int]
  let sourceNames: [String]
  let count: Int
  let position: Int
  let rule: Rule
  let readsText: Bool
  let onError: OnError
  let context: StepContext
  private let output = ByteBuffer(capacity: 1 << 16)
  public var batchesAreIndependent: Bool { true }
  /// New cells that are not null.
  public private(set) var cellsChanged = 0

  /// `sources` are positions in the step's input; `count` new columns go in at
  /// `position` (a position in the input; `input.count` appends).
  public init(
    sources: [Int], sourceNames: [String], count: Int, position: Int, rule: Rule, readsText: Bool,
    onError: OnError, context: StepContext
  ) {
    self.sources = sources
    self.sourceNames = sourceNames
    self.count = count
    self.position = position
    self.rule = rule
    self.readsText = readsText
    self.onError = onError
    self.context = context
  }

  public func process(
    _ batch: inout Batch, scope: RowScope, prepared: AnyObject?, rejections: inout [RowRejection]
  ) throws -> Int {
    let rows = batch.rowCount
    let nulls = context.nullValues
    let output = self.output
    output.removeAll()
    var made = [NewCell](repeating: .null, count: rows * count)
    // Rows whose new cells are plain (their sources all were, and the rule keeps that).
    let keepsPlain = batch.plainDelimiter != 0 && rule.keepsPlain(delimiter: batch.plainDelimiter)
    var plain = [Bool](repeating: false, count: keepsPlain ? rows : 0)
    var failures = RowFailures(onError: onError, context: context, rows: rows)
    // The source cells side by side in one array (source i's cells at i * rows),
    // so the row loop reads one buffer.
    let sourceCount = sources.count
    var sourceCells: [Cell] = []
    sourceCells.reserveCapacity(rows * sourceCount)
    for s in sources { sourceCells += batch.columns[s] }
    let validPrefix = readsText ? batch.validUTF8Prefix() : 0
    let lines = batch.lines
    let keepsSourceKind = rule.keepsSourceKind
    let values = UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>?>.allocate(capacity: sourceCount)
    values.initialize(repeating: nil)
    defer { values.deallocate() }
    let rowValues = UnsafeBufferPointer(values)
    batch.arena.withUnsafeBufferPointer { arena in
      sourceCells.withUnsafeBufferPointer { sourceCells in
        made.withUnsafeMutableBufferPointer { made in
          let base = Int(bitPattern: arena.baseAddress)
          for r in 0..<rows where scope.contains(r) {
            var invalid: Int? = nil
            var allPlain = keepsPlain
            for i in 0..<sourceCount {
              let cell = sourceCells[i * rows + r]
              allPlain = allPlain && cell.isPlain
              if nulls.isNull(cell, arena: arena) {
                values[i] = nil
                continue
              }
              let value = UnsafeBufferPointer(rebasing: arena[Int(cell.start)..<cell.end])
              if readsText && invalid == nil && !Batch.isValidUTF8(cell, value, validPrefix: validPrefix) {
                invalid = i
              }
              values[i] = value
            }
            let cells = UnsafeMutableBufferPointer(rebasing: made[r * count..<(r + 1) * count])
            var reason: String? = nil
            if let i = invalid {
              reason = "column \(Quoting.name(sourceNames[i])) is not valid UTF-8"
              if onError == .keep && rule.worksOnBytes {
                reason = nil
                _ = rule.produce(rowValues, into: output, cells: cells)
              }
            } else {
              reason = rule.produce(rowValues, into: output, cells: cells)
            }
            if let reason {
              _ = failures.fail(row: r, line: lines[r], reason: reason)
              // Whatever `on_error` says, a failed row's new cells stay null.
              for k in 0..<count { cells[k] = .null }
            } else if keepsSourceKind && sourceCells[r].isJSONLiteral {
              for k in 0..<count where cells[k].length >= 0 { cells[k].jsonLiteral = true }
            }
            // Parts of source values become offsets in the arena.
            for k in 0..<count where cells[k].inSource { cells[k].start -= base }
            if keepsPlain { plain[r] = allPlain }
          }
        }
      }
    }
    try failures.throwFirstFailure()
    let base = batch.arena.count
    batch.arena.append(contentsOf: output.bytes)
    var newColumns: [[Cell]] = []
    newColumns.reserveCapacity(count)
    var written = 0
    defer { cellsChanged += written }
    made.withUnsafeBufferPointer { made in
      for k in 0..<count {
        newColumns.append(
          [Cell](unsafeUninitializedCapacity: rows) { out, initialized in
            for r in 0..<rows {
              let m = made[r * count + k]
              if m.length < 0 {
                out[r] = .empty
              } else {
                written += 1
                out[r] = Cell(
                  start: m.inSource ? m.start : base + m.start, length: m.length, jsonLiteral: m.jsonLiteral,
                  plain: keepsPlain && plain[r])
              }
            }
            initialized = rows
          })
      }
    }
    batch.columns.insert(contentsOf: newColumns, at: position)
    rejections += failures.sortedRejections
    return 0
  }
}

/// A `CellRule` run as a `ColumnRule`: the value the rule writes goes into a new
/// column after the source, which keeps its own (the `to` of format_date). So an
/// operation that rewrites in place and one that adds a column share one rule.
///
/// A value the rule leaves unchanged is copied; a value it cannot handle (a
/// `.failed` or `.reject` outcome) is a value error under the step's `on_error`,
/// and its new cell is null whatever `on_error` says (the source keeps the value).
public final class CellRuleAddition<Rule: CellRule>: ColumnRule {
  let rule: Rule

  public init(_ rule: Rule) { self.rule = rule }

  /// A value the rule could not read as text leaves the new cell null, also under `keep`.
  public var worksOnBytes: Bool { false }

  public func produce(
    _ values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>?>, into out: ByteBuffer,
    cells: UnsafeMutableBufferPointer<NewCell>
  ) -> String? {
    guard let value = values[0] else { return nil }
    let start = out.count
    switch rule.rewrite(value, column: 0, into: out) {
    case .unchanged: cells[0] = .source(value)
    case .written: cells[0] = .written(since: start, in: out)
    case .null: break
    case .failed(let reason), .reject(let reason):
      out.truncate(to: start)
      return reason
    }
    return nil
  }

  public func keepsPlain(delimiter: UInt8) -> Bool { rule.keepsPlain(delimiter: delimiter) }
}
