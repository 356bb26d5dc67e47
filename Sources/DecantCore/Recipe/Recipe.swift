/// One step of a recipe: an operation plus the fields every step may carry.
public struct Step: Sendable {
  public var operation: any Operation
  /// A disabled step stays in the file and is skipped on replay.
  public var enabled: Bool
  public var note: String?
  /// The rows the step acts on (`where`); nil: every row. Operations whose
  /// condition is their rule (`filter`, `validate`) hold it themselves.
  public var condition: Condition?

  public init(
    operation: any Operation, enabled: Bool = true, note: String? = nil, condition: Condition? = nil
  ) {
    self.operation = operation
    self.enabled = enabled
    self.note = note
    self.condition = condition
  }

  public var op: String { type(of: operation).descriptor.name }

  /// The one-line description for summaries: the operation's, then its `where`.
  public var summary: String {
    guard let condition else { return operation.summary }
    return operation.summary + " where " + ConditionText.print(condition)
  }

  /// Plans the step as step `number` of a recipe: its errors name that step. A new
  /// column that clashes is a recipe error when `knownNames` (the names the recipe
  /// alone shows) has it, else a plan error.
  public func plan(_ input: Schema, number: Int, knownNames: Set<String> = []) throws -> Schema {
    do {
      if let error = condition?.missingColumnsError(in: input, field: "where") { throw error }
      return try operation.plan(input)
    } catch var e as PlanError {
      e.step = number
      e.op = op
      throw e
    } catch var e as RecipeError {
      e.step = number
      e.op = op
      throw e
    } catch let e as IOError {
      // A file the step reads (lookup's reference): the message names the step too.
      throw IOError(path: e.path, "step \(number) (\(op)): \(e.message)")
    } catch let clash as ColumnClash {
      if knownNames.contains(clash.name) {
        throw RecipeError(clash.message, step: number, op: op, field: clash.field)
      }
      throw PlanError(clash.message, step: number, op: op, field: clash.field)
    }
  }

  /// The collector of whole-input statistics the step needs (nil: none); with a
  /// `where`, it learns which rows match.
  public func makeStatisticsCollector(input: Schema, context: StepContext) -> StatisticsCollector? {
    guard let collector = operation.makeStatisticsCollector(input: input, context: context) else {
      return nil
    }
    guard let condition else { return collector }
    return ScopedCollector(
      inner: collector, condition: ConditionEvaluator(condition, schema: input, nulls: context.nullValues))
  }

  /// The transform for one pass, limited to the rows its `where` holds for.
  public func makeTransform(input: Schema, context: StepContext, statistics: StatisticsCollector?) throws
    -> StepTransform
  {
    let statistics = (statistics as? ScopedCollector)?.inner ?? statistics
    let transform = try operation.makeTransform(input: input, context: context, statistics: statistics)
    guard let condition else { return transform }
    return ScopedTransform(
      inner: transform, condition: ConditionEvaluator(condition, schema: input, nulls: context.nullValues))
  }

  /// The step as it is written in a recipe file.
  public var json: JSONValue {
    var members: [(String, JSONValue)] = [("op", .string(op))]
    members += operation.encodedParameters()
    if let condition { members.append(("where", condition.json)) }
    if !enabled { members.append(("enabled", .bool(false))) }
    if let note { members.append(("note", .string(note))) }
    return .object(members)
  }
}

/// How to read the input (`input` in a recipe). Absent settings are sniffed on replay.
public struct InputSettings: Sendable, Equatable {
  public var format: DataFormat?
  /// The delimiter as a one-byte string (`,` `;` `\t` `|`).
  public var delimiter: String?
  public var header: Bool?
  public var nullValues: [String]
  /// The header seen when the recipe was saved (for drift reports).
  public var columns: [String]?
  public var encoding: TextEncoding?
  public var ragged: RaggedPolicy?

  public init(
    format: DataFormat? = nil, delimiter: String? = nil, header: Bool? = nil, nullValues: [String] = [""],
    columns: [String]? = nil, encoding: TextEncoding? = nil, ragged: RaggedPolicy? = nil
  ) {
    self.format = format
    self.delimiter = delimiter
    self.header = header
    self.nullValues = nullValues
    self.columns = columns
    self.encoding = encoding
    self.ragged = ragged
  }

  static let fieldNames = ["format", "delimiter", "header", "null_values", "columns", "encoding", "ragged"]
}

/// A cleaning recipe: format version 1, a public contract (see README).
public struct Recipe: Sendable {
  public static let formatVersion = 1
  public var name: String?
  public var description: String?
  public var input: InputSettings
  public var steps: [Step]

  public init(
    name: String? = nil, description: String? = nil, input: InputSettings = InputSettings(),
    steps: [Step] = []
  ) {
    self.name = name
    self.description = description
    self.input = input
    self.steps = steps
  }

  static let topLevelFields = ["decant_recipe", "name", "description", "input", "steps"]

  /// Decodes a recipe file's bytes strictly. Syntax errors carry line and column.
  /// A UTF-8 byte order mark (some editors write one) is skipped.
  public static func decode(_ bytes: [UInt8]) throws(RecipeError) -> Recipe {
    let root: JSONValue
    let text = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    do { root = try JSONValue.parse(text) } catch {
      throw RecipeError("not valid JSON at line \(error.line), column \(error.column): \(error.message)")
    }
    return try decode(root)
  }

  public static func decode(_ text: String) throws(RecipeError) -> Recipe { try decode(Array(text.utf8)) }

  public static func decode(_ root: JSONValue) throws(RecipeError) -> Recipe {
    guard case .object(let members) = root else {
      throw RecipeError("a recipe is a JSON object, not \(root.kindName)")
    }
    func field(_ key: String) -> JSONValue? { members.first { $0.0 == key }?.1 }
    guard let version = field("decant_recipe") else {
      throw RecipeError(
        "missing \"decant_recipe\": 1 (the format version); is this a Decant recipe?", field: "decant_recipe")
    }
    guard case .number(let v) = version,
      let n = Int(v) ?? Double(v).flatMap({ $0 == $0.rounded() ? Int(exactly: $0) : nil })
    else {
      throw RecipeError(
        "must be the whole number 1, not \(version.kindName == "a number" ? version.compactText : version.kindName)",
        field: "decant_recipe")
    }
    if n > formatVersion {
      throw RecipeError(
        "this recipe is format version \(n); this Decant reads version \(formatVersion). Upgrade Decant to replay it",
        field: "decant_recipe")
    }
    if n < 1 { throw RecipeError("format version \(n) does not exist; use 1", field: "decant_recipe") }
    for (key, _) in members where !topLevelFields.contains(key) {
      var message = "unknown top-level field \"\(key)\""
      if let hint = Suggest.closest(to: key, among: topLevelFields, caseInsensitive: true) {
        message += "; did you mean \"\(hint)\"?"
      }
      throw RecipeError(message, field: key)
    }
    var recipe = Recipe()
    recipe.name = try optionalString(field("name"), "name")
    recipe.description = try optionalString(field("description"), "description")
    if let input = field("input") { recipe.input = try decodeInput(input) }
    guard let steps = field("steps") else {
      throw RecipeError("missing \"steps\" (a list, may be empty)", field: "steps")
    }
    guard case .array(let items) = steps else {
      throw RecipeError("must be an array of steps, not \(steps.kindName)", field: "steps")
    }
    for (i, item) in items.enumerated() {
      recipe.steps.append(try OperationRegistry.decodeStep(item, number: i + 1))
    }
    return recipe
  }

  private static func optionalString(_ v: JSONValue?, _ key: String) throws(RecipeError) -> String? {
    guard let v else { return nil }
    guard case .string(let s) = v else {
      throw RecipeError("must be a string, not \(v.kindName)", field: key)
    }
    return s
  }

  private static func decodeInput(_ value: JSONValue) throws(RecipeError) -> InputSettings {
    guard case .object(let members) = value else {
      throw RecipeError("must be an object, not \(value.kindName)", field: "input")
    }
    var input = InputSettings()
    func bad(_ key: String, _ message: String) -> RecipeError { RecipeError(message, field: "input.\(key)") }
    for (key, v) in members {
      switch key {
      case "format":
        guard case .string(let s) = v, let f = DataFormat(name: s) else {
          throw bad(key, "must be one of csv, tsv, jsonl")
        }
        input.format = f
      case "delimiter":
        guard case .string(let s) = v, s.utf8.count == 1 else {
          throw bad(key, "must be a one-character string such as \",\", \";\", \"\\t\" or \"|\"")
        }
        if s == "\"" || s == "\n" || s == "\r" { throw bad(key, "cannot be a quote or a line end") }
        input.delimiter = s
      case "header":
        guard case .bool(let b) = v else { throw bad(key, "must be true or false") }
        input.header = b
      case "null_values":
        guard case .array(let items) = v else { throw bad(key, "must be an array of strings") }
        var values: [String] = []
        for item in items {
          guard case .string(let s) = item else { throw bad(key, "must be an array of strings") }
          values.append(s)
        }
        input.nullValues = values
      case "columns":
        guard case .array(let items) = v else { throw bad(key, "must be an array of column names") }
        var names: [String] = []
        for item in items {
          guard case .string(let s) = item else { throw bad(key, "must be an array of column names") }
          names.append(s)
        }
        input.columns = names
      case "encoding":
        guard case .string(let s) = v, let e = TextEncoding(name: s) else {
          throw bad(key, "must be one of \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        input.encoding = e
      case "ragged":
        guard case .string(let s) = v, let r = RaggedPolicy(rawValue: s) else {
          throw bad(key, "must be \"reject\" or \"pad\"")
        }
        input.ragged = r
      default:
        var message = "is not an input setting"
        if let hint = Suggest.closest(to: key, among: InputSettings.fieldNames, caseInsensitive: true) {
          message += "; did you mean \"\(hint)\"?"
        } else {
          message += " (settings: \(InputSettings.fieldNames.joined(separator: ", ")))"
        }
        throw bad(key, message)
      }
    }
    return input
  }

  /// The recipe as a JSON tree in the canonical key order.
  public var json: JSONValue {
    var members: [(String, JSONValue)] = [("decant_recipe", .number(String(Recipe.formatVersion)))]
    if let name { members.append(("name", .string(name))) }
    if let description { members.append(("description", .string(description))) }
    var input: [(String, JSONValue)] = []
    if let f = self.input.format { input.append(("format", .string(f.rawValue))) }
    if let d = self.input.delimiter { input.append(("delimiter", .string(d))) }
    if let h = self.input.header { input.append(("header", .bool(h))) }
    if let e = self.input.encoding { input.append(("encoding", .string(e.rawValue))) }
    input.append(("null_values", .array(self.input.nullValues.map { .string($0) })))
    if let r = self.input.ragged { input.append(("ragged", .string(r.rawValue))) }
    if let c = self.input.columns { input.append(("columns", .array(c.map { .string($0) }))) }
    members.append(("input", .object(input)))
    members.append(("steps", .array(steps.map(\.json))))
    return .object(members)
  }

  /// Pretty, deterministic text: stable key order, two-space indent, trailing newline.
  public var encoded: String { json.prettyText }

  /// Finds the files steps name (a lookup's reference) relative to `directory`,
  /// the recipe file's; they are still written as given.
  public mutating func resolveFiles(relativeTo directory: String) {
    for i in steps.indices { steps[i].operation = steps[i].operation.resolvingFiles(relativeTo: directory) }
  }

  /// The steps that run on replay.
  public var enabledSteps: [(number: Int, step: Step)] {
    steps.enumerated().filter { $0.element.enabled }.map { (number: $0.offset + 1, step: $0.element) }
  }

  /// Plans every enabled step against `input`; returns the schema after each.
  /// Errors carry the step number.
  public func plan(_ input: Schema) throws -> [Schema] {
    var schemas = [input]
    var current = input
    // The names the recipe alone shows: its saved header and every name a step made.
    var known = Set(self.input.columns ?? [])
    for (number, step) in enabledSteps {
      let next = try step.plan(current, number: number, knownNames: known)
      known.formUnion(next.names.filter { current.index(of: $0) == nil })
      current = next
      schemas.append(current)
    }
    return schemas
  }
}
