#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a file (or standard input for `-`) in large blocks and hands out UTF-8.
///
/// A byte-order mark is always detected and stripped; UTF-16 (by BOM or by the
/// requested encoding) and Latin-1 are transcoded to UTF-8 on the way in.
/// Memory: one read block plus the caller's buffer.
public final class ByteSource {
  public let path: String
  /// Size of the file in bytes, when it is a regular file.
  public let totalBytes: Int?
  /// Raw bytes consumed from the file so far (for progress).
  public private(set) var bytesRead: Int = 0
  /// The encoding in effect after BOM detection.
  public private(set) var encoding: TextEncoding
  /// True when a byte-order mark was found and stripped.
  public private(set) var hadBOM = false

  private let fd: Int32
  private let ownsDescriptor: Bool
  private var raw: [UInt8]
  private var rawStart = 0
  private var rawEnd = 0
  private var atEOF = false
  private var started = false
  public static let defaultBlockSize = 4 << 20
  /// Bytes asked of the file per read (and the reader's target per batch).
  public let blockSize: Int

  /// Opens `path` (`-` is standard input). Throws `IOError` for a missing file,
  /// a directory or an unreadable file.
  public init(path: String, encoding: TextEncoding = .utf8, blockSize: Int = ByteSource.defaultBlockSize)
    throws
  {
    self.path = path
    self.encoding = encoding
    self.blockSize = max(1, blockSize)
    raw = [UInt8](repeating: 0, count: self.blockSize)
    if path == "-" {
      fd = 0
      ownsDescriptor = false
      var st = stat()
      if fstat(0, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG {
        totalBytes = Int(st.st_size)
      } else {
        totalBytes = nil
      }
      return
    }
    var st = stat()
    guard stat(path, &st) == 0 else {
      throw IOError(path: path, "cannot open input: \(String(cString: strerror(errno))); check the path")
    }
    if (st.st_mode & S_IFMT) == S_IFDIR {
      throw IOError(path: path, "is a directory, not a data file; name a file inside it")
    }
    let opened = open(path, O_RDONLY)
    guard opened >= 0 else {
      throw IOError(path: path, "cannot read input: \(String(cString: strerror(errno)))")
    }
    fd = opened
    ownsDescriptor = true
    totalBytes = (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : nil
  }

  deinit {
    if ownsDescriptor { close(fd) }
  }

  /// Fills `raw` with more file bytes; returns false at end of file.
  private func refill() throws -> Bool {
    if atEOF { return false }
    if rawStart > 0 {
      let leftover = rawEnd - rawStart
      if leftover > 0 {
        raw.withUnsafeMutableBytes { p in
          _ = memmove(p.baseAddress!, p.baseAddress! + rawStart, leftover)
        }
      }
      rawStart = 0
      rawEnd = leftover
    }
    if rawEnd == raw.count { raw.append(contentsOf: repeatElement(0, count: raw.count)) }
    while true {
      let n = raw.withUnsafeMutableBytes { p in
        Glibc.read(fd, p.baseAddress! + rawEnd, p.count - rawEnd)
      }
      if n < 0 {
        if errno == EINTR { continue }
        throw IOError(path: path, "read failed: \(String(cString: strerror(errno)))")
      }
      if n == 0 {
        atEOF = true
        return false
      }
      rawEnd += n
      bytesRead += n
      return true
    }
  }

  private func detectBOM() throws {
    started = true
    while rawEnd - rawStart < 3, try refill() {}
    let n = rawEnd - rawStart
    if n >= 3, raw[0] == 0xEF, raw[1] == 0xBB, raw[2] == 0xBF {
      rawStart = 3
      hadBOM = true
      encoding = .utf8
    } else if n >= 2, raw[0] == 0xFF, raw[1] == 0xFE {
      rawStart = 2
      hadBOM = true
      encoding = .utf16LE
    } else if n >= 2, raw[0] == 0xFE, raw[1] == 0xFF {
      rawStart = 2
      hadBOM = true
      encoding = .utf16BE
    } else if encoding == .utf16 {
      encoding = .utf16LE
    }
  }

  /// Appends the file's bytes as they are (no BOM handling, no transcoding).
  /// Returns the number appended; 0 at end of input.
  public func readRaw(into buffer: inout [UInt8]) throws -> Int {
    started = true
    if rawEnd - rawStart == 0 {
      guard try refill() else { return 0 }
    }
    let n = rawEnd - rawStart
    raw.withUnsafeBufferPointer { p in
      buffer.append(contentsOf: UnsafeBufferPointer(rebasing: p[rawStart..<rawEnd]))
    }
    rawStart = rawEnd
    return n
  }

  /// Appends up to about `maxBytes` of UTF-8 to `buffer`. Returns the number of
  /// bytes appended; 0 means end of input.
  public func read(into buffer: inout [UInt8], maxBytes: Int? = nil) throws -> Int {
    let maxBytes = maxBytes ?? blockSize
    if !started { try detectBOM() }
    if rawEnd - rawStart == 0 {
      guard try refill() else { return 0 }
    }
    let before = buffer.count
    switch encoding {
    case .utf8:
      let take = min(maxBytes, rawEnd - rawStart)
      raw.withUnsafeBufferPointer { p in
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: p[rawStart..<rawStart + take]))
      }
      rawStart += take
    case .latin1:
      let take = min(maxBytes, rawEnd - rawStart)
      buffer.reserveCapacity(before + take * 2)
      for i in rawStart..<rawStart + take {
        let b = raw[i]
        if b < 0x80 {
          buffer.append(b)
        } else {
          buffer.append(0xC0 | (b >> 6))
          buffer.append(0x80 | (b & 0x3F))
        }
      }
      rawStart += take
    case .utf16, .utf16LE, .utf16BE:
      try transcodeUTF16(into: &buffer, maxBytes: maxBytes, littleEndian: encoding != .utf16BE)
    }
    return buffer.count - before
  }

  private func transcodeUTF16(into buffer: inout [UInt8], maxBytes: Int, littleEndian: Bool) throws {
    // Make sure a whole code unit (and a whole surrogate pair) is available.
    while rawEnd - rawStart < 4, try refill() {}
    func unit(_ i: Int) -> UInt32 {
      littleEndian
        ? UInt32(raw[i]) | UInt32(raw[i + 1]) << 8 : UInt32(raw[i]) << 8 | UInt32(raw[i + 1])
    }
    var i = rawStart
    let limit = rawEnd
    var produced = 0
    while i + 1 < limit, produced < maxBytes {
      var scalar = unit(i)
      var width = 2
      if scalar >= 0xD800 && scalar < 0xDC00 {
        if i + 3 >= limit {
          if atEOF { scalar = 0xFFFD } else { break }
        } else {
          let low = unit(i + 2)
          if low >= 0xDC00 && low < 0xE000 {
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            width = 4
          } else {
            scalar = 0xFFFD
          }
        }
      } else if scalar >= 0xDC00 && scalar < 0xE000 {
        scalar = 0xFFFD
      }
      produced += UTF8Encoding.append(scalar, to: &buffer)
      i += width
    }
    if i + 1 >= limit && atEOF && i < limit {
      // A dangling odd byte at end of file.
      produced += UTF8Encoding.append(0xFFFD, to: &buffer)
      i = limit
    }
    rawStart = i
  }
}

/// Encodes Unicode scalars as UTF-8 bytes.
enum UTF8Encoding {
  @discardableResult
  static func append(_ scalar: UInt32, to buffer: inout [UInt8]) -> Int {
    switch scalar {
    case 0..<0x80:
      buffer.append(UInt8(scalar))
      return 1
    case 0x80..<0x800:
      buffer.append(UInt8(0xC0 | (scalar >> 6)))
      buffer.append(UInt8(0x80 | (scalar & 0x3F)))
      return 2
    case 0x800..<0x10000:
      buffer.append(UInt8(0xE0 | (scalar >> 12)))
      buffer.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
      buffer.append(UInt8(0x80 | (scalar & 0x3F)))
      return 3
    default:
      buffer.append(UInt8(0xF0 | (scalar >> 18)))
      buffer.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
      buffer.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
      buffer.append(UInt8(0x80 | (scalar & 0x3F)))
      return 4
    }
  }
}
