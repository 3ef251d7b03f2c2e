import SkiffAPI

/// The policy as the objects the reconciler writes.
extension BootstrapPolicy {
    /// Every cluster role, as an object.
    static var clusterRoleObjects: [JSONValue] { (clusterRoles + controllerRoles).map(\.object) }

    /// Every cluster role binding, as an object.
    static var clusterRoleBindingObjects: [JSONValue] { (clusterRoleBindings + controllerRoleBindings).map(\.object) }

    static func metadata(name: String, labels: [String: String]) -> JSONValue {
        [
            "name": .string(name),
            "labels": .object(bootstrappingLabel.merging(labels) { $1 }.mapValues(JSONValue.string)),
            "annotations": [autoupdateAnnotation: "true"],
        ]
    }
}

extension BootstrapPolicy.Role {
    var object: JSONValue {
        var object: JSONValue = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": BootstrapPolicy.metadata(name: name, labels: labels),
            "rules": .array(rules.map(\.json)),
        ]
        if let aggregates {
            object["aggregationRule"] = ["clusterRoleSelectors": [["matchLabels": ["rbac.authorization.k8s.io/aggregate-to-" + aggregates: "true"]]]]
        }
        return object
    }
}

extension BootstrapPolicy.Binding {
    var object: JSONValue {
        var object: JSONValue = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
            "metadata": BootstrapPolicy.metadata(name: name ?? role, labels: [:]),
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(role)],
        ]
        if !subjects.isEmpty { object["subjects"] = .array(subjects.map(\.json)) }
        return object
    }
}

extension RBACBinding.Subject {
    /// The subject as a `subjects[]` entry.
    var json: JSONValue {
        var object: [String: JSONValue] = ["kind": .string(kind), "name": .string(name)]
        if kind == "ServiceAccount" { object["namespace"] = .string(namespace) } else { object["apiGroup"] = "rbac.authorization.k8s.io" }
        return .object(object)
    }
}
