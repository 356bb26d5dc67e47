/// The type a column's values look like, from most to least specific.
public enum ValueKind: String, Sendable, CaseIterable {
  case empty, boolean, integer, decimal, date, datetime, text

  /// Position in `allCases`.
  var ordinal: Int {
    switch self {
    case .empty: 0
    case .boolean: 1
    case .integer: 2
    case .decimal: 3
    case .date: 4
    case .datetime: 5
    case .text: 6
    }
  }

  /// Classifies one non-null value.
  public static func classify(_ b: UnsafeBufferPointer<UInt8>) -> ValueKind {
    var instant: CivilDateTime? = nil
    return classify(b, instant: &instant)
  }

  /// `classify`, handing back the date or datetime it read (nil for other kinds).
  static func classify(_ b: UnsafeBufferPointer<UInt8>, instant: inout CivilDateTime?) -> ValueKind {
    if b.isEmpty { return .empty }
    // Numbers, booleans and dates start with a digit, sign, point, space, tab, t or f:
    // anything else is text, decided at the first byte.
    switch b[0] {
    case 48...57, UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), 32, 9, UInt8(ascii: "t"),
      UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"):
      break
    default: return .text
    }
    // The common date shapes, which no number or boolean has, are read first.
    if (b.count == 10 || b.count == 19) && b[4] == 45, let t = TimestampFormat.parsePlainISO(b) {
      instant = t
      return b.count > 10 ? .datetime : .date
    }
    if isInteger(b) { return .integer }
    if NumberText.isDecimal(b) { return .decimal }
    if isBoolean(b) { return .boolean }
    if let t = TimestampFormat.parseISO(b) {
      instant = t
      return b.count > 10 || t.offset != nil ? .datetime : .date
    }
    return .text
  }

  public static func classify(_ s: String) -> ValueKind {
    var t = s
    return t.withUTF8 { classify($0) }
  }

  static func isInteger(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    if b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+") { i = 1 }
    guard i < b.count, b.count - i <= 19 else { return false }
    while i < b.count {
      if b[i] &- 48 >= 10 { return false }
      i += 1
    }
    return true
  }

  static func isBoolean(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
    func equals(_ word: StaticString) -> Bool {
      guard b.count == word.utf8CodeUnitCount else { return false }
      for i in 0..<b.count where b[i] | 0x20 != word.utf8Start[i] { return false }
      return true
    }
    return equals("true") || equals("false")
  }

  /// True for integers and decimals.
  public static func looksNumeric(_ s: String) -> Bool {
    let k = classify(s)
    return k == .integer || k == .decimal
  }

  /// The kind most values of a column share: the merged kind of all values when
  /// they agree, else the numeric or temporal kind held by at least `threshold`
  /// of them (so a date column with one typo reads as dates). Returns the kind
  /// and the share of values that conform to it.
  public static func dominant(_ counts: [ValueKind: Int], threshold: Double = 0.8) -> (ValueKind, Double) {
    let total = counts.filter { $0.key != .empty }.values.reduce(0, +)
    guard total > 0 else { return (.empty, 1) }
    let merged = counts.keys.filter { $0 != .empty }.reduce(ValueKind.empty) { $0.merged(with: $1) }
    if merged != .text { return (merged, 1) }
    let families: [(ValueKind, [ValueKind])] = [
      (.integer, [.integer]), (.decimal, [.integer, .decimal]), (.datetime, [.date, .datetime]),
      (.date, [.date]),
      (.boolean, [.boolean]),
    ]
    // The family with the largest share wins; on a tie the more specific one (listed first).
    var best: (ValueKind, Double) = (.text, 1)
    var bestShare = 0.0
    for (kind, members) in families {
      let share = Double(members.reduce(0) { $0 + (counts[$1] ?? 0) }) / Double(total)
      if share >= threshold && share > bestShare {
        best = (kind, share)
        bestShare = share
      }
    }
    return best
  }

  /// The kind that covers both (integer + decimal → decimal, date + datetime → datetime, else text).
  public func merged(with other: ValueKind) -> ValueKind {
    if self == other || other == .empty { return self }
    if self == .empty { return other }
    let pair = Set([self, other])
    if pair == [.integer, .decimal] { return .decimal }
    if pair == [.date, .datetime] { return .datetime }
    return .text
  }
}
