import XCTest

@testable import DecantCore

/// ICU regular expressions on cells' bytes (`Sources/DecantCore/Text/Regex.swift`).
final class RegexTests: XCTestCase {
  func pattern(_ p: String, caseInsensitive: Bool = false, literal: Bool = false) throws -> RegexPattern {
    try RegexPattern(p, caseInsensitive: caseInsensitive, literal: literal)
  }

  /// Every match's group ranges, in byte offsets, as `firstMatch`/`nextMatch` find them.
  func matches(_ p: RegexPattern, _ text: String) -> [[Range<Int>?]] {
    let m = p.makeMatcher()
    return Array(text.utf8).withUnsafeBufferPointer { bytes in
      var out: [[Range<Int>?]] = []
      var found = m.firstMatch(in: bytes)
      while found {
        out.append((0...p.groupCount).map { m.range(group: $0) })
        found = m.nextMatch()
      }
      return out
    }
  }

  func finds(_ p: RegexPattern, _ text: String) -> Bool {
    Array(text.utf8).withUnsafeBufferPointer { p.makeMatcher().firstMatch(in: $0) }
  }

  /// The text after `replaceAll` (or `replaceWholeCell`), or nil when nothing matched.
  func replace(_ p: RegexPattern, _ text: String, _ template: String, wholeCell: Bool = false) throws
    -> String?
  {
    let t = try ReplacementTemplate(template, groupCount: p.groupCount)
    let out = ByteBuffer(capacity: 16)
    let m = p.makeMatcher()
    let changed = Array(text.utf8).withUnsafeBufferPointer { bytes in
      wholeCell
        ? m.replaceWholeCell(in: bytes, template: t, into: out)
        : m.replaceAll(in: bytes, template: t, into: out)
    }
    if !changed { XCTAssertEqual(out.count, 0, "nothing appended when nothing matched") }
    return changed ? String(decoding: out.bytes, as: UTF8.self) : nil
  }

  // MARK: Matching

  func testGroupsGiveByteRangesOfTheFirstMatch() throws {
    let p = try pattern("([a-z]+)@([a-z]+)\\.com")
    XCTAssertEqual(p.groupCount, 2)
    XCTAssertEqual(
      matches(p, "mail: bob@example.com, al@x.com"),
      [[6..<21, 6..<9, 10..<17], [23..<31, 23..<25, 26..<27]])
  }

  func testAGroupThatTookNoPartInTheMatchHasNoRange() throws {
    let p = try pattern("(a)|(b)")
    XCTAssertEqual(matches(p, "b"), [[0..<1, nil, 0..<1]])
    XCTAssertEqual(matches(try pattern("x(y)?"), "x"), [[0..<1, nil]])
  }

  func testOffsetsAreBytesNotCharacters() throws {
    // é is two bytes in UTF-8, 😀 four.
    XCTAssertEqual(matches(try pattern("[0-9]+"), "é12"), [[2..<4]])
    XCTAssertEqual(matches(try pattern("(.)x"), "é😀x"), [[2..<7, 2..<6]])
    XCTAssertEqual(matches(try pattern("é"), "aéé"), [[1..<3], [3..<5]])
  }

  func testDotMatchesOneCharacterOfSeveralBytes() throws {
    let m = try pattern("^.{3}$").makeMatcher()
    XCTAssertTrue(Array("é😀日".utf8).withUnsafeBufferPointer { m.firstMatch(in: $0) })
    XCTAssertFalse(Array("é😀日x".utf8).withUnsafeBufferPointer { m.firstMatch(in: $0) })
  }

  func testNoMatchAndEmptyText() throws {
    let p = try pattern("[0-9]+")
    XCTAssertEqual(matches(p, "abc"), [])
    XCTAssertEqual(matches(p, ""), [])
    XCTAssertEqual(matches(try pattern("^$"), ""), [[0..<0]])
    XCTAssertTrue(p.makeMatcher().firstMatch(in: UnsafeBufferPointer(start: nil, count: 0)) == false)
  }

  func testMatchesEntirelyNeedsTheWholeText() throws {
    let m = try pattern("[a-z]+").makeMatcher()
    XCTAssertTrue(Array("abc".utf8).withUnsafeBufferPointer { m.matchesEntirely($0) })
    XCTAssertEqual(m.range(group: 0), 0..<3)
    XCTAssertFalse(Array("abc1".utf8).withUnsafeBufferPointer { m.matchesEntirely($0) })
    XCTAssertFalse(Array("1abc".utf8).withUnsafeBufferPointer { m.matchesEntirely($0) })
  }

  func testAMatcherIsReusedAcrossTexts() throws {
    let m = try pattern("b+").makeMatcher()
    for (text, range) in [("abbc", 1..<3), ("b", 0..<1), ("xyz", nil), ("ééb", 4..<5)]
      as [(String, Range<Int>?)]
    {
      let found = Array(text.utf8).withUnsafeBufferPointer { m.firstMatch(in: $0) }
      XCTAssertEqual(found, range != nil, text)
      if found { XCTAssertEqual(m.range(group: 0), range, text) }
    }
  }

  // MARK: Case-insensitive matching

  /// ICU folds runs of literal characters fully (so `ß` and `SS` match each
  /// other, as `case_insensitive` promises), but a character class or a single
  /// quantified character only simply (one character to one character).
  func testCaseInsensitiveLiteralsMatchByFullCaseFolding() throws {
    XCTAssertTrue(finds(try pattern("STRASSE", caseInsensitive: true), "straße"))
    XCTAssertTrue(finds(try pattern("straße", caseInsensitive: true), "STRASSE"))
    XCTAssertTrue(finds(try pattern("^ß$", caseInsensitive: true), "ss"))
    XCTAssertTrue(finds(try pattern("STRASSE", caseInsensitive: true, literal: true), "in der Straße"))
    XCTAssertEqual(matches(try pattern("SS", caseInsensitive: true), "aßb"), [[1..<3]])
    XCTAssertTrue(finds(try pattern("σ", caseInsensitive: true), "ΟΔΟΣ"))
    XCTAssertTrue(finds(try pattern("ς", caseInsensitive: true), "Σ"))
    XCTAssertTrue(finds(try pattern("k", caseInsensitive: true), "\u{212A}"))  // KELVIN SIGN
    XCTAssertFalse(finds(try pattern("STRASSE"), "straße"))
  }

  func testCaseInsensitiveClassesAndRepeatsFoldOnlyOneToOne() throws {
    XCTAssertFalse(finds(try pattern("STRA[ß]E", caseInsensitive: true), "strasse"))
    XCTAssertFalse(finds(try pattern("^s+$", caseInsensitive: true), "ß"))
    XCTAssertTrue(finds(try pattern("[é]", caseInsensitive: true), "É"))
  }

  // MARK: Literal patterns

  func testLiteralPatternsTreatMetacharactersAsText() throws {
    let p = try pattern("a.b*(c)[d]$\\", literal: true)
    XCTAssertEqual(p.groupCount, 0)
    XCTAssertEqual(matches(p, "xa.b*(c)[d]$\\y"), [[1..<13]])
    XCTAssertFalse(finds(p, "aab(c)[d]$\\"))
    XCTAssertEqual(
      try replace(pattern("$1.50", literal: true), "cost $1.50 or $1X50", "€2"), "cost €2 or $1X50")
  }

  // MARK: Replacing

  func testReplaceAllWithEmptyMatchesAdvancesOneCharacterAtATime() throws {
    // As Python's re.sub("x*", "-", "abc") and ICU's own replaceAll.
    XCTAssertEqual(try replace(pattern("x*"), "abc", "-"), "-a-b-c-")
    XCTAssertEqual(try replace(pattern("x*"), "axxb", "-"), "-a--b-")
    XCTAssertEqual(try replace(pattern("x*"), "é", "-"), "-é-")
    XCTAssertEqual(try replace(pattern(""), "", "-"), "-")
    let out = ByteBuffer(capacity: 16)
    let nothing = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    XCTAssertTrue(
      try pattern("").makeMatcher().replaceAll(in: nothing, template: .init(literal: "-"), into: out))
    XCTAssertEqual(Array(out.bytes), Array("-".utf8))
    XCTAssertEqual(matches(try pattern("x*"), "abc"), [[0..<0], [1..<1], [2..<2], [3..<3]])
  }

  func testReplaceAllInsertsGroups() throws {
    let p = try pattern("(\\w+)@(\\w+)")
    XCTAssertEqual(try replace(p, "bob@ex, al@yz!", "$2 at $1 ($0)"), "ex at bob (bob@ex), yz at al (al@yz)!")
    // A group that took no part in a match inserts nothing.
    XCTAssertEqual(try replace(pattern("(a)|b"), "ab", "[$1]"), "[a][]")
    XCTAssertEqual(try replace(pattern("(\\d+)"), "a1b22", "<${1}0>"), "a<10>b<220>")
    XCTAssertEqual(try replace(pattern("(\\d)"), "1", "$10"), "10")  // $1 then "0"
    XCTAssertEqual(try replace(pattern("é(.)"), "aébc", "$1"), "abc")
  }

  func testReplaceAllTemplateEscapes() throws {
    XCTAssertEqual(try replace(pattern("x"), "axb", "\\$1\\\\"), "a$1\\b")
  }

  func testReplaceAllReportsNoChangeWhenNothingMatches() throws {
    XCTAssertNil(try replace(pattern("[0-9]"), "abc", "#"))
    XCTAssertNil(try replace(pattern("[0-9]"), "", "#"))
  }

  func testReplaceWholeCellOnlyWhenThePatternMatchesAllOfIt() throws {
    let p = try pattern("(\\d+)-(\\d+)")
    XCTAssertEqual(try replace(p, "12-34", "$2-$1", wholeCell: true), "34-12")
    XCTAssertNil(try replace(p, "12-34 ", "$2-$1", wholeCell: true))
    XCTAssertEqual(
      try replace(pattern("n/a", caseInsensitive: true, literal: true), "N/A", "", wholeCell: true), "")
  }

  func testLiteralTemplateInsertsTextAsItIs() throws {
    let m = try pattern("o").makeMatcher()
    let out = ByteBuffer(capacity: 16)
    let t = ReplacementTemplate(literal: "$1\\")
    XCTAssertTrue(Array("foo".utf8).withUnsafeBufferPointer { m.replaceAll(in: $0, template: t, into: out) })
    XCTAssertEqual(String(decoding: out.bytes, as: UTF8.self), "f$1\\$1\\")
  }

  func testTemplateErrorsSayWhatIsWrongAndWhere() throws {
    func message(_ template: String, groups: Int) -> String? {
      do {
        _ = try ReplacementTemplate(template, groupCount: groups)
        return nil
      } catch { return error.message }
    }
    XCTAssertEqual(
      message("a$3", groups: 2),
      "group 3 does not exist (the pattern has 2 groups) at offset 1 of the replacement \"a$3\"")
    XCTAssertEqual(
      message("${12}", groups: 1),
      "group 12 does not exist (the pattern has 1 group) at offset 0 of the replacement \"${12}\"")
    XCTAssertEqual(
      message("$1", groups: 0),
      "group 1 does not exist (the pattern has no groups) at offset 0 of the replacement \"$1\"")
    XCTAssertEqual(
      message("é $x", groups: 1),
      "\"$\" must be followed by a group number ($1, ${12}) (write \"\\$\" for a dollar sign) at offset 2 of the replacement \"é $x\""
    )
    XCTAssertEqual(message("cost $", groups: 0)?.contains("at offset 5"), true)
    XCTAssertEqual(
      message("${1", groups: 1)?.hasPrefix("\"${\" must be followed by a group number and \"}\""), true)
    XCTAssertEqual(message("${}", groups: 1)?.hasPrefix("\"${\" must be followed"), true)
    XCTAssertEqual(message("a\\n", groups: 0)?.hasPrefix("\"\\\" must be followed by \"$\" or \"\\\""), true)
    XCTAssertEqual(message("a\\", groups: 0)?.contains("at offset 1"), true)
    XCTAssertEqual(
      message("${99999999999999999999}", groups: 3)?.hasPrefix("group 99999999999999999999 does not exist"),
      true)
    XCTAssertNil(message("$0 ${0} \\$ \\\\ plain", groups: 0))
  }

  // MARK: Pattern errors

  func testABadPatternSaysWhatIsWrongAndWhere() throws {
    func error(_ p: String, literal: Bool = false) -> RegexSyntaxError? {
      do {
        _ = try RegexPattern(p, literal: literal)
        return nil
      } catch { return error }
    }
    XCTAssertEqual(
      error("abc)"), RegexSyntaxError(message: "unbalanced parentheses at offset 3 of \"abc)\"", offset: 3))
    XCTAssertEqual(
      error("é[ab"),
      RegexSyntaxError(message: "missing ] to close a character class at offset 3 of \"é[ab\"", offset: 3))
    XCTAssertEqual(error("[z-a]")?.message.hasPrefix("character range [x-y] with x after y at offset"), true)
    XCTAssertEqual(error("a{2,1}")?.message.hasPrefix("{min,max} repetition with max less than min"), true)
    XCTAssertEqual(error("a**")?.message.hasPrefix("syntax error"), true)
    XCTAssertEqual(error("\\p{Nope}")?.message.hasPrefix("bad Unicode property"), true)
    XCTAssertEqual(error("x\ny(")?.offset, 3)  // offsets count from the start, across lines
    XCTAssertNil(error("abc)", literal: true))
  }

  func testPatternsCompareByTextAndFlags() throws {
    XCTAssertEqual(try pattern("a+"), try pattern("a+"))
    XCTAssertNotEqual(try pattern("a+"), try pattern("a+", caseInsensitive: true))
    XCTAssertNotEqual(try pattern("a+"), try pattern("a+", literal: true))
    XCTAssertNotEqual(try pattern("a+"), try pattern("a*"))
  }

  // MARK: Threads

  func testMatchersOfOnePatternWorkOnSeveralThreadsAtOnce() throws {
    let p = try pattern("(\\d+)-(\\d+)")
    DispatchQueue.concurrentPerform(iterations: 8) { t in
      let m = p.makeMatcher()
      for i in 0..<2000 {
        let text = Array("row \(t) \(i)-\(i * 7) end".utf8)
        let found = text.withUnsafeBufferPointer { bytes -> Bool in
          guard m.firstMatch(in: bytes), let r = m.range(group: 2) else { return false }
          return String(decoding: bytes[r], as: UTF8.self) == "\(i * 7)"
        }
        if !found { XCTFail("thread \(t), row \(i)") }
      }
    }
  }
}
