import Foundation

/// An estimate of how many distinct values a column holds, in 16 KiB whatever
/// their number (HyperLogLog, 2^14 registers: a typical error of 0.8%).
///
/// A profiler counts distinct values exactly up to its limit; past it, every value
/// also goes into a sketch, which then gives the distinct count. The sketch reads
/// the same 64-bit hash the exact set uses (`ByteKeySet.hash`): the top 14 bits
/// pick a register, the rest give the run of leading zeros it records.
struct DistinctSketch {
  static let precision = 14
  static let registerCount = 1 << precision
  private var registers = [UInt8](repeating: 0, count: DistinctSketch.registerCount)

  @inline(__always) mutating func add(hash h: UInt64) {
    let index = Int(truncatingIfNeeded: h >> UInt64(64 - Self.precision))
    // A set bit below the 50 hash bits bounds the run (at most 51).
    let rest = (h << UInt64(Self.precision)) | (1 << UInt64(Self.precision - 1))
    let rank = UInt8(rest.leadingZeroBitCount + 1)
    registers.withUnsafeMutableBufferPointer { r in
      if rank > r[index] { r[index] = rank }
    }
  }

  mutating func merge(_ other: DistinctSketch) {
    for i in registers.indices where other.registers[i] > registers[i] {
      registers[i] = other.registers[i]
    }
  }

  /// The estimated number of distinct values added: Ertl's improved estimator
  /// ("New cardinality estimation algorithms for HyperLogLog sketches", 2017),
  /// which is nearly unbiased from a handful of values to billions, without
  /// tables of empirical corrections.
  var estimate: Int {
    let q = 64 - Self.precision
    var histogram = [Int](repeating: 0, count: q + 2)
    for r in registers { histogram[Int(r)] += 1 }
    let m = Double(Self.registerCount)
    if histogram[0] == Self.registerCount { return 0 }
    var z = m * Self.tau(1 - Double(histogram[q + 1]) / m)
    for k in stride(from: q, through: 1, by: -1) { z = 0.5 * (z + Double(histogram[k])) }
    z += m * Self.sigma(Double(histogram[0]) / m)
    return Int((m * m / (2 * log(2.0)) / z).rounded())
  }

  /// σ(x) = x + Σ_{k≥1} x^(2^k) · 2^(k−1), for the registers still zero.
  private static func sigma(_ x: Double) -> Double {
    var x = x
    var y = 1.0
    var z = x
    while true {
      x *= x
      let previous = z
      z += x * y
      y += y
      if z == previous { return z }
    }
  }

  /// τ(x) = (1 − x − Σ_{k≥1} (1 − x^(2^−k))² · 2^−k) / 3, for the registers at the top rank.
  private static func tau(_ x: Double) -> Double {
    if x == 0 || x == 1 { return 0 }
    var x = x
    var y = 1.0
    var z = 1 - x
    while true {
      x = x.squareRoot()
      let previous = z
      y *= 0.5
      z -= (1 - x) * (1 - x) * y
      if z == previous { return z / 3 }
    }
  }
}
