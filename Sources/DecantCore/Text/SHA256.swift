/// SHA-256 (FIPS 180-4) over bytes, streaming (`update`, then `finalize`) or in one go.
///
/// A value with no heap storage: copying one that has taken a prefix (a salt)
/// starts the hash of prefix + value without hashing the prefix again, which is
/// how `hash` hashes each cell. Blocks are compressed straight from the caller's
/// buffer; only a tail shorter than a block is copied.
public struct SHA256 {
  public typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

  /// The hash value h0…h7 after the blocks compressed so far.
  private var state: State = (
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
  )
  /// Bytes taken but not yet compressed (fewer than 64), from the start.
  private var pending: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (
    0, 0, 0, 0, 0, 0, 0, 0
  )
  private var pendingCount = 0
  /// Bytes taken so far.
  private var length: UInt64 = 0

  public init() {}

  /// Takes more bytes.
  public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard var p = bytes.baseAddress, bytes.count > 0 else { return }
    var n = bytes.count
    length &+= UInt64(n)
    var h = state
    let filled = pendingCount
    if filled > 0 {
      let take = min(64 - filled, n)
      withUnsafeMutableBytes(of: &pending) { buffer in
        (buffer.baseAddress! + filled).copyMemory(from: p, byteCount: take)
        if filled + take == 64 { Self.compress(&h, UnsafeRawPointer(buffer.baseAddress!), blocks: 1) }
      }
      p += take
      n -= take
      pendingCount = (filled + take) & 63
    }
    if n >= 64 {
      Self.compress(&h, UnsafeRawPointer(p), blocks: n >> 6)
      p += n & ~63
      n &= 63
    }
    if n > 0 {
      withUnsafeMutableBytes(of: &pending) { $0.baseAddress!.copyMemory(from: p, byteCount: n) }
      pendingCount = n
    }
    state = h
  }

  /// Takes more bytes.
  public mutating func update(_ bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { update($0) }
  }

  /// Pads the message and gives the final hash value (the digest is its words, big-endian).
  private mutating func finalState() -> State {
    var h = state
    let filled = pendingCount
    let bits = length &<< 3
    withUnsafeMutableBytes(of: &pending) { buffer in
      let b = buffer.baseAddress!
      b.storeBytes(of: 0x80, toByteOffset: filled, as: UInt8.self)
      if filled >= 56 {
        (b + filled + 1).initializeMemory(as: UInt8.self, repeating: 0, count: 63 - filled)
        Self.compress(&h, UnsafeRawPointer(b), blocks: 1)
        b.initializeMemory(as: UInt8.self, repeating: 0, count: 56)
      } else {
        (b + filled + 1).initializeMemory(as: UInt8.self, repeating: 0, count: 55 - filled)
      }
      b.storeBytes(of: bits.bigEndian, toByteOffset: 56, as: UInt64.self)
      Self.compress(&h, UnsafeRawPointer(b), blocks: 1)
    }
    return h
  }

  /// The 32-byte digest.
  public consuming func finalize() -> [UInt8] {
    let h = finalState()
    return [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
      Self.words(h) { i, word in
        UnsafeMutableRawPointer(buffer.baseAddress! + 4 * i).storeBytes(of: word.bigEndian, as: UInt32.self)
      }
      count = 32
    }
  }

  /// Writes the digest as 64 lowercase hex digits at `out`.
  public consuming func finalizeHex(into out: UnsafeMutablePointer<UInt8>) {
    let h = finalState()
    Self.words(h) { i, word in Self.writeHex(word, to: out + 8 * i) }
  }

  /// The digest of `bytes` as 64 lowercase hex digits written at `out` (no allocation).
  public static func hexDigest(of bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) {
    var s = SHA256()
    s.update(bytes)
    s.finalizeHex(into: out)
  }

  /// The digest of `bytes` as 64 lowercase hex digits.
  public static func hexDigest(of bytes: [UInt8]) -> String {
    String(unsafeUninitializedCapacity: 64) { out in
      bytes.withUnsafeBufferPointer { hexDigest(of: $0, into: out.baseAddress!) }
      return 64
    }
  }

  @inline(__always) private static func words(_ h: State, _ body: (Int, UInt32) -> Void) {
    body(0, h.0)
    body(1, h.1)
    body(2, h.2)
    body(3, h.3)
    body(4, h.4)
    body(5, h.5)
    body(6, h.6)
    body(7, h.7)
  }

  /// Eight hex digits of a word, most significant first.
  @inline(__always) private static func writeHex(_ word: UInt32, to out: UnsafeMutablePointer<UInt8>) {
    for j in 0..<8 {
      let n = (word &>> UInt32(28 - 4 * j)) & 15
      // 0…9 → '0'…'9'; 10…15 → 'a'…'f' (9 - n wraps, setting the top bit, past 9).
      out[j] = UInt8(truncatingIfNeeded: n &+ 48 &+ ((9 &- n) &>> 31) &* 39)
    }
  }

  // MARK: The compression function

  @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
    (x &>> n) | (x &<< (32 &- n))
  }

  /// One round; the caller rotates the roles of the eight working variables.
  @inline(__always) private static func round(
    _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32, _ e: UInt32, _ f: UInt32, _ g: UInt32,
    _ h: inout UInt32, _ kw: UInt32
  ) {
    let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ (g ^ (e & (f ^ g))) &+ kw
    let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) | (c & (a | b)))
    d &+= t1
    h = t1 &+ t2
  }

  /// Compresses `blocks` consecutive 64-byte blocks at `p` into `state`.
  private static func compress(_ state: inout State, _ p: UnsafeRawPointer, blocks: Int) {
    let k = sha256RoundConstants
    var (h0, h1, h2, h3, h4, h5, h6, h7) = state
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
      let w = w.baseAddress!
      var block = p
      for _ in 0..<blocks {
        for i in 0..<16 {
          w[i] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
        }
        for i in 16..<64 {
          let x = w[i - 15]
          let y = w[i - 2]
          let s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x &>> 3)
          let s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y &>> 10)
          w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
        }
        var a = h0
        var b = h1
        var c = h2
        var d = h3
        var e = h4
        var f = h5
        var g = h6
        var h = h7
        var i = 0
        while i < 64 {
          round(a, b, c, &d, e, f, g, &h, k[i] &+ w[i])
          round(h, a, b, &c, d, e, f, &g, k[i + 1] &+ w[i + 1])
          round(g, h, a, &b, c, d, e, &f, k[i + 2] &+ w[i + 2])
          round(f, g, h, &a, b, c, d, &e, k[i + 3] &+ w[i + 3])
          round(e, f, g, &h, a, b, c, &d, k[i + 4] &+ w[i + 4])
          round(d, e, f, &g, h, a, b, &c, k[i + 5] &+ w[i + 5])
          round(c, d, e, &f, g, h, a, &b, k[i + 6] &+ w[i + 6])
          round(b, c, d, &e, f, g, h, &a, k[i + 7] &+ w[i + 7])
          i += 8
        }
        h0 &+= a
        h1 &+= b
        h2 &+= c
        h3 &+= d
        h4 &+= e
        h5 &+= f
        h6 &+= g
        h7 &+= h
        block += 64
      }
    }
    state = (h0, h1, h2, h3, h4, h5, h6, h7)
  }
}

/// The 64 round constants (the first 32 bits of the fractional parts of the cube
/// roots of the first 64 primes), read through a pointer in the compression loop.
private nonisolated(unsafe) let sha256RoundConstants: UnsafePointer<UInt32> = {
  let values: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
    0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
    0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
    0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
    0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
    0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
    0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
  ]
  let p = UnsafeMutablePointer<UInt32>.allocate(capacity: 64)
  p.initialize(from: values, count: 64)
  return UnsafePointer(p)
}()
