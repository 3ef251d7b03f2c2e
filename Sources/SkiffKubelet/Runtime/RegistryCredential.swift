/// A user name and password for one registry, from a pod's image pull secrets (what upstream's
/// kubelet puts in the CRI's `AuthConfig`).
public struct RegistryCredential: Sendable, Hashable {
    /// The user name.
    public var username: String
    /// The password.
    public var password: String

    /// Credentials of `username` with `password`.
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// Pulls with each of `credentials` in turn until one succeeds, as upstream's image manager
    /// does; without credentials, pulls once anonymously (`nil`). When every attempt fails, the
    /// error is the single failure, or all of them as upstream's aggregate error prints them
    /// (`[first, second]`).
    public static func tryEach<Result: Sendable>(
        _ credentials: [RegistryCredential], isolation: isolated (any Actor)? = #isolation,
        _ pull: (RegistryCredential?) async throws -> Result
    ) async throws -> Result {
        if credentials.isEmpty { return try await pull(nil) }
        var failures: [RuntimeError] = []
        for credential in credentials {
            do {
                return try await pull(credential)
            } catch let error as RuntimeError {
                failures.append(error)
            }
        }
        if failures.count == 1 { throw failures[0] }
        throw RuntimeError(failures[0].code, "[" + failures.map(\.message).joined(separator: ", ") + "]")
    }
}
