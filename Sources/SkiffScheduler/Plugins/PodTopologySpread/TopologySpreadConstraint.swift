import SkiffAPI

/// A `DoNotSchedule` topology spread constraint of a pod, with `matchLabelKeys` folded into the
/// selector as upstream does (the pod's own values of those labels must match too).
struct TopologySpreadConstraint: Sendable, Hashable {
    var maxSkew: Int64
    var topologyKey: String
    var selector: LabelSelector
    /// Labels that must also match, from `matchLabelKeys` and the pod's labels.
    var matchLabels: [String: String]
    var minDomains: Int64
    /// `nodeAffinityPolicy: Honor` (the default): only nodes the pod's node affinity accepts count.
    var honorsNodeAffinity: Bool
    /// `nodeTaintsPolicy: Honor`: only nodes whose taints the pod tolerates count (default `Ignore`).
    var honorsNodeTaints: Bool

    init(json: JSONValue, podLabels: [String: String]) {
        maxSkew = json["maxSkew"]?.intValue ?? 1
        topologyKey = json["topologyKey"]?.stringValue ?? ""
        selector = (try? LabelSelector(selector: json["labelSelector"] ?? .null, fieldPath: "labelSelector")) ?? .nothing
        var matchLabels: [String: String] = [:]
        for key in (json["matchLabelKeys"]?.arrayValue ?? []).compactMap(\.stringValue) {
            if let value = podLabels[key] { matchLabels[key] = value }
        }
        self.matchLabels = matchLabels
        minDomains = json["minDomains"]?.intValue ?? 1
        honorsNodeAffinity = (json["nodeAffinityPolicy"]?.stringValue ?? "Honor") == "Honor"
        honorsNodeTaints = json["nodeTaintsPolicy"]?.stringValue == "Honor"
    }

    /// Whether `pod` counts towards this constraint (same namespace as the constrained pod is checked by the caller).
    func selects(_ labels: [String: String]) -> Bool {
        selector.matches(labels) && matchLabels.allSatisfy { labels[$0.key] == $0.value }
    }
}
