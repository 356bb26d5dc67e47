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
    /// The error shows only against the input's header: planned against the
    /// recipe's saved header alone (`decant check RECIPE`), the recipe is fine.
    var savedHeaderShowsNoClash: Bool

    init(
      _ file: String, exit: Int32 = 2, step: Int? = nil, field: String? = nil, _ mentions: String...,
      savedHeaderShowsNoClash: Bool = false
    ) {
      self.file = file
      self.exit = exit
      self.step = step
      self.field = field
      self.mentions = mentions
      self.savedHeaderShowsNoClash = savedHeaderShowsNoClash
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
    // The operations added with conditions: missing required parameters.
    Case("missing-filter-where.json", step: 1, field: "where", "is required"),
    Case("missing-validate-name.json", step: 1, field: "name", "is required"),
    Case("missing-select-columns.json", step: 1, field: "columns", "is required"),
    Case("missing-copy-to.json", step: 1, field: "to", "is required"),
    Case("missing-set-value.json", step: 1, field: "value", "is required"),
    Case("missing-merge-to.json", step: 1, field: "to", "is required"),
    Case("missing-split-into.json", step: 1, field: "into", "is required"),
    Case("missing-change-case-case.json", step: 1, field: "case", "upper, lower or title"),
    Case("missing-replace-find.json", step: 1, field: "find", "is required"),
    Case("missing-extract-pattern.json", step: 1, field: "pattern", "is required"),
    Case("missing-map-values-mapping.json", step: 1, field: "mapping", "is required"),
    // Wrong types.
    Case("type-drop-columns-a-string.json", step: 1, field: "columns", "not a string"),
    Case("type-trim-collapse-a-string.json", step: 1, field: "collapse", "true or false"),
    Case("type-merge-separator-a-bool.json", step: 1, field: "separator", "not a boolean"),
    Case("type-replace-regex-a-string.json", step: 1, field: "regex", "true or false"),
    Case("type-extract-group-a-string.json", step: 1, field: "group", "whole number"),
    Case("type-map-values-mapping-a-list.json", step: 1, field: "mapping", "not an array"),
    Case("type-map-values-mapping-to-a-number-list.json", step: 1, field: "mapping", #"the value for "FR""#),
    // Values that are not one of the choices, with suggestions.
    Case("choice-filter-keep.json", step: 1, field: "keep", #"did you mean "matching""#),
    Case("choice-validate-on-error-null.json", step: 1, field: "on_error", "reject, fail, keep"),
    Case("choice-merge-nulls.json", step: 1, field: "nulls", #"did you mean "skip""#),
    Case("choice-trim-side.json", step: 1, field: "side", #"did you mean "right""#),
    Case("choice-change-case.json", step: 1, field: "case", #"did you mean "upper""#),
    Case("choice-map-values-unmapped.json", step: 1, field: "unmapped", #"did you mean "reject""#),
    // Empty or too short values.
    Case("empty-split-separator.json", step: 1, field: "separator", "must not be empty"),
    Case("empty-replace-find.json", step: 1, field: "find", "must not be empty"),
    Case("empty-trim-characters.json", step: 1, field: "characters", "at least one character"),
    Case("empty-map-values-mapping.json", step: 1, field: "mapping", "at least one value"),
    Case("merge-one-column.json", step: 1, field: "columns", "at least two"),
    Case("split-into-one-name.json", step: 1, field: "into", "at least two"),
    Case("split-into-a-name-twice.json", step: 1, field: "into", #""date" twice"#),
    Case("map-values-keys-that-fold-alike.json", step: 1, field: "mapping", "same ignoring case"),
    // Regular expressions, their groups and replacement templates.
    Case("extract-group-beyond-pattern.json", step: 1, field: "group", "only 1 group"),
    Case("extract-group-without-groups.json", step: 1, field: "group", "no groups"),
    Case("regex-extract-unbalanced.json", step: 1, field: "pattern", "unbalanced parentheses"),
    Case("regex-replace-unclosed-class.json", step: 1, field: "find", "missing ]"),
    Case("regex-replace-template-group.json", step: 1, field: "with", "group 3 does not exist"),
    Case("regex-where-matches.json", step: 2, field: "where.any[1].matches", "unbalanced parentheses"),
    // Steps that act on columns take no where.
    Case("where-on-rename.json", step: 1, field: "where", "takes no"),
    Case("where-on-select.json", step: 1, field: "where", "takes no"),
    Case("where-on-drop.json", step: 2, field: "where", "takes no"),
    // Conditions wrong in themselves: the message names the path inside the step.
    Case("where-unknown-predicate.json", step: 2, field: "where.all[1].greater", "not part of a condition"),
    Case(
      "where-unknown-predicate-typo.json", step: 2, field: "where.all[0].equal", #"did you mean "equals""#),
    Case("where-two-predicates.json", step: 2, field: "where.not.contains", "two predicates"),
    Case("where-empty-all.json", step: 2, field: "where.all", "at least one condition"),
    Case("where-empty-any.json", step: 1, field: "where.any", "at least one condition"),
    Case("where-case-insensitive-on-gt.json", step: 2, field: "where.all[1].case_insensitive", "not gt"),
    Case("where-gt-a-string.json", step: 2, field: "where.all[1].gt", "without quotes"),
    Case("where-gt-a-word.json", step: 1, field: "where.gt", "must be a number, not a string"),
    Case("where-between-reversed.json", step: 2, field: "where.between", "above the high bound"),
    Case("where-group-and-leaf.json", step: 2, field: "where.column", "stands alone"),
    Case("where-not-an-object.json", step: 2, field: "where", "not an array"),
    // Columns a condition reads that the table lacks at that step: plan errors.
    Case(
      "where-missing-column.json", exit: 3, step: 2, field: "where.all[0].column", #"did you mean "country""#),
    Case("where-column-renamed-away.json", exit: 3, step: 2, field: "where.column", #""Amount USD""#),
    Case(
      "filter-missing-column.json", exit: 3, step: 1, field: "where.not.column", #"did you mean "country""#),
    // hash and mask: missing, wrong or out-of-range parameters.
    Case("missing-hash-columns.json", step: 1, field: "columns", "is required"),
    Case("missing-mask-columns.json", step: 1, field: "columns", "is required"),
    Case("mask-negative-keep-last.json", step: 1, field: "keep_last", "0 or more", "not -4"),
    Case("mask-negative-keep-first.json", step: 2, field: "keep_first", "0 or more", "not -1"),
    Case("empty-mask-with.json", step: 1, field: "with", "one character", "not empty"),
    Case("mask-with-two-characters.json", step: 1, field: "with", "one character", "not 2"),
    Case("mask-with-a-combining-mark.json", step: 1, field: "with", "one Unicode code point", "not 2"),
    Case("type-mask-keep-last-a-string.json", step: 1, field: "keep_last", "whole number", "not a string"),
    Case("type-mask-keep-first-a-fraction.json", step: 1, field: "keep_first", "whole number", "not 1.5"),
    Case("type-mask-with-a-bool.json", step: 1, field: "with", "must be a string", "not a boolean"),
    Case("type-hash-salt-a-list.json", step: 1, field: "salt", "must be a string", "not an array"),
    Case("type-hash-columns-a-string.json", step: 1, field: "columns", "not a string"),
    Case("unknown-hash-field.json", step: 1, field: "salts", #"did you mean "salt""#),
    Case("unknown-mask-field.json", step: 1, field: "keep_lst", #"did you mean "keep_last""#),
    Case("hash-on-error.json", step: 1, field: "on_error", "is not a field of hash"),
    Case("choice-mask-on-error.json", step: 1, field: "on_error", #"did you mean "null""#),
    Case("missing-column-mask.json", exit: 3, step: 1, field: "columns", #"did you mean "Amount USD""#),
    Case(
      "missing-column-hash-where.json", exit: 3, step: 1, field: "where.column", #"did you mean "country""#),
    // New columns that clash: a recipe error when the saved header or an earlier step
    // shows the name, else (only the input has it) a plan error.
    Case("clash-copy-onto-saved-column.json", step: 1, field: "to", #""tz" clashes"#),
    Case("clash-split-into-a-column-made-earlier.json", step: 2, field: "into", #""date" clashes"#),
    Case(
      "clash-merge-onto-unsaved-column.json", exit: 3, step: 1, field: "to", #""tz" clashes"#,
      savedHeaderShowsNoClash: true),
    Case(
      "clash-extract-onto-unsaved-column.json", exit: 3, step: 1, field: "to", #""tz" clashes"#,
      savedHeaderShowsNoClash: true),
    // cast and round.
    Case("cast-missing-to.json", step: 1, field: "to", "is required", "integer"),
    Case("choice-cast-to-float.json", step: 1, field: "to", "not one of", "decimal"),
    Case("cast-decimal-separator-two-characters.json", step: 1, field: "decimal_separator", "one character"),
    Case("cast-separators-alike.json", step: 1, field: "thousands_separator", "same as decimal_separator"),
    Case("cast-separator-a-digit.json", step: 1, field: "thousands_separator", "how numbers are written"),
    Case(
      "cast-value-both-true-and-false.json", step: 1, field: "false_values", #""YES" is also in true_values"#),
    Case("cast-empty-true-values.json", step: 1, field: "true_values", "at least one"),
    Case("cast-true-values-on-a-date.json", step: 1, field: "true_values", "only to a cast to boolean"),
    Case("cast-input-formats-on-an-integer.json", step: 1, field: "input_formats", "date or timestamp"),
    Case("cast-bad-input-format.json", step: 1, field: "input_formats", "%Q"),
    Case("cast-missing-column.json", exit: 3, step: 1, field: "columns", #""amount""#),
    Case("round-fractional-digits.json", step: 1, field: "digits", "whole number"),
    Case("round-digits-as-string.json", step: 1, field: "digits", "whole number"),
    Case("choice-round-mode.json", step: 1, field: "mode", "half_even"),
    Case("round-missing-columns.json", step: 1, field: "columns", "required"),
    // lookup (the reference file is read only once the step decodes).
    Case("lookup-missing-file.json", step: 1, field: "file", "required"),
    Case("lookup-empty-file.json", step: 1, field: "file", "empty"),
    Case("lookup-missing-on.json", step: 1, field: "on", "is required"),
    Case("lookup-on-empty.json", step: 1, field: "on", "at least one"),
    Case("lookup-on-a-string.json", step: 1, field: "on", "not a string"),
    Case("lookup-on-names-twice.json", step: 1, field: "on", #"names "code" twice"#),
    Case("lookup-columns-empty.json", step: 1, field: "columns", "at least one"),
    Case("choice-lookup-unmatched.json", step: 1, field: "unmatched", "remove"),
    Case("choice-lookup-duplicate-keys.json", step: 1, field: "duplicate_keys", "first"),
    // Date operations: required parameters, parts, patterns, and new columns that clash.
    Case("missing-format-date-output-format.json", step: 1, field: "output_format", "is required"),
    Case("missing-date-part-part.json", step: 1, field: "part", "is required", "iso_week"),
    Case("choice-date-part-part.json", step: 1, field: "part", #"did you mean "iso_week""#),
    Case("type-date-part-part-a-number.json", step: 1, field: "part", "must be a string"),
    Case("pattern-format-date-unknown-directive.json", step: 1, field: "output_format", "%Q"),
    Case("pattern-format-date-zone-name.json", step: 1, field: "output_format", "%Z"),
    Case("pattern-date-part-input-without-a-day.json", step: 1, field: "input_formats", "full date"),
    Case("empty-format-date-to.json", step: 1, field: "to", "must not be empty"),
    Case("missing-column-date-part.json", exit: 3, step: 1, field: "column", #"did you mean "event_time""#),
    Case("clash-date-part-onto-saved-column.json", step: 1, field: "to", #""country" clashes"#),
    Case(
      "clash-date-part-default-name-made-earlier.json", step: 2, field: "to", #""event_time_year" clashes"#),
    Case(
      "clash-format-date-onto-unsaved-column.json", exit: 3, step: 1, field: "to", #""tz" clashes"#,
      savedHeaderShowsNoClash: true),
    Case("clash-normalize-to-onto-saved-column.json", step: 1, field: "to", #""tz" clashes"#),
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
        if c.savedHeaderShowsNoClash && label == "check" {
          XCTAssertEqual(r.status, 0, "\(what): the saved header shows no clash; stderr: \(r.stderr)")
          XCTAssertEqual(try Self.listing(tmp), before, "\(what): files were written")
          continue
        }
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
