/// "Did you mean …?" suggestions by edit distance.
public enum Suggest {
  /// The candidate closest to `word`, when it is close enough to be a likely typo.
  public static func closest(to word: String, among candidates: [String], caseInsensitive: Bool = false)
    -> String?
  {
    let w = caseInsensitive ? word.lowercased() : word
    var best: (String, Int)? = nil
    for c in candidates {
      let d = distance(w, caseInsensitive ? c.lowercased() : c)
      if best == nil || d < best!.1 || (d == best!.1 && c < best!.0) { best = (c, d) }
    }
    guard let (name, d) = best else { return nil }
    // Short words allow one edit, longer ones about a third of their length.
    let shorter = min(w.count, name.count)
    let limit = shorter <= 4 ? 1 : max(2, shorter / 3)
    return d <= limit ? name : nil
  }

  /// Levenshtein distance over characters.
  public static func distance(_ a: String, _ b: String) -> Int {
    let x = Array(a)
    let y = Array(b)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = previous
    for i in 1...x.count {
      current[0] = i
      for j in 1...y.count {
        current[j] = min(
          previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
      }
      swap(&previous, &current)
    }
    return previous[y.count]
  }
}
