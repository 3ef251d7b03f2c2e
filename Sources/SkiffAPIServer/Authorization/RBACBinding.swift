import SkiffAPI

/// A RoleBinding or ClusterRoleBinding, decoded once: who it names and which role it grants.
public struct RBACBinding: Sendable, Hashable {
    /// One entry of `subjects`.
    public struct Subject: Sendable, Hashable {
        /// `User`, `Group` or `ServiceAccount`.
        public var kind: String
        public var name: String
        public var namespace: String

        public init(kind: String, name: String, namespace: String = "") {
            self.kind = kind
            self.name = name
            self.namespace = namespace
        }
    }

    public var name: String
    /// Empty for a ClusterRoleBinding.
    public var namespace: String
    /// `Role` or `ClusterRole`.
    public var roleKind: String
    public var roleName: String
    public var subjects: [Subject]

    public init(name: String, namespace: String = "", roleKind: String, roleName: String, subjects: [Subject]) {
        self.name = name
        self.namespace = namespace
        self.roleKind = roleKind
        self.roleName = roleName
        self.subjects = subjects
    }

    /// The binding an object describes.
    public init(json: JSONValue) {
        let subjects = json["subjects"]?.arrayValue?.map { subject in
            Subject(kind: subject["kind"]?.stringValue ?? "", name: subject["name"]?.stringValue ?? "",
                    namespace: subject["namespace"]?.stringValue ?? "")
        }
        self.init(name: json.name ?? "", namespace: json.namespace ?? "", roleKind: json[path: "roleRef", "kind"]?.stringValue ?? "",
                  roleName: json[path: "roleRef", "name"]?.stringValue ?? "", subjects: subjects ?? [])
    }

    /// The subject that names `user`, if any (upstream's `appliesTo`); a service account subject
    /// without a namespace means the binding's own.
    public func subject(naming user: UserInfo) -> Subject? {
        subjects.first { subject in
            switch key(of: subject) {
            case .user(let name): return name == user.name
            case .group(let name): return user.groups.contains(name)
            case nil: return false
            }
        }
    }

    /// `ClusterRoleBinding "NAME"` or `RoleBinding "NAMESPACE/NAME"`, as upstream's reasons say.
    var describedName: String {
        namespace.isEmpty ? "ClusterRoleBinding \"\(name)\"" : "RoleBinding \"\(name)/\(namespace)\""
    }
}
