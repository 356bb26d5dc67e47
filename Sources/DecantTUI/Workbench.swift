import DecantCore

/// The workbench session: the sample on screen and the cursor over it.
///
/// This first version shows the sample read-only; building recipes in the
/// terminal comes with the workbench's full release.
public final class Workbench {
  public let path: String
  public let columns: [String]
  public let rows: [[String]]
  public var topRow = 0
  public var leftColumn = 0

  /// Reads the first `limit` rows of `path` with the engine's reader.
  public init(path: String, limit: Int = 1000) throws {
    self.path = path
    let reader = try InputOpener(path: path).open()
    columns = reader.columnNames
    var rows: [[String]] = []
    while rows.count < limit, let chunk = try reader.next() {
      let b = chunk.batch
      for r in 0..<b.rowCount where rows.count < limit {
        rows.append((0..<b.columnCount).map { b.string(row: r, column: $0) })
      }
    }
    self.rows = rows
  }

  public func scroll(rows dy: Int, columns dx: Int) {
    topRow = max(0, min(max(0, rows.count - 1), topRow + dy))
    leftColumn = max(0, min(max(0, columns.count - 1), leftColumn + dx))
  }
}
