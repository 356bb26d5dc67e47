/// A growable byte buffer that encoders write into through raw pointers:
/// `reserve` room, write, then `advance`. Each worker encodes into its own.
///
/// Its fields skip the run-time exclusivity checks a class's stored properties
/// get (they cost more than the writes themselves): a buffer belongs to one
/// thread and no method hands out access that could overlap another.
public final class ByteBuffer {
  @exclusivity(unchecked) public private(set) var storage: UnsafeMutablePointer<UInt8>
  @exclusivity(unchecked) public private(set) var capacity: Int
  @exclusivity(unchecked) public private(set) var count = 0

  public init(capacity: Int = 1 << 16) {
    self.capacity = max(16, capacity)
    storage = .allocate(capacity: self.capacity)
  }

  deinit { storage.deallocate() }

  @inline(__always) public func reserve(_ n: Int) -> UnsafeMutablePointer<UInt8> {
    if count + n > capacity { grow(to: count + n) }
    return storage + count
  }

  @inline(__always) public func advance(by n: Int) { count += n }

  /// Appends bytes.
  @inline(__always) public func write<C: Collection>(_ bytes: C) where C.Element == UInt8 {
    let n = bytes.count
    let p = reserve(n)
    _ = UnsafeMutableBufferPointer(start: p, count: n).initialize(from: bytes)
    count += n
  }

  private func grow(to needed: Int) {
    var size = capacity
    while size < needed { size *= 2 }
    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
    bigger.update(from: storage, count: count)
    storage.deallocate()
    storage = bigger
    capacity = size
  }

  /// Drops the bytes after the first `n`.
  @inline(__always) public func truncate(to n: Int) { count = min(count, n) }

  /// Empties the buffer, keeping its memory.
  public func removeAll() { count = 0 }

  /// The bytes written so far.
  public var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage, count: count) }
}
