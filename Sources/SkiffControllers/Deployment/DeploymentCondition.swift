import SkiffAPI

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
    static func make(_ type: String, status: String, reason: String, message: String, now: Timestamp) -> JSONValue {
        [
            "type": .string(type), "status": .string(status), "lastUpdateTime": .string(now.rfc3339),
            "lastTransitionTime": .string(now.rfc3339), "reason": .string(reason), "message": .string(message),
        ]
    }

    /// A ReplicaSet's condition as a Deployment's (upstream's `ReplicaSetToDeploymentCondition`).
    static func fromReplicaSet(_ condition: JSONValue) -> JSONValue {
        var converted = condition
        converted["lastUpdateTime"] = condition["lastTransitionTime"]
        return converted
    }
}

extension JSONValue {
    /// Sets a condition in `status.conditions` (upstream's `SetDeploymentCondition`): nothing
    /// changes when one of the same type has the same status and reason; the transition time is
    /// kept when only the reason changes.
    mutating func setCondition(_ condition: JSONValue) {
        guard let type = condition["type"]?.stringValue else { return }
        var condition = condition
        if let current = self.condition(type), current["status"] == condition["status"] {
            if current["reason"] == condition["reason"] { return }
            condition["lastTransitionTime"] = current["lastTransitionTime"]
        }
        let others = (self[path: "status", "conditions"]?.arrayValue ?? []).filter { $0["type"]?.stringValue != type }
        self[path: "status", "conditions"] = .array(others + [condition])
    }

    /// Removes the condition of `type` from `status.conditions`.
    mutating func removeCondition(_ type: String) {
        guard let conditions = self[path: "status", "conditions"]?.arrayValue else { return }
        let kept = conditions.filter { $0["type"]?.stringValue != type }
        self[path: "status", "conditions"] = kept.isEmpty ? nil : .array(kept)
    }
}
