#if canImport(Glibc)
  import Glibc
#endif

/// Where scratch files go: shared memory when the system has it (no disk I/O per input).
private let scratchBase: String = {
  if access("/dev/shm", W_OK) == 0 { return "/dev/shm" }
  if let tmp = getenv("TMPDIR") { return String(cString: tmp) }
  return "/tmp"
}()

/// An unnamed temporary file the readers open by path (`/proc/self/fd/N`).
///
/// The name is removed as soon as the file is created, so nothing is left behind
/// even when the process crashes; each input rewrites the file in place.
public final class ScratchFile: Sendable {
  public let path: String
  private let fd: Int32

  public init() {
    var template = Array("\(scratchBase)/decant-fuzz-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    if fd < 0 {
      violated("cannot create a scratch file in \(scratchBase): \(String(cString: strerror(errno)))")
    }
    template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    self.fd = fd
    path = "/proc/self/fd/\(fd)"
  }

  /// Replaces the file's contents.
  public func write(_ bytes: [UInt8]) {
    guard ftruncate(fd, 0) == 0 else { violated("cannot truncate the scratch file") }
    bytes.withUnsafeBytes { p in
      var offset = 0
      while offset < p.count {
        let n = pwrite(fd, p.baseAddress! + offset, p.count - offset, off_t(offset))
        if n < 0 {
          if errno == EINTR { continue }
          violated("cannot write the scratch file: \(String(cString: strerror(errno)))")
        }
        offset += n
      }
    }
  }
}
