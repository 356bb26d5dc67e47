import DecantCore
import Foundation

/// `decant export RECIPE --to duckdb --input IN --output OUT --rejects REJ [-o FILE]`:
/// the recipe as a job for another engine, written to FILE or printed.
enum ExportCommand {
  static let targets = ["duckdb"]

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
    guard let input = args["--input"], let output = args["--output"] else {
      throw UsageError(
        "a \(target) export runs as it is: give --input PATH and --output PATH (and --rejects PATH)")
    }
    let rejects = args["--rejects"] ?? output + ".rejects.csv"
    let columns = try inputColumns(recipe, input: input)
    let script: String
    do {
      script = try SQLExport.duckdb(
        recipe: recipe, inputColumns: columns,
        paths: ExportPaths(input: input, output: output, rejects: rejects))
    } catch {
      printError("\(recipePath): \(error)\n  the recipe cannot be exported to \(target) with the same result")
      return .usage
    }
    if let path = args["-o"] {
      do {
        try Data(script.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
      } catch {
        throw IOError(path: path, "cannot write the job: \(error.localizedDescription)")
      }
      printStderr("decant: exported \(recipe.enabledSteps.count) step(s) to \(path) (\(target))")
    } else {
      FileHandle.standardOutput.write(Data(script.utf8))
    }
    return .success
  }

  /// The input's header as Decant reads it: from the input file when it is
  /// there (so a job is planned against what it will read), else the recipe's
  /// saved `input.columns`.
  static func inputColumns(_ recipe: Recipe, input: String) throws -> [String] {
    if FileManager.default.isReadableFile(atPath: input) {
      let reader = try InputOpener(path: input, settings: recipe.input).open()
      for w in reader.warnings { printWarning("\(input): \(w)") }
      return reader.schema.names
    }
    guard let saved = recipe.input.columns else {
      throw UsageError(
        "\(input) is not readable here and the recipe saves no input columns: export next to the data, or save input.columns in the recipe"
      )
    }
    return saved
  }
}
