import DecantCore

/// The step list and the profile of the column under the cursor.
public enum SidePanel {
  public static func drawSteps(
    bench: Workbench, focused: Bool, on canvas: Canvas, top y0: Int, left x0: Int, width: Int, height: Int
  ) {
    for y in y0..<(y0 + height) { canvas.fill(row: y, column: x0, width: width, style: .plain) }
    let title =
      " Steps" + (focused ? " (Tab: grid, Space on/off, e edit, d delete, J/K move)" : " (Tab to select)")
    canvas.put(title, row: y0, column: x0, width: width, style: .panelTitle)
    let viewed = bench.draft == nil ? (bench.viewStep ?? bench.recipe.steps.count - 1) : Int.max
    let sampleLine = "\(viewed == -1 ? "▶" : " ") 0 sample: \(bench.sample.batch.rowCount) rows"
    canvas.put(sampleLine, row: y0 + 1, column: x0, width: width, style: viewed == -1 ? .selected : .dim)
    let steps = bench.recipe.steps
    // Each step takes two lines: what it does, then its effect on the sample.
    let slots = max(1, (height - 3) / 2)
    let first = max(0, min(bench.selectedStep - slots + 1, steps.count - slots))
    for (k, i) in (first..<steps.count).enumerated() where k < slots {
      let mark = i == viewed ? "▶" : " "
      let enabled = steps[i].enabled ? "" : "✗ "
      let style: Style =
        focused && i == bench.selectedStep
        ? .cursor : (!steps[i].enabled ? .dim : (i == viewed ? .selected : .plain))
      // A summary too long for a narrow panel goes on in the effect's line.
      let head = "\(mark) \(i + 1) \(enabled)"
      let parts = DisplayWidth.wrap(steps[i].summary, width: max(8, width - DisplayWidth.of(head)))
      let rest = parts.dropFirst().joined(separator: " ")
      canvas.put(head + (parts.first ?? ""), row: y0 + 2 + 2 * k, column: x0, width: width, style: style)
      canvas.put(
        "     " + (rest.isEmpty ? "" : rest + " — ") + bench.effect(i), row: y0 + 3 + 2 * k, column: x0,
        width: width, style: .dim)
    }
    if steps.isEmpty {
      canvas.put(
        "  no steps yet: a adds one, : types one", row: y0 + 2, column: x0, width: width, style: .dim)
    }
    if let d = bench.draft {
      let y = y0 + min(height - 1, 2 + 2 * steps.count)
      let what = d.step.map { $0.summary } ?? "(incomplete)"
      canvas.put("+ preview: \(what)", row: y, column: x0, width: width, style: .changed)
    }
  }

  public static func drawProfile(
    _ profile: ColumnProfile?, profiling: String? = nil, on canvas: Canvas, top y0: Int, left x0: Int,
    width: Int, height: Int
  ) {
    for y in y0..<(y0 + height) { canvas.fill(row: y, column: x0, width: width, style: .plain) }
    if profile == nil, let profiling, height > 1 {
      canvas.put(" " + profiling, row: y0 + 1, column: x0, width: width, style: .dim)
      return
    }
    guard let p = profile, height > 1 else { return }
    var lines: [(String, Style)] = []
    let share = p.kindShare < 1 ? " \(Int(p.kindShare * 100))%" : ""
    lines.append((" Column \(p.name) [\(p.kind.rawValue)\(share)]", .panelTitle))
    let nullShare = Int((p.nullShare * 100).rounded())
    lines.append(("  nulls \(p.nulls) of \(p.count) (\(nullShare)%)", .plain))
    lines.append(("  distinct \(p.distinctIsExact ? "" : "≈")\(p.distinct)", .plain))
    if p.otherTypeCount > 0 { lines.append(("  \(p.otherTypeCount) of another type", .changed)) }
    if let min = p.min { lines.append(("  min \(min)", .plain)) }
    if let max = p.max { lines.append(("  max \(max)", .plain)) }
    if !p.top.isEmpty {
      lines.append(("  top values", .dim))
      let peak = p.top.map(\.count).max() ?? 1
      let barWidth = max(1, min(12, width / 4))
      let labelWidth = max(4, width - barWidth - 10)
      for (value, count) in p.top {
        let bar = String(repeating: "█", count: max(1, count * barWidth / peak))
        let label = DisplayWidth.fit(value.isEmpty ? "\"\"" : value, width: labelWidth, pad: true)
        lines.append(("  \(label) \(bar) \(count)", .plain))
      }
    }
    if !p.histogram.isEmpty, let peak = p.histogram.max(), peak > 0 {
      let blocks = Array("▁▂▃▄▅▆▇█")
      // Eight heights: the tallest bucket is a full block, any non-empty one at least the lowest.
      let bars = String(
        p.histogram.map { $0 == 0 ? " " : blocks[max(0, min(7, ($0 * 8 + peak - 1) / peak - 1))] })
      lines.append(("  histogram \(bars)", .plain))
    }
    let f = ColumnProfile.figure
    if let mean = p.mean {
      lines.append(("  mean \(f(mean))" + (p.stddev.map { "  sd \(f($0))" } ?? ""), .plain))
    }
    if p.percentiles.count == 5 {
      lines.append(
        ("  p25 \(f(p.percentiles[1]))  p50 \(f(p.percentiles[2]))  p75 \(f(p.percentiles[3]))", .plain))
    } else if p.percentileTexts.count == 5 {
      lines.append(("  median \(p.percentileTexts[2])", .plain))
    }
    if let outliers = p.outliers, outliers > 0 { lines.append(("  outliers \(outliers) (IQR)", .plain)) }
    if let l = p.lengths { lines.append(("  length \(l.min)–\(l.max), mean \(f(l.mean))", .plain)) }
    for (i, line) in lines.prefix(height).enumerated() {
      canvas.put(line.0, row: y0 + i, column: x0, width: width, style: line.1)
    }
  }
}

/// Centered boxes drawn over the screen: menus, forms, help, lists.
public enum Overlay {
  /// Draws a framed box with a title and lines; returns nothing. Lines past the box are cut.
  public static func box(
    title: String, lines: [(String, Style)], on canvas: Canvas, width requested: Int? = nil, scroll: Int = 0,
    atBottom: Bool = false
  ) {
    let width = min(
      canvas.width - 2, max(30, requested ?? (lines.map { DisplayWidth.of($0.0) }.max() ?? 20) + 4))
    // A line wider than the box goes on in the next lines (indented), so a narrow
    // terminal still shows every count of a run summary.
    let lines = lines.flatMap { line, style -> [(String, Style)] in
      guard DisplayWidth.of(line) > width - 3 else { return [(line, style)] }
      let trimmed = line.replacingOccurrences(of: " {3,}", with: "  ", options: .regularExpression)
      let parts = DisplayWidth.wrap(trimmed, width: width - 7)
      return parts.enumerated().map { i, part in ((i == 0 ? "" : "    ") + part, style) }
    }
    let height = min(canvas.height - 2, lines.count + 2)
    let x0 = max(0, (canvas.width - width) / 2)
    // At the bottom (above the status lines) a form leaves the grid's top rows visible for its preview.
    let y0 = atBottom ? max(0, canvas.height - 2 - height) : max(0, (canvas.height - height) / 2)
    let inner = width - 2
    let head =
      "┌─ \(title) " + String(repeating: "─", count: max(0, inner - DisplayWidth.of(title) - 3)) + "┐"
    canvas.put(DisplayWidth.fit(head, width: width), row: y0, column: x0, style: .panelTitle)
    let visible = height - 2
    for i in 0..<visible {
      let k = scroll + i
      canvas.put("│", row: y0 + 1 + i, column: x0, style: .panelTitle)
      let (text, style) = k < lines.count ? lines[k] : ("", .plain)
      canvas.put(" " + text, row: y0 + 1 + i, column: x0 + 1, width: inner, style: style)
      canvas.put("│", row: y0 + 1 + i, column: x0 + width - 1, style: .panelTitle)
    }
    canvas.put(
      "└" + String(repeating: "─", count: inner) + "┘", row: y0 + height - 1, column: x0, style: .panelTitle)
  }
}
