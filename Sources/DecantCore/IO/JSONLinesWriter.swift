/// Writes JSON Lines: one object per row, keys in column order. Null cells are
/// `null`; cells read as JSON literals (numbers, booleans, nested values) are
/// written back as they were; every other cell is a JSON string.
public final class JSONLinesWriter: RowWriter {
  private let output: OutputFile
  private let nulls: NullValues
  private var keys: [[UInt8]] = []
  private var line: [UInt8] = []

  public init(output: OutputFile, nullValues: NullValues) {
    self.output = output
    self.nulls = nullValues
  }

  public func writeHeader(_ names: [String]) throws {
    keys = names.map { name in
      var k: [UInt8] = []
      JSONValue.appendQuoted(name.utf8, to: &k)
      k.append(UInt8(ascii: ":"))
      return k
    }
  }

  public func write(_ batch: Batch) throws {
    var row = 0
    while row < batch.rowCount {
      let stop = min(batch.rowCount, row + 4096)
      do {
        var out = line
        out.removeAll(keepingCapacity: true)
        for r in row..<stop {
          out.append(UInt8(ascii: "{"))
          for c in 0..<keys.count {
            if c > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: keys[c])
            let cell = batch.columns[c][r]
            if nulls.isNull(cell, in: batch) {
              out.append(contentsOf: [110, 117, 108, 108])
            } else if cell.isJSONLiteral {
              out.append(contentsOf: batch.bytes(cell))
            } else {
              JSONValue.appendQuoted(batch.bytes(cell), to: &out)
            }
          }
          out.append(UInt8(ascii: "}"))
          out.append(10)
        }
        try output.write(out)
        line = out
      }
      row = stop
    }
  }

  public func finish() throws {}
}
