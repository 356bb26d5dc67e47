import Foundation

/// The engines a recipe exports to.
public enum ExportTarget: String, CaseIterable, Sendable {
  case pyspark
  case sparkSQL = "spark-sql"
  case duckdb
  case databrew

  /// Whether the job runs as it is, so the input and output paths must be given.
  public var needsPaths: Bool { self == .sparkSQL || self == .duckdb }

  /// Where the rejects go when not given: beside the output, as `decant run`
  /// puts them (a file for DuckDB, a directory of part files for Spark).
  public func defaultRejects(output: String) -> String {
    self == .duckdb ? output + ".rejects.csv" : output + ".rejects"
  }
}

/// A recipe as a job for another engine: what `decant export` writes and the
/// workbench's `:export`, from the same code.
public enum RecipeExport {
  /// Why a recipe was not exported: every step (or setting) at fault, each with
  /// its reason; nothing approximate is written instead.
  public struct Failure: Error, Sendable, CustomStringConvertible {
    public var refusals: [ExportRefusal]
    public var description: String { refusals.map(\.description).joined(separator: "; ") }
  }

  /// The job's text. `input` is read (when it is there) for its header and line
  /// end, so the job is planned against what it will read; without it, the
  /// recipe's saved `input.columns` are used.
  public static func job(
    _ recipe: Recipe, to target: ExportTarget, input: String?, output: String?, rejects: String?,
    warn: (String) -> Void = { _ in }
  ) throws -> String {
    if target == .databrew {
      do {
        return DataBrewRecipe.text(try DataBrewRecipe.export(recipe))
      } catch {
        throw Failure(refusals: error.refusals)
      }
    }
    let columns = try inputColumns(recipe, input: input, warn: warn)
    do {
      switch target {
      case .duckdb, .sparkSQL:
        guard let input, let output else {
          throw ExportRefusal("a \(target.rawValue) job runs as it is: give the input and output paths")
        }
        let paths = ExportPaths(
          input: input, output: output, rejects: rejects ?? target.defaultRejects(output: output))
        if target == .duckdb {
          return try SQLExport.duckdb(recipe: recipe, inputColumns: columns, paths: paths)
        }
        return try SQLExport.sparkSQL(
          recipe: recipe, inputColumns: columns, paths: paths, lineSeparator: lineSeparator(of: input))
      case .pyspark, .databrew:
        let defaults = PySparkDefaults(input: input, output: output, rejects: rejects)
        return try SQLExport.pyspark(recipe: recipe, inputColumns: columns, defaults: defaults)
      }
    } catch let refusal as ExportRefusal {
      throw Failure(refusals: [refusal])
    }
  }

  /// The input's columns as Decant reads them (from the file when it is
  /// there, else the recipe's saved `input.columns`).
  public static func inputColumns(_ recipe: Recipe, input: String?, warn: (String) -> Void = { _ in }) throws
    -> [String]
  {
    if let input, FileManager.default.isReadableFile(atPath: input) {
      let reader = try InputOpener(path: input, settings: recipe.input).open()
      for w in reader.warnings { warn("\(input): \(w)") }
      return reader.schema.names
    }
    guard let saved = recipe.input.columns else {
      let which = input.map { "\($0) is not readable here and the" } ?? "no input is given and the"
      throw Failure(refusals: [
        ExportRefusal(
          "\(which) recipe saves no input columns: export next to the data (--input PATH), or save input.columns in the recipe"
        )
      ])
    }
    return saved
  }

  /// The input's line end, from its first line: CRLF or LF (LF when the file
  /// cannot be read here).
  public static func lineSeparator(of path: String) -> String {
    guard let handle = FileHandle(forReadingAtPath: path) else { return "\n" }
    defer { try? handle.close() }
    let head = (try? handle.read(upToCount: 1 << 16)) ?? Data()
    guard let lf = head.firstIndex(of: 10) else { return "\n" }
    return lf > head.startIndex && head[lf - 1] == 13 ? "\r\n" : "\n"
  }
}
