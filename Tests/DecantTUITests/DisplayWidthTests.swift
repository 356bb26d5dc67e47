import XCTest

@testable import DecantTUI

final class DisplayWidthTests: XCTestCase {
  func testWideCharactersTakeTwoColumnsAndCombiningMarksNone() {
    XCTAssertEqual(DisplayWidth.of("abc"), 3)
    XCTAssertEqual(DisplayWidth.of("東京"), 4)
    XCTAssertEqual(DisplayWidth.of("😀"), 2)
    XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1)
  }

  func testFitCutsWithEllipsisAndPadsToWidth() {
    XCTAssertEqual(DisplayWidth.fit("abcdef", width: 4), "abc…")
    XCTAssertEqual(DisplayWidth.fit("ab", width: 4, pad: true), "ab  ")
    XCTAssertEqual(DisplayWidth.fit("東京都", width: 5), "東京…")
    XCTAssertEqual(DisplayWidth.of(DisplayWidth.fit("東京都", width: 5, pad: true)), 5)
  }

  func testFitShowsLineBreaksAndTabsAsOneCell() {
    XCTAssertEqual(DisplayWidth.fit("a\nb\tc", width: 10), "a↵b→c")
  }
}
