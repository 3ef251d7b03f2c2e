import SkiffAPI
import SkiffClient
import SkiffModels

extension DeploymentSync {
    /// Splits the owned sets into new and old, bringing the new set's revision (and the
    /// Deployment's) up to date, and creating the new set when asked (upstream's
    /// `getAllReplicaSetsAndSyncRevision`). Written sets replace their cached versions in `owned`.
    func replicaSetsSyncingRevision(
        _ deployment: inout AppsV1.Deployment, _ owned: inout [AppsV1.ReplicaSet], create: Bool
    ) async throws -> ReplicaSetSplit {
        var sets = ReplicaSetSplit(owned, deployment: deployment)
        sets.new = try await newReplicaSet(&deployment, existing: sets.new, old: sets.old, create: create)
        if let new = sets.new { owned.replace(new) }
        return sets
    }

    /// The new set with its revision brought up to date, or created when `create` (upstream's
    /// `getNewReplicaSet`).
    private func newReplicaSet(
        _ deployment: inout AppsV1.Deployment, existing: AppsV1.ReplicaSet?, old: [AppsV1.ReplicaSet], create: Bool
    ) async throws -> AppsV1.ReplicaSet? {
        let revision = (old.map(\.revision).max() ?? 0) + 1
        let maxSurge = RolloutBounds(deployment: deployment).maxSurge
        let minReadySeconds = deployment.spec?.minReadySeconds ?? 0
        if var replicaSet = existing {
            let annotated = ReplicaSetAnnotations.setForNewReplicaSet(
                &replicaSet, deployment: deployment, revision: revision, exists: true, maxSurge: maxSurge)
            if annotated || (replicaSet.spec?.minReadySeconds ?? 0) != minReadySeconds {
                replicaSet.spec?.minReadySeconds = minReadySeconds
                return try await replicaSetClient.namespace(replicaSet.namespace).update(replicaSet)
            }
            try await setRevision(of: &deployment, to: replicaSet.metadata?.annotations?[DeploymentAnnotation.revision] ?? "")
            if deployment.progressDeadlineSeconds != nil, deployment.condition(DeploymentCondition.progressing) == nil {
                deployment.setCondition(DeploymentCondition.make(
                    DeploymentCondition.progressing, status: "True", reason: DeploymentCondition.Reason.foundNewReplicaSet,
                    message: "Found new replica set \"\(replicaSet.name)\"", now: clock.now))
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
        _ deployment: inout AppsV1.Deployment, old: [AppsV1.ReplicaSet], revision: Int64, maxSurge: Int, minReadySeconds: Int32
    ) async throws -> AppsV1.ReplicaSet {
        let namespace = deployment.namespace
        let template = deployment.spec?.template
        let hash = PodTemplateHash.compute(template, collisionCount: deployment.status?.collisionCount.map(Int64.init))
        var labeledTemplate = template ?? CoreV1.PodTemplateSpec()
        var templateMetadata = labeledTemplate.metadata ?? ObjectMeta()
        templateMetadata.labels = (templateMetadata.labels ?? [:]).merging([PodTemplateHash.label: hash]) { _, new in new }
        labeledTemplate.metadata = templateMetadata
        var selector = deployment.spec?.selector ?? MetaV1.LabelSelector()
        selector.matchLabels = (selector.matchLabels ?? [:]).merging([PodTemplateHash.label: hash]) { _, new in new }
        let name = "\(deployment.name)-\(hash)"
        var replicaSet = AppsV1.ReplicaSet(
            metadata: ObjectMeta(name: name, namespace: namespace, labels: templateMetadata.labels, ownerReferences: [.controller(of: deployment)]),
            spec: AppsV1.ReplicaSetSpec(minReadySeconds: minReadySeconds, replicas: 0, selector: selector, template: labeledTemplate))
        let replicas = Self.newReplicaSetReplicas(deployment, all: old + [replicaSet], new: replicaSet)
        replicaSet.specReplicas = replicas
        _ = ReplicaSetAnnotations.setForNewReplicaSet(&replicaSet, deployment: deployment, revision: revision, exists: false, maxSurge: maxSurge)
        let replicaSets = replicaSetClient.namespace(namespace)
        let created: AppsV1.ReplicaSet
        var alreadyExisted = false
        do {
            created = try await replicaSets.create(replicaSet)
        } catch let error as APIError where error.isAlreadyExists {
            let found = try await replicaSets.get(name)
            guard found.isControlled(by: deployment), PodTemplateHash.equalIgnoringHash(found.spec?.template, deployment.spec?.template)
            else {
                // A hash collision: the next attempt hashes with a higher count.
                var status = deployment.status ?? AppsV1.DeploymentStatus()
                status.collisionCount = (status.collisionCount ?? 0) + 1
                deployment.status = status
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
    static func newReplicaSetReplicas(_ deployment: AppsV1.Deployment, all: [AppsV1.ReplicaSet], new: AppsV1.ReplicaSet) -> Int {
        let desired = deployment.specReplicas
        guard deployment.isRollingUpdate else { return desired }
        let maxTotal = desired + RolloutBounds(deployment: deployment).maxSurge
        let current = all.specReplicaCount
        guard current < maxTotal else { return new.specReplicas }
        return new.specReplicas + min(maxTotal - current, desired - new.specReplicas)
    }

    /// Sets the Deployment's `revision` annotation with an update of the object as read (so a
    /// stale copy conflicts), as upstream's controller does; its role may update deployments,
    /// not patch them.
    private func setRevision(of deployment: inout AppsV1.Deployment, to revision: String) async throws {
        guard deployment.metadata?.annotations?[DeploymentAnnotation.revision] != revision else { return }
        var annotated = deployment
        annotated.metadata?.annotations = (deployment.metadata?.annotations ?? [:]).merging([DeploymentAnnotation.revision: revision]) { $1 }
        let written = try await deploymentClient.namespace(deployment.namespace).update(annotated)
        deployment.metadata = written.metadata
    }
}
