/// Fits a recipe to a file whose columns were renamed: the recipe's saved
/// columns that the file lacks are mapped to file columns (suggested by
/// similarity), and every step's references to them are rewritten.
public enum ColumnMapping {
  /// For each saved column the file lacks, the file column most like it (nil:
  /// none is close), among the file's columns the recipe does not name.
  public static func suggest(saved: [String], actual: [String]) -> [(from: String, to: String?)] {
    let missing = saved.filter { !actual.contains($0) }
    var free = actual.filter { !saved.contains($0) }
    var out: [(from: String, to: String?)] = []
    for name in missing {
      let key = simplified(name)
      let match =
        free.first { simplified($0) == key }
        ?? Suggest.closest(to: name, among: free, caseInsensitive: true)
      if let match { free.removeAll { $0 == match } }
      out.append((name, match))
    }
    return out
  }

  /// Letters and digits only, lower case: `Amount USD`, `amount_usd` and `AmountUSD` agree.
  static func simplified(_ name: String) -> String {
    String(name.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) })
  }

  /// The recipe with every reference to a column named in `map` (recipe name →
  /// file name) rewritten, and its saved columns updated. Names a step creates
  /// (`to`, `into`, new names of a rename) are left as they are.
  public static func apply(_ map: [String: String], to recipe: Recipe) throws(RecipeError) -> Recipe {
    guard !map.isEmpty else { return recipe }
    var out = recipe
    out.input.columns = recipe.input.columns?.map { map[$0] ?? $0 }
    out.steps = []
    for (i, step) in recipe.steps.enumerated() {
      guard case .object(let members) = step.json else { continue }
      let descriptor = type(of: step.operation).descriptor
      var rewritten: [(String, JSONValue)] = []
      for (key, value) in members {
        let kind =
          key == "where" ? ParameterKind.condition : descriptor.allParameters.first { $0.name == key }?.kind
        rewritten.append((key, kind.map { rewrite(value, kind: $0, map) } ?? value))
      }
      out.steps.append(try OperationRegistry.decodeStep(.object(rewritten), number: i + 1))
    }
    return out
  }

  private static func rewrite(_ value: JSONValue, kind: ParameterKind, _ map: [String: String]) -> JSONValue {
    func name(_ v: JSONValue) -> JSONValue {
      if case .string(let s) = v, let m = map[s] { return .string(m) }
      return v
    }
    switch (kind, value) {
    case (.column, _): return name(value)
    case (.columns, .array(let items)): return .array(items.map(name))
    case (.columnMap, .object(let members)): return .object(members.map { (map[$0.0] ?? $0.0, $0.1) })
    case (.keyColumns, .array(let items)):
      // The same names in both tables: the data side is renamed, the reference keeps its name.
      let pairs = items.map { item -> (String, JSONValue) in
        guard case .string(let s) = item else { return ("", item) }
        return (map[s] ?? s, .string(s))
      }
      if pairs.allSatisfy({ $0.0 == (($0.1).stringValue ?? "") }) { return value }
      return .object(pairs)
    case (.keyColumns, .object(let members)): return .object(members.map { (map[$0.0] ?? $0.0, $0.1) })
    case (.zoneOrColumn, .object(let members)):
      return .object(members.map { ($0.0, $0.0 == "column" ? name($0.1) : $0.1) })
    case (.condition, _): return rewriteCondition(value, map)
    default: return value
    }
  }

  /// Every `"column": NAME` inside a condition, at any depth.
  private static func rewriteCondition(_ value: JSONValue, _ map: [String: String]) -> JSONValue {
    switch value {
    case .object(let members):
      return .object(
        members.map { key, v in
          if key == "column", case .string(let s) = v, let m = map[s] { return (key, .string(m)) }
          return (key, rewriteCondition(v, map))
        })
    case .array(let items): return .array(items.map { rewriteCondition($0, map) })
    default: return value
    }
  }
}

extension JSONValue {
  fileprivate var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }
}
