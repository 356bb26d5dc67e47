import DecantCore
import Foundation

/// `decant export RECIPE --to pyspark|spark-sql|duckdb [--input IN --output OUT
/// --rejects REJ] [-o FILE]`: the recipe as a job for another engine, written to
/// FILE or printed. The paths are baked into the script (required for the SQL
/// targets; the PySpark job's defaults, overridden by its own arguments).
/// `--to databrew` writes AWS Glue DataBrew recipe JSON (no paths: a DataBrew
/// job names its dataset).
enum ExportCommand {
  static let targets = ["pyspark", "spark-sql", "duckdb", "databrew"]

  /// Where the rejects go when `--rejects` is not given: beside the output, as
  /// `decant run` puts them (a file for DuckDB, a directory for Spark).
  static func defaultRejects(_ target: String, _ output: String) -> String {
    target == "duckdb" ? output + ".rejects.csv" : output + ".rejects"
  }

  static func run(_ raw: [String]) throws -> ExitCode {
    let args = try Arguments(
      raw,
      valued: [
        "--to": "--to", "--input": "--input", "--output": "--output", "--rejects": "--rejects", "-o": "-o",
      ])
    guard args.positionals.count == 1 else {
      throw UsageError(
        "export needs one recipe: decant export RECIPE --to \(targets.joined(separator: "|")) ...")
    }
    guard let target = args["--to"] else {
      throw UsageError("export needs --to (one of \(targets.joined(separator: ", ")))")
    }
    guard targets.contains(target) else {
      throw UsageError("cannot export to \"\(target)\" (known: \(targets.joined(separator: ", ")))")
    }
    let recipePath = args.positionals[0]
    let recipe = try RecipeFile.load(recipePath)
    if target == "databrew" {
      if let given = ["--input", "--output", "--rejects"].first(where: { args[$0] != nil }) {
        throw UsageError(
          "\(given) does not apply to --to databrew: a DataBrew job names its own dataset and output")
      }
      return try exportDataBrew(recipe, recipePath: recipePath, output: args["-o"])
    }
    let input = args["--input"]
    let output = args["--output"]
    if target != "pyspark", input == nil || output == nil {
      throw UsageError(
        "a \(target) export runs as it is: give --input PATH and --output PATH (and --rejects PATH)")
    }
    let columns = try inputColumns(recipe, input: input)
    let script: String
    do {
      switch target {
      case "duckdb", "spark-sql":
        let paths = ExportPaths(
          input: input!, output: output!, rejects: args["--rejects"] ?? defaultRejects(target, output!))
        script =
          target == "duckdb"
          ? try SQLExport.duckdb(recipe: recipe, inputColumns: columns, paths: paths)
          : try SQLExport.sparkSQL(
            recipe: recipe, inputColumns: columns, paths: paths, lineSeparator: lineSeparator(input!))
      default:
        let defaults = PySparkDefaults(input: input, output: output, rejects: args["--rejects"])
        script = try SQLExport.pyspark(recipe: recipe, inputColumns: columns, defaults: defaults)
      }
    } catch {
      printError("\(recipePath): \(error)\n  the recipe cannot be exported to \(target) with the same result")
      return .usage
    }
    try write(script, to: args["-o"], what: "the job")
    if let path = args["-o"] {
      printStderr("decant: exported \(recipe.enabledSteps.count) step(s) to \(path) (\(target))")
    }
    return .success
  }

  /// The recipe as DataBrew recipe JSON, or every step that has no DataBrew
  /// counterpart with the same result (exit 2, nothing written).
  static func exportDataBrew(_ recipe: Recipe, recipePath: String, output: String?) throws -> ExitCode {
    let steps: [DataBrewStep]
    do { steps = try DataBrewRecipe.export(recipe) } catch {
      printError(
        "\(recipePath): cannot be exported to DataBrew with the same result, so nothing was written:\n"
          + error.refusals.map { "  \($0)" }.joined(separator: "\n")
          + "\n  change or remove these steps (or run them in Decant before or after the DataBrew job)")
      return .usage
    }
    try write(DataBrewRecipe.text(steps), to: output, what: "the DataBrew recipe")
    if let output {
      printStderr(
        "decant: exported \(recipe.enabledSteps.count) step(s) as \(steps.count) DataBrew step(s) to \(output)"
      )
    }
    return .success
  }

  /// Writes `text` atomically to `path`, or to stdout when there is none (or `-`).
  static func write(_ text: String, to path: String?, what: String) throws {
    guard let path, path != "-" else {
      FileHandle.standardOutput.write(Data(text.utf8))
      return
    }
    do {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw IOError(path: path, "cannot write \(what): \(error.localizedDescription)")
    }
  }

  /// The input's line end, from its first line: CRLF or LF (also when the file
  /// cannot be read here).
  static func lineSeparator(_ path: String) -> String {
    guard let handle = FileHandle(forReadingAtPath: path) else { return "\n" }
    defer { try? handle.close() }
    let head = (try? handle.read(upToCount: 1 << 16)) ?? Data()
    guard let lf = head.firstIndex(of: 10) else { return "\n" }
    return lf > head.startIndex && head[lf - 1] == 13 ? "\r\n" : "\n"
  }

  /// The input's header as Decant reads it: from the input file when it is
  /// there (so a job is planned against what it will read), else the recipe's
  /// saved `input.columns`.
  static func inputColumns(_ recipe: Recipe, input: String?) throws -> [String] {
    if let input, FileManager.default.isReadableFile(atPath: input) {
      let reader = try InputOpener(path: input, settings: recipe.input).open()
      for w in reader.warnings { printWarning("\(input): \(w)") }
      return reader.schema.names
    }
    guard let saved = recipe.input.columns else {
      throw UsageError(
        "\(input.map { "\($0) is not readable here and the" } ?? "no --input is given and the") recipe saves no input columns: export next to the data (--input PATH), or save input.columns in the recipe"
      )
    }
    return saved
  }
}
