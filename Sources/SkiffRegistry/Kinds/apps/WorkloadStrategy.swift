import SkiffAPI

/// Kinds with a pod template (deployments, replica sets, stateful sets, daemon sets, jobs,
/// cron jobs): they track their generation, start with an empty status, and keep their status
/// on updates of the main resource.
protocol WorkloadStrategy: ResourceStrategy {
    /// The status a new object starts with: Go's zero status, as upstream serializes it.
    var initialStatus: JSONValue { get }
}

extension WorkloadStrategy {
    var tracksGeneration: Bool { true }
    var initialStatus: JSONValue { .emptyObject }
    func prepareForCreate(_ object: inout JSONValue) { object["status"] = initialStatus }
    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) { object["status"] = old["status"] }
}
