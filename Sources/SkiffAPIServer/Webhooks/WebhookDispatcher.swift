import Logging
import SkiffAPI
import SkiffRegistry

/// What the two webhook admission plugins share: the configurations of their kind (read from the
/// watch cache, in name order, as upstream sorts them), and the call of one webhook with
/// upstream's rules for dry runs, failures (`failurePolicy`), refusals and warnings.
struct WebhookDispatcher: Sendable {
    /// `mutatingwebhookconfigurations` or `validatingwebhookconfigurations`.
    let configurations: ResourceStore
    let matcher: WebhookMatcher
    let client: WebhookClient
    let mutating: Bool
    let logger = Logger(label: "skiff.admission.webhook")

    init(registry: Registry, mutating: Bool) throws(APIError) {
        let resource = GroupResource(group: "admissionregistration.k8s.io",
                                     resource: mutating ? "mutatingwebhookconfigurations" : "validatingwebhookconfigurations")
        guard let store = registry.store(for: resource) else { throw APIError.notFound(resource, name: "") }
        configurations = store
        matcher = WebhookMatcher(registry: registry)
        client = WebhookClient(registry: registry)
        self.mutating = mutating
    }

    /// Every webhook of every configuration, configurations by name, webhooks in their order.
    func webhooks() -> [AdmissionWebhook] {
        configurations.cache.snapshot(filter: WatchFilter()).objects
            .map(\.decoded).sorted { ($0.name ?? "") < ($1.name ?? "") }
            .flatMap(AdmissionWebhook.all(in:))
    }

    /// What a call gave: the matched invocation (for converting a patched object back) and the answer.
    struct Outcome: Sendable {
        var invocation: WebhookMatcher.Invocation
        var response: AdmissionReview.Response
    }

    /// Calls `webhook` if it wants the request. Nil when it does not, or when the call failed and
    /// the webhook fails open. A refusal is thrown with the webhook's status; a failed call of a
    /// webhook that fails closed as `500` (`failed calling webhook "x": …`).
    func call(_ webhook: AdmissionWebhook, _ attributes: AdmissionAttributes) async throws -> Outcome? {
        guard let invocation = try await matcher.invocation(of: webhook, for: attributes) else { return nil }
        let uid = UID.random()
        let review = AdmissionReview.request(uid: uid, attributes: attributes, invocation: invocation)
        do {
            guard try WebhookMatchConditions.allHold(webhook.matchConditions, request: review["request"] ?? .null) else { return nil }
        } catch {
            if webhook.failsOpen { return nil }
            let resource = GroupResource(group: attributes.resource.group, resource: attributes.resource.resource)
            throw APIError.forbidden("\(resource) \"\(attributes.nameForErrors)\" is forbidden: \(error)", resource: resource,
                                     name: attributes.nameForErrors)
        }
        if attributes.dryRun && !webhook.supportsDryRun {
            throw APIError.badRequest("admission webhook \"\(webhook.name)\" does not support dry run")
        }
        let answer: JSONValue
        do {
            answer = try await client.post(review, to: webhook.clientConfig, timeout: webhook.timeout)
        } catch {
            return try failed(webhook, "failed to call webhook: \(error)")
        }
        let response: AdmissionReview.Response
        do {
            response = try AdmissionReview.response(answer, uid: uid, mutating: mutating)
        } catch {
            return try failed(webhook, "received invalid webhook response: \(error)")
        }
        for warning in response.warnings { attributes.warnings?.add(warning) }
        if !response.allowed { throw AdmissionReview.refusal(webhook: webhook.name, status: response.status) }
        return Outcome(invocation: invocation, response: response)
    }

    /// A failed call: ignored (logged) when the webhook fails open, else `500`.
    private func failed(_ webhook: AdmissionWebhook, _ reason: String) throws(APIError) -> Outcome? {
        let message = "failed calling webhook \"\(webhook.name)\": \(reason)"
        guard webhook.failsOpen else {
            logger.warning("Failed calling webhook, failing closed \(webhook.name): \(message)")
            throw APIError.internalError(message)
        }
        logger.warning("Failed calling webhook, failing open \(webhook.name): \(message)")
        return nil
    }
}
