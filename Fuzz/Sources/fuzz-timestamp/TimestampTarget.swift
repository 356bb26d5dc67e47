import DecantCore
import FuzzSupport

// Fuzzes the timestamp parser and formatter (TimestampFormat, ISO 8601) and the
// normalize_timezone step that uses them.
//
// Input: lines of text.
//   1 a strftime pattern         %Y-%m-%d %H:%M:%S
//   2 a value                    2024-03-10 02:30:00
//   3 an output pattern          (optional; empty: the ISO 8601 default)
//   4 the zone of values         (optional; unknown or empty: UTC)
//   5 the zone to write in       (optional; unknown or empty: UTC)
//
// Checks:
// - ISO 8601 values and values the pattern reads are valid calendar times.
// - A pattern that reads can also write. When the pattern can tell its values
//   apart (see `canReadBack`), what it writes reads back and writes the same
//   text again; patterns with a full date and time read back the same instant.
// - normalize_timezone with this pattern and zones produces what parsing,
//   converting and formatting by hand produces; its ISO 8601 default output
//   reads back as the same instant.

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzTimestamp(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  var fuzz = FuzzInput(inputBytes(data, size))
  let patternBytes = Array(fuzz.line() ?? [])
  let pattern = String(decoding: patternBytes, as: UTF8.self)
  let value = Array(fuzz.line() ?? [])
  let outputPattern = String(decoding: fuzz.line() ?? [], as: UTF8.self)
  let fromZone = zone(named: String(decoding: fuzz.line() ?? [], as: UTF8.self))
  let toZone = zone(named: String(decoding: fuzz.line() ?? [], as: UTF8.self))

  if let t = value.withUnsafeBufferPointer({ TimestampFormat.parseISO($0) }) {
    check(t.isValid, "ISO 8601 reads \(describe(value)) as an invalid time \(t)")
  }

  let parser: TimestampFormat
  do {
    parser = try TimestampFormat(pattern, forParsing: true)
  } catch {
    check(!error.message.isEmpty, "a pattern error without a message")
    // Not a pattern for reading; it may still be one for writing.
    if let writer = try? TimestampFormat(pattern, forParsing: false) { writeSamples(writer) }
    return 0
  }
  guard let writer = try? TimestampFormat(pattern, forParsing: false) else {
    violated("the pattern \(describe(patternBytes)) reads but cannot write")
  }
  if let t = value.withUnsafeBufferPointer({ parser.parse($0) }) {
    check(t.isValid, "\(describe(patternBytes)) reads \(describe(value)) as an invalid time \(t)")
    checkReadBack(t, pattern: patternBytes, parser: parser, writer: writer)
  }
  convertAsTheStepDoes(
    value, parser: parser, outputPattern: outputPattern, from: fromZone, to: toZone, pattern: patternBytes)
  return 0
}

nonisolated(unsafe) private var zones: [String: Zone] = [:]
private let utc = Zone("UTC")!

/// A zone by name (cached: looking names up goes through Foundation); UTC when unknown.
private func zone(named name: String) -> Zone {
  if let z = zones[name] { return z }
  if zones.count > 512 { zones.removeAll() }
  let z = Zone(name) ?? utc
  zones[name] = z
  return z
}

/// Writes a few times, including years outside 0...9999, with a pattern that only writes.
private func writeSamples(_ writer: TimestampFormat) {
  let samples = [
    CivilDateTime(year: 2024, month: 3, day: 10, hour: 7, minute: 30, second: 5, fraction: Array("25".utf8)),
    CivilDateTime(year: 10_000, month: 12, day: 31, hour: 23, minute: 59, second: 59),
    CivilDateTime(year: -44, month: 3, day: 15, hour: 12),
  ]
  for (i, s) in samples.enumerated() {
    var out: [UInt8] = []
    writer.format(
      s, offset: [3600, -16_200, 20_700][i], utcSeconds: s.localSeconds, zoneName: "Asia/Kathmandu", to: &out)
  }
}

// MARK: Reading back what a pattern writes

private enum PatternToken: Equatable {
  case literal(UInt8)
  case space
  case directive(UInt8)
}

/// The pattern as the parser sees it (`%T` and `%F` expanded, `%:z` as `z`).
private func tokens(_ pattern: [UInt8]) -> [PatternToken] {
  var out: [PatternToken] = []
  var i = 0
  while i < pattern.count {
    let c = pattern[i]
    if c == UInt8(ascii: "%"), i + 1 < pattern.count {
      let d = pattern[i + 1]
      i += 2
      switch d {
      case UInt8(ascii: ":"):
        out.append(.directive(UInt8(ascii: "z")))
        i += 1
      case UInt8(ascii: "%"): out.append(.literal(d))
      case UInt8(ascii: "T"): out += "H:M:S".utf8.map { $0 == 58 ? .literal(58) : .directive($0) }
      case UInt8(ascii: "F"): out += "Y-m-d".utf8.map { $0 == 45 ? .literal(45) : .directive($0) }
      default: out.append(.directive(d))
      }
    } else {
      out.append(c == 32 ? .space : .literal(c))
      i += 1
    }
  }
  return out
}

private let numeric = Set("YymdejHIMSfs".utf8)
/// Directives whose written width can exceed what the parser takes, or that read as many digits as follow.
/// `%z` too: an offset with seconds is written `+HHMMSS`, one without `+HHMM`.
private let variableWidth = Set("fsez".utf8)
/// Directives written as three-letter names, which may not run into more letters.
private let abbreviations = Set("ba".utf8)
private let names = Set("bBaAp".utf8)

/// Whether text written by the pattern can be read back unambiguously. It cannot when a
/// variable-width number runs into more digits (`%f%S`, `%s1`, `%e%m`), an abbreviated
/// name runs into letters (`%bx`, `%a%p`), a space runs into a tab (a pattern space
/// reads all spaces and tabs), or a year does not fit `%Y`'s four digits.
private func canReadBack(_ tokens: [PatternToken], year: Int) -> Bool {
  for (i, token) in tokens.enumerated() {
    guard case .directive(let d) = token else {
      if token == .space, i + 1 < tokens.count, tokens[i + 1] == .space || tokens[i + 1] == .literal(9) {
        return false
      }
      continue
    }
    if d == UInt8(ascii: "Y") && abs(year) > 9999 { return false }
    guard i + 1 < tokens.count else { continue }
    let next = tokens[i + 1]
    if variableWidth.contains(d) {
      if case .directive(let e) = next, numeric.contains(e) { return false }
      if case .literal(let c) = next, c >= 48 && c <= 57 { return false }
    }
    if abbreviations.contains(d) {
      if case .directive(let e) = next, names.contains(e) { return false }
      if case .literal(let c) = next, (c | 0x20) >= 97 && (c | 0x20) <= 122 { return false }
    }
  }
  return true
}

/// Whether the pattern fixes the instant: an epoch, or a four-digit year, a date and a full time of day.
private func fixesInstant(_ tokens: [PatternToken]) -> Bool {
  var ds = Set<UInt8>()
  for case .directive(let d) in tokens { ds.insert(d) }
  if ds.contains(UInt8(ascii: "s")) { return true }
  func has(_ s: String) -> Bool { s.utf8.contains { ds.contains($0) } }
  return has("Y") && !has("y") && (has("j") || (has("mbB") && has("de"))) && (has("H") || has("I"))
    && has("M") && has("S")
}

private func checkReadBack(
  _ t: CivilDateTime, pattern: [UInt8], parser: TimestampFormat, writer: TimestampFormat
) {
  let tokens = tokens(pattern)
  guard canReadBack(tokens, year: t.year) else { return }
  func write(_ t: CivilDateTime) -> [UInt8] {
    let offset = t.offset ?? 0
    var out: [UInt8] = []
    writer.format(t, offset: offset, utcSeconds: t.localSeconds - Int64(offset), zoneName: "UTC", to: &out)
    return out
  }
  let text = write(t)
  guard let back = text.withUnsafeBufferPointer({ parser.parse($0) }) else {
    violated("\(describe(pattern)) writes \(t) as \(describe(text)), which it cannot read back")
  }
  let again = write(back)
  check(
    again == text,
    "\(describe(pattern)) writes \(describe(text)), reads it as \(back), writes \(describe(again))")
  if fixesInstant(tokens) {
    check(
      back.localSeconds - Int64(back.offset ?? 0) == t.localSeconds - Int64(t.offset ?? 0),
      "\(describe(pattern)) reads its own \(describe(text)) as \(back), was \(t)")
  }
}

// MARK: normalize_timezone

private func convertAsTheStepDoes(
  _ value: [UInt8], parser: TimestampFormat, outputPattern: String, from: Zone, to: Zone, pattern: [UInt8]
) {
  var output: TimestampFormat? = nil
  if !outputPattern.isEmpty {
    guard let f = try? TimestampFormat(outputPattern, forParsing: false) else { return }
    output = f
  }
  let operation = NormalizeTimezoneOperation(
    column: "t", fromZone: .zone(from), toZone: to, inputFormats: [parser], outputFormat: output)
  var batch = Batch(arena: value, columns: [[Cell(start: 0, length: value.count)]], lines: [2])
  var rejections: [RowRejection] = []
  do {
    let transform = try operation.makeTransform(
      input: Schema(["t"]),
      context: StepContext(number: 1, op: "normalize_timezone", nullValues: NullValues()),
      statistics: nil)
    let removed = try transform.process(&batch, rejections: &rejections)
    check(removed == 0, "normalize_timezone removed \(removed) rows")
    let held = try transform.finish()
    check(held == nil, "normalize_timezone held rows back")
  } catch {
    violated("normalize_timezone threw under on_error: reject: \(error)")
  }
  let context = "\(describe(pattern)) on \(describe(value)) from \(from.name) to \(to.name)"
  let cell = batch.columns[0][0]
  check(cell.end <= batch.arena.count, "the converted cell lies outside the arena")
  let written = Array(batch.bytes(cell))
  if value.isEmpty {
    check(rejections.isEmpty && written.isEmpty, "\(context): a null cell was touched")
    return
  }
  var s = 0
  var e = value.count
  while s < e, value[s] == 32 || value[s] == 9 { s += 1 }
  while e > s, value[e - 1] == 32 || value[e - 1] == 9 { e -= 1 }
  let trimmed = Array(value[s..<e])
  guard let t = trimmed.withUnsafeBufferPointer({ parser.parse($0) }) else {
    check(rejections.count == 1, "\(context): an unreadable value was not rejected")
    return
  }
  check(rejections.isEmpty, "\(context): rejected \(rejections.map(\.reason)) although it reads as \(t)")
  let instant: Int64
  if let offset = t.offset {
    instant = t.localSeconds - Int64(offset)
  } else {
    switch ZoneConverter(zone: from).resolve(local: t.localSeconds) {
    case .unique(let u): instant = u
    case .ambiguous(let earlier, _): instant = earlier
    case .nonexistent(let shifted): instant = shifted
    }
  }
  let offset = ZoneConverter(zone: to).offset(at: instant)
  var wall = CivilDateTime(localSeconds: instant + Int64(offset))
  wall.fraction = t.fraction
  if let output {
    var expected: [UInt8] = []
    output.format(wall, offset: offset, utcSeconds: instant, zoneName: to.name, to: &expected)
    check(
      written == expected,
      "\(context) with \(outputPattern): the step writes \(describe(written)), formatting gives \(describe(expected))"
    )
    return
  }
  let back = written.withUnsafeBufferPointer { TimestampFormat.parseISO($0) }
  if wall.year >= 0 && wall.year <= 9999 {
    check(back != nil, "\(context): the step writes \(describe(written)), which is not ISO 8601")
  }
  if let back {
    check(
      back.localSeconds - Int64(back.offset ?? 0) == instant && back.fraction == t.fraction,
      "\(context): the step writes \(describe(written)) for \(wall) (UTC offset \(offset)), another instant")
  }
}
