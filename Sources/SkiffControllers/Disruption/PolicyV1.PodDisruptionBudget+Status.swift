import SkiffAPI
import SkiffModels

extension PolicyV1.PodDisruptionBudget {
    /// What the disruption controller counted for a budget.
    struct Counts: Equatable {
        var currentHealthy: Int
        var desiredHealthy: Int
        var expectedPods: Int
        /// Approved evictions still pending, by pod name.
        var disruptedPods: [String: Timestamp]
    }

    static let disruptionAllowed = "DisruptionAllowed"

    /// Sets the status from `counts` (upstream's `updatePdbStatus`): disruptions allowed are
    /// the healthy pods beyond the desired ones, none while no pod is expected; the
    /// `DisruptionAllowed` condition follows.
    mutating func setStatus(_ counts: Counts, observedGeneration: Int64, now: Timestamp) {
        let allowed = counts.expectedPods > 0 ? max(0, counts.currentHealthy - counts.desiredHealthy) : 0
        status = PolicyV1.PodDisruptionBudgetStatus(
            conditions: status?.conditions, currentHealthy: Int32(counts.currentHealthy), desiredHealthy: Int32(counts.desiredHealthy),
            disruptedPods: counts.disruptedPods.isEmpty ? nil : counts.disruptedPods, disruptionsAllowed: Int32(allowed),
            expectedPods: Int32(counts.expectedPods), observedGeneration: observedGeneration)
        setCondition(
            MetaV1.Condition(
                message: "", observedGeneration: observedGeneration, reason: allowed > 0 ? "SufficientPods" : "InsufficientPods",
                status: allowed > 0 ? "True" : "False", type: Self.disruptionAllowed),
            now: now)
    }

    /// Allows no disruption, with `message` in a `SyncFailed` condition (upstream's `failSafe`).
    mutating func failSafe(message: String, now: Timestamp) {
        var status = self.status ?? PolicyV1.PodDisruptionBudgetStatus(currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0)
        status.disruptionsAllowed = 0
        self.status = status
        setCondition(
            MetaV1.Condition(
                message: message, observedGeneration: status.observedGeneration, reason: "SyncFailed", status: "False", type: Self.disruptionAllowed),
            now: now)
    }

    /// Sets a condition as upstream's `meta.SetStatusCondition`: the transition time changes
    /// only with the status.
    private mutating func setCondition(_ condition: MetaV1.Condition, now: Timestamp) {
        var condition = condition
        var conditions = status?.conditions ?? []
        if let index = conditions.firstIndex(where: { $0.type == condition.type }) {
            condition.lastTransitionTime = conditions[index].status == condition.status ? conditions[index].lastTransitionTime : now
            conditions[index] = condition
        } else {
            condition.lastTransitionTime = now
            conditions.append(condition)
        }
        status?.conditions = conditions
    }
}
