/// What a column's values are, as the plan knows it: text unless a `cast` (or
/// the JSON Lines reader, which sees every value) says otherwise. Typed outputs
/// use it: JSON Lines writes integers, decimals and booleans unquoted.
public enum ColumnType: String, Sendable, CaseIterable, Equatable {
  case string, integer, decimal, boolean, date, timestamp

  /// True for the types JSON writes as literals (numbers and booleans).
  public var isJSONLiteral: Bool { self == .integer || self == .decimal || self == .boolean }
}

/// The ordered column names of a table at one point of a recipe, each with its type.
public struct Schema: Sendable, Equatable, CustomStringConvertible {
  public private(set) var names: [String]
  /// One per name.
  public private(set) var types: [ColumnType]

  /// Columns of the given types (all `string` when nil).
  public init(_ names: [String], types: [ColumnType]? = nil) {
    precondition(types == nil || types!.count == names.count, "one type per column")
    self.names = names
    self.types = types ?? [ColumnType](repeating: .string, count: names.count)
  }

  public var count: Int { names.count }

  /// The position of a column, or nil.
  public func index(of name: String) -> Int? { names.firstIndex(of: name) }

  /// The type of a column, or nil when there is none of that name.
  public func type(of name: String) -> ColumnType? { index(of: name).map { types[$0] } }

  public var description: String { names.joined(separator: ", ") }

  /// The columns at `indexes`, in that order.
  public func selecting(_ indexes: [Int]) -> Schema {
    Schema(indexes.map { names[$0] }, types: indexes.map { types[$0] })
  }

  /// The same columns with those at `indexes` of type `type`.
  public func retyped(_ indexes: [Int], as type: ColumnType) -> Schema {
    var s = self
    for i in indexes { s.types[i] = type }
    return s
  }

  /// The same columns with the one at `index` renamed.
  public func renaming(_ index: Int, to name: String) -> Schema {
    var s = self
    s.names[index] = name
    return s
  }

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
  public func inserting(_ new: [String], types newTypes: [ColumnType]? = nil, at position: Int, field: String)
    throws -> Schema
  {
    for n in new where index(of: n) != nil { throw ColumnClash(name: n, field: field) }
    var s = self
    s.names.insert(contentsOf: new, at: position)
    s.types.insert(contentsOf: newTypes ?? [ColumnType](repeating: .string, count: new.count), at: position)
    return s
  }

  /// Positions of `columns`; throws `PlanError` naming the missing ones.
  public func indexes(of columns: [String], field: String) throws -> [Int] {
    let missing = columns.filter { index(of: $0) == nil }
    if !missing.isEmpty { throw PlanError.missing(missing, in: self, field: field) }
    return columns.map { index(of: $0)! }
  }
}
