#if canImport(Glibc)
  import Glibc
#endif

/// A condition bound to a schema's column positions and evaluated a batch at a
/// time, reading cells through the arena (no `String` per cell).
///
/// `all` tests later items only on rows still true, `any` only on rows still
/// false, so an expensive test (a regex) runs on as few rows as possible. One
/// evaluator per thread: it owns regex matchers and a scratch buffer.
public final class ConditionEvaluator {
  private indirect enum Node {
    case all([Node])
    case any([Node])
    case not(Node)
    case leaf(Leaf)
  }

  /// One compiled test.
  private enum Test {
    case isNull(Bool)
    case isNumber(Bool)
    case equals([UInt8])
    case contains([UInt8])
    case startsWith([UInt8])
    case endsWith([UInt8])
    case oneOf(ByteLookup)
    case matches(RegexMatcher)
    case compare(DecimalText, accept: (Int) -> Bool)
    case between(DecimalText, DecimalText)
  }

  private struct Leaf {
    var column: Int
    var test: Test
    /// Compare the cell's case folding with values folded in advance.
    var folded: Bool
  }

  private let root: Node
  private let nulls: NullValues
  private let scratch = ByteBuffer(capacity: 256)

  /// Binds `condition` to `schema`; its columns must exist there (the plan checks).
  public init(_ condition: Condition, schema: Schema, nulls: NullValues) {
    self.nulls = nulls
    func compile(_ c: Condition) -> Node {
      switch c {
      case .all(let items): return .all(items.map(compile))
      case .any(let items): return .any(items.map(compile))
      case .not(let inner): return .not(compile(inner))
      case .leaf(let leaf):
        let column = schema.index(of: leaf.column)!
        let ci = leaf.caseInsensitive
        func bytes(_ s: String) -> [UInt8] { ci ? CaseMapping.folded(s) : Array(s.utf8) }
        let test: Test
        switch leaf.predicate {
        case .isNull(let b): test = .isNull(b)
        case .isNumber(let b): test = .isNumber(b)
        case .equals(let s): test = .equals(bytes(s))
        case .contains(let s): test = .contains(bytes(s))
        case .startsWith(let s): test = .startsWith(bytes(s))
        case .endsWith(let s): test = .endsWith(bytes(s))
        case .in(let items): test = .oneOf(ByteLookup(items.map(bytes)))
        case .matches(let p): test = .matches(p.makeMatcher())
        case .gt(let n): test = .compare(n, accept: { $0 > 0 })
        case .gte(let n): test = .compare(n, accept: { $0 >= 0 })
        case .lt(let n): test = .compare(n, accept: { $0 < 0 })
        case .lte(let n): test = .compare(n, accept: { $0 <= 0 })
        case .between(let lo, let hi): test = .between(lo, hi)
        }
        // `matches` folds inside the regex engine.
        let folded: Bool
        if case .matches = test { folded = false } else { folded = ci }
        return .leaf(Leaf(column: column, test: test, folded: folded))
      }
    }
    root = compile(condition)
  }

  /// One flag per row of `batch`: true where the condition holds. The batch
  /// remembers how much of its arena is valid UTF-8 when a test needs to know.
  public func evaluate(_ batch: inout Batch) -> [Bool] {
    let validPrefix = readsText ? batch.validUTF8Prefix() : 0
    return batch.arena.withUnsafeBufferPointer { arena in
      evaluate(root, batch, arena, validPrefix: validPrefix, active: nil)
    }
  }

  /// `evaluate` on a copy (the batch does not keep what was learned of its UTF-8).
  public func evaluate(_ batch: Batch) -> [Bool] {
    var copy = batch
    return evaluate(&copy)
  }

  /// Whether some test must know if a cell is valid UTF-8 (`matches`, `case_insensitive`).
  private lazy var readsText: Bool = {
    func reads(_ node: Node) -> Bool {
      switch node {
      case .all(let items), .any(let items): return items.contains(where: reads)
      case .not(let inner): return reads(inner)
      case .leaf(let leaf):
        if case .matches = leaf.test { return true }
        return leaf.folded
      }
    }
    return reads(root)
  }()

  /// Values for the rows `active` marks (all rows when nil); others are unspecified.
  private func evaluate(
    _ node: Node, _ batch: Batch, _ arena: UnsafeBufferPointer<UInt8>, validPrefix: Int, active: [Bool]?
  ) -> [Bool] {
    let rows = batch.rowCount
    switch node {
    case .leaf(let leaf):
      return evaluate(leaf, batch.columns[leaf.column], arena, validPrefix: validPrefix, active: active)
    case .not(let inner):
      var out = evaluate(inner, batch, arena, validPrefix: validPrefix, active: active)
      for r in 0..<rows { out[r] = !out[r] }
      return out
    case .all(let items):
      var out = evaluate(items[0], batch, arena, validPrefix: validPrefix, active: active)
      for item in items.dropFirst() {
        var still = out
        if let active { for r in 0..<rows { still[r] = still[r] && active[r] } }
        if !still.contains(true) { return still }
        let next = evaluate(item, batch, arena, validPrefix: validPrefix, active: still)
        for r in 0..<rows { out[r] = still[r] && next[r] }
      }
      return out
    case .any(let items):
      var out = evaluate(items[0], batch, arena, validPrefix: validPrefix, active: active)
      for item in items.dropFirst() {
        var open = [Bool](repeating: false, count: rows)
        for r in 0..<rows { open[r] = !out[r] && (active?[r] ?? true) }
        if !open.contains(true) { return out }
        let next = evaluate(item, batch, arena, validPrefix: validPrefix, active: open)
        for r in 0..<rows where open[r] && next[r] { out[r] = true }
      }
      return out
    }
  }

  private func evaluate(
    _ leaf: Leaf, _ cells: [Cell], _ arena: UnsafeBufferPointer<UInt8>, validPrefix: Int, active: [Bool]?
  ) -> [Bool] {
    let rows = cells.count
    let nulls = self.nulls
    let scratch = self.scratch
    // Under case_insensitive a text test sees the cell's case folding; a cell that
    // is not valid UTF-8 fails it, and fails `matches`.
    let fold = leaf.folded
    var checksText = fold
    if case .matches = leaf.test { checksText = true }
    return [Bool](unsafeUninitializedCapacity: rows) { out, initialized in
      initialized = rows
      cells.withUnsafeBufferPointer { cells in
        // The test, once per row, on the cell's bytes (or their folding); nulls are settled before.
        func each(nullResult: Bool, _ test: (UnsafeBufferPointer<UInt8>) -> Bool) {
          for r in 0..<rows {
            if let active, !active[r] {
              out[r] = false
              continue
            }
            let cell = cells[r]
            if nulls.isNull(cell, arena: arena) {
              out[r] = nullResult
              continue
            }
            let value = UnsafeBufferPointer(rebasing: arena[Int(cell.start)..<cell.end])
            if checksText && !Batch.isValidUTF8(cell, value, validPrefix: validPrefix) {
              out[r] = false
            } else if fold {
              scratch.removeAll()
              CaseMapping.fold(value, into: scratch)
              out[r] = test(scratch.bytes)
            } else {
              out[r] = test(value)
            }
          }
        }
        switch leaf.test {
        case .isNull(let b):
          for r in 0..<rows { out[r] = nulls.isNull(cells[r], arena: arena) == b }
        case .isNumber(let b):
          each(nullResult: !b) { DecimalText.isNumber($0) == b }
        case .equals(let k):
          each(nullResult: false) { ByteSearch.equal($0, k) }
        case .contains(let k):
          each(nullResult: false) { Self.contains($0, k) }
        case .startsWith(let k):
          each(nullResult: false) {
            $0.count >= k.count && ByteSearch.equal(UnsafeBufferPointer(rebasing: $0[0..<k.count]), k)
          }
        case .endsWith(let k):
          each(nullResult: false) {
            $0.count >= k.count
              && ByteSearch.equal(UnsafeBufferPointer(rebasing: $0[($0.count - k.count)...]), k)
          }
        case .oneOf(let lookup):
          each(nullResult: false) { lookup.index(of: $0) != nil }
        case .matches(let matcher):
          each(nullResult: false) { matcher.firstMatch(in: $0) }
        case .compare(let k, let accept):
          each(nullResult: false) { k.compare($0).map(accept) ?? false }
        case .between(let lo, let hi):
          each(nullResult: false) { value in
            guard let a = lo.compare(value), a >= 0 else { return false }
            return hi.compare(value)! <= 0
          }
        }
      }
    }
  }

  @inline(__always) static func contains(_ hay: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
    if needle.isEmpty { return true }
    if hay.count < needle.count { return false }
    return needle.withUnsafeBufferPointer { ByteSearch.find($0, in: hay) != nil }
  }
}
