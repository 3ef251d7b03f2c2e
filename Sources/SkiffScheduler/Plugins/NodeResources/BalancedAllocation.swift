import SkiffComponentHelpers

/// `NodeResourcesBalancedAllocation`: prefers nodes whose cpu and memory would be used in equal
/// fractions with the pod on them (1 − the fractions' standard deviation, on actual requests).
struct BalancedAllocation: ScorePlugin {
    let weight: Int64 = 1

    func score(_ pod: PodInfo, on node: NodeInfo) -> Int64 {
        let allocatable = node.node.allocatable
        let requested = node.requested + pod.requests
        // With one resource (or none) allocatable there is nothing to balance: the deviation is 0.
        guard allocatable.milliCPU > 0, allocatable.memory > 0 else { return maxNodeScore }
        let cpu = min(Double(requested.milliCPU) / Double(allocatable.milliCPU), 1)
        let memory = min(Double(requested.memory) / Double(allocatable.memory), 1)
        return Int64((1 - abs(cpu - memory) / 2) * Double(maxNodeScore))
    }
}
