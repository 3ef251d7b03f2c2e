import SkiffAPI

/// PriorityClasses (scheduling.k8s.io/v1, cluster-scoped): `system-` names reserved for
/// upstream's two system classes (which the bootstrap creates), an immutable value and
/// preemption policy, VALUE/GLOBAL-DEFAULT/PREEMPTIONPOLICY columns.
struct PriorityClassStrategy: ResourceStrategy {
    /// The highest value a user-defined class may have.
    static let highestUserDefinable: Int64 = 1_000_000_000

    /// Upstream's system classes: name and value.
    static let systemClasses: [(name: String, value: Int64)] = [
        ("system-node-critical", 2_000_001_000), ("system-cluster-critical", 2_000_000_000),
    ]

    static let preemptionPolicies = ["Never", "PreemptLowerPriority"]

    func applyDefaults(to object: inout JSONValue) { object.setDefault("preemptionPolicy", "PreemptLowerPriority") }
}
