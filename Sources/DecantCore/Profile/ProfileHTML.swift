import Foundation

/// The profile of a file as one self-contained HTML page (`decant profile --html`).
///
/// The page has a header with the file's facts, an overview table and one section
/// per column: type, counts, range, top values as horizontal bars, the histogram as
/// an inline SVG bar chart, percentiles (with a box plot), mean, standard deviation,
/// outliers and lengths. Styles are in the page; charts are inline SVG. There are no
/// scripts and nothing is loaded from elsewhere (a Content-Security-Policy says so
/// to the browser too). The markup is also well-formed XML.
///
/// Every text that comes from the data (file and column names, values) is escaped;
/// C0 and C1 control characters are shown as symbols, right-to-left text is
/// isolated (`<bdi>`), and a value longer than `displayLimit` characters is cut
/// with `…`, its full text (up to `titleLimit` characters) in a `title` attribute.
public enum ProfileHTML {
  /// Facts about the file the profiles were built from, shown in the page's header.
  public struct Facts: Sendable {
    /// The input as named on the command line.
    public var file: String
    public var rows: Int
    /// Records that could not be read as rows (wrong field count, an unclosed quote).
    public var rejectedRecords: Int
    public var blankLines: Int

    public init(file: String, rows: Int, rejectedRecords: Int = 0, blankLines: Int = 0) {
      self.file = file
      self.rows = rows
      self.rejectedRecords = rejectedRecords
      self.blankLines = blankLines
    }
  }

  /// Characters of a value shown before it is cut with `…`.
  public static let displayLimit = 48
  /// Characters of a value kept in its `title` attribute (tooltips show far fewer).
  public static let titleLimit = 10_000

  /// Geometry of the histogram chart, in SVG user units (pixels).
  static let chartWidth = 520.0
  static let chartHeight = 150.0
  static let plotTop = 18.0
  static let plotBottom = 126.0

  /// The whole page.
  public static func page(_ profiles: [ColumnProfile], facts: Facts) -> String {
    var out = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'" />
      <meta name="generator" content="decant profile" />
      <title>Profile of \(text(facts.file))</title>
      <style>\(style)</style>
      </head>
      <body>

      """
    out += header(profiles, facts: facts)
    out += "<main>\n"
    if !profiles.isEmpty { out += overview(profiles) }
    for (i, p) in profiles.enumerated() { out += section(p, index: i + 1) }
    out += "</main>\n"
    out += """
      <footer>Made by <code>decant profile</code>. Every figure counts every value of the file.
      This page is self-contained: no scripts, nothing loaded from elsewhere.</footer>
      </body>
      </html>

      """
    return out
  }

  // MARK: - Parts of the page

  static func header(_ profiles: [ColumnProfile], facts: Facts) -> String {
    var cards = [
      fact("Rows", grouped(facts.rows)), fact("Columns", grouped(profiles.count)),
      fact("Rejected records", grouped(facts.rejectedRecords), warn: facts.rejectedRecords > 0),
    ]
    if facts.blankLines > 0 { cards.append(fact("Blank lines skipped", grouped(facts.blankLines))) }
    return """
      <header class="page">
      <p class="kicker">Column profile</p>
      <h1>\(value(facts.file, limit: 96, always: true))</h1>
      <div class="facts">\(cards.joined())</div>
      </header>

      """
  }

  static func fact(_ label: String, _ figure: String, warn: Bool = false) -> String {
    "<div class=\"fact\(warn ? " warn" : "")\"><span class=\"label\">\(label)</span>"
      + "<span class=\"figure\">\(figure)</span></div>"
  }

  /// One row per column, linking to its section.
  static func overview(_ profiles: [ColumnProfile]) -> String {
    var out = """
      <section class="card overview">
      <h2>Columns</h2>
      <table>
      <thead><tr><th class="num">#</th><th>Column</th><th>Type</th><th class="num">Nulls</th>\
      <th class="num">Distinct</th></tr></thead>
      <tbody>

      """
    for (i, p) in profiles.enumerated() {
      out += "<tr><td class=\"num\">\(i + 1)</td>"
      out += "<td><a href=\"#column-\(i + 1)\">\(value(p.name, limit: 40))</a></td>"
      out += "<td>\(typeBadge(p))</td>"
      out +=
        "<td class=\"num\">\(grouped(p.nulls)) <span class=\"muted\">(\(percent(p.nullShare)))</span></td>"
      out += "<td class=\"num\">\(distinctText(p))</td></tr>\n"
    }
    out += "</tbody>\n</table>\n</section>\n"
    return out
  }

  static func section(_ p: ColumnProfile, index: Int) -> String {
    var out = "<section class=\"card column\" id=\"column-\(index)\">\n<header class=\"column-head\">"
    out += "<span class=\"index\">\(index)</span><h2>\(value(p.name, limit: 64))</h2>\(typeBadge(p))"
    if p.kindShare < 1 {
      out += "<span class=\"muted\">\(percent(p.kindShare)) of values</span>"
    }
    out += "</header>\n"
    if p.otherTypeCount > 0 {
      let noun = p.otherTypeCount == 1 ? "value" : "values"
      out += "<p class=\"note warn other-type\">\(grouped(p.otherTypeCount)) \(noun) of another type</p>\n"
    }
    out += "<div class=\"column-body\">\n"
    out += stats(p)
    out += "<div class=\"charts\">\n"
    let valued = p.count - p.nulls
    if valued == 0 {
      let why = p.count == 0 ? "No values: the file has no rows." : "Every value of this column is null."
      out += "<p class=\"note empty-column\">\(why)</p>\n"
    }
    if !p.top.isEmpty { out += topValues(p) }
    if !p.histogram.isEmpty { out += histogram(p) }
    if p.percentiles.count == ColumnProfile.percentileLevels.count || !p.percentileTexts.isEmpty {
      out += percentiles(p)
    }
    out += "</div>\n</div>\n"
    var notes: [String] = []
    if !p.figuresExact {
      notes.append(
        "Histogram, percentiles and outliers are approximate (within 0.1% of the range): the column "
          + "holds more than 100,000 distinct \(p.percentileTexts.isEmpty ? "numbers" : "dates and times").")
    }
    if !p.distinctIsExact {
      notes.append(
        "Distinct values are counted exactly up to 100,000; past that the count is an estimate "
          + "(HyperLogLog, typically within 0.8%).")
    }
    if !p.topIsExact {
      notes.append(
        "Top values are counted among the values tracked: each count is exact, but a value first "
          + "seen after the first 100,000 distinct ones cannot appear among them.")
    }
    for n in notes { out += "<p class=\"footnote\">\(n)</p>\n" }
    out += "</section>\n"
    return out
  }

  /// The figures as a definition list.
  static func stats(_ p: ColumnProfile) -> String {
    var rows: [(String, String)] = [
      ("Rows", grouped(p.count)),
      (
        "Nulls",
        "\(grouped(p.nulls)) <span class=\"muted\">(\(percent(p.nullShare)))</span>"
          + (p.nulls > 0
            ? "<span class=\"meter\"><span style=\"width:\(number(p.nullShare * 100))%\"></span></span>" : "")
      ),
      ("Distinct", distinctText(p)),
    ]
    if let min = p.min { rows.append(("Min", value(min))) }
    if let max = p.max { rows.append(("Max", value(max))) }
    if let mean = p.mean { rows.append(("Mean", figure(mean))) }
    if let stddev = p.stddev { rows.append(("Std. deviation", figure(stddev))) }
    if let outliers = p.outliers {
      rows.append(("Outliers", "\(grouped(outliers)) <span class=\"muted\">(1.5 × IQR)</span>"))
    }
    if let l = p.lengths {
      let range = l.min == l.max ? grouped(l.min) : "\(grouped(l.min))–\(grouped(l.max))"
      let mean = figure((l.mean * 10).rounded() / 10)
      rows.append(("Length", "\(range) <span class=\"muted\">(mean \(mean) characters)</span>"))
    }
    var out = "<dl class=\"stats\">\n"
    for (label, figure) in rows { out += "<div><dt>\(label)</dt><dd>\(figure)</dd></div>\n" }
    out += "</dl>\n"
    return out
  }

  /// The most frequent values as horizontal bars (the longest is the most frequent).
  static func topValues(_ p: ColumnProfile) -> String {
    let valued = max(1, p.count - p.nulls)
    let peak = max(1, p.top.map(\.count).max() ?? 1)
    var out =
      "<div class=\"chart\">\n<h3>Top values <span class=\"muted\">(share of non-null values)</span></h3>\n"
    out += "<ol class=\"top\">\n"
    for (v, count) in p.top {
      let width = Double(count) / Double(peak) * 100
      out += "<li><span class=\"label\">\(value(v, always: true))</span>"
      out += "<span class=\"track\"><span class=\"fill\" style=\"width:\(number(width))%\"></span></span>"
      out += "<span class=\"count\">\(grouped(count)) <span class=\"muted\">"
      out += "(\(percent(Double(count) / Double(valued))))</span></span></li>\n"
    }
    out += "</ol>\n</div>\n"
    return out
  }

  /// Bucket counts as an SVG bar chart over [min, max]; bar heights are proportional to counts.
  static func histogram(_ p: ColumnProfile) -> String {
    let counts = p.histogram
    let peak = counts.max() ?? 0
    let left = 4.0
    let right = chartWidth - 4
    let slot = (right - left) / Double(counts.count)
    let plotHeight = plotBottom - plotTop
    let low = p.min.flatMap(Double.init)
    let high = p.max.flatMap(Double.init)
    let total = counts.reduce(0, +)
    var out = "<div class=\"chart\">\n<h3>Histogram</h3>\n"
    out += "<svg class=\"histogram\" width=\"\(number(chartWidth))\" height=\"\(number(chartHeight))\" "
    out += "viewBox=\"0 0 \(number(chartWidth)) \(number(chartHeight))\" role=\"img\" "
    out +=
      "aria-label=\"\(attribute("Histogram of \(grouped(total)) values in \(counts.count) buckets"))\">\n"
    out += "<text class=\"peak\" x=\"\(number(left))\" y=\"12\">\(grouped(peak)) max per bucket</text>\n"
    for (i, count) in counts.enumerated() {
      let height = peak > 0 ? Double(count) / Double(peak) * plotHeight : 0
      let x = left + Double(i) * slot + 1
      var range = "bucket \(i + 1)"
      if let low, let high {
        let step = (high - low) / Double(counts.count)
        let from = low + Double(i) * step
        let to = i == counts.count - 1 ? high : low + Double(i + 1) * step
        range = "\(figure(from)) to \(figure(to))"
      }
      out += "<rect class=\"bar\" x=\"\(number(x))\" y=\"\(number(plotBottom - height))\" "
      out += "width=\"\(number(slot - 2))\" height=\"\(number(height))\" data-count=\"\(count)\">"
      out += "<title>\(text(range)): \(grouped(count))</title></rect>\n"
    }
    out += "<line class=\"axis\" x1=\"\(number(left))\" y1=\"\(number(plotBottom + 0.5))\" "
    out += "x2=\"\(number(right))\" y2=\"\(number(plotBottom + 0.5))\" />\n"
    let labelY = number(plotBottom + 18)
    out += "<text class=\"axis-label min\" x=\"\(number(left))\" y=\"\(labelY)\">"
    out += "\(text(cut(p.min ?? "", 24)))</text>\n"
    out += "<text class=\"axis-label max\" x=\"\(number(right))\" y=\"\(labelY)\" text-anchor=\"end\">"
    out += "\(text(cut(p.max ?? "", 24)))</text>\n"
    out += "</svg>\n</div>\n"
    return out
  }

  /// p1 p25 p50 p75 p99 as a box plot over [min, max] and a table.
  static func percentiles(_ p: ColumnProfile) -> String {
    let q = p.percentiles
    let approximate = p.figuresExact ? "" : " <span class=\"muted\">(±0.1% of range)</span>"
    var out = "<div class=\"chart\">\n<h3>Percentiles\(approximate)</h3>\n"
    if !p.percentileTexts.isEmpty {
      // Dates and times: the table alone, as ISO 8601 text.
      out += "<table class=\"percentiles\"><tr>"
      for level in ColumnProfile.percentileLevels { out += "<th>p\(Int(level))</th>" }
      out += "</tr><tr>"
      for t in p.percentileTexts { out += "<td>\(text(t))</td>" }
      out += "</tr></table>\n</div>\n"
      return out
    }
    if let low = p.min.flatMap(Double.init), let high = p.max.flatMap(Double.init), q.allSatisfy(\.isFinite) {
      let left = 6.0
      let right = chartWidth - 6
      func position(_ v: Double) -> Double {
        let span = high - low
        let t = span > 0 && span.isFinite ? (v - low) / span : 0.5
        return left + Swift.min(1, Swift.max(0, t)) * (right - left)
      }
      func x(_ v: Double) -> String { number(position(v)) }
      out += "<svg class=\"boxplot\" width=\"\(number(chartWidth))\" height=\"34\" "
      out += "viewBox=\"0 0 \(number(chartWidth)) 34\" role=\"img\" "
      out += "aria-label=\"Box plot: whiskers p1 to p99, box p25 to p75, line at the median\">\n"
      out += "<line class=\"range\" x1=\"\(x(low))\" y1=\"17\" x2=\"\(x(high))\" y2=\"17\" />\n"
      out += "<line class=\"whisker\" x1=\"\(x(q[0]))\" y1=\"17\" x2=\"\(x(q[4]))\" y2=\"17\" />\n"
      out += "<line class=\"whisker\" x1=\"\(x(q[0]))\" y1=\"10\" x2=\"\(x(q[0]))\" y2=\"24\" />\n"
      out += "<line class=\"whisker\" x1=\"\(x(q[4]))\" y1=\"10\" x2=\"\(x(q[4]))\" y2=\"24\" />\n"
      let boxWidth = Swift.max(1, position(q[3]) - position(q[1]))
      out += "<rect class=\"box\" x=\"\(x(q[1]))\" y=\"5\" width=\"\(number(boxWidth))\" height=\"24\" />\n"
      out += "<line class=\"median\" x1=\"\(x(q[2]))\" y1=\"5\" x2=\"\(x(q[2]))\" y2=\"29\" />\n"
      out += "</svg>\n"
    }
    out += "<table class=\"percentiles\"><tr>"
    for level in ColumnProfile.percentileLevels { out += "<th>p\(Int(level))</th>" }
    out += "</tr><tr>"
    for v in q { out += "<td>\(text(figure(v)))</td>" }
    out += "</tr></table>\n</div>\n"
    return out
  }

  static func typeBadge(_ p: ColumnProfile) -> String {
    let name = p.count == p.nulls ? (p.count == 0 ? "no values" : "all null") : p.kind.rawValue
    return "<span class=\"type t-\(p.kind.rawValue)\">\(name)</span>"
  }

  static func distinctText(_ p: ColumnProfile) -> String {
    p.distinctIsExact ? grouped(p.distinct) : "about \(grouped(p.distinct))"
  }

  // MARK: - Text

  /// A data value for display: escaped, isolated for right-to-left text, cut with `…`
  /// past `limit` characters with the full text in `title` (`always`: a title in any case,
  /// for places where the layout may cut it further).
  static func value(_ s: String, limit: Int = displayLimit, always: Bool = false) -> String {
    if s.isEmpty { return "<span class=\"v blank\" title=\"an empty value\">\"\"</span>" }
    let shown = cut(s, limit)
    var title = ""
    if shown != s || always {
      var full = s
      if s.unicodeScalars.count > titleLimit {
        full =
          String(String.UnicodeScalarView(s.unicodeScalars.prefix(titleLimit)))
          + "… (\(grouped(s.count)) characters in all)"
      }
      title = " title=\"\(attribute(full))\""
    }
    return "<bdi class=\"v\"\(title)>\(text(shown))</bdi>"
  }

  /// The first `limit` − 1 characters and `…` when `s` is longer than `limit` characters
  /// (also cut when its characters hold very many code points, such as stacked accents).
  static func cut(_ s: String, _ limit: Int) -> String {
    var characters = 0
    var scalars = 0
    var end = s.startIndex
    for c in s {
      characters += 1
      scalars += c.unicodeScalars.count
      if characters > limit || scalars > 8 * limit { return String(s[..<end]) + "…" }
      if characters < limit { end = s.index(after: end) }
    }
    return s
  }

  /// Text content: `&`, `<`, `>` escaped; control characters shown as symbols.
  public static func text(_ s: String) -> String { escape(s, attribute: false) }

  /// An attribute value in double quotes: also `"` and `'` escaped; line ends and tabs kept.
  public static func attribute(_ s: String) -> String { escape(s, attribute: true) }

  static func escape(_ s: String, attribute: Bool) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for u in s.unicodeScalars {
      switch u.value {
      case 0x26: out += "&amp;"
      case 0x3C: out += "&lt;"
      case 0x3E: out += "&gt;"
      case 0x22 where attribute: out += "&quot;"
      case 0x27 where attribute: out += "&#39;"
      case 0x09 where attribute, 0x0A where attribute, 0x0D where attribute: out += "&#\(u.value);"
      // C0 controls and DEL as their Control Pictures (␀ ␉ ␊ …).
      case 0x00...0x1F: out.unicodeScalars.append(Unicode.Scalar(0x2400 + u.value)!)
      case 0x7F: out += "\u{2421}"
      // C1 controls and the noncharacters XML forbids: the replacement character.
      case 0x80...0x9F, 0xFFFE, 0xFFFF: out += "\u{FFFD}"
      default: out.unicodeScalars.append(u)
      }
    }
    return out
  }

  // MARK: - Numbers

  /// 1234567 → `1,234,567`.
  static func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, d) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
      out.append(d)
    }
    return n < 0 ? "-" + out : out
  }

  /// A share as a percentage with at most one decimal, never rounded to 0% or 100% when it
  /// is not (as HTML: `&lt;0.1%`).
  static func percent(_ share: Double) -> String {
    let p = share * 100
    if p <= 0 { return "0%" }
    if p >= 100 { return "100%" }
    if p < 0.1 { return "&lt;0.1%" }
    if p > 99.9 { return "&gt;99.9%" }
    return number((p * 10).rounded() / 10) + "%"
  }

  static func figure(_ v: Double) -> String { ColumnProfile.figure(v) }

  /// A coordinate or width with at most two decimals.
  static func number(_ v: Double) -> String {
    let r = (v * 100).rounded() / 100
    if r == r.rounded() { return String(Int(r)) }
    var text = String(format: "%.2f", r)
    while text.hasSuffix("0") { text.removeLast() }
    return text
  }

  // MARK: - Style

  static let style = """

    :root{--fg:#1f2937;--muted:#6b7280;--line:#e5e7eb;--bg:#f3f4f6;--card:#fff;--accent:#2f6fdb;\
    --accent-soft:#dbe7fb;--warn:#9a3412;--warn-bg:#ffedd5}
    *{box-sizing:border-box}
    body{margin:0;background:var(--bg);color:var(--fg);\
    font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
    header.page{background:#1e293b;color:#f8fafc;padding:28px 32px 24px}
    header.page h1{margin:2px 0 18px;font-size:24px;font-weight:600;overflow-wrap:anywhere}
    .kicker{margin:0;text-transform:uppercase;letter-spacing:.08em;font-size:12px;color:#94a3b8}
    .facts{display:flex;flex-wrap:wrap;gap:12px}
    .fact{background:#334155;border-radius:8px;padding:8px 14px;min-width:130px}
    .fact .label{display:block;font-size:12px;color:#cbd5e1}
    .fact .figure{display:block;font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}
    .fact.warn{background:#7c2d12}
    main{max-width:1160px;margin:0 auto;padding:24px 24px 8px}
    .card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:18px 22px;\
    margin:0 0 18px;box-shadow:0 1px 2px rgba(0,0,0,.04)}
    h2{font-size:17px;margin:0;font-weight:600;overflow-wrap:anywhere}
    h3{font-size:12px;margin:0 0 8px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);\
    font-weight:600}
    .muted{color:var(--muted);font-weight:400;text-transform:none;letter-spacing:0}
    table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
    th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
    th{font-size:12px;color:var(--muted);font-weight:600}
    .num{text-align:right;white-space:nowrap}
    .overview h2{margin-bottom:10px}
    .overview th:first-child,.overview td:first-child{width:3em}
    .overview td a{color:var(--accent);text-decoration:none}
    .column-head{display:flex;align-items:center;flex-wrap:wrap;gap:10px;margin-bottom:12px}
    .index{color:var(--muted);font-variant-numeric:tabular-nums}
    .type{display:inline-block;border-radius:999px;padding:1px 10px;font-size:12px;font-weight:600;\
    background:#e5e7eb;color:#374151}
    .t-integer,.t-decimal{background:#dbeafe;color:#1e40af}
    .t-text{background:#ede9fe;color:#5b21b6}
    .t-date,.t-datetime{background:#dcfce7;color:#166534}
    .t-boolean{background:#fef9c3;color:#854d0e}
    .column-body{display:grid;grid-template-columns:minmax(240px,1fr) minmax(0,2fr);gap:24px}
    @media (max-width:800px){.column-body{grid-template-columns:1fr}}
    .stats{margin:0}
    .stats div{display:flex;justify-content:space-between;gap:12px;padding:5px 0;\
    border-bottom:1px solid var(--line)}
    .stats dt{color:var(--muted)}
    .stats dd{margin:0;text-align:right;font-variant-numeric:tabular-nums;min-width:0;overflow-wrap:anywhere}
    .meter{display:block;height:4px;background:var(--line);border-radius:2px;margin-top:3px;width:120px;\
    margin-left:auto}
    .meter span{display:block;height:4px;background:#f59e0b;border-radius:2px}
    .charts{min-width:0}
    .chart{margin-bottom:16px}
    .top{list-style:none;margin:0;padding:0}
    .top li{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,3fr) 9.5em;gap:10px;\
    align-items:center;padding:3px 0}
    .top .label{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
    .track{display:block;height:14px;background:var(--accent-soft);border-radius:3px}
    .fill{display:block;height:14px;background:var(--accent);border-radius:3px}
    .top .count{white-space:nowrap;font-variant-numeric:tabular-nums;text-align:right}
    .v{white-space:pre-wrap}
    .blank{color:var(--muted);font-style:italic}
    svg{display:block;max-width:100%;height:auto;overflow:visible}
    svg text{font:11px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:#4b5563}
    .bar{fill:#4f46e5}
    .axis{stroke:#9ca3af;stroke-width:1}
    .range{stroke:var(--line);stroke-width:2}
    .whisker{stroke:#6b7280;stroke-width:1.5}
    .box{fill:var(--accent-soft);stroke:var(--accent);stroke-width:1.5}
    .median{stroke:#1e3a8a;stroke-width:2.5}
    .percentiles th,.percentiles td{text-align:right}
    .note{margin:0 0 12px;padding:8px 12px;border-radius:6px;background:#f3f4f6;color:#374151}
    .note.warn{background:var(--warn-bg);color:var(--warn)}
    .footnote{margin:10px 0 0;font-size:12px;color:var(--muted)}
    footer{max-width:1160px;margin:0 auto;padding:8px 24px 32px;font-size:12px;color:var(--muted)}

    """
}
