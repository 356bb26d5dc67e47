/// Rewrites dates and times in another layout without changing their zone:
/// each value is read by `input_formats` (ISO 8601 by default) and written by
/// `output_format`; a value's own offset is kept (`%z` writes it). With `to`,
/// the result goes into a new column right after the source, which is kept.
/// Unreadable values follow `on_error`; null cells stay null. Streams in
/// constant memory.
public struct FormatDateOperation: Operation {
  public static let descriptor = OperationDescriptor(
    name: "format_date", summary: "rewrite dates and times in another layout (the zone is not changed)",
    parameters: [
      ParameterDescriptor("column", .column, required: true, "the column holding dates or timestamps"),
      ParameterDescriptor(
        "input_formats", .timestampFormats, default: "ISO 8601",
        "strftime patterns tried in order: " + TimestampFormat.readingHelp),
      ParameterDescriptor(
        "output_format", .timestampFormat, required: true,
        "strftime pattern for the result: " + TimestampFormat.writingHelp
          + "; %z writes the value's own offset, nothing when it has none"),
      ParameterDescriptor(
        "to", .string, default: "none (rewrite in place)",
        "a new column for the result, right after the source (which is kept); null where the step fails or does not act"
      ),
      OnError.parameter,
    ])

  public let column: String
  /// Empty: ISO 8601.
  public let inputFormats: [TimestampFormat]
  public let outputFormat: TimestampFormat
  /// A new column for the result (nil: the column is rewritten in place).
  public let to: String?
  public let onError: OnError

  public init(
    column: String, inputFormats: [TimestampFormat] = [], outputFormat: TimestampFormat, to: String? = nil,
    onError: OnError = .reject
  ) {
    self.column = column
    self.inputFormats = inputFormats
    self.outputFormat = outputFormat
    self.to = to
    self.onError = onError
  }

  public init(from fields: inout StepFields) throws(RecipeError) {
    column = try fields.column("column")
    inputFormats = try fields.inputFormats()
    let output = try fields.outputFormat(required: true)!
    if output.tokens.contains(.directive(UInt8(ascii: "Z"))) {
      throw fields.error(
        "uses %Z, a zone name, but format_date does not change or know zones (%z writes a value's own offset; normalize_timezone writes zone names)",
        field: "output_format")
    }
    outputFormat = output
    to = try fields.nonEmptyString("to")
    onError = try fields.onError()
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    var out: [(String, JSONValue)] = [("column", .string(column))]
    if !inputFormats.isEmpty {
      out.append(("input_formats", .array(inputFormats.map { .string($0.pattern) })))
    }
    out.append(("output_format", .string(outputFormat.pattern)))
    if let to { out.append(("to", .string(to))) }
    out.append(("on_error", .string(onError.rawValue)))
    return out
  }

  public var summary: String {
    "format_date \(Quoting.name(column)) as \(Quoting.name(outputFormat.pattern))"
      + (to.map { " to \(Quoting.name($0))" } ?? "")
  }

  public func plan(_ input: Schema) throws -> Schema {
    let source = try input.indexes(of: [column], field: "column")[0]
    // The result is text in the output format.
    guard let to else { return input.retyped([source], as: .string) }
    return try input.inserting([to], types: [.string], at: source + 1, field: "to")
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    let source = try input.indexes(of: [column], field: "column")[0]
    let rule = Rule(
      reader: TimestampReader(formats: inputFormats), writer: TimestampWriter(format: outputFormat))
    // Parsing reads bytes: a value that is not valid UTF-8 never reads as a date.
    if to == nil {
      return CellRewriteTransform(
        columns: [source], names: [column], rule: rule, readsText: false, onError: onError, context: context)
    }
    return ColumnAdditionTransform(
      sources: [source], sourceNames: [column], count: 1, position: source + 1, rule: CellRuleAddition(rule),
      readsText: false, onError: onError, context: context)
  }

  /// Reads one value and writes it by the output pattern, in its own zone.
  final class Rule: CellRule {
    let reader: TimestampReader
    let writer: TimestampWriter

    init(reader: TimestampReader, writer: TimestampWriter) {
      self.reader = reader
      self.writer = writer
    }

    func rewrite(_ value: UnsafeBufferPointer<UInt8>, column k: Int, into out: ByteBuffer) -> CellOutcome {
      guard let t = reader.read(value) else { return .failed(reader.failure(value)) }
      // `%s` of a value without an offset counts its wall-clock time as UTC.
      writer.write(t, offset: t.offset, utcSeconds: t.localSeconds - Int64(t.offset ?? 0), into: out)
      return .written
    }

    func keepsPlain(delimiter: UInt8) -> Bool { writer.writesPlain(delimiter: delimiter) }
  }
}

extension FormatDateOperation {
  /// The value read by `TimestampSQL` and written by the output pattern, in its own zone.
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    let d = sql.dialect
    let c = sql.column(column)
    let t = try TimestampSQL.read(c, formats: inputFormats, sql: &sql)
    // `%s` of a value without an offset counts its wall-clock time as UTC.
    let utc = sql.let("\(TimestampSQL.localSeconds(t, d)) - COALESCE(\(t.offset), 0)")
    let value = TimestampSQL.write(t, format: outputFormat, offset: t.offset, utc: utc, zoneName: "", d)
    sql.rewrite(
      column, to: to, value: value, failures: [TimestampSQL.unreadable(c, t, formats: inputFormats, d)],
      onError: onError)
  }
}

// MARK: DataBrew

extension FormatDateOperation {
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    throw brew.refuse(
      "DataBrew's DATE_FORMAT reads and writes dates with Java patterns in its own way; Decant's strftime "
        + "formats and on_error have no documented counterpart")
  }

  public static let dataBrewImport: DataBrewImport? = nil
}
