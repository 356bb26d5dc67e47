import DecantCore
import Foundation

/// `decant export RECIPE --to pyspark|spark-sql|duckdb [--input IN --output OUT
/// --rejects REJ] [-o FILE]`: the recipe as a job for another engine, written to
/// FILE or printed. The paths are baked into the script (required for the SQL
/// targets; the PySpark job's defaults, overridden by its own arguments).
/// `--to databrew` writes AWS Glue DataBrew recipe JSON (no paths: a DataBrew
/// job names its dataset).
enum ExportCommand {
  static let targets = ExportTarget.allCases.map(\.rawValue)

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
    guard let name = args["--to"] else {
      throw UsageError("export needs --to (one of \(targets.joined(separator: ", ")))")
    }
    guard targets.contains(name) else {
      throw UsageError("cannot export to \"\(name)\" (known: \(targets.joined(separator: ", ")))")
    }
    let recipePath = args.positionals[0]
    let recipe = try RecipeFile.load(recipePath)
    if name == "databrew" {
      if let given = ["--input", "--output", "--rejects"].first(where: { args[$0] != nil }) {
        throw UsageError(
          "\(given) does not apply to --to databrew: a DataBrew job names its own dataset and output")
      }
      return try exportDataBrew(recipe, recipePath: recipePath, output: args["-o"])
    }
    let target = ExportTarget(rawValue: name)!
    let input = args["--input"]
    let output = args["--output"]
    if target.needsPaths, input == nil || output == nil {
      throw UsageError(
        "a \(name) export runs as it is: give --input PATH and --output PATH (and --rejects PATH)")
    }
    let script: String
    do {
      script = try RecipeExport.job(
        recipe, to: target, input: input, output: output, rejects: args["--rejects"], warn: printWarning)
    } catch let failure as RecipeExport.Failure {
      printError("\(recipePath): \(failure)\n  the recipe cannot be exported to \(name) with the same result")
      return .usage
    }
    try write(script, to: args["-o"], what: "the job")
    if let path = args["-o"] {
      printStderr("decant: exported \(recipe.enabledSteps.count) step(s) to \(path) (\(name))")
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

}
