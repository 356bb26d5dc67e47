import XCTest

@testable import DecantCore

/// `hash` and `mask` (DESIGN.md §8, "privacy", and settled reading 13): hash
/// writes the lowercase hex SHA-256 of salt + the cell's bytes, whatever they
/// are; mask counts Unicode code points and treats a cell that is not valid
/// UTF-8 as a value error under `on_error`. Null cells stay null; rows outside
/// `where` pass untouched. Expected digests come from Python's `hashlib`.
final class PrivacyOperationTests: XCTestCase {
  // MARK: hash

  static let sha256OfABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
  static let sha256OfNothing = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

  func testHashDecodesWithItsDefaults() throws {
    let op = try decodedOperation(HashOperation.self, #"{"op": "hash", "columns": ["email", "phone no"]}"#)
    XCTAssertEqual(op.salt, "")
    XCTAssertEqual(op.summary, #"hash email, "phone no""#)
    XCTAssertEqual(
      JSONValue.object(op.encodedParameters()).compactText, #"{"columns":["email","phone no"],"salt":""}"#)
    // The salt is kept in the recipe but never shown in summaries.
    let salted = try decodedOperation(
      HashOperation.self, #"{"op": "hash", "columns": ["a"], "salt": "s3cret"}"#)
    XCTAssertEqual(salted.summary, "hash a with a salt")
    XCTAssertEqual(
      JSONValue.object(salted.encodedParameters()).compactText, #"{"columns":["a"],"salt":"s3cret"}"#)
    // A JSON number stands for its text as written.
    XCTAssertEqual(
      try decodedOperation(HashOperation.self, #"{"op": "hash", "columns": ["a"], "salt": 42}"#).salt, "42")
  }

  func testHashWritesTheLowercaseHexSHA256OfSaltThenValue() throws {
    let r = try applyStep(
      #"{"op": "hash", "columns": ["s"]}"#, columns: ["s"], rows: [["abc"], ["ada@example.com"]])
    XCTAssertEqual(
      r.column("s"),
      [Self.sha256OfABC, "b5fc85e55755f9e0d030a10ab4429b6b2944855f9a0d60077fe832becbc41d72"])
    // Salt + value: "ab" + "c" is the message "abc".
    let salted = try applyStep(
      #"{"op": "hash", "columns": ["a", "b"], "salt": "s1"}"#, columns: ["a", "b"],
      rows: [["ada@example.com", "bob@example.com"]])
    XCTAssertEqual(
      salted.rows,
      [
        [
          "cf761930a9f52b078c96936206f22f11a8367e9fb6ad8eae46e5276a9fb9713f",
          "b9fd09c2ad0f48b28c17b45dc2820551976e8bba15163e0631d6fce5b13ebf17",
        ]
      ])
    let split = try applyStep(
      #"{"op": "hash", "columns": ["s"], "salt": "ab"}"#, columns: ["s"], rows: [["c"]])
    XCTAssertEqual(split.column("s"), [Self.sha256OfABC])
    // Equal values give equal hashes.
    let same = try applyStep(
      #"{"op": "hash", "columns": ["s"], "salt": "x"}"#, columns: ["s"], rows: [["v"], ["w"], ["v"]])
    XCTAssertEqual(same.column("s")[0], same.column("s")[2])
    XCTAssertNotEqual(same.column("s")[0], same.column("s")[1])
  }

  func testHashLeavesNullsAndHashesEmptyValuesThatAreNotNull() throws {
    let r = try applyStep(#"{"op": "hash", "columns": ["s"]}"#, columns: ["s"], rows: [[""], ["abc"]])
    XCTAssertEqual(r.column("s"), ["", Self.sha256OfABC])
    let na = try applyStep(
      #"{"op": "hash", "columns": ["s"]}"#, columns: ["s"], rows: [["NA"], [""]], nullValues: ["NA"])
    XCTAssertEqual(na.column("s"), ["NA", Self.sha256OfNothing])
  }

  func testHashHashesBytesThatAreNotUTF8AsTheyAre() throws {
    let r = try applyStep(
      #"{"op": "hash", "columns": ["s"], "salt": "pepper"}"#, columns: ["s"], rows: [["caf\\xE9"]])
    XCTAssertEqual(r.column("s"), ["9f57c6c7da8dafcf85905968d36e99c862b2067aecb26222f503e6151aabb398"])
    let bare = try applyStep(#"{"op": "hash", "columns": ["s"]}"#, columns: ["s"], rows: [["\\xFF"]])
    XCTAssertEqual(bare.column("s"), ["a8100ae6aa1940d0b663bb31cd466142ebbdbd5187131b92d93818987832eb89"])
    XCTAssertEqual(bare.rejects, [])
  }

  func testHashWithWhereChangesOnlyMatchingRows() throws {
    let r = try applyStep(
      #"{"op": "hash", "columns": ["s"], "where": {"column": "k", "equals": "y"}}"#, columns: ["k", "s"],
      rows: [["y", "abc"], ["n", "abc"], ["y", ""], ["", "\\xFF"]])
    XCTAssertEqual(r.column("s"), [Self.sha256OfABC, "abc", "", "\\xFF"])
    XCTAssertEqual(r.counts.rowsOut, 4)
  }

  func testHashOfManyRowsMatchesOneAtATime() throws {
    let values = (0..<300).map { i in String(repeating: "é", count: i % 70) + "\(i)" }
    let recipe = try recipe(steps: #"{"op": "hash", "columns": ["s"], "salt": "0123456789"}"#)
    let r = try runPipeline(
      recipe, columns: ["s"],
      batches: stride(from: 0, to: 300, by: 64).map { values[$0..<min($0 + 64, 300)].map { [$0] } })
    XCTAssertEqual(r.column("s"), values.map { SHA256.hexDigest(of: Array(("0123456789" + $0).utf8)) })
  }

  func testHashErrors() throws {
    XCTAssertEqual(stepError(#"{"op": "hash"}"#)?.field, "columns")
    XCTAssertEqual(stepError(#"{"op": "hash", "columns": []}"#)?.message, "must name at least one column")
    let salt = try XCTUnwrap(stepError(#"{"op": "hash", "columns": ["s"], "salt": true}"#))
    XCTAssertEqual(salt.field, "salt")
    XCTAssertEqual(salt.message, "must be a string, not a boolean")
    let unknown = try XCTUnwrap(stepError(#"{"op": "hash", "columns": ["s"], "salts": "x"}"#))
    XCTAssertEqual(unknown.message, #"is not a field of hash; did you mean "salt"?"#)
    // hash never fails a value, so it takes no on_error.
    XCTAssertEqual(stepError(#"{"op": "hash", "columns": ["s"], "on_error": "keep"}"#)?.field, "on_error")
  }

  // MARK: mask

  func mask(_ parameters: String, _ values: [String], nullValues: [String]? = nil) throws -> [String] {
    try applyStep(
      #"{"op": "mask", "columns": ["s"]\#(parameters)}"#, columns: ["s"], rows: values.map { [$0] },
      nullValues: nullValues
    ).column("s")
  }

  func testMaskDecodesWithItsDefaults() throws {
    let op = try decodedOperation(MaskOperation.self, #"{"op": "mask", "columns": ["card"]}"#)
    XCTAssertEqual(op.keepFirst, 0)
    XCTAssertEqual(op.keepLast, 4)
    XCTAssertEqual(op.with, "*")
    XCTAssertEqual(op.onError, .reject)
    XCTAssertEqual(op.summary, "mask card, keeping the last 4")
    XCTAssertEqual(
      JSONValue.object(op.encodedParameters()).compactText,
      #"{"columns":["card"],"keep_first":0,"keep_last":4,"with":"*","on_error":"reject"}"#)
    let full = try decodedOperation(
      MaskOperation.self,
      #"{"op": "mask", "columns": ["a", "b"], "keep_first": 2, "keep_last": 0, "with": "•", "on_error": "null"}"#
    )
    XCTAssertEqual(full.summary, #"mask a, b, keeping the first 2 (with "•")"#)
    XCTAssertEqual(
      JSONValue.object(full.encodedParameters()).compactText,
      #"{"columns":["a","b"],"keep_first":2,"keep_last":0,"with":"•","on_error":"null"}"#)
    let all = try decodedOperation(
      MaskOperation.self, #"{"op": "mask", "columns": ["a"], "keep_last": 0, "with": 0}"#)
    XCTAssertEqual(all.with, "0")
    XCTAssertEqual(all.summary, "mask a entirely (with 0)")
  }

  func testMaskHidesAllButTheKeptCharactersOfASCII() throws {
    XCTAssertEqual(try mask("", ["4111111111111111", "12345"]), ["************1111", "*2345"])
    XCTAssertEqual(
      try mask(#", "keep_first": 2, "keep_last": 3"#, ["ada@example.com", "+1 555 123 4567"]),
      ["ad**********com", "+1**********567"])
    XCTAssertEqual(try mask(##", "keep_last": 0, "with": "#""##, ["secret", "a"]), ["######", "#"])
    XCTAssertEqual(
      try mask(#", "keep_first": 1, "keep_last": 0"#, ["Ada", "Lovelace"]), ["A**", "L*******"])
  }

  func testMaskCountsCodePointsNotBytes() throws {
    // Two-, three- and four-byte characters are one character each.
    XCTAssertEqual(try mask(#", "keep_last": 2"#, ["Ελλάδα"]), ["****δα"])
    XCTAssertEqual(
      try mask(#", "keep_first": 1, "keep_last": 1"#, ["東京都渋谷区", "😀😁😂🤣😃"]), ["東****区", "😀***😃"])
    XCTAssertEqual(try mask(#", "keep_last": 1, "with": "•""#, ["Zoë"]), ["••ë"])
    // A multi-byte mask character over ASCII.
    XCTAssertEqual(try mask(#", "keep_last": 2, "with": "é""#, ["abcd"]), ["éécd"])
  }

  func testMaskCountsACombiningMarkAsACharacterOfItsOwn() throws {
    // "é" written as e + U+0301 is two characters; "é" as U+00E9 is one.
    let decomposed = "Jose\u{301}"  // 5 code points
    let composed = "Jos\u{E9}"  // 4 code points
    XCTAssertEqual(try mask("", [decomposed, composed]), ["*ose\u{301}", composed])
    XCTAssertEqual(try mask(#", "keep_first": 4, "keep_last": 0"#, [decomposed]), ["Jose*"])
    XCTAssertEqual(try mask(#", "keep_first": 3, "keep_last": 0"#, [decomposed]), ["Jos**"])
    // A ZWJ emoji sequence is several code points.
    XCTAssertEqual(try mask(#", "keep_first": 1, "keep_last": 0"#, ["👩\u{200D}💻"]), ["👩**"])
  }

  func testMaskLeavesValuesNoLongerThanTheKeptCharacters() throws {
    XCTAssertEqual(try mask("", ["1234", "123", "é\u{301}ab", "€"]), ["1234", "123", "é\u{301}ab", "€"])
    XCTAssertEqual(try mask(#", "keep_first": 2, "keep_last": 2"#, ["abcd", "abcde"]), ["abcd", "ab*de"])
    XCTAssertEqual(try mask(#", "keep_first": 9, "keep_last": 0"#, ["Ελλάδα"]), ["Ελλάδα"])
    // Counts beyond any value, even when their sum overflows.
    XCTAssertEqual(
      try mask(#", "keep_first": 9223372036854775807, "keep_last": 9223372036854775807"#, ["abc"]), ["abc"])
  }

  func testMaskKeepFirstAndKeepLastAtTheEdges() throws {
    let value = "0123456789"
    XCTAssertEqual(try mask(#", "keep_first": 0, "keep_last": 0"#, [value]), ["**********"])
    XCTAssertEqual(try mask(#", "keep_first": 9, "keep_last": 0"#, [value]), ["012345678*"])
    XCTAssertEqual(try mask(#", "keep_first": 0, "keep_last": 9"#, [value]), ["*123456789"])
    XCTAssertEqual(try mask(#", "keep_first": 5, "keep_last": 4"#, [value]), ["01234*6789"])
    XCTAssertEqual(try mask(#", "keep_first": 5, "keep_last": 5"#, [value]), [value])
    XCTAssertEqual(try mask(#", "keep_first": 10, "keep_last": 0"#, [value]), [value])
  }

  func testMaskLeavesNullsAndEmptyValues() throws {
    XCTAssertEqual(try mask(#", "keep_last": 0"#, ["", "abc"]), ["", "***"])
    XCTAssertEqual(try mask(#", "keep_last": 0"#, ["NA", "", "NAN"], nullValues: ["NA"]), ["NA", "", "***"])
  }

  func testMaskOfAnAlreadyMaskedValueLeavesTheCell() throws {
    let r = try applyStep(
      #"{"op": "mask", "columns": ["s"]}"#, columns: ["s"], rows: [["****1234"], ["12341234"]])
    XCTAssertEqual(r.column("s"), ["****1234", "****1234"])
  }

  func testMaskOfInvalidUTF8FollowsOnError() throws {
    let table = [["12345"], ["caf\\xE9 1234"], ["abcdef"]]
    let rejected = try applyStep(#"{"op": "mask", "columns": ["s"]}"#, columns: ["s"], rows: table)
    XCTAssertEqual(rejected.column("s"), ["*2345", "**cdef"])
    XCTAssertEqual(rejected.rejects, ["3: column s is not valid UTF-8"])
    let nulled = try applyStep(
      #"{"op": "mask", "columns": ["s"], "on_error": "null"}"#, columns: ["s"], rows: table)
    XCTAssertEqual(nulled.column("s"), ["*2345", "", "**cdef"])
    let kept = try applyStep(
      #"{"op": "mask", "columns": ["s"], "on_error": "keep"}"#, columns: ["s"], rows: table)
    XCTAssertEqual(kept.column("s"), ["*2345", "caf\\xE9 1234", "**cdef"])
    let e = try XCTUnwrap(
      dataError(#"{"op": "mask", "columns": ["s"], "on_error": "fail"}"#, columns: ["s"], rows: table))
    XCTAssertEqual(e.description, "line 3: step 1 (mask): column s is not valid UTF-8")
  }

  func testMaskWithWhereLeavesOtherRowsUntouched() throws {
    let r = try applyStep(
      #"{"op": "mask", "columns": ["s"], "keep_last": 2, "where": {"column": "k", "in": ["card", "iban"]}}"#,
      columns: ["k", "s"],
      rows: [
        ["card", "4111111111111111"], ["note", "hello"], ["iban", "DE89370400440532013000"], ["x", "\\xFF"],
      ])
    XCTAssertEqual(r.column("s"), ["**************11", "hello", "********************00", "\\xFF"])
    XCTAssertEqual(r.rejects, [])
  }

  func testMaskErrors() throws {
    XCTAssertEqual(stepError(#"{"op": "mask"}"#)?.field, "columns")
    let negative = try XCTUnwrap(stepError(#"{"op": "mask", "columns": ["s"], "keep_last": -1}"#))
    XCTAssertEqual(negative.field, "keep_last")
    XCTAssertEqual(negative.message, "must be 0 or more (a number of characters), not -1")
    XCTAssertEqual(stepError(#"{"op": "mask", "columns": ["s"], "keep_first": -3}"#)?.field, "keep_first")
    XCTAssertEqual(
      stepError(#"{"op": "mask", "columns": ["s"], "keep_first": 1.5}"#)?.message,
      "must be a whole number, not 1.5")
    XCTAssertEqual(
      stepError(#"{"op": "mask", "columns": ["s"], "keep_last": "4"}"#)?.message,
      "must be a whole number, not a string")
    let empty = try XCTUnwrap(stepError(#"{"op": "mask", "columns": ["s"], "with": ""}"#))
    XCTAssertEqual(empty.field, "with")
    XCTAssertEqual(empty.message, "must be one character (the mask), not empty")
    XCTAssertEqual(
      stepError(#"{"op": "mask", "columns": ["s"], "with": "**"}"#)?.message,
      #"must be one character (one Unicode code point), not 2: "**""#)
    // e + U+0301 looks like one character but is two code points.
    XCTAssertEqual(
      stepError(#"{"op": "mask", "columns": ["s"], "with": "e\u0301"}"#)?.message,
      "must be one character (one Unicode code point), not 2: e\u{301}")
    XCTAssertEqual(stepError(#"{"op": "mask", "columns": ["s"], "with": true}"#)?.field, "with")
    XCTAssertEqual(
      stepError(#"{"op": "mask", "columns": ["s"], "on_error": "skip"}"#)?.message,
      #""skip" is not one of reject, null, keep, fail"#)
    let unknown = try XCTUnwrap(stepError(#"{"op": "mask", "columns": ["s"], "keep_lst": 2}"#))
    XCTAssertEqual(unknown.message, #"is not a field of mask; did you mean "keep_last"?"#)
  }

  func testMaskAndHashPlanAgainstTheHeader() throws {
    let e = try XCTUnwrap(
      planError(#"{"decant_recipe": 1, "steps": [{"op": "mask", "columns": ["crad"]}]}"#, columns: ["card"]))
    XCTAssertTrue("\(e)".contains(#"no column "crad""#), "\(e)")
    XCTAssertNotNil(
      planError(#"{"decant_recipe": 1, "steps": [{"op": "hash", "columns": ["mail"]}]}"#, columns: ["email"]))
  }
}
