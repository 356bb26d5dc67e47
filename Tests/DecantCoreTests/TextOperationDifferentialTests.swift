import Foundation
import XCTest

@testable import DecantCore

/// `change_case`, `trim`, `replace`, `extract` and `map_values` run through the
/// pipeline (several batches, one worker and three) on a few hundred generated
/// values, against a small Python reference: `str.upper`/`lower`/`casefold`,
/// `re` for simple patterns, and a trim over the Unicode White_Space set.
///
/// The values mix ASCII with letters that case-map in special ways (`ß`, `ǆ`,
/// `Σ`, `İ`, `ﬁ`), non-Latin scripts, digits of other scripts, combining
/// marks, emoji, and white space inside and outside White_Space (U+00A0 and
/// U+3000 are, U+200B and U+001C are not). The patterns stay where Python's
/// `re` and ICU agree: no `\w`, `\s` or `.`, and case-insensitive finds
/// without letters whose full and simple case foldings differ.
final class TextOperationDifferentialTests: XCTestCase {
  static let alphabet: [String] = [
    "a", "b", "e", "k", "x", "z", "A", "B", "E", "X", "Z", "0", "1", "7", " ", " ", " ", "\t", "'", "-", ".",
    ",", "@", "*", "é", "É", "ä", "Ä", "ß", "ẞ", "Σ", "σ", "ς", "Ω", "ω", "ǆ", "ǅ", "Ǆ", "İ", "ı", "ﬁ", "ŉ",
    "Ж", "ж", "а", "٣", "５", "中", "文", "😀", "\u{A0}", "\u{3000}", "\u{2003}", "\u{85}", "\u{200B}",
    "\u{1C}", "\u{301}", "ǰ", "ΐ",
  ]

  /// About 300 values (including nulls and white-space-only values), the same on every run.
  static let values: [String] = {
    var rng = SplitMix64(seed: 20_240_310)
    var out: [String] = ["", " ", "\u{3000}", "ΟΔΟΣ", "straße", "o'neil 1st", "  a  b  ", "ǆemal"]
    while out.count < 300 {
      let length = Int(rng.next() % 13)
      var s = ""
      for _ in 0..<length { s += alphabet[Int(rng.next() % UInt64(alphabet.count))] }
      // White space at the ends now and then, so trimming has something to do.
      if rng.next() % 4 == 0 { s = " " + s }
      if rng.next() % 4 == 0 { s += "\u{A0} " }
      out.append(s)
    }
    return out
  }()

  /// The values in batches of 40 rows.
  static var batches: [[[String]]] {
    stride(from: 0, to: values.count, by: 40).map { start in
      values[start..<min(start + 40, values.count)].map { [$0] }
    }
  }

  /// What the Python reference gives for each case: one list per case name,
  /// one string (or null) per value.
  static func reference(_ cases: [[String: Any]]) throws -> [String: [String?]] {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "decant-text-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = dir.appendingPathComponent("input.json")
    try JSONSerialization.data(withJSONObject: ["values": values, "cases": cases]).write(to: input)
    let output = try Python.run(["-c", referenceScript, input.path])
    let decoded = try XCTUnwrap(JSONSerialization.jsonObject(with: output) as? [String: [Any]])
    return decoded.mapValues { $0.map { $0 as? String } }
  }

  static let referenceScript = #"""
    import json, re, sys, unicodedata

    WHITE_SPACE = set('\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000') | {
        chr(c) for c in range(0x2000, 0x200B)}

    def trim(s, side='both', characters=None, collapse=False):
        strip = set(characters) if characters else WHITE_SPACE
        i, j = 0, len(s)
        if side in ('both', 'left'):
            while i < j and s[i] in strip:
                i += 1
        if side in ('both', 'right'):
            while j > i and s[j - 1] in strip:
                j -= 1
        t = s[i:j]
        if collapse:
            a, b = 0, len(t)
            while a < b and t[a] in WHITE_SPACE:
                a += 1
            while b > a and t[b - 1] in WHITE_SPACE:
                b -= 1
            middle, run = [], False
            for c in t[a:b]:
                if c in WHITE_SPACE:
                    if not run:
                        middle.append(' ')
                    run = True
                else:
                    middle.append(c)
                    run = False
            t = t[:a] + ''.join(middle) + t[b:]
        return t

    def in_word(c):
        return unicodedata.category(c).startswith('L') or unicodedata.digit(c, None) is not None or c == "'"

    def title(s):
        out, start = [], True
        for c in s:
            if not in_word(c):
                out.append(c)
                start = True
            elif start:
                out.append(c.title() if unicodedata.category(c).startswith('L') else c.lower())
                start = False
            else:
                out.append(c.lower())
        return ''.join(out)

    def template(t):
        # Decant's replacement ($1, ${12}, \$, \\) as a Python one.
        out, i = [], 0
        while i < len(t):
            if t[i] == '\\':
                out.append('$' if t[i + 1] == '$' else '\\\\')
                i += 2
            elif t[i] == '$':
                m = re.match(r'\$\{(\d+)\}|\$(\d)', t[i:])
                out.append('\\g<' + (m.group(1) or m.group(2)) + '>')
                i += m.end()
            else:
                out.append(t[i])
                i += 1
        return ''.join(out)

    def run(case, s):
        if s == '':
            return None if case['op'] == 'extract' else s
        op = case['op']
        if op == 'upper':
            return s.upper()
        if op == 'lower':
            return s.lower()
        if op == 'title':
            return title(s)
        if op == 'trim':
            return trim(s, case.get('side', 'both'), case.get('characters'), case.get('collapse', False))
        if op == 'replace':
            flags = re.IGNORECASE if case.get('case_insensitive') else 0
            pattern = case['find'] if case.get('regex') else re.escape(case['find'])
            repl = template(case.get('with', '')) if case.get('regex') else case.get('with', '').replace('\\', '\\\\')
            if case.get('whole_cell'):
                return re.sub(pattern, repl, s, flags=flags) if re.fullmatch(pattern, s, flags) else s
            return re.sub(pattern, repl, s, flags=flags)
        if op == 'extract':
            m = re.search(case['pattern'], s)
            return m.group(case['group']) if m else None
        if op == 'map_values':
            mapping = case['mapping']
            if case.get('case_insensitive'):
                mapping = {k.casefold(): v for k, v in mapping.items()}
                key = s.casefold()
            else:
                key = s
            if key in mapping:
                return mapping[key]
            return None if case.get('unmapped') == 'null' else s
        raise ValueError(op)

    data = json.load(open(sys.argv[1], encoding='utf-8'))
    print(json.dumps({c['name']: [run(c, s) for s in data['values']] for c in data['cases']}))
    """#

  /// One case: the step's JSON, the reference's parameters, and the output column to compare.
  struct Case {
    var name: String
    var step: String
    var reference: [String: Any]
    var column = "s"
  }

  func check(_ cases: [Case], file: StaticString = #filePath, line: UInt = #line) throws {
    let expected = try Self.reference(cases.map { c in c.reference.merging(["name": c.name]) { a, _ in a } })
    for c in cases {
      let result = try runSteps(steps: c.step, columns: ["s"], batches: Self.batches, file: file, line: line)
      XCTAssertEqual(result.rejects, [], c.name, file: file, line: line)
      let got = result.column(c.column)
      let want = try XCTUnwrap(expected[c.name], c.name, file: file, line: line)
      XCTAssertEqual(got.count, Self.values.count, c.name, file: file, line: line)
      var differences = 0
      for (i, value) in Self.values.enumerated() where i < got.count && got[i] != (want[i] ?? "") {
        differences += 1
        if differences <= 5 {
          XCTFail(
            "\(c.name): \(Self.escaped(value)) gives \(Self.escaped(got[i])), Python \(Self.escaped(want[i] ?? ""))",
            file: file, line: line)
        }
      }
      XCTAssertEqual(differences, 0, "\(c.name): values that differ", file: file, line: line)
    }
  }

  /// A value with its code points spelt out, for failure messages.
  static func escaped(_ s: String) -> String {
    "\"\(s)\" [" + s.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: " ") + "]"
  }

  func testGeneratedValuesCoverTheInterestingCases() {
    let values = Self.values
    XCTAssertEqual(values.count, 300)
    XCTAssertTrue(values.contains { $0.contains("ß") })
    XCTAssertTrue(values.contains { $0.contains("\u{3000}") && $0.count > 1 })
    XCTAssertTrue(values.contains { $0.hasPrefix(" ") && $0.hasSuffix(" ") })
    XCTAssertGreaterThan(values.filter { $0.unicodeScalars.contains { $0.value > 0xFFFF } }.count, 10)
  }

  func testChangeCaseAgreesWithPython() throws {
    try check(
      ["upper", "lower", "title"].map { c in
        Case(
          name: c, step: #"{"op": "change_case", "columns": ["s"], "case": "\#(c)"}"#, reference: ["op": c])
      })
  }

  func testTrimAgreesWithATrimOverWhiteSpace() throws {
    try check([
      Case(name: "both", step: #"{"op": "trim", "columns": ["s"]}"#, reference: ["op": "trim"]),
      Case(
        name: "left", step: #"{"op": "trim", "columns": ["s"], "side": "left"}"#,
        reference: ["op": "trim", "side": "left"]),
      Case(
        name: "right", step: #"{"op": "trim", "columns": ["s"], "side": "right"}"#,
        reference: ["op": "trim", "side": "right"]),
      Case(
        name: "characters", step: #"{"op": "trim", "columns": ["s"], "characters": "a*é-\u00a0"}"#,
        reference: ["op": "trim", "characters": "a*é-\u{A0}"]),
      Case(
        name: "collapse", step: #"{"op": "trim", "columns": ["s"], "collapse": true}"#,
        reference: ["op": "trim", "collapse": true]),
      Case(
        name: "collapse right", step: #"{"op": "trim", "columns": ["s"], "side": "right", "collapse": true}"#,
        reference: ["op": "trim", "side": "right", "collapse": true]),
      Case(
        name: "collapse characters",
        step: #"{"op": "trim", "columns": ["s"], "characters": "x", "collapse": true}"#,
        reference: ["op": "trim", "characters": "x", "collapse": true]),
    ])
  }

  func testReplaceAgreesWithPython() throws {
    func replace(_ name: String, _ fields: String, _ reference: [String: Any]) -> Case {
      Case(
        name: name, step: #"{"op": "replace", "columns": ["s"], \#(fields)}"#,
        reference: reference.merging(["op": "replace"]) { a, _ in a })
    }
    try check([
      replace("literal", #""find": "a", "with": "<ä>""#, ["find": "a", "with": "<ä>"]),
      replace("literal delete", #""find": " ""#, ["find": " "]),
      replace("literal multibyte", #""find": "ß", "with": "ss""#, ["find": "ß", "with": "ss"]),
      replace("literal dollar", #""find": ".", "with": "$1""#, ["find": ".", "with": "$1"]),
      replace(
        "whole cell", #""find": "a", "with": "A", "whole_cell": true"#,
        ["find": "a", "with": "A", "whole_cell": true]),
      replace(
        "regex class", #""find": "[aeéä]+", "with": "_", "regex": true"#,
        ["find": "[aeéä]+", "with": "_", "regex": true]),
      replace(
        "regex groups", #""find": "(\\d)([^\\d])", "with": "$2${1}", "regex": true"#,
        ["find": "(\\d)([^\\d])", "with": "$2${1}", "regex": true]),
      replace(
        "regex escapes", #""find": "([Zz])", "with": "\\$\\\\$1", "regex": true"#,
        ["find": "([Zz])", "with": "\\$\\\\$1", "regex": true]),
      replace(
        "regex whole cell", #""find": "[ a-z]+", "with": "letters", "regex": true, "whole_cell": true"#,
        ["find": "[ a-z]+", "with": "letters", "regex": true, "whole_cell": true]),
      replace(
        "ignoring case", #""find": "Ab", "with": "-", "case_insensitive": true"#,
        ["find": "Ab", "with": "-", "case_insensitive": true]),
      replace(
        "ignoring case non-ASCII", #""find": "éж", "with": "-", "case_insensitive": true"#,
        ["find": "éж", "with": "-", "case_insensitive": true]),
      replace(
        "regex ignoring case", #""find": "[éx]", "with": "?", "regex": true, "case_insensitive": true"#,
        ["find": "[éx]", "with": "?", "regex": true, "case_insensitive": true]),
    ])
  }

  func testExtractAgreesWithPython() throws {
    func extract(_ name: String, _ pattern: String, group: Int?, _ json: String) -> Case {
      let groupField = group.map { #", "group": \#($0)"# } ?? ""
      return Case(
        name: name,
        step: #"{"op": "extract", "column": "s", "pattern": "\#(json)", "to": "x"\#(groupField)}"#,
        reference: ["op": "extract", "pattern": pattern, "group": group ?? 1], column: "x")
    }
    try check([
      extract("digits", "(\\d+)", group: nil, "(\\\\d+)"),
      extract("second group", "([A-ZÄÉ])([a-zäé]*)", group: 2, "([A-ZÄÉ])([a-zäé]*)"),
      extract("whole match", "[0-9]+[^0-9 ]", group: 0, "[0-9]+[^0-9 ]"),
      extract("group without part", "(x)|(é)", group: 2, "(x)|(é)"),
      extract("astral", "([😀中文]+)", group: nil, "([😀中文]+)"),
    ])
  }

  func testMapValuesAgreesWithPython() throws {
    // Map some of the generated values (and some values that never occur).
    var mapping: [(String, String?)] = []
    for (i, v) in Self.values.enumerated() where i % 7 == 3 && !v.isEmpty {
      if !mapping.contains(where: { $0.0 == v }) { mapping.append((v, i % 2 == 0 ? "m\(i)" : nil)) }
    }
    mapping.append(("never", "n"))
    func json(_ m: [(String, String?)]) -> String {
      var out = "{"
      for (i, (k, v)) in m.enumerated() {
        if i > 0 { out += ", " }
        JSONValue.writeString(k, to: &out)
        out += ": "
        if let v { JSONValue.writeString(v, to: &out) } else { out += "null" }
      }
      return out + "}"
    }
    let reference: [String: Any] = Dictionary(
      uniqueKeysWithValues: mapping.map { ($0.0, $0.1.map { $0 as Any } ?? NSNull()) })
    // Ignoring case: keys that fold alike must agree, so fold-unique keys only.
    var seen = Set<[UInt8]>()
    let folding = mapping.filter { seen.insert(CaseMapping.folded($0.0)).inserted }
    let foldingReference: [String: Any] = Dictionary(
      uniqueKeysWithValues: folding.map { ($0.0, $0.1.map { $0 as Any } ?? NSNull()) })
    try check([
      Case(
        name: "keep", step: #"{"op": "map_values", "columns": ["s"], "mapping": \#(json(mapping))}"#,
        reference: ["op": "map_values", "mapping": reference]),
      Case(
        name: "null",
        step: #"{"op": "map_values", "columns": ["s"], "mapping": \#(json(mapping)), "unmapped": "null"}"#,
        reference: ["op": "map_values", "mapping": reference, "unmapped": "null"]),
      Case(
        name: "ignoring case",
        step:
          #"{"op": "map_values", "columns": ["s"], "mapping": \#(json(folding)), "case_insensitive": true}"#,
        reference: ["op": "map_values", "mapping": foldingReference, "case_insensitive": true]),
    ])
    XCTAssertGreaterThan(mapping.count, 30)
  }
}
