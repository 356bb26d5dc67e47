/// How a delimited file is laid out: its delimiter and whether the first record is a header.
public struct CSVDialect: Sendable, Equatable {
  public var delimiter: UInt8
  public var hasHeader: Bool

  public init(delimiter: UInt8 = UInt8(ascii: ","), hasHeader: Bool = true) {
    self.delimiter = delimiter
    self.hasHeader = hasHeader
  }

  /// Delimiters the sniffer considers, in order of preference on ties.
  public static let candidateDelimiters: [UInt8] = [
    UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|"),
  ]

  /// Picks the delimiter whose field count is the most consistent (and above one)
  /// over the first records of `sample`. Quoted fields are honoured.
  public static func sniffDelimiter(_ sample: ArraySlice<UInt8>) -> UInt8 {
    var best: (delimiter: UInt8, score: Double) = (UInt8(ascii: ","), 0)
    for d in candidateDelimiters {
      let counts = fieldCounts(sample, delimiter: d, maxRecords: 50)
      guard let first = counts.first, !counts.isEmpty else { continue }
      let modeCount = Dictionary(grouping: counts, by: { $0 }).max {
        $0.value.count < $1.value.count || ($0.value.count == $1.value.count && $0.key < $1.key)
      }!
      guard modeCount.key > 1 else { continue }
      let consistency = Double(modeCount.value.count) / Double(counts.count)
      // Consistency first; a header that agrees with the body breaks ties; then width.
      let score = consistency * 1000 + (first == modeCount.key ? 100 : 0) + Double(min(modeCount.key, 99))
      if score > best.score { best = (d, score) }
    }
    return best.delimiter
  }

  /// Field counts of the first records (quote-aware; the last, possibly cut, record is dropped).
  static func fieldCounts(_ sample: ArraySlice<UInt8>, delimiter: UInt8, maxRecords: Int) -> [Int] {
    var counts: [Int] = []
    var fields = 1
    var inQuotes = false
    var atFieldStart = true
    var lineHasContent = false
    var i = sample.startIndex
    let quote = UInt8(ascii: "\"")
    while i < sample.endIndex, counts.count < maxRecords {
      let c = sample[i]
      if inQuotes {
        if c == quote {
          if i + 1 < sample.endIndex, sample[i + 1] == quote { i += 1 } else { inQuotes = false }
        }
      } else if c == quote && atFieldStart {
        inQuotes = true
        atFieldStart = false
        lineHasContent = true
      } else if c == delimiter {
        fields += 1
        atFieldStart = true
        lineHasContent = true
      } else if c == 10 || c == 13 {
        if lineHasContent { counts.append(fields) }
        fields = 1
        atFieldStart = true
        lineHasContent = false
        if c == 13, i + 1 < sample.endIndex, sample[i + 1] == 10 { i += 1 }
      } else {
        atFieldStart = false
        lineHasContent = true
      }
      i += 1
    }
    return counts
  }

  /// Guesses whether `first` is a header by comparing it with the records below:
  /// a column whose body values are numbers votes for a header when the first
  /// value is not a number, and against when it is.
  public static func sniffHeader(first: [String], body: [[String]]) -> Bool {
    guard !body.isEmpty else { return true }
    var votes = 0
    for (c, head) in first.enumerated() {
      let values = body.compactMap { c < $0.count ? $0[c] : nil }.filter { !$0.isEmpty }
      guard !values.isEmpty, values.allSatisfy(ValueKind.looksNumeric) else { continue }
      votes += ValueKind.looksNumeric(head) ? -1 : 1
    }
    if Set(first).count < first.count { votes -= 1 }
    return votes >= 0
  }
}
