/// A failure to read or write a file. The CLI maps every case to exit code 4.
public struct IOError: Error, Sendable, CustomStringConvertible {
  public let path: String
  public let message: String

  public init(path: String, _ message: String) {
    self.path = path
    self.message = message
  }

  public var description: String { "\(path): \(message)" }
}
