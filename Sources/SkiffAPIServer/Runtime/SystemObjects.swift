import SkiffAPI

/// Cluster-scoped objects kube-apiserver creates at startup besides namespaces and the
/// `kubernetes` service: the two system priority classes and the component statuses of the
/// deprecated `componentstatuses` endpoint. `ClusterBootstrap` creates each when missing (the
/// API priority and fairness configuration is `FlowControlBootstrap`'s).
enum SystemObjects {
    /// Each resource and the objects it starts with.
    static let all: [(GroupResource, [JSONValue])] = [
        (GroupResource(group: "scheduling.k8s.io", resource: "priorityclasses"), priorityClasses),
        (GroupResource(group: "", resource: "componentstatuses"), componentStatuses),
    ]

    static let priorityClasses: [JSONValue] = [
        ("system-node-critical", 2_000_001_000, "Used for system critical pods that must not be moved from their current node."),
        ("system-cluster-critical", 2_000_000_000, "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."),
    ].map { name, value, description in
        ["metadata": ["name": .string(name)], "value": .int(value), "description": .string(description)]
    }

    /// The scheduler, the controller manager and the store, healthy as the server runs them all.
    static let componentStatuses: [JSONValue] = [
        ("controller-manager", "ok"), ("scheduler", "ok"), ("etcd-0", "{\"health\":\"true\",\"reason\":\"\"}"),
    ].map { name, message in
        ["metadata": ["name": .string(name)], "conditions": [["type": "Healthy", "status": "True", "message": .string(message)]]]
    }
}
