/// A record that could not become a row while reading (ragged, unterminated
/// quote, broken JSON). It goes to the rejects file with `_step` `0 read`.
public struct RejectedRecord: Sendable, Equatable {
  /// Physical line where the record begins (1-based; the header is line 1).
  public var line: Int
  /// The fields that were read, in input column order (may be fewer or more than the header).
  public var fields: [[UInt8]]
  public var reason: String
  /// Raw input bytes that end the reason verbatim (a long row's extra fields, a
  /// broken JSON line), so nothing is lost even when they are not valid UTF-8.
  public var reasonTail: [UInt8]

  public init(line: Int, fields: [[UInt8]], reason: String, reasonTail: [UInt8] = []) {
    self.line = line
    self.fields = fields
    self.reason = reason
    self.reasonTail = reasonTail
  }

  /// The whole reason as bytes: the text and the raw tail.
  public var reasonBytes: [UInt8] { Array(reason.utf8) + reasonTail }

  /// The whole reason as text (invalid UTF-8 in the tail shown as U+FFFD).
  public var reasonText: String { String(decoding: reasonBytes, as: UTF8.self) }
}

/// One block of input: the rows that parsed, and the records rejected while reading.
public struct ReadChunk: Sendable {
  public var batch: Batch
  public var rejects: [RejectedRecord]
}

/// What to do with a row shorter than the header.
public enum RaggedPolicy: String, Sendable {
  /// Short and long rows are rejected.
  case reject
  /// Short rows are padded with empty (null) cells; long rows are still rejected.
  case pad
}

/// Reads a data file as a stream of batches.
public protocol RowReader: AnyObject {
  /// Column names after duplicates and empty names were made unique.
  var columnNames: [String] { get }
  /// Header names exactly as in the file (for the rejects file).
  var rawColumnNames: [String] { get }
  /// Warnings about the input (renamed headers, transcoding), for stderr and the report.
  var warnings: [String] { get }
  /// Blank lines skipped so far.
  var blankLines: Int { get }
  /// Raw input bytes consumed so far, and the input size when known (for progress).
  var bytesRead: Int { get }
  var totalBytes: Int? { get }
  /// The type of each column as the format tells it (text formats: all `string`).
  var columnTypes: [ColumnType] { get }
  /// The next chunk, or nil at end of input.
  func next() throws -> ReadChunk?
}

extension RowReader {
  public var columnTypes: [ColumnType] { [ColumnType](repeating: .string, count: columnNames.count) }

  /// The columns as read, with their types: the schema a recipe is planned against.
  public var schema: Schema { Schema(columnNames, types: columnTypes) }
}
