import SkiffAPI
import SkiffClient
import SkiffModels

extension DeploymentSync {
    /// A set written by a scaling step, and whether its size changed.
    struct ScaleResult {
        var scaled: Bool
        var replicaSet: AppsV1.ReplicaSet
    }

    /// Scales a set to `replicas` (upstream's `scaleReplicaSetAndRecordEvent`).
    func scale(_ replicaSet: AppsV1.ReplicaSet, to replicas: Int, for deployment: AppsV1.Deployment) async throws -> ScaleResult {
        guard replicaSet.specReplicas != replicas else { return ScaleResult(scaled: false, replicaSet: replicaSet) }
        return try await scale(replicaSet, to: replicas, for: deployment, operation: replicaSet.specReplicas < replicas ? "up" : "down")
    }

    /// Writes the set's size and replicas annotations when either is out of date, recording
    /// `ScalingReplicaSet` for a size change (upstream's `scaleReplicaSet`).
    func scale(
        _ replicaSet: AppsV1.ReplicaSet, to replicas: Int, for deployment: AppsV1.Deployment, operation: String
    ) async throws -> ScaleResult {
        let desired = deployment.specReplicas
        let maxReplicas = desired + RolloutBounds(deployment: deployment).maxSurge
        let resizing = replicaSet.specReplicas != replicas
        guard resizing || ReplicaSetAnnotations.replicasNeedUpdate(replicaSet, desired: desired, max: maxReplicas) else {
            return ScaleResult(scaled: false, replicaSet: replicaSet)
        }
        var updated = replicaSet
        updated.specReplicas = replicas
        ReplicaSetAnnotations.setReplicas(&updated, desired: desired, max: maxReplicas)
        let written = try await replicaSetClient.namespace(replicaSet.namespace).update(updated)
        if resizing {
            await record(
                deployment, reason: "ScalingReplicaSet",
                message: "Scaled \(operation) replica set \(replicaSet.name) from \(replicaSet.specReplicas) to \(replicas)")
        }
        return ScaleResult(scaled: resizing, replicaSet: written)
    }

    /// Deletes the oldest revisions beyond `revisionHistoryLimit` among the old sets, skipping
    /// any that still have or may have pods (upstream's `cleanupDeployment`).
    func cleanUpHistory(of deployment: AppsV1.Deployment, old: [AppsV1.ReplicaSet]) async throws {
        guard let limit = deployment.revisionHistoryLimit else { return }
        let cleanable = old.filter { !$0.isBeingDeleted }
        let excess = cleanable.count - limit
        guard excess > 0 else { return }
        let oldestFirst = cleanable.sorted { left, right in
            left.revision == right.revision ? AppsV1.ReplicaSet.createdBefore(left, right) : left.revision < right.revision
        }
        for replicaSet in oldestFirst.prefix(excess) {
            let observed = replicaSet.status?.observedGeneration ?? 0
            guard replicaSet.statusReplicas == 0, replicaSet.specReplicas == 0, (replicaSet.metadata?.generation ?? 0) <= observed else { continue }
            do {
                try await replicaSetClient.namespace(replicaSet.namespace).delete(
                    replicaSet.name, options: DeleteOptions(preconditions: .init(uid: replicaSet.metadata?.uid)))
            } catch let error as APIError where error.isNotFound {
                continue
            }
        }
    }
}
