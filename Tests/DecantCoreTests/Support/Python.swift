import Foundation

/// Runs `python3` for the differential tests; fails loudly when it is missing.
enum Python {
  struct Failure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }

  /// Runs `python3 ARGS` and returns its standard output; throws with its
  /// standard error when it cannot start or exits with a failure.
  static func run(_ args: [String]) throws -> Data {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3"] + args
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    do { try p.run() } catch {
      throw Failure(message: "cannot start python3 (\(error)); these tests need python3 on PATH")
    }
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else {
      let stderr = String(decoding: errData, as: UTF8.self)
      if p.terminationStatus == 127 {
        throw Failure(message: "python3 is not installed; these tests need it on PATH (\(stderr))")
      }
      throw Failure(
        message: "python3 \(args.joined(separator: " ")) failed (\(p.terminationStatus)): \(stderr)")
    }
    return data
  }
}
