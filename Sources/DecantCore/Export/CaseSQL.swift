/// Case mapping and folding in an exported job, with Decant's results: Unicode
/// full mappings of the system ICU's Unicode version.
///
/// Both engines lower-case one character at a time as Decant does, except for
/// DuckDB's `İ` (one character, where the full mapping gives `i̇`) and for
/// characters a newer Unicode than Decant's maps (Spark 4's): those are swapped
/// for private-use characters around the mapping and swapped back. Full case
/// folding is then the lower case with the characters whose folding differs
/// from their lower case (`ß` → `ss`, `ς` → `σ`, Cherokee small letters)
/// replaced: for every character, fold(c) = fold(lower(c)).
enum CaseSQL {
  /// The characters Decant's lower case leaves as they are but a newer Unicode
  /// maps (as the Swift library's tables know it).
  static let newerLowerCase: [Unicode.Scalar] = newer { scalar in
    let m = scalar.properties.lowercaseMapping.unicodeScalars
    return !(m.count == 1 && m.first == scalar)
  } decant: {
    CaseMapping.lower($0, into: $1)
  }

  /// The characters Decant's upper case leaves as they are but a newer Unicode maps.
  static let newerUpperCase: [Unicode.Scalar] = newer { scalar in
    let m = scalar.properties.uppercaseMapping.unicodeScalars
    return !(m.count == 1 && m.first == scalar)
  } decant: {
    CaseMapping.upper($0, into: $1)
  }

  private static func newer(
    _ mapsInSwift: (Unicode.Scalar) -> Bool,
    decant: (UnsafeBufferPointer<UInt8>, ByteBuffer) -> Void
  ) -> [Unicode.Scalar] {
    var out: [Unicode.Scalar] = []
    for v in UInt32(0)...0x10_FFFF {
      guard let scalar = Unicode.Scalar(v), mapsInSwift(scalar) else { continue }
      if same(mapped(scalar, decant), scalar) { out.append(scalar) }
    }
    return out
  }

  /// True when `text` is exactly `scalar` (by code points: String's `==` would
  /// call `ΐ` and its decomposed folding equal).
  static func same(_ text: String, _ scalar: Unicode.Scalar) -> Bool {
    text.unicodeScalars.count == 1 && text.unicodeScalars.first == scalar
  }

  /// Decant's mapping of one character.
  static func mapped(_ scalar: Unicode.Scalar, _ map: (UnsafeBufferPointer<UInt8>, ByteBuffer) -> Void)
    -> String
  {
    var text = String(Character(scalar))
    return text.withUTF8 { src in
      let out = ByteBuffer(capacity: 32)
      map(src, out)
      return String(decoding: out.bytes, as: UTF8.self)
    }
  }

  /// The lower-case characters whose full case folding differs (`ß` → `ss`), with it.
  static let foldingUnlikeLower: [(Unicode.Scalar, String)] = {
    var out: [(Unicode.Scalar, String)] = []
    for v in UInt32(0)...0x10_FFFF {
      // Every assigned character: the Swift library's Changes_When_Casefolded is
      // false for some whose full folding differs (`ΐ`).
      guard let scalar = Unicode.Scalar(v), scalar.properties.generalCategory != .unassigned else { continue }
      let folded = mapped(scalar, { CaseMapping.fold($0, into: $1) })
      if !same(folded, scalar) && same(mapped(scalar, { CaseMapping.lower($0, into: $1) }), scalar) {
        out.append((scalar, folded))
      }
    }
    return out
  }()

  /// `map` applied to `x` with the characters of `newer` kept as they are:
  /// swapped for private-use characters U+F0000… first and back after. A text
  /// that holds those private-use characters itself stops the job.
  static func keeping(
    _ newer: [Unicode.Scalar], in x: String, sql: StepSQL, what: String, _ map: (String) -> String
  ) -> String {
    guard !newer.isEmpty else { return map(x) }
    let d = sql.dialect
    let from = String(String.UnicodeScalarView(newer))
    let to = String(String.UnicodeScalarView(newer.indices.map { Unicode.Scalar(0xF_0000 + UInt32($0))! }))
    let fromClass = "[" + newer.map(RegexTranslation.escapedLiteral).joined() + "]"
    let toClass = "[\\x{F0000}-\\x{\(String(0xF_0000 + newer.count - 1, radix: 16, uppercase: true))}]"
    let message = sql.text(
      "step \(sql.number) (\(sql.op)): \(what) holds private-use characters U+F0000… that the exported job "
        + "needs for itself")
    return "CASE WHEN NOT \(d.regexFind(x, fromClass)) THEN \(map(x)) "
      + "WHEN \(d.regexFind(x, toClass)) THEN \(d.fail(message)) "
      + "ELSE translate(\(map("translate(\(x), \(sql.text(from)), \(sql.text(to)))")), \(sql.text(to)), "
      + "\(sql.text(from))) END"
  }

  /// Lower case of `x` character by character, as Decant lowers each character
  /// (a final sigma aside: Spark writes `ς`, DuckDB `σ`).
  static func lowerByCharacter(_ x: String, dialect d: SQLDialect) -> String {
    d.engine == .spark ? "lower(\(x))" : "lower(replace(\(x), '\u{130}', 'i\u{307}'))"
  }

  /// Full case folding of the text `x` (a column's cell), as `CaseMapping.fold`.
  static func fold(_ x: String, sql: StepSQL, what: String) -> String {
    let d = sql.dialect
    return keeping(newerLowerCase, in: x, sql: sql, what: what) { x in
      let lowered = lowerByCharacter(x, dialect: d)
      let special = foldingUnlikeLower
      let members = special.map { RegexTranslation.escapedLiteral($0.0) }.joined()
      var replaced = lowered
      for (scalar, folded) in special {
        replaced = "replace(\(replaced), \(sql.text(String(Character(scalar)))), \(sql.text(folded)))"
      }
      return "CASE WHEN \(d.regexFind(lowered, "[\(members)]")) THEN \(replaced) ELSE \(lowered) END"
    }
  }
}
