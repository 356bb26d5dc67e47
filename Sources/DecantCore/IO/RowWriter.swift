/// Data formats Decant reads and writes.
public enum DataFormat: String, Sendable, CaseIterable {
  case csv, tsv, jsonl

  /// Guesses the format from a file name's extension (`.tsv`, `.tab`, `.jsonl`, `.ndjson`).
  public static func guess(path: String) -> DataFormat? {
    let lower = path.lowercased()
    if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") { return .tsv }
    if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") { return .jsonl }
    if lower.hasSuffix(".csv") || lower.hasSuffix(".txt") { return .csv }
    return nil
  }

  public init?(name: String) {
    switch name.lowercased() {
    case "csv": self = .csv
    case "tsv", "tab": self = .tsv
    case "jsonl", "ndjson", "json-lines", "jsonlines": self = .jsonl
    default: return nil
    }
  }
}

/// Turns rows into the bytes of one output format. An encoder keeps no mutable
/// state, so workers can encode different batches at the same time.
public protocol BatchEncoder: Sendable {
  func encodeHeader(_ names: [String], into out: ByteBuffer)
  func encode(_ batch: Batch, into out: ByteBuffer)
}

/// Writes batches in one output format to an output file.
public protocol RowWriter: AnyObject {
  /// The encoder `write` uses (complete once the header is written).
  var encoder: any BatchEncoder { get }
  func writeHeader(_ names: [String]) throws
  func write(_ batch: Batch) throws
  func finish() throws
}

extension RowWriter {
  /// Nothing is held back: bytes go to the output file as batches are written.
  public func finish() throws {}
}
