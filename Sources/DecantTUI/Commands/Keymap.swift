import Foundation

/// Every key action of the workbench is a named command; keys are bound to names
/// here, in one table per context, and the help screen is generated from it.
public struct Keymap: Sendable {
  /// Where a binding applies.
  public enum Context: String, Sendable, CaseIterable {
    case grid = "Grid"
    case steps = "Step list"
  }

  public struct Binding: Sendable {
    public let keys: [Key]
    public let command: String
    public let context: Context
  }

  /// Named commands with what they do (for help).
  public static let commands: [(name: String, summary: String)] = [
    ("cursor.down", "move down a row"), ("cursor.up", "move up a row"),
    ("cursor.left", "move left a column"), ("cursor.right", "move right a column"),
    ("page.down", "scroll down a page"), ("page.up", "scroll up a page"),
    ("page.right", "scroll right a page of columns"), ("page.left", "scroll left a page of columns"),
    ("row.first", "jump to the first row"), ("row.last", "jump to the last row"),
    ("column.first", "jump to the first column"), ("column.last", "jump to the last column"),
    ("column.goto", "go to a column by name"),
    ("search", "search cells (case-insensitive)"), ("search.next", "next match"),
    ("search.previous", "previous match"),
    ("step.add", "add a step from the operation menu"),
    ("command", "type a command (:rename, :dedupe, :w, …)"),
    ("focus.steps", "switch between the grid and the step list"),
    ("profile.toggle", "show or hide the side panel (steps and column profile)"),
    ("dropped.show", "show rows the viewed step removed or rejected"),
    ("message.show", "show the whole last message (errors are never cut)"),
    ("input.settings", "input settings form: null values, delimiter, header, encoding, ragged"),
    ("facet.show", "count the values of the current column; picked values make a filter or map_values step"),
    ("clusters.show", "cluster near-identical values of the current column into one map_values step"),
    ("undo", "undo the last recipe change"), ("redo", "redo"),
    ("save", "save the recipe"), ("run", "run the recipe on the full file"),
    ("help", "this help"), ("quit", "quit (asks when there are unsaved changes)"),
    ("step.next", "select the next step (shows the data as of it)"),
    ("step.previous", "select the previous step"),
    ("step.toggle", "disable or enable the selected step"),
    ("step.edit", "edit the selected step in its form"),
    ("step.delete", "delete the selected step"), ("step.moveUp", "move the selected step up"),
    ("step.moveDown", "move the selected step down"), ("step.sample", "show the sample before any step"),
    ("focus.grid", "back to the grid"),
  ]

  public static let bindings: [Binding] = [
    Binding(keys: [.down, .char("j")], command: "cursor.down", context: .grid),
    Binding(keys: [.up, .char("k")], command: "cursor.up", context: .grid),
    Binding(keys: [.left, .char("h")], command: "cursor.left", context: .grid),
    Binding(keys: [.right, .char("l")], command: "cursor.right", context: .grid),
    Binding(keys: [.pageDown, .ctrl("f"), .char(" ")], command: "page.down", context: .grid),
    Binding(keys: [.pageUp, .ctrl("b")], command: "page.up", context: .grid),
    Binding(keys: [.char("L")], command: "page.right", context: .grid),
    Binding(keys: [.char("H")], command: "page.left", context: .grid),
    Binding(keys: [.char("g")], command: "row.first", context: .grid),
    Binding(keys: [.char("G")], command: "row.last", context: .grid),
    Binding(keys: [.home, .char("0")], command: "column.first", context: .grid),
    Binding(keys: [.end, .char("$")], command: "column.last", context: .grid),
    Binding(keys: [.char("c")], command: "column.goto", context: .grid),
    Binding(keys: [.char("/")], command: "search", context: .grid),
    Binding(keys: [.char("n")], command: "search.next", context: .grid),
    Binding(keys: [.char("N")], command: "search.previous", context: .grid),
    Binding(keys: [.char("a")], command: "step.add", context: .grid),
    Binding(keys: [.char(":")], command: "command", context: .grid),
    Binding(keys: [.tab], command: "focus.steps", context: .grid),
    Binding(keys: [.char("p")], command: "profile.toggle", context: .grid),
    Binding(keys: [.char("v")], command: "dropped.show", context: .grid),
    Binding(keys: [.char("m")], command: "message.show", context: .grid),
    Binding(keys: [.char("i")], command: "input.settings", context: .grid),
    Binding(keys: [.char("f")], command: "facet.show", context: .grid),
    Binding(keys: [.char("C")], command: "clusters.show", context: .grid),
    Binding(keys: [.char("u")], command: "undo", context: .grid),
    Binding(keys: [.ctrl("r")], command: "redo", context: .grid),
    Binding(keys: [.char("w")], command: "save", context: .grid),
    Binding(keys: [.char("R")], command: "run", context: .grid),
    Binding(keys: [.char("?"), .char("F")], command: "help", context: .grid),
    Binding(keys: [.char("q")], command: "quit", context: .grid),
    Binding(keys: [.down, .char("j")], command: "step.next", context: .steps),
    Binding(keys: [.up, .char("k")], command: "step.previous", context: .steps),
    Binding(keys: [.char(" ")], command: "step.toggle", context: .steps),
    Binding(keys: [.enter, .char("e")], command: "step.edit", context: .steps),
    Binding(keys: [.char("d"), .delete], command: "step.delete", context: .steps),
    Binding(keys: [.char("K")], command: "step.moveUp", context: .steps),
    Binding(keys: [.char("J")], command: "step.moveDown", context: .steps),
    Binding(keys: [.char("0")], command: "step.sample", context: .steps),
    Binding(keys: [.char("v")], command: "dropped.show", context: .steps),
    Binding(keys: [.char("m")], command: "message.show", context: .steps),
    Binding(keys: [.tab, .escape], command: "focus.grid", context: .steps),
    Binding(keys: [.char("a")], command: "step.add", context: .steps),
    Binding(keys: [.char(":")], command: "command", context: .steps),
    Binding(keys: [.char("u")], command: "undo", context: .steps),
    Binding(keys: [.ctrl("r")], command: "redo", context: .steps),
    Binding(keys: [.char("w")], command: "save", context: .steps),
    Binding(keys: [.char("?")], command: "help", context: .steps),
    Binding(keys: [.char("q")], command: "quit", context: .steps),
  ]

  /// The command bound to `key` in `context`.
  public static func command(for key: Key, in context: Context) -> String? {
    bindings.first { $0.context == context && $0.keys.contains(key) }?.command
  }

  public static func summary(of command: String) -> String {
    commands.first { $0.name == command }?.summary ?? command
  }

  /// The help screen's lines, generated from the bindings.
  public static var helpLines: [String] {
    var lines: [String] = []
    for context in Context.allCases {
      lines.append("\(context.rawValue):")
      for b in bindings where b.context == context {
        let keys = b.keys.map(\.description).joined(separator: " ")
        lines.append(
          "  " + keys.padding(toLength: 22, withPad: " ", startingAt: 0) + " " + summary(of: b.command))
      }
      lines.append("")
    }
    lines.append("In a form: ↑/↓ field, ←/→ choose, Tab complete, Enter apply, Esc cancel.")
    lines.append("In a preview: Enter apply, Esc cancel, v rows it removes or rejects.")
    lines.append("Input settings form (i): ↑/↓ setting, type or ←/→ choose, Enter apply every change as one")
    lines.append(
      "  (u undoes it), Esc cancel; null_values NA,\"\" (\"\" is the empty cell), delimiter , ; | or \\t.")
    lines.append("Commands: :rename OLD NEW  :dedupe [COL…]  :fill_null COL VALUE|strategy=S")
    lines.append("  :normalize_timezone COL FROM [TO] [key=value…]  :OP key=value…")
    lines.append("  :write [PATH] (:w)  :quit (:q)  :quit! (:q!)  :undo  :redo  :run [OUTPUT]  :load PATH")
    lines.append("  :set null_values|delimiter|header|encoding|ragged VALUE  :sample first N|random N [SEED]")
    lines.append(
      "  :export pyspark|spark-sql|duckdb|databrew [FILE]  (the recipe as a job for another engine)")
    return lines
  }
}
