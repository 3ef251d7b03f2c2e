import SkiffAPI

/// Cluster-scoped objects kube-apiserver creates at startup besides namespaces and the
/// `kubernetes` service: the two system priority classes, the mandatory API priority and
/// fairness configuration, and the component statuses of the deprecated `componentstatuses`
/// endpoint. `ClusterBootstrap` creates each when missing.
enum SystemObjects {
    /// Each resource and the objects it starts with.
    static let all: [(GroupResource, [JSONValue])] = [
        (GroupResource(group: "scheduling.k8s.io", resource: "priorityclasses"), priorityClasses),
        (GroupResource(group: "flowcontrol.apiserver.k8s.io", resource: "prioritylevelconfigurations"), priorityLevels),
        (GroupResource(group: "flowcontrol.apiserver.k8s.io", resource: "flowschemas"), flowSchemas),
        (GroupResource(group: "", resource: "componentstatuses"), componentStatuses),
    ]

    static let priorityClasses: [JSONValue] = [
        ("system-node-critical", 2_000_001_000, "Used for system critical pods that must not be moved from their current node."),
        ("system-cluster-critical", 2_000_000_000, "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."),
    ].map { name, value, description in
        ["metadata": ["name": .string(name)], "value": .int(value), "description": .string(description)]
    }

    /// Upstream's mandatory `exempt` and `catch-all` levels.
    static let priorityLevels: [JSONValue] = [
        mandatory("exempt", spec: ["type": "Exempt", "exempt": .emptyObject]),
        mandatory("catch-all", spec: ["type": "Limited", "limited": ["nominalConcurrencyShares": 5, "limitResponse": ["type": "Reject"]]]),
    ]

    /// Upstream's mandatory `exempt` (system:masters) and `catch-all` schemas.
    static let flowSchemas: [JSONValue] = {
        let everything: JSONValue = [
            "resourceRules": [["verbs": ["*"], "apiGroups": ["*"], "resources": ["*"], "clusterScope": true, "namespaces": ["*"]]],
            "nonResourceRules": [["verbs": ["*"], "nonResourceURLs": ["*"]]],
        ]
        func rule(groups: [String]) -> JSONValue {
            var rule = everything
            rule["subjects"] = .array(groups.map { ["kind": "Group", "group": ["name": .string($0)]] })
            return rule
        }
        return [
            mandatory("exempt", spec: ["matchingPrecedence": 1, "priorityLevelConfiguration": ["name": "exempt"],
                                       "rules": [rule(groups: ["system:masters"])]]),
            mandatory("catch-all", spec: ["matchingPrecedence": 10000, "priorityLevelConfiguration": ["name": "catch-all"],
                                          "distinguisherMethod": ["type": "ByUser"],
                                          "rules": [rule(groups: ["system:unauthenticated", "system:authenticated"])]]),
        ]
    }()

    /// The scheduler, the controller manager and the store, healthy as the server runs them all.
    static let componentStatuses: [JSONValue] = [
        ("controller-manager", "ok"), ("scheduler", "ok"), ("etcd-0", "{\"health\":\"true\",\"reason\":\"\"}"),
    ].map { name, message in
        ["metadata": ["name": .string(name)], "conditions": [["type": "Healthy", "status": "True", "message": .string(message)]]]
    }

    private static func mandatory(_ name: String, spec: JSONValue) -> JSONValue {
        ["metadata": ["name": .string(name), "annotations": ["apf.kubernetes.io/autoupdate-spec": "true"]], "spec": spec]
    }
}
