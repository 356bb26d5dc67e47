/// Encodes delimited text: a header row, LF line ends and a final LF, a field
/// quoted only when it holds the delimiter, a double quote, CR or LF (quotes doubled).
public struct CSVEncoder: BatchEncoder {
  public let delimiter: UInt8

  public init(delimiter: UInt8 = UInt8(ascii: ",")) { self.delimiter = delimiter }

  public func encodeHeader(_ names: [String], into out: ByteBuffer) {
    var line: [UInt8] = []
    for (i, name) in names.enumerated() {
      if i > 0 { line.append(delimiter) }
      let bytes = Array(name.utf8)
      if i == 0 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
        // Unquoted, it would read back as a byte order mark and be dropped.
        line.append(34)
        line.append(contentsOf: bytes.flatMap { $0 == 34 ? [34, 34] : [$0] })
        line.append(34)
        continue
      }
      CSVEncoder.appendField(bytes[...], delimiter: delimiter, to: &line)
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
    let specials = Specials(delimiter)
    batch.arena.withUnsafeBufferPointer { arena in
      cells.withUnsafeBufferPointer { cells in
        let base = arena.baseAddress ?? UnsafePointer(bitPattern: 1)!
        // Cells wholly before this point can be read a word at a time.
        let wordLimit = arena.count - 8
        // Cells the reader marked plain need no look with this delimiter.
        let trustPlain = batch.plainDelimiter != 0 && (batch.plainDelimiter == delimiter || delimiter < 14)
        for r in 0..<rows {
          let row = UnsafeBufferPointer(rebasing: cells[r * ncol..<(r + 1) * ncol])
          // Worst case: every byte a quote (doubled), two quotes and a separator per
          // field; plus a word, as fields are copied in whole words.
          var bound = 9
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
              let start = Int(cell.start)
              let n = cell.length
              let wordSafe = start <= wordLimit - n
              if trustPlain && cell.isPlain && wordSafe {
                CSVEncoder.copyWords(base + start, n, into: out + w)
                w += n
              } else {
                w += CSVEncoder.encodeField(
                  base + start, n, wordSafe: wordSafe, specials: specials, into: out + w)
              }
            }
          }
          out[w] = 10
          output.advance(by: w + 1)
        }
      }
    }
  }

  /// The four bytes that make a field need quotes, each repeated in a word.
  struct Specials {
    let delimiter: UInt8
    let words: (UInt64, UInt64)
    init(_ delimiter: UInt8) {
      self.delimiter = delimiter
      let ones: UInt64 = 0x0101_0101_0101_0101
      words = (UInt64(delimiter) &* ones, 34 &* ones)
    }

    /// Nonzero when a byte of `w` may be special: the delimiter, a quote, or any
    /// byte below 14 (CR and LF among them, so other control bytes such as a tab
    /// are flagged too and need a closer look). The lowest set bit is the high bit
    /// of the first flagged byte.
    @inline(__always) func candidates(_ w: UInt64) -> UInt64 {
      let low: UInt64 = 0x0101_0101_0101_0101
      let a = w ^ words.0
      let b = w ^ words.1
      return ((w &- 0x0E0E_0E0E_0E0E_0E0E) & ~w | (a &- low) & ~a | (b &- low) & ~b) & 0x8080_8080_8080_8080
    }

    /// True when one of the `n` bytes at `src` is special.
    func needsQuotes(_ src: UnsafePointer<UInt8>, _ n: Int) -> Bool {
      for i in 0..<n {
        let b = src[i]
        if b == delimiter || b == 34 || b == 10 || b == 13 { return true }
      }
      return false
    }
  }

  /// Writes one field at `out`, quoted only when needed; returns the bytes written.
  /// With `wordSafe` (a word can be read at the field's end) the field is checked
  /// and copied eight bytes at a time, and up to seven bytes past it are written
  /// (the caller reserves room; they are overwritten or left unused).
  @inline(__always)
  static func encodeField(
    _ src: UnsafePointer<UInt8>, _ n: Int, wordSafe: Bool, specials: Specials,
    into out: UnsafeMutablePointer<UInt8>
  ) -> Int {
    if wordSafe {
      var i = 0
      let raw = UnsafeMutableRawPointer(out)
      while i < n {
        let w = UnsafeRawPointer(src + i).loadUnaligned(as: UInt64.self)
        let hits = specials.candidates(w)
        if hits != 0 && hits.trailingZeroBitCount < (n - i) * 8 {
          if specials.needsQuotes(src, n) { return quoteFieldByWords(src, n, into: out) }
          out.update(from: src, count: n)
          return n
        }
        raw.storeBytes(of: w, toByteOffset: i, as: UInt64.self)
        i += 8
      }
      return n
    }
    if specials.needsQuotes(src, n) { return quoteField(src, n, into: out) }
    out.update(from: src, count: n)
    return n
  }

  /// Copies `n` bytes eight at a time (up to seven bytes past them are written).
  @inline(__always)
  static func copyWords(_ src: UnsafePointer<UInt8>, _ n: Int, into out: UnsafeMutablePointer<UInt8>) {
    var i = 0
    let raw = UnsafeMutableRawPointer(out)
    while i < n {
      raw.storeBytes(
        of: UnsafeRawPointer(src + i).loadUnaligned(as: UInt64.self), toByteOffset: i, as: UInt64.self)
      i += 8
    }
  }

  /// `quoteField` for a field that can be read a word at a time: words without a
  /// quote are copied whole.
  @inline(__always)
  static func quoteFieldByWords(_ src: UnsafePointer<UInt8>, _ n: Int, into out: UnsafeMutablePointer<UInt8>)
    -> Int
  {
    let quotes: UInt64 = 0x2222_2222_2222_2222
    let low: UInt64 = 0x0101_0101_0101_0101
    out[0] = 34
    var w = 1
    var i = 0
    while i < n {
      let word = UnsafeRawPointer(src + i).loadUnaligned(as: UInt64.self)
      let x = word ^ quotes
      let hits = (x &- low) & ~x & 0x8080_8080_8080_8080
      let left = n - i
      let clean = hits == 0 ? 8 : hits.trailingZeroBitCount >> 3
      if clean >= left {
        UnsafeMutableRawPointer(out + w).storeBytes(of: word, as: UInt64.self)
        w += left
        break
      }
      UnsafeMutableRawPointer(out + w).storeBytes(of: word, as: UInt64.self)
      w += clean
      i += clean
      if clean < 8 {
        // A quote: doubled.
        out[w] = 34
        out[w + 1] = 34
        w += 2
        i += 1
      }
    }
    out[w] = 34
    return w + 1
  }

  /// Writes a field in quotes, doubling the quotes in it; returns the bytes written.
  static func quoteField(_ src: UnsafePointer<UInt8>, _ n: Int, into out: UnsafeMutablePointer<UInt8>) -> Int
  {
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
