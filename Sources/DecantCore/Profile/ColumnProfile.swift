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

  public init(name: String) { self.name = name }

  public var nullShare: Double { count == 0 ? 0 : Double(nulls) / Double(count) }

  public var json: JSONValue {
    func n(_ v: Int) -> JSONValue { .number(String(v)) }
    return .object([
      ("name", .string(name)), ("type", .string(kind.rawValue)),
      ("type_share", .number(String(Double(Int(kindShare * 1000)) / 1000))), ("count", n(count)),
      ("nulls", n(nulls)),
      ("distinct", n(distinct)), ("distinct_exact", .bool(distinctIsExact)),
      ("min", min.map { .string($0) } ?? .null), ("max", max.map { .string($0) } ?? .null),
      ("top", .array(top.map { .object([("value", .string($0.value)), ("count", n($0.count))]) })),
    ])
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
  private var minNumber: [Double?]
  private var maxNumber: [Double?]
  private var minText: [[UInt8]?]
  private var maxText: [[UInt8]?]
  private var numbers: [[Double]]
  private var kindCounts: [[ValueKind: Int]]
  private let histogramSampleLimit = 100_000

  public init(names: [String], nullValues: NullValues = NullValues(), distinctLimit: Int = 100_000) {
    self.names = names
    self.nulls = nullValues
    self.distinctLimit = distinctLimit
    profiles = names.map { ColumnProfile(name: $0) }
    sets = names.map { _ in ByteKeySet() }
    frequencies = names.map { _ in [] }
    minNumber = names.map { _ in nil }
    maxNumber = names.map { _ in nil }
    minText = names.map { _ in nil }
    maxText = names.map { _ in nil }
    numbers = names.map { _ in [] }
    kindCounts = names.map { _ in [:] }
  }

  public func add(_ batch: Batch) {
    batch.arena.withUnsafeBufferPointer { arena in
      for c in 0..<min(names.count, batch.columnCount) {
        for r in 0..<batch.rowCount {
          let cell = batch.columns[c][r]
          profiles[c].count += 1
          if nulls.isNull(cell, in: batch) {
            profiles[c].nulls += 1
            continue
          }
          let bytes = UnsafeBufferPointer(rebasing: arena[Int(cell.start)..<cell.end])
          let kind = ValueKind.classify(bytes)
          kindCounts[c][kind, default: 0] += 1
          if kind == .integer || kind == .decimal, let v = NumberText.parse(bytes) {
            if minNumber[c] == nil || v < minNumber[c]! { minNumber[c] = v }
            if maxNumber[c] == nil || v > maxNumber[c]! { maxNumber[c] = v }
            if numbers[c].count < histogramSampleLimit { numbers[c].append(v) }
          }
          if minText[c] == nil || bytes.lexicographicallyPrecedes(minText[c]!) { minText[c] = Array(bytes) }
          if maxText[c] == nil || maxText[c]!.lexicographicallyPrecedes(bytes) { maxText[c] = Array(bytes) }
          if sets[c].count < distinctLimit {
            let (i, inserted) = sets[c].findOrInsert(bytes)
            if inserted { frequencies[c].append(1) } else { frequencies[c][i] += 1 }
          } else {
            profiles[c].distinctIsExact = false
          }
        }
      }
    }
  }

  /// The finished profiles.
  public func finish(top: Int = 5, histogramBuckets: Int = 10) -> [ColumnProfile] {
    var out = profiles
    for c in out.indices {
      (out[c].kind, out[c].kindShare) = ValueKind.dominant(kindCounts[c])
      out[c].distinct = sets[c].count
      let numeric = out[c].kind == .integer || out[c].kind == .decimal
      if numeric, let lo = minNumber[c], let hi = maxNumber[c] {
        out[c].min = NumberText.format(lo)
        out[c].max = NumberText.format(hi)
        var buckets = [Int](repeating: 0, count: histogramBuckets)
        let span = hi - lo
        for v in numbers[c] {
          let i =
            span > 0 ? Swift.min(histogramBuckets - 1, Int((v - lo) / span * Double(histogramBuckets))) : 0
          buckets[i] += 1
        }
        out[c].histogram = buckets
      } else {
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
