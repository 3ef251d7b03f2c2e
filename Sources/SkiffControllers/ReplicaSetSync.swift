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
    let recorder: EventRecorder
    let burstReplicas: Int

    private var podClient: ResourceClient<JSONValue> { client.dynamic.resource(.pods) }
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
        let owned = try await claim(active, for: replicaSet, selector: selector)
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

    // MARK: Claiming

    /// The pods the set owns after adopting matching orphans and releasing owned pods that no
    /// longer match (upstream's `ClaimPods`).
    private func claim(_ candidates: [JSONValue], for replicaSet: JSONValue, selector: LabelSelector) async throws -> [JSONValue] {
        let namespace = replicaSet.namespace ?? ""
        let replicaSetClient = replicaSetClient
        let manager = ControllerRefManager(
            controller: replicaSet, reference: Self.controllerReference(to: replicaSet), selector: selector,
            dependents: podClient.namespace(namespace),
            canAdopt: {
                // Adopt only for a set that still exists as cached (upstream's `canAdopt` check).
                let latest = try await replicaSetClient.namespace(namespace).get(replicaSet.name ?? "")
                return latest.uid == replicaSet.uid && latest.deletionTimestamp == nil
            })
        return try await manager.claim(candidates)
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
            let victims = Array(PodDeletionOrder.sorted(owned).prefix(min(difference, burstReplicas)))
            try await delete(victims, of: replicaSet, key: key, logger: logger)
        }
    }

    /// Creates `count` pods in slow-start batches.
    private func create(_ count: Int, for replicaSet: JSONValue, key: String, logger: Logger) async throws {
        expectations.expect(key, adds: count)
        let pods = Array(repeating: Self.pod(from: replicaSet), count: count)
        let result = await SlowStartCreation.create(
            pods, in: podClient.namespace(replicaSet.namespace ?? ""), owner: Self.reference(to: replicaSet), recorder: recorder)
        if let failure = result.error {
            // Neither the failed creations nor the skipped ones will be observed.
            for _ in 0..<(count - result.created) { expectations.creationObserved(key) }
            throw failure
        }
        logger.debug("created pods", metadata: ["count": "\(count)"])
    }

    private func delete(_ victims: [JSONValue], of replicaSet: JSONValue, key: String, logger: Logger) async throws {
        expectations.expect(key, deletes: victims.count)
        let pods = podClient.namespace(replicaSet.namespace ?? "")
        let reference = Self.reference(to: replicaSet)
        let failures = await withTaskGroup(of: (any Error)?.self) { group in
            for victim in victims {
                group.addTask {
                    let name = victim.name ?? ""
                    do {
                        try await pods.delete(name, options: DeleteOptions(preconditions: .init(uid: victim.uid)))
                        await recorder.record(reference, reason: "SuccessfulDelete", message: "Deleted pod: \(name)")
                        return nil
                    } catch {
                        // The deletion will not be observed (or was, before it failed as missing).
                        expectations.deletionObserved(key)
                        if let error = error as? APIError, error.isNotFound { return nil }
                        await recorder.record(reference, type: .warning, reason: "FailedDelete", message: "Error deleting: \(error)")
                        return error
                    }
                }
            }
            return await group.reduce(into: [any Error]()) { if let error = $1 { $0.append(error) } }
        }
        if let failure = failures.first { throw failure }
        logger.debug("deleted pods", metadata: ["count": "\(victims.count)"])
    }

    /// A pod of the set's template (upstream's `GetPodFromTemplate`).
    static func pod(from replicaSet: JSONValue) -> JSONValue {
        let template = replicaSet[path: "spec", "template"] ?? .emptyObject
        var metadata: JSONValue = [
            "generateName": .string((replicaSet.name ?? "") + "-"), "ownerReferences": [controllerReference(to: replicaSet)],
        ]
        for field in ["labels", "annotations", "finalizers"] {
            if let value = template[path: "metadata", field] { metadata[field] = value }
        }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": template["spec"] ?? .emptyObject]
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
        let now = Timestamp.now()
        var counts = StatusCounts(replicas: pods.count)
        for pod in pods {
            let labels = pod.labels
            if templateLabels.allSatisfy({ labels[$0.key] == $0.value }) { counts.fullyLabeled += 1 }
            if pod.isPodReady { counts.ready += 1 }
            if pod.isPodAvailable(minReadySeconds: minReadySeconds, now: now) { counts.available += 1 }
        }
        var updated = replicaSet
        Self.write(counts, observedGeneration: replicaSet.generation ?? 0, into: &updated)
        guard updated["status"] != replicaSet["status"] else { return counts }
        let replicaSets = replicaSetClient.namespace(replicaSet.namespace ?? "")
        do {
            _ = try await replicaSets.updateStatus(updated)
        } catch let error as APIError where error.isConflict {
            var latest = try await replicaSets.get(replicaSet.name ?? "")
            Self.write(counts, observedGeneration: latest.generation ?? 0, into: &latest)
            _ = try await replicaSets.updateStatus(latest)
        } catch let error as APIError where error.isNotFound {
            return counts
        }
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
