import Foundation
import NIOHTTP1
import SkiffAPI
@testable import SkiffAPIServer
import SkiffPKI
import SkiffRegistry
import SkiffTesting
import Testing

/// The admission webhooks: rule matching, the review and its answer, and webhooks served over
/// HTTPS on loopback (by `url` and by a selector-less service's endpoints) mutating, refusing and
/// failing open or closed.
@Suite struct AdmissionWebhookTests {
    let authority: CertificateAuthority
    let serving: KeyPair

    init() throws {
        authority = try CertificateAuthority.create(commonName: "webhook-ca", now: Date())
        let profile = CertificateProfile(name: "hook", commonName: "hook.hooks.svc", usage: .server,
                                         dnsNames: ["hook.hooks.svc"], ipAddresses: ["127.0.0.1"])
        serving = try authority.issue(profile, now: Date())
    }

    static var options: APIServer.Options {
        var options = APIServer.Options()
        options.enabledAdmissionPlugins = ["NamespaceLifecycle", "MutatingAdmissionWebhook", "ValidatingAdmissionWebhook"]
        return options
    }

    // MARK: rules

    @Test func rulesMatchOperationsResourcesSubresourcesAndScope() {
        let pods = GroupVersionResource(group: "", version: "v1", resource: "pods")
        let rule = WebhookRule(operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"])
        #expect(rule.matches(operation: .create, resource: pods, subresource: "", namespace: "ns"))
        #expect(!rule.matches(operation: .update, resource: pods, subresource: "", namespace: "ns"))
        #expect(!rule.matches(operation: .create, resource: pods, subresource: "status", namespace: "ns"))
        #expect(!rule.matches(operation: .create, resource: GroupVersionResource(group: "apps", version: "v1", resource: "pods"),
                              subresource: "", namespace: "ns"))
        let everything = WebhookRule(operations: ["*"], apiGroups: ["*"], apiVersions: ["*"], resources: ["*"])
        #expect(everything.matches(operation: .delete, resource: pods, subresource: "", namespace: "ns"))
        #expect(!everything.matches(operation: .update, resource: pods, subresource: "status", namespace: "ns"))
        let statuses = WebhookRule(operations: ["*"], apiGroups: ["*"], apiVersions: ["*"], resources: ["*/status"])
        #expect(statuses.matches(operation: .update, resource: pods, subresource: "status", namespace: "ns"))
        #expect(!statuses.matches(operation: .update, resource: pods, subresource: "", namespace: "ns"))
        let podSubresources = WebhookRule(operations: ["*"], apiGroups: [""], apiVersions: ["*"], resources: ["pods/*"])
        #expect(podSubresources.matches(operation: .create, resource: pods, subresource: "eviction", namespace: "ns"))
        // As upstream's matcher: `*` after the slash also takes the main resource.
        #expect(podSubresources.matches(operation: .create, resource: pods, subresource: "", namespace: "ns"))
        let all = WebhookRule(operations: ["*"], apiGroups: ["*"], apiVersions: ["*"], resources: ["*/*"])
        #expect(all.matches(operation: .update, resource: pods, subresource: "status", namespace: "ns"))

        let namespaces = GroupVersionResource(group: "", version: "v1", resource: "namespaces")
        let nodes = GroupVersionResource(group: "", version: "v1", resource: "nodes")
        let namespaced = WebhookRule(operations: ["*"], apiGroups: ["*"], apiVersions: ["*"], resources: ["*"], scope: "Namespaced")
        let cluster = WebhookRule(operations: ["*"], apiGroups: ["*"], apiVersions: ["*"], resources: ["*"], scope: "Cluster")
        #expect(namespaced.matches(operation: .create, resource: pods, subresource: "", namespace: "ns"))
        #expect(!namespaced.matches(operation: .create, resource: nodes, subresource: "", namespace: ""))
        #expect(!namespaced.matches(operation: .create, resource: namespaces, subresource: "", namespace: "ns"))
        #expect(cluster.matches(operation: .create, resource: nodes, subresource: "", namespace: ""))
        #expect(cluster.matches(operation: .create, resource: namespaces, subresource: "", namespace: "ns"))
        #expect(!cluster.matches(operation: .create, resource: pods, subresource: "", namespace: "ns"))
    }

    // MARK: the review

    @Test func reviewCarriesTheRequestAndAnswersAreChecked() throws {
        let attributes = AdmissionAttributes(
            operation: .create, kind: GroupVersionKind(group: "", version: "v1", kind: "ConfigMap"),
            resource: GroupVersionResource(group: "", version: "v1", resource: "configmaps"), namespace: "ns", name: "c",
            object: ["metadata": ["name": "c"]], userInfo: UserInfo(name: "jane", groups: ["devs"]), dryRun: true)
        let invocation = WebhookMatcher.Invocation(kind: attributes.kind, resource: attributes.resource, object: attributes.object)
        let review = AdmissionReview.request(uid: "u1", attributes: attributes, invocation: invocation)
        #expect(review.apiVersion == "admission.k8s.io/v1" && review.kind == "AdmissionReview")
        #expect(review[path: "request", "uid"] == "u1")
        #expect(review[path: "request", "operation"] == "CREATE")
        #expect(review[path: "request", "resource", "resource"] == "configmaps")
        #expect(review[path: "request", "requestKind", "kind"] == "ConfigMap")
        #expect(review[path: "request", "userInfo", "username"] == "jane")
        #expect(review[path: "request", "userInfo", "groups"] == ["devs"])
        #expect(review[path: "request", "dryRun"] == true)
        #expect(review[path: "request", "namespace"] == "ns")
        #expect(review[path: "request", "subResource"] == nil)

        func answer(_ response: JSONValue, apiVersion: String = "admission.k8s.io/v1") -> JSONValue {
            ["apiVersion": .string(apiVersion), "kind": "AdmissionReview", "response": response]
        }
        #expect(throws: AdmissionReview.InvalidResponse.self) { try AdmissionReview.response(answer(["uid": "other", "allowed": true]), uid: "u1", mutating: false) }
        #expect(throws: AdmissionReview.InvalidResponse.self) {
            try AdmissionReview.response(answer(["uid": "u1", "allowed": true], apiVersion: "admission.k8s.io/v1beta1"), uid: "u1", mutating: false)
        }
        let patch = Data(#"[{"op":"add","path":"/metadata/labels","value":{"a":"b"}}]"#.utf8).base64EncodedString()
        #expect(throws: AdmissionReview.InvalidResponse.self) {
            try AdmissionReview.response(answer(["uid": "u1", "allowed": true, "patch": .string(patch)]), uid: "u1", mutating: true)
        }
        let response = try AdmissionReview.response(
            answer(["uid": "u1", "allowed": true, "patch": .string(patch), "patchType": "JSONPatch", "warnings": ["careful"]]),
            uid: "u1", mutating: true)
        #expect(response.allowed && response.warnings == ["careful"])
        let patched = try JSONPatch.apply(try #require(response.patch), to: ["metadata": ["name": "c"]])
        #expect(patched.labels == ["a": "b"])

        let refusal = AdmissionReview.refusal(webhook: "deny.example.com", status: ["code": 409, "reason": "Conflict", "message": "no"])
        #expect(refusal.code == 409 && refusal.reason == .conflict)
        #expect(refusal.message == #"admission webhook "deny.example.com" denied the request: no"#)
        let bare = AdmissionReview.refusal(webhook: "deny.example.com", status: nil)
        #expect(bare.code == 403 && bare.message == #"admission webhook "deny.example.com" denied the request without explanation"#)
    }

    // MARK: over HTTPS

    /// A webhook server on loopback answering each review with `answer(path, request)` (the `response` object).
    private func withWebhookServer(
        _ answer: @escaping @Sendable (String, JSONValue) -> JSONValue, _ body: @escaping @Sendable (Int) async throws -> Void
    ) async throws {
        let tls = TLSServing(certificateChainPEM: Array(try serving.certificatePEM().utf8), privateKeyPEM: Array(serving.privateKeyPEM.utf8),
                             clientCAPEM: nil)
        let server = HTTPServer(configuration: HTTPServer.Configuration(host: "127.0.0.1", port: 0, tls: tls), logger: InProcessCluster.quietLogger) { request in
            guard let review = try? JSONValue(parsing: request.body), let uid = review[path: "request", "uid"] else { return .text("bad", status: .badRequest) }
            var response = answer(request.path, review["request"] ?? .null)
            response["uid"] = uid
            return .json(["apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "response": response])
        }
        try await withLoopbackServer(server, body)
    }

    private var caBundle: JSONValue { get throws { .string(Data(try authority.keyPair.certificatePEM().utf8).base64EncodedString()) } }

    private static func webhook(_ name: String, clientConfig: JSONValue, failurePolicy: String = "Fail", resources: JSONValue = ["configmaps"]) -> JSONValue {
        ["name": .string(name), "clientConfig": clientConfig, "sideEffects": "None", "admissionReviewVersions": ["v1"],
         "failurePolicy": .string(failurePolicy), "timeoutSeconds": 5,
         "rules": [["operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": resources]]]
    }

    /// Creates a webhook configuration and waits until the admission's cache has it.
    private static func configure(_ server: APIServerHarness, mutating: Bool, name: String, webhooks: [JSONValue]) async throws {
        let resource = mutating ? "mutatingwebhookconfigurations" : "validatingwebhookconfigurations"
        let created = try await server.send(.POST, "/apis/admissionregistration.k8s.io/v1/\(resource)",
                                            json: ["metadata": ["name": .string(name)], "webhooks": .array(webhooks)])
        #expect(created.status == 201, "\(created.text)")
        let revision = try #require(Int64(try created.json().resourceVersion ?? ""))
        let store = try #require(server.registry.store(for: GroupResource(group: "admissionregistration.k8s.io", resource: resource)))
        try await store.cache.waitUntilFresh(revision)
    }

    @Test func mutatingWebhookByURLPatchesAndValidatingWebhookByServiceRefuses() async throws {
        let ca = try caBundle
        try await withWebhookServer({ path, request in
            switch path {
            case "/mutate":
                let patch = #"[{"op":"add","path":"/metadata/labels","value":{"mutated":"yes"}}]"#
                return ["allowed": true, "patchType": "JSONPatch", "patch": .string(Data(patch.utf8).base64EncodedString()), "warnings": ["mutated by hook"]]
            default:
                if request[path: "object", "metadata", "labels", "mutated"] != "yes" { return ["allowed": false, "status": ["message": "not mutated first"]] }
                if request[path: "object", "data", "forbidden"] != nil {
                    return ["allowed": false, "status": ["code": 422, "reason": "Invalid", "message": "data.forbidden is not allowed"]]
                }
                return ["allowed": true]
            }
        }) { port in
            try await APIServerHarness.with(.router, options: Self.options) { server in
                #expect(try await server.send(.POST, "/api/v1/namespaces", json: ["metadata": ["name": "hooks"]]).status == 201)
                // A selector-less service whose endpoints lead to the loopback server.
                let service = try await server.send(.POST, "/api/v1/namespaces/hooks/services", json: [
                    "metadata": ["name": "hook"], "spec": ["ports": [["port": 443, "targetPort": .int(Int64(port))]]],
                ])
                #expect(service.status == 201, "\(service.text)")
                let endpoints = try await server.send(.POST, "/api/v1/namespaces/hooks/endpoints", json: [
                    "metadata": ["name": "hook"], "subsets": [["addresses": [["ip": "127.0.0.1"]], "ports": [["port": .int(Int64(port))]]]],
                ])
                #expect(endpoints.status == 201, "\(endpoints.text)")
                try await Self.configure(server, mutating: true, name: "labels", webhooks: [
                    Self.webhook("label.example.com", clientConfig: ["url": .string("https://127.0.0.1:\(port)/mutate"), "caBundle": ca]),
                ])
                try await Self.configure(server, mutating: false, name: "policy", webhooks: [
                    Self.webhook("policy.example.com", clientConfig: [
                        "service": ["namespace": "hooks", "name": "hook", "path": "/validate"], "caBundle": ca,
                    ]),
                ])
                let allowed = try await server.send(.POST, "/api/v1/namespaces/default/configmaps", json: ["metadata": ["name": "ok"]])
                #expect(allowed.status == 201, "\(allowed.text)")
                #expect(try allowed.json().labels == ["mutated": "yes"])
                #expect(allowed.headers["Warning"].contains { $0.contains("mutated by hook") })

                let refused = try await server.send(.POST, "/api/v1/namespaces/default/configmaps",
                                                    json: ["metadata": ["name": "no"], "data": ["forbidden": "x"]])
                #expect(refused.status == 422)
                let status = try refused.json()
                #expect(status["reason"] == "Invalid")
                #expect(status["message"] == #"admission webhook "policy.example.com" denied the request: data.forbidden is not allowed"#)
            }
        }
    }

    @Test func failurePolicyDecidesWhenTheWebhookIsDown() async throws {
        try await APIServerHarness.with(.router, options: Self.options) { server in
            // Nothing listens on port 1 of loopback.
            try await Self.configure(server, mutating: false, name: "down", webhooks: [
                Self.webhook("ignored.example.com", clientConfig: ["url": "https://127.0.0.1:1/ignored"], failurePolicy: "Ignore"),
                Self.webhook("closed.example.com", clientConfig: ["url": "https://127.0.0.1:1/closed"], resources: ["secrets"]),
            ])
            let ignored = try await server.send(.POST, "/api/v1/namespaces/default/configmaps", json: ["metadata": ["name": "c"]])
            #expect(ignored.status == 201, "\(ignored.text)")
            let failed = try await server.send(.POST, "/api/v1/namespaces/default/secrets", json: ["metadata": ["name": "s"]])
            #expect(failed.status == 500)
            let message = try failed.json()["message"]?.stringValue ?? ""
            #expect(message == #"Internal error occurred: failed calling webhook "closed.example.com": failed to call webhook: Post "https://127.0.0.1:1/closed?timeout=5s": dial tcp 127.0.0.1:1: connect: connection refused"#,
                    "\(message)")
        }
    }
}
