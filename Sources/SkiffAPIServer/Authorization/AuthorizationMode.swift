import SkiffAPI
import SkiffRegistry

/// One entry of `--authorization-mode`.
public enum AuthorizationMode: String, Sendable, CaseIterable {
    case alwaysAllow = "AlwaysAllow"
    case alwaysDeny = "AlwaysDeny"
    case rbac = "RBAC"
    case node = "Node"

    /// The modes of a comma-separated list (`Node,RBAC`); unknown or repeated modes are errors.
    public static func parse(_ list: String) throws(APIError) -> [AuthorizationMode] {
        var modes: [AuthorizationMode] = []
        for name in list.split(separator: ",").map({ $0.trimmingSpaces() }) {
            guard let mode = AuthorizationMode(rawValue: name) else {
                throw .badRequest("authorization-mode \"\(name)\" is not a valid mode (AlwaysAllow, AlwaysDeny, RBAC, Node)")
            }
            guard !modes.contains(mode) else { throw .badRequest("authorization-mode \"\(name)\" has already been specified") }
            modes.append(mode)
        }
        guard !modes.isEmpty else { throw .badRequest("at least one authorization-mode must be passed") }
        return modes
    }

    /// The authorizer of `modes` over `registry`'s policy, with `system:masters` always allowed
    /// first (as upstream).
    public static func authorizer(_ modes: [AuthorizationMode], registry: Registry) -> any Authorizer {
        if modes == [.alwaysAllow] { return AlwaysAllowAuthorizer() }
        let policy = RBACPolicySource(registry: registry)
        var authorizers: [any Authorizer] = [PrivilegedGroupAuthorizer()]
        for mode in modes {
            switch mode {
            case .alwaysAllow: authorizers.append(AlwaysAllowAuthorizer())
            case .alwaysDeny: authorizers.append(AlwaysDenyAuthorizer())
            case .rbac: authorizers.append(RBACAuthorizer { policy.policy })
            case .node: authorizers.append(NodeAuthorizer(registry: registry))
            }
        }
        return UnionAuthorizer(authorizers)
    }
}
