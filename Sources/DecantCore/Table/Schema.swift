/// The ordered column names of a table at one point of a recipe.
public struct Schema: Sendable, Equatable, CustomStringConvertible {
  public var names: [String]

  public init(_ names: [String]) { self.names = names }

  public var count: Int { names.count }

  /// The position of a column, or nil.
  public func index(of name: String) -> Int? { names.firstIndex(of: name) }

  public var description: String { names.joined(separator: ", ") }

  /// Makes header names unique and non-empty as the bad-input contract says:
  /// duplicates become `name_2`, `name_3`; an empty name becomes `column_N`
  /// (N its 1-based position). Returns the names and one warning per change.
  public static func uniqued(_ raw: [String]) -> (names: [String], warnings: [String]) {
    var names: [String] = []
    var warnings: [String] = []
    var used = Set<String>()
    for (i, original) in raw.enumerated() {
      var name = original
      if name.isEmpty {
        name = "column_\(i + 1)"
        warnings.append("column \(i + 1) has an empty header name; it is called \(name)")
      }
      if used.contains(name) {
        var k = 2
        while used.contains("\(name)_\(k)") { k += 1 }
        let renamed = "\(name)_\(k)"
        warnings.append("column \(i + 1) repeats the header name \"\(name)\"; it is called \(renamed)")
        name = renamed
      }
      used.insert(name)
      names.append(name)
    }
    return (names, warnings)
  }
}
