import SkiffComponentHelpers

/// Filters out nodes without room for the pod's requests (pods, cpu, memory, ephemeral storage,
/// against allocatable minus what bound and assumed pods request); scores with the
/// `LeastAllocated` strategy (cpu and memory weighted 1 each, non-zero requests).
struct NodeResourcesFit: FilterPlugin, ScorePlugin {
    let weight: Int64 = 1

    func filter(_ pod: PodInfo, on node: NodeInfo, state: CycleState) -> FilterFailure? {
        var reasons: [String] = []
        let allocatable = node.node.allocatable
        if Int64(node.pods.count) + 1 > allocatable.pods { reasons.append("Too many pods") }
        let request = pod.requests
        if !request.isZero {
            let requested = node.requested
            if request.milliCPU > 0 && request.milliCPU > allocatable.milliCPU - requested.milliCPU {
                reasons.append("Insufficient cpu")
            }
            if request.memory > 0 && request.memory > allocatable.memory - requested.memory {
                reasons.append("Insufficient memory")
            }
            if request.ephemeralStorage > 0 && request.ephemeralStorage > allocatable.ephemeralStorage - requested.ephemeralStorage {
                reasons.append("Insufficient ephemeral-storage")
            }
        }
        return reasons.isEmpty ? nil : FilterFailure(code: .unschedulable, reasons: reasons)
    }

    func score(_ pod: PodInfo, on node: NodeInfo) -> Int64 {
        let allocatable = node.node.allocatable
        let requested = node.nonZeroRequested + pod.nonZeroRequests
        func leastAllocated(_ requested: Int64, _ capacity: Int64) -> Int64 {
            guard capacity > 0, requested <= capacity else { return 0 }
            return (capacity - requested) * maxNodeScore / capacity
        }
        return (leastAllocated(requested.milliCPU, allocatable.milliCPU) + leastAllocated(requested.memory, allocatable.memory)) / 2
    }
}
