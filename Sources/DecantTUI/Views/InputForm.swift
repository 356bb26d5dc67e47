import DecantCore

/// The input settings form (`i`): one field per setting of how the file is read,
/// filled with the values in effect. It is edited like a step's form; Enter takes
/// the fields whose text changed, each read by `InputChange.parse` (as `:set`
/// reads it), and the workbench applies them as one change.
public struct InputForm: FieldForm {
  public var fields: [FormField]
  public var focus = 0
  /// No field names a column.
  public var columns: [String] { [] }
  /// The file's format: JSON Lines has no delimiter, header or ragged rows, so
  /// those fields are left out.
  public let format: DataFormat
  /// Each field's text when the form opened; a field whose text differs is a change.
  let initial: [String]
  /// What keeps the form from applying: a value that does not read, or a file
  /// that cannot be read with the settings.
  public var problem: String?

  /// A form showing `settings` (the settings in effect, with the format known).
  public init(settings: InputSettings) {
    let format = settings.format ?? .csv
    self.format = format
    let names = format == .jsonl ? ["null_values", "encoding"] : InputChange.names
    fields = names.map { InputForm.field($0, settings, format: format) }
    initial = fields.map(\.text)
  }

  /// The settings the form leaves out because they do not apply to the format.
  public var notApplicable: [String] {
    InputChange.names.filter { name in !fields.contains { $0.parameter.name == name } }
  }

  static func field(_ name: String, _ s: InputSettings, format: DataFormat) -> FormField {
    switch name {
    case "null_values":
      return FormField(
        parameter: ParameterDescriptor(
          name, .strings, default: "\"\"",
          #"cells that count as null, comma-separated; "" is the empty cell (NA,"")"#),
        text: InputChange.nullValuesText(s.nullValues), options: [])
    case "delimiter":
      let d = s.delimiter ?? (format == .tsv ? "\t" : ",")
      return FormField(
        parameter: ParameterDescriptor(name, .string, #"one character, such as , ; | or \t (tab)"#),
        text: d == "\t" ? "\\t" : d, options: [])
    case "header":
      return FormField(
        parameter: ParameterDescriptor(
          name, .choice(["yes", "no"]), "whether the first row names the columns"),
        text: s.header ?? true ? "yes" : "no", options: ["yes", "no"])
    case "encoding":
      let names = TextEncoding.allCases.map(\.rawValue)
      return FormField(
        parameter: ParameterDescriptor(
          name, .choice(names), "how the file's bytes become text (a byte order mark is always honoured)"),
        text: (s.encoding ?? .utf8).rawValue, options: names)
    default:
      return FormField(
        parameter: ParameterDescriptor(
          name, .choice(["reject", "pad"]),
          "a row with fewer fields than the header: reject it, or pad it with nulls"),
        text: (s.ragged ?? .reject).rawValue, options: ["reject", "pad"])
    }
  }

  /// The changes the form holds: each field whose text changed, read as `:set`
  /// reads it. Throws the first value that does not read, naming its setting.
  public func changes() throws -> [InputChange] {
    try zip(fields, initial).filter { $0.text != $1 }.map { field, _ in
      // A delimiter may be a space; other values are trimmed.
      let text = field.parameter.kind == .string ? field.text : field.text.trimmingSpaces
      return try InputChange.parse(field.parameter.name, text)
    }
  }

  /// Checks the fields after an edit: `problem` says what does not read.
  public mutating func check() {
    do {
      _ = try changes()
      problem = nil
    } catch {
      problem = "\(error)"
    }
  }
}
