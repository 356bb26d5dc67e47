/// Writes delimited text: a header row, LF line ends and a final LF, a field
/// quoted only when it holds the delimiter, a double quote, CR or LF (quotes doubled).
public final class CSVWriter: RowWriter {
  private let output: OutputFile
  public let delimiter: UInt8

  public init(output: OutputFile, delimiter: UInt8 = UInt8(ascii: ",")) {
    self.output = output
    self.delimiter = delimiter
  }

  public func writeHeader(_ names: [String]) throws {
    var line: [UInt8] = []
    for (i, name) in names.enumerated() {
      if i > 0 { line.append(delimiter) }
      CSVWriter.appendField(Array(name.utf8)[...], delimiter: delimiter, to: &line)
    }
    line.append(10)
    try output.write(line)
  }

  public func write(_ batch: Batch) throws {
    let rows = batch.rowCount
    let ncol = batch.columnCount
    let delimiter = self.delimiter
    var row = 0
    while row < rows {
      // Encode a slice of rows at a time, then let the output flush.
      let stop = min(rows, row + 4096)
      try output.withBuffer { out in
        batch.arena.withUnsafeBufferPointer { arena in
          for r in row..<stop {
            // A lone empty field is written "" so the row is not read back as a blank line.
            if ncol == 1 && batch.columns[0][r].length == 0 {
              out.append(contentsOf: [34, 34, 10])
              continue
            }
            for c in 0..<ncol {
              if c > 0 { out.append(delimiter) }
              let cell = batch.columns[c][r]
              CSVWriter.appendField(
                UnsafeBufferPointer(rebasing: arena[Int(cell.start)..<cell.end]), delimiter: delimiter,
                to: &out)
            }
            out.append(10)
          }
        }
      }
      row = stop
    }
  }

  public func finish() throws {}

  /// True when a field must be quoted.
  @inlinable static func needsQuotes<C: Collection>(_ bytes: C, delimiter: UInt8) -> Bool
  where C.Element == UInt8 {
    for b in bytes where b == delimiter || b == 34 || b == 10 || b == 13 { return true }
    return false
  }

  /// Appends one field, quoting it only when needed.
  @inlinable public static func appendField<C: Collection>(
    _ bytes: C, delimiter: UInt8, to out: inout [UInt8]
  ) where C.Element == UInt8 {
    if !needsQuotes(bytes, delimiter: delimiter) {
      out.append(contentsOf: bytes)
      return
    }
    out.append(34)
    for b in bytes {
      if b == 34 { out.append(34) }
      out.append(b)
    }
    out.append(34)
  }
}
