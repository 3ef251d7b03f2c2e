/// A pod that names its node (`spec.nodeName`) fits only that node.
struct NodeName: FilterPlugin {
    static let reason = "node(s) didn't match the requested node name"

    func filter(_ pod: PodInfo, on node: NodeInfo, state: CycleState) -> FilterFailure? {
        guard !pod.nodeName.isEmpty, pod.nodeName != node.name else { return nil }
        return .unresolvable(Self.reason)
    }
}
