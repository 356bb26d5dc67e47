import DecantCore
import Foundation

/// `decant import databrew FILE [-o RECIPE]`: an AWS Glue DataBrew recipe (the
/// list of steps, or `describe-recipe` output) as a Decant recipe, written to
/// RECIPE or printed. Each DataBrew step with no Decant counterpart of the same
/// meaning is listed on stderr and left out; the recipe of the others is still
/// written, and the exit code is then 2, so a partial translation never passes
/// for a whole one in a script.
enum ImportCommand {
  static let sources = ["databrew"]

  static func run(_ raw: [String]) throws -> ExitCode {
    let args = try Arguments(raw, valued: ["-o": "-o"])
    guard args.positionals.count == 2 else {
      throw UsageError("import needs a source and a file: decant import databrew FILE [-o RECIPE]")
    }
    let (source, path) = (args.positionals[0], args.positionals[1])
    guard sources.contains(source) else {
      throw UsageError("cannot import from \"\(source)\" (known: \(sources.joined(separator: ", ")))")
    }
    let output = args["-o"]
    if let output, output != "-", Paths.sameFile(output, path) {
      throw UsageError("-o \(output) is the DataBrew file itself; write the Decant recipe somewhere else")
    }
    try Paths.checkInput(path)
    guard let data = FileManager.default.contents(atPath: path) else {
      throw IOError(path: path, "cannot read the DataBrew recipe")
    }
    if data.isEmpty { throw IOError(path: path, "the file is empty, not a DataBrew recipe") }
    let parsed: (name: String?, description: String?, steps: [DataBrewStep])
    do { parsed = try DataBrewRecipe.parse([UInt8](data)) } catch {
      printError(
        "\(path): \(error)\n  expected a DataBrew recipe: [{\"Action\": {\"Operation\": ..., \"Parameters\": {...}}}, ...]"
      )
      return .usage
    }
    let (recipe, leftOut) = DataBrewRecipe.importSteps(
      parsed.steps, name: parsed.name, description: parsed.description)
    try ExportCommand.write(recipe.encoded, to: output, what: "the recipe")
    for step in leftOut { printStderr("decant: \(path): \(step)") }
    let total = parsed.steps.count
    let target = output.map { $0 == "-" ? "stdout" : $0 } ?? "stdout"
    if leftOut.isEmpty {
      printStderr("decant: imported \(total) DataBrew step(s) to \(target)")
      return .success
    }
    printStderr(
      "decant: imported \(total - leftOut.count) of \(total) DataBrew step(s) to \(target); "
        + "\(leftOut.count) left out (listed above): add them to the recipe by hand or keep them in DataBrew")
    return .usage
  }
}
