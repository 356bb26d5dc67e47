import Foundation
import XCTest

@testable import DecantCore

final class EncodingTests: XCTestCase {
  var scratch: IOScratch!

  override func setUpWithError() throws {
    scratch = try IOScratch()
  }

  override func tearDown() {
    scratch?.remove()
    scratch = nil
  }

  static let text = "id,name\r\n1,café\n2,\"😀,x\"\n3,日本\n"
  static let expectedRows: [[String]] = [["1", "café"], ["2", "😀,x"], ["3", "日本"]]

  func utf16(_ s: String, littleEndian: Bool, bom: Bool) -> [UInt8] {
    var out: [UInt8] = bom ? (littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]) : []
    for u in s.utf16 {
      let hi = UInt8(u >> 8)
      let lo = UInt8(u & 0xFF)
      out += littleEndian ? [lo, hi] : [hi, lo]
    }
    return out
  }

  /// Everything a `ByteSource` hands out, read in pieces of at most `maxBytes`.
  func drain(_ path: String, encoding: TextEncoding = .utf8, blockSize: Int, maxBytes: Int? = nil) throws -> (
    bytes: [UInt8], source: ByteSource
  ) {
    let source = try ByteSource(path: path, encoding: encoding, blockSize: blockSize)
    var out: [UInt8] = []
    while try source.read(into: &out, maxBytes: maxBytes) > 0 {}
    return (out, source)
  }

  // MARK: UTF-8

  func testUTF8BOMIsStripped() throws {
    let path = try scratch.write([0xEF, 0xBB, 0xBF] + ioBytes(Self.text))
    for size in [1, 2, 3, 7, 64, ByteSource.defaultBlockSize] {
      let r = try IORead.csv(path, blockSize: size)
      XCTAssertEqual(r.columnNames, ["id", "name"], "block size \(size)")
      XCTAssertEqual(r.rawColumnNames.first.map { Array($0.utf8) }, ioBytes("id"), "block size \(size)")
      XCTAssertEqual(r.stringRows, Self.expectedRows, "block size \(size)")
      XCTAssertEqual(r.lines, [2, 3, 4], "block size \(size)")
      XCTAssertEqual(r.warnings, [], "block size \(size)")
    }
    let (bytes, source) = try drain(path, blockSize: 1)
    XCTAssertEqual(bytes, ioBytes(Self.text))
    XCTAssertTrue(source.hadBOM)
    XCTAssertEqual(source.encoding, .utf8)
  }

  func testFileHoldingOnlyABOMIsEmpty() throws {
    for (name, bytes) in [("u8", [0xEF, 0xBB, 0xBF]), ("le", [0xFF, 0xFE]), ("be", [0xFE, 0xFF])]
      as [(String, [UInt8])]
    {
      let path = try scratch.write(bytes, to: "\(name).csv")
      XCTAssertThrowsError(try CSVReader(source: ByteSource(path: path)), name) { error in
        XCTAssertTrue(error is IOError, "\(name): \(error)")
      }
    }
  }

  func testUTF8BOMIsStrippedEvenWhenLatin1IsAsked() throws {
    let path = try scratch.write([0xEF, 0xBB, 0xBF] + ioBytes("a\né\n"))
    let r = try IORead.csv(path, encoding: .latin1)
    XCTAssertEqual(r.columnNames, ["a"])
    XCTAssertEqual(r.rows, ioRows([["é"]]))
  }

  func testBOMOnlyInTheMiddleIsData() throws {
    let path = try scratch.write(ioBytes("a\nx") + [0xEF, 0xBB, 0xBF] + ioBytes("\n"))
    let r = try IORead.csv(path)
    XCTAssertEqual(r.rows, [[ioBytes("x") + [0xEF, 0xBB, 0xBF]]])
  }

  func testJSONLinesUTF8BOMIsStripped() throws {
    let path = try scratch.write([0xEF, 0xBB, 0xBF] + ioBytes("{\"k\":\"v\"}\n"), to: "bom.jsonl")
    let r = try IORead.jsonl(path)
    XCTAssertEqual(r.columnNames, ["k"])
    XCTAssertEqual(r.stringRows, [["v"]])
    XCTAssertEqual(r.rejects, [])
  }

  // MARK: UTF-16

  func testUTF16LEWithBOMIsTranscoded() throws {
    let path = try scratch.write(utf16(Self.text, littleEndian: true, bom: true))
    for size in [1, 2, 3, 7, 64, ByteSource.defaultBlockSize] {
      let r = try IORead.csv(path, blockSize: size)
      XCTAssertEqual(r.columnNames, ["id", "name"], "block size \(size)")
      XCTAssertEqual(r.rows, ioRows(Self.expectedRows), "block size \(size)")
      XCTAssertEqual(r.lines, [2, 3, 4], "block size \(size)")
      XCTAssertEqual(r.warnings.count, 1, "block size \(size): \(r.warnings)")
      XCTAssertTrue(r.warnings.first?.contains("utf-16le") == true, "\(r.warnings)")
    }
  }

  func testUTF16BEWithBOMIsTranscoded() throws {
    let path = try scratch.write(utf16(Self.text, littleEndian: false, bom: true))
    for size in [1, 2, 3, 7, 64, ByteSource.defaultBlockSize] {
      let r = try IORead.csv(path, blockSize: size)
      XCTAssertEqual(r.columnNames, ["id", "name"], "block size \(size)")
      XCTAssertEqual(r.rows, ioRows(Self.expectedRows), "block size \(size)")
      XCTAssertEqual(r.lines, [2, 3, 4], "block size \(size)")
      XCTAssertTrue(r.warnings.first?.contains("utf-16be") == true, "\(r.warnings)")
    }
  }

  func testUTF16BOMSplitAcrossTinyReadsIsDetected() throws {
    for littleEndian in [true, false] {
      let path = try scratch.write(utf16(Self.text, littleEndian: littleEndian, bom: true), to: "u16.csv")
      for size in [1, 2, 3, 4, 5] {
        for maxBytes in [1, 2, 3, 5] {
          let (bytes, source) = try drain(path, blockSize: size, maxBytes: maxBytes)
          XCTAssertEqual(
            String(decoding: bytes, as: UTF8.self), Self.text,
            "LE \(littleEndian) block \(size) max \(maxBytes)")
          XCTAssertTrue(source.hadBOM)
          XCTAssertEqual(source.encoding, littleEndian ? .utf16LE : .utf16BE)
        }
      }
    }
  }

  func testUTF16WithoutBOMNeedsTheEncoding() throws {
    let le = try scratch.write(utf16(Self.text, littleEndian: true, bom: false), to: "le.csv")
    let be = try scratch.write(utf16(Self.text, littleEndian: false, bom: false), to: "be.csv")
    XCTAssertEqual(try IORead.csv(le, blockSize: 3, encoding: .utf16LE).stringRows, Self.expectedRows)
    XCTAssertEqual(try IORead.csv(le, encoding: .utf16).stringRows, Self.expectedRows)
    XCTAssertEqual(try IORead.csv(be, blockSize: 5, encoding: .utf16BE).stringRows, Self.expectedRows)
  }

  func testBOMOverridesTheRequestedUTF16ByteOrder() throws {
    let path = try scratch.write(utf16(Self.text, littleEndian: false, bom: true))
    XCTAssertEqual(try IORead.csv(path, encoding: .utf16LE).stringRows, Self.expectedRows)
  }

  func testUTF16JSONLines() throws {
    let text = "{\"k\":\"é😀\",\"n\":1}\r\n{\"k\":\"\\u00e9\"}\n"
    let path = try scratch.write(utf16(text, littleEndian: true, bom: true), to: "u16.jsonl")
    for size in [1, 7, ByteSource.defaultBlockSize] {
      let r = try IORead.jsonl(path, blockSize: size)
      XCTAssertEqual(r.columnNames, ["k", "n"])
      XCTAssertEqual(r.stringRows, [["é😀", "1"], ["é", ""]], "block size \(size)")
    }
  }

  func testUnpairedSurrogateAndOddTrailingByteBecomeReplacementCharacters() throws {
    // "a\n" then a lone high surrogate before "b", then a lone low surrogate, then one dangling byte.
    let bytes: [UInt8] = [
      0xFF, 0xFE, 0x61, 0x00, 0x0A, 0x00, 0x00, 0xD8, 0x62, 0x00, 0x00, 0xDC, 0x0A, 0x00, 0x63,
    ]
    let path = try scratch.write(bytes, to: "bad16.csv")
    for size in [1, 4, 64] {
      let (out, _) = try drain(path, blockSize: size)
      XCTAssertEqual(
        out,
        ioBytes("a\n") + [0xEF, 0xBF, 0xBD] + ioBytes("b") + [0xEF, 0xBF, 0xBD, 0x0A, 0xEF, 0xBF, 0xBD],
        "block size \(size)")
    }
  }

  // MARK: Latin-1

  func testLatin1IsTranscoded() throws {
    let bytes: [UInt8] = ioBytes("name,v\ncaf") + [0xE9] + ioBytes(",") + [0xFF, 0x80, 0x41] + ioBytes("\n")
    let path = try scratch.write(bytes)
    for size in [1, 3, 7, ByteSource.defaultBlockSize] {
      let r = try IORead.csv(path, blockSize: size, encoding: .latin1)
      XCTAssertEqual(r.rows, [[ioBytes("café"), [0xC3, 0xBF, 0xC2, 0x80, 0x41]]], "block size \(size)")
      XCTAssertEqual(r.rows.first?.first, [0x63, 0x61, 0x66, 0xC3, 0xA9])
    }
  }

  func testLatin1HeaderIsTranscoded() throws {
    let path = try scratch.write(ioBytes("r") + [0xE9] + ioBytes("sum") + [0xE9] + ioBytes(",b\nx,y\n"))
    let r = try IORead.csv(path, encoding: .latin1)
    XCTAssertEqual(r.columnNames, ["résumé", "b"])
    XCTAssertEqual(r.rawColumnNames, ["résumé", "b"])
  }

  // MARK: Bytes passed through

  func testInvalidUTF8BytesPassThroughUntouched() throws {
    let bytes: [UInt8] =
      ioBytes("a,b\nx") + [0xFF] + ioBytes("y,") + [0xC3] + ioBytes("\n") + [0x80] + ioBytes("z,\"q") + [
        0xFE, 0xED,
      ]
      + ioBytes("\"\n")
    let path = try scratch.write(bytes)
    for size in [1, 7, ByteSource.defaultBlockSize] {
      let r = try IORead.csv(path, blockSize: size)
      XCTAssertEqual(
        r.rows, [[[0x78, 0xFF, 0x79], [0xC3]], [[0x80, 0x7A], [0x71, 0xFE, 0xED]]], "block size \(size)")
      XCTAssertEqual(r.lines, [2, 3])
    }
  }

  func testInvalidUTF8InHeaderKeepsRawColumnNameDecodable() throws {
    let path = try scratch.write(ioBytes("a") + [0xFF] + ioBytes(",b\n1,2\n"))
    let r = try IORead.csv(path)
    XCTAssertEqual(r.columnNames, ["a\u{FFFD}", "b"])
    XCTAssertEqual(r.stringRows, [["1", "2"]])
  }

  /// The contract keeps a long row's extra fields verbatim in `_reason` ("nothing is
  /// lost") and passes invalid UTF-8 through untouched, so the reason's raw tail
  /// keeps an invalid byte as it was.
  func testLongRowExtraFieldBytesAreKeptVerbatimInTheReason() throws {
    let path = try scratch.write(ioBytes("a,b\n1,2,x") + [0xFF] + ioBytes("y\n"))
    let r = try IORead.csv(path)
    XCTAssertEqual(r.rejects.count, 1)
    XCTAssertEqual(r.rejects.first?.fields, [ioBytes("1"), ioBytes("2"), [0x78, 0xFF, 0x79]])
    let reason = r.rawRejects.first?.reasonBytes ?? []
    XCTAssertEqual(
      Array(reason.suffix(3)), [0x78, 0xFF, 0x79], "reason: \(r.rejects.first?.reason.debugDescription ?? "")"
    )
  }

  func testNULBytesInsideFieldsAreKept() throws {
    let bytes: [UInt8] =
      ioBytes("a,b\nx") + [0] + ioBytes("y,\"") + [0] + ioBytes("\"\n") + [0] + ioBytes(",z\n")
    let path = try scratch.write(bytes)
    let r = try IORead.csv(path)
    XCTAssertEqual(r.rows, [[[0x78, 0, 0x79], [0]], [[0], [0x7A]]])
    XCTAssertEqual(r.lines, [2, 3])
  }

  func testInvalidUTF8InJSONStringsPassesThrough() throws {
    let bytes: [UInt8] = ioBytes("{\"k\":\"a") + [0xFF, 0xC3] + ioBytes("b\"}\n")
    let path = try scratch.write(bytes, to: "bad.jsonl")
    let r = try IORead.jsonl(path)
    XCTAssertEqual(r.rows, [[[0x61, 0xFF, 0xC3, 0x62]]])
  }
}
