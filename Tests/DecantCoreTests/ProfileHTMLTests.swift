import Foundation
import XCTest

@testable import DecantCore

final class ProfileHTMLTests: XCTestCase {
  private func profiles(_ rows: [[String]], names: [String], distinctLimit: Int = 100_000) -> [ColumnProfile]
  {
    let profiler = ColumnProfiler(names: names, distinctLimit: distinctLimit)
    if !rows.isEmpty { profiler.add(makeBatch(rows, columnCount: names.count)) }
    return profiler.finish()
  }

  private func page(_ profiles: [ColumnProfile], rows: Int? = nil, rejected: Int = 0) -> String {
    let facts = ProfileHTML.Facts(
      file: "data/in.csv", rows: rows ?? profiles.first?.count ?? 0, rejectedRecords: rejected)
    return ProfileHTML.page(profiles, facts: facts)
  }

  func testDateColumnsShowTheirHistogramAndPercentilesAsDates() throws {
    let rows = (1...28).map { ["2024-02-\(String(format: "%02d", $0))"] }
    let p = profiles(rows, names: ["day"])
    XCTAssertEqual(p[0].kind, .date)
    let html = page(p)
    try assertWellFormed(html)
    XCTAssertEqual(html.components(separatedBy: "<rect class=\"bar\"").count - 1, 10)
    XCTAssertTrue(html.contains("<th>p50</th>"))
    XCTAssertTrue(
      html.contains("<td>\(p[0].percentileTexts[2])</td>"), p[0].percentileTexts.joined(separator: " "))
    XCTAssertEqual(p[0].percentileTexts[2], "2024-02-14")
  }

  // MARK: - Escaping

  func testTextAndAttributeEscapingCoverMarkupQuotesAndControlCharacters() {
    XCTAssertEqual(ProfileHTML.text("a<b>&c \"d\" 'e'"), "a&lt;b&gt;&amp;c \"d\" 'e'")
    XCTAssertEqual(ProfileHTML.attribute("a<b>&c \"d\" 'e'"), "a&lt;b&gt;&amp;c &quot;d&quot; &#39;e&#39;")
    // Controls become visible symbols (and stay legal in HTML and XML); line ends survive in titles.
    XCTAssertEqual(ProfileHTML.text("x\u{0}y\u{1B}z\u{7F}\n"), "x\u{2400}y\u{241B}z\u{2421}\u{240A}")
    XCTAssertEqual(ProfileHTML.attribute("a\nb\tc"), "a&#10;b&#9;c")
    XCTAssertEqual(ProfileHTML.text("\u{85}\u{FFFF}"), "\u{FFFD}\u{FFFD}")
    // Emoji and right-to-left text pass through as they are.
    XCTAssertEqual(ProfileHTML.text("👩‍👩‍👧 שלום"), "👩‍👩‍👧 שלום")
  }

  func testDataTextIsEscapedEverywhereOnThePage() throws {
    let nasty = "<script>alert(\"x\")</script> & 'y'"
    let rows = [
      ["<b>bold</b>", "שלום עולם", "a&b"], ["\"quoted\"", "👩‍👩‍👧 family", "x\u{1B}[31m"],
      ["<b>bold</b>", "مرحبا", "it's"],
    ]
    let html = page(profiles(rows, names: [nasty, "rtl", "mixed"]))
    try assertWellFormed(html)
    XCTAssertNil(html.range(of: "<script", options: .caseInsensitive), "a data value became markup")
    XCTAssertTrue(html.contains("&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; 'y'"))
    XCTAssertTrue(html.contains("<title>Profile of data/in.csv</title>"))
    XCTAssertTrue(html.contains("&lt;b&gt;bold&lt;/b&gt;"))
    XCTAssertFalse(html.contains("<b>"))
    XCTAssertTrue(html.contains("a&amp;b"))
    XCTAssertTrue(html.contains("x\u{241B}[31m"), "the escape character is shown as ␛")
    // Right-to-left and emoji values are isolated so they cannot reorder the text around them.
    XCTAssertTrue(html.contains(">שלום עולם</bdi>"))
    XCTAssertTrue(html.contains(">👩‍👩‍👧 family</bdi>"))
    // In attributes, quotes are escaped too.
    XCTAssertTrue(html.contains("title=\"&quot;quoted&quot;\""))
    XCTAssertTrue(html.contains("title=\"it&#39;s\""))
  }

  func testLongValuesAreCutWithAnEllipsisAndKeptWholeInTheTitle() throws {
    let long = String(repeating: "abcdefghij", count: 30) + "<end>"
    let huge = String(repeating: "z", count: ProfileHTML.titleLimit + 500)
    let html = page(profiles([[long], [long], [huge]], names: ["v"]))
    try assertWellFormed(html)
    let shown = String(long.prefix(ProfileHTML.displayLimit - 1)) + "…"
    XCTAssertTrue(html.contains(">\(shown)</bdi>"), "the value is cut for display")
    XCTAssertTrue(html.contains("title=\"\(ProfileHTML.attribute(long))\""), "the full value is in the title")
    XCTAssertFalse(html.contains(">" + long), "the whole value is never shown as text")
    // A value beyond the title limit keeps its first titleLimit characters and says how long it is.
    let kept = String(repeating: "z", count: ProfileHTML.titleLimit)
    XCTAssertTrue(html.contains("title=\"\(kept)… (10,500 characters in all)\""))
    // Cutting counts characters, so an emoji is never split.
    let emoji = String(repeating: "👩‍👩‍👧", count: 60)
    XCTAssertEqual(ProfileHTML.cut(emoji, 10), String(repeating: "👩‍👩‍👧", count: 9) + "…")
    XCTAssertEqual(ProfileHTML.cut("short", 10), "short")
    // A character of stacked accents is cut by its code points.
    let zalgo = "a" + String(repeating: "\u{301}", count: 1000) + "b"
    XCTAssertEqual(ProfileHTML.cut(zalgo, 10), "…")
  }

  // MARK: - Structure

  func testPageHasTheFileFactsAndOneSectionPerColumnWithItsFigures() throws {
    var rows: [[String]] = []
    for i in 0..<20 {
      rows.append([String(i), i % 4 == 0 ? "" : "city\(i % 3)", i == 7 ? "n/a" : "\(i * 10)"])
    }
    var p = profiles(rows, names: ["id", "city", "amount"], distinctLimit: 2)
    // Shares are never rounded to 0% or 100%.
    p[2].nulls = 1
    p[2].count = 2000
    let html = page(p, rejected: 3)
    try assertWellFormed(html)
    XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
    XCTAssertTrue(html.contains("<meta charset=\"utf-8\" />"))
    for (label, figure) in [("Rows", "20"), ("Columns", "3"), ("Rejected records", "3")] {
      XCTAssertTrue(
        html.contains("<span class=\"label\">\(label)</span><span class=\"figure\">\(figure)</span>"), label)
    }
    XCTAssertEqual(html.components(separatedBy: "<section class=\"card column\"").count - 1, 3)
    for i in 1...3 { XCTAssertTrue(html.contains("<a href=\"#column-\(i)\">")) }
    // Nulls with their share; distinct counts past the limit are estimates.
    XCTAssertTrue(html.contains("<dt>Nulls</dt><dd>5 <span class=\"muted\">(25%)</span>"))
    XCTAssertFalse(p[0].distinctIsExact)
    XCTAssertTrue(html.contains("<dt>Distinct</dt><dd>about \(p[0].distinct)</dd>"))
    XCTAssertTrue(html.contains("1 value of another type"))
    XCTAssertTrue(html.contains("<dt>Nulls</dt><dd>1 <span class=\"muted\">(&lt;0.1%)</span>"))
    XCTAssertTrue(html.contains("<dt>Min</dt><dd><bdi class=\"v\">0</bdi></dd>"))
    XCTAssertTrue(html.contains("<dt>Max</dt><dd><bdi class=\"v\">190</bdi></dd>"))
    XCTAssertTrue(html.contains("<dt>Mean</dt>"))
    XCTAssertTrue(html.contains("<dt>Std. deviation</dt>"))
    XCTAssertTrue(html.contains("<dt>Outliers</dt>"))
    XCTAssertTrue(html.contains("<dt>Length</dt><dd>5 <span class=\"muted\">(mean 5 characters)</span>"))
    for level in ["p1", "p25", "p50", "p75", "p99"] {
      XCTAssertTrue(html.contains("<th>\(level)</th>"), level)
    }
    // Top values as bars: the most frequent fills its track, the others in proportion.
    let top = p[1].top
    XCTAssertEqual(top.first?.count, 5)
    XCTAssertTrue(html.contains("<span class=\"fill\" style=\"width:100%\"></span>"))
    XCTAssertTrue(html.contains("title=\"\(top[0].value)\">\(top[0].value)</bdi>"))
  }

  func testHistogramBarHeightsAreProportionalToCountsAndTheAxisShowsMinAndMax() throws {
    var p = ColumnProfile(name: "n")
    p.kind = .decimal
    p.count = 38
    p.min = "-2.5"
    p.max = "97.5"
    p.histogram = [0, 3, 10, 7, 1, 0, 0, 2, 5, 10]
    p.percentiles = [-2, 10, 30, 80, 97]
    p.mean = 40
    let html = page([p])
    try assertWellFormed(html)
    let svg = try XCTUnwrap(slice(html, from: "<svg class=\"histogram\"", to: "</svg>"))
    let bars = elements("rect", in: svg)
    XCTAssertEqual(bars.count, 10)
    let plotHeight = ProfileHTML.plotBottom - ProfileHTML.plotTop
    for (bar, count) in zip(bars, p.histogram) {
      XCTAssertEqual(Int(bar["data-count"] ?? ""), count)
      let height = try XCTUnwrap(Double(bar["height"] ?? ""))
      let y = try XCTUnwrap(Double(bar["y"] ?? ""))
      XCTAssertEqual(height, Double(count) / 10 * plotHeight, accuracy: 0.01, "count \(count)")
      XCTAssertEqual(y + height, ProfileHTML.plotBottom, accuracy: 0.01, "bars stand on the axis")
    }
    // Bars side by side, left to right, of one width.
    let xs = bars.compactMap { $0["x"].flatMap(Double.init) }
    XCTAssertEqual(xs, xs.sorted())
    XCTAssertEqual(Set(bars.compactMap { $0["width"] }).count, 1)
    XCTAssertTrue(svg.contains("<title>-2.5 to 7.5: 0</title>"))
    XCTAssertTrue(svg.contains("<title>87.5 to 97.5: 10</title>"))
    XCTAssertTrue(svg.contains("<text class=\"axis-label min\" x=\"4\" y=\"144\">-2.5</text>"))
    XCTAssertTrue(svg.contains("text-anchor=\"end\">97.5</text>"))
    XCTAssertTrue(svg.contains(">10 max per bucket</text>"))
  }

  func testPageIsSelfContainedWithoutScriptsOrAddressesElsewhere() throws {
    var rows: [[String]] = []
    for i in 0..<50 { rows.append([String(i % 7), "https://example.com/\(i)", "javascript:alert(\(i))"]) }
    let html = page(profiles(rows, names: ["n", "url", "js"]))
    try assertWellFormed(html)
    let lower = html.lowercased()
    XCTAssertFalse(lower.contains("<script"))
    XCTAssertFalse(lower.contains("<link"))
    XCTAssertFalse(lower.contains("<img"))
    XCTAssertFalse(lower.contains("<iframe"))
    XCTAssertFalse(lower.contains("@import"))
    XCTAssertFalse(lower.contains("url("))
    XCTAssertFalse(lower.contains(" src="))
    XCTAssertNil(lower.range(of: #" on[a-z]+=""#, options: .regularExpression), "no event handler attributes")
    // Addresses from the data appear as text only; the page itself names none.
    let withoutData = html.replacingOccurrences(of: "https://example.com/", with: "")
    XCTAssertFalse(withoutData.lowercased().contains("http:"))
    XCTAssertFalse(withoutData.lowercased().contains("https:"))
    XCTAssertFalse(html.contains("href=\"https:"))
    XCTAssertFalse(html.contains("href=\"javascript:"))
    for link in elements("a", in: html) { XCTAssertEqual(link["href"]?.first, "#", "\(link)") }
    XCTAssertTrue(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""))
  }

  func testZeroRowsAndAllNullColumnsRenderWithoutCharts() throws {
    let empty = page(profiles([], names: ["a", "b"]), rows: 0)
    try assertWellFormed(empty)
    XCTAssertEqual(empty.components(separatedBy: "No values: the file has no rows.").count - 1, 2)
    XCTAssertTrue(empty.contains("<span class=\"label\">Rows</span><span class=\"figure\">0</span>"))
    XCTAssertFalse(empty.contains("<svg"))
    XCTAssertFalse(empty.contains("nan"))

    let nulls = page(profiles([["", "1"], ["", "2"], ["", "3"]], names: ["gone", "n"]))
    try assertWellFormed(nulls)
    XCTAssertTrue(nulls.contains("Every value of this column is null."))
    XCTAssertTrue(nulls.contains("<dt>Nulls</dt><dd>3 <span class=\"muted\">(100%)</span>"))
    XCTAssertTrue(nulls.contains(">all null</span>"))
    XCTAssertEqual(nulls.components(separatedBy: "<svg class=\"histogram\"").count - 1, 1)

    // A page of no columns at all still stands.
    try assertWellFormed(page([], rows: 0))
  }

  // MARK: - Helpers

  /// Checks the page is well-formed: tags nest and close, attributes are quoted
  /// and hold no markup, every `&` starts a known reference, no `<` is loose in text.
  private func assertWellFormed(_ html: String, file: StaticString = #filePath, line: UInt = #line) throws {
    var stack: [String] = []
    var s = Substring(html)
    if s.hasPrefix("<!DOCTYPE html>") { s = s.dropFirst("<!DOCTYPE html>".count) }
    while let open = s.firstIndex(of: "<") {
      try checkReferences(s[..<open], file: file, line: line)
      s = s[open...]
      guard let close = s.firstIndex(of: ">") else {
        XCTFail("an unclosed tag: \(s.prefix(80))", file: file, line: line)
        return
      }
      let tag = s[s.index(after: s.startIndex)..<close]
      s = s[s.index(after: close)...]
      if tag.hasPrefix("/") {
        let name = String(tag.dropFirst())
        guard stack.last == name else {
          XCTFail("</\(name)> closes <\(stack.last ?? "nothing")>", file: file, line: line)
          return
        }
        stack.removeLast()
        continue
      }
      let selfClosing = tag.hasSuffix("/")
      let body = selfClosing ? tag.dropLast() : tag
      let name = String(body.prefix { $0.isLetter || $0.isNumber })
      XCTAssertFalse(name.isEmpty, "a loose < before \(tag.prefix(40))", file: file, line: line)
      var attributes = body.dropFirst(name.count)
      while true {
        attributes = attributes.drop { $0 == " " || $0 == "\n" }
        if attributes.isEmpty { break }
        guard let eq = attributes.firstIndex(of: "="),
          attributes[attributes.index(after: eq)] == "\""
        else {
          XCTFail("an attribute without a quoted value in <\(tag.prefix(60))", file: file, line: line)
          return
        }
        let valueStart = attributes.index(eq, offsetBy: 2)
        guard let valueEnd = attributes[valueStart...].firstIndex(of: "\"") else {
          XCTFail("an unterminated attribute in <\(tag.prefix(60))", file: file, line: line)
          return
        }
        let value = attributes[valueStart..<valueEnd]
        XCTAssertFalse(value.contains("<"), "< in an attribute: \(value.prefix(60))", file: file, line: line)
        try checkReferences(value, file: file, line: line)
        attributes = attributes[attributes.index(after: valueEnd)...]
      }
      if name == "style" {
        // CSS holds no markup; skip to its end tag.
        guard let end = s.range(of: "</style>") else {
          XCTFail("<style> is not closed", file: file, line: line)
          return
        }
        XCTAssertFalse(s[..<end.lowerBound].contains("&"), file: file, line: line)
        s = s[end.upperBound...]
        continue
      }
      if !selfClosing { stack.append(name) }
    }
    try checkReferences(s, file: file, line: line)
    XCTAssertEqual(stack, [], "elements left open", file: file, line: line)
  }

  private func checkReferences(_ text: Substring, file: StaticString, line: UInt) throws {
    XCTAssertFalse(text.contains(">"), "a loose > in \(text.prefix(60))", file: file, line: line)
    var rest = text
    while let amp = rest.firstIndex(of: "&") {
      let after = rest[amp...]
      let known = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#9;", "&#10;", "&#13;"]
      XCTAssertTrue(
        known.contains { after.hasPrefix($0) }, "a loose & in \(after.prefix(30))", file: file, line: line)
      rest = rest[rest.index(after: amp)...]
    }
  }

  /// The text from the first `start` through the next `end`.
  private func slice(_ s: String, from start: String, to end: String) -> String? {
    guard let a = s.range(of: start), let b = s.range(of: end, range: a.upperBound..<s.endIndex) else {
      return nil
    }
    return String(s[a.lowerBound..<b.upperBound])
  }

  /// The attributes of every `<name ...>` element, in order.
  private func elements(_ name: String, in html: String) -> [[String: String]] {
    var out: [[String: String]] = []
    var rest = Substring(html)
    while let open = rest.range(of: "<\(name) ") {
      guard let close = rest[open.upperBound...].firstIndex(of: ">") else { break }
      var attributes: [String: String] = [:]
      let parts = rest[open.upperBound..<close].split(separator: "\"", omittingEmptySubsequences: false)
      var i = 0
      while i + 1 < parts.count {
        let key = parts[i].trimmingCharacters(in: .whitespaces).dropLast()
        attributes[String(key)] = String(parts[i + 1])
        i += 2
      }
      out.append(attributes)
      rest = rest[close...]
    }
    return out
  }
}
