import CSystem
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A buffered byte writer to a file that appears only when the run succeeds.
///
/// Bytes go to a temporary file beside the target (`.NAME.decant-PID-RANDOM.tmp`);
/// `commit()` renames it into place, `abort()` (or deinit without commit) removes it.
/// `-` writes to standard output directly. A `durable` file is also synced to
/// disk before the rename, so it survives a power loss too (writeback is started
/// as the file grows, so the final sync has little left to wait for).
public final class OutputFile {
  public let path: String
  public let temporaryPath: String?
  private let fd: Int32
  /// Pending bytes: `storage[0..<count]`, written out when the buffer fills.
  private var storage: UnsafeMutablePointer<UInt8>
  private var capacity = 2 << 20
  private var count = 0
  private var finished = false
  /// Bytes written to the file so far, and how many of them the kernel was asked to write back.
  private var written = 0
  private var writebackStarted = 0
  /// Writeback starts every this many bytes of a durable file.
  private static let writebackStep = 32 << 20
  public let durable: Bool

  /// Creates the temporary file beside `path` (or uses stdout for `-`).
  public init(path: String, durable: Bool = false) throws {
    self.path = path
    self.durable = durable
    if path == "-" {
      fd = 1
      temporaryPath = nil
    } else {
      let tmp = OutputFile.temporaryName(for: path)
      let opened = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
      guard opened >= 0 else {
        throw IOError(
          path: path,
          "cannot create output: \(String(cString: strerror(errno))); check the directory exists and is writable"
        )
      }
      fd = opened
      temporaryPath = tmp
      TemporaryFiles.shared.register(tmp)
      OutputFile.removeStaleTemporaries(for: path)
    }
    // Allocated once the file exists: a failed init leaves nothing behind.
    storage = .allocate(capacity: capacity)
  }

  /// Removes temporary files that runs which died (killed with SIGKILL, power
  /// loss) left beside `path`: those whose process no longer exists.
  static func removeStaleTemporaries(for path: String) {
    let slash = path.lastIndex(of: "/")
    let dir = slash.map { String(path[...$0]) } ?? ""
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    let prefix = ".\(name).decant-"
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir) else {
      return
    }
    for entry in entries where entry.hasPrefix(prefix) && entry.hasSuffix(".tmp") {
      // `.NAME.decant-PID-RANDOM.tmp`
      let rest = entry.dropFirst(prefix.count).dropLast(4)
      guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), pid > 0, pid != getpid()
      else { continue }
      if kill(pid, 0) != 0 && errno == ESRCH { unlink(dir + entry) }
    }
  }

  deinit {
    if !finished { abort() }
    storage.deallocate()
  }

  /// Checks, before anything is written, that a file can be created at `path`
  /// later: it is not a directory and its directory exists and is writable.
  public static func checkTarget(_ path: String, label: String) throws {
    guard path != "-" else { return }
    var info = stat()
    if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
      throw IOError(path: path, "the \(label) path is a directory; give a file name")
    }
    let slash = path.lastIndex(of: "/")
    let dir = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
    if access(dir, W_OK) != 0 {
      let reason = String(cString: strerror(errno))
      throw IOError(
        path: path, "cannot create the \(label): \(reason); check the directory exists and is writable")
    }
  }

  static func temporaryName(for path: String) -> String {
    let slash = path.lastIndex(of: "/")
    let dir = slash.map { String(path[...$0]) } ?? ""
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    return "\(dir).\(name).decant-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
  }

  /// Appends bytes, flushing first when they do not fit.
  public func write<C: Collection>(_ bytes: C) throws where C.Element == UInt8 {
    let n = bytes.count
    let p = try reserve(n)
    _ = UnsafeMutableBufferPointer(start: p, count: n).initialize(from: bytes)
    count += n
  }

  public func write(_ string: String) throws {
    try write(Array(string.utf8))
  }

  /// Room for at least `n` bytes at the end of the pending buffer (flushing or
  /// growing as needed). Write into it, then call `advance(by:)`.
  @inline(__always) public func reserve(_ n: Int) throws -> UnsafeMutablePointer<UInt8> {
    if count + n > capacity {
      try flush()
      if n > capacity {
        storage.deallocate()
        capacity = max(n, capacity * 2)
        storage = .allocate(capacity: capacity)
      }
    }
    return storage + count
  }

  /// Marks `n` bytes written after `reserve`.
  @inline(__always) public func advance(by n: Int) { count += n }

  /// Writes out the pending bytes.
  public func flush() throws {
    try writeAll(storage, count)
    count = 0
  }

  /// Appends an encoded buffer, written straight from its memory.
  public func write(_ buffer: ByteBuffer) throws {
    if buffer.count <= capacity - count {
      try write(buffer.bytes)
      return
    }
    try flush()
    try writeAll(buffer.storage, buffer.count)
  }

  private func writeAll(_ bytes: UnsafePointer<UInt8>, _ total: Int) throws {
    var offset = 0
    while offset < total {
      let n = Glibc.write(fd, bytes + offset, total - offset)
      if n < 0 {
        if errno == EINTR { continue }
        let reason = String(cString: strerror(errno))
        throw IOError(path: path, "write failed: \(reason)")
      }
      offset += n
    }
    written += total
    if durable && temporaryPath != nil && written - writebackStarted >= OutputFile.writebackStep {
      // Only a hint: the sync in `commit()` is what makes the output durable.
      _ = decant_start_writeback(fd, Int64(writebackStarted), Int64(written - writebackStarted))
      writebackStarted = written
    }
  }

  /// Flushes (and for a durable file, syncs) and renames the temporary file into place.
  public func commit() throws {
    try flush()
    finished = true
    guard let tmp = temporaryPath else { return }
    if durable && fsync(fd) != 0 && errno != EINVAL && errno != EROFS {
      let reason = String(cString: strerror(errno))
      close(fd)
      unlink(tmp)
      TemporaryFiles.shared.unregister(tmp)
      throw IOError(path: path, "cannot finish writing: \(reason)")
    }
    close(fd)
    if !durable && OutputFile.exchange(tmp, path) {
      // The temporary name now holds the previous output.
      unlink(tmp)
    } else if rename(tmp, path) != 0 {
      let reason = String(cString: strerror(errno))
      unlink(tmp)
      TemporaryFiles.shared.unregister(tmp)
      throw IOError(path: path, "cannot move the finished output into place: \(reason)")
    }
    TemporaryFiles.shared.unregister(tmp)
  }

  /// Swaps a finished temporary file with an existing regular file at `path`;
  /// false when there is none or the system cannot (then `rename` replaces it).
  ///
  /// Both are atomic for anyone opening `path`. The swap exists for speed: ext4
  /// (`auto_da_alloc`) writes a file's data out before `rename` may replace
  /// another file with it, which makes replacing a 1 GB output wait about a second
  /// for the disk; a run that was not asked to `--sync` should not wait for it.
  private static func exchange(_ tmp: String, _ path: String) -> Bool {
    var info = stat()
    guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
    return decant_exchange(tmp, path) == 0
  }

  /// Discards everything written; the target is left as it was.
  public func abort() {
    finished = true
    guard let tmp = temporaryPath else { return }
    close(fd)
    unlink(tmp)
    TemporaryFiles.shared.unregister(tmp)
  }
}

/// Temporary output files that must not outlive an interrupted run.
///
/// The CLI installs signal handlers that call `removeAll()`; it only unlinks
/// paths that were prepared as C strings beforehand.
public final class TemporaryFiles: @unchecked Sendable {
  public static let shared = TemporaryFiles()
  private var lock = pthread_mutex_t()
  private var paths: [String: UnsafeMutablePointer<CChar>] = [:]

  private init() { pthread_mutex_init(&lock, nil) }

  public func register(_ path: String) {
    pthread_mutex_lock(&lock)
    paths[path] = strdup(path)
    pthread_mutex_unlock(&lock)
  }

  public func unregister(_ path: String) {
    pthread_mutex_lock(&lock)
    if let p = paths.removeValue(forKey: path) { free(p) }
    pthread_mutex_unlock(&lock)
  }

  /// Unlinks every registered temporary file (called on SIGINT/SIGTERM).
  public func removeAll() {
    for p in paths.values { unlink(p) }
  }
}
