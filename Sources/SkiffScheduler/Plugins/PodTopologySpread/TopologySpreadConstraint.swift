import SkiffAPI
import SkiffModels

/// A `DoNotSchedule` topology spread constraint of a pod, precomputed from
/// `CoreV1.TopologySpreadConstraint` as upstream's plugin does: the parsed selector, with
/// `matchLabelKeys` folded in (the pod's own values of those labels must match too), and the
/// defaults of `minDomains` and the node inclusion policies applied.
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

    init(_ constraint: CoreV1.TopologySpreadConstraint, podLabels: [String: String]) {
        maxSkew = Int64(constraint.maxSkew)
        topologyKey = constraint.topologyKey
        selector = (try? LabelSelector(constraint.labelSelector)) ?? .nothing
        var matchLabels: [String: String] = [:]
        for key in constraint.matchLabelKeys ?? [] {
            if let value = podLabels[key] { matchLabels[key] = value }
        }
        self.matchLabels = matchLabels
        minDomains = Int64(constraint.minDomains ?? 1)
        honorsNodeAffinity = (constraint.nodeAffinityPolicy ?? "Honor") == "Honor"
        honorsNodeTaints = constraint.nodeTaintsPolicy == "Honor"
    }

    /// Whether a pod with `labels` counts towards this constraint (same namespace as the
    /// constrained pod is checked by the caller).
    func selects(_ labels: [String: String]) -> Bool {
        selector.matches(labels) && matchLabels.allSatisfy { labels[$0.key] == $0.value }
    }
}
