import SkiffAPI
import SkiffRegistry

/// Decides whether a request goes to a webhook, as upstream's `shouldCallHook`: the rules (the
/// request's own version, else with `matchPolicy: Equivalent` another served version of the same
/// stored resource), the namespace selector and the object selector. The webhook configurations
/// themselves never go to webhooks.
struct WebhookMatcher: Sendable {
    let registry: Registry

    /// What a webhook is sent for a request it matches: the kind and resource it asked for, and
    /// the objects converted to that version.
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
        guard let invocation = try await matchingVersion(of: webhook, for: attributes) else { return nil }
        guard try await namespaceMatches(webhook.namespaceSelector, attributes) else { return nil }
        guard objectMatches(webhook.objectSelector, attributes) else { return nil }
        return invocation
    }

    /// The request's own version when a rule takes it, else (Equivalent) the first served version
    /// of the same storage a rule takes, with the objects converted through the storage version.
    private func matchingVersion(of webhook: AdmissionWebhook, for attributes: AdmissionAttributes) async throws -> Invocation? {
        func matches(_ resource: GroupVersionResource) -> Bool {
            webhook.rules.contains {
                $0.matches(operation: attributes.operation, resource: resource, subresource: attributes.subresource,
                           namespace: attributes.namespace)
            }
        }
        if matches(attributes.resource) {
            return Invocation(kind: attributes.kind, resource: attributes.resource, object: attributes.object, oldObject: attributes.oldObject)
        }
        guard webhook.matchesEquivalent, let own = registry.store(for: attributes.resource) else { return nil }
        let storage = own.info.storageResource ?? own.info.groupResource
        let equivalents = registry.resources.filter {
            ($0.storageResource ?? $0.groupResource) == storage && $0.groupVersionResource != attributes.resource
        }
        for info in equivalents where matches(info.groupVersionResource) {
            guard let other = registry.store(for: info.groupVersionResource) else { continue }
            func convert(_ object: JSONValue?) async throws -> JSONValue? {
                guard let object else { return nil }
                return try await other.strategy.convertFromStorage(try await own.strategy.convertToStorage(object))
            }
            return Invocation(kind: GroupVersionKind(group: info.group, version: info.version, kind: info.kind),
                              resource: info.groupVersionResource, object: try await convert(attributes.object),
                              oldObject: try await convert(attributes.oldObject))
        }
        return nil
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
