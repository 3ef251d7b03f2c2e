import SkiffAPI

/// Upstream's bootstrap API priority and fairness configuration (kube-apiserver's
/// `flowcontrol/bootstrap`, v1.32): the mandatory `exempt` and `catch-all` priority levels and
/// flow schemas, and the suggested ones for nodes, leader election, the control plane, service
/// accounts and everyone else. Every object carries `apf.kubernetes.io/autoupdate-spec: "true"`.
/// `FlowControlConfigurationEnsurer` keeps them in the store.
enum FlowControlBootstrap {
    static let group = "flowcontrol.apiserver.k8s.io"
    static let autoUpdateAnnotation = "apf.kubernetes.io/autoupdate-spec"

    static let mandatoryPriorityLevels: [JSONValue] = [
        object("exempt", spec: ["type": "Exempt", "exempt": ["nominalConcurrencyShares": 0, "lendablePercent": 0]]),
        object("catch-all", spec: ["type": "Limited", "limited": [
            "nominalConcurrencyShares": 5, "lendablePercent": 0, "limitResponse": ["type": "Reject"],
        ]]),
    ]

    static let suggestedPriorityLevels: [JSONValue] = [
        limited("system", shares: 30, lendable: 33, queues: 64, handSize: 6),
        limited("node-high", shares: 40, lendable: 25, queues: 64, handSize: 6),
        limited("leader-election", shares: 10, lendable: 0, queues: 16, handSize: 4),
        limited("workload-high", shares: 40, lendable: 50, queues: 128, handSize: 6),
        limited("workload-low", shares: 100, lendable: 90, queues: 128, handSize: 6),
        limited("global-default", shares: 20, lendable: 50, queues: 128, handSize: 6),
    ]

    static let mandatoryFlowSchemas: [JSONValue] = [
        flowSchema("exempt", level: "exempt", precedence: 1, distinguisher: nil, [
            rule(subjects: [groupSubject(UserInfo.privilegedGroup)], resourceRules: [everyResource], nonResourceRules: [everyURL]),
        ]),
        flowSchema("catch-all", level: "catch-all", precedence: 10000, distinguisher: "ByUser", [everyone]),
    ]

    static let suggestedFlowSchemas: [JSONValue] = [
        flowSchema("system-nodes", level: "system", precedence: 500, distinguisher: "ByUser", [
            rule(subjects: [groupSubject("system:nodes")], resourceRules: [everyResource], nonResourceRules: [everyURL]),
        ]),
        flowSchema("system-node-high", level: "node-high", precedence: 400, distinguisher: "ByUser", [
            rule(subjects: [groupSubject("system:nodes")], resourceRules: [
                resourceRule(["*"], groups: [""], ["nodes", "nodes/status"], namespaces: ["*"], clusterScope: true),
                resourceRule(["*"], groups: ["coordination.k8s.io"], ["leases"], namespaces: ["*"]),
            ]),
        ]),
        flowSchema("probes", level: "exempt", precedence: 2, distinguisher: nil, [
            rule(subjects: [groupSubject(UserInfo.allUnauthenticated), groupSubject(UserInfo.allAuthenticated)],
                 nonResourceRules: [["verbs": ["get"], "nonResourceURLs": ["/healthz", "/readyz", "/livez"]]]),
        ]),
        flowSchema("system-leader-election", level: "leader-election", precedence: 100, distinguisher: "ByUser", [
            rule(subjects: [userSubject(controllerManager), userSubject(scheduler), kubeSystemServiceAccount("*")], resourceRules: [
                resourceRule(leaderElectionVerbs, groups: [""], ["endpoints", "configmaps"], namespaces: ["kube-system"]),
                resourceRule(leaderElectionVerbs, groups: ["coordination.k8s.io"], ["leases"], namespaces: ["*"]),
            ]),
        ]),
        flowSchema("workload-leader-election", level: "leader-election", precedence: 200, distinguisher: "ByUser", [
            rule(subjects: [kubeSystemServiceAccount("*")], resourceRules: [
                resourceRule(leaderElectionVerbs, groups: [""], ["endpoints", "configmaps"], namespaces: ["*"]),
                resourceRule(leaderElectionVerbs, groups: ["coordination.k8s.io"], ["leases"], namespaces: ["*"]),
            ]),
        ]),
        flowSchema("endpoint-controller", level: "workload-high", precedence: 150, distinguisher: "ByUser", [
            rule(subjects: [userSubject(controllerManager), kubeSystemServiceAccount("endpoint-controller"),
                            kubeSystemServiceAccount("endpointslicemirroring-controller")], resourceRules: [
                resourceRule(leaderElectionVerbs, groups: [""], ["endpoints"], namespaces: ["*"]),
            ]),
        ]),
        flowSchema("kube-controller-manager", level: "workload-high", precedence: 800, distinguisher: "ByNamespace", [
            rule(subjects: [userSubject(controllerManager)], resourceRules: [everyResource], nonResourceRules: [everyURL]),
        ]),
        flowSchema("kube-scheduler", level: "workload-high", precedence: 800, distinguisher: "ByNamespace", [
            rule(subjects: [userSubject(scheduler)], resourceRules: [everyResource], nonResourceRules: [everyURL]),
        ]),
        flowSchema("kube-system-service-accounts", level: "workload-high", precedence: 900, distinguisher: "ByNamespace", [
            rule(subjects: [kubeSystemServiceAccount("*")], resourceRules: [everyResource], nonResourceRules: [everyURL]),
        ]),
        flowSchema("service-accounts", level: "workload-low", precedence: 9000, distinguisher: "ByUser", [
            rule(subjects: [groupSubject("system:serviceaccounts")], resourceRules: [everyResource], nonResourceRules: [everyURL]),
        ]),
        flowSchema("global-default", level: "global-default", precedence: 9900, distinguisher: "ByUser", [everyone]),
    ]

    private static let controllerManager = "system:kube-controller-manager"
    private static let scheduler = "system:kube-scheduler"
    private static let leaderElectionVerbs = ["get", "create", "update"]
    private static let everyResource = resourceRule(["*"], groups: ["*"], ["*"], namespaces: ["*"], clusterScope: true)
    private static let everyURL: JSONValue = ["verbs": ["*"], "nonResourceURLs": ["*"]]
    private static let everyone = rule(subjects: [groupSubject(UserInfo.allUnauthenticated), groupSubject(UserInfo.allAuthenticated)],
                                       resourceRules: [everyResource], nonResourceRules: [everyURL])

    private static func object(_ name: String, spec: JSONValue) -> JSONValue {
        ["metadata": ["name": .string(name), "annotations": [autoUpdateAnnotation: "true"]], "spec": spec]
    }

    private static func limited(_ name: String, shares: Int64, lendable: Int64, queues: Int64, handSize: Int64) -> JSONValue {
        object(name, spec: ["type": "Limited", "limited": [
            "nominalConcurrencyShares": .int(shares), "lendablePercent": .int(lendable),
            "limitResponse": ["type": "Queue", "queuing": ["queues": .int(queues), "handSize": .int(handSize), "queueLengthLimit": 50]],
        ]])
    }

    private static func flowSchema(_ name: String, level: String, precedence: Int64, distinguisher: String?, _ rules: [JSONValue]) -> JSONValue {
        var spec: JSONValue = ["priorityLevelConfiguration": ["name": .string(level)], "matchingPrecedence": .int(precedence), "rules": .array(rules)]
        if let distinguisher { spec["distinguisherMethod"] = ["type": .string(distinguisher)] }
        return object(name, spec: spec)
    }

    private static func rule(subjects: [JSONValue], resourceRules: [JSONValue] = [], nonResourceRules: [JSONValue] = []) -> JSONValue {
        var rule: JSONValue = ["subjects": .array(subjects)]
        if !resourceRules.isEmpty { rule["resourceRules"] = .array(resourceRules) }
        if !nonResourceRules.isEmpty { rule["nonResourceRules"] = .array(nonResourceRules) }
        return rule
    }

    private static func resourceRule(_ verbs: [String], groups: [String], _ resources: [String], namespaces: [String], clusterScope: Bool = false) -> JSONValue {
        var rule: JSONValue = ["verbs": strings(verbs), "apiGroups": strings(groups), "resources": strings(resources), "namespaces": strings(namespaces)]
        if clusterScope { rule["clusterScope"] = true }
        return rule
    }

    private static func groupSubject(_ name: String) -> JSONValue { ["kind": "Group", "group": ["name": .string(name)]] }
    private static func userSubject(_ name: String) -> JSONValue { ["kind": "User", "user": ["name": .string(name)]] }
    private static func kubeSystemServiceAccount(_ name: String) -> JSONValue {
        ["kind": "ServiceAccount", "serviceAccount": ["namespace": "kube-system", "name": .string(name)]]
    }

    private static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }
}
