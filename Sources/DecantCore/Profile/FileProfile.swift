import Foundation

/// The profile of a whole input: every row read, on every core.
public struct FileProfile {
  public var columns: [ColumnProfile]
  public var rows = 0
  /// Records that could not be read as rows (skipped by the profile).
  public var rejectedRecords = 0
  public var blankLines = 0

  /// Reads `reader` to the end and profiles every column.
  ///
  /// The calling thread reads and parses while `workers` threads profile: chunk k
  /// goes to worker k mod `workers`, so which rows meet in one worker, and so the
  /// figures (down to a floating-point rounding), are the same on every run.
  public static func read(
    _ reader: RowReader, nullValues: NullValues,
    workers: Int = ProcessInfo.processInfo.activeProcessorCount + 1,
    top: Int = 5, histogramBuckets: Int = 10
  ) throws -> FileProfile {
    let count = max(1, workers)
    let profilers = (0..<count).map { _ in ColumnProfiler(names: reader.columnNames, nullValues: nullValues) }
    let queues = (0..<count).map { _ in BoundedQueue<Batch>(capacity: 2) }
    let group = DispatchGroup()
    for w in 0..<count {
      nonisolated(unsafe) let profiler = profilers[w]
      let queue = queues[w]
      group.enter()
      let t = Thread {
        // The reader's error reaches the caller from the reading loop.
        while let batch = try? queue.pop() { profiler.add(batch) }
        group.leave()
      }
      t.stackSize = 1 << 22
      t.start()
    }
    var out = FileProfile(columns: [])
    var k = 0
    do {
      while let chunk = try reader.next() {
        out.rows += chunk.batch.rowCount
        out.rejectedRecords += chunk.rejects.count
        queues[k % count].push(chunk.batch)
        k += 1
      }
    } catch {
      for q in queues { q.close() }
      group.wait()
      throw error
    }
    for q in queues { q.close() }
    group.wait()
    for p in profilers.dropFirst() { profilers[0].merge(p) }
    out.columns = profilers[0].finish(top: top, histogramBuckets: histogramBuckets)
    out.blankLines = reader.blankLines
    return out
  }
}
