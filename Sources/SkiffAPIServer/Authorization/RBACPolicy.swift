import SkiffAPI

/// Every role and binding, decoded and indexed for authorization: cluster roles by name, roles
/// by namespace and name, bindings by namespace and the users and groups they name.
public struct RBACPolicy: Sendable {
    /// The four RBAC resources the policy is made of.
    enum Resource: Int, CaseIterable, Sendable {
        case clusterRoles, roles, clusterRoleBindings, roleBindings

        /// The resource's plural name.
        var name: String { ["clusterroles", "roles", "clusterrolebindings", "rolebindings"][rawValue] }
    }

    public private(set) var clusterRoles: [String: [PolicyRule]] = [:]
    /// Roles by namespace, then name.
    public private(set) var roles: [String: [String: [PolicyRule]]] = [:]
    private var clusterRoleBindings = RBACBindingIndex()
    private var roleBindings = RBACBindingIndex()

    public init() {}

    /// The policy the objects describe.
    public init(clusterRoles: [JSONValue], roles: [JSONValue], clusterRoleBindings: [JSONValue], roleBindings: [JSONValue]) {
        reset(.clusterRoles, to: clusterRoles)
        reset(.roles, to: roles)
        reset(.clusterRoleBindings, to: clusterRoleBindings)
        reset(.roleBindings, to: roleBindings)
    }

    /// Replaces everything the policy holds of `resource` by `objects`.
    mutating func reset(_ resource: Resource, to objects: [JSONValue]) {
        switch resource {
        case .clusterRoles: clusterRoles = [:]
        case .roles: roles = [:]
        case .clusterRoleBindings: clusterRoleBindings = RBACBindingIndex()
        case .roleBindings: roleBindings = RBACBindingIndex()
        }
        for object in objects { put(object, in: resource) }
    }

    /// Adds or replaces one object of `resource`.
    mutating func put(_ object: JSONValue, in resource: Resource) {
        let name = object.name ?? ""
        switch resource {
        case .clusterRoles: clusterRoles[name] = PolicyRule.rules(of: object)
        case .roles: roles[object.namespace ?? "", default: [:]][name] = PolicyRule.rules(of: object)
        case .clusterRoleBindings: clusterRoleBindings.insert(RBACBinding(json: object))
        case .roleBindings: roleBindings.insert(RBACBinding(json: object))
        }
    }

    /// Removes one object of `resource`.
    mutating func delete(_ object: JSONValue, in resource: Resource) {
        let name = object.name ?? ""
        let namespace = object.namespace ?? ""
        switch resource {
        case .clusterRoles: clusterRoles[name] = nil
        case .roles:
            roles[namespace]?[name] = nil
            if roles[namespace]?.isEmpty == true { roles[namespace] = nil }
        case .clusterRoleBindings: clusterRoleBindings.remove(namespace: namespace, name: name)
        case .roleBindings: roleBindings.remove(namespace: namespace, name: name)
        }
    }

    /// The bindings that name `user` (or its groups) for a request in `namespace`: the cluster
    /// role bindings, then the namespace's role bindings (upstream's `VisitRulesFor` order).
    func bindings(naming user: UserInfo, in namespace: String) -> [RBACBinding] {
        let cluster = clusterRoleBindings.bindings(naming: user, in: "")
        return namespace.isEmpty ? cluster : cluster + roleBindings.bindings(naming: user, in: namespace)
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
        for binding in bindings(naming: user, in: namespace) {
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
