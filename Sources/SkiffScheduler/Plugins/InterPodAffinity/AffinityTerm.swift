import SkiffAPI
import SkiffModels

/// A required pod affinity or anti-affinity term resolved against its pod (upstream's
/// `framework.AffinityTerm`): the namespaces it looks in (its own when none are named), its
/// parsed label selector and topology key.
struct AffinityTerm: Sendable, Hashable {
    var namespaces: Set<String>
    /// `namespaceSelector: {}`: every namespace.
    var allNamespaces: Bool
    var selector: LabelSelector
    var topologyKey: String

    init(_ term: CoreV1.PodAffinityTerm, podNamespace: String) {
        let named = Set(term.namespaces ?? [])
        let namespaceSelector = term.namespaceSelector
        allNamespaces = namespaceSelector.map { ($0.matchLabels ?? [:]).isEmpty && ($0.matchExpressions ?? []).isEmpty } ?? false
        namespaces = named.isEmpty && namespaceSelector == nil ? [podNamespace] : named
        selector = (try? LabelSelector(term.labelSelector)) ?? .nothing
        topologyKey = term.topologyKey
    }

    /// Whether `pod` is one of the pods this term selects.
    func matches(_ pod: PodInfo) -> Bool {
        (allNamespaces || namespaces.contains(pod.namespace)) && selector.matches(pod.labels)
    }
}
