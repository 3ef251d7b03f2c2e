import SkiffAPI

/// Upstream's RBAC validation of policy rules, role references and subjects.
enum RBACValidation {
    static let group = "rbac.authorization.k8s.io"

    static func validateRule(_ rule: JSONValue, path: String, namespaced: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        if rule.elements(at: "verbs").isEmpty { errors.append(.required("\(path).verbs", "verbs must contain at least one value")) }
        let urls = rule.elements(at: "nonResourceURLs")
        if !urls.isEmpty {
            if namespaced { errors.append(.invalid("\(path).nonResourceURLs", .array(urls), "namespaced rules cannot apply to non-resource URLs")) }
            if ["apiGroups", "resources", "resourceNames"].contains(where: { !rule.elements(at: $0).isEmpty }) {
                errors.append(.invalid("\(path).nonResourceURLs", .array(urls), "rules cannot apply to both regular resources and non-resource URLs"))
            }
            return errors
        }
        if rule.elements(at: "apiGroups").isEmpty {
            errors.append(.required("\(path).apiGroups", "resource rules must supply at least one api group"))
        }
        if rule.elements(at: "resources").isEmpty {
            errors.append(.required("\(path).resources", "resource rules must supply at least one resource"))
        }
        return errors
    }

    /// A binding's `roleRef`: the RBAC group, a `Role` (bindings only) or `ClusterRole`, a name.
    static func validateRoleRef(_ ref: JSONValue?, namespaced: Bool) -> [FieldError] {
        let ref = ref ?? .emptyObject
        var errors: [FieldError] = []
        if ref.stringValue(at: "apiGroup") != group {
            errors.append(.notSupported("roleRef.apiGroup", ref["apiGroup"] ?? "", supported: [group]))
        }
        let kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"]
        if !kinds.contains(ref.stringValue(at: "kind")) {
            errors.append(.notSupported("roleRef.kind", ref["kind"] ?? "", supported: kinds))
        }
        let name = ref.stringValue(at: "name")
        if name.isEmpty {
            errors.append(.required("roleRef.name"))
        } else {
            errors += NameValidation.problems(name, rule: .pathSegment).map { .invalid("roleRef.name", .string(name), $0) }
        }
        return errors
    }

    /// A subject: a name, and a kind with its group (`""` for service accounts, which need a
    /// namespace in cluster role bindings).
    static func validateSubject(_ subject: JSONValue, path: String, namespaced: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        let name = subject.stringValue(at: "name")
        if name.isEmpty { errors.append(.required("\(path).name")) }
        let apiGroup = subject["apiGroup"] ?? ""
        switch subject.stringValue(at: "kind") {
        case "ServiceAccount":
            if !name.isEmpty {
                errors += NameValidation.problems(name, rule: .dns1123Subdomain).map { .invalid("\(path).name", .string(name), $0) }
            }
            if apiGroup != "" { errors.append(.notSupported("\(path).apiGroup", apiGroup, supported: [""])) }
            if !namespaced, subject.stringValue(at: "namespace").isEmpty { errors.append(.required("\(path).namespace")) }
        case "User", "Group":
            if apiGroup.stringValue != group { errors.append(.notSupported("\(path).apiGroup", apiGroup, supported: [group])) }
        default:
            errors.append(.notSupported("\(path).kind", subject["kind"] ?? "", supported: ["ServiceAccount", "User", "Group"]))
        }
        return errors
    }
}
