/// A command-line mistake: exit code 2 with a hint to read the help.
struct UsageError: Error, CustomStringConvertible {
  let message: String
  init(_ message: String) { self.message = message }
  var description: String { message }
}

/// Splits a subcommand's arguments into positionals and `--option value` pairs.
struct Arguments {
  private(set) var positionals: [String] = []
  private var options: [String: String] = [:]
  /// Every value of each option, in order (for options given more than once).
  private var repeated: [String: [String]] = [:]
  private var flags: Set<String> = []

  /// `valued` lists options that take a value (with their short aliases); `switches` those that do not.
  init(_ args: [String], valued: [String: String], switches: Set<String> = []) throws {
    var i = 0
    var onlyPositionals = false
    while i < args.count {
      let a = args[i]
      i += 1
      if onlyPositionals || a == "-" || !a.hasPrefix("-") {
        positionals.append(a)
        continue
      }
      if a == "--" {
        onlyPositionals = true
        continue
      }
      var name = a
      var inline: String? = nil
      if let eq = a.firstIndex(of: "="), a.hasPrefix("--") {
        name = String(a[..<eq])
        inline = String(a[a.index(after: eq)...])
      }
      if let canonical = valued[name] {
        if let inline {
          options[canonical] = inline
        } else {
          guard i < args.count else { throw UsageError("\(name) needs a value") }
          options[canonical] = args[i]
          i += 1
        }
        repeated[canonical, default: []].append(options[canonical]!)
      } else if switches.contains(name) {
        flags.insert(name)
      } else {
        throw UsageError("unknown option \(a)")
      }
    }
  }

  subscript(option: String) -> String? { options[option] }
  /// Every value given for a repeatable option (`--null NA --null ""`).
  func values(_ option: String) -> [String] { repeated[option] ?? [] }
  func has(_ flag: String) -> Bool { flags.contains(flag) }
}
