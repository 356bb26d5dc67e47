/// Writes rows that failed to the rejects file: the original row's columns
/// (input names, raw values), then `_line`, `_step` (`3 normalize_timezone`,
/// `0 read`) and `_reason`. The file is created on the first reject only.
public final class RejectSink {
  public let path: String
  public private(set) var count = 0
  private let inputNames: [String]
  private var output: OutputFile?
  private var row: [UInt8] = []

  public let durable: Bool

  public init(path: String, inputNames: [String], durable: Bool = false) {
    self.path = path
    self.durable = durable
    self.inputNames = inputNames
  }

  private func open() throws -> OutputFile {
    if let output { return output }
    let file = try OutputFile(path: path, durable: durable)
    let header = ByteBuffer()
    CSVEncoder().encodeHeader(inputNames + ["_line", "_step", "_reason"], into: header)
    try file.write(header)
    output = file
    return file
  }

  /// Rejects one row of a batch (its original cells).
  public func reject(row r: Int, of batch: Batch, step: String, reason: String) throws {
    let file = try open()
    row.removeAll(keepingCapacity: true)
    for c in 0..<inputNames.count {
      if c > 0 { row.append(44) }
      if c < batch.originalColumns.count {
        CSVEncoder.appendField(batch.bytes(batch.originalColumns[c][r]), delimiter: 44, to: &row)
      }
    }
    try finish(file, line: batch.lines[r], step: step, reason: Array(reason.utf8))
  }

  /// Rejects a record that never became a row; it fills the columns it has.
  public func reject(_ record: RejectedRecord) throws {
    let file = try open()
    row.removeAll(keepingCapacity: true)
    for c in 0..<inputNames.count {
      if c > 0 { row.append(44) }
      if c < record.fields.count { CSVEncoder.appendField(record.fields[c], delimiter: 44, to: &row) }
    }
    try finish(file, line: record.line, step: "0 read", reason: Array(record.reason.utf8) + record.reasonTail)
  }

  private func finish(_ file: OutputFile, line: Int, step: String, reason: [UInt8]) throws {
    if !inputNames.isEmpty { row.append(44) }
    row.append(contentsOf: String(line).utf8)
    row.append(44)
    CSVEncoder.appendField(Array(step.utf8), delimiter: 44, to: &row)
    row.append(44)
    CSVEncoder.appendField(reason, delimiter: 44, to: &row)
    row.append(10)
    try file.write(row)
    count += 1
  }

  /// Moves the rejects file into place (when any row was rejected).
  public func commit() throws { try output?.commit() }

  public func abort() { output?.abort() }

  public var wroteFile: Bool { output != nil }
}
