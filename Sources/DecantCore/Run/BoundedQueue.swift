import Foundation

/// A first-in first-out queue between two threads that blocks the producer when
/// full and the consumer when empty. `close()` ends the stream; `fail(_:)` ends
/// it with an error that the consumer receives.
final class BoundedQueue<Element>: @unchecked Sendable {
  private let condition = NSCondition()
  private var items: [Element] = []
  private let capacity: Int
  private var closed = false
  private var failure: Error?
  private var cancelled = false

  init(capacity: Int) { self.capacity = max(1, capacity) }

  /// Adds an item, waiting while the queue is full. Returns false when the
  /// consumer has cancelled (the producer should stop).
  @discardableResult
  func push(_ item: Element) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while items.count >= capacity && !cancelled { condition.wait() }
    if cancelled { return false }
    items.append(item)
    condition.broadcast()
    return true
  }

  /// The next item; nil once the queue is closed and drained. Rethrows a producer's failure.
  func pop() throws -> Element? {
    condition.lock()
    defer { condition.unlock() }
    while items.isEmpty && !closed { condition.wait() }
    if !items.isEmpty {
      // At most `capacity` items: removing the first is cheap, and drops the reference at once.
      let item = items.removeFirst()
      condition.broadcast()
      return item
    }
    if let failure { throw failure }
    return nil
  }

  /// No more items will come.
  func close(error: Error? = nil) {
    condition.lock()
    closed = true
    if failure == nil { failure = error }
    condition.broadcast()
    condition.unlock()
  }

  /// The consumer gives up: producers waiting in `push` return false.
  func cancel() {
    condition.lock()
    cancelled = true
    items.removeAll()
    condition.broadcast()
    condition.unlock()
  }
}

/// Reads ahead on a background thread, so parsing the next block overlaps with
/// the steps and the writer working on this one. Order is kept.
public final class PrefetchingReader: RowReader, @unchecked Sendable {
  /// The reader that does the work (read its settings, not its counters).
  public let inner: RowReader
  private let queue: BoundedQueue<Item>
  private var thread: Thread?
  public let columnNames: [String]
  public let rawColumnNames: [String]
  public let warnings: [String]
  public let columnTypes: [ColumnType]
  public private(set) var blankLines = 0
  public private(set) var bytesRead = 0
  public let totalBytes: Int?

  /// A chunk with the reader's counters after it; a nil chunk carries the final counters.
  private struct Item {
    var chunk: ReadChunk?
    var bytesRead: Int
    var blankLines: Int
  }

  public init(_ inner: RowReader, depth: Int = 2) {
    self.inner = inner
    columnNames = inner.columnNames
    rawColumnNames = inner.rawColumnNames
    warnings = inner.warnings
    columnTypes = inner.columnTypes
    totalBytes = inner.totalBytes
    blankLines = inner.blankLines
    bytesRead = inner.bytesRead
    queue = BoundedQueue(capacity: depth)
  }

  deinit { queue.cancel() }

  private func start() {
    let inner = UncheckedBox(self.inner)
    let queue = self.queue
    let t = Thread {
      do {
        while let chunk = try inner.value.next() {
          let item = Item(chunk: chunk, bytesRead: inner.value.bytesRead, blankLines: inner.value.blankLines)
          if !queue.push(item) { return }
        }
        // Blank lines after the last row still count.
        queue.push(Item(chunk: nil, bytesRead: inner.value.bytesRead, blankLines: inner.value.blankLines))
        queue.close()
      } catch {
        queue.close(error: error)
      }
    }
    t.stackSize = 1 << 22
    t.start()
    thread = t
  }

  public func next() throws -> ReadChunk? {
    if thread == nil { start() }
    while let item = try queue.pop() {
      bytesRead = item.bytesRead
      blankLines = item.blankLines
      if let chunk = item.chunk { return chunk }
    }
    return nil
  }
}

/// Hands a non-Sendable value to another thread that alone uses it from then on.
struct UncheckedBox<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
