import Foundation

/// The writing pass of a pipeline: every chunk of the input goes through every
/// step to the sinks.
///
/// Several workers may share the pass. Each takes the next chunk and carries it
/// all the way: steps whose batches are independent (rename, constant fills,
/// time-zone conversion) and the encoding of the output run on every worker at
/// once; a step that keeps state across batches (dedupe, previous/next fills)
/// and the delivery to the sinks take the chunks one at a time, in input order
/// (a stateful step's `prepare`, such as hashing dedupe keys, runs before its
/// turn, in parallel). So the output, the rejects, their order and the counts are the same for any
/// number of workers, and one worker is the plain sequential loop.
final class WritingPass: @unchecked Sendable {
  private let reader: RowReader
  private let sinks: Pipeline.Sinks
  private let progress: Pipeline.Progress?
  private let labels: [String]
  /// Per step: true when batches are independent (each worker has its own transform).
  private let independent: [Bool]
  private let lanes: [Lane]
  private let turns: Turns
  /// The delivery stage comes after one stage per step.
  private var deliveryStage: Int { labels.count }

  // Reading: one worker at a time, numbering the chunks.
  private let readLock = NSLock()
  private var nextSequence = 0
  private var readingEnded = false
  private var failure: Error?

  /// One worker's transforms (shared for stateful steps), counts and output buffer.
  /// A lane belongs to one thread; shared transforms are used only in their turn
  /// (apart from `prepare`, which reads no state).
  private final class Lane: @unchecked Sendable {
    let transforms: [StepTransform]
    var counts: [StepCounts]
    let buffer = ByteBuffer(capacity: 1 << 20)
    var rejections: [RowRejection] = []

    init(transforms: [StepTransform], counts: [StepCounts]) {
      self.transforms = transforms
      self.counts = counts
    }
  }

  /// A chunk on its way through the steps.
  private struct Work {
    var sequence: Int
    var batch: Batch
    var readRejects: [RejectedRecord]
    /// Rows a step rejected: the batch as that step returned it, and the rows.
    var rejected: [(step: Int, batch: Batch, rows: [RowRejection])] = []
    var error: Error?
    var bytesRead = 0
    var totalBytes: Int?
  }

  /// `makeTransforms()` builds one transform per step; it is called once per worker,
  /// and stateful steps keep the first worker's transform.
  init(
    reader: RowReader, sinks: Pipeline.Sinks, labels: [String], counts: [StepCounts], workers: Int,
    progress: Pipeline.Progress?, makeTransforms: () throws -> [StepTransform]
  ) throws {
    self.reader = reader
    self.sinks = sinks
    self.labels = labels
    self.progress = progress
    let first = try makeTransforms()
    independent = first.map(\.batchesAreIndependent)
    var lanes = [Lane(transforms: first, counts: counts)]
    // More workers only help when some step, or the encoding, can run in parallel.
    let parallelWork = independent.contains(true) || sinks.encoder != nil
    for _ in 1..<(parallelWork ? max(1, workers) : 1) {
      let own = try makeTransforms()
      let transforms = own.indices.map { first[$0].batchesAreIndependent ? own[$0] : first[$0] }
      lanes.append(Lane(transforms: transforms, counts: counts.map { $0.zeroed }))
    }
    self.lanes = lanes
    turns = Turns(stages: labels.count + 1)
  }

  /// Runs every chunk and then the rows steps held back; returns the summed counts.
  func execute() throws -> [StepCounts] {
    let group = DispatchGroup()
    for lane in lanes.dropFirst() {
      group.enter()
      let t = Thread { [self] in
        work(lane)
        group.leave()
      }
      t.stackSize = 1 << 22
      t.start()
    }
    work(lanes[0])
    group.wait()
    if let failure { throw failure }
    try finishHeldRows(lanes[0])
    var counts = lanes[0].counts
    for lane in lanes.dropFirst() {
      for i in counts.indices { counts[i].add(lane.counts[i]) }
    }
    // Flags kept by the transforms themselves; a stateful step's one transform is shared by every lane.
    for i in labels.indices {
      var seen = Set<ObjectIdentifier>()
      for lane in lanes where seen.insert(ObjectIdentifier(lane.transforms[i])).inserted {
        counts[i + 1].ruleViolations += lane.transforms[i].flagged
        counts[i + 1].tallies.merge(lane.transforms[i].tallies, uniquingKeysWith: +)
        counts[i + 1].cellsChanged += lane.transforms[i].cellsChanged
      }
    }
    return counts
  }

  /// A worker: takes chunks until the input ends or the pass fails.
  private func work(_ lane: Lane) {
    while var item = take(lane) {
      do {
        try advance(&item, from: 0, lane: lane, inTurn: true)
      } catch {
        stop(error)
        return
      }
    }
  }

  /// The next chunk, numbered; nil when the input has ended or the pass has failed.
  private func take(_ lane: Lane) -> Work? {
    readLock.lock()
    defer { readLock.unlock() }
    guard !readingEnded else { return nil }
    let sequence = nextSequence
    nextSequence += 1
    do {
      guard let chunk = try reader.next() else {
        readingEnded = true
        return nil
      }
      // Only with the first chunk: no worker is using a transform yet.
      if sequence == 0 { hint(chunk) }
      var item = Work(sequence: sequence, batch: chunk.batch, readRejects: chunk.rejects)
      item.bytesRead = reader.bytesRead
      item.totalBytes = reader.totalBytes
      return item
    } catch {
      // Reported in order, after the chunks before it are delivered.
      readingEnded = true
      var item = Work(sequence: sequence, batch: Batch(columns: [], lines: []), readRejects: [])
      item.error = error
      return item
    }
  }

  /// Tells stateful steps, early, how many rows to expect: rows per byte of the
  /// first chunk times the file size.
  private func hint(_ chunk: ReadChunk) {
    guard let total = reader.totalBytes, reader.bytesRead > 0, chunk.batch.rowCount > 0 else { return }
    let estimate =
      Double(total) / Double(reader.bytesRead) * Double(chunk.batch.rowCount + chunk.rejects.count)
    let rows = Int(min(estimate * 1.05, Double(Int32.max)))
    for (n, lane) in lanes.enumerated() {
      for (i, t) in lane.transforms.enumerated() where n == 0 || independent[i] { t.expectRows(rows) }
    }
  }

  /// Runs steps `first...` on a chunk, encodes its rows and delivers it. With
  /// `inTurn`, stateful steps and the delivery wait for the chunk's turn.
  private func advance(_ item: inout Work, from first: Int, lane: Lane, inTurn: Bool) throws {
    if first == 0 && item.error == nil {
      lane.counts[0].rowsIn += item.batch.rowCount + item.readRejects.count
      lane.counts[0].rowsRejected += item.readRejects.count
      lane.counts[0].rowsOut += item.batch.rowCount
    }
    for i in first..<labels.count {
      let ordered = inTurn && !independent[i]
      let active = item.error == nil && item.batch.rowCount > 0
      // A stateful step's batch-local part runs before the turn, in parallel.
      let prepared = active ? lane.transforms[i].prepare(item.batch) : nil
      if ordered { try turns.wait(stage: i, sequence: item.sequence) }
      if active {
        do {
          try run(step: i, on: &item, prepared: prepared, lane: lane)
        } catch {
          item.error = error
        }
      }
      if ordered { turns.done(stage: i) }
    }
    let encoded = item.error == nil && sinks.encoder != nil && item.batch.rowCount > 0
    if encoded {
      lane.buffer.removeAll()
      sinks.encoder!.encode(item.batch, into: lane.buffer)
    }
    if inTurn { try turns.wait(stage: deliveryStage, sequence: item.sequence) }
    defer { if inTurn { turns.done(stage: deliveryStage) } }
    if let error = item.error { throw error }
    for record in item.readRejects { try sinks.rejectRecord?(record) }
    for (step, batch, rows) in item.rejected {
      for r in rows { try sinks.rejectRow?(batch, r.row, labels[step], r.reason) }
    }
    if item.batch.rowCount > 0 {
      if encoded {
        try sinks.write?(lane.buffer)
      } else {
        try sinks.output?(item.batch)
      }
    }
    if first == 0 { progress?(item.bytesRead, item.totalBytes) }
  }

  /// One step on one chunk: counts, and rejected rows set aside for delivery.
  private func run(step i: Int, on item: inout Work, prepared: AnyObject?, lane: Lane) throws {
    let before = item.batch.rowCount
    lane.rejections.removeAll(keepingCapacity: true)
    let removed = try lane.transforms[i].process(
      &item.batch, scope: .all, prepared: prepared, rejections: &lane.rejections)
    let rejected = lane.rejections.count
    if rejected > 0 {
      item.rejected.append((i, item.batch, lane.rejections))
      Pipeline.drop(lane.rejections, from: &item.batch)
    }
    lane.counts[i + 1].rowsIn += before
    lane.counts[i + 1].rowsRemoved += removed
    lane.counts[i + 1].rowsRejected += rejected
    lane.counts[i + 1].rowsOut += item.batch.rowCount
  }

  /// After the input ends: rows each step held back go through the steps after it.
  private func finishHeldRows(_ lane: Lane) throws {
    for i in labels.indices {
      guard let held = try lane.transforms[i].finish() else { continue }
      lane.counts[i + 1].rowsOut += held.rowCount
      var item = Work(sequence: 0, batch: held, readRejects: [])
      try advance(&item, from: i + 1, lane: lane, inTurn: false)
    }
  }

  /// Ends the pass with its first failure (in input order); other workers stop at their next turn.
  private func stop(_ error: Error) {
    readLock.lock()
    readingEnded = true
    if failure == nil, !(error is Turns.Cancelled) { failure = error }
    readLock.unlock()
    turns.cancel()
  }
}

/// Numbered stages that chunks pass one at a time, in sequence order.
final class Turns: @unchecked Sendable {
  struct Cancelled: Error {}
  private let condition = NSCondition()
  private var next: [Int]
  private var cancelled = false

  init(stages: Int) { next = [Int](repeating: 0, count: stages) }

  /// Waits until chunk `sequence` may enter `stage`; throws `Cancelled` when the pass stops.
  func wait(stage: Int, sequence: Int) throws {
    condition.lock()
    defer { condition.unlock() }
    while next[stage] != sequence && !cancelled { condition.wait() }
    if cancelled { throw Cancelled() }
  }

  /// The chunk in `stage` has left it.
  func done(stage: Int) {
    condition.lock()
    next[stage] += 1
    condition.broadcast()
    condition.unlock()
  }

  func cancel() {
    condition.lock()
    cancelled = true
    condition.broadcast()
    condition.unlock()
  }
}
