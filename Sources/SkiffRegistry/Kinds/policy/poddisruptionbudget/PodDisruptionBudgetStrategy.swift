import SkiffAPI

/// PodDisruptionBudgets (policy/v1): status kept on main-resource writes, generation tracking,
/// MIN AVAILABLE/MAX UNAVAILABLE/ALLOWED DISRUPTIONS columns. The disruption controller writes
/// the status; the API server's eviction handler decrements it.
struct PodDisruptionBudgetStrategy: StatusKeepingStrategy {
    var initialStatus: JSONValue? { ["disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0] }

    var tracksGeneration: Bool { true }
}
