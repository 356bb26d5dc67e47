import Foundation

/// Parses local wall-clock times and rewrites them in a target zone.
///
/// A value carrying its own offset (`Z`, `+02:00`) is converted from that
/// offset; others are read in `from_zone` (one zone, or one per row from a
/// column). Repeated wall-clock times follow `ambiguous`, skipped ones
/// `nonexistent`; unreadable values follow `on_error`. Null cells stay null.
/// With `to`, the result goes into a new column right after the source, which is
/// kept (a value that fails leaves the new cell null).
/// Streams in constant memory (zone caches grow with distinct hours seen).
public struct NormalizeTimezoneOperation: Operation {
  public enum Ambiguous: String, Sendable, CaseIterable { case earlier, later, reject }
  public enum Nonexistent: String, Sendable, CaseIterable {
    case shiftForward = "shift_forward"
    case reject
  }

  /// Where a value's zone comes from.
  public enum SourceZone: Sendable, Equatable {
    /// Values must carry their own offset.
    case none
    case zone(Zone)
    /// The zone is named per row in this column.
    case column(String)
  }

  public static let descriptor = OperationDescriptor(
    name: "normalize_timezone", summary: "parse local times and rewrite them in another zone",
    parameters: [
      ParameterDescriptor("column", .column, required: true, "the column holding timestamps"),
      ParameterDescriptor(
        "from_zone", .zoneOrColumn,
        "the zone of values without an offset: an IANA name, +HH:MM, or {\"column\": NAME} for a zone per row; absent: values must carry an offset"
      ),
      ParameterDescriptor("to_zone", .zone, default: "UTC", "the zone to write times in"),
      ParameterDescriptor(
        "input_formats", .timestampFormats, default: "ISO 8601",
        "strftime patterns tried in order: " + TimestampFormat.readingHelp),
      ParameterDescriptor(
        "output_format", .timestampFormat, default: "ISO 8601",
        "strftime pattern for the result (" + TimestampFormat.writingHelp
          + ", %Z the zone name); default 2024-03-10T07:30:00Z (UTC) or 2024-03-10T08:30:00+01:00"),
      ParameterDescriptor(
        "ambiguous", .choice(Ambiguous.allCases.map(\.rawValue)), default: "earlier",
        "a wall-clock time that happens twice: the first instant, the second, or reject"),
      ParameterDescriptor(
        "nonexistent", .choice(Nonexistent.allCases.map(\.rawValue)), default: "shift_forward",
        "a wall-clock time skipped by a DST gap: move it later by the gap, or reject"),
      ParameterDescriptor(
        "to", .string, default: "none (rewrite in place)",
        "a new column for the result, right after the source (which is kept); null where the step fails or does not act"
      ),
      OnError.parameter,
    ])

  public let column: String
  public let fromZone: SourceZone
  public let toZone: Zone
  public let inputFormats: [TimestampFormat]
  public let outputFormat: TimestampFormat?
  public let ambiguous: Ambiguous
  public let nonexistent: Nonexistent
  /// A new column for the result (nil: the column is rewritten in place).
  public let to: String?
  public let onError: OnError

  public init(
    column: String, fromZone: SourceZone, toZone: Zone = Zone("UTC")!, inputFormats: [TimestampFormat] = [],
    outputFormat: TimestampFormat? = nil, ambiguous: Ambiguous = .earlier,
    nonexistent: Nonexistent = .shiftForward, to: String? = nil, onError: OnError = .reject
  ) {
    self.to = to
    self.column = column
    self.fromZone = fromZone
    self.toZone = toZone
    self.inputFormats = inputFormats
    self.outputFormat = outputFormat
    self.ambiguous = ambiguous
    self.nonexistent = nonexistent
    self.onError = onError
  }

  static func zone(_ name: String, field: String, _ fields: StepFields) throws(RecipeError) -> Zone {
    if let z = Zone(name) { return z }
    var message =
      "\"\(name)\" is not a time zone Decant knows (use an IANA name such as Europe/Berlin, UTC, or an offset such as +05:30)"
    if let s = Zone.suggestion(for: name) { message += "; did you mean \"\(s)\"?" }
    throw fields.error(message, field: field)
  }

  public init(from fields: inout StepFields) throws(RecipeError) {
    column = try fields.column("column")
    switch fields.value("from_zone") {
    case nil, .null?:
      fromZone = .none
    case .string(let name)?:
      fromZone = .zone(try Self.zone(name, field: "from_zone", fields))
    case .object(let members)?:
      guard members.count == 1, members[0].0 == "column", case .string(let c) = members[0].1, !c.isEmpty
      else {
        throw fields.error("must be a zone name or {\"column\": \"NAME\"}", field: "from_zone")
      }
      fromZone = .column(c)
    case let other?:
      throw fields.error(
        "must be a zone name or {\"column\": \"NAME\"}, not \(other.kindName)", field: "from_zone")
    }
    toZone = try Self.zone(try fields.string("to_zone") ?? "UTC", field: "to_zone", fields)
    inputFormats = try fields.inputFormats()
    outputFormat = try fields.outputFormat()
    ambiguous = try fields.choice("ambiguous", default: Ambiguous.earlier)
    nonexistent = try fields.choice("nonexistent", default: Nonexistent.shiftForward)
    to = try fields.nonEmptyString("to")
    onError = try fields.onError()
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    var out: [(String, JSONValue)] = [("column", .string(column))]
    switch fromZone {
    case .none: break
    case .zone(let z): out.append(("from_zone", .string(z.name)))
    case .column(let c): out.append(("from_zone", .object([("column", .string(c))])))
    }
    out.append(("to_zone", .string(toZone.name)))
    if !inputFormats.isEmpty {
      out.append(("input_formats", .array(inputFormats.map { .string($0.pattern) })))
    }
    if let outputFormat { out.append(("output_format", .string(outputFormat.pattern))) }
    out.append(("ambiguous", .string(ambiguous.rawValue)))
    out.append(("nonexistent", .string(nonexistent.rawValue)))
    if let to { out.append(("to", .string(to))) }
    out.append(("on_error", .string(onError.rawValue)))
    return out
  }

  public var summary: String {
    let from: String
    switch fromZone {
    case .none: from = "own offsets"
    case .zone(let z): from = z.name
    case .column(let c): from = "zone in \(Quoting.name(c))"
    }
    return "normalize_timezone \(Quoting.name(column)) \(from) → \(toZone.name)"
      + (to.map { " to \(Quoting.name($0))" } ?? "")
  }

  public func plan(_ input: Schema) throws -> Schema {
    var missing: [String] = []
    var fields: [String] = []
    if input.index(of: column) == nil {
      missing.append(column)
      fields.append("column")
    }
    if case .column(let c) = fromZone, input.index(of: c) == nil {
      missing.append(c)
      fields.append("from_zone")
    }
    if !missing.isEmpty {
      throw PlanError.missing(missing, in: input, field: fields.joined(separator: ", "))
    }
    // ISO 8601 (the default output) is a timestamp; any other pattern is text.
    let type: ColumnType = outputFormat == nil ? .timestamp : .string
    guard let to else { return input.retyped([input.index(of: column)!], as: type) }
    return try input.inserting([to], types: [type], at: input.index(of: column)! + 1, field: "to")
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    let source = try input.indexes(of: [column], field: "column")[0]
    var zoneColumn: Int? = nil
    if case .column(let c) = fromZone { zoneColumn = try input.indexes(of: [c], field: "from_zone")[0] }
    let conversion = Conversion(operation: self)
    if to == nil {
      return Transform(column: source, zoneColumn: zoneColumn, conversion: conversion, context: context)
    }
    var names = [column]
    if case .column(let c) = fromZone { names.append(c) }
    return ColumnAdditionTransform(
      sources: [source] + (zoneColumn.map { [$0] } ?? []), sourceNames: names, count: 1,
      position: source + 1, rule: Addition(conversion: conversion), readsText: false,
      onError: onError, context: context)
  }

  /// Rewrites the column in place.
  final class Transform: StepTransform {
    let column: Int
    let zoneColumn: Int?
    let conversion: Conversion
    let context: StepContext
    /// The converted values of the batch at hand (memory kept from batch to batch).
    private let output = ByteBuffer(capacity: 1 << 16)
    /// The zone caches only speed lookups up: each batch is converted on its own.
    var batchesAreIndependent: Bool { true }
    private(set) var cellsChanged = 0

    init(column: Int, zoneColumn: Int?, conversion: Conversion, context: StepContext) {
      self.column = column
      self.zoneColumn = zoneColumn
      self.conversion = conversion
      self.context = context
    }

    func process(
      _ batch: inout Batch, scope: RowScope, prepared: AnyObject?, rejections: inout [RowRejection]
    ) throws -> Int {
      let nulls = context.nullValues
      let zoneCells = zoneColumn.map { batch.columns[$0] } ?? []
      let lines = batch.lines
      let base = batch.arena.count
      let onError = conversion.onError
      // New values collect here and join the arena once, so the arena can be read by pointer.
      let output = self.output
      output.removeAll()
      let plain = conversion.writesPlain(delimiter: batch.plainDelimiter)
      try batch.withColumn(column) { cells, arena in
        for r in 0..<cells.count where scope.contains(r) {
          let cell = cells[r]
          if nulls.isNull(cell, arena: arena) { continue }
          let start = output.count
          let value = UnsafeBufferPointer(rebasing: arena[Int(cell.start)..<cell.end])
          var rowZone: UnsafeBufferPointer<UInt8>? = nil
          if zoneColumn != nil {
            let z = zoneCells[r]
            if !nulls.isNull(z, arena: arena) {
              rowZone = UnsafeBufferPointer(rebasing: arena[Int(z.start)..<z.end])
            }
          }
          if let failure = conversion.convert(value, rowZone: rowZone, into: output) {
            switch onError {
            case .reject: rejections.append(RowRejection(row: r, reason: failure))
            case .null:
              cells[r] = .empty
              cellsChanged += 1
            case .keep: break
            case .fail: throw DataError(failure, line: lines[r], step: context.number, op: context.op)
            }
          } else {
            cells[r] = Cell(start: base + start, length: output.count - start, plain: plain)
            cellsChanged += 1
          }
        }
      }
      batch.arena.append(contentsOf: output.bytes)
      return 0
    }
  }

  /// Writes the converted value into a new column after the source (`to`), the
  /// source kept; a value that fails leaves the new cell null.
  final class Addition: ColumnRule {
    let conversion: Conversion

    init(conversion: Conversion) { self.conversion = conversion }

    var worksOnBytes: Bool { false }

    func produce(
      _ values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>?>, into out: ByteBuffer,
      cells: UnsafeMutableBufferPointer<NewCell>
    ) -> String? {
      guard let value = values[0] else { return nil }
      let start = out.count
      if let failure = conversion.convert(value, rowZone: values.count > 1 ? values[1] : nil, into: out) {
        return failure
      }
      cells[0] = .written(since: start, in: out)
      return nil
    }

    func keepsPlain(delimiter: UInt8) -> Bool { conversion.writesPlain(delimiter: delimiter) }
  }

  /// The step's cell logic, shared by the in-place and the `to` forms: one value
  /// (and, with a zone column, its row's zone) in, the converted value out.
  final class Conversion {
    // The converters are owned by `converters` (and `rowZones`); the hot loop
    // reaches them through Unmanaged references.
    private let converters: [ZoneConverter]
    let target: Unmanaged<ZoneConverter>
    let fixedSource: Unmanaged<ZoneConverter>?
    let usesZoneColumn: Bool
    var rowZones: [[UInt8]: ZoneConverter?] = [:]
    var lastZoneKey: [UInt8] = []
    var lastZone: ZoneConverter? = nil
    let targetIsUTC: Bool
    let ambiguous: Ambiguous
    let nonexistent: Nonexistent
    let onError: OnError
    let zoneColumnName: String
    let reader: TimestampReader
    /// nil: ISO 8601.
    let writer: TimestampWriter?
    private var scratch: [UInt8] = []

    init(operation: NormalizeTimezoneOperation) {
      let target = ZoneConverter(zone: operation.toZone)
      var converters = [target]
      var fixed: ZoneConverter? = nil
      if case .zone(let z) = operation.fromZone {
        fixed = ZoneConverter(zone: z)
        converters.append(fixed!)
      }
      self.converters = converters
      self.target = Unmanaged.passUnretained(target)
      self.fixedSource = fixed.map { Unmanaged.passUnretained($0) }
      targetIsUTC = operation.toZone.isUTC
      ambiguous = operation.ambiguous
      nonexistent = operation.nonexistent
      onError = operation.onError
      if case .column(let name) = operation.fromZone {
        zoneColumnName = name
        usesZoneColumn = true
      } else {
        zoneColumnName = ""
        usesZoneColumn = false
      }
      reader = TimestampReader(formats: operation.inputFormats)
      writer = operation.outputFormat.map { TimestampWriter(format: $0, zoneName: operation.toZone.name) }
    }

    /// True when every value the step writes is a plain cell for `delimiter`.
    func writesPlain(delimiter: UInt8) -> Bool { writer?.writesPlain(delimiter: delimiter) ?? false }

    /// Converts one value, appending the result to `out`; returns a reason when it
    /// cannot, having appended nothing. With a zone column, `rowZone` is the row's
    /// zone (nil when that cell is null).
    func convert(
      _ raw: UnsafeBufferPointer<UInt8>, rowZone: UnsafeBufferPointer<UInt8>?, into out: ByteBuffer
    ) -> String? {
      guard let time = reader.read(raw) else { return reader.failure(raw) }
      let utc: Int64
      if let offset = time.offset {
        utc = time.localSeconds - Int64(offset)
      } else {
        // Converters are reached through Unmanaged references: no reference counting per value.
        let converter: Unmanaged<ZoneConverter>
        if let fixedSource {
          converter = fixedSource
        } else if usesZoneColumn {
          let name = zoneColumnName
          guard let zoneBytes = rowZone else { return "the zone column \"\(name)\" is empty for this row" }
          guard let z = zoneConverter(zoneBytes) else {
            let zoneName = String(decoding: zoneBytes, as: UTF8.self)
            var reason = "unknown time zone \"\(zoneName)\" in column \"\(name)\""
            if let hint = Zone.suggestion(for: zoneName) { reason += " (did you mean \"\(hint)\"?)" }
            return reason
          }
          converter = Unmanaged.passUnretained(z)
        } else {
          return "\"\(text(raw))\" has no UTC offset and the step names no from_zone"
        }
        switch converter._withUnsafeGuaranteedRef({ $0.resolve(local: time.localSeconds) }) {
        case .unique(let t):
          utc = t
        case .ambiguous(let earlier, let later):
          switch ambiguous {
          case .earlier: utc = earlier
          case .later: utc = later
          case .reject:
            return
              "\"\(text(raw))\" happens twice in \(converter.takeUnretainedValue().zone.name) (clocks go back); ambiguous: reject"
          }
        case .nonexistent(let shifted):
          switch nonexistent {
          case .shiftForward: utc = shifted
          case .reject:
            return
              "\"\(text(raw))\" does not exist in \(converter.takeUnretainedValue().zone.name) (clocks go forward); nonexistent: reject"
          }
        }
      }
      let offset = target._withUnsafeGuaranteedRef { $0.offset(at: utc) }
      var wall = CivilDateTime(localSeconds: utc + Int64(offset))
      wall.fractionValue = time.fractionValue
      wall.fractionCount = time.fractionCount
      if let writer {
        writer.write(wall, offset: offset, utcSeconds: utc, into: out)
      } else {
        scratch.removeAll(keepingCapacity: true)
        ISO8601.append(wall, offset: offset, utc: targetIsUTC, to: &scratch)
        out.write(scratch)
      }
      return nil
    }

    private func text(_ raw: UnsafeBufferPointer<UInt8>) -> String { String(decoding: raw, as: UTF8.self) }

    private func zoneConverter(_ name: UnsafeBufferPointer<UInt8>) -> ZoneConverter? {
      if name.elementsEqual(lastZoneKey), let lastZone { return lastZone }
      let key = Array(name)
      let converter: ZoneConverter?
      if let cached = rowZones[key] {
        converter = cached
      } else {
        let trimmed = String(decoding: key, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        converter = Zone(trimmed).map(ZoneConverter.init)
        rowZones[key] = converter
      }
      if let converter {
        lastZoneKey = key
        lastZone = converter
      }
      return converter
    }
  }
}

/// The default output: `2024-03-10T07:30:00Z` in UTC, `2024-03-10T08:30:00+01:00`
/// elsewhere, fractional seconds as written.
enum ISO8601 {
  static func append(_ t: CivilDateTime, offset: Int, utc: Bool, to out: inout [UInt8]) {
    func two(_ v: Int) {
      out.append(UInt8(48 + v / 10))
      out.append(UInt8(48 + v % 10))
    }
    if t.year >= 0 && t.year <= 9999 {
      two(t.year / 100)
      two(t.year % 100)
    } else {
      // ISO 8601 expanded years: a sign and every digit (at least four).
      out.append(t.year < 0 ? 45 : 43)
      let digits = Array(String(abs(t.year)).utf8)
      for _ in digits.count..<max(4, digits.count) { out.append(48) }
      out.append(contentsOf: digits)
    }
    out.append(45)
    two(t.month)
    out.append(45)
    two(t.day)
    out.append(UInt8(ascii: "T"))
    two(t.hour)
    out.append(58)
    two(t.minute)
    out.append(58)
    two(t.second)
    if t.fractionCount > 0 {
      out.append(UInt8(ascii: "."))
      t.appendFraction(to: &out)
    }
    if utc && offset == 0 {
      out.append(UInt8(ascii: "Z"))
      return
    }
    out.append(offset < 0 ? 45 : 43)
    let a = abs(offset)
    two(a / 3600)
    out.append(58)
    two(a / 60 % 60)
    if a % 60 != 0 {
      out.append(58)
      two(a % 60)
    }
  }
}

extension NormalizeTimezoneOperation {
  /// Instants the exported job converts in named zones: the years 1–9999 (with
  /// three days' room for the resolution window), which both engines' zone data covers.
  static let exportRange: ClosedRange<Int64> = (-62_135_596_800 + 3 * 86_400)...(253_402_300_799 - 3 * 86_400)

  /// The named zones a zone column may hold in an exported job: every name
  /// Decant knows and every zone of the system's tz database it accepts (UTC's
  /// names and offsets are read by the job itself).
  static let exportedZoneNames: [String] = {
    var names = Zone.knownNames
    let root = "/usr/share/zoneinfo/"
    if let files = FileManager.default.enumerator(atPath: root) {
      for case let file as String in files
      where file.contains("/") && !file.hasPrefix("posix/") && !file.hasPrefix("right/") {
        if Zone(file) != nil { names.insert(file) }
      }
    }
    return names.subtracting(Zone.utcNames).filter { Zone($0)?.timeZone != nil }.sorted()
  }()

  /// The same conversion in SQL: the value read by `TimestampSQL`, a wall-clock
  /// time resolved in `from_zone` as `ZoneConverter.resolve` does (the offsets two
  /// days either side of its hour; where they differ, each candidate instant is
  /// checked against the offset it assumed), the policies for repeated and
  /// skipped times, and the result written in `to_zone`. Offsets of named zones
  /// come from the engine's time-zone data.
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    let d = sql.dialect
    let c = sql.column(column)
    let t = try TimestampSQL.read(c, formats: inputFormats, sql: &sql)
    let local = sql.let(TimestampSQL.localSeconds(t, d))
    let range = Self.exportRange
    func inRange(_ x: String) -> String { "(\(x) BETWEEN \(range.lowerBound) AND \(range.upperBound))" }
    // Values that carry no offset and need the source zone.
    let read = "\(t.ok) = 1 AND \(t.offset) IS NULL"
    /// Conditions the engine's zone data needs (the job stops where they fail).
    var needs: [String] = []
    /// Failures of the source zone, in the order Decant meets them.
    var zoneFailures: [(when: String, reason: String)] = []
    // The source zone: a fixed offset, or a zone whose offsets depend on the
    // instant (a named zone, or the row's zone), and its name in reasons.
    var fixedSource = "0"
    var sourceOffset: ((String) -> String)? = nil
    var sourceName = "''"
    switch fromZone {
    case .none:
      zoneFailures.append((read, "'\"' || \(c) || '\" has no UTC offset and the step names no from_zone'"))
    case .zone(let z):
      sourceName = d.text(z.name)
      if let fixed = z.fixedOffset {
        fixedSource = String(fixed)
      } else {
        sourceOffset = { d.zoneOffset(d.text(z.name), at: $0) }
        needs.append("(\(t.offset) IS NOT NULL OR \(inRange(local)))")
      }
    case .column(let name):
      let cell = sql.column(name)
      let zone = sql.let(d.regexReplaceAll(cell, "^[\\p{Zs}\\t]+|[\\p{Zs}\\t]+\\z", ""))
      let utcNames = Zone.utcNames.sorted().map(d.text).joined(separator: ", ")
      let named = Self.exportedZoneNames.map(d.text).joined(separator: ", ")
      // 0: null, 1: a UTC name, 2: an offset, 3: a named zone, -1: unknown.
      let kind = sql.let(
        "CASE WHEN \(sql.isNull(cell)) THEN 0 WHEN \(zone) IN (\(utcNames)) THEN 1 "
          + "WHEN \(d.regexFind(zone, "^(?:" + TimestampSQL.signedOffsetRegex + ")\\z")) THEN 2 "
          + "WHEN \(zone) IN (\(named)) THEN 3 ELSE -1 END")
      let rowOffset = sql.lets([
        "CASE WHEN \(kind) = 2 THEN \(TimestampSQL.offsetSeconds(zone, d)) ELSE 0 END",
        "CASE WHEN \(kind) = 3 THEN \(zone) ELSE 'UTC' END",
      ])
      sourceName = zone
      sourceOffset = {
        "CASE WHEN \(kind) = 3 THEN \(d.zoneOffset(rowOffset[1], at: $0)) ELSE \(rowOffset[0]) END"
      }
      needs.append("(\(t.offset) IS NOT NULL OR \(kind) <> 3 OR \(inRange(local)))")
      let quotedName = d.text("\"\(name)\"")
      zoneFailures.append(
        ("\(read) AND \(kind) = 0", "'the zone column ' || \(quotedName) || ' is empty for this row'"))
      // Decant's reason adds the closest known name (`Suggest.closest`:
      // distance over lower-cased characters, then the smaller name), found
      // here for names in ASCII; for others the job stops.
      let ascii = d.regexFind(cell, "^[\\x{0}-\\x{7F}]*\\z")
      let distance = "lpad(\(d.decimalText("levenshtein(lower(\(cell)), lower(__n))")), 9, '0') || __n"
      let best = sql.let(
        "CASE WHEN \(kind) = -1 AND \(ascii) THEN \(d.minimum(over: (Zone.knownNames + ["UTC"]).sorted(), "__n", distance)) ELSE '' END"
      )
      let guess = sql.lets([
        "CASE WHEN \(best) = '' THEN 0 ELSE \(d.bigint(d.substring(best, from: "1", count: "9"))) END",
        d.substring(best, from: "10"),
      ])
      let shorter = "least(\(d.length(cell)), \(d.length(guess[1])))"
      let limit = "CASE WHEN \(shorter) <= 4 THEN 1 ELSE greatest(2, \(d.intDiv(shorter, "3"))) END"
      zoneFailures.append(
        (
          "\(read) AND \(kind) = -1 AND \(ascii)",
          "'unknown time zone \"' || \(cell) || '\" in column ' || \(quotedName) || "
            + "CASE WHEN \(guess[0]) <= \(limit) THEN ' (did you mean \"' || \(guess[1]) || '\"?)' ELSE '' END"
        ))
      zoneFailures.append(
        (
          "\(read) AND \(kind) = -1",
          d.fail(
            "'step \(sql.number) (normalize_timezone): the zone \"' || \(cell) || "
              + d.text(
                "\" in column \"\(name)\" is unknown, and the exported job finds Decant's suggestions for names in ASCII only"
              ))
        ))
    }
    var kind = "0"
    let utc: String
    if let offsetAt = sourceOffset {
      let safe = sql.let("CASE WHEN \(inRange(local)) THEN \(local) ELSE 0 END")
      let hour = sql.let("\(d.floorDiv(safe, 3600)) * 3600")
      let edges = sql.lets([offsetAt("(\(hour) - 172800)"), offsetAt("(\(hour) + 176400)")])
      let (a, b) = (edges[0], edges[1])
      let candidates = sql.lets(["\(safe) - \(a)", "\(safe) - \(b)"])
      let (before, after) = (candidates[0], candidates[1])
      // Which candidates keep the offset they assumed (only where the edges differ).
      let fits = sql.lets([
        "CASE WHEN \(a) = \(b) OR \(offsetAt(before)) = \(a) THEN 1 ELSE 0 END",
        "CASE WHEN \(a) <> \(b) AND \(offsetAt(after)) = \(b) THEN 1 ELSE 0 END",
      ])
      kind = sql.let(
        "CASE WHEN \(fits[0]) = 1 AND \(fits[1]) = 1 THEN 1 WHEN \(fits[0]) = 1 OR \(fits[1]) = 1 THEN 0 ELSE 2 END"
      )
      let resolved: String
      switch ambiguous {
      case .earlier, .reject: resolved = "least(\(before), \(after))"
      case .later: resolved = "greatest(\(before), \(after))"
      }
      utc = sql.let(
        "CASE WHEN \(t.offset) IS NOT NULL THEN \(local) - \(t.offset) WHEN \(kind) = 1 THEN \(resolved) "
          + "WHEN \(kind) = 0 AND \(fits[0]) = 0 THEN \(after) ELSE \(before) END")
    } else {
      utc = sql.let("\(local) - COALESCE(\(t.offset), \(fixedSource))")
    }
    let offset: String
    if let fixed = toZone.fixedOffset {
      offset = String(fixed)
    } else {
      offset = sql.let(
        d.zoneOffset(d.text(toZone.name), at: "CASE WHEN \(inRange(utc)) THEN \(utc) ELSE 0 END"))
      needs.append(inRange(utc))
    }
    let wallSeconds = sql.let("\(utc) + \(offset)")
    let wall = TimestampSQL.wallClock(wallSeconds, fraction: t.fraction, sql: &sql)
    let text =
      outputFormat.map {
        TimestampSQL.write(wall, format: $0, offset: offset, utc: utc, zoneName: toZone.name, d)
      } ?? TimestampSQL.iso(wall, offset: offset, utcZone: toZone.isUTC, d)

    // Failures in the order Decant meets them, each with its reason.
    var failures = [TimestampSQL.unreadable(c, t, formats: inputFormats, d)] + zoneFailures
    if sourceOffset != nil {
      if ambiguous == .reject {
        failures.append(
          (
            "\(read) AND \(kind) = 1",
            "'\"' || \(c) || '\" happens twice in ' || \(sourceName) || ' (clocks go back); ambiguous: reject'"
          ))
      }
      if nonexistent == .reject {
        failures.append(
          (
            "\(read) AND \(kind) = 2",
            "'\"' || \(c) || '\" does not exist in ' || \(sourceName) || ' (clocks go forward); nonexistent: reject'"
          ))
      }
    }
    if !needs.isEmpty {
      // Before the step's own failures: the job cannot go on past this value.
      let failed = failures.map { "(\($0.when))" }.joined(separator: " OR ")
      let message = d.text(
        "\" lies outside the years 1 to 9999, where the exported job reads \(d.engineName)'s time-zone data")
      sql.reject(
        when: "NOT \(sql.isNull(c)) AND NOT (\(failed)) AND NOT (\(needs.joined(separator: " AND ")))",
        reason: d.fail("'step \(sql.number) (normalize_timezone): \"' || \(c) || \(message)"))
    }
    sql.rewrite(column, to: to, value: text, failures: failures, onError: onError)
  }
}

// MARK: DataBrew

extension NormalizeTimezoneOperation {
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    throw brew.refuse(
      "DataBrew documents no time-zone conversion with Decant's rules for repeated and skipped "
        + "wall-clock times (ambiguous, nonexistent)")
  }

  public static let dataBrewImport: DataBrewImport? = nil
}
