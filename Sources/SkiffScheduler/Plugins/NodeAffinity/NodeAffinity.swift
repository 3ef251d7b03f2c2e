import SkiffComponentHelpers

/// Filters nodes by the pod's `nodeSelector` and required node affinity; scores them by the
/// summed weights of the preferred terms they match.
struct NodeAffinity: FilterPlugin, ScorePlugin {
    static let reason = "node(s) didn't match Pod's node affinity/selector"
    let weight: Int64 = 2

    /// Whether `node` satisfies the pod's node selector and required node affinity.
    static func accepts(_ pod: PodInfo, _ node: Node) -> Bool {
        pod.requiredNodeAffinity.matches(labels: node.labels, name: node.name)
    }

    func filter(_ pod: PodInfo, on node: NodeInfo, state: CycleState) -> FilterFailure? {
        Self.accepts(pod, node.node) ? nil : .unresolvable(Self.reason)
    }

    func score(_ pod: PodInfo, on node: NodeInfo) -> Int64 {
        pod.preferredNodeAffinity.reduce(0) {
            $0 + ($1.weight != 0 && $1.preference.matches(labels: node.node.labels, name: node.node.name) ? Int64($1.weight) : 0)
        }
    }

    func normalize(_ scores: inout [Int64]) {
        normalizeToMaximum(&scores, reverse: false)
    }
}
