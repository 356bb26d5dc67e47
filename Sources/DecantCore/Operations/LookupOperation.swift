import Foundation

/// Enriches rows from a reference table: the row's key (one or more columns,
/// compared as text) is looked up in a reference file, and the reference's
/// columns are added at the end. A null key part never matches. Rows without a
/// match get nulls, are removed, or are rejected (`unmatched`); rows outside
/// `where` get nulls and are never removed or rejected.
///
/// The reference is read, keyed and checked when the recipe is planned, before
/// any input row: a missing file is an I/O error (exit 4), a missing key
/// column or a repeated key under `duplicate_keys: error` a plan error (exit 3).
/// Memory: the reference's keys and added values (at most its size) plus about
/// 24 bytes per reference row; each input row costs one hash probe.
public struct LookupOperation: Operation {
  public enum Unmatched: String, Sendable, CaseIterable { case null, remove, reject }

  public static let descriptor = OperationDescriptor(
    name: "lookup",
    summary: "add columns from a reference file, matched by key",
    parameters: [
      ParameterDescriptor(
        "file", .string, required: true,
        "the reference: CSV, TSV or JSON Lines (sniffed), with a header; relative to the recipe file; held in memory (its keys and added values, plus about 24 bytes a row)"
      ),
      ParameterDescriptor(
        "on", .keyColumns, required: true,
        "the key: [names in both] or {data column: reference column}; compared as text, a null part never matches"
      ),
      ParameterDescriptor(
        "columns", .strings, default: "all but the keys", "the reference columns to add, at the end"),
      ParameterDescriptor("prefix", .string, default: "\"\"", "put before each added column's name"),
      ParameterDescriptor(
        "unmatched", .choice(Unmatched.allCases.map(\.rawValue)), default: "null",
        "a row without a match: null added cells, remove the row, or reject it"),
      ParameterDescriptor(
        "duplicate_keys", .choice(ReferenceTable.DuplicateKeys.allCases.map(\.rawValue)), default: "first",
        "a key on several reference rows: use the first, or refuse the reference"),
    ])

  /// The file as written in the recipe, and as read (relative to the recipe's directory).
  public let file: String
  public private(set) var path: String
  /// (data column, reference column) pairs.
  public let on: [(data: String, reference: String)]
  /// True when `on` was written as a list (the same names in both).
  let onIsList: Bool
  public let columns: [String]?
  public let prefix: String
  public let unmatched: Unmatched
  public let duplicateKeys: ReferenceTable.DuplicateKeys
  private let cache = Cache()

  public init(from fields: inout StepFields) throws(RecipeError) {
    file = try fields.nonEmptyString("file", required: true)!
    path = file
    guard let onValue = fields.value("on") else {
      throw fields.error("is required: [key columns] or {data column: reference column}", field: "on")
    }
    var pairs: [(String, String)] = []
    switch onValue {
    case .array(let items):
      for (i, item) in items.enumerated() {
        guard case .string(let name) = item, !name.isEmpty else {
          throw fields.error("must list column names; item \(i) is \(item.kindName)", field: "on")
        }
        pairs.append((name, name))
      }
      onIsList = true
    case .object(let members):
      for (data, value) in members {
        guard case .string(let reference) = value, !reference.isEmpty, !data.isEmpty else {
          throw fields.error(
            "must map data column names to reference column names; \"\(data)\" maps to \(value.kindName)",
            field: "on")
        }
        pairs.append((data, reference))
      }
      onIsList = false
    default:
      throw fields.error(
        "must be [key columns] or {data column: reference column}, not \(onValue.kindName)", field: "on")
    }
    if pairs.isEmpty { throw fields.error("must name at least one key column", field: "on") }
    for side in [pairs.map(\.0), pairs.map(\.1)] {
      var seen = Set<String>()
      for name in side where !seen.insert(name).inserted {
        throw fields.error("names \"\(name)\" twice", field: "on")
      }
    }
    on = pairs.map { (data: $0.0, reference: $0.1) }
    if fields.has("columns") {
      let list = try fields.strings("columns") ?? []
      if list.isEmpty {
        throw fields.error("must list at least one column (or leave it out for all)", field: "columns")
      }
      if let twice = Dictionary(grouping: list, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
        throw fields.error("names \"\(twice)\" twice", field: "columns")
      }
      columns = list
    } else {
      columns = nil
    }
    prefix = try fields.string("prefix") ?? ""
    unmatched = try fields.choice("unmatched", default: Unmatched.null)
    duplicateKeys = try fields.choice("duplicate_keys", default: ReferenceTable.DuplicateKeys.first)
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    var out: [(String, JSONValue)] = [("file", .string(file))]
    out.append(
      (
        "on",
        onIsList
          ? .array(on.map { .string($0.data) })
          : .object(on.map { ($0.data, .string($0.reference)) })
      ))
    if let columns { out.append(("columns", .array(columns.map { .string($0) }))) }
    if !prefix.isEmpty { out.append(("prefix", .string(prefix))) }
    out.append(("unmatched", .string(unmatched.rawValue)))
    out.append(("duplicate_keys", .string(duplicateKeys.rawValue)))
    return out
  }

  public var summary: String {
    let key = on.map {
      $0.data == $0.reference
        ? Quoting.name($0.data) : "\(Quoting.name($0.data)) = \(Quoting.name($0.reference))"
    }
    .joined(separator: ", ")
    var s = "lookup \(Quoting.name(file)) on \(key)"
    if unmatched != .null { s += ", unmatched \(unmatched.rawValue)" }
    return s
  }

  public func resolvingFiles(relativeTo directory: String) -> LookupOperation {
    var copy = self
    copy.path =
      file.hasPrefix("/") || directory.isEmpty ? file : (directory as NSString).appendingPathComponent(file)
    return copy
  }

  /// The reference, read once and shared by every worker (read again when the file changed).
  public func table() throws -> ReferenceTable {
    try cache.table(for: self)
  }

  public func plan(_ input: Schema) throws -> Schema {
    _ = try input.indexes(of: on.map(\.data), field: "on")
    let table = try table()
    let names = table.valueColumns.map { prefix + table.columnNames[$0] }
    return try input.inserting(
      names, types: table.valueColumns.map { table.columnTypes[$0] }, at: input.count,
      field: columns == nil ? (prefix.isEmpty ? "on" : "prefix") : "columns")
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    Transform(
      table: try table(), keyColumns: try input.indexes(of: on.map(\.data), field: "on"), operation: self,
      context: context)
  }

  /// Holds the table for every copy of one step.
  final class Cache: @unchecked Sendable {
    private let lock = NSLock()
    private var loaded: ReferenceTable?
    private var identity: FileIdentity?

    struct FileIdentity: Equatable {
      var device: UInt64
      var inode: UInt64
      var size: Int64
      var modified: Int
      var modifiedNanoseconds: Int
    }

    static func identity(of path: String) -> FileIdentity? {
      var st = stat()
      guard stat(path, &st) == 0 else { return nil }
      return FileIdentity(
        device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size),
        modified: st.st_mtim.tv_sec,
        modifiedNanoseconds: st.st_mtim.tv_nsec)
    }

    func table(for op: LookupOperation) throws -> ReferenceTable {
      lock.lock()
      defer { lock.unlock() }
      let now = Cache.identity(of: op.path)
      if let loaded, now != nil, now == identity { return loaded }
      if now == nil {
        throw IOError(
          path: op.path,
          "cannot open the reference file of this lookup: no such file or it cannot be read; check \"file\" (relative to the recipe file)"
        )
      }
      let table = try ReferenceTable(
        path: op.path, keyNames: op.on.map(\.reference), valueNames: op.columns,
        duplicateKeys: op.duplicateKeys,
        field: "on")
      loaded = table
      identity = now
      return table
    }
  }

  /// Probes each row's key; batches are independent (the table is read-only).
  final class Transform: StepTransform {
    let table: ReferenceTable
    let keyColumns: [Int]
    let unmatched: Unmatched
    let context: StepContext
    let keyNames: [String]
    let file: String
    private let output = ByteBuffer(capacity: 1 << 16)
    private var matched = 0
    private var unmatchedRows = 0
    var batchesAreIndependent: Bool { true }
    var tallies: [String: Int] { ["matched": matched, "unmatched": unmatchedRows] }
    private(set) var cellsChanged = 0

    init(table: ReferenceTable, keyColumns: [Int], operation: LookupOperation, context: StepContext) {
      self.table = table
      self.keyColumns = keyColumns
      self.unmatched = operation.unmatched
      self.context = context
      self.keyNames = operation.on.map(\.data)
      self.file = operation.file
    }

    func process(
      _ batch: inout Batch, scope: RowScope, prepared: AnyObject?, rejections: inout [RowRejection]
    )
      throws -> Int
    {
      let rows = batch.rowCount
      let added = table.valueColumns.count
      // Each row's entry in the reference: -1 no match, -2 a null key part, -3 outside the scope.
      var entries = [Int](repeating: -3, count: rows)
      findEntries(batch, scope: scope, into: &entries)
      output.removeAll()
      var newCells = [Cell](repeating: .empty, count: rows * added)
      var keep = [Bool](repeating: true, count: unmatched == .remove ? rows : 0)
      var rejected: [RowRejection] = []
      var removed = 0
      let base = batch.arena.count
      let ahead = 8
      table.withValueBytes { values in
        newCells.withUnsafeMutableBufferPointer { newCells in
          for r in 0..<rows {
            if r + ahead < rows && entries[r + ahead] >= 0 { table.prefetchValues(entries[r + ahead]) }
            let entry = entries[r]
            if entry == -3 { continue }
            guard entry >= 0 else {
              unmatchedRows += 1
              switch unmatched {
              case .null: break
              case .remove:
                keep[r] = false
                removed += 1
              case .reject:
                rejected.append(RowRejection(row: r, reason: reason(row: r, in: batch, nullKey: entry == -2)))
              }
              continue
            }
            matched += 1
            for j in 0..<added {
              guard let v = table.valueRange(entry, j) else { continue }
              let start = output.count
              output.write(UnsafeBufferPointer(rebasing: values[v.start..<v.start + v.length]))
              newCells[r * added + j] = Cell(start: base + start, length: v.length, jsonLiteral: v.literal)
              cellsChanged += 1
            }
          }
        }
      }
      batch.arena.append(contentsOf: output.bytes)
      newCells.withUnsafeBufferPointer { cells in
        for j in 0..<added {
          batch.columns.append(
            [Cell](unsafeUninitializedCapacity: rows) { out, n in
              for r in 0..<rows { out[r] = cells[r * added + j] }
              n = rows
            })
        }
      }
      if removed > 0 { batch.keepRows(keep) }
      // Rows are rejected only under `reject`, when none is removed: their numbers stand.
      rejections += rejected
      return removed
    }

    /// Looks up every row in scope: the keys are hashed first, then probed while
    /// the slots of the rows a little ahead load (a large reference does not fit
    /// in cache, and every probe would otherwise wait on memory).
    private func findEntries(_ batch: Batch, scope: RowScope, into entries: inout [Int]) {
      let rows = batch.rowCount
      let nulls = context.nullValues
      var hashes = [UInt64](repeating: 0, count: rows)
      // With several key columns, each row's key joined (see `ReferenceTable.appendKeyPart`).
      var joined: [UInt8] = []
      let single = keyColumns.count == 1
      var bounds = [Int](repeating: 0, count: single ? 0 : rows + 1)
      let keyCells = keyColumns.map { batch.columns[$0] }
      batch.arena.withUnsafeBufferPointer { arena in
        for r in 0..<rows {
          defer { if !single { bounds[r + 1] = joined.count } }
          guard scope.contains(r) else { continue }
          var hasNull = false
          for cells in keyCells where nulls.isNull(cells[r], arena: arena) { hasNull = true }
          if hasNull {
            entries[r] = -2
            continue
          }
          entries[r] = -1
          if single {
            let cell = keyCells[0][r]
            hashes[r] = ByteKeySet.hash(UnsafeBufferPointer(rebasing: arena[Int(cell.start)..<cell.end]))
          } else {
            let start = joined.count
            for cells in keyCells {
              let cell = cells[r]
              ReferenceTable.appendKeyPart(
                UnsafeBufferPointer(rebasing: arena[Int(cell.start)..<cell.end]), of: keyColumns.count,
                to: &joined)
            }
            joined.withUnsafeBufferPointer {
              hashes[r] = ByteKeySet.hash(UnsafeBufferPointer(rebasing: $0[start..<joined.count]))
            }
          }
        }
        let ahead = 12
        let cells = single ? keyCells[0] : []
        joined.withUnsafeBufferPointer { joined in
          for r in 0..<rows {
            if r + ahead < rows && entries[r + ahead] == -1 { table.prefetch(hash: hashes[r + ahead]) }
            guard entries[r] == -1 else { continue }
            let key =
              single
              ? UnsafeBufferPointer(rebasing: arena[Int(cells[r].start)..<cells[r].end])
              : UnsafeBufferPointer(rebasing: joined[bounds[r]..<bounds[r + 1]])
            entries[r] = table.entry(key, hash: hashes[r]) ?? -1
          }
        }
      }
    }

    private func reason(row r: Int, in batch: Batch, nullKey: Bool) -> String {
      if nullKey {
        return
          "no match in \(file): a key column (\(keyNames.map(Quoting.name).joined(separator: ", "))) is null"
      }
      let shown = keyColumns.map { c -> String in
        let cell = batch.columns[c][r]
        return batch.bytes(cell).withUnsafeBufferPointer { ValueText.quoted($0) }
      }
      return "no match in \(file) for key \(shown.joined(separator: ", "))"
    }
  }
}

extension LookupOperation {
  /// The most reference rows an exported job carries inline.
  static let exportedRowLimit = 100_000

  /// The reference, as Decant reads it when the recipe is exported (first row of
  /// each key, null keys left out), carried inside the job as an inline table
  /// and joined on the key: the job reads no second file, and matches what
  /// `decant run` matches with the reference as it was then.
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    let d = sql.dialect
    let table: ReferenceTable
    do {
      table = try ReferenceTable(
        path: path, keyNames: on.map(\.reference), valueNames: columns, duplicateKeys: duplicateKeys,
        field: "on",
        keepingRows: true)
    } catch {
      throw sql.refuse("the reference cannot be read for the job to carry: \(error)", field: "file")
    }
    let rows = table.keptRows ?? []
    guard rows.count <= Self.exportedRowLimit else {
      throw sql.refuse(
        "the reference has \(rows.count) keys; an exported job carries at most \(Self.exportedRowLimit) inline",
        field: "file")
    }
    var texts: [[String?]] = []
    for row in rows {
      var line: [String?] = []
      for part in row.key + row.values {
        guard let part else {
          line.append(nil)
          continue
        }
        guard let text = String(validating: part, as: UTF8.self) else {
          throw sql.refuse(
            "the reference holds bytes that are not UTF-8, which the job cannot carry", field: "file")
        }
        line.append(text)
      }
      line.append("1")
      texts.append(line)
    }
    let tag = "__lookup\(sql.number)"
    let keys = on.indices.map { "\(tag)_k\($0 + 1)" }
    let values = table.valueColumns.indices.map { "\(tag)_v\($0 + 1)" }
    let matched = "\(tag)_m"
    sql.leftJoin(
      d.inlineTable(texts, columns: keys + values + [matched]),
      on: zip(on, keys).map { (column: $0.data, key: $1) })
    let nullKey = "(" + on.map { sql.isNull(sql.column($0.data)) }.joined(separator: " OR ") + ")"
    let unmatchedRow = "(\(nullKey) OR \(matched) IS NULL)"
    for (j, c) in table.valueColumns.enumerated() {
      sql.add(
        prefix + table.columnNames[c], after: nil, "CASE WHEN \(nullKey) THEN NULL ELSE \(values[j]) END")
    }
    switch unmatched {
    case .null: break
    case .remove: sql.remove(when: unmatchedRow)
    case .reject:
      let names = on.map { Quoting.name($0.data) }.joined(separator: ", ")
      let shown = on.map { sql.quoted(sql.column($0.data)) }.joined(separator: " || ', ' || ")
      sql.reject(
        when: unmatchedRow,
        reason: "CASE WHEN \(nullKey) THEN \(d.text("no match in \(file): a key column (\(names)) is null")) "
          + "ELSE \(d.text("no match in \(file) for key ")) || \(shown) END")
    }
  }
}

// MARK: DataBrew

extension LookupOperation {
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    throw brew.refuse(
      "DataBrew enriches by joining another DataBrew dataset (JOIN), not a file named in the recipe; "
        + "create the reference as a dataset and join it in DataBrew")
  }

  public static let dataBrewImport: DataBrewImport? = nil
}
