import DecantCore
import FuzzSupport

// Fuzzes the JSON Lines reader (both passes: key collection and rows).
//
// Input: an options byte, then the file body.
//   options: bits 0-1 encoding (UTF-8, Latin-1, UTF-16, UTF-16BE), bits 2-4 a
//            small block size.
//
// Checks: the same file read with a large and a small block gives the same
// columns, cells, JSON-literal flags, line numbers, rejects and blank lines (see
// ReadOutcome for the invariants checked on every read); and the rows written
// back with JSONLinesEncoder read back unchanged.

private let encodings: [TextEncoding] = [.utf8, .latin1, .utf16, .utf16BE]
private let smallBlocks = [1, 2, 3, 7, 16, 64, 512, 4096]
private let largeBlock = 1 << 16

private let input = ScratchFile()
private let written = ScratchFile()

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzJSONLines(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  var fuzz = FuzzInput(inputBytes(data, size))
  let options = fuzz.byte()
  let encoding = encodings.pick(options & 3)
  let block = smallBlocks.pick(options >> 2 & 7)
  input.write(fuzz.rest)
  let reference = ReadOutcome.read {
    try JSONLinesReader(path: input.path, encoding: encoding, blockSize: largeBlock)
  }
  let small = ReadOutcome.read { try JSONLinesReader(path: input.path, encoding: encoding, blockSize: block) }
  check(reference == small, "block \(block) vs \(largeBlock): \(small.difference(from: reference))")
  if reference.error == nil { writeAndReadBack(reference) }
  return 0
}

/// Encodes the rows as `decant run` writes JSON Lines and reads them back.
private func writeAndReadBack(_ original: ReadOutcome) {
  // With no rows there is nothing to write: an empty file, which the reader refuses.
  if original.rows.isEmpty { return }
  let encoder = JSONLinesEncoder(columns: original.columnNames, nullValues: NullValues())
  let buffer = ByteBuffer()
  encoder.encodeHeader(original.columnNames, into: buffer)
  for batch in original.batches { encoder.encode(batch, into: buffer) }
  written.write(Array(buffer.bytes))
  let path = written.path
  let again = ReadOutcome.read { try JSONLinesReader(path: path, blockSize: largeBlock) }
  check(again.error == nil, "the written file cannot be read back: \(again.error ?? "")")
  check(
    again.columnNames == original.columnNames,
    "written keys read back as \(again.columnNames), were \(original.columnNames)")
  check(
    again.rejects.isEmpty, "written rows read back with rejects: \(again.rejects.map(\.reasonText).prefix(3))"
  )
  if again.rows != original.rows || again.literals != original.literals {
    let r =
      (0..<min(again.rows.count, original.rows.count)).first {
        again.rows[$0] != original.rows[$0] || again.literals[$0] != original.literals[$0]
      } ?? min(again.rows.count, original.rows.count)
    let read = r < again.rows.count ? "\(again.rows[r].map(describe)) \(again.literals[r])" : "nothing"
    let was =
      r < original.rows.count ? "\(original.rows[r].map(describe)) \(original.literals[r])" : "nothing"
    violated("written row \(r) reads back as \(read), was \(was)")
  }
}
