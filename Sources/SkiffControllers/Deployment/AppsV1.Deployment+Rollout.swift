import SkiffAPI
import SkiffModels

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

/// Deployment fields as the deployment controller reads them (upstream's `deploymentutil`).
extension AppsV1.Deployment {
    /// `spec.replicas` (1 when unset, the server's default).
    var specReplicas: Int { Int(spec?.replicas ?? 1) }

    /// Whether the strategy is `RollingUpdate` (the default).
    var isRollingUpdate: Bool { (spec?.strategy?.type ?? "RollingUpdate") == "RollingUpdate" }

    /// `spec.progressDeadlineSeconds`, nil when unset or "never" (Go's `MaxInt32`).
    var progressDeadlineSeconds: Int64? {
        guard let seconds = spec?.progressDeadlineSeconds, seconds != Int32.max else { return nil }
        return Int64(seconds)
    }

    /// `spec.revisionHistoryLimit`, nil when unset or unlimited (Go's `MaxInt32`).
    var revisionHistoryLimit: Int? {
        guard let limit = spec?.revisionHistoryLimit, limit != Int32.max else { return nil }
        return Int(limit)
    }

    var isPaused: Bool { spec?.paused ?? false }

    /// The condition of `type` in `status.conditions`.
    func condition(_ type: String) -> AppsV1.DeploymentCondition? {
        status?.conditions?.first { $0.type == type }
    }
}

/// ReplicaSet fields as the deployment controller reads them.
extension AppsV1.ReplicaSet {
    /// `spec.replicas` (1 when unset, the server's default).
    var specReplicas: Int {
        get { Int(spec?.replicas ?? 1) }
        set { spec?.replicas = Int32(newValue) }
    }

    /// The `deployment.kubernetes.io/revision` annotation as a number, 0 when unset or invalid.
    var revision: Int64 { metadata?.annotations?[DeploymentAnnotation.revision].flatMap { Int64($0) } ?? 0 }

    /// `status.replicas`, `status.availableReplicas`, `status.readyReplicas`, 0 when unset.
    var statusReplicas: Int { Int(status?.replicas ?? 0) }
    var availableReplicas: Int { Int(status?.availableReplicas ?? 0) }
    var readyReplicas: Int { Int(status?.readyReplicas ?? 0) }
}

/// ReplicaSet collections as the deployment controller reads them.
extension [AppsV1.ReplicaSet] {
    /// The sets with `spec.replicas > 0` (upstream's `FilterActiveReplicaSets`).
    var active: [AppsV1.ReplicaSet] { filter { $0.specReplicas > 0 } }

    /// The sum of `spec.replicas`.
    var specReplicaCount: Int { reduce(0) { $0 + $1.specReplicas } }

    /// The sum of a status count.
    func sum(_ count: KeyPath<AppsV1.ReplicaSet, Int>) -> Int { reduce(0) { $0 + $1[keyPath: count] } }

    /// Oldest first, then by name (upstream's `ReplicaSetsByCreationTimestamp`).
    var byCreation: [AppsV1.ReplicaSet] { sorted(by: AppsV1.ReplicaSet.createdBefore) }
}
