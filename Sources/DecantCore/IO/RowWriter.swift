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

/// Writes batches in one output format.
public protocol RowWriter: AnyObject {
  func writeHeader(_ names: [String]) throws
  func write(_ batch: Batch) throws
  func finish() throws
}
