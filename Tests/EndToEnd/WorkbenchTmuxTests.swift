import Foundation
import XCTest

/// A tmux session running one command: keys go in with send-keys, the screen
/// comes out with capture-pane.
struct TmuxSession {
  let name = "decant-test-\(UUID().uuidString.prefix(8))"

  /// Fails the test (never skips) when tmux is missing.
  static func checkAvailable() throws {
    let which = Process()
    which.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    which.arguments = ["sh", "-c", "command -v tmux"]
    which.standardOutput = FileHandle.nullDevice
    try which.run()
    which.waitUntilExit()
    guard which.terminationStatus == 0 else {
      XCTFail("tmux is not installed; install it (apt-get install -y tmux) to run the terminal tests")
      throw CocoaError(.executableNotLoadable)
    }
    guard FileManager.default.isExecutableFile(atPath: DecantProcess.binary.path) else {
      XCTFail("no decant binary at \(DecantProcess.binary.path): run `swift build` first")
      throw CocoaError(.fileNoSuchFile)
    }
  }

  /// Starts `command` (a shell command line) in a detached session of the given size.
  func start(_ command: String, width: Int = 120, height: Int = 30) throws {
    try tmux(["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", command])
  }

  func kill() { _ = try? tmux(["kill-session", "-t", name]) }

  func send(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

  var isRunning: Bool { ((try? tmux(["list-sessions"])) ?? "").contains(name) }

  /// Runs a tmux command. Output is captured through a file: the tmux server that
  /// `new-session` starts would otherwise keep a pipe open forever.
  @discardableResult
  func tmux(_ args: [String]) throws -> String {
    let capture = FileManager.default.temporaryDirectory.appendingPathComponent(
      "decant-tmux-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: capture.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: capture) }
    let handle = try FileHandle(forWritingTo: capture)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["tmux"] + args
    p.standardOutput = handle
    p.standardError = FileHandle.nullDevice
    p.standardInput = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    try handle.close()
    return capture.text ?? ""
  }

  func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", name]) }

  /// Waits until the screen contains `text`; fails the test with the screen otherwise.
  @discardableResult
  func waitFor(_ text: String, timeout: Double = 5, file: StaticString = #filePath, line: UInt = #line) throws
    -> String
  {
    var last = ""
    for _ in 0..<Int(timeout / 0.05) {
      last = try screen()
      if last.contains(text) { return last }
      Thread.sleep(forTimeInterval: 0.05)
    }
    XCTFail("the screen never showed \"\(text)\"; it shows:\n\(last)", file: file, line: line)
    return last
  }
}

/// The workbench as a person uses it, inside tmux.
final class WorkbenchTmuxTests: XCTestCase {
  var tmux = TmuxSession()

  override func setUpWithError() throws {
    try TmuxSession.checkAvailable()
    try tmux.start(
      "cd \(DecantProcess.root.path) && TERM=xterm-256color \(DecantProcess.binary.path) samples/events.csv")
  }

  override func tearDown() { tmux.kill() }

  func testOpensTheSampleScrollsAndQuits() throws {
    let first = try tmux.waitFor("Decant workbench")
    XCTAssertTrue(first.contains("event_id"), first)
    XCTAssertTrue(first.contains("samples/events.csv"), first)
    XCTAssertTrue(first.contains("row 1, column 1"), first)
    XCTAssertTrue(first.contains("∅"), "null cells are marked:\n\(first)")
    try tmux.send("j", "j", "l")
    try tmux.waitFor("row 3, column 2")
    try tmux.send("q")
    for _ in 0..<100 {
      if !tmux.isRunning { return }
      if try !tmux.screen().contains("Decant workbench") { return }
      Thread.sleep(forTimeInterval: 0.05)
    }
    XCTFail("q did not close the workbench")
  }
}

/// `decant run` in a terminal shows a progress bar on stderr while it works.
final class RunProgressTmuxTests: XCTestCase {
  func testProgressBarShowsWhileARunWaitsForInput() throws {
    try TmuxSession.checkAvailable()
    let tmux = TmuxSession()
    let tmp = try DecantProcess.temporaryDirectory(self)
    try Data(#"{"decant_recipe": 1, "input": {"format": "csv"}, "steps": []}"#.utf8).write(
      to: tmp.file("r.json"))
    try Data(("a,b\n" + String(repeating: "1,2\n", count: 100_000)).utf8).write(to: tmp.file("head.csv"))
    try tmux.start(
      "cd \(tmp.path) && (cat head.csv; sleep 3) | \(DecantProcess.binary.path) run r.json - -o out.csv; sleep 5",
      width: 100, height: 10)
    defer { tmux.kill() }
    let screen = try tmux.waitFor("MB at")
    XCTAssertTrue(screen.contains("MB/s"), screen)
    // When the input ends, the bar gives way to the summary.
    let done = try tmux.waitFor("100000 rows in", timeout: 8)
    XCTAssertFalse(done.contains("MB at"), done)
  }
}
