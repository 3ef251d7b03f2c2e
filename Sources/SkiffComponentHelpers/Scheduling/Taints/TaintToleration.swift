import SkiffModels

/// Taints and tolerations as upstream's `v1helper` and taint eviction controller judge them:
/// shared by the controllers that place or evict pods and the scheduler.
public enum TaintToleration {
    /// The first of `taints` with one of `effects` that no toleration tolerates, if any
    /// (upstream's `FindMatchingUntoleratedTaint`).
    public static func untoleratedTaint(
        _ taints: [CoreV1.Taint], tolerations: [CoreV1.Toleration], effects: Set<String>
    ) -> CoreV1.Taint? {
        taints.first { effects.contains($0.effect) && !tolerations.tolerate($0) }
    }

    /// What a pod may do on a node with NoExecute taints (upstream's taint eviction controller).
    public enum Verdict: Equatable, Sendable {
        /// No NoExecute taint, or every one tolerated forever.
        case stay
        /// Every NoExecute taint tolerated, the shortest for this many seconds.
        case stayFor(seconds: Int64)
        /// Some NoExecute taint is not tolerated.
        case evict
    }

    /// The verdict for a pod with `tolerations` on a node with `taints`: upstream counts the
    /// first toleration matching each NoExecute taint, and the shortest `tolerationSeconds` of those.
    public static func verdict(tolerations: [CoreV1.Toleration], taints: [CoreV1.Taint]) -> Verdict {
        var used: [CoreV1.Toleration] = []
        for taint in taints where taint.effect == CoreV1.Taint.Effect.noExecute {
            guard let matching = tolerations.first(where: { $0.tolerates(taint) }) else { return .evict }
            used.append(matching)
        }
        guard let shortest = used.compactMap(\.tolerationSeconds).min() else { return .stay }
        return shortest <= 0 ? .evict : .stayFor(seconds: shortest)
    }
}
