import CSystem

#if canImport(Glibc)
  import Glibc
#endif

/// Finding literal bytes in a cell. On valid UTF-8, a match of a valid UTF-8
/// needle always starts and ends on character boundaries.
public enum ByteSearch {
  /// The offset of the first occurrence of `needle` in `hay` at or after `from`.
  @inline(__always) public static func find(
    _ needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>, from: Int = 0
  ) -> Int? {
    let n = needle.count
    if n == 0 { return from <= hay.count ? from : nil }
    if hay.count - from < n { return nil }
    let at = decant_find_bytes(hay.baseAddress! + from, hay.count - from, needle.baseAddress!, n)
    return at < 0 ? nil : from + Int(at)
  }
}

extension ByteSearch {
  /// True when the two byte ranges are equal (memcmp, not an element-by-element loop).
  @inline(__always) public static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>)
    -> Bool
  {
    a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
  }

  @inline(__always) public static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: [UInt8]) -> Bool {
    b.withUnsafeBufferPointer { equal(a, $0) }
  }

  /// True when no byte would make a CSV writer quote a field written with
  /// `delimiter`: no quote, no control byte below 14, not the delimiter itself
  /// (the test the CSV reader makes before marking a cell plain).
  public static func isPlain<C: Collection>(_ bytes: C, delimiter: UInt8) -> Bool where C.Element == UInt8 {
    delimiter != 0 && !bytes.contains { $0 < 14 || $0 == 34 || $0 == delimiter }
  }
}
