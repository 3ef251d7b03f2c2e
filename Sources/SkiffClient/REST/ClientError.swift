/// A failure that is not an answer of the API server: the server could not be reached, the
/// response could not be decoded, or the request could not be built.
public struct ClientError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, broadly.
    public struct Kind: RawRepresentable, Sendable, Hashable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// Connecting, sending or receiving failed.
        public static let transport = Kind(rawValue: "Transport")
        /// The response was not what the API returns.
        public static let decoding = Kind(rawValue: "Decoding")
        /// The request was invalid before it was sent.
        public static let invalidRequest = Kind(rawValue: "InvalidRequest")
    }

    public var kind: Kind
    public var message: String
    /// The error underneath, when there is one.
    public var underlying: (any Error)?

    public init(_ kind: Kind, _ message: String, underlying: (any Error)? = nil) {
        self.kind = kind
        self.message = message
        self.underlying = underlying
    }

    public static func decoding(_ message: String) -> ClientError { ClientError(.decoding, message) }

    public var description: String {
        guard let underlying else { return message }
        return "\(message): \(underlying)"
    }
}
