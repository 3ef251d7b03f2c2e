import SkiffAPI
import SkiffClient

extension DeploymentSync {
    /// A set written by a scaling step, and whether its size changed.
    struct ScaleResult {
        var scaled: Bool
        var replicaSet: JSONValue
    }

    /// Scales a set to `replicas` (upstream's `scaleReplicaSetAndRecordEvent`).
    func scale(_ replicaSet: JSONValue, to replicas: Int, for deployment: JSONValue) async throws -> ScaleResult {
        guard replicaSet.specReplicas != replicas else { return ScaleResult(scaled: false, replicaSet: replicaSet) }
        return try await scale(replicaSet, to: replicas, for: deployment, operation: replicaSet.specReplicas < replicas ? "up" : "down")
    }

    /// Writes the set's size and replicas annotations when either is out of date, recording
    /// `ScalingReplicaSet` for a size change (upstream's `scaleReplicaSet`).
    func scale(_ replicaSet: JSONValue, to replicas: Int, for deployment: JSONValue, operation: String) async throws -> ScaleResult {
        let desired = deployment.specReplicas
        let maxReplicas = desired + RolloutBounds(deployment: deployment).maxSurge
        let resizing = replicaSet.specReplicas != replicas
        guard resizing || ReplicaSetAnnotations.replicasNeedUpdate(replicaSet, desired: desired, max: maxReplicas) else {
            return ScaleResult(scaled: false, replicaSet: replicaSet)
        }
        var updated = replicaSet
        updated.specReplicas = replicas
        ReplicaSetAnnotations.setReplicas(&updated, desired: desired, max: maxReplicas)
        let written = try await replicaSetClient.namespace(replicaSet.namespace ?? "").update(updated)
        if resizing {
            await record(
                deployment, reason: "ScalingReplicaSet",
                message: "Scaled \(operation) replica set \(replicaSet.name ?? "") from \(replicaSet.specReplicas) to \(replicas)")
        }
        return ScaleResult(scaled: resizing, replicaSet: written)
    }

    /// Deletes the oldest revisions beyond `revisionHistoryLimit` among the old sets, skipping
    /// any that still have or may have pods (upstream's `cleanupDeployment`).
    func cleanUpHistory(of deployment: JSONValue, old: [JSONValue]) async throws {
        guard let limit = deployment.revisionHistoryLimit else { return }
        let cleanable = old.filter { $0.deletionTimestamp == nil }
        let excess = cleanable.count - limit
        guard excess > 0 else { return }
        let oldestFirst = cleanable.sorted { left, right in
            left.revision == right.revision ? JSONValue.createdBefore(left, right) : left.revision < right.revision
        }
        for replicaSet in oldestFirst.prefix(excess) {
            let observed = replicaSet[path: "status", "observedGeneration"]?.intValue ?? 0
            guard replicaSet.statusCount("replicas") == 0, replicaSet.specReplicas == 0, (replicaSet.generation ?? 0) <= observed else { continue }
            do {
                try await replicaSetClient.namespace(replicaSet.namespace ?? "").delete(
                    replicaSet.name ?? "", options: DeleteOptions(preconditions: .init(uid: replicaSet.uid)))
            } catch let error as APIError where error.isNotFound {
                continue
            }
        }
    }
}
