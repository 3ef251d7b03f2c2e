/// Why a node cannot take a pod: one or more reasons (counted per node in the failure message)
/// and whether preemption could help (`unschedulable`) or not (`unresolvable`).
struct FilterFailure: Error, Sendable, Hashable {
    enum Code: Sendable, Hashable {
        /// Upstream's `Unschedulable`: removing pods might make room.
        case unschedulable
        /// Upstream's `UnschedulableAndUnresolvable`: nothing on the node can change this.
        case unresolvable
    }

    var code: Code
    var reasons: [String]

    static func unschedulable(_ reasons: String...) -> FilterFailure { FilterFailure(code: .unschedulable, reasons: reasons) }
    static func unresolvable(_ reasons: String...) -> FilterFailure { FilterFailure(code: .unresolvable, reasons: reasons) }
}

/// What the PreFilter extension points compute once per pod and cycle, for their filters.
struct CycleState: Sendable {
    var topologySpread: PodTopologySpread.State?
    var interPodAffinity: InterPodAffinity.State?
    var volumeBinding: VolumeBinding.State?
}

extension CycleState {
    /// The PreFilters' state for `pod` over the snapshot's nodes.
    init(_ pod: PodInfo, snapshot: Snapshot) {
        self.init(
            topologySpread: PodTopologySpread.preFilter(pod, snapshot: snapshot),
            interPodAffinity: InterPodAffinity.preFilter(pod, snapshot: snapshot))
    }
}

/// A Filter plugin: whether a node can take the pod, judged on the node info alone (plus the cycle state).
protocol FilterPlugin: Sendable {
    /// Nil when `node` fits `pod`.
    func filter(_ pod: PodInfo, on node: NodeInfo, state: CycleState) -> FilterFailure?
}

/// A Score plugin: how much a feasible node is preferred, 0…100 after normalization.
protocol ScorePlugin: Sendable {
    /// Upstream's default weight of the plugin.
    var weight: Int64 { get }
    func score(_ pod: PodInfo, on node: NodeInfo) -> Int64
    /// Brings raw scores to 0…100 (most plugins' scores already are).
    func normalize(_ scores: inout [Int64])
}

extension ScorePlugin {
    func normalize(_ scores: inout [Int64]) {}
}

/// The highest node score.
let maxNodeScore: Int64 = 100

/// Upstream's `DefaultNormalizeScore`: scales scores so that the highest is 100 (`reverse`: the
/// highest becomes 0); all zero stays zero (`reverse`: all 100).
func normalizeToMaximum(_ scores: inout [Int64], reverse: Bool) {
    let highest = scores.max() ?? 0
    guard highest > 0 else {
        if reverse { scores = scores.map { _ in maxNodeScore } }
        return
    }
    for index in scores.indices {
        let scaled = maxNodeScore * scores[index] / highest
        scores[index] = reverse ? maxNodeScore - scaled : scaled
    }
}
