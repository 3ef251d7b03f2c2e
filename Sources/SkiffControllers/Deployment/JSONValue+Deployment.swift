import SkiffAPI

/// The annotations a Deployment and its ReplicaSets carry (upstream's `deploymentutil` names).
enum DeploymentAnnotation {
    static let revision = "deployment.kubernetes.io/revision"
    static let revisionHistory = "deployment.kubernetes.io/revision-history"
    static let desiredReplicas = "deployment.kubernetes.io/desired-replicas"
    static let maxReplicas = "deployment.kubernetes.io/max-replicas"
    /// Annotations never copied from a Deployment to its ReplicaSets.
    static let notCopied: Set<String> = [
        revision, revisionHistory, desiredReplicas, maxReplicas, "kubectl.kubernetes.io/last-applied-configuration",
        "deprecated.deployment.rollback.to",
    ]
}

/// Deployment and ReplicaSet fields as the deployment controller reads them.
extension JSONValue {
    /// `spec.replicas` (1 when unset, the server's default).
    var specReplicas: Int {
        get { Int(self[path: "spec", "replicas"]?.intValue ?? 1) }
        set { self[path: "spec", "replicas"] = .int(Int64(newValue)) }
    }

    /// A `status` count, 0 when unset.
    func statusCount(_ field: String) -> Int { Int(self[path: "status", field]?.intValue ?? 0) }

    /// Whether the Deployment's strategy is `RollingUpdate` (the default).
    var isRollingUpdate: Bool { (self[path: "spec", "strategy", "type"]?.stringValue ?? "RollingUpdate") == "RollingUpdate" }

    /// The `deployment.kubernetes.io/revision` annotation as a number, 0 when unset or invalid.
    var revision: Int64 { annotations[DeploymentAnnotation.revision].flatMap { Int64($0) } ?? 0 }

    /// `spec.progressDeadlineSeconds`, nil when unset or "never" (Go's `MaxInt32`).
    var progressDeadlineSeconds: Int64? {
        guard let seconds = self[path: "spec", "progressDeadlineSeconds"]?.intValue, seconds != Int64(Int32.max) else { return nil }
        return seconds
    }

    /// `spec.revisionHistoryLimit`, nil when unset or unlimited (Go's `MaxInt32`).
    var revisionHistoryLimit: Int? {
        guard let limit = self[path: "spec", "revisionHistoryLimit"]?.intValue, limit != Int64(Int32.max) else { return nil }
        return Int(limit)
    }

    var isPaused: Bool { self[path: "spec", "paused"]?.boolValue ?? false }

    /// The condition of `type` in `status.conditions`.
    func condition(_ type: String) -> JSONValue? {
        self[path: "status", "conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }
    }
}

/// ReplicaSet collections as the deployment controller reads them.
extension [JSONValue] {
    /// The sets with `spec.replicas > 0` (upstream's `FilterActiveReplicaSets`).
    var active: [JSONValue] { filter { $0.specReplicas > 0 } }

    /// The sum of `spec.replicas`.
    var specReplicaCount: Int { reduce(0) { $0 + $1.specReplicas } }

    /// The sum of a `status` count.
    func statusCount(_ field: String) -> Int { reduce(0) { $0 + $1.statusCount(field) } }

    /// Oldest first, then by name (upstream's `ReplicaSetsByCreationTimestamp`).
    var byCreation: [JSONValue] { sorted(by: JSONValue.createdBefore) }
}

extension JSONValue {
    /// Created earlier, or at the same time with a smaller name.
    static func createdBefore(_ left: JSONValue, _ right: JSONValue) -> Bool {
        let leftTime = left.creationTimestamp
        let rightTime = right.creationTimestamp
        if leftTime == rightTime { return (left.name ?? "") < (right.name ?? "") }
        guard let leftTime, let rightTime else { return leftTime == nil }
        return leftTime < rightTime
    }
}
