import DecantCore
import DecantTUI
import Foundation

/// `decant check RECIPE [INPUT]`
enum CheckCommand {
  static func run(_ raw: [String]) throws -> ExitCode {
    let args = try Arguments(raw, valued: [:])
    guard (1...2).contains(args.positionals.count) else {
      throw UsageError("check needs a recipe and optionally an input: decant check RECIPE [INPUT]")
    }
    let recipe = try RecipeFile.load(args.positionals[0])
    var lines = [
      "\(args.positionals[0]): recipe format \(Recipe.formatVersion), \(recipe.steps.count) step(s)"
    ]
    var schema: Schema? = recipe.input.columns.map { Schema($0) }
    if args.positionals.count == 2 {
      let path = args.positionals[1]
      try Paths.checkInput(path)
      let reader = try InputOpener(path: path, settings: recipe.input).open()
      for w in reader.warnings { printWarning("\(path): \(w)") }
      schema = reader.schema
      for w in Pipeline.drift(saved: recipe.input.columns, actual: schema!) { printWarning(w) }
    }
    var output: Schema? = nil
    if let schema {
      let schemas = try recipe.plan(schema)
      output = schemas.last
      lines.append(
        "planned against \(args.positionals.count == 2 ? args.positionals[1] : "the saved header"): \(schema.count) columns in, \(schemas.last!.count) out"
      )
    } else {
      lines.append("not planned: the recipe saves no input columns; give an INPUT to plan against its header")
    }
    for (i, step) in recipe.steps.enumerated() {
      lines.append("  \(i + 1) \(step.summary)\(step.enabled ? "" : " (disabled)")")
    }
    if let output {
      lines.append("output columns and types:")
      let width = output.names.map { DisplayWidth.of($0) }.max() ?? 0
      let numberWidth = String(output.count).count
      for (i, name) in output.names.enumerated() {
        let number = String(i + 1)
        lines.append(
          "  " + String(repeating: " ", count: numberWidth - number.count) + number + " " + name
            + String(repeating: " ", count: max(0, width - DisplayWidth.of(name))) + "  "
            + output.types[i].rawValue)
      }
    }
    printStdout(lines.joined(separator: "\n"))
    return .success
  }
}

/// `decant ops`
enum OpsCommand {
  static func run(_ raw: [String]) throws -> ExitCode {
    let args = try Arguments(raw, valued: [:], switches: ["--json"])
    if args.has("--json") {
      let ops: [JSONValue] = OperationRegistry.operations.map { type in
        let d = type.descriptor
        return .object([
          ("op", .string(d.name)), ("summary", .string(d.summary)),
          (
            "parameters",
            .array(
              d.allParameters.map { p in
                .object([
                  ("name", .string(p.name)), ("type", .string(p.kind.typeName)),
                  ("required", .bool(p.required)),
                  ("default", p.defaultValue.map { .string($0) } ?? .null), ("summary", .string(p.summary)),
                ])
              })
          ),
          ("where", .string(whereRole(d.conditionRole))),
        ])
      }
      printStdout(JSONValue.array(ops).prettyText)
      return .success
    }
    var lines: [String] = []
    for type in OperationRegistry.operations {
      let d = type.descriptor
      lines.append("\(d.name) — \(d.summary)")
      for p in d.allParameters {
        var head = "  \(p.name): \(p.kind.typeName)"
        if p.required {
          head += " (required)"
        } else if let def = p.defaultValue {
          head += " (default \(def))"
        }
        lines.append(head)
        lines.append("      \(p.summary)")
      }
      lines.append("  every step also takes: enabled (bool, default true), note (string)")
      lines.append("")
    }
    lines += conditionHelp
    printStdout(lines.joined(separator: "\n"))
    return .success
  }
}

extension OpsCommand {
  /// How an operation takes a condition, for `--json`: `optional` (a `where` scope),
  /// `required` (the rule itself) or `none`.
  static func whereRole(_ role: ConditionRole) -> String {
    switch role {
    case .scope: return "optional"
    case .rule: return "required"
    case .none: return "none"
    }
  }

  /// The condition language, closing `decant ops`.
  static let conditionHelp = [
    "Conditions (where, and the rule of filter and validate):",
    "  JSON: {\"column\": \"amount\", \"gt\": 100}; {\"all\": [...]}, {\"any\": [...]}, {\"not\": {...}};",
    "        predicates: \(Predicate.keys.joined(separator: ", ")); \"case_insensitive\": true on text tests",
    "  text (workbench, :OP where=\"...\"): amount > 100 and country in (US, CA);",
    "        is null, is not null, is number, = \"x\", != \"x\", contains, starts with, ends with, matches,",
    "        > >= < <=, between N and M, and, or, not, ( ), ignoring case",
  ]
}

/// `decant profile FILE [--json] [--html PATH]`
enum ProfileCommand {
  static func figure(_ v: Double) -> String { ColumnProfile.figure(v) }

  static func run(_ raw: [String]) throws -> ExitCode {
    let args = try Arguments(
      raw, valued: ["--null": "null", "--delimiter": "delimiter", "--html": "html"],
      switches: ["--json", "--no-header"])
    guard args.positionals.count == 1 else {
      throw UsageError(
        "profile needs one file: decant profile FILE [--json] [--html PATH] [--null VALUE]... [--delimiter D] [--no-header]"
      )
    }
    var settings = InputSettings()
    let nulls = args.values("null")
    if !nulls.isEmpty { settings.nullValues = [""] + nulls }
    if let d = args["delimiter"] { settings.delimiter = try OpenCommand.delimiter(d) }
    if args.has("--no-header") { settings.header = false }
    let path = args.positionals[0]
    try Paths.checkInput(path)
    if let html = args["html"] { try ProfileHTMLFile.check(html, input: path, json: args.has("--json")) }
    var spool: SpooledInput? = nil
    var readPath = path
    if path == "-" {
      spool = try SpooledInput(fromStandardInput: ())
      readPath = spool!.path
    }
    defer { spool?.remove() }
    let reader = try InputOpener(path: readPath, settings: settings).open()
    for w in reader.warnings { printWarning("\(path): \(w)") }
    let profile = try FileProfile.read(reader, nullValues: NullValues(settings.nullValues))
    let profiles = profile.columns
    let rows = profile.rows
    let rejected = profile.rejectedRecords
    if let html = args["html"] {
      let facts = ProfileHTML.Facts(
        file: path == "-" ? "standard input" : path, rows: rows, rejectedRecords: rejected,
        blankLines: profile.blankLines)
      try ProfileHTMLFile.write(html, profiles: profiles, facts: facts)
      if !args.has("--json") { return .success }
    }
    if args.has("--json") {
      let doc = JSONValue.object([
        ("file", .string(path)), ("rows", .number(String(rows))),
        ("rejected_records", .number(String(rejected))),
        ("blank_lines", .number(String(profile.blankLines))), ("columns", .array(profiles.map(\.json))),
      ])
      printStdout(doc.prettyText.trimmingCharacters(in: .newlines))
      return .success
    }
    var lines = [
      "\(path): \(rows) rows, \(profiles.count) columns"
        + (rejected > 0 ? ", \(rejected) malformed records skipped" : "")
    ]
    for p in profiles {
      lines.append("")
      lines.append(
        "\(p.name)  [\(p.kind.rawValue)\(p.kindShare < 1 ? ", \(Int(p.kindShare * 100))% of values" : "")]"
          + (p.otherTypeCount > 0 ? "  \(p.otherTypeCount) of another type" : ""))
      lines.append(
        "  nulls \(p.nulls) (\(Int((p.nullShare * 100).rounded()))%)   distinct \(p.distinctIsExact ? "" : "≈")\(p.distinct)"
          + (p.min.map { "   min \(DisplayWidth.fit($0, width: 30))" } ?? "")
          + (p.max.map { "   max \(DisplayWidth.fit($0, width: 30))" } ?? ""))
      if !p.top.isEmpty {
        lines.append(
          "  top    "
            + p.top.map {
              "\(DisplayWidth.fit($0.value.isEmpty ? "\"\"" : $0.value, width: 24)) ×\($0.count)"
            }.joined(separator: ", ")
            + (p.topIsExact ? "" : "   (counted among the first distinct values)"))
      }
      if !p.histogram.isEmpty, let peak = p.histogram.max(), peak > 0 {
        let bars = Array("▁▂▃▄▅▆▇█")
        lines.append("  hist   " + String(p.histogram.map { bars[min(7, $0 * 8 / (peak + 1))] }))
      }
      if let mean = p.mean {
        lines.append(
          "  mean   \(figure(mean))   stddev \(p.stddev.map(figure) ?? "-")   outliers \(p.outliers ?? 0) (IQR)"
        )
      }
      let percentiles = p.percentiles.isEmpty ? p.percentileTexts : p.percentiles.map(figure)
      if !percentiles.isEmpty {
        let pairs = zip(ColumnProfile.percentileLevels, percentiles).map { "p\(Int($0)) \($1)" }
        lines.append(
          "  pct    " + pairs.joined(separator: "   ") + (p.figuresExact ? "" : "   (±0.1% of range)"))
      }
      if let l = p.lengths {
        lines.append("  length min \(l.min)   max \(l.max)   mean \(figure(l.mean))")
      }
    }
    printStdout(lines.joined(separator: "\n"))
    return .success
  }
}

/// `decant [FILE]` and `decant open FILE [--sample first:N|random:N[:SEED]] [--recipe R]
/// [--null V]... [--delimiter D] [--no-header]`
enum OpenCommand {
  /// A `--delimiter` value as the workbench's `:set delimiter` reads it (one character, or tab).
  static func delimiter(_ text: String) throws -> String {
    guard let change = try? InputChange.parse("delimiter", text), case .delimiter(let d) = change else {
      throw UsageError("--delimiter takes one character such as , ; | or tab, not \(text)")
    }
    return d
  }

  static func run(_ raw: [String]) throws -> ExitCode {
    let args = try Arguments(
      raw,
      valued: ["--sample": "sample", "--recipe": "recipe", "--null": "null", "--delimiter": "delimiter"],
      switches: ["--no-header"])
    guard args.positionals.count <= 1 else { throw UsageError("open takes one file") }
    let path = try args.positionals.first ?? BundledSample.path()
    if path == "-" {
      throw UsageError("the workbench opens a file, not standard input; save the data to a file first")
    }
    try Paths.checkInput(path)
    var spec = SampleSpec.first(SampleSpec.defaultSize)
    if let text = args["sample"] {
      guard let s = SampleSpec(text) else {
        throw UsageError("--sample takes first:N or random:N[:SEED], not \(text)")
      }
      spec = s
    }
    var recipe: Recipe? = nil
    if let recipePath = args["recipe"] { recipe = try RecipeFile.load(recipePath) }
    // How to read the file, given here: it wins over a recipe's and is saved with it.
    let nulls = args.values("null")
    if !nulls.isEmpty || args["delimiter"] != nil || args.has("--no-header") {
      var r = recipe ?? Recipe()
      if !nulls.isEmpty { r.input.nullValues = nulls }
      if let d = args["delimiter"] { r.input.delimiter = try delimiter(d) }
      if args.has("--no-header") { r.input.header = false }
      recipe = r
    }
    guard isatty(1) == 1 && isatty(0) == 1 else {
      throw UsageError("the workbench needs a terminal; use `decant run` or `decant profile` in scripts")
    }
    // The first screen comes from the head of the file; a random sample follows in the background.
    let head = try Sampler.first(spec.size, path: path, settings: recipe?.input ?? InputSettings())
    let bench = Workbench(path: path, sample: head, recipe: recipe)
    bench.recipePath = args["recipe"]
    let app = WorkbenchApp(bench: bench)
    if case .random = spec, !head.isComplete { app.startRandomSample(spec) }
    WorkbenchSession.run(app, startedAt: processStart)
    return .success
  }
}

/// Finds the sample dataset that ships with Decant.
enum BundledSample {
  static func path() throws -> String {
    let name = "samples/events.csv"
    var candidates: [String] = []
    if let dir = ProcessInfo.processInfo.environment["DECANT_SAMPLES"] {
      candidates.append(dir + "/events.csv")
    }
    candidates.append(FileManager.default.currentDirectoryPath + "/" + name)
    let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
      .deletingLastPathComponent()
    var dir = exe
    for _ in 0..<5 {
      candidates.append(dir.appendingPathComponent(name).path)
      dir = dir.deletingLastPathComponent()
    }
    for c in candidates where FileManager.default.fileExists(atPath: c) { return c }
    throw IOError(
      path: name, "the bundled sample was not found; run decant from the project folder or give a FILE")
  }
}
