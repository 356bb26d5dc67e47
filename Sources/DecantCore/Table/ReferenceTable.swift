import CSystem
import Foundation

/// A reference file (CSV, TSV or JSON Lines) read whole and keyed, for `lookup`.
///
/// Keys are the bytes of the key columns (several columns are joined with
/// their lengths, so `a|b` + `c` never meets `a` + `b|c`). An empty cell is
/// null in a reference, and a row with a null key part can never match, so it
/// is not kept. Read-only once built: any number of workers look up at once.
///
/// Memory: the key bytes and the added columns' bytes (at most the file's
/// size), plus about 24 bytes per row and 12 per added cell.
public final class ReferenceTable: @unchecked Sendable {
  /// What to do with a key seen twice.
  public enum DuplicateKeys: String, Sendable, CaseIterable {
    /// The first row of the key is used.
    case first
    /// The reference is refused, naming the key and both lines.
    case error
  }

  /// A cell of an added column: bytes in `bytes`, or null (length -1).
  struct Value {
    var start: UInt32
    var length: Int32
    var jsonLiteral: Bool
  }

  public let path: String
  /// The reference's columns, as its header (or its JSON keys) names them.
  public let columnNames: [String]
  public let columnTypes: [ColumnType]
  /// Positions of the added columns among `columnNames`.
  public let valueColumns: [Int]
  /// Rows read, and rows not kept (a null key part, or a repeated key under `first`).
  public let rowCount: Int
  public let unusableRows: Int
  /// Bytes held, for the memory rule.
  public let byteCount: Int

  private let keys: ByteKeySet
  private let bytes: [UInt8]
  /// Entry e's added cells: `values[e * valueColumns.count + j]`.
  private let values: [Value]

  /// A reader of the reference, at its first row (CSV, TSV or JSON Lines, sniffed).
  static func open(_ path: String) throws -> RowReader {
    try InputOpener(path: path, settings: InputSettings(header: true)).open()
  }

  /// The column names of a reference file (its header, or its JSON keys).
  public static func columnNames(of path: String) throws -> [String] { try open(path).columnNames }

  /// Reads `path` whole. `keyNames` are reference columns; `valueNames` the
  /// columns to add (nil: all but the keys). Throws `IOError` when the file
  /// cannot be read and `PlanError` (field `field`) for a missing column, a bad
  /// row, or a repeated key under `duplicateKeys: error`.
  /// With `keepingRows`, the rows kept (first of each key): their key parts and
  /// added values (nil for null), in file order, for an exported job to carry.
  public private(set) var keptRows: [(key: [[UInt8]], values: [[UInt8]?])]? = nil

  public init(
    path: String, keyNames: [String], valueNames: [String]?, duplicateKeys: DuplicateKeys, field: String,
    keepingRows: Bool = false
  ) throws {
    self.path = path
    let reader = try ReferenceTable.open(path)
    columnNames = reader.columnNames
    columnTypes = reader.columnTypes
    let shown = Schema(columnNames)
    let missingKeys = keyNames.filter { shown.index(of: $0) == nil }
    if !missingKeys.isEmpty {
      throw PlanError.missing(missingKeys, in: shown, field: field, file: path)
    }
    let keyColumns = keyNames.map { shown.index(of: $0)! }
    if let valueNames {
      let missing = valueNames.filter { shown.index(of: $0) == nil }
      if !missing.isEmpty {
        throw PlanError.missing(missing, in: shown, field: "columns", file: path)
      }
      valueColumns = valueNames.map { shown.index(of: $0)! }
    } else {
      valueColumns = columnNames.indices.filter { !keyColumns.contains($0) }
    }
    let nulls = NullValues([""])
    var keys = ByteKeySet(capacity: 1024, tracksIndexes: false)
    var bytes: [UInt8] = []
    var values: [Value] = []
    var firstLines: [Int] = []
    var scratch: [UInt8] = []
    var rows = 0
    var unusable = 0
    var kept: [(key: [[UInt8]], values: [[UInt8]?])] = []
    while let chunk = try reader.next() {
      if let bad = chunk.rejects.first {
        throw PlanError(
          "the reference file \(path) has a bad row at line \(bad.line): \(bad.reason); fix the file (a reference must read cleanly)",
          field: "file")
      }
      let batch = chunk.batch
      rows += batch.rowCount
      for r in 0..<batch.rowCount {
        scratch.removeAll(keepingCapacity: true)
        var hasNull = false
        for k in keyColumns {
          let cell = batch.columns[k][r]
          if nulls.isNull(cell, in: batch) {
            hasNull = true
            break
          }
          ReferenceTable.appendKeyPart(batch.bytes(cell), of: keyColumns.count, to: &scratch)
        }
        if hasNull {
          unusable += 1
          continue
        }
        let (entry, inserted) = scratch.withUnsafeBufferPointer { keys.findOrInsert($0) }
        if !inserted {
          if duplicateKeys == .error {
            let shownKey = keyColumns.map { "\"\(batch.string(batch.columns[$0][r]))\"" }.joined(
              separator: ", ")
            throw PlanError(
              "key \(shownKey) appears twice in the reference file \(path) (lines \(firstLines[entry]) and \(batch.lines[r])); remove one, or set duplicate_keys to first",
              field: "duplicate_keys")
          }
          unusable += 1
          continue
        }
        firstLines.append(batch.lines[r])
        if keepingRows {
          kept.append(
            (
              keyColumns.map { Array(batch.bytes(batch.columns[$0][r])) },
              valueColumns.map { c in
                nulls.isNull(batch.columns[c][r], in: batch) ? nil : Array(batch.bytes(batch.columns[c][r]))
              }
            ))
        }
        for c in valueColumns {
          let cell = batch.columns[c][r]
          if nulls.isNull(cell, in: batch) {
            values.append(Value(start: 0, length: -1, jsonLiteral: false))
          } else {
            values.append(
              Value(start: UInt32(bytes.count), length: Int32(cell.length), jsonLiteral: cell.isJSONLiteral))
            bytes += batch.bytes(cell)
          }
        }
        if bytes.count > Int(UInt32.max) {
          throw PlanError(
            "the reference file \(path) holds more than 4 GiB of values; a lookup table must fit in memory",
            field: "file")
        }
      }
    }
    self.keys = keys
    if keepingRows { keptRows = kept }
    self.bytes = bytes
    self.values = values
    rowCount = rows
    unusableRows = unusable
    byteCount = keys.byteCount + bytes.count + values.count * MemoryLayout<Value>.stride
  }

  /// Appends one key part: as it is for a one-column key, else its length first.
  @inline(__always) static func appendKeyPart<C: Collection>(_ part: C, of parts: Int, to key: inout [UInt8])
  where C.Element == UInt8 {
    if parts > 1 {
      var n = UInt32(part.count)
      withUnsafeBytes(of: &n) { key.append(contentsOf: $0) }
    }
    key.append(contentsOf: part)
  }

  /// The entry of a key (built by `appendKeyPart`, hashed by `ByteKeySet.hash`), or nil.
  @inline(__always) func entry(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
    keys.find(key, hash: hash)
  }

  /// Starts loading what looking up a key of this hash reads first.
  @inline(__always) func prefetch(hash: UInt64) { keys.prefetch(hash: hash) }

  /// Starts loading an entry's added cells.
  @inline(__always) func prefetchValues(_ entry: Int) {
    values.withUnsafeBufferPointer { decant_prefetch($0.baseAddress! + entry * valueColumns.count) }
  }

  /// Runs `body` with the table's value bytes (for copying many cells at once).
  func withValueBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    bytes.withUnsafeBufferPointer(body)
  }

  /// The j-th added cell of an entry, as a range of `withValueBytes`; nil for null.
  @inline(__always) func valueRange(_ entry: Int, _ j: Int) -> (start: Int, length: Int, literal: Bool)? {
    let v = values[entry * valueColumns.count + j]
    return v.length < 0 ? nil : (Int(v.start), Int(v.length), v.jsonLiteral)
  }
}
