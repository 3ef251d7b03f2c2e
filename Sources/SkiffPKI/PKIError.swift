/// An error of the cluster's public key infrastructure: a file that cannot be read or written, or
/// a certificate or key that cannot be parsed.
public struct PKIError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, for the user.
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
