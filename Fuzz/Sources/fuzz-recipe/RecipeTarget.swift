import DecantCore
import FuzzSupport

// Fuzzes the recipe decoder and the JSON parser under it.
//
// Input: the bytes of a recipe file.
//
// Checks: JSON that parses writes out (compact and pretty) as text that parses
// to the same value. A recipe that decodes encodes as text that decodes again,
// to a recipe that encodes to the same text and the same JSON tree; its steps
// describe themselves and plan against its own `input.columns`. A recipe that
// does not decode fails with a RecipeError that has a message.

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzRecipe(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = inputBytes(data, size)
  if let value = try? JSONValue.parse(bytes) { checkJSONRoundTrip(value) }
  let recipe: Recipe
  do {
    recipe = try Recipe.decode(bytes)
  } catch {
    check(!error.message.isEmpty, "a recipe error without a message")
    check(!error.description.isEmpty, "a recipe error without a description")
    return 0
  }
  let text = recipe.encoded
  let again: Recipe
  do {
    again = try Recipe.decode(text)
  } catch {
    violated("an encoded recipe does not decode: \(error)\n--- encoded:\n\(text)")
  }
  check(again.encoded == text, "encoding is not stable:\n\(text)\n--- then:\n\(again.encoded)")
  check(again.json == recipe.json, "the decoded-again recipe has another JSON tree:\n\(text)")
  check(again.steps.count == recipe.steps.count, "the step count changed")
  for (a, b) in zip(recipe.steps, again.steps) {
    check(a.op == b.op && a.enabled == b.enabled && a.note == b.note, "step \(a.op) changed")
    check(
      a.operation.summary == b.operation.summary, "summary \(a.operation.summary) vs \(b.operation.summary)")
  }
  check(again.input == recipe.input, "input settings changed:\n\(text)")
  let columns = Schema.uniqued(recipe.input.columns ?? []).names
  _ = try? recipe.plan(Schema(columns))
  return 0
}

private func checkJSONRoundTrip(_ value: JSONValue) {
  for (style, text) in [("compact", value.compactText), ("pretty", value.prettyText)] {
    do {
      let again = try JSONValue.parse(text)
      check(again == value, "\(style) JSON text parses to another value: \(text)")
    } catch {
      violated("\(style) JSON text does not parse (\(error)): \(text)")
    }
  }
}
