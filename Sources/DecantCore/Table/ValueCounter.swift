/// Counts the distinct values of one column over batches, by their bytes: a hash
/// probe per cell, and a `String` only per distinct value when the counts are read
/// (facets and clusters count whole files this way).
public struct ValueCounter {
  private var keys = ByteKeySet()
  private var counts: [Int] = []
  public private(set) var nulls = 0
  public private(set) var rows = 0

  public init() {}

  /// Counts column `c` of `batch`; cells `nullValues` match count as nulls.
  public mutating func add(_ batch: Batch, column c: Int, nullValues: NullValues) {
    rows += batch.rowCount
    batch.arena.withUnsafeBufferPointer { arena in
      for cell in batch.columns[c] {
        if nullValues.isNull(cell, arena: arena) {
          nulls += 1
          continue
        }
        let (i, inserted) = keys.findOrInsert(
          UnsafeBufferPointer(rebasing: arena[Int(cell.start)..<cell.end]))
        if inserted { counts.append(1) } else { counts[i] += 1 }
      }
    }
  }

  /// Each distinct non-null value with its count, in the order first seen.
  public var values: [(value: String, count: Int)] {
    counts.indices.map { i in (keys.withKey(at: i) { String(decoding: $0, as: UTF8.self) }, counts[i]) }
  }
}
