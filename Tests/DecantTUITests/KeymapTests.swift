import XCTest

@testable import DecantTUI

/// Every key action is a named command bound in one keymap; help is generated from it.
final class KeymapTests: XCTestCase {
  func testEveryBoundCommandHasASummary() {
    let named = Set(Keymap.commands.map(\.name))
    for binding in Keymap.bindings {
      XCTAssertTrue(named.contains(binding.command), binding.command)
      XCTAssertFalse(Keymap.summary(of: binding.command).isEmpty)
    }
  }

  func testEveryNamedCommandIsBoundSomewhereAndNamedOnce() {
    let names = Keymap.commands.map(\.name)
    XCTAssertEqual(names.count, Set(names).count)
    let bound = Set(Keymap.bindings.map(\.command))
    for name in names { XCTAssertTrue(bound.contains(name), name) }
  }

  func testNoKeyIsBoundTwiceInOneContext() {
    for context in Keymap.Context.allCases {
      var seen: [Key: String] = [:]
      for binding in Keymap.bindings where binding.context == context {
        for key in binding.keys {
          XCTAssertNil(
            seen[key], "\(context.rawValue): \(key) is bound to \(seen[key] ?? "") and \(binding.command)")
          seen[key] = binding.command
        }
      }
    }
  }

  func testEveryBindingHasAKeyAndEveryContextHasBindings() {
    for binding in Keymap.bindings { XCTAssertFalse(binding.keys.isEmpty, binding.command) }
    for context in Keymap.Context.allCases {
      XCTAssertTrue(Keymap.bindings.contains { $0.context == context }, context.rawValue)
    }
  }

  func testCommandLookupByKeyAndContext() {
    XCTAssertEqual(Keymap.command(for: .char("j"), in: .grid), "cursor.down")
    XCTAssertEqual(Keymap.command(for: .char("j"), in: .steps), "step.next")
    XCTAssertEqual(Keymap.command(for: .char(" "), in: .grid), "page.down")
    XCTAssertEqual(Keymap.command(for: .char(" "), in: .steps), "step.toggle")
    XCTAssertEqual(Keymap.command(for: .ctrl("r"), in: .grid), "redo")
    XCTAssertEqual(Keymap.command(for: .tab, in: .grid), "focus.steps")
    XCTAssertEqual(Keymap.command(for: .escape, in: .steps), "focus.grid")
    XCTAssertNil(Keymap.command(for: .char("z"), in: .grid))
    XCTAssertNil(Keymap.command(for: .char("d"), in: .grid))
  }

  func testHelpListsEveryBindingWithAllItsKeysUnderItsContext() throws {
    let lines = Keymap.helpLines
    for context in Keymap.Context.allCases {
      let start = try XCTUnwrap(lines.firstIndex(of: "\(context.rawValue):"))
      let end = lines[start...].firstIndex(of: "") ?? lines.count
      let section = Array(lines[(start + 1)..<end])
      let bindings = Keymap.bindings.filter { $0.context == context }
      XCTAssertEqual(section.count, bindings.count, context.rawValue)
      for (line, binding) in zip(section, bindings) {
        let keys = binding.keys.map(\.description).joined(separator: " ")
        XCTAssertTrue(line.hasPrefix("  " + keys + " "), line)
        XCTAssertTrue(line.hasSuffix(" " + Keymap.summary(of: binding.command)), line)
      }
    }
  }

  func testHelpLinesLookAsDocumented() {
    let lines = Keymap.helpLines
    XCTAssertEqual(lines[0], "Grid:")
    XCTAssertEqual(lines[1], "  ↓ j                    move down a row")
    XCTAssertTrue(lines.contains("  ? F                    this help"))
    XCTAssertTrue(lines.contains("  PgDn Ctrl-F Space      scroll down a page"))
    XCTAssertTrue(lines.contains("Step list:"))
    XCTAssertTrue(lines.contains("  Space                  disable or enable the selected step"))
    XCTAssertTrue(lines.contains("  Tab Esc                back to the grid"))
    XCTAssertTrue(
      lines.contains("Commands: :rename OLD NEW  :dedupe [COL…]  :fill_null COL VALUE|strategy=S"))
  }

  func testKeyDescriptions() {
    XCTAssertEqual(
      [Key.char(" "), .char("q"), .ctrl("r"), .up, .pageDown, .enter, .escape, .tab, .backTab, .delete].map(
        \.description),
      ["Space", "q", "Ctrl-R", "↑", "PgDn", "Enter", "Esc", "Tab", "Shift-Tab", "Del"])
  }
}
