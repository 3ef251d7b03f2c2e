/// Who made a request, as an authenticator found out (upstream's `user.Info`): what authorization,
/// admission and `managedFields` see.
public struct UserInfo: Sendable, Hashable {
    /// The user name (`system:serviceaccount:ns:name`, `kubernetes-admin`, …).
    public var name: String
    /// A unique value for the user across time, when the authenticator knows one.
    public var uid: String
    /// The groups the user belongs to (`system:authenticated`, `system:masters`, …).
    public var groups: [String]
    /// What else the authenticator knows (scopes, the service account's pod, …).
    public var extra: [String: [String]]

    public init(name: String, uid: String = "", groups: [String] = [], extra: [String: [String]] = [:]) {
        self.name = name
        self.uid = uid
        self.groups = groups
        self.extra = extra
    }

    /// The group of users who may do anything and are never throttled (`system:masters`).
    public static let privilegedGroup = "system:masters"
    /// The group every authenticated user is in.
    public static let allAuthenticated = "system:authenticated"
    /// The group of requests nobody vouches for.
    public static let allUnauthenticated = "system:unauthenticated"
    /// The user of requests nobody vouches for.
    public static let anonymous = "system:anonymous"
    /// The prefix of service accounts' user names (`system:serviceaccount:NAMESPACE:NAME`).
    public static let serviceAccountPrefix = "system:serviceaccount:"

    /// The namespace and name of a service account's user name; nil for other users.
    public static func serviceAccount(ofUserName name: String) -> (namespace: String, name: String)? {
        guard name.hasPrefix(serviceAccountPrefix) else { return nil }
        let parts = name.dropFirst(serviceAccountPrefix.count).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// The groups of a service account (`system:serviceaccounts`, `system:serviceaccounts:NAMESPACE`).
    public static func serviceAccountGroups(namespace: String) -> [String] {
        ["system:serviceaccounts", "system:serviceaccounts:" + namespace]
    }
}
