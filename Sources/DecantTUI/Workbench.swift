import DecantCore
import Foundation

/// Which cells of a step's output differ from its input (for highlighting).
public struct ChangeMap: Sendable, Equatable {
  /// `row * columnCount + column` of changed cells.
  public var cells: Set<Int> = []
  /// Columns whose name changed.
  public var headers: Set<Int> = []
  public var columnCount = 0

  public func isChanged(row: Int, column: Int) -> Bool { cells.contains(row * columnCount + column) }
  public var changedCellCount: Int { cells.count }

  /// Compares `output` with `input`, matching rows by their line and columns by
  /// position when the step kept the column count, by name otherwise.
  public static func between(input: Batch, inputSchema: Schema, output: Batch, outputSchema: Schema)
    -> ChangeMap
  {
    var map = ChangeMap(columnCount: outputSchema.count)
    let samePositions = inputSchema.count == outputSchema.count
    var inputColumn: [Int?] = []
    for (c, name) in outputSchema.names.enumerated() {
      let source = samePositions ? c : inputSchema.index(of: name)
      inputColumn.append(source)
      if let s = source, inputSchema.names[s] != name { map.headers.insert(c) }
    }
    var rowOfLine: [Int: Int] = [:]
    rowOfLine.reserveCapacity(input.rowCount)
    for (r, line) in input.lines.enumerated() { rowOfLine[line] = r }
    let inputRows = output.lines.map { rowOfLine[$0] }
    input.arena.withUnsafeBufferPointer { inArena in
      output.arena.withUnsafeBufferPointer { outArena in
        for c in 0..<outputSchema.count {
          guard let s = inputColumn[c] else {
            for r in 0..<output.rowCount { map.cells.insert(r * map.columnCount + c) }
            continue
          }
          input.columns[s].withUnsafeBufferPointer { before in
            output.columns[c].withUnsafeBufferPointer { after in
              for r in 0..<after.count {
                guard let inRow = inputRows[r] else {
                  map.cells.insert(r * map.columnCount + c)
                  continue
                }
                let a = after[r]
                let b = before[inRow]
                if a.start == b.start && a.length == b.length && inArena.baseAddress == outArena.baseAddress {
                  continue
                }
                if a.length != b.length
                  || (a.length > 0
                    && memcmp(
                      outArena.baseAddress! + Int(a.start), inArena.baseAddress! + Int(b.start), a.length)
                      != 0)
                {
                  map.cells.insert(r * map.columnCount + c)
                }
              }
            }
          }
        }
      }
    }
    return map
  }
}

/// A table the workbench can show: the sample, or the data as of some step.
public struct TableView: Sendable {
  public var batch: Batch
  public var schema: Schema
  /// Changes made by the step that produced this table (nil for the sample itself).
  public var changes: ChangeMap?
  /// Rows the step removed or rejected (line and why), for viewing.
  /// Rows the step removed or rejected: line, why, and the row's cells as they reached the step.
  public var dropped: [(line: Int, reason: String, cells: [String])]
  public var counts: StepCounts?
  /// Why the table could not be computed (a step that does not fit).
  public var error: String?
}

/// A step being defined, with its preview on the sample.
public struct Draft: Sendable {
  /// The step as it stands (nil while the form is incomplete).
  public var step: Step?
  /// The recipe index it will take: `nil` appends, a number replaces that step.
  public var replacing: Int?
  /// The preview of the step on its input.
  public var preview: TableView?
  /// What is wrong with the step as it stands.
  public var problem: String?
}

/// The workbench session: the sample, the recipe with undo/redo, the data as of
/// each step (cached), the cursor and the message line. No terminal code here.
public final class Workbench {
  public let path: String
  public private(set) var sample: Sample
  public private(set) var recipe: Recipe
  public var recipePath: String?
  public private(set) var isDirty = false
  private var undoStack: [Recipe] = []
  private var redoStack: [Recipe] = []
  /// `results[i]`: the table after step i; nil until asked for (recomputed after edits).
  private var results: [TableView?] = []

  /// The step whose output is shown: nil = after the last step, -1 = the sample.
  public var viewStep: Int? = nil {
    didSet { version += 1 }
  }
  public var draft: Draft? {
    didSet { version += 1 }
  }
  /// Counts changes to what is shown (recipe, draft, viewed step, sample), so views can cache.
  public private(set) var version = 0
  /// Cursor in the shown table, and the first visible row and column.
  public var row = 0
  public var column = 0
  public var topRow = 0
  public var leftColumn = 0
  public var message: String?
  public var messageIsError = false
  /// Which step the step list has selected.
  public var selectedStep = 0

  public init(path: String, sample: Sample, recipe: Recipe? = nil) {
    self.path = path
    self.sample = sample
    var r = recipe ?? Recipe(name: Workbench.defaultName(for: path))
    if recipe == nil { r.input = sample.settings }
    self.recipe = r
    results = Array(repeating: nil, count: r.steps.count)
    if let recipe { reportPlanProblems(recipe) }
  }

  static func defaultName(for path: String) -> String {
    let file = (path as NSString).lastPathComponent
    let base = (file as NSString).deletingPathExtension
    return base.isEmpty ? "recipe" : "clean-\(base)"
  }

  private func reportPlanProblems(_ recipe: Recipe) {
    do { _ = try recipe.plan(sample.schema) } catch {
      say("the recipe does not fit this file: \(error)", error: true)
    }
  }

  public var nullValues: NullValues { NullValues(recipe.input.nullValues) }

  public func say(_ text: String, error: Bool = false) {
    message = text
    messageIsError = error
  }

  /// Clears the message line (a prompt opens with nothing beside it).
  public func clearMessage() {
    message = nil
    messageIsError = false
  }

  // MARK: Tables

  /// The sample as a table.
  public var sampleTable: TableView {
    TableView(batch: sample.batch, schema: sample.schema, changes: nil, dropped: [], counts: nil, error: nil)
  }

  /// The table after step `index` (-1: the sample). Computed from the table before
  /// it and cached; a step that fails leaves an error and the input unchanged.
  public func table(after index: Int) -> TableView {
    if index < 0 { return sampleTable }
    if let cached = results[index] { return cached }
    let input = table(after: index - 1)
    var view: TableView
    if let error = input.error {
      view = TableView(
        batch: input.batch, schema: input.schema, changes: nil, dropped: [], counts: nil,
        error: "not computed: an earlier step failed (\(error))")
    } else {
      view = evaluate(recipe.steps[index], number: index + 1, on: input)
    }
    results[index] = view
    return view
  }

  /// How many step evaluations ran (tests check that cached steps are not redone).
  public private(set) var evaluationCount = 0

  /// Applies one step to a table with the engine's operation code.
  func evaluate(_ step: Step, number: Int, on input: TableView) -> TableView {
    evaluationCount += 1
    do {
      let outcome = try StepEvaluator.apply(
        step, number: number, to: input.batch, schema: input.schema, nullValues: nullValues)
      let changes =
        step.enabled
        ? ChangeMap.between(
          input: input.batch, inputSchema: input.schema, output: outcome.batch, outputSchema: outcome.schema)
        : nil
      let dropped = Workbench.droppedRows(step, input: input, outcome: outcome, nulls: nullValues)
      return TableView(
        batch: outcome.batch, schema: outcome.schema, changes: changes,
        dropped: dropped,
        counts: outcome.counts, error: nil)
    } catch {
      return TableView(
        batch: input.batch, schema: input.schema, changes: nil, dropped: [], counts: nil, error: "\(error)")
    }
  }

  /// The rows a step removed or rejected, with their cells; a row dedupe removed
  /// names the line of the row kept in its place.
  static func droppedRows(_ step: Step, input: TableView, outcome: StepOutcome, nulls: NullValues)
    -> [(line: Int, reason: String, cells: [String])]
  {
    let batch = input.batch
    var rowOfLine: [Int: Int] = [:]
    for (r, line) in batch.lines.enumerated() where rowOfLine[line] == nil { rowOfLine[line] = r }
    func cells(_ line: Int) -> [String] {
      guard let r = rowOfLine[line] else { return [] }
      return batch.columns.map { nulls.isNull($0[r], in: batch) ? "∅" : batch.string($0[r]) }
    }
    // For dedupe: each key's kept row, by the key's text.
    var keptLine: [[String]: Int] = [:]
    var keyOf: ((Int) -> [String])? = nil
    if let dedupe = step.operation as? DedupeOperation {
      let keyColumns =
        dedupe.columns.isEmpty
        ? Array(input.schema.names.indices) : dedupe.columns.compactMap { input.schema.index(of: $0) }
      keyOf = { r in
        keyColumns.map {
          nulls.isNull(batch.columns[$0][r], in: batch) ? "\u{0}" : batch.string(batch.columns[$0][r])
        }
      }
      let removed = Set(outcome.removedLines)
      for (r, line) in batch.lines.enumerated() where !removed.contains(line) {
        let key = keyOf!(r)
        if dedupe.keep == .last || keptLine[key] == nil { keptLine[key] = line }
      }
    }
    var out: [(line: Int, reason: String, cells: [String])] = []
    for line in outcome.removedLines {
      var reason = "removed by \(step.op)"
      if let keyOf, let r = rowOfLine[line], let kept = keptLine[keyOf(r)] {
        reason += ": a repeat of line \(kept)"
      }
      out.append((line, reason, cells(line)))
    }
    for (line, reason) in outcome.rejected { out.append((line, reason, cells(line))) }
    return out.sorted { $0.line < $1.line }
  }

  /// The table on screen: a draft's preview, or the data as of the viewed step.
  public var shown: TableView {
    if let preview = draft?.preview { return preview }
    let last = recipe.steps.count - 1
    return table(after: min(viewStep ?? last, last))
  }

  /// The table a step at `index` reads (for previews of new or edited steps).
  public func input(of index: Int) -> TableView { table(after: index - 1) }

  // MARK: Drafts and previews

  /// The directory files named in steps are relative to: the recipe file's, or
  /// the working directory while the recipe has no file.
  public var recipeDirectory: String { recipePath.map { ($0 as NSString).deletingLastPathComponent } ?? "" }

  /// Starts or updates a draft: evaluates `step` on its input for the preview.
  public func setDraft(_ drafted: Step?, replacing index: Int? = nil, problem: String? = nil) {
    let step = drafted.map { s -> Step in
      var resolved = s
      resolved.operation = s.operation.resolvingFiles(relativeTo: recipeDirectory)
      return resolved
    }
    var d = Draft(step: step, replacing: index, preview: nil, problem: problem)
    if let step {
      let at = index ?? recipe.steps.count
      let preview = evaluate(step, number: at + 1, on: input(of: at))
      if let error = preview.error { d.problem = error } else { d.preview = preview }
      // A rename's preview shows the renamed column: the cursor goes to it.
      if let renamed = d.preview?.changes?.headers.min() { column = renamed }
    }
    draft = d
    clampCursor()
  }

  /// Applies the draft to the recipe. Returns false (with a message) when it cannot be applied.
  @discardableResult
  public func applyDraft() -> Bool {
    guard let d = draft, let step = d.step else {
      say(draft?.problem ?? "the step is not complete", error: true)
      return false
    }
    if let problem = d.problem {
      say(problem, error: true)
      return false
    }
    draft = nil
    if let i = d.replacing {
      replace(at: i, with: step)
    } else {
      add(step)
    }
    return true
  }

  public func cancelDraft() {
    draft = nil
    clampCursor()
  }

  // MARK: Recipe edits (all undoable)

  private func edit(from index: Int, _ change: (inout Recipe) -> Void) {
    undoStack.append(recipe)
    redoStack.removeAll()
    change(&recipe)
    isDirty = true
    invalidate(from: index)
  }

  /// Forgets cached tables from step `index` on (earlier ones stay valid).
  private func invalidate(from index: Int) {
    version += 1
    let keep = max(0, min(index, results.count))
    results = Array(results[..<keep]) + Array(repeating: nil, count: recipe.steps.count - keep)
    clampCursor()
  }

  public func add(_ step: Step) {
    edit(from: recipe.steps.count) { $0.steps.append(step) }
    selectedStep = recipe.steps.count - 1
    viewStep = nil
    say("added step \(recipe.steps.count): \(describe(recipe.steps.count - 1))")
  }

  public func replace(at index: Int, with step: Step) {
    guard recipe.steps.indices.contains(index) else { return }
    edit(from: index) { $0.steps[index] = step }
    say("changed step \(index + 1): \(describe(index))")
  }

  public func delete(at index: Int) {
    guard recipe.steps.indices.contains(index) else { return }
    let summary = recipe.steps[index].summary
    edit(from: index) { $0.steps.remove(at: index) }
    selectedStep = max(0, min(selectedStep, recipe.steps.count - 1))
    if let v = viewStep, v >= recipe.steps.count { viewStep = nil }
    say("deleted step \(index + 1): \(summary)")
  }

  public func move(at index: Int, by delta: Int) {
    let target = index + delta
    guard recipe.steps.indices.contains(index), recipe.steps.indices.contains(target) else { return }
    edit(from: min(index, target)) { $0.steps.swapAt(index, target) }
    selectedStep = target
    say("moved step to position \(target + 1)")
  }

  public func toggle(at index: Int) {
    guard recipe.steps.indices.contains(index) else { return }
    edit(from: index) { $0.steps[index].enabled.toggle() }
    say("\(recipe.steps[index].enabled ? "enabled" : "disabled") step \(index + 1)")
  }

  public var canUndo: Bool { !undoStack.isEmpty }
  public var canRedo: Bool { !redoStack.isEmpty }

  public func undo() {
    guard let previous = undoStack.popLast() else { return say("nothing to undo") }
    redoStack.append(recipe)
    let what = Workbench.change(from: previous, to: recipe)
    restore(previous)
    say("undid: \(what) (\(recipe.steps.count) step\(recipe.steps.count == 1 ? "" : "s") now)")
  }

  public func redo() {
    guard let next = redoStack.popLast() else { return say("nothing to redo") }
    undoStack.append(recipe)
    let what = Workbench.change(from: recipe, to: next)
    restore(next)
    say("redid: \(what) (\(recipe.steps.count) step\(recipe.steps.count == 1 ? "" : "s") now)")
  }

  /// What turned recipe `a` into `b`, as the undo message names it
  /// (`add step 6 (rename a → b)`, `move step 2`, `disable step 3 (…)`).
  static func change(from a: Recipe, to b: Recipe) -> String {
    func named(_ i: Int, _ r: Recipe) -> String { "step \(i + 1) (\(r.steps[i].summary))" }
    let i = (0..<min(a.steps.count, b.steps.count)).first { a.steps[$0].json != b.steps[$0].json }
    if b.steps.count == a.steps.count + 1 { return "add " + named(i ?? a.steps.count, b) }
    if b.steps.count + 1 == a.steps.count { return "delete " + named(i ?? b.steps.count, a) }
    guard let i else {
      guard a.input != b.input else { return "no change" }
      let settings = InputChange.differences(from: a.input, to: b.input)
      return settings.isEmpty ? "input settings" : "input: " + InputChange.describe(settings)
    }
    let others = ((i + 1)..<a.steps.count).filter { a.steps[$0].json != b.steps[$0].json }
    if others == [i + 1] && a.steps[i].json == b.steps[i + 1].json && a.steps[i + 1].json == b.steps[i].json {
      return "move \(named(i, b))"
    }
    if !others.isEmpty { return "change of \(others.count + 1) steps" }
    if a.steps[i].enabled != b.steps[i].enabled {
      return (b.steps[i].enabled ? "enable " : "disable ") + named(i, b)
    }
    return "edit " + named(i, b)
  }

  /// Puts an earlier or later recipe back, recomputing only from the first step that
  /// differs. Other input settings recompute every step; settings that read the file
  /// otherwise (delimiter, header, encoding, ragged) read the sample again with them.
  private func restore(_ other: Recipe) {
    var from = firstDifference(recipe, other)
    if other.input != recipe.input {
      from = 0
      if Workbench.readingDiffers(other.input, recipe.input),
        let reread = try? Sampler.first(sample.spec.size, path: path, settings: other.input)
      {
        sample = reread
      }
    }
    recipe = other
    isDirty = true
    invalidate(from: from)
    selectedStep = max(0, min(selectedStep, recipe.steps.count - 1))
  }

  /// The first step index where two recipes differ (cached tables before it stay).
  private func firstDifference(_ a: Recipe, _ b: Recipe) -> Int {
    let n = min(a.steps.count, b.steps.count)
    for i in 0..<n where a.steps[i].json != b.steps[i].json { return i }
    return n
  }

  /// A step's summary with its effect on the sample (`dedupe event_id — 37 rows removed`).
  public func describe(_ index: Int) -> String {
    recipe.steps[index].summary + " — " + effect(index)
  }

  /// A step's effect on the sample (`37 rows removed`, `22 cells changed`, `disabled`).
  public func effect(_ index: Int) -> String {
    let step = recipe.steps[index]
    let result = table(after: index)
    if !step.enabled { return "disabled" }
    if result.error != nil { return "does not fit" }
    var text = ""
    if let c = result.counts {
      var parts: [String] = []
      if c.rowsRemoved > 0 { parts.append("\(c.rowsRemoved) removed") }
      if c.rowsRejected > 0 { parts.append("\(c.rowsRejected) rejected") }
      parts += c.talliesText
      let renamed = result.changes?.headers.count ?? 0
      if renamed > 0 { parts.append("\(renamed) column\(renamed == 1 ? "" : "s") renamed") }
      let changed = result.changes?.changedCellCount ?? 0
      if changed > 0 { parts.append("\(changed) cell\(changed == 1 ? "" : "s") changed") }
      if parts.isEmpty { parts.append("no change") }
      text = parts.joined(separator: ", ")
    }
    return text
  }

  // MARK: Cursor

  public func clampCursor() {
    let t = shown
    row = max(0, min(row, t.batch.rowCount - 1))
    column = max(0, min(column, t.schema.count - 1))
    topRow = max(0, min(topRow, row))
    leftColumn = max(0, min(leftColumn, column))
  }

  public func moveCursor(rows dy: Int = 0, columns dx: Int = 0) {
    row += dy
    column += dx
    clampCursor()
  }

  public func jump(toRow r: Int) {
    row = r
    clampCursor()
  }

  public func jump(toColumn c: Int) {
    column = c
    clampCursor()
  }

  /// Moves to the column named `name` (exact, else case-insensitive prefix, else closest).
  @discardableResult
  public func goToColumn(named name: String) -> Bool {
    let names = shown.schema.names
    let lower = name.lowercased()
    let index =
      names.firstIndex(of: name) ?? names.firstIndex { $0.lowercased() == lower }
      ?? names.firstIndex { $0.lowercased().hasPrefix(lower) }
      ?? names.firstIndex { $0.lowercased().contains(lower) }
    guard let index else {
      say("no column \"\(name)\"", error: true)
      return false
    }
    jump(toColumn: index)
    say("column \(names[index])")
    return true
  }

  public var lastSearch: String?

  /// Finds the next (or previous) cell containing `text`, from the cursor, row by row.
  @discardableResult
  public func search(_ text: String? = nil, backwards: Bool = false) -> Bool {
    guard let needle = text ?? lastSearch, !needle.isEmpty else {
      say("no search yet: press / to search")
      return false
    }
    lastSearch = needle
    let t = shown
    let ncol = t.schema.count
    let total = t.batch.rowCount * ncol
    guard total > 0 else { return false }
    let pattern = Array(needle.lowercased().utf8)
    let asciiNeedle = needle.utf8.allSatisfy { $0 < 0x80 }
    let start = row * ncol + column
    for step in 1...total {
      let k = ((backwards ? start - step : start + step) % total + total) % total
      let (r, c) = (k / ncol, k % ncol)
      let bytes = Array(t.batch.bytes(t.batch.columns[c][r]))
      // ASCII needles compare bytes; others fold case with Unicode rules.
      let found =
        asciiNeedle
        ? Workbench.contains(bytes, pattern)
        : String(decoding: bytes, as: UTF8.self).range(of: needle, options: .caseInsensitive) != nil
      if found {
        row = r
        column = c
        clampCursor()
        say("/\(needle)")
        return true
      }
    }
    say("\"\(needle)\" not found", error: true)
    return false
  }

  static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard needle.count <= haystack.count else { return false }
    let lower = haystack.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
    if needle.isEmpty { return true }
    for i in 0...(lower.count - needle.count) where lower[i] == needle[0] {
      if lower[i..<i + needle.count].elementsEqual(needle) { return true }
    }
    return false
  }

  /// New input settings (saved in the recipe's `input`) and the sample read with
  /// them: one undoable change; every step is recomputed.
  public func setInput(_ settings: InputSettings, sample new: Sample) {
    sample = new
    edit(from: 0) { $0.input = settings }
  }

  /// True when two settings read a file differently (not only in what counts as null).
  static func readingDiffers(_ a: InputSettings, _ b: InputSettings) -> Bool {
    a.format != b.format || a.delimiter != b.delimiter || a.header != b.header || a.encoding != b.encoding
      || a.ragged != b.ragged
  }

  /// Replaces the sample (a random sample finished drawing); every step is recomputed.
  public func replaceSample(_ new: Sample) {
    sample = new
    invalidate(from: 0)
  }

  // MARK: Saving and loading

  /// The recipe as it is saved: input settings and the sample's header filled in.
  public var recipeToSave: Recipe {
    var r = recipe
    var input = sample.settings
    input.nullValues = recipe.input.nullValues
    input.encoding = recipe.input.encoding ?? sample.settings.encoding
    input.ragged = recipe.input.ragged ?? sample.settings.ragged
    input.columns = sample.schema.names
    r.input = input
    return r
  }

  /// Saves the recipe atomically to `path` (or the path it was loaded from or saved to).
  public func save(to path: String? = nil) throws {
    guard let target = path ?? recipePath else {
      throw CommandError(message: "no recipe file yet: give one, e.g. :write recipes/clean.json")
    }
    let file = try OutputFile(path: target, durable: true)
    try file.write(recipeToSave.encoded)
    try file.commit()
    recipePath = target
    isDirty = false
    say("saved \(target) (\(recipe.steps.count) step\(recipe.steps.count == 1 ? "" : "s"))")
  }

  /// Replaces the recipe with one loaded from a file (undoable); steps that do
  /// not fit the file are reported, not fatal.
  /// The recipe's saved columns this file lacks, each with the file column most
  /// like it (nil: none): what a mapping form offers after a load.
  public var suggestedMapping: [(from: String, to: String?)] {
    guard let saved = recipe.input.columns else { return [] }
    return ColumnMapping.suggest(saved: saved, actual: sample.schema.names)
  }

  /// Rewrites the recipe's references to renamed columns (recipe name → file name), undoably.
  public func applyColumnMapping(_ map: [String: String]) {
    do {
      let mapped = try ColumnMapping.apply(map, to: recipe)
      edit(from: 0) { $0 = mapped }
      say(
        "mapped " + map.sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value)" }.joined(separator: ", ")
          + " in every step")
      reportPlanProblems(recipe)
    } catch { say("\(error)", error: true) }
  }

  public func load(_ loaded: Recipe, from path: String) {
    // The recipe's input settings read the sample, as they will read the file on
    // replay (the head of the file here; a random sample is drawn again by the app).
    if Workbench.readingDiffers(loaded.input, recipe.input),
      let reread = try? Sampler.first(sample.spec.size, path: self.path, settings: loaded.input)
    {
      sample = reread
    }
    edit(from: 0) { $0 = loaded }
    recipePath = path
    isDirty = false
    selectedStep = 0
    viewStep = nil
    say("loaded \(path) (\(loaded.steps.count) step\(loaded.steps.count == 1 ? "" : "s"))")
    reportPlanProblems(loaded)
  }
}
