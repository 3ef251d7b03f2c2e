import SkiffComponentHelpers

/// Required (`DoNotSchedule`) topology spread: placing the pod in a domain must not make that
/// domain's count of matching pods exceed the smallest domain's by more than `maxSkew`.
struct PodTopologySpread: FilterPlugin {
    static let reason = "node(s) didn't match pod topology spread constraints"
    static let missingLabelReason = reason + " (missing required label)"

    /// Matching pods per topology value, for each constraint, over the nodes that count.
    struct State: Sendable {
        var counts: [[String: Int64]]
        var minimums: [Int64]
    }

    /// Counts the pods each constraint selects per domain (upstream's PreFilter). Nodes count when
    /// they carry every constraint's topology key and pass the node inclusion policies.
    static func preFilter(_ pod: PodInfo, snapshot: Snapshot) -> State? {
        let constraints = pod.spreadConstraints
        guard !constraints.isEmpty else { return nil }
        var counts = Array(repeating: [String: Int64](), count: constraints.count)
        for info in snapshot.nodes {
            for (index, value) in countedDomains(of: pod, on: info.node) {
                let matching = info.pods.values.count { isCounted($0, for: pod, constraints[index]) }
                counts[index][value, default: 0] += Int64(matching)
            }
        }
        var state = State(counts: counts, minimums: [])
        state.minimums = minimums(of: constraints, counts)
        return state
    }

    /// The constraints (by index) for which `node` counts, with its domain for each: the node
    /// carries every constraint's topology key and passes the constraint's inclusion policies.
    private static func countedDomains(of pod: PodInfo, on node: Node) -> [(Int, String)] {
        let constraints = pod.spreadConstraints
        guard constraints.allSatisfy({ node.labels[$0.topologyKey] != nil }) else { return [] }
        return constraints.enumerated().compactMap { index, constraint in
            guard let value = node.labels[constraint.topologyKey] else { return nil }
            if constraint.honorsNodeAffinity && !NodeAffinity.accepts(pod, node) { return nil }
            if constraint.honorsNodeTaints
                && node.taints.contains(where: { $0.forbidsScheduling && !pod.tolerations.tolerate($0) }) { return nil }
            return (index, value)
        }
    }

    /// Whether `existing` counts towards the constraint of the incoming `pod`.
    private static func isCounted(_ existing: PodInfo, for pod: PodInfo, _ constraint: TopologySpreadConstraint) -> Bool {
        existing.namespace == pod.namespace && !existing.isBeingDeleted && constraint.selects(existing.labels)
    }

    /// The smallest count of each constraint (0 while fewer domains than `minDomains` exist).
    private static func minimums(of constraints: [TopologySpreadConstraint], _ counts: [[String: Int64]]) -> [Int64] {
        zip(constraints, counts).map { constraint, domains -> Int64 in
            Int64(domains.count) < constraint.minDomains ? 0 : (domains.values.min() ?? 0)
        }
    }

    /// Counts `existing` in (`delta` 1) or out of (-1) the domains of `node` (upstream's
    /// PreFilter extensions `AddPod` and `RemovePod`, used by preemption's dry runs).
    static func update(_ state: inout State, for pod: PodInfo, existing: PodInfo, on node: Node, delta: Int64) {
        let constraints = pod.spreadConstraints
        for (index, value) in countedDomains(of: pod, on: node) where isCounted(existing, for: pod, constraints[index]) {
            state.counts[index][value, default: 0] += delta
        }
        state.minimums = minimums(of: constraints, state.counts)
    }

    func filter(_ pod: PodInfo, on node: NodeInfo, state: CycleState) -> FilterFailure? {
        guard let spread = state.topologySpread else { return nil }
        for (index, constraint) in pod.spreadConstraints.enumerated() {
            guard let value = node.node.labels[constraint.topologyKey] else { return .unresolvable(Self.missingLabelReason) }
            let selfMatch: Int64 = constraint.selects(pod.labels) ? 1 : 0
            let skew = (spread.counts[index][value] ?? 0) + selfMatch - spread.minimums[index]
            if skew > constraint.maxSkew { return .unschedulable(Self.reason) }
        }
        return nil
    }
}
