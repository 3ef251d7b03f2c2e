import SkiffAPI

/// Taints and tolerations as upstream's `v1helper` judges them, over unstructured objects:
/// shared by the controllers that place pods on nodes (DaemonSets) and the scheduler.
public enum TaintToleration {
    /// Whether `toleration` tolerates `taint` (`Toleration.tolerates`).
    public static func tolerates(_ toleration: JSONValue, taint: JSONValue) -> Bool {
        Toleration(json: toleration).tolerates(Taint(json: taint))
    }

    /// The first of `taints` with one of `effects` that no toleration tolerates, if any
    /// (upstream's `FindMatchingUntoleratedTaint`).
    public static func untoleratedTaint(_ taints: [JSONValue], tolerations: [JSONValue], effects: Set<String>) -> JSONValue? {
        taints.first { taint in
            effects.contains(taint["effect"]?.stringValue ?? "") && !tolerations.contains { tolerates($0, taint: taint) }
        }
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
    public static func verdict(tolerations: [JSONValue], taints: [JSONValue]) -> Verdict {
        var used: [JSONValue] = []
        for taint in taints where taint["effect"]?.stringValue == "NoExecute" {
            guard let matching = tolerations.first(where: { tolerates($0, taint: taint) }) else { return .evict }
            used.append(matching)
        }
        guard let shortest = used.compactMap({ $0["tolerationSeconds"]?.intValue }).min() else { return .stay }
        return shortest <= 0 ? .evict : .stayFor(seconds: shortest)
    }
}
