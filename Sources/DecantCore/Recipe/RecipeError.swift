import Foundation

/// Something wrong in a recipe itself (syntax, unknown op or field, bad type or
/// value, clash). Raised before any row is read; the CLI exits with code 2.
public struct RecipeError: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  /// 1-based step number, when the error is inside a step.
  public var step: Int?
  public var op: String?
  /// The field (parameter) the error is about.
  public var field: String?

  public init(_ message: String, step: Int? = nil, op: String? = nil, field: String? = nil) {
    self.message = message
    self.step = step
    self.op = op
    self.field = field
  }

  public var description: String {
    var where_: [String] = []
    if let step { where_.append("step \(step)" + (op.map { " (\($0))" } ?? "")) }
    if let field { where_.append("field \"\(field)\"") }
    return where_.isEmpty ? message : where_.joined(separator: ", ") + ": " + message
  }
}

/// A recipe that does not fit this input: a column it needs is missing. Raised
/// before any row is read; the CLI exits with code 3.
public struct PlanError: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  public var step: Int?
  public var op: String?
  /// The step's field that names the missing columns.
  public var field: String?
  public var missingColumns: [String]

  public init(
    _ message: String, step: Int? = nil, op: String? = nil, field: String? = nil,
    missingColumns: [String] = []
  ) {
    self.message = message
    self.step = step
    self.op = op
    self.field = field
    self.missingColumns = missingColumns
  }

  public var description: String {
    var where_: [String] = []
    if let step { where_.append("step \(step)" + (op.map { " (\($0))" } ?? "")) }
    if let field {
      // Several fields are listed as `a, b`.
      let names = field.split(separator: ",").map { "\"\($0.trimmingCharacters(in: .whitespaces))\"" }
      where_.append((names.count > 1 ? "fields " : "field ") + names.joined(separator: ", "))
    }
    return where_.isEmpty ? message : where_.joined(separator: ", ") + ": " + message
  }

  /// The error for columns a step needs (named in `field`) that the table does
  /// not have at that point, or that another file (`file`: a lookup's reference) lacks.
  public static func missing(_ names: [String], in schema: Schema, field: String, file: String? = nil)
    -> PlanError
  {
    let list = names.map { "\"\($0)\"" }.joined(separator: ", ")
    var hints: [String] = []
    for n in names {
      if let s = Suggest.closest(to: n, among: schema.names, caseInsensitive: true) {
        hints.append("\"\(n)\" → did you mean \"\(s)\"?")
      }
    }
    let available = schema.names.map { "\"\($0)\"" }.joined(separator: ", ")
    var message =
      file.map { "the file \($0) has no column \(list) (its columns: \(available))" }
      ?? "no column \(list) at this step (columns here: \(available))"
    if !hints.isEmpty { message += "; " + hints.joined(separator: "; ") }
    return PlanError(message, field: field, missingColumns: names)
  }
}

/// A value a step could not handle under `on_error: fail`: the run stops, nothing is written (exit 1).
public struct DataError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var line: Int
  public var step: Int
  public var op: String
  /// The input file the row came from (set by the run that read it).
  public var file: String?

  public init(_ message: String, line: Int, step: Int, op: String, file: String? = nil) {
    self.message = message
    self.line = line
    self.step = step
    self.op = op
    self.file = file
  }

  /// `orders.csv:17: step 2 (validate): failed rule "amount positive"`.
  public var description: String {
    let place = file.map { "\($0 == "-" ? "stdin" : $0):\(line)" } ?? "line \(line)"
    return "\(place): step \(step) (\(op)): \(message)"
  }
}
