import XCTest

@testable import DecantCore

// Helpers for the operations' unit tests: cells that are not valid UTF-8 written
// as `\xHH` in test tables, and one step applied to a small table through
// `StepEvaluator.apply` (the code the workbench preview runs).

/// The bytes of a test cell: its UTF-8, except that `\xHH` (two hex digits) is
/// the raw byte HH, so a table can hold cells that are not valid UTF-8
/// (`"caf\\xE9"` is `café` in Latin-1).
func testBytes(_ text: String) -> [UInt8] {
  let utf8 = Array(text.utf8)
  var out: [UInt8] = []
  out.reserveCapacity(utf8.count)
  var i = 0
  while i < utf8.count {
    if utf8[i] == UInt8(ascii: "\\"), i + 3 < utf8.count, utf8[i + 1] == UInt8(ascii: "x"),
      let byte = UInt8(String(decoding: utf8[(i + 2)..<(i + 4)], as: UTF8.self), radix: 16)
    {
      out.append(byte)
      i += 4
    } else {
      out.append(utf8[i])
      i += 1
    }
  }
  return out
}

/// A cell's bytes as test text: valid UTF-8 as it is, every byte outside a
/// valid sequence as `\xHH` (upper-case hex), the inverse of `testBytes`.
func testText<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
  let b = Array(bytes)
  if let s = String(validating: b, as: UTF8.self) { return s }
  var out = ""
  var i = 0
  while i < b.count {
    let lead = b[i]
    let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0
    if length > 0, i + length <= b.count, let s = String(validating: b[i..<(i + length)], as: UTF8.self) {
      out += s
      i += length
    } else {
      out += "\\x" + String(lead, radix: 16, uppercase: true).leftPadded(to: 2)
      i += 1
    }
  }
  return out
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}

/// What one step did to a small table.
struct StepResult {
  var columns: [String]
  /// The rows the step let through, as test text.
  var rows: [[String]]
  /// `LINE: REASON` for every row the step rejected, in row order.
  var rejects: [String]
  var counts: StepCounts
  var removedLines: [Int]
  /// The lines of the rows let through.
  var lines: [Int]

  /// Values of one column.
  func column(_ name: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
    guard let c = columns.firstIndex(of: name) else {
      XCTFail("no column \(name) in \(columns)", file: file, line: line)
      return []
    }
    return rows.map { $0[c] }
  }
}

/// Applies the last step of `steps` (a recipe's steps as JSON, numbered from 1)
/// to a table of `rows` (lines from 2) through `StepEvaluator.apply`, after
/// applying the steps before it. Checks that the last step balances.
func applySteps(
  _ steps: String, columns: [String], rows: [[String]], nullValues: [String]? = nil,
  file: StaticString = #filePath, line: UInt = #line
) throws -> StepResult {
  let recipe = try recipe(steps: steps, nullValues: nullValues, file: file, line: line)
  let nulls = NullValues(nullValues ?? [""])
  var batch = makeBatch(rows, columnCount: columns.count)
  var schema = Schema(columns)
  var last: StepOutcome? = nil
  for (i, step) in recipe.steps.enumerated() {
    let outcome = try StepEvaluator.apply(step, number: i + 1, to: batch, schema: schema, nullValues: nulls)
    XCTAssertTrue(
      outcome.counts.balances, "step \(i + 1) does not balance: \(outcome.counts)", file: file, line: line)
    batch = outcome.batch
    schema = outcome.schema
    last = outcome
  }
  let outcome = try XCTUnwrap(last, "no step", file: file, line: line)
  return StepResult(
    columns: outcome.schema.names, rows: rowsOf(outcome.batch),
    rejects: outcome.rejected.map { "\($0.line): \($0.reason)" }, counts: outcome.counts,
    removedLines: outcome.removedLines, lines: outcome.batch.lines)
}

/// Applies one step (its JSON) to a table; see `applySteps`.
func applyStep(
  _ step: String, columns: [String], rows: [[String]], nullValues: [String]? = nil,
  file: StaticString = #filePath, line: UInt = #line
) throws -> StepResult {
  try applySteps(step, columns: columns, rows: rows, nullValues: nullValues, file: file, line: line)
}

/// The `DataError` a step throws under `on_error: fail` (fails the test when it throws none).
func dataError(
  _ step: String, columns: [String], rows: [[String]], nullValues: [String]? = nil,
  file: StaticString = #filePath, line: UInt = #line
) -> DataError? {
  do {
    let r = try applyStep(step, columns: columns, rows: rows, nullValues: nullValues, file: file, line: line)
    XCTFail("expected a DataError, got rows \(r.rows)", file: file, line: line)
  } catch let e as DataError {
    return e
  } catch {
    XCTFail("expected a DataError, got \(error)", file: file, line: line)
  }
  return nil
}

/// The one step of a recipe, decoded (fails the test when it does not decode).
func decodedStep(_ step: String, file: StaticString = #filePath, line: UInt = #line) throws -> Step {
  let r = try recipe(steps: step, file: file, line: line)
  return try XCTUnwrap(r.steps.first, file: file, line: line)
}

/// The operation of a one-step recipe, as type `T`.
func decodedOperation<T: DecantCore.Operation>(
  _ type: T.Type, _ step: String, file: StaticString = #filePath, line: UInt = #line
) throws -> T {
  let s = try decodedStep(step, file: file, line: line)
  return try XCTUnwrap(s.operation as? T, "the step is not a \(T.self)", file: file, line: line)
}

/// The error planning a recipe (JSON text) against `columns` throws: a
/// `RecipeError` or a `PlanError` (fails the test when planning succeeds).
func planError(_ recipeText: String, columns: [String], file: StaticString = #filePath, line: UInt = #line)
  -> Error?
{
  do {
    let r = try Recipe.decode(recipeText)
    _ = try r.plan(Schema(columns))
    XCTFail("expected the plan to fail", file: file, line: line)
  } catch {
    return error
  }
  return nil
}
