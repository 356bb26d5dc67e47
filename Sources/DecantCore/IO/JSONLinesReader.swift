/// Reads JSON Lines: one flat JSON object per line.
///
/// Columns are every key seen, in the order of the first object, later new keys
/// appended (a first pass over the file collects them, so the file must be
/// seekable: the CLI spools standard input to a temporary file). Strings are
/// unescaped; numbers and booleans keep their text and nested objects or arrays
/// become compact JSON text, both marked as JSON literals so JSON Lines output
/// writes them back unquoted. `null` and a missing key are null (empty) cells.
/// A line that is not a JSON object is rejected with its text in the reason.
///
/// The first pass also types each column from every value it holds: all
/// integers (within 64 bits) `integer`, numbers `decimal`, all booleans
/// `boolean`, anything else (or no value but `null`) `string`.
public final class JSONLinesReader: RowReader {
  public let columnNames: [String]
  public let columnTypes: [ColumnType]
  public var rawColumnNames: [String] { columnNames }
  public private(set) var warnings: [String] = []
  public private(set) var blankLines = 0
  public var bytesRead: Int { source.bytesRead }
  public var totalBytes: Int? { source.totalBytes }

  private let source: ByteSource
  private var buffer: [UInt8] = []
  private var sourceDone = false
  private var line = 1
  private let keyIndex: [[UInt8]: Int]

  public init(path: String, encoding: TextEncoding = .utf8, blockSize: Int = ByteSource.defaultBlockSize)
    throws
  {
    // First pass: collect the keys.
    let scan = try ByteSource(path: path, encoding: encoding, blockSize: blockSize)
    var keys: [[UInt8]] = []
    var kinds: [ColumnType?] = []
    var index: [[UInt8]: Int] = [:]
    var pending: [UInt8] = []
    var done = false
    var sawAnyByte = false
    while !done {
      if try scan.read(into: &pending) == 0 { done = true }
      if !pending.isEmpty { sawAnyByte = true }
      var lineStart = 0
      pending.withUnsafeBufferPointer { p in
        var i = 0
        while true {
          var lineEnd = i
          while lineEnd < p.count && p[lineEnd] != 10 { lineEnd += 1 }
          if lineEnd == p.count && !done { break }
          JSONLinesReader.collectKeys(p, from: i, to: lineEnd, into: &keys, kinds: &kinds, index: &index)
          i = lineEnd + 1
          lineStart = i
          if i >= p.count { break }
        }
      }
      pending.removeFirst(min(lineStart, pending.count))
    }
    if !sawAnyByte {
      throw IOError(path: path, "the file is empty (no header, no rows); nothing to do")
    }
    keyIndex = index
    let names = keys.map { String(decoding: $0, as: UTF8.self) }
    let unique = Schema.uniqued(names)
    columnNames = unique.names
    columnTypes = kinds.map { $0 ?? .string }
    warnings = unique.warnings
    source = try ByteSource(path: path, encoding: encoding, blockSize: blockSize)
  }

  /// The type of one compact JSON value; nil for `null`.
  static func kind(of value: [UInt8]) -> ColumnType? {
    guard let first = value.first else { return nil }
    switch first {
    case UInt8(ascii: "n"): return nil
    case UInt8(ascii: "t"), UInt8(ascii: "f"): return .boolean
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      if value.contains(where: {
        $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E")
      }) {
        return .decimal
      }
      // 18 digits always fit in 64 bits; longer ones are checked.
      if value.count >= 19 && Int64(String(decoding: value, as: UTF8.self)) == nil { return .decimal }
      return .integer
    default: return .string
    }
  }

  /// The type of a column holding values of types `a` and `b` (nil: no value yet).
  static func merged(_ a: ColumnType?, _ b: ColumnType?) -> ColumnType? {
    guard let a else { return b }
    guard let b, a != b else { return a }
    let numbers: Set<ColumnType> = [.integer, .decimal]
    return numbers.contains(a) && numbers.contains(b) ? .decimal : .string
  }

  /// Adds the keys of one line to `keys`, in order, and folds its values' types
  /// into `kinds`, when the line is a valid flat object.
  private static func collectKeys(
    _ p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, into keys: inout [[UInt8]],
    kinds: inout [ColumnType?], index: inout [[UInt8]: Int]
  ) {
    var s = JSONScanner(p, from: start, to: end)
    var lineKeys: [[UInt8]] = []
    var lineKinds: [ColumnType?] = []
    var scratch: [UInt8] = []
    func valid() -> Bool {
      s.skipWhitespace()
      guard s.current == UInt8(ascii: "{") else { return false }
      s.position += 1
      s.skipWhitespace()
      if s.current == UInt8(ascii: "}") {
        s.position += 1
      } else {
        while true {
          s.skipWhitespace()
          var key: [UInt8] = []
          guard (try? s.readString(into: &key)) != nil else { return false }
          lineKeys.append(key)
          guard (try? s.expect(UInt8(ascii: ":"), ":")) != nil else { return false }
          scratch.removeAll(keepingCapacity: true)
          guard (try? s.copyCompact(into: &scratch)) != nil else { return false }
          lineKinds.append(kind(of: scratch))
          s.skipWhitespace()
          if s.current == UInt8(ascii: ",") {
            s.position += 1
            continue
          }
          guard s.current == UInt8(ascii: "}") else { return false }
          s.position += 1
          break
        }
      }
      s.skipWhitespace()
      return s.atEnd
    }
    guard valid() else { return }
    for (key, kind) in zip(lineKeys, lineKinds) {
      if let k = index[key] {
        kinds[k] = merged(kinds[k], kind)
      } else {
        index[key] = keys.count
        keys.append(key)
        kinds.append(kind)
      }
    }
  }

  public func next() throws -> ReadChunk? {
    while true {
      if !sourceDone && buffer.count < source.blockSize / 2 {
        if try source.read(into: &buffer) == 0 { sourceDone = true }
      }
      if buffer.isEmpty && sourceDone { return nil }
      if let chunk = parseBlock() { return chunk }
      if sourceDone { return nil }
      guard buffer.count < Cell.maxLength else {
        throw IOError(path: source.path, "a line longer than 1 GiB; Decant cannot hold it")
      }
      if try source.read(into: &buffer) == 0 { sourceDone = true }
    }
  }

  private func parseBlock() -> ReadChunk? {
    let ncol = columnNames.count
    var columns = [[Cell]](repeating: [], count: ncol)
    var lines: [Int] = []
    var rejects: [RejectedRecord] = []
    var arena: [UInt8] = []
    arena.reserveCapacity(buffer.count + buffer.count / 4)
    var consumed = 0
    var row = [Cell](repeating: .empty, count: ncol)
    var seen = [Bool](repeating: false, count: ncol)
    buffer.withUnsafeBufferPointer { p in
      var i = 0
      while i < p.count {
        var lineEnd = i
        while lineEnd < p.count && p[lineEnd] != 10 { lineEnd += 1 }
        if lineEnd == p.count && !sourceDone { break }
        let thisLine = line
        line += 1
        var contentEnd = lineEnd
        if contentEnd > i && p[contentEnd - 1] == 13 { contentEnd -= 1 }
        defer {
          i = lineEnd + 1
          consumed = min(i, p.count)
        }
        var s = JSONScanner(p, from: i, to: contentEnd)
        s.skipWhitespace()
        if s.atEnd {
          blankLines += 1
          continue
        }
        for c in 0..<ncol {
          row[c] = .empty
          seen[c] = false
        }
        let arenaMark = arena.count
        do throws(LineError) {
          try parseObject(&s, row: &row, seen: &seen, arena: &arena)
          for c in 0..<ncol { columns[c].append(row[c]) }
          lines.append(thisLine)
        } catch {
          arena.removeSubrange(arenaMark...)
          let column = (s.position - i) + 1
          rejects.append(
            RejectedRecord(
              line: thisLine, fields: [],
              reason: "\(error.message) (column \(column)); the line was: ",
              reasonTail: Array(p[i..<contentEnd])))
        }
      }
    }
    if consumed == 0 && !sourceDone { return nil }
    buffer.removeFirst(consumed)
    return ReadChunk(batch: Batch(arena: arena, columns: columns, lines: lines), rejects: rejects)
  }

  private struct LineError: Error { let message: String }

  private func parseObject(
    _ s: inout JSONScanner, row: inout [Cell], seen: inout [Bool], arena: inout [UInt8]
  ) throws(LineError) {
    func fail(_ e: JSONSyntaxError) -> LineError { LineError(message: "not valid JSON: \(e.message)") }
    guard s.current == UInt8(ascii: "{") else {
      throw LineError(message: "the line is not a JSON object")
    }
    s.position += 1
    var key: [UInt8] = []
    var unknownKey: String? = nil
    s.skipWhitespace()
    if s.current == UInt8(ascii: "}") {
      s.position += 1
    } else {
      while true {
        s.skipWhitespace()
        key.removeAll(keepingCapacity: true)
        do { try s.readString(into: &key) } catch { throw fail(error) }
        // Keys come from the lines that parse, so a key not among them belongs to a
        // line that is broken further on: read past its value to report that error.
        let column = keyIndex[key]
        if let column {
          if seen[column] {
            throw LineError(message: "the key \"\(String(decoding: key, as: UTF8.self))\" appears twice")
          }
          seen[column] = true
        } else {
          unknownKey = unknownKey ?? String(decoding: key, as: UTF8.self)
        }
        do {
          try s.expect(UInt8(ascii: ":"), "':' after a key")
          s.skipWhitespace()
          let start = arena.count
          switch s.current {
          case 34:
            try s.readString(into: &arena)
            if let column { row[column] = Cell(start: start, length: arena.count - start) }
          case UInt8(ascii: "{"), UInt8(ascii: "["):
            try s.copyCompact(into: &arena)
            if let column { row[column] = Cell(start: start, length: arena.count - start, jsonLiteral: true) }
          default:
            let r = try s.readLiteral()
            if r.count == 4 && s.bytes[r.lowerBound] == UInt8(ascii: "n") {
              if let column { row[column] = .empty }
            } else {
              arena.append(contentsOf: UnsafeBufferPointer(rebasing: s.bytes[r]))
              if let column {
                row[column] = Cell(start: start, length: arena.count - start, jsonLiteral: true)
              }
            }
          }
          if column == nil { arena.removeSubrange(start...) }
          s.skipWhitespace()
        } catch {
          throw fail(error)
        }
        if s.current == UInt8(ascii: ",") {
          s.position += 1
          continue
        }
        if s.current == UInt8(ascii: "}") {
          s.position += 1
          break
        }
        throw fail(s.error("expected ',' or '}'\(s.describeCurrent())"))
      }
    }
    s.skipWhitespace()
    if !s.atEnd { throw LineError(message: "unexpected text after the object") }
    if let unknownKey { throw LineError(message: "unexpected key \"\(unknownKey)\"") }
  }
}
