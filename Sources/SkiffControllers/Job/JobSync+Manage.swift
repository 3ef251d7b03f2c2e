import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// Creating and deleting a job's pods (upstream's `manageJob`).
extension JobSync {
    /// Brings the number of active pods to what the job wants now; returns the active count
    /// after the creations and deletions that succeeded.
    func manage(_ state: inout State, now: Timestamp, logger: Logger) async throws -> Int {
        let job = state.job
        let active = state.pods.filter(\.isActive)
        if job.isSuspended {
            let removed = try await deletePods(active, of: state, logger: logger)
            state.ready -= removed.ready
            state.terminating += removed.deleted
            return active.count - removed.deleted
        }
        let parallelism = Int(job.spec?.parallelism ?? 1)
        let wantActive: Int
        if let completions = job.spec?.completions {
            wantActive = max(0, min(Int(Int64(completions) - state.succeeded), parallelism))
        } else {
            wantActive = state.succeeded > 0 ? active.count : parallelism
        }
        var excess = active.count - wantActive
        var victims: [CoreV1.Pod] = []
        if let succeeded = state.succeededIndexes {
            // Pods of indexes that succeeded already, and second pods of an index, go first.
            var seen: Set<Int> = []
            for pod in active {
                guard let index = JobCompletionIndexes.index(of: pod) else { continue }
                if succeeded.contains(index) || !seen.insert(index).inserted { victims.append(pod) }
            }
            excess -= victims.count
        }
        let remaining = active.filter { pod in !victims.contains { $0.metadata?.uid == pod.metadata?.uid } }
        victims += PodDeletionOrder.sorted(remaining).prefix(max(0, excess))
        if !victims.isEmpty {
            let removed = try await deletePods(Array(victims.prefix(maxPodCreateDeletePerSync)), of: state, logger: logger)
            state.ready -= removed.ready
            state.terminating += removed.deleted
            return active.count - removed.deleted
        }
        guard active.count < wantActive else { return active.count }
        let wait = backoff.remaining(state.backoffRecord, now: now)
        if wait > .zero {
            state.requeue(after: wait)
            return active.count
        }
        var indexes: [Int?] = Array(repeating: nil, count: min(wantActive - active.count, maxPodCreateDeletePerSync))
        if let succeeded = state.succeededIndexes {
            let completions = Int(job.spec?.completions ?? 0)
            let held = Set(active.compactMap(JobCompletionIndexes.index(of:)))
            indexes = (0..<completions).filter { !succeeded.contains($0) && !held.contains($0) }.prefix(indexes.count).map { Optional($0) }
        }
        let created = try await create(indexes, for: job, key: state.key, logger: logger)
        return active.count + created
    }

    /// Creates one pod per entry (a completion index for Indexed jobs) in slow-start batches;
    /// returns how many were created.
    private func create(_ indexes: [Int?], for job: BatchV1.Job, key: String, logger: Logger) async throws -> Int {
        guard !indexes.isEmpty else { return 0 }
        expectations.expect(key, adds: indexes.count)
        try await PodControl(client: client, recorder: recorder, expectations: expectations).create(
            indexes.map { Self.pod(from: job, index: $0) }, namespace: job.namespace, owner: reference(to: job), key: key)
        logger.debug("created pods", metadata: ["count": "\(indexes.count)"])
        return indexes.count
    }

    /// Deletes pods the job no longer wants, removing their finalizer first so that they do
    /// not count as failures (upstream's `deleteJobPods`).
    private func deletePods(_ victims: [CoreV1.Pod], of state: State, logger: Logger) async throws -> (ready: Int, deleted: Int) {
        guard !victims.isEmpty else { return (0, 0) }
        let key = state.key
        expectations.expect(key, deletes: victims.count)
        let withFinalizer = victims.filter { $0.hasFinalizer(BatchV1.Job.trackingFinalizer) }
        if let error = await removeFinalizers(from: withFinalizer, key: key).error {
            for _ in victims { expectations.deletionObserved(key) }
            throw error
        }
        let pods = podClient.namespace(state.job.namespace)
        let reference = reference(to: state.job)
        var ready = 0
        var deleted = 0
        var firstError: (any Error)?
        for victim in victims {
            do {
                try await pods.delete(victim.name, options: DeleteOptions(preconditions: .init(uid: victim.metadata?.uid)))
                await recorder.record(reference, reason: "SuccessfulDelete", message: "Deleted pod: \(victim.name)")
            } catch let error as APIError where error.isNotFound {
                expectations.deletionObserved(key)
            } catch {
                expectations.deletionObserved(key)
                await recorder.record(reference, type: .warning, reason: "FailedDelete", message: "Error deleting: \(error)")
                firstError = firstError ?? error
                continue
            }
            deleted += 1
            if victim.isReady { ready += 1 }
        }
        if let firstError { throw firstError }
        logger.debug("deleted pods", metadata: ["count": "\(deleted)"])
        return (ready, deleted)
    }

    /// A pod of the job's template (upstream's `GetPodFromTemplate` plus the job's additions):
    /// named `<job>-` (`<job>-<index>-` when indexed) and a random suffix, with the tracking
    /// finalizer and the job as its controller; an indexed pod gets its index as annotation,
    /// label and `JOB_COMPLETION_INDEX`, and the hostname `<job>-<index>`.
    static func pod(from job: BatchV1.Job, index: Int?) -> CoreV1.Pod {
        let template = job.spec?.template
        let name = job.name
        var finalizers = template?.metadata?.finalizers ?? []
        if !finalizers.contains(BatchV1.Job.trackingFinalizer) { finalizers.append(BatchV1.Job.trackingFinalizer) }
        var metadata = ObjectMeta(
            generateName: index.map { "\(name)-\($0)-" } ?? "\(name)-", labels: template?.metadata?.labels,
            annotations: template?.metadata?.annotations, ownerReferences: [.controller(of: job)], finalizers: finalizers)
        var spec = template?.spec
        if let index {
            metadata.annotations = (metadata.annotations ?? [:]).merging([JobCompletionIndexes.key: String(index)]) { _, new in new }
            metadata.labels = (metadata.labels ?? [:]).merging([JobCompletionIndexes.key: String(index)]) { _, new in new }
            if (spec?.hostname ?? "").isEmpty { spec?.hostname = "\(name)-\(index)" }
            let variable = CoreV1.EnvVar(
                name: "JOB_COMPLETION_INDEX",
                valueFrom: CoreV1.EnvVarSource(fieldRef: CoreV1.ObjectFieldSelector(fieldPath: "metadata.annotations['\(JobCompletionIndexes.key)']")))
            func withIndex(_ containers: [CoreV1.Container]) -> [CoreV1.Container] {
                containers.map { container in
                    var container = container
                    var env = container.env ?? []
                    if !env.contains(where: { $0.name == "JOB_COMPLETION_INDEX" }) { env.append(variable) }
                    container.env = env
                    return container
                }
            }
            if var indexed = spec {
                indexed.initContainers = indexed.initContainers.map(withIndex)
                indexed.containers = withIndex(indexed.containers)
                spec = indexed
            }
        }
        return CoreV1.Pod(metadata: metadata, spec: spec)
    }
}
