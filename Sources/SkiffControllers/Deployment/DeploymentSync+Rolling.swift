import SkiffAPI
import SkiffClient
import SkiffModels

extension DeploymentSync {
    /// One step of a rolling update (upstream's `rolloutRolling`): scale the new set up within
    /// `maxSurge`, else scale old sets down within `maxUnavailable`; once complete, clean up
    /// history; then report the status.
    func rolloutRolling(_ deployment: inout AppsV1.Deployment, _ owned: inout [AppsV1.ReplicaSet]) async throws -> ReconcileResult {
        var sets = try await replicaSetsSyncingRevision(&deployment, &owned, create: true)
        guard let new = sets.new else { return try await syncRolloutStatus(&deployment, sets) }
        if try await reconcileNewReplicaSet(new, sets: &sets, deployment: deployment) {
            return try await syncRolloutStatus(&deployment, sets)
        }
        if try await reconcileOldReplicaSets(&sets, deployment: deployment) {
            return try await syncRolloutStatus(&deployment, sets)
        }
        if Self.isComplete(deployment, status: deployment.status) {
            try await cleanUpHistory(of: deployment, old: sets.old)
        }
        return try await syncRolloutStatus(&deployment, sets)
    }

    /// Scales the new set towards the desired replicas, as far as the surge allows.
    private func reconcileNewReplicaSet(_ new: AppsV1.ReplicaSet, sets: inout ReplicaSetSplit, deployment: AppsV1.Deployment) async throws -> Bool {
        let desired = deployment.specReplicas
        guard new.specReplicas != desired else { return false }
        let target = new.specReplicas > desired ? desired : Self.newReplicaSetReplicas(deployment, all: sets.all, new: new)
        let result = try await scale(new, to: target, for: deployment)
        sets.replace(result.replicaSet)
        return result.scaled
    }

    /// Scales old sets down: first their unavailable pods, then available ones as far as
    /// `maxUnavailable` allows (upstream's `reconcileOldReplicaSets`).
    private func reconcileOldReplicaSets(_ sets: inout ReplicaSetSplit, deployment: AppsV1.Deployment) async throws -> Bool {
        guard let new = sets.new, sets.old.active.specReplicaCount > 0 else { return false }
        let minAvailable = deployment.specReplicas - RolloutBounds(deployment: deployment).maxUnavailable
        let newUnavailable = new.specReplicas - new.availableReplicas
        let maxScaledDown = sets.all.specReplicaCount - minAvailable - newUnavailable
        guard maxScaledDown > 0 else { return false }
        let cleanedUp = try await cleanUpUnhealthyReplicas(&sets, deployment: deployment, maxCleanup: maxScaledDown)
        let scaledDown = try await scaleDownOldReplicaSets(&sets, deployment: deployment, minAvailable: minAvailable)
        return cleanedUp + scaledDown > 0
    }

    /// Removes old sets' unavailable replicas, oldest set first, at most `maxCleanup`
    /// (upstream's `cleanupUnhealthyReplicas`): they do not count towards availability.
    private func cleanUpUnhealthyReplicas(_ sets: inout ReplicaSetSplit, deployment: AppsV1.Deployment, maxCleanup: Int) async throws -> Int {
        var total = 0
        for replicaSet in sets.old.active.byCreation {
            guard total < maxCleanup else { break }
            let unavailable = replicaSet.specReplicas - replicaSet.availableReplicas
            guard unavailable > 0 else { continue }
            let count = min(maxCleanup - total, unavailable)
            let result = try await scale(replicaSet, to: replicaSet.specReplicas - count, for: deployment)
            sets.replace(result.replicaSet)
            total += count
        }
        return total
    }

    /// Scales old sets down, oldest first, by as many as are available beyond the minimum
    /// (upstream's `scaleDownOldReplicaSetsForRollingUpdate`).
    private func scaleDownOldReplicaSets(_ sets: inout ReplicaSetSplit, deployment: AppsV1.Deployment, minAvailable: Int) async throws -> Int {
        let available = sets.all.sum(\.availableReplicas)
        guard available > minAvailable else { return 0 }
        let wanted = available - minAvailable
        var total = 0
        for replicaSet in sets.old.active.byCreation {
            guard total < wanted else { break }
            let count = min(replicaSet.specReplicas, wanted - total)
            let result = try await scale(replicaSet, to: replicaSet.specReplicas - count, for: deployment)
            sets.replace(result.replicaSet)
            total += count
        }
        return total
    }
}
