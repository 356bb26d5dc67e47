/// Puts one part of each date or timestamp (its year, ISO week, weekday…) into
/// a new column right after the source: a plain integer (`3`, not `03`), or for
/// `date` the day as `YYYY-MM-DD`. Values are read by `input_formats` (ISO 8601
/// by default) and taken as written, in their own zone. Unreadable values follow
/// `on_error` (the new cell is null under `null` and `keep`); null cells give
/// null. Streams in constant memory.
public struct DatePartOperation: Operation {
  public enum Part: String, Sendable, CaseIterable {
    case year, month, day, hour, minute, second, weekday
    case dayOfYear = "day_of_year"
    case isoWeek = "iso_week"
    case quarter, date
  }

  public static let descriptor = OperationDescriptor(
    name: "date_part", summary: "put a part of each date (year, ISO week, weekday…) into a new column",
    parameters: [
      ParameterDescriptor("column", .column, required: true, "the column holding dates or timestamps"),
      ParameterDescriptor(
        "part", .choice(Part.allCases.map(\.rawValue)), required: true,
        "the part, as a plain integer: weekday is ISO (Monday 1 … Sunday 7), iso_week the ISO 8601 week (1–53), "
          + "quarter 1–4; hour, minute and second are 0 for a date without a time; date is YYYY-MM-DD"),
      ParameterDescriptor(
        "to", .string, default: "COLUMN_PART, e.g. d_iso_week", "the new column's name"),
      ParameterDescriptor(
        "input_formats", .timestampFormats, default: "ISO 8601",
        "strftime patterns tried in order: " + TimestampFormat.readingHelp),
      OnError.parameter,
    ])

  public let column: String
  public let part: Part
  public let to: String
  /// Empty: ISO 8601.
  public let inputFormats: [TimestampFormat]
  public let onError: OnError

  public init(
    column: String, part: Part, to: String? = nil, inputFormats: [TimestampFormat] = [],
    onError: OnError = .reject
  ) {
    self.column = column
    self.part = part
    self.to = to ?? DatePartOperation.defaultName(column: column, part: part)
    self.inputFormats = inputFormats
    self.onError = onError
  }

  /// The column, `_`, the part as written in the recipe (`d_iso_week`).
  public static func defaultName(column: String, part: Part) -> String { column + "_" + part.rawValue }

  public init(from fields: inout StepFields) throws(RecipeError) {
    column = try fields.column("column")
    guard fields.has("part") else {
      throw fields.error(
        "is required (one of \(Part.allCases.map(\.rawValue).joined(separator: ", ")))", field: "part")
    }
    part = try fields.choice("part", default: Part.year)
    to = try fields.nonEmptyString("to") ?? DatePartOperation.defaultName(column: column, part: part)
    inputFormats = try fields.inputFormats()
    onError = try fields.onError()
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    var out: [(String, JSONValue)] = [
      ("column", .string(column)), ("part", .string(part.rawValue)), ("to", .string(to)),
    ]
    if !inputFormats.isEmpty {
      out.append(("input_formats", .array(inputFormats.map { .string($0.pattern) })))
    }
    out.append(("on_error", .string(onError.rawValue)))
    return out
  }

  public var summary: String {
    "date_part \(part.rawValue) of \(Quoting.name(column)) to \(Quoting.name(to))"
  }

  public func plan(_ input: Schema) throws -> Schema {
    let source = try input.indexes(of: [column], field: "column")[0]
    return try input.inserting([to], types: [part == .date ? .date : .integer], at: source + 1, field: "to")
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    let source = try input.indexes(of: [column], field: "column")[0]
    // Parsing reads bytes: a value that is not valid UTF-8 never reads as a date.
    return ColumnAdditionTransform(
      sources: [source], sourceNames: [column], count: 1, position: source + 1,
      rule: Rule(reader: TimestampReader(formats: inputFormats), part: part), readsText: false,
      onError: onError, context: context)
  }

  /// Reads one value and writes the part.
  final class Rule: ColumnRule {
    let reader: TimestampReader
    let part: Part
    /// `date` is the day written by the one timestamp writer.
    let dayWriter: TimestampWriter

    init(reader: TimestampReader, part: Part) {
      self.reader = reader
      self.part = part
      dayWriter = TimestampWriter(format: try! TimestampFormat("%Y-%m-%d", forParsing: false))
    }

    var worksOnBytes: Bool { false }

    func produce(
      _ values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>?>, into out: ByteBuffer,
      cells: UnsafeMutableBufferPointer<NewCell>
    ) -> String? {
      guard let value = values[0] else { return nil }
      guard let t = reader.read(value) else { return reader.failure(value) }
      let start = out.count
      let number: Int
      switch part {
      case .year: number = t.year
      case .month: number = t.month
      case .day: number = t.day
      case .hour: number = t.hour
      case .minute: number = t.minute
      case .second: number = t.second
      case .quarter: number = (t.month + 2) / 3
      case .dayOfYear: number = CivilTime.dayOfYear(year: t.year, month: t.month, day: t.day)
      case .weekday:
        number = CivilTime.isoWeekday(
          daysSinceEpoch: CivilTime.daysFromCivil(year: t.year, month: t.month, day: t.day))
      case .isoWeek:
        number =
          CivilTime.isoWeek(daysSinceEpoch: CivilTime.daysFromCivil(year: t.year, month: t.month, day: t.day))
          .week
      case .date:
        dayWriter.write(t, offset: nil, utcSeconds: 0, into: out)
        cells[0] = .written(since: start, in: out)
        return nil
      }
      Self.writeInteger(number, into: out)
      cells[0] = .written(since: start, in: out, jsonLiteral: true)
      return nil
    }

    /// Appends `v` in decimal, without leading zeros.
    @inline(__always) static func writeInteger(_ v: Int, into out: ByteBuffer) {
      if v >= 0 && v < 10 {
        out.reserve(1).pointee = UInt8(48 + v)
        out.advance(by: 1)
        return
      }
      let p = out.reserve(21)
      var n = 0
      var x = v.magnitude
      if v < 0 {
        p[0] = UInt8(ascii: "-")
        n = 1
      }
      var digits = 0
      var t = x
      repeat {
        digits += 1
        t /= 10
      } while t > 0
      var i = n + digits - 1
      repeat {
        p[i] = UInt8(48 + x % 10)
        x /= 10
        i -= 1
      } while x > 0
      out.advance(by: n + digits)
    }

    /// The part is digits and, for `date` or a negative year, `-`.
    func keepsPlain(delimiter: UInt8) -> Bool {
      delimiter != 0 && !(48...57).contains(delimiter) && delimiter != UInt8(ascii: "-")
    }
  }
}

extension DatePartOperation {
  /// The value read by `TimestampSQL`; the part computed in whole numbers.
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    let d = sql.dialect
    let c = sql.column(column)
    let t = try TimestampSQL.read(c, formats: inputFormats, sql: &sql)
    func days() -> String { TimestampSQL.daysFromCivil(year: t.year, month: t.month, day: t.day, d) }
    let number: String?
    switch part {
    case .year: number = t.year
    case .month: number = t.month
    case .day: number = t.day
    case .hour: number = t.hour
    case .minute: number = t.minute
    case .second: number = t.second
    case .quarter: number = d.intDiv("(\(t.month) + 2)", "3")
    case .dayOfYear:
      number = "(\(days()) - \(TimestampSQL.daysFromCivil(year: t.year, month: "1", day: "1", d)) + 1)"
    case .weekday:
      number = "(((\(days()) % 7) + 10) % 7 + 1)"
    case .isoWeek:
      // The week of the year of its Thursday (`CivilTime.isoWeek`).
      let day = sql.let(days())
      let thursday = sql.let("\(day) - (((\(day) % 7) + 10) % 7 + 1) + 4")
      let (year, _, _) = TimestampSQL.civil(days: thursday, sql: &sql)
      number =
        "(\(d.intDiv("(\(thursday) - \(TimestampSQL.daysFromCivil(year: year, month: "1", day: "1", d)))", "7")) + 1)"
    case .date: number = nil
    }
    // `date` is the day, written as the one timestamp writer writes `%Y-%m-%d`.
    let value =
      number.map(d.decimalText)
      ?? TimestampSQL.write(
        t, format: try! TimestampFormat("%Y-%m-%d", forParsing: false), offset: "NULL", utc: "0",
        zoneName: "", d)
    sql.rewrite(
      column, to: to, value: value, failures: [TimestampSQL.unreadable(c, t, formats: inputFormats, d)],
      onError: onError)
  }
}

// MARK: DataBrew

extension DatePartOperation {
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    throw brew.refuse(
      "DataBrew's date functions read dates with Java patterns in their own way; Decant's strftime "
        + "formats and on_error have no documented counterpart")
  }

  public static let dataBrewImport: DataBrewImport? = nil
}
