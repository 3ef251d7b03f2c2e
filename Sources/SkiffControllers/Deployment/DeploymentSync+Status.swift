import SkiffAPI
import SkiffClient
import SkiffModels

extension DeploymentSync {
    /// Writes the status computed from the sets, if it changed (upstream's `syncDeploymentStatus`).
    func syncStatus(_ deployment: inout AppsV1.Deployment, _ sets: ReplicaSetSplit) async throws {
        let updated = withCalculatedStatus(deployment, sets: sets)
        guard updated.status != deployment.status else { return }
        deployment = updated
        try await writeStatus(&deployment)
    }

    /// Writes the status with the `Progressing` condition judged against the deadline and the
    /// sets' `ReplicaFailure` condition (upstream's `syncRolloutStatus`); an unchanged status
    /// of a rollout in progress comes back when its deadline would pass.
    func syncRolloutStatus(_ deployment: inout AppsV1.Deployment, _ sets: ReplicaSetSplit) async throws -> ReconcileResult {
        var updated = withCalculatedStatus(deployment, sets: sets)
        let name = sets.new?.name
        if let deadline = deployment.progressDeadlineSeconds {
            let current = deployment.condition(DeploymentCondition.progressing)
            let isCompleteDeployment = (updated.status?.replicas ?? 0) == (updated.status?.updatedReplicas ?? 0)
                && current?.reason == DeploymentCondition.Reason.newReplicaSetAvailable
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
        if updated.status == deployment.status {
            return requeueForDeadline(deployment, status: updated.status)
        }
        deployment = updated
        try await writeStatus(&deployment)
        return .done
    }

    /// Sets `Progressing`: the new set available, progress made (the update time moves on,
    /// the transition time stays), or the deadline passed without progress.
    private func updateProgressing(
        _ updated: inout AppsV1.Deployment, previous: AppsV1.Deployment, current: AppsV1.DeploymentCondition?, newName: String?,
        deadline: Int64
    ) {
        let subject = newName.map { "ReplicaSet \"\($0)\"" } ?? "Deployment \"\(previous.name)\""
        let status = updated.status
        if Self.isComplete(previous, status: status) {
            updated.setCondition(DeploymentCondition.make(
                DeploymentCondition.progressing, status: "True", reason: DeploymentCondition.Reason.newReplicaSetAvailable,
                message: "\(subject) has successfully progressed.", now: clock.now))
        } else if Self.isProgressing(previous, status: status) {
            var condition = DeploymentCondition.make(
                DeploymentCondition.progressing, status: "True", reason: DeploymentCondition.Reason.replicaSetUpdated,
                message: "\(subject) is progressing.", now: clock.now)
            if let current {
                if current.status == "True" { condition.lastTransitionTime = current.lastTransitionTime }
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
    func withCalculatedStatus(_ deployment: AppsV1.Deployment, sets: ReplicaSetSplit) -> AppsV1.Deployment {
        let all = sets.all
        let available = all.sum(\.availableReplicas)
        func nonZero(_ value: Int) -> Int32? { value == 0 ? nil : Int32(value) }
        let generation = deployment.metadata?.generation ?? 0
        let status = AppsV1.DeploymentStatus(
            availableReplicas: nonZero(available), collisionCount: deployment.status?.collisionCount,
            conditions: deployment.status?.conditions, observedGeneration: generation == 0 ? nil : generation,
            readyReplicas: nonZero(all.sum(\.readyReplicas)), replicas: nonZero(all.sum(\.statusReplicas)),
            unavailableReplicas: nonZero(max(all.specReplicaCount - available, 0)), updatedReplicas: nonZero(sets.new?.statusReplicas ?? 0))
        var updated = deployment
        updated.status = status
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
    static func isComplete(_ deployment: AppsV1.Deployment, status: AppsV1.DeploymentStatus?) -> Bool {
        let desired = Int32(deployment.specReplicas)
        return (status?.updatedReplicas ?? 0) == desired && (status?.replicas ?? 0) == desired
            && (status?.availableReplicas ?? 0) == desired
            && (status?.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0)
    }

    /// More updated, ready or available replicas, or fewer old ones, than the status reports
    /// (upstream's `DeploymentProgressing`).
    static func isProgressing(_ deployment: AppsV1.Deployment, status: AppsV1.DeploymentStatus?) -> Bool {
        let previous = deployment.status
        let updated = status?.updatedReplicas ?? 0
        let previousUpdated = previous?.updatedReplicas ?? 0
        return updated > previousUpdated
            || (status?.replicas ?? 0) - updated < (previous?.replicas ?? 0) - previousUpdated
            || (status?.readyReplicas ?? 0) > (previous?.readyReplicas ?? 0)
            || (status?.availableReplicas ?? 0) > (previous?.availableReplicas ?? 0)
    }

    /// Whether `Progressing` was last updated longer than the deadline ago (upstream's `DeploymentTimedOut`).
    private func isTimedOut(_ deployment: AppsV1.Deployment, deadline: Int64) -> Bool {
        guard let condition = deployment.condition(DeploymentCondition.progressing) else { return false }
        switch condition.reason {
        case DeploymentCondition.Reason.newReplicaSetAvailable: return false
        case DeploymentCondition.Reason.progressDeadlineExceeded: return true
        default: break
        }
        guard let updated = condition.lastUpdateTime else { return false }
        return updated.adding(seconds: deadline) < clock.now
    }

    /// The new set's `ReplicaFailure` condition, else an old set's (upstream's `getReplicaFailures`).
    static func replicaFailure(_ sets: ReplicaSetSplit) -> AppsV1.ReplicaSetCondition? {
        for replicaSet in (sets.new.map { [$0] } ?? []) + sets.old {
            if let failure = replicaSet.status?.conditions?.first(where: { $0.type == DeploymentCondition.replicaFailure }) { return failure }
        }
        return nil
    }

    /// When a rollout in progress is next checked against its deadline: just after the
    /// `Progressing` condition's update time plus the deadline (upstream's `requeueStuckDeployment`).
    private func requeueForDeadline(_ deployment: AppsV1.Deployment, status: AppsV1.DeploymentStatus?) -> ReconcileResult {
        guard let deadline = deployment.progressDeadlineSeconds, let condition = deployment.condition(DeploymentCondition.progressing),
            !Self.isComplete(deployment, status: status),
            condition.reason != DeploymentCondition.Reason.progressDeadlineExceeded,
            let updated = condition.lastUpdateTime
        else { return .done }
        let remaining = updated.adding(seconds: deadline).duration(since: clock.now)
        return remaining < .seconds(1) ? .requeue : .requeueAfter(remaining + .seconds(1))
    }
}
