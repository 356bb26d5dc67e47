import Foundation

/// Whole-input statistics for `fill_null` strategies `mean`, `median` and `mode`,
/// gathered in a first pass over the data as it reaches the step.
///
/// Mean keeps a compensated sum (O(1) memory); median keeps every numeric value
/// (8 bytes each) and selects the middle; mode counts distinct values (their
/// bytes plus about 32 bytes each) and breaks ties by first appearance.
final class ColumnStatistics: StatisticsCollector {
  let columns: [Int]
  let names: [String]
  let strategy: FillNullOperation.Strategy
  let nulls: NullValues
  private var sums: [Double]
  private var compensation: [Double]
  private var counts: [Int]
  private var nonNumeric: [Int]
  private var numericLiteral: [Bool?]
  private var values: [[Double]]
  private var distinct: [ByteKeySet]
  private var frequencies: [[Int]]
  private var literalFlags: [[Bool]]

  init(columns: [Int], names: [String], strategy: FillNullOperation.Strategy, nulls: NullValues) {
    self.columns = columns
    self.names = names
    self.strategy = strategy
    self.nulls = nulls
    let n = columns.count
    sums = Array(repeating: 0, count: n)
    compensation = Array(repeating: 0, count: n)
    counts = Array(repeating: 0, count: n)
    nonNumeric = Array(repeating: 0, count: n)
    numericLiteral = Array(repeating: nil, count: n)
    values = Array(repeating: [], count: n)
    distinct = (0..<n).map { _ in ByteKeySet() }
    frequencies = Array(repeating: [], count: n)
    literalFlags = Array(repeating: [], count: n)
  }

  /// Every row that reaches the step counts, whatever its `where` says.
  func collect(_ batch: Batch, scope: RowScope) {
    batch.arena.withUnsafeBufferPointer { arena in
      for (k, c) in columns.enumerated() {
        for r in 0..<batch.rowCount {
          let cell = batch.columns[c][r]
          if nulls.isNull(cell, in: batch) { continue }
          let bytes = UnsafeBufferPointer(rebasing: arena[Int(cell.start)..<cell.end])
          if strategy == .mode {
            let (index, inserted) = distinct[k].findOrInsert(bytes)
            if inserted {
              frequencies[k].append(1)
              literalFlags[k].append(cell.isJSONLiteral)
            } else {
              frequencies[k][index] += 1
            }
            continue
          }
          guard let v = NumberText.parse(bytes) else {
            nonNumeric[k] += 1
            continue
          }
          if numericLiteral[k] == nil { numericLiteral[k] = cell.isJSONLiteral }
          counts[k] += 1
          if strategy == .mean {
            // Kahan–Babuška summation keeps the mean exact for ordinary data.
            let t = sums[k] + v
            if abs(sums[k]) >= abs(v) {
              compensation[k] += (sums[k] - t) + v
            } else {
              compensation[k] += (v - t) + sums[k]
            }
            sums[k] = t
          } else {
            values[k].append(v)
          }
        }
      }
    }
  }

  var warnings: [String] {
    var out: [String] = []
    for (k, name) in names.enumerated() {
      if nonNumeric[k] > 0 {
        out.append(
          "fill_null \(strategy.rawValue) on \"\(name)\": \(nonNumeric[k]) non-numeric value(s) were ignored")
      }
      if strategy != .mode && counts[k] == 0 {
        out.append("fill_null \(strategy.rawValue) on \"\(name)\": no numeric values, so its nulls stay null")
      }
      if strategy == .mode && distinct[k].count == 0 {
        out.append("fill_null mode on \"\(name)\": the column has no values, so its nulls stay null")
      }
    }
    return out
  }

  /// The fill value for each column, or nil when there is none.
  /// Each column's fill value, as the run summary shows it (`median of dep_delay: -2`).
  var computed: [(column: String, value: String)] {
    zip(names, results()).map { name, value in
      (
        "\(strategy.rawValue) of \(name)",
        value.map { String(decoding: $0.bytes, as: UTF8.self) } ?? "none (no values)"
      )
    }
  }

  func results() -> [FillNullOperation.FillValue?] {
    columns.indices.map { k -> FillNullOperation.FillValue? in
      switch strategy {
      case .mode:
        guard !frequencies[k].isEmpty else { return nil }
        var best = 0
        for i in frequencies[k].indices where frequencies[k][i] > frequencies[k][best] { best = i }
        return .init(Array(distinct[k].key(at: best)), literal: literalFlags[k][best])
      case .mean:
        guard counts[k] > 0 else { return nil }
        let mean = (sums[k] + compensation[k]) / Double(counts[k])
        return .init(Array(NumberText.format(mean).utf8), literal: numericLiteral[k] ?? false)
      case .median:
        guard !values[k].isEmpty else { return nil }
        var v = values[k]
        let n = v.count
        let upper = Selection.select(&v, n / 2)
        let median: Double
        if n % 2 == 1 {
          median = upper
        } else {
          let lower = v[0..<n / 2].max()!
          median = lower / 2 + upper / 2
        }
        return .init(Array(NumberText.format(median).utf8), literal: numericLiteral[k] ?? false)
      default:
        return nil
      }
    }
  }
}

/// Quickselect: after `select(&v, k)`, `v[k]` is the k-th smallest and every
/// element before it is no larger. Average O(n).
enum Selection {
  static func select(_ v: inout [Double], _ k: Int) -> Double {
    var lo = 0
    var hi = v.count - 1
    var rng = SplitMix64(seed: 0x5EED)
    while lo < hi {
      let pivot = v[lo + Int(rng.next() % UInt64(hi - lo + 1))]
      var i = lo
      var j = hi
      while i <= j {
        while v[i] < pivot { i += 1 }
        while v[j] > pivot { j -= 1 }
        if i <= j {
          v.swapAt(i, j)
          i += 1
          j -= 1
        }
      }
      if k <= j {
        hi = j
      } else if k >= i {
        lo = i
      } else {
        break
      }
    }
    return v[k]
  }
}

/// A small, fast, seedable random generator (for sampling and pivots).
public struct SplitMix64: RandomNumberGenerator, Sendable {
  var state: UInt64
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Reading and writing numbers as text.
public enum NumberText {
  /// Parses a decimal number (`12`, `-3.5`, `1e6`, surrounding spaces allowed); nil otherwise.
  public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
    var s = 0
    var e = bytes.count
    while s < e, bytes[s] == 32 || bytes[s] == 9 { s += 1 }
    while e > s, bytes[e - 1] == 32 || bytes[e - 1] == 9 { e -= 1 }
    guard s < e, e - s < 64 else { return nil }
    if let v = plainDecimal(UnsafeBufferPointer(rebasing: bytes[s..<e])) { return v }
    // Only plain decimal syntax: no "nan", "inf", hex or underscores.
    var sawDigit = false
    for i in s..<e {
      let c = bytes[i]
      switch c {
      case 48...57: sawDigit = true
      case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
        break
      default: return nil
      }
    }
    guard sawDigit,
      let v = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[s..<e]), as: UTF8.self)),
      v.isFinite
    else { return nil }
    return v
  }

  /// Powers of ten that a `Double` holds exactly.
  private static let exactPowersOfTen: [Double] = (0...15).map { pow(10, Double($0)) }

  /// A number of at most 15 digits with an optional sign and point (`-12.50`), read
  /// without a conversion call; nil for anything else. The digits form an integer
  /// below 2^53 and 10^k is exact for k ≤ 15, so the one division is correctly
  /// rounded: the same `Double` as the general path gives.
  @inline(__always) static func plainDecimal(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
    var i = 0
    let n = b.count
    let negative = b[0] == UInt8(ascii: "-")
    if negative || b[0] == UInt8(ascii: "+") { i = 1 }
    var mantissa: UInt64 = 0
    var digits = 0
    var fraction = -1
    while i < n {
      let d = b[i] &- 48
      if d < 10 {
        mantissa = mantissa &* 10 &+ UInt64(d)
        digits += 1
      } else if b[i] == UInt8(ascii: ".") && fraction < 0 {
        fraction = digits
      } else {
        return nil
      }
      i += 1
    }
    guard digits > 0, digits <= 15 else { return nil }
    let scale = fraction < 0 ? 0 : digits - fraction
    let v = Double(mantissa) / exactPowersOfTen[scale]
    return negative ? -v : v
  }

  /// True when the bytes are a finite decimal number as `parse` reads them
  /// (`-3.5`, `1e6`, `+2.`), checked without converting.
  public static func isDecimal(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    var n = b.count
    while i < n, b[i] == 32 || b[i] == 9 { i += 1 }
    while n > i, b[n - 1] == 32 || b[n - 1] == 9 { n -= 1 }
    guard i < n, n - i < 64 else { return false }
    if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
    var digits = 0
    while i < n, b[i] &- 48 < 10 {
      i += 1
      digits += 1
    }
    if i < n, b[i] == UInt8(ascii: ".") {
      i += 1
      while i < n, b[i] &- 48 < 10 {
        i += 1
        digits += 1
      }
    }
    guard digits > 0 else { return false }
    if i < n, b[i] | 0x20 == UInt8(ascii: "e") {
      i += 1
      if i < n, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
      var exponent = 0
      while i < n, b[i] &- 48 < 10 {
        i += 1
        exponent += 1
      }
      guard exponent > 0, exponent <= 3 else { return false }
    }
    return i == n
  }

  public static func parse(_ text: String) -> Double? {
    var t = text
    return t.withUTF8 { parse($0) }
  }

  /// Text for a computed number: integral values without a decimal point, others
  /// with at most 15 significant digits when that is within rounding error of `v`
  /// (so the mean of 0.1, 0.2 and 0.3 is `0.2`), else the shortest exact text.
  public static func format(_ v: Double) -> String {
    if v == v.rounded(), abs(v) < 1e18 { return String(Int64(v)) }
    let short = String(format: "%.15g", v)
    if let back = Double(short), abs(back - v) <= 4 * v.ulp {
      if back == back.rounded(), abs(back) < 1e18 { return String(Int64(back)) }
      return short.contains("e") ? "\(back)" : short
    }
    return "\(v)"
  }
}
