import SkiffComponentHelpers
import SkiffModels

/// Keeps pods off cordoned nodes (`spec.unschedulable`) unless they tolerate the
/// `node.kubernetes.io/unschedulable:NoSchedule` taint.
struct NodeUnschedulable: FilterPlugin {
    static let reason = "node(s) were unschedulable"

    func filter(_ pod: PodInfo, on node: NodeInfo, state: CycleState) -> FilterFailure? {
        guard node.node.unschedulable, !pod.tolerations.tolerate(CoreV1.Taint.unschedulable) else { return nil }
        return .unresolvable(Self.reason)
    }
}
