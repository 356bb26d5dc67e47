import DecantCore

/// A text facet (OpenRefine's, VisiData's Shift-F): the values of one column of
/// the shown table with how many rows hold each, sorted by count or by value.
/// Values picked in it become a `filter` step (keep the rows holding them) or a
/// `map_values` step (write the first picked value in place of the others).
public struct Facet: Sendable {
  public enum Order: String, Sendable { case count, value }

  public struct Entry: Sendable, Equatable {
    /// nil: the null cells.
    public var value: String?
    public var count: Int
  }

  public let column: String
  public let rows: Int
  /// Counted over the whole file (through the steps before the viewed one), not the sample.
  public private(set) var wholeFile = false
  public private(set) var entries: [Entry]
  public private(set) var order: Order = .count
  public var cursor = 0
  /// Picked values, in the order they were picked.
  public private(set) var picked: [Entry] = []

  /// Counts the values of `column` in `table`; null cells count as one entry.
  public init(table: TableView, column c: Int, nulls: NullValues) {
    column = table.schema.names[c]
    var counter = ValueCounter()
    counter.add(table.batch, column: c, nullValues: nulls)
    rows = counter.rows
    entries = counter.values.map { Entry(value: $0.value, count: $0.count) }
    if counter.nulls > 0 { entries.append(Entry(value: nil, count: counter.nulls)) }
    sort()
  }

  /// A facet of counts made elsewhere (the whole file, counted in the background).
  public init(column: String, counter: ValueCounter) {
    self.column = column
    rows = counter.rows
    entries = counter.values.map { Entry(value: $0.value, count: $0.count) }
    if counter.nulls > 0 { entries.append(Entry(value: nil, count: counter.nulls)) }
    wholeFile = true
    sort()
  }

  /// Counts the values of `column` over the whole file at `path`, through the
  /// recipe's steps (the steps of the shown table); `stop` cancels between chunks.
  public static func wholeFile(
    column: String, recipe: Recipe, path: String, progress: @escaping (Double?) -> Void,
    cancelled: @escaping () -> Bool
  ) throws -> Facet {
    let open = { try InputOpener(path: path, settings: recipe.input).open() }
    let pipeline = try Pipeline(recipe: recipe, inputSchema: try open().schema)
    try pipeline.prepare(open: open)
    guard let c = pipeline.outputSchema.index(of: column) else {
      throw PlanError("no column \"\(column)\" after these steps")
    }
    let nulls = NullValues(recipe.input.nullValues)
    var counter = ValueCounter()
    let sinks = Pipeline.Sinks(output: { batch in
      if cancelled() { throw CancellationError() }
      counter.add(batch, column: c, nullValues: nulls)
    })
    _ = try pipeline.run(reader: try open(), sinks: sinks) { read, total in
      progress(total.map { Double(read) / Double(max(1, $0)) })
    }
    return Facet(column: column, counter: counter)
  }

  /// Most rows first (ties by value), or by value (nulls last).
  private mutating func sort() {
    switch order {
    case .count:
      entries.sort {
        $0.count != $1.count ? $0.count > $1.count : ($0.value ?? "\u{10FFFF}") < ($1.value ?? "\u{10FFFF}")
      }
    case .value:
      entries.sort { ($0.value ?? "\u{10FFFF}") < ($1.value ?? "\u{10FFFF}") }
    }
  }

  public mutating func toggleOrder() {
    let current = entries.indices.contains(cursor) ? entries[cursor] : nil
    order = order == .count ? .value : .count
    sort()
    if let current, let i = entries.firstIndex(of: current) { cursor = i }
  }

  public mutating func move(_ delta: Int) {
    guard !entries.isEmpty else { return }
    cursor = max(0, min(entries.count - 1, cursor + delta))
  }

  /// Picks or unpicks the value under the cursor.
  public mutating func togglePick() {
    guard entries.indices.contains(cursor) else { return }
    let e = entries[cursor]
    if let i = picked.firstIndex(of: e) { picked.remove(at: i) } else { picked.append(e) }
  }

  public func isPicked(_ e: Entry) -> Bool { picked.contains(e) }

  /// The picked values, or the one under the cursor when none is picked.
  var chosen: [Entry] {
    if !picked.isEmpty { return picked }
    return entries.indices.contains(cursor) ? [entries[cursor]] : []
  }

  /// A `filter` step keeping the rows that hold the chosen values.
  public func filterStep() throws -> Step {
    let values = chosen.compactMap(\.value)
    let hasNull = chosen.contains { $0.value == nil }
    var leaves: [JSONValue] = []
    if !values.isEmpty {
      leaves.append(.object([("column", .string(column)), ("in", .array(values.map { .string($0) }))]))
    }
    if hasNull { leaves.append(.object([("column", .string(column)), ("is_null", .bool(true))])) }
    let condition: JSONValue = leaves.count == 1 ? leaves[0] : .object([("any", .array(leaves))])
    return try OperationRegistry.decodeStep(
      .object([("op", .string("filter")), ("where", condition)]), number: 1)
  }

  /// A `map_values` step writing the first picked value in place of the other
  /// picked ones (the rule clustering would make); nil when fewer than two
  /// non-null values are picked.
  public func mapStep() throws -> Step? {
    let values = picked.compactMap(\.value)
    guard values.count >= 2 else { return nil }
    let target = values[0]
    return try OperationRegistry.decodeStep(
      .object([
        ("op", .string("map_values")), ("columns", .array([.string(column)])),
        ("mapping", .object(values.dropFirst().map { ($0, .string(target)) })),
      ]), number: 1)
  }

  /// The facet's lines for its box: a marker for picked values, the count, a bar, the value.
  func lines(width: Int) -> [(String, Style)] {
    let top = entries.map(\.count).max() ?? 1
    let countWidth = String(top).count
    return entries.enumerated().map { i, e in
      let mark = (i == cursor ? "▸" : " ") + (isPicked(e) ? "■" : "□")
      let count = String(repeating: " ", count: countWidth - String(e.count).count) + String(e.count)
      let bar = String(repeating: "█", count: max(1, e.count * 10 / max(1, top)))
      let bars = bar + String(repeating: " ", count: 10 - bar.count)
      let text = "\(mark) \(count) \(bars) \(e.value.map { $0.isEmpty ? "\"\"" : $0 } ?? GridView.nullMark)"
      return (DisplayWidth.fit(text, width: width), i == cursor ? .cursor : (isPicked(e) ? .changed : .plain))
    }
  }
}
