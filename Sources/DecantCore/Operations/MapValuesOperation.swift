/// Standardizes values through a mapping (the rule clustering produces): a cell
/// equal to a key (ignoring case with `case_insensitive`) becomes its value, or
/// null. Other cells are kept, made null or rejected (`unmapped`); null cells stay
/// null. Streams in constant memory; the mapping is a hash table of its keys.
public struct MapValuesOperation: Operation {
  public enum Unmapped: String, Sendable, CaseIterable { case keep, null, reject }

  public static let descriptor = OperationDescriptor(
    name: "map_values", summary: "replace whole values through a mapping",
    parameters: [
      ParameterDescriptor("columns", .columns, required: true, "the columns to map"),
      ParameterDescriptor("mapping", .valueMap, required: true, "value → new value (or null)"),
      ParameterDescriptor(
        "case_insensitive", .bool, default: "false", "match keys ignoring case (full case folding)"),
      ParameterDescriptor(
        "unmapped", .choice(Unmapped.allCases.map(\.rawValue)), default: "keep",
        "a value the mapping does not name: keep it, make it null, or reject the row"),
      OnError.parameter,
    ])

  public let columns: [String]
  public let mapping: [(String, String?)]
  public let caseInsensitive: Bool
  public let unmapped: Unmapped
  public let onError: OnError

  public init(from fields: inout StepFields) throws(RecipeError) {
    columns = try fields.columns("columns", required: true)!
    guard let m = try fields.valueMap("mapping") else {
      throw fields.error("is required (an object of value → new value)", field: "mapping")
    }
    if m.isEmpty { throw fields.error("must map at least one value", field: "mapping") }
    mapping = m
    caseInsensitive = try fields.bool("case_insensitive") ?? false
    unmapped = try fields.choice("unmapped", default: Unmapped.keep)
    onError = try fields.onError()
    if caseInsensitive {
      var seen: [[UInt8]: (String, String?)] = [:]
      for (k, v) in m {
        let key = CaseMapping.folded(k)
        if let (other, value) = seen[key], value != v {
          throw fields.error(
            "\"\(other)\" and \"\(k)\" are the same ignoring case but map to different values",
            field: "mapping")
        }
        seen[key] = (k, v)
      }
    }
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    [
      ("columns", .array(columns.map { .string($0) })),
      ("mapping", .object(mapping.map { ($0.0, $0.1.map { .string($0) } ?? .null) })),
      ("case_insensitive", .bool(caseInsensitive)), ("unmapped", .string(unmapped.rawValue)),
      ("on_error", .string(onError.rawValue)),
    ]
  }

  public var summary: String {
    "map_values " + columns.map(Quoting.name).joined(separator: ", ")
      + " (\(mapping.count) value\(mapping.count == 1 ? "" : "s")\(unmapped == .keep ? "" : ", others \(unmapped.rawValue)"))"
  }

  /// The values it writes are text: its columns become `string`.
  public func plan(_ input: Schema) throws -> Schema {
    input.retyped(try input.indexes(of: columns, field: "columns"), as: .string)
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    let keys = mapping.map { caseInsensitive ? CaseMapping.folded($0.0) : Array($0.0.utf8) }
    return CellRewriteTransform(
      columns: try input.indexes(of: columns, field: "columns"), names: columns,
      rule: Rule(
        keys: ByteLookup(keys), values: mapping.map { $0.1.map { Array($0.utf8) } },
        caseInsensitive: caseInsensitive,
        unmapped: unmapped, names: columns),
      readsText: true, onError: onError, context: context)
  }

  final class Rule: CellRule {
    let keys: ByteLookup
    let values: [[UInt8]?]
    let caseInsensitive: Bool
    let unmapped: Unmapped
    let names: [String]
    private let folded = ByteBuffer(capacity: 256)

    func keepsPlain(delimiter: UInt8) -> Bool {
      values.allSatisfy { $0.map { ByteSearch.isPlain($0, delimiter: delimiter) } ?? true }
    }

    init(keys: ByteLookup, values: [[UInt8]?], caseInsensitive: Bool, unmapped: Unmapped, names: [String]) {
      self.keys = keys
      self.values = values
      self.caseInsensitive = caseInsensitive
      self.unmapped = unmapped
      self.names = names
    }

    func rewrite(_ value: UnsafeBufferPointer<UInt8>, column k: Int, into out: ByteBuffer) -> CellOutcome {
      let index: Int?
      if caseInsensitive {
        folded.removeAll()
        CaseMapping.fold(value, into: folded)
        index = keys.index(of: folded.bytes)
      } else {
        index = keys.index(of: value)
      }
      guard let index else {
        switch unmapped {
        case .keep: return .unchanged
        case .null: return .null
        case .reject:
          return .reject(
            "no mapping for \"\(String(decoding: value, as: UTF8.self))\" in column \(Quoting.name(names[k]))"
          )
        }
      }
      guard let new = values[index] else { return .null }
      if ByteSearch.equal(value, new) { return .unchanged }
      out.write(new)
      return .written
    }
  }
}

extension MapValuesOperation {
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    let d = sql.dialect
    // Case-insensitive keys match the cell's full case folding.
    func key(_ s: String) -> String {
      d.text(caseInsensitive ? String(decoding: CaseMapping.folded(s), as: UTF8.self) : s)
    }
    for name in columns {
      let c = sql.column(name)
      let cell = caseInsensitive ? CaseSQL.fold(c, sql: sql, what: "the column \(name)") : c
      let keys = mapping.map { key($0.0) }.joined(separator: ", ")
      // A simple CASE reads the (folded) cell once.
      var expr = "CASE WHEN \(sql.isNull(c)) THEN \(c) ELSE CASE \(cell)"
      for (from, to) in mapping { expr += " WHEN \(key(from)) THEN \(d.text(to))" }
      expr += unmapped == .null ? " ELSE NULL END END" : " ELSE \(c) END END"
      if unmapped == .reject {
        let reason =
          "\(d.text("no mapping for \"")) || \(c) || \(d.text("\" in column \(Quoting.name(name))"))"
        sql.reject(when: "NOT \(sql.isNull(c)) AND NOT (\(cell) IN (\(keys)))", reason: reason)
      }
      sql.set(name, to: expr)
    }
  }
}

// MARK: DataBrew

extension MapValuesOperation {
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    throw brew.refuse(
      "DataBrew documents no action that maps whole values (with unmapped values kept, nulled or "
        + "rejected) as map_values does")
  }

  public static let dataBrewImport: DataBrewImport? = nil
}
