import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// Faults during a run (DESIGN.md §2 output safety, §4 exit codes): a killed
/// run, a write failure, a read-only directory, an output path that is the
/// input, and standard input spooled for two-pass recipes. A failed run exits
/// 4 with a message naming the file, and leaves no output, rejects or
/// temporary file behind; the input is never touched.
final class FaultTests: XCTestCase {
  var tmp: URL!

  override func setUpWithError() throws {
    tmp = try DecantProcess.temporaryDirectory(self)
  }

  func write(_ name: String, _ text: String) throws -> URL {
    let url = tmp.file(name)
    try Data(text.utf8).write(to: url)
    return url
  }

  func names(_ dir: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
  }

  let emptyRecipe = #"{"decant_recipe": 1, "steps": []}"#

  // MARK: Running a process under test control

  /// A finished process: how it ended and what it printed.
  struct Finished {
    var reason: Process.TerminationReason
    var status: Int32
    var stdout: Data
    var stderr: String
    /// True when the process called exit with `code` (not killed by a signal).
    func exited(_ code: Int32) -> Bool { reason == .exit && status == code }
    var summary: String {
      "\(reason == .exit ? "exit \(status)" : "killed by signal \(status)"); stderr: \(stderr)"
    }
  }

  /// Starts `executable ARGS` in `directory` with stdout and stderr going to files.
  func start(
    _ executable: URL, _ args: [String], in directory: URL, environment: [String: String] = [:],
    stdin: Pipe? = nil
  ) throws -> (Process, URL, URL) {
    guard FileManager.default.isExecutableFile(atPath: DecantProcess.binary.path) else {
      XCTFail("no decant binary at \(DecantProcess.binary.path): run `swift build` before `swift test`")
      throw CocoaError(.fileNoSuchFile)
    }
    let logs = FileManager.default.temporaryDirectory.appendingPathComponent(
      "decant-logs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: logs) }
    let outURL = logs.file("stdout")
    let errURL = logs.file("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let p = Process()
    p.executableURL = executable
    p.arguments = args
    p.currentDirectoryURL = directory
    p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    p.standardOutput = try FileHandle(forWritingTo: outURL)
    p.standardError = try FileHandle(forWritingTo: errURL)
    p.standardInput = stdin ?? FileHandle.nullDevice
    try p.run()
    return (p, outURL, errURL)
  }

  func finish(_ started: (Process, URL, URL)) throws -> Finished {
    let (p, outURL, errURL) = started
    p.waitUntilExit()
    return Finished(
      reason: p.terminationReason, status: p.terminationStatus, stdout: try Data(contentsOf: outURL),
      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
  }

  /// Runs `script` with `/bin/sh -c`; the script runs decant as `"$0" "$@"`.
  func shell(_ script: String, _ args: [String], in directory: URL) throws -> Finished {
    try finish(
      start(URL(fileURLWithPath: "/bin/sh"), ["-c", script, DecantProcess.binary.path] + args, in: directory))
  }

  /// Waits until `condition` holds (up to `seconds`); returns whether it did.
  func wait(seconds: Double, until condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if try condition() { return true }
      usleep(2000)
    }
    return try condition()
  }

  /// About 36 MB of CSV: a thousand distinct rows repeated a thousand times.
  func writeLargeInput(_ url: URL) throws {
    var block = ""
    for i in 0..<1000 {
      block += "\(i),2024-03-\(1 + i % 28 < 10 ? "0" : "")\(1 + i % 28) \(i % 24 < 10 ? "0" : "")\(i % 24):"
      block += "\(i % 60 < 10 ? "0" : "")\(i % 60):00,\"note, \(i)\"\n"
    }
    var data = Data("id,when,note\n".utf8)
    let bytes = Data(block.utf8)
    data.reserveCapacity(bytes.count * 1000 + 16)
    for _ in 0..<1000 { data.append(bytes) }
    try data.write(to: url)
  }

  let timezoneRecipe = """
    {"decant_recipe": 1, "steps": [
      {"op": "normalize_timezone", "column": "when", "from_zone": "America/New_York"}]}
    """

  // MARK: kill -9

  func testKillDuringALargeRunLeavesNoOutputAndALaterRunSucceeds() throws {
    let recipe = try write("r.json", timezoneRecipe)
    let input = tmp.file("big.csv")
    try writeLargeInput(input)
    let outDir = tmp.file("out")
    try FileManager.default.createDirectory(at: outDir, withIntermediateDirectories: true)
    let out = outDir.file("out.csv")
    // A leftover from some earlier killed run, named as Decant names its temporary files.
    try Data("stale".utf8).write(to: outDir.file(".out.csv.decant-1-1.tmp"))

    /// Starts the run, kills it with SIGKILL once it is writing, and checks it was still running.
    func killMidRun() throws {
      let existing = Set(try names(outDir))
      let started = try start(
        DecantProcess.binary, ["run", recipe.path, input.path, "-o", out.path], in: tmp)
      let writing = try wait(seconds: 30) {
        try names(outDir).contains { name in
          guard name.hasPrefix(".out.csv.decant-"), !existing.contains(name) else { return false }
          let size = try FileManager.default.attributesOfItem(atPath: outDir.file(name).path)[.size] as? Int
          return (size ?? 0) > 0
        }
      }
      XCTAssertTrue(writing, "the run never started writing its temporary output")
      kill(started.0.processIdentifier, SIGKILL)
      let ended = try finish(started)
      XCTAssertTrue(
        ended.reason == .uncaughtSignal && ended.status == SIGKILL,
        "the run must still be going when it is killed (make the input bigger): \(ended.summary)")
    }

    try killMidRun()
    XCTAssertFalse(out.exists, "a killed run left an output file")
    XCTAssertFalse(outDir.file("out.csv.rejects.csv").exists)
    let leftovers = try names(outDir)
    XCTAssertTrue(
      leftovers.allSatisfy { $0.hasPrefix(".out.csv.decant-") && $0.hasSuffix(".tmp") }, "\(leftovers)")

    // A later run is not disturbed by leftover temporary files and writes every row;
    // it removes the killed run's temporary file (its process is gone) but not one
    // whose process still exists (PID 1).
    let r = try DecantProcess.run(["run", recipe.path, input.path, "-o", out.path], in: tmp)
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertEqual(
      Set(try names(outDir)), ["out.csv", ".out.csv.decant-1-1.tmp"], "stale temporary files are removed")
    let written = try Data(contentsOf: out)
    XCTAssertEqual(written.reduce(0) { $1 == 10 ? $0 + 1 : $0 }, 1_000_001, "header and every row")
    XCTAssertTrue(written.starts(with: Data("id,when,note\n0,2024-03-01T05:00:00Z,\"note, 0\"\n".utf8)))
    XCTAssertFalse(outDir.file("out.csv.rejects.csv").exists)
    XCTAssertEqual(
      Set(try names(outDir)).subtracting(leftovers), ["out.csv"], "the later run leaves only its output")

    // Killing a run over an existing output leaves that output as it was.
    try killMidRun()
    XCTAssertEqual(try Data(contentsOf: out), written, "a killed run changed the existing output")
  }

  // MARK: Write failures

  /// A small input with a rejected row, and a previous output that must survive.
  func prepareWriteFailure() throws -> (recipe: URL, input: URL, out: URL) {
    let recipe = try write("r.json", emptyRecipe)
    var text = "id,note\n"
    for i in 0..<40_000 { text += "\(i),some text to fill the output \(i)\n" }
    text += "short\n"
    let input = try write("in.csv", text)
    let out = try write("out.csv", "previous\n")
    return (recipe, input, out)
  }

  func assertFailedWriteLeftNothing(
    _ r: Finished, out: URL, file: StaticString = #filePath, line: UInt = #line
  ) throws {
    XCTAssertTrue(
      r.exited(4), "a write failure is an I/O error (exit 4): \(r.summary)", file: file, line: line)
    XCTAssertTrue(
      r.stderr.contains(out.path), "the message names the output: \(r.stderr)", file: file, line: line)
    XCTAssertEqual(out.text, "previous\n", "the previous output is untouched", file: file, line: line)
    XCTAssertEqual(
      try names(tmp), ["in.csv", "out.csv", "r.json"], "no partial or temporary file is left", file: file,
      line: line)
  }

  func testAFileSizeLimitWithSIGXFSZIgnoredFailsWithExitCode4AndLeavesNothing() throws {
    let (recipe, input, out) = try prepareWriteFailure()
    let r = try shell(
      #"trap '' XFSZ; ulimit -f 200; exec "$0" "$@""#, ["run", recipe.path, input.path, "-o", out.path],
      in: tmp)
    try assertFailedWriteLeftNothing(r, out: out)
    XCTAssertTrue(r.stderr.lowercased().contains("write"), r.stderr)
  }

  func testAFileSizeLimitWithSIGXFSZAtItsDefaultFailsWithExitCode4AndLeavesNothing() throws {
    let (recipe, input, out) = try prepareWriteFailure()
    let r = try shell(
      #"ulimit -f 200; exec "$0" "$@""#, ["run", recipe.path, input.path, "-o", out.path], in: tmp)
    try assertFailedWriteLeftNothing(r, out: out)
  }

  // MARK: Read-only directories

  /// Runs decant as an unprivileged user when the tests run as root (root may write anywhere).
  func runUnprivileged(_ args: [String]) throws -> Finished {
    if getuid() != 0 { return try finish(start(DecantProcess.binary, args, in: tmp)) }
    let setpriv = URL(fileURLWithPath: "/usr/bin/setpriv")
    guard FileManager.default.isExecutableFile(atPath: setpriv.path) else {
      XCTFail("the tests run as root and /usr/bin/setpriv is missing: cannot make a directory read-only")
      throw CocoaError(.fileNoSuchFile)
    }
    try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: tmp.path)
    return try finish(
      start(
        setpriv,
        ["--reuid=65534", "--regid=65534", "--clear-groups", "--", DecantProcess.binary.path] + args,
        in: tmp))
  }

  /// A directory nobody may write to (removable at teardown).
  func readOnlyDirectory() throws -> URL {
    let dir = tmp.file("ro")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
    addTeardownBlock {
      try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
    }
    return dir
  }

  func testAReadOnlyOutputDirectoryFailsWithExitCode4() throws {
    let recipe = try write("r.json", emptyRecipe)
    let input = try write("in.csv", "a,b\n1,2\n3\n")
    let ro = try readOnlyDirectory()
    let r = try runUnprivileged(["run", recipe.path, input.path, "-o", "ro/out.csv"])
    XCTAssertTrue(r.exited(4), r.summary)
    XCTAssertTrue(r.stderr.contains("ro/out.csv"), r.stderr)
    XCTAssertEqual(try names(ro), [])
    XCTAssertEqual(try names(tmp), ["in.csv", "r.json", "ro"])
  }

  func testAReadOnlyRejectsDirectoryFailsTheRunAndWritesNoOutput() throws {
    let recipe = try write("r.json", emptyRecipe)
    let input = try write("in.csv", "a,b\n1,2\n3\n")
    let ro = try readOnlyDirectory()
    let r = try runUnprivileged([
      "run", recipe.path, input.path, "-o", "out.csv", "--rejects", "ro/rejects.csv",
    ])
    XCTAssertTrue(r.exited(4), r.summary)
    XCTAssertTrue(r.stderr.contains("ro/rejects.csv"), r.stderr)
    XCTAssertEqual(try names(ro), [])
    XCTAssertEqual(try names(tmp), ["in.csv", "r.json", "ro"], "a failed run writes no output")
  }

  func testAReadOnlyReportDirectoryFailsTheRunAndWritesNoOutput() throws {
    let recipe = try write("r.json", emptyRecipe)
    let input = try write("in.csv", "a,b\n1,2\n3\n")
    let ro = try readOnlyDirectory()
    let r = try runUnprivileged([
      "run", recipe.path, input.path, "-o", "out.csv", "--report", "ro/report.json",
    ])
    XCTAssertTrue(r.exited(4), r.summary)
    XCTAssertTrue(r.stderr.contains("ro/report.json"), r.stderr)
    XCTAssertEqual(try names(ro), [])
    XCTAssertEqual(
      try names(tmp), ["in.csv", "r.json", "ro"],
      "output and rejects are renamed into place only when the run succeeds")
  }

  func testARejectsPathThatIsADirectoryFailsTheRunAndWritesNoOutput() throws {
    let recipe = try write("r.json", emptyRecipe)
    let input = try write("in.csv", "a,b\n1,2\n3\n")
    try FileManager.default.createDirectory(at: tmp.file("dir"), withIntermediateDirectories: true)
    let r = try DecantProcess.run(
      ["run", recipe.path, input.path, "-o", "out.csv", "--rejects", "dir"], in: tmp)
    XCTAssertEqual(r.status, 4, r.stderr)
    XCTAssertTrue(r.stderr.contains("dir"), r.stderr)
    XCTAssertEqual(try names(tmp.file("dir")), [])
    XCTAssertEqual(try names(tmp), ["dir", "in.csv", "r.json"], "a failed run writes no output")
  }

  func testAnOutputPathThatIsADirectoryFailsWithExitCode4() throws {
    let recipe = try write("r.json", emptyRecipe)
    let input = try write("in.csv", "a,b\n1,2\n3\n")
    try FileManager.default.createDirectory(at: tmp.file("dir"), withIntermediateDirectories: true)
    let r = try DecantProcess.run(["run", recipe.path, input.path, "-o", "dir"], in: tmp)
    XCTAssertEqual(r.status, 4, r.stderr)
    XCTAssertTrue(r.stderr.contains("dir"), r.stderr)
    XCTAssertEqual(try names(tmp.file("dir")), [])
    XCTAssertEqual(try names(tmp), ["dir", "in.csv", "r.json"])
  }

  // MARK: Output onto the input

  func testEveryOtherSpellingOfTheInputIsRefusedAsOutputRejectsOrReport() throws {
    let recipe = try write("r.json", emptyRecipe)
    let original = "a,b\n1,2\n3\n"
    let input = try write("x.csv", original)
    try FileManager.default.createDirectory(at: tmp.file("sub"), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: tmp.file("link.csv").path, withDestinationPath: "x.csv")
    try FileManager.default.linkItem(at: input, to: tmp.file("hard.csv"))
    let before = try names(tmp)
    let modified = try FileManager.default.attributesOfItem(atPath: input.path)[.modificationDate] as? Date
    let spellings = ["./x.csv", "sub/../x.csv", input.path, tmp.path + "//./x.csv", "link.csv", "hard.csv"]
    for spelling in spellings {
      for option in ["-o", "--rejects", "--report"] {
        var args = ["run", recipe.path, "x.csv", option, spelling]
        if option != "-o" { args += ["-o", "out.csv"] }
        let r = try DecantProcess.run(args, in: tmp)
        XCTAssertEqual(r.status, 4, "\(option) \(spelling): \(r.stderr)")
        XCTAssertTrue(r.stderr.contains(spelling), "\(option) \(spelling): the message names it: \(r.stderr)")
        XCTAssertEqual(input.text, original, "\(option) \(spelling): the input changed")
        XCTAssertEqual(try names(tmp), before, "\(option) \(spelling): something was written")
      }
    }
    // The input named through the link, the output through its real path.
    let r = try DecantProcess.run(["run", recipe.path, "link.csv", "-o", "x.csv"], in: tmp)
    XCTAssertEqual(r.status, 4, r.stderr)
    XCTAssertEqual(input.text, original)
    XCTAssertEqual(try names(tmp), before)
    XCTAssertEqual(
      try FileManager.default.attributesOfItem(atPath: input.path)[.modificationDate] as? Date, modified)
  }

  // MARK: Standard input

  /// Runs with standard input held open until the spool directory shows a file, then
  /// ends the input; returns how the run ended and whether a spool file was seen.
  func runOnStandardInput(_ recipe: URL, _ input: String, extra: [String] = [], spool: URL) throws -> (
    Finished, Bool
  ) {
    let pipe = Pipe()
    let started = try start(
      DecantProcess.binary, ["run", recipe.path, "-", "-o", "out.csv"] + extra, in: tmp,
      environment: ["TMPDIR": spool.path], stdin: pipe)
    pipe.fileHandleForWriting.write(Data(input.utf8))
    let spooled = try wait(seconds: 10) { try !names(spool).isEmpty }
    try pipe.fileHandleForWriting.close()
    return (try finish(started), spooled)
  }

  func testTwoPassRecipesOnStandardInputSpoolToATemporaryFileThatIsRemoved() throws {
    let spool = tmp.file("spool")
    try FileManager.default.createDirectory(at: spool, withIntermediateDirectories: true)
    let cases: [(strategy: String, input: String, output: String)] = [
      ("mean", "v,w\n1,a\n,b\n4,c\n", "v,w\n1,a\n2.5,b\n4,c\n"),
      ("median", "v,w\n1,a\n,b\n3,c\n10,d\n", "v,w\n1,a\n3,b\n3,c\n10,d\n"),
      ("mode", "v,w\nx,a\ny,b\n,c\ny,d\n", "v,w\nx,a\ny,b\ny,c\ny,d\n"),
    ]
    for c in cases {
      let recipe = try write(
        "r.json",
        #"{"decant_recipe": 1, "input": {"format": "csv"}, "steps": [{"op": "fill_null", "columns": ["v"], "strategy": ""#
          + c.strategy + #""}]}"#)
      XCTAssertEqual(try names(spool), [], c.strategy)
      let (r, spooled) = try runOnStandardInput(recipe, c.input, spool: spool)
      XCTAssertTrue(r.exited(0), "\(c.strategy): \(r.summary)")
      XCTAssertTrue(spooled, "\(c.strategy): standard input should be spooled in TMPDIR")
      XCTAssertEqual(tmp.file("out.csv").text, c.output, c.strategy)
      XCTAssertEqual(try names(spool), [], "\(c.strategy): the spool file is removed")
    }
  }

  func testJSONLinesOnStandardInputIsSpooledAndTheSpoolRemoved() throws {
    let spool = tmp.file("spool")
    try FileManager.default.createDirectory(at: spool, withIntermediateDirectories: true)
    let recipe = try write("r.json", #"{"decant_recipe": 1, "input": {"format": "jsonl"}, "steps": []}"#)
    let (r, spooled) = try runOnStandardInput(
      recipe, "{\"a\": 1}\n{\"b\": \"x\"}\n", extra: ["--to", "csv"], spool: spool)
    XCTAssertTrue(r.exited(0), r.summary)
    XCTAssertTrue(spooled)
    XCTAssertEqual(tmp.file("out.csv").text, "a,b\n1,\n,x\n")
    XCTAssertEqual(try names(spool), [])
  }

  func testAFailedRunOnStandardInputRemovesItsSpool() throws {
    let spool = tmp.file("spool")
    try FileManager.default.createDirectory(at: spool, withIntermediateDirectories: true)
    // Exit 3: a column the recipe needs is missing (found after spooling).
    let plan = try write(
      "plan.json",
      #"{"decant_recipe": 1, "input": {"format": "csv"}, "steps": [{"op": "fill_null", "columns": ["nope"], "strategy": "mean"}]}"#
    )
    var (r, spooled) = try runOnStandardInput(plan, "v\n1\n", spool: spool)
    XCTAssertTrue(r.exited(3), r.summary)
    XCTAssertTrue(spooled)
    XCTAssertEqual(try names(spool), [], "a plan error removes the spool")
    // Exit 1: a value fails under on_error fail.
    let fail = try write(
      "fail.json",
      #"{"decant_recipe": 1, "input": {"format": "csv"}, "steps": [{"op": "fill_null", "columns": ["v"], "strategy": "median"}, {"op": "normalize_timezone", "column": "t", "from_zone": "UTC", "on_error": "fail"}]}"#
    )
    (r, spooled) = try runOnStandardInput(fail, "v,t\n1,2024-01-01 00:00:00\n,bad\n", spool: spool)
    XCTAssertTrue(r.exited(1), r.summary)
    XCTAssertTrue(spooled)
    XCTAssertEqual(try names(spool), [], "a data error removes the spool")
    XCTAssertFalse(tmp.file("out.csv").exists)
  }

  func testSIGTERMWhileSpoolingStandardInputRemovesTheSpool() throws {
    let spool = tmp.file("spool")
    try FileManager.default.createDirectory(at: spool, withIntermediateDirectories: true)
    let recipe = try write(
      "r.json",
      #"{"decant_recipe": 1, "input": {"format": "csv"}, "steps": [{"op": "fill_null", "columns": ["v"], "strategy": "mode"}]}"#
    )
    let pipe = Pipe()
    let started = try start(
      DecantProcess.binary, ["run", recipe.path, "-", "-o", "out.csv"], in: tmp,
      environment: ["TMPDIR": spool.path], stdin: pipe)
    pipe.fileHandleForWriting.write(Data(("v\n" + String(repeating: "1\n", count: 100_000)).utf8))
    XCTAssertTrue(try wait(seconds: 10) { try !names(spool).isEmpty }, "no spool file appeared")
    started.0.terminate()
    let r = try finish(started)
    try? pipe.fileHandleForWriting.close()
    XCTAssertFalse(r.exited(0), r.summary)
    XCTAssertEqual(try names(spool), [], "an interrupted run removes its spool")
    XCTAssertFalse(tmp.file("out.csv").exists)
  }
}
