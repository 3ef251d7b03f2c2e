import SkiffAPI
import SkiffClient

extension DeploymentSync {
    /// Splits the owned sets into new and old, bringing the new set's revision (and the
    /// Deployment's) up to date, and creating the new set when asked (upstream's
    /// `getAllReplicaSetsAndSyncRevision`). Written sets replace their cached versions in `owned`.
    func replicaSetsSyncingRevision(_ deployment: inout JSONValue, _ owned: inout [JSONValue], create: Bool) async throws -> ReplicaSetSplit {
        var sets = ReplicaSetSplit(owned, deployment: deployment)
        sets.new = try await newReplicaSet(&deployment, existing: sets.new, old: sets.old, create: create)
        if let new = sets.new { owned.replace(new) }
        return sets
    }

    /// The new set with its revision brought up to date, or created when `create` (upstream's
    /// `getNewReplicaSet`).
    private func newReplicaSet(_ deployment: inout JSONValue, existing: JSONValue?, old: [JSONValue], create: Bool) async throws -> JSONValue? {
        let revision = (old.map(\.revision).max() ?? 0) + 1
        let maxSurge = RolloutBounds(deployment: deployment).maxSurge
        let minReadySeconds = deployment[path: "spec", "minReadySeconds"]?.intValue ?? 0
        if var replicaSet = existing {
            let annotated = ReplicaSetAnnotations.setForNewReplicaSet(
                &replicaSet, deployment: deployment, revision: revision, exists: true, maxSurge: maxSurge)
            if annotated || (replicaSet[path: "spec", "minReadySeconds"]?.intValue ?? 0) != minReadySeconds {
                replicaSet[path: "spec", "minReadySeconds"] = .int(minReadySeconds)
                return try await replicaSetClient.namespace(replicaSet.namespace ?? "").update(replicaSet)
            }
            try await setRevision(of: &deployment, to: replicaSet.annotations[DeploymentAnnotation.revision] ?? "")
            if deployment.progressDeadlineSeconds != nil, deployment.condition(DeploymentCondition.progressing) == nil {
                deployment.setCondition(DeploymentCondition.make(
                    DeploymentCondition.progressing, status: "True", reason: DeploymentCondition.Reason.foundNewReplicaSet,
                    message: "Found new replica set \"\(replicaSet.name ?? "")\"", now: clock.now))
                try await writeStatus(&deployment)
            }
            return replicaSet
        }
        guard create else { return nil }
        return try await createReplicaSet(&deployment, old: old, revision: revision, maxSurge: maxSurge, minReadySeconds: minReadySeconds)
    }

    /// Creates the set of the Deployment's current template; a name taken by a set that is not
    /// this template's bumps `status.collisionCount`, so the next hash differs.
    private func createReplicaSet(
        _ deployment: inout JSONValue, old: [JSONValue], revision: Int64, maxSurge: Int, minReadySeconds: Int64
    ) async throws -> JSONValue {
        let namespace = deployment.namespace ?? ""
        let template = deployment[path: "spec", "template"] ?? .emptyObject
        let hash = PodTemplateHash.compute(template, collisionCount: deployment[path: "status", "collisionCount"]?.intValue)
        var labeledTemplate = template
        labeledTemplate[path: "metadata", "labels", PodTemplateHash.label] = .string(hash)
        var selector = deployment[path: "spec", "selector"] ?? .emptyObject
        selector[path: "matchLabels", PodTemplateHash.label] = .string(hash)
        let name = "\(deployment.name ?? "")-\(hash)"
        var replicaSet: JSONValue = [
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": [
                "name": .string(name), "namespace": .string(namespace),
                "ownerReferences": [ControllerRefManager.controllerReference(to: deployment, apiVersion: "apps/v1", kind: "Deployment")],
            ],
            "spec": ["replicas": 0, "minReadySeconds": .int(minReadySeconds), "selector": selector, "template": labeledTemplate],
        ]
        replicaSet[path: "metadata", "labels"] = labeledTemplate[path: "metadata", "labels"]
        let replicas = Self.newReplicaSetReplicas(deployment, all: old + [replicaSet], new: replicaSet)
        replicaSet.specReplicas = replicas
        _ = ReplicaSetAnnotations.setForNewReplicaSet(&replicaSet, deployment: deployment, revision: revision, exists: false, maxSurge: maxSurge)
        let replicaSets = replicaSetClient.namespace(namespace)
        let created: JSONValue
        var alreadyExisted = false
        do {
            created = try await replicaSets.create(replicaSet)
        } catch let error as APIError where error.isAlreadyExists {
            let found = try await replicaSets.get(name)
            guard found.isControlled(by: deployment.uid ?? ""),
                PodTemplateHash.equalIgnoringHash(found[path: "spec", "template"], deployment[path: "spec", "template"])
            else {
                // A hash collision: the next attempt hashes with a higher count.
                let count = deployment[path: "status", "collisionCount"]?.intValue ?? 0
                deployment[path: "status", "collisionCount"] = .int(count + 1)
                try? await writeStatus(&deployment)
                throw error
            }
            created = found
            alreadyExisted = true
        } catch {
            let message = "Failed to create new replica set \"\(name)\": \(error)"
            if deployment.progressDeadlineSeconds != nil {
                deployment.setCondition(DeploymentCondition.make(
                    DeploymentCondition.progressing, status: "False", reason: DeploymentCondition.Reason.failedCreate, message: message, now: clock.now))
                try? await writeStatus(&deployment)
            }
            await record(deployment, type: .warning, reason: DeploymentCondition.Reason.failedCreate, message: message)
            throw error
        }
        if !alreadyExisted && replicas > 0 {
            await record(deployment, reason: "ScalingReplicaSet", message: "Scaled up replica set \(name) from 0 to \(replicas)")
        }
        try await setRevision(of: &deployment, to: String(revision))
        if !alreadyExisted && deployment.progressDeadlineSeconds != nil {
            deployment.setCondition(DeploymentCondition.make(
                DeploymentCondition.progressing, status: "True", reason: DeploymentCondition.Reason.newReplicaSetCreated,
                message: "Created new replica set \"\(name)\"", now: clock.now))
            try await writeStatus(&deployment)
        }
        return created
    }

    /// The new set's size in the next step (upstream's `NewRSNewReplicas`): the full count for
    /// Recreate; for a rolling update as many more as `maxSurge` allows over all sets, never
    /// beyond the desired count.
    static func newReplicaSetReplicas(_ deployment: JSONValue, all: [JSONValue], new: JSONValue) -> Int {
        let desired = deployment.specReplicas
        guard deployment.isRollingUpdate else { return desired }
        let maxTotal = desired + RolloutBounds(deployment: deployment).maxSurge
        let current = all.specReplicaCount
        guard current < maxTotal else { return new.specReplicas }
        return new.specReplicas + min(maxTotal - current, desired - new.specReplicas)
    }

    /// Sets the Deployment's `revision` annotation (a metadata patch guarded by its
    /// resourceVersion, since status writes keep metadata as it is).
    private func setRevision(of deployment: inout JSONValue, to revision: String) async throws {
        guard deployment.annotations[DeploymentAnnotation.revision] != revision else { return }
        let patch: JSONValue = [
            "metadata": ["annotations": [DeploymentAnnotation.revision: .string(revision)], "resourceVersion": .string(deployment.resourceVersion ?? "")],
        ]
        let patched = try await deploymentClient.namespace(deployment.namespace ?? "").patch(deployment.name ?? "", type: .merge, patch: patch)
        deployment.metadata = patched.metadata
    }
}
