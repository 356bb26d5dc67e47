import DecantCore
import XCTest

@testable import DecantTUI

/// The `:` command line is a contract: each documented form gives the same step
/// (`Step.json`) as the equivalent recipe JSON, and mistakes get messages that say how to fix them.
final class CommandParserTests: XCTestCase {
  /// Asserts that a command line and a recipe step object decode to the same step JSON.
  func assertSameStep(
    _ line: String, _ recipeJSON: String, file: StaticString = #filePath, line number: UInt = #line
  ) {
    do {
      let fromCommand = try commandStep(line).json
      let fromRecipe = try recipeStep(recipeJSON).json
      XCTAssertEqual(fromCommand, fromRecipe, file: file, line: number)
      XCTAssertEqual(fromCommand.compactText, fromRecipe.compactText, file: file, line: number)
    } catch {
      XCTFail("\(line): \(error)", file: file, line: number)
    }
  }

  func assertParseError(
    _ line: String, _ expected: String, file: StaticString = #filePath, line number: UInt = #line
  ) {
    XCTAssertEqual(errorMessage { _ = try CommandParser.parse(line) }, expected, file: file, line: number)
  }

  // MARK: rename

  func testRenameOldNewMatchesTheRecipeStep() {
    assertSameStep(":rename country nation", #"{"op": "rename", "columns": {"country": "nation"}}"#)
  }

  func testRenameQuotedNameWithSpacesBecomesOneName() throws {
    assertSameStep(
      #":rename "Amount USD" amount_usd"#, #"{"op": "rename", "columns": {"Amount USD": "amount_usd"}}"#)
    XCTAssertEqual(
      try commandStep(#":rename "Amount USD" amount_usd"#).json.compactText,
      #"{"op":"rename","columns":{"Amount USD":"amount_usd"}}"#)
  }

  func testRenameSingleQuotesGroupSpacesToo() {
    assertSameStep(
      ":rename 'Amount USD' 'amount in usd'", #"{"op": "rename", "columns": {"Amount USD": "amount in usd"}}"#
    )
  }

  func testRenameEscapedQuoteAndBackslashInsideDoubleQuotes() {
    assertSameStep(
      #":rename "say \"hi\"" "back\\slash""#, #"{"op": "rename", "columns": {"say \"hi\"": "back\\slash"}}"#)
  }

  func testRenameSeveralPairsKeepTheirOrder() {
    assertSameStep(
      ":rename a b c d", #"{"op": "rename", "columns": {"a": "b", "c": "d"}}"#)
  }

  func testRenameWithAnOddNumberOfNamesShowsUsage() {
    assertParseError(":rename country", "usage: :rename OLD NEW [OLD NEW …] (quote names with spaces)")
    assertParseError(
      ":rename Amount USD amount_usd", "usage: :rename OLD NEW [OLD NEW …] (quote names with spaces)")
  }

  func testRenameToTwoEqualNamesIsTheRecipeError() {
    assertParseError(
      ":rename a x b x", #"rename: field "columns": two columns would both be called "x""#)
  }

  // MARK: dedupe

  func testDedupeWithoutColumnsIsTheWholeRow() throws {
    assertSameStep(":dedupe", #"{"op": "dedupe"}"#)
    assertSameStep(":dedupe", #"{"op": "dedupe", "columns": [], "keep": "first"}"#)
    let step = try commandStep(":dedupe")
    XCTAssertEqual(step.operation.summary, "dedupe whole rows")
    XCTAssertEqual(step.json.compactText, #"{"op":"dedupe","columns":[],"keep":"first"}"#)
  }

  func testDedupeWithColumnsListsThemInOrder() throws {
    assertSameStep(":dedupe a b", #"{"op": "dedupe", "columns": ["a", "b"]}"#)
    XCTAssertEqual(try commandStep(":dedupe event_id").operation.summary, "dedupe event_id")
  }

  func testDedupeSameColumnTwiceIsTheRecipeError() {
    assertParseError(":dedupe a a", #"dedupe: field "columns": names the column "a" twice"#)
  }

  // MARK: fill_null

  func testFillNullColumnValue() {
    assertSameStep(":fill_null country ZZ", #"{"op": "fill_null", "columns": ["country"], "value": "ZZ"}"#)
  }

  func testFillNullQuotedColumnAndValue() {
    assertSameStep(
      #":fill_null "Amount USD" "not given""#,
      #"{"op": "fill_null", "columns": ["Amount USD"], "value": "not given"}"#)
  }

  func testFillNullColumnStrategy() throws {
    assertSameStep(
      ":fill_null amount strategy=median",
      #"{"op": "fill_null", "columns": ["amount"], "strategy": "median"}"#)
    XCTAssertEqual(
      try commandStep(":fill_null amount strategy=median").operation.summary, "fill_null amount by median")
  }

  func testFillNullWithoutValueOrStrategySaysWhatIsNeeded() {
    assertParseError(
      ":fill_null country",
      #"fill_null: needs "value" (a constant) or "strategy" (previous, next, mode, mean, median)"#)
  }

  func testFillNullWithValueAndStrategyIsTheRecipeError() {
    assertParseError(
      ":fill_null country value=ZZ strategy=mode",
      #"fill_null: field "value": give either "value" or "strategy", not both"#)
  }

  func testFillNullUnknownStrategySuggestsTheClosest() {
    assertParseError(
      ":fill_null amount strategy=meadian",
      #"fill_null: field "strategy": "meadian" is not one of previous, next, mode, mean, median; did you mean "median"?"#
    )
  }

  func testFillNullWithThreeWordsShowsUsage() {
    assertParseError(
      ":fill_null country ZZ YY",
      "usage: :fill_null COLUMN VALUE, or :fill_null COLUMN [COLUMN …] strategy=previous (or value=V)")
  }

  func testFillNullWithAStrategyTakesEveryWordAsAColumn() {
    assertSameStep(
      ":fill_null country tz strategy=previous",
      #"{"op": "fill_null", "columns": ["country", "tz"], "strategy": "previous"}"#)
    assertSameStep(
      ":fill_null country tz value=ZZ", #"{"op": "fill_null", "columns": ["country", "tz"], "value": "ZZ"}"#)
  }

  // MARK: normalize_timezone

  func testNormalizeTimezoneFullForm() {
    assertSameStep(
      #":normalize_timezone event_time America/New_York UTC input_format="%Y-%m-%d %H:%M:%S" ambiguous=later nonexistent=reject on_error=null"#,
      """
      {"op": "normalize_timezone", "column": "event_time", "from_zone": "America/New_York", "to_zone": "UTC",
       "input_formats": ["%Y-%m-%d %H:%M:%S"], "ambiguous": "later", "nonexistent": "reject", "on_error": "null"}
      """)
  }

  func testNormalizeTimezoneToZoneDefaultsToUTC() throws {
    assertSameStep(
      ":normalize_timezone event_time Europe/Berlin",
      #"{"op": "normalize_timezone", "column": "event_time", "from_zone": "Europe/Berlin"}"#)
    XCTAssertEqual(
      try commandStep(":normalize_timezone event_time Europe/Berlin").json.compactText,
      #"{"op":"normalize_timezone","column":"event_time","from_zone":"Europe/Berlin","to_zone":"UTC","ambiguous":"earlier","nonexistent":"shift_forward","on_error":"reject"}"#
    )
  }

  func testNormalizeTimezoneWithExplicitTargetZone() {
    assertSameStep(
      ":normalize_timezone t UTC Asia/Kathmandu",
      #"{"op": "normalize_timezone", "column": "t", "from_zone": "UTC", "to_zone": "Asia/Kathmandu"}"#)
  }

  func testNormalizeTimezoneAtNameReadsTheZoneFromThatColumnPerRow() {
    assertSameStep(
      ":normalize_timezone event_time @tz",
      #"{"op": "normalize_timezone", "column": "event_time", "from_zone": {"column": "tz"}}"#)
    assertSameStep(
      ":normalize_timezone column=event_time from_zone=@tz",
      #"{"op": "normalize_timezone", "column": "event_time", "from_zone": {"column": "tz"}}"#)
  }

  func testNormalizeTimezoneRepeatedInputFormatsAreTriedInOrder() {
    assertSameStep(
      #":normalize_timezone t UTC input_format="%d/%m/%Y %H:%M" input_format=%Y-%m-%d"#,
      #"{"op": "normalize_timezone", "column": "t", "from_zone": "UTC", "input_formats": ["%d/%m/%Y %H:%M", "%Y-%m-%d"]}"#
    )
  }

  func testNormalizeTimezoneOutputFormatAndFixedOffsetZone() {
    assertSameStep(
      #":normalize_timezone t +05:30 output_format="%Y-%m-%d %H:%M""#,
      #"{"op": "normalize_timezone", "column": "t", "from_zone": "+05:30", "output_format": "%Y-%m-%d %H:%M"}"#
    )
  }

  func testNormalizeTimezoneUnknownZoneSuggestsTheClosest() {
    assertParseError(
      ":normalize_timezone t Europe/Berln",
      #"normalize_timezone: field "from_zone": "Europe/Berln" is not a time zone Decant knows (use an IANA name such as Europe/Berlin, UTC, or an offset such as +05:30); did you mean "Europe/Berlin"?"#
    )
  }

  func testNormalizeTimezoneWithFourWordsShowsUsage() {
    assertParseError(
      ":normalize_timezone t UTC UTC extra",
      "usage: :normalize_timezone COLUMN FROM_ZONE [TO_ZONE] [key=value …]")
  }

  func testNormalizeTimezoneBadChoiceSuggestsTheClosest() {
    assertParseError(
      ":normalize_timezone t UTC ambiguous=latter",
      #"normalize_timezone: field "ambiguous": "latter" is not one of earlier, later, reject; did you mean "later"?"#
    )
  }

  // MARK: key=value for any operation

  func testKeyValueFormWithCommaListMatchesTheRecipe() {
    assertSameStep(
      ":dedupe columns=event_id,country keep=first",
      #"{"op": "dedupe", "columns": ["event_id", "country"], "keep": "first"}"#)
    assertSameStep(
      ":fill_null columns=a,b value=0", #"{"op": "fill_null", "columns": ["a", "b"], "value": "0"}"#)
  }

  func testKeyValueFormTakesQuotedJSONObjects() {
    assertSameStep(
      #":rename columns='{"Amount USD": "amount_usd", "tz": "zone"}'"#,
      #"{"op": "rename", "columns": {"Amount USD": "amount_usd", "tz": "zone"}}"#)
  }

  func testKeyValueFormTakesQuotedJSONArrays() {
    assertSameStep(
      #":dedupe columns='["Amount USD", "tz"]'"#, #"{"op": "dedupe", "columns": ["Amount USD", "tz"]}"#)
  }

  /// `value` doc comment: "JSON text (`[…]`, `{…}`) is taken as is" — also when typed without outer quotes.
  func testKeyValueFormTakesUnquotedJSONArrayAsIs() {
    assertSameStep(
      #":dedupe columns=["event_id","country"]"#, #"{"op": "dedupe", "columns": ["event_id", "country"]}"#)
  }

  func testKeyValueFormColumnMapAsOldColonNewPairs() {
    assertSameStep(
      ":rename columns=a:b,c:d", #"{"op": "rename", "columns": {"a": "b", "c": "d"}}"#)
    assertParseError(":rename columns=a", "write renames as OLD:NEW,OLD2:NEW2")
  }

  func testKeyValueFormWithInvalidJSONSaysSo() {
    assertParseError(
      ":rename columns={oops}",
      "{oops} is not valid JSON: line 1, column 2: expected a quoted key but found 'o'")
  }

  func testEnabledAndNoteApplyToAnyStep() {
    assertSameStep(
      #":dedupe event_id enabled=false note="retries share an id""#,
      #"{"op": "dedupe", "columns": ["event_id"], "enabled": false, "note": "retries share an id"}"#)
  }

  func testKeyValueWinsOverAnEarlierShortFormValue() {
    assertSameStep(
      ":normalize_timezone t UTC from_zone=Asia/Tokyo",
      #"{"op": "normalize_timezone", "column": "t", "from_zone": "Asia/Tokyo"}"#)
  }

  func testUnknownParameterSuggestsTheClosest() {
    assertParseError(
      ":normalize_timezone event_time UTC ambigous=later",
      #"normalize_timezone has no parameter "ambigous"; did you mean ambiguous=?"#)
    assertParseError(":dedupe colums=a", #"dedupe has no parameter "colums"; did you mean columns=?"#)
  }

  func testUnknownParameterWithoutACloseOneHasNoSuggestion() {
    assertParseError(":dedupe zzzzzz=1", #"dedupe has no parameter "zzzzzz""#)
  }

  // MARK: Session commands

  func testWriteWithAndWithoutPath() throws {
    for line in [":write", ":w", "write", ":w "] {
      guard case .write(let path) = try CommandParser.parse(line) else { return XCTFail(line) }
      XCTAssertNil(path, line)
    }
    guard case .write(let p1) = try CommandParser.parse(":write recipes/clean.json") else { return XCTFail() }
    XCTAssertEqual(p1, "recipes/clean.json")
    guard case .write(let p2) = try CommandParser.parse(#":w "my recipes/clean events.json""#) else {
      return XCTFail()
    }
    XCTAssertEqual(p2, "my recipes/clean events.json")
  }

  func testWriteWithTwoPathsShowsUsage() {
    assertParseError(":write a.json b.json", "usage: :write [PATH]")
    assertParseError(":w path=a.json", "usage: :write [PATH]")
  }

  func testQuitAndForcedQuit() throws {
    for (line, force) in [(":quit", false), (":q", false), (":quit!", true), (":q!", true)] {
      guard case .quit(let f) = try CommandParser.parse(line) else { return XCTFail(line) }
      XCTAssertEqual(f, force, line)
    }
    assertParseError(":q now", "usage: :quit")
  }

  func testWriteQuitIsNotACommandAndSaysWhatToDo() {
    assertParseError(":wq", "save with :write, then :quit")
    assertParseError(":x", "save with :write, then :quit")
  }

  func testUndoRedo() throws {
    guard case .undo = try CommandParser.parse(":undo") else { return XCTFail(":undo") }
    guard case .undo = try CommandParser.parse(":u") else { return XCTFail(":u") }
    guard case .redo = try CommandParser.parse(":redo") else { return XCTFail(":redo") }
  }

  func testRunWithAndWithoutOutput() throws {
    guard case .run(let none) = try CommandParser.parse(":run") else { return XCTFail() }
    XCTAssertNil(none)
    guard case .run(let out) = try CommandParser.parse(":run out/clean.csv") else { return XCTFail() }
    XCTAssertEqual(out, "out/clean.csv")
    assertParseError(":run a b", "usage: :run [OUTPUT]")
  }

  func testLoadNeedsAPath() throws {
    guard case .load(let p) = try CommandParser.parse(":load recipes/events.json") else { return XCTFail() }
    XCTAssertEqual(p, "recipes/events.json")
    guard case .load(let e) = try CommandParser.parse(":e r.json") else { return XCTFail() }
    XCTAssertEqual(e, "r.json")
    assertParseError(":load", "usage: :load RECIPE")
  }

  func testGotoAndHelp() throws {
    guard case .goTo(let c) = try CommandParser.parse(#":goto "Amount USD""#) else { return XCTFail() }
    XCTAssertEqual(c, "Amount USD")
    guard case .help = try CommandParser.parse(":help") else { return XCTFail() }
    assertParseError(":goto", "usage: :goto COLUMN")
  }

  func testLeadingColonIsOptional() {
    assertSameStep("dedupe a", #"{"op": "dedupe", "columns": ["a"]}"#)
  }

  func testExtraSpacesAndTabsSeparateWords() {
    assertSameStep(":rename   a \t  b  ", #"{"op": "rename", "columns": {"a": "b"}}"#)
  }

  // MARK: Errors

  func testEmptyCommandLineSaysHowToStart() {
    assertParseError(":", "type a command, e.g. :dedupe id")
    assertParseError(":   ", "type a command, e.g. :dedupe id")
    assertParseError(":columns=a", "type a command, e.g. :dedupe id")
  }

  func testMisspeltOperationSuggestsIt() {
    assertParseError(":dedup event_id", #"unknown command or operation "dedup"; did you mean :dedupe?"#)
    assertParseError(":fill-null a b", #"unknown command or operation "fill-null"; did you mean :fill_null?"#)
  }

  func testMisspeltSessionCommandSuggestsIt() {
    assertParseError(":wirte", #"unknown command or operation "wirte"; did you mean :write?"#)
  }

  func testUnknownCommandWithoutACloseOne() {
    assertParseError(":frobnicate", #"unknown command or operation "frobnicate""#)
  }

  func testUnclosedQuoteIsAnError() {
    assertParseError(#":rename "Amount USD amount_usd"#, "a quote is not closed")
    assertParseError(":rename 'Amount USD amount_usd", "a quote is not closed")
  }

  func testTokenizerKeepsKeyBeforeAQuotedValue() throws {
    XCTAssertEqual(
      try CommandParser.tokenize(#"a key="x y" 'b c' k=v=w"#),
      [
        .init(key: nil, value: "a"), .init(key: "key", value: "x y"), .init(key: nil, value: "b c"),
        .init(key: "k", value: "v=w"),
      ])
  }

  func testCommandAndRecipeGiveTheSameStepForEveryCoreOperation() throws {
    let pairs: [(String, String)] = [
      (#":rename "Amount USD" amount_usd"#, #"{"op": "rename", "columns": {"Amount USD": "amount_usd"}}"#),
      (":dedupe event_id", #"{"op": "dedupe", "columns": ["event_id"], "keep": "first"}"#),
      (":fill_null country ZZ", #"{"op": "fill_null", "columns": ["country"], "value": "ZZ"}"#),
      (
        #":normalize_timezone event_time America/New_York UTC input_format="%Y-%m-%d %H:%M:%S" output_format=%Y-%m-%dT%H:%M:%SZ ambiguous=earlier nonexistent=shift_forward on_error=reject"#,
        """
        {"op": "normalize_timezone", "column": "event_time",
         "from_zone": "America/New_York", "to_zone": "UTC",
         "input_formats": ["%Y-%m-%d %H:%M:%S"],
         "output_format": "%Y-%m-%dT%H:%M:%SZ",
         "ambiguous": "earlier", "nonexistent": "shift_forward",
         "on_error": "reject"}
        """
      ),
      (
        #":filter where="amount > 100 and country in (US, CA)" keep=non_matching"#,
        #"{"op": "filter", "where": {"all": [{"column": "amount", "gt": 100}, {"column": "country", "in": ["US", "CA"]}]}, "keep": "non_matching"}"#
      ),
      (
        #":validate name="amount positive" where="amount > 0" on_error=keep"#,
        #"{"op": "validate", "name": "amount positive", "where": {"column": "amount", "gt": 0}, "on_error": "keep"}"#
      ),
      (":select id name", #"{"op": "select", "columns": ["id", "name"]}"#),
      (":drop note", #"{"op": "drop", "columns": ["note"]}"#),
      (":copy column=id to=id_copy", #"{"op": "copy", "column": "id", "to": "id_copy"}"#),
      (
        #":set column=flag value=big where="note is null""#,
        #"{"op": "set", "column": "flag", "value": "big", "where": {"column": "note", "is_null": true}}"#
      ),
      (
        #":merge columns=first,last to=name separator=" " nulls=empty"#,
        #"{"op": "merge", "columns": ["first", "last"], "to": "name", "separator": " ", "nulls": "empty"}"#
      ),
      (
        #":split column=name separator=" " into=first,last"#,
        #"{"op": "split", "column": "name", "separator": " ", "into": ["first", "last"]}"#
      ),
      (
        ":trim name side=left collapse=true",
        #"{"op": "trim", "columns": ["name"], "side": "left", "collapse": true}"#
      ),
      (
        #":change_case columns=country case=upper where="country != \"zz\"""#,
        #"{"op": "change_case", "columns": ["country"], "case": "upper", "where": {"not": {"column": "country", "equals": "zz"}}}"#
      ),
      (
        #":replace columns=note find="(\d+)" with=No.$1 regex=true"#,
        #"{"op": "replace", "columns": ["note"], "find": "(\\d+)", "with": "No.$1", "regex": true}"#
      ),
      (
        #":extract column=note pattern="([0-9]+)" group=1 to=n"#,
        #"{"op": "extract", "column": "note", "pattern": "([0-9]+)", "group": 1, "to": "n"}"#
      ),
      (
        ":map_values columns=country mapping=us:US,usa:US case_insensitive=true unmapped=null",
        #"{"op": "map_values", "columns": ["country"], "mapping": {"us": "US", "usa": "US"}, "case_insensitive": true, "unmapped": "null"}"#
      ),
      (
        #":cast amount to=decimal thousands_separator=, on_error=null"#,
        #"{"op": "cast", "columns": ["amount"], "to": "decimal", "thousands_separator": ",", "on_error": "null"}"#
      ),
      (
        ":round amount digits=-2 mode=half_even",
        #"{"op": "round", "columns": ["amount"], "digits": -2, "mode": "half_even"}"#
      ),
      (
        ":lookup file=regions.csv on=country:code,kind columns=region prefix=ref_ unmatched=reject",
        #"{"op": "lookup", "file": "regions.csv", "on": {"country": "code", "kind": "kind"}, "columns": ["region"], "prefix": "ref_", "unmatched": "reject"}"#
      ),
      (
        #":hash email phone salt="pepper 1""#,
        #"{"op": "hash", "columns": ["email", "phone"], "salt": "pepper 1"}"#
      ),
      (
        ":mask card keep_first=1 keep_last=2 with=# where=\"country = US\"",
        ##"{"op": "mask", "columns": ["card"], "keep_first": 1, "keep_last": 2, "with": "#", "where": {"column": "country", "equals": "US"}}"##
      ),
      (
        #":format_date column=joined input_formats=%m/%d/%Y output_format="%d %b %Y" to=joined_text"#,
        #"{"op": "format_date", "column": "joined", "input_formats": ["%m/%d/%Y"], "output_format": "%d %b %Y", "to": "joined_text"}"#
      ),
      (
        ":date_part column=d part=iso_week to=week on_error=null",
        #"{"op": "date_part", "column": "d", "part": "iso_week", "to": "week", "on_error": "null"}"#
      ),
    ]
    XCTAssertEqual(Set(pairs.map { try! commandStep($0.0).op }), Set(OperationRegistry.names))
    for (line, json) in pairs { assertSameStep(line, json) }
  }

  // MARK: Input settings (:set, and the fields of the i form)

  func setting(_ name: String, _ value: String) throws -> InputChange {
    guard case .set(let change) = try CommandParser.parse(":set \(name) \(value)") else {
      throw CommandError(message: ":set \(name) is not an input setting")
    }
    return change
  }

  func testSetReadsNullValuesAsAListWithQuotesForTheEmptyCellAndForCommas() throws {
    func read(_ text: String) throws -> [String] {
      guard case .nullValues(let v) = try InputChange.parse("null_values", text) else { return [] }
      return v
    }
    XCTAssertEqual(try setting("null_values", #"NA,-,"""#), .nullValues(["NA", "-", ""]))
    XCTAssertEqual(try read(#"NA, """#), ["NA", ""])
    XCTAssertEqual(try read("NA,"), ["NA", ""])
    XCTAssertEqual(try read(#""a, b",NA"#), ["a, b", "NA"])
    XCTAssertEqual(try read(#"" NA ",-"#), [" NA ", "-"])
    XCTAssertEqual(try read(#"["say \"x\"", ""]"#), [#"say "x""#, ""])
    XCTAssertEqual(try read("[]"), [])
    XCTAssertEqual(
      errorMessage { _ = try InputChange.parse("null_values", #"NA,"oops"#) },
      #"null_values: a quote is not closed in NA,"oops"#)
    // The text the form shows reads back as the same list.
    for values in [[""], ["NA", ""], ["a, b", "-"], [" NA "], [#"say "x""#], []] {
      XCTAssertEqual(try read(InputChange.nullValuesText(values)), values, "\(values)")
    }
    XCTAssertEqual(InputChange.nullValuesText(["NA", ""]), #"NA,"""#)
  }

  func testSetDelimiterTakesOneCharacterOrTab() throws {
    XCTAssertEqual(try setting("delimiter", ";"), .delimiter(";"))
    XCTAssertEqual(try setting("delimiter", ":"), .delimiter(":"))
    XCTAssertEqual(try setting("delimiter", "tab"), .delimiter("\t"))
    XCTAssertEqual(try setting("delimiter", #"\t"#), .delimiter("\t"))
    XCTAssertEqual(
      errorMessage { _ = try setting("delimiter", ";;") },
      #"delimiter: use one character, such as , ; | or tab, not ";;""#)
    XCTAssertEqual(
      errorMessage { _ = try InputChange.parse("delimiter", "\"") },
      "delimiter: a quote or a line end cannot be the delimiter")
    XCTAssertEqual(try setting("header", "no"), .header(false))
    XCTAssertEqual(try setting("header", "true"), .header(true))
    XCTAssertEqual(
      errorMessage { _ = try setting("header", "maybe") }, #"header: use yes or no, not "maybe""#)
    XCTAssertEqual(try setting("encoding", "ISO-8859-1"), .encoding(.latin1))
    XCTAssertEqual(
      errorMessage { _ = try setting("encoding", "ebcdic") },
      #"encoding: use utf-8, latin1, utf-16, utf-16le, utf-16be, not "ebcdic""#)
    XCTAssertEqual(try setting("ragged", "pad"), .ragged(.pad))
  }

  func testInputChangesAreNamedAsMessagesSayThem() {
    XCTAssertEqual(
      InputChange.describe([
        .nullValues(["NA", ""]), .delimiter("\t"), .header(false), .encoding(.latin1), .ragged(.pad),
      ]), #"null values NA, ""; delimiter tab; header off; encoding latin1; ragged pad"#)
    let before = InputSettings(delimiter: ",", header: true, nullValues: [""])
    var after = before
    after.header = false
    after.encoding = .utf8
    XCTAssertEqual(
      InputChange.differences(from: before, to: after), [.header(false)], "utf-8 is what no encoding reads")
    after.nullValues = ["NA"]
    after.ragged = .pad
    XCTAssertEqual(
      InputChange.differences(from: before, to: after), [.nullValues(["NA"]), .header(false), .ragged(.pad)])
  }
}
