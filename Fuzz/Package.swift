// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for the engine (`DecantCore`). They link libFuzzer, so build
// them with the fuzzer sanitizer (see README.md here, or `scripts/fuzz`):
//
//   swift build -c release --package-path Fuzz --scratch-path .build-fuzz \
//     -Xswiftc -sanitize=fuzzer,address
let package = Package(
  name: "DecantFuzz",
  dependencies: [.package(name: "Decant", path: "..")],
  targets: [
    // Declares libFuzzer's entry point (`LLVMFuzzerRunDriver`).
    .systemLibrary(name: "CLibFuzzer", path: "Sources/CLibFuzzer"),
    // Shared harness code: the driver call, input splitting, scratch files,
    // checks, and a reader that gathers and validates everything a RowReader yields.
    .target(
      name: "FuzzSupport",
      dependencies: ["CLibFuzzer", .product(name: "DecantCore", package: "Decant")],
      path: "Sources/FuzzSupport"),
    .executableTarget(
      name: "fuzz-csv", dependencies: ["FuzzSupport", .product(name: "DecantCore", package: "Decant")],
      path: "Sources/fuzz-csv"),
    .executableTarget(
      name: "fuzz-jsonl", dependencies: ["FuzzSupport", .product(name: "DecantCore", package: "Decant")],
      path: "Sources/fuzz-jsonl"),
    .executableTarget(
      name: "fuzz-recipe", dependencies: ["FuzzSupport", .product(name: "DecantCore", package: "Decant")],
      path: "Sources/fuzz-recipe"),
    .executableTarget(
      name: "fuzz-timestamp",
      dependencies: ["FuzzSupport", .product(name: "DecantCore", package: "Decant")],
      path: "Sources/fuzz-timestamp"),
  ]
)
