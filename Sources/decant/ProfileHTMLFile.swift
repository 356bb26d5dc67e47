import DecantCore
import Foundation

/// `decant profile --html PATH`: the profile as a self-contained HTML page.
///
/// The page is written like every output: to a temporary file beside `PATH`, renamed
/// into place when complete; never over the input. `--html -` writes it to stdout
/// (then `--json` cannot go there too).
enum ProfileHTMLFile {
  /// Checks `PATH` before the input is read, so a long profile does not end in a failed write.
  static func check(_ path: String, input: String, json: Bool) throws {
    if path == "-" {
      if json { throw UsageError("--html - and --json both write to stdout; give --html a file name") }
      return
    }
    if Paths.sameFile(path, input) {
      throw IOError(
        path: path,
        "the report path is the input file; Decant never overwrites its input. Choose another path")
    }
    try OutputFile.checkTarget(path, label: "report")
  }

  /// Writes the page and says where on stderr.
  static func write(_ path: String, profiles: [ColumnProfile], facts: ProfileHTML.Facts) throws {
    if path != "-" { SignalCleanup.install() }
    let out = try OutputFile(path: path)
    try out.write(ProfileHTML.page(profiles, facts: facts))
    try out.commit()
    if path != "-" { printStderr("decant: profile report written to \(path)") }
  }
}
