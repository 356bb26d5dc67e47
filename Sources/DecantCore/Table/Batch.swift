/// A cell: a byte range inside a batch's arena.
///
/// The top bit of `packedLength` marks a cell whose bytes are a JSON literal
/// (number, boolean, nested object or array) rather than text, so that JSON
/// Lines output can write it back unquoted. The next bit marks a plain cell: the
/// CSV reader saw no quote, no control byte (below 14: CR, LF, tab, …) and not
/// the batch's `plainDelimiter` in it, so a writer with that delimiter (or one
/// below 14) copies it without looking. Lengths are below 1 GiB (readers refuse longer).
public struct Cell: Sendable, Equatable, BitwiseCopyable {
  public var start: UInt32
  @usableFromInline var packedLength: UInt32

  /// The longest cell a batch holds.
  public static let maxLength = (1 << 30) - 1

  @inlinable public var length: Int { Int(packedLength & 0x3FFF_FFFF) }
  @inlinable public var end: Int { Int(start) + length }
  @inlinable public var isJSONLiteral: Bool { packedLength & 0x8000_0000 != 0 }
  @inlinable public var isPlain: Bool { packedLength & 0x4000_0000 != 0 }

  @inlinable public init(start: Int, length: Int, jsonLiteral: Bool = false) {
    self.start = UInt32(truncatingIfNeeded: start)
    self.packedLength = UInt32(truncatingIfNeeded: length) | (jsonLiteral ? 0x8000_0000 : 0)
  }

  @inlinable init(start: Int, length: Int, jsonLiteral: Bool, plain: Bool) {
    self.start = UInt32(truncatingIfNeeded: start)
    self.packedLength =
      UInt32(truncatingIfNeeded: length) | (jsonLiteral ? 0x8000_0000 : 0) | (plain ? 0x4000_0000 : 0)
  }

  @inlinable init(start: Int, length: Int, plain: Bool) {
    self.start = UInt32(truncatingIfNeeded: start)
    self.packedLength = UInt32(truncatingIfNeeded: length) | (plain ? 0x4000_0000 : 0)
  }

  public static let empty = Cell(start: 0, length: 0)
}

/// A block of rows stored column by column, each cell a byte range in one arena.
///
/// Readers fill the arena with the bytes of many rows at once; operations that
/// change a value append the new bytes to the arena and repoint the cell, so the
/// original bytes stay addressable (the reject sink writes them).
public struct Batch: Sendable {
  /// Every cell's bytes. Append-only while the batch is alive.
  public var arena: [UInt8]
  /// `columns[c][r]` is the cell of row `r` in column `c`.
  public var columns: [[Cell]]
  /// Cells as read, in the input's column order (for rejects).
  public var originalColumns: [[Cell]]
  /// Physical line (1-based) where each row's record begins.
  public var lines: [Int]
  /// The delimiter plain cells were checked against (0: no cell is marked plain).
  public var plainDelimiter: UInt8 = 0
  /// `arena[0..<n]` is known to be well-formed UTF-8 (nil: not checked yet), so a
  /// cell that ends within it needs no check of its own. See `validUTF8Prefix()`.
  public var knownValidUTF8: Int? = nil

  public init(arena: [UInt8] = [], columns: [[Cell]], lines: [Int]) {
    self.arena = arena
    self.columns = columns
    self.originalColumns = columns
    self.lines = lines
  }

  /// A batch from cells laid out row by row (`cells[r * columnCount + c]`).
  public init(arena: [UInt8], rowMajor cells: [Cell], columnCount: Int, lines: [Int]) {
    let rows = lines.count
    var columns: [[Cell]] = []
    columns.reserveCapacity(columnCount)
    cells.withUnsafeBufferPointer { cells in
      for c in 0..<columnCount {
        columns.append(
          [Cell](unsafeUninitializedCapacity: rows) { out, initialized in
            for r in 0..<rows { out[r] = cells[r * columnCount + c] }
            initialized = rows
          })
      }
    }
    self.init(arena: arena, columns: columns, lines: lines)
  }

  public var rowCount: Int { lines.count }
  public var columnCount: Int { columns.count }

  /// An empty batch with `columnCount` columns.
  public static func empty(columnCount: Int) -> Batch {
    Batch(columns: Array(repeating: [], count: columnCount), lines: [])
  }

  /// The bytes of one cell.
  @inlinable public func bytes(_ cell: Cell) -> ArraySlice<UInt8> {
    arena[Int(cell.start)..<cell.end]
  }

  /// The cell's text, decoding invalid UTF-8 with replacement characters (for messages).
  public func string(_ cell: Cell) -> String {
    String(decoding: bytes(cell), as: UTF8.self)
  }

  public func string(row: Int, column: Int) -> String {
    string(columns[column][row])
  }

  /// How much of the arena is well-formed UTF-8, checked once per batch: text
  /// steps skip the check of every cell that ends within it. (Cells start on
  /// character boundaries: after a delimiter, a quote or a line end, or where a
  /// step put a whole value.) Bytes appended later are not covered.
  public mutating func validUTF8Prefix() -> Int {
    if let known = knownValidUTF8 { return known }
    let n = arena.withUnsafeBufferPointer { UTF8Text.validPrefixLength($0) }
    knownValidUTF8 = n
    return n
  }

  /// Whether a cell is well-formed UTF-8, given `validPrefix` from `validUTF8Prefix()`.
  @inline(__always) public static func isValidUTF8(
    _ cell: Cell, _ value: UnsafeBufferPointer<UInt8>, validPrefix: Int
  ) -> Bool {
    cell.end <= validPrefix || UTF8Text.isValid(value)
  }

  /// Appends bytes to the arena and returns a cell that points at them.
  @inlinable public mutating func append<C: Collection>(_ bytes: C, jsonLiteral: Bool = false) -> Cell
  where C.Element == UInt8 {
    let start = arena.count
    arena.append(contentsOf: bytes)
    return Cell(start: start, length: arena.count - start, jsonLiteral: jsonLiteral)
  }

  /// Appends a string's UTF-8 bytes to the arena.
  public mutating func append(string: String) -> Cell {
    var s = string
    return s.withUTF8 { append($0) }
  }

  /// Lends column `c` for in-place changes while its arena is read through a
  /// pointer; the column is moved out and back, so nothing is copied.
  @inlinable public mutating func withColumn<R>(
    _ c: Int, _ body: (inout [Cell], UnsafeBufferPointer<UInt8>) throws -> R
  ) rethrows -> R {
    var cells: [Cell] = []
    swap(&cells, &columns[c])
    defer { swap(&cells, &columns[c]) }
    return try arena.withUnsafeBufferPointer { try body(&cells, $0) }
  }

  /// Every cell in row order (`cells[r * columnCount + c]`), for writers that go row by row.
  public func rowMajorCells() -> [Cell] {
    let rows = rowCount
    let ncol = columnCount
    return [Cell](unsafeUninitializedCapacity: rows * ncol) { out, initialized in
      for c in 0..<ncol {
        columns[c].withUnsafeBufferPointer { column in
          for r in 0..<rows { out[r * ncol + c] = column[r] }
        }
      }
      initialized = rows * ncol
    }
  }

  /// Keeps only the rows whose flag is true, in order.
  public mutating func keepRows(_ keep: [Bool]) {
    precondition(keep.count == rowCount)
    guard let firstDropped = keep.firstIndex(of: false) else { return }
    let kept = keep.reduce(0) { $0 + ($1 ? 1 : 0) }
    keep.withUnsafeBufferPointer { keep in
      func filter<T: BitwiseCopyable>(_ values: [T]) -> [T] {
        // One spare element: every row is written, and the next row overwrites a
        // dropped one (no branch to mispredict on a mix of kept and dropped rows).
        [T](unsafeUninitializedCapacity: kept + 1) { out, count in
          values.withUnsafeBufferPointer { v in
            // Rows before the first dropped one move as a block.
            _ = out.initialize(fromContentsOf: v[0..<firstDropped])
            var n = firstDropped
            for i in firstDropped..<v.count {
              out[n] = v[i]
              n &+= keep[i] ? 1 : 0
            }
            count = n
          }
        }
      }
      func storage(_ a: [Cell]) -> UnsafePointer<Cell>? { a.withUnsafeBufferPointer { $0.baseAddress } }
      let filtered = columns.map(filter)
      // Columns no step has changed share their storage with the original
      // columns: filter those once.
      originalColumns = originalColumns.indices.map { c in
        if c < columns.count, storage(columns[c]) == storage(originalColumns[c]) { return filtered[c] }
        return filter(originalColumns[c])
      }
      columns = filtered
      lines = filter(lines)
    }
  }

  /// Appends the rows of another batch with the same column layout.
  public mutating func appendRows(of other: Batch) {
    let shift = arena.count
    arena.append(contentsOf: other.arena)
    func moved(_ cells: [Cell]) -> [Cell] {
      cells.map { cell in
        var c = cell
        c.start = UInt32(truncatingIfNeeded: Int(cell.start) + shift)
        return c
      }
    }
    // Plain marks mean something only against one delimiter.
    if rowCount == 0 {
      plainDelimiter = other.plainDelimiter
    } else if plainDelimiter != other.plainDelimiter {
      plainDelimiter = 0
    }
    for c in columns.indices { columns[c].append(contentsOf: moved(other.columns[c])) }
    if originalColumns.count == other.originalColumns.count {
      for c in originalColumns.indices {
        originalColumns[c].append(contentsOf: moved(other.originalColumns[c]))
      }
    }
    lines.append(contentsOf: other.lines)
  }

  /// The rows `range` as a new batch sharing nothing with this one but bytes.
  public func slice(rows range: Range<Int>) -> Batch {
    var b = Batch(arena: arena, columns: columns.map { Array($0[range]) }, lines: Array(lines[range]))
    b.originalColumns = originalColumns.map { Array($0[range]) }
    b.plainDelimiter = plainDelimiter
    b.knownValidUTF8 = knownValidUTF8
    return b
  }
}

extension Batch {
  /// A copy holding only the bytes its cells (current and original) point at.
  public func compacted() -> Batch {
    var arena: [UInt8] = []
    var remap: [UInt32: UInt32] = [:]
    func move(_ cells: [Cell]) -> [Cell] {
      cells.map { cell in
        if cell.length == 0 { return Cell(start: 0, length: 0, jsonLiteral: cell.isJSONLiteral) }
        if let s = remap[cell.start], Int(s) + cell.length <= arena.count,
          arena[Int(s)..<Int(s) + cell.length].elementsEqual(self.bytes(cell))
        {
          return Cell(start: Int(s), length: cell.length, jsonLiteral: cell.isJSONLiteral)
        }
        let start = arena.count
        arena.append(contentsOf: self.bytes(cell))
        remap[cell.start] = UInt32(start)
        return Cell(start: start, length: cell.length, jsonLiteral: cell.isJSONLiteral)
      }
    }
    let columns = self.columns.map(move)
    let originals = originalColumns.map(move)
    var b = Batch(arena: arena, columns: columns, lines: lines)
    b.originalColumns = originals
    return b
  }
}
