import SkiffAPI
import SkiffModels

/// What preemption needs of a PodDisruptionBudget: the pods it protects and how many of them may
/// still be disrupted, derived once from the typed object.
struct DisruptionBudget: Sendable {
    let namespace: String
    /// Nil for a missing, empty or invalid selector: such a budget protects no pod.
    let selector: LabelSelector?
    /// `status.disruptionsAllowed`.
    let disruptionsAllowed: Int64
    /// `status.disruptedPods`: pods the API server already counted as disrupted (by name).
    let disruptedPods: Set<String>

    init(namespace: String, selector: LabelSelector?, disruptionsAllowed: Int64, disruptedPods: Set<String> = []) {
        self.namespace = namespace
        self.selector = selector
        self.disruptionsAllowed = disruptionsAllowed
        self.disruptedPods = disruptedPods
    }

    init(_ budget: PolicyV1.PodDisruptionBudget) {
        let selector = try? LabelSelector(budget.spec?.selector)
        self.init(
            namespace: budget.namespace, selector: selector.flatMap { $0.requirements.isEmpty ? nil : $0 },
            disruptionsAllowed: Int64(budget.status?.disruptionsAllowed ?? 0),
            disruptedPods: Set((budget.status?.disruptedPods ?? [:]).keys))
    }

    /// Whether evicting `pod` uses up one of this budget's disruptions.
    func covers(_ pod: PodInfo) -> Bool {
        guard pod.namespace == namespace, let selector, !pod.labels.isEmpty else { return false }
        return selector.matches(pod.labels) && !disruptedPods.contains(pod.name)
    }

    /// Splits `pods` (in order) into those whose eviction would take a budget below zero and the
    /// others, counting each eviction against every budget that covers it (upstream's
    /// `filterPodsWithPDBViolation`).
    static func partition(_ pods: [PodInfo], by budgets: [DisruptionBudget]) -> (violating: [PodInfo], nonViolating: [PodInfo]) {
        var allowed = budgets.map(\.disruptionsAllowed)
        var violating: [PodInfo] = []
        var nonViolating: [PodInfo] = []
        for pod in pods {
            var violates = false
            for (index, budget) in budgets.enumerated() where budget.covers(pod) {
                allowed[index] -= 1
                if allowed[index] < 0 { violates = true }
            }
            if violates { violating.append(pod) } else { nonViolating.append(pod) }
        }
        return (violating, nonViolating)
    }
}
