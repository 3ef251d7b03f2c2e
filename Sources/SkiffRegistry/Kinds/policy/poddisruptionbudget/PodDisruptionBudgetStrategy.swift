import SkiffAPI

/// PodDisruptionBudgets (policy/v1): status kept on main-resource writes, generation tracking,
/// MIN AVAILABLE/MAX UNAVAILABLE/ALLOWED DISRUPTIONS columns. The disruption controller and the
/// eviction API are not served yet.
struct PodDisruptionBudgetStrategy: StatusKeepingStrategy {
    var initialStatus: JSONValue? { ["disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0] }

    var tracksGeneration: Bool { true }
}
