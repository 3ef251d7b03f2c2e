import SkiffAPI
import SkiffRegistry

/// Decides whether a request goes to a webhook, as upstream's `shouldCallHook`, or is seen by an
/// admission policy or binding, as upstream's policy `Matcher`: the rules (the request's own
/// version, else with `matchPolicy: Equivalent` another served version of the same stored
/// resource) less the excluded rules, the namespace selector and the object selector. The webhook
/// configurations themselves never go to webhooks.
struct WebhookMatcher: Sendable {
    let registry: Registry

    /// What a webhook or policy is given for a request it matches: the kind and resource it asked
    /// for, and the objects converted to that version.
    struct Invocation: Sendable {
        var kind: GroupVersionKind
        var resource: GroupVersionResource
        var object: JSONValue?
        var oldObject: JSONValue?
    }

    /// The admission configuration resources no webhook sees (upstream's `IsExemptAdmissionConfigurationResource`).
    static let exemptResources: Set<String> = [
        "mutatingwebhookconfigurations", "validatingwebhookconfigurations",
        "validatingadmissionpolicies", "validatingadmissionpolicybindings",
    ]

    /// The invocation of `webhook` for the request, or nil when the webhook does not want it.
    /// A namespace that does not exist is `404` (as upstream's namespace matcher).
    func invocation(of webhook: AdmissionWebhook, for attributes: AdmissionAttributes) async throws -> Invocation? {
        if attributes.resource.group == "admissionregistration.k8s.io", Self.exemptResources.contains(attributes.resource.resource) {
            return nil
        }
        return try await invocation(matching: webhook.criteria, for: attributes)
    }

    /// The invocation for a request `criteria` take, or nil.
    func invocation(matching criteria: AdmissionMatchCriteria, for attributes: AdmissionAttributes) async throws -> Invocation? {
        if !criteria.excludedRules.isEmpty,
           matchingResource(criteria.excludedRules, equivalent: criteria.matchesEquivalent, for: attributes) != nil {
            return nil
        }
        guard let matched = matchingResource(criteria.rules, equivalent: criteria.matchesEquivalent, for: attributes) else { return nil }
        guard try await namespaceMatches(criteria.namespaceSelector, attributes) else { return nil }
        guard objectMatches(criteria.objectSelector, attributes) else { return nil }
        guard case .equivalent(let info) = matched, let own = registry.store(for: attributes.resource),
              let other = registry.store(for: info.groupVersionResource) else {
            return Invocation(kind: attributes.kind, resource: attributes.resource, object: attributes.object, oldObject: attributes.oldObject)
        }
        func convert(_ object: JSONValue?) async throws -> JSONValue? {
            guard let object else { return nil }
            return try await other.strategy.convertFromStorage(try await own.strategy.convertToStorage(object))
        }
        return Invocation(kind: GroupVersionKind(group: info.group, version: info.version, kind: info.kind),
                          resource: info.groupVersionResource, object: try await convert(attributes.object),
                          oldObject: try await convert(attributes.oldObject))
    }

    /// Which resource rules took: the request's own or another version of it.
    private enum ResourceMatch {
        case own
        case equivalent(ResourceInfo)
    }

    /// The request's own resource when a rule takes it, else (Equivalent) the first served version
    /// of the same storage a rule takes; nil when none does.
    private func matchingResource(_ rules: [WebhookRule], equivalent: Bool, for attributes: AdmissionAttributes) -> ResourceMatch? {
        func matches(_ resource: GroupVersionResource) -> Bool {
            rules.contains {
                $0.matches(operation: attributes.operation, resource: resource, subresource: attributes.subresource,
                           namespace: attributes.namespace, name: attributes.name)
            }
        }
        if matches(attributes.resource) { return .own }
        guard equivalent, let own = registry.store(for: attributes.resource) else { return nil }
        let storage = own.info.storageResource ?? own.info.groupResource
        let other = registry.resources.first {
            ($0.storageResource ?? $0.groupResource) == storage && $0.groupVersionResource != attributes.resource
                && matches($0.groupVersionResource)
        }
        return other.map(ResourceMatch.equivalent)
    }

    /// An object of the invocation's version (a mutating webhook's result) in the request's version.
    func restore(_ object: JSONValue, from invocation: Invocation, to attributes: AdmissionAttributes) async throws -> JSONValue {
        guard invocation.resource != attributes.resource, let own = registry.store(for: attributes.resource),
              let other = registry.store(for: invocation.resource) else { return object }
        return try await own.strategy.convertFromStorage(try await other.strategy.convertToStorage(object))
    }

    /// Upstream's namespace matcher: cluster-scoped objects other than namespaces always match; a
    /// namespace's own create or update is judged by its new labels; otherwise the namespace's labels.
    private func namespaceMatches(_ selector: LabelSelector, _ attributes: AdmissionAttributes) async throws -> Bool {
        if selector.isEverything { return true }
        let isNamespace = attributes.resource.group.isEmpty && attributes.resource.resource == "namespaces"
        if attributes.namespace.isEmpty && !isNamespace { return true }
        if isNamespace, attributes.subresource.isEmpty, [.create, .update].contains(attributes.operation) {
            return selector.matches(attributes.object?.labels ?? [:])
        }
        let name = isNamespace ? attributes.name : attributes.namespace
        let resource = GroupResource(group: "", resource: "namespaces")
        guard let namespaces = registry.store(for: resource),
              let namespace = await namespaces.admissionLookup(namespace: nil, name: name) else {
            throw APIError.notFound(resource, name: name)
        }
        return selector.matches(namespace.labels)
    }

    /// Upstream's object matcher: the new or the old object's labels.
    private func objectMatches(_ selector: LabelSelector, _ attributes: AdmissionAttributes) -> Bool {
        if selector.isEverything { return true }
        return [attributes.object, attributes.oldObject].contains { object in object.map { selector.matches($0.labels) } ?? false }
    }
}
