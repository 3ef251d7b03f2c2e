/// A user a client acts as (client-go's `rest.ImpersonationConfig`, without extra fields).
/// Naming a service account's user (`system:serviceaccount:NS:NAME`) without groups lets the
/// server add the account's groups.
public struct Impersonation: Sendable, Hashable {
    /// `Impersonate-User`.
    public var userName: String
    /// `Impersonate-Group`, one header each.
    public var groups: [String]

    public init(userName: String, groups: [String] = []) {
        self.userName = userName
        self.groups = groups
    }

    /// The user of the service account `name` in `namespace`.
    public static func serviceAccount(_ name: String, namespace: String) -> Impersonation {
        Impersonation(userName: "system:serviceaccount:\(namespace):\(name)")
    }

    /// The headers, in the order client-go writes them.
    var headers: [(name: String, value: String)] {
        [(name: "Impersonate-User", value: userName)] + groups.map { (name: "Impersonate-Group", value: $0) }
    }
}
