import CLibFuzzer

#if canImport(Glibc)
  import Glibc
#endif

/// The function libFuzzer calls once per input. Each fuzz target exports one
/// as `LLVMFuzzerTestOneInput` (`@_cdecl`) and passes it to `runLibFuzzer`.
public typealias FuzzEntry = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

/// Runs libFuzzer on this process's command line and exits with its status.
///
/// SwiftPM gives every executable target a `main` of its own, so libFuzzer's
/// `main` is never reached; the targets start its driver from top-level code.
public func runLibFuzzer(_ entry: FuzzEntry) -> Never {
  var argc = CommandLine.argc
  var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
  exit(LLVMFuzzerRunDriver(&argc, &argv, entry))
}

/// libFuzzer's input as an array.
public func inputBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
  guard let data, size > 0 else { return [] }
  return Array(UnsafeBufferPointer(start: data, count: size))
}
