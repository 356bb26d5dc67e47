/// Reads RFC 4180 delimited text (CSV, TSV, `;` and `|` files) into batches.
///
/// Quoted fields may hold the delimiter, doubled quotes and line ends (LF, CRLF
/// or CR); a quote inside an unquoted field is literal; text after a closing
/// quote is kept literally. Cells point into the block that was read, so no
/// cell is copied; only quoted fields with doubled quotes are rewritten in place.
/// Memory: one block (4 MiB) plus the longest record.
public final class CSVReader: RowReader {
  public private(set) var dialect = CSVDialect()
  public private(set) var columnNames: [String] = []
  public private(set) var rawColumnNames: [String] = []
  public private(set) var warnings: [String] = []
  public private(set) var blankLines = 0
  public var bytesRead: Int { source.bytesRead }
  public var totalBytes: Int? { source.totalBytes }

  private let source: ByteSource
  private let ragged: RaggedPolicy
  /// Bytes read but not yet handed out as rows.
  private var buffer: [UInt8] = []
  private var sourceDone = false
  /// Physical line number of `buffer[0]`.
  private var line = 1
  private var columnCount = 0
  private var scanner = CSVRecordScanner()

  /// Opens a delimited file. `delimiter` and `header` are sniffed when nil.
  public init(
    source: ByteSource, delimiter: UInt8? = nil, header: Bool? = nil, ragged: RaggedPolicy = .reject
  ) throws {
    self.source = source
    self.ragged = ragged
    // Read enough to sniff the dialect and parse the header.
    while buffer.count < 1 << 16, !sourceDone {
      if try source.read(into: &buffer) == 0 { sourceDone = true }
    }
    if buffer.isEmpty {
      throw IOError(path: source.path, "the file is empty (no header, no rows); nothing to do")
    }
    let delimiter = delimiter ?? CSVDialect.sniffDelimiter(buffer[...])
    var dialect = CSVDialect(delimiter: delimiter, hasHeader: header ?? true)
    // Parse the first records to find the header (and sniff it when asked).
    var firstRecords: [[[UInt8]]] = []
    var firstLines: [Int] = []
    var position = 0
    var probeLine = line
    while firstRecords.count < (header == nil ? 21 : 1) {
      var blanks = 0
      guard
        let record = Self.parseOneRecord(
          buffer, from: &position, line: &probeLine, blanks: &blanks, delimiter: delimiter,
          isEOF: sourceDone)
      else {
        if sourceDone || firstRecords.count > 0 && header == nil && buffer.count >= 1 << 16 { break }
        if try source.read(into: &buffer) == 0 { sourceDone = true }
        continue
      }
      if firstRecords.isEmpty && !record.closed && (header ?? true) {
        throw IOError(
          path: source.path,
          "the header (line \(record.line)) opens a quoted field that is never closed; fix the quote or give \"header\": false"
        )
      }
      firstRecords.append(record.fields)
      firstLines.append(record.line)
      if !record.closed { break }
    }
    guard let headerFields = firstRecords.first else {
      throw IOError(path: source.path, "the file has no records (only blank lines); nothing to do")
    }
    if header == nil {
      let asText = firstRecords.map { $0.map { String(decoding: $0, as: UTF8.self) } }
      dialect.hasHeader = CSVDialect.sniffHeader(first: asText[0], body: Array(asText.dropFirst()))
    }
    self.dialect = dialect
    columnCount = headerFields.count
    if dialect.hasHeader {
      rawColumnNames = headerFields.map { String(decoding: $0, as: UTF8.self) }
      let unique = Schema.uniqued(rawColumnNames)
      columnNames = unique.names
      warnings += unique.warnings
      // Drop the header record (and any blank lines before it) from the buffer.
      var p = 0
      var l = 1
      var blanks = 0
      _ = Self.parseOneRecord(
        buffer, from: &p, line: &l, blanks: &blanks, delimiter: delimiter, isEOF: sourceDone)
      blankLines += blanks
      buffer.removeFirst(p)
      line = l
    } else {
      columnNames = (1...columnCount).map { "column_\($0)" }
      rawColumnNames = columnNames
    }
    if source.hadBOM && source.encoding != .utf8 {
      warnings.append("the input is \(source.encoding.rawValue) (byte-order mark); it was read as UTF-8 text")
    }
  }

  public func next() throws -> ReadChunk? {
    while true {
      if !sourceDone && buffer.count < source.blockSize / 2 {
        if try source.read(into: &buffer) == 0 { sourceDone = true }
      }
      if buffer.isEmpty && sourceDone { return nil }
      if let chunk = try parseBlock() { return chunk }
      if sourceDone { return nil }
      // Not one whole record yet: read more (a very long record).
      guard buffer.count < Cell.maxLength else {
        throw IOError(
          path: source.path,
          "a record starting on line \(line) is longer than 1 GiB; Decant cannot hold it (is the file CSV, and its quotes balanced?)"
        )
      }
      if try source.read(into: &buffer) == 0 { sourceDone = true }
    }
  }

  /// Parses every complete record in `buffer` into a batch. Returns nil when the
  /// buffer holds no complete record and more input may come.
  private func parseBlock() throws -> ReadChunk? {
    let ncol = columnCount
    // Cells are gathered row by row into one flat array, then split into columns.
    var flat: [Cell] = []
    let estimate = max(16, buffer.count / max(1, 8 * ncol))
    flat.reserveCapacity(estimate * ncol)
    var lines: [Int] = []
    lines.reserveCapacity(estimate)
    var rejects: [RejectedRecord] = []
    var position = 0
    var currentLine = line
    let eof = sourceDone
    // The scanner and buffer are moved into locals for the loop (no exclusivity
    // checks on class properties per record).
    var scanner = CSVRecordScanner()
    swap(&scanner, &self.scanner)
    var buffer: [UInt8] = []
    swap(&buffer, &self.buffer)
    var handedOut = false
    defer {
      swap(&scanner, &self.scanner)
      if !handedOut { swap(&buffer, &self.buffer) }
    }
    var blankLines = 0
    defer { self.blankLines += blankLines }
    let delimiter = dialect.delimiter
    while position < buffer.count {
      let recordLine = currentLine
      let before = position
      let status = scanner.scan(buffer, from: &position, line: &currentLine, delimiter: delimiter, isEOF: eof)
      switch status {
      case .incomplete:
        position = before
        currentLine = recordLine
      case .blank:
        blankLines += 1
        continue
      case .complete, .unterminated:
        let n = scanner.count
        // A long row's extra fields go to the rejects verbatim, so they are taken
        // from the raw record before quoted fields are rewritten.
        let extra =
          n > ncol
          ? CSVReader.rawFields(
            buffer[before..<position], after: ncol, delimiter: delimiter, endsLine: status == .complete) : []
        scanner.rewriteQuotedFields(&buffer)
        if status == .unterminated {
          var reason = "a quoted field opened on line \(recordLine) is never closed"
          if n > ncol { reason += "; the row has more fields than the header (\(ncol)); extra fields: " }
          rejects.append(
            RejectedRecord(
              line: recordLine, fields: scanner.fieldBytes(buffer), reason: reason, reasonTail: extra))
        } else if n == ncol || (n < ncol && ragged == .pad) {
          scanner.appendCells(to: &flat)
          for _ in n..<ncol { flat.append(.empty) }
          lines.append(recordLine)
        } else {
          rejects.append(
            RejectedRecord(
              line: recordLine, fields: scanner.fieldBytes(buffer), reason: raggedReason(n, delimiter),
              reasonTail: extra))
        }
        continue
      }
      break
    }
    if position == 0 && lines.isEmpty && rejects.isEmpty && !eof { return nil }
    let arena = buffer
    // The next block is read after the unparsed tail, into room for half a block
    // more: steps append changed values to a batch's arena (a converted
    // timestamp column adds about a fifth), which then grows in place instead of
    // being copied to memory twice its size.
    var next: [UInt8] = []
    next.reserveCapacity(arena.count - position + source.blockSize + source.blockSize / 4)
    next.append(contentsOf: arena[position...])
    self.buffer = next
    handedOut = true
    line = currentLine
    if position == 0 && lines.isEmpty && rejects.isEmpty { return nil }
    var batch = Batch(arena: arena, rowMajor: flat, columnCount: ncol, lines: lines)
    batch.plainDelimiter = delimiter
    return ReadChunk(batch: batch, rejects: rejects)
  }

  private func raggedReason(_ n: Int, _ delimiter: UInt8) -> String {
    if n < columnCount {
      return "the row has \(n) field\(n == 1 ? "" : "s"), the header has \(columnCount)"
    }
    return "the row has \(n) fields, the header has \(columnCount); extra fields: "
  }

  /// The raw text of a record after its first `count` fields (and the delimiter
  /// after them), without the line end (`endsLine`; a record cut off by an
  /// unclosed quote has none): a long row's extra fields byte for byte.
  static func rawFields(_ record: ArraySlice<UInt8>, after count: Int, delimiter: UInt8, endsLine: Bool)
    -> [UInt8]
  {
    let quote = UInt8(ascii: "\"")
    var end = record.endIndex
    if endsLine && end > record.startIndex && record[end - 1] == 10 { end -= 1 }
    if endsLine && end > record.startIndex && record[end - 1] == 13 { end -= 1 }
    var i = record.startIndex
    var field = 0
    var atFieldStart = true
    var inQuotes = false
    while i < record.endIndex {
      let c = record[i]
      i += 1
      if inQuotes {
        if c == quote {
          if i < record.endIndex && record[i] == quote { i += 1 } else { inQuotes = false }
        }
      } else if c == quote && atFieldStart {
        inQuotes = true
        atFieldStart = false
      } else if c == delimiter {
        field += 1
        if field == count { return Array(record[i..<max(i, end)]) }
        atFieldStart = true
      } else {
        atFieldStart = false
      }
    }
    return []
  }

  /// Parses one record (for the header and sniffing) without changing `buffer`.
  /// Returns nil when the buffer ends before the record does.
  static func parseOneRecord(
    _ buffer: [UInt8], from position: inout Int, line: inout Int, blanks: inout Int,
    delimiter: UInt8, isEOF: Bool
  ) -> (fields: [[UInt8]], line: Int, closed: Bool)? {
    var scanner = CSVRecordScanner()
    var copy = buffer
    while position < copy.count {
      let start = line
      let before = position
      let status = scanner.scan(copy, from: &position, line: &line, delimiter: delimiter, isEOF: isEOF)
      switch status {
      case .blank:
        blanks += 1
        continue
      case .incomplete:
        position = before
        line = start
        return nil
      case .complete, .unterminated:
        let closed = status == .complete
        scanner.rewriteQuotedFields(&copy)
        return (scanner.fieldBytes(copy), start, closed)
      }
    }
    return nil
  }
}

/// Finds the fields of one delimited record in a buffer (RFC 4180 rules, see `CSVReader`).
struct CSVRecordScanner {
  // One record's fields: content start, content end, and the raw end of a quoted
  // field that must be rewritten (-1 when the content range is already exact).
  // The arrays are kept at their capacity and filled through pointers; `count`
  // says how many fields the last record had.
  var fieldStart = [Int](repeating: 0, count: 64)
  var fieldEnd = [Int](repeating: 0, count: 64)
  var fieldRawEnd = [Int](repeating: 0, count: 64)
  private(set) var count = 0
  /// Fields of the last record that need `rewriteQuotedFields`.
  private(set) var rewrites = 0

  /// Appends this record's fields as cells.
  @inline(__always) func appendCells(to cells: inout [Cell]) {
    let n = count
    fieldStart.withUnsafeBufferPointer { starts in
      fieldEnd.withUnsafeBufferPointer { ends in
        fieldRawEnd.withUnsafeBufferPointer { raws in
          for i in 0..<n {
            cells.append(
              Cell(
                start: starts[i], length: ends[i] - starts[i], plain: raws[i] == CSVRecordScanner.plainField))
          }
        }
      }
    }
  }

  func fieldBytes(_ buffer: [UInt8]) -> [[UInt8]] {
    (0..<count).map { Array(buffer[fieldStart[$0]..<fieldEnd[$0]]) }
  }

  /// Rewrites quoted fields in place: drops the enclosing quotes, undoubles
  /// quotes and keeps any text after the closing quote.
  mutating func rewriteQuotedFields(_ buffer: inout [UInt8]) {
    guard rewrites > 0 else { return }
    let quote = UInt8(ascii: "\"")
    for f in 0..<count where fieldRawEnd[f] >= 0 {
      var write = fieldStart[f] - 1  // the opening quote's position
      let start = write
      var read = fieldStart[f]
      let rawEnd = fieldRawEnd[f]
      var inQuotes = true
      buffer.withUnsafeMutableBufferPointer { b in
        while read < rawEnd {
          let c = b[read]
          if inQuotes && c == quote {
            if read + 1 < rawEnd && b[read + 1] == quote {
              b[write] = quote
              write += 1
              read += 2
            } else {
              inQuotes = false
              read += 1
            }
            continue
          }
          b[write] = c
          write += 1
          read += 1
        }
      }
      fieldStart[f] = start
      fieldEnd[f] = write
      fieldRawEnd[f] = -1
    }
    rewrites = 0
  }

  enum RecordStatus { case complete, blank, incomplete, unterminated }

  /// Scans one record starting at `position` into the field scratch arrays.
  /// Advances `position` and `line` past it. Field contents are not rewritten.
  mutating func scan(
    _ buffer: [UInt8], from position: inout Int, line: inout Int, delimiter: UInt8, isEOF: Bool
  )
    -> RecordStatus
  {
    while true {
      let capacity = fieldStart.count
      var n = 0
      var rewriting = 0
      let status = fieldStart.withUnsafeMutableBufferPointer { starts in
        fieldEnd.withUnsafeMutableBufferPointer { ends in
          fieldRawEnd.withUnsafeMutableBufferPointer { raws in
            buffer.withUnsafeBufferPointer { b in
              CSVRecordScanner.scanRecord(
                b, starts: starts, ends: ends, raws: raws, count: &n, rewrites: &rewriting,
                position: &position,
                line: &line, delimiter: delimiter, isEOF: isEOF)
            }
          }
        }
      }
      if let status {
        count = n
        rewrites = rewriting
        return status
      }
      // A record with more fields than ever before: make room and scan it again.
      fieldStart += [Int](repeating: 0, count: capacity)
      fieldEnd += [Int](repeating: 0, count: capacity)
      fieldRawEnd += [Int](repeating: 0, count: capacity)
    }
  }

  /// A word whose lowest set bit is the high bit of the first byte of `w` (in
  /// memory order) that equals `value` (repeated in every byte of `values`) or is
  /// below 14 (CR, LF and other control bytes, which the caller looks at again),
  /// or 0 when there is none. Bits above the first may be spurious; only the
  /// lowest is used.
  @inline(__always) static func candidates(_ w: UInt64, _ values: UInt64) -> UInt64 {
    let low: UInt64 = 0x0101_0101_0101_0101
    let x = w ^ values
    return ((w &- 0x0E0E_0E0E_0E0E_0E0E) & ~w | (x &- low) & ~x) & 0x8080_8080_8080_8080
  }

  /// `candidates` for two byte values.
  @inline(__always) static func candidates(_ w: UInt64, _ values: UInt64, _ others: UInt64) -> UInt64 {
    let low: UInt64 = 0x0101_0101_0101_0101
    let x = w ^ values
    let y = w ^ others
    return ((w &- 0x0E0E_0E0E_0E0E_0E0E) & ~w | (x &- low) & ~x | (y &- low) & ~y) & 0x8080_8080_8080_8080
  }

  /// `fieldRawEnd` of an unquoted field with no quote or control byte in it.
  static let plainField = -2

  /// Scans one record into the field buffers. `position` and `line` move only
  /// when a record (or blank line) is complete; nil asks for bigger buffers.
  @inline(__always)
  static func scanRecord(
    _ b: UnsafeBufferPointer<UInt8>, starts: UnsafeMutableBufferPointer<Int>,
    ends: UnsafeMutableBufferPointer<Int>,
    raws: UnsafeMutableBufferPointer<Int>, count n: inout Int, rewrites: inout Int, position: inout Int,
    line: inout Int, delimiter: UInt8, isEOF: Bool
  ) -> RecordStatus? {
    let lf: UInt8 = 10
    let cr: UInt8 = 13
    let quote = UInt8(ascii: "\"")
    let capacity = starts.count
    let delimiters = UInt64(delimiter) &* 0x0101_0101_0101_0101
    let quotes = UInt64(quote) &* 0x0101_0101_0101_0101
    do {
      let end = b.count
      var p = position
      // A blank line is not a record.
      if b[p] == lf || b[p] == cr {
        if b[p] == cr {
          if p + 1 == end && !isEOF { return .incomplete }
          if p + 1 < end && b[p + 1] == lf { p += 1 }
        }
        position = p + 1
        line += 1
        return .blank
      }
      var newlines = 0
      while true {
        if p < end && b[p] == quote {
          // Quoted field.
          let contentStart = p + 1
          var q = contentStart
          var needsRewrite = false
          var closedAt = -1
          let base = b.baseAddress!
          while q < end {
            // Skip eight bytes at a time while none is a quote or a control byte.
            while q + 8 <= end {
              let hits = CSVRecordScanner.candidates(
                UnsafeRawPointer(base + q).loadUnaligned(as: UInt64.self), quotes)
              if hits != 0 {
                q += hits.trailingZeroBitCount >> 3
                break
              }
              q += 8
            }
            guard q < end else { break }
            let c = b[q]
            if c == quote {
              if q + 1 < end && b[q + 1] == quote {
                needsRewrite = true
                q += 2
                continue
              }
              if q + 1 == end && !isEOF { return .incomplete }
              closedAt = q
              q += 1
              break
            } else if c == lf {
              newlines += 1
            } else if c == cr {
              if q + 1 == end && !isEOF { return .incomplete }
              if !(q + 1 < end && b[q + 1] == lf) { newlines += 1 }
            }
            q += 1
          }
          if closedAt < 0 {
            // Open quote at end of input: the record runs to the end.
            guard isEOF else { return .incomplete }
            guard n < capacity else { return nil }
            starts[n] = contentStart
            ends[n] = end
            // Doubled quotes in it are undoubled like any other quoted field's.
            raws[n] = needsRewrite ? end : -1
            if needsRewrite { rewrites += 1 }
            n += 1
            position = end
            line += newlines
            return .unterminated
          }
          // Text after the closing quote is kept literally.
          while q < end {
            let c = b[q]
            if c == delimiter || c == lf || c == cr { break }
            q += 1
          }
          if q > closedAt + 1 { needsRewrite = true }
          guard n < capacity else { return nil }
          starts[n] = contentStart
          ends[n] = needsRewrite ? q : closedAt
          raws[n] = needsRewrite ? q : -1
          n += 1
          if needsRewrite { rewrites += 1 }
          p = q
        } else {
          let s = p
          // Eight bytes at a time up to the first delimiter or line end, then byte
          // by byte. A field without quotes or other control bytes is plain.
          var plain = true
          let base = b.baseAddress!
          while p + 8 <= end {
            let hits = CSVRecordScanner.candidates(
              UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self), delimiters, quotes)
            if hits != 0 {
              p += hits.trailingZeroBitCount >> 3
              let c = b[p]
              if c == delimiter || c == lf || c == cr { break }
              // A quote or another control byte (a tab in a comma file): part of the field.
              plain = false
              p += 1
              continue
            }
            p += 8
          }
          while p < end {
            let c = b[p]
            if c == delimiter || c == lf || c == cr { break }
            if c == quote || c < 14 { plain = false }
            p += 1
          }
          guard n < capacity else { return nil }
          starts[n] = s
          ends[n] = p
          raws[n] = plain ? CSVRecordScanner.plainField : -1
          n += 1
        }
        if p == end {
          guard isEOF else { return .incomplete }
          position = p
          line += newlines
          return .complete
        }
        let c = b[p]
        if c == delimiter {
          p += 1
          if p == end {
            guard isEOF else { return .incomplete }
            guard n < capacity else { return nil }
            starts[n] = p
            ends[n] = p
            raws[n] = -1
            n += 1
            position = p
            line += newlines
            return .complete
          }
          continue
        }
        // A line end closes the record.
        if c == cr {
          if p + 1 == end && !isEOF { return .incomplete }
          if p + 1 < end && b[p + 1] == lf { p += 1 }
        }
        position = p + 1
        line += newlines + 1
        return .complete
      }
    }
  }

}
