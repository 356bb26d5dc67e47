/// Which rows of a file the workbench works on.
public enum SampleSpec: Sendable, Equatable, CustomStringConvertible {
  /// The first N rows (read from the head of the file only).
  case first(Int)
  /// N rows drawn uniformly from the whole file, reproducibly for a seed.
  case random(Int, seed: UInt64)

  public static let defaultSize = 1000

  public var isRandom: Bool {
    if case .random = self { return true }
    return false
  }

  public var size: Int {
    switch self {
    case .first(let n), .random(let n, _): return n
    }
  }

  /// Parses `first:N`, `random:N` or `random:N:SEED`.
  public init?(_ text: String) {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    guard parts.count >= 2, let n = Int(parts[1]), n > 0 else { return nil }
    switch (parts[0], parts.count) {
    case ("first", 2): self = .first(n)
    case ("random", 2): self = .random(n, seed: 42)
    case ("random", 3):
      guard let seed = UInt64(parts[2]) else { return nil }
      self = .random(n, seed: seed)
    default: return nil
    }
  }

  public var description: String {
    switch self {
    case .first(let n): return "first:\(n)"
    case .random(let n, let seed): return "random:\(n):\(seed)"
    }
  }
}

/// A sample of a file: rows in file order, with what reading them found.
public struct Sample: Sendable {
  public var batch: Batch
  public var schema: Schema
  /// The input settings that read it (format, delimiter, header, columns), for saving recipes.
  public var settings: InputSettings
  public var spec: SampleSpec
  /// Rows read to draw the sample (the whole file for a random sample).
  public var rowsSeen: Int
  /// True when every row of the file is in the sample.
  public var isComplete: Bool
  public var readRejects: [RejectedRecord]
  public var warnings: [String]
}

/// Draws samples with the engine's readers. Memory: the sample only.
public enum Sampler {
  /// Reads the first `n` rows; stops reading as soon as it has them.
  public static func first(_ n: Int, path: String, settings: InputSettings = InputSettings()) throws -> Sample
  {
    let opener = try InputOpener(path: path, settings: settings)
    let reader = try opener.open()
    var sample = Batch.empty(columnCount: reader.columnNames.count)
    var rejects: [RejectedRecord] = []
    var complete = true
    while let chunk = try reader.next() {
      rejects += chunk.rejects
      let take = min(n - sample.rowCount, chunk.batch.rowCount)
      sample.appendRows(of: take == chunk.batch.rowCount ? chunk.batch : chunk.batch.slice(rows: 0..<take))
      if sample.rowCount >= n {
        if take < chunk.batch.rowCount {
          complete = false
        } else {
          complete = try reader.next() == nil
        }
        break
      }
    }
    return Sample(
      batch: sample.compacted(), schema: reader.schema,
      settings: opener.resolvedSettings(reader: reader),
      spec: .first(n), rowsSeen: sample.rowCount, isComplete: complete, readRejects: rejects,
      warnings: reader.warnings)
  }

  /// Draws `n` rows uniformly at random (reservoir sampling over the whole file),
  /// returned in file order. `progress` receives the fraction read (when the size
  /// is known) and returns false to cancel, which throws `CancellationError`.
  public static func random(
    _ n: Int, seed: UInt64, path: String, settings: InputSettings = InputSettings(),
    progress: (Double?) -> Bool = { _ in true }
  ) throws -> Sample {
    let opener = try InputOpener(path: path, settings: settings)
    let reader = try opener.open()
    let ncol = reader.columnNames.count
    var rng = SplitMix64(seed: seed)
    // Each kept row is copied out of its block: (line, cells' bytes).
    var reservoir: [(line: Int, cells: [[UInt8]], literal: [Bool])] = []
    reservoir.reserveCapacity(min(n, 1 << 20))
    var seen = 0
    var rejects: [RejectedRecord] = []
    while let chunk = try reader.next() {
      rejects += chunk.rejects
      let b = chunk.batch
      for r in 0..<b.rowCount {
        seen += 1
        var slot = reservoir.count
        if reservoir.count >= n {
          let j = Int(rng.next() % UInt64(seen))
          guard j < n else { continue }
          slot = j
        }
        let row = (
          line: b.lines[r], cells: (0..<ncol).map { Array(b.bytes(b.columns[$0][r])) },
          literal: (0..<ncol).map { b.columns[$0][r].isJSONLiteral }
        )
        if slot == reservoir.count { reservoir.append(row) } else { reservoir[slot] = row }
      }
      let fraction = reader.totalBytes.map { $0 > 0 ? Double(reader.bytesRead) / Double($0) : 1 }
      if !progress(fraction) { throw CancellationError() }
    }
    reservoir.sort { $0.line < $1.line }
    var arena: [UInt8] = []
    var columns = [[Cell]](repeating: [], count: ncol)
    for row in reservoir {
      for c in 0..<ncol {
        let start = arena.count
        arena += row.cells[c]
        columns[c].append(Cell(start: start, length: row.cells[c].count, jsonLiteral: row.literal[c]))
      }
    }
    return Sample(
      batch: Batch(arena: arena, columns: columns, lines: reservoir.map(\.line)),
      schema: reader.schema,
      settings: opener.resolvedSettings(reader: reader), spec: .random(n, seed: seed), rowsSeen: seen,
      isComplete: seen <= n, readRejects: rejects, warnings: reader.warnings)
  }

  public static func draw(
    _ spec: SampleSpec, path: String, settings: InputSettings = InputSettings(),
    progress: (Double?) -> Bool = { _ in true }
  ) throws -> Sample {
    switch spec {
    case .first(let n): return try first(n, path: path, settings: settings)
    case .random(let n, let seed):
      return try random(n, seed: seed, path: path, settings: settings, progress: progress)
    }
  }
}

/// The sample run was cancelled by the user.
public struct CancellationError: Error, Sendable {
  public init() {}
}
