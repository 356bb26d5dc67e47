/// A streaming summary of a column's numbers: every value counts, memory stays bounded.
///
/// Values are kept as (value, count) pairs while there are at most `exactLimit`
/// of them, so histogram and percentiles are exact (a profiler adds each distinct
/// value once, with its count, so a column of up to `exactLimit` distinct numbers
/// is exact at any row count). Past that the values go into a grid of `gridBins`
/// equal bins that widens (by merging neighbouring bins) whenever a value falls
/// outside it. Every value is still counted in exactly one bin; a bin is at most
/// 2 · (max − min) / `gridBins` wide, so a percentile is off by at most that much
/// and a value can be counted in a histogram bucket next to its own only when it
/// lies that close to the edge between them. Count, min, max, mean and standard
/// deviation are exact over all values (Welford, weighted).
struct NumberSummary {
  static let exactLimit = 100_000
  static let gridBins = 4096

  private(set) var count = 0
  private(set) var min = Double.infinity
  private(set) var max = -Double.infinity
  private var mean = 0.0
  private var m2 = 0.0
  private var values: [Double] = []
  private var weights: [Int] = []
  private var grid: [Int] = []
  private var lo = 0.0
  private var width = 0.0

  var isExact: Bool { grid.isEmpty }

  /// Adds `v`, `n` times.
  mutating func add(_ v: Double, count n: Int = 1) {
    guard v.isFinite, n > 0 else { return }
    let total = count + n
    let delta = v - mean
    mean += delta * Double(n) / Double(total)
    m2 += delta * delta * Double(count) * Double(n) / Double(total)
    count = total
    if v < min { min = v }
    if v > max { max = v }
    if grid.isEmpty {
      values.append(v)
      weights.append(n)
      if values.count > Self.exactLimit { spill() }
    } else {
      addToGrid(v, count: n)
    }
  }

  private mutating func spill() {
    let lowest = min
    let span = max - min
    lo = lowest
    width = span > 0 ? span / Double(Self.gridBins - 1) : Swift.max(abs(lowest), 1) * 0x1p-20
    grid = [Int](repeating: 0, count: Self.gridBins)
    for (v, n) in zip(values, weights) { addToGrid(v, count: n) }
    values = []
    weights = []
  }

  /// Adds another summary's values (one worker's share of a column).
  ///
  /// Count, min, max, mean and variance combine exactly (Chan et al.); exact values
  /// are added as they are, grid bins by their middle, so after a merge of grids a
  /// percentile is off by at most 3 · (max − min) / `gridBins`.
  mutating func merge(_ other: NumberSummary) {
    guard other.count > 0 else { return }
    if count == 0 {
      self = other
      return
    }
    let n = Double(count + other.count)
    let delta = other.mean - mean
    m2 += other.m2 + delta * delta * Double(count) * Double(other.count) / n
    mean += delta * Double(other.count) / n
    count += other.count
    min = Swift.min(min, other.min)
    max = Swift.max(max, other.max)
    if grid.isEmpty && !other.grid.isEmpty {
      spill()
    }
    if grid.isEmpty {
      values.append(contentsOf: other.values)
      weights.append(contentsOf: other.weights)
      if values.count > Self.exactLimit { spill() }
    } else if other.grid.isEmpty {
      for (v, c) in zip(other.values, other.weights) { addToGrid(v, count: c) }
    } else {
      for (j, c) in other.grid.enumerated() where c > 0 {
        addToGrid(other.lo + (Double(j) + 0.5) * other.width, count: c)
      }
    }
  }

  private mutating func addToGrid(_ v: Double, count: Int = 1) {
    let n = Self.gridBins
    while true {
      let i = ((v - lo) / width).rounded(.down)
      if i >= 0 && i < Double(n) {
        grid[Int(i)] += count
        return
      }
      // Double the bin width; the old range becomes the lower or upper half of the new one.
      var merged = [Int](repeating: 0, count: n)
      if i < 0 {
        for j in 0..<n { merged[n / 2 + j / 2] += grid[j] }
        lo -= Double(n) * width
      } else {
        for j in 0..<n { merged[j / 2] += grid[j] }
      }
      width *= 2
      grid = merged
    }
  }

  var meanValue: Double? { count > 0 ? mean : nil }
  /// Sample standard deviation (n − 1), as Python's `statistics.stdev`.
  var standardDeviation: Double? { count > 1 ? (m2 / Double(count - 1)).squareRoot() : nil }

  /// Counts per bucket over [min, max].
  func histogram(buckets: Int) -> [Int] {
    guard count > 0 else { return [] }
    var out = [Int](repeating: 0, count: buckets)
    let span = max - min
    func bucket(_ v: Double) -> Int {
      span > 0 ? Swift.max(0, Swift.min(buckets - 1, Int((v - min) / span * Double(buckets)))) : 0
    }
    if grid.isEmpty {
      for (v, n) in zip(values, weights) { out[bucket(v)] += n }
    } else {
      for (j, c) in grid.enumerated() where c > 0 {
        // A bin goes to the bucket of its middle, clamped to the values actually seen.
        let mid = Swift.min(max, Swift.max(min, lo + (Double(j) + 0.5) * width))
        out[bucket(mid)] += c
      }
    }
    return out
  }

  /// Percentiles (0...100) by linear interpolation between closest ranks (Python's
  /// `statistics.quantiles(method="inclusive")`).
  func percentiles(_ ps: [Double]) -> [Double] {
    guard count > 0 else { return [] }
    if grid.isEmpty {
      // Sorted (value, count) pairs; the value at rank r is found by walking the counts.
      let order = values.indices.sorted { values[$0] < values[$1] }
      var ends: [Int] = []
      ends.reserveCapacity(order.count)
      var total = 0
      for i in order {
        total += weights[i]
        ends.append(total)
      }
      func value(atRank r: Int) -> Double {
        var lowIndex = 0
        var highIndex = ends.count - 1
        while lowIndex < highIndex {
          let mid = (lowIndex + highIndex) / 2
          if ends[mid] > r { highIndex = mid } else { lowIndex = mid + 1 }
        }
        return values[order[lowIndex]]
      }
      return ps.map { p in
        let pos = p / 100 * Double(count - 1)
        let i = Int(pos.rounded(.down))
        let f = pos - Double(i)
        let a = value(atRank: i)
        return i + 1 < count ? a + (value(atRank: i + 1) - a) * f : a
      }
    }
    return ps.map { p in
      let rank = p / 100 * Double(count - 1)
      var seen = 0.0
      for (j, c) in grid.enumerated() where c > 0 {
        if seen + Double(c) > rank {
          let v = lo + (Double(j) + (rank - seen + 0.5) / Double(c)) * width
          return Swift.min(max, Swift.max(min, v))
        }
        seen += Double(c)
      }
      return max
    }
  }

  /// Values below p25 − 1.5·IQR or above p75 + 1.5·IQR.
  func outliers() -> Int {
    let q = percentiles([25, 75])
    guard q.count == 2 else { return 0 }
    let iqr = q[1] - q[0]
    let low = q[0] - 1.5 * iqr
    let high = q[1] + 1.5 * iqr
    if grid.isEmpty {
      return zip(values, weights).reduce(0) { $0 + ($1.0 < low || $1.0 > high ? $1.1 : 0) }
    }
    var n = 0
    for (j, c) in grid.enumerated() where c > 0 {
      let mid = lo + (Double(j) + 0.5) * width
      if mid < low || mid > high { n += c }
    }
    return n
  }
}
