/// Encodes delimited text: a header row, LF line ends and a final LF, a field
/// quoted only when it holds the delimiter, a double quote, CR or LF (quotes doubled).
public struct CSVEncoder: BatchEncoder {
  public let delimiter: UInt8

  public init(delimiter: UInt8 = UInt8(ascii: ",")) { self.delimiter = delimiter }

  public func encodeHeader(_ names: [String], into out: ByteBuffer) {
    var line: [UInt8] = []
    for (i, name) in names.enumerated() {
      if i > 0 { line.append(delimiter) }
      CSVEncoder.appendField(Array(name.utf8)[...], delimiter: delimiter, to: &line)
    }
    line.append(10)
    out.write(line)
  }

  public func encode(_ batch: Batch, into output: ByteBuffer) {
    let rows = batch.rowCount
    let ncol = batch.columnCount
    guard rows > 0, ncol > 0 else { return }
    // Lay the cells out row by row once, so the loop below reads one flat buffer.
    let cells = batch.rowMajorCells()
    let delimiter = self.delimiter
    batch.arena.withUnsafeBufferPointer { arena in
      cells.withUnsafeBufferPointer { cells in
        let base = arena.baseAddress ?? UnsafePointer(bitPattern: 1)!
        for r in 0..<rows {
          let row = UnsafeBufferPointer(rebasing: cells[r * ncol..<(r + 1) * ncol])
          // Worst case: every byte a quote (doubled), two quotes and a separator per field.
          var bound = 1
          for cell in row { bound += cell.length * 2 + 3 }
          let out = output.reserve(bound)
          var w = 0
          if ncol == 1 && row[0].length == 0 {
            // A lone empty field is written "" so the row is not read back as a blank line.
            out[0] = 34
            out[1] = 34
            w = 2
          } else {
            for c in 0..<ncol {
              if c > 0 {
                out[w] = delimiter
                w += 1
              }
              let cell = row[c]
              w += CSVEncoder.encodeField(
                base + Int(cell.start), cell.length, delimiter: delimiter, into: out + w)
            }
          }
          out[w] = 10
          output.advance(by: w + 1)
        }
      }
    }
  }

  /// Writes one field at `out`, quoted only when needed; returns the bytes written.
  @inline(__always)
  static func encodeField(
    _ src: UnsafePointer<UInt8>, _ n: Int, delimiter: UInt8, into out: UnsafeMutablePointer<UInt8>
  ) -> Int {
    var needs = false
    for i in 0..<n {
      let b = src[i]
      if b == delimiter || b == 34 || b == 10 || b == 13 {
        needs = true
        break
      }
    }
    if !needs {
      out.update(from: src, count: n)
      return n
    }
    var w = 0
    out[w] = 34
    w += 1
    for i in 0..<n {
      let b = src[i]
      if b == 34 {
        out[w] = 34
        w += 1
      }
      out[w] = b
      w += 1
    }
    out[w] = 34
    return w + 1
  }

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

/// Writes CSV or TSV to an output file.
public final class CSVWriter: RowWriter {
  private let output: OutputFile
  private let buffer = ByteBuffer()
  public let encoder: any BatchEncoder

  public init(output: OutputFile, delimiter: UInt8 = UInt8(ascii: ",")) {
    self.output = output
    encoder = CSVEncoder(delimiter: delimiter)
  }

  public func writeHeader(_ names: [String]) throws {
    buffer.removeAll()
    encoder.encodeHeader(names, into: buffer)
    try output.write(buffer)
  }

  public func write(_ batch: Batch) throws {
    buffer.removeAll()
    encoder.encode(batch, into: buffer)
    try output.write(buffer)
  }
}
