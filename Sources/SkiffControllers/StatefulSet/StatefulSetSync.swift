import Logging
import SkiffAPI
import SkiffClient

/// One StatefulSet brought in line with its spec (upstream's `defaultStatefulSetControl`):
/// revisions first, then pods by ordinal (create missing ones with their claims, replace
/// finished ones), then condemned pods from the highest ordinal, then the rolling update from
/// the highest ordinal down to the partition; `OrderedReady` takes one step at a time and
/// waits for pods to be running and ready, `Parallel` does not wait. The status is written last.
struct StatefulSetSync: Reconciler {
    let statefulSets: Lister
    let pods: Lister
    /// The cache of PersistentVolumeClaims.
    let claims: Lister
    let history: ControllerHistory
    let client: KubernetesClient
    let recorder: EventRecorder
    let clock: any TimestampClock

    private var podClient: ResourceClient<JSONValue> { client.dynamic.resource(.pods) }

    /// The two revisions a sync works with: the one the set's pods below the partition keep,
    /// and the one of the set's template.
    struct Revisions {
        var current: JSONValue
        var update: JSONValue
        var currentName: String { current.name ?? "" }
        var updateName: String { update.name ?? "" }
    }

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        // A set being deleted is left to the garbage collector.
        guard let set = statefulSets.get(key), set.deletionTimestamp == nil else { return .done }
        let selector: LabelSelector
        do {
            selector = try LabelSelector(selector: set[path: "spec", "selector"] ?? .null)
        } catch {
            throw TerminalError(error)
        }
        let setName = set.name ?? ""
        let owned = try await ControllerRefManager.rereadingOwner(
            set, from: client.dynamic.resource(.statefulSets), reference: history.controllerReference(to: set), selector: selector,
            dependents: client.dynamic.resource(.pods)
        ).claim(pods.namespace(set.namespace ?? "").list().filter { StatefulSetIdentity.ordinal(of: $0, inSet: setName) != nil })
        var existing = try await history.list(for: set, selector: selector)
        var collisionCount = set[path: "status", "collisionCount"]?.intValue ?? 0
        let update = try await history.currentTemplateRevision(for: set, existing: existing, collisionCount: &collisionCount)
        existing.removeAll { $0.name == update.name }
        existing.append(update)
        let currentName = set[path: "status", "currentRevision"]?.stringValue
        let revisions = Revisions(current: existing.first { $0.name == currentName } ?? update, update: update)

        var status = Self.status(of: owned, set: set, revisions: revisions, collisionCount: collisionCount, now: clock.now)
        try await manage(set, pods: owned, revisions: revisions)
        Self.completeRollingUpdate(set, &status)
        try await StatusWriter.write(set, through: client.dynamic.resource(.statefulSets).namespace(set.namespace ?? "")) {
            Self.write(status, observedGeneration: $1, into: &$0)
        }

        var live = Set(owned.map(StatefulSetIdentity.revision(of:)))
        live.insert(revisions.currentName)
        live.insert(revisions.updateName)
        try await history.truncate(existing, of: set, live: live)

        let minReadySeconds = set[path: "spec", "minReadySeconds"]?.intValue ?? 0
        if minReadySeconds > 0, status.ready != status.available { return .requeueAfter(.seconds(minReadySeconds)) }
        return .done
    }

    // MARK: Pods

    private func manage(_ set: JSONValue, pods: [JSONValue], revisions: Revisions) async throws {
        let setName = set.name ?? ""
        let start = StatefulSetIdentity.startOrdinal(of: set)
        let end = start + Int(set[path: "spec", "replicas"]?.intValue ?? 1)
        let monotonic = set[path: "spec", "podManagementPolicy"]?.stringValue != "Parallel"
        let minReadySeconds = set[path: "spec", "minReadySeconds"]?.intValue ?? 0
        let now = clock.now
        func healthy(_ pod: JSONValue) -> Bool {
            pod.deletionTimestamp == nil && pod.podPhase == "Running" && pod.isPodAvailable(minReadySeconds: minReadySeconds, now: now)
        }
        var replicas: [Int: JSONValue] = [:]
        var condemned: [(ordinal: Int, pod: JSONValue)] = []
        for pod in pods {
            guard let ordinal = StatefulSetIdentity.ordinal(of: pod, inSet: setName) else { continue }
            if (start..<end).contains(ordinal) { replicas[ordinal] = pod } else { condemned.append((ordinal, pod)) }
        }
        condemned.sort { $0.ordinal > $1.ordinal }
        let firstUnhealthy = ((start..<end).compactMap { replicas[$0] } + condemned.map(\.pod)).first { !healthy($0) }

        for ordinal in start..<end {
            guard let pod = replicas[ordinal] else {
                try await create(ordinal: ordinal, of: set, revisions: revisions)
                if monotonic { return }
                continue
            }
            if pod.podPhase == "Failed" || pod.podPhase == "Succeeded" {
                // A new pod takes the name once this one is gone.
                if pod.deletionTimestamp == nil { try await delete(pod, of: set) }
                return
            }
            if monotonic, !healthy(pod) { return }
            if pod.deletionTimestamp == nil { try await repair(pod, ordinal: ordinal, of: set) }
        }

        let deleteClaims = set[path: "spec", "persistentVolumeClaimRetentionPolicy", "whenScaled"] == "Delete"
        for (ordinal, pod) in condemned {
            if pod.deletionTimestamp != nil {
                if monotonic { return }
                continue
            }
            if monotonic, !healthy(pod), pod.uid != firstUnhealthy?.uid { return }
            if deleteClaims { try await giveClaims(ofOrdinal: ordinal, of: set, to: pod) }
            try await delete(pod, of: set)
            if monotonic { return }
        }

        guard set[path: "spec", "updateStrategy", "type"]?.stringValue != "OnDelete" else { return }
        let partition = Int(set[path: "spec", "updateStrategy", "rollingUpdate", "partition"]?.intValue ?? 0)
        // The pod with the highest ordinal not at the update revision goes first; unhealthy pods stop the update.
        for ordinal in stride(from: end - 1, through: start + partition, by: -1) {
            guard let pod = replicas[ordinal] else { return }
            if StatefulSetIdentity.revision(of: pod) != revisions.updateName, pod.deletionTimestamp == nil {
                try await delete(pod, of: set)
                return
            }
            if !healthy(pod) { return }
        }
    }

    /// Creates the pod of `ordinal` and its claims: below the partition from the current
    /// revision, else from the set's template (upstream's `newVersionedStatefulSetPod`).
    private func create(ordinal: Int, of set: JSONValue, revisions: Revisions) async throws {
        let partition = Int(set[path: "spec", "updateStrategy", "rollingUpdate", "partition"]?.intValue ?? 0)
        let rolling = set[path: "spec", "updateStrategy", "type"]?.stringValue != "OnDelete"
        let useCurrent = rolling && ordinal < StatefulSetIdentity.startOrdinal(of: set) + partition
        let template = useCurrent ? ControllerHistory.template(of: revisions.current) : set[path: "spec", "template"] ?? .emptyObject
        let setReference = history.controllerReference(to: set)
        let pod = StatefulSetIdentity.pod(
            of: set, template: template, ordinal: ordinal, revision: useCurrent ? revisions.currentName : revisions.updateName,
            controllerReference: setReference)
        let podName = pod.name ?? ""
        let reference = Self.reference(to: set)
        try await createClaims(StatefulSetIdentity.claims(of: set, ordinal: ordinal, setReference: setReference), of: set, podName: podName)
        do {
            _ = try await podClient.namespace(set.namespace ?? "").create(pod)
            await recorder.record(reference, reason: "SuccessfulCreate", message: "create Pod \(podName) in StatefulSet \(set.name ?? "") successful")
        } catch let error as APIError where error.isAlreadyExists {
            // The cache has not seen the pod yet; its event will queue the set again.
            return
        } catch {
            await recorder.record(
                reference, type: .warning, reason: "FailedCreate",
                message: "create Pod \(podName) in StatefulSet \(set.name ?? "") failed error: \(error)")
            throw error
        }
    }

    /// Creates the claims that do not exist yet; whether any was created.
    @discardableResult
    private func createClaims(_ claims: [JSONValue], of set: JSONValue, podName: String) async throws -> Bool {
        var created = false
        let reference = Self.reference(to: set)
        let client = self.client.dynamic.resource(.persistentVolumeClaims).namespace(set.namespace ?? "")
        for claim in claims {
            let claimName = claim.name ?? ""
            do {
                _ = try await client.create(claim)
                created = true
                await recorder.record(
                    reference, reason: "SuccessfulCreate", message: "create Claim \(claimName) Pod \(podName) in StatefulSet \(set.name ?? "") success")
            } catch let error as APIError where error.isAlreadyExists {
                continue
            } catch {
                await recorder.record(
                    reference, type: .warning, reason: "FailedCreate",
                    message: "create Claim \(claimName) for Pod \(podName) in StatefulSet \(set.name ?? "") failed error: \(error)")
                throw error
            }
        }
        return created
    }

    /// Restores what a pod of `ordinal` must have that it lost: its identity labels and
    /// missing claims (upstream's `UpdateStatefulPod`), with the event `update Pod web-0 in
    /// StatefulSet web successful`.
    private func repair(_ pod: JSONValue, ordinal: Int, of set: JSONValue) async throws {
        let name = pod.name ?? ""
        var labels = pod.labels
        labels[StatefulSetIdentity.podNameLabel] = name
        labels[StatefulSetIdentity.podIndexLabel] = String(ordinal)
        let namespaceClaims = claims.namespace(set.namespace ?? "")
        let missing = StatefulSetIdentity.claims(of: set, ordinal: ordinal, setReference: history.controllerReference(to: set))
            .filter { namespaceClaims.get($0.name ?? "") == nil }
        guard labels != pod.labels || !missing.isEmpty else { return }
        // A claim the cache has not seen yet exists already: no event for it.
        let createdClaims = try await createClaims(missing, of: set, podName: name)
        if labels != pod.labels {
            let patch: JSONValue = [
                "metadata": ["labels": .object(labels.mapValues(JSONValue.string)), "resourceVersion": .string(pod.resourceVersion ?? "")],
            ]
            _ = try await podClient.namespace(set.namespace ?? "").patch(name, type: .merge, patch: patch)
        } else if !createdClaims {
            return
        }
        await recorder.record(Self.reference(to: set), reason: "SuccessfulUpdate", message: "update Pod \(name) in StatefulSet \(set.name ?? "") successful")
    }

    /// Makes the condemned `pod` an owner of its claims, so that the garbage collector deletes
    /// them after it (`whenScaled: Delete`; upstream's `updateClaimOwnerRefForSetAndPod`).
    private func giveClaims(ofOrdinal ordinal: Int, of set: JSONValue, to pod: JSONValue) async throws {
        let claims = client.dynamic.resource(.persistentVolumeClaims).namespace(set.namespace ?? "")
        let podReference: JSONValue = ["apiVersion": "v1", "kind": "Pod", "name": .string(pod.name ?? ""), "uid": .string(pod.uid ?? "")]
        for template in set[path: "spec", "volumeClaimTemplates"]?.arrayValue ?? [] {
            let name = StatefulSetIdentity.claimName(template: template, setName: set.name ?? "", ordinal: ordinal)
            let claim: JSONValue
            do {
                claim = try await claims.get(name)
            } catch let error as APIError where error.isNotFound {
                continue
            }
            guard !claim.ownerReferences.contains(where: { $0["uid"]?.stringValue == pod.uid }) else { continue }
            let patch: JSONValue = [
                "metadata": ["ownerReferences": .array(claim.ownerReferences + [podReference]), "resourceVersion": .string(claim.resourceVersion ?? "")],
            ]
            _ = try await claims.patch(name, type: .merge, patch: patch)
        }
    }

    private func delete(_ pod: JSONValue, of set: JSONValue) async throws {
        let name = pod.name ?? ""
        let reference = Self.reference(to: set)
        do {
            try await podClient.namespace(set.namespace ?? "").delete(name, options: DeleteOptions(preconditions: .init(uid: pod.uid)))
            await recorder.record(reference, reason: "SuccessfulDelete", message: "delete Pod \(name) in StatefulSet \(set.name ?? "") successful")
        } catch let error as APIError where error.isNotFound {
            return
        } catch {
            await recorder.record(
                reference, type: .warning, reason: "FailedDelete", message: "delete Pod \(name) in StatefulSet \(set.name ?? "") failed error: \(error)")
            throw error
        }
    }

    private static func reference(to set: JSONValue) -> ObjectReference {
        ObjectReference(
            apiVersion: "apps/v1", kind: "StatefulSet", namespace: set.namespace ?? "", name: set.name ?? "", uid: set.uid ?? "",
            resourceVersion: set.resourceVersion ?? "")
    }

    // MARK: Status

    /// What a StatefulSet's status reports.
    struct Status: Hashable {
        var replicas = 0
        var ready = 0
        var available = 0
        var current = 0
        var updated = 0
        var currentRevision = ""
        var updateRevision = ""
        var collisionCount: Int64 = 0
    }

    /// The counts of the set's pods (upstream's `updateStatefulSet` status): created pods,
    /// running and ready ones, available ones, and those of each revision that are not terminating.
    static func status(of pods: [JSONValue], set: JSONValue, revisions: Revisions, collisionCount: Int64, now: Timestamp) -> Status {
        let minReadySeconds = set[path: "spec", "minReadySeconds"]?.intValue ?? 0
        var status = Status(currentRevision: revisions.currentName, updateRevision: revisions.updateName, collisionCount: collisionCount)
        for pod in pods {
            status.replicas += 1
            if pod.podPhase == "Running", pod.isPodReady {
                status.ready += 1
                if pod.isPodAvailable(minReadySeconds: minReadySeconds, now: now) { status.available += 1 }
            }
            guard pod.deletionTimestamp == nil else { continue }
            let revision = StatefulSetIdentity.revision(of: pod)
            if revision == revisions.currentName { status.current += 1 }
            if revision == revisions.updateName { status.updated += 1 }
        }
        return status
    }

    /// Once every pod runs the update revision and is ready, it becomes the current revision
    /// (rolling updates only; upstream's `completeRollingUpdate`).
    static func completeRollingUpdate(_ set: JSONValue, _ status: inout Status) {
        guard set[path: "spec", "updateStrategy", "type"]?.stringValue != "OnDelete",
            status.updated == status.replicas, status.ready == status.replicas
        else { return }
        status.current = status.updated
        status.currentRevision = status.updateRevision
    }

    /// Sets the status fields; zero counts and empty revisions are left out as upstream's `omitempty` does.
    static func write(_ status: Status, observedGeneration: Int64, into set: inout JSONValue) {
        var fields = set["status"] ?? .emptyObject
        fields["observedGeneration"] = .int(observedGeneration)
        fields["replicas"] = .int(Int64(status.replicas))
        fields["availableReplicas"] = .int(Int64(status.available))
        for (field, value) in [("readyReplicas", status.ready), ("currentReplicas", status.current), ("updatedReplicas", status.updated)] {
            fields[field] = value == 0 ? nil : .int(Int64(value))
        }
        fields["currentRevision"] = status.currentRevision.isEmpty ? nil : .string(status.currentRevision)
        fields["updateRevision"] = status.updateRevision.isEmpty ? nil : .string(status.updateRevision)
        fields["collisionCount"] = .int(status.collisionCount)
        set["status"] = fields
    }
}
