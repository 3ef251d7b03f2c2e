import SkiffAPI

/// RoleBindings and ClusterRoleBindings (rbac.authorization.k8s.io/v1): subject and role
/// reference defaults and validation, an immutable `roleRef`, ROLE/USERS/GROUPS/SERVICEACCOUNTS
/// columns.
struct RBACBindingStrategy: ResourceStrategy {
    /// Whether this serves RoleBindings (which may refer to Roles) rather than ClusterRoleBindings.
    let namespaced: Bool

    var nameRule: NameValidation.Rule { .pathSegment }

    /// `roleRef.apiGroup` and users' and groups' `apiGroup` default to the RBAC group.
    func applyDefaults(to object: inout JSONValue) {
        object.editMember("roleRef") { $0.setDefault("apiGroup", .string(RBACValidation.group)) }
        object.editElements("subjects") { subject in
            if ["User", "Group"].contains(subject.stringValue(at: "kind")) { subject.setDefault("apiGroup", .string(RBACValidation.group)) }
        }
    }
}
