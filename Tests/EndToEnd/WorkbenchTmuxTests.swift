import Foundation
import XCTest

/// Drives the workbench inside tmux: keys in with send-keys, screen out with capture-pane.
final class WorkbenchTmuxTests: XCTestCase {
  var session = ""

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

  func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", session]) }

  /// Waits until the screen contains `text` (or fails after a few seconds).
  @discardableResult
  func waitFor(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
    var last = ""
    for _ in 0..<100 {
      last = try screen()
      if last.contains(text) { return last }
      Thread.sleep(forTimeInterval: 0.05)
    }
    XCTFail("the screen never showed \"\(text)\"; it shows:\n\(last)", file: file, line: line)
    return last
  }

  override func setUpWithError() throws {
    let which = Process()
    which.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    which.arguments = ["sh", "-c", "command -v tmux"]
    which.standardOutput = FileHandle.nullDevice
    try which.run()
    which.waitUntilExit()
    guard which.terminationStatus == 0 else {
      XCTFail("tmux is not installed; install it (apt-get install -y tmux) to run the workbench tests")
      throw CocoaError(.executableNotLoadable)
    }
    guard FileManager.default.isExecutableFile(atPath: DecantProcess.binary.path) else {
      XCTFail("no decant binary at \(DecantProcess.binary.path): run `swift build` first")
      throw CocoaError(.fileNoSuchFile)
    }
    session = "decant-test-\(UUID().uuidString.prefix(8))"
    let command =
      "cd \(DecantProcess.root.path) && TERM=xterm-256color \(DecantProcess.binary.path) samples/events.csv"
    try tmux(["new-session", "-d", "-s", session, "-x", "120", "-y", "30", command])
  }

  override func tearDownWithError() throws {
    _ = try? tmux(["kill-session", "-t", session])
  }

  func testOpensTheSampleScrollsAndQuits() throws {
    let first = try waitFor("Decant workbench")
    XCTAssertTrue(first.contains("event_id"), first)
    XCTAssertTrue(first.contains("samples/events.csv"), first)
    XCTAssertTrue(first.contains("row 1, column 1"), first)
    XCTAssertTrue(first.contains("∅"), "null cells are marked:\n\(first)")
    try tmux(["send-keys", "-t", session, "j", "j", "l"])
    try waitFor("row 3, column 2")
    try tmux(["send-keys", "-t", session, "q"])
    for _ in 0..<100 {
      if try tmux(["list-sessions"]).contains(session) == false { return }
      let s = try screen()
      if !s.contains("Decant workbench") { return }
      Thread.sleep(forTimeInterval: 0.05)
    }
    XCTFail("q did not close the workbench")
  }
}
