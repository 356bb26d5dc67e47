import CUnicode

/// A pattern that does not compile, or a replacement template that does not
/// parse.
public struct RegexSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What is wrong and where: `unbalanced parentheses at offset 3 of "abc)"`.
  public var message: String
  /// Where the error was noticed, in characters (code points) from the start;
  /// nil when ICU does not say.
  public var offset: Int?

  public init(message: String, offset: Int?) {
    self.message = message
    self.offset = offset
  }

  public var description: String { message }
}

/// A compiled ICU regular expression (https://unicode-org.github.io/icu/userguide/strings/regexp.html).
/// Compile it once (when a recipe is read), then give each thread that matches
/// its own `makeMatcher()`.
public struct RegexPattern: Sendable, Equatable {
  /// The pattern as written.
  public let pattern: String
  public let caseInsensitive: Bool
  /// Whether the pattern is plain text (no character is special).
  public let literal: Bool
  /// The number of capturing groups.
  public let groupCount: Int
  fileprivate let compiled: CompiledRegex
  /// Bytes every match holds one of (values without any are answered at once).
  let prefilter: RegexPrefilter?

  /// Compiles `pattern`. With `caseInsensitive`, ICU matches a run of literal
  /// characters by full case folding (`STRASSE` finds `straße`) but a character
  /// class or a single repeated character by simple folding (`[ß]` and `s+` do
  /// not match `ss`, `ß`).
  public init(_ pattern: String, caseInsensitive: Bool = false, literal: Bool = false)
    throws(RegexSyntaxError)
  {
    try self.init(pattern, caseInsensitive: caseInsensitive, literal: literal, prefiltered: true)
  }

  /// `prefiltered: false` always runs ICU (to test the prefilter against).
  init(_ pattern: String, caseInsensitive: Bool, literal: Bool, prefiltered: Bool) throws(RegexSyntaxError) {
    self.pattern = pattern
    self.caseInsensitive = caseInsensitive
    self.literal = literal
    let flags = (caseInsensitive ? DECANT_REGEX_CASE_INSENSITIVE : 0) | (literal ? DECANT_REGEX_LITERAL : 0)
    var source = pattern
    var errorOffset: Int32 = -1
    var errorText = [CChar](repeating: 0, count: 128)
    let handle = source.withUTF8 { p -> OpaquePointer? in
      guard p.count <= Int(Int32.max) else { return nil }
      return decant_regex_open(p.baseAddress, Int32(p.count), flags, &errorOffset, &errorText, 128)
    }
    guard let handle else {
      let what = errorText.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
      let offset = errorOffset >= 0 ? Int(errorOffset) : nil
      throw RegexSyntaxError(
        message: describe(what.isEmpty ? "pattern too long" : what, at: offset, in: "\"\(pattern)\""),
        offset: offset)
    }
    compiled = CompiledRegex(handle)
    groupCount = Int(decant_regex_group_count(handle))
    prefilter =
      prefiltered
      ? RegexPrefilter.make(pattern: pattern, caseInsensitive: caseInsensitive, literal: literal) : nil
  }

  /// A matcher for one thread.
  public func makeMatcher() -> RegexMatcher { RegexMatcher(self) }

  public static func == (a: RegexPattern, b: RegexPattern) -> Bool {
    a.pattern == b.pattern && a.caseInsensitive == b.caseInsensitive && a.literal == b.literal
  }
}

/// The compiled form of a pattern. It is never matched against, only cloned
/// into matchers; ICU's cloning only reads it (the clones share its compiled
/// program through an atomic reference count), so threads can share it.
private final class CompiledRegex: @unchecked Sendable {
  let handle: OpaquePointer

  init(_ handle: OpaquePointer) { self.handle = handle }

  deinit { decant_regex_close(handle) }
}

/// Searches cells' bytes (valid UTF-8: check with `UTF8Text.isValid` first)
/// with one pattern. One per thread; reusing it for every cell allocates
/// nothing. Ranges are byte offsets into the bytes last given, which must stay
/// in place while the matcher's results are read.
public final class RegexMatcher {
  public let pattern: RegexPattern
  private let handle: OpaquePointer
  /// Why the last search stopped without an answer (ICU's backtracking stack
  /// overflowed); nil when it answered. Such a search reports no match.
  @exclusivity(unchecked) public private(set) var failure: String?
  /// Answers values that cannot match without running ICU.
  private let prefilter: RegexPrefilter.Test?

  fileprivate init(_ pattern: RegexPattern) {
    self.pattern = pattern
    guard let handle = decant_regex_clone(pattern.compiled.handle) else {
      fatalError("out of memory cloning the regex \"\(pattern.pattern)\"")
    }
    self.handle = handle
    prefilter = pattern.prefilter.map(RegexPrefilter.Test.init)
  }

  deinit { decant_regex_close(handle) }

  /// Whether the pattern matches somewhere in `bytes`; if so, its first match
  /// (leftmost) is the current one.
  public func firstMatch(in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    if let prefilter, !prefilter.mayMatch(bytes) {
      failure = nil
      return false
    }
    guard setText(bytes) else { return false }
    return answer(decant_regex_find(handle, 0))
  }

  /// Moves to the next match after the current one, if there is one. After an
  /// empty match the search starts one character further, so `x*` on `abc`
  /// matches (empty) at 0, 1, 2 and 3.
  public func nextMatch() -> Bool {
    answer(decant_regex_find_next(handle))
  }

  /// The byte range of a group (0: the whole match) in the current match; nil
  /// when the group took no part in it (`(a)|b` matching `b`) or there is no
  /// current match.
  public func range(group: Int) -> Range<Int>? {
    precondition(group >= 0 && group <= pattern.groupCount, "no group \(group) in \"\(pattern.pattern)\"")
    var start: Int64 = -1
    var end: Int64 = -1
    guard decant_regex_group_range(handle, Int32(group), &start, &end) == 0, start >= 0 else { return nil }
    return Int(start)..<Int(end)
  }

  /// Whether the pattern matches all of `bytes` (as if anchored with `^…$`); if
  /// so, that match is the current one.
  public func matchesEntirely(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    if let prefilter, !prefilter.mayMatch(bytes) {
      failure = nil
      return false
    }
    guard setText(bytes) else { return false }
    return answer(decant_regex_matches(handle))
  }

  /// Replaces every match in `bytes` by `template`. When the pattern matches,
  /// appends the whole new text to `out` and returns true; when it does not,
  /// appends nothing and returns false (the text stays as it is).
  public func replaceAll(
    in bytes: UnsafeBufferPointer<UInt8>, template: ReplacementTemplate, into out: ByteBuffer
  ) -> Bool {
    guard firstMatch(in: bytes) else { return false }
    var copied = 0
    repeat {
      guard let match = range(group: 0) else { break }
      Self.copy(bytes, copied..<match.lowerBound, into: out)
      template.write(self, source: bytes, into: out)
      copied = match.upperBound
    } while nextMatch()
    Self.copy(bytes, copied..<bytes.count, into: out)
    return true
  }

  /// Replaces the whole of `bytes` by `template` if the pattern matches all of
  /// it: then appends the new text to `out` and returns true; otherwise appends
  /// nothing and returns false.
  public func replaceWholeCell(
    in bytes: UnsafeBufferPointer<UInt8>, template: ReplacementTemplate, into out: ByteBuffer
  ) -> Bool {
    guard matchesEntirely(bytes) else { return false }
    template.write(self, source: bytes, into: out)
    return true
  }

  private func setText(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    failure = nil
    guard decant_regex_set_text(handle, bytes.baseAddress, Int64(bytes.count)) == 0 else {
      failure = String(cString: decant_regex_error(handle))
      return false
    }
    return true
  }

  @inline(__always) private func answer(_ result: Int32) -> Bool {
    if result < 0 {
      failure = String(cString: decant_regex_error(handle))
      return false
    }
    return result == 1
  }

  /// Appends `bytes[range]`.
  @inline(__always) static func copy(
    _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into out: ByteBuffer
  ) {
    guard !range.isEmpty, let p = bytes.baseAddress else { return }
    out.reserve(range.count).update(from: p + range.lowerBound, count: range.count)
    out.advance(by: range.count)
  }
}

/// The replacement text of a regex `replace`, parsed once: `$0`…`$9` and
/// `${N}` insert a group of the match (nothing when the group took no part in
/// it), `\$` is a dollar sign and `\\` a backslash; every other character is
/// itself.
public struct ReplacementTemplate: Sendable, Equatable {
  private enum Piece: Sendable, Equatable {
    /// A range of `text`.
    case text(Range<Int>)
    case group(Int)
  }

  private let text: [UInt8]
  private let pieces: [Piece]

  /// Parses `template` for a pattern with `groupCount` groups; a reference to a
  /// group beyond them, a `$` not followed by a group number and a `\` not
  /// followed by `$` or `\` are errors.
  public init(_ template: String, groupCount: Int) throws(RegexSyntaxError) {
    let scalars = Array(template.unicodeScalars)
    var text: [UInt8] = []
    var pieces: [Piece] = []
    var textStart = 0
    func endText() {
      if text.count > textStart { pieces.append(.text(textStart..<text.count)) }
      textStart = text.count
    }
    func fail(_ what: String, at offset: Int) -> RegexSyntaxError {
      RegexSyntaxError(
        message: describe(what, at: offset, in: "the replacement \"\(template)\""), offset: offset)
    }
    var i = 0
    while i < scalars.count {
      let c = scalars[i]
      switch c {
      case "\\":
        guard i + 1 < scalars.count, scalars[i + 1] == "$" || scalars[i + 1] == "\\" else {
          throw fail("\"\\\" must be followed by \"$\" or \"\\\" (write \"\\\\\" for a backslash)", at: i)
        }
        text.append(UInt8(scalars[i + 1].value))
        i += 2
      case "$":
        var digits = ""
        var end = i + 1
        if end < scalars.count, scalars[end] == "{" {
          end += 1
          while end < scalars.count, ("0"..."9").contains(scalars[end]) {
            digits.unicodeScalars.append(scalars[end])
            end += 1
          }
          guard !digits.isEmpty, end < scalars.count, scalars[end] == "}" else {
            throw fail("\"${\" must be followed by a group number and \"}\"", at: i)
          }
          end += 1
        } else if end < scalars.count, ("0"..."9").contains(scalars[end]) {
          digits.unicodeScalars.append(scalars[end])
          end += 1
        } else {
          throw fail(
            "\"$\" must be followed by a group number ($1, ${12}) (write \"\\$\" for a dollar sign)", at: i)
        }
        guard digits.count <= 9, let group = Int(digits), group <= groupCount else {
          let has =
            switch groupCount {
            case 0: "no groups"
            case 1: "1 group"
            default: "\(groupCount) groups"
            }
          throw fail("group \(digits) does not exist (the pattern has \(has))", at: i)
        }
        endText()
        pieces.append(.group(group))
        i = end
      default:
        text.append(contentsOf: String(c).utf8)
        i += 1
      }
    }
    endText()
    self.text = text
    self.pieces = pieces
  }

  /// A template that is `text` as it is (no group references, no escapes).
  public init(literal text: String) {
    self.text = Array(text.utf8)
    pieces = self.text.isEmpty ? [] : [.text(0..<self.text.count)]
  }

  /// Appends the replacement of `matcher`'s current match in `source`.
  fileprivate func write(_ matcher: RegexMatcher, source: UnsafeBufferPointer<UInt8>, into out: ByteBuffer) {
    text.withUnsafeBufferPointer { text in
      for piece in pieces {
        switch piece {
        case .text(let r): RegexMatcher.copy(text, r, into: out)
        case .group(let g): if let r = matcher.range(group: g) { RegexMatcher.copy(source, r, into: out) }
        }
      }
    }
  }
}

/// `WHAT at offset N of SUBJECT`.
private func describe(_ what: String, at offset: Int?, in subject: String) -> String {
  if let offset { return "\(what) at offset \(offset) of \(subject)" }
  return "\(what) in \(subject)"
}
