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

/// The public face of an operation: its recipe name, what it does and its parameters.
public struct OperationDescriptor: Sendable {
  public let name: String
  public let summary: String
  public let parameters: [ParameterDescriptor]

  public init(name: String, summary: String, parameters: [ParameterDescriptor]) {
    self.name = name
    self.summary = summary
    self.parameters = parameters
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
