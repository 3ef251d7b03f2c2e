import SkiffAPI

/// Validating and mutating webhook configurations (admissionregistration.k8s.io/v1,
/// cluster-scoped): upstream's webhook defaults and the validation users commonly hit, WEBHOOKS
/// column. Calling the webhooks is the admission's (security/CRD issues), not done here.
struct WebhookConfigurationStrategy: ResourceStrategy {
    /// Whether this serves mutating webhook configurations.
    let mutating: Bool

    var tracksGeneration: Bool { true }

    func applyDefaults(to object: inout JSONValue) {
        object.editElements("webhooks") { webhook in
            webhook.setDefault("failurePolicy", "Fail")
            webhook.setDefault("matchPolicy", "Equivalent")
            webhook.setDefault("namespaceSelector", .emptyObject)
            webhook.setDefault("objectSelector", .emptyObject)
            webhook.setDefault("timeoutSeconds", 10)
            if mutating { webhook.setDefault("reinvocationPolicy", "Never") }
            webhook.editElements("rules") { $0.setDefault("scope", "*") }
            webhook.editMember("clientConfig") { config in config.editMember("service") { $0.setDefault("port", 443) } }
        }
    }
}
