import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// One Job brought in line with its spec (upstream's `syncJob`): count finished pods, decide
/// whether the job met its success criteria or failed, create or delete pods, then track the
/// status and remove finalizers (`JobSync+Tracking.swift`).
struct JobSync: Reconciler {
    let jobs: TypedLister<BatchV1.Job>
    let pods: TypedLister<CoreV1.Pod>
    let client: KubernetesClient
    let expectations: ControllerExpectations
    let finalizerExpectations: FinalizerExpectations
    let backoff: JobBackoff
    let recorder: EventRecorder
    let maxPodCreateDeletePerSync: Int
    let clock: any TimestampClock

    var podClient: ResourceClient<CoreV1.Pod> { client.core.v1.pods() }
    var jobClient: ResourceClient<BatchV1.Job> { client.batch.v1.jobs() }

    /// What one sync works out about a job (upstream's `syncJobCtx`).
    struct State {
        var job: BatchV1.Job
        let key: String
        let pods: [CoreV1.Pod]
        var active: Int
        var ready: Int
        var terminating: Int
        var succeeded: Int64
        var failed: Int64
        /// Pods counted in `uncountedTerminatedPods` already.
        var uncountedSucceeded: Set<String>
        var uncountedFailed: Set<String>
        /// An Indexed job's succeeded indexes; nil for a NonIndexed job.
        var succeededIndexes: Set<Int>?
        /// Pods whose finalizer removal the cache has not shown yet.
        let expectedRemovals: Set<String>
        /// The condition the job is heading to, once it met its success criteria or failed.
        var finishedCondition: BatchV1.JobCondition?
        var backoffRecord: JobBackoff.Record
        /// When the job should be looked at again, if nothing else happens.
        var requeueAfter: Duration?

        mutating func requeue(after delay: Duration) {
            requeueAfter = min(requeueAfter ?? delay, delay)
        }
    }

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        guard let job = jobs.get(key: key) else {
            expectations.delete(key)
            finalizerExpectations.delete(key)
            backoff.delete(key)
            if let error = await removeFinalizers(from: orphanedPods(of: key), key: key).error { throw error }
            return .done
        }
        let owned = pods.namespace(job.namespace).controlled(by: job.metadata?.uid ?? "")
        if job.isFinished {
            backoff.delete(key)
            let withFinalizer = owned.filter { $0.hasFinalizer(BatchV1.Job.trackingFinalizer) }
            if let error = await removeFinalizers(from: withFinalizer, key: key).error { throw error }
            return .done
        }
        let mode = job.spec?.completionMode ?? "NonIndexed"
        guard mode == "NonIndexed" || mode == "Indexed" else {
            await recorder.record(reference(to: job), type: .warning, reason: "UnknownCompletionMode",
                                  message: "Skipped Job sync because completion mode is unknown")
            return .done
        }
        let now = clock.now
        let satisfied = expectations.isSatisfied(key)
        var state = makeState(job: job, key: key, pods: owned, now: now)
        decideFinished(&state, now: now)

        var manageError: (any Error)?
        if state.finishedCondition != nil {
            let active = state.pods.filter(\.isActive)
            let (deletedReady, deleted, error) = await deleteActivePods(active, of: state.job)
            if deleted != active.count || !satisfied { state.finishedCondition = nil }
            state.active -= deleted
            state.terminating += deleted
            state.ready -= deletedReady
            manageError = error
        } else {
            var manageCalled = false
            if satisfied, !job.isBeingDeleted {
                do {
                    let active = try await manage(&state, now: now, logger: logger)
                    state.active = active
                } catch {
                    manageError = error
                }
                manageCalled = true
            }
            let completions = job.spec?.completions.map(Int64.init)
            let complete = completions.map { state.succeeded >= $0 && state.active == 0 } ?? (state.succeeded > 0 && state.active == 0)
            if complete {
                state.finishedCondition = .make(
                    type: "SuccessCriteriaMet", reason: "CompletionsReached", message: "Reached expected number of succeeded pods", now: now)
            } else if manageCalled {
                await updateSuspendedCondition(&state, now: now)
            }
        }
        state.job.status?.active = state.active == 0 ? nil : Int32(state.active)
        state.job.status?.ready = Int32(state.ready)
        state.job.status?.terminating = Int32(state.terminating)
        try await trackStatusAndRemoveFinalizers(&state, original: job, now: now)
        if let manageError { throw manageError }
        return state.requeueAfter.map(ReconcileResult.requeueAfter) ?? .done
    }

    // MARK: Counting

    private func makeState(job: BatchV1.Job, key: String, pods: [CoreV1.Pod], now: Timestamp) -> State {
        var job = job
        var status = job.status ?? BatchV1.JobStatus()
        let uncounted = status.uncountedTerminatedPods ?? BatchV1.UncountedTerminatedPods()
        status.uncountedTerminatedPods = uncounted
        let uncountedSucceeded = Set(uncounted.succeeded ?? [])
        let uncountedFailed = Set(uncounted.failed ?? [])
        let expectedRemovals = finalizerExpectations.uids(key)
        let active = pods.filter(\.isActive)
        // Finished pods not counted yet, in any form.
        let fresh = pods.filter { pod in
            let uid = pod.metadata?.uid ?? ""
            return pod.hasFinalizer(BatchV1.Job.trackingFinalizer) && !expectedRemovals.contains(uid)
                && !uncountedSucceeded.contains(uid) && !uncountedFailed.contains(uid)
        }
        let newSucceeded = fresh.filter { $0.phase == "Succeeded" }
        let newFailed = fresh.filter { isPodFailed($0, job: job) }
        if status.startTime == nil, !job.isSuspended { status.startTime = now }
        job.status = status
        var state = State(
            job: job, key: key, pods: pods, active: active.count, ready: active.filter(\.isReady).count,
            terminating: pods.filter(\.isTerminating).count,
            succeeded: Int64(status.succeeded ?? 0) + Int64(newSucceeded.count + uncountedSucceeded.count),
            failed: Int64(status.failed ?? 0) + Int64(newFailed.filter { countsAsFailure($0, job: job) }.count)
                + Int64(uncountedFailed.count),
            uncountedSucceeded: uncountedSucceeded, uncountedFailed: uncountedFailed, expectedRemovals: expectedRemovals,
            backoffRecord: backoff.record(key, newSucceeded: newSucceeded, newFailed: newFailed, now: now))
        if job.isIndexed {
            let completions = Int(job.spec?.completions ?? 0)
            var indexes = JobCompletionIndexes.parse(status.completedIndexes ?? "", completions: completions)
            for pod in pods where pod.phase == "Succeeded" {
                if let index = JobCompletionIndexes.index(of: pod), index < completions { indexes.insert(index) }
            }
            state.succeededIndexes = indexes
            state.succeeded = Int64(indexes.count)
        }
        return state
    }

    /// Failed, or (replacing terminating pods, without a pod failure policy) being deleted
    /// before it succeeded (upstream's `isPodFailed`).
    func isPodFailed(_ pod: CoreV1.Pod, job: BatchV1.Job) -> Bool {
        if pod.phase == "Failed" { return true }
        if job.spec?.podReplacementPolicy == "Failed" { return false }
        if job.spec?.podFailurePolicy != nil { return false }
        return pod.isBeingDeleted && pod.phase != "Succeeded"
    }

    /// Whether a failed pod counts towards the back-off limit (not when the pod failure
    /// policy ignores it).
    func countsAsFailure(_ pod: CoreV1.Pod, job: BatchV1.Job) -> Bool {
        JobPodFailurePolicy.verdict(for: pod, policy: job.spec?.podFailurePolicy).counts
    }

    /// The condition the job heads to: kept from an earlier sync (`SuccessCriteriaMet`,
    /// `FailureTarget`), or a new `FailureTarget` past the back-off limit or the deadline.
    private func decideFinished(_ state: inout State, now: Timestamp) {
        let job = state.job
        if job.hasTrueCondition("SuccessCriteriaMet") {
            state.finishedCondition = job.condition("SuccessCriteriaMet")
            return
        }
        if let target = job.condition("FailureTarget"), target.status == "True" {
            state.finishedCondition = .make(type: "Failed", reason: target.reason ?? "", message: target.message ?? "", now: now)
            return
        }
        if let policy = job.spec?.podFailurePolicy {
            let failing = state.pods.filter { isPodFailed($0, job: job) }.lazy
                .compactMap { JobPodFailurePolicy.verdict(for: $0, policy: policy).failJobMessage }.first
            if let message = failing {
                state.finishedCondition = .make(type: "FailureTarget", reason: "PodFailurePolicy", message: message, now: now)
                return
            }
        }
        let backoffLimit = Int64(job.spec?.backoffLimit ?? 6)
        if state.failed > backoffLimit || pastBackoffLimitOnFailure(job: job, pods: state.pods, limit: backoffLimit) {
            state.finishedCondition = .make(
                type: "FailureTarget", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", now: now)
            return
        }
        guard let deadline = job.spec?.activeDeadlineSeconds, !job.isSuspended, let start = job.status?.startTime else { return }
        let remaining = Duration.seconds(start.seconds + deadline - now.seconds) - .nanoseconds(Int64(now.nanoseconds))
        if remaining <= .zero {
            state.finishedCondition = .make(
                type: "FailureTarget", reason: "DeadlineExceeded", message: "Job was active longer than specified deadline", now: now)
        } else {
            state.requeue(after: remaining)
        }
    }

    /// With `restartPolicy: OnFailure`, whether the running pods' restarts reached the limit.
    private func pastBackoffLimitOnFailure(job: BatchV1.Job, pods: [CoreV1.Pod], limit: Int64) -> Bool {
        guard job.spec?.template.spec?.restartPolicy == "OnFailure" else { return false }
        let restarts = pods.filter { $0.phase == "Running" || $0.phase == "Pending" }.reduce(Int64(0)) { total, pod in
            let statuses = (pod.status?.initContainerStatuses ?? []) + (pod.status?.containerStatuses ?? [])
            return total + statuses.reduce(0) { $0 + Int64($1.restartCount) }
        }
        return limit == 0 ? restarts > 0 : restarts >= limit
    }

    /// Sets `Suspended` True when suspended, False when resumed (resetting `startTime`, so
    /// the deadline counts from the resumption), with the `Suspended`/`Resumed` events.
    private func updateSuspendedCondition(_ state: inout State, now: Timestamp) async {
        let suspended = state.job.isSuspended
        let existing = state.job.condition("Suspended")
        let status = suspended ? "True" : "False"
        guard existing?.status != status, suspended || existing != nil else { return }
        let condition = BatchV1.JobCondition.make(
            type: "Suspended", status: status, reason: suspended ? "JobSuspended" : "JobResumed",
            message: suspended ? "Job suspended" : "Job resumed", now: now)
        var conditions = state.job.status?.conditions ?? []
        if let index = conditions.firstIndex(where: { $0.type == "Suspended" }) {
            conditions[index] = condition
        } else {
            conditions.append(condition)
        }
        state.job.status?.conditions = conditions
        if suspended {
            await recorder.record(reference(to: state.job), reason: "Suspended", message: "Job suspended")
        } else {
            await recorder.record(reference(to: state.job), reason: "Resumed", message: "Job resumed")
            state.job.status?.startTime = now
        }
    }

    // MARK: Pods

    /// Pods naming the gone job `key` as their controller that still carry the finalizer.
    private func orphanedPods(of key: String) -> [CoreV1.Pod] {
        let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        let namespace = parts.count == 2 ? parts[0] : ""
        let name = parts.last ?? ""
        return pods.namespace(namespace).list().filter { pod in
            JobPodEventHandler.jobKey(of: pod) != nil && pod.metadata?.controllerReference?.name == name
                && pod.hasFinalizer(BatchV1.Job.trackingFinalizer)
        }
    }

    /// Removes the tracking finalizer from `pods`: the UIDs it is gone from (a pod that is gone
    /// counts) and the first failure, after trying them all.
    func removeFinalizers(from pods: [CoreV1.Pod], key: String) async -> (removed: Set<String>, error: (any Error)?) {
        guard !pods.isEmpty else { return ([], nil) }
        finalizerExpectations.expectRemoval(key, uids: pods.compactMap { $0.metadata?.uid })
        let patch: JSONValue = ["metadata": ["$deleteFromPrimitiveList/finalizers": [.string(BatchV1.Job.trackingFinalizer)]]]
        let podClient = self.podClient
        let finalizerExpectations = self.finalizerExpectations
        let results = await withTaskGroup(of: (String, (any Error)?).self) { group in
            for pod in pods {
                group.addTask {
                    let uid = pod.metadata?.uid ?? ""
                    do {
                        _ = try await podClient.namespace(pod.namespace).patch(pod.name, type: .strategicMerge, patch: patch)
                        return (uid, nil)
                    } catch {
                        finalizerExpectations.removalObserved(key, uid: uid)
                        if let error = error as? APIError, error.isNotFound { return (uid, nil) }
                        return (uid, error)
                    }
                }
            }
            return await group.reduce(into: [(String, (any Error)?)]()) { $0.append($1) }
        }
        return (Set(results.filter { $0.1 == nil }.map(\.0)), results.lazy.compactMap(\.1).first)
    }

    /// Deletes active pods of a finishing job, keeping their finalizers so they are counted
    /// as failed; returns how many ready and how many in all were deleted.
    private func deleteActivePods(_ active: [CoreV1.Pod], of job: BatchV1.Job) async -> (ready: Int, deleted: Int, error: (any Error)?) {
        let pods = podClient.namespace(job.namespace)
        let reference = reference(to: job)
        let recorder = self.recorder
        let results = await withTaskGroup(of: (Bool, (any Error)?).self) { group in
            for pod in active {
                group.addTask {
                    do {
                        try await pods.delete(pod.name)
                        await recorder.record(reference, reason: "SuccessfulDelete", message: "Deleted pod: \(pod.name)")
                    } catch let error as APIError where error.isNotFound {
                    } catch {
                        await recorder.record(reference, type: .warning, reason: "FailedDelete", message: "Error deleting: \(error)")
                        return (false, error)
                    }
                    return (pod.isReady, nil)
                }
            }
            return await group.reduce(into: [(Bool, (any Error)?)]()) { $0.append($1) }
        }
        let succeeded = results.filter { $0.1 == nil }
        return (succeeded.filter(\.0).count, succeeded.count, results.lazy.compactMap(\.1).first)
    }

    func reference(to job: BatchV1.Job) -> ObjectReference {
        ObjectReference(job)
    }
}
