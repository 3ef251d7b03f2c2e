import SkiffAPI

/// Every role and binding, decoded and indexed for authorization: cluster roles by name, roles
/// and role bindings by namespace.
public struct RBACPolicy: Sendable {
    public var clusterRoles: [String: [PolicyRule]] = [:]
    /// Roles by namespace, then name.
    public var roles: [String: [String: [PolicyRule]]] = [:]
    public var clusterRoleBindings: [RBACBinding] = []
    /// Role bindings by namespace.
    public var roleBindings: [String: [RBACBinding]] = [:]

    public init() {}

    /// The policy the objects describe.
    public init(clusterRoles: [JSONValue], roles: [JSONValue], clusterRoleBindings: [JSONValue], roleBindings: [JSONValue]) {
        for role in clusterRoles { self.clusterRoles[role.name ?? ""] = PolicyRule.rules(of: role) }
        for role in roles { self.roles[role.namespace ?? "", default: [:]][role.name ?? ""] = PolicyRule.rules(of: role) }
        self.clusterRoleBindings = clusterRoleBindings.map(RBACBinding.init(json:))
        for binding in roleBindings.map(RBACBinding.init(json:)) { self.roleBindings[binding.namespace, default: []].append(binding) }
    }

    /// The bindings that apply to a request in `namespace`: the cluster role bindings, then the
    /// namespace's role bindings (upstream's `VisitRulesFor` order).
    func bindings(in namespace: String) -> [RBACBinding] {
        namespace.isEmpty ? clusterRoleBindings : clusterRoleBindings + (roleBindings[namespace] ?? [])
    }

    /// The rules a binding grants, or the error naming the missing role.
    func rules(of binding: RBACBinding) -> Result<[PolicyRule], RoleNotFound> {
        let rules = binding.roleKind == "ClusterRole" ? clusterRoles[binding.roleName] : roles[binding.namespace]?[binding.roleName]
        guard let rules else { return .failure(RoleNotFound(binding: binding)) }
        return .success(rules)
    }

    /// Every rule `user` holds in `namespace` (cluster-wide ones included), and the errors met
    /// (upstream's `RulesFor`).
    public func rules(for user: UserInfo, namespace: String) -> (rules: [PolicyRule], errors: [String]) {
        var rules: [PolicyRule] = []
        var errors: [String] = []
        for binding in bindings(in: namespace) where binding.subject(naming: user) != nil {
            switch self.rules(of: binding) {
            case .success(let granted): rules += granted
            case .failure(let error): errors.append(error.description)
            }
        }
        return (rules, errors)
    }
}

/// A binding whose role does not exist.
struct RoleNotFound: Error, CustomStringConvertible {
    let binding: RBACBinding

    var description: String {
        binding.roleKind == "ClusterRole"
            ? "clusterrole.rbac.authorization.k8s.io \"\(binding.roleName)\" not found"
            : "role.rbac.authorization.k8s.io \"\(binding.roleName)\" not found"
    }
}
