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
            let node = info.node
            guard constraints.allSatisfy({ node.labels[$0.topologyKey] != nil }) else { continue }
            for (index, constraint) in constraints.enumerated() {
                guard let value = node.labels[constraint.topologyKey] else { continue }
                if constraint.honorsNodeAffinity && !NodeAffinity.accepts(pod, node) { continue }
                if constraint.honorsNodeTaints
                    && node.taints.contains(where: { $0.forbidsScheduling && !pod.tolerations.tolerate($0) }) { continue }
                let matching = info.pods.values.count {
                    $0.namespace == pod.namespace && !$0.isBeingDeleted && constraint.selects($0.labels)
                }
                counts[index][value, default: 0] += Int64(matching)
            }
        }
        let minimums = zip(constraints, counts).map { constraint, domains -> Int64 in
            Int64(domains.count) < constraint.minDomains ? 0 : (domains.values.min() ?? 0)
        }
        return State(counts: counts, minimums: minimums)
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
