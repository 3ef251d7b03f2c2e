import SkiffAPI

/// One webhook of a `MutatingWebhookConfiguration` or `ValidatingWebhookConfiguration`, as the
/// dispatcher uses it (the stored configuration carries upstream's defaults).
struct AdmissionWebhook: Sendable {
    /// The webhook's name (`pod-policy.example.com`), unique within its configuration.
    var name: String
    /// The configuration holding it, for logs.
    var configurationName: String
    /// `url` or `service` (with `caBundle`).
    var clientConfig: JSONValue
    var rules: [WebhookRule]
    /// `Fail` (the default) or `Ignore`: what a failed call means.
    var failsOpen: Bool
    /// `Equivalent` (the default) or `Exact`.
    var matchesEquivalent: Bool
    var namespaceSelector: LabelSelector
    var objectSelector: LabelSelector
    /// `None`, `NoneOnDryRun`, `Some`, `Unknown`.
    var sideEffects: String
    var timeout: Duration
    /// Mutating webhooks: `IfNeeded` asks to be called again when a later webhook changed the object.
    var reinvokedIfNeeded: Bool
    /// CEL expressions that must all be true for the webhook to be called.
    var matchConditions: [(name: String, expression: String)]

    /// The webhooks of a stored configuration; a selector that does not parse selects nothing
    /// (validation refuses such configurations).
    static func all(in configuration: JSONValue) -> [AdmissionWebhook] {
        let configurationName = configuration.name ?? ""
        return (configuration["webhooks"]?.arrayValue ?? []).map { webhook in
            func selector(_ key: String) -> LabelSelector {
                guard let value = webhook[key] else { return LabelSelector() }
                return (try? LabelSelector(selector: value, fieldPath: key)) ?? .nothing
            }
            let conditions = (webhook["matchConditions"]?.arrayValue ?? []).map { condition in
                (name: condition["name"]?.stringValue ?? "", expression: condition["expression"]?.stringValue ?? "")
            }
            return AdmissionWebhook(
                name: webhook["name"]?.stringValue ?? "", configurationName: configurationName,
                clientConfig: webhook["clientConfig"] ?? .emptyObject,
                rules: (webhook["rules"]?.arrayValue ?? []).map(WebhookRule.init),
                failsOpen: webhook["failurePolicy"]?.stringValue == "Ignore",
                matchesEquivalent: webhook["matchPolicy"]?.stringValue != "Exact",
                namespaceSelector: selector("namespaceSelector"), objectSelector: selector("objectSelector"),
                sideEffects: webhook["sideEffects"]?.stringValue ?? "Unknown",
                timeout: .seconds(webhook["timeoutSeconds"]?.intValue ?? 10),
                reinvokedIfNeeded: webhook["reinvocationPolicy"]?.stringValue == "IfNeeded",
                matchConditions: conditions)
        }
    }

    /// Whether the webhook may be called for a dry run (upstream: side effects `None` or `NoneOnDryRun`).
    var supportsDryRun: Bool { sideEffects == "None" || sideEffects == "NoneOnDryRun" }
}
