import DecantCore
import Foundation

/// A form for one operation, generated from its parameters in the registry:
/// choices cycle, column fields complete from the table's columns, zone fields
/// from the zone database. Every edit rebuilds the step through the registry's
/// decoder, so the form and a recipe file accept exactly the same steps.
public struct StepForm: FieldForm {
  public typealias Field = FormField

  public let op: String
  public var fields: [Field]
  public var focus = 0
  /// The table's column names (for pickers and completion).
  public let columns: [String]
  /// The recipe index being edited, or nil for a new step.
  public let replacing: Int?
  public var note: String
  /// Kept from an edited step (a form edits parameters, not whether the step is on).
  public var enabled = true
  /// Where a relative file a step names (a lookup's reference) is read from:
  /// the recipe file's directory ("" for the working directory).
  public var directory = ""
  /// The columns of the reference file last named in a `file` field.
  private let references = ReferenceHeaders()

  /// The header of a file named in a form, read once per path.
  final class ReferenceHeaders: @unchecked Sendable {
    private var path = ""
    private var names: [String] = []

    func columns(of path: String) -> [String] {
      if path != self.path {
        self.path = path
        names = (try? ReferenceTable.columnNames(of: path)) ?? []
      }
      return names
    }
  }

  /// The columns of the file the form's `file` field names (a lookup's
  /// reference), once it names a readable one.
  public var referenceColumns: [String] {
    guard let file = fields.first(where: { $0.parameter.name == "file" })?.text.trimmingSpaces, !file.isEmpty
    else { return [] }
    let path =
      file.hasPrefix("/") || directory.isEmpty ? file : (directory as NSString).appendingPathComponent(file)
    return references.columns(of: path)
  }

  /// A blank form for `op`, with column fields set to the column under the cursor.
  public init(op: String, columns: [String], currentColumn: String?, replacing: Int? = nil) {
    let descriptor = OperationRegistry.operation(named: op)!.descriptor
    self.op = op
    self.columns = columns
    self.replacing = replacing
    note = ""
    fields = descriptor.allParameters.map { p in
      var options: [String] = []
      if case .choice(let values) = p.kind { options = (p.required ? [] : ["(default)"]) + values }
      var text = ""
      switch p.kind {
      case .column: text = currentColumn ?? ""
      case .columns where p.required: text = currentColumn ?? ""
      case .columnMap: text = currentColumn.map { "\($0):" } ?? ""
      default: break
      }
      return Field(parameter: p, text: text, options: options)
    }
  }

  /// A form filled from an existing step (to edit it).
  public init(editing step: Step, at index: Int, columns: [String]) {
    self.init(op: step.op, columns: columns, currentColumn: nil, replacing: index)
    note = step.note ?? ""
    enabled = step.enabled
    guard case .object(let params) = step.json else { return }
    for i in fields.indices {
      guard let value = params.first(where: { $0.0 == fields[i].parameter.name })?.1 else {
        fields[i].text = ""
        continue
      }
      fields[i].text = StepForm.text(for: value, kind: fields[i].parameter.kind)
      if case .number = value { fields[i].numeric = true }
    }
  }

  static func text(for value: JSONValue, kind: ParameterKind) -> String {
    if kind == .condition, let condition = try? Condition.decode(value, path: "where") {
      return ConditionText.print(condition)
    }
    switch value {
    case .string(let s): return s
    case .number(let n): return n
    case .bool(let b): return b ? "true" : "false"
    case .array(let items):
      let strings = items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
      if kind == .timestampFormats && !strings.contains(where: { $0.contains(" | ") }) {
        return strings.joined(separator: " | ")
      }
      // Names that hold the separator are shown as JSON, which the form reads back as is.
      if strings.contains(where: { $0.contains(",") || $0.hasPrefix("[") || $0.hasPrefix("{") })
        || kind == .timestampFormats
      {
        return value.compactText
      }
      return strings.joined(separator: ",")
    case .object(let members):
      if kind == .zoneOrColumn, case .string(let c)? = members.first?.1 { return "@" + c }
      let pairs = members.compactMap { k, v -> (String, String)? in
        if case .string(let s) = v { return (k, s) }
        return nil
      }
      if pairs.contains(where: { $0.0.contains(where: { ":,".contains($0) }) || $0.1.contains(",") }) {
        return value.compactText
      }
      return pairs.map { "\($0.0):\($0.1)" }.joined(separator: ",")
    case .null: return ""
    }
  }

  /// Candidates that complete the focused field's last item.
  public var completions: [String] {
    let f = fields[focus]
    let pool: [String]
    var prefix = f.text
    var lead = ""
    switch f.parameter.kind {
    case .column, .columns, .columnMap:
      pool = columns
      if let comma = prefix.lastIndex(of: ",") {
        lead = String(prefix[...comma])
        prefix = String(prefix[prefix.index(after: comma)...])
      }
    case .condition:
      // The word being typed, completed as a column name (quoted when it must be).
      let start = prefix.lastIndex(where: { $0 == " " || $0 == "(" }).map { prefix.index(after: $0) }
      if let start {
        lead = String(prefix[..<start])
        prefix = String(prefix[start...])
      }
      if prefix.isEmpty { return [] }
      pool = columns.map(ConditionText.word)
    case .keyColumns:
      // `data:reference` pairs: data columns before a colon, the reference's after.
      if let comma = prefix.lastIndex(of: ",") {
        lead = String(prefix[...comma])
        prefix = String(prefix[prefix.index(after: comma)...])
      }
      if let colon = prefix.lastIndex(of: ":") {
        lead += String(prefix[...colon])
        prefix = String(prefix[prefix.index(after: colon)...])
        pool = referenceColumns
      } else {
        pool = columns
      }
    case .strings
    where f.parameter.name == "columns" && fields.contains(where: { $0.parameter.name == "file" }):
      pool = referenceColumns
      if let comma = prefix.lastIndex(of: ",") {
        lead = String(prefix[...comma])
        prefix = String(prefix[prefix.index(after: comma)...])
      }
    case .zone:
      pool = StepForm.zoneNames
    case .zoneOrColumn:
      if prefix.hasPrefix("@") {
        pool = columns.map { "@" + $0 }
      } else {
        pool = StepForm.zoneNames
      }
    default:
      return []
    }
    if f.parameter.kind == .columnMap && prefix.contains(":") { return [] }
    let lower = prefix.lowercased()
    let matches = pool.filter { $0.lowercased().hasPrefix(lower) && $0 != prefix }
    let contains =
      lower.isEmpty
      ? [] : pool.filter { !$0.lowercased().hasPrefix(lower) && $0.lowercased().contains(lower) }
    return (matches + contains).prefix(50).map { lead + $0 }
  }

  /// Tab: takes the first completion (or the longest common prefix of several).
  public mutating func complete() {
    let candidates = completions
    guard let first = candidates.first else { return }
    var common = first
    for c in candidates.dropFirst() {
      while !c.hasPrefix(common) { common.removeLast() }
    }
    let text = fields[focus].text
    fields[focus].text = common.count > text.count ? common : first
    if fields[focus].parameter.kind == .columnMap { fields[focus].text += ":" }
  }

  static let zoneNames: [String] = (["UTC"] + Zone.knownNames.sorted()).filter { $0 != "GMT" }

  /// The step the form describes, or the problem (naming the field) that stops it.
  public func build() -> Result<Step, RecipeError> {
    var members: [(String, JSONValue)] = [("op", .string(op))]
    for f in fields where !f.text.trimmingSpaces.isEmpty || (f.parameter.kind == .string && !f.text.isEmpty) {
      // Text parameters keep their spaces (a separator may be one); the rest are trimmed.
      let text = f.parameter.kind == .string ? f.text : f.text.trimmingSpaces
      let value: JSONValue
      switch f.parameter.kind {
      case .timestampFormats where !text.hasPrefix("["):
        value = .array(text.components(separatedBy: " | ").map { .string($0) })
      case .string where f.numeric && NumberText.parse(text) != nil && !text.contains(" "):
        // A number stays a number (it is written back unquoted to JSON Lines).
        value = .number(text)
      default:
        do { value = try CommandParser.value(text, for: f.parameter.kind) } catch {
          return .failure(RecipeError("\(error)", field: f.parameter.name))
        }
      }
      members.append((f.parameter.name, value))
    }
    if !enabled { members.append(("enabled", .bool(false))) }
    if !note.isEmpty { members.append(("note", .string(note))) }
    do {
      return .success(try OperationRegistry.decodeStep(.object(members), number: (replacing ?? 0) + 1))
    } catch {
      var e = error
      e.step = nil
      e.op = nil
      return .failure(e)
    }
  }
}

extension String {
  var trimmingSpaces: String {
    var s = Substring(self)
    while s.first == " " { s.removeFirst() }
    while s.last == " " { s.removeLast() }
    return String(s)
  }
}
