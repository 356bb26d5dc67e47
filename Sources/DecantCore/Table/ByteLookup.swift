#if canImport(Glibc)
  import Glibc
#endif

/// A fixed set of byte strings, each with its index, looked up by a cell's
/// bytes without building a key (`in` conditions, `map_values`).
///
/// Built once from a recipe's values and read-only after that, so any number of
/// threads may look up at once. Open addressing at most half full; memory is the
/// keys' bytes plus 8 bytes per slot.
public struct ByteLookup: Sendable {
  /// All keys' bytes, one after another.
  private let bytes: [UInt8]
  /// Each key's start in `bytes`; key k spans `starts[k]..<starts[k + 1]`.
  private let starts: [Int]
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
    bytes.withUnsafeBufferPointer { all in
      for k in keys.indices {
        let key = UnsafeBufferPointer(rebasing: all[starts[k]..<starts[k + 1]])
        var s = Int(truncatingIfNeeded: ByteKeySet.hash(key)) & mask
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
    self.slots = slots
    self.mask = mask
    self.maxLength = keys.map(\.count).max() ?? 0
  }

  public init(strings: [String]) { self.init(strings.map { Array($0.utf8) }) }

  public var count: Int { starts.count - 1 }

  /// The index of the key equal to `key`, or nil.
  public func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
    if key.count > maxLength || count == 0 { return nil }
    return bytes.withUnsafeBufferPointer { all -> Int? in
      slots.withUnsafeBufferPointer { slots -> Int? in
        var s = Int(truncatingIfNeeded: ByteKeySet.hash(key)) & mask
        while true {
          let entry = Int(slots[s])
          if entry == 0 { return nil }
          let k = entry - 1
          let start = starts[k]
          let end = starts[k + 1]
          if end - start == key.count
            && (key.count == 0 || memcmp(all.baseAddress! + start, key.baseAddress!, key.count) == 0)
          {
            return k
          }
          s = (s + 1) & mask
        }
      }
    }
  }
}
