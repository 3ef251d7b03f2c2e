import SkiffAPI

/// Whether a pod's node selection admits a node (upstream's `nodeaffinity.GetRequiredNodeAffinity`
/// `Match`): every `spec.nodeSelector` label and, when set, one of the required node affinity's
/// terms. Shared by the controllers that place pods on nodes and the scheduler.
public enum NodeAffinity {
    /// Whether `podSpec` (a pod's or a template's `spec`) may run on `node`.
    public static func admits(_ podSpec: JSONValue, node: JSONValue) -> Bool {
        let labels = node.labels
        let selector = podSpec["nodeSelector"]?.objectValue ?? [:]
        guard selector.allSatisfy({ labels[$0.key] == $0.value.stringValue }) else { return false }
        guard let required = podSpec[path: "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"],
            required != .null
        else { return true }
        return matches(terms: required["nodeSelectorTerms"]?.arrayValue ?? [], node: node)
    }

    /// Whether one of the node selector `terms` matches `node` (terms are ORed; see
    /// `NodeSelectorTerm`).
    public static func matches(terms: [JSONValue], node: JSONValue) -> Bool {
        let labels = node.labels
        let name = node.name ?? ""
        return terms.contains { NodeSelectorTerm(json: $0).matches(labels: labels, name: name) }
    }
}
