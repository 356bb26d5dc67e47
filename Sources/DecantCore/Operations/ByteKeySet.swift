/// A set of byte strings with open addressing: keys are copied into one arena,
/// the table holds entry indexes. Used by dedupe (and profiles) to track keys
/// without building a `String` or an `Array` per key.
///
/// Memory: the key bytes plus about 24 bytes per distinct key.
public struct ByteKeySet {
  private var arena: [UInt8] = []
  private var starts: [Int] = [0]
  private var hashes: [UInt64] = []
  private var slots: [Int32]
  private var mask: Int

  public init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [Int32](repeating: -1, count: size)
    mask = size - 1
  }

  public var count: Int { hashes.count }

  /// Bytes held (for reporting memory).
  public var byteCount: Int { arena.count + starts.count * 8 + hashes.count * 8 + slots.count * 4 }

  /// Inserts `key`; returns true when it was not there before.
  public mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
    findOrInsert(key).inserted
  }

  /// The bytes of entry `index`.
  public func key(at index: Int) -> ArraySlice<UInt8> { arena[starts[index]..<starts[index + 1]] }

  /// The entry index of `key`, inserting it when new (indexes count up from 0).
  public mutating func findOrInsert(_ key: UnsafeBufferPointer<UInt8>) -> (index: Int, inserted: Bool) {
    let h = ByteKeySet.hash(key)
    var i = Int(truncatingIfNeeded: h) & mask
    while true {
      let e = Int(slots[i])
      if e < 0 { break }
      if hashes[e] == h {
        let s = starts[e]
        let n = starts[e + 1] - s
        if n == key.count {
          let equal = arena.withUnsafeBufferPointer { a in
            n == 0 || memcmp(a.baseAddress! + s, key.baseAddress!, n) == 0
          }
          if equal { return (e, false) }
        }
      }
      i = (i + 1) & mask
    }
    let index = hashes.count
    slots[i] = Int32(index)
    hashes.append(h)
    arena.append(contentsOf: key)
    starts.append(arena.count)
    if hashes.count * 4 >= slots.count * 3 { grow() }
    return (index, true)
  }

  private mutating func grow() {
    let size = slots.count * 2
    slots = [Int32](repeating: -1, count: size)
    mask = size - 1
    for (e, h) in hashes.enumerated() {
      var i = Int(truncatingIfNeeded: h) & mask
      while slots[i] >= 0 { i = (i + 1) & mask }
      slots[i] = Int32(e)
    }
  }

  /// A fast 64-bit hash of bytes (8 bytes at a time, multiply-xorshift mixing).
  @inlinable public static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
    var i = 0
    let n = key.count
    guard let base = key.baseAddress else { return mix(h) }
    while i + 8 <= n {
      let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
      h = mix(h ^ w) &* 0xBF58_476D_1CE4_E5B9
      i += 8
    }
    if i < n {
      var w: UInt64 = 0
      var shift: UInt64 = 0
      while i < n {
        w |= UInt64(base[i]) << shift
        shift += 8
        i += 1
      }
      h = mix(h ^ w) &* 0x94D0_49BB_1331_11EB
    }
    return mix(h)
  }

  @inlinable static func mix(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

#if canImport(Glibc)
  import Glibc
#endif
