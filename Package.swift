// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "Decant",
  products: [
    .executable(name: "decant", targets: ["decant"]),
    .library(name: "DecantCore", targets: ["DecantCore"]),
  ],
  targets: [
    // System ncurses (wide-character build); only DecantTUI imports it.
    .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
    // Two system calls and a CPU hint Swift's Glibc module does not offer (writeback, file
    // exchange, prefetch).
    .target(name: "CSystem", path: "Sources/CSystem"),
    // The system ICU (libicu-dev) behind unversioned names: regular expressions and
    // case mapping on UTF-8 bytes.
    .target(
      name: "CUnicode", path: "Sources/CUnicode",
      linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc")]),
    // The engine: readers, writers, recipes, operations and the streaming pipeline.
    .target(name: "DecantCore", dependencies: ["CSystem", "CUnicode"], path: "Sources/DecantCore"),
    // The terminal workbench.
    .target(name: "DecantTUI", dependencies: ["DecantCore", "CNcurses"], path: "Sources/DecantTUI"),
    // The command-line entry point.
    .executableTarget(name: "decant", dependencies: ["DecantCore", "DecantTUI"], path: "Sources/decant"),
    .testTarget(
      name: "DecantCoreTests", dependencies: ["DecantCore"], path: "Tests/DecantCoreTests",
      exclude: ["Fixtures"]),
    .testTarget(name: "DecantTUITests", dependencies: ["DecantTUI"], path: "Tests/DecantTUITests"),
    // Drives the built `decant` binary as a user would (build it first: `swift build`).
    .testTarget(
      name: "EndToEndTests", dependencies: ["DecantCore"], path: "Tests/EndToEnd",
      exclude: ["golden", "corpus", "bad-recipes", "reference", "export"]),
  ]
)
