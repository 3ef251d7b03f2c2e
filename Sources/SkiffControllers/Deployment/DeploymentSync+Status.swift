import SkiffAPI
import SkiffClient

extension DeploymentSync {
    /// Writes the status computed from the sets, if it changed (upstream's `syncDeploymentStatus`).
    func syncStatus(_ deployment: inout JSONValue, _ sets: ReplicaSetSplit) async throws {
        let updated = withCalculatedStatus(deployment, sets: sets)
        guard updated["status"] != deployment["status"] else { return }
        deployment = updated
        try await writeStatus(&deployment)
    }

    /// Writes the status with the `Progressing` condition judged against the deadline and the
    /// sets' `ReplicaFailure` condition (upstream's `syncRolloutStatus`); an unchanged status
    /// of a rollout in progress comes back when its deadline would pass.
    func syncRolloutStatus(_ deployment: inout JSONValue, _ sets: ReplicaSetSplit) async throws -> ReconcileResult {
        var updated = withCalculatedStatus(deployment, sets: sets)
        let name = sets.new?.name
        if let deadline = deployment.progressDeadlineSeconds {
            let current = deployment.condition(DeploymentCondition.progressing)
            let isCompleteDeployment = updated.statusCount("replicas") == updated.statusCount("updatedReplicas")
                && current?["reason"]?.stringValue == DeploymentCondition.Reason.newReplicaSetAvailable
            if !isCompleteDeployment {
                updateProgressing(&updated, previous: deployment, current: current, newName: name, deadline: deadline)
            }
        } else {
            updated.removeCondition(DeploymentCondition.progressing)
        }
        if let failure = Self.replicaFailure(sets) {
            updated.setCondition(DeploymentCondition.fromReplicaSet(failure))
        } else {
            updated.removeCondition(DeploymentCondition.replicaFailure)
        }
        if updated["status"] == deployment["status"] {
            return requeueForDeadline(deployment, status: updated["status"] ?? .emptyObject)
        }
        deployment = updated
        try await writeStatus(&deployment)
        return .done
    }

    /// Sets `Progressing`: the new set available, progress made (the update time moves on,
    /// the transition time stays), or the deadline passed without progress.
    private func updateProgressing(_ updated: inout JSONValue, previous: JSONValue, current: JSONValue?, newName: String?, deadline: Int64) {
        let subject = newName.map { "ReplicaSet \"\($0)\"" } ?? "Deployment \"\(previous.name ?? "")\""
        let status = updated["status"] ?? .emptyObject
        if Self.isComplete(previous, status: status) {
            updated.setCondition(DeploymentCondition.make(
                DeploymentCondition.progressing, status: "True", reason: DeploymentCondition.Reason.newReplicaSetAvailable,
                message: "\(subject) has successfully progressed.", now: clock.now))
        } else if Self.isProgressing(previous, status: status) {
            var condition = DeploymentCondition.make(
                DeploymentCondition.progressing, status: "True", reason: DeploymentCondition.Reason.replicaSetUpdated,
                message: "\(subject) is progressing.", now: clock.now)
            if let current {
                if current["status"]?.stringValue == "True" { condition["lastTransitionTime"] = current["lastTransitionTime"] }
                updated.removeCondition(DeploymentCondition.progressing)
            }
            updated.setCondition(condition)
        } else if isTimedOut(updated, deadline: deadline) {
            updated.setCondition(DeploymentCondition.make(
                DeploymentCondition.progressing, status: "False", reason: DeploymentCondition.Reason.progressDeadlineExceeded,
                message: "\(subject) has timed out progressing.", now: clock.now))
        }
    }

    /// The deployment with the status its sets add up to and `Available` judged against
    /// `maxUnavailable` (upstream's `calculateStatus`); zero counts are left out as Go's
    /// `omitempty` does.
    func withCalculatedStatus(_ deployment: JSONValue, sets: ReplicaSetSplit) -> JSONValue {
        let all = sets.all
        let available = all.statusCount("availableReplicas")
        var status: JSONValue = .emptyObject
        let counts = [
            ("observedGeneration", Int(deployment.generation ?? 0)), ("replicas", all.statusCount("replicas")),
            ("updatedReplicas", sets.new?.statusCount("replicas") ?? 0), ("readyReplicas", all.statusCount("readyReplicas")),
            ("availableReplicas", available), ("unavailableReplicas", max(all.specReplicaCount - available, 0)),
        ]
        for (field, value) in counts where value != 0 {
            status[field] = .int(Int64(value))
        }
        status["collisionCount"] = deployment[path: "status", "collisionCount"]
        status["conditions"] = deployment[path: "status", "conditions"]
        var updated = deployment
        updated["status"] = status
        let minimum = deployment.specReplicas - RolloutBounds(deployment: deployment).maxUnavailable
        if available >= minimum {
            updated.setCondition(DeploymentCondition.make(
                DeploymentCondition.available, status: "True", reason: DeploymentCondition.Reason.minimumReplicasAvailable,
                message: "Deployment has minimum availability.", now: clock.now))
        } else {
            updated.setCondition(DeploymentCondition.make(
                DeploymentCondition.available, status: "False", reason: DeploymentCondition.Reason.minimumReplicasUnavailable,
                message: "Deployment does not have minimum availability.", now: clock.now))
        }
        return updated
    }

    /// All replicas updated and available, and the spec observed (upstream's `DeploymentComplete`).
    static func isComplete(_ deployment: JSONValue, status: JSONValue) -> Bool {
        let desired = Int64(deployment.specReplicas)
        func count(_ field: String) -> Int64 { status[field]?.intValue ?? 0 }
        return count("updatedReplicas") == desired && count("replicas") == desired && count("availableReplicas") == desired
            && count("observedGeneration") >= (deployment.generation ?? 0)
    }

    /// More updated, ready or available replicas, or fewer old ones, than the status reports
    /// (upstream's `DeploymentProgressing`).
    static func isProgressing(_ deployment: JSONValue, status: JSONValue) -> Bool {
        func count(_ field: String) -> Int64 { status[field]?.intValue ?? 0 }
        func previous(_ field: String) -> Int64 { deployment[path: "status", field]?.intValue ?? 0 }
        return count("updatedReplicas") > previous("updatedReplicas")
            || count("replicas") - count("updatedReplicas") < previous("replicas") - previous("updatedReplicas")
            || count("readyReplicas") > previous("readyReplicas") || count("availableReplicas") > previous("availableReplicas")
    }

    /// Whether `Progressing` was last updated longer than the deadline ago (upstream's `DeploymentTimedOut`).
    private func isTimedOut(_ deployment: JSONValue, deadline: Int64) -> Bool {
        guard let condition = deployment.condition(DeploymentCondition.progressing) else { return false }
        switch condition["reason"]?.stringValue {
        case DeploymentCondition.Reason.newReplicaSetAvailable: return false
        case DeploymentCondition.Reason.progressDeadlineExceeded: return true
        default: break
        }
        guard let updated = condition["lastUpdateTime"]?.stringValue.flatMap(Timestamp.init(rfc3339:)) else { return false }
        return updated.adding(seconds: deadline) < clock.now
    }

    /// The new set's `ReplicaFailure` condition, else an old set's (upstream's `getReplicaFailures`).
    static func replicaFailure(_ sets: ReplicaSetSplit) -> JSONValue? {
        for replicaSet in (sets.new.map { [$0] } ?? []) + sets.old {
            if let failure = replicaSet.condition(DeploymentCondition.replicaFailure) { return failure }
        }
        return nil
    }

    /// When a rollout in progress is next checked against its deadline: just after the
    /// `Progressing` condition's update time plus the deadline (upstream's `requeueStuckDeployment`).
    private func requeueForDeadline(_ deployment: JSONValue, status: JSONValue) -> ReconcileResult {
        guard let deadline = deployment.progressDeadlineSeconds, let condition = deployment.condition(DeploymentCondition.progressing),
            !Self.isComplete(deployment, status: status),
            condition["reason"]?.stringValue != DeploymentCondition.Reason.progressDeadlineExceeded,
            let updated = condition["lastUpdateTime"]?.stringValue.flatMap(Timestamp.init(rfc3339:))
        else { return .done }
        let remaining = updated.adding(seconds: deadline).duration(since: clock.now)
        return remaining < .seconds(1) ? .requeue : .requeueAfter(remaining + .seconds(1))
    }
}
