import SkiffAPI

/// What a webhook, an admission policy (`matchConstraints`) or a policy binding (`matchResources`)
/// asks to see: requests one of its rules takes and no excluded rule takes (with `matchPolicy:
/// Equivalent`, also in another served version of the same resource), in namespaces and of objects
/// its selectors select.
struct AdmissionMatchCriteria: Sendable {
    var rules: [WebhookRule]
    /// `excludeResourceRules` of policies; webhooks have none.
    var excludedRules: [WebhookRule]
    /// `Equivalent` (the default) or `Exact`.
    var matchesEquivalent: Bool
    var namespaceSelector: LabelSelector
    var objectSelector: LabelSelector

    /// `rules` with the `excludeResourceRules`, `matchPolicy`, `namespaceSelector` and
    /// `objectSelector` that `settings` (a webhook, a policy's `matchConstraints`) states, with
    /// upstream's defaults. A selector that does not parse selects nothing (validation refuses
    /// such objects).
    init(rules: [WebhookRule], settings: JSONValue) {
        func selector(_ key: String) -> LabelSelector {
            guard let value = settings[key] else { return LabelSelector() }
            return (try? LabelSelector(selector: value, fieldPath: key)) ?? .nothing
        }
        self.rules = rules
        excludedRules = (settings["excludeResourceRules"]?.arrayValue ?? []).map(WebhookRule.init)
        matchesEquivalent = settings["matchPolicy"]?.stringValue != "Exact"
        namespaceSelector = selector("namespaceSelector")
        objectSelector = selector("objectSelector")
    }

    /// A policy's `matchConstraints` or a binding's `matchResources`; no `resourceRules` (a
    /// binding's) takes every request.
    init(matchResources: JSONValue) {
        let rules = (matchResources["resourceRules"]?.arrayValue ?? []).map(WebhookRule.init)
        self.init(rules: rules.isEmpty ? [.everything] : rules, settings: matchResources)
    }
}
