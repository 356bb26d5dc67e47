#if canImport(Glibc)
  import Glibc
#endif

/// A fixed set of byte strings, each with its index, looked up by a cell's
/// bytes without building a key (`in` conditions, `map_values`).
///
/// Built once from a recipe's values and read-only after that, so any number of
/// threads may look up at once. Open addressing at most half full; memory is the
/// keys' bytes plus 8 bytes per key and 4 per slot.
///
/// Keys of up to eight bytes (codes, statuses, flags: most lookups) are also
/// kept packed in a word, so looking one up is one hash of a word and one
/// comparison, with no byte loop.
public struct ByteLookup: Sendable {
  /// All keys' bytes, one after another.
  private let bytes: [UInt8]
  /// Each key's start in `bytes`; key k spans `starts[k]..<starts[k + 1]`.
  private let starts: [Int]
  /// Each key of up to eight bytes packed in a word (`packed(_:)`); 0 for longer keys.
  private let words: [UInt64]
  /// Slot → key index + 1 (0: empty).
  private let slots: [Int32]
  private let mask: Int
  /// The length of the longest key (longer cells are looked up at no cost).
  public let maxLength: Int

  /// The keys in order; a repeated key keeps its first index.
  public init(_ keys: [[UInt8]]) {
    var bytes: [UInt8] = []
    var starts = [0]
    for k in keys {
      bytes += k
      starts.append(bytes.count)
    }
    var size = 8
    while size < keys.count * 2 { size *= 2 }
    var slots = [Int32](repeating: 0, count: size)
    let mask = size - 1
    var words = [UInt64](repeating: 0, count: keys.count)
    bytes.withUnsafeBufferPointer { all in
      for k in keys.indices {
        let key = UnsafeBufferPointer(rebasing: all[starts[k]..<starts[k + 1]])
        if key.count <= 8 { words[k] = Self.packed(key) }
        var s = Self.hash(key) & mask
        var duplicate = false
        while slots[s] != 0 {
          let other = Int(slots[s]) - 1
          if UnsafeBufferPointer(rebasing: all[starts[other]..<starts[other + 1]]).elementsEqual(key) {
            duplicate = true
            break
          }
          s = (s + 1) & mask
        }
        if !duplicate { slots[s] = Int32(k + 1) }
      }
    }
    self.bytes = bytes
    self.starts = starts
    self.words = words
    self.slots = slots
    self.mask = mask
    self.maxLength = keys.map(\.count).max() ?? 0
  }

  public init(strings: [String]) { self.init(strings.map { Array($0.utf8) }) }

  public var count: Int { starts.count - 1 }

  /// The bytes of a key of up to eight bytes in one word, its length in the top
  /// byte when it is shorter than eight (so "a" and "a\0" differ); an eight-byte
  /// key fills the word, and a key's length is compared apart.
  @inline(__always) static func packed(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
    let n = key.count
    guard let p = key.baseAddress else { return 0 }
    let raw = UnsafeRawPointer(p)
    var w: UInt64
    var i = 0
    if n == 8 { return raw.loadUnaligned(as: UInt64.self) }
    w = 0
    if n & 4 != 0 {
      w = UInt64(raw.loadUnaligned(as: UInt32.self))
      i = 4
    }
    if n & 2 != 0 {
      w |= UInt64(raw.loadUnaligned(fromByteOffset: i, as: UInt16.self)) << (8 * UInt64(i))
      i += 2
    }
    if n & 1 != 0 { w |= UInt64(p[i]) << (8 * UInt64(i)) }
    return w | UInt64(n) << 56
  }

  /// The slot a key starts probing at: short keys hash their packed word.
  @inline(__always) static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
    if key.count <= 8 {
      return Int(truncatingIfNeeded: ByteKeySet.mix(packed(key) ^ 0x9E37_79B9_7F4A_7C15))
    }
    return Int(truncatingIfNeeded: ByteKeySet.hash(key))
  }

  /// The index of the key equal to `key`, or nil.
  public func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
    let n = key.count
    if n > maxLength || count == 0 { return nil }
    if n <= 8 {
      let word = Self.packed(key)
      return words.withUnsafeBufferPointer { words -> Int? in
        starts.withUnsafeBufferPointer { starts -> Int? in
          slots.withUnsafeBufferPointer { slots -> Int? in
            var s = Int(truncatingIfNeeded: ByteKeySet.mix(word ^ 0x9E37_79B9_7F4A_7C15)) & mask
            while true {
              let entry = Int(slots[s])
              if entry == 0 { return nil }
              let k = entry - 1
              if words[k] == word && starts[k + 1] - starts[k] == n { return k }
              s = (s + 1) & mask
            }
          }
        }
      }
    }
    return bytes.withUnsafeBufferPointer { all -> Int? in
      slots.withUnsafeBufferPointer { slots -> Int? in
        var s = Self.hash(key) & mask
        while true {
          let entry = Int(slots[s])
          if entry == 0 { return nil }
          let k = entry - 1
          let start = starts[k]
          let end = starts[k + 1]
          if end - start == n && memcmp(all.baseAddress! + start, key.baseAddress!, n) == 0 {
            return k
          }
          s = (s + 1) & mask
        }
      }
    }
  }
}
