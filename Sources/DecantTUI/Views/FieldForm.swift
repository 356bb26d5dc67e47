import DecantCore

/// One field of a form: a parameter (its name, kind, default and summary), the
/// text being edited and, for a choice, the options it cycles through.
public struct FormField: Sendable {
  public let parameter: ParameterDescriptor
  /// The text being edited (lists comma-separated; renames `OLD:NEW`; a zone column `@NAME`).
  public var text: String
  /// For choices: the options, the first being "(default)" when the parameter is optional.
  public var options: [String]
  /// The value was a JSON number (kept a number while it still reads as one).
  public var numeric = false

  public init(parameter: ParameterDescriptor, text: String, options: [String], numeric: Bool = false) {
    self.parameter = parameter
    self.text = text
    self.options = options
    self.numeric = numeric
  }

  public var isChoice: Bool { !options.isEmpty }
}

/// A form of fields, edited the same way whatever it builds (a step, the input
/// settings): ↑/↓ move between fields, ←/→ cycle a choice (or the column of a
/// column field), typed characters and Backspace edit text. The workbench draws
/// and drives every form through this one protocol.
public protocol FieldForm: Sendable {
  var fields: [FormField] { get set }
  /// The index of the field being edited.
  var focus: Int { get set }
  /// The table's column names, which column fields cycle through.
  var columns: [String] { get }
}

extension FieldForm {
  public var focusedField: FormField { fields[focus] }

  public mutating func moveFocus(_ delta: Int) {
    focus = (focus + delta + fields.count) % fields.count
  }

  /// Left/Right: cycles a choice, or the column under a column field.
  public mutating func cycle(_ delta: Int) {
    var f = fields[focus]
    if f.isChoice {
      let i = f.options.firstIndex(of: f.text.isEmpty ? "(default)" : f.text) ?? 0
      let next = (i + delta + f.options.count) % f.options.count
      f.text = f.options[next] == "(default)" ? "" : f.options[next]
    } else if f.parameter.kind == .column || f.parameter.kind == .columns, !columns.isEmpty {
      var items = f.text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      if items.isEmpty { items = [""] }
      let last = items[items.count - 1]
      let i = columns.firstIndex(of: last) ?? (delta > 0 ? -1 : 0)
      items[items.count - 1] = columns[(i + delta + columns.count) % columns.count]
      f.text = items.joined(separator: ",")
    }
    fields[focus] = f
  }

  public mutating func type(_ ch: Character) {
    guard !fields[focus].isChoice else { return }
    fields[focus].text.append(ch)
  }

  public mutating func backspace() {
    guard !fields[focus].isChoice, !fields[focus].text.isEmpty else { return }
    fields[focus].text.removeLast()
  }
}
