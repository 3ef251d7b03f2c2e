import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// One Deployment brought in line with its spec (upstream's `syncDeployment`): claim its
/// ReplicaSets, then report status only (being deleted), scale only (paused, or the replicas
/// changed), or roll out with the strategy. The Deployment is passed `inout` through the
/// steps: each write replaces it with the server's answer, as upstream reuses its copy.
struct DeploymentSync: Reconciler {
    let deployments: TypedLister<AppsV1.Deployment>
    let replicaSets: TypedLister<AppsV1.ReplicaSet>
    let pods: TypedLister<CoreV1.Pod>
    let client: KubernetesClient
    let recorder: EventRecorder
    /// The time conditions are stamped with and deadlines are measured against.
    let clock: any TimestampClock

    var deploymentClient: ResourceClient<AppsV1.Deployment> { client.apps.v1.deployments() }
    var replicaSetClient: ResourceClient<AppsV1.ReplicaSet> { client.apps.v1.replicaSets() }

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        guard var deployment = deployments.get(key: key) else { return .done }
        let selector: LabelSelector
        do {
            selector = try LabelSelector(deployment.spec?.selector)
        } catch {
            throw TerminalError(error)
        }
        if selector.isEverything {
            await record(deployment, type: .warning, reason: "SelectingAll",
                         message: "This deployment is selecting all pods. A non-empty selector is required.")
            let generation = deployment.metadata?.generation ?? 0
            if (deployment.status?.observedGeneration ?? 0) < generation {
                var status = deployment.status ?? AppsV1.DeploymentStatus()
                status.observedGeneration = generation
                deployment.status = status
                try await writeStatus(&deployment)
            }
            return .done
        }
        var owned = try await claimReplicaSets(of: deployment, selector: selector)
        if deployment.isBeingDeleted {
            let sets = try await replicaSetsSyncingRevision(&deployment, &owned, create: false)
            try await syncStatus(&deployment, sets)
            return .done
        }
        try await checkPausedCondition(&deployment)
        if deployment.isPaused {
            try await syncScaling(&deployment, &owned)
            return .done
        }
        if try await isScalingEvent(&deployment, &owned) {
            try await syncScaling(&deployment, &owned)
            return .done
        }
        if deployment.isRollingUpdate {
            return try await rolloutRolling(&deployment, &owned)
        }
        return try await rolloutRecreate(&deployment, &owned, selector: selector)
    }

    // MARK: Claiming

    /// The ReplicaSets the Deployment owns, after adopting and releasing (upstream's
    /// `getReplicaSetsForDeployment`).
    private func claimReplicaSets(of deployment: AppsV1.Deployment, selector: LabelSelector) async throws -> [AppsV1.ReplicaSet] {
        let manager = ControllerRefManager.rereadingOwner(deployment, from: deploymentClient, selector: selector, dependents: replicaSetClient)
        return try await manager.claim(replicaSets.namespace(deployment.namespace).list())
    }

    // MARK: Pausing and scaling

    /// Records pausing and resuming in the `Progressing` condition, unless the deadline has
    /// already been exceeded (upstream's `checkPausedConditions`).
    private func checkPausedCondition(_ deployment: inout AppsV1.Deployment) async throws {
        guard deployment.progressDeadlineSeconds != nil else { return }
        let reason = deployment.condition(DeploymentCondition.progressing)?.reason
        guard reason != DeploymentCondition.Reason.progressDeadlineExceeded else { return }
        let pausedRecorded = reason == DeploymentCondition.Reason.paused
        let condition: AppsV1.DeploymentCondition
        if deployment.isPaused && !pausedRecorded {
            condition = DeploymentCondition.make(
                DeploymentCondition.progressing, status: "Unknown", reason: DeploymentCondition.Reason.paused,
                message: "Deployment is paused", now: clock.now)
        } else if !deployment.isPaused && pausedRecorded {
            condition = DeploymentCondition.make(
                DeploymentCondition.progressing, status: "Unknown", reason: DeploymentCondition.Reason.resumed,
                message: "Deployment is resumed", now: clock.now)
        } else {
            return
        }
        deployment.setCondition(condition)
        try await writeStatus(&deployment)
    }

    /// Whether an active ReplicaSet was sized for another replica count than the Deployment's:
    /// the Deployment was scaled (upstream's `isScalingEvent`).
    private func isScalingEvent(_ deployment: inout AppsV1.Deployment, _ owned: inout [AppsV1.ReplicaSet]) async throws -> Bool {
        let sets = try await replicaSetsSyncingRevision(&deployment, &owned, create: false)
        let desired = deployment.specReplicas
        return sets.all.active.contains { replicaSet in
            replicaSet.metadata?.annotations?[DeploymentAnnotation.desiredReplicas].flatMap { Int($0) }.map { $0 != desired } ?? false
        }
    }

    /// Scales without rolling out, cleans up history while paused, and reports the status
    /// (upstream's `sync`).
    private func syncScaling(_ deployment: inout AppsV1.Deployment, _ owned: inout [AppsV1.ReplicaSet]) async throws {
        var sets = try await replicaSetsSyncingRevision(&deployment, &owned, create: false)
        try await scale(deployment, &sets)
        if deployment.isPaused {
            try await cleanUpHistory(of: deployment, old: sets.old)
        }
        try await syncStatus(&deployment, sets)
    }

    /// Brings the sets' sizes to the Deployment's replicas: all of them to the only active (or
    /// latest) set, old sets to zero once the new one is saturated, otherwise proportionally
    /// while rolling (upstream's `scale`).
    private func scale(_ deployment: AppsV1.Deployment, _ sets: inout ReplicaSetSplit) async throws {
        let desired = deployment.specReplicas
        if let target = sets.activeOrLatest {
            guard target.specReplicas != desired else { return }
            let result = try await scale(target, to: desired, for: deployment)
            sets.replace(result.replicaSet)
            return
        }
        if let new = sets.new, Self.isSaturated(new, deployment: deployment) {
            for old in sets.old.active {
                let result = try await scale(old, to: 0, for: deployment)
                sets.replace(result.replicaSet)
            }
            return
        }
        guard deployment.isRollingUpdate else { return }
        let plan = ProportionalScaling.plan(
            sets.all.active, desired: desired, maxSurge: RolloutBounds(deployment: deployment).maxSurge,
            currentReplicas: Int(deployment.status?.replicas ?? 0))
        for resize in plan.resizes {
            let result = try await scale(resize.replicaSet, to: resize.replicas, for: deployment, operation: plan.operation)
            sets.replace(result.replicaSet)
        }
    }

    /// Whether the set runs all the Deployment's replicas, all available (upstream's `IsSaturated`).
    static func isSaturated(_ replicaSet: AppsV1.ReplicaSet, deployment: AppsV1.Deployment) -> Bool {
        let desired = deployment.specReplicas
        return replicaSet.metadata?.annotations?[DeploymentAnnotation.desiredReplicas] == String(desired)
            && replicaSet.specReplicas == desired && replicaSet.availableReplicas == desired
    }

    // MARK: Writing

    /// Writes the Deployment's status (guarded by its resourceVersion) and takes the answer.
    func writeStatus(_ deployment: inout AppsV1.Deployment) async throws {
        deployment = try await deploymentClient.namespace(deployment.namespace).updateStatus(deployment)
    }

    /// Records an event about the Deployment.
    func record(_ deployment: AppsV1.Deployment, type: EventType = .normal, reason: String, message: String) async {
        await recorder.record(ObjectReference(deployment), type: type, reason: reason, message: message)
    }
}
