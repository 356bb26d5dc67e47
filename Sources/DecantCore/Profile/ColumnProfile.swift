import Foundation

/// Statistics of one column: inferred type, nulls, distinct values, range, top values.
public struct ColumnProfile: Sendable {
  public var name: String
  public var kind: ValueKind = .empty
  /// Share of non-null values that are of `kind` (below 1 when a few values do not fit).
  public var kindShare: Double = 1
  public var count = 0
  public var nulls = 0
  /// Distinct non-null values; a lower bound when `distinctIsExact` is false.
  public var distinct = 0
  public var distinctIsExact = true
  public var min: String?
  public var max: String?
  /// Most frequent values with their counts, most frequent first (ties: first seen).
  public var top: [(value: String, count: Int)] = []
  /// Counts per bucket over [min, max] for numeric columns (empty otherwise).
  public var histogram: [Int] = []
  /// p1, p25, p50, p75, p99 of numeric columns (empty otherwise).
  public var percentiles: [Double] = []
  public var mean: Double?
  /// Sample standard deviation (n − 1).
  public var stddev: Double?
  /// Values below p25 − 1.5·IQR or above p75 + 1.5·IQR (numeric columns).
  public var outliers: Int?
  /// Shortest, longest and mean length in characters (Unicode code points) of text columns.
  public var lengths: (min: Int, max: Int, mean: Double)?
  /// Non-null values that do not look like `kind`.
  public var otherTypeCount = 0
  /// Whether histogram and percentiles are exact (false: from a bounded grid, see README).
  public var figuresExact = true

  public static let percentileLevels: [Double] = [1, 25, 50, 75, 99]

  public init(name: String) { self.name = name }

  public var nullShare: Double { count == 0 ? 0 : Double(nulls) / Double(count) }

  public var json: JSONValue {
    func n(_ v: Int) -> JSONValue { .number(String(v)) }
    func d(_ v: Double) -> JSONValue { v.isFinite ? .number("\(v)") : .null }
    var fields: [(String, JSONValue)] = [
      ("name", .string(name)), ("type", .string(kind.rawValue)),
      ("type_share", .number(String(Double(Int(kindShare * 1000)) / 1000))), ("count", n(count)),
      ("nulls", n(nulls)),
      ("distinct", n(distinct)), ("distinct_exact", .bool(distinctIsExact)),
    ]
    fields.append(("min", min.map { .string($0) } ?? .null))
    fields.append(("max", max.map { .string($0) } ?? .null))
    let topValues: [JSONValue] = top.map { .object([("value", .string($0.value)), ("count", n($0.count))]) }
    fields.append(("top", .array(topValues)))
    fields.append(("other_type_count", n(otherTypeCount)))
    fields.append(("histogram", .array(histogram.map(n))))
    var levels: [(String, JSONValue)] = []
    for (level, value) in zip(Self.percentileLevels, percentiles) {
      levels.append(("p\(Int(level))", d(value)))
    }
    fields.append(("percentiles", percentiles.isEmpty ? .null : .object(levels)))
    fields.append(("percentiles_exact", .bool(figuresExact)))
    fields.append(("mean", mean.map(d) ?? .null))
    fields.append(("stddev", stddev.map(d) ?? .null))
    fields.append(("outliers", outliers.map(n) ?? .null))
    if let l = lengths {
      fields.append(("lengths", .object([("min", n(l.min)), ("max", n(l.max)), ("mean", d(l.mean))])))
    } else {
      fields.append(("lengths", .null))
    }
    return .object(fields)
  }
}

/// Builds column profiles from batches in one pass.
///
/// Memory: distinct values are counted exactly up to `distinctLimit` per column
/// (their bytes plus about 32 bytes each); past that, new values are no longer
/// tracked and the distinct count becomes a lower bound.
public final class ColumnProfiler {
  public let names: [String]
  public let nulls: NullValues
  public let distinctLimit: Int
  private var profiles: [ColumnProfile]
  private var sets: [ByteKeySet]
  private var frequencies: [[Int]]
  private var minText: [[UInt8]?]
  private var maxText: [[UInt8]?]
  private var numbers: [NumberSummary]
  private var kindCounts: [[ValueKind: Int]]
  private var lengthMin: [Int]
  private var lengthMax: [Int]
  private var lengthSum: [Int]

  public init(names: [String], nullValues: NullValues = NullValues(), distinctLimit: Int = 100_000) {
    self.names = names
    self.nulls = nullValues
    self.distinctLimit = distinctLimit
    profiles = names.map { ColumnProfile(name: $0) }
    sets = names.map { _ in ByteKeySet() }
    frequencies = names.map { _ in [] }
    minText = names.map { _ in nil }
    maxText = names.map { _ in nil }
    numbers = names.map { _ in NumberSummary() }
    lengthMin = names.map { _ in Int.max }
    lengthMax = names.map { _ in 0 }
    lengthSum = names.map { _ in 0 }
    kindCounts = names.map { _ in [:] }
  }

  public func add(_ batch: Batch) {
    batch.arena.withUnsafeBufferPointer { arena in
      for c in 0..<min(names.count, batch.columnCount) {
        // Counters live in locals for the column and are stored back after it.
        var nullCount = 0
        var kinds = [Int](repeating: 0, count: ValueKind.allCases.count)
        var lengthTotal = 0
        var shortest = lengthMin[c]
        var longest = lengthMax[c]
        var lowest = minText[c]
        var highest = maxText[c]
        let full = sets[c].count >= distinctLimit
        var hashes: [UInt64] = []
        var pending: [Int] = []
        if full {
          hashes.reserveCapacity(batch.rowCount)
          pending.reserveCapacity(batch.rowCount)
        }
        defer {
          profiles[c].count += batch.rowCount
          profiles[c].nulls += nullCount
          for (i, n) in kinds.enumerated() where n > 0 {
            kindCounts[c][ValueKind.allCases[i], default: 0] += n
          }
          lengthSum[c] += lengthTotal
          lengthMin[c] = shortest
          lengthMax[c] = longest
          minText[c] = lowest
          maxText[c] = highest
        }
        for r in 0..<batch.rowCount {
          let cell = batch.columns[c][r]
          if nulls.isNull(cell, in: batch) {
            nullCount += 1
            continue
          }
          let bytes = UnsafeBufferPointer(rebasing: arena[Int(cell.start)..<cell.end])
          let kind = ValueKind.classify(bytes)
          kinds[kind.ordinal] += 1
          if kind == .integer || kind == .decimal, let v = NumberText.parse(bytes) {
            numbers[c].add(v)
          }
          var length = 0
          for b in bytes where b & 0xC0 != 0x80 { length += 1 }
          lengthTotal += length
          if length < shortest { shortest = length }
          if length > longest { longest = length }
          if lowest == nil || Self.compare(bytes, lowest!) < 0 { lowest = Array(bytes) }
          if highest == nil || Self.compare(bytes, highest!) > 0 { highest = Array(bytes) }
          if full {
            hashes.append(ByteKeySet.hash(bytes))
            pending.append(r)
          } else if sets[c].count < distinctLimit {
            let (i, inserted) = sets[c].findOrInsert(bytes)
            if inserted { frequencies[c].append(1) } else { frequencies[c][i] += 1 }
          } else if let i = sets[c].find(bytes) {
            frequencies[c][i] += 1
          } else {
            profiles[c].distinctIsExact = false
          }
        }
        // A full set is only looked up: the slots of values a few rows ahead are
        // loaded while this one is probed.
        let ahead = 8
        for k in 0..<Swift.min(ahead, hashes.count) { sets[c].prefetch(hash: hashes[k]) }
        for k in pending.indices {
          if k + ahead < hashes.count { sets[c].prefetch(hash: hashes[k + ahead]) }
          let cell = batch.columns[c][pending[k]]
          let bytes = UnsafeBufferPointer(rebasing: arena[Int(cell.start)..<cell.end])
          if let i = sets[c].find(bytes, hash: hashes[k]) {
            frequencies[c][i] += 1
          } else {
            profiles[c].distinctIsExact = false
          }
        }
      }
    }
  }

  /// Byte order of two values (negative, zero, positive), as `lexicographicallyPrecedes`.
  private static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: [UInt8]) -> Int {
    b.withUnsafeBufferPointer { b in
      let n = Swift.min(a.count, b.count)
      if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
        let r = memcmp(pa, pb, n)
        if r != 0 { return Int(r) }
      }
      return a.count - b.count
    }
  }

  /// Adds the figures of another profiler over the same columns (another share of the rows,
  /// later in the file than this one's).
  public func merge(_ other: ColumnProfiler) {
    for c in names.indices {
      profiles[c].count += other.profiles[c].count
      profiles[c].nulls += other.profiles[c].nulls
      if !other.profiles[c].distinctIsExact { profiles[c].distinctIsExact = false }
      let keys = other.sets[c]
      for i in 0..<keys.count {
        let key = keys.key(at: i)
        let count = other.frequencies[c][i]
        key.withUnsafeBufferPointer { bytes in
          if sets[c].count < distinctLimit {
            let (j, inserted) = sets[c].findOrInsert(bytes)
            if inserted { frequencies[c].append(count) } else { frequencies[c][j] += count }
          } else if let j = sets[c].find(bytes) {
            frequencies[c][j] += count
          } else {
            profiles[c].distinctIsExact = false
          }
        }
      }
      numbers[c].merge(other.numbers[c])
      for (kind, n) in other.kindCounts[c] { kindCounts[c][kind, default: 0] += n }
      if let m = other.minText[c], minText[c] == nil || m.lexicographicallyPrecedes(minText[c]!) {
        minText[c] = m
      }
      if let m = other.maxText[c], maxText[c] == nil || maxText[c]!.lexicographicallyPrecedes(m) {
        maxText[c] = m
      }
      lengthMin[c] = Swift.min(lengthMin[c], other.lengthMin[c])
      lengthMax[c] = Swift.max(lengthMax[c], other.lengthMax[c])
      lengthSum[c] += other.lengthSum[c]
    }
  }

  /// The finished profiles.
  public func finish(top: Int = 5, histogramBuckets: Int = 10) -> [ColumnProfile] {
    var out = profiles
    for c in out.indices {
      (out[c].kind, out[c].kindShare) = ValueKind.dominant(kindCounts[c])
      out[c].distinct = sets[c].count
      let numeric = out[c].kind == .integer || out[c].kind == .decimal
      let valued = kindCounts[c].filter { $0.key != .empty }.values.reduce(0, +)
      out[c].otherTypeCount = valued - Int((out[c].kindShare * Double(valued)).rounded())
      let summary = numbers[c]
      if numeric, summary.count > 0 {
        out[c].min = NumberText.format(summary.min)
        out[c].max = NumberText.format(summary.max)
        out[c].histogram = summary.histogram(buckets: histogramBuckets)
        out[c].percentiles = summary.percentiles(ColumnProfile.percentileLevels)
        out[c].mean = summary.meanValue
        out[c].stddev = summary.standardDeviation
        out[c].outliers = summary.outliers()
        out[c].figuresExact = summary.isExact
      } else {
        if valued > 0 && out[c].kind == .text {
          out[c].lengths = (lengthMin[c], lengthMax[c], Double(lengthSum[c]) / Double(valued))
        }
        out[c].min = minText[c].map { String(decoding: $0, as: UTF8.self) }
        out[c].max = maxText[c].map { String(decoding: $0, as: UTF8.self) }
      }
      let order = frequencies[c].indices.sorted {
        frequencies[c][$0] > frequencies[c][$1] || (frequencies[c][$0] == frequencies[c][$1] && $0 < $1)
      }
      out[c].top = order.prefix(top).map {
        (String(decoding: sets[c].key(at: $0), as: UTF8.self), frequencies[c][$0])
      }
    }
    return out
  }
}
