import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// One ReplicaSet brought in line with its spec: claim pods, create or delete the difference,
/// write the status.
struct ReplicaSetSync: Reconciler {
    let replicaSets: TypedLister<AppsV1.ReplicaSet>
    let pods: TypedLister<CoreV1.Pod>
    let client: KubernetesClient
    let expectations: ControllerExpectations
    let podControl: PodControl
    let burstReplicas: Int
    let clock: any TimestampClock

    private var replicaSetClient: ResourceClient<AppsV1.ReplicaSet> { client.apps.v1.replicaSets() }

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        guard let replicaSet = replicaSets.get(key: key) else {
            expectations.delete(key)
            return .done
        }
        let selector: LabelSelector
        do {
            selector = try LabelSelector(replicaSet.spec?.selector)
        } catch {
            throw TerminalError(error)
        }
        let canManage = expectations.isSatisfied(key)
        let active = pods.namespace(replicaSet.namespace).list().filter(\.isActive)
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
        let status = try await updateStatus(of: replicaSet, pods: owned)
        if let manageError { throw manageError }
        let minReadySeconds = Int64(replicaSet.spec?.minReadySeconds ?? 0)
        if minReadySeconds > 0, status.ready != status.available { return .requeueAfter(.seconds(minReadySeconds)) }
        return .done
    }

    // MARK: Creating and deleting

    private func manage(_ owned: [CoreV1.Pod], of replicaSet: AppsV1.ReplicaSet, key: String, logger: Logger) async throws {
        let desired = Int(replicaSet.spec?.replicas ?? 1)
        let difference = owned.count - desired
        if difference < 0 {
            try await create(min(-difference, burstReplicas), for: replicaSet, key: key, logger: logger)
        } else if difference > 0 {
            let victims = Array(PodDeletionOrder.sorted(owned).prefix(min(difference, burstReplicas)))
            try await delete(victims, of: replicaSet, key: key, logger: logger)
        }
    }

    private func create(_ count: Int, for replicaSet: AppsV1.ReplicaSet, key: String, logger: Logger) async throws {
        expectations.expect(key, adds: count)
        let pods = Array(repeating: Self.pod(from: replicaSet), count: count)
        try await podControl.create(pods, namespace: replicaSet.namespace, owner: ObjectReference(replicaSet), key: key)
        logger.debug("created pods", metadata: ["count": "\(count)"])
    }

    private func delete(_ victims: [CoreV1.Pod], of replicaSet: AppsV1.ReplicaSet, key: String, logger: Logger) async throws {
        expectations.expect(key, deletes: victims.count)
        try await podControl.delete(victims, namespace: replicaSet.namespace, owner: ObjectReference(replicaSet), key: key)
        logger.debug("deleted pods", metadata: ["count": "\(victims.count)"])
    }

    /// A pod of the set's template (upstream's `GetPodFromTemplate`).
    static func pod(from replicaSet: AppsV1.ReplicaSet) -> CoreV1.Pod {
        PodControl.pod(
            from: replicaSet.spec?.template, metadata: ObjectMeta(generateName: replicaSet.name + "-", ownerReferences: [.controller(of: replicaSet)]))
    }

    // MARK: Status

    /// The counts a ReplicaSet's status reports.
    struct StatusCounts: Hashable {
        var replicas = 0
        var fullyLabeled = 0
        var ready = 0
        var available = 0
    }

    /// Writes the status when it changed (upstream's `updateReplicaSetStatus`).
    private func updateStatus(of replicaSet: AppsV1.ReplicaSet, pods: [CoreV1.Pod]) async throws -> StatusCounts {
        let templateLabels = replicaSet.spec?.template?.metadata?.labels ?? [:]
        let minReadySeconds = Int64(replicaSet.spec?.minReadySeconds ?? 0)
        let now = clock.now
        var counts = StatusCounts(replicas: pods.count)
        for pod in pods {
            let labels = pod.metadata?.labels ?? [:]
            if templateLabels.allSatisfy({ labels[$0.key] == $0.value }) { counts.fullyLabeled += 1 }
            if pod.isReady { counts.ready += 1 }
            if pod.isAvailable(minReadySeconds: minReadySeconds, now: now) { counts.available += 1 }
        }
        try await StatusWriter.write(replicaSet, through: replicaSetClient.namespace(replicaSet.namespace)) {
            Self.write(counts, observedGeneration: $1, into: &$0)
        }
        return counts
    }

    /// Sets the status fields, leaving out zero counts as upstream's `omitempty` does.
    private static func write(_ counts: StatusCounts, observedGeneration: Int64, into replicaSet: inout AppsV1.ReplicaSet) {
        func nonZero(_ value: Int) -> Int32? { value == 0 ? nil : Int32(value) }
        var status = replicaSet.status ?? AppsV1.ReplicaSetStatus(replicas: 0)
        status.replicas = Int32(counts.replicas)
        status.fullyLabeledReplicas = nonZero(counts.fullyLabeled)
        status.readyReplicas = nonZero(counts.ready)
        status.availableReplicas = nonZero(counts.available)
        status.observedGeneration = observedGeneration
        replicaSet.status = status
    }
}
