import Logging
import SkiffAPI
import SkiffClient

/// One ReplicaSet brought in line with its spec: claim pods, create or delete the difference,
/// write the status.
struct ReplicaSetSync: Reconciler {
    let replicaSets: Lister
    let pods: Lister
    let client: KubernetesClient
    let expectations: ControllerExpectations
    let podControl: PodControl
    let burstReplicas: Int
    let clock: any TimestampClock

    private var replicaSetClient: ResourceClient<JSONValue> { client.dynamic.resource(.replicaSets) }

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        guard let replicaSet = replicaSets.get(key) else {
            expectations.delete(key)
            return .done
        }
        let selector: LabelSelector
        do {
            selector = try LabelSelector(selector: replicaSet[path: "spec", "selector"] ?? .null)
        } catch {
            throw TerminalError(error)
        }
        let canManage = expectations.isSatisfied(key)
        let active = pods.namespace(replicaSet.namespace ?? "").list().filter(\.isActivePod)
        let owned = try await ControllerRefManager.rereadingOwner(
            replicaSet, from: client.dynamic.resource(.replicaSets), reference: Self.controllerReference(to: replicaSet), selector: selector,
            dependents: client.dynamic.resource(.pods)
        ).claim(active)
        var manageError: (any Error)?
        if canManage, replicaSet.deletionTimestamp == nil {
            do {
                try await manage(owned, of: replicaSet, key: key, logger: logger)
            } catch {
                manageError = error
            }
        }
        let status = try await updateStatus(of: replicaSet, pods: owned)
        if let manageError { throw manageError }
        let minReadySeconds = replicaSet[path: "spec", "minReadySeconds"]?.intValue ?? 0
        if minReadySeconds > 0, status.ready != status.available { return .requeueAfter(.seconds(minReadySeconds)) }
        return .done
    }

    static func controllerReference(to replicaSet: JSONValue) -> JSONValue {
        ControllerRefManager.controllerReference(to: replicaSet, apiVersion: "apps/v1", kind: "ReplicaSet")
    }

    private static func reference(to replicaSet: JSONValue) -> ObjectReference {
        ObjectReference(
            apiVersion: "apps/v1", kind: "ReplicaSet", namespace: replicaSet.namespace ?? "", name: replicaSet.name ?? "",
            uid: replicaSet.uid ?? "", resourceVersion: replicaSet.resourceVersion ?? "")
    }

    // MARK: Creating and deleting

    private func manage(_ owned: [JSONValue], of replicaSet: JSONValue, key: String, logger: Logger) async throws {
        let desired = Int(replicaSet[path: "spec", "replicas"]?.intValue ?? 1)
        let difference = owned.count - desired
        if difference < 0 {
            try await create(min(-difference, burstReplicas), for: replicaSet, key: key, logger: logger)
        } else if difference > 0 {
            let victims = Array(PodDeletionOrder.sorted(owned, rank: PodRank.init).prefix(min(difference, burstReplicas)))
            try await delete(victims, of: replicaSet, key: key, logger: logger)
        }
    }

    private func create(_ count: Int, for replicaSet: JSONValue, key: String, logger: Logger) async throws {
        expectations.expect(key, adds: count)
        let pods = Array(repeating: Self.pod(from: replicaSet), count: count)
        try await podControl.create(pods, namespace: replicaSet.namespace ?? "", owner: Self.reference(to: replicaSet), key: key)
        logger.debug("created pods", metadata: ["count": "\(count)"])
    }

    private func delete(_ victims: [JSONValue], of replicaSet: JSONValue, key: String, logger: Logger) async throws {
        expectations.expect(key, deletes: victims.count)
        try await podControl.delete(victims, namespace: replicaSet.namespace ?? "", owner: Self.reference(to: replicaSet), key: key)
        logger.debug("deleted pods", metadata: ["count": "\(victims.count)"])
    }

    /// A pod of the set's template (upstream's `GetPodFromTemplate`).
    static func pod(from replicaSet: JSONValue) -> JSONValue {
        PodControl.pod(
            from: replicaSet[path: "spec", "template"] ?? .emptyObject,
            metadata: ["generateName": .string((replicaSet.name ?? "") + "-"), "ownerReferences": [controllerReference(to: replicaSet)]])
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
    private func updateStatus(of replicaSet: JSONValue, pods: [JSONValue]) async throws -> StatusCounts {
        let templateLabels = (replicaSet[path: "spec", "template", "metadata", "labels"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        let minReadySeconds = replicaSet[path: "spec", "minReadySeconds"]?.intValue ?? 0
        let now = clock.now
        var counts = StatusCounts(replicas: pods.count)
        for pod in pods {
            let labels = pod.labels
            if templateLabels.allSatisfy({ labels[$0.key] == $0.value }) { counts.fullyLabeled += 1 }
            if pod.isPodReady { counts.ready += 1 }
            if pod.isPodAvailable(minReadySeconds: minReadySeconds, now: now) { counts.available += 1 }
        }
        let replicaSets = replicaSetClient.namespace(replicaSet.namespace ?? "")
        try await StatusWriter.write(replicaSet, through: replicaSets) { Self.write(counts, observedGeneration: $1, into: &$0) }
        return counts
    }

    /// Sets the status fields, leaving out zero counts as upstream's `omitempty` does.
    private static func write(_ counts: StatusCounts, observedGeneration: Int64, into replicaSet: inout JSONValue) {
        var status = replicaSet["status"] ?? .emptyObject
        status["replicas"] = .int(Int64(counts.replicas))
        for (field, value) in [
            ("fullyLabeledReplicas", counts.fullyLabeled), ("readyReplicas", counts.ready), ("availableReplicas", counts.available),
        ] {
            status[field] = value == 0 ? nil : .int(Int64(value))
        }
        status["observedGeneration"] = .int(observedGeneration)
        replicaSet["status"] = status
    }
}
