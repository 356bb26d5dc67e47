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

/// A column a step would add under a name the table already has at that point.
/// `Recipe.plan` reports it as a recipe error when the recipe alone shows the
/// name (in `input.columns` or made by an earlier step), else as a plan error.
public struct ColumnClash: Error, Sendable, Equatable {
  public var name: String
  public var field: String

  public init(name: String, field: String) {
    self.name = name
    self.field = field
  }

  public var message: String {
    "the new column \"\(name)\" clashes with an existing column; choose another name or rename or drop that column first"
  }
}

extension Schema {
  /// The schema with `names` inserted at `position` (`count` appends). Throws
  /// `ColumnClash` when a new name is already taken.
  public func inserting(_ new: [String], at position: Int, field: String) throws -> Schema {
    for n in new where index(of: n) != nil { throw ColumnClash(name: n, field: field) }
    var out = names
    out.insert(contentsOf: new, at: position)
    return Schema(out)
  }

  /// Positions of `columns`; throws `PlanError` naming the missing ones.
  public func indexes(of columns: [String], field: String) throws -> [Int] {
    let missing = columns.filter { index(of: $0) == nil }
    if !missing.isEmpty { throw PlanError.missing(missing, in: self, field: field) }
    return columns.map { index(of: $0)! }
  }
}
