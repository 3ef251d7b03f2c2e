import SkiffAPI
import SkiffClient
import SkiffModels

/// Counting finished pods through `status.uncountedTerminatedPods` and the tracking finalizer
/// (upstream's `trackJobStatusAndRemoveFinalizers`): finished pods are first recorded as
/// uncounted in the status, then their finalizers are removed, then they move to the
/// `succeeded`/`failed` counters; the terminal condition comes once nothing is uncounted or
/// terminating.
extension JobSync {
    /// The most pods recorded as uncounted at a time (upstream's `MaxUncountedPods`).
    static let maxUncountedPods = 500

    func trackStatusAndRemoveFinalizers(_ state: inout State, original: BatchV1.Job, now: Timestamp) async throws {
        var withFinalizer = Set(state.pods.filter {
            $0.hasFinalizer(BatchV1.Job.trackingFinalizer) && !state.expectedRemovals.contains($0.metadata?.uid ?? "")
        }.compactMap { $0.metadata?.uid })
        moveCounted(&state, withFinalizer: withFinalizer)
        var toRemove: [CoreV1.Pod] = []
        for pod in state.pods {
            let uid = pod.metadata?.uid ?? ""
            guard withFinalizer.contains(uid) else { continue }
            let failed = isPodFailed(pod, job: state.job)
            guard state.job.isBeingDeleted || state.finishedCondition != nil || pod.phase == "Succeeded" || failed else {
                continue
            }
            toRemove.append(pod)
            if pod.phase == "Succeeded", !state.uncountedFailed.contains(uid) {
                if state.succeededIndexes == nil { state.uncountedSucceeded.insert(uid) }
            } else if failed || (state.finishedCondition != nil && state.finishedCondition?.type != "SuccessCriteriaMet") {
                if countsAsFailure(pod, job: state.job) { state.uncountedFailed.insert(uid) }
            }
            if state.uncountedSucceeded.count + state.uncountedFailed.count >= Self.maxUncountedPods { break }
        }
        let capped = state.uncountedSucceeded.count + state.uncountedFailed.count >= Self.maxUncountedPods
        if let indexes = state.succeededIndexes {
            state.job.status?.succeeded = indexes.isEmpty ? nil : Int32(indexes.count)
            state.job.status?.completedIndexes = indexes.isEmpty ? nil : JobCompletionIndexes.format(indexes)
        }
        writeUncounted(&state)
        addInterimCondition(&state)

        // 1. Record the finished pods as uncounted (and the interim condition).
        if state.job.status != original.status {
            state.job = try await writeStatus(state.job)
        }
        backoff.store(state.backoffRecord, for: state.key)
        // 2. Remove their finalizers; 3. count the pods that lost them.
        let (removed, removalError) = await removeFinalizers(from: toRemove, key: state.key)
        withFinalizer.subtract(removed)
        let beforeCounting = state.job.status
        moveCounted(&state, withFinalizer: withFinalizer)
        writeUncounted(&state)
        let finished = !capped && removalError == nil && enactFinished(&state, now: now)
        if state.job.status != beforeCounting {
            state.job = try await writeStatus(state.job)
        }
        if finished { await recordFinished(state) }
        if let removalError { throw removalError }
    }

    /// Moves uncounted pods that no longer carry the finalizer into the counters.
    private func moveCounted(_ state: inout State, withFinalizer: Set<String>) {
        let succeeded = state.uncountedSucceeded.subtracting(withFinalizer)
        let failed = state.uncountedFailed.subtracting(withFinalizer)
        state.uncountedSucceeded.subtract(succeeded)
        state.uncountedFailed.subtract(failed)
        if !succeeded.isEmpty, state.succeededIndexes == nil {
            let total = (state.job.status?.succeeded ?? 0) + Int32(succeeded.count)
            state.job.status?.succeeded = total
        }
        if !failed.isEmpty {
            let total = (state.job.status?.failed ?? 0) + Int32(failed.count)
            state.job.status?.failed = total
        }
        writeUncounted(&state)
    }

    private func writeUncounted(_ state: inout State) {
        state.job.status?.uncountedTerminatedPods = BatchV1.UncountedTerminatedPods(
            failed: state.uncountedFailed.isEmpty ? nil : state.uncountedFailed.sorted(),
            succeeded: state.uncountedSucceeded.isEmpty ? nil : state.uncountedSucceeded.sorted())
    }

    /// Appends `FailureTarget` or `SuccessCriteriaMet` (once) and turns the finished condition
    /// into the terminal one (`Failed` / `Complete`) that follows it.
    private func addInterimCondition(_ state: inout State) {
        guard let condition = state.finishedCondition else { return }
        var conditions = state.job.status?.conditions ?? []
        switch condition.type {
        case "FailureTarget":
            conditions.append(condition)
            state.finishedCondition?.type = "Failed"
        case "SuccessCriteriaMet":
            if !state.job.hasTrueCondition("SuccessCriteriaMet") { conditions.append(condition) }
            state.finishedCondition?.type = "Complete"
        default:
            return
        }
        state.job.status?.conditions = conditions
    }

    /// Adds the terminal condition (and, on success, `completionTime`) once no pod is
    /// uncounted or terminating; returns whether it did.
    private func enactFinished(_ state: inout State, now: Timestamp) -> Bool {
        guard var condition = state.finishedCondition, state.uncountedSucceeded.isEmpty, state.uncountedFailed.isEmpty,
            state.terminating == 0
        else { return false }
        let type = condition.type
        condition.lastProbeTime = now
        condition.lastTransitionTime = now
        var conditions = state.job.status?.conditions ?? []
        if let index = conditions.firstIndex(where: { $0.type == type }) {
            conditions[index] = condition
        } else {
            conditions.append(condition)
        }
        state.job.status?.conditions = conditions
        if type == "Complete" { state.job.status?.completionTime = now }
        state.finishedCondition = condition
        return true
    }

    private func recordFinished(_ state: State) async {
        guard let condition = state.finishedCondition else { return }
        let reference = reference(to: state.job)
        if condition.type == "Complete" {
            if let completions = state.job.spec?.completions, (state.job.status?.succeeded ?? 0) > completions {
                await recorder.record(reference, type: .warning, reason: "TooManySucceededPods",
                                      message: "Too many succeeded pods running after completion count reached")
            }
            await recorder.record(reference, reason: "Completed", message: "Job completed")
        } else {
            await recorder.record(reference, type: .warning, reason: condition.reason ?? "", message: condition.message ?? "")
        }
    }

    /// Writes the status through the status subresource; returns the stored job.
    private func writeStatus(_ job: BatchV1.Job) async throws -> BatchV1.Job {
        try await jobClient.namespace(job.namespace).updateStatus(job)
    }
}
