import Logging
import SkiffAPI
import SkiffClient

/// Creating and deleting a job's pods (upstream's `manageJob`).
extension JobSync {
    /// Brings the number of active pods to what the job wants now; returns the active count
    /// after the creations and deletions that succeeded.
    func manage(_ state: inout State, now: Timestamp, logger: Logger) async throws -> Int {
        let job = state.job
        let active = state.pods.filter(\.isActivePod)
        if job.isJobSuspended {
            let removed = try await deletePods(active, of: state, logger: logger)
            state.ready -= removed.ready
            state.terminating += removed.deleted
            return active.count - removed.deleted
        }
        let parallelism = Int(job[path: "spec", "parallelism"]?.intValue ?? 1)
        let wantActive: Int
        if let completions = job[path: "spec", "completions"]?.intValue {
            wantActive = max(0, min(Int(completions - state.succeeded), parallelism))
        } else {
            wantActive = state.succeeded > 0 ? active.count : parallelism
        }
        var excess = active.count - wantActive
        var victims: [JSONValue] = []
        if let succeeded = state.succeededIndexes {
            // Pods of indexes that succeeded already, and second pods of an index, go first.
            var seen: Set<Int> = []
            for pod in active {
                guard let index = JobCompletionIndexes.index(of: pod) else { continue }
                if succeeded.contains(index) || !seen.insert(index).inserted { victims.append(pod) }
            }
            excess -= victims.count
        }
        let remaining = active.filter { pod in !victims.contains { $0.uid == pod.uid } }
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
            let completions = Int(job[path: "spec", "completions"]?.intValue ?? 0)
            let held = Set(active.compactMap(JobCompletionIndexes.index(of:)))
            indexes = (0..<completions).filter { !succeeded.contains($0) && !held.contains($0) }.prefix(indexes.count).map { Optional($0) }
        }
        let created = try await create(indexes, for: job, key: state.key, logger: logger)
        return active.count + created
    }

    /// Creates one pod per entry (a completion index for Indexed jobs) in slow-start batches;
    /// returns how many were created.
    private func create(_ indexes: [Int?], for job: JSONValue, key: String, logger: Logger) async throws -> Int {
        guard !indexes.isEmpty else { return 0 }
        expectations.expect(key, adds: indexes.count)
        try await PodControl(client: client, recorder: recorder, expectations: expectations).create(
            indexes.map { Self.pod(from: job, index: $0) }, namespace: job.namespace ?? "", owner: reference(to: job), key: key)
        logger.debug("created pods", metadata: ["count": "\(indexes.count)"])
        return indexes.count
    }

    /// Deletes pods the job no longer wants, removing their finalizer first so that they do
    /// not count as failures (upstream's `deleteJobPods`).
    private func deletePods(_ victims: [JSONValue], of state: State, logger: Logger) async throws -> (ready: Int, deleted: Int) {
        guard !victims.isEmpty else { return (0, 0) }
        let key = state.key
        expectations.expect(key, deletes: victims.count)
        let withFinalizer = victims.filter { $0.hasFinalizer(JSONValue.jobTrackingFinalizer) }
        if let error = await removeFinalizers(from: withFinalizer, key: key).error {
            for _ in victims { expectations.deletionObserved(key) }
            throw error
        }
        let pods = podClient.namespace(state.job.namespace ?? "")
        let reference = reference(to: state.job)
        var ready = 0
        var deleted = 0
        var firstError: (any Error)?
        for victim in victims {
            do {
                try await pods.delete(victim.name ?? "", options: DeleteOptions(preconditions: .init(uid: victim.uid)))
                await recorder.record(reference, reason: "SuccessfulDelete", message: "Deleted pod: \(victim.name ?? "")")
            } catch let error as APIError where error.isNotFound {
                expectations.deletionObserved(key)
            } catch {
                expectations.deletionObserved(key)
                await recorder.record(reference, type: .warning, reason: "FailedDelete", message: "Error deleting: \(error)")
                firstError = firstError ?? error
                continue
            }
            deleted += 1
            if victim.isPodReady { ready += 1 }
        }
        if let firstError { throw firstError }
        logger.debug("deleted pods", metadata: ["count": "\(deleted)"])
        return (ready, deleted)
    }

    /// A pod of the job's template (upstream's `GetPodFromTemplate` plus the job's additions):
    /// named `<job>-` (`<job>-<index>-` when indexed) and a random suffix, with the tracking
    /// finalizer and the job as its controller; an indexed pod gets its index as annotation,
    /// label and `JOB_COMPLETION_INDEX`, and the hostname `<job>-<index>`.
    static func pod(from job: JSONValue, index: Int?) -> JSONValue {
        let template = job[path: "spec", "template"] ?? .emptyObject
        let name = job.name ?? ""
        var metadata: JSONValue = [
            "generateName": .string(index.map { "\(name)-\($0)-" } ?? "\(name)-"),
            "ownerReferences": [[
                "apiVersion": "batch/v1", "kind": "Job", "name": .string(name), "uid": .string(job.uid ?? ""),
                "controller": true, "blockOwnerDeletion": true,
            ]],
        ]
        for field in ["labels", "annotations"] {
            if let value = template[path: "metadata", field] { metadata[field] = value }
        }
        var finalizers = template[path: "metadata", "finalizers"]?.arrayValue ?? []
        if !finalizers.contains(.string(JSONValue.jobTrackingFinalizer)) { finalizers.append(.string(JSONValue.jobTrackingFinalizer)) }
        metadata["finalizers"] = .array(finalizers)
        var spec = template["spec"] ?? .emptyObject
        if let index {
            metadata[path: "annotations", JobCompletionIndexes.key] = .string(String(index))
            metadata[path: "labels", JobCompletionIndexes.key] = .string(String(index))
            if (spec["hostname"]?.stringValue ?? "").isEmpty { spec["hostname"] = .string("\(name)-\(index)") }
            let variable: JSONValue = [
                "name": "JOB_COMPLETION_INDEX",
                "valueFrom": ["fieldRef": ["fieldPath": .string("metadata.annotations['\(JobCompletionIndexes.key)']")]],
            ]
            for field in ["initContainers", "containers"] {
                guard var containers = spec[field]?.arrayValue else { continue }
                for position in containers.indices {
                    var env = containers[position]["env"]?.arrayValue ?? []
                    if !env.contains(where: { $0["name"] == "JOB_COMPLETION_INDEX" }) { env.append(variable) }
                    containers[position]["env"] = .array(env)
                }
                spec[field] = .array(containers)
            }
        }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec]
    }
}
