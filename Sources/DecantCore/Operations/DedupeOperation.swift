/// Removes repeated rows, keeping the first (or the last) row of each key; kept
/// rows stay in input order.
///
/// The key is the listed columns (all columns when none are listed); null cells
/// compare equal to each other. Memory grows with the number of distinct keys
/// only (their bytes plus about 5 bytes each, and an 8-byte slot per key at
/// 3/4 load at most; `last` adds 8 bytes per key); time is one hash per row.
/// `keep: last` reads the input twice: a first pass finds each key's last row.
public struct DedupeOperation: Operation {
  public enum Keep: String, Sendable, CaseIterable {
    case first
    case last
  }

  public static let descriptor = OperationDescriptor(
    name: "dedupe", summary: "remove repeated rows, keeping the first (or last) of each key",
    parameters: [
      ParameterDescriptor(
        "columns", .columns, default: "[] (whole row)", "the key columns; empty or absent: the whole row"),
      ParameterDescriptor(
        "keep", .choice(Keep.allCases.map(\.rawValue)), default: "first",
        "which row of each key to keep (last: the input is read twice)"),
    ])

  public let columns: [String]
  public let keep: Keep

  public init(columns: [String] = [], keep: Keep = .first) {
    self.columns = columns
    self.keep = keep
  }

  public init(from fields: inout StepFields) throws(RecipeError) {
    columns = try fields.columns("columns", required: false) ?? []
    keep = try fields.choice("keep", default: Keep.first)
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    [("columns", .array(columns.map { .string($0) })), ("keep", .string(keep.rawValue))]
  }

  public var summary: String {
    (columns.isEmpty ? "dedupe whole rows" : "dedupe " + columns.map(Quoting.name).joined(separator: ", "))
      + (keep == .last ? ", keeping the last" : "")
  }

  public func plan(_ input: Schema) throws -> Schema {
    let missing = columns.filter { input.index(of: $0) == nil }
    if !missing.isEmpty { throw PlanError.missing(missing, in: input, field: "columns") }
    return input
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    let indexes = keyColumns(input)
    if keep == .last {
      return KeepLast(keyColumns: indexes, nulls: context.nullValues, lastRows: statistics as! LastRows)
    }
    return Transform(keyColumns: indexes, nulls: context.nullValues)
  }

  private func keyColumns(_ input: Schema) -> [Int] {
    columns.isEmpty ? Array(0..<input.count) : columns.map { input.index(of: $0)! }
  }

  public func makeStatisticsCollector(input: Schema, context: StepContext) -> StatisticsCollector? {
    keep == .last ? LastRows(keyColumns: keyColumns(input), nulls: context.nullValues) : nil
  }

  /// The first pass of `keep: last`: each key's last matching row, counted
  /// among every row that reaches the step.
  final class LastRows: StatisticsCollector {
    let keyColumns: [Int]
    let nulls: NullValues
    var seen = ByteKeySet(capacity: 1 << 16, tracksIndexes: false)
    /// Per key entry: the ordinal of its last row.
    var last: [Int] = []
    var lastNull = -1
    var rows = 0

    init(keyColumns: [Int], nulls: NullValues) {
      self.keyColumns = keyColumns
      self.nulls = nulls
    }

    func collect(_ batch: Batch, scope: RowScope) {
      let keys = Keys(batch, keyColumns: keyColumns, nulls: nulls)
      keys.forEachKey(batch) { r, key, hash in
        if scope.contains(r) {
          if let key {
            let entry = seen.findOrInsert(key, hash: hash).index
            if entry == last.count { last.append(rows + r) } else { last[entry] = rows + r }
          } else {
            lastNull = rows + r
          }
        }
      }
      rows += batch.rowCount
    }
  }

  /// The writing pass of `keep: last`: a matching row stays when it is its
  /// key's last. Counts rows across batches, so it takes them in order.
  final class KeepLast: StepTransform {
    let keyColumns: [Int]
    let nulls: NullValues
    let lastRows: LastRows
    var rows = 0

    init(keyColumns: [Int], nulls: NullValues, lastRows: LastRows) {
      self.keyColumns = keyColumns
      self.nulls = nulls
      self.lastRows = lastRows
    }

    func prepare(_ batch: Batch) -> AnyObject? { Keys(batch, keyColumns: keyColumns, nulls: nulls) }

    func process(
      _ batch: inout Batch, scope: RowScope, prepared: AnyObject?, rejections: inout [RowRejection]
    ) throws -> Int {
      let keys = (prepared as? Keys) ?? Keys(batch, keyColumns: keyColumns, nulls: nulls)
      var keep = [Bool](repeating: true, count: batch.rowCount)
      var removed = 0
      let first = rows
      keys.forEachKey(batch) { r, key, _ in
        guard scope.contains(r) else { return }
        let lastRow =
          key.map { k in lastRows.seen.find(k).map { lastRows.last[$0] } ?? -1 } ?? lastRows.lastNull
        if lastRow != first + r {
          keep[r] = false
          removed += 1
        }
      }
      rows += batch.rowCount
      if removed > 0 { batch.keepRows(keep) }
      return removed
    }
  }

  /// Each row's key of one batch, hashed: what `prepare` computes on any worker.
  final class Keys {
    /// With several key columns, the cells joined (each with its length; a null
    /// marks itself with a length no real cell can have) and each row's bounds.
    var joined: [UInt8] = []
    var bounds: [Int] = []
    /// With one key column, the rows whose key is null (a key of its own).
    var nullRow: [Bool] = []
    var hashes: [UInt64] = []
    let single: Bool
    let keyColumn: Int

    /// Builds and hashes every row's key; reads no state, so it runs in parallel.
    init(_ batch: Batch, keyColumns: [Int], nulls: NullValues) {
      let rows = batch.rowCount
      single = keyColumns.count == 1
      keyColumn = keyColumns[0]
      hashes = [UInt64](repeating: 0, count: rows)
      let keyCells = keyColumns.map { batch.columns[$0] }
      batch.arena.withUnsafeBufferPointer { arena in
        if keyCells.count == 1 {
          let cells = keyCells[0]
          nullRow = [Bool](repeating: false, count: rows)
          for r in 0..<rows {
            let cell = cells[r]
            if nulls.isNull(cell, arena: arena) {
              nullRow[r] = true
            } else {
              hashes[r] = ByteKeySet.hash(UnsafeBufferPointer(rebasing: arena[Int(cell.start)..<cell.end]))
            }
          }
          return
        }
        var joined: [UInt8] = []
        var bounds = [Int](repeating: 0, count: rows + 1)
        for r in 0..<rows {
          for cells in keyCells {
            let cell = cells[r]
            if nulls.isNull(cell, arena: arena) {
              joined.append(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF])
              continue
            }
            let n = UInt32(cell.length)
            joined.append(UInt8(truncatingIfNeeded: n))
            joined.append(UInt8(truncatingIfNeeded: n >> 8))
            joined.append(UInt8(truncatingIfNeeded: n >> 16))
            joined.append(UInt8(truncatingIfNeeded: n >> 24))
            joined.append(contentsOf: UnsafeBufferPointer(rebasing: arena[Int(cell.start)..<cell.end]))
          }
          bounds[r + 1] = joined.count
        }
        joined.withUnsafeBufferPointer { j in
          for r in 0..<rows {
            hashes[r] = ByteKeySet.hash(UnsafeBufferPointer(rebasing: j[bounds[r]..<bounds[r + 1]]))
          }
        }
        self.joined = joined
        self.bounds = bounds
      }
    }

    /// Calls `body` with each row, its key bytes (nil: a one-column key that is
    /// null) and the key's hash.
    func forEachKey(_ batch: Batch, _ body: (Int, UnsafeBufferPointer<UInt8>?, UInt64) -> Void) {
      let cells = single ? batch.columns[keyColumn] : []
      batch.arena.withUnsafeBufferPointer { arena in
        joined.withUnsafeBufferPointer { joined in
          for r in 0..<hashes.count {
            if single {
              if nullRow[r] {
                body(r, nil, 0)
              } else {
                let cell = cells[r]
                body(r, UnsafeBufferPointer(rebasing: arena[Int(cell.start)..<cell.end]), hashes[r])
              }
            } else {
              body(r, UnsafeBufferPointer(rebasing: joined[bounds[r]..<bounds[r + 1]]), hashes[r])
            }
          }
        }
      }
    }
  }

  final class Transform: StepTransform {
    let keyColumns: [Int]
    let nulls: NullValues
    var seen = ByteKeySet(capacity: 1 << 16, tracksIndexes: false)
    var seenNull = false

    init(keyColumns: [Int], nulls: NullValues) {
      self.keyColumns = keyColumns
      self.nulls = nulls
    }

    func expectRows(_ rows: Int) {
      // Cap the up-front table (8 bytes per slot) at 64M keys; beyond that it grows as needed.
      seen.reserve(min(rows, 1 << 26))
    }

    /// Builds and hashes every row's key; reads no state, so it runs in parallel.
    func prepare(_ batch: Batch) -> AnyObject? { Keys(batch, keyColumns: keyColumns, nulls: nulls) }

    func process(
      _ batch: inout Batch, scope: RowScope, prepared: AnyObject?, rejections: inout [RowRejection]
    ) throws -> Int {
      let keys = (prepared as? Keys) ?? Keys(batch, keyColumns: keyColumns, nulls: nulls)
      let rows = batch.rowCount
      var keepFlags = [Bool](repeating: true, count: rows)
      var removed = 0
      let single = keyColumns.count == 1
      let keyCells = single ? batch.columns[keyColumns[0]] : []
      // Work on local copies of the state (moved, not copied) so the loop pays no
      // exclusivity checks on class properties.
      var seen = ByteKeySet(capacity: 0, tracksIndexes: false)
      swap(&seen, &self.seen)
      var seenNull = self.seenNull
      defer {
        swap(&seen, &self.seen)
        self.seenNull = seenNull
      }
      let hashes = keys.hashes
      let nullRow = keys.nullRow
      let bounds = keys.bounds
      batch.arena.withUnsafeBufferPointer { arena in
        keys.joined.withUnsafeBufferPointer { joined in
          func keyBytes(_ r: Int) -> UnsafeBufferPointer<UInt8> {
            if !single { return UnsafeBufferPointer(rebasing: joined[bounds[r]..<bounds[r + 1]]) }
            let cell = keyCells[r]
            return UnsafeBufferPointer(rebasing: arena[Int(cell.start)..<cell.end])
          }
          // The slots of keys a little ahead are already on their way from memory:
          // in a large table every new key is a cache miss.
          let ahead = 12
          for r in 0..<min(ahead, rows) { seen.prefetch(hash: hashes[r]) }
          for r in 0..<rows {
            if r + ahead < rows { seen.prefetch(hash: hashes[r + ahead]) }
            // Rows outside the step's `where` pass and do not count as seen keys.
            if !scope.contains(r) { continue }
            let isNew: Bool
            if single && nullRow[r] {
              isNew = !seenNull
              seenNull = true
            } else {
              isNew = seen.findOrInsert(keyBytes(r), hash: hashes[r]).inserted
            }
            if !isNew {
              keepFlags[r] = false
              removed += 1
            }
          }
        }
      }
      if removed > 0 { batch.keepRows(keepFlags) }
      return removed
    }
  }
}

extension DedupeOperation {
  /// A row is removed when an earlier (or, keeping the last, a later) row that
  /// reaches the step with it in scope has the same key; null cells are one key.
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    let key = (columns.isEmpty ? sql.input.names : columns).map { sql.value(sql.column($0)) }
    let window = sql.over(partitionBy: key, scoped: true, descending: keep == .last)
    let rank = sql.window("row_number() OVER (\(window))")
    sql.remove(when: "\(rank) > 1")
  }
}

// MARK: DataBrew

extension DedupeOperation {
  /// Whole rows: DELETE_DUPLICATE_ROWS; one key column: REMOVE_DUPLICATES. Both
  /// keep the first occurrence.
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    guard keep == .first else {
      throw brew.refuse(
        "DataBrew keeps the first of repeated rows; keep: last has no counterpart", field: "keep")
    }
    switch columns.count {
    case 0: try brew.add("DELETE_DUPLICATE_ROWS")
    case 1: try brew.add("REMOVE_DUPLICATES", [("sourceColumn", columns[0])])
    default:
      throw brew.refuse(
        "DataBrew's REMOVE_DUPLICATES takes one column; a key of \(columns.count) columns has no counterpart "
          + "(merge them into one key column first)", field: "columns")
    }
  }

  public static let dataBrewImport: DataBrewImport? = DataBrewImport(
    operations: ["DELETE_DUPLICATE_ROWS", "REMOVE_DUPLICATES"], conditionsAsWhere: false
  ) { action throws(DataBrewGap) in
    let columns = action.operation == "REMOVE_DUPLICATES" ? [try action.string("sourceColumn")] : []
    return try action.decant(
      Self.self, [("columns", .array(columns.map { .string($0) })), ("keep", .string("first"))])
  }
}
