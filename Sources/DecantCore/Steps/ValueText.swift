/// A cell's value as a rejection reason shows it: quoted, decoded leniently,
/// cut after 60 characters so one huge cell cannot flood the rejects file.
enum ValueText {
  static let limit = 60

  static func quoted(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    let text = String(decoding: bytes, as: UTF8.self)
    if text.count <= limit { return "\"\(text)\"" }
    return "\"\(text.prefix(limit))…\""
  }
}
