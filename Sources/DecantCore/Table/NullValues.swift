/// Decides whether a cell is null: its bytes equal one of the recipe's `null_values`.
///
/// The common case (`[""]`, only the empty string) is a length check.
public struct NullValues: Sendable, Equatable {
  public let strings: [String]
  private let patterns: [[UInt8]]
  private let emptyOnly: Bool
  private let includesEmpty: Bool
  private let maxLength: Int

  public init(_ strings: [String] = [""]) {
    self.strings = strings
    self.patterns = strings.map { Array($0.utf8) }
    self.includesEmpty = strings.contains("")
    self.emptyOnly = strings.allSatisfy { $0.isEmpty }
    self.maxLength = patterns.map(\.count).max() ?? 0
  }

  public static func == (a: NullValues, b: NullValues) -> Bool { a.strings == b.strings }

  /// True when `cell` of `batch` is null.
  @inlinable public func isNull(_ cell: Cell, in batch: Batch) -> Bool {
    let n = cell.length
    if n == 0 { return includesEmptyValue }
    return matchesNonEmpty(cell, in: batch)
  }

  @usableFromInline var includesEmptyValue: Bool { includesEmpty }

  /// True when `cell` is null, reading its bytes from `arena` (for hot loops).
  @inlinable public func isNull(_ cell: Cell, arena: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = cell.length
    if n == 0 { return includesEmptyValue }
    if onlyEmpty { return false }
    return isNull(bytes: UnsafeBufferPointer(rebasing: arena[Int(cell.start)..<cell.end]))
  }

  @usableFromInline var onlyEmpty: Bool { emptyOnly }

  @usableFromInline func matchesNonEmpty(_ cell: Cell, in batch: Batch) -> Bool {
    if emptyOnly || cell.length > maxLength { return false }
    let bytes = batch.bytes(cell)
    for p in patterns where p.count == bytes.count && p.elementsEqual(bytes) { return true }
    return false
  }

  /// True when the given bytes are a null value.
  public func isNull<C: Collection>(bytes: C) -> Bool where C.Element == UInt8 {
    if bytes.isEmpty { return includesEmpty }
    if emptyOnly { return false }
    return patterns.contains { $0.elementsEqual(bytes) }
  }
}
