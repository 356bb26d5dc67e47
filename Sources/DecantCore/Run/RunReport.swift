import Foundation

/// Row counts for one step (or for reading, as step 0).
public struct StepCounts: Sendable, Equatable {
  public var number: Int
  public var op: String
  public var summary: String
  public var rowsIn = 0
  public var rowsOut = 0
  public var rowsRemoved = 0
  public var rowsRejected = 0
  /// Rows that broke a `validate` rule under `on_error: keep` (they are in the output).
  public var ruleViolations = 0
  /// The step's own counts (`lookup`: matched, unmatched), in the report as `rows_NAME`.
  public var tallies: [String: Int] = [:]
  /// Cells the step wrote (changed values, filled nulls, new non-null cells).
  public var cellsChanged = 0
  /// A value the step computed over the whole input before writing (a fill's median).
  public struct Computed: Sendable, Equatable {
    public var column: String
    public var value: String
  }
  public var computed: [Computed] = []

  public init(number: Int, op: String, summary: String) {
    self.number = number
    self.op = op
    self.summary = summary
  }

  /// `rows_in = rows_out + rows_removed + rows_rejected`.
  public var balances: Bool { rowsIn == rowsOut + rowsRemoved + rowsRejected }

  /// The step's own counts as the summary shows them (`120 matched, 3 unmatched`).
  public var talliesText: [String] { tallies.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" } }

  /// The same step with every count at zero (what it computed kept).
  var zeroed: StepCounts {
    var c = StepCounts(number: number, op: op, summary: summary)
    c.computed = computed
    return c
  }

  /// The summary with what the step computed (`fill_null dep_delay by median (dep_delay: -2)`).
  public var label: String {
    computed.isEmpty
      ? summary : summary + " (" + computed.map { "\($0.column): \($0.value)" }.joined(separator: ", ") + ")"
  }

  /// Adds another share of the same step's rows.
  mutating func add(_ other: StepCounts) {
    rowsIn += other.rowsIn
    rowsOut += other.rowsOut
    rowsRemoved += other.rowsRemoved
    rowsRejected += other.rowsRejected
    ruleViolations += other.ruleViolations
    tallies.merge(other.tallies, uniquingKeysWith: +)
    cellsChanged += other.cellsChanged
  }
}

/// What a run did: counts per step and in total, time, paths, warnings.
public struct RunReport: Sendable {
  public var inputPath: String
  public var outputPath: String
  public var rejectsPath: String?
  public var recipePath: String?
  /// Step 0 is reading; then each enabled step.
  public var steps: [StepCounts] = []
  public var blankLines = 0
  public var seconds: Double = 0
  public var warnings: [String] = []
  public var inputBytes = 0

  public init(inputPath: String, outputPath: String) {
    self.inputPath = inputPath
    self.outputPath = outputPath
  }

  /// Records read (rows and records rejected while reading).
  public var rowsIn: Int { steps.first?.rowsIn ?? 0 }
  public var rowsOut: Int { steps.last?.rowsOut ?? 0 }
  public var rowsRemoved: Int { steps.reduce(0) { $0 + $1.rowsRemoved } }
  public var rowsRejected: Int { steps.reduce(0) { $0 + $1.rowsRejected } }

  /// The row-accounting invariant, for the run and for every step.
  public var balances: Bool {
    rowsIn == rowsOut + rowsRemoved + rowsRejected && steps.allSatisfy(\.balances)
  }

  public var json: JSONValue {
    func n(_ v: Int) -> JSONValue { .number(String(v)) }
    let stepValues: [JSONValue] = steps.map { s in
      var members: [(String, JSONValue)] = [
        ("step", n(s.number)), ("op", .string(s.op)), ("summary", .string(s.summary)),
        ("rows_in", n(s.rowsIn)), ("rows_out", n(s.rowsOut)), ("rows_removed", n(s.rowsRemoved)),
        ("rows_rejected", n(s.rowsRejected)),
      ]
      if s.op == ValidateOperation.descriptor.name {
        members.append(("rule_violations", n(s.ruleViolations)))
      }
      for (name, count) in s.tallies.sorted(by: { $0.key < $1.key }) {
        members.append(("rows_" + name, n(count)))
      }
      if s.number > 0 { members.append(("cells_changed", n(s.cellsChanged))) }
      if !s.computed.isEmpty {
        members.append(("computed", .object(s.computed.map { ($0.column, .string($0.value)) })))
      }
      return .object(members)
    }
    var members: [(String, JSONValue)] = [
      ("decant_report", n(1)),
      ("input", .string(inputPath)),
      ("output", .string(outputPath)),
      ("rejects", rejectsPath.map { .string($0) } ?? .null),
    ]
    if let recipePath { members.append(("recipe", .string(recipePath))) }
    members += [
      ("rows_in", n(rowsIn)), ("rows_out", n(rowsOut)), ("rows_removed", n(rowsRemoved)),
      ("rows_rejected", n(rowsRejected)), ("blank_lines", n(blankLines)),
      ("input_bytes", n(inputBytes)),
      ("seconds", .number(String(format3(seconds)))),
      ("steps", .array(stepValues)),
      ("warnings", .array(warnings.map { .string($0) })),
    ]
    return .object(members)
  }

  private func format3(_ v: Double) -> String {
    let ms = Int((v * 1000).rounded())
    let frac = String(ms % 1000)
    return "\(ms / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)"
  }

  /// The human summary printed at the end of a run.
  public var summaryText: String {
    var lines: [String] = []
    let mbps = seconds > 0 ? Double(inputBytes) / 1_000_000 / seconds : 0
    lines.append(
      "decant: \(rowsIn) rows in, \(rowsOut) out, \(rowsRemoved) removed, \(rowsRejected) rejected"
        + " in \(format3(seconds)) s" + (mbps > 0 && inputBytes > 1_000_000 ? " (\(Int(mbps)) MB/s)" : ""))
    let width = steps.map { "\($0.number) \($0.label)".count }.max() ?? 0
    for s in steps {
      let label = "\(s.number) \(s.label)"
      var parts = ["\(s.rowsIn) in", "\(s.rowsOut) out"]
      if s.rowsRemoved > 0 { parts.append("\(s.rowsRemoved) removed") }
      if s.rowsRejected > 0 { parts.append("\(s.rowsRejected) rejected") }
      if s.ruleViolations > 0 {
        parts.append("\(s.ruleViolations) rule violation\(s.ruleViolations == 1 ? "" : "s") kept")
      }
      if s.cellsChanged > 0 {
        parts.append("\(s.cellsChanged) cell\(s.cellsChanged == 1 ? "" : "s") changed")
      }
      parts += s.talliesText
      lines.append(
        "  " + label.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
          + parts.joined(separator: ", "))
    }
    if blankLines > 0 { lines.append("  \(blankLines) blank line\(blankLines == 1 ? "" : "s") skipped") }
    lines.append("  output: \(outputPath == "-" ? "stdout" : outputPath)")
    if let rejectsPath, rowsRejected > 0 { lines.append("  rejects: \(rejectsPath) (\(rowsRejected) rows)") }
    return lines.joined(separator: "\n")
  }
}
