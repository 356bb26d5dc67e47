/// Takes a fuzz input apart: option bytes from the front, lines, and the rest.
/// Reading past the end yields zeros and empty lines, so every input is usable.
public struct FuzzInput {
  public private(set) var remaining: ArraySlice<UInt8>

  public init(_ bytes: [UInt8]) { remaining = bytes[...] }

  /// The next byte, or 0 when the input is used up.
  public mutating func byte() -> UInt8 {
    guard let b = remaining.first else { return 0 }
    remaining = remaining.dropFirst()
    return b
  }

  /// The bytes up to the next line feed (which is consumed), or nil when the input is used up.
  public mutating func line() -> ArraySlice<UInt8>? {
    guard !remaining.isEmpty else { return nil }
    if let lf = remaining.firstIndex(of: 10) {
      let line = remaining[..<lf]
      remaining = remaining[(lf + 1)...]
      return line
    }
    defer { remaining = remaining[remaining.endIndex...] }
    return remaining
  }

  /// Everything not taken yet.
  public var rest: [UInt8] { Array(remaining) }
}

extension Array {
  /// The element chosen by `selector` (modulo the count).
  public func pick(_ selector: UInt8) -> Element { self[Int(selector) % count] }
}
