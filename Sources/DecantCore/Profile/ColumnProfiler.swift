import CSystem
import Foundation

/// Builds column profiles from batches in one pass.
///
/// Each column counts its distinct values in a `ByteKeySet`, and every other
/// figure (kinds, numbers, dates, lengths, min and max) is read from each distinct
/// value once, weighted by its count, when the profile is finished. So a cell
/// costs a hash and a table probe, and a column of few distinct values is as cheap
/// to profile as to read.
///
/// Memory: distinct values are kept up to `distinctLimit` per column (their bytes
/// plus about 32 bytes each). A value that finds the set full is measured as it
/// comes and goes into a `DistinctSketch`, which then gives the distinct count
/// (an estimate); top values are then counted among the values the set holds.
public final class ColumnProfiler {
  public let names: [String]
  public let nulls: NullValues
  public let distinctLimit: Int
  /// One state per column, in raw memory: the hot loop mutates it in place, with
  /// neither exclusivity checks nor copies.
  private let states: UnsafeMutablePointer<ColumnState>
  // Scratch buffers of `add`, kept between batches.
  private var rows: [Int32] = []
  private var hashes: [UInt64] = []

  /// How far ahead the probe loop loads slots and the entries they point to.
  static let slotsAhead = 32
  static let entriesAhead = 16

  /// How many of the most frequent values a full set of mostly unique values keeps counting.
  static let keptWhenFull = 4096

  private struct ColumnState {
    var count = 0
    var nulls = 0
    var distinct = ByteKeySet()
    var frequencies: [Int] = []
    /// How many values the set may hold: the profiler's limit, then `keptWhenFull`.
    var limit: Int
    /// Values the full set did not take, measured as they came.
    var outside = ValueStats()
    /// Every distinct value, once some did not fit in the set.
    var sketch: DistinctSketch?

    /// Counts a value the full set does not hold.
    mutating func addOutside(_ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt64, count n: Int) {
      if sketch == nil { startSketch() }
      sketch!.add(hash: h)
      outside.add(bytes, count: n)
    }

    /// Makes a full set small: keeps its `keep` most frequent values, whose counts
    /// stay exact (each was counted from its first occurrence), and measures the
    /// others now with the counts they have. Later lookups then probe a table that
    /// stays in cache.
    mutating func shrink(keeping keep: Int) {
      let f = frequencies
      let order = f.indices.sorted { f[$0] > f[$1] || (f[$0] == f[$1] && $0 < $1) }
      var kept = ByteKeySet(capacity: keep)
      var keptCounts: [Int] = []
      keptCounts.reserveCapacity(keep)
      for (rank, i) in order.enumerated() {
        distinct.withKey(at: i) { key in
          if rank < keep {
            _ = kept.findOrInsert(key)
            keptCounts.append(f[i])
          } else {
            outside.add(key, count: f[i])
          }
        }
      }
      distinct = kept
      frequencies = keptCounts
      limit = kept.count
    }

    mutating func startSketch() {
      var sketch = DistinctSketch()
      for i in 0..<distinct.count {
        distinct.withKey(at: i) { sketch.add(hash: ByteKeySet.hash($0)) }
      }
      self.sketch = sketch
    }
  }

  public init(names: [String], nullValues: NullValues = NullValues(), distinctLimit: Int = 100_000) {
    self.names = names
    self.nulls = nullValues
    self.distinctLimit = distinctLimit
    states = .allocate(capacity: names.count)
    for c in names.indices { (states + c).initialize(to: ColumnState(limit: distinctLimit)) }
  }

  deinit {
    states.deinitialize(count: names.count)
    states.deallocate()
  }

  public func add(_ batch: Batch) {
    batch.arena.withUnsafeBufferPointer { arena in
      for c in 0..<min(names.count, batch.columnCount) {
        batch.columns[c].withUnsafeBufferPointer { add(column: $0, arena: arena, state: states + c) }
      }
    }
  }

  private func add(
    column: UnsafeBufferPointer<Cell>, arena: UnsafeBufferPointer<UInt8>,
    state s: UnsafeMutablePointer<ColumnState>
  ) {
    s.pointee.count += column.count
    // The non-null values' hashes first, so the set's slots can be loaded ahead.
    // The buffers are moved out of the object for the loop (no access checks).
    var rows = self.rows
    var hashes = self.hashes
    self.rows = []
    self.hashes = []
    defer {
      self.rows = rows
      self.hashes = hashes
    }
    rows.removeAll(keepingCapacity: true)
    hashes.removeAll(keepingCapacity: true)
    for r in column.indices {
      let cell = column[r]
      if nulls.isNull(cell, arena: arena) { continue }
      rows.append(Int32(truncatingIfNeeded: r))
      hashes.append(ByteKeySet.hash(UnsafeBufferPointer(rebasing: arena[Int(cell.start)..<cell.end])))
    }
    s.pointee.nulls += column.count - rows.count
    // First each value's entry in the set (-1: counted outside it), with the slots
    // loaded `slotsAhead` values ahead and the entries they point to `entriesAhead`; then the
    // counts, loaded 32 ahead. A large set is probed at memory speed, not latency.
    let n = rows.count
    for k in 0..<Swift.min(Self.slotsAhead, n) { s.pointee.distinct.prefetch(hash: hashes[k]) }
    for k in 0..<Swift.min(Self.entriesAhead, n) { s.pointee.distinct.prefetchEntry(hash: hashes[k]) }
    let entries = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n)
    defer { entries.deallocate() }
    var counted = 0
    func countEntries(upTo end: Int) {
      let added = s.pointee.distinct.count - s.pointee.frequencies.count
      if added > 0 { s.pointee.frequencies.append(contentsOf: repeatElement(0, count: added)) }
      s.pointee.frequencies.withUnsafeMutableBufferPointer { f in
        for k in counted..<end {
          if k + 32 < end, entries[k + 32] >= 0 { decant_prefetch(f.baseAddress! + Int(entries[k + 32])) }
          let e = Int(entries[k])
          if e >= 0 { f[e] += 1 }
        }
      }
      counted = end
    }
    for k in 0..<n {
      if k + Self.slotsAhead < n { s.pointee.distinct.prefetch(hash: hashes[k + Self.slotsAhead]) }
      if k + Self.entriesAhead < n { s.pointee.distinct.prefetchEntry(hash: hashes[k + Self.entriesAhead]) }
      let cell = column[Int(rows[k])]
      let bytes = UnsafeBufferPointer(rebasing: arena[Int(cell.start)..<cell.end])
      let h = hashes[k]
      if s.pointee.distinct.count < s.pointee.limit {
        entries[k] = Int32(truncatingIfNeeded: s.pointee.distinct.findOrInsert(bytes, hash: h).index)
      } else if let i = s.pointee.distinct.find(bytes, hash: h) {
        entries[k] = Int32(truncatingIfNeeded: i)
      } else {
        if s.pointee.sketch == nil {
          // The set just filled up. When most values so far were new ones, later
          // values will mostly miss it too: it keeps only its most frequent values,
          // so that the lookups stay in cache.
          countEntries(upTo: k)
          s.pointee.startSketch()
          if s.pointee.frequencies.reduce(0, +) < 2 * s.pointee.distinct.count {
            s.pointee.shrink(keeping: Self.keptWhenFull)
          }
        }
        entries[k] = -1
        s.pointee.addOutside(bytes, hash: h, count: 1)
      }
    }
    countEntries(upTo: n)
  }

  /// Adds the figures of another profiler over the same columns (another share of the rows,
  /// later in the file than this one's).
  public func merge(_ other: ColumnProfiler) {
    for c in names.indices {
      let s = states + c
      let o = other.states + c
      s.pointee.count += o.pointee.count
      s.pointee.nulls += o.pointee.nulls
      s.pointee.outside.merge(o.pointee.outside)
      if let sketch = o.pointee.sketch {
        if s.pointee.sketch == nil { s.pointee.startSketch() }
        s.pointee.sketch!.merge(sketch)
      }
      for i in 0..<o.pointee.distinct.count {
        let n = o.pointee.frequencies[i]
        o.pointee.distinct.withKey(at: i) { bytes in
          let h = ByteKeySet.hash(bytes)
          if s.pointee.distinct.count < s.pointee.limit {
            let (j, inserted) = s.pointee.distinct.findOrInsert(bytes, hash: h)
            if inserted { s.pointee.frequencies.append(n) } else { s.pointee.frequencies[j] += n }
            // A sketch covers every value, the set's included.
            if inserted && s.pointee.sketch != nil { s.pointee.sketch!.add(hash: h) }
          } else if let j = s.pointee.distinct.find(bytes, hash: h) {
            s.pointee.frequencies[j] += n
          } else {
            s.pointee.addOutside(bytes, hash: h, count: n)
          }
        }
      }
    }
  }

  /// The finished profiles.
  public func finish(top: Int = 5, histogramBuckets: Int = 10) -> [ColumnProfile] {
    names.indices.map { c in
      let s = states[c]
      var stats = s.outside
      for i in 0..<s.distinct.count {
        s.distinct.withKey(at: i) { stats.add($0, count: s.frequencies[i]) }
      }
      var p = ColumnProfile(name: names[c])
      p.count = s.count
      p.nulls = s.nulls
      p.distinct = s.sketch.map { Swift.max($0.estimate, s.distinct.count) } ?? s.distinct.count
      p.distinctIsExact = s.sketch == nil
      p.topIsExact = s.sketch == nil
      p.describe(stats, histogramBuckets: histogramBuckets)
      let f = s.frequencies
      let order = f.indices.sorted { f[$0] > f[$1] || (f[$0] == f[$1] && $0 < $1) }
      p.top = order.prefix(top).map { (String(decoding: s.distinct.key(at: $0), as: UTF8.self), f[$0]) }
      return p
    }
  }
}
