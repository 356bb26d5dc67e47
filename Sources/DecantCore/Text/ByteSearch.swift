import CSystem

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
