/// Every operation by its recipe name. The recipe decoder, `decant ops`, the
/// workbench menu and command line all read this table; nothing else lists operations.
public enum OperationRegistry {
  public static let operations: [any Operation.Type] = [
    RenameOperation.self,
    DedupeOperation.self,
    FillNullOperation.self,
    NormalizeTimezoneOperation.self,
    FilterOperation.self,
    ValidateOperation.self,
    SelectOperation.self,
    DropOperation.self,
    CopyOperation.self,
    SetOperation.self,
    MergeOperation.self,
    SplitOperation.self,
    TrimOperation.self,
    ChangeCaseOperation.self,
    ReplaceOperation.self,
    ExtractOperation.self,
    MapValuesOperation.self,
    CastOperation.self,
    RoundOperation.self,
    LookupOperation.self,
    HashOperation.self,
    MaskOperation.self,
    FormatDateOperation.self,
    DatePartOperation.self,
  ]

  public static var names: [String] { operations.map { $0.descriptor.name } }

  public static func operation(named name: String) -> (any Operation.Type)? {
    operations.first { $0.descriptor.name == name }
  }

  /// Decodes one step object (1-based `number`) strictly: unknown op or field is an error.
  public static func decodeStep(_ value: JSONValue, number: Int) throws(RecipeError) -> Step {
    guard case .object(let members) = value else {
      throw RecipeError("each step must be an object, not \(value.kindName)", step: number)
    }
    guard let opValue = members.first(where: { $0.0 == "op" })?.1 else {
      throw RecipeError("has no \"op\" (one of \(names.joined(separator: ", ")))", step: number, field: "op")
    }
    guard case .string(let opName) = opValue else {
      throw RecipeError("must be a string, not \(opValue.kindName)", step: number, field: "op")
    }
    guard let type = operation(named: opName) else {
      var message = "unknown operation \"\(opName)\""
      if let hint = Suggest.closest(to: opName, among: names, caseInsensitive: true) {
        message += "; did you mean \"\(hint)\"?"
      } else {
        message += " (known: \(names.joined(separator: ", ")))"
      }
      throw RecipeError(message, step: number, field: "op")
    }
    // Unknown fields first, so a misspelt required field is named as the typo it is.
    let known = ["op"] + type.descriptor.fieldNames
    for (key, _) in members where !known.contains(key) {
      if key == "where" && type.descriptor.conditionRole == .none {
        throw RecipeError(
          "\(opName) acts on columns, not rows, so it takes no \"where\" (use a filter step to drop rows)",
          step: number, op: opName, field: "where")
      }
      var message = "is not a field of \(opName)"
      if let hint = Suggest.closest(to: key, among: known, caseInsensitive: true) {
        message += "; did you mean \"\(hint)\"?"
      } else {
        message += " (fields: \(known.dropFirst().joined(separator: ", ")))"
      }
      throw RecipeError(message, step: number, op: opName, field: key)
    }
    var fields = StepFields(step: number, op: opName, members: members)
    _ = fields.value("op")
    let enabled = try fields.bool("enabled") ?? true
    let note = try fields.string("note")
    let condition = type.descriptor.conditionRole == .scope ? try fields.condition("where") : nil
    let operation = try type.init(from: &fields)
    return Step(operation: operation, enabled: enabled, note: note, condition: condition)
  }
}
