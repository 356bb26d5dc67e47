import DecantCore
import FuzzSupport

// Fuzzes the delimited-text reader (CSVReader over ByteSource) and the sniffers.
//
// Input: an options byte, a layout byte, then the file body.
//   options: bits 0-2 delimiter (sniffed, `,` `;` tab `|` `:` space, sniffed),
//            bits 3-4 header (sniffed, yes, no, sniffed), bit 5 pad short rows,
//            bits 6-7 encoding (UTF-8, Latin-1, UTF-16, UTF-16BE).
//   layout:  bit 7 clear: the body is the whole file; bits 0-2 pick a small block
//            size (a sniffed delimiter or header is sniffed as `decant FILE` does).
//            bit 7 set: the body follows a header and a 64 KiB row, so it is read
//            after the reader's first fill, block by block (bits 0-1 pick the block
//            size, bits 4-5 the column count; the next byte shifts the alignment;
//            UTF-16 is read as UTF-8 or Latin-1 here, since small blocks already
//            cross UTF-16 text in the other layout).
//
// Checks: the same file read with a large and a small block gives the same
// header, rows, line numbers, rejects, blank lines and warnings (see
// ReadOutcome for the invariants checked on every read); and the rows written
// back with CSVEncoder read back unchanged.

private let delimiters: [UInt8?] = [
  nil, UInt8(ascii: ","), UInt8(ascii: ";"), 9, UInt8(ascii: "|"), UInt8(ascii: ":"), 32, nil,
]
private let headers: [Bool?] = [nil, true, false, nil]
private let encodings: [TextEncoding] = [.utf8, .latin1, .utf16, .utf16BE]
private let smallBlocks = [1, 2, 3, 5, 8, 64, 4096, 65_537]
private let paddedBlocks = [509, 1021, 4093, 8191]
private let largeBlock = 1 << 17

private let input = ScratchFile()
private let written = ScratchFile()

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  var fuzz = FuzzInput(inputBytes(data, size))
  let options = fuzz.byte()
  let layout = fuzz.byte()
  let delimiter = delimiters.pick(options & 7)
  let header = headers.pick(options >> 3 & 3)
  let ragged: RaggedPolicy = options & 0x20 != 0 ? .pad : .reject
  let encoding = encodings.pick(options >> 6)

  if layout & 0x80 == 0 {
    let body = fuzz.rest
    input.write(body)
    var dialect: CSVDialect? = nil
    let reference = ReadOutcome.read {
      let reader = try CSVReader(
        source: try ByteSource(path: input.path, encoding: encoding, blockSize: largeBlock),
        delimiter: delimiter, header: header, ragged: ragged)
      dialect = reader.dialect
      return reader
    }
    let block = smallBlocks.pick(layout & 7)
    var smallDialect: CSVDialect? = nil
    let small = ReadOutcome.read {
      let reader = try CSVReader(
        source: try ByteSource(path: input.path, encoding: encoding, blockSize: block),
        delimiter: delimiter, header: header, ragged: ragged)
      smallDialect = reader.dialect
      return reader
    }
    check(
      dialect == smallDialect,
      "block \(block): dialect \(String(describing: smallDialect)) vs \(String(describing: dialect))")
    check(reference == small, "block \(block) vs \(largeBlock): \(small.difference(from: reference))")
    if let dialect, reference.error == nil { writeAndReadBack(reference, dialect: dialect) }
  } else {
    let encoding: TextEncoding = encoding == .latin1 || encoding == .utf16BE ? .latin1 : .utf8
    let delimiter = delimiter ?? UInt8(ascii: ",")
    let columns = 1 + Int(layout >> 4 & 3)
    var prefix: [UInt8] = []
    for c in 1...columns {
      if c > 1 { prefix.append(delimiter) }
      prefix += Array("c\(c)".utf8)
    }
    prefix.append(10)
    prefix.append(UInt8(ascii: "\""))
    prefix += repeatElement(UInt8(ascii: "x"), count: 65_536 + Int(fuzz.byte()))
    prefix.append(UInt8(ascii: "\""))
    prefix += repeatElement(delimiter, count: columns - 1)
    prefix.append(10)
    let file = prefix + fuzz.rest
    input.write(file)
    let block = paddedBlocks.pick(layout & 3)
    func read(_ blockSize: Int) -> ReadOutcome {
      ReadOutcome.read {
        try CSVReader(
          source: try ByteSource(path: input.path, encoding: encoding, blockSize: blockSize),
          delimiter: delimiter, header: true, ragged: ragged)
      }
    }
    let reference = read(largeBlock)
    let small = read(block)
    check(
      reference == small,
      "block \(block) vs \(largeBlock) after a 64 KiB row: \(small.difference(from: reference))")
  }
  return 0
}

/// Encodes the rows as `decant run` writes CSV and reads them back with the same delimiter.
private func writeAndReadBack(_ original: ReadOutcome, dialect: CSVDialect) {
  let encoder = CSVEncoder(delimiter: dialect.delimiter)
  let buffer = ByteBuffer()
  encoder.encodeHeader(original.columnNames, into: buffer)
  for batch in original.batches { encoder.encode(batch, into: buffer) }
  written.write(Array(buffer.bytes))
  let path = written.path
  let again = ReadOutcome.read {
    try CSVReader(
      source: try ByteSource(path: path, blockSize: largeBlock), delimiter: dialect.delimiter, header: true)
  }
  check(again.error == nil, "the written file cannot be read back: \(again.error ?? "")")
  check(
    again.columnNames == original.columnNames,
    "written header reads back as \(again.columnNames), was \(original.columnNames)")
  check(
    again.rejects.isEmpty, "written rows read back with rejects: \(again.rejects.map(\.reasonText).prefix(3))"
  )
  if again.rows != original.rows {
    let common = min(again.rows.count, original.rows.count)
    let r = (0..<common).first { again.rows[$0] != original.rows[$0] } ?? common
    let read = r < again.rows.count ? "\(again.rows[r].map(describe))" : "nothing"
    let was = r < original.rows.count ? "\(original.rows[r].map(describe))" : "nothing"
    violated("written row \(r) reads back as \(read), was \(was)")
  }
}
