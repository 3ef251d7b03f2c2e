import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// One StatefulSet brought in line with its spec (upstream's `defaultStatefulSetControl`):
/// revisions first, then pods by ordinal (create missing ones with their claims, replace
/// finished ones), then condemned pods from the highest ordinal, then the rolling update from
/// the highest ordinal down to the partition; `OrderedReady` takes one step at a time and
/// waits for pods to be running and ready, `Parallel` does not wait. The status is written last.
struct StatefulSetSync: Reconciler {
    let statefulSets: TypedLister<AppsV1.StatefulSet>
    let pods: TypedLister<CoreV1.Pod>
    /// The cache of PersistentVolumeClaims.
    let claims: TypedLister<CoreV1.PersistentVolumeClaim>
    let history: ControllerHistory<AppsV1.StatefulSet>
    let client: KubernetesClient
    let recorder: EventRecorder
    let clock: any TimestampClock

    private var podClient: ResourceClient<CoreV1.Pod> { client.core.v1.pods() }

    /// The two revisions a sync works with: the one the set's pods below the partition keep,
    /// and the one of the set's template.
    struct Revisions {
        var current: AppsV1.ControllerRevision
        var update: AppsV1.ControllerRevision
        var currentName: String { current.name }
        var updateName: String { update.name }
    }

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        // A set being deleted is left to the garbage collector.
        guard let set = statefulSets.get(key: key), !set.isBeingDeleted else { return .done }
        let selector: LabelSelector
        do {
            selector = try LabelSelector(set.spec?.selector)
        } catch {
            throw TerminalError(error)
        }
        let setName = set.name
        let owned = try await ControllerRefManager.rereadingOwner(
            set, from: client.apps.v1.statefulSets(), selector: selector, dependents: podClient
        ).claim(pods.namespace(set.namespace).claimable(by: set.metadata?.uid ?? "").filter { StatefulSetIdentity.ordinal(of: $0, inSet: setName) != nil })
        var existing = try await history.list(for: set, selector: selector)
        var collisionCount = Int64(set.status?.collisionCount ?? 0)
        let update = try await history.currentTemplateRevision(for: set, existing: existing, collisionCount: &collisionCount)
        existing.removeAll { $0.name == update.name }
        existing.append(update)
        let currentName = set.status?.currentRevision
        let revisions = Revisions(current: existing.first { $0.name == currentName } ?? update, update: update)

        var status = Self.status(of: owned, set: set, revisions: revisions, collisionCount: collisionCount, now: clock.now)
        try await manage(set, pods: owned, revisions: revisions)
        Self.completeRollingUpdate(set, &status)
        try await StatusWriter.write(set, through: client.apps.v1.statefulSets(set.namespace)) {
            Self.write(status, observedGeneration: $1, into: &$0)
        }

        var live = Set(owned.map(StatefulSetIdentity.revision(of:)))
        live.insert(revisions.currentName)
        live.insert(revisions.updateName)
        try await history.truncate(existing, of: set, live: live)

        let minReadySeconds = Int64(set.spec?.minReadySeconds ?? 0)
        if minReadySeconds > 0, status.ready != status.available { return .requeueAfter(.seconds(minReadySeconds)) }
        return .done
    }

    // MARK: Pods

    private func manage(_ set: AppsV1.StatefulSet, pods: [CoreV1.Pod], revisions: Revisions) async throws {
        let setName = set.name
        let start = StatefulSetIdentity.startOrdinal(of: set)
        let end = start + Int(set.spec?.replicas ?? 1)
        let monotonic = set.spec?.podManagementPolicy != "Parallel"
        let minReadySeconds = Int64(set.spec?.minReadySeconds ?? 0)
        let now = clock.now
        func healthy(_ pod: CoreV1.Pod) -> Bool {
            !pod.isBeingDeleted && pod.phase == "Running" && pod.isAvailable(minReadySeconds: minReadySeconds, now: now)
        }
        var replicas: [Int: CoreV1.Pod] = [:]
        var condemned: [(ordinal: Int, pod: CoreV1.Pod)] = []
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
            if pod.isFinished {
                // A new pod takes the name once this one is gone.
                if !pod.isBeingDeleted { try await delete(pod, of: set) }
                return
            }
            if monotonic, !healthy(pod) { return }
            if !pod.isBeingDeleted { try await repair(pod, ordinal: ordinal, of: set) }
        }

        let deleteClaims = set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled == "Delete"
        for (ordinal, pod) in condemned {
            if pod.isBeingDeleted {
                if monotonic { return }
                continue
            }
            if monotonic, !healthy(pod), pod.metadata?.uid != firstUnhealthy?.metadata?.uid { return }
            if deleteClaims { try await giveClaims(ofOrdinal: ordinal, of: set, to: pod) }
            try await delete(pod, of: set)
            if monotonic { return }
        }

        guard set.spec?.updateStrategy?.type != "OnDelete" else { return }
        let partition = Int(set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0)
        // The pod with the highest ordinal not at the update revision goes first; unhealthy pods stop the update.
        for ordinal in stride(from: end - 1, through: start + partition, by: -1) {
            guard let pod = replicas[ordinal] else { return }
            if StatefulSetIdentity.revision(of: pod) != revisions.updateName, !pod.isBeingDeleted {
                try await delete(pod, of: set)
                return
            }
            if !healthy(pod) { return }
        }
    }

    /// Creates the pod of `ordinal` and its claims: below the partition from the current
    /// revision, else from the set's template (upstream's `newVersionedStatefulSetPod`).
    private func create(ordinal: Int, of set: AppsV1.StatefulSet, revisions: Revisions) async throws {
        let partition = Int(set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0)
        let rolling = set.spec?.updateStrategy?.type != "OnDelete"
        let useCurrent = rolling && ordinal < StatefulSetIdentity.startOrdinal(of: set) + partition
        let template = useCurrent ? ControllerHistory<AppsV1.StatefulSet>.template(of: revisions.current) : set.spec?.template
        let pod = StatefulSetIdentity.pod(
            of: set, template: template, ordinal: ordinal, revision: useCurrent ? revisions.currentName : revisions.updateName)
        let podName = pod.name
        let reference = ObjectReference(set)
        try await createClaims(StatefulSetIdentity.claims(of: set, ordinal: ordinal), of: set, podName: podName)
        do {
            _ = try await podClient.namespace(set.namespace).create(pod)
            await recorder.record(reference, reason: "SuccessfulCreate", message: "create Pod \(podName) in StatefulSet \(set.name) successful")
        } catch let error as APIError where error.isAlreadyExists {
            // The cache has not seen the pod yet; its event will queue the set again.
            return
        } catch {
            await recorder.record(
                reference, type: .warning, reason: "FailedCreate",
                message: "create Pod \(podName) in StatefulSet \(set.name) failed error: \(error)")
            throw error
        }
    }

    /// Creates the claims that do not exist yet; whether any was created.
    @discardableResult
    private func createClaims(_ claims: [CoreV1.PersistentVolumeClaim], of set: AppsV1.StatefulSet, podName: String) async throws -> Bool {
        var created = false
        let reference = ObjectReference(set)
        let client = self.client.core.v1.persistentVolumeClaims(set.namespace)
        for claim in claims {
            let claimName = claim.name
            do {
                _ = try await client.create(claim)
                created = true
                await recorder.record(
                    reference, reason: "SuccessfulCreate", message: "create Claim \(claimName) Pod \(podName) in StatefulSet \(set.name) success")
            } catch let error as APIError where error.isAlreadyExists {
                continue
            } catch {
                await recorder.record(
                    reference, type: .warning, reason: "FailedCreate",
                    message: "create Claim \(claimName) for Pod \(podName) in StatefulSet \(set.name) failed error: \(error)")
                throw error
            }
        }
        return created
    }

    /// Restores what a pod of `ordinal` must have that it lost: its identity labels and
    /// missing claims (upstream's `UpdateStatefulPod`), with the event `update Pod web-0 in
    /// StatefulSet web successful`.
    private func repair(_ pod: CoreV1.Pod, ordinal: Int, of set: AppsV1.StatefulSet) async throws {
        let name = pod.name
        let current = pod.metadata?.labels ?? [:]
        var labels = current
        labels[StatefulSetIdentity.podNameLabel] = name
        labels[StatefulSetIdentity.podIndexLabel] = String(ordinal)
        let namespaceClaims = claims.namespace(set.namespace)
        let missing = StatefulSetIdentity.claims(of: set, ordinal: ordinal).filter { namespaceClaims.get($0.name) == nil }
        guard labels != current || !missing.isEmpty else { return }
        // A claim the cache has not seen yet exists already: no event for it.
        let createdClaims = try await createClaims(missing, of: set, podName: name)
        if labels != current {
            let patch: JSONValue = [
                "metadata": [
                    "labels": .object(labels.mapValues(JSONValue.string)), "resourceVersion": .string(pod.metadata?.resourceVersion ?? ""),
                ],
            ]
            _ = try await podClient.namespace(set.namespace).patch(name, type: .merge, patch: patch)
        } else if !createdClaims {
            return
        }
        await recorder.record(ObjectReference(set), reason: "SuccessfulUpdate", message: "update Pod \(name) in StatefulSet \(set.name) successful")
    }

    /// Makes the condemned `pod` an owner of its claims, so that the garbage collector deletes
    /// them after it (`whenScaled: Delete`; upstream's `updateClaimOwnerRefForSetAndPod`).
    private func giveClaims(ofOrdinal ordinal: Int, of set: AppsV1.StatefulSet, to pod: CoreV1.Pod) async throws {
        let claims = client.core.v1.persistentVolumeClaims(set.namespace)
        let podReference = OwnerReference(apiVersion: "v1", kind: "Pod", name: pod.name, uid: pod.metadata?.uid ?? "")
        for template in set.spec?.volumeClaimTemplates ?? [] {
            let name = StatefulSetIdentity.claimName(template: template, setName: set.name, ordinal: ordinal)
            let claim: CoreV1.PersistentVolumeClaim
            do {
                claim = try await claims.get(name)
            } catch let error as APIError where error.isNotFound {
                continue
            }
            let references = claim.metadata?.ownerReferences ?? []
            guard !references.contains(where: { $0.uid == pod.metadata?.uid }) else { continue }
            // An update, as upstream's (its role may update claims, not patch them).
            var owned = claim
            owned.metadata?.ownerReferences = references + [podReference]
            _ = try await claims.update(owned)
        }
    }

    private func delete(_ pod: CoreV1.Pod, of set: AppsV1.StatefulSet) async throws {
        let name = pod.name
        let reference = ObjectReference(set)
        do {
            try await podClient.namespace(set.namespace).delete(name, options: DeleteOptions(preconditions: .init(uid: pod.metadata?.uid)))
            await recorder.record(reference, reason: "SuccessfulDelete", message: "delete Pod \(name) in StatefulSet \(set.name) successful")
        } catch let error as APIError where error.isNotFound {
            return
        } catch {
            await recorder.record(
                reference, type: .warning, reason: "FailedDelete", message: "delete Pod \(name) in StatefulSet \(set.name) failed error: \(error)")
            throw error
        }
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
    static func status(of pods: [CoreV1.Pod], set: AppsV1.StatefulSet, revisions: Revisions, collisionCount: Int64, now: Timestamp) -> Status {
        let minReadySeconds = Int64(set.spec?.minReadySeconds ?? 0)
        var status = Status(currentRevision: revisions.currentName, updateRevision: revisions.updateName, collisionCount: collisionCount)
        for pod in pods {
            status.replicas += 1
            if pod.phase == "Running", pod.isReady {
                status.ready += 1
                if pod.isAvailable(minReadySeconds: minReadySeconds, now: now) { status.available += 1 }
            }
            guard !pod.isBeingDeleted else { continue }
            let revision = StatefulSetIdentity.revision(of: pod)
            if revision == revisions.currentName { status.current += 1 }
            if revision == revisions.updateName { status.updated += 1 }
        }
        return status
    }

    /// Once every pod runs the update revision and is ready, it becomes the current revision
    /// (rolling updates only; upstream's `completeRollingUpdate`).
    static func completeRollingUpdate(_ set: AppsV1.StatefulSet, _ status: inout Status) {
        guard set.spec?.updateStrategy?.type != "OnDelete",
            status.updated == status.replicas, status.ready == status.replicas
        else { return }
        status.current = status.updated
        status.currentRevision = status.updateRevision
    }

    /// Sets the status fields; zero counts and empty revisions are left out as upstream's `omitempty` does.
    static func write(_ status: Status, observedGeneration: Int64, into set: inout AppsV1.StatefulSet) {
        func nonZero(_ value: Int) -> Int32? { value == 0 ? nil : Int32(value) }
        var fields = set.status ?? AppsV1.StatefulSetStatus(replicas: 0)
        fields.observedGeneration = observedGeneration
        fields.replicas = Int32(status.replicas)
        fields.availableReplicas = Int32(status.available)
        fields.readyReplicas = nonZero(status.ready)
        fields.currentReplicas = nonZero(status.current)
        fields.updatedReplicas = nonZero(status.updated)
        fields.currentRevision = status.currentRevision.isEmpty ? nil : status.currentRevision
        fields.updateRevision = status.updateRevision.isEmpty ? nil : status.updateRevision
        fields.collisionCount = Int32(status.collisionCount)
        set.status = fields
    }
}
