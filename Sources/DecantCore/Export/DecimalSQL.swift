/// Decimal text in an exported job, read as `ExactDecimal` reads it: the
/// grammar `[+-]?digits[.digits]?([eE][+-]?digits)?`, the digits without
/// leading zeros and the scale (the count of fraction digits), an exponent
/// expanded exactly and refused past `ExactDecimal.maxExpandedDigits` digits.
/// Never through binary floating point, nor the engines' decimal types.
enum DecimalSQL {
  /// Names of `let` values: `ok` and `tooLong` are 1 or 0, `negative` 1 for a
  /// leading `-`, `digits` the digits without leading zeros ('' for zero) and
  /// `scale` how many of them are fraction digits.
  struct Number {
    var ok: String
    var tooLong: String
    var negative: String
    var digits: String
    var scale: String
  }

  static let grammar = #"^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?\z"#

  /// Reads the text expression `c`.
  static func read(_ c: String, sql: inout StepSQL) -> Number {
    let d = sql.dialect
    let limit = ExactDecimal.maxExpandedDigits
    func part(_ g: Int) -> String { d.regexExtract(c, grammar, group: g) }
    // The value: sign, digits (no leading zeros) and exponent (capped as Decant caps it).
    let ok = sql.let(
      "CASE WHEN \(d.regexFind(c, grammar)) AND \(d.length(part(2) + " || " + part(3))) > 0 THEN 1 ELSE 0 END"
    )
    let negative = sql.let("CASE WHEN \(d.startsWith(c, "'-'")) THEN 1 ELSE 0 END")
    let digits0 = sql.let(d.regexReplaceAll(part(2) + " || " + part(3), "^0+", ""))
    let exponentText = part(4)
    let exponent = sql.let(
      "CASE WHEN \(exponentText) = '' THEN 0 WHEN \(d.length(d.regexReplaceAll(exponentText, "^[+-]?0*", ""))) > 9 "
        + "THEN CASE WHEN \(d.startsWith(exponentText, "'-'")) THEN -1000000000 ELSE 1000000000 END "
        + "ELSE CAST(\(exponentText) AS BIGINT) END")
    let scale0 = sql.let("\(d.length(part(3))) - \(exponent)")
    let tooLong = sql.let(
      "CASE WHEN \(ok) = 1 AND ((\(scale0) < 0 AND \(d.length(digits0)) > 0 AND \(d.length(digits0)) - \(scale0) > \(limit)) "
        + "OR \(scale0) > \(limit)) THEN 1 ELSE 0 END")
    // Whole numbers written with an exponent: its zeros become digits.
    let digits = sql.let(
      "CASE WHEN \(ok) = 1 AND \(tooLong) = 0 AND \(scale0) < 0 AND \(d.length(digits0)) > 0 "
        + "THEN \(digits0) || \(d.repeated("'0'", "-\(scale0)")) ELSE \(digits0) END")
    let scale = sql.let("CASE WHEN \(scale0) < 0 THEN 0 ELSE \(scale0) END")
    return Number(ok: ok, tooLong: tooLong, negative: negative, digits: digits, scale: scale)
  }

  /// `ExactDecimal.Failure.reason` of a value that is not read (`quoted`: the
  /// value as reasons quote it).
  static func failure(_ n: Number, quoted: String) -> String {
    "CASE WHEN \(n.ok) = 0 THEN \(quoted) || ' is not a number' WHEN \(n.tooLong) = 1 THEN \(quoted) || "
      + "' has an exponent too large to write out (over \(ExactDecimal.maxExpandedDigits) digits)' END"
  }

  /// `digits` at `scale` written as `ExactDecimal.write` writes them: `-` only
  /// when not zero, at least one digit before the point, `scale` digits after it.
  static func text(negative: String, digits: String, scale: String, _ d: SQLDialect) -> String {
    let count = d.length(digits)
    let intLength = "(\(count) - \(scale))"
    return "CASE WHEN \(negative) = 1 AND \(count) > 0 THEN '-' ELSE '' END || "
      + "CASE WHEN \(intLength) > 0 THEN \(d.substring(digits, from: "1", count: intLength)) ELSE '0' END || "
      + "CASE WHEN \(scale) > 0 THEN '.' || \(d.repeated("'0'", "greatest(0, -\(intLength))")) || "
      + "\(d.substring(digits, from: "greatest(0, \(intLength)) + 1")) ELSE '' END"
  }
}
