/// `NodeResourcesBalancedAllocation`: prefers nodes whose cpu and memory would be used in equal
/// fractions with the pod on them (1 − the fractions' standard deviation, on actual requests).
struct BalancedAllocation: ScorePlugin {
    let weight: Int64 = 1

    func score(_ pod: PodInfo, on node: NodeInfo) -> Int64 {
        let allocatable = node.node.allocatable
        let requested = node.requested + pod.requests
        var fractions: [Double] = []
        for (used, capacity) in [(requested.milliCPU, allocatable.milliCPU), (requested.memory, allocatable.memory)] where capacity > 0 {
            fractions.append(min(Double(used) / Double(capacity), 1))
        }
        let deviation = fractions.count == 2 ? abs(fractions[0] - fractions[1]) / 2 : 0
        return Int64((1 - deviation) * Double(maxNodeScore))
    }
}
