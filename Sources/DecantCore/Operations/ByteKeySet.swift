import CSystem

#if canImport(Glibc)
  import Glibc
#endif

/// A set of byte strings for dedupe, mode and profiles, without a `String` or an
/// `Array` per key.
///
/// Keys live in 1 MiB pages, each as `[entry index: 4 bytes][length: varint][bytes]`;
/// the open-addressing table holds one 64-bit word per slot: a 24-bit hash
/// fingerprint and the key's location, so a probe rarely touches the pages and
/// nothing else is kept per key. Memory: the key bytes plus about 5 bytes each in
/// the pages, and 8 bytes per slot (the table stays at most 3/4 full), plus 8
/// bytes per key when `tracksIndexes` is on (for `key(at:)`). Copies of a set
/// share its pages: keep one copy (move it with `swap`, as dedupe does).
public struct ByteKeySet {
  /// The pages; freed with the set. Page pointers and fill levels are kept in raw
  /// buffers so the probe loop reads them without reference counting or access checks.
  private final class Pages {
    static let size = 1 << 20
    private(set) var table: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>>
    /// Bytes used in each page.
    private(set) var fill: UnsafeMutablePointer<Int>
    private var capacity = 16
    private(set) var count = 1
    private(set) var bytes = 0

    init() {
      table = .allocate(capacity: capacity)
      fill = .allocate(capacity: capacity)
      // Page 0 is never used, so no location is 0 (0 marks an empty slot).
      table[0] = .allocate(capacity: 1)
      fill[0] = Pages.size
    }

    deinit {
      for i in 0..<count { table[i].deallocate() }
      table.deallocate()
      fill.deallocate()
    }

    private func addPage(_ size: Int) {
      if count == capacity {
        let newTable = UnsafeMutablePointer<UnsafeMutablePointer<UInt8>>.allocate(capacity: capacity * 2)
        newTable.moveInitialize(from: table, count: count)
        table.deallocate()
        table = newTable
        let newFill = UnsafeMutablePointer<Int>.allocate(capacity: capacity * 2)
        newFill.moveInitialize(from: fill, count: count)
        fill.deallocate()
        fill = newFill
        capacity *= 2
      }
      table[count] = .allocate(capacity: size)
      fill[count] = 0
      count += 1
      bytes += size
    }

    /// Room for `n` bytes; returns the location (page << 20 | offset).
    func reserve(_ n: Int) -> UInt64 {
      if n > Pages.size {
        // A key larger than a page gets a page of its own.
        addPage(n)
        fill[count - 1] = n
        return UInt64(count - 1) << 20
      }
      if fill[count - 1] + n > Pages.size { addPage(Pages.size) }
      let location = UInt64(count - 1) << 20 | UInt64(fill[count - 1])
      fill[count - 1] += n
      return location
    }

    @inline(__always) func pointer(_ location: UInt64) -> UnsafeMutablePointer<UInt8> {
      Pages.pointer(location, in: table)
    }

    @inline(__always) static func pointer(
      _ location: UInt64, in table: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>>
    ) -> UnsafeMutablePointer<UInt8> {
      table[Int(location >> 20)] + Int(location & 0xFFFFF)
    }
  }

  /// The open-addressing table: zeroed memory; large tables come straight from
  /// `mmap` (already zero, untouched pages cost nothing) on huge pages where the
  /// system allows, since every probe of a big table is a random access.
  private final class Slots {
    let base: UnsafeMutablePointer<UInt64>
    let count: Int
    private let mapping: (address: UnsafeMutableRawPointer, length: Int)?
    private static let hugePage = 2 << 20

    init(count: Int) {
      self.count = count
      let bytes = count * 8
      if bytes >= 2 * Slots.hugePage {
        let length = bytes + Slots.hugePage
        let address = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        if let address, address != MAP_FAILED {
          let aligned = (Int(bitPattern: address) + Slots.hugePage - 1) & ~(Slots.hugePage - 1)
          _ = madvise(UnsafeMutableRawPointer(bitPattern: aligned), bytes, 14)  // MADV_HUGEPAGE
          mapping = (address, length)
          base = UnsafeMutablePointer(bitPattern: aligned)!
          return
        }
      }
      mapping = nil
      base = .allocate(capacity: count)
      base.initialize(repeating: 0, count: count)
    }

    deinit {
      if let mapping {
        munmap(mapping.address, mapping.length)
      } else {
        base.deallocate()
      }
    }
  }

  private var pages = Pages()
  private var slots: Slots
  private var mask: Int
  public private(set) var count = 0
  /// Entry index → location, kept only when asked for (mode and profiles read keys back).
  private var locations: [UInt64] = []
  public let tracksIndexes: Bool

  public init(capacity: Int = 1024, tracksIndexes: Bool = true) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = Slots(count: size)
    mask = size - 1
    self.tracksIndexes = tracksIndexes
  }

  /// Bytes held (for reporting memory).
  public var byteCount: Int { pages.bytes + slots.count * 8 + locations.count * 8 }

  /// Inserts `key`; returns true when it was not there before.
  public mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
    findOrInsert(key).inserted
  }

  /// The bytes of entry `index` (needs `tracksIndexes`).
  public func key(at index: Int) -> [UInt8] {
    precondition(tracksIndexes, "ByteKeySet.key(at:) needs tracksIndexes")
    let (start, length) = ByteKeySet.keyBytes(pages.pointer(locations[index]))
    return Array(UnsafeBufferPointer(start: start, count: length))
  }

  /// Calls `body` with the bytes of entry `index`, without copying them (needs `tracksIndexes`).
  public func withKey<R>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    precondition(tracksIndexes, "ByteKeySet.withKey(at:) needs tracksIndexes")
    let (start, length) = ByteKeySet.keyBytes(pages.pointer(locations[index]))
    return try body(UnsafeBufferPointer(start: start, count: length))
  }

  /// The key bytes of an entry that starts at `p` (after its index and length).
  @inline(__always) private static func keyBytes(_ p: UnsafeMutablePointer<UInt8>) -> (
    UnsafeMutablePointer<UInt8>, Int
  ) {
    var q = p + 4
    var length = 0
    var shift = 0
    while true {
      let b = q.pointee
      q += 1
      length |= Int(b & 0x7F) << shift
      if b < 0x80 { break }
      shift += 7
    }
    return (q, length)
  }

  /// The entry index of `key`, inserting it when new (indexes count up from 0).
  public mutating func findOrInsert(_ key: UnsafeBufferPointer<UInt8>) -> (index: Int, inserted: Bool) {
    findOrInsert(key, hash: ByteKeySet.hash(key))
  }

  /// Starts loading the slot a key with this hash probes first, so a lookup a
  /// few keys later finds it in cache.
  @inline(__always) public func prefetch(hash h: UInt64) {
    decant_prefetch(slots.base + (Int(truncatingIfNeeded: h) & mask))
  }

  /// Starts loading the entry that a key with this hash would meet first, when the
  /// slot (loaded by `prefetch(hash:)` some keys earlier) holds one with its fingerprint.
  @inline(__always) public func prefetchEntry(hash h: UInt64) {
    let slot = slots.base[Int(truncatingIfNeeded: h) & mask]
    if slot != 0 && slot & 0xFFFF_FF00_0000_0000 == h & 0xFFFF_FF00_0000_0000 {
      decant_prefetch(Pages.pointer(slot & 0xFF_FFFF_FFFF, in: pages.table))
    }
  }

  /// The entry index of `key`, or nil; reads only, so any number of threads may
  /// look up at once while nobody inserts.
  public func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? { find(key, hash: ByteKeySet.hash(key)) }

  /// `find` with the key's `hash(_:)` computed beforehand (and its slot perhaps prefetched).
  @inline(__always) public func find(_ key: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int? {
    let fingerprint = h & 0xFFFF_FF00_0000_0000
    var i = Int(truncatingIfNeeded: h) & mask
    let table = pages.table
    let slots = self.slots.base
    while true {
      let slot = slots[i]
      if slot == 0 { return nil }
      if slot & 0xFFFF_FF00_0000_0000 == fingerprint {
        let entry = Pages.pointer(slot & 0xFF_FFFF_FFFF, in: table)
        let (bytes, length) = ByteKeySet.keyBytes(entry)
        if length == key.count && ByteKeySet.equal(bytes, key.baseAddress, length) {
          return Int(UnsafeRawPointer(entry).loadUnaligned(as: UInt32.self))
        }
      }
      i = (i + 1) & mask
    }
  }

  /// `findOrInsert` with the key's `hash(_:)` computed beforehand.
  public mutating func findOrInsert(_ key: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> (
    index: Int, inserted: Bool
  ) {
    let fingerprint = h & 0xFFFF_FF00_0000_0000
    var i = Int(truncatingIfNeeded: h) & mask
    // Raw pointers only in the probe loop: holding a class reference here would
    // retain it, an atomic instruction that waits for the slot's cache miss and
    // so undoes the prefetching.
    let table = pages.table
    let slots = self.slots.base
    while true {
      let slot = slots[i]
      if slot == 0 { break }
      if slot & 0xFFFF_FF00_0000_0000 == fingerprint {
        let entry = Pages.pointer(slot & 0xFF_FFFF_FFFF, in: table)
        let (bytes, length) = ByteKeySet.keyBytes(entry)
        if length == key.count && ByteKeySet.equal(bytes, key.baseAddress, length) {
          return (Int(UnsafeRawPointer(entry).loadUnaligned(as: UInt32.self)), false)
        }
      }
      i = (i + 1) & mask
    }
    let index = count
    var lengthBytes = 1
    while key.count >> (7 * lengthBytes) > 0 { lengthBytes += 1 }
    let location = self.pages.reserve(4 + lengthBytes + key.count)
    let p = self.pages.pointer(location)
    UnsafeMutableRawPointer(p).storeBytes(of: UInt32(truncatingIfNeeded: index), as: UInt32.self)
    var n = key.count
    for k in 0..<lengthBytes {
      p[4 + k] = UInt8(n & 0x7F) | (k + 1 < lengthBytes ? 0x80 : 0)
      n >>= 7
    }
    if key.count > 0 { (p + 4 + lengthBytes).update(from: key.baseAddress!, count: key.count) }
    slots[i] = fingerprint | location
    if tracksIndexes { locations.append(location) }
    count += 1
    if count * 4 >= self.slots.count * 3 { grow() }
    return (index, true)
  }

  /// Makes room for `keys` keys without growing again (one rehash now instead of several later).
  public mutating func reserve(_ keys: Int) {
    while keys * 4 >= slots.count * 3 { grow() }
  }

  /// Doubles the table, rehashing each key from its bytes. Keys are read page by
  /// page in the order they were stored (sequential memory), not in slot order.
  private mutating func grow() {
    let size = slots.count * 2
    slots = Slots(count: size)
    mask = size - 1
    let pages = self.pages
    let mask = self.mask
    let slots = self.slots.base
    do {
      for page in 1..<pages.count {
        var offset = 0
        let end = pages.fill[page]
        let base = pages.table[page]
        while offset < end {
          let (bytes, length) = ByteKeySet.keyBytes(base + offset)
          let h = ByteKeySet.hash(UnsafeBufferPointer(start: bytes, count: length))
          var i = Int(truncatingIfNeeded: h) & mask
          while slots[i] != 0 { i = (i + 1) & mask }
          slots[i] = (h & 0xFFFF_FF00_0000_0000) | UInt64(page) << 20 | UInt64(offset)
          offset = bytes + length - base
        }
      }
    }
  }

  /// A fast 64-bit hash of bytes: 16 bytes per 64×64→128-bit multiply, folded
  /// (high half xor low half), then the length and a last fold so every output
  /// bit depends on every input bit. Keys of up to 8 bytes are read in two
  /// overlapping loads, without a loop.
  @inlinable public static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
    let n = key.count
    guard let p = key.baseAddress, n > 0 else { return fold(0xA076_1D64_78BD_642F, 0xE703_7ED1_A0B4_28DB) }
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15
    var a: UInt64
    var b: UInt64
    if n <= 16 {
      if n >= 8 {
        a = load64(p)
        b = load64(p + n - 8)
      } else if n >= 4 {
        a = load32(p)
        b = load32(p + n - 4)
      } else {
        a = UInt64(p[0]) << 16 | UInt64(p[n >> 1]) << 8 | UInt64(p[n - 1])
        b = 0
      }
    } else {
      var i = 0
      while i + 16 < n {
        h = fold(load64(p + i) ^ 0xE703_7ED1_A0B4_28DB, load64(p + i + 8) ^ h)
        i += 16
      }
      a = load64(p + n - 16)
      b = load64(p + n - 8)
    }
    h = fold(a ^ 0xA076_1D64_78BD_642F, b ^ h)
    return fold(h ^ 0x8EBC_6AF0_9C88_C6E3, UInt64(n) ^ 0x5899_65CC_7537_4CC3)
  }

  /// Whether `n` bytes at `a` and `b` are equal: keys of up to 64 bytes by word
  /// loads (the last one overlapping; no call), longer ones by `memcmp`.
  @inline(__always) static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>?, _ n: Int) -> Bool
  {
    guard n > 0, let b else { return true }
    if n >= 8 {
      if n > 64 { return memcmp(a, b, n) == 0 }
      var i = 0
      while i + 8 < n {
        if load64(a + i) != load64(b + i) { return false }
        i += 8
      }
      return load64(a + n - 8) == load64(b + n - 8)
    }
    if n >= 4 { return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4) }
    return a[0] == b[0] && a[n >> 1] == b[n >> 1] && a[n - 1] == b[n - 1]
  }

  /// The 128-bit product of two words, its halves xored.
  @inlinable @inline(__always) static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let (high, low) = a.multipliedFullWidth(by: b)
    return high ^ low
  }

  @inlinable @inline(__always) static func load64(_ p: UnsafePointer<UInt8>) -> UInt64 {
    UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
  }

  @inlinable @inline(__always) static func load32(_ p: UnsafePointer<UInt8>) -> UInt64 {
    UInt64(UnsafeRawPointer(p).loadUnaligned(as: UInt32.self))
  }

  @inlinable static func mix(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
