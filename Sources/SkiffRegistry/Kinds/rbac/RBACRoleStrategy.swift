import SkiffAPI

/// Roles and ClusterRoles (rbac.authorization.k8s.io/v1): path-segment names, rule validation,
/// `CREATED AT` columns. Authorization itself is the security issue's.
struct RBACRoleStrategy: ResourceStrategy {
    /// Whether this serves Roles (which may not name non-resource URLs) rather than ClusterRoles.
    let namespaced: Bool

    var nameRule: NameValidation.Rule { .pathSegment }
}
