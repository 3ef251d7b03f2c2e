import SkiffAPI
import SkiffRegistry

/// `pods/eviction` (a policy/v1 `Eviction` POSTed for a pod, as `kubectl drain` does): deletes
/// the pod with the eviction's `deleteOptions` unless the pod's PodDisruptionBudget forbids
/// it, as upstream's `EvictionREST`. Pods that cause no disruption (finished, pending, already
/// being deleted) are deleted without a budget check; a ready pod needs the budget's
/// `disruptionsAllowed`, which is decremented (with the pod recorded in `disruptedPods` for the
/// disruption controller) before the delete; a budget that forbids answers
/// `429 TooManyRequests`. Evicted pods get the `DisruptionTarget` condition first.
struct EvictionHandler: Sendable {
    let pods: ResourceStore
    let budgets: ResourceStore
    let admission: AdmissionContext

    /// Upstream's `EvictionsRetry.Steps`: attempts when the pod changes under the eviction.
    static let conflictAttempts = 20
    /// Upstream's `MaxDisruptedPodSize`: evictions a budget may have approved but its
    /// controller not yet confirmed.
    static let maxDisruptedPods = 2000

    func evict(namespace: String, name: String, eviction: JSONValue, dryRun: Bool) async throws {
        guard eviction.name == name else { throw APIError.badRequest("name in URL does not match name in Eviction object") }
        var options = DeleteOptions()
        if let body = eviction["deleteOptions"], !body.isNull { options = try options.merging(body: body) }
        options.dryRun = options.dryRun || dryRun
        let pod = try await deleteIfDisruptionFree(namespace: namespace, name: name, options: options)
        guard let pod else { return }

        var budgetName = ""
        var guardedByVersion = false
        let matching = try await matchingBudgets(of: pod, namespace: namespace)
        if matching.count > 1 {
            throw APIError(code: 500, reason: .unknown, message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.")
        }
        if let budget = matching.first {
            budgetName = budget.name ?? ""
            if !Self.isReady(pod), Self.mayEvictUnhealthy(under: budget) {
                // An unready pod of a budget that is not disrupted counts for nothing: no decrement,
                // but the delete is guarded against the pod becoming ready meanwhile.
                guardedByVersion = true
            } else {
                try await decrement(budget, namespace: namespace, for: name, dryRun: options.dryRun)
            }
        }
        var deletion = options
        if guardedByVersion { deletion.preconditions = .init(uid: options.preconditions?.uid, resourceVersion: pod.resourceVersion) }
        do {
            try await markAndDelete(namespace: namespace, name: name, options: deletion)
        } catch let error as APIError where error.code == 409 && guardedByVersion && options.preconditions?.resourceVersion == nil {
            throw Self.stillProcessing(budgetName)
        }
    }

    // MARK: The pod

    /// Deletes the pod at once when it causes no disruption (upstream's `canIgnorePDB`), retrying
    /// on conflicts unless the caller gave a resourceVersion; the pod to check budgets for otherwise.
    private func deleteIfDisruptionFree(namespace: String, name: String, options: DeleteOptions) async throws -> JSONValue? {
        let retries = options.preconditions?.resourceVersion == nil
        for attempt in 1...Self.conflictAttempts {
            let pod = try await pods.get(namespace: namespace, name: name)
            let phase = pod[path: "status", "phase"]?.stringValue
            let terminal = phase == "Succeeded" || phase == "Failed" || pod.deletionTimestamp != nil
            guard terminal || phase == "Pending" else { return pod }
            var deletion = options
            if !terminal, options.preconditions?.resourceVersion == nil {
                // A pending pod may start and become ready; delete only the version checked.
                deletion.preconditions = .init(uid: options.preconditions?.uid, resourceVersion: pod.resourceVersion)
            }
            do {
                try await markAndDelete(namespace: namespace, name: name, options: deletion)
                return nil
            } catch let error as APIError where error.code == 409 && retries && attempt < Self.conflictAttempts {
                continue
            }
        }
        return nil
    }

    /// Adds the `DisruptionTarget` condition (unless a dry run), then deletes with `options`
    /// (upstream's `addConditionAndDeletePod`); a resourceVersion precondition moves to the
    /// version the condition wrote.
    private func markAndDelete(namespace: String, name: String, options: DeleteOptions) async throws {
        var options = options
        if !options.dryRun {
            let preconditions = options.preconditions
            let marked = try await pods.guaranteedUpdate(
                namespace: namespace, name: name, precondition: nil, options: WriteOptions(), subresource: "status", admission: admission
            ) { pod in
                if let uid = preconditions?.uid, !uid.isEmpty, uid != pod.uid {
                    throw APIError.conflict(GroupResource(group: "", resource: "pods"), name: name,
                        message: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(pod.uid ?? "")")
                }
                if let version = preconditions?.resourceVersion, !version.isEmpty, version != pod.resourceVersion {
                    throw APIError.conflict(GroupResource(group: "", resource: "pods"), name: name,
                        message: "Precondition failed: ResourceVersion in precondition: \(version), ResourceVersion in object meta: \(pod.resourceVersion ?? "")")
                }
                var marked = pod
                marked[path: "status", "conditions"] = .array(StatusConditions.updating(
                    pod[path: "status", "conditions"]?.arrayValue ?? [],
                    with: ["type": "DisruptionTarget", "status": "True", "lastProbeTime": nil, "reason": "EvictionByEvictionAPI", "message": "Eviction API: evicting"]))
                return marked
            }
            if let version = options.preconditions?.resourceVersion, !version.isEmpty {
                options.preconditions?.resourceVersion = marked.resourceVersion
            }
        }
        _ = try await pods.delete(namespace: namespace, name: name, options: options, admission: admission)
    }

    static func isReady(_ pod: JSONValue) -> Bool {
        (pod[path: "status", "conditions"]?.arrayValue ?? []).contains { $0["type"] == "Ready" && $0["status"] == "True" }
    }

    // MARK: The budget

    /// The budgets in the pod's namespace whose non-empty, valid selector matches it.
    private func matchingBudgets(of pod: JSONValue, namespace: String) async throws -> [JSONValue] {
        try await budgets.list(namespace: namespace, options: ListOptions()).items.map(\.decoded).filter { budget in
            guard let selector = try? LabelSelector(selector: budget[path: "spec", "selector"] ?? .null) else { return false }
            return !selector.isEverything && selector.matches(pod.labels)
        }
    }

    /// Whether an unready pod may go without using the budget: the policy says `AlwaysAllow`, or
    /// (`IfHealthyBudget`, the default) the budget has all the healthy pods it wants.
    static func mayEvictUnhealthy(under budget: JSONValue) -> Bool {
        if budget[path: "spec", "unhealthyPodEvictionPolicy"] == "AlwaysAllow" { return true }
        let current = budget[path: "status", "currentHealthy"]?.intValue ?? 0
        let desired = budget[path: "status", "desiredHealthy"]?.intValue ?? 0
        return current >= desired && desired > 0
    }

    /// Takes one disruption from the budget's status (upstream's `checkAndDecrement`), on the
    /// latest budget (conflicts are retried by the store); a dry run checks without writing.
    private func decrement(_ budget: JSONValue, namespace: String, for podName: String, dryRun: Bool) async throws {
        let name = budget.name ?? ""
        _ = try await budgets.guaranteedUpdate(
            namespace: namespace, name: name, precondition: nil, options: WriteOptions(dryRun: dryRun), subresource: "status"
        ) { budget in
            var status = budget["status"] ?? .emptyObject
            let allowed = status["disruptionsAllowed"]?.intValue ?? 0
            if (status["observedGeneration"]?.intValue ?? 0) < (budget.generation ?? 0) { throw Self.stillProcessing(name) }
            if allowed < 0 { throw Self.forbidden(name, "pdb disruptions allowed is negative") }
            if (status["disruptedPods"]?.objectValue?.count ?? 0) > Self.maxDisruptedPods {
                throw Self.forbidden(name, "DisruptedPods map too big - too many evictions not confirmed by PDB controller")
            }
            if allowed == 0 {
                let desired = status["desiredHealthy"]?.intValue ?? 0
                let current = status["currentHealthy"]?.intValue ?? 0
                throw Self.violation(cause: "The disruption budget \(name) needs \(desired) healthy pods and has \(current) currently", retryAfter: nil)
            }
            status["disruptionsAllowed"] = .int(allowed - 1)
            if allowed - 1 == 0 {
                // Upstream's `UpdateDisruptionAllowedCondition` for a budget used up.
                let condition: JSONValue = [
                    "type": "DisruptionAllowed", "status": "False", "observedGeneration": status["observedGeneration"] ?? .int(0),
                    "reason": "InsufficientPods", "message": "",
                ]
                status["conditions"] = .array(StatusConditions.updating(status["conditions"]?.arrayValue ?? [], with: condition))
            }
            status[path: "disruptedPods", podName] = .string(Timestamp.now().rfc3339)
            var updated = budget
            updated["status"] = status
            return updated
        }
    }

    /// `429`: the budget's status does not yet reflect its spec, or a delete raced a pod's change.
    static func stillProcessing(_ name: String) -> APIError {
        violation(cause: "The disruption budget \(name) is still being processed by the server.", retryAfter: 10)
    }

    static func violation(cause: String, retryAfter: Int?) -> APIError {
        APIError(
            code: 429, reason: .tooManyRequests, message: "Cannot evict pod as it would violate the pod's disruption budget.",
            details: .init(causes: [.init(type: CauseType(rawValue: "DisruptionBudget"), message: cause, field: "")], retryAfterSeconds: retryAfter))
    }

    static func forbidden(_ name: String, _ reason: String) -> APIError {
        APIError.forbidden(
            "poddisruptionbudget.policy \"\(name)\" is forbidden: \(reason)", resource: GroupResource(group: "policy", resource: "poddisruptionbudget"),
            name: name)
    }
}
