import SkiffAPI
import SkiffModels

/// A Deployment's status conditions, their types and reasons as upstream names them.
enum DeploymentCondition {
    static let available = "Available"
    static let progressing = "Progressing"
    static let replicaFailure = "ReplicaFailure"

    /// The reasons upstream's controller gives.
    enum Reason {
        static let newReplicaSetCreated = "NewReplicaSetCreated"
        static let foundNewReplicaSet = "FoundNewReplicaSet"
        static let replicaSetUpdated = "ReplicaSetUpdated"
        static let newReplicaSetAvailable = "NewReplicaSetAvailable"
        static let progressDeadlineExceeded = "ProgressDeadlineExceeded"
        static let failedCreate = "ReplicaSetCreateError"
        static let paused = "DeploymentPaused"
        static let resumed = "DeploymentResumed"
        static let minimumReplicasAvailable = "MinimumReplicasAvailable"
        static let minimumReplicasUnavailable = "MinimumReplicasUnavailable"
    }

    /// A condition updated and transitioned at `now`.
    static func make(_ type: String, status: String, reason: String, message: String, now: Timestamp) -> AppsV1.DeploymentCondition {
        AppsV1.DeploymentCondition(lastTransitionTime: now, lastUpdateTime: now, message: message, reason: reason, status: status, type: type)
    }

    /// A ReplicaSet's condition as a Deployment's (upstream's `ReplicaSetToDeploymentCondition`).
    static func fromReplicaSet(_ condition: AppsV1.ReplicaSetCondition) -> AppsV1.DeploymentCondition {
        AppsV1.DeploymentCondition(
            lastTransitionTime: condition.lastTransitionTime, lastUpdateTime: condition.lastTransitionTime, message: condition.message,
            reason: condition.reason, status: condition.status, type: condition.type)
    }
}

extension AppsV1.Deployment {
    /// Sets a condition in `status.conditions` (upstream's `SetDeploymentCondition`): nothing
    /// changes when one of the same type has the same status and reason; the transition time is
    /// kept when only the reason changes.
    mutating func setCondition(_ condition: AppsV1.DeploymentCondition) {
        var condition = condition
        if let current = self.condition(condition.type), current.status == condition.status {
            if current.reason == condition.reason { return }
            condition.lastTransitionTime = current.lastTransitionTime
        }
        let others = (status?.conditions ?? []).filter { $0.type != condition.type }
        var status = self.status ?? AppsV1.DeploymentStatus()
        status.conditions = others + [condition]
        self.status = status
    }

    /// Removes the condition of `type` from `status.conditions`.
    mutating func removeCondition(_ type: String) {
        guard let conditions = status?.conditions else { return }
        let kept = conditions.filter { $0.type != type }
        status?.conditions = kept.isEmpty ? nil : kept
    }
}
