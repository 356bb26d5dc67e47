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
  /// False when some values did not fit in the distinct set: the top values are then
  /// counted among the values it held, and a count may be low.
  public var topIsExact = true
  /// Counts per bucket over [min, max] for numeric, date and datetime columns (empty otherwise).
  public var histogram: [Int] = []
  /// p1, p25, p50, p75, p99 of numeric columns (empty otherwise).
  public var percentiles: [Double] = []
  /// p1, p25, p50, p75, p99 of date and datetime columns, as ISO 8601 text (empty otherwise).
  public var percentileTexts: [String] = []
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
    fields.append(("top_exact", .bool(topIsExact)))
    fields.append(("other_type_count", n(otherTypeCount)))
    fields.append(("histogram", .array(histogram.map(n))))
    var levels: [(String, JSONValue)] = []
    for (level, value) in zip(Self.percentileLevels, percentiles) {
      levels.append(("p\(Int(level))", d(value)))
    }
    for (level, text) in zip(Self.percentileLevels, percentileTexts) {
      levels.append(("p\(Int(level))", .string(text)))
    }
    fields.append(("percentiles", levels.isEmpty ? .null : .object(levels)))
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

extension ColumnProfile {
  /// Fills in the figures read from the column's values: kind, min and max,
  /// histogram, percentiles, mean, spread, outliers and lengths.
  mutating func describe(_ stats: ValueStats, histogramBuckets: Int) {
    var kinds: [ValueKind: Int] = [:]
    for kind in ValueKind.allCases where stats.kinds[kind.ordinal] > 0 {
      kinds[kind] = stats.kinds[kind.ordinal]
    }
    (kind, kindShare) = ValueKind.dominant(kinds)
    let valued = stats.valueCount - stats.kinds[ValueKind.empty.ordinal]
    otherTypeCount = valued - Int((kindShare * Double(valued)).rounded())
    let numbers = stats.numbers
    let instants = stats.instants
    if (kind == .integer || kind == .decimal) && numbers.count > 0 {
      min = NumberText.format(numbers.min)
      max = NumberText.format(numbers.max)
      histogram = numbers.histogram(buckets: histogramBuckets)
      percentiles = numbers.percentiles(Self.percentileLevels)
      mean = numbers.meanValue
      stddev = numbers.standardDeviation
      outliers = numbers.outliers()
      figuresExact = numbers.isExact
    } else if (kind == .date || kind == .datetime) && instants.count > 0 {
      min = stats.earliest.map { String(decoding: $0, as: UTF8.self) }
      max = stats.latest.map { String(decoding: $0, as: UTF8.self) }
      histogram = instants.histogram(buckets: histogramBuckets)
      percentileTexts = instants.percentiles(Self.percentileLevels).map {
        Self.instantText($0, date: kind == .date, utc: stats.instantsHaveOffsets)
      }
      figuresExact = instants.isExact
    } else {
      if kind == .text && stats.valueCount > 0 {
        lengths = (stats.lengthMin, stats.lengthMax, Double(stats.lengthSum) / Double(stats.valueCount))
      }
      min = stats.lowest.map { String(decoding: $0, as: UTF8.self) }
      max = stats.highest.map { String(decoding: $0, as: UTF8.self) }
    }
  }

  /// A figure for people: at most eight significant digits, without trailing zeros.
  public static func figure(_ v: Double) -> String {
    if v == v.rounded() && abs(v) < 1e15 { return String(Int(v)) }
    var text = String(format: "%.8g", v)
    if text.contains("e") { return text }
    while text.contains(".") && text.hasSuffix("0") { text.removeLast() }
    return text
  }

  /// ISO 8601 text of seconds since the epoch: a date, or a date and time to the
  /// second (with `Z` when the column's values named instants).
  static func instantText(_ seconds: Double, date: Bool, utc: Bool) -> String {
    let t = CivilDateTime(localSeconds: Int64(seconds.rounded(.down)))
    let day = String(format: "%04d-%02d-%02d", t.year, t.month, t.day)
    if date { return day }
    return day + String(format: " %02d:%02d:%02d", t.hour, t.minute, t.second) + (utc ? "Z" : "")
  }
}
