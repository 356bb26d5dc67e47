import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

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
  /// Starts the session. A server that is shutting down (its last session just
  /// ended) can refuse a new session for a moment, so the start is retried.
  func start(_ command: String, width: Int = 120, height: Int = 30) throws {
    for _ in 0..<20 {
      try tmux(["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", command])
      if isRunning { return }
      Thread.sleep(forTimeInterval: 0.1)
    }
    XCTFail("tmux would not start a session for: \(command)")
  }

  func kill() { _ = try? tmux(["kill-session", "-t", name]) }

  func send(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

  var isRunning: Bool { ((try? tmux(["list-sessions"])) ?? "").contains(name) }

  /// Runs a tmux command and returns what it printed. Output goes through a file, and
  /// tmux is spawned directly with every other descriptor closed: the server that the
  /// first `new-session` forks would otherwise inherit a pipe (or the socket Foundation's
  /// `Process` watches to learn that its child exited) and keep it open forever, so
  /// the call would never return when no tmux server was running yet.
  @discardableResult
  func tmux(_ args: [String]) throws -> String {
    let capture = FileManager.default.temporaryDirectory.appendingPathComponent(
      "decant-tmux-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: capture) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, capture.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    for fd in open.compactMap({ Int32($0) }) where fd > 2 {
      posix_spawn_file_actions_addclose(&actions, fd)
    }
    // A clean signal state, whatever the test process blocks or handles.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let argv: [UnsafeMutablePointer<CChar>?] = (["tmux"] + args).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawnp(&pid, "tmux", &actions, &attributes, argv, environ)
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .ENOENT) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    return capture.text ?? ""
  }

  func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", name]) }

  /// The screen with its attributes and colors as escape sequences (`capture-pane -e`).
  func styledScreen() throws -> String { try tmux(["capture-pane", "-p", "-e", "-t", name]) }

  /// Types `text` literally (no key names: "Enter" is five letters here).
  func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }

  /// Resizes the window, as a person dragging the terminal's corner would.
  func resize(width: Int, height: Int) throws {
    try tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
  }

  /// Waits until the screen contains `text`; fails the test with the screen otherwise.
  @discardableResult
  func waitFor(_ text: String, timeout: Double = 5, file: StaticString = #filePath, line: UInt = #line) throws
    -> String
  {
    try waitUntil("the screen shows \"\(text)\"", timeout: timeout, file: file, line: line) {
      $0.contains(text)
    }
  }

  /// Polls the screen until `condition` holds on a screen that is drawn completely (the
  /// same in two captures in a row: a capture can fall between the writes of one redraw);
  /// fails the test with the last screen otherwise.
  @discardableResult
  func waitUntil(
    _ what: String, timeout: Double = 5, file: StaticString = #filePath, line: UInt = #line,
    _ condition: (String) -> Bool
  ) throws -> String {
    let deadline = Date().addingTimeInterval(timeout)
    var last = ""
    var previous: String? = nil
    repeat {
      last = try screen()
      if condition(last) {
        if last == previous { return last }
        previous = last
        Thread.sleep(forTimeInterval: 0.02)
        continue
      }
      previous = nil
      Thread.sleep(forTimeInterval: 0.04)
    } while Date() < deadline
    // A screen that keeps changing (a progress bar) but shows what was asked for.
    if condition(last) { return last }
    XCTFail("timed out waiting until \(what); the screen shows:\n\(last)", file: file, line: line)
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
    let first = try tmux.waitFor("decant — events.csv")
    XCTAssertTrue(first.contains("event_id"), first)
    XCTAssertTrue(first.contains("row 1/147, column 1/7"), first)
    XCTAssertTrue(first.contains("∅"), "null cells are marked:\n\(first)")
    try tmux.send("j", "j", "l")
    try tmux.waitFor("row 3/147, column 2/7")
    try tmux.send("q")
    for _ in 0..<100 {
      if !tmux.isRunning { return }
      if try !tmux.screen().contains("decant — events.csv") { return }
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
