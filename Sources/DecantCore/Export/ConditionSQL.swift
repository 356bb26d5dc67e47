/// Conditions (`where`, `filter`, `validate`) as SQL booleans that are never
/// NULL, with the meaning §7 gives them: a null cell makes every predicate false
/// except `is_null: true` and `is_number: false`; numbers compare by exact
/// decimal value.
public enum ConditionSQL {
  /// A number as conditions read it: `[+-]?digits[.digits]?([eE][+-]?digits)?`,
  /// also `.5` and `5.`, nothing else (as an engine regex, whole cell).
  static let numberPattern = #"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\z"#
  /// The same shape, capturing the integer digits without leading zeros, the
  /// fraction digits without trailing zeros and the exponent.
  static let numberParts = #"^[+-]?0*([0-9]*)(?:\.([0-9]*?)0*)?(?:[eE]([+-]?[0-9]+))?\z"#
  /// Digits an exported job compares exactly: DECIMAL(38, 18).
  static let integerDigits = 20
  static let fractionDigits = 18

  public static func sql(_ condition: Condition, in step: StepSQL, path: String = "where")
    throws(ExportRefusal)
    -> String
  {
    switch condition {
    case .all(let items):
      var parts: [String] = []
      for (i, item) in items.enumerated() { parts.append(try sql(item, in: step, path: "\(path).all[\(i)]")) }
      return "(" + parts.joined(separator: " AND ") + ")"
    case .any(let items):
      var parts: [String] = []
      for (i, item) in items.enumerated() { parts.append(try sql(item, in: step, path: "\(path).any[\(i)]")) }
      return "(" + parts.joined(separator: " OR ") + ")"
    case .not(let inner):
      return "(NOT " + (try sql(inner, in: step, path: "\(path).not")) + ")"
    case .leaf(let leaf):
      return try sql(leaf, in: step, path: path)
    }
  }

  static func sql(_ leaf: ConditionLeaf, in step: StepSQL, path: String) throws(ExportRefusal) -> String {
    let d = step.dialect
    let c = step.column(leaf.column)
    let field = "\(path).\(leaf.predicate.key)"
    let present = "NOT \(step.isNull(c))"
    func guarded(_ test: String) -> String { "(\(present) AND COALESCE(\(test), FALSE))" }
    // Case-insensitive text tests compare full case foldings of both sides.
    let ci = leaf.caseInsensitive
    let cell = ci ? CaseSQL.fold(c, sql: step, what: "the column \(leaf.column)") : c
    func text(_ s: String) -> String {
      d.text(ci ? String(decoding: CaseMapping.folded(s), as: UTF8.self) : s)
    }
    switch leaf.predicate {
    case .isNull(let yes): return yes ? step.isNull(c) : "(\(present))"
    case .equals(let s): return guarded("\(cell) = \(text(s))")
    case .in(let list):
      if list.isEmpty { return "FALSE" }
      return guarded("\(cell) IN (\(list.map { text($0) }.joined(separator: ", ")))")
    case .contains(let s): return guarded(d.contains(cell, text(s)))
    case .startsWith(let s): return guarded(d.startsWith(cell, text(s)))
    case .endsWith(let s): return guarded(d.endsWith(cell, text(s)))
    case .matches where ci:
      throw step.refuse(
        "a case-insensitive regex matches under ICU's case closure, which \(d.engineName)'s regex flags do not "
          + "give", field: "\(path).case_insensitive")
    case .matches(let regex):
      let pattern = try RegexTranslation.pattern(regex.pattern, for: d, use: .find, step: step, field: field)
      return guarded(d.regexFind(c, pattern))
    case .isNumber(let yes):
      let test = guarded(d.regexFind(c, numberPattern))
      return yes ? test : "(NOT \(test))"
    case .gt(let n): return try compare(c, ">", n, step: step, field: field)
    case .gte(let n): return try compare(c, ">=", n, step: step, field: field)
    case .lt(let n): return try compare(c, "<", n, step: step, field: field)
    case .lte(let n): return try compare(c, "<=", n, step: step, field: field)
    case .between(let lo, let hi):
      let low = try literal(lo, step: step, field: "\(field)[0]")
      let high = try literal(hi, step: step, field: "\(field)[1]")
      let v = exactNumber(c, in: step)
      return guarded("\(d.regexFind(c, numberPattern)) AND \(v) >= \(low) AND \(v) <= \(high)")
    }
  }

  private static func compare(
    _ c: String, _ op: String, _ n: DecimalText, step: StepSQL, field: String
  ) throws(ExportRefusal) -> String {
    let value = try literal(n, step: step, field: field)
    return "(NOT \(step.isNull(c)) AND COALESCE(\(step.dialect.regexFind(c, numberPattern)) AND "
      + "\(exactNumber(c, in: step)) \(op) \(value), FALSE))"
  }

  /// A recipe number as a DECIMAL(38, 18) literal; refused when it has more digits.
  static func literal(_ n: DecimalText, step: StepSQL, field: String) throws(ExportRefusal) -> String {
    let text = n.text
    // The value is 0.DIGITS × 10^exponent.
    let integer = max(0, n.exponent)
    let fraction = max(0, n.digits.count - n.exponent)
    guard integer < integerDigits && fraction <= fractionDigits else {
      throw step.refuse(
        "\(text) has more digits than an exported job compares exactly "
          + "(\(integerDigits - 1) before the point and \(fractionDigits) after)", field: field)
    }
    return "CAST(\(step.dialect.text(text)) AS DECIMAL(38, 18))"
  }

  /// A cell known to be a number, as DECIMAL(38, 18), for comparing with a
  /// recipe literal (which has at most 19 integer digits). A cell of 10^20 or more
  /// compares as the largest such decimal of its sign, which is exact against
  /// every literal; one with more than 18 fraction digits stops the job, naming
  /// the value (never a rounded comparison).
  static func exactNumber(_ c: String, in step: StepSQL) -> String {
    let d = step.dialect
    func part(_ g: Int) -> String { d.regexExtract(c, numberParts, group: g) }
    let exponent = "COALESCE(TRY_CAST(NULLIF(\(part(3)), '') AS BIGINT), 0)"
    let zero = "(\(d.length(part(1))) = 0 AND \(d.length(part(2))) = 0)"
    let hugeExponent = "(\(d.length(part(3))) > 6 AND NOT \(d.startsWith(part(3), "'-'")))"
    let huge = "(\(hugeExponent) OR \(d.length(part(1))) + \(exponent) > \(integerDigits))"
    let fits = "(\(d.length(part(3))) <= 6 AND \(d.length(part(2))) - \(exponent) <= \(fractionDigits))"
    // Both bounds are cast from text: Spark's unary minus on a DECIMAL(38, 18)
    // this large overflows.
    let nines =
      "\(String(repeating: "9", count: integerDigits)).\(String(repeating: "9", count: fractionDigits))"
    let largest = "CAST('\(nines)' AS DECIMAL(38, 18))"
    let smallest = "CAST('-\(nines)' AS DECIMAL(38, 18))"
    let message = d.text(
      "step \(step.number) (\(step.op)): a number has more fraction digits than the exported job compares exactly: "
    )
    return "CASE WHEN \(zero) THEN CAST(0 AS DECIMAL(38, 18)) "
      + "WHEN \(huge) AND \(d.startsWith(c, "'-'")) THEN \(smallest) WHEN \(huge) THEN \(largest) "
      + "WHEN \(fits) THEN \(d.decimal(c)) ELSE \(d.fail("\(message) || \(c)")) END"
  }
}
