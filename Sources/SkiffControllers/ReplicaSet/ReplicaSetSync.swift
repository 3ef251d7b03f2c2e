import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// One ReplicaSet (or ReplicationController) brought in line with its spec: claim pods, create
/// or delete the difference, write the status.
struct ReplicaSetSync<ReplicaSet: ReplicatedWorkload>: Reconciler {
    let replicaSets: TypedLister<ReplicaSet>
    /// The sets' resource, in every namespace.
    let replicaSetClient: ResourceClient<ReplicaSet>
    let pods: TypedLister<CoreV1.Pod>
    let client: KubernetesClient
    let expectations: ControllerExpectations
    let podControl: PodControl
    let burstReplicas: Int
    let clock: any TimestampClock

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        guard let replicaSet = replicaSets.get(key: key) else {
            expectations.delete(key)
            return .done
        }
        let selector: LabelSelector
        do {
            selector = try LabelSelector(replicaSet.labelSelector)
        } catch {
            throw TerminalError(error)
        }
        let canManage = expectations.isSatisfied(key)
        let active = pods.namespace(replicaSet.namespace).claimable(by: replicaSet.metadata?.uid ?? "").filter(\.isActive)
        let owned = try await ControllerRefManager.rereadingOwner(
            replicaSet, from: replicaSetClient, selector: selector, dependents: client.core.v1.pods()
        ).claim(active)
        var manageError: (any Error)?
        if canManage, !replicaSet.isBeingDeleted {
            do {
                try await manage(owned, of: replicaSet, key: key, logger: logger)
            } catch {
                manageError = error
            }
        }
        let status = try await updateStatus(of: replicaSet, pods: owned, manageError: manageError)
        if let manageError { throw manageError }
        let minReadySeconds = replicaSet.minReadySeconds
        if minReadySeconds > 0, status.ready != status.available { return .requeueAfter(.seconds(minReadySeconds)) }
        return .done
    }

    // MARK: Creating and deleting

    private func manage(_ owned: [CoreV1.Pod], of replicaSet: ReplicaSet, key: String, logger: Logger) async throws {
        let difference = owned.count - replicaSet.desiredReplicas
        if difference < 0 {
            try await create(min(-difference, burstReplicas), for: replicaSet, key: key, logger: logger)
        } else if difference > 0 {
            let victims = Array(PodDeletionOrder.sorted(owned).prefix(min(difference, burstReplicas)))
            try await delete(victims, of: replicaSet, key: key, logger: logger)
        }
    }

    private func create(_ count: Int, for replicaSet: ReplicaSet, key: String, logger: Logger) async throws {
        expectations.expect(key, adds: count)
        let pods = Array(repeating: Self.pod(from: replicaSet), count: count)
        try await podControl.create(pods, namespace: replicaSet.namespace, owner: ObjectReference(replicaSet), key: key)
        logger.debug("created pods", metadata: ["count": "\(count)"])
    }

    private func delete(_ victims: [CoreV1.Pod], of replicaSet: ReplicaSet, key: String, logger: Logger) async throws {
        expectations.expect(key, deletes: victims.count)
        try await podControl.delete(victims, namespace: replicaSet.namespace, owner: ObjectReference(replicaSet), key: key)
        logger.debug("deleted pods", metadata: ["count": "\(victims.count)"])
    }

    /// A pod of the set's template (upstream's `GetPodFromTemplate`).
    static func pod(from replicaSet: ReplicaSet) -> CoreV1.Pod {
        PodControl.pod(
            from: replicaSet.podTemplate, metadata: ObjectMeta(generateName: replicaSet.name + "-", ownerReferences: [.controller(of: replicaSet)]))
    }

    // MARK: Status

    /// The counts a ReplicaSet's status reports.
    struct StatusCounts: Hashable {
        var replicas = 0
        var fullyLabeled = 0
        var ready = 0
        var available = 0
    }

    /// Writes the status when it changed (upstream's `calculateStatus` and
    /// `updateReplicaSetStatus`): the counts, and a `ReplicaFailure` condition while creating
    /// or deleting pods fails (`FailedCreate`/`FailedDelete`, the error's message), removed once
    /// a sync manages without error.
    private func updateStatus(of replicaSet: ReplicaSet, pods: [CoreV1.Pod], manageError: (any Error)?) async throws -> StatusCounts {
        let templateLabels = replicaSet.podTemplate?.metadata?.labels ?? [:]
        let minReadySeconds = replicaSet.minReadySeconds
        let now = clock.now
        var counts = StatusCounts(replicas: pods.count)
        for pod in pods {
            let labels = pod.metadata?.labels ?? [:]
            if templateLabels.allSatisfy({ labels[$0.key] == $0.value }) { counts.fullyLabeled += 1 }
            if pod.isReady { counts.ready += 1 }
            if pod.isAvailable(minReadySeconds: minReadySeconds, now: now) { counts.available += 1 }
        }
        let failure = manageError.map { error in
            ReplicaSet.Status.Condition(
                lastTransitionTime: now, message: (error as? APIError)?.message ?? "\(error)",
                reason: pods.count < replicaSet.desiredReplicas ? "FailedCreate" : "FailedDelete", status: "True", type: Self.replicaFailure)
        }
        try await StatusWriter.write(replicaSet, through: replicaSetClient.namespace(replicaSet.namespace)) {
            Self.write(counts, failure: failure, observedGeneration: $1, into: &$0)
        }
        return counts
    }

    static var replicaFailure: String { "ReplicaFailure" }

    /// Sets the status fields, leaving out zero counts as upstream's `omitempty` does; a failure
    /// is added when there is none yet, and an existing one removed when there is no failure.
    private static func write(
        _ counts: StatusCounts, failure: ReplicaSet.Status.Condition?, observedGeneration: Int64, into replicaSet: inout ReplicaSet
    ) {
        func nonZero(_ value: Int) -> Int32? { value == 0 ? nil : Int32(value) }
        var status = replicaSet.status ?? ReplicaSet.Status(
            availableReplicas: nil, conditions: nil, fullyLabeledReplicas: nil, observedGeneration: nil, readyReplicas: nil, replicas: 0)
        status.replicas = Int32(counts.replicas)
        status.fullyLabeledReplicas = nonZero(counts.fullyLabeled)
        status.readyReplicas = nonZero(counts.ready)
        status.availableReplicas = nonZero(counts.available)
        status.observedGeneration = observedGeneration
        let conditions = status.conditions ?? []
        let hasFailure = conditions.contains { $0.type == replicaFailure }
        if let failure, !hasFailure {
            status.conditions = conditions + [failure]
        } else if failure == nil, hasFailure {
            let kept = conditions.filter { $0.type != replicaFailure }
            status.conditions = kept.isEmpty ? nil : kept
        }
        replicaSet.status = status
    }
}
