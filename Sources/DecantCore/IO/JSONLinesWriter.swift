/// Encodes JSON Lines: one object per row, keys in column order. Null cells are
/// `null`; cells read as JSON literals (numbers, booleans, nested values) are
/// written back as they were; every other cell is a JSON string.
public struct JSONLinesEncoder: BatchEncoder {
  private let nulls: NullValues
  /// Each column's key, quoted and followed by a colon.
  private let keys: [[UInt8]]

  public init(columns names: [String], nullValues: NullValues) {
    nulls = nullValues
    keys = names.map { name in
      var k: [UInt8] = []
      JSONValue.appendQuoted(name.utf8, to: &k)
      k.append(UInt8(ascii: ":"))
      return k
    }
  }

  /// JSON Lines has no header: the keys are in every line.
  public func encodeHeader(_ names: [String], into out: ByteBuffer) {}

  public func encode(_ batch: Batch, into out: ByteBuffer) {
    var line: [UInt8] = []
    for r in 0..<batch.rowCount {
      line.removeAll(keepingCapacity: true)
      line.append(UInt8(ascii: "{"))
      for c in 0..<keys.count {
        if c > 0 { line.append(UInt8(ascii: ",")) }
        line.append(contentsOf: keys[c])
        let cell = batch.columns[c][r]
        if nulls.isNull(cell, in: batch) {
          line.append(contentsOf: [110, 117, 108, 108])
        } else if cell.isJSONLiteral {
          line.append(contentsOf: batch.bytes(cell))
        } else {
          JSONValue.appendQuoted(batch.bytes(cell), to: &line)
        }
      }
      line.append(UInt8(ascii: "}"))
      line.append(10)
      out.write(line)
    }
  }
}

/// Writes JSON Lines to an output file.
public final class JSONLinesWriter: RowWriter {
  private let output: OutputFile
  private let nulls: NullValues
  private let buffer = ByteBuffer()
  public private(set) var encoder: any BatchEncoder

  public init(output: OutputFile, nullValues: NullValues) {
    self.output = output
    nulls = nullValues
    encoder = JSONLinesEncoder(columns: [], nullValues: nullValues)
  }

  /// Sets the keys every line carries; call before `write`.
  public func writeHeader(_ names: [String]) throws {
    encoder = JSONLinesEncoder(columns: names, nullValues: nulls)
  }

  public func write(_ batch: Batch) throws {
    buffer.removeAll()
    encoder.encode(batch, into: buffer)
    try output.write(buffer)
  }
}
