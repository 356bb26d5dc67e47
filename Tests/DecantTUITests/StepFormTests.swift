import DecantCore
import XCTest

@testable import DecantTUI

/// Forms are generated from the operation registry and build steps through the
/// same decoder as recipe files and the command line.
final class StepFormTests: XCTestCase {
  let columns = Fixture.eventColumns

  func form(_ op: String, current: String? = "country") -> StepForm {
    StepForm(op: op, columns: columns, currentColumn: current)
  }

  func field(_ form: StepForm, _ name: String) -> StepForm.Field {
    form.fields.first { $0.parameter.name == name }!
  }

  /// Sets a field's text by focusing it and typing, as a user would.
  func set(_ form: inout StepForm, _ name: String, _ text: String) {
    form.focus = form.fields.firstIndex { $0.parameter.name == name }!
    while !form.focusedField.text.isEmpty { form.backspace() }
    for ch in text { form.type(ch) }
  }

  func focus(_ form: inout StepForm, _ name: String) {
    form.focus = form.fields.firstIndex { $0.parameter.name == name }!
  }

  func built(_ form: StepForm, file: StaticString = #filePath, line: UInt = #line) -> Step? {
    switch form.build() {
    case .success(let step): return step
    case .failure(let error):
      XCTFail("build failed: \(error)", file: file, line: line)
      return nil
    }
  }

  func buildError(_ form: StepForm) -> RecipeError? {
    if case .failure(let e) = form.build() { return e }
    return nil
  }

  // MARK: Fields from the registry

  func testEveryRegisteredOperationGetsOneFieldPerParameterInOrder() {
    for type in OperationRegistry.operations {
      let d = type.descriptor
      let f = form(d.name)
      XCTAssertEqual(f.op, d.name)
      XCTAssertEqual(f.fields.map(\.parameter), d.allParameters, d.name)
      // Every operation but those that act on columns only takes `where`.
      XCTAssertEqual(
        f.fields.contains { $0.parameter.name == "where" }, d.conditionRole != .none, "\(d.name) and where")
      for field in f.fields {
        if case .choice(let values) = field.parameter.kind {
          XCTAssertEqual(
            field.options, (field.parameter.required ? [] : ["(default)"]) + values, field.parameter.name)
        } else {
          XCTAssertEqual(field.options, [], field.parameter.name)
        }
      }
    }
  }

  func testNormalizeTimezoneFormFieldsAndChoices() {
    let f = form("normalize_timezone", current: "event_time")
    XCTAssertEqual(
      f.fields.map(\.parameter.name),
      [
        "column", "from_zone", "to_zone", "input_formats", "output_format", "ambiguous", "nonexistent", "to",
        "on_error", "where",
      ])
    XCTAssertEqual(
      f.fields.map(\.isChoice), [false, false, false, false, false, true, true, false, true, false])
    XCTAssertEqual(field(f, "ambiguous").options, ["(default)", "earlier", "later", "reject"])
    XCTAssertEqual(field(f, "nonexistent").options, ["(default)", "shift_forward", "reject"])
    XCTAssertEqual(field(f, "on_error").options, ["(default)", "reject", "null", "keep", "fail"])
    XCTAssertEqual(f.fields.map(\.text), ["event_time", "", "", "", "", "", "", "", "", ""])
    XCTAssertEqual(f.focus, 0)
    XCTAssertNil(f.replacing)
  }

  func testFillNullAndDedupeChoicesPutDefaultFirst() {
    XCTAssertEqual(
      field(form("fill_null"), "strategy").options,
      ["(default)", "previous", "next", "mode", "mean", "median"])
    XCTAssertEqual(field(form("dedupe"), "keep").options, ["(default)", "first", "last"])
  }

  func testColumnFieldsDefaultToTheCurrentColumn() {
    XCTAssertEqual(form("fill_null").fields.map(\.text), ["country", "", "", ""])
    XCTAssertEqual(form("normalize_timezone").fields[0].text, "country")
    XCTAssertEqual(form("rename").fields.map(\.text), ["country:"])
    // dedupe's columns are optional (none = the whole row), so they start empty.
    XCTAssertEqual(form("dedupe").fields.map(\.text), ["", "", ""])
  }

  func testWithoutACurrentColumnColumnFieldsStartEmpty() {
    XCTAssertEqual(form("fill_null", current: nil).fields.map(\.text), ["", "", "", ""])
    XCTAssertEqual(form("rename", current: nil).fields.map(\.text), [""])
  }

  // MARK: Editing keys

  func testLeftRightCycleAChoiceThroughDefault() {
    var f = form("normalize_timezone")
    focus(&f, "ambiguous")
    var seen: [String] = []
    for _ in 0..<4 {
      f.cycle(1)
      seen.append(f.focusedField.text)
    }
    XCTAssertEqual(seen, ["earlier", "later", "reject", ""])
    f.cycle(-1)
    XCTAssertEqual(f.focusedField.text, "reject")
    f.cycle(-1)
    XCTAssertEqual(f.focusedField.text, "later")
  }

  func testTypingAndBackspaceDoNothingOnAChoice() {
    var f = form("fill_null")
    focus(&f, "strategy")
    f.cycle(1)
    f.type("x")
    f.backspace()
    XCTAssertEqual(f.focusedField.text, "previous")
  }

  func testLeftRightCycleTheColumnOfAColumnField() {
    var f = form("normalize_timezone", current: "event_time")
    f.cycle(1)
    XCTAssertEqual(f.focusedField.text, "tz")
    f.cycle(1)
    XCTAssertEqual(f.focusedField.text, "event_id")
    f.cycle(-1)
    XCTAssertEqual(f.focusedField.text, "tz")
  }

  func testCyclingAColumnListChangesItsLastItem() {
    var f = form("dedupe")
    f.cycle(1)
    XCTAssertEqual(f.focusedField.text, "event_id")
    f.type(",")
    f.cycle(-1)
    XCTAssertEqual(f.focusedField.text, "event_id,tz")
    f.cycle(1)
    XCTAssertEqual(f.focusedField.text, "event_id,event_id")
    f.cycle(1)
    XCTAssertEqual(f.focusedField.text, "event_id,country")
  }

  func testFocusMovesAndWraps() {
    var f = form("fill_null")
    f.moveFocus(1)
    XCTAssertEqual(f.focusedField.parameter.name, "value")
    f.moveFocus(-2)
    XCTAssertEqual(f.focusedField.parameter.name, "where")
    f.moveFocus(1)
    XCTAssertEqual(f.focusedField.parameter.name, "columns")
  }

  // MARK: Completion

  func testTabCompletesAColumnName() {
    var f = form("normalize_timezone", current: nil)
    set(&f, "column", "event_t")
    XCTAssertEqual(f.completions, ["event_time"])
    f.complete()
    XCTAssertEqual(f.focusedField.text, "event_time")
  }

  func testTabCompletesTheCommonPrefixOfSeveralColumns() {
    var f = form("dedupe")
    set(&f, "columns", "country,ev")
    XCTAssertEqual(f.completions, ["country,event_id", "country,event_time"])
    f.complete()
    XCTAssertEqual(f.focusedField.text, "country,event_")
    f.type("t")
    f.complete()
    XCTAssertEqual(f.focusedField.text, "country,event_time")
  }

  func testCompletionIsCaseInsensitiveAndAlsoMatchesInsideNames() {
    var f = form("fill_null", current: nil)
    set(&f, "columns", "amo")
    XCTAssertEqual(f.completions, ["Amount USD"])
    set(&f, "columns", "time")
    XCTAssertEqual(f.completions, ["event_time"])
    f.complete()
    XCTAssertEqual(f.focusedField.text, "event_time")
  }

  func testTabCompletesZoneNames() {
    var f = form("normalize_timezone", current: "event_time")
    set(&f, "from_zone", "Europe/Ber")
    XCTAssertEqual(f.completions, ["Europe/Berlin"])
    f.complete()
    XCTAssertEqual(f.focusedField.text, "Europe/Berlin")
    set(&f, "to_zone", "asia/kathm")
    f.complete()
    XCTAssertEqual(f.focusedField.text, "Asia/Kathmandu")
  }

  func testZoneFieldCompletesAtColumnForAZonePerRow() {
    var f = form("normalize_timezone", current: "event_time")
    set(&f, "from_zone", "@t")
    XCTAssertEqual(f.completions, ["@tz"])
    f.complete()
    XCTAssertEqual(f.focusedField.text, "@tz")
  }

  func testRenameCompletionAddsTheColon() {
    var f = form("rename", current: nil)
    set(&f, "columns", "Amo")
    f.complete()
    XCTAssertEqual(f.focusedField.text, "Amount USD:")
    XCTAssertEqual(f.completions, [])
  }

  func testNoCompletionForFreeText() {
    var f = form("fill_null")
    set(&f, "value", "Z")
    XCTAssertEqual(f.completions, [])
    f.complete()
    XCTAssertEqual(f.focusedField.text, "Z")
  }

  // MARK: Building steps

  func testFillNullFormBuildsTheCommandLineStep() throws {
    var f = form("fill_null")
    set(&f, "value", "ZZ")
    XCTAssertEqual(built(f)?.json, try commandStep(":fill_null country ZZ").json)
    set(&f, "value", "")
    focus(&f, "strategy")
    for _ in 0..<5 { f.cycle(1) }
    XCTAssertEqual(f.focusedField.text, "median")
    XCTAssertEqual(built(f)?.json, try commandStep(":fill_null country strategy=median").json)
  }

  func testDedupeFormBuildsTheCommandLineStep() throws {
    XCTAssertEqual(built(form("dedupe"))?.json, try commandStep(":dedupe").json)
    var f = form("dedupe")
    set(&f, "columns", "event_id,country")
    XCTAssertEqual(built(f)?.json, try commandStep(":dedupe event_id country").json)
  }

  func testRenameFormBuildsTheCommandLineStep() throws {
    var f = form("rename", current: "Amount USD")
    XCTAssertEqual(f.fields[0].text, "Amount USD:")
    for ch in "amount_usd" { f.type(ch) }
    XCTAssertEqual(built(f)?.json, try commandStep(#":rename "Amount USD" amount_usd"#).json)
  }

  func testNormalizeTimezoneFormBuildsTheCommandLineStep() throws {
    var f = form("normalize_timezone", current: "event_time")
    set(&f, "from_zone", "@tz")
    set(&f, "to_zone", "Europe/Berlin")
    set(&f, "input_formats", "%Y-%m-%d %H:%M:%S | %Y-%m-%d")
    focus(&f, "ambiguous")
    f.cycle(1)
    f.cycle(1)
    focus(&f, "nonexistent")
    f.cycle(-1)
    focus(&f, "on_error")
    f.cycle(2)
    XCTAssertEqual(
      built(f)?.json,
      try commandStep(
        #":normalize_timezone event_time @tz Europe/Berlin input_format="%Y-%m-%d %H:%M:%S" input_format=%Y-%m-%d ambiguous=later nonexistent=reject on_error=null"#
      ).json)
  }

  func testSpacesAroundNamesAreIgnoredButTextKeepsThem() throws {
    var f = form("fill_null")
    set(&f, "columns", " country ")
    set(&f, "value", "ZZ")
    XCTAssertEqual(built(f)?.json, try commandStep(":fill_null country ZZ").json)
    // A text value is taken as typed: a separator may be a space, or a comma and a space.
    var split = form("split", current: "event_time")
    set(&split, "separator", " ")
    set(&split, "into", "day, time")
    XCTAssertEqual(
      built(split)?.json,
      try commandStep(#":split column=event_time separator=" " into=day,time"#).json)
    var merge = form("merge")
    set(&merge, "columns", "country,tz")
    set(&merge, "to", "where")
    set(&merge, "separator", ", ")
    XCTAssertEqual(
      built(merge)?.json, try commandStep(#":merge columns=country,tz to=where separator=", ""#).json)
  }

  func testWhereFieldTakesTheTextFormAndNamesTheProblem() throws {
    var f = form("fill_null")
    set(&f, "value", "ZZ")
    set(&f, "where", #""Amount USD" > 10 and tz is not null"#)
    XCTAssertEqual(
      built(f)?.json,
      try recipeStep(
        #"{"op": "fill_null", "columns": ["country"], "value": "ZZ", "where": {"all": [{"column": "Amount USD", "gt": 10}, {"column": "tz", "is_null": false}]}}"#
      ).json)
    // Editing shows the condition in its text form.
    let edited = StepForm(editing: try XCTUnwrap(built(f)), at: 0, columns: columns)
    XCTAssertEqual(field(edited, "where").text, #""Amount USD" > 10 and tz is not null"#)
    set(&f, "where", "tz is nul")
    let e = try XCTUnwrap(buildError(f))
    XCTAssertEqual(e.field, "where")
    XCTAssertTrue(e.message.contains("expected \"null\" or \"number\""), e.message)
  }

  func testUnknownZoneNamesTheField() {
    var f = form("normalize_timezone", current: "event_time")
    set(&f, "from_zone", "Europe/Berln")
    XCTAssertEqual(
      buildError(f),
      RecipeError(
        #""Europe/Berln" is not a time zone Decant knows (use an IANA name such as Europe/Berlin, UTC, or an offset such as +05:30); did you mean "Europe/Berlin"?"#,
        field: "from_zone"))
    set(&f, "from_zone", "UTC")
    set(&f, "to_zone", "Mars/Olympus")
    XCTAssertEqual(buildError(f)?.field, "to_zone")
  }

  func testIncompleteRenameNamesTheField() {
    XCTAssertEqual(
      buildError(form("rename")), RecipeError("write renames as OLD:NEW,OLD2:NEW2", field: "columns"))
  }

  func testBadInputFormatNamesTheField() {
    var f = form("normalize_timezone", current: "event_time")
    set(&f, "from_zone", "UTC")
    set(&f, "input_formats", "%H:%M")
    XCTAssertEqual(
      buildError(f),
      RecipeError(
        #"the input format "%H:%M" does not name a full date (it needs a year, a month and a day)"#,
        field: "input_formats"))
  }

  func testRepeatedColumnNamesTheField() {
    var f = form("dedupe")
    set(&f, "columns", "country,country")
    XCTAssertEqual(buildError(f), RecipeError(#"names the column "country" twice"#, field: "columns"))
  }

  func testMissingRequiredColumnNamesTheField() {
    XCTAssertEqual(
      buildError(form("normalize_timezone", current: nil)),
      RecipeError("is required (a column name)", field: "column"))
  }

  func testFillNullWithNeitherValueNorStrategySaysWhatIsNeeded() {
    XCTAssertEqual(
      buildError(form("fill_null")),
      RecipeError(#"needs "value" (a constant) or "strategy" (previous, next, mode, mean, median)"#))
  }

  // MARK: Editing existing steps

  func assertEditRoundTrips(_ json: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let step = try recipeStep(json)
    let f = StepForm(editing: step, at: 3, columns: columns)
    XCTAssertEqual(f.replacing, 3, file: file, line: line)
    XCTAssertEqual(f.op, step.op, file: file, line: line)
    guard let rebuilt = built(f, file: file, line: line) else { return }
    XCTAssertEqual(rebuilt.json.compactText, step.json.compactText, file: file, line: line)
  }

  func testEditingRoundTripsRename() throws {
    try assertEditRoundTrips(#"{"op": "rename", "columns": {"Amount USD": "amount_usd", "tz": "zone"}}"#)
  }

  func testEditingRoundTripsDedupe() throws {
    try assertEditRoundTrips(#"{"op": "dedupe"}"#)
    try assertEditRoundTrips(#"{"op": "dedupe", "columns": ["event_id", "Amount USD"]}"#)
  }

  func testEditingRoundTripsFillNull() throws {
    try assertEditRoundTrips(#"{"op": "fill_null", "columns": ["country", "tz"], "value": "ZZ"}"#)
    try assertEditRoundTrips(#"{"op": "fill_null", "columns": ["Amount USD"], "strategy": "median"}"#)
  }

  func testEditingRoundTripsNormalizeTimezoneWithEveryParameter() throws {
    try assertEditRoundTrips(
      """
      {"op": "normalize_timezone", "column": "event_time", "from_zone": {"column": "tz"},
       "to_zone": "Asia/Kathmandu", "input_formats": ["%Y-%m-%d %H:%M:%S", "%d/%m/%Y %I:%M %p"],
       "output_format": "%Y-%m-%d %H:%M", "ambiguous": "later", "nonexistent": "reject", "on_error": "null"}
      """)
    try assertEditRoundTrips(
      #"{"op": "normalize_timezone", "column": "event_time", "from_zone": "America/New_York"}"#)
    try assertEditRoundTrips(#"{"op": "normalize_timezone", "column": "event_time"}"#)
  }

  func testEditingKeepsTheNote() throws {
    try assertEditRoundTrips(#"{"op": "dedupe", "columns": ["event_id"], "note": "retries share an id"}"#)
  }

  func testEditingFillsTheFieldsFromTheStep() throws {
    let step = try recipeStep(
      #"{"op": "normalize_timezone", "column": "event_time", "from_zone": {"column": "tz"}, "input_formats": ["%Y-%m-%d", "%d.%m.%Y"], "ambiguous": "later"}"#
    )
    let f = StepForm(editing: step, at: 0, columns: columns)
    XCTAssertEqual(
      f.fields.map(\.text),
      ["event_time", "@tz", "UTC", "%Y-%m-%d | %d.%m.%Y", "", "later", "shift_forward", "", "reject", ""])
  }

  /// A numeric `value` (a JSON literal, written as a number to JSON Lines) must stay a number.
  func testEditingRoundTripsANumericFillValue() throws {
    try assertEditRoundTrips(#"{"op": "fill_null", "columns": ["Amount USD"], "value": 0}"#)
  }

  /// Editing a disabled step must not silently enable it.
  func testEditingRoundTripsADisabledStep() throws {
    try assertEditRoundTrips(#"{"op": "dedupe", "columns": ["event_id"], "enabled": false}"#)
  }

  /// Column names may hold commas (a quoted CSV header); editing must keep them whole.
  func testEditingRoundTripsAColumnNameWithAComma() throws {
    try assertEditRoundTrips(#"{"op": "dedupe", "columns": ["City, State"]}"#)
  }
}
