/// Opens a data file as the recipe's `input` settings say, sniffing what they leave out.
public struct InputOpener: Sendable {
  public let path: String
  public let settings: InputSettings
  /// The format in effect (from settings, the file name, or the first byte).
  public let format: DataFormat

  public init(path: String, settings: InputSettings = InputSettings()) throws {
    self.path = path
    self.settings = settings
    if let f = settings.format {
      format = f
    } else if let f = DataFormat.guess(path: path) {
      format = f
    } else {
      format = try InputOpener.sniffFormat(path: path, encoding: settings.encoding ?? .utf8)
    }
  }

  /// JSON Lines when the first non-blank byte is `{`, otherwise delimited text.
  static func sniffFormat(path: String, encoding: TextEncoding) throws -> DataFormat {
    let source = try ByteSource(path: path, encoding: encoding)
    var head: [UInt8] = []
    _ = try source.read(into: &head, maxBytes: 4096)
    let first = head.first { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 }
    return first == UInt8(ascii: "{") ? .jsonl : .csv
  }

  /// A fresh reader positioned at the first row.
  public func open() throws -> RowReader {
    let encoding = settings.encoding ?? .utf8
    switch format {
    case .jsonl:
      return try JSONLinesReader(path: path, encoding: encoding)
    case .csv, .tsv:
      let delimiter: UInt8? =
        settings.delimiter.map { $0.utf8.first! } ?? (format == .tsv ? UInt8(ascii: "\t") : nil)
      return try CSVReader(
        source: try ByteSource(path: path, encoding: encoding), delimiter: delimiter, header: settings.header,
        ragged: settings.ragged ?? .reject)
    }
  }

  /// The settings a workbench writes into a recipe: what was used to read this file.
  public func resolvedSettings(reader: RowReader) -> InputSettings {
    var s = settings
    s.format = format
    if let csv = reader as? CSVReader {
      s.delimiter = String(UnicodeScalar(csv.dialect.delimiter))
      s.header = csv.dialect.hasHeader
    }
    s.columns = reader.columnNames
    return s
  }
}
