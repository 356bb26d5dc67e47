/// A set of byte strings with open addressing: keys are copied into one arena,
/// the table holds entry indexes. Used by dedupe (and profiles) to track keys
/// without building a `String` or an `Array` per key.
///
/// Memory: the key bytes plus about 24 bytes per distinct key.
public struct ByteKeySet {
  private var arena: [UInt8] = []
  private var starts: [Int] = [0]
  private var hashes: [UInt64] = []
  /// Each slot: the hash's top 32 bits and entry index + 1 (0 = empty), so most
  /// probes are answered without touching the entries.
  private var slots: [UInt64]
  private var mask: Int

  public init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [UInt64](repeating: 0, count: size)
    mask = size - 1
  }

  public var count: Int { hashes.count }

  /// Bytes held (for reporting memory).
  public var byteCount: Int { arena.count + starts.count * 8 + hashes.count * 8 + slots.count * 8 }

  /// Inserts `key`; returns true when it was not there before.
  public mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
    findOrInsert(key).inserted
  }

  /// The bytes of entry `index`.
  public func key(at index: Int) -> ArraySlice<UInt8> { arena[starts[index]..<starts[index + 1]] }

  /// The entry index of `key`, inserting it when new (indexes count up from 0).
  public mutating func findOrInsert(_ key: UnsafeBufferPointer<UInt8>) -> (index: Int, inserted: Bool) {
    let h = ByteKeySet.hash(key)
    let fingerprint = h & 0xFFFF_FFFF_0000_0000
    var i = Int(truncatingIfNeeded: h) & mask
    let found: Int? = slots.withUnsafeBufferPointer { slots in
      while true {
        let slot = slots[i]
        if slot == 0 { return nil }
        if slot & 0xFFFF_FFFF_0000_0000 == fingerprint {
          let e = Int(slot & 0xFFFF_FFFF) - 1
          let s = starts[e]
          let n = starts[e + 1] - s
          if n == key.count {
            let equal = arena.withUnsafeBufferPointer { a in
              n == 0 || memcmp(a.baseAddress! + s, key.baseAddress!, n) == 0
            }
            if equal { return e }
          }
        }
        i = (i + 1) & mask
      }
    }
    if let found { return (found, false) }
    let index = hashes.count
    slots[i] = fingerprint | UInt64(index + 1)
    hashes.append(h)
    arena.append(contentsOf: key)
    starts.append(arena.count)
    if hashes.count * 4 >= slots.count * 3 { grow() }
    return (index, true)
  }

  private mutating func grow() {
    let size = slots.count * 2
    slots = [UInt64](repeating: 0, count: size)
    mask = size - 1
    for (e, h) in hashes.enumerated() {
      var i = Int(truncatingIfNeeded: h) & mask
      while slots[i] != 0 { i = (i + 1) & mask }
      slots[i] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(e + 1)
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
