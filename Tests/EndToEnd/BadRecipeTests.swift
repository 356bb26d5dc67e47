import Foundation
import XCTest

/// Every recipe in `bad-recipes/` is refused before any row is read, by both
/// `decant run` and `decant check` (DESIGN.md §3–4): exit 2 for an error in
/// the recipe itself, 3 for a recipe that does not fit the input. The message
/// names the recipe file, the step and the field, and nothing is written: no
/// output, no rejects, no report, no temporary file.
final class BadRecipeTests: XCTestCase {
  static let directory = DecantProcess.root.appendingPathComponent("Tests/EndToEnd/bad-recipes")

  /// The input every recipe is run against (its header is the recipes' saved `input.columns`).
  static let input = "event_id,country,Amount USD,event_time,tz\n1,FR,10,2024-03-10 02:30:00,Europe/Paris\n"

  struct Case {
    var file: String
    var exit: Int32
    /// The 1-based step the message must name, if the error is inside a step.
    var step: Int?
    /// The field the message must name (quoted), if any.
    var field: String?
    /// Further text the message must hold (compared without regard to case).
    var mentions: [String]

    init(_ file: String, exit: Int32 = 2, step: Int? = nil, field: String? = nil, _ mentions: String...) {
      self.file = file
      self.exit = exit
      self.step = step
      self.field = field
      self.mentions = mentions
    }
  }

  static let cases: [Case] = [
    // Malformed JSON: the line and column of the problem (columns count characters).
    Case("syntax-trailing-comma.json", "line 4, column 46"),
    Case("syntax-missing-comma.json", "line 3, column 3"),
    Case("syntax-single-quotes.json", "line 2, column 3"),
    Case("syntax-truncated.json", "line 5, column 1"),
    Case("syntax-after-wide-characters.json", "line 3, column 37"),
    Case("syntax-not-an-object.json", "JSON object"),
    // The format version.
    Case("version-missing.json", field: "decant_recipe"),
    Case("version-newer.json", field: "decant_recipe", "version 2", "upgrade"),
    Case("version-as-string.json", field: "decant_recipe"),
    // Unknown names, with suggestions.
    Case("unknown-op.json", step: 2, field: "op", #"did you mean "dedupe""#),
    Case("unknown-op-plural.json", step: 1, field: "op", #"did you mean "fill_null""#),
    Case("unknown-step-field.json", step: 2, field: "colums", #"did you mean "columns""#),
    Case("unknown-top-level-field.json", field: "step", #"did you mean "steps""#),
    Case("unknown-input-setting.json", field: "input.delimeter", #"did you mean "delimiter""#),
    // Wrong types.
    Case("type-columns-not-a-list.json", step: 1, field: "columns"),
    Case("type-rename-columns-a-list.json", step: 1, field: "columns"),
    Case("type-fill-value-a-list.json", step: 1, field: "value"),
    Case("type-enabled-a-string.json", step: 1, field: "enabled"),
    Case("type-ambiguous-a-bool.json", step: 1, field: "ambiguous"),
    Case("type-steps-an-object.json", field: "steps"),
    Case("type-step-a-string.json", step: 1),
    Case("type-input-header-a-string.json", field: "input.header"),
    Case("type-input-delimiter-two-characters.json", field: "input.delimiter"),
    // Missing or conflicting parameters and values that are not one of the choices.
    Case("missing-op.json", step: 1, field: "op"),
    Case("missing-rename-columns.json", step: 1, field: "columns"),
    Case("missing-fill-columns.json", step: 1, field: "columns"),
    Case("missing-fill-value-and-strategy.json", step: 1, #""value""#, #""strategy""#),
    Case("fill-value-and-strategy.json", step: 1, field: "value", #""strategy""#),
    Case("missing-normalize-column.json", step: 1, field: "column"),
    Case("choice-keep-last.json", step: 1, field: "keep", "first"),
    Case("choice-strategy-average.json", step: 1, field: "strategy", "median"),
    Case("choice-ambiguous-earliest.json", step: 1, field: "ambiguous", #"did you mean "earlier""#),
    Case("choice-nonexistent-shift.json", step: 1, field: "nonexistent", #"did you mean "shift_forward""#),
    Case("choice-on-error-skip.json", step: 1, field: "on_error", "reject"),
    Case("dedupe-column-twice.json", step: 1, field: "columns", #""event_id""#),
    // Time zones and strftime patterns.
    Case("zone-unknown-from.json", step: 1, field: "from_zone", #"did you mean "America/New_York""#),
    Case("zone-unknown-to.json", step: 2, field: "to_zone", #"did you mean "Europe/Berlin""#),
    Case("zone-abbreviation.json", step: 1, field: "from_zone", #""PST""#),
    Case("zone-offset-out-of-range.json", step: 1, field: "to_zone", #""+25:00""#),
    Case("pattern-unknown-directive.json", step: 1, field: "input_formats", "%Q"),
    Case("pattern-trailing-percent.json", step: 1, field: "output_format", "%"),
    Case("pattern-list-empty.json", step: 1, field: "input_formats"),
    // Renames that clash: recipe errors.
    Case("rename-two-to-one-name.json", step: 1, field: "columns", #""place""#),
    Case("rename-onto-existing-column.json", step: 1, field: "columns", #""event_id""#),
    Case("rename-onto-a-renamed-column.json", step: 3, field: "columns", #""amount""#),
    // Columns the input does not have: plan errors.
    Case("missing-column-dedupe.json", exit: 3, step: 1, field: "columns", #"did you mean "event_id""#),
    Case("missing-column-rename.json", exit: 3, step: 1, field: "columns", #"did you mean "Amount USD""#),
    Case("missing-column-normalize.json", exit: 3, step: 1, field: "column", #"did you mean "event_time""#),
    Case("missing-zone-column.json", exit: 3, step: 1, field: "from_zone", #""zone""#),
    Case("missing-column-after-rename.json", exit: 3, step: 2, field: "columns", #""country""#),
  ]

  func testEveryRecipeInTheDirectoryHasOneCase() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter {
      $0.hasSuffix(".json")
    }
    XCTAssertEqual(Set(files), Set(Self.cases.map(\.file)), "bad-recipes/ and the table differ")
    XCTAssertEqual(Self.cases.count, Set(Self.cases.map(\.file)).count, "a recipe listed twice")
  }

  func testRunAndCheckRefuseEveryBadRecipeAndWriteNothing() throws {
    for c in Self.cases {
      let tmp = try DecantProcess.temporaryDirectory(self)
      let recipe = tmp.file(c.file)
      try FileManager.default.copyItem(at: Self.directory.appendingPathComponent(c.file), to: recipe)
      let input = tmp.file("input.csv")
      try Data(Self.input.utf8).write(to: input)
      let before = try Self.listing(tmp)
      let invocations: [(String, [String])] = [
        (
          "run -o",
          [
            "run", recipe.path, input.path, "-o", tmp.file("out.csv").path, "--report",
            tmp.file("report.json").path,
          ]
        ),
        ("run to stdout", ["run", recipe.path, input.path]),
        ("check", ["check", recipe.path]),
        ("check with input", ["check", recipe.path, input.path]),
      ]
      for (label, args) in invocations {
        let r = try DecantProcess.run(args, in: tmp)
        let what = "\(c.file), \(label)"
        XCTAssertEqual(r.status, c.exit, "\(what): exit code; stderr: \(r.stderr)")
        Self.assertNamesEverything(r.stderr, c, recipe: recipe.path, what)
        XCTAssertEqual(r.stdoutText, "", "\(what): nothing on stdout")
        XCTAssertEqual(try Self.listing(tmp), before, "\(what): files were written")
      }
    }
  }

  /// The message names the recipe file, the step, the field and whatever the case mentions.
  static func assertNamesEverything(
    _ stderr: String, _ c: Case, recipe: String, _ what: String, file: StaticString = #filePath,
    line: UInt = #line
  ) {
    XCTAssertTrue(
      stderr.contains(recipe), "\(what): the message does not name the file: \(stderr)", file: file,
      line: line)
    if let step = c.step {
      let named = stderr.range(of: "\\bstep \(step)\\b", options: .regularExpression) != nil
      XCTAssertTrue(
        named, "\(what): the message does not name step \(step): \(stderr)", file: file, line: line)
    }
    if let field = c.field {
      XCTAssertTrue(
        stderr.contains("\"\(field)\""),
        "\(what): the message does not name the field \"\(field)\": \(stderr)",
        file: file, line: line)
    }
    for m in c.mentions {
      XCTAssertTrue(
        stderr.lowercased().contains(m.lowercased()), "\(what): the message does not mention \(m): \(stderr)",
        file: file, line: line)
    }
  }

  /// Every entry of a directory, hidden ones included, sorted.
  static func listing(_ dir: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
  }
}
