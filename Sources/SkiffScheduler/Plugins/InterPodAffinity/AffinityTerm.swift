import SkiffAPI

/// A required pod affinity or anti-affinity term, resolved against its pod: the namespaces it
/// looks in (its own when none are named), its label selector and topology key.
struct AffinityTerm: Sendable, Hashable {
    var namespaces: Set<String>
    /// `namespaceSelector: {}`: every namespace.
    var allNamespaces: Bool
    var selector: LabelSelector
    var topologyKey: String

    init(json: JSONValue, podNamespace: String) {
        let named = Set((json["namespaces"]?.arrayValue ?? []).compactMap(\.stringValue))
        let namespaceSelector = json["namespaceSelector"]
        allNamespaces = namespaceSelector?.objectValue?.isEmpty == true
        namespaces = named.isEmpty && (namespaceSelector == nil || namespaceSelector?.isNull == true) ? [podNamespace] : named
        selector = (try? LabelSelector(selector: json["labelSelector"] ?? .null, fieldPath: "labelSelector")) ?? .nothing
        topologyKey = json["topologyKey"]?.stringValue ?? ""
    }

    /// Whether `pod` is one of the pods this term selects.
    func matches(_ pod: PodInfo) -> Bool {
        (allNamespaces || namespaces.contains(pod.namespace)) && selector.matches(pod.labels)
    }
}
