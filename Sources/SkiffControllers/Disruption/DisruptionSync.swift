import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// One budget's status computed from its pods (upstream's `trySync`); a sync that fails for
/// another reason than a write conflict leaves the budget allowing no disruption, with the
/// failure in its `DisruptionAllowed` condition (`SyncFailed`, upstream's `failSafe`).
struct DisruptionSync: Reconciler {
    let budgets: TypedLister<PolicyV1.PodDisruptionBudget>
    let pods: TypedLister<CoreV1.Pod>
    let scales: ControllerScales
    let client: KubernetesClient
    let recorder: EventRecorder
    let clock: any TimestampClock

    /// How long an approved eviction counts as a disruption while its pod is not yet deleted
    /// (upstream's `DeletionTimeout`).
    static let deletionTimeout: Int64 = 120

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        guard let budget = budgets.get(key: key) else { return .done }
        let objects = client.policy.v1.podDisruptionBudgets(budget.namespace)
        do {
            return try await sync(budget, through: objects)
        } catch let error as APIError where error.isConflict {
            throw error
        } catch {
            logger.warning("failed to sync the budget", metadata: ["error": "\(error)"])
            let message = (error as? APIError)?.message ?? "\(error)"
            try await StatusWriter.write(budget, through: objects) { budget, _ in budget.failSafe(message: message, now: clock.now) }
            return .done
        }
    }

    private func sync(_ budget: PolicyV1.PodDisruptionBudget, through objects: ResourceClient<PolicyV1.PodDisruptionBudget>) async throws -> ReconcileResult {
        let reference = ObjectReference(budget)
        let selector = try LabelSelector(budget.spec?.selector)
        let selected = pods.namespace(budget.namespace).list().filter { selector.matches($0.metadata?.labels ?? [:]) }
        if selected.isEmpty { await recorder.record(reference, reason: "NoPods", message: "No matching pods found") }
        let expected: (count: Int, desiredHealthy: Int)
        do {
            expected = try await expectedPods(budget, selected, reference: reference)
        } catch {
            await recorder.record(reference, type: .warning, reason: "CalculateExpectedPodCountFailed",
                                  message: "Failed to calculate the number of expected pods: \(error)")
            throw error
        }
        let now = clock.now
        let (disrupted, recheck) = await disruptedPods(of: budget, among: selected, now: now)
        let healthy = selected.filter { pod in
            !pod.isBeingDeleted && disrupted[pod.name] == nil && pod.isReady
        }.count
        let counts = PolicyV1.PodDisruptionBudget.Counts(
            currentHealthy: healthy, desiredHealthy: expected.desiredHealthy, expectedPods: expected.count, disruptedPods: disrupted)
        try await StatusWriter.write(budget, through: objects) { budget, generation in
            budget.setStatus(counts, observedGeneration: generation, now: now)
        }
        guard let recheck else { return .done }
        return .requeueAfter(recheck.duration(since: now))
    }

    /// The expected pod count and the healthy pods the budget wants (upstream's
    /// `getExpectedPodCount`): an integer `minAvailable` counts the selected pods; a percentage
    /// and `maxUnavailable` count from the controllers' scales (rounding up).
    private func expectedPods(_ budget: PolicyV1.PodDisruptionBudget, _ selected: [CoreV1.Pod],
                              reference: ObjectReference) async throws -> (count: Int, desiredHealthy: Int) {
        if case .int(let number)? = budget.spec?.minAvailable, budget.spec?.maxUnavailable == nil {
            return (selected.count, number)
        }
        guard let budgetValue = budget.spec?.maxUnavailable ?? budget.spec?.minAvailable else { return (0, 0) }
        let (count, unmanaged) = try scales.expectedCount(of: selected)
        if !unmanaged.isEmpty {
            let selector = (try? LabelSelector(budget.spec?.selector)).map { "\($0)" } ?? ""
            await recorder.record(
                reference, type: .warning, reason: "UnmanagedPods",
                message: "Pods selected by this PodDisruptionBudget (selector: \(selector)) were found to be unmanaged. As a result, the status "
                    + "of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set "
                    + "\".spec.minAvailable\" field of the PDB to an integer value.")
        }
        let scaled = try RolloutBounds.scaled(budgetValue, total: count, roundUp: true)
        return budget.spec?.maxUnavailable != nil ? (count, max(0, count - scaled)) : (count, scaled)
    }

    /// The approved evictions still pending (upstream's `buildDisruptedPodMap`): pods in
    /// `disruptedPods` that exist, are not being deleted and were approved less than two
    /// minutes ago (older ones get a `NotDeleted` warning), and when the earliest of them expires.
    private func disruptedPods(of budget: PolicyV1.PodDisruptionBudget, among selected: [CoreV1.Pod],
                               now: Timestamp) async -> ([String: Timestamp], Timestamp?) {
        guard let approved = budget.status?.disruptedPods else { return ([:], nil) }
        var pending: [String: Timestamp] = [:]
        var recheck: Timestamp?
        for pod in selected where !pod.isBeingDeleted {
            guard let approval = approved[pod.name] else { continue }
            let expiry = approval.adding(seconds: Self.deletionTimeout)
            if expiry < now {
                // Upstream names the budget by its namespace twice; the message is kept as it is.
                await recorder.record(ObjectReference(pod), type: .warning, reason: "NotDeleted",
                                      message: "Pod was expected by PDB \(budget.namespace)/\(budget.namespace) to be deleted but it wasn't")
                continue
            }
            pending[pod.name] = approval
            if recheck.map({ expiry < $0 }) ?? true { recheck = expiry }
        }
        return (pending, recheck)
    }
}
