/// A message that cannot be read: where reading stopped and why.
public struct DNSWireError: Error, Sendable, CustomStringConvertible {
    /// The byte offset reading stopped at.
    public let offset: Int
    public let reason: String

    init(_ reason: String, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String { "malformed DNS message at byte \(offset): \(reason)" }
}
