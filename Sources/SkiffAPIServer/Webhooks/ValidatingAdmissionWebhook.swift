import SkiffAPI
import SkiffRegistry

/// Upstream's `ValidatingAdmissionWebhook` plugin: every matching webhook of the
/// `ValidatingWebhookConfiguration`s is called at once; the first refusal or failure (in the
/// webhooks' order) refuses the write.
struct ValidatingAdmissionWebhook: ValidatingAdmissionPlugin {
    let dispatcher: WebhookDispatcher

    var name: String { "ValidatingAdmissionWebhook" }

    func validate(_ attributes: AdmissionAttributes) async throws {
        let webhooks = dispatcher.webhooks()
        if webhooks.isEmpty { return }
        let errors = await withTaskGroup(of: (Int, (any Error)?).self) { group in
            for (index, webhook) in webhooks.enumerated() {
                group.addTask {
                    do {
                        _ = try await dispatcher.call(webhook, attributes)
                        return (index, nil)
                    } catch {
                        return (index, error)
                    }
                }
            }
            var errors: [(Int, any Error)] = []
            for await (index, error) in group { if let error { errors.append((index, error)) } }
            return errors
        }
        if let first = errors.min(by: { $0.0 < $1.0 }) { throw first.1 }
    }
}
