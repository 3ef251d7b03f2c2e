import SkiffAPI

/// Taints and tolerations as upstream's `v1helper` judges them, over unstructured objects:
/// shared by the controllers that place pods on nodes (DaemonSets) and the scheduler.
public enum TaintToleration {
    /// Whether `toleration` tolerates `taint` (upstream's `ToleratesTaint`): the effect matches
    /// (an empty effect tolerates every effect), the key matches (an empty key with `Exists`
    /// tolerates every key), and `Exists` tolerates any value while `Equal` (the default) needs
    /// the same value.
    public static func tolerates(_ toleration: JSONValue, taint: JSONValue) -> Bool {
        let effect = toleration["effect"]?.stringValue ?? ""
        if !effect.isEmpty, effect != taint["effect"]?.stringValue ?? "" { return false }
        let key = toleration["key"]?.stringValue ?? ""
        let exists = toleration["operator"]?.stringValue == "Exists"
        if key.isEmpty { return exists }
        guard key == taint["key"]?.stringValue ?? "" else { return false }
        return exists || (toleration["value"]?.stringValue ?? "") == (taint["value"]?.stringValue ?? "")
    }

    /// The first of `taints` with one of `effects` that no toleration tolerates, if any
    /// (upstream's `FindMatchingUntoleratedTaint`).
    public static func untoleratedTaint(_ taints: [JSONValue], tolerations: [JSONValue], effects: Set<String>) -> JSONValue? {
        taints.first { taint in
            effects.contains(taint["effect"]?.stringValue ?? "") && !tolerations.contains { tolerates($0, taint: taint) }
        }
    }
}
