import SkiffAPI
import SkiffClient
import SkiffModels

extension DeploymentSync {
    /// One step of a Recreate rollout (upstream's `rolloutRecreate`): scale every old set to
    /// zero, wait until none of their pods is left running, then create and scale up the new set.
    func rolloutRecreate(_ deployment: inout AppsV1.Deployment, _ owned: inout [AppsV1.ReplicaSet], selector: LabelSelector) async throws -> ReconcileResult {
        var sets = try await replicaSetsSyncingRevision(&deployment, &owned, create: false)
        var scaledDown = false
        for replicaSet in sets.old.active {
            let result = try await scale(replicaSet, to: 0, for: deployment)
            sets.replace(result.replicaSet)
            scaledDown = scaledDown || result.scaled
        }
        if scaledDown || oldPodsRunning(sets, namespace: deployment.namespace, selector: selector) {
            return try await syncRolloutStatus(&deployment, sets)
        }
        if sets.new == nil {
            sets = try await replicaSetsSyncingRevision(&deployment, &owned, create: true)
        }
        if let new = sets.new {
            let result = try await scale(new, to: deployment.specReplicas, for: deployment)
            sets.replace(result.replicaSet)
        }
        if Self.isComplete(deployment, status: deployment.status) {
            try await cleanUpHistory(of: deployment, old: sets.old)
        }
        return try await syncRolloutStatus(&deployment, sets)
    }

    /// Whether old sets still report pods, or pods they control are not finished (upstream's `oldPodsRunning`).
    private func oldPodsRunning(_ sets: ReplicaSetSplit, namespace: String, selector: LabelSelector) -> Bool {
        if sets.old.sum(\.statusReplicas) > 0 { return true }
        let oldUIDs = Set(sets.old.compactMap { $0.metadata?.uid })
        return pods.namespace(namespace).list(selector).contains { pod in
            guard let owner = pod.metadata?.controllerReference?.uid, oldUIDs.contains(owner) else { return false }
            return !pod.isFinished
        }
    }
}
