import DecantCore
import Foundation

/// Work that runs off the key loop (drawing a random sample, a full run), with
/// progress the screen shows and a result the loop picks up.
final class BackgroundJob<Result: Sendable>: @unchecked Sendable {
  let label: String
  private let lock = NSLock()
  private var _progress: Double?
  private var _outcome: Swift.Result<Result, Error>?
  private var _cancelled = false

  init(label: String, work: @escaping @Sendable (BackgroundJob<Result>) throws -> Result) {
    self.label = label
    let t = Thread { [self] in
      let outcome = Swift.Result { try work(self) }
      lock.withLock { _outcome = outcome }
    }
    t.stackSize = 1 << 22
    t.start()
  }

  var progress: Double? {
    get { lock.withLock { _progress } }
    set { lock.withLock { _progress = newValue } }
  }
  var outcome: Swift.Result<Result, Error>? { lock.withLock { _outcome } }
  var isCancelled: Bool { lock.withLock { _cancelled } }
  func cancel() { lock.withLock { _cancelled = true } }
}

/// The workbench's controller: turns keys into named commands, keeps the mode
/// (grid, step list, command line, menu, form, preview, help…) and draws the
/// screen from views. It never touches the terminal: a `Canvas` and `Key`s come in.
public final class WorkbenchApp {
  public let bench: Workbench

  enum Mode {
    case normal
    case prompt(kind: PromptKind, text: String)
    case menu(selected: Int)
    case form(StepForm)
    /// The input settings form (`i`).
    case inputForm(InputForm)
    case preview
    case help(scroll: Int)
    case dropped(scroll: Int)
    case confirmQuit
    case summary(title: String, lines: [String])
    case facet(Facet)
    /// Clusters of near-identical values; `typing` holds a canonical value being typed.
    case clusters(Clusters, typing: String?)
    /// After a load: the recipe's missing columns and the file columns they map to.
    case mapping([(from: String, to: String?)], cursor: Int)
  }

  enum PromptKind: String {
    case command = ":"
    case search = "/"
    case column = "column: "
    case runOutput = "run to: "
  }

  var mode: Mode = .normal
  public private(set) var focus: Keymap.Context = .grid
  /// Where the focus was when a form opened: it goes back there when the form closes.
  private var focusBeforeForm: Keymap.Context = .grid
  public private(set) var showPanel = true
  public private(set) var wantsQuit = false
  /// Set by "save, then quit" before a recipe file is named.
  private var quitAfterSave = false
  private var sampleJob: BackgroundJob<Sample>?
  /// The random sample `sampleJob` draws (drawn again when the input settings change).
  private var sampleJobSpec: SampleSpec?
  private var runJob: BackgroundJob<RunReport>?
  private var facetJob: BackgroundJob<Facet>?
  /// What a whole-file count is for: a facet, or clusters by this method.
  private var facetJobClusters: Clusters.Method?
  private var layoutCache: (version: Int, layout: GridLayout)?
  private var profileCache: (version: Int, column: Int, profile: ColumnProfile)?
  /// A large sample's column is profiled in the background, so no redraw waits on it.
  private var profileJob: (version: Int, column: Int, job: BackgroundJob<ColumnProfile>)?
  /// Above this many rows the side panel's profile is computed in the background.
  static let backgroundProfileRows = 100_000
  /// Rows of data the grid showed last (for paging).
  private var pageRows = 20
  private var pageColumns = 5

  public init(bench: Workbench) {
    self.bench = bench
    offerColumnMapping()
  }

  /// When the recipe names columns the file lacks and some file column looks
  /// like them, a form maps them instead of leaving the steps "does not fit".
  func offerColumnMapping() {
    let rows = bench.suggestedMapping
    guard rows.contains(where: { $0.to != nil }) else { return }
    mode = .mapping(rows, cursor: 0)
  }

  private func handleMapping(_ rows: [(from: String, to: String?)], _ cursor: Int, _ key: Key) {
    var rows = rows
    // The file columns a recipe column may map to: those the recipe does not name.
    let saved = bench.recipe.input.columns ?? []
    let choices: [String?] = [nil] + bench.sample.schema.names.filter { !saved.contains($0) }
    switch key {
    case .down, .char("j"): mode = .mapping(rows, cursor: min(rows.count - 1, cursor + 1))
    case .up, .char("k"): mode = .mapping(rows, cursor: max(0, cursor - 1))
    case .left, .right:
      let i = choices.firstIndex { $0 == rows[cursor].to } ?? 0
      let step = key == .right ? 1 : -1
      rows[cursor].to = choices[((i + step) % choices.count + choices.count) % choices.count]
      mode = .mapping(rows, cursor: cursor)
    case .enter:
      mode = .normal
      var map: [String: String] = [:]
      for r in rows { if let to = r.to { map[r.from] = to } }
      bench.applyColumnMapping(map)
    case .escape, .char("q"):
      mode = .normal
      bench.say("the recipe's columns are left as they are", error: false)
    default: break
    }
  }

  // MARK: Background work

  /// Draws a random sample in the background; the head sample stays on screen meanwhile.
  public func startRandomSample(_ spec: SampleSpec) {
    guard case .random(let n, let seed) = spec else { return }
    let path = bench.path
    let settings = bench.recipe.input
    // A sample drawn with other settings is not wanted any more.
    sampleJob?.cancel()
    sampleJobSpec = spec
    sampleJob = BackgroundJob(label: "drawing a random sample of \(n) rows") { job in
      try Sampler.random(n, seed: seed, path: path, settings: settings) { fraction in
        job.progress = fraction
        return !job.isCancelled
      }
    }
  }

  /// True while a job runs (the key loop then polls instead of waiting).
  public var isBusy: Bool { sampleJob != nil || runJob != nil || facetJob != nil || profileJob != nil }

  /// Picks up finished background work. Returns true when the screen should be redrawn.
  @discardableResult
  public func tick() -> Bool {
    var changed = false
    if let job = sampleJob {
      changed = true
      if let outcome = job.outcome {
        sampleJob = nil
        switch outcome {
        case .success(let sample):
          bench.replaceSample(sample)
          bench.say("random sample: \(sample.batch.rowCount) of \(sample.rowsSeen) rows")
        case .failure(let error):
          if error is CancellationError {
            bench.say("random sample cancelled; showing the first \(bench.sample.batch.rowCount) rows")
          } else {
            bench.say("random sample failed: \(error)", error: true)
          }
        }
      }
    }
    if let p = profileJob, let outcome = p.job.outcome {
      profileJob = nil
      changed = true
      if case .success(let profile) = outcome { profileCache = (p.version, p.column, profile) }
    }
    if let job = facetJob {
      changed = true
      if let outcome = job.outcome {
        facetJob = nil
        switch outcome {
        case .success(let facet):
          if let method = facetJobClusters {
            showClusters(Clusters(facet: facet, method: method))
            if case .clusters = mode {
              bench.say("clusters of the whole file (\(facet.rows) rows)")
            }
          } else {
            mode = .facet(facet)
            bench.say("facet of the whole file: \(facet.entries.count) values in \(facet.rows) rows")
          }
        case .failure(let error):
          if !(error is CancellationError) {
            bench.say("counting the whole file failed: \(error)", error: true)
          }
        }
      }
    }
    if let job = runJob {
      changed = true
      if let outcome = job.outcome {
        runJob = nil
        switch outcome {
        case .success(let report):
          mode = .summary(title: "Run finished", lines: report.summaryText.components(separatedBy: "\n"))
          bench.say("ran the recipe: \(report.rowsOut) rows to \(report.outputPath)")
        case .failure(let error):
          mode = .summary(title: "Run failed", lines: ["\(error)", "", "Nothing was written."])
          bench.say("the run failed: \(error)", error: true)
        }
      }
    }
    return changed
  }

  /// Runs the recipe (as it stands, saved or not) on the whole file.
  func startRun(output: String) {
    let recipe = bench.recipeToSave
    let input = bench.path
    runJob = BackgroundJob(label: "running on \((input as NSString).lastPathComponent)") { job in
      let replay = try Replay(recipe: recipe, inputPath: input, outputPath: output)
      return try replay.run { read, total, _ in
        if let total, total > 0 { job.progress = Double(read) / Double(total) }
      }
    }
    bench.say("running the recipe on the full file → \(output)")
  }

  /// Where a run writes by default: `NAME.clean.EXT` beside the input.
  /// Where `:export TARGET` writes without a file: beside the input.
  func defaultExportPath(_ target: ExportTarget) -> String {
    let stem = URL(fileURLWithPath: bench.path).deletingPathExtension().path
    switch target {
    case .pyspark: return stem + ".job.py"
    case .sparkSQL: return stem + ".spark.sql"
    case .duckdb: return stem + ".duckdb.sql"
    case .databrew: return stem + ".databrew.json"
    }
  }

  /// Writes the recipe as a job (the same code as `decant export`): over the
  /// open file, writing where `:run` would.
  func export(to target: ExportTarget, path: String) {
    do {
      let job = try RecipeExport.job(
        bench.recipe, to: target, input: bench.path, output: defaultRunOutput, rejects: nil)
      try Data(job.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
      let steps = bench.recipe.enabledSteps.count
      bench.say("exported \(steps) step\(steps == 1 ? "" : "s") to \(path) (\(target.rawValue))")
    } catch let failure as RecipeExport.Failure {
      bench.say("not exported to \(target.rawValue): \(failure)", error: true)
    } catch {
      bench.say("not exported: \(error)", error: true)
    }
  }

  var defaultRunOutput: String {
    let url = URL(fileURLWithPath: bench.path)
    let ext = url.pathExtension.isEmpty ? "csv" : url.pathExtension
    return url.deletingPathExtension().path + ".clean." + ext
  }

  // MARK: Keys

  public func handle(_ key: Key) {
    if key == .resize { return }
    switch mode {
    case .normal: handleNormal(key)
    case .prompt(let kind, let text): handlePrompt(kind, text, key)
    case .menu(let selected): handleMenu(selected, key)
    case .facet(let facet): handleFacet(facet, key)
    case .clusters(let clusters, let typing): handleClusters(clusters, typing, key)
    case .mapping(let rows, let cursor): handleMapping(rows, cursor, key)
    case .form(let form): handleForm(form, key)
    case .inputForm(let form): handleInputForm(form, key)
    case .preview: handlePreview(key)
    case .help(let scroll):
      switch key {
      case .down, .char("j"): mode = .help(scroll: scroll + 1)
      case .up, .char("k"): mode = .help(scroll: max(0, scroll - 1))
      default: mode = .normal
      }
    case .dropped(let scroll):
      switch key {
      case .down, .char("j"): mode = .dropped(scroll: scroll + 1)
      case .up, .char("k"): mode = .dropped(scroll: max(0, scroll - 1))
      case .pageDown: mode = .dropped(scroll: scroll + pageRows)
      default: mode = bench.draft == nil ? .normal : .preview
      }
    case .confirmQuit:
      switch key {
      case .char("y"): wantsQuit = true
      case .char("w"):
        if bench.recipePath == nil {
          // No file yet: ask for one, then quit once it is saved.
          quitAfterSave = true
          mode = .prompt(kind: .command, text: "write ")
          bench.say("Enter saves as \(proposedRecipePath), or type another name; Decant quits after saving")
        } else {
          save(to: nil)
          if !bench.isDirty { wantsQuit = true } else { mode = .normal }
        }
      default:
        mode = .normal
        bench.say("quit cancelled")
      }
    case .summary:
      mode = .normal
    }
  }

  private func handleNormal(_ key: Key) {
    if key == .escape, let job = sampleJob {
      job.cancel()
      return
    }
    guard let command = Keymap.command(for: key, in: focus) else {
      if key != .escape { bench.say("\(key) is not bound here; ? shows the keys") }
      return
    }
    run(command: command)
  }

  /// Runs a named command (every key action goes through here).
  public func run(command: String) {
    let page = max(1, pageRows)
    switch command {
    case "cursor.down": bench.moveCursor(rows: 1)
    case "cursor.up": bench.moveCursor(rows: -1)
    case "cursor.left": bench.moveCursor(columns: -1)
    case "cursor.right": bench.moveCursor(columns: 1)
    case "page.down":
      bench.topRow += page
      bench.moveCursor(rows: page)
    case "page.up":
      bench.topRow = max(0, bench.topRow - page)
      bench.moveCursor(rows: -page)
    case "page.right": bench.moveCursor(columns: max(1, pageColumns))
    case "page.left": bench.moveCursor(columns: -max(1, pageColumns))
    case "row.first": bench.jump(toRow: 0)
    case "row.last": bench.jump(toRow: Int.max / 2)
    case "column.first": bench.jump(toColumn: 0)
    case "column.last": bench.jump(toColumn: Int.max / 2)
    case "column.goto":
      bench.clearMessage()
      mode = .prompt(kind: .column, text: "")
    case "search":
      bench.clearMessage()
      mode = .prompt(kind: .search, text: "")
    case "search.next": bench.search()
    case "search.previous": bench.search(backwards: true)
    case "step.add": mode = .menu(selected: 0)
    case "command":
      bench.clearMessage()
      mode = .prompt(kind: .command, text: "")
    case "focus.steps":
      focus = .steps
      showPanel = true
      bench.selectedStep = max(0, min(bench.selectedStep, bench.recipe.steps.count - 1))
      if !bench.recipe.steps.isEmpty { bench.viewStep = bench.selectedStep }
    case "focus.grid":
      focus = .grid
      bench.viewStep = nil
      bench.clampCursor()
    case "profile.toggle": showPanel.toggle()
    case "clusters.show":
      let table = bench.shown
      guard table.schema.names.indices.contains(bench.column) else { return }
      showClusters(
        Clusters(table: table, column: bench.column, nulls: bench.nullValues, method: .fingerprint))
    case "facet.show":
      let table = bench.shown
      guard table.schema.names.indices.contains(bench.column) else { return }
      mode = .facet(Facet(table: table, column: bench.column, nulls: bench.nullValues))
    case "input.settings": openInputForm()
    case "message.show":
      guard let message = bench.message else { return bench.say("no message to show") }
      mode = .summary(
        title: bench.messageIsError ? "Error" : "Message", lines: DisplayWidth.wrap(message, width: 70))
    case "dropped.show":
      if bench.shown.dropped.isEmpty {
        bench.say("this step removes or rejects no rows")
      } else {
        mode = .dropped(scroll: 0)
      }
    case "undo": undoOrRedo(redo: false)
    case "redo": undoOrRedo(redo: true)
    case "save":
      if bench.recipePath == nil {
        mode = .prompt(kind: .command, text: "write ")
        bench.say("Enter saves as \(proposedRecipePath), or type another name")
      } else {
        save(to: nil)
      }
    case "run":
      if runJob != nil { return bench.say("a run is already going") }
      mode = .prompt(kind: .runOutput, text: defaultRunOutput)
    case "help": mode = .help(scroll: 0)
    case "quit":
      if bench.isDirty {
        mode = .confirmQuit
      } else {
        wantsQuit = true
      }
    case "step.next", "step.previous":
      guard !bench.recipe.steps.isEmpty else { return }
      let delta = command == "step.next" ? 1 : -1
      // From the sample (before any step) the next step is the first.
      let from = bench.viewStep == -1 ? (delta > 0 ? -1 : 0) : bench.selectedStep
      bench.selectedStep = max(0, min(bench.recipe.steps.count - 1, from + delta))
      bench.viewStep = bench.selectedStep
      bench.clampCursor()
    case "step.sample":
      bench.viewStep = -1
      bench.clampCursor()
    case "step.toggle": bench.toggle(at: bench.selectedStep)
    case "step.delete": bench.delete(at: bench.selectedStep)
    case "step.moveUp": bench.move(at: bench.selectedStep, by: -1)
    case "step.moveDown": bench.move(at: bench.selectedStep, by: 1)
    case "step.edit":
      guard bench.recipe.steps.indices.contains(bench.selectedStep) else { return }
      let i = bench.selectedStep
      let form = StepForm(editing: bench.recipe.steps[i], at: i, columns: bench.input(of: i).schema.names)
      openForm(form)
    default:
      bench.say("unknown command \(command)", error: true)
    }
    // In the step list the data on screen follows the selected step.
    if focus == .steps, command.hasPrefix("step."), command != "step.sample", bench.viewStep != -1,
      !bench.recipe.steps.isEmpty
    {
      bench.viewStep = bench.selectedStep
    }
  }

  /// Saves the recipe; a recipe with no file yet goes to `proposedRecipePath`.
  private func save(to path: String?) {
    do { try bench.save(to: path ?? bench.recipePath ?? proposedRecipePath) } catch {
      bench.say("\(error)", error: true)
    }
  }

  /// Where an unnamed recipe is saved: beside the data, named after it
  /// (`samples/events.recipe.json`), never over an existing file.
  var proposedRecipePath: String {
    let stem = (bench.path as NSString).deletingPathExtension
    var candidate = stem + ".recipe.json"
    var n = 2
    while FileManager.default.fileExists(atPath: candidate) {
      candidate = stem + ".recipe-\(n).json"
      n += 1
    }
    return candidate
  }

  // MARK: Prompts (command line, search, column, run output)

  private func handlePrompt(_ kind: PromptKind, _ text: String, _ key: Key) {
    switch key {
    case .escape:
      mode = .normal
      quitAfterSave = false
    case .backspace:
      if text.isEmpty { mode = .normal } else { mode = .prompt(kind: kind, text: String(text.dropLast())) }
    case .char(let c):
      mode = .prompt(kind: kind, text: text + String(c))
    case .tab where kind == .column:
      let matches = bench.shown.schema.names.filter { $0.lowercased().hasPrefix(text.lowercased()) }
      guard let first = matches.first else {
        return bench.say("no column starts with \"\(text)\"", error: true)
      }
      // One match completes; several complete as far as they agree and are listed.
      var common = first
      for m in matches.dropFirst() {
        while !m.lowercased().hasPrefix(common.lowercased()) { common.removeLast() }
      }
      mode = .prompt(
        kind: kind, text: matches.count == 1 ? first : (common.count >= text.count ? common : text))
      if matches.count > 1 { bench.say(WorkbenchApp.candidates(matches)) }
    case .enter:
      mode = .normal
      switch kind {
      case .search: bench.search(text)
      case .column: bench.goToColumn(named: text)
      case .runOutput:
        if !text.isEmpty { startRun(output: text) }
      case .command: execute(text)
      }
    default:
      break
    }
  }

  /// Executes a `:` command line.
  public func execute(_ line: String) {
    guard !line.trimmingSpaces.isEmpty else { return }
    let command: WorkbenchCommand
    do { command = try CommandParser.parse(line) } catch {
      return bench.say("\(error)", error: true)
    }
    switch command {
    case .step(let step):
      preview(step)
    case .set(let change):
      do { try changeInput([change]) } catch {
        bench.say("\(error) (the settings are unchanged)", error: true)
      }
    case .sample(let spec):
      resample(spec)
    case .write(let path):
      save(to: path)
      if quitAfterSave && !bench.isDirty { wantsQuit = true }
      quitAfterSave = false
    case .quit(let force):
      if force || !bench.isDirty { wantsQuit = true } else { mode = .confirmQuit }
    case .undo: undoOrRedo(redo: false)
    case .redo: undoOrRedo(redo: true)
    case .run(let output): startRun(output: output ?? defaultRunOutput)
    case .help: mode = .help(scroll: 0)
    case .export(let target, let path): export(to: target, path: path ?? defaultExportPath(target))
    case .goTo(let name): bench.goToColumn(named: name)
    case .load(let path):
      do {
        guard let data = FileManager.default.contents(atPath: path) else {
          throw IOError(path: path, "cannot read the recipe")
        }
        var recipe = try Recipe.decode([UInt8](data))
        recipe.resolveFiles(relativeTo: (path as NSString).deletingLastPathComponent)
        let spec = bench.sample.spec
        let before = bench.recipe.input
        bench.load(recipe, from: path)
        if Workbench.readingDiffers(before, bench.recipe.input) { redrawRandomSample(shown: spec) }
        offerColumnMapping()
      } catch let error as IOError {
        bench.say("\(error)", error: true)
      } catch {
        bench.say("\(path): \(error)", error: true)
      }
    }
  }

  /// What a previewed step would do, for the message line.
  func previewSummary(_ step: Step, at index: Int) -> String {
    guard let p = bench.draft?.preview, let c = p.counts else { return "preview" }
    var parts: [String] = []
    let renamed = p.changes?.headers.count ?? 0
    if renamed > 0 { parts.append("\(renamed) column\(renamed == 1 ? "" : "s") renamed") }
    parts.append("\(p.changes?.changedCellCount ?? 0) cells change")
    if c.rowsRemoved > 0 { parts.append("\(c.rowsRemoved) rows removed") }
    if c.rowsRejected > 0 { parts.append("\(c.rowsRejected) rows rejected") }
    parts += c.talliesText
    return "preview of \(step.summary): " + parts.joined(separator: ", ")
      + " — Enter applies, Esc cancels" + (p.dropped.isEmpty ? "" : ", v shows rows")
  }

  private func handlePreview(_ key: Key) {
    switch key {
    case .enter:
      if bench.applyDraft() { mode = .normal }
    case .escape:
      bench.cancelDraft()
      mode = .normal
      bench.say("step cancelled")
    case .char("v"):
      if !bench.shown.dropped.isEmpty { mode = .dropped(scroll: 0) }
    default:
      guard let command = Keymap.command(for: key, in: .grid) else {
        return bench.say("previewing a step: Enter applies it, Esc cancels it, v shows its rows", error: true)
      }
      // Looking around the preview works as in the grid.
      if command.hasPrefix("cursor.") || command.hasPrefix("page.") || command.hasPrefix("row.")
        || command.hasPrefix("column.first") || command.hasPrefix("column.last")
      {
        return run(command: command)
      }
      // Undo during a preview takes back the step being previewed: it cancels it.
      if command == "undo" {
        bench.cancelDraft()
        mode = .normal
        return bench.say("step cancelled (u during a preview cancels it; the recipe is unchanged)")
      }
      // The next step, from the command line or the menu, comes after this one:
      // the previewed step is applied first, then the command line or menu opens.
      if command == "command" || command == "step.add" {
        let summary = bench.draft?.step?.summary ?? "the step"
        guard bench.applyDraft() else { return }
        mode = .normal
        run(command: command)
        return bench.say("applied \(summary)")
      }
      bench.say("previewing a step: Enter applies it, Esc cancels it, v shows its rows", error: true)
    }
  }

  /// Previews a new step (Enter applies it, Esc cancels), or says why it does not fit.
  private func preview(_ step: Step) {
    let at = bench.recipe.steps.count
    bench.setDraft(step)
    if let problem = bench.draft?.problem {
      bench.draft = nil
      mode = .normal
      return bench.say(problem, error: true)
    }
    mode = .preview
    bench.say(previewSummary(step, at: at))
  }

  // MARK: Input settings and the sample

  /// How the input is read now: the sample's resolved settings (format,
  /// delimiter, header) with the recipe's null values, encoding and ragged policy.
  var inputSettings: InputSettings {
    var s = bench.recipeToSave.input
    s.columns = nil
    return s
  }

  /// Reads the sample again with the settings changed: one read, one undoable
  /// change. Every view and step is recomputed, the settings are saved in the
  /// recipe's `input`, and the message says what changed. Throws, changing
  /// nothing, when the file cannot be read with them.
  func changeInput(_ changes: [InputChange]) throws {
    let current = inputSettings
    let settings = changes.reduce(current) { $1.applied(to: $0) }
    let made = InputChange.differences(from: current, to: settings)
    guard !made.isEmpty else { return bench.say("input settings unchanged") }
    let spec = bench.sample.spec
    // A random sample is drawn again in the background; the head shows meanwhile.
    let sample = try readSample(spec.isRandom ? .first(spec.size) : spec, settings: settings)
    bench.setInput(settings, sample: sample)
    redrawRandomSample(shown: spec)
    bench.say(
      "input: \(InputChange.describe(made)) — the sample was read again (\(sample.batch.rowCount) rows)")
  }

  /// Undo or redo; one that puts back settings that read the file otherwise
  /// (the workbench reads the head of the file again) draws a random sample again.
  private func undoOrRedo(redo: Bool) {
    let spec = bench.sample.spec
    let before = bench.recipe.input
    if redo { bench.redo() } else { bench.undo() }
    if Workbench.readingDiffers(before, bench.recipe.input) { redrawRandomSample(shown: spec) }
  }

  /// After new input settings: the random sample that was shown, or that was
  /// still being drawn with the old settings, is drawn again in the background.
  private func redrawRandomSample(shown spec: SampleSpec) {
    if spec.isRandom {
      startRandomSample(spec)
    } else if sampleJob != nil, let drawing = sampleJobSpec {
      startRandomSample(drawing)
    }
  }

  /// A new sample: the first rows at once, a random one in the background.
  func resample(_ spec: SampleSpec) {
    switch spec {
    case .first:
      do {
        bench.replaceSample(try readSample(spec, settings: inputSettings))
        bench.say("sample: \(bench.sample.batch.rowCount) rows from the head of the file")
      } catch { bench.say("\(error)", error: true) }
    case .random:
      startRandomSample(spec)
    }
  }

  // MARK: Input settings form

  /// `i`: the input settings in a form, filled with the values in effect.
  func openInputForm() {
    mode = .inputForm(InputForm(settings: inputSettings))
    bench.say(
      "input settings: change any of them, then Enter applies them all as one change (u takes it back)")
  }

  private func handleInputForm(_ form: InputForm, _ key: Key) {
    var f = form
    switch key {
    case .escape:
      mode = .normal
      return bench.say("input settings unchanged")
    case .enter:
      do {
        try changeInput(try f.changes())
        mode = .normal
        return
      } catch let error as CommandError {
        f.problem = error.message
      } catch {
        f.problem = "the file cannot be read with these settings: \(error)"
      }
      bench.say((f.problem ?? "") + " — nothing was applied", error: true)
    case .tab: f.moveFocus(1)
    default:
      guard editField(&f, key) else { return }
      f.check()
    }
    mode = .inputForm(f)
  }

  /// What Enter would change, as the form's last line says it.
  private func inputFormChanges(_ form: InputForm) -> [InputChange] {
    guard let changes = try? form.changes() else { return [] }
    let current = inputSettings
    return InputChange.differences(from: current, to: changes.reduce(current) { $1.applied(to: $0) })
  }

  /// How many times the sample was read (tests check one read per change of the input settings).
  private(set) var sampleReads = 0

  private func readSample(_ spec: SampleSpec, settings: InputSettings) throws -> Sample {
    sampleReads += 1
    switch spec {
    case .first(let n): return try Sampler.first(n, path: bench.path, settings: settings)
    case .random(let n, let seed):
      return try Sampler.random(n, seed: seed, path: bench.path, settings: settings) { _ in true }
    }
  }

  /// Counts a column's values over the whole file in the background, through
  /// the steps of the shown table; a facet (or clusters by `method`) follows.
  private func countWholeFile(_ column: String, forClusters method: Clusters.Method?) {
    guard facetJob == nil else { return bench.say("already counting over the whole file") }
    let last = bench.recipe.steps.count - 1
    var prefix = bench.recipeToSave
    prefix.steps = Array(prefix.steps.prefix(min(bench.viewStep ?? last, last) + 1))
    let recipe = prefix
    let path = bench.path
    facetJobClusters = method
    facetJob = BackgroundJob(label: "counting \(column) over the whole file") { job in
      try Facet.wholeFile(
        column: column, recipe: recipe, path: path, progress: { job.progress = $0 },
        cancelled: { job.isCancelled })
    }
    bench.say("counting \(column) over the whole file in the background; the list updates when it is done")
  }

  // MARK: Facet

  private func handleFacet(_ facet: Facet, _ key: Key) {
    var f = facet
    switch key {
    case .down, .char("j"): f.move(1)
    case .up, .char("k"): f.move(-1)
    case .pageDown: f.move(max(1, pageRows))
    case .pageUp: f.move(-max(1, pageRows))
    case .char(" "): f.togglePick()
    case .char("s"): f.toggleOrder()
    case .char("a"):
      // The same facet over the whole file, in the background.
      countWholeFile(f.column, forClusters: nil)
    case .enter, .char("f"):
      // The rows holding the chosen values, as a filter step's preview: the
      // recipe changes only if it is applied.
      do { return preview(try f.filterStep()) } catch { return bench.say("\(error)", error: true) }
    case .char("m"):
      do {
        guard let step = try f.mapStep() else {
          return bench.say("pick two or more values with Space: the first picked replaces the others")
        }
        return preview(step)
      } catch { return bench.say("\(error)", error: true) }
    case .escape, .char("q"):
      facetJob?.cancel()
      mode = .normal
      return
    default: break
    }
    mode = .facet(f)
  }

  // MARK: Clusters

  private func showClusters(_ c: Clusters) {
    if c.clusters.isEmpty {
      mode = .normal
      return bench.say(
        "no values of \(c.column) cluster by \(c.method.rawValue)"
          + (c.method == .fingerprint ? " (t in the cluster list tries the 2-gram fingerprint)" : ""))
    }
    mode = .clusters(c, typing: nil)
  }

  private func handleClusters(_ clusters: Clusters, _ typing: String?, _ key: Key) {
    var c = clusters
    if let typing {
      switch key {
      case .enter:
        c.setCanonical(typing)
        mode = .clusters(c, typing: nil)
      case .escape: mode = .clusters(c, typing: nil)
      case .backspace: mode = .clusters(c, typing: String(typing.dropLast()))
      case .char(let ch): mode = .clusters(c, typing: typing + String(ch))
      default: break
      }
      return
    }
    switch key {
    case .down, .char("j"): c.move(1)
    case .up, .char("k"): c.move(-1)
    case .char(" "): c.toggle()
    case .left: c.cycleCanonical(-1)
    case .right: c.cycleCanonical(1)
    case .char("e"):
      mode = .clusters(c, typing: "")
      return
    case .char("a"):
      countWholeFile(c.column, forClusters: c.method)
    case .char("t"):
      let table = bench.shown
      guard let column = table.schema.index(of: c.column) else { return }
      let next: Clusters.Method = c.method == .fingerprint ? .ngram : .fingerprint
      return showClusters(Clusters(table: table, column: column, nulls: bench.nullValues, method: next))
    case .enter:
      do {
        guard let step = try c.mapStep() else {
          return bench.say("no cluster is included, so nothing would change")
        }
        return preview(step)
      } catch { return bench.say("\(error)", error: true) }
    case .escape, .char("q"):
      mode = .normal
      return
    default: break
    }
    mode = .clusters(c, typing: nil)
  }

  // MARK: Menu and form

  private func handleMenu(_ selected: Int, _ key: Key) {
    let ops = OperationRegistry.operations
    switch key {
    case .down, .char("j"): mode = .menu(selected: (selected + 1) % ops.count)
    case .up, .char("k"): mode = .menu(selected: (selected - 1 + ops.count) % ops.count)
    case .enter:
      let t = bench.shown
      let current = t.schema.names.indices.contains(bench.column) ? t.schema.names[bench.column] : nil
      openForm(
        StepForm(
          op: ops[selected].descriptor.name, columns: bench.input(of: bench.recipe.steps.count).schema.names,
          currentColumn: current))
    case .escape, .char("q"): mode = .normal
    case .char(let c):
      // A letter moves to the next operation that starts with it.
      let order = Array(ops.indices[(selected + 1)...]) + Array(ops.indices[...selected])
      if let i = order.first(where: { ops[$0].descriptor.name.first == c }) { mode = .menu(selected: i) }
    default: break
    }
  }

  private func openForm(_ form: StepForm) {
    var form = form
    form.directory = bench.recipeDirectory
    focusBeforeForm = focus
    focus = .grid
    mode = .form(form)
    refreshDraft(form)
  }

  /// Rebuilds the step from the form and previews it (or shows what is missing).
  private func refreshDraft(_ form: StepForm) {
    switch form.build() {
    case .success(let step):
      bench.setDraft(step, replacing: form.replacing)
      if let problem = bench.draft?.problem {
        bench.say(problem, error: true)
      } else {
        bench.say(previewSummary(step, at: form.replacing ?? bench.recipe.steps.count))
      }
    case .failure(let error):
      bench.setDraft(nil, replacing: form.replacing, problem: "\(error)")
      bench.say("\(error)", error: true)
    }
  }

  private func handleForm(_ form: StepForm, _ key: Key) {
    var f = form
    switch key {
    case .escape:
      bench.cancelDraft()
      mode = .normal
      focus = focusBeforeForm
      return bench.say("step cancelled")
    case .enter:
      if bench.applyDraft() {
        mode = .normal
        focus = focusBeforeForm
      }
      return
    case .tab:
      let candidates = f.completions
      f.complete()
      if candidates.count > 1 {
        mode = .form(f)
        refreshDraft(f)
        bench.say(WorkbenchApp.candidates(candidates))
        return
      }
    default:
      guard editField(&f, key) else { return }
    }
    mode = .form(f)
    refreshDraft(f)
  }

  /// The keys every form takes alike: ↓/↑ (Shift-Tab) move between fields, ←/→
  /// (Space on a choice) cycle a choice or a column, characters and Backspace
  /// edit text. False for any other key.
  private func editField<F: FieldForm>(_ form: inout F, _ key: Key) -> Bool {
    switch key {
    case .down: form.moveFocus(1)
    case .up, .backTab: form.moveFocus(-1)
    case .left: form.cycle(-1)
    case .right: form.cycle(1)
    case .backspace: form.backspace()
    case .char(" ") where form.focusedField.isChoice: form.cycle(1)
    case .char(let c): form.type(c)
    default: return false
    }
    return true
  }

  /// The message for a Tab that matched several names: how many, and the first of them.
  static func candidates(_ names: [String]) -> String {
    let shown = names.prefix(8).joined(separator: ", ")
    return "\(names.count) match: \(shown)\(names.count > 8 ? ", …" : "") — type more to choose"
  }

  // MARK: Drawing

  public func draw(on canvas: Canvas) {
    let W = canvas.width
    let H = canvas.height
    guard W >= 20, H >= 8 else {
      canvas.fill(row: 0, style: .plain)
      canvas.put("window too small", row: 0, column: 0, style: .error)
      return
    }
    let table = bench.shown
    let layout = gridLayout(table)
    let panelWidth = showPanel ? min(44, max(24, W / 3)) : 0
    let gridWidth = W - panelWidth - (panelWidth > 0 ? 1 : 0)
    let bodyTop = 1
    let bodyHeight = H - 3
    pageRows = max(1, bodyHeight - 2)
    scrollIntoView(table: table, layout: layout, width: gridWidth, rows: pageRows)

    drawTitle(on: canvas, table: table)
    GridView.draw(
      table, bench: bench, layout: layout, on: canvas, top: bodyTop, left: 0, width: gridWidth,
      height: bodyHeight)
    if panelWidth > 0 {
      let x = gridWidth + 1
      for y in bodyTop..<(bodyTop + bodyHeight) { canvas.put("│", row: y, column: gridWidth, style: .dim) }
      let stepsHeight = max(4, min(bodyHeight / 2, 2 * bench.recipe.steps.count + 4))
      SidePanel.drawSteps(
        bench: bench, focused: focus == .steps, on: canvas, top: bodyTop, left: x, width: panelWidth,
        height: stepsHeight)
      SidePanel.drawProfile(
        profile(table), profiling: profileJob.map { "profiling \(table.schema.names[$0.column])…" },
        on: canvas, top: bodyTop + stepsHeight, left: x, width: panelWidth,
        height: bodyHeight - stepsHeight)
    }
    drawStatus(on: canvas, table: table, row: H - 2)
    drawBottomLine(on: canvas, row: H - 1)
    drawOverlay(on: canvas, table: table)
  }

  private func gridLayout(_ table: TableView) -> GridLayout {
    if let c = layoutCache, c.version == bench.version { return c.layout }
    let layout = GridLayout(table: table, nulls: bench.nullValues)
    layoutCache = (bench.version, layout)
    return layout
  }

  private func profile(_ table: TableView) -> ColumnProfile? {
    guard table.schema.names.indices.contains(bench.column) else { return nil }
    if let c = profileCache, c.version == bench.version, c.column == bench.column { return c.profile }
    let t = table.batch
    var column = Batch(arena: t.arena, columns: [t.columns[bench.column]], lines: t.lines)
    column.originalColumns = []
    let one = column
    let name = table.schema.names[bench.column]
    let nulls = bench.nullValues
    let compute: @Sendable () -> ColumnProfile = {
      let profiler = ColumnProfiler(names: [name], nullValues: nulls)
      profiler.add(one)
      return profiler.finish(top: 5, histogramBuckets: 12)[0]
    }
    if t.rowCount > WorkbenchApp.backgroundProfileRows {
      // Shown when done; until then the panel says it is profiling.
      // One profile at a time: a column scrolled past is not profiled; the one
      // under the cursor is, once the running one ends.
      if profileJob == nil {
        profileJob = (
          bench.version, bench.column, BackgroundJob(label: "profiling \(name)") { _ in compute() }
        )
      }
      return nil
    }
    let p = compute()
    profileCache = (bench.version, bench.column, p)
    return p
  }

  /// Keeps the cursor on screen.
  private func scrollIntoView(table: TableView, layout: GridLayout, width: Int, rows: Int) {
    if bench.row < bench.topRow { bench.topRow = bench.row }
    if bench.row >= bench.topRow + rows { bench.topRow = bench.row - rows + 1 }
    // A taller window shows more rows rather than empty lines below the last one.
    bench.topRow = min(bench.topRow, max(0, table.batch.rowCount - rows))
    bench.topRow = max(0, min(bench.topRow, max(0, table.batch.rowCount - 1)))
    if bench.column < bench.leftColumn { bench.leftColumn = bench.column }
    let gutter = GridView.gutterWidth(rows: table.batch.rowCount)
    while bench.leftColumn < bench.column
      && bench.column >= bench.leftColumn
        + GridView.visibleColumns(layout: layout, first: bench.leftColumn, width: width, gutter: gutter)
    {
      bench.leftColumn += 1
    }
    pageColumns = GridView.visibleColumns(
      layout: layout, first: bench.leftColumn, width: width, gutter: gutter)
  }

  private func drawTitle(on canvas: Canvas, table: TableView) {
    let file = (bench.path as NSString).lastPathComponent
    let recipe = bench.recipePath.map { ($0 as NSString).lastPathComponent } ?? "unsaved recipe"
    let dirty = bench.isDirty ? " [+]" : ""
    var view = "after step \(bench.recipe.steps.count)"
    if bench.draft != nil {
      view = "preview"
    } else if let v = bench.viewStep {
      view = v < 0 ? "sample (before any step)" : "as of step \(v + 1)"
    }
    if bench.recipe.steps.isEmpty && bench.draft == nil { view = "sample" }
    canvas.put(
      " decant — \(file) — \(recipe)\(dirty) — \(view)", row: 0, column: 0, width: canvas.width, style: .title
    )
  }

  private func drawStatus(on canvas: Canvas, table: TableView, row y: Int) {
    let s = bench.sample
    let kind: String
    switch s.spec {
    case .first:
      // A head sample is said to be one: on a sorted file the first rows are alike.
      kind =
        s.isComplete
        ? "all \(s.batch.rowCount) rows"
        : "first \(s.batch.rowCount) rows" + (sampleJob == nil ? " (head of the file; :sample random N)" : "")
    case .random(_, let seed): kind = "random \(s.batch.rowCount) of \(s.rowsSeen) rows (seed \(seed))"
    }
    let rows = table.batch.rowCount
    var text = " \(kind) │ row \(rows == 0 ? 0 : bench.row + 1)/\(rows)"
    if table.schema.names.indices.contains(bench.column) {
      text += ", column \(bench.column + 1)/\(table.schema.count) \(table.schema.names[bench.column])"
    }
    if let job = sampleJob {
      text += " │ \(job.label) " + progressText(job.progress) + " (Esc cancels)"
    }
    if let job = runJob { text += " │ \(job.label) " + progressText(job.progress) }
    if bench.isDirty { text += " │ unsaved" }
    canvas.put(text, row: y, column: 0, width: canvas.width, style: .status)
  }

  private func progressText(_ fraction: Double?) -> String {
    guard let f = fraction else { return "…" }
    let width = 12
    let filled = max(0, min(width, Int(f * Double(width))))
    return "[" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
      + "] \(Int(f * 100))%"
  }

  private func drawBottomLine(on canvas: Canvas, row y: Int) {
    switch mode {
    case .prompt(let kind, let text):
      let line = kind.rawValue + text + "▏"
      canvas.put(line, row: y, column: 0, width: canvas.width, style: .input)
      // What the prompt last said (Tab's candidates, the proposed file name) stays beside it.
      let x = DisplayWidth.of(line) + 3
      if let message = bench.message, x < canvas.width {
        canvas.put(
          message, row: y, column: x, width: canvas.width - x, style: bench.messageIsError ? .error : .dim)
      }
    default:
      var text =
        " " + (bench.message ?? "? help · a add step · : command · Tab steps · w save · R run · q quit")
      // An error too long for the line says how to read all of it (`m` shows any message whole).
      let more = " (m: all of it)"
      if bench.messageIsError && DisplayWidth.of(text) > canvas.width && canvas.width > 30 {
        text = DisplayWidth.fit(text, width: canvas.width - 2 - DisplayWidth.of(more)) + more
      }
      canvas.put(
        text, row: y, column: 0, width: canvas.width, style: bench.messageIsError ? .error : .message)
    }
  }

  private func drawOverlay(on canvas: Canvas, table: TableView) {
    switch mode {
    case .menu(let selected):
      let lines =
        OperationRegistry.operations.enumerated().map { i, op in
          (
            "\(i == selected ? "▸" : " ") \(op.descriptor.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(op.descriptor.summary)",
            i == selected ? Style.cursor : Style.plain
          )
        } + [("", .plain), ("↑/↓ or a letter choose · Enter open the form · Esc close", .dim)]
      // On a short screen the list scrolls to keep the choice in view.
      let rows = max(1, canvas.height - 4)
      let scroll = selected < rows - 2 ? 0 : min(selected - (rows - 3), lines.count - rows)
      Overlay.box(title: "Add a step", lines: lines, on: canvas, scroll: max(0, scroll))
    case .form(let form):
      Overlay.box(
        title: "\(form.replacing == nil ? "New" : "Edit") step: \(form.op)", lines: formLines(form),
        on: canvas, width: min(canvas.width - 2, 76), atBottom: true)
    case .inputForm(let form):
      let file = (bench.path as NSString).lastPathComponent
      Overlay.box(
        title:
          "Input settings: \(file) (\(form.format == .jsonl ? "JSON Lines" : form.format.rawValue.uppercased()))",
        lines: inputFormLines(form), on: canvas, width: min(canvas.width - 2, 76), atBottom: true)
    case .help(let scroll):
      Overlay.box(
        title: "Keys (any other key closes)", lines: Keymap.helpLines.map { ($0, .plain) }, on: canvas,
        scroll: scroll)
    case .dropped(let scroll):
      // Each row: its line and why, then its cells (as they reached the step).
      let lines = table.dropped.flatMap { row in
        [
          ("line \(row.line): \(row.reason)", Style.plain),
          ("  " + row.cells.joined(separator: " │ "), Style.dim),
        ]
      }
      Overlay.box(
        title: "\(table.dropped.count) rows removed or rejected (↑/↓ scroll, any key closes)", lines: lines,
        on: canvas,
        width: canvas.width - 4, scroll: min(scroll, max(0, lines.count - 1)))
    case .confirmQuit:
      Overlay.box(
        title: "Unsaved changes",
        lines: [
          ("The recipe has changes that are not saved.", .plain), ("", .plain),
          ("w  save, then quit", .plain), ("y  quit without saving", .plain), ("n  keep working", .plain),
        ], on: canvas)
    case .facet(let f):
      let lines = f.lines(width: min(70, canvas.width - 8))
      let visible = max(1, canvas.height - 8)
      Overlay.box(
        title:
          "\(f.column): \(f.entries.count) values in \(f.rows) rows\(f.wholeFile ? " of the file" : ""), by \(f.order.rawValue) — Space picks · s sorts · a whole file · Enter/f filter · m map_values · Esc",
        lines: lines, on: canvas, width: min(canvas.width - 4, 74),
        scroll: max(0, f.cursor - visible + 1))
    case .mapping(let rows, let cursor):
      var lines: [(String, Style)] = [
        ("The recipe names columns this file lacks. Map each to a file column", .plain),
        ("(←/→ choose, ↑/↓ move, Enter applies to every step, Esc leaves them):", .plain), ("", .plain),
      ]
      let width = rows.map { DisplayWidth.of($0.from) }.max() ?? 0
      for (i, r) in rows.enumerated() {
        let pad = String(repeating: " ", count: max(0, width - DisplayWidth.of(r.from)))
        lines.append(
          (
            (i == cursor ? "▸ " : "  ") + r.from + pad + "  →  " + (r.to ?? "(leave it)"),
            i == cursor ? .cursor : .plain
          ))
      }
      Overlay.box(title: "Columns renamed?", lines: lines, on: canvas, width: min(canvas.width - 4, 76))
    case .clusters(let c, let typing):
      var lines = c.lines(width: min(70, canvas.width - 8))
      if let typing { lines.insert(("new value for this cluster: " + typing + "▏", .input), at: 0) }
      let visible = max(1, canvas.height - 8)
      Overlay.box(
        title:
          "\(c.column): \(c.clusters.count) clusters by \(c.method.rawValue)\(c.wholeFile ? " (whole file)" : "") — ←/→ value · e type · Space include · t method · a whole file · Enter map_values · Esc",
        lines: lines, on: canvas, width: min(canvas.width - 4, 74),
        scroll: max(0, 2 * c.cursor - visible + 2))
    case .summary(let title, let lines):
      Overlay.box(
        title: title, lines: lines.map { ($0, .plain) } + [("", .plain), ("any key closes", .dim)], on: canvas
      )
    default:
      break
    }
  }

  /// A form's fields, the focused one marked, then what the focused field takes.
  private func fieldLines<F: FieldForm>(_ form: F) -> [(String, Style)] {
    var lines: [(String, Style)] = []
    for (i, field) in form.fields.enumerated() {
      let p = field.parameter
      let label = (p.name + (p.required ? "*" : "")).padding(toLength: 16, withPad: " ", startingAt: 0)
      var value = field.text
      // Text whose spaces matter (a separator of one space) is shown quoted.
      if p.kind == .string && !value.isEmpty && value.trimmingSpaces != value { value = "\"\(value)\"" }
      if field.isChoice {
        value = "◂ \(field.text.isEmpty ? "(default: \(p.defaultValue ?? "-"))" : field.text) ▸"
      }
      if !field.isChoice && i == form.focus { value += "▏" }
      if !field.isChoice && field.text.isEmpty && i != form.focus, let d = p.defaultValue {
        value = "(default: \(d))"
      }
      lines.append(("\(i == form.focus ? "▸" : " ") \(label) \(value)", i == form.focus ? .cursor : .plain))
    }
    lines.append(("", .plain))
    lines.append(("  " + form.focusedField.parameter.summary, .dim))
    return lines
  }

  private func formLines(_ form: StepForm) -> [(String, Style)] {
    var lines = fieldLines(form)
    let completions = form.completions
    if !completions.isEmpty {
      lines.append(("  Tab: " + completions.prefix(6).joined(separator: "  "), .dim))
    }
    if let problem = bench.draft?.problem {
      lines.append(("  ✗ " + problem, .error))
    } else if let p = bench.draft?.preview, let c = p.counts {
      var effect = "  ✓ preview: \(p.changes?.changedCellCount ?? 0) cells change"
      if c.rowsRemoved > 0 { effect += ", \(c.rowsRemoved) rows removed" }
      if c.rowsRejected > 0 { effect += ", \(c.rowsRejected) rows rejected" }
      for tally in c.talliesText { effect += ", " + tally }
      lines.append((effect, .changed))
    }
    lines.append(("  ↑/↓ field · ←/→ choose · Tab complete · Enter apply · Esc cancel", .dim))
    return lines
  }

  private func inputFormLines(_ form: InputForm) -> [(String, Style)] {
    var lines = fieldLines(form)
    if !form.notApplicable.isEmpty {
      lines.append(
        ("  " + form.notApplicable.joined(separator: ", ") + ": not applicable to JSON Lines", .dim))
    }
    if let problem = form.problem {
      lines.append(("  ✗ " + problem, .error))
    } else {
      let changes = inputFormChanges(form)
      if !changes.isEmpty { lines.append(("  ✓ Enter applies: " + InputChange.describe(changes), .changed)) }
    }
    lines.append(("  ↑/↓ setting · type, or ←/→ choose · Enter apply · Esc cancel", .dim))
    return lines
  }
}
