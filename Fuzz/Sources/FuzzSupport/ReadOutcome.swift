import DecantCore

/// Everything a `RowReader` produced for one file (or the error it threw),
/// gathered so two reads of the same file can be compared. Reading checks the
/// invariants every reader promises: unique non-empty column names, batches as
/// wide as the header, cells inside their arena, line numbers that only grow,
/// and every input byte accounted for at the end.
public struct ReadOutcome: Equatable {
  public var error: String?
  public var columnNames: [String] = []
  public var rawColumnNames: [String] = []
  /// Every row's cells, in column order.
  public var rows: [[[UInt8]]] = []
  /// `isJSONLiteral` of every cell, row by row.
  public var literals: [[Bool]] = []
  public var lines: [Int] = []
  public var rejects: [RejectedRecord] = []
  public var blankLines = 0
  public var warnings: [String] = []
  /// The batches as read (for writing them out again); not compared.
  public var batches: [Batch] = []

  public static func == (a: ReadOutcome, b: ReadOutcome) -> Bool {
    a.error == b.error && a.columnNames == b.columnNames && a.rawColumnNames == b.rawColumnNames
      && a.rows == b.rows && a.literals == b.literals && a.lines == b.lines && a.rejects == b.rejects
      && a.blankLines == b.blankLines && a.warnings == b.warnings
  }

  /// Opens a reader and reads it to the end.
  public static func read(_ open: () throws -> RowReader) -> ReadOutcome {
    var out = ReadOutcome()
    do {
      let reader = try open()
      try out.readAll(reader)
    } catch {
      out.error = String(describing: error)
    }
    return out
  }

  private mutating func readAll(_ reader: RowReader) throws {
    columnNames = reader.columnNames
    rawColumnNames = reader.rawColumnNames
    let width = columnNames.count
    check(rawColumnNames.count == width, "\(width) column names but \(rawColumnNames.count) raw names")
    check(Set(columnNames).count == width, "column names are not unique: \(columnNames)")
    check(!columnNames.contains(""), "an empty column name: \(columnNames)")
    var lastRowLine = 0
    var lastRejectLine = 0
    while let chunk = try reader.next() {
      let batch = chunk.batch
      check(batch.columnCount == width, "a batch has \(batch.columnCount) columns, the header \(width)")
      let arena = batch.arena.count
      for c in 0..<batch.columnCount {
        check(
          batch.columns[c].count == batch.rowCount,
          "column \(c) has \(batch.columns[c].count) cells for \(batch.rowCount) rows")
        for cell in batch.columns[c] {
          check(
            cell.end <= arena, "a cell (\(cell.start)+\(cell.length)) ends past the arena (\(arena) bytes)")
        }
      }
      for r in 0..<batch.rowCount {
        check(batch.lines[r] > lastRowLine, "row line \(batch.lines[r]) after line \(lastRowLine)")
        lastRowLine = batch.lines[r]
        rows.append((0..<width).map { Array(batch.bytes(batch.columns[$0][r])) })
        literals.append((0..<width).map { batch.columns[$0][r].isJSONLiteral })
        lines.append(batch.lines[r])
      }
      for reject in chunk.rejects {
        check(reject.line > lastRejectLine, "reject line \(reject.line) after line \(lastRejectLine)")
        lastRejectLine = reject.line
      }
      rejects += chunk.rejects
      batches.append(batch)
    }
    let shared = Set(lines).intersection(rejects.map(\.line))
    check(shared.isEmpty, "a row and a rejected record both start on line(s) \(shared.sorted())")
    blankLines = reader.blankLines
    warnings = reader.warnings
    if let total = reader.totalBytes {
      check(reader.bytesRead == total, "read \(reader.bytesRead) of \(total) bytes by the end")
    }
  }
}

extension ReadOutcome {
  /// Where two outcomes first differ, for check messages.
  public func difference(from other: ReadOutcome) -> String {
    if error != other.error { return "error \(error ?? "none") vs \(other.error ?? "none")" }
    if columnNames != other.columnNames { return "columns \(columnNames) vs \(other.columnNames)" }
    if rawColumnNames != other.rawColumnNames {
      return "raw columns \(rawColumnNames) vs \(other.rawColumnNames)"
    }
    if rows.count != other.rows.count { return "\(rows.count) rows vs \(other.rows.count)" }
    for (r, (a, b)) in zip(rows, other.rows).enumerated() where a != b {
      return "row \(r): \(a.map(describe)) vs \(b.map(describe))"
    }
    if literals != other.literals { return "JSON literal flags differ" }
    if lines != other.lines { return "row lines \(lines.prefix(20)) vs \(other.lines.prefix(20))" }
    if rejects != other.rejects {
      return "rejects \(rejects.map { "\($0.line): \($0.reasonText)" }.prefix(5)) vs "
        + "\(other.rejects.map { "\($0.line): \($0.reasonText)" }.prefix(5))"
    }
    if blankLines != other.blankLines { return "\(blankLines) blank lines vs \(other.blankLines)" }
    if warnings != other.warnings { return "warnings \(warnings) vs \(other.warnings)" }
    return "no difference"
  }
}
