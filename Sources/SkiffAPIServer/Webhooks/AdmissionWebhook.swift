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
    /// The rules, `matchPolicy` and selectors.
    var criteria: AdmissionMatchCriteria
    /// `Fail` (the default) or `Ignore`: what a failed call means.
    var failsOpen: Bool
    /// `None`, `NoneOnDryRun`, `Some`, `Unknown`.
    var sideEffects: String
    var timeout: Duration
    /// Mutating webhooks: `IfNeeded` asks to be called again when a later webhook changed the object.
    var reinvokedIfNeeded: Bool
    /// CEL expressions that must all be true for the webhook to be called.
    var matchConditions: [(name: String, expression: String)]

    /// The webhooks of a stored configuration.
    static func all(in configuration: JSONValue) -> [AdmissionWebhook] {
        let configurationName = configuration.name ?? ""
        return (configuration["webhooks"]?.arrayValue ?? []).map { webhook in
            let conditions = (webhook["matchConditions"]?.arrayValue ?? []).map { condition in
                (name: condition["name"]?.stringValue ?? "", expression: condition["expression"]?.stringValue ?? "")
            }
            return AdmissionWebhook(
                name: webhook["name"]?.stringValue ?? "", configurationName: configurationName,
                clientConfig: webhook["clientConfig"] ?? .emptyObject,
                criteria: AdmissionMatchCriteria(rules: (webhook["rules"]?.arrayValue ?? []).map(WebhookRule.init), settings: webhook),
                failsOpen: webhook["failurePolicy"]?.stringValue == "Ignore",
                sideEffects: webhook["sideEffects"]?.stringValue ?? "Unknown",
                timeout: .seconds(webhook["timeoutSeconds"]?.intValue ?? 10),
                reinvokedIfNeeded: webhook["reinvocationPolicy"]?.stringValue == "IfNeeded",
                matchConditions: conditions)
        }
    }

    /// Whether the webhook may be called for a dry run (upstream: side effects `None` or `NoneOnDryRun`).
    var supportsDryRun: Bool { sideEffects == "None" || sideEffects == "NoneOnDryRun" }
}
