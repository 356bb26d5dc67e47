import Foundation
import XCTest

/// Runs the built `decant` binary as a user would and captures what it prints.
struct DecantProcess {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The binary under test: `DECANT_BIN`, or the debug build in `.build`.
  static var binary: URL {
    if let path = ProcessInfo.processInfo.environment["DECANT_BIN"] { return URL(fileURLWithPath: path) }
    return root.appendingPathComponent(".build/debug/decant")
  }

  struct Result {
    var status: Int32
    var stdout: Data
    var stderr: String
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
  }

  /// Runs `decant ARGS` in `directory` with optional standard input.
  static func run(
    _ args: [String], in directory: URL? = nil, stdin: Data? = nil, file: StaticString = #filePath,
    line: UInt = #line
  ) throws -> Result {
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
      XCTFail(
        "no decant binary at \(binary.path): run `swift build` before `swift test`", file: file, line: line)
      throw CocoaError(.fileNoSuchFile)
    }
    let p = Process()
    p.executableURL = binary
    p.arguments = args
    p.currentDirectoryURL = directory ?? root
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = input
    try p.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    // Drain both pipes concurrently so a large output cannot block the child.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    p.waitUntilExit()
    return Result(
      status: p.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
  }

  /// A fresh empty directory, removed at the end of the test.
  static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("decant-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
  }
}

extension URL {
  func file(_ name: String) -> URL { appendingPathComponent(name) }
  var text: String? { (try? Data(contentsOf: self)).map { String(decoding: $0, as: UTF8.self) } }
  var exists: Bool { FileManager.default.fileExists(atPath: path) }
}
