#if canImport(Glibc)
  import Glibc
#endif

/// Bytes of which every match of a pattern holds at least one, read off the
/// pattern's text: a value with none of them cannot match, and is answered
/// without running the regex engine (`"([a-z]+)"` needs a `"`, `[0-9]+` a
/// digit). Most values of a column fail such a test, and a byte scan costs a
/// fraction of a regex search.
///
/// Conservative by construction: only literal ASCII characters, `\`-escaped
/// punctuation and bracket classes of ASCII characters and ranges that must
/// occur (not under `?`, `*`, `{0,…}`, nor in only some branches of `|`) are
/// used; any construct it does not fully understand (`(?…)` other than `(?:`,
/// `\p`, `\Q`, nested classes, back references, …) gives no prefilter. Case-
/// insensitive patterns get none.
struct RegexPrefilter: Sendable {
  /// Byte strings of which a match holds one (as a whole) …
  let strings: [[UInt8]]
  /// … or else one of these bytes.
  let bytes: Set<UInt8>

  init(strings: [[UInt8]] = [], bytes: Set<UInt8> = []) {
    self.strings = strings
    self.bytes = bytes
  }

  /// The prefilter of an ICU pattern, or nil when none can be read off it safely.
  static func make(pattern: String, caseInsensitive: Bool, literal: Bool) -> RegexPrefilter? {
    if caseInsensitive { return nil }
    if literal {
      let text = Array(pattern.utf8)
      return text.isEmpty ? nil : RegexPrefilter(strings: [text])
    }
    var parser = Parser(Array(pattern.unicodeScalars))
    guard let need = parser.parsePattern() else { return nil }
    return RegexPrefilter(strings: need.strings, bytes: need.bytes)
  }

  /// The test a matcher runs: owned memory, read without reference counting.
  final class Test {
    private let strings: [[UInt8]]
    private let single: UInt8?
    /// 256 flags, one per byte value (nil: no byte set).
    private let table: UnsafeMutablePointer<Bool>?

    init(_ filter: RegexPrefilter) {
      strings = filter.strings
      single = filter.bytes.count == 1 ? filter.bytes.first : nil
      if filter.bytes.count > 1 {
        let t = UnsafeMutablePointer<Bool>.allocate(capacity: 256)
        t.initialize(repeating: false, count: 256)
        for b in filter.bytes { t[Int(b)] = true }
        table = t
      } else {
        table = nil
      }
    }

    deinit { table?.deallocate() }

    /// False when `bytes` cannot hold a match.
    @inline(__always) func mayMatch(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
      guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
      for s in strings {
        if s.withUnsafeBufferPointer({ ByteSearch.find($0, in: bytes) }) != nil { return true }
      }
      if let single { return memchr(base, Int32(single), bytes.count) != nil }
      if let table {
        for b in bytes where table[Int(b)] { return true }
      }
      return false
    }
  }

  /// Reads the pattern. Each parse function returns nil when the construct is not
  /// understood; `Need.none` means "understood, but requires no particular byte".
  private struct Parser {
    let s: [Unicode.Scalar]
    var i = 0
    /// The atom just read was one literal character (written alone or escaped).
    var literalAtom = false

    init(_ s: [Unicode.Scalar]) { self.s = s }

    /// What a match must hold: one of `strings` or one of `bytes`; `none`:
    /// understood, but nothing in particular.
    struct Need {
      var strings: [[UInt8]] = []
      var bytes: Set<UInt8> = []

      static let none = Need()
      var isNone: Bool { strings.isEmpty && bytes.isEmpty }

      /// A rough cost of testing a value (and of the chance it passes): fewer,
      /// longer strings and fewer bytes are better; letters are commoner than
      /// punctuation and digits.
      var cost: Double {
        if isNone { return .infinity }
        let letters = bytes.filter { ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 }.count
        let stringCost = strings.reduce(0.0) { $0 + 1.0 / Double($1.count) }
        return stringCost + Double(bytes.count) + Double(letters)
      }

      /// The better of two requirements of one sequence (both hold; one is enough to test).
      func better(_ other: Need) -> Need { other.cost < cost ? other : self }

      /// Either branch of an alternation.
      func either(_ other: Need) -> Need {
        if isNone || other.isNone { return .none }
        return Need(strings: strings + other.strings, bytes: bytes.union(other.bytes))
      }
    }

    var atEnd: Bool { i >= s.count }
    var peek: Unicode.Scalar? { atEnd ? nil : s[i] }

    mutating func parsePattern() -> Need? {
      guard let need = parseAlternation(), atEnd, !need.isNone else { return nil }
      return need
    }

    /// branch ('|' branch)*: a match needs one of the bytes of some branch.
    mutating func parseAlternation() -> Need? {
      guard var result = parseSequence() else { return nil }
      while peek == "|" {
        i += 1
        guard let next = parseSequence() else { return nil }
        result = result.either(next)
      }
      return result
    }

    /// Atoms with quantifiers, up to `|`, `)` or the end. Runs of single literal
    /// characters that each occur exactly once make a required string.
    mutating func parseSequence() -> Need? {
      var need = Need.none
      var run: [UInt8] = []
      func endRun() {
        if run.count > 1 { need = need.better(Need(strings: [run])) }
        run = []
      }
      while let c = peek, c != "|", c != ")" {
        let start = i
        guard let atom = parseAtom() else { return nil }
        let afterAtom = i
        guard let min = parseQuantifier() else { return nil }
        let once = i == afterAtom
        if min > 0 { need = need.better(atom) }
        // A literal character (one byte, written alone or escaped) extends the run.
        let literal = literalAtom && s[start] != "(" && s[start] != "["
        if once, literal {
          run.append(atom.bytes.first!)
        } else {
          endRun()
          if min > 0, literal { run = [atom.bytes.first!] }
        }
      }
      endRun()
      return need
    }

    /// The minimum count of a quantifier after an atom (1 with none), or nil.
    mutating func parseQuantifier() -> Int? {
      var min = 1
      switch peek {
      case "*":
        min = 0
        i += 1
      case "?":
        min = 0
        i += 1
      case "+":
        i += 1
      case "{":
        i += 1
        var digits = ""
        while let c = peek, c.properties.numericType == .decimal, c.isASCII {
          digits.unicodeScalars.append(c)
          i += 1
        }
        guard let n = Int(digits) else { return nil }
        min = n
        while let c = peek, c != "}" {
          guard c == "," || (c.isASCII && c.properties.numericType == .decimal) else { return nil }
          i += 1
        }
        guard peek == "}" else { return nil }
        i += 1
      default:
        return 1
      }
      // Lazy and possessive forms do not change the count.
      if peek == "?" || peek == "+" { i += 1 }
      if let c = peek, "*+?{".unicodeScalars.contains(c) { return nil }
      return min
    }

    mutating func parseAtom() -> Need? {
      guard let c = peek else { return nil }
      i += 1
      literalAtom = false
      switch c {
      case "(":
        if peek == "?" {
          // Only a plain non-capturing group; flags, look-around and the rest are not read.
          guard i + 1 < s.count, s[i + 1] == ":" else { return nil }
          i += 2
        }
        guard let inner = parseAlternation(), peek == ")" else { return nil }
        i += 1
        return inner
      case "[": return parseClass()
      case "\\": return parseEscape()
      case ".", "^", "$": return Need.none
      case "*", "+", "?", "{", "}", ")", "|", "]": return nil
      default:
        literalAtom = c.isASCII
        return c.isASCII ? Need(bytes: [UInt8(c.value)]) : Need.none
      }
    }

    /// After `\` outside a class.
    mutating func parseEscape() -> Need? {
      guard let c = peek else { return nil }
      i += 1
      switch c {
      case "n", "t", "r":
        literalAtom = true
        return Need(bytes: [c == "n" ? 10 : c == "t" ? 9 : 13])
      case "d", "D", "w", "W", "s", "S", "b", "B", "A", "z", "Z", "G", "h", "H", "v", "V", "R", "X":
        return Need.none
      default:
        // Escaped punctuation stands for itself; letters and digits mean something else.
        guard c.isASCII, !c.properties.isAlphabetic, c.properties.numericType == nil else { return nil }
        literalAtom = true
        return Need(bytes: [UInt8(c.value)])
      }
    }

    /// After `[`: a class of ASCII characters and ranges; negated or holding
    /// anything else, it requires nothing in particular.
    mutating func parseClass() -> Need? {
      var negated = false
      if peek == "^" {
        negated = true
        i += 1
      }
      if peek == "]" { return nil }
      var set = Set<UInt8>()
      var onlyASCII = true
      var first = true
      while let c = peek, c != "]" {
        i += 1
        var low: Unicode.Scalar
        switch c {
        case "[", "&": return nil
        case "-":
          // A hyphen is literal only first or last.
          guard first || peek == "]" else { return nil }
          low = c
        case "\\":
          guard let e = peek else { return nil }
          i += 1
          switch e {
          case "n": low = "\n"
          case "t": low = "\t"
          case "r": low = "\r"
          case "d", "D", "w", "W", "s", "S", "h", "H", "v", "V":
            onlyASCII = false
            first = false
            continue
          default:
            guard e.isASCII, !e.properties.isAlphabetic, e.properties.numericType == nil else { return nil }
            low = e
          }
        default:
          low = c
        }
        first = false
        var high = low
        if peek == "-", i + 1 < s.count, s[i + 1] != "]" {
          i += 1
          guard let h = peek, h != "[", h != "\\", h != "&" else { return nil }
          i += 1
          high = h
          guard low.value <= high.value else { return nil }
        }
        if low.isASCII && high.isASCII {
          for v in low.value...high.value { set.insert(UInt8(v)) }
        } else {
          onlyASCII = false
        }
      }
      guard peek == "]" else { return nil }
      i += 1
      if negated || !onlyASCII || set.isEmpty { return Need.none }
      return Need(bytes: set)
    }
  }
}
