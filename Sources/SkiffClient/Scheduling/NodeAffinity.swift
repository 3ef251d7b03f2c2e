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

    /// Whether one of the node selector `terms` matches `node` (terms are ORed; a term's
    /// expressions and fields are ANDed; a term without any requirement matches nothing).
    public static func matches(terms: [JSONValue], node: JSONValue) -> Bool {
        let labels = node.labels
        let fields = ["metadata.name": node.name ?? ""]
        return terms.contains { term in
            let expressions = term["matchExpressions"]?.arrayValue ?? []
            let fieldRequirements = term["matchFields"]?.arrayValue ?? []
            guard !expressions.isEmpty || !fieldRequirements.isEmpty else { return false }
            return expressions.allSatisfy { matches($0, values: labels) } && fieldRequirements.allSatisfy { matches($0, values: fields) }
        }
    }

    /// Whether one `NodeSelectorRequirement` holds for `values` (labels or fields):
    /// `In`, `NotIn`, `Exists`, `DoesNotExist`, and `Gt`/`Lt` comparing integers.
    public static func matches(_ requirement: JSONValue, values: [String: String]) -> Bool {
        let key = requirement["key"]?.stringValue ?? ""
        let wanted = requirement["values"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let value = values[key]
        switch requirement["operator"]?.stringValue ?? "" {
        case "In": return value.map(wanted.contains) ?? false
        case "NotIn": return !(value.map(wanted.contains) ?? false)
        case "Exists": return value != nil
        case "DoesNotExist": return value == nil
        case "Gt", "Lt":
            guard wanted.count == 1, let bound = Int64(wanted[0]), let actual = value.flatMap({ Int64($0) }) else { return false }
            return requirement["operator"]?.stringValue == "Gt" ? actual > bound : actual < bound
        default: return false
        }
    }
}
