import DecantCore
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Reading recipe files.
enum RecipeFile {
  static func load(_ path: String) throws -> Recipe {
    var st = stat()
    guard stat(path, &st) == 0 else {
      throw IOError(path: path, "cannot open the recipe: \(String(cString: strerror(errno)))")
    }
    if (st.st_mode & S_IFMT) == S_IFDIR { throw IOError(path: path, "is a directory, not a recipe file") }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw IOError(path: path, "cannot read the recipe")
    }
    if data.isEmpty { throw IOError(path: path, "the recipe file is empty") }
    var recipe = try Recipe.decode([UInt8](data))
    recipe.resolveFiles(relativeTo: (path as NSString).deletingLastPathComponent)
    return recipe
  }
}

/// Checks on paths given on the command line.
enum Paths {
  /// Fails (exit 4) for a missing input, a directory or an unreadable file.
  static func checkInput(_ path: String) throws {
    if path == "-" { return }
    var st = stat()
    guard stat(path, &st) == 0 else {
      throw IOError(path: path, "cannot open input: \(String(cString: strerror(errno))); check the path")
    }
    if (st.st_mode & S_IFMT) == S_IFDIR {
      throw IOError(path: path, "is a directory, not a data file; name a file inside it")
    }
    if access(path, R_OK) != 0 {
      throw IOError(path: path, "cannot read input: \(String(cString: strerror(errno)))")
    }
  }

  /// True when both paths name the same existing file.
  static func sameFile(_ a: String, _ b: String) -> Bool {
    if a == b { return true }
    var sa = stat()
    var sb = stat()
    guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
  }
}
