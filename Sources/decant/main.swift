import DecantCore
import DecantTUI
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Exit codes (DESIGN.md §4).
enum ExitCode: Int32 {
  case success = 0
  case dataError = 1
  case usage = 2
  case plan = 3
  case io = 4
}

let version = "0.1.0"
/// When the process started (for the workbench's first-screen timing).
let processStart = Clock.milliseconds()

func printError(_ message: String) {
  FileHandle.standardError.write(("decant: error: " + message + "\n").data(using: .utf8)!)
}

func printWarning(_ message: String) {
  FileHandle.standardError.write(("decant: warning: " + message + "\n").data(using: .utf8)!)
}

func printStderr(_ text: String) {
  FileHandle.standardError.write((text + "\n").data(using: .utf8)!)
}

func printStdout(_ text: String) {
  FileHandle.standardOutput.write((text + "\n").data(using: .utf8)!)
}

/// Runs a subcommand and maps its error to a message and an exit code.
func dispatch(_ args: [String]) -> ExitCode {
  var recipePath: String? = nil
  do {
    guard let command = args.first else { return try OpenCommand.run([]) }
    let rest = Array(args.dropFirst())
    // `decant run --help` (any subcommand): the help, not an unknown option.
    if ["run", "check", "open", "profile", "ops", "export", "import"].contains(command)
      && rest.contains(where: { $0 == "--help" || $0 == "-h" })
    {
      printStdout(Help.text)
      return .success
    }
    switch command {
    case "run":
      recipePath = rest.first
      return try RunCommand.run(rest)
    case "check":
      recipePath = rest.first
      return try CheckCommand.run(rest)
    case "open": return try OpenCommand.run(rest)
    case "profile": return try ProfileCommand.run(rest)
    case "ops": return try OpsCommand.run(rest)
    case "export":
      recipePath = rest.first
      return try ExportCommand.run(rest)
    case "import": return try ImportCommand.run(rest)
    case "--help", "-h", "help":
      printStdout(Help.text)
      return .success
    case "--version", "-V", "version":
      printStdout("decant \(version)")
      return .success
    default:
      if command.hasPrefix("-") && command != "-" { throw UsageError("unknown option \(command)") }
      return try OpenCommand.run(args)
    }
  } catch let e as UsageError {
    printError("\(e.message)\n  see `decant --help`")
    return .usage
  } catch let e as RecipeError {
    printError(
      "\(recipePath.map { $0 + ": " } ?? "")\(e)\n  fix the recipe and run `decant check` to validate it")
    return .usage
  } catch let e as PlanError {
    printError(
      "\(recipePath.map { $0 + ": " } ?? "")\(e)\n  the input does not fit the recipe: fix the column names in the recipe or pick the right input"
    )
    return .plan
  } catch let e as DataError {
    printError(
      "\(e)\n  the step has on_error: fail, so nothing was written; fix the data or choose another on_error")
    return .dataError
  } catch let e as IOError {
    printError(e.description)
    return .io
  } catch {
    printError("\(error)")
    return .io
  }
}

let code = dispatch(Array(CommandLine.arguments.dropFirst()))
exit(code.rawValue)
