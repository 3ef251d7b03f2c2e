import SkiffComponentHelpers

/// Filters out nodes where a host port the pod asks for is taken.
struct NodePorts: FilterPlugin {
    static let reason = "node(s) didn't have free ports for the requested pod ports"

    func filter(_ pod: PodInfo, on node: NodeInfo, state: CycleState) -> FilterFailure? {
        guard !pod.hostPorts.isEmpty, !node.usedPorts.isEmpty else { return nil }
        return pod.hostPorts.contains(where: node.usedPorts.conflicts(with:)) ? .unschedulable(Self.reason) : nil
    }
}
