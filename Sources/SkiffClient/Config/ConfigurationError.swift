/// A client configuration that cannot be loaded or used: a missing or malformed kubeconfig, an
/// unknown context, unreadable credentials.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
