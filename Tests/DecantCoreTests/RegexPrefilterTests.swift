import XCTest

@testable import DecantCore

/// The prefilter answers "no match" without ICU only for values that cannot
/// match: checked against ICU itself on generated patterns and values.
final class RegexPrefilterTests: XCTestCase {
  func need(_ pattern: String) -> RegexPrefilter? {
    RegexPrefilter.make(pattern: pattern, caseInsensitive: false, literal: false)
  }

  func testRequiredBytesAndStringsAreReadOffThePattern() throws {
    XCTAssertEqual(need(#""([a-z]+)""#)?.bytes, [34])
    XCTAssertEqual(
      need("refund|cancel|return")?.strings,
      [Array("refund".utf8), Array("cancel".utf8), Array("return".utf8)])
    XCTAssertEqual(need("([0-9]+(?:[.][0-9]+)?)")?.bytes, Set("0123456789".utf8))
    XCTAssertEqual(need(#"a\.b"#)?.strings, [Array("a.b".utf8)])
    XCTAssertEqual(need("x+yz")?.strings, [Array("xyz".utf8)])
    XCTAssertEqual(need("ab|[0-9]")?.strings, [Array("ab".utf8)])
    XCTAssertEqual(need("ab|[0-9]")?.bytes, Set("0123456789".utf8))
  }

  func testPatternsThatRequireNothingOrAreNotUnderstoodGetNoPrefilter() {
    for pattern in [
      "a?", "a*", "a{0,3}", "a|", "(?i)abc", #"\p{L}x"#, #"\Qa.b\E"#, "(a)\\1", "[[a-z]&&[^b]]", ".", "^$",
      "é",
      "[^a]", #"\d+"#, "(?=a)b", "a|.", "",
    ] {
      XCTAssertNil(need(pattern), pattern)
    }
    XCTAssertNil(RegexPrefilter.make(pattern: "abc", caseInsensitive: true, literal: false))
  }

  func testPrefilteredMatchingAgreesWithICUOnGeneratedPatternsAndValues() throws {
    var rng = SplitMix(seed: 7)
    let atoms = [
      "a", "b", "x", "\"", #"\."#, #"\""#, "[a-c]", "[^x]", "[0-9]", "[-a]", "[a-]", #"[\.x]"#, ".", #"\d"#,
      #"\w"#,
      "^", "$", "é", " ", #"\n"#,
    ]
    let quantifiers = ["", "", "", "?", "*", "+", "{0,2}", "{1,3}", "{2}", "+?", "*+"]
    func pattern(_ depth: Int) -> String {
      var parts: [String] = []
      for _ in 0..<(1 + rng.next(3)) {
        var atom: String
        if depth < 2 && rng.next(5) == 0 {
          atom = (rng.next(2) == 0 ? "(" : "(?:") + pattern(depth + 1) + ")"
        } else {
          atom = atoms[rng.next(atoms.count)]
        }
        // Groups get greedy quantifiers only: ICU runs away on a lazily repeated group
        // that can match nothing (`(a*)+?`), which its time limit then stops.
        let group = atom.hasPrefix("(")
        let choices = group ? ["", "?", "+", "{1,2}"] : quantifiers
        if atom != "^" && atom != "$" { atom += choices[rng.next(choices.count)] }
        parts.append(atom)
      }
      var p = parts.joined()
      if rng.next(4) == 0 { p += "|" + pattern(depth + 1) }
      return p
    }
    let alphabet = ["a", "b", "c", "x", "\"", ".", "0", "7", "é", " ", "\n", "-", "ab", "a.b", "xyz"]
    var checked = 0
    var skipped = 0
    for _ in 0..<3000 {
      let p = pattern(0)
      guard let filtered = try? RegexPattern(p), filtered.prefilter != nil else { continue }
      let plain = try RegexPattern(p, caseInsensitive: false, literal: false, prefiltered: false)
      let a = filtered.makeMatcher()
      let b = plain.makeMatcher()
      for _ in 0..<40 {
        var value = ""
        for _ in 0..<rng.next(8) { value += alphabet[rng.next(alphabet.count)] }
        var bytes = Array(value.utf8)
        let (x, y) = bytes.withUnsafeMutableBufferPointer { buffer -> (Bool, Bool) in
          let v = UnsafeBufferPointer(buffer)
          return (a.firstMatch(in: v), b.firstMatch(in: v))
        }
        let (wx, wy) = bytes.withUnsafeMutableBufferPointer { buffer -> (Bool, Bool) in
          let v = UnsafeBufferPointer(buffer)
          return (a.matchesEntirely(v), b.matchesEntirely(v))
        }
        XCTAssertEqual(x, y, "find \(p) in \(value.debugDescription)")
        XCTAssertEqual(wx, wy, "whole \(p) on \(value.debugDescription)")
        if !y { skipped += 1 }
        checked += 1
      }
    }
    XCTAssertGreaterThan(checked, 2000)
    XCTAssertGreaterThan(skipped, 100)
  }
}

/// A small seeded generator (the same numbers on every run and platform).
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next(_ bound: Int) -> Int {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return Int(z % UInt64(bound))
  }
}
