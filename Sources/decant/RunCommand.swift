import DecantCore
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `decant run RECIPE INPUT [-o OUT] [--to FORMAT] [--rejects PATH] [--report PATH] [--sync]`
enum RunCommand {
  static func run(_ raw: [String]) throws -> ExitCode {
    let args = try Arguments(
      raw,
      valued: [
        "-o": "output", "--output": "output", "--to": "to", "--rejects": "rejects", "--report": "report",
      ],
      switches: ["-q", "--quiet", "--sync"])
    guard args.positionals.count == 2 else {
      throw UsageError("run needs a recipe and an input: decant run RECIPE INPUT [-o OUT]")
    }
    let recipePath = args.positionals[0]
    var inputPath = args.positionals[1]
    let outputPath = args["output"] ?? "-"
    let quiet = args.has("-q") || args.has("--quiet")
    var toFormat: DataFormat? = nil
    if let to = args["to"] {
      guard let f = DataFormat(name: to) else { throw UsageError("--to takes csv, tsv or jsonl, not \(to)") }
      toFormat = f
    }

    let recipe = try RecipeFile.load(recipePath)
    try Paths.checkInput(inputPath)
    let rejectsPath =
      args["rejects"] ?? (outputPath == "-" ? "decant-rejects.csv" : outputPath + ".rejects.csv")
    for (label, path) in [
      ("output", outputPath), ("rejects file", rejectsPath), ("report", args["report"] ?? "-"),
    ]
    where path != "-" {
      if Paths.sameFile(path, inputPath) {
        throw IOError(
          path: path,
          "the \(label) path is the input file; Decant never overwrites its input. Choose another path")
      }
    }

    SignalCleanup.install()
    // Standard input is read once; spool it when the recipe or format needs more passes.
    var spool: SpooledInput? = nil
    if inputPath == "-" && Replay.needsSeekableInput(recipe) {
      spool = try SpooledInput(fromStandardInput: ())
      inputPath = spool!.path
    }
    defer { spool?.remove() }

    let durable = args.has("--sync")
    let replay = try Replay(
      recipe: recipe, inputPath: inputPath, outputPath: outputPath, to: toFormat, rejectsPath: rejectsPath,
      durable: durable)
    for w in replay.warnings { printWarning("\(displayName(args.positionals[1])): \(w)") }
    // The report file is created before the run, so a report that cannot be
    // written stops the run before any output is put in place.
    let reportFile = try args["report"].map { try OutputFile(path: $0, durable: durable) }
    let progress = ProgressBar(enabled: isatty(2) == 1 && !quiet)
    var report: RunReport
    do {
      report = try replay.run(progress: { progress.update(read: $0, total: $1, pass: $2) })
      progress.clear()
    } catch {
      progress.clear()
      throw error
    }
    for w in replay.pipeline.warnings { printWarning(w) }
    report.inputPath = args.positionals[1]
    report.recipePath = recipePath
    if let reportFile {
      try reportFile.write(report.json.prettyText)
      try reportFile.commit()
    }
    if !quiet { printStderr(report.summaryText) }
    return .success
  }

  static func displayName(_ path: String) -> String { path == "-" ? "stdin" : path }
}

/// Standard input copied to a temporary file, removed when done.
final class SpooledInput {
  let path: String

  init(fromStandardInput: ()) throws {
    let dir = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
    path = "\(dir)/decant-stdin-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).spool"
    let out = try OutputFile(path: path)
    let source = try ByteSource(path: "-")
    var buffer: [UInt8] = []
    // Copy raw bytes: the BOM and encoding are handled when the spool is read.
    while true {
      buffer.removeAll(keepingCapacity: true)
      let n = try source.readRaw(into: &buffer)
      if n == 0 { break }
      try out.write(buffer)
    }
    try out.commit()
    TemporaryFiles.shared.register(path)
  }

  func remove() {
    unlink(path)
    TemporaryFiles.shared.unregister(path)
  }
}

/// Removes temporary files when the run is interrupted.
enum SignalCleanup {
  static func install() {
    // A file-size limit then fails the write (exit 4, nothing left behind) instead of killing the process.
    signal(SIGXFSZ, SIG_IGN)
    for sig in [SIGINT, SIGTERM, SIGHUP] {
      signal(sig) { s in
        TemporaryFiles.shared.removeAll()
        _exit(128 + s)
      }
    }
  }
}

/// A one-line progress bar on stderr, redrawn at most ten times a second.
final class ProgressBar {
  let enabled: Bool
  private var last = Date.distantPast
  private var started = Date()
  private var drawn = false

  init(enabled: Bool) { self.enabled = enabled }

  func update(read: Int, total: Int?, pass: String?) {
    guard enabled else { return }
    let now = Date()
    guard now.timeIntervalSince(last) >= 0.1 else { return }
    last = now
    let mb = Double(read) / 1_000_000
    let rate = mb / max(0.001, now.timeIntervalSince(started))
    var line = "\r"
    if let total, total > 0 {
      let fraction = min(1, Double(read) / Double(total))
      let width = 30
      let filled = Int(fraction * Double(width))
      line +=
        "[" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled) + "]"
      line += String(format: " %3d%%", Int(fraction * 100))
    }
    line += String(format: " %.0f MB at %.0f MB/s", mb, rate)
    if let pass { line += " (\(pass) pass)" }
    FileHandle.standardError.write((line + "\u{1B}[K").data(using: .utf8)!)
    drawn = true
  }

  func clear() {
    guard enabled, drawn else { return }
    FileHandle.standardError.write("\r\u{1B}[K".data(using: .utf8)!)
    drawn = false
  }
}
