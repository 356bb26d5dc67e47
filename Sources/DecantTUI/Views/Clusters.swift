import DecantCore
import Foundation

/// Near-identical values of one column grouped by key collision (OpenRefine's
/// methods): values whose key is the same fall in one cluster, and the user picks
/// (or types) the value each cluster becomes. The result is one `map_values`
/// step: the replayable rule, not a one-off edit.
public struct Clusters: Sendable {
  public enum Method: String, Sendable, CaseIterable {
    /// Lower case, accents and punctuation gone, words sorted and unique:
    /// `Acme Inc.`, `ACME inc`, `inc, acme` meet.
    case fingerprint
    /// The letters and digits' 2-grams, sorted and unique: also catches
    /// spacing and small transpositions (`Acme`, `A cme`).
    case ngram = "2-gram fingerprint"
  }

  public struct Cluster: Sendable, Equatable {
    /// The values with their row counts, most rows first.
    public var values: [(value: String, count: Int)]
    /// The value the others become (one of them, or typed).
    public var canonical: String
    public var included = true

    public static func == (a: Cluster, b: Cluster) -> Bool {
      a.values.map(\.value) == b.values.map(\.value) && a.values.map(\.count) == b.values.map(\.count)
        && a.canonical == b.canonical && a.included == b.included
    }
  }

  public let column: String
  public let method: Method
  /// Counted over the whole file (through the shown table's steps), not the sample.
  public private(set) var wholeFile = false
  public private(set) var clusters: [Cluster]
  public var cursor = 0

  /// Clusters of two or more distinct values of `column` in `table`, largest first.
  public init(table: TableView, column c: Int, nulls: NullValues, method: Method) {
    var counter = ValueCounter()
    counter.add(table.batch, column: c, nullValues: nulls)
    self.init(
      column: table.schema.names[c], values: counter.values.map { ($0.value, $0.count) }, method: method)
  }

  /// Clusters of a facet's values (a whole-file count, nulls left out).
  public init(facet: Facet, method: Method) {
    let values = facet.entries.compactMap { e in e.value.map { ($0, e.count) } }.sorted { $0.0 < $1.0 }
    self.init(column: facet.column, values: values, method: method)
    wholeFile = facet.wholeFile
  }

  /// Clusters of values with their row counts, in the order given.
  init(column: String, values: [(String, Int)], method: Method) {
    self.column = column
    self.method = method
    var counts: [String: Int] = [:]
    var order: [String] = []
    for (v, n) in values {
      if counts[v] == nil { order.append(v) }
      counts[v, default: 0] += n
    }
    var groups: [String: [String]] = [:]
    var keys: [String] = []
    for value in order {
      let key = Clusters.key(value, method)
      if key.isEmpty { continue }
      if groups[key] == nil { keys.append(key) }
      groups[key, default: []].append(value)
    }
    clusters = keys.compactMap { key -> Cluster? in
      let members = groups[key]!
      guard members.count >= 2 else { return nil }
      let values = members.map { ($0, counts[$0]!) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
      return Cluster(values: values.map { (value: $0.0, count: $0.1) }, canonical: values[0].0)
    }
    clusters.sort { $0.values.reduce(0) { $0 + $1.count } > $1.values.reduce(0) { $0 + $1.count } }
  }

  /// The key a value is clustered by.
  public static func key(_ value: String, _ method: Method) -> String {
    // Accents off, lower case: `Café` and `cafe` agree.
    let folded = value.folding(
      options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil
    )
    .lowercased()
    switch method {
    case .fingerprint:
      let words = folded.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : " " }
      let tokens = Set(String(words).split(separator: " ").map(String.init))
      return tokens.sorted().joined(separator: " ")
    case .ngram:
      let letters = Array(folded.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) })
      guard letters.count >= 2 else { return String(String.UnicodeScalarView(letters)) }
      var grams = Set<String>()
      for i in 0..<(letters.count - 1) {
        grams.insert(String(String.UnicodeScalarView(letters[i...i + 1])))
      }
      return grams.sorted().joined()
    }
  }

  public mutating func move(_ delta: Int) {
    guard !clusters.isEmpty else { return }
    cursor = max(0, min(clusters.count - 1, cursor + delta))
  }

  /// Includes or leaves out the cluster under the cursor.
  public mutating func toggle() {
    guard clusters.indices.contains(cursor) else { return }
    clusters[cursor].included.toggle()
  }

  /// Makes the next (or previous) of the cluster's values its canonical one.
  public mutating func cycleCanonical(_ delta: Int) {
    guard clusters.indices.contains(cursor) else { return }
    let values = clusters[cursor].values.map(\.value)
    let i = values.firstIndex(of: clusters[cursor].canonical) ?? -1
    clusters[cursor].canonical = values[((i + delta) % values.count + values.count) % values.count]
  }

  /// Sets the canonical value of the cluster under the cursor to typed text.
  public mutating func setCanonical(_ text: String) {
    guard clusters.indices.contains(cursor), !text.isEmpty else { return }
    clusters[cursor].canonical = text
  }

  /// One `map_values` step for every included cluster: each value that is not
  /// its cluster's canonical value maps to it. nil when nothing would change.
  public func mapStep() throws -> Step? {
    var mapping: [(String, JSONValue)] = []
    for c in clusters where c.included {
      for v in c.values where v.value != c.canonical { mapping.append((v.value, .string(c.canonical))) }
    }
    guard !mapping.isEmpty else { return nil }
    return try OperationRegistry.decodeStep(
      .object([
        ("op", .string("map_values")), ("columns", .array([.string(column)])), ("mapping", .object(mapping)),
      ]),
      number: 1)
  }

  /// Two lines per cluster: the canonical value (and whether it is included), then its members.
  func lines(width: Int) -> [(String, Style)] {
    clusters.enumerated().flatMap { i, c -> [(String, Style)] in
      let mark = (i == cursor ? "▸" : " ") + (c.included ? "■" : "□")
      let head = "\(mark) → \(c.canonical)"
      let members = "     " + c.values.map { "\($0.value) (\($0.count))" }.joined(separator: " · ")
      return [
        (DisplayWidth.fit(head, width: width), i == cursor ? .cursor : (c.included ? .changed : .plain)),
        (DisplayWidth.fit(members, width: width), .dim),
      ]
    }
  }
}
