/// What a parameter of an operation holds (drives `decant ops`, forms and completion).
public enum ParameterKind: Sendable, Equatable {
  case column
  case columns
  /// An object of old name → new name.
  case columnMap
  case string
  case strings
  case choice([String])
  /// An IANA zone name or fixed offset.
  case zone
  /// A zone name, or `{"column": NAME}` for a zone per row.
  case zoneOrColumn
  /// A strftime pattern.
  case timestampFormat
  case timestampFormats
  case bool
  /// A condition (JSON, or the text form in forms and on the command line).
  case condition
  /// A whole number.
  case integer
  /// An object of value → new value (a string, or null).
  case valueMap
  /// A string, or JSON null.
  case stringOrNull
  /// Key columns: a list of names found in both tables, or an object of data
  /// column → reference column (`lookup`'s `on`).
  case keyColumns

  public var typeName: String {
    switch self {
    case .column: return "column"
    case .columns: return "[column]"
    case .columnMap: return "{old: new}"
    case .string: return "string"
    case .strings: return "[string]"
    case .choice(let options): return options.joined(separator: "|")
    case .zone: return "zone"
    case .zoneOrColumn: return "zone | {\"column\": name}"
    case .timestampFormat: return "strftime"
    case .timestampFormats: return "[strftime]"
    case .bool: return "bool"
    case .condition: return "condition"
    case .integer: return "integer"
    case .valueMap: return "{value: new value | null}"
    case .stringOrNull: return "string | null"
    case .keyColumns: return "[column] | {column: reference column}"
    }
  }
}

/// One parameter of an operation as the recipe format documents it.
public struct ParameterDescriptor: Sendable, Equatable {
  public let name: String
  public let kind: ParameterKind
  public let required: Bool
  /// The default, in recipe JSON terms, when the parameter is optional.
  public let defaultValue: String?
  public let summary: String

  public init(
    _ name: String, _ kind: ParameterKind, required: Bool = false, default defaultValue: String? = nil,
    _ summary: String
  ) {
    self.name = name
    self.kind = kind
    self.required = required
    self.defaultValue = defaultValue
    self.summary = summary
  }
}

/// How a step of an operation takes a condition.
public enum ConditionRole: Sendable, Equatable {
  /// An optional `where` limits the rows the step acts on (most operations).
  case scope
  /// The operation acts on columns, not rows, and takes no `where` (rename, select, drop).
  case none
  /// The condition is the operation's own required parameter (filter, validate).
  case rule
}

/// The public face of an operation: its recipe name, what it does and its parameters.
public struct OperationDescriptor: Sendable {
  public let name: String
  public let summary: String
  public let parameters: [ParameterDescriptor]
  public let conditionRole: ConditionRole

  public init(
    name: String, summary: String, parameters: [ParameterDescriptor], conditionRole: ConditionRole = .scope
  ) {
    self.name = name
    self.summary = summary
    self.parameters = parameters
    self.conditionRole = conditionRole
  }

  /// The `where` parameter as a scope (`where` for a rule is listed among the parameters).
  public static let whereParameter = ParameterDescriptor(
    "where", .condition, "act only on the rows where this condition holds (others pass unchanged)")

  /// The parameters, then `where` when the operation takes one as a scope (for forms).
  public var allParameters: [ParameterDescriptor] {
    parameters + (conditionRole == .scope ? [OperationDescriptor.whereParameter] : [])
  }

  /// Every field a step of this operation may carry, parameters first.
  public var fieldNames: [String] {
    parameters.map(\.name) + (conditionRole == .scope ? ["where"] : []) + ["enabled", "note"]
  }
}

/// What a step may do with a value it cannot handle.
public enum OnError: String, Sendable, CaseIterable {
  /// The row goes to the rejects file (default).
  case reject
  /// The cell becomes null.
  case null
  /// The value is kept as it was.
  case keep
  /// The run stops; nothing is written (exit 1).
  case fail

  public static let parameter = ParameterDescriptor(
    "on_error", .choice(allCases.map(\.rawValue)), default: "reject",
    "what to do with a value that fails: reject the row, make the cell null, keep it, or stop the run")
}
