import SkiffComponentHelpers
import SkiffModels

/// Filters out nodes with a `NoSchedule`/`NoExecute` taint the pod does not tolerate; scores nodes
/// by how few `PreferNoSchedule` taints the pod does not tolerate.
struct TaintToleration: FilterPlugin, ScorePlugin {
    let weight: Int64 = 3

    func filter(_ pod: PodInfo, on node: NodeInfo, state: CycleState) -> FilterFailure? {
        guard let taint = node.node.taints.first(where: { $0.forbidsScheduling && !pod.tolerations.tolerate($0) }) else { return nil }
        return .unresolvable("node(s) had untolerated taint {\(taint.key): \(taint.value ?? "")}")
    }

    /// The number of untolerated `PreferNoSchedule` taints (tolerations with an empty or
    /// `PreferNoSchedule` effect count).
    func score(_ pod: PodInfo, on node: NodeInfo) -> Int64 {
        guard !node.node.taints.isEmpty else { return 0 }
        let tolerations = pod.tolerations.filter { ($0.effect ?? "").isEmpty || $0.effect == CoreV1.Taint.Effect.preferNoSchedule }
        return Int64(node.node.taints.count { $0.effect == CoreV1.Taint.Effect.preferNoSchedule && !tolerations.tolerate($0) })
    }

    func normalize(_ scores: inout [Int64]) {
        normalizeToMaximum(&scores, reverse: true)
    }
}
