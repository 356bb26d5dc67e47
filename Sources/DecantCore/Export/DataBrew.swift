/// AWS Glue DataBrew recipes: `decant export --to databrew` and `decant import databrew`.
///
/// A DataBrew recipe is a list of steps, each an action (`Operation` and string
/// `Parameters`) and optional `ConditionExpressions` that must all hold for a
/// row's value to be changed. Each Decant operation says in its own file how it
/// becomes DataBrew steps (`export(_: inout DataBrewExport)`) and which DataBrew
/// operations it reads back (`dataBrewImport`); this file holds what they share.
/// A step or value with no DataBrew counterpart of the same meaning is refused,
/// never exported approximately.

// MARK: The recipe format

/// One DataBrew recipe step.
public struct DataBrewStep: Sendable, Equatable {
  /// The action's name (`RENAME`).
  public var operation: String
  /// The action's parameters in the order written. DataBrew's are all strings.
  public var parameters: [(String, String)]
  public var conditions: [DataBrewCondition]

  public init(
    _ operation: String, _ parameters: [(String, String)] = [], conditions: [DataBrewCondition] = []
  ) {
    self.operation = operation
    self.parameters = parameters
    self.conditions = conditions
  }

  public static func == (a: DataBrewStep, b: DataBrewStep) -> Bool {
    // Parameters are a map in DataBrew: their order does not matter.
    let order = { (p: [(String, String)]) in p.sorted { $0.0 < $1.0 } }
    return a.operation == b.operation && a.conditions == b.conditions
      && a.parameters.count == b.parameters.count
      && zip(order(a.parameters), order(b.parameters)).allSatisfy { $0 == $1 }
  }

  /// The step as the DataBrew API writes it: `Action` (`Operation`, `Parameters`
  /// when there are any), then `ConditionExpressions` when there are any.
  public var json: JSONValue {
    var action: [(String, JSONValue)] = [("Operation", .string(operation))]
    if !parameters.isEmpty {
      action.append(("Parameters", .object(parameters.map { ($0.0, .string($0.1)) })))
    }
    var members: [(String, JSONValue)] = [("Action", .object(action))]
    if !conditions.isEmpty { members.append(("ConditionExpressions", .array(conditions.map(\.json)))) }
    return .object(members)
  }

  /// DataBrew writes a list parameter as the JSON text of the list (`"[\"a\",\"b\"]"`).
  public static func list(_ items: [String]) -> String {
    JSONValue.array(items.map { .string($0) }).compactText
  }
}

/// One DataBrew condition: `Condition` tested on `TargetColumn` against `Value`.
public struct DataBrewCondition: Sendable, Equatable {
  public var condition: String
  public var value: String?
  public var targetColumn: String

  public init(_ condition: String, value: String?, targetColumn: String) {
    self.condition = condition
    self.value = value
    self.targetColumn = targetColumn
  }

  var json: JSONValue {
    var members: [(String, JSONValue)] = [("Condition", .string(condition))]
    if let value { members.append(("Value", .string(value))) }
    members.append(("TargetColumn", .string(targetColumn)))
    return .object(members)
  }

  /// The DataBrew conditions Decant reads and writes, with the predicate each
  /// means. Text conditions compare case-sensitively; the numeric ones compare
  /// the cell as a number.
  static let textConditions: [(name: String, key: String)] = [
    ("IS", "equals"), ("CONTAINS", "contains"), ("STARTS_WITH", "starts_with"), ("ENDS_WITH", "ends_with"),
  ]
  static let numberConditions: [(name: String, key: String)] = [
    ("GREATER_THAN", "gt"), ("GREATER_THAN_EQUAL", "gte"), ("LESS_THAN", "lt"), ("LESS_THAN_EQUAL", "lte"),
  ]

  /// The DataBrew conditions (all must hold) that mean the Decant condition, or
  /// the reason there are none.
  static func expressions(for condition: Condition) -> Result<[DataBrewCondition], DataBrewGap> {
    switch condition {
    case .all(let items):
      var out: [DataBrewCondition] = []
      for item in items {
        switch expressions(for: item) {
        case .success(let more): out += more
        case .failure(let gap): return .failure(gap)
        }
      }
      return .success(out)
    case .any:
      return .failure(DataBrewGap("DataBrew's conditions all have to hold; \"any\" (or) has no counterpart"))
    case .not:
      return .failure(
        DataBrewGap(
          "DataBrew's conditions have no \"not\" with Decant's meaning (a null cell makes \"not\" of a test true)"
        ))
    case .leaf(let leaf):
      if leaf.caseInsensitive {
        return .failure(
          DataBrewGap("DataBrew's conditions compare case-sensitively; case_insensitive has no counterpart"))
      }
      let column = leaf.column
      func text(_ name: String, _ s: String) -> Result<[DataBrewCondition], DataBrewGap> {
        if s.isEmpty {
          return .failure(DataBrewGap("a condition on the empty text has no DataBrew counterpart"))
        }
        return .success([DataBrewCondition(name, value: s, targetColumn: column)])
      }
      func number(_ name: String, _ d: DecimalText) -> [DataBrewCondition] {
        [DataBrewCondition(name, value: d.jsonText, targetColumn: column)]
      }
      switch leaf.predicate {
      case .equals(let s): return text("IS", s)
      case .contains(let s): return text("CONTAINS", s)
      case .startsWith(let s): return text("STARTS_WITH", s)
      case .endsWith(let s): return text("ENDS_WITH", s)
      case .gt(let d): return .success(number("GREATER_THAN", d))
      case .gte(let d): return .success(number("GREATER_THAN_EQUAL", d))
      case .lt(let d): return .success(number("LESS_THAN", d))
      case .lte(let d): return .success(number("LESS_THAN_EQUAL", d))
      case .between(let lo, let hi):
        return .success(number("GREATER_THAN_EQUAL", lo) + number("LESS_THAN_EQUAL", hi))
      case .in:
        return .failure(
          DataBrewGap("\"in\" has no DataBrew condition Decant can check; use one step per value"))
      case .matches:
        return .failure(
          DataBrewGap("DataBrew documents no regex condition with ICU's syntax; \"matches\" is not exported"))
      case .isNull:
        return .failure(DataBrewGap("\"is_null\" in a where has no DataBrew condition Decant can check"))
      case .isNumber:
        return .failure(DataBrewGap("\"is_number\" has no DataBrew condition with Decant's number grammar"))
      }
    }
  }

  /// The Decant condition that means all of `conditions`, or the reason there is none.
  static func condition(for conditions: [DataBrewCondition]) -> Result<Condition, DataBrewGap> {
    var leaves: [Condition] = []
    for (i, c) in conditions.enumerated() {
      let at = "ConditionExpressions[\(i)]"
      if c.targetColumn.isEmpty { return .failure(DataBrewGap("\(at) has no TargetColumn")) }
      let value = c.value ?? ""
      let predicate: Predicate
      if let key = textConditions.first(where: { $0.name == c.condition })?.key {
        if value.isEmpty { return .failure(DataBrewGap("\(at) (\(c.condition)) has no Value")) }
        switch key {
        case "equals": predicate = .equals(value)
        case "contains": predicate = .contains(value)
        case "starts_with": predicate = .startsWith(value)
        default: predicate = .endsWith(value)
        }
      } else if let key = numberConditions.first(where: { $0.name == c.condition })?.key {
        guard let d = DecimalText(value) else {
          return .failure(
            DataBrewGap("\(at) (\(c.condition)) compares with \(Quoting.name(value)), not a number"))
        }
        switch key {
        case "gt": predicate = .gt(d)
        case "gte": predicate = .gte(d)
        case "lt": predicate = .lt(d)
        default: predicate = .lte(d)
        }
      } else {
        let known = (textConditions + numberConditions).map(\.name).joined(separator: ", ")
        return .failure(
          DataBrewGap("\(at): condition \(c.condition) has no Decant counterpart (read: \(known))"))
      }
      leaves.append(.leaf(ConditionLeaf(column: c.targetColumn, predicate: predicate)))
    }
    return .success(leaves.count == 1 ? leaves[0] : .all(leaves))
  }
}

/// Why a DataBrew step or condition has no counterpart of the same meaning.
public struct DataBrewGap: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

// MARK: Export

/// One Decant step on its way to DataBrew steps. An operation's
/// `export(_: inout DataBrewExport)` adds the steps that give the same result
/// (`add` for a step on every row, `addScoped` for one DataBrew limits to the
/// rows of the step's `where`) or throws `refuse(...)` naming why there are none.
public struct DataBrewExport {
  public let number: Int
  public let op: String
  /// The columns as they reach the step, when the recipe saves its input header.
  public let input: Schema?
  /// The strings that count as null (`input.null_values`).
  public let nullValues: [String]
  let condition: Condition?
  public private(set) var steps: [DataBrewStep] = []

  init(number: Int, op: String, input: Schema?, nullValues: [String], condition: Condition?) {
    self.number = number
    self.op = op
    self.input = input
    self.nullValues = nullValues
    self.condition = condition
  }

  public func refuse(_ message: String, field: String? = nil) -> ExportRefusal {
    ExportRefusal(message, step: number, op: op, field: field)
  }

  /// Adds a DataBrew step that acts on every row. A Decant step with a `where`
  /// is refused: the operation has said its action takes no conditions.
  public mutating func add(_ operation: String, _ parameters: [(String, String?)] = []) throws(ExportRefusal)
  {
    if condition != nil {
      throw refuse(
        "DataBrew's \(operation) gives no documented meaning to conditions for a step like this one, so its "
          + "where has no counterpart; run the step in Decant", field: "where")
    }
    steps.append(DataBrewStep(operation, try present(operation, parameters)))
  }

  /// Adds a DataBrew step whose action changes only the values of the rows its
  /// conditions hold for (as Decant's `where` does): the step's `where` goes
  /// along as `ConditionExpressions`, or the step is refused when it has none
  /// of the same meaning.
  public mutating func addScoped(_ operation: String, _ parameters: [(String, String?)]) throws(ExportRefusal)
  {
    var conditions: [DataBrewCondition] = []
    if let condition {
      try requireEmptyCellsAreNull("its where")
      switch DataBrewCondition.expressions(for: condition) {
      case .success(let c): conditions = c
      case .failure(let gap): throw refuse(gap.message, field: "where")
      }
    }
    steps.append(DataBrewStep(operation, try present(operation, parameters), conditions: conditions))
  }

  /// DataBrew counts an empty cell as missing and nothing else; a step whose
  /// meaning depends on null cells exports only when `null_values` is `[""]`.
  public func requireEmptyCellsAreNull(_ what: String) throws(ExportRefusal) {
    guard nullValues != [""] else { return }
    let list = nullValues.map { "\"\($0)\"" }.joined(separator: ", ")
    throw refuse(
      "\(what) depends on null cells, and input.null_values is [\(list)], but DataBrew counts only empty cells "
        + "as missing; export a recipe whose null_values is [\"\"]")
  }

  /// The parameters that are given, by name (as the DataBrew console writes
  /// them); DataBrew takes no empty parameter value.
  private func present(_ operation: String, _ parameters: [(String, String?)]) throws(ExportRefusal)
    -> [(String, String)]
  {
    var out: [(String, String)] = []
    for case let (key, value?) in parameters {
      if value.isEmpty {
        throw refuse(
          "DataBrew's \(operation) would need an empty \(key), and DataBrew takes no empty parameter")
      }
      out.append((key, value))
    }
    return out.sorted { $0.0 < $1.0 }
  }
}

/// Every step of a recipe that cannot be exported, each with its reason.
public struct DataBrewRefusals: Error, Sendable, Equatable, CustomStringConvertible {
  public var refusals: [ExportRefusal]
  public var description: String { refusals.map(\.description).joined(separator: "\n") }
}

// MARK: Import

/// One DataBrew step as an operation's importer reads it: each parameter read is
/// marked used; a parameter left unread makes the step unmappable (it would
/// change the meaning).
public struct DataBrewAction {
  public let operation: String
  private let parameters: [(String, String)]
  private(set) var used: Set<String> = []

  init(operation: String, parameters: [(String, String)]) {
    self.operation = operation
    self.parameters = parameters
  }

  public func gap(_ message: String) -> DataBrewGap { DataBrewGap(message) }

  public func has(_ key: String) -> Bool { parameters.contains { $0.0 == key } }

  /// A parameter's text, or nil when absent.
  public mutating func optionalString(_ key: String) -> String? {
    used.insert(key)
    return parameters.first { $0.0 == key }?.1
  }

  /// A parameter that must be there and not empty.
  public mutating func string(_ key: String) throws(DataBrewGap) -> String {
    guard let s = optionalString(key), !s.isEmpty else { throw gap("has no \(key)") }
    return s
  }

  /// A list of column names, written as the JSON text of a list (DataBrew's
  /// form) or as a JSON list.
  public mutating func columns(_ key: String) throws(DataBrewGap) -> [String] {
    let text = try string(key)
    guard case .array(let items)? = try? JSONValue.parse(text) else {
      throw gap("\(key) is not a JSON list of column names: \(Quoting.name(text))")
    }
    var names: [String] = []
    for item in items {
      guard case .string(let s) = item, !s.isEmpty else {
        throw gap("\(key) must list column names, not \(item.compactText)")
      }
      names.append(s)
    }
    if names.isEmpty { throw gap("\(key) lists no column") }
    return names
  }

  /// A whole number parameter, or nil when absent.
  public mutating func integer(_ key: String) throws(DataBrewGap) -> Int? {
    guard let s = optionalString(key) else { return nil }
    guard let n = Int(s) else { throw gap("\(key) is not a whole number: \(Quoting.name(s))") }
    return n
  }

  /// `true` or `false` (as DataBrew writes booleans), or nil when absent.
  public mutating func bool(_ key: String) throws(DataBrewGap) -> Bool? {
    guard let s = optionalString(key) else { return nil }
    switch s.lowercased() {
    case "true": return true
    case "false": return false
    default: throw gap("\(key) is not true or false: \(Quoting.name(s))")
    }
  }

  var unread: [String] { parameters.map(\.0).filter { !used.contains($0) } }
}

/// How an operation reads DataBrew steps back: the DataBrew operations it takes
/// and the reader. `conditionsAsWhere`: the step's `ConditionExpressions` become
/// the Decant step's `where` (the action changes values only where they hold);
/// otherwise a step with conditions is not mapped.
public struct DataBrewImport: Sendable {
  public let operations: [String]
  public let conditionsAsWhere: Bool
  public let read: @Sendable (inout DataBrewAction) throws(DataBrewGap) -> any Operation

  public init(
    operations: [String], conditionsAsWhere: Bool,
    read: @escaping @Sendable (inout DataBrewAction) throws(DataBrewGap) -> any Operation
  ) {
    self.operations = operations
    self.conditionsAsWhere = conditionsAsWhere
    self.read = read
  }
}

/// A DataBrew file that is not a recipe Decant can read; the CLI exits 2.
public struct DataBrewFormatError: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// A DataBrew step that was left out of an imported recipe, and why.
public struct DataBrewLeftOut: Sendable, Equatable, CustomStringConvertible {
  /// 1-based position in the DataBrew recipe.
  public var position: Int
  public var operation: String
  public var reason: String

  public var description: String { "step \(position): DataBrew operation \(operation) \(reason); left out" }
}

/// Converting whole recipes.
public enum DataBrewRecipe {
  /// The recipe's enabled steps as DataBrew steps, or every step that has no
  /// counterpart with the same result. Steps that need the columns (select) use
  /// the recipe's saved `input.columns`.
  public static func export(_ recipe: Recipe) throws(DataBrewRefusals) -> [DataBrewStep] {
    var refusals: [ExportRefusal] = []
    if let encoding = recipe.input.encoding, encoding != .utf8 {
      refusals.append(
        ExportRefusal(
          "DataBrew reads UTF-8 text; input encoding \(encoding.rawValue) has no counterpart (convert the data "
            + "to UTF-8 first)", field: "input.encoding"))
    }
    if recipe.input.format == .jsonl {
      refusals.append(
        ExportRefusal(
          "DataBrew reads nested JSON values as structures, Decant as text; export a recipe over CSV or TSV",
          field: "input.format"))
    }
    var steps: [DataBrewStep] = []
    var schema = recipe.input.columns.map { Schema($0) }
    var known = Set(recipe.input.columns ?? [])
    for (number, step) in recipe.enabledSteps {
      var brew = DataBrewExport(
        number: number, op: step.op, input: schema, nullValues: recipe.input.nullValues,
        condition: step.condition)
      do {
        try step.operation.export(&brew)
        steps += brew.steps
      } catch {
        refusals.append(error)
      }
      guard let current = schema else { continue }
      do {
        let next = try step.plan(current, number: number, knownNames: known)
        known.formUnion(next.names)
        schema = next
      } catch {
        let reason =
          (error as? PlanError)?.message ?? (error as? RecipeError)?.message ?? "\(error)"
        refusals.append(
          ExportRefusal("does not fit the recipe's input.columns: \(reason)", step: number, op: step.op))
        schema = nil
      }
    }
    if !refusals.isEmpty { throw DataBrewRefusals(refusals: refusals) }
    return steps
  }

  /// DataBrew recipe JSON text: the list of steps, pretty-printed.
  public static func text(_ steps: [DataBrewStep]) -> String { JSONValue.array(steps.map(\.json)).prettyText }

  /// Reads a DataBrew recipe file: a list of steps (as the console downloads and
  /// the API takes them), or an object with `Steps` (the DescribeRecipe output of
  /// the API and `aws databrew describe-recipe`). A step is `{"Action": ...,
  /// "ConditionExpressions": [...]}`; `RecipeAction` is read as `Action`, as the
  /// developer guide writes single actions.
  public static func parse(_ bytes: [UInt8]) throws(DataBrewFormatError) -> (
    name: String?, description: String?, steps: [DataBrewStep]
  ) {
    let root: JSONValue
    let text = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    do { root = try JSONValue.parse(text) } catch {
      throw DataBrewFormatError(
        "not valid JSON at line \(error.line), column \(error.column): \(error.message)")
    }
    var name: String? = nil
    var description: String? = nil
    let items: [JSONValue]
    switch root {
    case .array(let list): items = list
    case .object(let members):
      guard case .array(let list)? = members.first(where: { $0.0 == "Steps" })?.1 else {
        if members.contains(where: { $0.0 == "Action" || $0.0 == "RecipeAction" }) {
          throw DataBrewFormatError(
            "holds one step, not a recipe: put it in a list ([{\"Action\": ...}])")
        }
        let keys = members.map { "\"\($0.0)\"" }.joined(separator: ", ")
        throw DataBrewFormatError(
          "a DataBrew recipe is a list of steps or an object with \"Steps\" (describe-recipe output); "
            + "this object has \(keys.isEmpty ? "no keys" : keys)")
      }
      items = list
      if case .string(let s)? = members.first(where: { $0.0 == "Name" })?.1 { name = s }
      if case .string(let s)? = members.first(where: { $0.0 == "Description" })?.1 { description = s }
    default:
      throw DataBrewFormatError("a DataBrew recipe is a list of steps, not \(root.kindName)")
    }
    var steps: [DataBrewStep] = []
    for (i, item) in items.enumerated() {
      steps.append(try step(item, position: i + 1))
    }
    return (name, description, steps)
  }

  private static func step(_ value: JSONValue, position: Int) throws(DataBrewFormatError) -> DataBrewStep {
    func bad(_ message: String) -> DataBrewFormatError { DataBrewFormatError("step \(position): \(message)") }
    guard case .object(var members) = value else { throw bad("a step is an object, not \(value.kindName)") }
    if members.count == 1, members[0].0 == "RecipeStep", case .object(let inner) = members[0].1 {
      members = inner
    }
    for (key, _) in members where !["Action", "RecipeAction", "ConditionExpressions"].contains(key) {
      throw bad("\"\(key)\" is not part of a step (Action, ConditionExpressions)")
    }
    guard let actionValue = members.first(where: { $0.0 == "Action" || $0.0 == "RecipeAction" })?.1 else {
      throw bad("has no \"Action\"")
    }
    guard case .object(let action) = actionValue else { throw bad("\"Action\" must be an object") }
    guard case .string(let operation)? = action.first(where: { $0.0 == "Operation" })?.1, !operation.isEmpty
    else {
      throw bad("its Action has no \"Operation\" (a name such as RENAME)")
    }
    var parameters: [(String, String)] = []
    if let p = action.first(where: { $0.0 == "Parameters" })?.1 {
      guard case .object(let pairs) = p else { throw bad("Parameters of \(operation) must be an object") }
      for (key, v) in pairs {
        switch v {
        case .string(let s): parameters.append((key, s))
        case .number(let n): parameters.append((key, n))
        case .bool(let b): parameters.append((key, b ? "true" : "false"))
        case .array: parameters.append((key, v.compactText))
        case .null, .object:
          throw bad("parameter \(key) of \(operation) must be a string, not \(v.kindName)")
        }
      }
    }
    var conditions: [DataBrewCondition] = []
    if let c = members.first(where: { $0.0 == "ConditionExpressions" })?.1 {
      guard case .array(let list) = c else { throw bad("ConditionExpressions must be a list") }
      for (j, item) in list.enumerated() {
        guard case .object(let fields) = item,
          case .string(let condition)? = fields.first(where: { $0.0 == "Condition" })?.1,
          case .string(let target)? = fields.first(where: { $0.0 == "TargetColumn" })?.1
        else {
          throw bad("ConditionExpressions[\(j)] needs \"Condition\" and \"TargetColumn\" strings")
        }
        var text: String? = nil
        switch fields.first(where: { $0.0 == "Value" })?.1 {
        case .string(let s)?: text = s
        case .number(let n)?: text = n
        case nil, .null?: text = nil
        case let other?:
          throw bad("ConditionExpressions[\(j)].Value must be a string, not \(other.kindName)")
        }
        conditions.append(DataBrewCondition(condition, value: text, targetColumn: target))
      }
    }
    return DataBrewStep(operation, parameters, conditions: conditions)
  }

  /// Which operation reads each DataBrew operation, from the registry.
  static let importers: [String: (op: String, reader: DataBrewImport)] = {
    var table: [String: (op: String, reader: DataBrewImport)] = [:]
    for type in OperationRegistry.operations {
      guard let reader = type.dataBrewImport else { continue }
      for name in reader.operations {
        precondition(table[name] == nil, "two operations read DataBrew's \(name)")
        table[name] = (type.descriptor.name, reader)
      }
    }
    return table
  }()

  /// The DataBrew operations Decant reads, in registry order.
  public static var importedOperations: [(decant: String, dataBrew: [String])] {
    OperationRegistry.operations.compactMap { type in
      type.dataBrewImport.map { (type.descriptor.name, $0.operations) }
    }
  }

  /// A Decant recipe of the DataBrew steps that map, in order, and the steps
  /// left out with the reason.
  public static func importSteps(_ steps: [DataBrewStep], name: String? = nil, description: String? = nil)
    -> (recipe: Recipe, leftOut: [DataBrewLeftOut])
  {
    var recipe = Recipe(name: name, description: description)
    var leftOut: [DataBrewLeftOut] = []
    for (i, step) in steps.enumerated() {
      do {
        recipe.steps.append(try importStep(step))
      } catch {
        leftOut.append(DataBrewLeftOut(position: i + 1, operation: step.operation, reason: error.message))
      }
    }
    return (recipe, leftOut)
  }

  private static func importStep(_ step: DataBrewStep) throws(DataBrewGap) -> Step {
    guard let (op, reader) = importers[step.operation] else { throw DataBrewGap("has no Decant counterpart") }
    var action = DataBrewAction(operation: step.operation, parameters: step.parameters)
    let operation: any Operation
    do { operation = try reader.read(&action) } catch { throw DataBrewGap("(as \(op)): \(error.message)") }
    if !action.unread.isEmpty {
      throw DataBrewGap(
        "(as \(op)): parameter \(action.unread.joined(separator: ", ")) has no Decant counterpart")
    }
    guard !step.conditions.isEmpty else { return Step(operation: operation) }
    guard reader.conditionsAsWhere else {
      throw DataBrewGap("(as \(op)): has ConditionExpressions, which Decant's \(op) cannot take")
    }
    switch DataBrewCondition.condition(for: step.conditions) {
    case .success(let condition): return Step(operation: operation, condition: condition)
    case .failure(let gap): throw DataBrewGap("(as \(op)): \(gap.message)")
    }
  }
}

extension DataBrewAction {
  /// The operation decoded from recipe fields (`members`, as a recipe step
  /// writes them), so an imported step is checked as a recipe's step is.
  public func decant<T: Operation>(_ type: T.Type, _ members: [(String, JSONValue)]) throws(DataBrewGap) -> T
  {
    var fields = StepFields(step: 0, op: T.descriptor.name, members: members)
    do { return try T(from: &fields) } catch {
      throw DataBrewGap((error.field.map { "\($0) " } ?? "") + error.message)
    }
  }
}

/// Java's regex metacharacters: text without them reads the same as a regex
/// and as plain text (DataBrew's REPLACE_TEXT takes either).
let regexMetacharacters = Set("\\^$.|?*+()[]{}")
