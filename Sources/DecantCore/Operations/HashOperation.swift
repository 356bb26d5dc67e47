/// Replaces cells with the lowercase hex SHA-256 of `salt` followed by the cell's
/// bytes (equal values give equal hashes, so hashed keys still join and dedupe).
/// Null cells stay null; bytes that are not valid UTF-8 are hashed as they are,
/// so a value never fails. Streams in constant memory; the salt is hashed once
/// per step, not once per cell.
public struct HashOperation: Operation {
  public static let descriptor = OperationDescriptor(
    name: "hash", summary: "replace cells with the SHA-256 of salt + value (lowercase hex)",
    parameters: [
      ParameterDescriptor("columns", .columns, required: true, "the columns to hash"),
      ParameterDescriptor(
        "salt", .string, default: "\"\"", "text put before each value's bytes (the same for every cell)"),
    ])

  public let columns: [String]
  public let salt: String

  public init(columns: [String], salt: String = "") {
    self.columns = columns
    self.salt = salt
  }

  public init(from fields: inout StepFields) throws(RecipeError) {
    columns = try fields.columns("columns", required: true)!
    salt = try fields.text("salt") ?? ""
  }

  public func encodedParameters() -> [(String, JSONValue)] {
    [("columns", .array(columns.map { .string($0) })), ("salt", .string(salt))]
  }

  /// The salt is left out: summaries are shown and logged.
  public var summary: String {
    "hash " + columns.map(Quoting.name).joined(separator: ", ") + (salt.isEmpty ? "" : " with a salt")
  }

  /// The values it writes are text: its columns become `string`.
  public func plan(_ input: Schema) throws -> Schema {
    input.retyped(try input.indexes(of: columns, field: "columns"), as: .string)
  }

  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    CellRewriteTransform(
      columns: try input.indexes(of: columns, field: "columns"), names: columns,
      rule: Rule(salt: Array(salt.utf8)), readsText: false, onError: .keep, context: context)
  }

  final class Rule: CellRule {
    /// The hash with the salt taken: each cell starts from a copy of it.
    let salted: SHA256

    init(salt: [UInt8]) {
      var s = SHA256()
      s.update(salt)
      salted = s
    }

    /// Hex digits only: plain unless the delimiter is one of them.
    func keepsPlain(delimiter: UInt8) -> Bool {
      !((delimiter >= 48 && delimiter <= 57) || (delimiter >= 97 && delimiter <= 102))
    }

    func rewrite(_ value: UnsafeBufferPointer<UInt8>, column k: Int, into out: ByteBuffer) -> CellOutcome {
      var s = salted
      s.update(value)
      s.finalizeHex(into: out.reserve(64))
      out.advance(by: 64)
      return .written
    }
  }
}

extension HashOperation {
  public func export(_ sql: inout StepSQL) throws(ExportRefusal) {
    for name in columns {
      let c = sql.column(name)
      let salted = salt.isEmpty ? c : "\(sql.text(salt)) || \(c)"
      sql.set(name, to: "CASE WHEN \(sql.isNull(c)) THEN \(c) ELSE \(sql.dialect.sha256(salted)) END")
    }
  }
}

// MARK: DataBrew

extension HashOperation {
  public func export(_ brew: inout DataBrewExport) throws(ExportRefusal) {
    throw brew.refuse(
      "DataBrew's CRYPTOGRAPHIC_HASH is an HMAC keyed by a secret in AWS Secrets Manager, not Decant's "
        + "SHA-256 of salt + value; the hashes would differ")
  }

  public static let dataBrewImport: DataBrewImport? = nil
}
