import SkiffAPI
import SkiffRegistry

/// Upstream's `MutatingAdmissionWebhook` plugin: each matching webhook of the
/// `MutatingWebhookConfiguration`s is called in turn and its JSON patch applied to the object the
/// next one sees. Webhooks with `reinvocationPolicy: IfNeeded` are called once more when a later
/// webhook changed the object after them (upstream also reinvokes the built-in mutating plugins;
/// Skiff does not).
struct MutatingAdmissionWebhook: MutatingAdmissionPlugin {
    let dispatcher: WebhookDispatcher

    var name: String { "MutatingAdmissionWebhook" }

    func admit(_ attributes: inout AdmissionAttributes) async throws {
        let webhooks = dispatcher.webhooks()
        if webhooks.isEmpty { return }
        var seenByReinvokable: [(webhook: AdmissionWebhook, object: JSONValue?)] = []
        for webhook in webhooks {
            let called = try await call(webhook, &attributes)
            if called && webhook.reinvokedIfNeeded { seenByReinvokable.append((webhook, attributes.object)) }
        }
        let final = attributes.object
        for (webhook, object) in seenByReinvokable where object != final {
            _ = try await call(webhook, &attributes)
        }
    }

    /// Calls one webhook and applies its patch; whether it was called.
    private func call(_ webhook: AdmissionWebhook, _ attributes: inout AdmissionAttributes) async throws -> Bool {
        guard let outcome = try await dispatcher.call(webhook, attributes) else { return false }
        guard let patch = outcome.response.patch, let object = outcome.invocation.object else { return true }
        if patch.arrayValue?.isEmpty ?? false { return true }
        let patched: JSONValue
        do {
            patched = try JSONPatch.apply(patch, to: object)
        } catch {
            throw APIError.internalError(error.description)
        }
        attributes.object = try await dispatcher.matcher.restore(patched, from: outcome.invocation, to: attributes)
        return true
    }
}
