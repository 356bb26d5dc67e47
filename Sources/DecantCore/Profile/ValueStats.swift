import Foundation

/// What a profile learns from a column's values: their kinds, numbers, instants,
/// lengths and the lowest and highest text.
///
/// A value is added with how many times it occurs, so a profiler can read each
/// distinct value once and weigh it by its count.
struct ValueStats {
  /// Counts per `ValueKind.ordinal`.
  var kinds = [Int](repeating: 0, count: ValueKind.allCases.count)
  var numbers = NumberSummary()
  /// Dates and datetimes as seconds since the epoch; a value with an offset is read
  /// as the instant it names, one without as UTC wall-clock time.
  var instants = NumberSummary()
  /// Whether any date or datetime carried a UTC offset.
  var instantsHaveOffsets = false
  /// The text of the earliest and latest instants.
  var earliest: [UInt8]?
  var latest: [UInt8]?
  var lengthMin = Int.max
  var lengthMax = 0
  var lengthSum = 0
  var lowest: [UInt8]?
  var highest: [UInt8]?

  /// Non-null values added (with their counts).
  var valueCount: Int { kinds.reduce(0, +) }

  mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, count n: Int) {
    var instant: CivilDateTime? = nil
    let kind = ValueKind.classify(bytes, instant: &instant)
    kinds[kind.ordinal] += n
    switch kind {
    case .integer, .decimal:
      if let v = NumberText.parse(bytes) { numbers.add(v, count: n) }
    case .date, .datetime:
      if let t = instant {
        let seconds = Double(t.localSeconds - Int64(t.offset ?? 0)) + t.fractionSeconds
        if t.offset != nil { instantsHaveOffsets = true }
        if seconds < instants.min { earliest = Array(bytes) }
        if seconds > instants.max { latest = Array(bytes) }
        instants.add(seconds, count: n)
      }
    default: break
    }
    let length = Self.codePoints(bytes)
    lengthSum += length * n
    if length < lengthMin { lengthMin = length }
    if length > lengthMax { lengthMax = length }
    if lowest == nil || Self.compare(bytes, lowest!) < 0 { lowest = Array(bytes) }
    if highest == nil || Self.compare(bytes, highest!) > 0 { highest = Array(bytes) }
  }

  /// Adds the figures of another share of the same column.
  mutating func merge(_ other: ValueStats) {
    for i in kinds.indices { kinds[i] += other.kinds[i] }
    numbers.merge(other.numbers)
    if other.instants.count > 0 {
      if other.instants.min < instants.min { earliest = other.earliest }
      if other.instants.max > instants.max { latest = other.latest }
    }
    instants.merge(other.instants)
    instantsHaveOffsets = instantsHaveOffsets || other.instantsHaveOffsets
    lengthMin = Swift.min(lengthMin, other.lengthMin)
    lengthMax = Swift.max(lengthMax, other.lengthMax)
    lengthSum += other.lengthSum
    if let m = other.lowest, lowest == nil || m.lexicographicallyPrecedes(lowest!) { lowest = m }
    if let m = other.highest, highest == nil || highest!.lexicographicallyPrecedes(m) { highest = m }
  }

  /// The number of Unicode code points in UTF-8 bytes (bytes that are not 10xxxxxx),
  /// eight bytes at a time.
  @inline(__always) static func codePoints(_ b: UnsafeBufferPointer<UInt8>) -> Int {
    guard let base = b.baseAddress else { return 0 }
    let n = b.count
    var continuation = 0
    var i = 0
    while i + 8 <= n {
      let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
      // Bit 7 set and bit 6 (shifted up into bit 7's place) clear.
      continuation += (w & ~(w << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
      i += 8
    }
    while i < n {
      if base[i] & 0xC0 == 0x80 { continuation += 1 }
      i += 1
    }
    return n - continuation
  }

  /// Byte order of two values (negative, zero, positive), as `lexicographicallyPrecedes`.
  static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: [UInt8]) -> Int {
    b.withUnsafeBufferPointer { b in
      // Eight bytes at a time, as big-endian words, up to the first difference.
      if let pa = a.baseAddress, let pb = b.baseAddress {
        let m = Swift.min(a.count, b.count)
        var i = 0
        while i + 8 <= m {
          let x = UInt64(bigEndian: UnsafeRawPointer(pa + i).loadUnaligned(as: UInt64.self))
          let y = UInt64(bigEndian: UnsafeRawPointer(pb + i).loadUnaligned(as: UInt64.self))
          if x != y { return x < y ? -1 : 1 }
          i += 8
        }
        while i < m {
          if pa[i] != pb[i] { return Int(pa[i]) - Int(pb[i]) }
          i += 1
        }
        return a.count - b.count
      }
      let n = Swift.min(a.count, b.count)
      if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
        let r = memcmp(pa, pb, n)
        if r != 0 { return Int(r) }
      }
      return a.count - b.count
    }
  }
}
